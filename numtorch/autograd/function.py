"""torch.autograd.function: the public Function base class and once_differentiable.

Every Function subclass gets a `_backward_cls` named `<Name>Backward` (its ctx/node class) from
the metaclass; the machinery itself lives in numtorch._autograd.custom_function."""
from __future__ import annotations

import functools
import warnings
from typing import Any, Callable

from .._autograd import custom_function as _cf
from .._autograd.custom_function import BackwardCFunction, FunctionCtx
from .._core import messages
from .._core.state import STATE
from .._tensor import Tensor
from .grad_mode import no_grad

_ContextMethodMixin = FunctionCtx


class FunctionMeta(type):
    """Creates `cls._backward_cls`, the node class whose instances are the ctx objects."""

    def __init__(cls, name, bases, attrs) -> None:
        cls._backward_cls = _cf.make_backward_class(cls)
        super().__init__(name, bases, attrs)


class _SingleLevelFunction(FunctionCtx, metaclass=FunctionMeta):
    forward = staticmethod(_cf.default_forward)
    setup_context = staticmethod(_cf.default_setup_context)
    backward = staticmethod(_cf.default_backward)
    vjp = backward
    jvp = staticmethod(_cf.default_jvp)
    clear_saved_tensors_on_access = False
    boxed_grads_call = False


class Function(_SingleLevelFunction):
    """Subclass with static `forward(ctx, *args)` (or `forward(*args)` plus
    `setup_context(ctx, inputs, output)`) and `backward(ctx, *grads)`; call `Fn.apply(*args)`."""

    generate_vmap_rule = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        warnings.warn(messages.W_FUNCTION_INSTANTIATED.format(cls=self.__class__),
                      DeprecationWarning, stacklevel=2)

    def __call__(self, *args: Any, **kwargs: Any):
        raise RuntimeError(messages.LEGACY_FUNCTION)

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any):
        return _cf.function_apply(cls, args, kwargs)


class InplaceFunction(Function):
    """Kept for backward compatibility, as in torch."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace


def once_differentiable(fn: Callable) -> Callable:
    """Run backward under no_grad; under create_graph its grads get a grad_fn that raises."""

    @functools.wraps(fn)
    def wrapper(ctx, *args):
        with no_grad():
            outputs = fn(ctx, *args)
        if not STATE.grad_enabled:
            return outputs
        if not any(isinstance(a, Tensor) and a.requires_grad for a in args):
            return outputs
        outputs_ = outputs if isinstance(outputs, tuple) else (outputs,)
        aliases = []
        for v in outputs_:
            if v is not None:
                v = v.detach()
                v.requires_grad = True
            aliases.append(v)
        result = _cf.delayed_error(messages.ONCE_DIFFERENTIABLE, tuple(aliases))
        return result[0] if len(result) == 1 else result

    return wrapper


__all__ = ["FunctionCtx", "BackwardCFunction", "FunctionMeta", "Function", "once_differentiable",
           "InplaceFunction"]
