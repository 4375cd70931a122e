"""RemovableHandle: what register_hook and friends return; the checks torch makes on what a hook
returns (python_hook.cpp)."""
from __future__ import annotations

import itertools

from .._core import messages

_ids = itertools.count()


class RemovableHandle:
    """Removes one entry (keyed by a unique id) from a hook dict on `.remove()`."""
    __slots__ = ("hooks_dict", "id", "__weakref__")

    def __init__(self, hooks_dict: dict) -> None:
        self.hooks_dict = hooks_dict
        self.id = next(_ids)

    def remove(self) -> None:
        self.hooks_dict.pop(self.id, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.remove()


def add_hook(hooks_dict: dict, fn) -> RemovableHandle:
    handle = RemovableHandle(hooks_dict)
    hooks_dict[handle.id] = fn
    return handle


def tp_name(obj) -> str:
    """CPython's tp_name, which torch prints: 'int', 'Foo', but 'numpy.float64' for C types."""
    cls = type(obj)
    if cls.__module__ == "builtins" or cls.__flags__ & (1 << 9):  # Py_TPFLAGS_HEAPTYPE
        return cls.__name__
    return f"{cls.__module__}.{cls.__name__}"


def hook_name(hook) -> str:
    name = getattr(hook, "__name__", None)
    return name if isinstance(name, str) else "<unknown>"


def check_single_result(old, new, hook) -> None:
    """A hook's replacement `new` for the gradient `old`: None keeps it; otherwise a tensor of the
    same type and size, and never in place of an undefined gradient."""
    if new is None:
        return
    if old is None:
        raise RuntimeError(messages.POST_HOOK_NONE_REPLACED)
    if not hasattr(new, "_data"):
        raise TypeError(messages.HOOK_RETURN_TYPE.format(type=tp_name(new)))
    if new._dtype is not old._dtype:
        raise RuntimeError(messages.HOOK_TYPE_CHANGED.format(name=hook_name(hook), was=old.type(),
                                                             got=new.type()))
    if new._data.shape != old._data.shape:
        raise RuntimeError(messages.HOOK_SIZE.format(name=hook_name(hook)))


def check_result(previous: tuple, result, hook) -> tuple:
    """A node hook's replacement of a node's gradients (its pre-hook's incoming ones, its post-hook's
    outgoing ones): a tuple of the same length, each entry as check_single_result allows."""
    if type(result) is not tuple:
        raise TypeError(messages.POST_HOOK_NOT_TUPLE.format(type=tp_name(result)))
    if len(result) != len(previous):
        raise RuntimeError(messages.POST_HOOK_COUNT.format(name=hook_name(hook), got=len(result),
                                                           expected=len(previous)))
    for old, new in zip(previous, result):
        check_single_result(old, new, hook)
    return result
