"""Pointwise ops: arithmetic, unary math, activations, comparisons and logical ops.

Node names and formulas follow derivatives.yaml; a Python scalar operand is a wrapped 0-d tensor
(one next_functions entry) except where PyTorch takes a Scalar (pow, rsub)."""
from __future__ import annotations

import copy as _copy_module
import math

import numpy as np

from .._core import dtypes as dt
from .._core import messages
from .dispatch import Op, wrap_scalar
from .._tensor import Tensor



# ---- arithmetic ----------------------------------------------------------------------------
def _scaled(g, alpha):
    return g if alpha == 1 else g * alpha


ADD = Op("add", lambda a, b, alpha=1: a + b if alpha == 1 else a + b * np.asarray(alpha, a.dtype),
         node="AddBackward0", inputs=("self", "other"),
         grads={"self": lambda c, g: g, "other": lambda c, g: _scaled(g, c.alpha)})
SUB = Op("sub", lambda a, b, alpha=1: a - b if alpha == 1 else a - b * np.asarray(alpha, a.dtype),
         node="SubBackward0", inputs=("self", "other"),
         grads={"self": lambda c, g: g, "other": lambda c, g: _scaled(-g, c.alpha)})
RSUB = Op("rsub", lambda a, other, alpha=1: np.asarray(other, a.dtype) - (
          a if alpha == 1 else a * np.asarray(alpha, a.dtype)),
          node="RsubBackward1", promote=None,
          grads={"self": lambda c, g: _scaled(-g, c.alpha)})
RSUB_TENSOR = Op("rsub", lambda a, b, alpha=1: b - a if alpha == 1 else b - a * np.asarray(alpha, a.dtype),
                 node="RsubBackward0", inputs=("self", "other"),
                 grads={"self": lambda c, g: _scaled(-g, c.alpha), "other": lambda c, g: g})
MUL = Op("mul", np.multiply, node="MulBackward0", inputs=("self", "other"),
         grads={"self": lambda c, g: g * c.other, "other": lambda c, g: g * c.self})
DIV = Op("div", np.true_divide, node="DivBackward0", inputs=("self", "other"), promote="float",
         grads={"self": lambda c, g: g / c.other,
                "other": lambda c, g: -g * ((c.self / c.other) / c.other)})


def _not_for(name: str, kinds: str, a) -> None:
    """ATen's dispatch-macro error for a dtype a CPU kernel is not compiled for."""
    if a.dtype.kind in kinds:
        raise NotImplementedError(f'"{name}" not implemented for \'{dt._BY_NP[a.dtype].short_name}\'')


def _guard(name: str, kinds: str, fn):
    def kernel(a, *rest, **kw):
        _not_for(name, kinds, a)
        return fn(a, *rest, **kw)
    kernel.__name__ = getattr(fn, "__name__", name)
    return kernel


def _int_zero_check(a, b):
    if a.dtype.kind in "iub" and np.any(np.asarray(b) == 0):
        raise RuntimeError("ZeroDivisionError")


def _floor_div_kernel(a, b):
    # numpy's floor_divide is CPython's (and ATen's div_floor) algorithm: fmod-corrected, not floor(a/b)
    _not_for("div_floor_cpu", "bc", a)
    _int_zero_check(a, b)
    return np.floor_divide(a, b)


