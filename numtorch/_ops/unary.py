"""Unary math and activations (exp, log, trig, sigmoid, relu, rounding, neg) and pow/square,
kept together because their derivative formulas call one another. Node names follow
derivatives.yaml; pow takes a Scalar exponent without wrapping it."""
from __future__ import annotations

import math

import numpy as np

from .._core import dtypes as dt
from .._core import messages
from .._core import zerotensor as _zero
from .dispatch import Op, _check_broadcast
from .._tensor import Tensor
from .comparison import where
from .pointwise_common import _guard, _zeros


def _pow_tensor_kernel(a, b):
    if a.dtype == np.bool_ and b.dtype == np.bool_:
        _check_broadcast((a, b))  # TensorIterator's shapes before the typed kernel
        raise NotImplementedError(messages.NOT_IMPLEMENTED_DTYPE.format(kernel="pow", dtype="Bool"))
    return _pow_kernel(a, b, scalar_exponent=False)


def _pow_kernel(a, b, scalar_exponent=True):
    if a.dtype.kind in "iu" and np.any(np.asarray(b) < 0):
        if scalar_exponent and np.ndim(b) == 0:  # a Scalar exponent: ATen refuses it
            raise RuntimeError(messages.POW_NEGATIVE_INT)
        # a tensor exponent: ATen's integer pow, 1 / a**-b truncated (0 unless a is 1 or -1)
        neg = np.asarray(b) < 0
        safe = np.power(a, np.where(neg, 0, b))
        odd = (np.abs(np.asarray(b)) % 2).astype(bool)
        inv = np.where(a == 1, 1, np.where(a == -1, np.where(odd, -1, 1), 0)).astype(safe.dtype)
        return np.where(neg, inv, safe)
    if scalar_exponent and a.dtype.kind == "f" and np.ndim(b) == 0:
        special = _POW_SCALAR_SPECIAL.get(float(b))
        if special is not None:
            return special(a).astype(a.dtype, copy=False)
    r = np.power(a, b)
    return _pow_negative_infinity(a, b, r) if a.dtype.kind == "f" else r


# ATen's pow_tensor_scalar_optimized_kernel for floating tensors: these Scalar exponents are
# computed as other ops (their roundings, and rsqrt's nan at -inf)
_POW_SCALAR_SPECIAL = {
    0.5: np.sqrt,
    2.0: lambda a: a * a,
    3.0: lambda a: a * a * a,
    -0.5: lambda a: np.asarray(1, a.dtype) / np.sqrt(a),
    -1.0: lambda a: np.asarray(1, a.dtype) / a,
    -2.0: lambda a: np.asarray(1, a.dtype) / (a * a),
}


def _pow_negative_infinity(a, b, r):
    """C's pow, which ATen calls, gives +inf (y > 0) or +0 (y < 0) for a -inf base and a
    non-integer y where numpy's power gives nan."""
    neg_inf = a == -np.inf
    if not neg_inf.any():
        return r
    fix = neg_inf & np.isnan(r) & ~np.isnan(b)
    return np.where(fix, np.where(np.asarray(b) > 0, np.inf, 0.0), r).astype(np.result_type(r), copy=False)


def _pow_backward_self(g, self, exponent):
    # FunctionsManual pow_backward / pow_backward_self
    if isinstance(exponent, Tensor):
        return where(exponent == 0.0, 0.0, g * (exponent * pow(self, exponent - 1)))
    if exponent == 0:
        return _zeros(self)
    exponent = float(exponent) if not isinstance(exponent, complex) else exponent
    # C++ `exp * self.pow(exp - 1)` with a double: mul.Scalar (MulBackward1)
    return g * _mul_scalar(pow(self, exponent - 1), exponent)


def _pow_backward_exponent(g, self, exponent, result):
    # FunctionsManual pow_backward_exponent (tensor base):
    # grad * where(self == 0 & exponent >= 0, 0, result * log(self))
    d = dt.result_type(self, exponent)
    self_ = self if self._dtype is d else self.to(d)
    return g * where((self_ == 0) & (exponent >= 0), 0.0, result * log(self_))


