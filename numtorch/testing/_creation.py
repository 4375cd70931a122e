"""torch.testing.make_tensor: a tensor of the given shape and dtype with values drawn uniformly from
[low, high), through the same generator calls as torch (randint for booleans and integers,
uniform_ for floating and complex types), so a seeded call gives torch's values."""
from __future__ import annotations

import math
import warnings

import numpy as np

from .._core import dtypes as dt
from .._core import messages

_INTEGRAL = [dt.uint8, dt.int8, dt.int16, dt.int32, dt.int64]
_FLOATING = [dt.float16, dt.float32, dt.float64]
_COMPLEX = [dt.complex64, dt.complex128]


def _limits(dtype):
    """(lowest, highest) finite values as Python numbers, as torch.finfo / torch.iinfo give them."""
    if dtype.is_complex:
        info = np.finfo(dt.float32.np if dtype is dt.complex64 else dt.float64.np)
    elif dtype.is_floating_point:
        info = np.finfo(dtype.np)
    else:
        info = np.iinfo(dtype.np)
        return int(info.min), int(info.max)
    return float(info.min), float(info.max)


def _tiny(dtype) -> float:
    real = dt.float32.np if dtype is dt.complex64 else dt.float64.np if dtype is dt.complex128 else dtype.np
    return float(np.finfo(real).tiny)


def _low_high(low, high, *, dtype, lowest_inclusive, highest_exclusive, default_low, default_high):
    """Defaults, checks and clamping of [low, high) (torch's modify_low_high)."""
    low = default_low if low is None else low
    high = default_high if high is None else high
    if any(isinstance(v, float) and math.isnan(v) for v in (low, high)):
        raise ValueError(messages.MAKE_TENSOR_NAN_BOUNDS.format(low=low, high=high))
    if low == high and dtype in _FLOATING + _COMPLEX:
        warnings.warn(messages.W_MAKE_TENSOR_LOW_EQ_HIGH, FutureWarning, stacklevel=3)
    elif low >= high:
        raise ValueError(messages.MAKE_TENSOR_LOW_GE_HIGH.format(low=low, high=high))
    elif high < lowest_inclusive or low >= highest_exclusive:
        raise ValueError(messages.MAKE_TENSOR_INTERVAL.format(
            low=low, high=high, dtype=dtype, lowest=lowest_inclusive, highest=highest_exclusive))
    low = min(max(low, lowest_inclusive), highest_exclusive)
    high = min(max(high, lowest_inclusive), highest_exclusive)
    if dtype is dt.bool_ or dtype in _INTEGRAL:
        # low is ceiled to stay inside the interval; high too, because randint's bound is exclusive
        return math.ceil(low), math.ceil(high)
    return low, high


def _uniform_(t, low, high):
    # uniform_ needs high - low to be finite in the dtype: draw at half scale, then double
    if high - low >= _limits(t._dtype)[1]:
        return t.uniform_(low / 2, high / 2).mul_(2)
    return t.uniform_(low, high)


def make_tensor(*shape, dtype, device, low=None, high=None, requires_grad: bool = False,
                noncontiguous: bool = False, exclude_zero: bool = False, memory_format=None):
    from .._ops.creation import empty
    from .._ops.random_ops import randint
    if len(shape) == 1 and isinstance(shape[0], (list, tuple)):
        shape = shape[0]
    shape = tuple(shape)
    if noncontiguous and memory_format is not None:
        raise ValueError(messages.MAKE_TENSOR_NONCONTIG_FORMAT.format(noncontiguous=noncontiguous,
                                                                      memory_format=memory_format))
    if requires_grad and (dtype is dt.bool_ or dtype in _INTEGRAL):
        raise ValueError(messages.MAKE_TENSOR_GRAD_INT.format(dtype=dtype))
    noncontiguous = noncontiguous and math.prod(shape) > 1
    if noncontiguous:
        # twice the last dimension, so that taking every other element leaves distinct values
        shape = (*shape[:-1], 2 * shape[-1])
    if dtype is dt.bool_:
        low, high = _low_high(low, high, dtype=dtype, lowest_inclusive=0, highest_exclusive=2,
                              default_low=0, default_high=2)
        result = randint(low, high, shape, device=device, dtype=dtype)
    elif dtype in _INTEGRAL:
        lowest, highest = _limits(dtype)
        # randint cannot draw 2**63 - 1 (its bounds are int64): int64's interval stops one short
        low, high = _low_high(low, high, dtype=dtype, lowest_inclusive=lowest,
                              highest_exclusive=highest + (1 if dtype is not dt.int64 else 0),
                              default_low=-9, default_high=10)
        result = randint(low, high, shape, device=device, dtype=dtype)
    elif dtype in _FLOATING + _COMPLEX:
        lowest, highest = _limits(dtype)
        low, high = _low_high(low, high, dtype=dtype, lowest_inclusive=lowest, highest_exclusive=highest,
                              default_low=-9, default_high=9)
        if dtype.is_complex:
            # torch fills view_as_real(result): the real and imaginary parts, interleaved
            real = dt.float32 if dtype is dt.complex64 else dt.float64
            parts = _uniform_(empty((*shape, 2), dtype=real), low, high)._data
            result = empty(shape, dtype=dtype)
            result._data[...] = parts[..., 0] + 1j * parts[..., 1]
        else:
            result = _uniform_(empty(shape, device=device, dtype=dtype), low, high)
    else:
        raise TypeError(messages.MAKE_TENSOR_DTYPE.format(dtype=dtype))
    if noncontiguous:
        result = result[..., 1::2]  # offset by one, to also catch offset bugs
    elif memory_format is not None:
        result = result.clone()
    if exclude_zero:
        result[result == 0] = 1 if dtype is dt.bool_ or dtype in _INTEGRAL else _tiny(dtype)
    if dtype in _FLOATING + _COMPLEX:
        result.requires_grad = requires_grad
    return result
