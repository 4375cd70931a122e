"""torch.autograd.graph: Node and saved_tensors_hooks."""
from __future__ import annotations

from .._autograd.node import Node
from .._core.state import STATE


class saved_tensors_hooks:
    """Inside the context every tensor a node saves goes through pack(); backward calls unpack()."""

    def __init__(self, pack_hook, unpack_hook) -> None:
        self.pack_hook = pack_hook
        self.unpack_hook = unpack_hook

    def __enter__(self):
        STATE.saved_hooks.append((self.pack_hook, self.unpack_hook))
        return self

    def __exit__(self, *exc) -> None:
        STATE.saved_hooks.pop()


class save_on_cpu(saved_tensors_hooks):
    def __init__(self, pin_memory: bool = False, device_type: str = "cpu") -> None:
        super().__init__(lambda t: t, lambda t: t)


class disable_saved_tensors_hooks:
    def __init__(self, error_message: str) -> None:
        self.error_message = error_message

    def __enter__(self):
        self.prev = STATE.saved_hooks
        STATE.saved_hooks = []
        return self

    def __exit__(self, *exc) -> None:
        STATE.saved_hooks = self.prev


__all__ = ["Node", "saved_tensors_hooks", "save_on_cpu", "disable_saved_tensors_hooks"]
