"""Ops behind numtorch.nn.functional (not losses, see loss_ops.py): addmm, activations, layer norm,
embedding, constant padding, and the Scalar-overload nodes ATen's composite nn code records.

Each op is one declaration: numpy kernel + the node name PyTorch records + derivative formulas
written with numtorch ops (so double backward works). Non-differentiable tensor arguments
(indices, masks) are attributes, not inputs: PyTorch gives them no edge in next_functions."""
from __future__ import annotations

import math

import numpy as np

from .._core import dtypes as dt
from .._core import messages
from .._core.fp_state import quiet as fp_quiet, restore as fp_restore
from .._core.state import STATE
from .._autograd.node import KEPT
from .._autograd.views import requires_grad
from .._tensor import Tensor
from .layout import stride_swap
from .dispatch import Op, ZERO_DIV, ZERO_IF_ANY, ZeroAwareOp
from .special import erf as _erf
from .linalg import ADDMM  # noqa: F401  (F.linear records addmm, declared in linalg.py)
from .pointwise import exp, sigmoid, tanh
from .reduction import mean

_SQRT1_2 = 1 / math.sqrt(2)
_INV_SQRT_2PI = 1 / math.sqrt(2 * math.pi)       # ATen's kBeta = M_2_SQRTPI * M_SQRT1_2 * 0.5
_TANH_BETA = math.sqrt(2) * (2 / math.sqrt(math.pi)) * 0.5
_TANH_KAPPA = 0.044715


def _floats(kernel: str, fn):
    """A kernel ATen dispatches on floating types only (AT_DISPATCH_FLOATING_TYPES): other dtypes
    raise NotImplementedError naming the kernel, as in PyTorch."""
    def guarded(a, *rest, **kw):
        if a.dtype.kind not in "fc":
            raise NotImplementedError(messages.NOT_IMPLEMENTED_DTYPE.format(
                kernel=kernel, dtype=dt._BY_NP[a.dtype].short_name))
        return fn(a, *rest, **kw)
    return guarded


def _no_bool(name: str, text: str, fn):
    def guarded(a, *rest, **kw):
        if a.dtype == np.bool_:
            raise RuntimeError(text.format(name=name))
        return fn(a, *rest, **kw)
    return guarded


def _f(a: np.ndarray, value) -> np.ndarray:
    """A Python scalar in the kernel's dtype, as ATen casts Scalar arguments to the opmath type."""
    return np.asarray(value, a.dtype)


# ---- Scalar overloads: C++ `tensor * double` records MulBackward1, `tensor / int` DivBackward1 -----
MUL_SCALAR = ZeroAwareOp("mul", lambda a, other, **_: a * _f(a, other), zero_result=ZERO_IF_ANY,
                         node="MulBackward1", promote=None,
                         grads={"self": lambda c, g: g * c.other})
DIV_SCALAR = ZeroAwareOp("div", lambda a, other, **_: a / _f(a, other), zero_result=ZERO_DIV,
                         node="DivBackward1", promote=None,
                         grads={"self": lambda c, g: g / c.other})


# ---- activations -------------------------------------------------------------------------------
def _zeros_like(t):
    from .creation import zeros_like
    return zeros_like(t)


# Backward ops of piecewise-linear activations: their derivative w.r.t. self is zero, but PyTorch
# still records self as an input, so a create_graph gradient requires grad (as in torch).
def _hardtanh_backward_kernel(g, a, min_val, max_val, **_):
    # ATen's scalar loop: self <= min or self >= max gives 0, so a NaN self passes the gradient; its
    # vectorized loop keeps grad where min < self < max, so there a NaN self gives 0
    out = np.where((a <= min_val) | (a >= max_val), 0, g).astype(g.dtype)
    return nan_in_vector_blocks(out, np.zeros((), out.dtype), g, a)


HARDTANH_BACKWARD = Op("hardtanh_backward", _hardtanh_backward_kernel,
                       node="HardtanhBackwardBackward0", inputs=("grad_output", "self"), promote=None,
                       grads={"grad_output": lambda c, g: HARDTANH_BACKWARD(g, c.self, min_val=c.min_val,
                                                                            max_val=c.max_val),
                              "self": lambda c, g: _zeros_like(g)})
HARDTANH = Op("hardtanh", _no_bool("hardtanh", messages.BOOL_INPUTS_NOT_SUPPORTED, lambda a, min_val, max_val, **_: np.clip(a, _f(a, min_val), _f(a, max_val))),
              node="HardtanhBackward0", promote=None,
              grads={"self": lambda c, g: HARDTANH_BACKWARD(g, c.self, min_val=c.min_val, max_val=c.max_val)})
LEAKY_RELU_BACKWARD = Op("leaky_relu_backward",
                         lambda g, a, negative_slope, **_: np.where(a > 0, g, g * _f(g, negative_slope)),
                         node="LeakyReluBackwardBackward0", inputs=("grad_output", "self"), promote=None,
                         grads={"grad_output": lambda c, g: LEAKY_RELU_BACKWARD(
                                    g, c.self, negative_slope=c.negative_slope),
                                "self": lambda c, g: _zeros_like(g)})
LEAKY_RELU = Op("leaky_relu", _floats("leaky_relu_cpu", lambda a, negative_slope, **_: np.where(a > 0, a, a * _f(a, negative_slope))),
                node="LeakyReluBackward0", promote=None,
                grads={"self": lambda c, g: LEAKY_RELU_BACKWARD(g, c.self, negative_slope=c.negative_slope)})
# in-place leaky_relu_ saves its result (LeakyReluBackward1); the sign of result and self agree
LEAKY_RELU_ = Op("leaky_relu_", LEAKY_RELU.kernel, node="LeakyReluBackward1", promote=None,
                 grads={"self": lambda c, g: LEAKY_RELU_BACKWARD(g, c.result,
                                                                 negative_slope=c.negative_slope)})


