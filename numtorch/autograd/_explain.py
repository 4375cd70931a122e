"""numtorch.autograd.explain: "why is this grad None?".

For each input, the report says whether backward from the output reaches it, by which path of
nodes, and if not, why: an integer dtype, a leaf made with requires_grad=False, or the place where
the path was cut (a detach()/detach_()/.data call, a no_grad or inference_mode block, an op without
derivative), with the user's file:line. Reachability comes from the graph itself, always; the cut
points come from the records numtorch keeps while anomaly mode (or numtorch.viz.record_cuts())
is on, because the graph has, by design, no edge to a tensor that left it."""
from __future__ import annotations

from collections import deque

from .._autograd import provenance
from .._autograd.views import requires_grad
from .._core.callsite import describe
from .._tensor import Tensor

_TRACKING_HINT = ("turn on numtorch.autograd.set_detect_anomaly(True) before the forward pass to "
                  "learn where the path was cut")


class InputReport:
    """One input's verdict: `reachable`, a one-line `reason`, the `site` (function, file, line)
    of the cut when known, and the `path` of node names from the output down to the input."""
    __slots__ = ("index", "tensor_desc", "reachable", "reason", "site", "path")

    def __init__(self, index, tensor_desc, reachable, reason, site=None, path=()) -> None:
        self.index, self.tensor_desc = index, tensor_desc
        self.reachable, self.reason, self.site, self.path = reachable, reason, site, tuple(path)

    def __str__(self) -> str:
        verdict = "reachable" if self.reachable else "NOT reachable"
        return f"input {self.index} ({self.tensor_desc}): {verdict}: {self.reason}"


class Explanation:
    """What explain() returns: `output` (a one-line summary) and `inputs` (InputReport list);
    str() gives the readable report."""

    def __init__(self, output: str, inputs: list) -> None:
        self.output, self.inputs = output, inputs

    def __str__(self) -> str:
        return "\n".join([self.output] + ["  " + str(r) for r in self.inputs])

    __repr__ = __str__


def _describe_tensor(t: Tensor) -> str:
    kind = "leaf" if t.is_leaf else f"grad_fn={type(t.grad_fn).__name__}"
    return f"shape {tuple(t.shape)}, {t.dtype}, {kind}"


def _node_of(t: Tensor):
    """The graph node a gradient for `t` would arrive at, or None if no graph can hold it."""
    if t.grad_fn is not None:
        return t.grad_fn
    acc = t._accumulator
    return acc() if acc is not None else None


def _walk(roots):
    """Every node reachable from `roots`, with a parent map for paths (iterative: no recursion
    limit on long graphs)."""
    parent = {id(r): None for r in roots if r is not None}
    nodes = {id(r): r for r in roots if r is not None}
    queue = deque(nodes.values())
    while queue:
        node = queue.popleft()
        for fn, _ in getattr(node, "next_functions", ()):
            if fn is not None and id(fn) not in nodes:
                nodes[id(fn)] = fn
                parent[id(fn)] = node
                queue.append(fn)
    return nodes, parent


def _path(target, parent) -> list:
    names, node = [], target
    while node is not None:
        names.append(type(node).__name__)
        node = parent.get(id(node))
    return names[::-1]


def _leads_to(tensor_ref, node_ref, target_node, target: Tensor, leaves=()) -> bool:
    """Does an input recorded as (weakref to tensor, weakref to its node, leaves its graph had)
    lead back to target?"""
    t = tensor_ref() if tensor_ref is not None else None
    if t is target or any(r() is target for r in leaves):
        return True
    node = node_ref() if node_ref is not None else None
    if node is None or target_node is None:
        return False
    return id(target_node) in _walk([node])[0]


def _find_cut(output: Tensor, target: Tensor):
    """Walk the records from `output` up to a cut whose far side leads to `target`:
    (description, site) or None."""
    target_node = _node_of(target)
    seen, queue = set(), deque(provenance.records(output))
    while queue:
        rec = queue.popleft()
        if id(rec) in seen:
            continue
        seen.add(id(rec))
        if isinstance(rec, provenance.Provenance):
            if _leads_to(rec.source, rec.node, target_node, target, rec.leaves):
                where = f" (it came from {rec.node_name})" if rec.node_name else ""
                return f"the path was cut by {rec.kind}{where}", rec.site
            continue
        if rec.reason != "derived" and any(_leads_to(t, n, target_node, target, leaves)
                                         for t, n, _, leaves in rec.inputs):
            how = {"no_grad": "ran under no_grad()", "inference_mode": "ran under inference_mode()",
                   "no derivative": "has no derivative"}[rec.reason]
            return f"the path was cut: {rec.op} {how}", rec.site
        for _, _, more, _ in rec.inputs:
            queue.extend(more)
    return None


