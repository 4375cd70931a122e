"""numtorch.viz.draw: pictures of real graphs, node names checked against torch's grad_fn names in
the same program (torch as the oracle), saved tensors, views, cuts, collapsing and rendering."""
import collections
import re
import shutil
import sys
import xml.etree.ElementTree as ET

import pytest

import numtorch
from numtorch import viz

torch = pytest.importorskip("torch")
HAS_DOT = shutil.which("dot") is not None
needs_dot = pytest.mark.skipif(not HAS_DOT, reason="Graphviz's dot is not installed")


# ---- helpers ---------------------------------------------------------------------------------
def torch_names(*tensors) -> collections.Counter:
    """type(grad_fn).__name__ of every node reachable from the tensors (iterative)."""
    seen, out = set(), collections.Counter()
    stack = [t.grad_fn for t in tensors]
    while stack:
        n = stack.pop()
        if n is None or n in seen:
            continue
        seen.add(n)
        out[type(n).__name__] += 1
        stack.extend(f for f, _ in n.next_functions)
    return out


def torch_saved(t) -> collections.Counter:
    """(node name, names of the tensors it saved) for every node, from torch's _saved_* attributes."""
    seen, out, stack = set(), collections.Counter(), [t.grad_fn]
    while stack:
        n = stack.pop()
        if n is None or n in seen:
            continue
        seen.add(n)
        saved = frozenset(k[len("_saved_"):] for k in dir(n)
                          if k.startswith("_saved_") and isinstance(getattr(n, k), torch.Tensor))
        out[(type(n).__name__, saved)] += 1
        stack.extend(f for f, _ in n.next_functions)
    return out


def drawn_names(g) -> collections.Counter:
    return collections.Counter(n["name"] for n in g.nodes if n["kind"] in ("fn", "leaf"))


def drawn_saved(g) -> collections.Counter:
    saved = collections.defaultdict(set)
    for n in g.nodes:
        if n["kind"] == "saved":
            saved[n["of"]].add(n["name"])
    return collections.Counter((n["name"], frozenset(saved[n["id"]]))
                               for n in g.nodes if n["kind"] in ("fn", "leaf"))


def node(g, **match):
    found = [n for n in g.nodes if all(n[k] == v for k, v in match.items())]
    assert len(found) == 1, (match, found)
    return found[0]


def edges(g, kind):
    return [(s, d) for s, d, k in g.edges if k == kind]


def check_dot(g) -> None:
    """Well-formed enough: one digraph, every edge between declared nodes, no duplicate ids."""
    src = g.source
    assert src.startswith("digraph backward {") and src.rstrip().endswith("}")
    declared = re.findall(r"^  (\w+) \[label=", src, re.M)
    assert len(declared) == len(set(declared)) == len(g.nodes)
    for a, b in re.findall(r"^  (\w+) -> (\w+)", src, re.M):
        assert a in declared and b in declared, (a, b)
    assert len(re.findall(r"^  \w+ -> \w+", src, re.M)) == len(g.edges)


def label_line(line: int) -> str:
    return f"test_draw.py:{line}"


# ---- the write-up's four examples ------------------------------------------------------------
def test_example1_sigmoid_sum():
    a = numtorch.tensor([1.2, 3.4, 5.6], requires_grad=True)
    g = viz.draw(a.sigmoid().sum(), {"a": a})
    ta = torch.tensor([1.2, 3.4, 5.6], requires_grad=True)
    assert drawn_names(g) == torch_names(ta.sigmoid().sum())
    assert drawn_saved(g) == torch_saved(ta.sigmoid().sum())
    leaf = node(g, kind="leaf")
    assert leaf["name"] == "AccumulateGrad" and leaf["label"] == "a\n[3] float32"
    saved = node(g, kind="saved")
    assert saved["label"] == "result\n[3] float32\nversion 0 -> 0"
    assert g.stale == [] and "#d00000" not in g.source
    assert node(g, kind="output")["label"] == "output\n[] float32"
    check_dot(g)


def test_example1_unnamed_leaf_shows_shape_and_dtype():
    a = numtorch.tensor([1.2, 3.4, 5.6], dtype=numtorch.float64, requires_grad=True)
    g = viz.draw(a.sigmoid().sum())
    assert node(g, kind="leaf")["label"] == "[3] float64"


