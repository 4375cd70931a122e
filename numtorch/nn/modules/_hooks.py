"""Forward hooks of nn.Module: per-module and global pre-hooks and hooks (with kwargs, prepend,
always_call), and Module.__call__, which runs them around forward() as torch's _call_impl does.
The functions taking `self` are bound into Module's class body."""
from __future__ import annotations

import warnings
from collections import OrderedDict
from collections.abc import Callable

from ..._autograd.hooks import RemovableHandle
from ..._core import messages

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

def _call_impl(self, *args, **kwargs):
    if not (self._forward_hooks or self._forward_pre_hooks or _global_forward_hooks
            or _global_forward_pre_hooks):
        return self.forward(*args, **kwargs)
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
    called = set()
    result = None
    try:
        result = self.forward(*args, **kwargs)
        for hook_id, hook in (*_global_forward_hooks.items(), *self._forward_hooks.items()):
            called.add(hook_id)
            if hook_id in self._forward_hooks_with_kwargs or hook_id in _global_forward_hooks_with_kwargs:
                res = hook(self, args, kwargs, result)
            else:
                res = hook(self, args, result)
            if res is not None:
                result = res
    except Exception:
        # hooks registered with always_call run even when forward (or a hook) raised
        for hook_id, hook in (*_global_forward_hooks.items(), *self._forward_hooks.items()):
            always = (hook_id in self._forward_hooks_always_called
                      or hook_id in _global_forward_hooks_always_called)
            if always and hook_id not in called:
                try:
                    if hook_id in self._forward_hooks_with_kwargs:
                        hook(self, args, kwargs, result)
                    else:
                        hook(self, args, result)
                except Exception as e:
                    warnings.warn(messages.W_ALWAYS_CALL_HOOK.format(error=e), stacklevel=2)
        raise
    return result
