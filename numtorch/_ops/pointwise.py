"""Pointwise ops: arithmetic, unary math, activations, comparisons and logical ops.

Node names and formulas follow derivatives.yaml; a Python scalar operand is a wrapped 0-d tensor
(one next_functions entry) except where PyTorch takes a Scalar (pow, rsub)."""
from __future__ import annotations

import math

import numpy as np

from .._core import dtypes as dt
from .._core import messages
from .dispatch import Op, wrap_scalar
from .._tensor import Tensor


def _np_err(fn):
    def k(*a, **kw):
        with np.errstate(all="ignore"):
            return fn(*a, **kw)
    k.__name__ = fn.__name__
    return k


# ---- arithmetic ----------------------------------------------------------------------------
def _scaled(g, alpha):
    return g if alpha == 1 else g * alpha


ADD = Op("add", _np_err(lambda a, b, alpha=1: a + b if alpha == 1 else a + b * np.asarray(alpha, a.dtype)),
         node="AddBackward0", inputs=("self", "other"),
         grads={"self": lambda c, g: g, "other": lambda c, g: _scaled(g, c.alpha)})
SUB = Op("sub", _np_err(lambda a, b, alpha=1: a - b if alpha == 1 else a - b * np.asarray(alpha, a.dtype)),
         node="SubBackward0", inputs=("self", "other"),
         grads={"self": lambda c, g: g, "other": lambda c, g: _scaled(-g, c.alpha)})
RSUB = Op("rsub", _np_err(lambda a, other, alpha=1: np.asarray(other, a.dtype) - a * alpha),
          node="RsubBackward1", promote=None,
          grads={"self": lambda c, g: _scaled(-g, c.alpha)})
MUL = Op("mul", _np_err(np.multiply), node="MulBackward0", inputs=("self", "other"),
         grads={"self": lambda c, g: g * c.other, "other": lambda c, g: g * c.self})
DIV = Op("div", _np_err(np.true_divide), node="DivBackward0", inputs=("self", "other"), promote="float",
         grads={"self": lambda c, g: g / c.other,
                "other": lambda c, g: -g * ((c.self / c.other) / c.other)})


def _floor_div_kernel(a, b):
    if a.dtype.kind in "iub" and np.any(b == 0):
        raise RuntimeError("ZeroDivisionError")
    return np.floor_divide(a, b)


DIV_FLOOR = Op("div_floor", _np_err(lambda a, b: np.floor(np.true_divide(a, b)).astype(a.dtype)
                                    if a.dtype.kind in "fc" else _floor_div_kernel(a, b)),
               node="DivBackward1", inputs=("self", "other"),
               grads={"self": lambda c, g: g * 0, "other": lambda c, g: g * 0})