def test_example2_detached_tensor_is_a_cut_of_the_sigmoid():
    a = numtorch.tensor([1.2, 3.4, 5.6], requires_grad=True)
    out = a.sigmoid()
    c = out.detach()
    g = viz.draw(out.sum(), cuts={"c": c})
    sig = node(g, name="SigmoidBackward0")
    cut = node(g, kind="tensor", name="c")
    assert "no grad_fn" in cut["label"] and "version 0" in cut["label"]
    assert edges(g, "cut") == [(sig["id"], cut["id"])]
    assert 'label="detach() (inferred:\\nsame array)"' in g.source  # found without any record
    check_dot(g)


def test_example2_recorded_cut_names_the_line():
    a = numtorch.tensor([1.2, 3.4, 5.6], requires_grad=True)
    out = a.sigmoid()
    with viz.record_cuts():
        c = out.detach(); line = sys._getframe().f_lineno  # noqa: E702
    g = viz.draw(out.sum(), cuts={"c": c})
    assert edges(g, "cut") == [(node(g, name="SigmoidBackward0")["id"], node(g, name="c")["id"])]
    assert f'label="detach() at {label_line(line)}"' in g.source


def test_example3_backward_from_the_detached_tensor():
    a = numtorch.tensor([1.2, 3.4, 5.6], requires_grad=True)
    with viz.record_cuts():
        c = a.sigmoid().detach(); line = sys._getframe().f_lineno  # noqa: E702
    g = viz.draw(c.sum(), cuts={"c": c})
    ta = torch.tensor([1.2, 3.4, 5.6], requires_grad=True)
    assert torch_names(ta.sigmoid().detach().sum()) == drawn_names(g) == collections.Counter()
    assert "backward() would raise" in node(g, kind="output")["label"]
    # the sigmoid's node died with the temporary: its name stays, dashed
    gone = node(g, kind="gone")
    assert gone["label"] == "SigmoidBackward0\n(freed)"
    assert edges(g, "cut") == [(gone["id"], node(g, name="c")["id"])]
    assert label_line(line) in g.source
    check_dot(g)


def test_example3_with_the_source_alive_draws_the_cut_off_graph():
    a = numtorch.tensor([1.2, 3.4, 5.6], requires_grad=True)
    out = a.sigmoid()
    with viz.record_cuts():
        c = out.detach()
    g = viz.draw(c.sum(), {"a": a}, cuts={"c": c})
    assert drawn_names(g) == collections.Counter({"SigmoidBackward0": 1, "AccumulateGrad": 1})
    assert edges(g, "cut") == [(node(g, name="SigmoidBackward0")["id"], node(g, name="c")["id"])]
    check_dot(g)


def test_example4_stale_saved_result_is_red():
    a = numtorch.tensor([1.2, 3.4, 5.6], requires_grad=True)
    out = a.sigmoid()
    c = out.detach()
    c.zero_(); line = sys._getframe().f_lineno  # noqa: E702
    g = viz.draw(out.sum(), {"a": a}, cuts={"c": c})
    saved = node(g, kind="saved", name="result")
    assert saved["of"] == node(g, name="SigmoidBackward0")["id"]
    assert saved["label"].startswith("result\n[3] float32\nversion 0 -> 1\n")
    assert f"written by zero_() at {label_line(line)}" in saved["label"]
    assert g.stale == [saved["label"]]
    decl = re.search(rf"^  {saved['id']} \[.*$", g.source, re.M).group(0)
    assert 'color="#d00000"' in decl and "#ffd6d6" in decl
    assert "1 stale (backward would raise)" in g.source
    # what the red means: backward raises, in numtorch as in torch
    with pytest.raises(RuntimeError, match="is at version 1; expected version 0"):
        out.sum().backward()
    ta = torch.tensor([1.2, 3.4, 5.6], requires_grad=True)
    tout = ta.sigmoid()
    tout.detach().zero_()
    assert drawn_names(g) == torch_names(tout.sum())
    with pytest.raises(RuntimeError, match="is at version 1; expected version 0"):
        tout.sum().backward()
    check_dot(g)


def test_data_cut_is_told_apart_from_detach():
    a = numtorch.tensor([1.2, 3.4, 5.6], requires_grad=True)
    out = a.sigmoid()
    c = out.data
    c.zero_()
    g = viz.draw(out.sum(), cuts={"c": c})
    assert g.stale == []  # .data has its own version counter: nobody notices (write-up, part 5)
    assert 'label=".data (inferred:\\nsame array)"' in g.source
    with viz.record_cuts():
        d = out.data
    g = viz.draw(out.sum(), cuts={"d": d})
    assert re.search(r'label="\.data at test_draw\.py:\d+"', g.source)


