"""Vectorised special functions for kernels: erf, erfc and erfinv in float64, each within about
an ulp.

NumPy has no erf. These are the classic minimax rational approximations of erf on four intervals
(|x| < 0.84375, < 1.25, < 1/0.35, < 6; constant beyond), the coefficients of Sun's fdlibm, evaluated
on whole arrays with masks instead of per element."""
from __future__ import annotations

import numpy as np

# erf(x) = x + x * P(x^2) / Q(x^2) for |x| < 0.84375
_P_SMALL = (1.28379167095512558561e-01, -3.25042107247001499370e-01, -2.84817495755985104766e-02,
            -5.77027029648944159157e-03, -2.37630166566501626084e-05)
_Q_SMALL = (1.0, 3.97917223959155352819e-01, 6.50222499887672944485e-02, 5.08130628187576562776e-03,
            1.32494738004321644526e-04, -3.96022827877536812320e-06)
# erf(1 + s) = ERX + P(s) / Q(s) for 0.84375 <= |x| < 1.25
_ERX = 8.45062911510467529297e-01
_P_ONE = (-2.36211856075265944077e-03, 4.14856118683748331666e-01, -3.72207876035701323847e-01,
          3.18346619901161753674e-01, -1.10894694282396677476e-01, 3.54783043256182359371e-02,
          -2.16637559486879084300e-03)
_Q_ONE = (1.0, 1.06420880400844228286e-01, 5.40397917702171048937e-01, 7.18286544141962662868e-02,
          1.26171219808761642112e-01, 1.36370839120290507362e-02, 1.19844998467991074170e-02)
# erfc(x) = exp(-x^2 - 0.5625 + R(1/x^2) / S(1/x^2)) / x, for 1.25 <= |x| < 1/0.35 and beyond
_R_MID = (-9.86494403484714822705e-03, -6.93858572707181764372e-01, -1.05586262253232909814e+01,
          -6.23753324503260060396e+01, -1.62396669462573470355e+02, -1.84605092906711035994e+02,
          -8.12874355063065934246e+01, -9.81432934416914548592e+00)
_S_MID = (1.0, 1.96512716674392571292e+01, 1.37657754143519042600e+02, 4.34565877475229228821e+02,
          6.45387271733267880336e+02, 4.29008140027567833386e+02, 1.08635005541779435134e+02,
          6.57024977031928170135e+00, -6.04244152148580987438e-02)
_R_FAR = (-9.86494292470009928597e-03, -7.99283237680523006574e-01, -1.77579549177547519889e+01,
          -1.60636384855821916062e+02, -6.37566443368389627722e+02, -1.02509513161107724954e+03,
          -4.83519191608651397019e+02)
_S_FAR = (1.0, 3.03380607434824582924e+01, 3.25792512996573918826e+02, 1.53672958608443695994e+03,
          3.19985821950859553908e+03, 2.55305040643316442583e+03, 4.74528541206955367215e+02,
          -2.24409524465858183362e+01)


def _poly(coeffs, z):
    """Horner's scheme in place (no temporary per coefficient)."""
    out = np.full_like(z, coeffs[-1])
    for c in coeffs[-2::-1]:
        out *= z
        out += c
    return out


def _ratio(p, q, z):
    r = _poly(p, z)
    r /= _poly(q, z)
    return r


def _erfc_tail(a):
    """erfc(a) for a >= 1.25 (a already absolute)."""
    s = 1.0 / (a * a)
    mid = a < 1 / 0.35
    ratio = np.where(mid, _poly(_R_MID, s) / _poly(_S_MID, s), _poly(_R_FAR, s) / _poly(_S_FAR, s))
    # split a*a into an exactly squared high part and a small remainder, for an accurate exp
    hi = (a.view(np.uint64) & np.uint64(0xFFFFFFFF00000000)).view(np.float64)
    return np.exp(-hi * hi - 0.5625) * np.exp((hi - a) * (hi + a) + ratio) / a


def erf(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x)
    if not x.flags.c_contiguous:
        # keep the input's memory layout, as numpy's ufuncs and ATen's TensorIterator do (erf of a
        # transposed tensor is transposed): a dense copy in the ufunc's layout, permuted to C order
        dense = np.positive(x)
        perm = np.argsort(dense.strides, kind="stable")[::-1]
        return erf(dense.transpose(perm)).transpose(np.argsort(perm))
    x = np.asarray(x, dtype=np.float64)
    shape, x = x.shape, x.ravel()
    a = np.abs(x)
    out = np.empty_like(x)
    # each interval's elements by integer index: gathers and scatters through index lists are
    # about twice as fast as through boolean masks on large arrays (GELU's erf dominates W4)
    small = np.flatnonzero(a < 0.84375)
    xs = x[small]
    r = _ratio(_P_SMALL, _Q_SMALL, xs * xs)
    r *= xs
    r += xs
    out[small] = r
    if small.size < x.size:
        near = np.flatnonzero((a >= 0.84375) & (a < 1.25))
        v = _ratio(_P_ONE, _Q_ONE, a[near] - 1.0)
        v += _ERX
        out[near] = np.copysign(v, x[near])
        tail = np.flatnonzero((a >= 1.25) & (a < 6.0))
        out[tail] = np.copysign(1.0 - _erfc_tail(a[tail]), x[tail])
        far = np.flatnonzero(~(a < 6.0))  # |x| >= 6, inf and nan
        xf = x[far]
        out[far] = np.where(np.isnan(xf), np.nan, np.copysign(1.0, xf))
    return out.reshape(shape)


