"""numtorch's guard for untracked writes (issue 7, item 2). Opt-in: on while anomaly mode or
numtorch.autograd.guard_writes() is.

PyTorch's version counter sees every write made through a tensor that shares it (the tensor, its
views, detach()). It cannot see a write through `.data` (which gets a fresh counter), through the
NumPy array `.numpy()` returns, or through the array a tensor was made from by `from_numpy`: such
a write to a tensor saved for backward makes backward silently compute a wrong gradient. While the
guard is on:

- each SavedTensor registers its storage (the root NumPy array) here (`on_save`), with a copy of
  the saved values, the saving node's name and the forward call site, and keeps the returned
  `SaveRecord`. The record is closed when the saved tensor is released (backward without
  retain_graph) or garbage-collected with its node.
- `.data` and `.numpy()` hand out a separate NumPy view object of the tensor's memory, registered
  as an alias of the storage (`alias`). The array given to `from_numpy` is found from the storage
  itself (creation._ArrayMemory keeps it), so it is guarded whenever the guard was on.
- while a storage has a live record, every alias of it is locked: `writeable = False` on that
  view object only (the tensor's own array and other views of the memory stay writeable), so a
  NumPy write through it raises NumPy's "assignment destination is read-only" at the user's line,
  and a numtorch in-place op through it (or through a tensor view of it) raises GUARD_WRITE from
  views.check_inplace, naming the op's line and the forward call that saved the memory. The last
  record of a storage to close lifts its locks: user arrays never stay read-only.
- at unpack, a saved tensor whose version did not move but whose values differ from the copy
  raises GUARD_UNPACK: this catches aliases the guard did not hand out (made before it was on).

Off, the hot paths read one module flag: SavedTensor and `.data`/`.numpy()` read ACTIVE;
views.make_view and views.check_inplace read TRACKED (true while some guarded alias is alive)."""
from __future__ import annotations

import sys
import weakref

import numpy as np

from .._core import messages
from .._core.callsite import _PACKAGE, call_site

ACTIVE = False   # the guard is on: saves register their storage, .data/.numpy() hand out aliases
TRACKED = False  # some alias handed out by the guard is alive (read by the in-place and view paths)

_aliases: dict = {}   # id(alias array) -> _Alias
_storages: dict = {}  # id(root array) -> _Storage


def set_active(enabled: bool) -> bool:
    """Switch the guard on or off; returns the previous setting."""
    global ACTIVE
    prev, ACTIVE = ACTIVE, bool(enabled)
    return prev


def _root(a: np.ndarray) -> np.ndarray:
    """The array that owns a's memory as numtorch sees it (_tensor._root_array, repeated here to
    keep the layers: views' arrays reach it through views.Window.base)."""
    while True:
        b = a.base
        if not isinstance(b, np.ndarray):
            b = getattr(b, "base", None)
            if not isinstance(b, np.ndarray):
                return a
        a = b


def _where(site) -> str:
    return "" if site is None else f" at {site[1]}:{site[2]}"


# ---- registry ------------------------------------------------------------------------------------
class _Alias:
    """One NumPy array object through which the storage's memory can be written unseen.

    `locks` counts the saved storages that want it locked; `locked` says the guard itself set
    writeable=False (and so must set it back). `flags` is False for tensor views of an alias
    (views.make_view builds them over a views.Window, whose flag NumPy could not set back): those
    are checked by the in-place path only."""
    __slots__ = ("ref", "kind", "site", "owners", "flags", "locks", "locked")

    def __init__(self, array, kind: str, site, flags: bool) -> None:
        key = id(array)
        self.ref = weakref.ref(array, lambda _, key=key: _alias_died(key))
        self.kind, self.site, self.flags = kind, site, flags
        self.owners: list = []
        self.locks = 0
        self.locked = False

    def describe(self) -> str:
        return self.kind + _where(self.site)

    def lock(self) -> None:
        if self.locks == 0 and self.flags:
            a = self.ref()
            if a is not None and a.flags.writeable:
                a.flags.writeable = False
                self.locked = True
        self.locks += 1

    def unlock(self) -> None:
        self.locks -= 1
        if self.locks <= 0:
            self.locks = 0
            if self.locked:
                self.locked = False
                a = self.ref()
                if a is not None:
                    try:
                        a.flags.writeable = True
                    except ValueError:  # pragma: no cover - the memory's owner became read-only
                        pass


def _alias_died(key: int) -> None:
    global TRACKED
    try:
        rec = _aliases.pop(key, None)
        if rec is not None:
            for st in rec.owners:
                st.aliases.pop(key, None)
        TRACKED = bool(_aliases)
    except Exception:  # pragma: no cover - interpreter shutdown
        pass


def _storage_died(key: int) -> None:
    try:
        _storages.pop(key, None)
    except Exception:  # pragma: no cover - interpreter shutdown
        pass


