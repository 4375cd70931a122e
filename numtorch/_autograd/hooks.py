"""RemovableHandle: what register_hook and friends return."""
from __future__ import annotations

import itertools

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
