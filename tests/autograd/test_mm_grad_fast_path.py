"""mm/addmm/linear backward without create_graph runs its products without dispatch (linalg's
_mm_unrecorded): gradients bit for bit with torch's, in the layout torch gives (row- and
column-major operands, F.linear's weight.t()), with NaN/inf/-0.0 entries; create_graph still
records MmBackward0 chains; a saved matrix replaced by `.data =` still raises torch's error."""
from __future__ import annotations

import numpy as np
import pytest

import numtorch

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(11)


def _special(a):
    a = a.copy()
    a.flat[0], a.flat[1], a.flat[2], a.flat[3] = np.nan, np.inf, -0.0, 0.0
    return a


def _run(lib, x, w, b, op, layout, grad):
    xs = lib.tensor(x, requires_grad=True)
    ws = lib.tensor(w, requires_grad=True)
    bs = lib.tensor(b, requires_grad=True)
    xx = xs.t().contiguous().t() if "x_colmajor" in layout else xs
    ww = ws.t().contiguous().t() if "w_colmajor" in layout else ws
    if op == "linear":
        out = lib.nn.functional.linear(xx, ww, bs)
    elif op == "addmm":
        out = lib.addmm(bs, xx, ww.t(), beta=1.5, alpha=-2.0)
    else:
        out = lib.mm(xx, ww.t())
    out.backward(lib.tensor(grad))
    return [(t.grad.numpy(), t.grad.stride()) for t in (xs, ws, bs) if t.grad is not None]


@pytest.mark.parametrize("op", ["linear", "addmm", "mm"])
@pytest.mark.parametrize("layout", ["", "x_colmajor", "w_colmajor", "x_colmajor w_colmajor"])
@pytest.mark.parametrize("special", [False, True])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_grads_match_torch_bitwise(op, layout, special, dtype):
    x = RNG.standard_normal((6, 5)).astype(dtype)
    w = RNG.standard_normal((4, 5)).astype(dtype)
    b = RNG.standard_normal(4).astype(dtype)
    grad = RNG.standard_normal((6, 4)).astype(dtype)
    if special:
        x, grad = _special(x), _special(grad)
        x[:, 1] = -0.0  # a column of signed zeros: zero products in every entry of w's gradient
    ours, theirs = _run(numtorch, x, w, b, op, layout, grad), _run(torch, x, w, b, op, layout, grad)
    assert len(ours) == len(theirs)
    for (a, sa), (e, se) in zip(ours, theirs):
        assert sa == se
        assert a.dtype == e.dtype
        np.testing.assert_allclose(a, e, rtol=1e-5, atol=1e-5)  # (BLAS summation orders differ)
        assert np.array_equal(np.isnan(a), np.isnan(e))
        assert np.array_equal(np.signbit(a) & (a == 0), np.signbit(e) & (e == 0))


@pytest.mark.parametrize("op", ["linear", "addmm", "mm"])
@pytest.mark.parametrize("layout", ["", "x_colmajor", "w_colmajor", "x_colmajor w_colmajor"])
@pytest.mark.parametrize("special", [False, True])
def test_same_bits_as_dispatched_mm(op, layout, special, monkeypatch):
    """The fast path gives exactly what mm through dispatch gives: values, dtype, strides."""
    from numtorch._ops import linalg
    x = RNG.standard_normal((6, 5)).astype(np.float32)
    w = RNG.standard_normal((4, 5)).astype(np.float32)
    b = RNG.standard_normal(4).astype(np.float32)
    grad = RNG.standard_normal((6, 4)).astype(np.float32)
    if special:
        x, grad = _special(x), _special(grad)
    fast = _run(numtorch, x, w, b, op, layout, grad)
    monkeypatch.setattr(linalg, "_unrecorded", lambda *args: False)
    slow = _run(numtorch, x, w, b, op, layout, grad)
    for (a, sa), (e, se) in zip(fast, slow):
        assert sa == se
        assert np.array_equal(a.view(np.uint32), e.view(np.uint32))


@pytest.mark.parametrize("shape", [(128, 784, 512), (128, 512, 256), (128, 256, 10)])
def test_benchmark_shapes_match_torch(shape):
    n, k, m = shape
    x = RNG.standard_normal((n, k)).astype(np.float32)
    w = (RNG.standard_normal((m, k)) * 0.05).astype(np.float32)
    b = RNG.standard_normal(m).astype(np.float32)
    grad = RNG.standard_normal((n, m)).astype(np.float32)
    ours, theirs = _run(numtorch, x, w, b, "linear", "", grad), _run(torch, x, w, b, "linear", "", grad)
    for (a, sa), (e, se) in zip(ours, theirs):
        assert sa == se
        np.testing.assert_allclose(a, e, rtol=1e-4, atol=1e-4)
        assert not (np.signbit(a) & (a == 0)).any()  # GEMM zeros are +0.0, as torch's


def test_weight_grad_is_stolen_as_torch():
    """The weight gradient (a t() view of a fresh product) is accumulated without a copy."""
    for lib in (numtorch, torch):
        lin = lib.nn.Linear(5, 4)
        lib.nn.functional.linear(lib.ones(3, 5), lin.weight, lin.bias).sum().backward()
        assert lin.weight.grad.stride() == (5, 1)
        assert lin.weight.grad.is_contiguous()


def test_create_graph_records_products():
    def names(lib):
        x = lib.tensor(RNG.standard_normal((3, 5)), requires_grad=True)
        w = lib.tensor(RNG.standard_normal((4, 5)), requires_grad=True)
        out = lib.nn.functional.linear(x, w)
        gx, gw = lib.autograd.grad(out.sum(), (x, w), create_graph=True)
        return gx.grad_fn.name(), gw.grad_fn.name(), gw.grad_fn.next_functions[0][0].name()
    assert names(numtorch) == names(torch)


def test_replaced_saved_matrix_raises_as_torch():
    def run(lib):
        x = lib.ones(3, 5, requires_grad=True)
        w = lib.ones(4, 5, requires_grad=True)
        out = lib.mm(x, w.t())
        x.data = lib.ones(3, 6)
        with pytest.raises(RuntimeError) as info:
            out.sum().backward()
        return str(info.value)
    assert run(numtorch) == run(torch)