class _Storage:
    """The guard's view of one root array: its aliases and the live saves of its memory."""
    __slots__ = ("root", "aliases", "saves", "__weakref__")

    def __init__(self, root: np.ndarray) -> None:
        key = id(root)
        self.root = weakref.ref(root, lambda _, key=key: _storage_died(key))
        self.aliases: dict = {}  # id(array) -> _Alias
        self.saves: dict = {}    # id(SaveRecord) -> (node name, forward call site)

    def add(self, rec: _Alias) -> None:
        a = rec.ref()
        if a is None or id(a) in self.aliases:
            return
        self.aliases[id(a)] = rec
        rec.owners.append(self)
        if self.saves:
            rec.lock()

    def find_source(self) -> None:
        """The array a from_numpy tensor was made from (creation._ArrayMemory keeps it as
        `_array`), registered as an alias when the storage is first saved."""
        root = self.root()
        src = getattr(getattr(root, "base", None), "_array", None)
        if isinstance(src, np.ndarray) and id(src) not in self.aliases:
            rec = _aliases.get(id(src))
            if rec is None:
                rec = _register(src, _SOURCE, None, True)
            self.add(rec)

    def open(self, record: "SaveRecord", node_name: str, site) -> None:
        if not self.saves:
            self.find_source()
            self.saves[id(record)] = (node_name, site)
            for rec in tuple(self.aliases.values()):
                rec.lock()
        else:
            self.saves[id(record)] = (node_name, site)

    def close(self, record: "SaveRecord") -> None:
        if self.saves.pop(id(record), None) is not None and not self.saves:
            for rec in tuple(self.aliases.values()):
                rec.unlock()

    def saver(self):
        """(node name, forward site) of one live save, or None."""
        for info in self.saves.values():
            return info
        return None


def _storage(root: np.ndarray, create: bool = True):
    st = _storages.get(id(root))
    if st is not None and st.root() is root:
        return st
    if not create:
        return None
    st = _storages[id(root)] = _Storage(root)
    return st


def _register(array: np.ndarray, kind: str, site, flags: bool) -> _Alias:
    global TRACKED
    rec = _Alias(array, kind, site, flags)
    _aliases[id(array)] = rec
    TRACKED = True
    return rec


# ---- aliases: .data, .numpy(), from_numpy, tensor views of them ------------------------------------
_KINDS = {".data": "the tensor .data returned", ".numpy()": "the array .numpy() returned"}
_SOURCE = "the NumPy array given to from_numpy()"


def _asked_by_numtorch() -> bool:
    """Was `.data`/`.numpy()` read by numtorch's own code (gradcheck perturbing inputs through
    .data and restoring them, nn.utils, ...) rather than by the user? Those get the plain array."""
    try:
        f = sys._getframe(3)  # _asked_by_numtorch <- alias <- Tensor.data / Tensor.numpy <- caller
    except ValueError:  # pragma: no cover - no caller frame
        return False
    if f is not None and f.f_code.co_name == "__array__":  # np.asarray(t): numpy calls it for the user
        f = f.f_back
    return f is not None and f.f_code.co_filename.startswith(_PACKAGE)


def alias(a: np.ndarray, kind: str) -> np.ndarray:
    """A separate view object of a's memory for `.data` (kind ".data") or `.numpy()`, registered
    with the user's call site; created locked when the memory is saved for backward now. When
    numtorch itself asks, `a` itself (the behaviour with the guard off)."""
    if _asked_by_numtorch():
        return a
    parent = _aliases.get(id(a))
    out = a.view()
    rec = _register(out, _KINDS.get(kind, kind), call_site(), True)
    if parent is not None and parent.locked:
        rec.locked = True  # the view inherited the parent's lock: lift it with the others
    _storage(_root(a)).add(rec)
    return out


def note_source(tensor, array: np.ndarray) -> None:
    """from_numpy under the guard: remember where the tensor was made from `array`."""
    if array.size and id(array) not in _aliases:
        rec = _register(array, _SOURCE, call_site(), True)
        _storage(_root(tensor._data)).add(rec)


def locked_by_guard(a: np.ndarray) -> bool:
    """Is `a` read-only only because the guard locked it? (from_numpy then does not warn.)"""
    rec = _aliases.get(id(a))
    return rec is not None and rec.locked


def alias_of(a: np.ndarray):
    """The alias record of `a`, or None (views.make_view asks while TRACKED)."""
    return _aliases.get(id(a))


def adopt_view(parent: _Alias, view: np.ndarray) -> None:
    """A tensor view (views.make_view) of an alias is an alias of the same storages, checked by
    the in-place path (NumPy could not set a views.Window array's flag back)."""
    rec = _register(view, "a view of " + parent.kind, parent.site, False)
    for st in parent.owners:
        st.add(rec)


