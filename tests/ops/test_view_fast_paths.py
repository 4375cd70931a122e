"""The fast paths of view ops and sum_to_size against torch: view/reshape of arrays whose strides
are the C-contiguous ones (numpy's reshape) and of C-contiguous arrays whose size-1 dims carry
other strides (ATen's computeStride keeps them), transpose/permute/t/alias by numpy's own views
(F-contiguous, permuted, sliced and expanded sources), and sum_to_size without recording
(a view of the keepdim sum, as at::sum_to) in grad, no_grad and inference mode: sizes, strides,
storage offsets, view-ness, versions, grad_fn names; views' values (NaN, inf, -0.0) bit for bit."""
from __future__ import annotations

import numpy as np
import pytest

import numtorch

torch = pytest.importorskip("torch")

SPECIAL = np.array([np.nan, np.inf, -np.inf, -0.0, 0.0, 1.5], dtype=np.float32)


def _array(shape):
    a = np.random.default_rng(len(shape) + sum(shape)).standard_normal(shape).astype(np.float32)
    flat = a.reshape(-1)
    flat[: min(flat.size, SPECIAL.size)] = SPECIAL[: flat.size]
    return a


# (name, shape of the leaf, how the source is made from it: torch and numtorch alike)
SOURCES = [
    ("contiguous", (128, 512), lambda t: t),
    ("row", (1, 512), lambda t: t),
    ("ones", (1, 1, 6), lambda t: t),
    ("column_view", (4, 5), lambda t: t[:, 1:2]),
    ("odd_size1_stride", (5,), lambda t: t.as_strided((5, 1), (1, 7))),
    ("odd_size1_lead", (1, 5), lambda t: t.as_strided((1, 5), (3, 1))),
    ("unsqueezed", (6,), lambda t: t.unsqueeze(0).unsqueeze(-1)),
    ("fortran", (512, 128), lambda t: t.t()),
    ("permuted", (4, 6, 2, 3), lambda t: t.permute(0, 2, 1, 3)),
    ("sliced", (8, 6), lambda t: t[::2, 1:5]),
    ("expanded", (1, 5), lambda t: t.expand(4, 5)),
    ("scalar", (), lambda t: t),
]


def _views(t):
    n, nd = t.numel(), t.dim()
    out = {"view_flat": lambda: t.view(-1), "view_1n1": lambda: t.view(1, n, 1),
           "reshape_1n": lambda: t.reshape(1, -1), "view_as": lambda: t.view_as(t)}
    if nd >= 2:
        out.update(transpose=lambda: t.transpose(0, 1), permute=lambda: t.permute(*range(nd - 1, -1, -1)),
                   merge=lambda: t.reshape(-1, t.shape[-1]), squeeze=lambda: t.squeeze(),
                   transpose_view=lambda: t.transpose(0, 1).reshape(-1))
    if nd <= 2:
        out.update(t=lambda: t.t(), tt=lambda: t.t().t())
    return out


def _check(ours, theirs, base_ours, base_theirs):
    if isinstance(theirs, Exception):
        assert type(ours) is type(theirs) and str(ours) == str(theirs)
        return
    assert tuple(ours.shape) == tuple(theirs.shape)
    assert ours.stride() == theirs.stride()
    assert ours.storage_offset() == theirs.storage_offset()
    assert ours._is_view() == theirs._is_view()
    assert (ours._base is base_ours) == (theirs._base is base_theirs)
    assert ours._version == theirs._version
    assert type(ours.grad_fn).__name__ == type(theirs.grad_fn).__name__
    assert ours.requires_grad == theirs.requires_grad
    expected = theirs.detach().numpy()
    assert np.array_equal(ours.detach().numpy().view(np.uint32), expected.view(np.uint32))


def _run(f):
    try:
        return f()
    except Exception as e:  # noqa: BLE001 - compared with torch's
        return e


