"""Thread-local autograd flags: grad mode, inference mode, anomaly mode, saved-tensor hooks.

The only global mutable state of numtorch besides the default dtype and the node sequence counter."""
from __future__ import annotations

import threading


class _State(threading.local):
    def __init__(self) -> None:
        self.grad_enabled = True
        self.inference = False
        self.anomaly = False
        self.anomaly_check_nan = True
        self.saved_hooks: list = []   # stack of (pack, unpack)
        self.sequence = 0             # node creation order; the engine runs newest first
        # [node whose backward is running] (anomaly W6): one cell per engine run, so the engine
        # updates it per node with a list store rather than a thread-local write
        self.evaluating: list = [None]


STATE = _State()


class VersionCounter:
    """Shared by a base, its views and detach(); `.data` gets a fresh one."""
    __slots__ = ("version", "writes")
    KEEP = 8  # the last in-place writes remembered, for the version error's notes

    def __init__(self) -> None:
        self.version = 0
        self.writes = None

    def note_write(self, site) -> None:
        """Remember (new version, deferred call site) of an in-place write; see _core/callsite.py."""
        if self.writes is None:
            self.writes = []
        elif len(self.writes) >= self.KEEP:
            del self.writes[0]
        self.writes.append((self.version, site))
