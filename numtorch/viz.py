"""numtorch.viz: a picture of the backward graph, as Graphviz DOT.

    g = numtorch.viz.draw(loss, params=model.named_parameters())
    g.source            # DOT text, always available
    g.render("g.svg")   # runs Graphviz's `dot` (not a Python dependency)
    g                   # in Jupyter: the SVG

What is drawn, besides the nodes with PyTorch's names (MulBackward0, AccumulateGrad leaves named
after the parameters given):

- each node's saved tensors with shape, dtype and `saved version -> current version`; a saved
  tensor that backward would refuse (written in place since it was saved, or detached in place) is
  red, with the in-place writes numtorch remembered (file:line);
- a view's `_base`, dotted, for the tensors the picture knows (outputs, cuts, saved inputs);
- cut points, dashed: where a detached tensor (an output without history, a tensor passed in
  `cuts=`, a constant a node saved) came from. Inside `record_cuts()`, detach()/detach_()/.data
  record their source and call site (see numtorch/_autograd/provenance.py); otherwise the source is
  found among the graph's tensors by the NumPy array they share, and the edge says "inferred".

Traversal is iterative (no recursion limit). Past `max_nodes`, linear chains of one node type are
collapsed into "MulBackward0 ×N" (reported in the graph's label); what is still too much is cut off
and counted."""
from __future__ import annotations

import collections
import os
import shutil
import subprocess

from ._autograd import provenance as _prov
from ._autograd import views as _views
from ._autograd.node import AccumulateGrad, FormulaNode
from ._autograd.views import CopySlices
from ._core.callsite import resolve
from ._tensor import Tensor

__all__ = ["draw", "Graph", "record_cuts", "set_record_cuts"]

MIN_CHAIN = 3  # shortest run of same-type nodes that collapsing folds into one

_CREATION = {_views.NO_GRAD: "made in no_grad", _views.INFERENCE: "made in inference mode",
             _views.MULTI_OUTPUT: "multi-output view", _views.CUSTOM_FUNCTION: "custom Function view"}

_STYLE = {
    "fn": 'shape=box, style="rounded,filled", fillcolor="#eeeeee"',
    "collapsed": 'shape=box3d, style=filled, fillcolor="#dddddd"',
    "leaf": 'shape=box, style=filled, fillcolor="#cfe4ff"',
    "output": 'shape=box, style="filled,bold", fillcolor="#d4f0c8"',
    "tensor": 'shape=box, style="dashed,filled", fillcolor="#ffffff"',
    "saved": 'shape=note, style=filled, fillcolor="#fff3d9", fontsize=9',
    "stale": 'shape=note, style="filled,bold", fillcolor="#ffd6d6", color="#d00000", '
             'fontcolor="#b00000", fontsize=9, penwidth=2',
    "freed": 'shape=note, style="filled,dashed", fillcolor="#f4f4f4", fontcolor="#777777", fontsize=9',
    "more": 'shape=plaintext, fontcolor="#555555"',
    "gone": 'shape=box, style="dashed,rounded", color="#999999", fontcolor="#777777"',
}
_EDGE_STYLE = {
    "grad": "",
    "output": "",
    "saved": 'style=dotted, arrowhead=none, color="#b08a3a"',
    "stale": 'style=dotted, arrowhead=none, color="#d00000", penwidth=2',
    "view": 'style=dotted, color="#555555", fontcolor="#555555", fontsize=9, constraint=false',
    "cut": 'style=dashed, color="#1f5fbf", fontcolor="#1f5fbf", fontsize=9',
    "produced": 'style=dotted, arrowhead=none, color="#999999"',
    "more": 'style=dashed, color="#999999"',
}


# ---- switching provenance records on ---------------------------------------------------------
def set_record_cuts(enabled: bool) -> None:
    """Make detach()/detach_()/.data record their source and call site (process-wide)."""
    _prov.set_tracking(enabled)


