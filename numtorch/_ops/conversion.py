"""Copies and dtype conversions: clone, _to_copy (Tensor.to(dtype)), copy_, with ATen's
complex -> real rule (real part, one UserWarning per process)."""
from __future__ import annotations

import copy as _copy_module

import numpy as np

from .._autograd.node import expose_saved
from .._core import messages
from . import layout as _layout
from .dispatch import Op, wrap_scalar
from .pointwise_common import _zeros, inplace_pointwise


def _clone_kernel(a, order):
    if order == "C" or a.flags.c_contiguous:
        return np.array(a, copy=True, order="C")
    return _layout.with_strides(np.array(a, copy=True, order="K"), _layout.like_strides(a))


# (the layout comes from the kernel: contiguous_format is C order whatever the input's)
CLONE = Op("clone", _clone_kernel, node="CloneBackward0", promote=None, grads={"self": lambda c, g: g})


def clone(self, *, memory_format=None):
    # preserve_format: empty_like's layout (NOTE [Output layout]); contiguous_format: C order
    return CLONE(self, order="C" if memory_format is not None and str(memory_format) ==
                 "torch.contiguous_format" else "K")


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
            _warn_at_user(messages.W_COMPLEX_TO_REAL)
        return (a != 0) if np_dtype == np.bool_ else a.real.astype(np_dtype)
    return a.astype(np_dtype, copy=copy)


def _to_kernel(a, dtype):
    return _cast(a, dtype.np)


TO_COPY = Op("_to_copy", _to_kernel, node="ToCopyBackward0", promote=None,
             grads={"self": lambda c, g: g.to(c.self_dtype)})


# attributes set after recording (NOTE [Saved attributes])
expose_saved("self_dtype")


def to_dtype(self, dtype, copy=False):
    if dtype is self._dtype and not copy:
        return self
    if dtype is self._dtype:
        return clone(self)
    if dtype.category < 2:  # an integer/bool result: torch's _to_copy records no history
        from .._core.state import STATE
        prev, STATE.grad_enabled = STATE.grad_enabled, False
        try:
            return TO_COPY(self, dtype=dtype)
        finally:
            STATE.grad_enabled = prev
    out = TO_COPY(self, dtype=dtype)
    fn = out._grad_fn
    if fn is not None:
        fn._attrs["self_dtype"] = self._dtype
    return out


COPY = Op("copy_", lambda dst, src, src_dtype: np.broadcast_to(_cast(src, dst.dtype, copy=False), dst.shape),
          node="CopyBackwards", inputs=("self", "src"), promote=None,
          grads={"self": lambda c, g: _zeros(g), "src": lambda c, g: g.to(c.src_dtype)})


COPY_SAME = _copy_module.copy(COPY)
COPY_SAME.overlap = (False, False)


def _same_data(self, src) -> bool:
    a, b = self._data, src._data
    return (a.strides == b.strides and a.shape == b.shape and self._dtype is src._dtype
            and a.__array_interface__["data"][0] == b.__array_interface__["data"][0])


def copy_(self, src, non_blocking=False):
    if non_blocking is not False and not isinstance(non_blocking, (bool, np.bool_)):  # the binding's check
        raise TypeError(messages.ARG_TYPE.format(name="copy_", arg="non_blocking", pos=2, type="bool",
                                                 got=type(non_blocking).__name__))
    src = wrap_scalar(src)
    if not self._data.flags.writeable:  # a ZeroTensor: copy_'s own refusal, after autograd's checks
        from .._autograd import views
        from .._core.state import STATE
        rec = STATE.grad_enabled and (views.requires_grad(self) or views.requires_grad(src))
        views.check_inplace(self, rec,
                            zero_message=messages.ZERO_TENSOR_COPY)
    # torch's copy_ returns at once for the same tensor, or a view of exactly its elements
    # (is_same_data: same storage, offset, sizes, strides, dtype): no overlap checks. Only an
    # expanded self (a 0 stride) can tell the difference.
    same = src is self or (0 in self._data.strides and _same_data(self, src))
    if self._dtype.category >= 2:
        if same:
            COPY_SAME.inplace(self, src, src_dtype=src._dtype)
        else:
            inplace_pointwise(COPY, self, src, src_dtype=src._dtype)
        return self
    # an integer/bool destination: the copy is not recorded (isDifferentiableType(self))
    from .._core.state import STATE
    prev, STATE.grad_enabled = STATE.grad_enabled, False
    try:
        if same:
            COPY_SAME.inplace(self, src, src_dtype=src._dtype)
        else:
            inplace_pointwise(COPY, self, src, src_dtype=src._dtype)
    finally:
        STATE.grad_enabled = prev
    return self


def full_like(self, value, dtype=None):
    from .creation import full_like as _fl
    return _fl(self, value, dtype=dtype)
