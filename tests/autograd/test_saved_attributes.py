"""`grad_fn._saved_<name>` (NOTE [Saved attributes]): saved tensors, guarded saves that were not
made, op attributes, the errors after backward and for a name the node does not have, as torch;
and every attribute numtorch sets on a node after recording is readable as `_saved_<name>`. Also
the one- and two-input formula fast paths (dispatch._formula) against torch."""
import importlib
import pathlib
import re

import numpy as np
import pytest

import numtorch
from numtorch._autograd.node import FormulaNode


def _attempt(see, read):
    try:
        value = read()
    except Exception as e:  # the exception's type and text are what torch gives
        see(type(e).__name__, str(e))
    else:
        see(value)


def test_saved_tensors_attributes_and_errors(same):
    def prog(L, see):
        a = L.tensor([1.0, -0.0, 2.0], requires_grad=True)
        b = L.tensor([3.0, float("nan"), -4.0], requires_grad=True)
        c = L.tensor([1.0, 2.0, 3.0])
        y, z, w, s = a * b, a + b, a * c, a.sigmoid()
        for read in (lambda: y.grad_fn._saved_self, lambda: y.grad_fn._saved_other,
                     lambda: w.grad_fn._saved_other, lambda: w.grad_fn._saved_self,
                     lambda: z.grad_fn._saved_alpha, lambda: s.grad_fn._saved_result,
                     lambda: y.grad_fn._saved_alpha, lambda: y.grad_fn._saved_nothing,
                     lambda: y.grad_fn.nothing):
            _attempt(see, read)
        see(getattr(y.grad_fn, "_saved_nothing", "default"), hasattr(y.grad_fn, "_saved_other"),
            type(y.grad_fn).__name__, y.grad_fn.name(), type(z.grad_fn).__name__)
        (y + z + s).sum().backward()
        see(a.grad, b.grad)
        for read in (lambda: y.grad_fn._saved_self, lambda: s.grad_fn._saved_result,
                     lambda: z.grad_fn._saved_alpha):
            _attempt(see, read)
    same(prog)


@pytest.mark.parametrize("needs", ["self", "other", "both"])
def test_two_input_formula_runs_only_the_needed_gradients(same, needs):
    def prog(L, see):
        a = L.tensor([1.0, -0.0, float("inf")], requires_grad=needs in ("self", "both"))
        b = L.tensor([float("nan"), 2.0, -0.0], requires_grad=needs in ("other", "both"))
        for op in (lambda x, y: x * y, lambda x, y: x + y, lambda x, y: x - y, lambda x, y: x / y,
                   lambda x, y: L.add(x, y, alpha=-2.0)):
            inputs = [t for t in (a, b) if t.requires_grad]
            see(L.autograd.grad(op(a, b).sum(), inputs, create_graph=True))
    same(prog)


def test_one_input_formula_and_double_backward(same):
    def prog(L, see):
        x = L.tensor([0.5, -0.0, float("-inf"), float("nan")], dtype=L.float64, requires_grad=True)
        y = (x * 1.0001 + 0.001).sigmoid()
        (g,) = L.autograd.grad(y.sum(), x, create_graph=True)
        see(g, g.grad_fn.name())
        (gg,) = L.autograd.grad(g.sum(), x)
        see(gg)
    same(prog)


def _attributes_set_after_recording() -> set:
    """The names written into a node's `_attrs` outside the op registry, read off the sources (the
    modules that write them imported: some load on first use, and expose their names then). Names
    with a leading underscore are numtorch's own (node.KEPT, a forward's by-product), which torch's
    nodes do not have."""
    names = set()
    root = pathlib.Path(numtorch.__file__).parent
    for path in root.rglob("*.py"):
        text = path.read_text()
        found = set(re.findall(r"_attrs\[\"(\w+)\"\]", text))
        for literal in re.findall(r"\._attrs = \{([^}]*)\}", text, re.S):
            found.update(re.findall(r"\"(\w+)\":", literal))
        if found:
            importlib.import_module(".".join(("numtorch",) + path.relative_to(root).with_suffix("").parts))
        names |= found
    return names


def test_every_attribute_set_after_recording_is_exposed():
    names = _attributes_set_after_recording()
    assert {"is_target", "self_dtype", "backward", "storage_error"} <= names  # the scan works
    missing = sorted(n for n in names if not isinstance(getattr(FormulaNode, "_saved_" + n, None),
                                                        type(FormulaNode._saved_self)))
    assert not missing, f"call expose_saved({', '.join(map(repr, missing))}) where they are set"


def test_attribute_set_after_recording_reads_as_torch(same):
    def prog(L, see):
        x = L.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
        fn = L.nn.functional.multilabel_margin_loss(x, L.tensor([[0, 1, -1], [2, -1, 0]])).grad_fn
        see(fn._saved_is_target)
        up = L.nn.functional.interpolate(x.reshape(1, 1, 2, 3), scale_factor=2.0, mode="bilinear")
        see(up.grad_fn._saved_scales_h, up.grad_fn._saved_scales_w, up.grad_fn._saved_self_sym_sizes)
    same(prog)