def _elu_kernel(a, alpha, scale, input_scale, **_):
    neg = np.expm1(a * _f(a, input_scale)) * _f(a, alpha * scale)
    return np.where(a <= 0, neg, a * _f(a, scale))


def _elu_backward(g, x, alpha, scale, input_scale, is_result):
    """elu's derivative is the op elu_backward (EluBackwardBackward0 under create_graph), declared
    in activation_ops.py, which imports this module."""
    from .activation_ops import ELU_BACKWARD
    return ELU_BACKWARD(g, x, alpha=alpha, scale=scale, input_scale=input_scale, is_result=is_result)


ELU = Op("elu", _floats("elu_cpu", _elu_kernel), node="EluBackward0", promote=None,
         grads={"self": lambda c, g: _elu_backward(g, c.self, c.alpha, c.scale, c.input_scale, False)})
# elu_ saves its result: d/dx = input_scale * (result + alpha * scale) where result <= 0
ELU_ = Op("elu_", _floats("elu_cpu", _elu_kernel), node="EluBackward1", promote=None,
          grads={"self": lambda c, g: _elu_backward(g, c.result, c.alpha, c.scale, c.input_scale, True)})



# NOTE [GELU in float32]
# PyTorch's float32 GELU does not use an accurate erf: both of its CPU paths (oneDNN's gelu_erf for
# contiguous tensors, ATen's Vectorized<float>::erf otherwise) use Abramowitz and Stegun's 7.1.26,
# erf(u) = 1 - (a1 t + ... + a5 t^5) exp(-u^2), t = 1 / (1 + p|u|), absolute error 1.5e-7.
# Contiguous tensors: oneDNN's instruction sequence is emulated exactly, see NOTE [oneDNN gelu_erf].
# Elsewhere (ATen's loop) the same formula in plain float32 numpy ops (_erf_as) agrees with
# PyTorch's values bit for bit about twice as often as a correctly rounded erf does (their exp and
# fused multiply-adds still differ in the last bit). oneDNN computes h + h * erf (h = x / 2), so
# -20 and -0 give +0; ATen's loop computes h * (1 + erf), which keeps -0. float64 goes through the accurate erf, as in PyTorch.
# ATen's loop uses Vectorized<float>::erf only on blocks of 16 of a contiguous or broadcast row:
# one-element tensors, strided rows and each row's tail go through std::erf (glibc's erff; here
# a float64 erf rounded to float32, which agrees with erff about 99% of the time).
_AS_P = np.float32(0.3275911)
_AS_A = tuple(np.float32(c) for c in (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592))


def _erf_as(u: np.ndarray) -> np.ndarray:
    """float32 erf by Abramowitz and Stegun 7.1.26 (NOTE [GELU in float32])."""
    t = np.abs(u)
    t *= _AS_P
    t += np.float32(1)
    np.divide(np.float32(1), t, out=t)
    r = _AS_A[0] * t
    r += _AS_A[1]
    for c in _AS_A[2:]:
        r *= t
        r += c
    e = np.square(u)
    np.negative(e, out=e)
    np.exp(e, out=e)
    e *= t
    e *= r
    np.subtract(np.float32(1), e, out=e)
    return np.copysign(e, u, out=e)


# NOTE [oneDNN gelu_erf]
# Contiguous float32 tensors of two or more elements go through oneDNN's eltwise gelu_erf (the AVX2
# jit injector, jit_uni_eltwise_injector.cpp: gelu_erf_compute_vector_fwd and
# exp_compute_vector_fwd). _gelu_onednn repeats its instructions with its float32 constants, which
# reproduces torch's values bit for bit (NaN payloads included):
#   x = s * (1/sqrt 2); t = 1 / fma(p, |x|, 1)
#   exp(-x^2): v = max(-x*x, ln FLT_MIN) (below it the result is 0); n = floor(v * log2e + 0.5);
#     r = fma(-n, ln2, v); exp = poly5(r) * 2^(n-1) * 2, the power built from exponent bits
#     ((n - 1 + 127) << 23, so n = -126 gives the bit pattern of +0), poly5 Horner by fma
#   erf = sign(s) xor fma(-exp * t, poly4(t), 1); gelu = fma(erf, h, h) with h = s / 2
# gelu_backward takes oneDNN's eltwise backward for the same inputs (gelu_erf_compute_vector_bwd,
# the same exp and erf, then fma(erf, 1/2, R / sqrt(pi) * exp(-R^2) + 1/2), times grad).
# A float32 fma is a float64 product (exact: 24 + 24 bits) plus a float64 add rounded to float32.
# That rounds twice only when the float64 sum is inexact and lands exactly on a float32 midpoint
# (about 2**-29 of the inexact sums), which is not corrected here: an exact fma (fma32 in
# _core/generator.py) costs several times more. Every numpy pass costs about the same per element,
# so the emulation spends passes only where oneDNN rounds, and otherwise computes the same roundings
# with fewer or cheaper (float32) passes:
# - r: n ln2 = n hi + n lo with ln2 split into 16 + 8 bits, both products exact in float32 and
#   -x*x - n hi exact, so (-x*x - n hi) - n lo rounds once, as the fma does;
# - the two Horner chains (exp's in r, A&S's in t) share their numpy calls, one row each;
# - 2 t is kept instead of t (1 / d and 2 / d round alike), which makes -exp * t one multiply; the
#   A&S partial sums are scaled by powers of -1/2 to run on z = -2t;
# - 2^(n-1) comes from n + 126 + 2^23, whose float32 bits are 0x4B000000 + n + 126: shifted left by
#   23, the 0x4B000000 falls off the top;
# - backward: R / sqrt(pi) * exp is (R * 2/sqrt(pi)) * (exp / 2), which rounds differently only
#   where R / sqrt(pi) is subnormal, and there P = T + 1/2 rounds to 1/2 all the same;
# - fma(erf, 1/2, P): erf / 2 is exact (erf is 0 or at least 2^-49), so a float32 add rounds once.
# Constants are 0-d arrays of the operand's dtype: numpy dispatches those much faster than scalars.
# The work runs in blocks that stay in cache.
def _f32_bits(bits: int) -> np.float32:
    return np.array(bits, np.uint32).view(np.float32)[()]