def _pow_backward_scalar_base(g, base, exponent, result):
    # FunctionsManual pow_backward_exponent (Scalar base): result * base.log() is mul.Scalar
    if base == 0:
        return g * where(exponent >= 0, 0.0, _mul_scalar(result, _scalar_log(base)))
    return g * _mul_scalar(result, _scalar_log(base))


def _scalar_log(x):
    if isinstance(x, complex):
        import cmath
        return cmath.log(x)
    return math.log(x) if x > 0 else (-math.inf if x == 0 else math.nan)


POW_SCALAR = Op("pow", lambda a, exponent: _pow_kernel(a, np.asarray(exponent, a.dtype)).astype(a.dtype, copy=False),
                node="PowBackward0", promote=("exponent",),
                grads={"self": lambda c, g: _pow_backward_self(g, c.self, c.exponent)})
POW_TENSOR = Op("pow", _pow_tensor_kernel, node="PowBackward1", inputs=("self", "exponent"),
                grads={"self": lambda c, g: _pow_backward_self(g, c.self, c.exponent),
                       "exponent": lambda c, g: _pow_backward_exponent(g, c.self, c.exponent, c.result)})
POW_BASE = Op("pow", lambda e, base: _pow_kernel(np.asarray(base, e.dtype), e, scalar_exponent=False),
              node="PowBackward2", inputs=("exponent",), promote=("base",),
              layout="contiguous",  # pow(Scalar, Tensor)'s meta allocates with empty strides
              grads={"exponent": lambda c, g: _pow_backward_scalar_base(g, c.base, c.exponent, c.result)})


def pow(self, exponent):
    if isinstance(self, Tensor):
        if isinstance(exponent, Tensor):
            return POW_TENSOR(self, exponent)
        return POW_SCALAR(self, exponent=exponent)
    return POW_BASE(exponent, base=self)


def square(self):
    return pow(self, 2)


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


# x87 extended precision (64-bit mantissa) where the platform has it; else plain float64
_EXTENDED = np.finfo(np.longdouble).nmant > np.finfo(np.float64).nmant


def _tanh(a):
    # numpy's float64 tanh is often 1 ulp off (tanh(19) gives 1.0, not 1 - 2**-53); ATen's (MKL
    # VML) is nearly correctly rounded: evaluated in extended precision and rounded once, the two
    # agree everywhere but for some |x| < 0.2, where VML itself is not correctly rounded
    if a.dtype == np.float64 and _EXTENDED:
        return np.tanh(a.astype(np.longdouble)).astype(np.float64)
    return _wide(np.tanh)(a)


def _one_minus_square(y):
    """1 - y*y rounded once, as fma(-y, y, 1): ATen's tanh_backward kernel a * (1 - b * b) is
    compiled with FMA contraction, so its float64 result differs from numpy's two roundings."""
    if y.dtype.kind != "f":
        return 1 - y * y
    if y.dtype != np.float64:  # float32/float16: y*y is exact in float64
        return (1 - y.astype(np.float64) ** 2).astype(y.dtype)
    # Dekker's exact product p + e = y*y (Veltkamp split), then 1 - p - e with one rounding
    with np.errstate(over="ignore", invalid="ignore"):
        p = y * y
        c = 134217729.0 * y  # 2**27 + 1
        hi = c - (c - y)
        lo = y - hi
        e = ((hi * hi - p) + 2 * hi * lo) + lo * lo
        s = 1 - p
        exact = s + (((1 - s) - p) - e)
    # the split overflows for |y| near the float64 range (only a double backward gets such y)
    return np.where(np.abs(y) < 1e150, exact, s)


_ONES: dict = {}  # dtype -> a read-only 0-d one (np.ones costs more than a small array's sigmoid)
_NARROW_FLOATS = (np.dtype(np.float32), np.dtype(np.float16))


def _one(dtype) -> np.ndarray:
    one = _ONES.get(dtype)
    if one is None:
        one = _ONES[dtype] = np.ones((), dtype)
        one.flags.writeable = False
    return one


def _sigmoid(a):
    # ATen's vectorized sigmoid: 1 / (1 + exp(-x)), the exponential rounded to the input's dtype
    # (computed in float64 for float32/float16, as _wide does: the ufunc casts in and out by blocks).
    # Every step writes into the one fresh array -a: each extra large temporary costs page faults
    if a.size <= _SMALL and a.dtype in _NARROW_FLOATS and a.flags.c_contiguous:
        return _small_narrow_sigmoid(a)
    e = np.asarray(-a)  # asarray: NumPy returns a scalar for a 0-d input
    np.exp(e, out=e, dtype=np.float64 if e.dtype in _NARROW_FLOATS else None)
    one = _one(e.dtype)
    np.add(one, e, out=e)
    return np.divide(one, e, out=e)