def test_detach_inplace_of_a_saved_input_is_red_and_cut():
    a = numtorch.tensor([1.2, 3.4, 5.6], requires_grad=True)
    w = numtorch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = a.sigmoid()
    z = y * w
    with viz.record_cuts():
        y.detach_(); line = sys._getframe().f_lineno  # noqa: E702
    g = viz.draw(z.sum(), {"a": a, "w": w})
    saved = node(g, kind="saved", name="self")
    assert "detached in place" in saved["label"] and g.stale == [saved["label"]]
    assert edges(g, "cut") == [(node(g, name="SigmoidBackward0")["id"], saved["id"])]
    assert f"detach_() at {label_line(line)}" in g.source
    with pytest.raises(RuntimeError, match="detached in-place"):
        z.sum().backward()
    ta = torch.tensor([1.2, 3.4, 5.6], requires_grad=True)
    tw = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    ty = ta.sigmoid()
    tz = ty * tw
    ty.detach_()
    assert drawn_names(g) == torch_names(tz.sum())
    with pytest.raises(RuntimeError, match="detached in-place"):
        tz.sum().backward()


def test_recording_is_off_by_default_and_restored():
    a = numtorch.tensor([1.2, 3.4, 5.6], requires_grad=True)
    out = a.sigmoid()
    assert "_provenance" not in out.detach().__dict__
    with viz.record_cuts():
        assert "_provenance" in out.detach().__dict__
        with viz.record_cuts(False):
            assert "_provenance" not in out.detach().__dict__
        assert "_provenance" in out.data.__dict__
    assert "_provenance" not in out.detach().__dict__
    viz.set_record_cuts(True)
    try:
        assert "_provenance" in out.detach().__dict__
    finally:
        viz.set_record_cuts(False)


# ---- views -------------------------------------------------------------------------------------
def test_view_base_edge():
    a = numtorch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    x = a * 2
    v = x[:2]
    g = viz.draw(v)
    ta = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    assert drawn_names(g) == torch_names((ta * 2)[:2])
    out, base = node(g, kind="output"), node(g, name="_base")
    assert edges(g, "view") == [(out["id"], base["id"])]
    assert edges(g, "produced") == [(node(g, name="MulBackward0")["id"], base["id"])]
    check_dot(g)
    assert edges(viz.draw(v, show_views=False), "view") == []


def test_no_grad_view_is_labelled():
    a = numtorch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    x = a * 2
    with numtorch.no_grad():
        v = x[:2]
    g = viz.draw(x.sum(), cuts={"v": v})
    assert 'label="_base\\nmade in no_grad"' in g.source
    assert edges(g, "view") == [(node(g, name="v")["id"], node(g, name="_base")["id"])]


def test_saved_view_of_a_parameter_points_at_its_leaf():
    lin = numtorch.nn.Linear(3, 3)
    h = lin(numtorch.randn(4, 3)).relu()
    g = viz.draw(lin(h).sum(), lin.named_parameters())
    mat2 = node(g, kind="saved", name="mat2")  # weight.t(), saved by the second addmm
    assert edges(g, "view") == [(mat2["id"], node(g, kind="leaf", label="weight\n[3, 3] float32")["id"])]


def test_copy_slices():
    def build(lib):
        a = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        x = a.clone()
        x[:2].mul_(a[1:])
        return a, x.sum()
    a, out = build(numtorch)
    g = viz.draw(out)
    assert drawn_names(g) == torch_names(build(torch)[1])
    cs = node(g, name="CopySlices")
    assert cs["label"] == "CopySlices\n(MulBackward0)"
    assert {n["name"] for n in g.nodes if n.get("of") == cs["id"]} == {"other", "self"}


