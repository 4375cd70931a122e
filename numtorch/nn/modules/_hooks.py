"""Hooks of nn.Module: per-module and global forward pre-hooks and hooks (with kwargs, prepend,
always_call), full backward hooks and backward pre-hooks (numtorch.utils.hooks.BackwardHook), the
deprecated "non-full" backward hooks, and Module.__call__, which sets them all up around forward()
as torch's _call_impl does. The functions taking `self` are bound into Module's class body."""
from __future__ import annotations

import functools
import warnings
import weakref
from collections import OrderedDict
from collections.abc import Callable

from ..._autograd.hooks import RemovableHandle
from ..._core import messages
from ..._tensor import Tensor

_global_backward_pre_hooks: dict = OrderedDict()
_global_backward_hooks: dict = OrderedDict()
# whether _global_backward_hooks are full hooks lives in module.py (_global_is_full_backward_hook),
# where torch keeps it and where tests reset it
_global_forward_pre_hooks: dict = OrderedDict()
_global_forward_hooks: dict = OrderedDict()
_global_forward_hooks_with_kwargs: dict = OrderedDict()
_global_forward_hooks_always_called: dict = OrderedDict()


class _HookHandle(RemovableHandle):
    """A RemovableHandle that also clears the hook's flags (with_kwargs, always_call)."""
    __slots__ = ("extra_dicts",)

    def __init__(self, hooks_dict: dict, *extra_dicts: dict) -> None:
        super().__init__(hooks_dict)
        self.extra_dicts = extra_dicts

    def remove(self) -> None:
        super().remove()
        for d in self.extra_dicts:
            d.pop(self.id, None)


_HookHandle.__name__ = _HookHandle.__qualname__ = "RemovableHandle"  # what torch's handles print


def register_module_forward_pre_hook(hook: Callable) -> RemovableHandle:
    handle = _HookHandle(_global_forward_pre_hooks)
    _global_forward_pre_hooks[handle.id] = hook
    return handle


def register_module_forward_hook(hook: Callable, *, with_kwargs: bool = False,
                                 always_call: bool = False) -> RemovableHandle:
    handle = _HookHandle(_global_forward_hooks, _global_forward_hooks_with_kwargs,
                         _global_forward_hooks_always_called)
    _global_forward_hooks[handle.id] = hook
    if with_kwargs:
        _global_forward_hooks_with_kwargs[handle.id] = True
    if always_call:
        _global_forward_hooks_always_called[handle.id] = True
    return handle


def register_forward_pre_hook(self, hook: Callable, *, prepend: bool = False,
                              with_kwargs: bool = False) -> RemovableHandle:
    handle = _HookHandle(self._forward_pre_hooks, self._forward_pre_hooks_with_kwargs)
    self._forward_pre_hooks[handle.id] = hook
    if with_kwargs:
        self._forward_pre_hooks_with_kwargs[handle.id] = True
    if prepend:
        self._forward_pre_hooks.move_to_end(handle.id, last=False)
    return handle

def register_forward_hook(self, hook: Callable, *, prepend: bool = False, with_kwargs: bool = False,
                          always_call: bool = False) -> RemovableHandle:
    handle = _HookHandle(self._forward_hooks, self._forward_hooks_with_kwargs,
                         self._forward_hooks_always_called)
    self._forward_hooks[handle.id] = hook
    if with_kwargs:
        self._forward_hooks_with_kwargs[handle.id] = True
    if always_call:
        self._forward_hooks_always_called[handle.id] = True
    if prepend:
        self._forward_hooks.move_to_end(handle.id, last=False)
    return handle


# ---- backward hooks ----------------------------------------------------------------------------
def register_full_backward_pre_hook(self, hook: Callable, prepend: bool = False) -> RemovableHandle:
    handle = _HookHandle(self._backward_pre_hooks)
    self._backward_pre_hooks[handle.id] = hook
    if prepend:
        self._backward_pre_hooks.move_to_end(handle.id, last=False)
    return handle


