"""Shared plumbing of the pointwise families: ATen's dtype-dispatch guards, Python-scalar
promotion and cast checks (E55), and TensorIterator's checks for in-place and out= results."""
from __future__ import annotations

import numpy as np

from .._core import dtypes as dt
from .._core import messages
from .dispatch import _check_broadcast, Op
from .._tensor import Tensor


def _not_for(name: str, kinds: str, a, *others) -> None:
    """ATen's dispatch-macro error for a dtype a CPU kernel is not compiled for; `others`, the
    kernel's other operands, must broadcast first (TensorIterator is built before the dispatch)."""
    if a.dtype.kind in kinds:
        arrays = [a] + [o for o in others if isinstance(o, np.ndarray)]
        if len(arrays) > 1:
            _check_broadcast(arrays)
        raise NotImplementedError(messages.NOT_IMPLEMENTED_DTYPE.format(
            kernel=name, dtype=dt._BY_NP[a.dtype].short_name))


def _guard(name: str, kinds: str, fn):
    def kernel(a, *rest, **kw):
        _not_for(name, kinds, a, *rest)
        return fn(a, *rest, **kw)
    kernel.__name__ = getattr(fn, "__name__", name)
    return kernel


def _shape_list(shape) -> str:
    return "[" + ", ".join(str(s) for s in shape) + "]"


def inplace_pointwise(op: Op, target: Tensor, *args, **attrs) -> Tensor:
    """op.inplace for a broadcasting op, with TensorIterator's shape checks first: operands must
    broadcast, and to exactly self's shape (after check_inplace, as VariableType runs it first)."""
    others = [a for a in args if isinstance(a, Tensor)] + [v for v in attrs.values() if isinstance(v, Tensor)]
    if others:
        shapes = [target._data.shape] + [t._data.shape for t in others]
        try:
            shape = np.broadcast_shapes(*shapes)
            bad = shape != target._data.shape
        except ValueError:
            bad = True
        if bad:
            from .._autograd import views
            from .._core.state import STATE
            rec = STATE.grad_enabled and any(views.requires_grad(t) for t in [target] + others)
            views.check_inplace(target, rec)
            if rec:  # torch collects the operands' gradient edges next (E35/E37 for stale views)
                for t in [target] + others:
                    views.edge(t)
            views.check_overlap(target, others, *op.overlap)  # MemOverlap comes before shapes
            from .dispatch import _check_broadcast
            _check_broadcast([target._data] + [t._data for t in others])
            raise RuntimeError(messages.INPLACE_SHAPE.format(out=_shape_list(target._data.shape),
                                                             shape=_shape_list(shape)))
    return op.inplace(target, *args, **attrs)


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


def _zeros(like):
    from .creation import zeros_like
    return zeros_like(like)


def _check_scalar_cast(self, *vals, cpp_name: bool = False, overlap_first: bool | None = None):
    """In-place op with Python-scalar operands (Scalar overloads): the result type must cast to
    self (E55). clamp_'s overloads phrase it with the C++ type name ("long int") and check it in
    their meta function; the others' check is TensorIterator's, after the autograd kernel's
    check_inplace and TensorIterator's own MemOverlap check (an expanded self raises that first)."""
    from .dispatch import can_cast
    d = dt.result_type(self, *[v for v in vals if v is not None])
    if not can_cast(d, self._dtype):
        if overlap_first is None:
            overlap_first = not cpp_name
        if overlap_first:
            from .._autograd import views
            views.check_inplace_first(self)
            views.check_overlap(self, (), internal=True, partial=False)
        expected = self._dtype.cpp_name if cpp_name else self._dtype.short_name
        raise RuntimeError(messages.CAST_RESULT.format(got=d.short_name, expected=expected))
    return self


def _tensor_arg(fname, value, position, argname="other"):
    if not isinstance(value, Tensor):
        raise TypeError(messages.ARG_MUST_BE_TENSOR.format(fname=fname, argname=argname, position=position,
                                                           type=type(value).__name__))
