"""The forward hot path of a recorded op: a no-argument unary method (x.sigmoid()) calls its Op
from the argument parser's wrapper, and Op._record makes the SavedTensors itself. Compared with
torch: values, gradients (NaN, inf, -0.0 inputs), node names, what grad_fn._saved_* returns,
and the parser's error for a bad argument; and the call site numtorch's version-error note names
is still the user's line (method, operator, reflected operator)."""
from __future__ import annotations

import inspect
import math

import numpy as np
import pytest

import numtorch

torch = pytest.importorskip("torch")

_VALUES = [0.5, -0.0, 0.0, -1.5, 2.0, float("nan"), float("inf"), -float("inf"), 0.25, 3.0]
# the methods whose wrapper calls the Op directly (unary._make_unary)
_METHODS = ["abs", "absolute", "acos", "arccos", "arcsin", "arctan", "asin", "atan", "ceil", "cos",
            "cosh", "exp", "exp2", "expm1", "fix", "floor", "frac", "log", "log10", "log1p", "log2",
            "reciprocal", "relu", "rsqrt", "sigmoid", "sign", "sin", "sinh", "sqrt", "tan", "tanh", "trunc"]


def _close(a, b) -> None:
    """Same dtype, values within an ulp or two (numtorch's transcendental kernels are not all
    torch's bit for bit), NaN where torch has NaN, and the sign of every zero."""
    assert a.dtype == b.dtype and a.shape == b.shape
    np.testing.assert_allclose(a, b, rtol=1e-6, atol=0, equal_nan=True)
    zero = b == 0
    assert np.array_equal(np.signbit(a[zero]), np.signbit(b[zero]))


@pytest.mark.parametrize("name", _METHODS)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_unary_method_matches_torch(name, dtype):
    def run(lib):
        x = lib.tensor(_VALUES, dtype=getattr(lib, dtype), requires_grad=True)
        out = getattr(x, name)()
        fn = out.grad_fn
        saved = {k: getattr(fn, "_saved_" + k) for k in ("self", "result") if hasattr(fn, "_saved_" + k)}
        out.backward(lib.ones_like(out))
        return out, x.grad, fn.name(), saved

    out, grad, node, saved = run(numtorch)
    t_out, t_grad, t_node, t_saved = run(torch)
    assert node == t_node
    _close(out.detach().numpy(), t_out.detach().numpy())
    _close(grad.numpy(), t_grad.numpy())
    assert sorted(saved) == sorted(t_saved)
    for k in saved:
        _close(saved[k].detach().numpy(), t_saved[k].detach().numpy())


@pytest.mark.parametrize("call", [lambda x: x.sigmoid(1), lambda x: x.exp(dim=0),
                                  lambda x: x.relu(None), lambda x: x.tanh(out=x)])
def test_unary_method_bad_argument_raises_before_the_kernel(call):
    x = numtorch.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(TypeError):
        call(x)
    assert x._version == 0 and x.grad is None


def test_unary_method_under_no_grad_and_inference_records_nothing():
    x = numtorch.tensor([1.0, -2.0], requires_grad=True)
    with numtorch.no_grad():
        assert x.sigmoid().grad_fn is None
    with numtorch.inference_mode():
        y = x.exp()
        assert y.grad_fn is None and y.is_inference()


def test_saved_wrapped_scalar_matches_torch():
    for lib in (numtorch, torch):
        x = lib.tensor([1.0, 2.0], dtype=lib.float32, requires_grad=True)
        a, b = x * 1.0001, 2.5 * x
        assert a.grad_fn._saved_other.dtype == lib.float64
        assert math.isclose(a.grad_fn._saved_other.item(), 1.0001)
        assert b.grad_fn._saved_other.dtype == lib.float64
        assert b.grad_fn._saved_self is None


def _line_of(marker: str) -> int:
    src, start = inspect.getsourcelines(inspect.currentframe().f_back.f_code)
    return start + next(i for i, line in enumerate(src) if marker in line)


@pytest.mark.parametrize("form", ["method", "operator", "function"])
def test_version_note_names_the_forward_line(form):
    x = numtorch.tensor([1.0, 2.0], requires_grad=True)
    b = x * 1
    if form == "method":
        out, node = b.sigmoid(), "SigmoidBackward0"  # forward-method
        line = _line_of("forward-method")
    elif form == "operator":
        out, node = b * b, "MulBackward0"  # forward-operator
        line = _line_of("forward-operator")
    else:
        out, node = numtorch.exp(b), "ExpBackward0"  # forward-function
        line = _line_of("forward-function")
    with numtorch.no_grad():
        (b if form == "operator" else out).add_(1)
    with pytest.raises(RuntimeError) as info:
        out.sum().backward()
    assert info.value.__notes__[-1] == (f"numtorch: saved for backward by {node} in the forward call at "
                                        f"{__file__}:{line} (at version 0)")
