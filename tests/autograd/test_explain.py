"""numtorch.autograd.explain ("why is this grad None?") and the notes it adds to autograd's
errors. Reachability is checked against torch: an input is reachable exactly when
torch.autograd.grad(out, input, allow_unused=True) gives it a gradient."""
import inspect

import pytest
import torch

import numtorch
from numtorch.autograd import explain


@pytest.fixture
def tracking():
    with numtorch.autograd.set_detect_anomaly(True):
        yield


def line_of(marker: str, fn) -> int:
    lines, start = inspect.getsourcelines(fn)
    return start + next(i for i, text in enumerate(lines) if marker in text)


def _programs(L):
    """(output, inputs) pairs covering each way a path survives or is cut."""
    a = L.tensor([1.2, 3.4, 5.6], requires_grad=True)
    b = L.tensor([0.5, -1.0, 2.0], requires_grad=True)
    out = a.sigmoid()
    yield "detached", out.detach().sum(), [a]
    yield "partly_detached", (out.detach() * b).sum(), [a, b]
    with L.no_grad():
        h = b * 2
    yield "no_grad", (h * a).sum(), [a, b]
    yield "data", (out.data * b + a).sum(), [a, b]
    yield "argmax", a.argmax().float() + b.sum(), [a, b]
    mid = a * b
    yield "nonleaf", (mid * 3).sum(), [a, b, mid]
    yield "unused", (a * 2).sum(), [a, b]
    yield "plain", torch_like_mlp(L, a), [a]


def torch_like_mlp(L, a):
    w = L.ones(3, 2) * 0.1
    return (a @ w).relu().sum()


@pytest.mark.parametrize("case", range(8))
def test_reachability_matches_torch(case, tracking):
    name, out_t, ins_t = list(_programs(torch))[case]
    _, out_n, ins_n = list(_programs(numtorch))[case]
    report = explain(out_n, ins_n)
    for inp_t, item in zip(ins_t, report.inputs):
        if out_t.requires_grad and inp_t.requires_grad:
            g = torch.autograd.grad(out_t, inp_t, allow_unused=True, retain_graph=True)[0]
            assert item.reachable == (g is not None), (name, str(report))
        else:
            assert not item.reachable, (name, str(report))


def test_example_3_names_the_detach_line(tracking):
    def example():
        a = numtorch.tensor([1.2, 3.4, 5.6], requires_grad=True)
        out = a.sigmoid()
        c = out.detach()  # the cut
        return c.sum(), a
    s, a = example()
    item = explain(s, [a]).inputs[0]
    assert not item.reachable and "detach()" in item.reason and "SigmoidBackward0" in item.reason
    assert item.site[2] == line_of("# the cut", example)


def test_no_grad_block_op_without_derivative_and_data_are_named(tracking):
    def program():
        a = numtorch.ones(3, requires_grad=True)
        b = numtorch.ones(3, requires_grad=True)
        with numtorch.no_grad():
            h = b * 2  # no_grad here
        k = a.argmax()  # no derivative
        d = a.data  # data here
        return (h + k + d).sum(), a, b
    out, a, b = program()
    by_input = explain(out, [a, b]).inputs
    assert "no_grad()" in by_input[1].reason and by_input[1].site[2] == line_of("# no_grad here", program)
    assert by_input[0].site[2] in (line_of("# no derivative", program), line_of("# data here", program))


def test_detach_in_place_and_int_and_plain_leaf(tracking):
    a = numtorch.ones(3, requires_grad=True)
    m = a * 2
    m.detach_()
    out = (m * numtorch.ones(3, requires_grad=True)).sum()
    assert "detach_()" in explain(out, [a]).inputs[0].reason
    ints = numtorch.arange(3)
    assert "cannot require gradients" in explain(out, [ints]).inputs[0].reason
    plain = numtorch.ones(3)
    assert "requires_grad=False" in explain(plain.sum(), [plain]).inputs[0].reason


def test_reachable_non_leaf_mentions_retain_grad():
    a = numtorch.ones(3, requires_grad=True)
    mid = a * 2
    out = (mid * mid).sum()
    item = explain(out, [mid]).inputs[0]
    assert item.reachable and "retain_grad" in item.reason
    assert item.path[0] == "SumBackward0" and item.path[-1] == "MulBackward0"
    mid.retain_grad()
    assert "retain_grad() was called" in explain(out, [mid]).inputs[0].reason


def test_default_inputs_are_the_graph_leaves_and_output_summary():
    a = numtorch.ones(3, requires_grad=True)
    b = numtorch.ones(3, requires_grad=True)
    report = explain((a * b).sum())
    assert len(report.inputs) == 2 and all(r.reachable for r in report.inputs)
    assert "requires grad" in report.output
    dead = explain(a.detach().sum(), [a])
    assert "does not have a grad_fn" in dead.output


def test_without_tracking_the_report_says_how_to_learn_more():
    a = numtorch.ones(3, requires_grad=True)
    b = numtorch.ones(3, requires_grad=True)
    with numtorch.no_grad():
        h = b * 2
    item = explain((h * a).sum(), [b]).inputs[0]
    assert not item.reachable and "set_detect_anomaly(True)" in item.reason


def test_long_chain_has_no_recursion_limit():
    a = numtorch.ones(2, requires_grad=True)
    y = a
    for _ in range(5000):
        y = y * 1.0
    item = explain(y.sum(), [a]).inputs[0]
    assert item.reachable and len(item.path) == 5002


def test_unused_input_error_keeps_torch_text_and_gains_a_note(tracking):
    def run(L):
        a = L.ones(3, requires_grad=True)
        b = L.ones(3, requires_grad=True)
        with L.no_grad():
            h = b * 2
        with pytest.raises(RuntimeError) as e:
            L.autograd.grad((h * a).sum(), [a, b])
        return e.value
    ours, theirs = run(numtorch), run(torch)
    assert str(ours) == str(theirs)
    assert "index 1" in ours.__notes__[0] and "no_grad()" in ours.__notes__[0]


def test_backward_without_grad_fn_gains_a_note_under_anomaly_mode(tracking):
    def run(L):
        a = L.tensor([1.2, 3.4, 5.6], requires_grad=True)
        c = a.sigmoid().detach()  # cut for the note
        with pytest.raises(RuntimeError) as e:
            c.sum().backward()
        return e.value
    ours, theirs = run(numtorch), run(torch)
    assert str(ours) == str(theirs)
    assert ours.__notes__ == [f"numtorch: detach() cut it from the graph at {__file__}:{line_of('# cut for the note', run)}"]


def test_no_records_and_no_notes_when_tracking_is_off():
    a = numtorch.ones(3, requires_grad=True)
    c = a.sigmoid().detach()
    with pytest.raises(RuntimeError) as e:
        c.sum().backward()
    assert not getattr(e.value, "__notes__", None)
    assert "_provenance" not in c.__dict__
