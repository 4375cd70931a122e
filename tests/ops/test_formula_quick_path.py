"""Op.quick (issue 6): MulBackward0 and SigmoidBackward0 compute their gradient without dispatch
when nothing can record it. The gradients, their dtypes and strides stay torch's (and the bits those
of the dispatched op), and create_graph, ZeroTensors, broadcasts and non-C layouts still dispatch."""
import numpy as np
import pytest
import torch  # noqa: F401 (the oracle, through the `same` fixture)

import numtorch
from numtorch._core.state import STATE
from numtorch._ops.arithmetic import MUL
from numtorch._ops.unary import SIGMOID_BACKWARD

SPECIAL = [0.0, -0.0, 1.5, -2.25, float("nan"), float("inf"), float("-inf"), 6e4, -1e-39]


def _grads(x, w):
    return [t.grad.stride() if t.grad is not None else None for t in (x, w)]


@pytest.mark.parametrize("other", [2.5, -0.0, 3, True, float("inf"), float("nan")])
def test_mul_backward_with_a_python_scalar(same, other):
    def prog(L, see):
        for dtype in (L.float32, L.float64, L.float16):
            x = L.tensor(SPECIAL, dtype=dtype, requires_grad=True)
            (x * other).sum().backward()
            see(x.grad, x.grad.dtype)
    same(prog)


@pytest.mark.parametrize("shape_x, shape_w", [((9,), (9,)), ((9,), ()), ((), (9,)), ((3, 3), (3, 3)),
                                              ((3, 3), ()), ((3, 1), (1, 3)), ((3, 3), (3,))])
def test_mul_backward_with_tensors(same, shape_x, shape_w):
    def prog(L, see):
        for dx, dw in ((L.float32, L.float32), (L.float32, L.float64), (L.float64, L.float32)):
            x = L.tensor(np.resize(SPECIAL, shape_x), dtype=dx, requires_grad=True)
            w = L.tensor(np.resize(SPECIAL[::-1], shape_w), dtype=dw, requires_grad=True)
            (x * w).sum().backward()
            see(x.grad, w.grad, *_grads(x, w))
    same(prog)


def test_mul_and_sigmoid_backward_of_transposed_operands_keep_torch_strides(same):
    def prog(L, see):
        x = L.tensor(np.arange(12.0).reshape(3, 4) / 7, requires_grad=True)
        w = L.tensor(np.arange(12.0).reshape(4, 3) / 5, requires_grad=True)
        y = x.t() * w.sigmoid()
        y.grad_fn.register_prehook(lambda gs: (gs[0].t().contiguous().t(),))  # a transposed gradient
        y.sum().backward()
        see(x.grad, w.grad, *_grads(x, w))
    same(prog)


def test_sigmoid_backward_values(same):
    def prog(L, see):
        for dtype in (L.float32, L.float64, L.float16):
            x = L.tensor(SPECIAL + [40.0, -40.0, 0.25], dtype=dtype, requires_grad=True)
            y = x.sigmoid()
            y.backward(L.tensor(SPECIAL[::-1] + [1.0, -1.0, 2.0], dtype=dtype))
            see(x.grad)
            x0 = L.tensor(-0.5, dtype=dtype, requires_grad=True)
            x0.sigmoid().backward()
            see(x0.grad)
    same(prog)


def test_create_graph_still_records(same):
    def prog(L, see):
        x = L.tensor([0.5, -1.0, 2.0], requires_grad=True)
        y = (x * 3.0).sigmoid() * x
        g, = L.autograd.grad(y.sum(), x, create_graph=True)
        see(g, g.grad_fn.name())
        g.sum().backward()
        see(x.grad)
    same(prog)


def test_zero_tensor_gradient_keeps_mul_zero_kernel(same):
    def prog(L, see):
        w = L.tensor([2.0, 1.0, -3.0], requires_grad=True)
        x = L.tensor([float("inf"), 1.0, float("nan")])
        # sgn's gradient is a ZeroTensor: mul's derivative of it is zeros even against inf/nan
        g, = L.autograd.grad((w * x).sgn().sum(), w)
        see(g._is_zerotensor(), g.numpy(force=True).tolist(), g.dtype, g.stride())
    same(prog)


def _bits(t):
    a = t._data
    return a.dtype, a.shape, a.strides, a.view(np.uint8).tobytes() if a.ndim else a.tobytes()


@pytest.mark.parametrize("op", [MUL, SIGMOID_BACKWARD])
def test_quick_gives_the_bits_of_the_dispatched_op(op):
    rng = np.random.default_rng(0)
    cases = []
    for dtype in (np.float16, np.float32, np.float64):
        a = np.array(SPECIAL + list(rng.standard_normal(7)), dtype=dtype)
        cases.append((a, a[::-1].copy()))
        cases.append((a, np.array(SPECIAL[4], dtype=dtype)))
        cases.append((a.reshape(4, 4), a[::-1].reshape(4, 4).copy()))
        cases.append((np.array(-0.0, dtype=dtype), np.array(2.0, dtype=dtype)))
    if op is MUL:
        cases.append((cases[0][0].astype(np.float32), np.array(SPECIAL, np.float64)[:1].reshape(())))
    prev, STATE.grad_enabled = STATE.grad_enabled, False
    with np.errstate(all="ignore"):  # quick runs inside FormulaNode.apply's quiet fp state
        try:
            for a, b in cases:
                x, y = numtorch.tensor(a), numtorch.tensor(b)
                if op is MUL and b.ndim == 0 and a.dtype == np.float32:
                    y = numtorch._ops.dispatch.wrap_scalar(float(b))
                fast = op.quick(x, y)
                assert fast is not None
                assert _bits(fast) == _bits(op(x, y)), (a, b)
            assert op.quick(numtorch.tensor(cases[2][0]).t(), numtorch.tensor(cases[2][1])) is None
            assert op.quick(numtorch.tensor(cases[0][0][:4]), numtorch.tensor(cases[0][0][:1])) is None
        finally:
            STATE.grad_enabled = prev
    assert op.quick(numtorch.tensor(cases[0][0]), numtorch.tensor(cases[0][1])) is None  # grad mode
