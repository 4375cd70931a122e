"""nn.utils against torch: clip_grad_norm_ (every norm type, mixed dtypes, non-finite norms),
clip_grad_value_, get_total_norm / clip_grads_with_norm_, parameters_to_vector and
vector_to_parameters; values, dtypes, versions, grad modes, warnings and error messages."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

import numtorch as nt
import numtorch.nn  # noqa: F401

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(5)
GRADS = [RNG.standard_normal((4, 3)).astype(np.float32), RNG.standard_normal(7).astype(np.float32),
         RNG.standard_normal((2, 2, 2)).astype(np.float32)]


def _params(lib, grads=GRADS, dtypes=None):
    params = []
    for i, g in enumerate(grads):
        d = None if dtypes is None else dtypes[i]
        p = lib.nn.Parameter(lib.zeros(g.shape, dtype=d))
        if g is not None:
            p.grad = lib.tensor(g, dtype=d)
        params.append(p)
    return params


def _observe_clip(lib, max_norm, norm_type, dtypes=None, **kwargs):
    params = _params(lib, dtypes=dtypes)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        total = lib.nn.utils.clip_grad_norm_(params, max_norm, norm_type, **kwargs)
    return (total.detach().numpy().copy(), str(total.dtype), total.requires_grad, total.grad_fn is None,
            [p.grad.numpy().copy() for p in params], [p.grad._version for p in params],
            [str(w.message) for w in caught])


@pytest.mark.parametrize("norm_type", [2.0, 1, 3.5, 0.5, float("inf"), "inf", 0])
@pytest.mark.parametrize("max_norm", [0.5, 1e3])
def test_clip_grad_norm_matches_torch(max_norm, norm_type):
    t = _observe_clip(torch, max_norm, norm_type)
    n = _observe_clip(nt, max_norm, norm_type)
    # inf and 0 norms and the unclipped case are exact; p-norms sum in a different order than ATen
    np.testing.assert_allclose(n[0], t[0], rtol=1e-6)
    assert n[1:4] == t[1:4] and n[5:] == t[5:]
    for a, b in zip(t[4], n[4]):
        assert a.dtype == b.dtype
        np.testing.assert_allclose(b, a, rtol=2e-6, atol=1e-7)
    if norm_type in (float("inf"), "inf", 0) or max_norm == 1e3:
        assert all(np.array_equal(a, b) for a, b in zip(t[4], n[4]))
    if norm_type in (float("inf"), "inf", 0):
        assert np.array_equal(t[0], n[0])


def test_clip_grad_norm_float64_and_mixed_dtypes():
    for dtypes in ([None, None, None], ["float64"] * 3, ["float64", None, "float64"]):
        t = _observe_clip(torch, 0.3, 2.0, dtypes=[None if d is None else torch.float64 for d in dtypes])
        n = _observe_clip(nt, 0.3, 2.0, dtypes=[None if d is None else nt.float64 for d in dtypes])
        np.testing.assert_allclose(n[0], t[0], rtol=1e-6)
        assert n[1:4] == t[1:4] and n[5:] == t[5:]
        for a, b in zip(t[4], n[4]):
            assert a.dtype == b.dtype
            np.testing.assert_allclose(b, a, rtol=2e-6, atol=1e-7)


def test_clip_grad_norm_single_tensor_missing_grads_and_empty_inputs():
    def observe(lib):
        out = []
        p = lib.nn.Parameter(lib.tensor([3.0, 4.0]))
        p.grad = lib.tensor([3.0, 4.0])
        out.append((repr(lib.nn.utils.clip_grad_norm_(p, 1.0)), p.grad.tolist()))
        q = lib.nn.Parameter(lib.ones(2))  # no grad: skipped
        r = lib.nn.Parameter(lib.ones(2))
        r.grad = lib.tensor([0.0, 2.0])
        out.append((repr(lib.nn.utils.clip_grad_norm_([q, r], 1.0, norm_type=1)), q.grad, r.grad.tolist()))
        out.append(repr(lib.nn.utils.clip_grad_norm_([], 1.0)))
        out.append(repr(lib.nn.utils.clip_grad_norm_([q], 1.0)))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out.append(repr(lib.nn.utils.clip_grad_norm_((x for x in []), 1.0)))
            out.append(repr(lib.nn.utils.clip_grad_norm([r], 10.0)))
        out.append([(w.category.__name__, str(w.message)) for w in caught])
        return out
    assert observe(torch) == observe(nt)


def test_clip_grad_norm_non_finite():
    def observe(lib):
        out = []
        for bad in (float("inf"), float("nan")):
            for norm_type in (2.0, float("inf")):
                p = lib.nn.Parameter(lib.ones(3))
                p.grad = lib.tensor([1.0, bad, 2.0])
                try:
                    lib.nn.utils.clip_grad_norm_([p], 1.0, norm_type, error_if_nonfinite=True)
                    out.append("ok")
                except RuntimeError as e:
                    out.append(str(e))
                total = lib.nn.utils.clip_grad_norm_([p], 1.0, norm_type)
                out.append((repr(total), repr(p.grad)))
        return out
    assert observe(torch) == observe(nt)


def test_total_norm_and_clip_with_norm_and_grad_mode():
    def observe(lib):
        params = _params(lib)
        total = lib.nn.utils.get_total_norm([p.grad for p in params], 2.0)
        lib.nn.utils.clip_grads_with_norm_(params, 1.0, total)
        x = lib.ones(2, requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the create_graph reference-cycle warning
            (x * 2).sum().backward(create_graph=True)
        norm = lib.nn.utils.clip_grad_norm_([x], 1.0)  # under no_grad: no history, grad stays as is
        return (round(total.item(), 4), [np.round(p.grad.numpy(), 5).tolist() for p in params],
                norm.requires_grad, x.grad.requires_grad, x.grad.grad_fn is not None,
                np.round(x.grad.detach().numpy(), 5).tolist(), lib.is_grad_enabled())
    assert observe(torch) == observe(nt)


@pytest.mark.parametrize("clip_value", [0.5, 1, 10.0])
def test_clip_grad_value_matches_torch(clip_value):
    def observe(lib):
        params = _params(lib, dtypes=[None, lib.float64, None])
        params.append(lib.nn.Parameter(lib.ones(2)))  # no grad
        params[0].grad[0, 0] = float("nan")
        v0 = [p.grad._version for p in params[:3]]
        out = lib.nn.utils.clip_grad_value_(params, clip_value)
        return (out, [p.grad.numpy().copy() for p in params[:3]],
                [p.grad._version - v for p, v in zip(params, v0)], params[3].grad)
    (t_out, t_grads, t_versions, t_none), (n_out, n_grads, n_versions, n_none) = observe(torch), observe(nt)
    assert t_out is None and n_out is None and t_none is None and n_none is None
    assert t_versions == n_versions
    for a, b in zip(t_grads, n_grads):
        assert a.dtype == b.dtype
        np.testing.assert_array_equal(b, a)


def test_clip_grad_value_single_tensor():
    def observe(lib):
        p = lib.nn.Parameter(lib.zeros(3))
        p.grad = lib.tensor([-3.0, 0.2, 5.0])
        lib.nn.utils.clip_grad_value_(p, 1)
        return p.grad.tolist()
    assert observe(torch) == observe(nt)


def test_parameters_to_vector_and_back(close):
    def prog(torch, see):
        lin = torch.nn.Linear(3, 2)
        with torch.no_grad():
            lin.weight.copy_(torch.arange(6.0).reshape(2, 3))
            lin.bias.fill_(-1.0)
        vec = torch.nn.utils.parameters_to_vector(lin.parameters())
        see(vec)
        vec.sum().backward()
        see(lin.weight.grad, lin.bias.grad)
        new = torch.arange(10.0, 18.0)
        torch.nn.utils.vector_to_parameters(new, lin.parameters())
        see(lin.weight, lin.bias, lin.weight.is_leaf, lin.weight.requires_grad)
        new[0] = 100.0  # parameters now view the vector's memory
        see(lin.weight)
        see(lin(torch.ones(1, 3)))
        torch.nn.utils.vector_to_parameters([1.0, 2.0], lin.parameters())
    close(prog)


def test_vector_to_parameters_with_a_short_vector(close):
    def prog(torch, see):
        ps = [torch.nn.Parameter(torch.zeros(2)), torch.nn.Parameter(torch.zeros(3))]
        torch.nn.utils.vector_to_parameters(torch.arange(4.0), ps)
    close(prog)