def test_custom_function():
    def build(lib):
        class Square(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x * x

            @staticmethod
            def backward(ctx, g):
                x, = ctx.saved_tensors
                return 2 * x * g
        a = lib.tensor([1.0, 2.0], requires_grad=True)
        return Square.apply(a).sum()
    g = viz.draw(build(numtorch))
    assert drawn_names(g) == torch_names(build(torch))
    sq = node(g, name="SquareBackward")
    assert node(g, kind="saved")["of"] == sq["id"]
    assert node(g, kind="saved")["name"] == "saved_tensors[0]"


# ---- models ------------------------------------------------------------------------------------
def mlp(lib):
    lib.manual_seed(0)
    m = lib.nn.Sequential(lib.nn.Linear(4, 8), lib.nn.ReLU(), lib.nn.Linear(8, 8), lib.nn.ReLU(),
                          lib.nn.Linear(8, 2))
    x = lib.randn(3, 4)
    return m, lib.nn.functional.cross_entropy(m(x), lib.tensor([0, 1, 1]))


def test_mlp_names_and_saved_tensors_match_torch():
    m, loss = mlp(numtorch)
    g = viz.draw(loss, params=m.named_parameters())
    _, tloss = mlp(torch)
    assert drawn_names(g) == torch_names(tloss)
    # numtorch's NllLossBackward0 keeps target and total_weight as attributes, not saved tensors
    nll = {k: v for k, v in torch_saved(tloss).items() if k[0] != "NllLossBackward0"}
    assert {k: v for k, v in drawn_saved(g).items() if k[0] != "NllLossBackward0"} == nll
    assert ("NllLossBackward0", frozenset({"self"})) in drawn_saved(g)
    leaves = {n["label"].split("\n")[0] for n in g.nodes if n["kind"] == "leaf"}
    assert leaves == {name for name, _ in m.named_parameters()}
    assert g.stale == [] and g.collapsed == []
    check_dot(g)


def test_mlp_after_optimizer_step_shows_stale_weights():
    m, loss = mlp(numtorch)
    opt = numtorch.optim.SGD(m.parameters(), lr=0.1)
    loss.backward(retain_graph=True)
    opt.step()  # writes the weights in place: the graph's saved weights are stale now
    g = viz.draw(loss, params=dict(m.named_parameters()))
    assert g.stale and all("version 1 -> 2" in s for s in g.stale)
    assert all("written by step() at" in s or "written by" in s for s in g.stale)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        loss.backward()


def transformer(lib):
    lib.manual_seed(0)
    layer = lib.nn.TransformerEncoderLayer(d_model=8, nhead=2, dim_feedforward=16, dropout=0.0,
                                           batch_first=True)
    x = lib.randn(2, 5, 8)
    return layer, layer(x).pow(2).mean()


def test_transformer_step():
    layer, loss = transformer(numtorch)
    g = viz.draw(loss, params=layer.named_parameters())
    _, tloss = transformer(torch)
    # every node kind torch has, and no other (numtorch's attention reshapes with one
    # UnsafeView+Clone where torch has a View, so the counts may differ by those)
    assert set(drawn_names(g)) == set(torch_names(tloss))
    assert drawn_names(g) == _numtorch_names(loss)
    named = [n for n in g.nodes if n["kind"] == "leaf"]
    assert sorted(n["label"].split("\n")[0] for n in named) == sorted(n for n, _ in layer.named_parameters())
    assert g.stale == []
    check_dot(g)
    # the training step the picture is of
    opt = numtorch.optim.Adam(layer.parameters(), lr=1e-3)
    loss.backward()
    opt.step()
    g2 = viz.draw(loss, params=layer.named_parameters())
    assert all("freed (backward ran)" in n["label"] for n in g2.nodes if n["kind"] == "saved")


def _numtorch_names(t) -> collections.Counter:
    seen, out, stack = set(), collections.Counter(), [t.grad_fn]
    while stack:
        n = stack.pop()
        if n is None or n in seen:
            continue
        seen.add(n)
        out[type(n).__name__] += 1
        stack.extend(f for f, _ in n.next_functions)
    return out


# ---- large graphs ------------------------------------------------------------------------------
def test_chain_names_match_torch_before_collapsing():
    def build(lib):
        a = lib.ones(2, requires_grad=True)
        x = a
        for _ in range(300):
            x = x * 1.0001
        return x.sum()
    g = viz.draw(build(numtorch), max_nodes=10_000)
    assert drawn_names(g) == torch_names(build(torch))
    assert g.collapsed == []
    g = viz.draw(build(numtorch), max_nodes=100)
    assert g.collapsed == [("MulBackward0", 300)]
    assert drawn_names(g) == collections.Counter({"SumBackward0": 1, "AccumulateGrad": 1})
    assert node(g, kind="collapsed")["label"] == "MulBackward0 ×300"


def test_chain_of_100000_nodes():
    a = numtorch.ones(2, requires_grad=True)
    x = a
    for _ in range(100_000):
        x = x * 1.0001
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)  # the traversal must not recurse
    try:
        g = viz.draw(x.sum(), {"a": a})
    finally:
        sys.setrecursionlimit(limit)
    assert g.collapsed == [("MulBackward0", 100_000)]
    assert "MulBackward0 ×100000" in g.source
    assert "collapsed: MulBackward0 ×100000 (1 chain)" in g.source  # reported in the graph label
    assert len(g.nodes) <= 10 and g.not_drawn == 0
    assert [n["label"] for n in g.nodes if n["kind"] == "saved"] == ["100000 saved tensors"]
    check_dot(g)
    if HAS_DOT:
        assert "<svg" in g._repr_svg_()