_SMALL = 4096  # elements: below this a float64 temporary costs no page faults


def _small_narrow_sigmoid(a):
    # _sigmoid's steps with the float64 exponential's casts made explicit: a ufunc's dtype= cast
    # loop costs more than the whole exponential of a small array. Negating after the exact
    # widening gives the same bits (NaN payloads too) as negating before it. C-contiguous input
    # only: astype lays out a broadcast or strided array otherwise than a ufunc does
    e = a.astype(np.float64)
    np.negative(e, out=e)
    np.exp(e, out=e)
    e = e.astype(a.dtype)
    one = _one(e.dtype)
    np.add(one, e, out=e)
    return np.divide(one, e, out=e)


def _sigmoid_backward(g, y):
    # ATen's sigmoid_backward: grad * (1 - y) * y. In place into 1 - y when it has the result's
    # shape, dtype and layout; (1 - y) * grad puts y's NaN first, the payload torch gives for NaN * NaN.
    # A 0-d one of y's dtype: NumPy's promotion of the Python int 1 costs as much as the subtraction
    r = np.asarray(np.subtract(_one(y.dtype), y) if y.dtype.kind in "fc" else 1 - y)
    if g.shape != r.shape or g.dtype != r.dtype or g.strides != r.strides:
        return r * g * y
    np.multiply(r, g, out=r)
    return np.multiply(r, y, out=r)


def _sigmoid_grad(g, y):
    # SigmoidBackward0's sigmoid_backward(g, result), without dispatch when nothing can record it
    # (see Op.quick)
    r = SIGMOID_BACKWARD.quick(g, y)
    return SIGMOID_BACKWARD(g, y) if r is None else r


def _mul_scalar(t, s):
    # derivatives.yaml's C++ `tensor * double` is mul.Scalar: MulBackward1 under create_graph
    from .nn_ops import MUL_SCALAR
    return MUL_SCALAR(t, other=s)


def _add_scalar(t, s):
    # C++ `tensor + 1` is add.Scalar: AddBackward1 under create_graph
    from .loss_ops import ADD_SCALAR
    return ADD_SCALAR(t, other=s)


EXP = _unary("exp", "ExpBackward0", _wide(np.exp), lambda c, g: g * c.result)
EXP2 = _unary("exp2", "Exp2Backward0", np.exp2, lambda c, g: _mul_scalar(g * c.result, math.log(2)))
EXPM1 = _unary("expm1", "Expm1Backward0", _wide(np.expm1), lambda c, g: g * _add_scalar(c.result, 1))
LOG = _unary("log", "LogBackward0", _wide(np.log), lambda c, g: g / c.self)
LOG2 = _unary("log2", "Log2Backward0", _wide(np.log2), lambda c, g: g / _mul_scalar(c.self, math.log(2)))
LOG10 = _unary("log10", "Log10Backward0", _wide(np.log10), lambda c, g: g / _mul_scalar(c.self, math.log(10)))
LOG1P = _unary("log1p", "Log1PBackward0", _wide(np.log1p), lambda c, g: g / _add_scalar(c.self, 1))
SQRT = _unary("sqrt", "SqrtBackward0", np.sqrt, lambda c, g: g / _mul_scalar(c.result, 2))
RSQRT = _unary("rsqrt", "RsqrtBackward0", lambda a: 1 / np.sqrt(a),
               lambda c, g: _mul_scalar(g, -0.5) * pow(c.result, 3))
SIN = _unary("sin", "SinBackward0", _wide(np.sin), lambda c, g: g * cos(c.self))
COS = _unary("cos", "CosBackward0", _wide(np.cos), lambda c, g: g * -sin(c.self))
TAN = _unary("tan", "TanBackward0", np.tan, lambda c, g: g * _add_scalar(pow(c.result, 2), 1))
# derivatives.yaml: tanh/sigmoid's derivatives are ops of their own (tanh_backward,
# sigmoid_backward), so a double backward records TanhBackwardBackward0 / SigmoidBackwardBackward0
TANH_BACKWARD = Op("tanh_backward", lambda g, y: g * _one_minus_square(y), node="TanhBackwardBackward0",
                   inputs=("grad_output", "output"), promote=None,
                   grads={"grad_output": lambda c, g: TANH_BACKWARD(g, c.output),
                          "output": lambda c, g: g * (-2 * c.output * c.grad_output)})
