"""SavedTensor: a tensor a node keeps for backward, with the version it had when saved.

Unpacking checks the version (E13/E14/E15) and whether a saved input was detached in place (E16).
A saved output does not keep a reference to its node (no cycle); unpacking rebuilds a tensor that
shares its data and version counter and points at the node. Tensors packed by
saved_tensors_hooks are never version-checked, as in PyTorch."""
from __future__ import annotations

from .._core import messages
from .._core.callsite import call_site, describe, resolve
from .._core.state import STATE
from . import write_guard


def node_short_name(name: str) -> str:
    """SigmoidBackward0 -> Sigmoid, PowBackward1 -> Pow1, MyFnBackward -> MyFn (SEMANTICS 3.3)."""
    head, sep, digits = name.rpartition("Backward")
    if not sep or (digits and not digits.isdigit()):
        return name
    return head if digits in ("", "0") else head + digits


def version_error(tensor, saved_version: int, clause_node: str | None, output_nr: int) -> RuntimeError:
    shape = "[" + ", ".join(str(s) for s in tensor._data.shape) + "]"
    clause = "" if clause_node is None else messages.VERSION_CLAUSE.format(
        index=output_nr, node=node_short_name(clause_node))
    hint = messages.HINT_ANOMALY if STATE.anomaly else messages.HINT_DEFAULT
    return RuntimeError(messages.VERSION_MISMATCH.format(
        type=tensor._dtype.string, shape=shape, clause=clause, current=tensor._vc.version,
        saved=saved_version, hint=hint))


def add_write_notes(err: Exception, vc, saved_version: int, node_name: str, saved_site) -> None:
    """numtorch's addition to PyTorch's text (which stays byte-identical): where the saved tensor
    was written in place, and where the forward call that saved it was made."""
    for version, site in vc.writes or ():  # (sites deferred: see call_site)
        if version > saved_version and site is not None:
            err.add_note(f"numtorch: modified in place by {describe(resolve(site))} (version "
                         f"{version - 1} -> {version})")
    if saved_site is not None:
        _, filename, line = saved_site
        err.add_note(f"numtorch: saved for backward by {node_name} in the forward call at "
                     f"{filename}:{line} (at version {saved_version})")


class SavedTensor:
    __slots__ = ("tensor", "version", "is_output", "output_nr", "had_grad_fn", "packed", "unpack_hook",
                 "freed", "deferred_site", "guard")

    def __init__(self, tensor, is_output: bool, output_nr: int = 0) -> None:
        self.guard = None  # numtorch's write guard (issue 7): a write_guard.SaveRecord while it is on
        self.is_output = is_output
        self.output_nr = output_nr
        self.freed = False
        self.unpack_hook = None
        if STATE.saved_hooks:
            pack, self.unpack_hook = STATE.saved_hooks[-1]
            prev, STATE.grad_enabled = STATE.grad_enabled, False  # torch packs under no_grad
            try:
                self.packed = pack(tensor)
            finally:
                STATE.grad_enabled = prev
            self.tensor = None
            return
        self.packed = None
        vc = tensor._vc
        if vc is None:
            if not STATE.inference:
                raise RuntimeError(messages.INFERENCE_SAVED)
            self.version = 0
        else:
            self.version = vc.version
        # this frame, the node's save and its caller are numtorch's own; resolved when read (site)
        self.deferred_site = call_site(3, deferred=True)
        self.had_grad_fn = tensor._grad_fn is not None
        if write_guard.ACTIVE and vc is not None:  # numtorch's write guard (issue 7)
            self.guard = write_guard.on_save(tensor, self.site)
        if is_output:
            # keep data, not the tensor: the tensor refers to the node that refers to us
            self.tensor = tensor._shallow_alias()
        else:
            self.tensor = tensor

    @property
    def site(self):
        """(numtorch function, filename, line) of the forward call that saved the tensor."""
        return resolve(self.deferred_site)

    def release(self) -> None:
        self.freed = True
        self.tensor = self.packed = None
        if self.guard is not None:  # numtorch's write guard: lift its locks on the saved memory
            self.guard.close()
            self.guard = None

    def unpack(self, node):
        if self.freed:
            raise RuntimeError(messages.FREED_GRAPH)
        if self.unpack_hook is not None:
            return self.unpack_hook(self.packed)
        t = self.tensor
        # SavedVariable::unpack looks for the grad_fn (a saved input detached in place has none)
        # before it checks the version
        if not self.is_output and self.had_grad_fn and t._grad_fn is None and not t._requires_grad:
            raise RuntimeError(messages.DETACHED_SAVED)
        if t._vc is not None and t._vc.version != self.version:
            if self.is_output:
                err = version_error(t, self.version, node.name(), self.output_nr)
            else:
                fn = t.grad_fn
                err = version_error(t, self.version, None if fn is None else fn.name(), t._output_nr)
            add_write_notes(err, t._vc, self.version, node.name(), self.site)
            raise err
        if self.guard is not None:  # numtorch's write guard: a write the version counter missed
            self.guard.check(t, node)
        if self.is_output:
            return t._alias_with_grad_fn(node, self.output_nr)
        return t