def register_backward_hook(self, hook: Callable) -> RemovableHandle:
    """Deprecated: the hook is a post-hook of the grad_fn of the module's (first) output, so it
    sees that node's gradients, not the module's inputs' (hence the warnings at call time)."""
    if self._is_full_backward_hook is True:
        raise RuntimeError(messages.MIXED_BACKWARD_HOOKS)
    self._is_full_backward_hook = False
    handle = _HookHandle(self._backward_hooks)
    self._backward_hooks[handle.id] = hook
    return handle


def register_full_backward_hook(self, hook: Callable, prepend: bool = False) -> RemovableHandle:
    if self._is_full_backward_hook is False:
        raise RuntimeError(messages.MIXED_BACKWARD_HOOKS)
    self._is_full_backward_hook = True
    handle = _HookHandle(self._backward_hooks)
    self._backward_hooks[handle.id] = hook
    if prepend:
        self._backward_hooks.move_to_end(handle.id, last=False)
    return handle


def _get_backward_pre_hooks(self) -> list:
    return [*_global_backward_pre_hooks.values(), *self._backward_pre_hooks.values()]


class _WrappedHook:
    """A hook bound to a module it does not keep alive: called as hook(module, *args)."""

    def __init__(self, hook: Callable, module=None) -> None:
        self.hook = hook
        functools.update_wrapper(self, hook)
        self.with_module = False
        if module is not None:
            self.module = weakref.ref(module)
            self.with_module = True

    def __call__(self, *args, **kwargs):
        if self.with_module:
            module = self.module()
            if module is None:
                raise RuntimeError(messages.DEAD_MODULE_HOOK)
            return self.hook(module, *args, **kwargs)
        return self.hook(*args, **kwargs)

    def __getstate__(self) -> dict:
        result = {"hook": self.hook, "with_module": self.with_module}
        if self.with_module:
            result["module"] = self.module()
        return result

    def __setstate__(self, state: dict) -> None:
        self.hook = state["hook"]
        self.with_module = state["with_module"]
        if self.with_module:
            if state["module"] is None:
                raise RuntimeError(messages.DEAD_MODULE_REVIVE)
            self.module = weakref.ref(state["module"])


def _maybe_warn_non_full_backward_hook(self, inputs, result, grad_fn) -> None:
    """The cases where a non-full hook cannot see the module's gradients, each with its warning."""
    if not isinstance(result, Tensor):
        if not (isinstance(result, tuple) and all(isinstance(r, Tensor) for r in result)):
            warnings.warn(messages.W_NON_FULL_HOOK_OUTPUTS, FutureWarning, stacklevel=3)
            return
    else:
        result = (result,)
    if not isinstance(inputs, Tensor):
        if not (isinstance(inputs, tuple) and all(isinstance(i, Tensor) for i in inputs)):
            warnings.warn(messages.W_NON_FULL_HOOK_INPUTS, FutureWarning, stacklevel=3)
            return
    else:
        inputs = (inputs,)
    out_grad_fn = {r.grad_fn for r in result if r.grad_fn is not None}
    if len(out_grad_fn) == 0 or (len(out_grad_fn) == 1 and grad_fn not in out_grad_fn):
        warnings.warn(messages.W_NON_FULL_HOOK_NESTED, FutureWarning, stacklevel=3)
    elif len(out_grad_fn) > 1:
        warnings.warn(messages.W_NON_FULL_HOOK_MULTI_NODE_OUT, FutureWarning, stacklevel=3)
    else:
        inputs_grad_fn = {i.grad_fn for i in inputs if i.grad_fn is not None}
        next_functions = {n[0] for n in grad_fn.next_functions}
        if inputs_grad_fn != next_functions:
            warnings.warn(messages.W_NON_FULL_HOOK_MULTI_NODE, FutureWarning, stacklevel=3)


