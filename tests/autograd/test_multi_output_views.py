"""Multi-output views (SEMANTICS 4.6): outputs of unbind/split/chunk/split_with_sizes that have a
grad_fn cannot be written in place (E36, also through views of them) and become unusable after
their base is written (E37); without a grad_fn they are plain writable views, except when a write
would be recorded (E38); under no_grad they may be written. tensor_split returns ordinary views."""
from __future__ import annotations

import os
import sys

import pytest

torch = pytest.importorskip("torch")

sys.path.insert(0, os.path.dirname(__file__))
from _differential import compare  # noqa: E402

SPLITTERS = {
    "split": lambda b: b.split(2),
    "split_sections": lambda b: b.split([1, 3]),
    "split_with_sizes": lambda b: b.split_with_sizes([1, 3]),
    "chunk": lambda b: b.chunk(2),
    "unbind": lambda b: b.unbind(),
    "unbind_rows": lambda b: b.view(2, 2).unbind(0),
    "unbind_columns": lambda b: b.view(2, 2).unbind(1),
    "iteration": lambda b: tuple(iter(b.view(2, 2))),
}


@pytest.mark.parametrize("name", sorted(SPLITTERS))
def test_writing_an_output_with_grad_fn_is_e36(name):
    split = SPLITTERS[name]

    def prog(lib, rec):
        w = lib.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
        b = w * 1
        outs = split(b)
        rec("outs", outs)
        for i, o in enumerate(outs):
            rec.run(f"add_{i}", lambda o=o: o.add_(1))
            rec.run(f"setitem_{i}", lambda o=o: o.__setitem__(..., 0.0))
            rec.run(f"view_of_output_{i}", lambda o=o: o.view(-1)[:1].mul_(2))
        rec("untouched", (b, b._version))
        (outs[-1] * 2).sum().backward()
        rec.grad("grad", w.grad)

    compare(prog, torch)


@pytest.mark.parametrize("name", sorted(SPLITTERS))
def test_outputs_are_unusable_after_base_write_e37(name):
    split = SPLITTERS[name]

    def prog(lib, rec):
        w = lib.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
        b = w * 1
        outs = split(b)
        child = outs[0].view(-1)
        rec("write", b.mul_(2))
        for i, o in enumerate(outs):
            rec.run(f"grad_fn_{i}", lambda o=o: o.grad_fn)
            rec.run(f"repr_{i}", lambda o=o: repr(o))
            rec.run(f"op_{i}", lambda o=o: o * 2)
            rec.run(f"backward_{i}", lambda o=o: o.sum().backward())
        rec.run("child_of_output", lambda: child.grad_fn)
        rec("base", (b, b.grad_fn))

    compare(prog, torch)


def test_multi_output_semantics_example():
    """SEMANTICS 4.6 verbatim."""
    def prog(lib, rec):
        w = lib.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
        b = w * 1
        s0, s1 = b.split(2)
        rec.run("s0_add", lambda: s0.add_(1))
        rec.run("unbind_zero", lambda: b.unbind()[1].zero_())
        rec.run("s0_slice", lambda: s0[:1].add_(1))
        rec.run("sws", lambda: b.split_with_sizes([1, 3])[1].zero_())
        rec("mul", b.mul_(2))
        rec.run("s1_grad_fn", lambda: s1.grad_fn)
        x = lib.tensor([1.0, 2.0, 3.0, 4.0])
        x0, x1 = x.split(2)
        rec("x0", (x0.add_(1), x))
        rec.run("x1_e38", lambda: x1.mul_(w[:2]))

    compare(prog, torch)


@pytest.mark.parametrize("name", sorted(SPLITTERS))
def test_outputs_without_grad_fn_are_writable_until_recorded(name):
    split = SPLITTERS[name]

    def prog(lib, rec):
        w = lib.tensor([2.0, 3.0, 4.0, 5.0], requires_grad=True)
        x = lib.tensor([1.0, 2.0, 3.0, 4.0])
        outs = split(x)
        rec.run("plain_write", lambda: outs[0].add_(1))
        rec("x", (x, x._version, [o._version for o in outs]))
        last = outs[-1]
        value = w[: last.numel()].view(last.shape) if last.dim() else w[0]
        rec.run("recorded_write_e38", lambda: last.mul_(value))
        rec.run("recorded_setitem_e38", lambda: last.__setitem__(..., value))
        rec("x_after", (x, x.requires_grad, x.grad_fn))
        x.mul_(w[0])  # the base itself may be written and now has a history
        rec.run("output_after_base_got_history", lambda: outs[0].grad_fn)
        rec.run("output_repr", lambda: repr(outs[0]))

    compare(prog, torch)


@pytest.mark.parametrize("name", sorted(SPLITTERS))
def test_outputs_may_be_written_under_no_grad(name):
    split = SPLITTERS[name]

    def prog(lib, rec):
        w = lib.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
        b = w * 1
        outs = split(b)
        with lib.no_grad():
            rec("write", outs[0].add_(10))
        rec("base", (b, b._version, b.grad_fn))
        rec.run("written_output_grad_fn", lambda: outs[0].grad_fn)
        rec.run("sibling_grad_fn", lambda: outs[-1].grad_fn)
        rec.run("backward", lambda: b.sum().backward())
        rec.grad("grad", w.grad)
        with lib.no_grad():
            made = split(b)
        rec.run("no_grad_outputs", lambda: [o.grad_fn for o in made])
        rec.run("write_no_grad_output_with_grad", lambda: made[0].add_(1))

    compare(prog, torch)


def test_multi_output_views_under_inference_mode():
    def prog(lib, rec):
        w = lib.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
        b = w * 1
        with lib.inference_mode():
            parts = b.split(2)
            rec("inside", [(p.is_inference(), p._is_view(), p.requires_grad) for p in parts])
            rec("write_inside", parts[0].add_(1))
        rec.run("write_outside_e43", lambda: parts[1].mul_(w[:2]))
        rec.run("grad_fn", lambda: parts[1].grad_fn)
        rec("base", (b, b._version))
        x = lib.ones(4)
        with lib.inference_mode():
            xs = x.unbind()
        rec.run("plain_write", lambda: xs[0].add_(1))
        rec.run("recorded_write", lambda: xs[1].mul_(w[0]))
        rec("x", (x, x._version))

    compare(prog, torch)


def test_tensor_split_outputs_are_ordinary_views():
    def prog(lib, rec):
        w = lib.tensor([1.0, 2.0, 3.0, 4.0, 5.0], requires_grad=True)
        b = w * 1
        parts = b.tensor_split(2)
        rec("parts", parts)
        rec("write", parts[0].mul_(3))
        rec("after", (b, b.grad_fn, parts[1].grad_fn))
        b.sum().backward()
        rec.grad("grad", w.grad)

    compare(prog, torch)


def test_multi_output_gradients_with_some_outputs_unused():
    def prog(lib, rec):
        w = lib.arange(6.0, requires_grad=True)
        m = (w * 1).view(2, 3)
        a, b_, c = m.unbind(1)
        rec("nexts", [(o.grad_fn, o.output_nr) for o in (a, b_, c)])
        (b_ * 2).sum().backward(retain_graph=True)
        rec.grad("one", w.grad)
        (a * c).sum().backward()
        rec.grad("two", w.grad)
        p, q = (w * 1).chunk(2)
        g, = lib.autograd.grad((q * q).sum(), w, create_graph=True)
        rec.grad("double", lib.autograd.grad(g.sum(), w))

    compare(prog, torch)