def test_truncation_beyond_max_nodes():
    a = numtorch.ones(2, requires_grad=True)
    x = a
    for i in range(1000):  # alternating types: nothing to collapse
        x = x * 1.0001 if i % 2 else x + 1
    g = viz.draw(x.sum(), max_nodes=60)
    assert g.collapsed == [] and g.not_drawn > 900
    assert len(g.nodes) <= 62
    assert f"not drawn: {g.not_drawn} nodes beyond max_nodes=60" in g.source
    assert node(g, kind="more")["label"] == f"… {g.not_drawn} more nodes"
    check_dot(g)


def test_options_and_inputs():
    a = numtorch.tensor([1.0, 2.0], requires_grad=True)
    y1, y2 = a.exp(), (a * 3).sum()
    g = viz.draw({"y1": y1, "y2": y2}, show_saved=False)
    assert {n["name"] for n in g.nodes if n["kind"] == "output"} == {"y1", "y2"}
    assert not [n for n in g.nodes if n["kind"] == "saved"]
    g = viz.draw([y1, y2])
    assert {n["name"] for n in g.nodes if n["kind"] == "output"} == {"output 0", "output 1"}
    check_dot(g)
    assert "leaf (requires_grad)" in viz.draw(a).source
    with pytest.raises(TypeError):
        viz.draw([y1, 3])
    with pytest.raises(ValueError):
        viz.draw([])
    c = a.detach()
    assert edges(viz.draw(a.exp(), cuts=[c], show_cuts=False), "cut") == []


def test_lazy_attribute():
    assert numtorch.viz is viz


# ---- rendering ---------------------------------------------------------------------------------
def example4_graph():
    a = numtorch.tensor([1.2, 3.4, 5.6], requires_grad=True)
    out = a.sigmoid()
    c = out.detach()
    c.zero_()
    return viz.draw(out.sum(), {"a": a}, cuts={"c": c})


def test_save_writes_the_dot_source(tmp_path):
    g = example4_graph()
    path = g.save(tmp_path / "g.dot")
    assert open(path, encoding="utf-8").read() == g.source == str(g)


@needs_dot
def test_render_svg_and_png(tmp_path):
    g = example4_graph()
    svg = g.render(tmp_path / "g.svg")
    root = ET.parse(svg).getroot()
    assert root.tag.endswith("svg")
    texts = [e.text for e in root.iter() if e.tag.endswith("text")]
    assert "SigmoidBackward0" in texts and "version 0 -> 1" in texts
    assert "#d00000" in open(svg, encoding="utf-8").read()
    png = g.render(tmp_path / "g.png")
    with open(png, "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"
    other = g.render(tmp_path / "g.out", format="png")
    with open(other, "rb") as f:
        assert f.read(4) == b"\x89PNG"
    assert "<svg" in g._repr_svg_()
    assert g._repr_png_() is None
    assert viz.draw(numtorch.ones(1, requires_grad=True).exp(), format="png")._repr_png_()[:4] == b"\x89PNG"


def test_missing_dot_is_reported(monkeypatch):
    g = example4_graph()
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert g._repr_svg_() is None
    with pytest.raises(RuntimeError, match="Graphviz's `dot` executable was not found"):
        g.render("never.svg")


def test_saved_tensors_hooks_and_freed():
    a = numtorch.tensor([1.0, 2.0], requires_grad=True)
    with numtorch.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t):
        y = a.exp()
    g = viz.draw(y)
    assert node(g, kind="saved")["label"] == "result\npacked by saved_tensors_hooks"
    y = a.exp()
    y.sum().backward()
    assert node(viz.draw(y), kind="saved")["label"] == "result\nfreed (backward ran)"