# ---- Module.__call__ -----------------------------------------------------------------------------
def _call_impl(self, *args, **kwargs):
    if not (self._backward_hooks or self._backward_pre_hooks or self._forward_hooks
            or self._forward_pre_hooks or _global_backward_pre_hooks or _global_backward_hooks
            or _global_forward_hooks or _global_forward_pre_hooks):
        return self.forward(*args, **kwargs)

    result = None
    called_always_called_hooks = set()
    try:
        full_backward_hooks, non_full_backward_hooks = [], []
        backward_pre_hooks = []
        if self._backward_pre_hooks or _global_backward_pre_hooks:
            backward_pre_hooks = self._get_backward_pre_hooks()
        if self._backward_hooks or _global_backward_hooks:
            full_backward_hooks, non_full_backward_hooks = self._get_backward_hooks()

        for hook_id, hook in (*_global_forward_pre_hooks.items(), *self._forward_pre_hooks.items()):
            if hook_id in self._forward_pre_hooks_with_kwargs:
                res = hook(self, args, kwargs)
                if res is not None:
                    if isinstance(res, tuple) and len(res) == 2:
                        args, kwargs = res
                    else:
                        raise RuntimeError(messages.FORWARD_PRE_HOOK_RESULT.format(result=res))
            else:
                res = hook(self, args)
                if res is not None:
                    args = res if isinstance(res, tuple) else (res,)

        bw_hook = None
        if full_backward_hooks or backward_pre_hooks:
            from ...utils.hooks import BackwardHook
            bw_hook = BackwardHook(self, full_backward_hooks, backward_pre_hooks)
            args = bw_hook.setup_input_hook(args)

        result = self.forward(*args, **kwargs)
        for hook_id, hook in (*_global_forward_hooks.items(), *self._forward_hooks.items()):
            if hook_id in self._forward_hooks_always_called or hook_id in _global_forward_hooks_always_called:
                called_always_called_hooks.add(hook_id)
            if hook_id in self._forward_hooks_with_kwargs or hook_id in _global_forward_hooks_with_kwargs:
                res = hook(self, args, kwargs, result)
            else:
                res = hook(self, args, result)
            if res is not None:
                result = res

        if bw_hook:
            if not isinstance(result, (Tensor, tuple)):
                warnings.warn(messages.W_BACKWARD_HOOK_OUTPUT.format(type=type(result)), stacklevel=2)
            result = bw_hook.setup_output_hook(result)

        if non_full_backward_hooks:
            var = result
            while not isinstance(var, Tensor):
                if isinstance(var, dict):
                    var = next(v for v in var.values() if isinstance(v, Tensor))
                else:
                    var = var[0]
            grad_fn = var.grad_fn
            if grad_fn is not None:
                for hook in non_full_backward_hooks:  # (the engine checks what each returns)
                    grad_fn.register_hook(_WrappedHook(hook, self))
                self._maybe_warn_non_full_backward_hook(args, result, grad_fn)
        return result
    except Exception:
        # hooks registered with always_call run even when forward (or another hook) raised
        for hook_id, hook in _global_forward_hooks.items():
            if hook_id in _global_forward_hooks_always_called and hook_id not in called_always_called_hooks:
                try:
                    res = hook(self, args, result)
                    if res is not None:
                        result = res
                except Exception as e:
                    warnings.warn(messages.W_GLOBAL_ALWAYS_CALL_HOOK.format(error=e), stacklevel=2)
        for hook_id, hook in self._forward_hooks.items():
            if hook_id in self._forward_hooks_always_called and hook_id not in called_always_called_hooks:
                try:
                    if hook_id in self._forward_hooks_with_kwargs:
                        res = hook(self, args, kwargs, result)
                    else:
                        res = hook(self, args, result)
                    if res is not None:
                        result = res
                except Exception as e:
                    warnings.warn(messages.W_ALWAYS_CALL_HOOK.format(error=e), stacklevel=2)
        raise
