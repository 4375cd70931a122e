"""nn.Parameter and nn.Buffer.

A Parameter is a leaf Tensor subclass that shares storage and version counter with the tensor it
wraps (torch's `_make_subclass` detaches), requires grad by default and prints with a
"Parameter containing:" header. Ops on it return plain Tensors."""
from __future__ import annotations

import numpy as np

from .._core import messages
from .._tensor import Tensor

__all__ = ["Parameter", "Buffer", "is_lazy"]


def _rebuild_parameter(data: np.ndarray, requires_grad: bool) -> "Parameter":
    return Parameter(Tensor._make(data), requires_grad)


class Parameter(Tensor):
    def __new__(cls, data: Tensor | None = None, requires_grad: bool = True):
        if data is None:
            data = Tensor._make(np.zeros(0, np.float32))
        if requires_grad and data._dtype.category < 2:
            raise RuntimeError(messages.FACTORY_INT_GRAD)
        t = cls._make(data._data, bool(requires_grad), vc=data._vc)
        t._vc = data._vc  # _make gives inference tensors (vc None) a counter; keep the source's
        return t

    def __init__(self, data: Tensor | None = None, requires_grad: bool = True) -> None:
        pass  # everything happens in __new__; Tensor.__init__ is the legacy constructor

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()

    __str__ = __repr__

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        result = type(self)(self.data.clone(), self.requires_grad)
        memo[id(self)] = result
        return result

    def __reduce_ex__(self, protocol):
        return (_rebuild_parameter, (self._data.copy(), self._requires_grad))


class _BufferMeta(type):
    def __instancecheck__(cls, instance) -> bool:
        if cls is Buffer:
            return isinstance(instance, Tensor) and getattr(instance, "_is_buffer", False)
        return super().__instancecheck__(instance)


class Buffer(metaclass=_BufferMeta):
    """`nn.Buffer(t)` marks a detached tensor to be registered as a buffer on assignment."""

    def __new__(cls, data: Tensor | None = None, *, persistent: bool = True):
        if data is None:
            data = Tensor._make(np.zeros(0, np.float32))
        t = data.detach().requires_grad_(data.requires_grad)
        t.persistent = persistent
        t._is_buffer = True
        return t


def is_lazy(param) -> bool:
    return False