SIGMOID_BACKWARD = Op("sigmoid_backward", _sigmoid_backward, node="SigmoidBackwardBackward0",
                      inputs=("grad_output", "output"), promote=None,
                      grads={"grad_output": lambda c, g: SIGMOID_BACKWARD(g, c.output),
                             "output": lambda c, g: g * c.grad_output * (-2 * c.output + 1)})
TANH = _unary("tanh", "TanhBackward0", _tanh, lambda c, g: TANH_BACKWARD(g, c.result))
SIGMOID = _unary("sigmoid", "SigmoidBackward0", _sigmoid, lambda c, g: _sigmoid_grad(g, c.result))
ASIN = _unary("asin", "AsinBackward0", np.arcsin, lambda c, g: g * rsqrt(_add_scalar(-c.self * c.self, 1)))
ACOS = _unary("acos", "AcosBackward0", np.arccos, lambda c, g: g * -rsqrt(_add_scalar(-c.self * c.self, 1)))
ATAN = _unary("atan", "AtanBackward0", np.arctan, lambda c, g: g / _add_scalar(c.self * c.self, 1))
SINH = _unary("sinh", "SinhBackward0", np.sinh, lambda c, g: g * cosh(c.self))
COSH = _unary("cosh", "CoshBackward0", np.cosh, lambda c, g: g * sinh(c.self))
RECIPROCAL = _unary("reciprocal", "ReciprocalBackward0", lambda a: 1 / a,
                    lambda c, g: -g * (c.result * c.result))
NEG = _unary("neg", "NegBackward0", np.negative, lambda c, g: -g, promote="binary")
# derivatives.yaml: grad * self.sgn() (SgnBackward0 under create_graph)
ABS = _unary("abs", "AbsBackward0", _guard("abs_cpu", "b", np.abs), lambda c, g: g * SGN(c.self),
             promote="binary")


# derivatives.yaml: sign/floor/ceil/round/trunc give zeros_like(grad), which does not depend on grad
def _sign_kernel(a):
    if a.dtype.kind == "c":
        raise NotImplementedError(messages.SIGN_COMPLEX)
    if a.dtype == np.bool_:
        return a.copy()
    out = np.asarray(np.sign(a))  # (a 0-d input gives a numpy scalar)
    if a.dtype.kind == "f":
        out[np.isnan(a)] = 0  # ATen's CPU sign: (0 < x) - (x < 0), which is 0 for NaN
    return out


SIGN = _unary("sign", "SignBackward0", _sign_kernel,
              lambda c, g: _zeros(g), promote="binary")


def _sgn_kernel(a):
    if a.dtype.kind == "c":
        mag = np.abs(a)
        return np.where(mag == 0, 0, a / np.where(mag == 0, 1, mag)).astype(a.dtype)
    if a.dtype == np.bool_:
        return a.copy()
    out = np.asarray(np.sign(a))  # (a 0-d input gives a numpy scalar)
    if a.dtype.kind == "f":
        out[np.isnan(a)] = 0  # ATen's CPU sign: (0 < x) - (x < 0), which is 0 for NaN
    return out


# sgn is sign extended to complex numbers: a node of its own (SgnBackward0), zero for real inputs
def _sgn_backward(g, self, result):
    """derivatives.yaml sgn_backward(self, grad, result): the node saves both (so a write to
    either raises at backward, as in torch); the derivative is zero for real inputs: torch returns
    at::_efficientzerotensor(sgn.sizes(), sgn.options()), NOTE [ZeroTensor storage]."""
    if self._dtype.is_complex:
        return _zeros(g)
    return Tensor._make(_zero.make(result._data.shape, result._data.dtype))


SGN = _unary("sgn", "SgnBackward0", _sgn_kernel, lambda c, g: _sgn_backward(g, c.self, c.result),
             promote="binary")