def forget(a: np.ndarray) -> None:
    """`x.data = y`: y's array became x's own, whose writes x's version counter sees."""
    global TRACKED
    rec = _aliases.pop(id(a), None)
    if rec is not None:
        for st in rec.owners:
            st.aliases.pop(id(a), None)
            if st.saves:
                rec.unlock()
        TRACKED = bool(_aliases)


def check_write(t) -> None:
    """views.check_inplace, while TRACKED: refuse an in-place op through a locked alias."""
    rec = _aliases.get(id(t._data))
    if rec is None or rec.locks == 0:
        return
    if sys._getframe(2).f_code.co_name == "_metadata_inplace":
        return  # t_(), unsqueeze_(), ... (methods.py): they change the tensor's shape, not the memory
    info = None
    for st in rec.owners:
        info = st.saver()
        if info is not None:
            break
    if info is None:  # pragma: no cover - locks and saves move together
        return
    node_name, saved_site = info
    site = call_site()
    op, filename, line = site if site is not None else ("?", "?", "?")
    err = RuntimeError(messages.GUARD_WRITE.format(
        op=op, filename=filename, line=line, node=node_name,
        saved="?" if saved_site is None else f"{saved_site[1]}:{saved_site[2]}",
        alias=rec.describe()))
    err.add_note(messages.GUARD_HINT)
    raise err


# ---- saved tensors ---------------------------------------------------------------------------------
def _saving_node_name() -> str:
    """The name of the node that is saving: FormulaNode.save's `self`, Op._record's `node` or the
    custom Function's `ctx` (SavedTensor is made in a generator expression there). Guard only: it
    reads frames."""
    f = sys._getframe(3)  # _saving_node_name <- on_save <- SavedTensor.__init__ <- the saver
    for _ in range(3):
        if f is None:
            break
        loc = f.f_locals
        for key in ("self", "ctx", "node"):
            obj = loc.get(key)
            if obj is not None and hasattr(obj, "next_functions") and callable(getattr(obj, "name", None)):
                try:
                    return obj.name()
                except Exception:  # pragma: no cover - a half-built node
                    return type(obj).__name__
        f = f.f_back
    return "a backward node"


class SaveRecord:
    """What the guard keeps for one SavedTensor: a copy of the saved values, the array they were
    read from, and the storage registration that the record holds open until it closes."""
    __slots__ = ("storage", "node_name", "site", "snapshot", "meta", "array", "closed")

    def __init__(self, storage: _Storage, node_name: str, site, array: np.ndarray) -> None:
        self.storage, self.node_name, self.site = storage, node_name, site
        self.array = array
        self.snapshot = array.tobytes()  # compared bit for bit: any write shows, NaNs included
        self.meta = (array.shape, array.dtype)
        self.closed = False
        storage.open(self, node_name, site)

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.snapshot = self.array = None
            self.storage.close(self)

    def __del__(self) -> None:  # the node (and its saved tensors) was garbage-collected
        try:
            self.close()
        except Exception:  # pragma: no cover - interpreter shutdown
            pass

    def check(self, t, node) -> None:
        """Unpack: the version did not move; did the values?"""
        snap = self.snapshot
        if snap is None:
            return
        cur = t._data
        if (cur.shape, cur.dtype) == self.meta and cur.tobytes() == snap:
            return
        name = node.name() if node is not None else self.node_name
        err = RuntimeError(messages.GUARD_UNPACK.format(node=name, version=t._vc.version))
        if self.site is not None:
            err.add_note(f"numtorch: saved for backward by {name} in the forward call at "
                         f"{self.site[1]}:{self.site[2]}")
        if cur is not self.array:
            err.add_note("numtorch: the saved tensor's memory was replaced since (x.data = ...)")
        known = [rec.describe() for rec in self.storage.aliases.values() if rec.ref() is not None]
        if known:
            err.add_note("numtorch: aliases of its memory the write guard knows of: " + "; ".join(known))
        else:
            err.add_note("numtorch: the write guard handed out no alias of its memory: the write went "
                         "through one made before the guard was on (x.numpy(), x.data) or another "
                         "array over the same memory")
        err.add_note(messages.GUARD_HINT)
        raise err


def on_save(tensor, site):
    """SavedTensor.__init__, while ACTIVE: register the saved storage; returns the SaveRecord."""
    a = tensor._data
    if a.size == 0:
        return None
    return SaveRecord(_storage(_root(a)), _saving_node_name(), site, a)


class guard_writes:
    """Context manager (and decorator): the write guard on inside, whatever anomaly mode says.

        with numtorch.autograd.guard_writes():
            out = a.sigmoid()
            out.data.zero_()        # RuntimeError at this line: SigmoidBackward0 saved `out`
    """

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = bool(enabled)
        self.prev: list = []

    def __enter__(self) -> None:
        self.prev.append(set_active(self.enabled))

    def __exit__(self, *exc: object) -> None:
        set_active(self.prev.pop())

    def __call__(self, fn):
        import functools

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with guard_writes(self.enabled):
                return fn(*args, **kwargs)
        return wrapper
