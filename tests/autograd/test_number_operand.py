"""A Python number beside a floating tensor (x * 2.0, x + 1, 2.0 - x) goes to the kernel in the
tensor's dtype without a wrapped tensor unless the node saves it (Op._with_number). Compared with
torch bit for bit: values (NaN, inf, -0.0, overflow, ints past 2**53 that take the wrapped path),
dtypes, strides, gradients, node names and what the node saves; and the flags that must keep
today's path (provenance, ZeroTensor, views, no_grad, inference mode)."""
from __future__ import annotations

import numpy as np
import pytest

import numtorch

torch = pytest.importorskip("torch")

_VALUES = [0.5, -0.0, 0.0, -1.5, 2.0, float("nan"), float("inf"), -float("inf"), 1e-30, 3e38]
_NUMBERS = [1.0001, 0.001, -0.0, 0.0, 2, -3, True, False, float("nan"), float("inf"), 1e300, -1e-300,
            2 ** 53, -(2 ** 53), 2 ** 53 + 1, 1.0000000596046448, 65520.0, 0.5 + 2j]
# where numtorch differs from torch today (neither path changes it): a complex number beside a real
# tensor (which takes the wrapped path)
_TORCH_DIFFERS = [0.5 + 2j]
_OPS = {
    "mul": lambda x, v: x * v, "rmul": lambda x, v: v * x, "add": lambda x, v: x + v,
    "radd": lambda x, v: v + x, "sub": lambda x, v: x - v, "rsub": lambda x, v: v - x,
    "div": lambda x, v: x / v, "add_alpha": lambda x, v: x.add(v, alpha=2),
    "gt": lambda x, v: x > v, "eq": lambda x, v: x == v,
}


def _bits(t):
    a = np.ascontiguousarray(t.detach().numpy())
    return a.dtype, a.shape, a.view(np.uint8).tobytes()