class record_cuts:
    """Context manager: inside it, detach()/detach_()/.data record where they cut the graph, so
    draw() can name the source node and the line even when the source is not otherwise known."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self.prev = None

    def __enter__(self) -> "record_cuts":
        self.prev = _prov.set_tracking(self.enabled)
        return self

    def __exit__(self, *exc) -> None:
        _prov.set_tracking(self.prev)


# ---- the result ------------------------------------------------------------------------------
class Graph:
    """A drawn graph: `.source` (DOT), `.render(path)`, `.save(path)`, `_repr_svg_` for Jupyter.

    For inspection: `.nodes` (dicts with id, kind, name, label), `.edges` (src, dst, kind),
    `.collapsed` ((node name, chain length) per collapsed chain), `.stale` (labels of the saved
    tensors backward would refuse), `.not_drawn` (nodes cut off beyond max_nodes)."""

    def __init__(self, source: str, nodes: list, edges: list, collapsed: list, stale: list,
                 not_drawn: int, format: str) -> None:
        self.source = source
        self.nodes = nodes
        self.edges = edges
        self.collapsed = collapsed
        self.stale = stale
        self.not_drawn = not_drawn
        self.format = format

    def __str__(self) -> str:
        return self.source

    def __repr__(self) -> str:
        return (f"<numtorch.viz.Graph: {len(self.nodes)} nodes, {len(self.edges)} edges, "
                f"{len(self.stale)} stale>")

    def save(self, path) -> str:
        """Write the DOT text to `path`."""
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.source)
        return os.fspath(path)

    def pipe(self, format: str | None = None) -> bytes:
        """The graph rendered by `dot` in `format` ('svg', 'png', 'pdf', ...)."""
        fmt = format or self.format
        proc = subprocess.run([_dot(), f"-T{fmt}"], input=self.source.encode("utf-8"),
                              capture_output=True, check=False)
        if proc.returncode != 0:
            raise RuntimeError(f"dot -T{fmt} failed: {proc.stderr.decode(errors='replace').strip()}")
        return proc.stdout

    def render(self, path, format: str | None = None) -> str:
        """Render to `path` with `dot`; the format is `format`, else the path's suffix, else the
        one given to draw()."""
        path = os.fspath(path)
        fmt = format or os.path.splitext(path)[1].lstrip(".").lower() or self.format
        data = self.pipe(fmt)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def _repr_svg_(self):
        if self.format != "svg" or shutil.which("dot") is None:
            return None
        return self.pipe("svg").decode("utf-8")

    def _repr_png_(self):
        if self.format != "png" or shutil.which("dot") is None:
            return None
        return self.pipe("png")


def _dot() -> str:
    exe = shutil.which("dot")
    if exe is None:
        raise RuntimeError("Graphviz's `dot` executable was not found: install Graphviz (for example "
                           "`apt-get install graphviz`), or use Graph.source / Graph.save(path).dot")
    return exe


# ---- helpers ---------------------------------------------------------------------------------
def _shape(t) -> str:
    return "[" + ", ".join(str(s) for s in t._data.shape) + "]"


def _dtype(t) -> str:
    return str(t._dtype).replace("torch.", "")


def _meta(t) -> str:
    return f"{_shape(t)} {_dtype(t)}"


def _version(t):
    return None if t._vc is None else t._vc.version


def _site(site) -> str:
    fn, filename, line = resolve(site)  # a version counter's write site is deferred (call_site)
    return f"{fn}() at {os.path.basename(filename)}:{line}"


def _plural(n: int, what: str) -> str:
    return f"{n} {what}" + ("" if n == 1 else "s")


def _q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _named(obj, what: str) -> list:
    """[(name, tensor)] from a tensor, a sequence of tensors, a dict or (name, tensor) pairs."""
    if obj is None:
        return []
    if isinstance(obj, Tensor):
        return [(what, obj)]
    if isinstance(obj, dict):
        items = list(obj.items())
    else:
        items = list(obj)
        if items and all(isinstance(x, Tensor) for x in items):
            if len(items) == 1:
                return [(what, items[0])]
            return [(f"{what} {i}", x) for i, x in enumerate(items)]
    out = []
    for item in items:
        if not (isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], Tensor)):
            raise TypeError(f"numtorch.viz.draw: expected tensors or (name, tensor) pairs for {what}, "
                            f"got {type(item).__name__}")
        out.append((str(item[0]), item[1]))
    return out


def _saved_of(node):
    """[(name, SavedTensor)] of a node; CopySlices shows those of the node it wraps."""
    if isinstance(node, CopySlices):
        node = node.fn
    if isinstance(node, FormulaNode):
        saved = node._saved
        return [(k, s) for k, s in saved.items() if s is not None] if saved else []
    saved = getattr(node, "_saved_variables", None)
    if saved:
        return [(f"saved_tensors[{i}]", s) for i, s in enumerate(saved) if s is not None]
    return []


class _Saved:
    """One saved tensor of a node: its state ("saved", "stale", "freed"); the label is made only
    for what is drawn (a collapsed chain of 100,000 nodes draws one summary)."""
    __slots__ = ("name", "state", "saved", "tensor", "is_output", "param")

    def __init__(self, name, s, params) -> None:
        self.name = name
        self.saved = s
        self.tensor = None
        self.is_output = s.is_output  # an output of the node that saved it (its data's producer)
        if s.freed or s.unpack_hook is not None or s.tensor is None:
            self.state = "freed"
            return
        t = self.tensor = s.tensor
        self.param = params.get(id(t))
        vc = t._vc
        if vc is not None and vc.version != s.version:
            self.state = "stale"
        elif not s.is_output and s.had_grad_fn and t._grad_fn is None and not t._requires_grad:
            self.state = "stale"  # detached in place: unpacking raises
        else:
            self.state = "saved"

    @property
    def label(self) -> str:
        s, name, t = self.saved, self.name, self.tensor
        if t is None:
            return f"{name}\n" + ("freed (backward ran)" if s.freed else "packed by saved_tensors_hooks")
        cur = _version(t)
        lines = [name if self.param is None else f"{name} = {self.param}", _meta(t),
                 f"version {s.version} -> {'inference' if cur is None else cur}"]
        if self.state == "stale":
            if cur is not None and cur != s.version:
                writes = [site for v, site in (t._vc.writes or ()) if v > s.version and site]
                lines.extend(f"written by {_site(site)}" for site in writes[-2:])
            else:
                lines.append("detached in place (detach_())")
        return "\n".join(lines)


class _Item:
    """A drawn node that is not a grad_fn: output, tensor (cut/base) or saved tensor."""
    __slots__ = ("id", "kind", "name", "label", "tensor")

    def __init__(self, id_, kind, name, label, tensor=None) -> None:
        self.id, self.kind, self.name, self.label, self.tensor = id_, kind, name, label, tensor


# ---- draw ------------------------------------------------------------------------------------
def draw(tensor_or_tensors, params=None, *, show_saved: bool = True, show_views: bool = True,
         show_cuts: bool = True, max_nodes: int = 500, format: str = "svg", cuts=None) -> Graph:
    """The backward graph of one or more outputs (a tensor, a sequence, or a dict name -> tensor).

    params: a dict name -> tensor or (name, tensor) pairs (model.named_parameters()) naming the
    AccumulateGrad leaves; cuts: more tensors to show with where they were cut from the graph."""
    b = _Builder(_named(params, "param"), show_saved, show_views, show_cuts)
    outputs = _named(tensor_or_tensors, "output")
    if not outputs:
        raise ValueError("numtorch.viz.draw: no tensor given")
    for name, t in outputs:
        b.add_tensor(name, t, "output")
    for name, t in _named(cuts, "cut"):
        b.add_tensor(name, t, "tensor")
    b.traverse()
    b.resolve()
    return b.emit(max_nodes, format)


class _Builder:
    def __init__(self, params, show_saved, show_views, show_cuts) -> None:
        self.params = {id(t): n for n, t in params}
        self.keep = [t for _, t in params]  # ids stay valid while drawing
        self.show_saved, self.show_views, self.show_cuts = show_saved, show_views, show_cuts
        self.fns: list = []          # grad_fn nodes, in traversal order
        self.index: dict = {}        # node -> position in fns
        self.kids: list = []         # per node: [(child position, output_nr)]
        self.nparents: list = []
        self.saved: list = []        # per node: [_Saved]
        self.queue = collections.deque()
        self.items: list = []        # outputs, tensors, saved tensors: _Item
        self.tensor_items: dict = {}  # id(tensor) -> _Item
        self.extra_edges: list = []  # (src, dst, kind, label); src/dst: ("fn", i) or item id
        self.cut_candidates: list = []  # (item id, tensor, explicit)
        self.view_candidates: list = []  # (item id, tensor)
        self.roots: list = []        # fn positions that outputs point at
        self.next_cut = 0            # cut candidates whose recorded source was queued
        self._leaves: dict = {}      # id(variable) -> [AccumulateGrad positions]

    # -- nodes --
    def visit(self, node) -> int:
        i = self.index.get(node)
        if i is None:
            i = self.index[node] = len(self.fns)
            self.fns.append(node)
            self.kids.append(None)
            self.nparents.append(0)
            self.saved.append(())
            self.queue.append(i)
        return i

    def add_tensor(self, name, t, kind) -> None:
        item = self.tensor_items.get(id(t))
        if item is not None:
            if kind == "output":
                item.kind = "output"
            return
        lines = [name, _meta(t)]
        try:
            fn = t.grad_fn
        except RuntimeError as e:  # a stale no_grad/multi-output view: its stored history
            fn = t._grad_fn
            lines.append(f"grad_fn: {str(e).split('.')[0]}")
        item = _Item(f"t{len(self.items)}", kind, name, "", t)
        self.items.append(item)
        self.tensor_items[id(t)] = item
        if fn is not None:
            i = self.visit(fn)
            if kind == "output":
                self.roots.append(i)
            nr = t._output_nr
            self.extra_edges.append((("fn", i), item.id, "output", str(nr) if nr else ""))
        else:
            if t._requires_grad:
                lines.append("leaf (requires_grad)" if id(t) not in self.params
                             else f"leaf {self.params[id(t)]}")
            elif kind == "output":
                lines.append("no grad_fn: backward() would raise")
            else:
                lines.append("no grad_fn")
            lines.append(f"version {_version(t)}")
            self.cut_candidates.append((item.id, t, True))
        item.label = "\n".join(lines)
        self.view_candidates.append((item.id, t))

    def traverse(self) -> None:
        queue = self.queue
        while True:
            if self.show_cuts:
                self._queue_cut_sources()
            if not queue:
                break
            i = queue.popleft()
            node = self.fns[i]
            kids = []
            for nxt, nr in node.next_functions:
                if nxt is not None:
                    c = self.visit(nxt)
                    kids.append((c, nr))
                    self.nparents[c] += 1
            self.kids[i] = kids
            if not self.show_saved:
                continue
            self.saved[i] = [_Saved(name, s, self.params) for name, s in _saved_of(node)]
            for k, s in enumerate(self.saved[i]):
                t = s.tensor
                if t is None or s.is_output:
                    continue
                sid = f"s{i}_{k}"
                if t._view is not None:
                    self.view_candidates.append((sid, t))
                if t._grad_fn is None and not t._requires_grad:
                    self.cut_candidates.append((sid, t, False))

    def _queue_cut_sources(self) -> None:
        """A cut source recorded by provenance joins the traversal: the part that was cut off."""
        while self.next_cut < len(self.cut_candidates):
            _, t, _ = self.cut_candidates[self.next_cut]
            self.next_cut += 1
            rec = _prov.provenance(t)
            node = None if rec is None else rec.source_node()
            if node is not None:
                self.visit(node)

    def _node_of_tensor(self, t):
        """("fn", i) for a tensor whose history is drawn, else None."""
        fn = t._grad_fn
        if fn is not None and fn in self.index:
            return ("fn", self.index[fn])
        if t._requires_grad and t._grad_fn is None:
            for i in self._leaves.get(id(t), ()):
                return ("fn", i)
        return None

    def resolve(self) -> None:
        """Cut and view edges, once every node is known."""
        # leaves and arrays the graph's tensors hold, for identity matching
        self._leaves = collections.defaultdict(list)
        by_data = collections.defaultdict(list)  # id(ndarray) -> [(anchor, tensor)]
        for i, node in enumerate(self.fns):
            if type(node) is AccumulateGrad:
                self._leaves[id(node.variable)].append(i)
                by_data[id(node.variable._data)].append((("fn", i), node.variable))
            for s in self.saved[i]:
                if s.tensor is None:
                    continue
                anchor = ("fn", i) if s.is_output else self._node_of_tensor(s.tensor)
                if anchor is not None:
                    by_data[id(s.tensor._data)].append((anchor, s.tensor))
        for item in self.items:
            if item.tensor is not None and item.tensor._grad_fn is not None:
                anchor = self._node_of_tensor(item.tensor)
                if anchor is not None:
                    by_data[id(item.tensor._data)].append((anchor, item.tensor))

        if self.show_cuts:
            for sid, t, explicit in self.cut_candidates:
                self._resolve_cut(sid, t, explicit, by_data)
        if self.show_views:
            for sid, t in self.view_candidates:
                vm = t._view
                if vm is None:
                    continue
                base = vm.base
                target = self._node_of_tensor(base) if base._grad_fn is None else None
                if target is None:
                    target = self._base_item(base)
                label = "_base" + ("" if vm.creation == _views.DEFAULT else f"\n{_CREATION[vm.creation]}")
                self.extra_edges.append((sid, target, "view", label))

    def _base_item(self, base, name: str = "_base") -> str:
        """The drawn box of a tensor that is no output (a view's base, a cut's source leaf)."""
        item = self.tensor_items.get(id(base))
        if item is None:
            name = self.params.get(id(base), name)
            item = _Item(f"t{len(self.items)}", "tensor", name,
                         f"{name}\n{_meta(base)}\nversion {_version(base)}", base)
            self.items.append(item)
            self.tensor_items[id(base)] = item
            fn = base._grad_fn
            if fn is not None and fn in self.index:
                self.extra_edges.append((("fn", self.index[fn]), item.id, "produced", ""))
        return item.id

    def _resolve_cut(self, sid, t, explicit, by_data) -> None:
        rec = _prov.provenance(t)
        if rec is not None:
            node = rec.source_node()
            src = None
            if node is not None and node in self.index:
                src = ("fn", self.index[node])
            else:
                st = rec.source_tensor()
                if st is not None and st._requires_grad and st._grad_fn is None:
                    src = self._node_of_tensor(st) or self._base_item(st, "source")
            label = rec.kind
            if rec.site is not None:
                label += f" at {os.path.basename(rec.site[1])}:{rec.site[2]}"
            if src is not None:
                if rec.output_nr and node is not None:
                    label += f"\n(output {rec.output_nr})"
                self.extra_edges.append((src, sid, "cut", label))
            elif explicit or rec.node_name:
                what = f"{rec.node_name}\n(freed)" if rec.node_name else "a tensor without history"
                self.extra_edges.append((("gone", what), sid, "cut", label))
            return
        for anchor, other in by_data.get(id(t._data), ()):
            if other is t:
                continue
            how = "detach()" if other._vc is t._vc else ".data"
            self.extra_edges.append((anchor, sid, "cut", f"{how} (inferred:\nsame array)"))
            return

    # -- collapsing and output --
    def emit(self, max_nodes: int, format: str) -> Graph:
        n = len(self.fns)
        n_saved = [len(s) for s in self.saved]
        total = n + sum(n_saved) + len(self.items)
        protected = set(self.roots)
        for src, dst, _, _ in self.extra_edges:
            for end in (src, dst):
                if isinstance(end, tuple) and end[0] == "fn":
                    protected.add(end[1])
        group = list(range(n))  # representative of each node's display unit
        members: dict = {}      # representative -> chain of positions
        collapsed = []
        if total > max_nodes:
            self._collapse(protected, group, members, collapsed)
        units = [i for i in range(n) if group[i] == i]
        unit_size = {u: (1 + (1 if members.get(u) and any(n_saved[m] for m in members[u]) else n_saved[u]))
                     for u in units}
        other = len(self.items) + sum(1 for e in self.extra_edges if e[0][0] == "gone")
        kept = set()
        budget = max(max_nodes - other, 1)
        used = 0
        not_drawn = 0
        for u in units:  # traversal order: breadth first from the outputs
            if used + unit_size[u] <= budget or u in protected:
                kept.add(u)
                used += unit_size[u]
            else:
                not_drawn += len(members.get(u, (u,)))

        lines = ["digraph backward {", '  graph [fontname="Helvetica", fontsize=10, labelloc=b];',
                 '  node [fontname="Helvetica", fontsize=10];', '  edge [fontname="Helvetica", fontsize=9];']
        nodes, edges, stale = [], [], []

        emitted = set()

        def add_node(nid, kind, name, label, style=None, tooltip=None, of=None) -> None:
            emitted.add(nid)
            nodes.append({"id": nid, "kind": kind, "name": name, "label": label, "of": of})
            extra = f", tooltip={_q(tooltip)}" if tooltip else ""
            lines.append(f"  {nid} [label={_q(label)}, {_STYLE[style or kind]}{extra}];")

        def add_edge(src, dst, kind, label="") -> None:
            edges.append((src, dst, kind))
            attrs = _EDGE_STYLE[kind]
            if label:
                attrs = (attrs + ", " if attrs else "") + f"label={_q(label)}"
            lines.append(f"  {src} -> {dst}" + (f" [{attrs}];" if attrs else ";"))

        def fid(i) -> str:
            return f"n{group[i]}"

        for u in units:
            if u not in kept:
                continue
            node = self.fns[u]
            name = type(node).__name__
            chain = members.get(u)
            if chain:
                add_node(fid(u), "collapsed", name, f"{name} ×{len(chain)}",
                         tooltip=f"{len(chain)} {name} nodes in a chain")
                saved = [s for m in chain for s in self.saved[m]]
                if saved:
                    bad = [s for s in saved if s.state == "stale"]
                    stale.extend(s.label for s in bad)
                    sid = f"s{u}_all"
                    label = f"{len(saved)} saved tensors" + (f"\n{len(bad)} stale" if bad else "")
                    add_node(sid, "saved", "saved", label, style="stale" if bad else "saved", of=fid(u))
                    add_edge(sid, fid(u), "stale" if bad else "saved")
                continue
            if type(node) is AccumulateGrad:
                var = node.variable
                pname = self.params.get(id(var))
                label = _meta(var) if pname is None else f"{pname}\n{_meta(var)}"
                add_node(fid(u), "leaf", name, label, tooltip=f"AccumulateGrad {_meta(var)}")
            else:
                label = name if not isinstance(node, CopySlices) else f"{name}\n({type(node.fn).__name__})"
                add_node(fid(u), "fn", name, label)
            for k, s in enumerate(self.saved[u]):
                sid = f"s{u}_{k}"
                add_node(sid, "saved", s.name, s.label, style=s.state, of=fid(u))
                if s.state == "stale":
                    stale.append(s.label)
                add_edge(sid, fid(u), "stale" if s.state == "stale" else "saved")
        more = set()
        for u in units:
            if u not in kept:
                continue
            for m in members.get(u, (u,)):
                for c, nr in self.kids[m]:
                    if group[c] == u:
                        continue
                    if group[c] not in kept:
                        more.add(u)
                        continue
                    child = self.fns[c]
                    multi = len(getattr(child, "_out_meta", ()) or ()) > 1
                    add_edge(fid(c), fid(u), "grad", str(nr) if (nr or multi) and not members.get(group[c])
                             else "")
        for item in self.items:
            kind = item.kind
            add_node(item.id, kind, item.name, item.label)
        gone = 0
        for src, dst, kind, label in self.extra_edges:
            ends = [fid(e[1]) if isinstance(e, tuple) and e[0] == "fn" else e for e in (src, dst)]
            if isinstance(ends[0], tuple) and ends[1] in emitted:
                gone += 1  # a cut whose source is gone: its name instead of the node
                ends[0] = f"gone{gone}"
                add_node(ends[0], "gone", "gone", src[1])
            if ends[0] not in emitted or ends[1] not in emitted:
                continue  # an end that was collapsed or not drawn
            add_edge(ends[0], ends[1], kind, label)
        if more:
            add_node("more", "more", "more", f"… {not_drawn} more nodes")
            for u in sorted(more):
                add_edge("more", fid(u), "more")

        summary = [_plural(n, "backward node")]
        n_shown_saved = sum(n_saved)
        if n_shown_saved:
            summary.append(_plural(n_shown_saved, "saved tensor"))
        if stale:
            summary.append(f"{len(stale)} stale (backward would raise)")
        label = [", ".join(summary)]
        if collapsed:
            by_name = collections.Counter()
            counts = collections.Counter()
            for name, length in collapsed:
                by_name[name] += length
                counts[name] += 1
            label.append("collapsed: " + ", ".join(
                f"{name} ×{by_name[name]} ({counts[name]} chain{'s' if counts[name] > 1 else ''})"
                for name in by_name))
        if not_drawn:
            label.append(f"not drawn: {not_drawn} nodes beyond max_nodes={max_nodes}")
        lines.insert(1, f"  label={_q(chr(10).join(label))};")
        lines.append("}")
        return Graph("\n".join(lines) + "\n", nodes, edges, collapsed, stale, not_drawn, format)

    def _collapse(self, protected, group, members, collapsed) -> None:
        """Fold each chain of >= MIN_CHAIN same-type nodes, each the only parent of the next."""
        fns, kids, nparents = self.fns, self.kids, self.nparents
        n = len(fns)

        def nxt(i):
            k = kids[i]
            if len(k) != 1:
                return None
            c = k[0][0]
            if nparents[c] != 1 or c in protected or type(fns[c]) is not type(fns[i]):
                return None
            return c

        is_cont = [False] * n  # the single-parent continuation of a same-type chain
        for i in range(n):
            if i in protected or type(fns[i]) is AccumulateGrad:
                continue
            c = nxt(i)
            if c is not None:
                is_cont[c] = True
        for i in range(n):
            if is_cont[i] or i in protected or type(fns[i]) is AccumulateGrad:
                continue
            chain = [i]
            c = nxt(i)
            while c is not None:
                chain.append(c)
                c = nxt(c)
            if len(chain) >= MIN_CHAIN:
                members[i] = chain
                for m in chain:
                    group[m] = i
                collapsed.append((type(fns[i]).__name__, len(chain)))