_DNNL_AS_P = np.float64(_f32_bits(0x3EA7BA05))
_DNNL_AS_POL = tuple(np.float64(_f32_bits(b)) for b in (0x3E827906, 0xBE91A98E, 0x3FB5F0E3, 0xBFBA00E3,
                                                        0x3F87DC22))
_DNNL_LN2 = np.float64(_f32_bits(0x3F317218))
_DNNL_LN2_HI = np.float32(_DNNL_LN2 // 2.0**-16 * 2.0**-16)
_DNNL_EXP_POL = tuple(np.float64(_f32_bits(b)) for b in (0x3F7FFFFB, 0x3EFFFEE3, 0x3E2AAD40, 0x3D2B9D0D,
                                                         0x3C07CFCE))
_DNNL = {"rsqrt2": np.array(_f32_bits(0x3F3504F3)), "p": np.array(_DNNL_AS_P), "one": np.array(1.0),
         "minus_two": np.array(np.float32(-2)), "minus_log2e": np.array(-_f32_bits(0x3FB8AA3B)),
         "half": np.array(np.float32(0.5)), "minus_ln2_hi": np.array(-_DNNL_LN2_HI),
         "minus_ln2_lo": np.array(np.float32(_DNNL_LN2_HI - _DNNL_LN2)),
         "exp_bias": np.array(np.float32(126 + 2**23)), "shift": np.array(23, np.uint32),
         "sign": np.array(0x80000000, np.uint32), "two_rsqrtpi": np.array(2 * _f32_bits(0x3F106EBA))}
# -v stays below -ln FLT_MIN (an array: np.minimum is slow with a scalar)
_DNNL_CLAMP = -_f32_bits(0xC2AEAC50)
# step i of both chains adds row 0 to exp's Horner sum and row 1 to A&S's, scaled for z = -2t
_DNNL_HORNER = np.array([[[_DNNL_EXP_POL[4 - i]], [_DNNL_AS_POL[4 - i] * (-0.5) ** (4 - i)]]
                         for i in range(5)])
_DNNL_BLOCK = 1 << 16


def _dnnl_exp_and_poly(x, h64, a64, p32, rz32, sq, n, clamp):
    """exp(-x^2) / 2 into p32[0], A&S's poly4(t) into p32[1] and -2t into rz32[1], as oneDNN
    rounds them (NOTE [oneDNN gelu_erf]); returns these three."""
    k, mul, cp = _DNNL, np.multiply, np.copyto
    np.square(x, out=sq)
    np.abs(x, out=p32[0])
    w = a64[0]
    cp(w, p32[0])
    mul(w, k["p"], out=w)
    np.add(w, k["one"], out=w)
    z = rz32[1]
    cp(z, w, casting="unsafe")                       # fma(p, |x|, 1)
    np.divide(k["minus_two"], z, out=z)              # -2t
    np.minimum(sq, clamp, out=sq)                    # -v
    mul(sq, k["minus_log2e"], out=n)
    np.add(n, k["half"], out=n)
    np.floor(n, out=n)
    r = rz32[0]
    mul(n, k["minus_ln2_hi"], out=r)
    np.subtract(r, sq, out=r)
    mul(n, k["minus_ln2_lo"], out=sq)
    np.add(r, sq, out=r)                             # fma(-n, ln2, v)
    cp(h64, rz32)
    mul(h64, _DNNL_HORNER[0], out=a64)
    for i in range(1, 5):
        np.add(a64, _DNNL_HORNER[i], out=a64)
        cp(p32, a64, casting="unsafe")
        if i < 4:                                    # A&S's chain ends here
            cp(a64, p32)
            mul(a64, h64, out=a64)
    p, a0 = p32[0], a64[0]                           # exp's fifth step: fma(p, r, 1)
    cp(a0, p)
    mul(a0, h64[0], out=a0)
    np.add(a0, k["one"], out=a0)
    cp(p, a0, casting="unsafe")
    np.add(n, k["exp_bias"], out=n)
    power = n.view(np.uint32)
    np.left_shift(power, k["shift"], out=power)      # 2^(n-1)
    mul(p, n, out=p)
    return p, p32[1], z


def _dnnl_erf(sign_of, e, q, z, a64, p32, n):
    """erf = sign xor fma(-exp * t, q, 1) into q (e = exp / 2, z = -2t, q = poly4(t))."""
    np.multiply(e, z, out=e)
    np.copyto(a64, p32)                              # p32 holds [e, q]
    np.multiply(a64[1], a64[0], out=a64[1])
    np.add(a64[1], _DNNL["one"], out=a64[1])
    np.copyto(q, a64[1], casting="unsafe")
    sign = n.view(np.uint32)
    np.bitwise_and(sign_of.view(np.uint32), _DNNL["sign"], out=sign)
    np.bitwise_xor(q.view(np.uint32), sign, out=q.view(np.uint32))


def _dnnl_gelu_from_erf(s, a64, p32, out):
    """gelu = fma(erf, h, h) into out, h = s / 2, erf in p32[1]."""
    np.multiply(s, _DNNL["half"], out=p32[0])
    np.copyto(a64, p32)                              # [h, erf]
    h, erf = a64
    np.multiply(erf, h, out=erf)
    np.add(erf, h, out=erf)
    np.copyto(out, erf, casting="unsafe")            # fma(erf, h, h)


def _dnnl_derivative(x, e, q, z, a64, p32, rz32, n, scratch, out):
    """oneDNN's gelu_erf_compute_vector_bwd after its exp: with R = x, d gelu / ds =
    fma(erf(R), 1/2, R / sqrt(pi) * exp(-R^2) + 1/2) into out (read x before), erf(R) into q."""
    half = _DNNL["half"]
    t = np.multiply(x, _DNNL["two_rsqrtpi"], out=rz32[0])
    np.multiply(t, e, out=t)                         # R / sqrt(pi) * exp(-R^2)
    _dnnl_erf(x, e, q, z, a64, p32, n)
    np.multiply(q, half, out=scratch)
    np.add(t, half, out=t)
    np.add(scratch, t, out=out)                      # fma(erf, 1/2, P)


def _gelu_onednn_block(s, out, h64, a64, p32, rz32, sq, n, clamp):
    """NOTE [oneDNN gelu_erf] on one block."""
    x = np.multiply(s, _DNNL["rsqrt2"], out=out)
    e, q, z = _dnnl_exp_and_poly(x, h64, a64, p32, rz32, sq, n, clamp)
    _dnnl_erf(s, e, q, z, a64, p32, n)
    _dnnl_gelu_from_erf(s, a64, p32, out)


def _gelu_backward_onednn_block(s, out, h64, a64, p32, rz32, sq, n, clamp):
    """oneDNN's gelu_erf_compute_vector_bwd on one block (NOTE [oneDNN gelu_erf]), erf as in the
    forward."""
    x = np.multiply(s, _DNNL["rsqrt2"], out=out)    # R
    e, q, z = _dnnl_exp_and_poly(x, h64, a64, p32, rz32, sq, n, clamp)
    _dnnl_derivative(x, e, q, z, a64, p32, rz32, n, q, out)


def _gelu_and_derivative_onednn_block(s, out, derivative, h64, a64, p32, rz32, sq, n, clamp):
    """The forward and backward blocks at once, sharing their exp and erf (NOTE [GELU's derivative
    from its forward]). erf takes its sign from R = s / sqrt 2, the backward's operand: a product
    with a positive constant keeps the sign bit, of zeros and NaNs too, so it is the forward's."""
    x = np.multiply(s, _DNNL["rsqrt2"], out=derivative)  # R
    e, q, z = _dnnl_exp_and_poly(x, h64, a64, p32, rz32, sq, n, clamp)
    _dnnl_derivative(x, e, q, z, a64, p32, rz32, n, sq, derivative)
    _dnnl_gelu_from_erf(s, a64, p32, out)


def _gelu_onednn(s: np.ndarray, block=_gelu_onednn_block, outputs: int = 1):
    """oneDNN's float32 gelu_erf (or, with block=_gelu_backward_onednn_block, its derivative) on a
    1-d float32 array (NOTE [oneDNN gelu_erf]); with _gelu_and_derivative_onednn_block and
    outputs=2, the pair."""
    outs = [np.empty_like(s) for _ in range(outputs)]
    m = max(1, min(_DNNL_BLOCK, s.size))
    bufs = [np.empty((2, m)), np.empty((2, m)), np.empty((2, m), np.float32), np.empty((2, m), np.float32),
            np.empty(m, np.float32), np.empty(m, np.float32), np.full(m, _DNNL_CLAMP)]
    with np.errstate(all="ignore"):  # inf and nan lanes: inf * 0, inf - inf
        for i in range(0, s.size, m):
            j = min(i + m, s.size)
            block(s[i:j], *(o[i:j] for o in outs), *(b[..., :j - i] for b in bufs))
    return outs[0] if outputs == 1 else outs


_ATEN_BLOCK = 16  # cpu_kernel_vec's vectorized_loop: blocks of 2 * Vectorized<float>::size() (AVX2)


def _aten_scalar_elements(a: np.ndarray, block: int = _ATEN_BLOCK):
    """Flat (C-order) indices of the elements of `a` that ATen's cpu_kernel_vec computes with its
    scalar function rather than the Vectorized one, or None when there are none: TensorIterator
    sorts the dimensions by stride (innermost first) and coalesces them; each inner row whose input
    is contiguous or broadcast (stride 0) runs blocks of `block` elements vectorized and its
    tail with the scalar function; any other row is all scalar (basic_loop). Ranges split across
    threads (more than 32768 elements) are not modelled."""
    n = a.size
    if n <= 1:
        return np.arange(n)
    shape = a.shape
    strides = [s // a.itemsize for s in a.strides]
    perm = [d for d in reversed(range(a.ndim)) if shape[d] != 1]
    for i in range(1, len(perm)):  # insertion sort with ambiguous comparisons, as in ATen
        d1 = i
        for d0 in range(i - 1, -1, -1):
            c = stride_swap(shape, strides, perm[d0], perm[d1])
            if c > 0:
                perm[d0], perm[d1] = perm[d1], perm[d0]
                d1 = d0
            elif c < 0:
                break
    inner, size = [perm[0]], shape[perm[0]]
    for d in perm[1:]:  # coalesce into the inner row
        if strides[inner[0]] * size != strides[d]:
            break
        inner.append(d)
        size *= shape[d]
    vec = size // block * block if strides[inner[0]] in (0, 1) else 0
    if vec == size:
        return None
    pos, mult = np.zeros((1,) * a.ndim, dtype=np.intp), 1
    for d in inner:  # each element's position in its inner row
        pos = pos + np.arange(shape[d]).reshape([-1 if k == d else 1 for k in range(a.ndim)]) * mult
        mult *= shape[d]
    return np.flatnonzero(np.broadcast_to(pos >= vec, shape))


def nan_in_vector_blocks(out, vector_value, g, x):
    """`out` with `vector_value` where x is NaN in the elements ATen's vectorized loop computes,
    for elementwise backward kernels whose scalar and vectorized functions branch on opposite
    comparisons (elu_backward, hardtanh_backward): a NaN fails both, so the two loops answer
    differently. The vectorized elements (blocks of two AVX2 vectors of a contiguous row, see
    _aten_scalar_elements) are modelled for a C-contiguous x with a gradient of its layout or
    broadcast from one value; other layouts keep the scalar loop's answer."""
    nan = np.isnan(x) if x.dtype.kind == "f" else None
    if nan is None or not nan.any() or out.shape != x.shape or not x.flags.c_contiguous \
            or not out.flags.c_contiguous \
            or not ((g.shape == x.shape and g.flags.c_contiguous) or not any(g.strides)):
        return out
    vector = nan.reshape(-1).copy()
    scalar = _aten_scalar_elements(x, 64 // x.itemsize)
    if scalar is not None:
        vector[scalar] = False
    out.reshape(-1)[vector] = np.broadcast_to(vector_value, out.shape).reshape(-1)[vector]
    return out


def _gelu_kernel(a, approximate, **_):
    if approximate == "tanh":
        inner = _f(a, _TANH_BETA) * (a + _f(a, _TANH_KAPPA) * a * a * a)
        return _f(a, 0.5) * a * (1 + np.tanh(inner))
    if a.dtype == np.float32:
        x = a.reshape(-1)  # 1-d: numpy returns scalars, not arrays, for 0-d operations
        if a.flags.c_contiguous and a.size > 1:  # NOTE [oneDNN gelu_erf]
            return _gelu_onednn(x).reshape(a.shape)
        erf = _erf_as(x * np.float32(_SQRT1_2))
        half = x * np.float32(0.5)
        scalar = _aten_scalar_elements(a)  # these go through std::erf (NOTE [GELU in float32])
        if scalar is not None:
            erf[scalar] = _erf(x[scalar].astype(np.float64) * _SQRT1_2)
        erf += np.float32(1)  # ATen's loop: h * (1 + erf)
        erf *= half
        return erf.reshape(a.shape)
    cdf = 0.5 * (1 + _erf(a.astype(np.float64) * _SQRT1_2))
    return (a.astype(np.float64) * cdf).astype(a.dtype)


def _gelu_backward_kernel(grad, a, approximate, memo=None, **_):
    if approximate == "tanh":
        x_sq = a * a
        inner = _f(a, _TANH_BETA) * (a + _f(a, _TANH_KAPPA) * x_sq * a)
        t = np.tanh(inner)
        left_derivative = _f(a, 0.5) * (1 + t)
        right_derivative = (_f(a, 0.5) * a * (1 - t * t) * _f(a, _TANH_BETA)
                            * (1 + _f(a, 3 * _TANH_KAPPA) * x_sq))
        return grad * (left_derivative + right_derivative)
    if a.dtype == np.float32 and grad.dtype == np.float32 and a.flags.c_contiguous and a.size > 1:
        # oneDNN's eltwise backward: diff_src = diff_dst * d gelu (NOTE [oneDNN gelu_erf])
        derivative = memo.derivative_of(a) if memo is not None else None
        if derivative is None:
            derivative = _gelu_onednn(a.reshape(-1), _gelu_backward_onednn_block).reshape(a.shape)
        return np.broadcast_to(grad, a.shape) * derivative
    if a.dtype == np.float32 and grad.dtype == np.float32:  # NOTE [GELU in float32]
        x = a.reshape(-1)
        cdf = _erf_as(x * np.float32(_SQRT1_2))
        cdf += np.float32(1)
        cdf *= np.float32(0.5)
        pdf = np.square(x)
        pdf *= np.float32(-0.5)
        np.exp(pdf, out=pdf)
        pdf *= np.float32(_INV_SQRT_2PI)
        pdf *= x
        pdf += cdf
        return (np.broadcast_to(grad, a.shape).reshape(-1) * pdf).reshape(a.shape)
    x = a.astype(np.float64)
    cdf = 0.5 * (1 + _erf(x * _SQRT1_2))
    pdf = np.exp(-0.5 * x * x) * _INV_SQRT_2PI
    return (grad * (cdf + x * pdf)).astype(a.dtype)


def _gelu_second_derivative(x, approximate):
    """d^2 gelu / dx^2, composed of numtorch ops (used by GeluBackward's own backward)."""
    if approximate == "tanh":
        u = (x + x * x * x * _TANH_KAPPA) * _TANH_BETA
        du = (x * x * (3 * _TANH_KAPPA) + 1) * _TANH_BETA
        t = tanh(u)
        sech2 = 1 - t * t
        return sech2 * du + x * 0.5 * sech2 * (-2 * t * du * du + (x * (6 * _TANH_KAPPA * _TANH_BETA)))
    pdf = exp(x * x * -0.5) * _INV_SQRT_2PI
    return pdf * (2 - x * x)


GELU_BACKWARD = Op("gelu_backward", _gelu_backward_kernel, node="GeluBackwardBackward0",
                   inputs=("grad_output", "self"), promote=None,
                   grads={"grad_output": lambda c, g: GELU_BACKWARD(g, c.self, approximate=c.approximate),
                          "self": lambda c, g: g * c.grad_output
                          * _gelu_second_derivative(c.self, c.approximate)})


# NOTE [GELU's derivative from its forward]
# oneDNN's backward repeats its forward's exp and erf on the same input, so a recorded contiguous
# float32 forward computes the derivative alongside (a few passes more than the forward alone, a
# tenth of the backward's) and its node keeps it with a copy of the input (node._attrs[KEPT], see
# _autograd/node.py). The backward uses it only while the saved input holds the same bits: writes through
# .data or .numpy() change them without a version bump, and torch's backward then reads the new
# values. Under create_graph the backward is recorded as
# torch records it, without the memo. The price is memory: the node holds two more arrays of the
# input's size (torch's holds the input alone), so none is kept while saved-tensor hooks are on
# (checkpointing, offloading: the user is managing what the graph keeps).
class _GeluMemo:
    __slots__ = ("input_bits", "derivative")

    def __init__(self, a: np.ndarray, derivative: np.ndarray) -> None:
        self.input_bits = a.view(np.uint32).copy()
        self.derivative = derivative

    def derivative_of(self, a: np.ndarray):
        """The kept derivative if `a` still holds the forward's input bits, else None."""
        bits = a.view(np.uint32)
        if bits.shape == self.input_bits.shape and np.array_equal(bits, self.input_bits):
            return self.derivative
        return None


class _GeluOp(Op):
    """GELU: a recorded oneDNN forward keeps its derivative (NOTE [GELU's derivative from its
    forward]), handed from _run to _record of the same call."""
    _pending = None

    def _run(self, ts, attrs):
        x = ts[0]
        a = x._data
        if a.dtype == np.float32 and a.size > 1 and a.flags.c_contiguous \
                and attrs.get("approximate") == "none" and STATE.grad_enabled and requires_grad(x) \
                and not STATE.saved_hooks:  # the call records (Op.__call__), nothing packs
            token = fp_quiet()
            try:
                out, derivative = _gelu_onednn(a.reshape(-1), _gelu_and_derivative_onednn_block, 2)
            finally:
                fp_restore(token)
            self._pending = _GeluMemo(a, derivative.reshape(a.shape))
            return out.reshape(a.shape)
        return super()._run(ts, attrs)

    def _record(self, ts, attrs, results, original_self=None, edges=None):
        node = super()._record(ts, attrs, results, original_self, edges)
        memo, self._pending = self._pending, None
        if memo is not None:
            node._attrs[KEPT] = memo
        return node


def _gelu_grad(c, g):
    memo = c.__dict__.get(KEPT)
    if memo is not None and not STATE.grad_enabled:
        return GELU_BACKWARD(g, c.self, approximate=c.approximate, memo=memo)
    return GELU_BACKWARD(g, c.self, approximate=c.approximate)


GELU = _GeluOp("gelu", _floats("GeluKernelImpl", _gelu_kernel), node="GeluBackward0", promote=None,
               grads={"self": _gelu_grad})


def _silu_backward(g, x):
    """FunctionsManual infinitely_differentiable_silu_backward: `1.0 + t` is C++ add.Scalar
    (AddBackward1 under create_graph)."""
    if not STATE.grad_enabled and g._data.dtype == x._data.dtype:
        # derivatives.yaml: without grad mode, ATen's fused silu_backward kernel
        return Tensor._make(_silu_backward_kernel(g._data, x._data))
    from .loss_ops import ADD_SCALAR
    s = sigmoid(x)
    return g * s * ADD_SCALAR(x * (1 - s), other=1.0)


def _expf_table():
    import decimal
    ctx = decimal.Context(prec=60)
    two = decimal.Decimal(2)
    return np.array([np.float64(float(ctx.power(two, decimal.Decimal(i) / 32))).view(np.uint64)
                     - np.uint64(i << 47) for i in range(32)], np.uint64)


_EXPF_T = _expf_table()  # glibc __exp2f_data.tab: 2^(i/32) bits less i << 47
_EXPF_SHIFT = float.fromhex("0x1.8p+52")
_EXPF_INVLN2N = float.fromhex("0x1.71547652b82fep+0") * 32
# InvLn2N split in a 26-bit head (exact products with a float32 x) and a tail
_EXPF_INVLN2N_HI = float(np.array(np.array(_EXPF_INVLN2N).view(np.uint64) & np.uint64(0xFFFFFFFFF8000000))
                         .view(np.float64))
_EXPF_INVLN2N_LO = _EXPF_INVLN2N - _EXPF_INVLN2N_HI
_EXPF_C = (float.fromhex("0x1.c6af84b912394p-5") / 32 ** 3, float.fromhex("0x1.ebfce50fac4f3p-3") / 32 ** 2,
           float.fromhex("0x1.62e42ff0c52d6p-1") / 32)


def _glibc_expf(x: np.ndarray) -> np.ndarray:
    """glibc's expf (the FMA build, what ATen's scalar loops call through std::exp on x86-64), in
    float64 numpy: it is not always correctly rounded, so a correctly rounded exp differs by 1 ulp."""
    xd = np.clip(x.astype(np.float64), -110.0, 100.0)
    with np.errstate(all="ignore"):
        kd = _EXPF_INVLN2N * xd + _EXPF_SHIFT
        ki = kd.view(np.uint64)
        kd = kd - _EXPF_SHIFT
        r = (_EXPF_INVLN2N_HI * xd - kd) + _EXPF_INVLN2N_LO * xd  # fma(InvLn2N, x, -kd), exactly
        s = (_EXPF_T[ki % np.uint64(32)] + (ki << np.uint64(47))).view(np.float64)
        c0, c1, c2 = _EXPF_C
        y = ((c0 * r + c1) * (r * r) + (c2 * r + 1)) * s
        y = y.astype(np.float32)
    y = np.where(x > float.fromhex("0x1.62e42ep6"), np.float32(np.inf), y)
    y = np.where(x < -float.fromhex("0x1.9fe368p6"), np.float32(0), y)
    return np.where(np.isnan(x), np.float32(np.nan), y)


def _silu_kernel(a, **_):
    # ATen's silu: x / (1 + exp(-x)); its scalar loop (below 16 contiguous floats, where the
    # vectorized Sleef loop starts; that one rounds its own way and is not reproduced) calls
    # glibc's expf, emulated here; float64 and larger tensors use numpy's exp
    if a.dtype == np.float32 or a.dtype == np.float16:
        e = (_glibc_expf(-a) if a.size < 16 else np.exp(-a.astype(np.float32))).astype(a.dtype)
    else:
        e = np.exp(-a)
    return a / (1 + e)


def _silu_backward_kernel(dy, x):
    # dy * sigmoid * (1 + x * (1 - sigmoid)), sigmoid = 1 / (1 + exp(-x)), in the input's dtype
    # (glibc's expf in the scalar loop, as the forward)
    if x.dtype == np.float32 or x.dtype == np.float16:
        small = np.broadcast(dy, x).size < 16
        e = (_glibc_expf(-x) if small else np.exp(-x.astype(np.float32))).astype(x.dtype)
    else:
        e = np.exp(-x)
    one = np.ones((), x.dtype)
    s = one / (one + e)
    with np.errstate(all="ignore"):
        return np.ascontiguousarray(dy * s * _fma(x, one - s, one))


def _fma(a, b, c):
    """a * b + c rounded once, as the fused multiply-add x86-64 builds of ATen's scalar loops
    compile such expressions to (the random generator's exact fma32 / fma64)."""
    from .._core.generator import fma32, fma64
    if a.dtype == np.float64:
        return fma64(a, b, c)
    if a.dtype == np.float32:
        return fma32(a, b, c)
    return (a.astype(np.float64) * b.astype(np.float64) + c).astype(a.dtype)  # half: op-math float64


SILU = Op("silu", _floats("silu_cpu", _silu_kernel), node="SiluBackward0", promote=None,
          grads={"self": lambda c, g: _silu_backward(g, c.self)})


def _softplus_kernel(a, beta, threshold, **_):
    z = a * _f(a, beta)
    return np.where(z > threshold, a, np.log1p(np.exp(z)) / _f(a, beta))


def _softplus_backward(g, x, beta, threshold):
    """softplus's derivative is the op softplus_backward (SoftplusBackwardBackward0), declared in
    activation_ops.py, which imports this module."""
    from .activation_ops import SOFTPLUS_BACKWARD
    return SOFTPLUS_BACKWARD(g, x, beta=beta, threshold=threshold)


SOFTPLUS = Op("softplus", _floats("softplus_cpu", _softplus_kernel), node="SoftplusBackward0", promote=None,
              grads={"self": lambda c, g: _softplus_backward(g, c.self, c.beta, c.threshold)})


# ---- layer norm --------------------------------------------------------------------------------
def _layer_norm_kernel(x, w, b, dims, eps, has_weight, has_bias, **_):
    xc = x.astype(np.float64)
    xc -= xc.mean(axis=dims, keepdims=True)
    rstd = 1 / np.sqrt(np.square(xc).mean(axis=dims, keepdims=True) + eps)
    xc *= rstd
    y = xc.astype(x.dtype)
    # the affine step in place where it keeps y's dtype (y is ours): no temporaries
    if has_weight:
        y = np.multiply(y, w, out=y) if w.dtype == y.dtype else y * w
    if has_bias:
        y = np.add(y, b, out=y) if b.dtype == y.dtype else y + b
    return y


def _layer_norm_parts(c, x):
    """x-hat and rstd recomputed with numtorch ops (cached per backward call), so the formulas
    stay differentiable through the statistics; without grad mode, the same roundings in numpy."""
    parts = c.__dict__.get("_parts")
    if parts is None:
        if _layer_norm_numpy(c, x):
            parts = tuple(map(Tensor._make, _layer_norm_parts_kernel(x._data, c.dims, c.eps)))
        else:
            xc = x - mean(x, c.dims, keepdim=True)
            rstd = (mean(xc * xc, c.dims, keepdim=True) + c.eps).rsqrt()
            parts = (xc * rstd, rstd)
        c.__dict__["_parts"] = parts
    return parts


def _layer_norm_numpy(c, x) -> bool:
    """Whether the backward may run in numpy: no graph to record, and a dtype whose numtorch ops
    (means, scalar add, rsqrt) round as the numpy expressions below do."""
    from .._core.state import STATE
    return not STATE.grad_enabled and x._data.dtype in (np.float32, np.float64) and x._data.size > 0


def _layer_norm_parts_kernel(x, dims, eps):
    xc = x - np.mean(x, axis=dims, keepdims=True, dtype=x.dtype)
    rstd = np.mean(xc * xc, axis=dims, keepdims=True, dtype=x.dtype)
    rstd += np.asarray(eps, x.dtype)
    rstd = np.asarray(1, x.dtype) / np.sqrt(rstd)
    xc *= rstd
    return xc, rstd


def _layer_norm_input_grad(c, g, x, weight):
    xhat, rstd = _layer_norm_parts(c, x)
    if _layer_norm_numpy(c, x) and g._data.dtype == x._data.dtype and (
            not c.has_weight or weight._data.dtype == x._data.dtype):
        gw = g._data * weight._data if c.has_weight else g._data
        return Tensor._make(_layer_norm_input_grad_kernel(gw, xhat._data, rstd._data, c.dims))
    gw = g * weight if c.has_weight else g
    return rstd * (gw - mean(gw, c.dims, keepdim=True) - xhat * mean(gw * xhat, c.dims, keepdim=True))


def _layer_norm_input_grad_kernel(gw, xhat, rstd, dims):
    """rstd * (gw - mean(gw) - xhat * mean(gw * xhat)), rounded as the numtorch formula rounds."""
    t = gw * xhat
    mean_gw_xhat = np.mean(t, axis=dims, keepdims=True, dtype=gw.dtype)
    out = gw - np.mean(gw, axis=dims, keepdims=True, dtype=gw.dtype)
    out -= np.multiply(xhat, mean_gw_xhat, out=t)
    out *= rstd
    return out


LAYER_NORM = Op("native_layer_norm", _layer_norm_kernel, node="NativeLayerNormBackward0",
                inputs=("input", "weight", "bias"), promote=None,
                # the lambdas name c.input / c.weight so that exactly those get saved
                grads={"input": lambda c, g: _layer_norm_input_grad(c, g, c.input, c.weight),
                       "weight": lambda c, g: g * _layer_norm_parts(c, c.input)[0],
                       "bias": lambda c, g: g})


# ---- embedding ---------------------------------------------------------------------------------
def _embedding_backward_kernel(g, indices, num_weights, padding_idx, scale_grad_by_freq, **_):
    idx = indices._data.reshape(-1)
    width = 1
    for n in g.shape[indices._data.ndim:]:
        width *= n
    rows = g.reshape(len(idx), width)  # (not -1: an empty index leaves nothing to infer it from)
    if scale_grad_by_freq:
        counts = np.bincount(idx, minlength=num_weights)
        rows = rows / counts[idx][:, None].astype(g.dtype)
    out = np.zeros((num_weights,) + g.shape[indices._data.ndim:], dtype=g.dtype)
    _index_add_rows(out.reshape(num_weights, -1), idx, rows)
    if padding_idx >= 0:
        out[padding_idx] = 0
    return out


def _index_add_rows(out, idx, rows) -> None:
    """out[idx[i]] += rows[i] for i in order: ATen's embedding_dense_backward_cpu loop, and
    np.add.at's order. np.add.at goes row by row; here the i-th occurrences of every index
    form one layer (a row per index, zeros where an index occurs fewer times), and the
    layers are added in turn, which is the same sequence of additions per element (the
    trailing + 0.0 change nothing: a sum started from +0.0 is never -0.0). Which NaN payload
    survives NaN + NaN differs between numpy's vector and scalar loops, so a NaN result is
    recomputed by np.add.at; so is an index distribution too skewed for the layers to be small."""
    counts = np.bincount(idx, minlength=out.shape[0])
    depth = int(counts.max()) if len(idx) else 0
    if out.dtype not in (np.float32, np.float64) or depth * out.shape[0] > 4 * len(idx):
        np.add.at(out, idx, rows)
        return
    order = np.argsort(idx, kind="stable")
    rank = np.empty_like(idx)
    rank[order] = np.arange(len(idx)) - (np.cumsum(counts) - counts)[idx[order]]
    layers = np.zeros((depth,) + out.shape, out.dtype)
    layers[rank, idx] = rows
    for layer in layers:
        np.add(out, layer, out=out)
    if np.isnan(out).any():
        out[...] = 0
        np.add.at(out, idx, rows)


def _embedding_double_backward(g, indices, padding_idx, scale_grad_by_freq):
    idx = indices._data
    keep = (idx != padding_idx).astype(g._data.dtype)
    if scale_grad_by_freq:
        counts = np.bincount(idx.reshape(-1), minlength=g.shape[0])
        keep = keep / counts[idx]
    from .creation import from_numpy
    return EMBEDDING(g, indices=indices, padding_idx=-1, scale_grad_by_freq=False, sparse=False) \
        * from_numpy(keep[..., None].astype(g._data.dtype))


EMBEDDING_BACKWARD = Op("embedding_dense_backward", _embedding_backward_kernel,
                        node="EmbeddingDenseBackwardBackward0", inputs=("grad_output",), promote=None,
                        grads={"grad_output": lambda c, g: _embedding_double_backward(
                            g, c.indices, c.padding_idx, c.scale_grad_by_freq)})
EMBEDDING = Op("embedding", lambda w, indices, **_: w[indices._data], node="EmbeddingBackward0",
               inputs=("weight",), promote=None,
               grads={"weight": lambda c, g: EMBEDDING_BACKWARD(
                   g, indices=c.indices, num_weights=c.shapes[0][0], padding_idx=c.padding_idx,
                   scale_grad_by_freq=c.scale_grad_by_freq)})


# ---- constant padding --------------------------------------------------------------------------
def _constant_pad_kernel(a, pad, value, **_):
    nd = a.ndim
    n = len(pad) // 2
    src = [slice(None)] * nd
    out_shape = list(a.shape)
    for i in range(n):
        d = nd - 1 - i
        lo, hi = pad[2 * i], pad[2 * i + 1]
        size = a.shape[d]
        start, length = 0, size
        if lo < 0:  # ATen narrows for negative padding before it pads
            start, length = -lo, size + lo
            if length < 0:
                raise RuntimeError(messages.NARROW_LENGTH)
        if hi < 0:
            length += hi
            if length < 0:
                raise RuntimeError(messages.NARROW_LENGTH)
        src[d] = slice(start, start + length)
        new = size + lo + hi
        if new < 0:
            raise RuntimeError(messages.PAD_NEGATIVE.format(size=size, lo=lo, hi=hi, dim=d))
        out_shape[d] = new
    out = np.full(out_shape, value, dtype=a.dtype)
    dst = [slice(None)] * nd
    for i in range(n):
        d = nd - 1 - i
        lo = max(pad[2 * i], 0)
        dst[d] = slice(lo, lo + (src[d].stop - src[d].start))
    out[tuple(dst)] = a[tuple(src)]
    return out


CONSTANT_PAD = Op("constant_pad_nd", _constant_pad_kernel, node="ConstantPadNdBackward0", promote=None,
                  grads={"self": lambda c, g: CONSTANT_PAD(g, pad=tuple(-p for p in c.pad), value=0)})


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    if tensor._dtype is not dt.int64:
        raise RuntimeError(messages.ONE_HOT_LONG)
    a = tensor._data
    if num_classes == -1:
        if a.size == 0:
            raise RuntimeError(messages.ONE_HOT_EMPTY)
        num_classes = int(a.max()) + 1
    if a.size and a.min() < 0:
        raise RuntimeError(messages.ONE_HOT_NEGATIVE)
    if a.size and a.max() >= num_classes:
        raise RuntimeError(messages.ONE_HOT_TOO_LARGE)
    out = Tensor._make((a[..., None] == np.arange(num_classes)).astype(np.int64))
    if a.size:  # torch builds it as zeros(...).scatter_(...): two writes show in _version
        out._bump_version()
        out._bump_version()
    return out