def _run(lib, op, dtype, v, shape=(10,), transpose=False):
    data = np.array(_VALUES * (int(np.prod(shape)) // len(_VALUES)), dtype=np.float64).reshape(shape)
    x = lib.tensor(data, dtype=getattr(lib, dtype), requires_grad=True)
    xin = x.t() if transpose else x
    try:
        out = _OPS[op](xin, v)
    except Exception as e:  # noqa: BLE001 - the error itself is compared
        return ("error", type(e).__name__, str(e))
    got = [_bits(out), out.stride(), out.requires_grad]
    fn = out.grad_fn
    if fn is not None:
        got.append(type(fn).__name__)
        if type(fn).__name__ in ("MulBackward0", "DivBackward0"):
            other = fn._saved_other
            got.append(None if other is None else (str(other.dtype).split(".")[1], _bits(other)))
        out.backward(lib.ones_like(out) * 0.75)
        got.append(_bits(x.grad))
    return got


@pytest.mark.parametrize("op", list(_OPS))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_number_operand_matches_torch(op, dtype):
    for v in _NUMBERS:
        if v in _TORCH_DIFFERS:
            continue
        assert _run(numtorch, op, dtype, v) == _run(torch, op, dtype, v), v


@pytest.mark.parametrize("op", ["mul", "add", "rsub", "div", "eq"])
def test_number_operand_of_a_complex_tensor_is_the_wrapped_number_cast(op):
    # (complex gradients and NaN products are compared elsewhere: numtorch's kernels are numpy's)
    data = np.array([0.5 + 1j, -0.0, 2.0 - 3j], np.complex64)
    for v in (1.0001, 2, True, 0.5 + 2j, -0.0):
        if op == "rsub" and v is True:
            continue
        with np.errstate(all="ignore"):
            number = np.array(v, np.complex128 if type(v) is complex else np.float64).astype(np.complex64)
            want = _OPS[op](data, number)
        got = _OPS[op](numtorch.tensor(data, requires_grad=op != "eq"), v).detach().numpy()
        assert got.dtype == want.dtype and got.tobytes() == want.tobytes(), v


def test_int_past_2_53_is_cast_from_int64_as_the_wrapped_number():
    v = 2 ** 60 + 2 ** 36 + 1  # float64 rounding first would tie to even: 2**60
    got = numtorch.tensor([1.0], requires_grad=True) * v
    assert got.item() == float(np.float32(np.int64(v))) != float(np.float32(float(v)))
    assert got.grad_fn._saved_other.dtype == numtorch.int64


@pytest.mark.parametrize("v", [0.001, 1.0001, 65520.0, 1e300, -1e-300, float("nan"), 2 ** 53, 3])
def test_number_operand_of_a_float16_tensor_is_the_wrapped_number_cast(v):
    # (torch computes half ops in float32, numtorch in float16 today: the kernel's operand is what
    # the wrapped float64 number cast to float16 gives)
    with np.errstate(all="ignore"):  # (the test's own casts: values beyond float16 overflow to inf)
        data = np.array(_VALUES, np.float16)
        want = data * np.array(v, np.int64 if type(v) is int else np.float64).astype(np.float16)
    got = numtorch.tensor(data) * v
    assert got.dtype == numtorch.float16
    assert got.numpy().view(np.uint16).tolist() == want.view(np.uint16).tolist()


@pytest.mark.parametrize("op", ["mul", "rmul", "add", "sub", "div", "gt"])
def test_number_operand_on_transposed_and_size_one_dims(op):
    for shape, transpose in (((2, 5), True), ((1, 10), False), ((10, 1), True)):
        for v in (2.5, -0.0, 3):
            assert _run(numtorch, op, "float32", v, shape, transpose) == \
                _run(torch, op, "float32", v, shape, transpose)


@pytest.mark.parametrize("dtype", ["int32", "int64", "bool"])
def test_number_operand_of_other_categories_takes_the_wrapped_path(dtype):
    for v in (2.5, 3, True, 2 ** 40):
        for op in ("mul", "add", "div", "gt"):
            def run(lib):
                x = lib.tensor([1, 0, 1], dtype=getattr(lib, dtype))
                try:
                    return _bits(_OPS[op](x, v))
                except Exception as e:  # noqa: BLE001
                    return (type(e).__name__, str(e))
            assert run(numtorch) == run(torch), (op, v)


def test_saved_number_is_a_wrapped_float64_and_view_grads_flow():
    for lib in (numtorch, torch):
        base = lib.tensor([1.0, -0.0, 3.0, 4.0], requires_grad=True)
        y = base * 1
        v = y[::2]
        out = v * 1.0001
        assert out.grad_fn._saved_other.dtype == lib.float64
        assert out.grad_fn.next_functions[1] == (None, 0)
        (out + 0.5).sum().backward()
        assert base.grad.tolist() == [np.float32(1.0001), 0.0, np.float32(1.0001), 0.0]


def test_number_operand_under_no_grad_and_inference_mode():
    x = numtorch.tensor([1.0, -2.0], requires_grad=True)
    with numtorch.no_grad():
        y = x * 2.0
        assert y.grad_fn is None and not y.requires_grad
    with numtorch.inference_mode():
        y = x + 1
        assert y.grad_fn is None and y.is_inference()
    assert (x * 2.0).grad_fn is not None


def test_number_operand_beside_a_zero_tensor_and_under_provenance():
    for lib in (numtorch, torch):  # double backward through the saved number
        x = lib.tensor([1.0, float("nan")], requires_grad=True)
        g, = lib.autograd.grad((x * x * 2.0).sum(), [x], create_graph=True)
        (gg,) = lib.autograd.grad(g.sum(), [x])
        assert gg.tolist()[0] == 4.0
        with lib.autograd.detect_anomaly():  # (numtorch's provenance tracking is on)
            y = x.detach().requires_grad_() * 2.0 + 1
            y.sum().backward()
    z = numtorch._efficientzerotensor((3,)) if hasattr(numtorch, "_efficientzerotensor") else None
    if z is not None:
        zt = torch._efficientzerotensor((3,))
        assert _bits(z * float("nan")) == _bits(zt * float("nan"))
        assert _bits(z + 2.0) == _bits(zt + 2.0)