def _no_complex(name, fn):
    def kernel(a, *rest, **kw):
        if a.dtype.kind == "c":
            raise NotImplementedError(messages.NOT_SUPPORTED_COMPLEX_INPUTS.format(name=name))
        return fn(a, *rest, **kw)
    return kernel


def _relu_kernel(a):
    if a.dtype.kind == "c":
        raise NotImplementedError(messages.CLAMP_COMPLEX)
    if a.dtype == np.bool_:
        raise RuntimeError(messages.BOOL_INPUTS_NOT_SUPPORTED_RELU)
    # a zero array of a's layout, not a 0-d zero: numpy's SIMD loop wants contiguous operands
    # (a broadcast scalar runs about 7 times slower); written in place, it is also the result
    if a.flags.c_contiguous:
        out = np.zeros(a.shape, a.dtype)
        if a.dtype in _MAXIMUM_KEEPS_NEGATIVE_ZERO:
            return np.maximum(out, a, out=out)  # max(+0.0, -0.0) is -0.0 here: no search for -0.0
        np.maximum(a, out, out=out)
    else:
        out = np.maximum(a, np.zeros((), a.dtype))
    if _has_negative_zero(a):  # -0.0 stays -0.0, as ATen's clamp_min (maximum may give +0.0)
        np.copyto(out, a, where=a == 0)
    return out


def _maximum_keeps_negative_zero(dtype) -> bool:
    """Whether np.maximum(+0.0, -0.0) gives -0.0 (its second operand, as ATen's clamp_min and x86's
    maxps do on a tie) for this dtype, both in numpy's SIMD loop and in its tail; NaN propagates
    either way. float16 has no SIMD loop and gives +0.0."""
    return all(np.signbit(np.maximum(np.zeros(n, dtype), np.full(n, -0.0, dtype))).all()
               for n in (1, 7, 67, 1031))


_MAXIMUM_KEEPS_NEGATIVE_ZERO = frozenset(d for d in (np.dtype("f4"), np.dtype("f8"))
                                          if _maximum_keeps_negative_zero(d))
# -0.0 is the one float whose bits, read as a signed integer, are the integer minimum
_SIGNED_BITS = {size: (np.dtype(f"i{size}"), -(1 << (8 * size - 1))) for size in (2, 4, 8)}


def _has_negative_zero(a) -> bool:
    """One integer min-reduction over a's bits: about half the cost of testing `a == 0`."""
    if a.dtype.kind != "f" or not a.size:
        return False
    bits, negative_zero = _SIGNED_BITS[a.itemsize]
    return a.view(bits).min() == negative_zero


def _threshold_backward_kernel(g, result, threshold):
    keep = ~(result <= threshold)  # a NaN result keeps its gradient, as in torch
    if g.dtype.kind == "f":
        # torch's `x <= threshold ? 0 : g`: g's bits times keep give g or +0.0 (never -0.0, even
        # for a dropped inf/nan), ten times faster than np.where
        bits = np.dtype(f"u{g.itemsize}")
        if g.ndim and g.shape == result.shape and g.flags.c_contiguous and result.flags.c_contiguous:
            # keep widened once: the multiply is then a same-type loop, written in place
            keep = keep.astype(bits)
            return np.multiply(g.view(bits), keep, out=keep).view(g.dtype)
        return np.asarray(g.view(bits) * keep).view(g.dtype)
    out = g * keep
    if out.dtype.kind == "c" and not np.isfinite(out).all():  # a dropped inf/nan: 0, not nan
        out = np.where(keep, g, np.zeros((), g.dtype))
    return out


# relu's derivative is threshold_backward(grad, result, 0): an op of its own, so double backward
# sees the dependence on result (with a zero derivative), as in PyTorch
THRESHOLD_BACKWARD = Op("threshold_backward", _threshold_backward_kernel, node="ThresholdBackwardBackward0",
                        inputs=("grad_output", "self"), promote=None,
                        grads={"grad_output": lambda c, g: THRESHOLD_BACKWARD(g, c.self,
                                                                              threshold=c.threshold),
                               "self": lambda c, g: _zeros(g)})
RELU = _unary("relu", "ReluBackward0", _relu_kernel,
              lambda c, g: THRESHOLD_BACKWARD(g, c.result, threshold=0), promote="binary")
