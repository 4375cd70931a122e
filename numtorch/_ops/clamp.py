"""clamp/clip (Scalar and Tensor bounds, their arg-parser errors) and pointwise maximum/minimum."""
from __future__ import annotations

import numpy as np

from .._core import messages
from .dispatch import Op
from .._tensor import Tensor
from .comparison import where
from .pointwise_common import _check_scalar_cast, _tensor_arg, inplace_pointwise


def _max_first(a, b):
    """ATen's max(a, b) = a < b ? b : a, NaN propagated: on a tie (-0.0 and 0.0) the first
    operand wins, where numpy's maximum returns the second."""
    out = np.where(b > a, b, a)
    return np.where(np.isnan(b), b, out) if out.dtype.kind == "f" else out


def _min_first(a, b):
    out = np.where(b < a, b, a)
    return np.where(np.isnan(b), b, out) if out.dtype.kind == "f" else out


def _clamp_kernel(a, min=None, max=None):
    if a.dtype.kind == "c":
        raise NotImplementedError(messages.CLAMP_COMPLEX)
    if a.dtype.kind == "b":  # the Scalar clamp kernels dispatch over all types but Bool (even empty)
        kernel = "clamp_scalar_cpu" if min is not None and max is not None else \
            "clamp_min_scalar_cpu" if min is not None else "clamp_max_scalar_cpu"
        raise NotImplementedError(messages.NOT_IMPLEMENTED_DTYPE.format(kernel=kernel, dtype="Bool"))
    out = a
    if min is not None:
        out = _max_first(out, np.asarray(min, a.dtype))
    if max is not None:
        out = _min_first(out, np.asarray(max, a.dtype))
    return np.where(np.isnan(a), a, out) if a.dtype.kind == "f" else out


def _clamp_mask(self, min, max):
    mask = None
    if min is not None:
        mask = self >= min
    if max is not None:
        m = self <= max
        mask = m if mask is None else mask & m
    return mask


CLAMP = Op("clamp", _clamp_kernel, node="ClampBackward1", promote=("min", "max"),
           grads={"self": lambda c, g: where(_clamp_mask(c.self, c.min, c.max), g, 0.0)})
CLAMP_MIN = Op("clamp_min", lambda a, min: _clamp_kernel(a, min=min), node="ClampMinBackward0",
               promote=("min",), grads={"self": lambda c, g: where(c.self >= c.min, g, 0.0)})
CLAMP_MAX = Op("clamp_max", lambda a, max: _clamp_kernel(a, max=max), node="ClampMaxBackward0",
               promote=("max",), grads={"self": lambda c, g: where(c.self <= c.max, g, 0.0)})


def _clamp_tensor_kernel(a, lo, hi, has_min, has_max):
    if a.dtype.kind == "c":
        raise NotImplementedError(messages.CLAMP_COMPLEX)
    out = a
    if has_min:
        out = _max_first(out, lo)
    if has_max:
        out = _min_first(out, hi)
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


CLAMP_MIN_T = Op("clamp_min", lambda a, lo: _max_first(a, lo), node="ClampMinBackward1",
                 inputs=("self", "min"),
                 grads={"self": lambda c, g: where(c.self >= c.min, g, 0.0),
                        "min": lambda c, g: where(c.self < c.min, g, 0.0)})