def _trunc_div_kernel(a, b):
    _not_for("div_trunc_cpu", "bc", a)
    _int_zero_check(a, b)
    if a.dtype.kind in "fc":
        return np.trunc(np.true_divide(a, b)).astype(a.dtype)
    return (np.sign(a) * np.sign(b) * (np.abs(a) // np.abs(b))).astype(a.dtype)


def _zeros_grad(g, *saved):
    """div(rounding_mode=...)'s derivative: zeros that do not depend on grad (derivatives.yaml
    div_tensor_self_backward / div_tensor_other_backward with a rounding mode)."""
    from .creation import zeros_like
    return zeros_like(g)


# div.Tensor_mode: a Python scalar divisor is a wrapped number, so both variants are DivBackward2
DIV_FLOOR = Op("div", lambda a, b, rounding_mode: _floor_div_kernel(a, b),
               node="DivBackward2", inputs=("self", "other"),
               grads={"self": lambda c, g: _zeros_grad(g, c.other),
                      "other": lambda c, g: _zeros_grad(g, c.self, c.other)})
DIV_TRUNC = Op("div", lambda a, b, rounding_mode: _trunc_div_kernel(a, b),
               node="DivBackward2", inputs=("self", "other"),
               grads={"self": lambda c, g: _zeros_grad(g, c.other),
                      "other": lambda c, g: _zeros_grad(g, c.self, c.other)})


def _not_implemented(aten_name: str) -> Op:
    """An op without a derivative: PyTorch records a `NotImplemented` node (edges only to inputs
    that require grad) whose backward raises. See _strip_none_edges."""
    def formula(c, g):
        raise RuntimeError(f"derivative for aten::{aten_name} is not implemented")
    kernel = {"floor_divide": _floor_div_kernel, "floor_divide_": _floor_div_kernel,
              "remainder": _guard("remainder_cpu", "bc", np.remainder)}[aten_name]
    op = Op(aten_name.rstrip("_"), kernel, node="NotImplemented", inputs=("self", "other"),
            grads={"self": formula, "other": formula})
    op.node_cls.name = lambda self: "torch::autograd::NotImplemented"
    return op


def _strip_none_edges(t: Tensor) -> Tensor:
    fn = t._grad_fn
    if fn is not None and type(fn).__name__ == "NotImplemented":
        fn.next_functions = tuple(e for e in fn.next_functions if e[0] is not None)
    return t


FLOOR_DIVIDE = _not_implemented("floor_divide")
FLOOR_DIVIDE_INPLACE = _not_implemented("floor_divide_")
REMAINDER_SCALAR_TENSOR = _not_implemented("remainder")
REMAINDER = Op("remainder", _guard("remainder_cpu", "bc", np.remainder), node="RemainderBackward1",
               inputs=("self", "other"),
               grads={"self": lambda c, g: g,
                      "other": lambda c, g: -g * div(c.self, c.other, rounding_mode="floor")})
REMAINDER_SCALAR = Op("remainder", _guard("remainder_cpu", "bc", lambda a, other: np.remainder(
                          a, np.asarray(other, a.dtype))),
                      node="RemainderBackward0", promote=None, grads={"self": lambda c, g: g})
FMOD = Op("fmod", _guard("fmod_cpu", "bc", np.fmod), node="FmodBackward1", inputs=("self", "other"),
          grads={"self": lambda c, g: g,
                 "other": lambda c, g: -g * div(c.self, c.other, rounding_mode="trunc")})
FMOD_SCALAR = Op("fmod", _guard("fmod_cpu", "bc", lambda a, other: np.fmod(a, np.asarray(other, a.dtype))),
                 node="FmodBackward0", promote=None, grads={"self": lambda c, g: g})


# Not yet in messages.py (owned elsewhere): TensorIterator's check for an in-place/out= output.
INPLACE_SHAPE = "output with shape {out} doesn't match the broadcast shape {shape}"


def _shape_list(shape) -> str:
    return "[" + ", ".join(str(s) for s in shape) + "]"


def inplace_pointwise(op: Op, target: Tensor, *args, **attrs) -> Tensor:
    """op.inplace for a broadcasting op, with TensorIterator's shape checks first: operands must
    broadcast, and to exactly self's shape (after check_inplace, as VariableType runs it first)."""
    others = [a for a in args if isinstance(a, Tensor)] + [v for v in attrs.values() if isinstance(v, Tensor)]
    if others:
        shapes = [target._data.shape] + [t._data.shape for t in others]
        try:
            shape = np.broadcast_shapes(*shapes)
            bad = shape != target._data.shape
        except ValueError:
            bad = True
        if bad:
            from .._autograd import views
            from .._core.state import STATE
            rec = STATE.grad_enabled and any(views.requires_grad(t) for t in [target] + others)
            views.check_inplace(target, rec)
            if rec:  # torch collects the operands' gradient edges next (E35/E37 for stale views)
                for t in [target] + others:
                    views.edge(t)
            views.check_overlap(target, others, *op.overlap)  # MemOverlap comes before shapes
            from .dispatch import _check_broadcast
            _check_broadcast([target._data] + [t._data for t in others])
            raise RuntimeError(INPLACE_SHAPE.format(out=_shape_list(target._data.shape),
                                                    shape=_shape_list(shape)))
    return op.inplace(target, *args, **attrs)


SUB_TWO_BOOLS = ("Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or "
                 "`logical_xor()` operator instead.")
SUB_BOOL = ("Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to "
            "invert a mask, use the `~` or `logical_not()` operator instead.")
NEG_BOOL = ("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert "
            "a mask, use the `~` or `logical_not()` operator instead.")


def _sub_check(self, other) -> None:
    """ATen sub_check: bool operands (a Python bool counts as a bool tensor)."""
    a = self._dtype is dt.bool_ if isinstance(self, Tensor) else isinstance(self, bool)
    b = other._dtype is dt.bool_ if isinstance(other, Tensor) else isinstance(other, bool)
    if a and b:
        raise RuntimeError(SUB_TWO_BOOLS)
    if a or b:
        raise RuntimeError(SUB_BOOL)


def _alpha_check(d: dt.dtype, alpha) -> None:
    """ATen alpha_check against the op's common dtype."""
    if isinstance(alpha, bool) and d is not dt.bool_:
        raise RuntimeError("Boolean alpha only supported for Boolean results.")
    if d.category <= 1 and not isinstance(alpha, (int, np.integer)):
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating point number.")
    if not d.is_complex and isinstance(alpha, complex):
        raise RuntimeError("For non-complex input tensors, argument alpha must not be a complex number.")


def _checked_alpha(self, other, alpha):
    if alpha != 1 or type(alpha) is not int:
        _alpha_check(dt.result_type(wrap_scalar(self), wrap_scalar(other)), alpha)


def add(self, other, *, alpha=1, out=None):
    _checked_alpha(self, other, alpha)
    if out is not None:
        return _out("add", ADD, out, self, other, alpha=alpha)
    return ADD(self, other, alpha=alpha)


def sub(self, other, *, alpha=1, out=None):
    _sub_check(self, other)
    _checked_alpha(self, other, alpha)
    if out is not None:
        return _out("sub", SUB, out, self, other, alpha=alpha)
    return SUB(self, other, alpha=alpha)


def add_(self, other, *, alpha=1):
    _checked_alpha(self, other, alpha)
    return inplace_pointwise(ADD, self, other, alpha=alpha)


def sub_(self, other, *, alpha=1):
    _sub_check(self, other)
    _checked_alpha(self, other, alpha)
    return inplace_pointwise(SUB, self, other, alpha=alpha)


def rsub(self, other, *, alpha=1):
    """other - alpha * self (`2 - x` is rsub(x, 2): RsubBackward1, one edge)."""
    _sub_check(other, self)
    _checked_alpha(self, other, alpha)
    if isinstance(other, Tensor):
        return RSUB_TENSOR(self, other, alpha=alpha)
    return RSUB(_scalar_promote(self, other), other=other, alpha=alpha)


def mul(self, other, *, out=None):
    if out is not None:
        return _out("mul", MUL, out, self, other)
    return MUL(self, other)


def _div_op(rounding_mode):
    if rounding_mode is None:
        return DIV
    if rounding_mode == "floor":
        return DIV_FLOOR
    if rounding_mode == "trunc":
        return DIV_TRUNC
    raise RuntimeError("div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
                       f"'{rounding_mode}'")


def div(self, other, *, rounding_mode=None, out=None):
    op = _div_op(rounding_mode)
    attrs = {} if rounding_mode is None else {"rounding_mode": rounding_mode}
    if out is not None:
        return _out("div", op, out, self, other, **attrs)
    return op(self, other, **attrs)


def rdiv(self, other):  # other / self with other a scalar: torch computes reciprocal() * other
    return mul(reciprocal(self), other)


def floor_divide(self, other):
    return _strip_none_edges(FLOOR_DIVIDE(self, other))


def floor_divide_(self, other):
    return _strip_none_edges(inplace_pointwise(FLOOR_DIVIDE_INPLACE, self, other))


def _is_number(x) -> bool:
    return not isinstance(x, Tensor)


def remainder(self, other):
    if _is_number(self):  # remainder.Scalar_Tensor has no derivative
        return _strip_none_edges(REMAINDER_SCALAR_TENSOR(self, other))
    if _is_number(other):
        return REMAINDER_SCALAR(_scalar_promote(self, other), other=other)
    return REMAINDER(self, other)


def remainder_(self, other):
    if _is_number(other):
        return REMAINDER_SCALAR.inplace(_check_scalar_cast(self, other), other=other)
    return inplace_pointwise(REMAINDER, self, other)


def fmod(self, other):
    if _is_number(other):
        return FMOD_SCALAR(_scalar_promote(self, other), other=other)
    return FMOD(self, other)


def fmod_(self, other):
    if _is_number(other):
        return FMOD_SCALAR.inplace(_check_scalar_cast(self, other), other=other)
    return inplace_pointwise(FMOD, self, other)


def _out(name, op, out, *args, **attrs):
    from .._core.state import STATE
    from .._autograd.views import requires_grad
    ts = [a for a in args if isinstance(a, Tensor)] + [out]
    if STATE.grad_enabled and any(requires_grad(t) for t in ts):
        raise RuntimeError(messages.OUT_WITH_GRAD.format(op=name))
    result = op(*args, **attrs)
    out._data = np.array(result._data, dtype=out._dtype.np) if out._data.shape != result._data.shape \
        else out._data
    np.copyto(out._data, result._data, casting="unsafe")
    out._bump_version()
    return out


# ---- pow -----------------------------------------------------------------------------------
def _pow_kernel(a, b):
    if a.dtype.kind in "iu" and np.any(np.asarray(b) < 0):
        raise RuntimeError("Integers to negative integer powers are not allowed.")
    return np.power(a, b)


def _zeros(like):
    from .creation import zeros_like
    return zeros_like(like)


def _pow_backward_self(g, self, exponent):
    # FunctionsManual pow_backward / pow_backward_self
    if isinstance(exponent, Tensor):
        return where(exponent == 0.0, 0.0, g * (exponent * pow(self, exponent - 1)))
    if exponent == 0:
        return _zeros(self)
    exponent = float(exponent) if not isinstance(exponent, complex) else exponent
    return g * (exponent * pow(self, exponent - 1))


def _pow_backward_exponent(g, self, exponent, result):
    # FunctionsManual pow_backward_exponent (tensor base):
    # grad * where(self == 0 & exponent >= 0, 0, result * log(self))
    d = dt.result_type(self, exponent)
    self_ = self if self._dtype is d else self.to(d)
    return g * where((self_ == 0) & (exponent >= 0), 0.0, result * log(self_))


def _pow_backward_scalar_base(g, base, exponent, result):
    if base == 0:
        return g * where(exponent >= 0, 0.0, result * _scalar_log(base))
    return g * (result * _scalar_log(base))


def _scalar_log(x):
    if isinstance(x, complex):
        import cmath
        return cmath.log(x)
    return math.log(x) if x > 0 else (-math.inf if x == 0 else math.nan)


POW_SCALAR = Op("pow", lambda a, exponent: _pow_kernel(a, np.asarray(exponent, a.dtype)),
                node="PowBackward0", promote=None,
                grads={"self": lambda c, g: _pow_backward_self(g, c.self, c.exponent)})
POW_TENSOR = Op("pow", _pow_kernel, node="PowBackward1", inputs=("self", "exponent"),
                grads={"self": lambda c, g: _pow_backward_self(g, c.self, c.exponent),
                       "exponent": lambda c, g: _pow_backward_exponent(g, c.self, c.exponent, c.result)})
POW_BASE = Op("pow", lambda e, base: np.power(np.asarray(base, e.dtype), e),
              node="PowBackward2", inputs=("exponent",), promote=None,
              grads={"exponent": lambda c, g: _pow_backward_scalar_base(g, c.base, c.exponent, c.result)})


def pow(self, exponent):
    if isinstance(self, Tensor):
        if isinstance(exponent, Tensor):
            return POW_TENSOR(self, exponent)
        return POW_SCALAR(_scalar_promote(self, exponent), exponent=exponent)
    d = dt.result_type(self, exponent)
    if d is not exponent._dtype:
        exponent = exponent.to(d)
    return POW_BASE(exponent, base=self)


def square(self):
    return pow(self, 2)


# ---- unary float ops -------------------------------------------------------------------------
def _unary(name, node, kernel, formula, promote="float"):
    return Op(name, kernel, node=node, promote=promote, grads={"self": formula})


def _wide(fn):
    """Evaluate a transcendental function of a float32/float16 array in float64 and round once:
    numpy's own float32 loops are often 1 ulp off where PyTorch's are correctly rounded."""
    def kernel(a):
        if a.dtype == np.float32 or a.dtype == np.float16:
            return fn(a.astype(np.float64)).astype(a.dtype)
        return fn(a)
    kernel.__name__ = getattr(fn, "__name__", "kernel")
    return kernel


def _sigmoid(a):
    # ATen's vectorized sigmoid: 1 / (1 + exp(-x)), the exponential rounded to the input's dtype
    e = _wide(np.exp)(-a)
    one = np.ones((), a.dtype)
    return one / (one + e)


EXP = _unary("exp", "ExpBackward0", _wide(np.exp), lambda c, g: g * c.result)
EXP2 = _unary("exp2", "Exp2Backward0", np.exp2, lambda c, g: g * c.result * math.log(2))
EXPM1 = _unary("expm1", "Expm1Backward0", _wide(np.expm1), lambda c, g: g * (c.result + 1))
LOG = _unary("log", "LogBackward0", _wide(np.log), lambda c, g: g / c.self)
LOG2 = _unary("log2", "Log2Backward0", _wide(np.log2), lambda c, g: g / (c.self * math.log(2)))
LOG10 = _unary("log10", "Log10Backward0", _wide(np.log10), lambda c, g: g / (c.self * math.log(10)))
LOG1P = _unary("log1p", "Log1PBackward0", _wide(np.log1p), lambda c, g: g / (c.self + 1))
SQRT = _unary("sqrt", "SqrtBackward0", np.sqrt, lambda c, g: g / (2 * c.result))
RSQRT = _unary("rsqrt", "RsqrtBackward0", lambda a: 1 / np.sqrt(a),
               lambda c, g: -0.5 * g * pow(c.result, 3))
SIN = _unary("sin", "SinBackward0", _wide(np.sin), lambda c, g: g * cos(c.self))
COS = _unary("cos", "CosBackward0", _wide(np.cos), lambda c, g: g * -sin(c.self))
TAN = _unary("tan", "TanBackward0", np.tan, lambda c, g: g * (1 + pow(c.result, 2)))
TANH = _unary("tanh", "TanhBackward0", _wide(np.tanh), lambda c, g: g * (1 - c.result * c.result))
SIGMOID = _unary("sigmoid", "SigmoidBackward0", _sigmoid, lambda c, g: g * (1 - c.result) * c.result)
ASIN = _unary("asin", "AsinBackward0", np.arcsin, lambda c, g: g * rsqrt(-c.self * c.self + 1))
ACOS = _unary("acos", "AcosBackward0", np.arccos, lambda c, g: -g * rsqrt(-c.self * c.self + 1))
ATAN = _unary("atan", "AtanBackward0", np.arctan, lambda c, g: g / (c.self * c.self + 1))
SINH = _unary("sinh", "SinhBackward0", np.sinh, lambda c, g: g * cosh(c.self))
COSH = _unary("cosh", "CoshBackward0", np.cosh, lambda c, g: g * sinh(c.self))
RECIPROCAL = _unary("reciprocal", "ReciprocalBackward0", lambda a: 1 / a,
                    lambda c, g: -g * (c.result * c.result))
NEG = _unary("neg", "NegBackward0", np.negative, lambda c, g: -g, promote="binary")
ABS = _unary("abs", "AbsBackward0", _guard("abs_cpu", "b", np.abs), lambda c, g: g * sign(c.self),
             promote="binary")
# derivatives.yaml: sign/floor/ceil/round/trunc give zeros_like(grad), which does not depend on grad
def _sign_kernel(a):
    if a.dtype.kind == "c":
        raise NotImplementedError("Unlike NumPy, torch.sign is not intended to support complex numbers. "
                                  "Please use torch.sgn instead.")
    return a.copy() if a.dtype == np.bool_ else np.sign(a)


SIGN = _unary("sign", "SignBackward0", _sign_kernel,
              lambda c, g: _zeros(g), promote="binary")


def _no_complex(name, fn):
    def kernel(a, *rest, **kw):
        if a.dtype.kind == "c":
            raise NotImplementedError(f"{name} is not supported for complex inputs")
        return fn(a, *rest, **kw)
    return kernel


def _relu_kernel(a):
    if a.dtype.kind == "c":
        raise NotImplementedError("clamp is not supported for complex types")
    return np.maximum(a, 0).astype(a.dtype) if a.dtype != np.bool_ else a.copy()


def _threshold_backward_kernel(g, result, threshold):
    return np.where(result <= threshold, np.zeros((), g.dtype), g)


# relu's derivative is threshold_backward(grad, result, 0): an op of its own, so double backward
# sees the dependence on result (with a zero derivative), as in PyTorch
THRESHOLD_BACKWARD = Op("threshold_backward", _threshold_backward_kernel, node="ThresholdBackwardBackward0",
                        inputs=("grad_output", "self"), promote=None,
                        grads={"grad_output": lambda c, g: THRESHOLD_BACKWARD(g, c.self,
                                                                              threshold=c.threshold),
                               "self": lambda c, g: _zeros(g)})
RELU = _unary("relu", "ReluBackward0", _relu_kernel,
              lambda c, g: THRESHOLD_BACKWARD(g, c.result, threshold=0), promote="binary")
FLOOR = _unary("floor", "FloorBackward0", _no_complex("floor", np.floor), lambda c, g: _zeros(g),
               promote="binary")
CEIL = _unary("ceil", "CeilBackward0", _no_complex("ceil", np.ceil), lambda c, g: _zeros(g), promote="binary")
ROUND = _unary("round", "RoundBackward0", _no_complex("round", np.round), lambda c, g: _zeros(g),
               promote="binary")
TRUNC = _unary("trunc", "TruncBackward0", _no_complex("trunc", np.trunc), lambda c, g: _zeros(g),
               promote="binary")
FRAC = _unary("frac", "FracBackward0", lambda a: a - np.trunc(a), lambda c, g: g, promote="binary")


def _make_unary(op):
    def fn(self):
        return op(self)
    fn.__name__ = op.name
    return fn


exp, exp2, expm1, log, log2, log10, log1p = map(_make_unary, (EXP, EXP2, EXPM1, LOG, LOG2, LOG10, LOG1P))
sqrt, rsqrt, sin, cos, tan, tanh, sigmoid = map(_make_unary, (SQRT, RSQRT, SIN, COS, TAN, TANH, SIGMOID))
asin, acos, atan, sinh, cosh = map(_make_unary, (ASIN, ACOS, ATAN, SINH, COSH))
reciprocal, abs, sign, relu = map(_make_unary, (RECIPROCAL, ABS, SIGN, RELU))
floor, ceil, trunc, frac = map(_make_unary, (FLOOR, CEIL, TRUNC, FRAC))


def neg(self):
    if self._dtype is dt.bool_:
        raise RuntimeError(NEG_BOOL)
    return NEG(self)


def neg_(self):
    if self._dtype is dt.bool_:
        raise RuntimeError(NEG_BOOL)
    return NEG.inplace(self)


def round(self, *, decimals=0):
    if decimals:
        return ROUND_DECIMALS(self, decimals=decimals)
    return ROUND(self)


ROUND_DECIMALS = Op("round", lambda a, decimals: np.round(a, decimals), node="RoundBackward1",
                    promote="binary", grads={"self": lambda c, g: _zeros(g)})

UNARY_INPLACE = {"exp": EXP, "log": LOG, "sqrt": SQRT, "rsqrt": RSQRT, "sin": SIN, "cos": COS,
                 "tan": TAN, "tanh": TANH, "sigmoid": SIGMOID, "reciprocal": RECIPROCAL,
                 "abs": ABS, "sign": SIGN, "relu": RELU, "floor": FLOOR, "ceil": CEIL,
                 "trunc": TRUNC, "frac": FRAC, "exp2": EXP2, "expm1": EXPM1, "log2": LOG2,
                 "log10": LOG10, "log1p": LOG1P, "asin": ASIN, "acos": ACOS, "atan": ATAN,
                 "sinh": SINH, "cosh": COSH}


# ---- clamp, min/max pointwise, where -----------------------------------------------------------
def _clamp_kernel(a, min=None, max=None):
    if a.dtype.kind == "c":
        raise NotImplementedError("clamp is not supported for complex types")
    out = a
    if min is not None:
        out = np.maximum(out, np.asarray(min, a.dtype))
    if max is not None:
        out = np.minimum(out, np.asarray(max, a.dtype))
    return np.where(np.isnan(a), a, out) if a.dtype.kind == "f" else out


def _clamp_mask(self, min, max):
    mask = None
    if min is not None:
        mask = self >= min
    if max is not None:
        m = self <= max
        mask = m if mask is None else mask & m
    return mask


CLAMP = Op("clamp", _clamp_kernel, node="ClampBackward1", promote=None,
           grads={"self": lambda c, g: where(_clamp_mask(c.self, c.min, c.max), g, 0.0)})
CLAMP_MIN = Op("clamp_min", lambda a, min: _clamp_kernel(a, min=min), node="ClampMinBackward0",
               promote=None, grads={"self": lambda c, g: where(c.self >= c.min, g, 0.0)})
CLAMP_MAX = Op("clamp_max", lambda a, max: _clamp_kernel(a, max=max), node="ClampMaxBackward0",
               promote=None, grads={"self": lambda c, g: where(c.self <= c.max, g, 0.0)})


def _clamp_tensor_kernel(a, lo, hi, has_min, has_max):
    if a.dtype.kind == "c":
        raise NotImplementedError("clamp is not supported for complex types")
    out = a
    if has_min:
        out = np.maximum(out, lo)
    if has_max:
        out = np.minimum(out, hi)
    return out


def _undefined(like: Tensor) -> Tensor:
    """Stands for an absent (undefined) tensor bound: a 0-d tensor of self's dtype that requires no
    grad, so its edge is (None, 0) and it does not change the result type; `has_min`/`has_max`
    tell the kernel and formulas to ignore it."""
    return Tensor._make(np.zeros((), like._data.dtype))


def _clamp_min_grad(g, self, min, max):
    # FunctionsManual clamp_backward_min_max
    if max is None:
        return where(self < min, g, 0.0)
    return where((self < min) & (min < max), g, 0.0)


def _clamp_max_grad(g, self, min, max):
    if min is None:
        return where(self > max, g, 0.0)
    return where((self > max) | (max < min), g, 0.0)


def _clamp_self_grad(g, self, min, max):
    return where(_clamp_mask(self, min, max), g, 0.0)


# clamp.Tensor: an absent bound is an undefined tensor, so it has a (None, 0) edge and no saved value
CLAMP_T = Op("clamp", _clamp_tensor_kernel, node="ClampBackward0",
             inputs=("self", "min", "max"),
             grads={"self": lambda c, g: _clamp_self_grad(g, c.self, *_bounds(c, c.min, c.max)),
                    "min": lambda c, g: _clamp_min_grad(g, c.self, *_bounds(c, c.min, c.max)),
                    "max": lambda c, g: _clamp_max_grad(g, c.self, *_bounds(c, c.min, c.max))})


def _bounds(c, min, max):
    return (min if c.has_min else None), (max if c.has_max else None)


def _clamp_t(self, min, max, inplace=False):
    lo = min if min is not None else _undefined(self)
    hi = max if max is not None else _undefined(self)
    flags = {"has_min": min is not None, "has_max": max is not None}
    if inplace:
        return inplace_pointwise(CLAMP_T, self, lo, hi, **flags)
    return CLAMP_T(self, lo, hi, **flags)
CLAMP_MIN_T = Op("clamp_min", lambda a, lo: np.maximum(a, lo), node="ClampMinBackward1",
                 inputs=("self", "min"),
                 grads={"self": lambda c, g: where(c.self >= c.min, g, 0.0),
                        "min": lambda c, g: where(c.self < c.min, g, 0.0)})
CLAMP_MAX_T = Op("clamp_max", lambda a, hi: np.minimum(a, hi), node="ClampMaxBackward1",
                 inputs=("self", "max"),
                 grads={"self": lambda c, g: where(c.self <= c.max, g, 0.0),
                        "max": lambda c, g: where(c.self > c.max, g, 0.0)})


def _type_names(args, kwargs) -> str:
    def name(v):
        return "Tensor" if isinstance(v, Tensor) else type(v).__name__
    parts = [name(a) for a in args] + [f"{k}={name(v)}" for k, v in sorted(kwargs.items())]
    return ", ".join(parts) + (", " if kwargs and not args else "")


def _clamp_type_error(fname: str, method: bool, args, kwargs) -> TypeError:
    """The Python arg parser's message for clamp with one Tensor and one Number bound."""
    got = _type_names(args, kwargs)
    if not method:
        return TypeError(
            f"{fname}() received an invalid combination of arguments - got ({got}), but expected one of:\n"
            " * (Tensor input, Tensor min = None, Tensor max = None, *, Tensor out = None)\n"
            " * (Tensor input, Number min = None, Number max = None, *, Tensor out = None)\n")
    if kwargs:
        why = "some of the keywords were incorrect: " + ", ".join(sorted(kwargs))
    else:
        why = "some of the arguments have invalid types: (" + ", ".join(
            f"!{'Tensor' if isinstance(a, Tensor) else type(a).__name__}!" for a in args) + ")"
    return TypeError(
        f"{fname}() received an invalid combination of arguments - got ({got}), but expected one of:\n"
        f" * (Tensor min = None, Tensor max = None)\n      didn't match because {why}\n"
        f" * (Number min = None, Number max = None)\n      didn't match because {why}\n")


def _clamp_args(self, min, max, fname, method, args, kwargs) -> bool:
    """Validates the bounds; True for the Tensor overload."""
    tensors = [isinstance(v, Tensor) for v in (min, max) if v is not None]
    if any(tensors) and not all(tensors):
        if method:
            raise _clamp_type_error(fname, True, args, kwargs)
        raise _clamp_type_error(fname, False, (self,) + tuple(args), kwargs)
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    return any(tensors)


def _split_bounds(args, kwargs):
    bounds = dict(zip(("min", "max"), args))
    bounds.update(kwargs)
    return bounds.get("min"), bounds.get("max")


def _clamp(self, fname, method, args, kwargs):
    min, max = _split_bounds(args, kwargs)
    if _clamp_args(self, min, max, fname, method, args, kwargs):
        return _clamp_t(self, min, max)
    return CLAMP(_scalar_promote(self, min, max), min=min, max=max)


def clamp(self, *args, **kwargs):
    return _clamp(self, "clamp", False, args, kwargs)


def clip(self, *args, **kwargs):
    return _clamp(self, "clip", False, args, kwargs)


def clamp_method(self, *args, **kwargs):
    return _clamp(self, "clamp", True, args, kwargs)


def clip_method(self, *args, **kwargs):
    return _clamp(self, "clip", True, args, kwargs)


def _check_scalar_cast(self, *vals, cpp_name: bool = False):
    """In-place op with Python-scalar operands (Scalar overloads): the result type must cast to
    self (E55). clamp_'s overloads phrase it with the C++ type name ("long int")."""
    from .dispatch import can_cast
    d = dt.result_type(self, *[v for v in vals if v is not None])
    if not can_cast(d, self._dtype):
        expected = self._dtype.cpp_name if cpp_name else self._dtype.short_name
        raise RuntimeError(messages.CAST_RESULT.format(got=d.short_name, expected=expected))
    return self


def clamp_(self, *args, fname="clamp_", **kwargs):
    min, max = _split_bounds(args, kwargs)
    if _clamp_args(self, min, max, fname, True, args, kwargs):
        return _clamp_t(self, min, max, inplace=True)
    return CLAMP.inplace(_check_scalar_cast(self, min, max, cpp_name=True), min=min, max=max)


def clip_(self, *args, **kwargs):
    return clamp_(self, *args, fname="clip_", **kwargs)


def clamp_min(self, min):
    if isinstance(min, Tensor):
        return CLAMP_MIN_T(self, min)
    return CLAMP_MIN(_scalar_promote(self, min), min=min)


def clamp_max(self, max):
    if isinstance(max, Tensor):
        return CLAMP_MAX_T(self, max)
    return CLAMP_MAX(_scalar_promote(self, max), max=max)


def clamp_min_(self, min):
    if isinstance(min, Tensor):
        return inplace_pointwise(CLAMP_MIN_T, self, min)
    return CLAMP_MIN.inplace(_check_scalar_cast(self, min, cpp_name=True), min=min)


def clamp_max_(self, max):
    if isinstance(max, Tensor):
        return inplace_pointwise(CLAMP_MAX_T, self, max)
    return CLAMP_MAX.inplace(_check_scalar_cast(self, max, cpp_name=True), max=max)


def _scalar_promote(self, *vals):
    d = dt.result_type(self, *[v for v in vals if v is not None])
    return self if d is self._dtype else self.to(d)


def _minmax_grad(g, self, other, drop):
    # derivatives.yaml maximum/minimum: where(self == other, grad / 2, grad).masked_fill_(drop, 0)
    return where(self == other, g / 2, g).masked_fill(drop, 0)


def _real_only(name, fn):
    def kernel(a, b):
        if a.dtype.kind == "c":
            raise RuntimeError(f"{name} not implemented for complex tensors.")
        return fn(a, b)
    return kernel


MAXIMUM = Op("maximum", _real_only("maximum", np.maximum), node="MaximumBackward0", inputs=("self", "other"),
             grads={"self": lambda c, g: _minmax_grad(g, c.self, c.other, c.self < c.other),
                    "other": lambda c, g: _minmax_grad(g, c.self, c.other, c.self > c.other)})
MINIMUM = Op("minimum", _real_only("minimum", np.minimum), node="MinimumBackward0", inputs=("self", "other"),
             grads={"self": lambda c, g: _minmax_grad(g, c.self, c.other, c.self > c.other),
                    "other": lambda c, g: _minmax_grad(g, c.self, c.other, c.self < c.other)})


def _tensor_arg(fname, value, position, argname="other"):
    if not isinstance(value, Tensor):
        raise TypeError(f"{fname}(): argument '{argname}' (position {position}) must be Tensor, "
                        f"not {type(value).__name__}")


def maximum(self, other):
    _tensor_arg("maximum", other, 2)
    return MAXIMUM(self, other)


def minimum(self, other):
    _tensor_arg("minimum", other, 2)
    return MINIMUM(self, other)


def maximum_method(self, other):
    _tensor_arg("maximum", other, 1)
    return MAXIMUM(self, other)


def minimum_method(self, other):
    _tensor_arg("minimum", other, 1)
    return MINIMUM(self, other)


def _where_kernel(a, b, condition, dtype):
    return np.where(condition, a, b).astype(dtype.np, copy=False)


# where(condition, self, other): condition is saved but is not an input edge (next_functions has
# self and other only); the result type is computed inside the op, without ToCopy nodes
WHERE = Op("where", _where_kernel, node="WhereBackward0", inputs=("self", "other", "condition"),
           promote=None,
           grads={"self": lambda c, g: where(c.condition, g, 0.0),
                  "other": lambda c, g: where(c.condition, 0.0, g)})


def where(condition, input=None, other=None):
    if input is None and other is None:
        from .indexing import nonzero
        return nonzero(condition, as_tuple=True)
    a, b = wrap_scalar(input), wrap_scalar(other)
    if condition._dtype is not dt.bool_:
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor "
                           f"with dtype {condition._dtype.short_name}")
    from .dispatch import _check_broadcast
    try:
        np.broadcast_shapes(condition._data.shape, a._data.shape, b._data.shape)
    except ValueError:
        _check_broadcast([condition._data, a._data, b._data])
    out = WHERE(a, b, condition, dtype=dt.result_type(a, b))
    fn = out._grad_fn
    if fn is not None:
        fn.next_functions = fn.next_functions[:2]
    return out


def where_method(self, condition, other):
    return where(condition, self, other)


# ---- copies --------------------------------------------------------------------------------
CLONE = Op("clone", lambda a, order: np.array(a, copy=True, order=order), node="CloneBackward0",
           promote=None, grads={"self": lambda c, g: g})


def clone(self, *, memory_format=None):
    # preserve_format keeps a dense layout (numpy's order "K"); contiguous_format is C order
    from .._autograd.views import _non_overlapping_and_dense
    # preserve_format keeps only a non-overlapping dense layout (empty_like); else contiguous
    return CLONE(self, order="C" if memory_format is not None and str(memory_format) ==
                 "torch.contiguous_format" or not _non_overlapping_and_dense(self._data) else "K")


COMPLEX_TO_REAL = "Casting complex values to real discards the imaginary part"


def _warn_at_user(message: str) -> None:
    """A UserWarning attributed to the first caller outside numtorch (as a C++ warning is)."""
    import os
    import sys
    import warnings
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    frame, level = sys._getframe(1), 2
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(package):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, UserWarning, stacklevel=level)
_WARNED_COMPLEX_TO_REAL: list = []