@pytest.mark.parametrize("grad", [False, True])
@pytest.mark.parametrize("name,shape,make", SOURCES, ids=[s[0] for s in SOURCES])
def test_views_match_torch(name, shape, make, grad):
    data = _array(shape)
    leaf_t = torch.tensor(data, requires_grad=grad)
    leaf_n = numtorch.tensor(data, requires_grad=grad)
    src_t, src_n = make(leaf_t), make(leaf_n)
    ops_t, ops_n = _views(src_t), _views(src_n)
    for op in ops_t:
        theirs, ours = _run(ops_t[op]), _run(ops_n[op])
        _check(ours, theirs, src_n._base if src_n._is_view() else src_n,
               src_t._base if src_t._is_view() else src_t)
        if grad and not isinstance(theirs, Exception) and theirs.numel():
            leaf_t.grad = None
            leaf_n.grad = None
            (theirs * 2.0).sum().backward()
            (ours * 2.0).sum().backward()
            assert leaf_n.grad.stride() == leaf_t.grad.stride()
            assert np.array_equal(leaf_n.grad.numpy(), leaf_t.grad.numpy(), equal_nan=True)


def _sum_to(lib, t, shape, mode):
    if mode == "no_grad":
        with lib.no_grad():
            return t.sum_to_size(shape)
    if mode == "inference":
        with lib.inference_mode():
            return t.sum_to_size(shape)
    return t.sum_to_size(shape)


SUM_TO = [((128, 512), (512,)), ((128, 512), (1, 512)), ((4, 3, 5), (3, 1)), ((4, 3, 5), (1, 1, 5)),
          ((4, 3), ()), ((4, 3), (4, 3)), ((0, 5), (5,)), ((3, 0), (1, 0)), ((6, 2), (3, 2)),
          ((6, 2), (7, 6, 2))]


@pytest.mark.parametrize("dtype", [np.float32, np.float16, np.int64, np.bool_])
@pytest.mark.parametrize("mode", ["grad_mode", "no_grad", "inference"])
@pytest.mark.parametrize("src,shape", SUM_TO)
def test_sum_to_size_unrecorded_matches_torch(src, shape, mode, dtype):
    data = _array(src)
    if dtype is np.float16:
        data = (data * 8).astype(np.float16)  # NaN, inf, -inf, -0.0 kept; finite sums fit
    elif dtype is np.int64:
        data = (data * 10).astype(np.int64) if np.isfinite(data).all() else np.arange(data.size).reshape(src)
    elif dtype is np.bool_:
        data = data > 0
    theirs = _run(lambda: _sum_to(torch, torch.tensor(data), shape, mode))
    ours = _run(lambda: _sum_to(numtorch, numtorch.tensor(data), shape, mode))
    if isinstance(theirs, Exception):
        assert type(ours) is type(theirs) and str(ours) == str(theirs)
        return
    assert tuple(ours.shape) == tuple(theirs.shape) and ours.stride() == theirs.stride()
    assert str(ours.dtype) == str(theirs.dtype)
    assert ours._is_view() == theirs._is_view() and ours.is_inference() == theirs.is_inference()
    if not theirs.is_inference():
        assert ours._version == theirs._version
    # float sums: numpy's pairwise order, not torch's (as before the fast path)
    tol = {np.float32: (1e-5, 1e-4), np.float16: (1e-2, 1.0)}.get(dtype, (0, 0))
    np.testing.assert_allclose(ours.numpy().astype(np.float64), theirs.numpy().astype(np.float64),
                               rtol=tol[0], atol=tol[1])


def test_sum_to_size_of_a_gradient_in_backward_matches_torch():
    """The engine's use: bias gradients reduced in backward, with and without create_graph."""
    x, w, b = _array((128, 64)), _array((64, 32)), _array((32,))
    for create_graph in (False, True):
        grads = []
        for lib in (torch, numtorch):
            wt, bt = lib.tensor(w, requires_grad=True), lib.tensor(b, requires_grad=True)
            loss = lib.nn.functional.relu(lib.tensor(x) @ wt + bt).square().nan_to_num().sum()
            g = lib.autograd.grad(loss, bt, create_graph=create_graph)[0]
            grads.append((g, g.stride(), g._is_view(), type(g.grad_fn).__name__))
        (gt, *meta_t), (gn, *meta_n) = grads
        assert meta_n == meta_t
        np.testing.assert_allclose(gn.detach().numpy(), gt.detach().numpy(), rtol=1e-5, atol=1e-4)