CLAMP_MAX_T = Op("clamp_max", lambda a, hi: _min_first(a, hi), node="ClampMaxBackward1",
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
        return TypeError(messages.CLAMP_INVALID_ARGS.format(fname=fname, got=got))
    if kwargs:
        why = "some of the keywords were incorrect: " + ", ".join(sorted(kwargs))
    else:
        why = "some of the arguments have invalid types: (" + ", ".join(
            f"!{'Tensor' if isinstance(a, Tensor) else type(a).__name__}!" for a in args) + ")"
    return TypeError(messages.CLAMP_METHOD_INVALID_ARGS.format(fname=fname, got=got, why=why))


def _clamp_args(self, min, max, fname, method, args, kwargs) -> bool:
    """Validates the bounds; True for the Tensor overload."""
    tensors = [isinstance(v, Tensor) for v in (min, max) if v is not None]
    if any(tensors) and not all(tensors):
        if method:
            raise _clamp_type_error(fname, True, args, kwargs)
        raise _clamp_type_error(fname, False, (self,) + tuple(args), kwargs)
    if min is None and max is None:
        raise RuntimeError(messages.CLAMP_NO_BOUNDS)
    return any(tensors)


def _split_bounds(args, kwargs):
    bounds = dict(zip(("min", "max"), args))
    bounds.update(kwargs)
    return bounds.get("min"), bounds.get("max")


def _clamp(self, fname, method, args, kwargs):
    min, max = _split_bounds(args, kwargs)
    if _clamp_args(self, min, max, fname, method, args, kwargs):
        return _clamp_t(self, min, max)
    return CLAMP(self, min=min, max=max)


def clamp(self, *args, **kwargs):
    return _clamp(self, "clamp", False, args, kwargs)


def clip(self, *args, **kwargs):
    return _clamp(self, "clip", False, args, kwargs)


def clamp_method(self, *args, **kwargs):
    return _clamp(self, "clamp", True, args, kwargs)


def clip_method(self, *args, **kwargs):
    return _clamp(self, "clip", True, args, kwargs)


def _saved_self_check(self):
    """torch's autograd kernel clones self (saved for the backward) before the kernel's own dtype
    check: an integer tensor that requires grad (an in-place write recorded it) fails there."""
    if self._dtype.category < 2:
        from .._autograd import views
        from .._core.state import STATE
        if STATE.grad_enabled and views.requires_grad(self):
            views.check_inplace(self, True)
            raise RuntimeError(messages.AUTOGRAD_DTYPE.format(dtype=self._dtype.short_name))
    return self


def clamp_(self, *args, fname="clamp_", **kwargs):
    min, max = _split_bounds(args, kwargs)
    if _clamp_args(self, min, max, fname, True, args, kwargs):
        return _clamp_t(self, min, max, inplace=True)
    return CLAMP.inplace(_check_scalar_cast(_saved_self_check(self), min, max, cpp_name=True), min=min, max=max)


def clip_(self, *args, **kwargs):
    return clamp_(self, *args, fname="clip_", **kwargs)


def clamp_min(self, min):
    if isinstance(min, Tensor):
        return CLAMP_MIN_T(self, min)
    return CLAMP_MIN(self, min=min)


def clamp_max(self, max):
    if isinstance(max, Tensor):
        return CLAMP_MAX_T(self, max)
    return CLAMP_MAX(self, max=max)


def clamp_min_(self, min):
    if isinstance(min, Tensor):
        return inplace_pointwise(CLAMP_MIN_T, self, min)
    return CLAMP_MIN.inplace(_check_scalar_cast(_saved_self_check(self), min, cpp_name=True), min=min)


def clamp_max_(self, max):
    if isinstance(max, Tensor):
        return inplace_pointwise(CLAMP_MAX_T, self, max)
    return CLAMP_MAX.inplace(_check_scalar_cast(_saved_self_check(self), max, cpp_name=True), max=max)


def _minmax_grad(g, self, other, drop):
    # derivatives.yaml maximum/minimum: where(self == other, grad / 2, grad).masked_fill_(drop, 0)
    return where(self == other, g / 2, g).masked_fill(drop, 0)


def _real_only(name, fn):
    def kernel(a, b):
        if a.dtype.kind == "c":
            raise RuntimeError(messages.NOT_IMPLEMENTED_COMPLEX_TENSORS.format(name=name))
        return fn(a, b)
    return kernel


MAXIMUM = Op("maximum", _real_only("maximum", lambda a, b: np.where(np.isnan(a), a, _max_first(a, b))
                                    if a.dtype.kind == "f" else _max_first(a, b)), node="MaximumBackward0", inputs=("self", "other"),
             grads={"self": lambda c, g: _minmax_grad(g, c.self, c.other, c.self < c.other),
                    "other": lambda c, g: _minmax_grad(g, c.self, c.other, c.self > c.other)})
MINIMUM = Op("minimum", _real_only("minimum", lambda a, b: np.where(np.isnan(a), a, _min_first(a, b))
                                    if a.dtype.kind == "f" else _min_first(a, b)), node="MinimumBackward0", inputs=("self", "other"),
             grads={"self": lambda c, g: _minmax_grad(g, c.self, c.other, c.self > c.other),
                    "other": lambda c, g: _minmax_grad(g, c.self, c.other, c.self < c.other)})


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