def _cast(a: np.ndarray, np_dtype, copy: bool = True) -> np.ndarray:
    """astype with ATen's complex -> real rule: the real part (bool: nonzero), and a UserWarning
    once per process (TORCH_WARN_ONCE in Copy.cpp) instead of numpy's ComplexWarning."""
    np_dtype = np.dtype(np_dtype)
    if a.dtype.kind == "c" and np_dtype.kind != "c":
        if not _WARNED_COMPLEX_TO_REAL:
            _WARNED_COMPLEX_TO_REAL.append(True)
            _warn_at_user(COMPLEX_TO_REAL)
        return (a != 0) if np_dtype == np.bool_ else a.real.astype(np_dtype)
    return a.astype(np_dtype, copy=copy)


def _to_kernel(a, dtype):
    return _cast(a, dtype.np)


TO_COPY = Op("_to_copy", _to_kernel, node="ToCopyBackward0", promote=None,
             grads={"self": lambda c, g: g.to(c.self_dtype)})


def to_dtype(self, dtype, copy=False):
    if dtype is self._dtype and not copy:
        return self
    if dtype is self._dtype:
        return clone(self)
    out = TO_COPY(self, dtype=dtype)
    fn = out._grad_fn
    if fn is not None:
        fn._attrs["self_dtype"] = self._dtype
    if not dtype.category >= 2 and out._requires_grad:
        out._requires_grad = False
        out._grad_fn = None
    return out