DIV_TRUNC = Op("div_trunc", _np_err(lambda a, b: np.trunc(np.true_divide(a, b)).astype(a.dtype)
                                    if a.dtype.kind in "fc" else (np.sign(a) * np.sign(b) * (np.abs(a) // np.abs(b))).astype(a.dtype)),
               node="DivBackward1", inputs=("self", "other"),
               grads={"self": lambda c, g: g * 0, "other": lambda c, g: g * 0})
FLOOR_DIVIDE = Op("floor_divide", _np_err(lambda a, b: np.floor(np.true_divide(a, b)).astype(a.dtype)
                                          if a.dtype.kind in "fc" else _floor_div_kernel(a, b)),
                  inputs=("self", "other"), nondifferentiable=True)
REMAINDER = Op("remainder", _np_err(np.remainder), node="RemainderBackward0", inputs=("self", "other"),
               grads={"self": lambda c, g: g,
                      "other": lambda c, g: -g * div(c.self, c.other, rounding_mode="floor")})
FMOD = Op("fmod", _np_err(np.fmod), node="FmodBackward0", inputs=("self", "other"),
          grads={"self": lambda c, g: g,
                 "other": lambda c, g: -g * div(c.self, c.other, rounding_mode="trunc")})


def add(self, other, *, alpha=1, out=None):
    if out is not None:
        return _out("add", ADD, out, self, other, alpha=alpha)
    return ADD(self, other, alpha=alpha)


def sub(self, other, *, alpha=1, out=None):
    if out is not None:
        return _out("sub", SUB, out, self, other, alpha=alpha)
    return SUB(self, other, alpha=alpha)


def rsub(self, other, *, alpha=1):
    if isinstance(other, Tensor):
        return SUB(other, self, alpha=alpha)
    return RSUB(self, other=other, alpha=alpha)


def mul(self, other, *, out=None):
    if out is not None:
        return _out("mul", MUL, out, self, other)
    return MUL(self, other)


def div(self, other, *, rounding_mode=None, out=None):
    op = {None: DIV, "floor": DIV_FLOOR, "trunc": DIV_TRUNC}[rounding_mode]
    if out is not None:
        return _out("div", op, out, self, other)
    return op(self, other)


def rdiv(self, other):  # other / self with other a scalar: torch computes reciprocal() * other
    return mul(reciprocal(self), other)


def floor_divide(self, other):
    return FLOOR_DIVIDE(self, other)


def remainder(self, other):
    return REMAINDER(self, other)


def fmod(self, other):
    return FMOD(self, other)


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


def _pow_backward_self(g, self, exponent):
    if isinstance(exponent, Tensor):
        return where(exponent == 0, 0.0, g * exponent * pow(self, exponent - 1))
    if exponent == 0:
        return g * 0
    return g * exponent * pow(self, exponent - 1)


def _pow_backward_exponent(g, self, exponent, result):
    cond = (self == 0) & (exponent >= 0)
    return where(cond, 0.0, g * result * log(self))


POW_SCALAR = Op("pow", _np_err(lambda a, exponent: _pow_kernel(a, np.asarray(exponent, a.dtype))),
                node="PowBackward0", promote=None,
                grads={"self": lambda c, g: _pow_backward_self(g, c.self, c.exponent)})
POW_TENSOR = Op("pow", _np_err(_pow_kernel), node="PowBackward1", inputs=("self", "exponent"),
                grads={"self": lambda c, g: _pow_backward_self(g, c.self, c.exponent),
                       "exponent": lambda c, g: _pow_backward_exponent(g, c.self, c.exponent, c.result)})
POW_BASE = Op("pow", _np_err(lambda e, base: np.power(np.asarray(base, e.dtype), e)),
              node="PowBackward2", inputs=("exponent",), promote=None,
              grads={"exponent": lambda c, g: _pow_backward_exponent(
                  g, full_like(c.exponent, c.base), c.exponent, c.result)})


def pow(self, exponent):
    if isinstance(self, Tensor):
        if isinstance(exponent, Tensor):
            return POW_TENSOR(self, exponent)
        d = dt.result_type(self, exponent)
        if d is not self._dtype:
            self = self.to(d)
        return POW_SCALAR(self, exponent=exponent)
    d = dt.result_type(self, exponent)
    if d is not exponent._dtype:
        exponent = exponent.to(d)
    return POW_BASE(exponent, base=self)


def square(self):
    return pow(self, 2)


# ---- unary float ops -------------------------------------------------------------------------
def _unary(name, node, kernel, formula, promote="float"):
    return Op(name, _np_err(kernel), node=node, promote=promote, grads={"self": formula})


def _sigmoid(a):
    out = np.empty_like(a)
    pos = a >= 0
    e = np.exp(-np.abs(a))
    out[pos] = 1 / (1 + e[pos])
    out[~pos] = e[~pos] / (1 + e[~pos])
    return out


EXP = _unary("exp", "ExpBackward0", np.exp, lambda c, g: g * c.result)
EXP2 = _unary("exp2", "Exp2Backward0", np.exp2, lambda c, g: g * c.result * math.log(2))
EXPM1 = _unary("expm1", "Expm1Backward0", np.expm1, lambda c, g: g * (c.result + 1))
LOG = _unary("log", "LogBackward0", np.log, lambda c, g: g / c.self)
LOG2 = _unary("log2", "Log2Backward0", np.log2, lambda c, g: g / (c.self * math.log(2)))
LOG10 = _unary("log10", "Log10Backward0", np.log10, lambda c, g: g / (c.self * math.log(10)))
LOG1P = _unary("log1p", "Log1PBackward0", np.log1p, lambda c, g: g / (c.self + 1))
SQRT = _unary("sqrt", "SqrtBackward0", np.sqrt, lambda c, g: g / (2 * c.result))
RSQRT = _unary("rsqrt", "RsqrtBackward0", lambda a: 1 / np.sqrt(a),
               lambda c, g: -0.5 * g * pow(c.result, 3))
SIN = _unary("sin", "SinBackward0", np.sin, lambda c, g: g * cos(c.self))
COS = _unary("cos", "CosBackward0", np.cos, lambda c, g: g * -sin(c.self))
TAN = _unary("tan", "TanBackward0", np.tan, lambda c, g: g * (1 + c.result * c.result))
TANH = _unary("tanh", "TanhBackward0", np.tanh, lambda c, g: g * (1 - c.result * c.result))
SIGMOID = _unary("sigmoid", "SigmoidBackward0", _sigmoid, lambda c, g: g * (1 - c.result) * c.result)
ASIN = _unary("asin", "AsinBackward0", np.arcsin, lambda c, g: g * rsqrt(-c.self * c.self + 1))
ACOS = _unary("acos", "AcosBackward0", np.arccos, lambda c, g: -g * rsqrt(-c.self * c.self + 1))
ATAN = _unary("atan", "AtanBackward0", np.arctan, lambda c, g: g / (c.self * c.self + 1))
SINH = _unary("sinh", "SinhBackward0", np.sinh, lambda c, g: g * cosh(c.self))
COSH = _unary("cosh", "CoshBackward0", np.cosh, lambda c, g: g * sinh(c.self))
RECIPROCAL = _unary("reciprocal", "ReciprocalBackward0", lambda a: 1 / a,
                    lambda c, g: -g * (c.result * c.result))
NEG = _unary("neg", "NegBackward0", np.negative, lambda c, g: -g, promote="binary")
ABS = _unary("abs", "AbsBackward0", np.abs, lambda c, g: g * sign(c.self), promote="binary")
SIGN = _unary("sign", "SignBackward0", np.sign, lambda c, g: g * 0, promote="binary")
RELU = _unary("relu", "ReluBackward0", lambda a: np.maximum(a, 0).astype(a.dtype),
              lambda c, g: g * (c.result > 0), promote="binary")
FLOOR = _unary("floor", "FloorBackward0", np.floor, lambda c, g: g * 0, promote="binary")
CEIL = _unary("ceil", "CeilBackward0", np.ceil, lambda c, g: g * 0, promote="binary")
ROUND = _unary("round", "RoundBackward0", np.round, lambda c, g: g * 0, promote="binary")
TRUNC = _unary("trunc", "TruncBackward0", np.trunc, lambda c, g: g * 0, promote="binary")
FRAC = _unary("frac", "FracBackward0", lambda a: a - np.trunc(a), lambda c, g: g, promote="binary")


def _make_unary(op):
    def fn(self):
        return op(self)
    fn.__name__ = op.name
    return fn


exp, exp2, expm1, log, log2, log10, log1p = map(_make_unary, (EXP, EXP2, EXPM1, LOG, LOG2, LOG10, LOG1P))
sqrt, rsqrt, sin, cos, tan, tanh, sigmoid = map(_make_unary, (SQRT, RSQRT, SIN, COS, TAN, TANH, SIGMOID))
asin, acos, atan, sinh, cosh = map(_make_unary, (ASIN, ACOS, ATAN, SINH, COSH))
reciprocal, neg, abs, sign, relu = map(_make_unary, (RECIPROCAL, NEG, ABS, SIGN, RELU))
floor, ceil, trunc, frac = map(_make_unary, (FLOOR, CEIL, TRUNC, FRAC))


def round(self, *, decimals=0):
    if decimals:
        return ROUND_DECIMALS(self, decimals=decimals)
    return ROUND(self)


ROUND_DECIMALS = Op("round", _np_err(lambda a, decimals: np.round(a, decimals)), node="RoundBackward1",
                    promote="binary", grads={"self": lambda c, g: g * 0})

UNARY_INPLACE = {"exp": EXP, "log": LOG, "sqrt": SQRT, "rsqrt": RSQRT, "sin": SIN, "cos": COS,
                 "tan": TAN, "tanh": TANH, "sigmoid": SIGMOID, "reciprocal": RECIPROCAL,
                 "neg": NEG, "abs": ABS, "sign": SIGN, "relu": RELU, "floor": FLOOR, "ceil": CEIL,
                 "trunc": TRUNC, "frac": FRAC, "exp2": EXP2, "expm1": EXPM1, "log2": LOG2,
                 "log10": LOG10, "log1p": LOG1P, "asin": ASIN, "acos": ACOS, "atan": ATAN,
                 "sinh": SINH, "cosh": COSH}


# ---- clamp, min/max pointwise, where -----------------------------------------------------------
def _clamp_kernel(a, min=None, max=None):
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


CLAMP = Op("clamp", _np_err(_clamp_kernel), node="ClampBackward1", promote=None,
           grads={"self": lambda c, g: where(_clamp_mask(c.self, c.min, c.max), g, 0.0)})
CLAMP_MIN = Op("clamp_min", _np_err(lambda a, min: _clamp_kernel(a, min=min)), node="ClampMinBackward0",
               promote=None, grads={"self": lambda c, g: where(c.self >= c.min, g, 0.0)})
CLAMP_MAX = Op("clamp_max", _np_err(lambda a, max: _clamp_kernel(a, max=max)), node="ClampMaxBackward0",
               promote=None, grads={"self": lambda c, g: where(c.self <= c.max, g, 0.0)})


def _clamp_tensor_kernel(a, lo, hi):
    out = np.minimum(np.maximum(a, lo), hi)
    return out


CLAMP_T = Op("clamp", _np_err(_clamp_tensor_kernel), node="ClampBackward0", inputs=("self", "min", "max"),
             grads={"self": lambda c, g: where((c.self >= c.min) & (c.self <= c.max), g, 0.0),
                    "min": lambda c, g: where(c.self < c.min, g, 0.0),
                    "max": lambda c, g: where(c.self > c.max, g, 0.0)})


def _scalar_promote(self, *vals):
    d = dt.result_type(self, *[v for v in vals if v is not None])
    return self if d is self._dtype else self.to(d)


def clamp(self, min=None, max=None):
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        lo = min if min is not None else full_like(self, -math.inf)
        hi = max if max is not None else full_like(self, math.inf)
        return CLAMP_T(self, lo, hi)
    return CLAMP(_scalar_promote(self, min, max), min=min, max=max)


def clamp_min(self, min):
    if isinstance(min, Tensor):
        return clamp(self, min=min)
    return CLAMP_MIN(_scalar_promote(self, min), min=min)


def clamp_max(self, max):
    if isinstance(max, Tensor):
        return clamp(self, max=max)
    return CLAMP_MAX(_scalar_promote(self, max), max=max)


def _minmax_grad(g, self, other, keep):
    # ties split the gradient evenly, as derivatives.yaml's maximum/minimum
    return where(self == other, g / 2, where(keep, g, 0.0))


MAXIMUM = Op("maximum", _np_err(np.maximum), node="MaximumBackward0", inputs=("self", "other"),
             grads={"self": lambda c, g: _minmax_grad(g, c.self, c.other, c.self > c.other),
                    "other": lambda c, g: _minmax_grad(g, c.self, c.other, c.self < c.other)})
MINIMUM = Op("minimum", _np_err(np.minimum), node="MinimumBackward0", inputs=("self", "other"),
             grads={"self": lambda c, g: _minmax_grad(g, c.self, c.other, c.self < c.other),
                    "other": lambda c, g: _minmax_grad(g, c.self, c.other, c.self > c.other)})


def maximum(self, other):
    return MAXIMUM(self, other)


def minimum(self, other):
    return MINIMUM(self, other)


def _where_kernel(cond, a, b):
    d = np.result_type(a, b)
    return np.where(cond, a, b).astype(d, copy=False)


WHERE = Op("where", _where_kernel, node="WhereBackward0", inputs=("condition", "self", "other"),
           promote=None,
           grads={"self": lambda c, g: where(c.condition, g, 0.0),
                  "other": lambda c, g: where(c.condition, 0.0, g)})


def where(condition, input=None, other=None):
    if input is None and other is None:
        from .indexing import nonzero
        return nonzero(condition, as_tuple=True)
    a, b = wrap_scalar(input), wrap_scalar(other)
    d = dt.result_type(a, b)
    if a._dtype is not d:
        a = a.to(d)
    if b._dtype is not d:
        b = b.to(d)
    if condition._dtype is not dt.bool_:
        if condition._dtype is not dt.uint8:
            raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor "
                               f"with dtype {condition._dtype.short_name}")
    return WHERE(condition, a, b)


# ---- copies --------------------------------------------------------------------------------
CLONE = Op("clone", lambda a, order: np.array(a, copy=True, order=order), node="CloneBackward0",
           promote=None, grads={"self": lambda c, g: g})


def clone(self, *, memory_format=None):
    # preserve_format keeps a dense layout (numpy's order "K"); contiguous_format is C order
    return CLONE(self, order="C" if memory_format is not None and str(memory_format) ==
                 "torch.contiguous_format" else "K")


def _to_kernel(a, dtype):
    return a.astype(dtype.np, copy=True)


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


COPY = Op("copy_", lambda dst, src, src_dtype: np.broadcast_to(src.astype(dst.dtype, copy=False), dst.shape),
          node="CopyBackwards", inputs=("self", "src"), promote=None,
          grads={"self": lambda c, g: g * 0, "src": lambda c, g: g.to(c.src_dtype)})


def copy_(self, src, non_blocking=False):
    src = wrap_scalar(src)
    COPY.inplace(self, src, src_dtype=src._dtype)
    return self


# ---- comparisons and logical ops (no gradient) ------------------------------------------------
def _cmp(name, fn):
    op = Op(name, fn, inputs=("self", "other"), nondifferentiable=True)

    def call(self, other):
        return op(self, other)
    call.__name__ = name
    return call, op


eq, EQ = _cmp("eq", np.equal)
ne, NE = _cmp("ne", np.not_equal)
lt, LT = _cmp("lt", np.less)
le, LE = _cmp("le", np.less_equal)
gt, GT = _cmp("gt", np.greater)
ge, GE = _cmp("ge", np.greater_equal)
logical_and, _ = _cmp("logical_and", np.logical_and)
logical_or, _ = _cmp("logical_or", np.logical_or)
logical_xor, _ = _cmp("logical_xor", np.logical_xor)


def _bitwise(name, fn):
    op = Op(name, fn, inputs=("self", "other"), nondifferentiable=True)

    def call(self, other):
        if self._dtype.category >= 2 or (isinstance(other, Tensor) and other._dtype.category >= 2) \
                or isinstance(other, float):
            raise RuntimeError(f'"{name}_cpu" not implemented for \'Float\'')
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
