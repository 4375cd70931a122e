"""Where a tensor was cut from the graph: opt-in records for numtorch.viz's cut points and
numtorch.autograd.explain.

`Tensor.detach()`, `detach_()` and `.data` read one module flag, `TRACKING`; only while it is on
(numtorch.viz.record_cuts()) do they call `record`, which stores on the detached tensor a weak
reference to its source and to the source's grad_fn, the grad_fn's name (kept when the node itself
is gone) and the user's call site. Off, nothing is recorded and nothing is paid but the flag read:
an always-on record (a weakref, the tensor's __dict__ and a walk up the stack) would make detach()
two to three times slower. Without a record, numtorch.viz still finds a detached tensor's source
among the graph's tensors by identity of the NumPy array they share (detach() and .data alias it).

While TRACKING, dispatch also calls `record_op` for each op: a result computed under no_grad, by
an op without derivative, or from tensors that carry a record gets an `OpCut` linking back to its
inputs, so that explain() can walk from an output to the detach() or no_grad block that cut it.
Anomaly mode switches TRACKING on too."""
from __future__ import annotations

import weakref

from .._core.callsite import call_site

TRACKING = False  # process-wide, read by Tensor.detach/detach_/.data and by every op's dispatch


class Provenance:
    """How `tensor` was cut from the graph: kind is "detach()", "detach_()" or ".data"."""
    __slots__ = ("kind", "source", "node", "node_name", "output_nr", "version", "site", "leaves")

    def __init__(self, kind, source, node, node_name, output_nr, version, site, leaves=()) -> None:
        self.kind = kind
        self.source = source        # weakref to the source tensor, or None (detach_(): itself)
        self.node = node            # weakref to the source's grad_fn at the cut, or None
        self.node_name = node_name  # its class name, known after the node is freed
        self.output_nr = output_nr
        self.version = version      # the shared version counter's value at the cut
        self.site = site            # (function, filename, line) of the user's call, or None
        self.leaves = leaves        # weakrefs to the leaves the source's graph reached at the cut

    def source_tensor(self):
        return None if self.source is None else self.source()

    def source_node(self):
        return None if self.node is None else self.node()


def record(t, source, kind: str):
    """Attach a Provenance to `t` (cut from `source`); returns `t`."""
    fn = source._grad_fn  # the stored grad_fn: reading .grad_fn could regenerate a view's
    vc = source._vc
    t.__dict__["_provenance"] = Provenance(
        kind, None if t is source else weakref.ref(source),
        None if fn is None else weakref.ref(fn), None if fn is None else type(fn).__name__,
        source._output_nr, None if vc is None else vc.version, call_site(), leaves_of(source))
    return t


def leaves_of(t) -> tuple:
    """Weakrefs to the leaves requiring grad that `t`'s graph reaches now (t itself for a leaf):
    what a cut took away, remembered even after the cut-off graph is freed."""
    if t._grad_fn is None:
        return (weakref.ref(t),) if t._requires_grad else ()
    out, seen, stack = [], {id(t._grad_fn)}, [t._grad_fn]
    while stack:
        node = stack.pop()
        variable = getattr(node, "variable", None)
        if variable is not None:
            out.append(weakref.ref(variable))
        for fn, _ in node.next_functions:
            if fn is not None and id(fn) not in seen:
                seen.add(id(fn))
                stack.append(fn)
    return tuple(out)


def provenance(t):
    """The record `record` left on `t`, or None."""
    d = getattr(t, "__dict__", None)
    return None if not d else d.get("_provenance")


def set_tracking(enabled: bool) -> bool:
    """Switch recording on or off; returns the previous setting."""
    global TRACKING
    prev, TRACKING = TRACKING, bool(enabled)
    return prev


class OpCut:
    """Why an op's result is (partly) outside the graph although it came from other tensors.

    reason: "no_grad" / "inference_mode" (grad mode was off while an input required grad),
    "no derivative" (the op is not differentiable), or "derived" (the result was computed from
    tensors that carry a record, so a walk from an output can reach the cut further up).
    `inputs` holds, per tensor input, a weakref to it, a weakref to its graph node (grad_fn or
    AccumulateGrad, or None), its own records (kept strongly: intermediate tensors die, the
    chain of records must not) and, for a real cut, weakrefs to the leaves it took away."""
    __slots__ = ("op", "reason", "inputs", "site")

    def __init__(self, op, reason, inputs, site) -> None:
        self.op = op
        self.reason = reason
        self.inputs = inputs
        self.site = site


def _node_ref(t):
    fn = t._grad_fn
    if fn is not None:
        return weakref.ref(fn)
    return t._accumulator  # already a weakref (or None)


def records(t) -> tuple:
    """The Provenance and OpCut records on `t` (either may be missing)."""
    d = getattr(t, "__dict__", None)
    if not d:
        return ()
    return tuple(r for r in (d.get("_provenance"), d.get("_cut")) if r is not None)


def record_op(op_name: str, inputs, results, recorded: bool) -> None:
    """Called by dispatch for each op while TRACKING: mark results that the graph cannot explain."""
    from .._core.state import STATE
    from .views import requires_grad
    inputs = [t for t in inputs if not t._wrapped]
    wanting = any(requires_grad(t) for t in inputs)
    if wanting and not recorded:
        reason = ("inference_mode" if STATE.inference else "no_grad") if not STATE.grad_enabled \
            else "no derivative"
    elif any(records(t) for t in inputs):
        reason = "derived"
    else:
        return
    deep = reason != "derived"  # a real cut: remember which leaves it took away
    links = tuple((weakref.ref(t), _node_ref(t), records(t), leaves_of(t) if deep else ())
                  for t in inputs)
    cut = OpCut(op_name, reason, links, call_site())
    for r in results:
        r.__dict__["_cut"] = cut


def cut(t):
    """The OpCut `record_op` left on `t`, or None."""
    d = getattr(t, "__dict__", None)
    return None if not d else d.get("_cut")