COPY = Op("copy_", lambda dst, src, src_dtype: np.broadcast_to(_cast(src, dst.dtype, copy=False), dst.shape),
          node="CopyBackwards", inputs=("self", "src"), promote=None,
          grads={"self": lambda c, g: _zeros(g), "src": lambda c, g: g.to(c.src_dtype)})


COPY_SAME = _copy_module.copy(COPY)
COPY_SAME.overlap = (False, False)


def copy_(self, src, non_blocking=False):
    src = wrap_scalar(src)
    if src is self:  # torch's copy_ returns at once for the same tensor: no overlap checks
        (COPY_SAME if self._dtype.category >= 2 else COPY).inplace(self, src, src_dtype=src._dtype)
        return self
    if self._dtype.category >= 2:
        inplace_pointwise(COPY, self, src, src_dtype=src._dtype)
        return self
    # an integer/bool destination cannot require grad: the copy is not recorded
    from .._core.state import STATE
    prev, STATE.grad_enabled = STATE.grad_enabled, False
    try:
        inplace_pointwise(COPY, self, src, src_dtype=src._dtype)
    finally:
        STATE.grad_enabled = prev
    return self


# ---- comparisons and logical ops -------------------------------------------------------------
def _cmp(name, fn):
    op = Op(name, fn, inputs=("self", "other"), nondifferentiable=True)

    def call(self, other):
        return op(self, other)
    call.__name__ = name
    return call, op


