"""The single-tensor (foreach=False) update rules of SGD and Adam/AdamW, line for line as
torch/optim/sgd.py and adam.py write them, over numpy kernels that round like ATen's CPU kernels:
`add(alpha=...)` and `lerp` are fused multiply-adds there, emulated here by computing in float64
and rounding once. Every in-place update bumps the tensor's version, as the torch op would."""
from __future__ import annotations

import functools

import numpy as np

from .._core import blas_axpy
from .._core.fp_state import quiet as fp_quiet, restore as fp_restore
from .._core.callsite import call_site
from .._core.generator import fma32, fma64
from .._tensor import Tensor

_make = Tensor._make


_CHUNK = 1 << 15  # elements per float64 temporary (256 KiB)


def quiet(fn):
    """Decorates an update rule: numpy's floating-point warnings are off while it runs (torch's
    kernels say nothing about NaN or inf either)."""
    @functools.wraps(fn)
    def run(*args, **kwargs):
        token = fp_quiet()
        try:
            return fn(*args, **kwargs)
        finally:
            fp_restore(token)
    return run


def _fma(x: np.ndarray, y, z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """x * y + z rounded once (into `out` when given); y a scalar, or for float32/float16 also an
    array of x's shape and dtype. An in-place update with a scalar y goes through BLAS's axpy
    (true fma, see numtorch/_core/blas_axpy.py) where numpy's library passed its probe. Otherwise
    float32/float16 go through float64, where the product is exact and the sum's own rounding
    lands on a float32 rounding tie with probability about 2**-29 (not handled, for speed);
    float64 uses the exact fma_rn below."""
    scalar = type(y) is float or np.ndim(y) == 0  # (np.ndim alone costs 2 us on a float)
    if out is not None and scalar and _axpy_into(x, y, z, out):
        return out
    if x.dtype in (np.float32, np.float16):
        y = np.float64(np.asarray(y, x.dtype)) if scalar else y
        # (one chunk or fewer: the chunks' operations without their slicing, a third of the time)
        if out is None or x.size <= _CHUNK or x.shape != out.shape or np.shape(z) != out.shape or not (
                x.flags.c_contiguous and out.flags.c_contiguous and z.flags.c_contiguous) or not (
                scalar or (y.shape == out.shape and y.flags.c_contiguous)):
            s = np.multiply(x, y, dtype=np.float64)
            s += z
            if out is None:
                return s.astype(x.dtype)
            np.copyto(out, s, casting="unsafe")
            return out
        # an optimizer's update: chunks whose float64 temporary stays in cache, each rounded once
        # straight into the parameter (a whole-tensor float64 temporary costs more in memory
        # traffic and fresh pages than the arithmetic)
        xf, zf, of = x.reshape(-1), z.reshape(-1), out.reshape(-1)
        yf = y if scalar else y.reshape(-1)
        scratch = np.empty(min(xf.size, _CHUNK))
        for i in range(0, xf.size, _CHUNK):
            s = scratch[:min(_CHUNK, xf.size - i)]
            np.multiply(xf[i:i + _CHUNK], yf if scalar else yf[i:i + _CHUNK], out=s, dtype=np.float64)
            s += zf[i:i + _CHUNK]
            np.copyto(of[i:i + _CHUNK], s, casting="unsafe")
        return out
    r = fma_rn(x, np.asarray(y, x.dtype), z, x.dtype) if x.dtype == np.float64 else x * y + z
    if out is None:
        return r
    np.copyto(out, r, casting="unsafe")
    return out


def _axpy_into(x: np.ndarray, y, z: np.ndarray, out: np.ndarray) -> bool:
    """out = fma(x, y, z) with BLAS's axpy on whole blocks and an exact fma on the tail; False
    (nothing written) when the route does not apply: other dtypes or layouts, out partly
    overlapping x, or a library whose kernel failed the probe."""
    if not (x.size >= 64 and x.dtype == z.dtype == out.dtype and x.shape == out.shape
            and (z is out or z.shape == out.shape) and x.flags.c_contiguous and z.flags.c_contiguous
            and out.flags.c_contiguous and out.flags.writeable and blas_axpy.applies(x.dtype)):
        return False
    xp, op = blas_axpy.address(x), blas_axpy.address(out)
    in_place = out is z or op == blas_axpy.address(z)  # (add_ passes one array for both)
    # (np.may_share_memory's bounds test, on the addresses at hand: both are contiguous)
    if xp < op + out.nbytes and op < xp + x.nbytes and not (in_place and xp == op):
        return False  # (x is out itself: every element reads its own value before the write)
    if not in_place:
        np.copyto(out, z)
    alpha = np.asarray(y, x.dtype)
    k = blas_axpy.axpy_(x, alpha, out, xp, op)  # (C-contiguous: whole blocks of the flat order)
    if k < out.size:
        exact = fma32 if x.dtype == np.float32 else fma64
        of = out.reshape(-1)
        of[k:] = exact(x.reshape(-1)[k:], alpha, of[k:])
    return True


def _written(t: Tensor, site=None) -> Tensor:
    """t after an in-place write into t._data: one version bump, as the torch op makes (site:
    see Tensor._bump_version)."""
    t._bump_version(site)
    return t


def _set(t: Tensor, value: np.ndarray) -> Tensor:
    np.copyto(t._data, value, casting="unsafe")
    return _written(t)


def _scalar(a: np.ndarray, s) -> np.ndarray:
    return np.asarray(s, a.dtype)


def add(a: Tensor, b: Tensor, alpha: float = 1) -> Tensor:
    """a.add(b, alpha=alpha) (out of place)."""
    return _make(_fma(b._data, alpha, a._data) if alpha != 1 else a._data + b._data)


def add_(a: Tensor, b: Tensor, alpha: float = 1, site=None) -> Tensor:
    if alpha == 1:
        np.copyto(a._data, a._data + b._data, casting="unsafe")
        return _written(a, site)
    _fma(b._data, alpha, a._data, out=a._data)
    return _written(a, site)


def mul_(a: Tensor, s: float, site=None) -> Tensor:
    np.multiply(a._data, _scalar(a._data, s), out=a._data)
    return _written(a, site)


def lerp_(a: Tensor, end: Tensor, weight: float) -> Tensor:
    x, y = a._data, end._data
    w = float(_scalar(x, weight))
    if abs(w) < 0.5:
        _fma(y - x, w, x, out=x)
    else:
        _fma(y - x, w - 1, y, out=x)
    return _written(a)


def addcmul_(a: Tensor, t1: Tensor, t2: Tensor, value: float = 1) -> Tensor:
    """a.addcmul_(t1, t2, value=value) as ATen's CPU kernel rounds it: fma(value * t1, t2, a)
    (the float32 product is exact in float64, so one rounding remains)."""
    x = _scalar(a._data, value) * t1._data
    if x.dtype in (np.float32, np.float16):
        _fma(x, t2._data, a._data, out=a._data)
        return _written(a)
    return _set(a, x * t2._data + a._data)  # float64: two roundings, as torch's kernel rounds


def addcdiv_(a: Tensor, t1: Tensor, t2: Tensor, value: float = 1) -> Tensor:
    quotient = _scalar(a._data, value) * t1._data
    quotient /= t2._data
    np.add(a._data, quotient, out=a._data)
    return _written(a)


@quiet
def sgd(params: list[Tensor], grads: list[Tensor], momentum_buffer_list: list[Tensor | None], *,
        weight_decay: float, momentum: float, lr: float, dampening: float, nesterov: bool,
        maximize: bool) -> None:
    site = call_site(deferred=True)  # every write below has the same one: the user's step call
    for i, param in enumerate(params):
        grad = grads[i] if not maximize else _make(-grads[i]._data)
        if weight_decay != 0:
            grad = add(grad, param, alpha=weight_decay)
        if momentum != 0:
            buf = momentum_buffer_list[i]
            if buf is None:
                buf = _make(grad._data.copy())
                momentum_buffer_list[i] = buf
            else:
                add_(mul_(buf, momentum, site), grad, alpha=1 - dampening, site=site)
            grad = add(grad, buf, alpha=momentum) if nesterov else buf
        add_(param, grad, alpha=-lr, site=site)


@quiet
def adam(params: list[Tensor], grads: list[Tensor], exp_avgs: list[Tensor], exp_avg_sqs: list[Tensor],
         max_exp_avg_sqs: list[Tensor], state_steps: list[Tensor], *, amsgrad: bool, beta1: float,
         beta2: float, lr: float, weight_decay: float, eps: float, maximize: bool,
         decoupled_weight_decay: bool) -> None:
    for i, param in enumerate(params):
        grad = grads[i] if not maximize else _make(-grads[i]._data)
        exp_avg, exp_avg_sq, step_t = exp_avgs[i], exp_avg_sqs[i], state_steps[i]
        _set(step_t, step_t._data + 1)
        if weight_decay != 0:
            if decoupled_weight_decay:
                mul_(param, 1 - lr * weight_decay)
            else:
                grad = add(grad, param, alpha=weight_decay)
        lerp_(exp_avg, grad, 1 - beta1)
        addcmul_(mul_(exp_avg_sq, beta2), grad, grad, value=1 - beta2)
        step = step_t.item()
        bias_correction1 = 1 - beta1 ** step
        bias_correction2 = 1 - beta2 ** step
        step_size = lr / bias_correction1
        bias_correction2_sqrt = bias_correction2 ** 0.5
        if amsgrad:
            _set(max_exp_avg_sqs[i], np.maximum(max_exp_avg_sqs[i]._data, exp_avg_sq._data))
            second = max_exp_avg_sqs[i]._data
        else:
            second = exp_avg_sq._data
        denom = np.sqrt(second)
        denom /= _scalar(second, bias_correction2_sqrt)
        denom += _scalar(second, eps)
        addcdiv_(param, exp_avg, _make(denom), value=-step_size)


# ---- correctly rounded kernels (Adamax, NAdam, RAdam, Adadelta, Rprop, ASGD) ----------------------
# ATen's CPU kernels for `add(alpha=)`, `addcmul` and `lerp` are true fused multiply-adds for float64
# too (one rounding); numpy has no fma, so fma_rn builds one from error-free transformations: the
# float64 sum is rounded to odd and then to nearest, which is the correctly rounded result
# (Boldo & Melquiond, "Emulation of FMA and correctly rounded sums: proved algorithms using
# rounding to odd", 2008). float32/float16 products are exact in float64, so one odd-rounded add
# and one cast suffice there.

def _two_sum(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def _split(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    c = 134217729.0 * a  # Veltkamp: 2**27 + 1
    hi = c - (c - a)
    return hi, a - hi


def _two_prod(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    p = a * b
    ah, al = _split(a)
    bh, bl = _split(b)
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


def _round_to_odd(s: np.ndarray, err: np.ndarray) -> np.ndarray:
    """s + err rounded to odd, where s = RN(s + err) and err is its exact error: an inexact sum
    whose nearest float s has an even last bit moves one ulp towards the exact value."""
    s = np.array(s, dtype=np.float64, ndmin=1)
    err = np.broadcast_to(np.asarray(err, np.float64), s.shape)
    fix = (err != 0) & ((s.view(np.int64) & 1) == 0)
    if fix.any():
        s[fix] = np.nextafter(s[fix], np.where(err[fix] > 0, np.inf, -np.inf))
    return s


def fma_rn(x, y, z, dtype=None) -> np.ndarray:
    """x * y + z rounded once to `dtype` (default: x's dtype); x, y, z arrays or scalars that are
    already values of that dtype. NaN/inf (and float64 overflow in the splitting) fall back to
    the plain expression, which then gives the same non-finite result."""
    with np.errstate(all="ignore"):
        return _fma_rn(x, y, z, np.dtype(dtype if dtype is not None else np.asarray(x).dtype))


def _fma_rn(x, y, z, dtype: np.dtype) -> np.ndarray:
    x64, y64, z64 = (np.asarray(v, np.float64) for v in (x, y, z))
    shape = np.broadcast_shapes(x64.shape, y64.shape, z64.shape)
    if dtype == np.float64:
        uh, ul = _two_prod(x64, y64)
        th, tl = _two_sum(z64, uh)
        v = _round_to_odd(*_two_sum(tl, ul)).reshape(np.broadcast_shapes(tl.shape, ul.shape))
        out = th + v
    else:
        out = _round_to_odd(*_two_sum(x64 * y64, z64)).reshape(shape).astype(dtype)
    out = np.broadcast_to(out, shape)
    bad = ~np.isfinite(out)
    if bad.any():
        naive = np.broadcast_to((x64 * y64 + z64).astype(dtype), shape)
        out = np.where(bad, naive, out)
    return np.asarray(out, dtype).reshape(shape)


def cast(a: np.ndarray, s) -> np.ndarray:
    """A Python number (or 0-d Tensor) as ATen casts a scalar operand: to the tensor's dtype."""
    return np.asarray(s.item() if isinstance(s, Tensor) else s, a.dtype)


def add_rn(a: np.ndarray, b: np.ndarray, alpha=1) -> np.ndarray:
    """a.add(b, alpha=alpha): fma(b, alpha, a) (alpha cast to the dtype first)."""
    if alpha == 1:
        return a + b
    return fma_rn(b, cast(a, alpha), a, a.dtype)


def lerp_rn(a: np.ndarray, end: np.ndarray, weight) -> np.ndarray:
    """a.lerp(end, weight) with a scalar weight: fma(w, end - a, a) for |w| < 0.5, else
    fma(w - 1, end - a, end), w cast to the dtype."""
    w = cast(a, weight)
    diff = end - a
    if abs(float(w)) < 0.5:
        return fma_rn(diff, w, a, a.dtype)
    return fma_rn(diff, w - np.asarray(1, a.dtype), end, a.dtype)


def addcmul_rn(a: np.ndarray, t1: np.ndarray, t2: np.ndarray, value=1) -> np.ndarray:
    """a.addcmul(t1, t2, value=value): fma(value * t1, t2, a), the first product rounded."""
    return fma_rn(cast(a, value) * t1, t2, a, a.dtype)


def addcdiv_rn(a: np.ndarray, t1: np.ndarray, t2: np.ndarray, value=1) -> np.ndarray:
    """a.addcdiv(t1, t2, value=value): a + (value * t1) / t2, three roundings."""
    return a + cast(a, value) * t1 / t2


def sqrt(a: np.ndarray) -> np.ndarray:
    """Tensor.sqrt(). numpy's is correctly rounded; torch's CPU kernel is MKL's VML sqrt, which is
    not (about 1 float32 result in 7 and 1 float64 result in 80 differ by one ulp): the one
    place where these optimizers can differ from torch. Looked up through this module, so that a
    test can substitute torch's kernel and check every other rounding bit for bit."""
    return np.sqrt(a)


def dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Tensor.dot() for LBFGS. torch's is MKL's sdot/ddot, whose summation order is its own (and
    the CPU's): the results can differ in the last bits. Substitutable like sqrt."""
    return np.asarray(np.dot(a, b))


def reduce_sum(a: np.ndarray) -> np.ndarray:
    """Tensor.sum() for LBFGS (ATen's vectorised cascade order is not numpy's pairwise one).
    Substitutable like sqrt."""
    return np.asarray(np.sum(a))


def as_real(a: np.ndarray) -> np.ndarray:
    """torch.view_as_real for the update rules: a complex array as a float view of its (real, imag)
    pairs, laid out flat, (..., 2n) instead of (..., n, 2): the same elements in the same order,
    which is all an element-wise rule needs. Real arrays are returned as they are."""
    if not np.iscomplexobj(a):
        return a
    flat = a.reshape(a.shape or (1,))
    try:
        return flat.view(flat.real.dtype)
    except ValueError:  # not contiguous in its last dimension: a copy (for reading)
        return np.stack([flat.real, flat.imag], -1).reshape(*flat.shape[:-1], -1)


def set_(t: Tensor, value: np.ndarray) -> Tensor:
    """An in-place write into t (through as_real's view when t is complex): one version bump."""
    np.copyto(as_real(t._data), value, casting="unsafe")
    t._bump_version()
    return t


def add_complex(a: np.ndarray, b: np.ndarray, alpha=1) -> np.ndarray:
    """a.add(b, alpha=alpha) for complex tensors, on their as_real views, alpha real: ATen's
    complex multiply rounds alpha * b before the add (no fused multiply-add)."""
    if alpha == 1:
        return a + b
    return a + b * cast(a, alpha)