def _why_not(output: Tensor, t: Tensor, tracking_seen: bool):
    if not (t.dtype.is_floating_point or t.dtype.is_complex):
        return f"{t.dtype} tensors cannot require gradients (only floating point and complex can)", None
    found = _find_cut(output, t)
    if found is not None:
        return found
    prov = provenance.provenance(t)
    if prov is not None:
        return f"the input itself was cut from the graph by {prov.kind}", prov.site
    if not requires_grad(t):
        rec = provenance.cut(t)
        if rec is not None and rec.reason != "derived":
            return f"the input was made by {rec.op} under {rec.reason}", rec.site
        if t.is_leaf:
            return "a leaf created with requires_grad=False; call .requires_grad_() on it before " \
                   "using it", None
        return "it does not require grad", None
    hint = "" if tracking_seen else f"; {_TRACKING_HINT}"
    return f"the output does not depend on it through recorded differentiable ops{hint}", None


def _reach_reason(t: Tensor) -> str:
    if t.is_leaf:
        return "backward() accumulates into its .grad"
    if t._retains_grad:
        return "backward() fills its .grad (retain_grad() was called)"
    return ("backward() passes through it, but .grad of a non-leaf tensor stays None; call "
            ".retain_grad() on it before backward(), or use torch.autograd.grad")


def _output_summary(output: Tensor) -> tuple[str, bool]:
    head = f"output ({_describe_tensor(output)})"
    if requires_grad(output):
        return head + ": requires grad", False
    prov, rec = provenance.provenance(output), provenance.cut(output)
    why = ""
    if prov is not None:
        why = f"; it was cut from the graph by {prov.kind}" + (f" at {describe(prov.site)[len(prov.site[0]) + 5:]}"
                                                              if prov.site else "")
    elif rec is not None:
        why = f"; it was computed by {rec.op}" + (f" at {rec.site[1]}:{rec.site[2]}" if rec.site else "")
    return (head + ": does not require grad and has no grad_fn: backward() from it raises "
            f"'element 0 of tensors does not require grad and does not have a grad_fn'{why}"), True


def explain(tensor: Tensor, inputs=None) -> Explanation:
    """Explain, for each of `inputs` (a tensor or a sequence; default: the leaves the output's graph
    reaches), whether backward from `tensor` gives it a gradient, and if not, why."""
    if isinstance(inputs, Tensor):
        inputs = [inputs]
    roots = [tensor.grad_fn] if tensor.grad_fn is not None else []
    nodes, parent = _walk(roots)
    if inputs is None:
        inputs = [n.variable for n in nodes.values() if type(n).__name__ == "AccumulateGrad"]
    summary, dead = _output_summary(tensor)
    tracking_seen = provenance.TRACKING or provenance.provenance(tensor) is not None or \
        provenance.cut(tensor) is not None
    reports = []
    for i, t in enumerate(inputs):
        node = _node_of(t)
        desc = _describe_tensor(t)
        if not dead and node is not None and id(node) in nodes:
            reports.append(InputReport(i, desc, True, _reach_reason(t) + "; path: "
                                       + " <- ".join(_path(node, parent)), path=_path(node, parent)))
            continue
        reason, site = _why_not(tensor, t, tracking_seen)
        if site is not None:
            reason += f" at {site[1]}:{site[2]}"
        reports.append(InputReport(i, desc, False, reason, site))
    return Explanation(summary, reports)


def unused_input_note(outputs, t: Tensor, index: int) -> str:
    """The note autograd.grad adds to its 'appears to not have been used' error."""
    for out in outputs:
        report = explain(out, [t]).inputs[0]
        if not report.reachable:
            return f"numtorch: the differentiated Tensor at index {index} is not reachable: {report.reason}"
    return f"numtorch: the differentiated Tensor at index {index} is not reachable from the outputs"


def first_cut(output: Tensor):
    """The nearest recorded cut above `output` (a detach()/.data call, a no_grad op, an op
    without derivative): (description, site) or None when nothing was recorded."""
    seen, queue = set(), deque(provenance.records(output))
    while queue:
        rec = queue.popleft()
        if id(rec) in seen:
            continue
        seen.add(id(rec))
        if isinstance(rec, provenance.Provenance):
            return f"{rec.kind} cut it from the graph", rec.site
        if rec.reason != "derived":
            return f"{rec.op} ran under {rec.reason}" if rec.reason != "no derivative" \
                else f"{rec.op} has no derivative", rec.site
        for _, _, more, _ in rec.inputs:
            queue.extend(more)
    return None


def no_grad_fn_note(output: Tensor):
    """The note backward() adds to 'does not require grad and does not have a grad_fn', when
    numtorch recorded where the output left the graph (anomaly mode); None otherwise."""
    found = first_cut(output)
    if found is None:
        return None
    what, site = found
    return f"numtorch: {what}" + (f" at {site[1]}:{site[2]}" if site else "")
