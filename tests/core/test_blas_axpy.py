"""The BLAS axpy route of the optimizers' fused multiply-add (numtorch/_core/blas_axpy.py): every
element rounds once, bit for bit as torch's `add(alpha=)`, for any size (whole blocks through
BLAS, the tail through the exact emulation), layout and aliasing; a kernel that rounds twice is
refused by the probe."""
from __future__ import annotations

import ctypes

import numpy as np
import pytest

from numtorch._core import blas_axpy
from numtorch._core.generator import fma32, fma64
from numtorch.optim._functional import _fma

torch = pytest.importorskip("torch")

SIZES = [1, 63, 64, 65, 127, 128, 1000, 9984, 9985, 30_011]
DTYPES = [np.float32, np.float64]


def _operands(n, dtype, seed):
    rng = np.random.default_rng(seed)
    x = (rng.standard_normal(n) * rng.choice([1e-3, 1.0, 1e3], n)).astype(dtype)
    z = rng.standard_normal(n).astype(dtype)
    return x, z


def _bits(a):
    return a.view(np.uint32 if a.dtype == np.float32 else np.uint64)


def _exact(x, alpha, z):
    return (fma32 if x.dtype == np.float32 else fma64)(x, np.asarray(alpha, x.dtype), z)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n", SIZES)
def test_in_place_update_is_torch_add_with_alpha(n, dtype):
    x, z = _operands(n, dtype, n)
    want = torch.from_numpy(z.copy()).add_(torch.from_numpy(x), alpha=-0.01).numpy()
    out = z.copy()
    assert _fma(x, -0.01, out, out=out) is out
    np.testing.assert_array_equal(_bits(out), _bits(want))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n", [64, 200, 12_345])
def test_out_of_place_and_self_aliased_updates_round_once(n, dtype):
    x, z = _operands(n, dtype, 7 * n)
    out = np.empty_like(z)
    _fma(x, 0.9, z, out=out)
    np.testing.assert_array_equal(_bits(out), _bits(_exact(x, 0.9, z)))
    a = x.copy()  # a.add_(a, alpha=w): x, z and out are one array
    _fma(a, -3.1, a, out=a)
    np.testing.assert_array_equal(_bits(a), _bits(_exact(x, -3.1, x)))


def test_views_and_partial_overlap_keep_the_numpy_route():
    x, z = _operands(1000, np.float32, 3)
    buf = np.concatenate([x, z])
    out = buf[10:1010]  # overlaps x = buf[:1000] without being it
    xs = buf[:1000].copy()
    want = _exact(xs, 0.5, z)
    _fma(buf[:1000], 0.5, z, out=out)  # numpy route: computed from x before the write
    np.testing.assert_array_equal(out, want)
    strided = np.zeros(2000, np.float32)[::2]
    _fma(x, 0.5, z, out=strided)
    np.testing.assert_array_equal(strided, want)


def test_threaded_library_is_called_in_pieces_with_the_same_result(monkeypatch):
    x, z = _operands(3 * blas_axpy._PIECE + 64, np.float32, 11)
    whole = z.copy()
    _fma(x, -0.01, whole, out=whole)
    monkeypatch.setattr(blas_axpy, "_THREADS", [lambda: 2])
    pieces = z.copy()
    _fma(x, -0.01, pieces, out=pieces)
    np.testing.assert_array_equal(_bits(pieces), _bits(whole))


def _two_rounding_saxpy(n, alpha, xp, incx, yp, incy):
    def view(p):
        return np.ctypeslib.as_array(ctypes.cast(p, ctypes.POINTER(ctypes.c_float)), (n,))
    y = view(yp)
    y[:] = view(xp) * np.float32(alpha) + y


def test_probe_refuses_a_kernel_that_rounds_twice():
    assert not blas_axpy._passes_probe(_two_rounding_saxpy, np.dtype(np.float32))


def test_route_off_leaves_callers_their_emulation(monkeypatch):
    monkeypatch.setattr(blas_axpy, "_KERNELS", {np.dtype(np.float32): None})
    x, z = _operands(500, np.float32, 5)
    assert blas_axpy.axpy_(x, np.float32(2), z.copy()) == 0
    out = z.copy()
    _fma(x, 0.25, out, out=out)
    np.testing.assert_array_equal(out, (x.astype(np.float64) * 0.25 + z).astype(np.float32))


def test_axpy_declines_what_it_does_not_cover():
    x16 = np.ones(128, np.float16)
    assert blas_axpy.axpy_(x16, np.float16(1), x16.copy()) == 0
    assert blas_axpy.axpy_(np.ones(32, np.float32), np.float32(1), np.ones(32, np.float32)) == 0
    assert blas_axpy.axpy_(np.ones(128, np.float32), np.float32(1), np.ones(128, np.float64)) == 0


@pytest.mark.parametrize("shape", [(512, 784), (256, 512), (10, 256), (512,), (10,), (3, 0)])
def test_w2_parameter_shapes_match_torch_bit_for_bit(shape):
    """SGD's update on W2's parameters: n-d arrays go to BLAS whole (no flattening), the 10-element
    bias through the one-chunk float64 route; special values in every position class."""
    n = int(np.prod(shape))
    x, z = (a.reshape(shape) for a in _operands(n, np.float32, n + 1))
    if n >= 6:
        x.reshape(-1)[:6] = [np.nan, np.inf, -np.inf, 0.0, -0.0, 1e-45]
        z.reshape(-1)[:6] = [1.0, -0.0, 2.0, -0.0, 0.0, -0.0]
    want = torch.from_numpy(z.copy()).add_(torch.from_numpy(x), alpha=-0.01).numpy()
    out = z.copy()
    with np.errstate(all="ignore"):
        _fma(x, -0.01, out, out=out)
    np.testing.assert_array_equal(_bits(out), _bits(want))


def test_read_only_gradient_and_a_second_array_over_the_parameter():
    """A read-only x (a write-guarded alias) has its address read another way; z as another array
    object over out's memory (a detach()) is still the in-place case."""
    x, z = _operands(1000, np.float32, 13)
    want = torch.from_numpy(z.copy()).add_(torch.from_numpy(x), alpha=0.9).numpy()
    locked = x.copy()
    locked.flags.writeable = False
    out = z.copy()
    _fma(locked, 0.9, out[:], out=out)
    np.testing.assert_array_equal(_bits(out), _bits(want))
    assert blas_axpy.address(locked) == locked.ctypes.data
    assert blas_axpy.address(out) == out.ctypes.data
