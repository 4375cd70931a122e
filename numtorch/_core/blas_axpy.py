"""y += alpha * x with one rounding per element, through the BLAS library numpy itself links.

ATen's `add(alpha=)` (SGD's update, lerp's inner step) is a fused multiply-add on every element.
numpy has no fma, and emulating it in float64 costs three mixed-dtype passes. OpenBLAS's axpy
kernels run their vector blocks on FMA instructions, which round exactly as ATen's do; only their
scalar tail (fewer elements than a block) multiplies and adds separately. So `axpy_` hands BLAS
whole blocks and leaves the tail to the caller.

Nothing here is assumed: the first use per dtype probes the kernel against an exact fma on every
lane, at several lengths and alignments. A library without the symbol, or a kernel that rounds
twice anywhere in a block, turns the route off and callers keep their numpy emulation."""
from __future__ import annotations

import ctypes
import glob
import os

import numpy as np

_BLOCK = 64      # a multiple of every x86 axpy kernel's block (OpenBLAS Haswell: 32 floats)
_PIECE = 9984    # elements per call when BLAS runs several threads: below OpenBLAS's threading
                 # threshold (10,000), so no call is split into shares that end in scalar tails
_SYMBOLS = {np.dtype(np.float32): "saxpy", np.dtype(np.float64): "daxpy"}
_KERNELS: dict = {}  # dtype -> the ctypes function, or None when the route is off
_UNPROBED = object()  # (a dtype not yet in _KERNELS)
_THREADS = [None]  # the library's get_num_threads, once bound


def _library():
    """numpy's bundled OpenBLAS (wheels ship it beside the package) and its symbol style."""
    root = os.path.dirname(np.__file__)
    for pattern in ("../numpy.libs/libscipy_openblas*", ".dylibs/libscipy_openblas*",
                    "../numpy.libs/libopenblas*", ".dylibs/libopenblas*"):
        for path in sorted(glob.glob(os.path.join(root, pattern))):
            try:
                return ctypes.CDLL(path)
            except OSError:
                continue
    return None


def _bind(lib, name: str):
    for prefix, suffix, int_type in (("scipy_", "64_", ctypes.c_int64), ("", "64_", ctypes.c_int64),
                                     ("scipy_", "", ctypes.c_int), ("", "", ctypes.c_int)):
        fn = getattr(lib, f"{prefix}cblas_{name}{suffix}", None)
        if fn is not None:
            real = ctypes.c_float if name == "saxpy" else ctypes.c_double
            fn.restype = None
            fn.argtypes = [int_type, real, ctypes.c_void_p, int_type, ctypes.c_void_p, int_type]
            threads = getattr(lib, f"{prefix}openblas_get_num_threads{suffix}", None)
            if threads is not None:
                threads.restype, threads.argtypes = ctypes.c_int, []
            _THREADS[0] = threads
            return fn
    return None


def _exact(x: np.ndarray, alpha, y: np.ndarray) -> np.ndarray:
    from .generator import fma32, fma64
    return (fma32 if x.dtype == np.float32 else fma64)(x, np.asarray(alpha, x.dtype), y)


def _passes_probe(fn, dtype: np.dtype) -> bool:
    """Every lane of whole blocks equals an exact fma, for random operands (about a quarter of
    lanes round differently when the product is rounded first) and special values."""
    rng = np.random.default_rng(20261207)
    n = 2 * _PIECE + 3 * _BLOCK
    x = (rng.standard_normal(n + 3) * rng.choice([1e-3, 1.0, 1e3], n + 3)).astype(dtype)
    y0 = rng.standard_normal(n + 3).astype(dtype)
    x[:6] = [np.nan, np.inf, -np.inf, 0.0, -0.0, np.finfo(dtype).tiny / 3]
    # (-3.0: its products are short enough that many sums are exact ties, rounded to even)
    for alpha, length in ((-0.01, n), (0.9, n), (-3.1, n), (-3.0, 3 * _BLOCK)):
        for offset in (0, 1, 3):
            want = _exact(x[offset:offset + length], alpha, y0[offset:offset + length])
            for size in {_BLOCK, length}:
                got = y0[offset:offset + size].copy()
                _call(fn, x[offset:offset + size], alpha, got)
                if not (np.array_equal(got, want[:size], equal_nan=True)
                        and np.array_equal(np.signbit(got), np.signbit(want[:size]))):
                    return False
    return True


def address(a: np.ndarray) -> int:
    """The first byte of a C-contiguous, non-empty array. A writable one is read through the
    buffer protocol: `a.ctypes.data` builds a helper object first and costs three times as much,
    which showed at a few parameters per optimizer step."""
    if a.flags.writeable:
        return ctypes.addressof(ctypes.c_char.from_buffer(a))
    return a.ctypes.data


def _call(fn, x: np.ndarray, alpha, y: np.ndarray, n: int | None = None, xp: int | None = None,
          yp: int | None = None) -> None:
    """y[:n] += alpha * x[:n] (n: all of x by default; xp, yp: their addresses, when known)."""
    xp = address(x) if xp is None else xp
    yp = address(y) if yp is None else yp
    size, n = x.itemsize, x.size if n is None else n
    threads = _THREADS[0]
    if threads is not None and threads() == 1:
        fn(n, alpha, xp, 1, yp, 1)
        return
    for start in range(0, n, _PIECE):
        fn(min(_PIECE, n - start), alpha, xp + start * size, 1, yp + start * size, 1)


def _kernel(dtype: np.dtype):
    if dtype not in _KERNELS:
        fn = None
        try:
            lib = _library()
            fn = _bind(lib, _SYMBOLS[dtype]) if lib is not None else None
            if fn is not None and not _passes_probe(fn, dtype):
                fn = None
        except Exception:  # noqa: BLE001 - any failure leaves numpy's emulation in charge
            fn = None
        _KERNELS[dtype] = fn
    return _KERNELS[dtype]


def applies(dtype: np.dtype) -> bool:
    """Whether axpy_ runs for this dtype (probing the kernel on the first call)."""
    return dtype in _SYMBOLS and _kernel(dtype) is not None


def axpy_(x: np.ndarray, alpha, y: np.ndarray, xp: int | None = None, yp: int | None = None) -> int:
    """y[:k] = fma(x[:k], alpha, y[:k]) in place for the largest whole-block prefix k, which is
    returned (0 when the route is off or does not apply); the caller rounds y[k:] itself.
    x, y: 1-d, contiguous, one float32/float64 dtype, equal sizes, y writable and not partly
    overlapping x; alpha: a value of that dtype. (Any C-contiguous shape works as its flat
    order; the prefix is then of that order.) xp, yp: address(x), address(y) when the caller
    has them."""
    n = x.size
    if n < _BLOCK or y.dtype != x.dtype or y.size != n:
        return 0
    fn = _KERNELS.get(x.dtype, _UNPROBED)
    if fn is _UNPROBED:
        fn = _kernel(x.dtype) if x.dtype in _SYMBOLS else None
    if fn is None:
        return 0
    k = n - n % _BLOCK
    _call(fn, x, float(alpha), y, k, xp, yp)
    return k