def erfc(x: np.ndarray) -> np.ndarray:
    out = np.asarray(1.0 - erf(x))  # (a 0-d input gives a numpy scalar; laid out like x)
    x = np.asarray(x, dtype=np.float64)
    a = np.abs(x)
    tail = (x >= 1.25) & (x < 28.0)  # where 1 - erf loses all precision
    out[tail] = _erfc_tail(a[tail])
    out[x >= 28.0] = 0.0
    return out


# ---- erfinv ----------------------------------------------------------------------------------------
# PyTorch 2.13's CPU erfinv ("erfinv_vml_cpu", MKL's vector library) is correctly rounded in float64
# and within a few 1e-4 ulp of it in float32, so ATen's own calc_erfinv (a rational guess plus two
# Newton steps, evaluated in the tensor's dtype) would miss by several ulp. We start from that guess
# and polish it in float64 with Halley steps whose residual erf(x) - y is computed without
# cancellation (see _erf_minus), then round once: float64 is within an ulp of torch, float32
# differs only where the value is within about 1e-4 ulp of a rounding tie.
_A_INV = (0.886226899, -1.645349621, 0.914624893, -0.140543331)
_B_INV = (1.0, -2.118377725, 1.442710462, -0.329097515, 0.012229801)
_C_INV = (-1.970840454, -1.624906493, 3.429567803, 1.641345311)
_D_INV = (1.0, 3.543889200, 1.637067800)
_TWO_OVER_SQRT_PI = 1.1283791670955126


def _erf_minus(x, a):
    """erf(x) - a for x >= 0 near erfinv(a), 0 <= a < 1, to about a tenth of an ulp of x.

    Each branch splits erf into a part that cancels a exactly (x - a, ERX - a and 1 - a are exact by
    Sterbenz's lemma where x is near the root) and a smaller correction, so the rounding error of
    the correction is all that is left."""
    out = np.empty_like(x)
    small = x < 0.84375
    xs = x[small]
    z = xs * xs
    out[small] = (xs - a[small]) + xs * (_poly(_P_SMALL, z) / _poly(_Q_SMALL, z))
    near_one = (x >= 0.84375) & (x < 1.25)
    s = x[near_one] - 1.0
    out[near_one] = (_ERX - a[near_one]) + _poly(_P_ONE, s) / _poly(_Q_ONE, s)
    tail = x >= 1.25
    out[tail] = (1.0 - a[tail]) - _erfc_tail(x[tail])
    return out


def erfinv(y: np.ndarray) -> np.ndarray:
    y = np.asarray(y, dtype=np.float64)
    a = np.abs(y)
    inside = a < 1.0  # NaN compares False: it stays NaN below
    ai = a[inside]
    # initial guess (relative error about 1e-7): a rational function of a in the centre, of
    # sqrt(-log((1 - a) / 2)) in the tails
    z = ai * ai
    central = ai * _poly(_A_INV, z) / _poly(_B_INV, z)
    w = np.sqrt(-np.log((1.0 - np.maximum(ai, 0.7)) / 2.0))
    x = np.where(ai <= 0.7, central, _poly(_C_INV, w) / _poly(_D_INV, w))
    # Halley's method (cubic convergence): two steps take 1e-7 to below rounding
    for _ in range(2):
        u = _erf_minus(x, ai) / (_TWO_OVER_SQRT_PI * np.exp(-x * x))
        x = x - u / (1.0 + x * u)
    out = np.where(a == 1.0, np.inf, np.nan)
    out[inside] = x
    return np.copysign(out, y)


def _op_declarations():
    """erf and erfc as tensor ops (float results computed in float64 and rounded once)."""
    import math

    from .dispatch import Op

    two_over_sqrt_pi = 2 / math.sqrt(math.pi)

    def kernel(fn):
        return lambda a: fn(a).astype(a.dtype, copy=False)

    from .nn_ops import MUL_SCALAR

    def gauss(self, scale):
        # derivatives.yaml: `2.0 / sqrt(M_PI) * exp(-(self.pow(2))) * grad`, a C++ double times a
        # tensor (mul.Scalar, MulBackward1) and then times grad
        return MUL_SCALAR((-(self.pow(2))).exp(), other=scale)

    erf_op = Op("erf", kernel(erf), node="ErfBackward0", promote="float",
                grads={"self": lambda c, g: gauss(c.self, two_over_sqrt_pi) * g})
    erfc_op = Op("erfc", kernel(erfc), node="ErfcBackward0", promote="float",
                 grads={"self": lambda c, g: gauss(c.self, -two_over_sqrt_pi) * g})
    return erf_op, erfc_op


ERF, ERFC = _op_declarations()


def erf_(self):
    return ERF.inplace(self)


def erfc_(self):
    return ERFC.inplace(self)


def _erfinv_kernel(a):
    if a.dtype.kind == "c":
        from .._core import dtypes as dt
        from .._core import messages
        raise NotImplementedError(messages.NOT_IMPLEMENTED_DTYPE.format(
            kernel="erfinv_vml_cpu", dtype=dt._BY_NP[a.dtype].short_name))
    out = erfinv(a)
    if a.dtype == np.float16:  # torch computes half in float, then rounds
        out = out.astype(np.float32)
    return out.astype(a.dtype, copy=False)


def _erfinv_op():
    import math

    from .dispatch import Op

    half_sqrt_pi = math.sqrt(math.pi) / 2
    # derivatives.yaml: 0.5 * sqrt(pi) * exp(self.erfinv().pow(2)) * grad. It saves self (not the
    # result) and recomputes erfinv in backward, so double backward differentiates through erfinv.
    return Op("erfinv", _erfinv_kernel, node="ErfinvBackward0", promote="float",
              grads={"self": lambda c, g: (ERFINV(c.self).pow(2).exp() * half_sqrt_pi) * g})


ERFINV = _erfinv_op()


def erfinv_(self):
    return ERFINV.inplace(self)