# rounding: integer inputs are copied, bool has no vml kernel (nor complex, for round and frac)
FLOOR = _unary("floor", "FloorBackward0", _guard("floor_vml_cpu", "b", _no_complex("floor", np.floor)),
               lambda c, g: _zeros(g), promote="binary")
CEIL = _unary("ceil", "CeilBackward0", _guard("ceil_vml_cpu", "b", _no_complex("ceil", np.ceil)),
              lambda c, g: _zeros(g), promote="binary")
ROUND = _unary("round", "RoundBackward0", _guard("round_vml_cpu", "bc", np.round), lambda c, g: _zeros(g),
               promote="binary")
TRUNC = _unary("trunc", "TruncBackward0", _guard("trunc_vml_cpu", "b", _no_complex("trunc", np.trunc)),
               lambda c, g: _zeros(g), promote="binary")
FRAC = _unary("frac", "FracBackward0", _guard("frac_cpu", "biuc", lambda a: a - np.trunc(a)), lambda c, g: g,
              promote="binary")


def _make_unary(op):
    def fn(self):
        return op(self)
    fn.__name__ = op.name
    fn.op = op  # the method's argument-parser wrapper calls it directly (arg_parser._wrap_method)
    return fn


exp, exp2, expm1, log, log2, log10, log1p = map(_make_unary, (EXP, EXP2, EXPM1, LOG, LOG2, LOG10, LOG1P))
sqrt, rsqrt, sin, cos, tan, tanh, sigmoid = map(_make_unary, (SQRT, RSQRT, SIN, COS, TAN, TANH, SIGMOID))
asin, acos, atan, sinh, cosh = map(_make_unary, (ASIN, ACOS, ATAN, SINH, COSH))
reciprocal, abs, sign, relu = map(_make_unary, (RECIPROCAL, ABS, SIGN, RELU))


def relu_(self):
    """In-place relu: ATen's relu_ refuses bool (and clamp_min_'s meta function complex) before
    its TensorIterator's overlap check, after autograd's check_inplace."""
    if self._data.dtype.kind in "bc":
        from .._autograd import views
        views.check_inplace_first(self)
        _relu_kernel(np.empty(0, self._data.dtype))  # raises
    return RELU.inplace(self)
floor, ceil, trunc, frac = map(_make_unary, (FLOOR, CEIL, TRUNC, FRAC))


def neg(self):
    if self._dtype is dt.bool_:
        raise RuntimeError(messages.NEG_BOOL)
    return NEG(self)


def neg_(self):
    if self._dtype is dt.bool_:
        raise RuntimeError(messages.NEG_BOOL)
    return NEG.inplace(self)


def round(self, *, decimals=None):
    """round(x) and round(x, decimals=d) are two ATen overloads: decimals=0 passed explicitly is the
    second (RoundBackward1, no integer kernel)."""
    if decimals is not None:
        return ROUND_DECIMALS(self, decimals=decimals)
    return ROUND(self)


def _round_decimals_kernel(a, decimals):
    from .pointwise_common import _not_for
    _not_for("round_vml_cpu" if decimals == 0 else "round_cpu", "biuc", a)
    if a.dtype == np.float16:  # ATen computes half in float, rounding only the result
        return np.round(a.astype(np.float32), decimals).astype(np.float16)
    return np.round(a, decimals)


ROUND_DECIMALS = Op("round", _round_decimals_kernel, node="RoundBackward1",
                    promote="binary", grads={"self": lambda c, g: _zeros(g)})

UNARY_INPLACE = {"exp": EXP, "log": LOG, "sqrt": SQRT, "rsqrt": RSQRT, "sin": SIN, "cos": COS,
                 "tan": TAN, "tanh": TANH, "sigmoid": SIGMOID, "reciprocal": RECIPROCAL,
                 "abs": ABS, "sign": SIGN, "relu": RELU, "floor": FLOOR, "ceil": CEIL, "round": ROUND,
                 "trunc": TRUNC, "frac": FRAC, "exp2": EXP2, "expm1": EXPM1, "log2": LOG2,
                 "log10": LOG10, "log1p": LOG1P, "asin": ASIN, "acos": ACOS, "atan": ATAN,
                 "sinh": SINH, "cosh": COSH}