eq, EQ = _cmp("eq", np.equal)
ne, NE = _cmp("ne", np.not_equal)
lt, LT = _cmp("lt", _guard("lt_cpu", "c", np.less))
le, LE = _cmp("le", _guard("le_cpu", "c", np.less_equal))
gt, GT = _cmp("gt", _guard("gt_cpu", "c", np.greater))
ge, GE = _cmp("ge", _guard("ge_cpu", "c", np.greater_equal))
logical_and, LOGICAL_AND = _cmp("logical_and", np.logical_and)
logical_or, LOGICAL_OR = _cmp("logical_or", np.logical_or)
logical_xor, LOGICAL_XOR = _cmp("logical_xor", np.logical_xor)


def _zeros_of(g, shape):
    from .creation import zeros
    return zeros(shape, dtype=g.dtype)


def _cmp_inplace(name, fn):
    """eq_ & co: the comparison written into self's dtype. derivatives.yaml gives zeros_like for
    both operands, saving nothing; a Python scalar other (the .Scalar overload) has no edge."""
    title = name.capitalize()
    scalar_op = Op(name + "_", lambda a, other: fn(a, other), node=f"{title}Backward0", promote=None,
                   grads={"self": lambda c, g: _zeros(g)})
    tensor_op = Op(name + "_", fn, node=f"{title}Backward1", inputs=("self", "other"),
                   grads={"self": lambda c, g: _zeros(g), "other": lambda c, g: _zeros_of(g, c.shapes[1])})

    def method(self, other):
        if isinstance(other, Tensor):
            return inplace_pointwise(tensor_op, self, other)
        return scalar_op.inplace(self, other=other)
    method.__name__ = name + "_"
    return method


