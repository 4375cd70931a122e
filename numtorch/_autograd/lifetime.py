"""numtorch's graph-lifetime warnings (issue 7, item 5). Opt-in: on while anomaly mode or
numtorch.autograd.warn_graph_lifetime() is.

1. A graph that keeps growing across iterations, the PyTorch FAQ's `total_loss += loss`: each
   iteration's loss was backwarded (its graph freed), then added to an accumulator that carries the
   previous iterations' graphs. Every backward starts a new epoch (`begin_backward`); the engine
   marks the nodes it frees (`note_freed`). A node recorded on top of a freed node starts a
   "post-backward" chain stamped with the current epoch; a node that builds on a chain stamped
   with an earlier epoch extends a graph across iterations: W_GRAPH_GROWS, once per line. Using
   a freed graph within its own iteration (metrics computed from `output` after backward) does not
   warn.
2. A graph that grows without any backward (the same accumulator in an evaluation loop with grad
   mode on): each recorded node's depth is 1 + its inputs' deepest; the op that first makes a
   graph deeper than `MAX_DEPTH` warns (W_GRAPH_DEEP), once per line.
3. `backward(create_graph=True)` that leaves a leaf's .grad with a graph reaching the leaf's own
   AccumulateGrad (leaf -> .grad -> graph -> AccumulateGrad -> leaf): W_GRAD_CYCLE, once per line.

Off, dispatch's node recording and the engine read one module flag, ACTIVE. On, the per-node
bookkeeping lives in weak dictionaries: it never keeps a node alive."""
from __future__ import annotations

import warnings
import weakref

from .._core import messages
from .._core.callsite import call_site

ACTIVE = False        # read by dispatch (per recorded node) and by the engine
MAX_DEPTH = 20_000    # a graph deeper than this is reported as growing (warn_graph_lifetime(max_depth=))
EPOCH = 0             # backward calls made while ACTIVE

_freed = weakref.WeakSet()              # nodes whose buffers a backward freed (leaves excluded)
_stale = weakref.WeakKeyDictionary()    # node -> epoch of the post-backward chain it belongs to
_depth = weakref.WeakKeyDictionary()    # node -> longest path to a leaf, for nodes recorded while ACTIVE
_warned: set = set()                    # (kind, filename, line) already warned about


class GraphLifetimeWarning(UserWarning):
    """numtorch's warnings about autograd graphs that outlive their iteration."""


def set_active(enabled: bool) -> bool:
    """Switch the warnings on or off; returns the previous setting."""
    global ACTIVE
    prev, ACTIVE = ACTIVE, bool(enabled)
    return prev


def _warn(kind: str, text: str, site) -> None:
    key = (kind,) + (tuple(site[1:]) if site is not None else ("?", 0))
    if key in _warned:
        return
    _warned.add(key)
    if site is None:
        warnings.warn(text, GraphLifetimeWarning, stacklevel=3)
    else:
        warnings.warn_explicit(text, GraphLifetimeWarning, site[1], site[2])


def _is_freed(fn) -> bool:
    if fn in _freed:
        return True
    saved = getattr(fn, "_saved", None)  # freed by a backward made while the warnings were off
    if saved:
        for s in saved.values():
            if s is not None and s.freed:
                return True
    return False


# ---- engine ----------------------------------------------------------------------------------------
def begin_backward() -> None:
    global EPOCH
    EPOCH += 1


def note_freed(node) -> None:
    """The engine released `node`'s buffers (a backward without retain_graph)."""
    if not hasattr(node, "variable"):  # AccumulateGrad: leaves are meant to be reused
        _freed.add(node)


def check_grad_cycles(order) -> None:
    """After backward(create_graph=True): leaves whose new .grad's graph reaches their own
    AccumulateGrad (a reference cycle through .grad)."""
    cyclic = []
    for node in order:
        var = getattr(node, "variable", None)
        if var is None:
            continue
        g = var._grad
        fn = None if g is None else g._grad_fn
        if fn is not None and _reaches(fn, node):
            cyclic.append(var)
    if not cyclic:
        return
    site = call_site()
    leaves = ", ".join(f"the leaf of shape {list(v._data.shape)} ({v._dtype})" for v in cyclic[:3])
    if len(cyclic) > 3:
        leaves += f" and {len(cyclic) - 3} more"
    op, filename, line = site if site is not None else ("backward", "?", "?")
    _warn("cycle", messages.W_GRAD_CYCLE.format(op=op, filename=filename, line=line, leaves=leaves), site)


def _reaches(start, target, limit: int = 200_000) -> bool:
    seen, stack = {id(start)}, [start]
    while stack and len(seen) < limit:
        node = stack.pop()
        if node is target:
            return True
        for fn, _ in node.next_functions:
            if fn is not None and id(fn) not in seen:
                seen.add(id(fn))
                stack.append(fn)
    return False


# ---- dispatch --------------------------------------------------------------------------------------
def on_record(node) -> None:
    """dispatch recorded `node` (its next_functions set): growth checks."""
    depth = 0
    chain = None  # the oldest post-backward epoch among the inputs
    for fn, _ in node.next_functions:
        if fn is None:
            continue
        d = _depth.get(fn)
        if d is not None and d > depth:
            depth = d
        e = _stale.get(fn)
        if e is None and _is_freed(fn):
            e = EPOCH
        if e is not None and (chain is None or e < chain):
            chain = e
    _depth[node] = depth + 1
    if chain is not None:
        _stale[node] = chain
        if chain < EPOCH:
            site = call_site()
            if site is not None:
                _warn("grows", messages.W_GRAPH_GROWS.format(op=site[0], filename=site[1], line=site[2]),
                      site)
            return
    if depth + 1 > MAX_DEPTH >= depth:
        site = call_site()
        if site is not None:
            _warn("deep", messages.W_GRAPH_DEEP.format(op=site[0], filename=site[1], line=site[2],
                                                        depth=depth + 1), site)


class warn_graph_lifetime:
    """Context manager (and decorator): graph-lifetime warnings on inside, whatever anomaly mode
    says. `max_depth` sets the depth beyond which a graph is reported as growing."""

    def __init__(self, enabled: bool = True, max_depth: int | None = None) -> None:
        self.enabled = bool(enabled)
        self.max_depth = max_depth
        self.prev: list = []

    def __enter__(self) -> None:
        global MAX_DEPTH
        self.prev.append((set_active(self.enabled), MAX_DEPTH))
        if self.max_depth is not None:
            MAX_DEPTH = int(self.max_depth)

    def __exit__(self, *exc: object) -> None:
        global MAX_DEPTH
        active, MAX_DEPTH = self.prev.pop()
        set_active(active)

    def __call__(self, fn):
        import functools

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with warn_graph_lifetime(self.enabled, self.max_depth):
                return fn(*args, **kwargs)
        return wrapper