eq_, ne_, lt_, le_, gt_, ge_ = (_cmp_inplace(n, f) for n, f in (
    ("eq", np.equal), ("ne", np.not_equal), ("lt", np.less), ("le", np.less_equal),
    ("gt", np.greater), ("ge", np.greater_equal)))


def _logical_inplace(name, op):
    """logical_and_ & co are not differentiable: self's history is left as it is (PyTorch)."""
    def method(self, other):
        _tensor_arg(name + "_", other, 1)
        return inplace_pointwise(op, self, other)
    method.__name__ = name + "_"
    return method


logical_and_ = _logical_inplace("logical_and", LOGICAL_AND)
logical_or_ = _logical_inplace("logical_or", LOGICAL_OR)
logical_xor_ = _logical_inplace("logical_xor", LOGICAL_XOR)


def _bitwise(name, fn):
    op = Op(name, fn, inputs=("self", "other"), nondifferentiable=True)

    def call(self, other):
        d = dt.result_type(self, wrap_scalar(other))
        if d.category >= 2:
            raise NotImplementedError(f'"{name}_cpu" not implemented for \'{d.short_name}\'')
        return op(self, other)
    call.__name__ = name
    return call, op


bitwise_and, AND = _bitwise("bitwise_and", np.bitwise_and)
bitwise_or, OR = _bitwise("bitwise_or", np.bitwise_or)
bitwise_xor, XOR = _bitwise("bitwise_xor", np.bitwise_xor)
_NOT = Op("logical_not", np.logical_not, promote=None, nondifferentiable=True)
_BNOT = Op("bitwise_not", lambda a: np.logical_not(a) if a.dtype == np.bool_ else np.invert(a),
           promote=None, nondifferentiable=True)


def logical_not(self):
    return _NOT(self)


def logical_not_(self):
    return _NOT.inplace(self)


def bitwise_not(self):
    if self._dtype.category >= 2:
        raise RuntimeError("\"bitwise_not_cpu\" not implemented for 'Float'")
    return _BNOT(self)


_ISNAN = Op("isnan", np.isnan, promote=None, nondifferentiable=True)
_ISINF = Op("isinf", np.isinf, promote=None, nondifferentiable=True)
_ISFINITE = Op("isfinite", np.isfinite, promote=None, nondifferentiable=True)


def isnan(self):
    return _ISNAN(self)


def isinf(self):
    return _ISINF(self)


def isfinite(self):
    return _ISFINITE(self)


def full_like(self, value, dtype=None):
    from .creation import full_like as _fl
    return _fl(self, value, dtype=dtype)
