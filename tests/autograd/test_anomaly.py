"""Anomaly mode (SEMANTICS 5.11: W3, W5, W6, E15, E44), differential against torch. Each program
step records the warnings it emitted (in order, before its result or exception), with full text:
the forward stacks must match torch's frame for frame, once torch's own Python frames (which
numtorch has no counterpart for) are taken out of torch's stacks."""
import os
import re
import traceback
import warnings

import pytest

import numtorch as nt

torch = pytest.importorskip("torch")

_TORCH_DIR = os.path.dirname(torch.__file__) + os.sep
_FRAME = re.compile(r'  File "(?P<file>[^"]*)", line \d+, in [^\n]*\n(?:    [^\n]*\n)?')


def without_torch_frames(text: str) -> str:
    return _FRAME.sub(lambda m: "" if m["file"].startswith(_TORCH_DIR) else m[0], text)


def _message(w) -> str:
    return without_torch_frames(str(w.message).split(" (Triggered internally at")[0])


def _freeze(x):
    if isinstance(x, (torch.Tensor, nt.Tensor)):
        return ("tensor", repr(x), repr(x.detach().numpy().tolist()))  # a string: nan == nan
    if isinstance(x, (tuple, list)):
        return tuple(_freeze(v) for v in x)
    return x


def observe(prog, lib) -> list:
    log: list = []

    def step(label, fn):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                result = ("returned", _freeze(fn()))
            except Exception as e:  # noqa: BLE001 - the error is the observation
                result = ("raised", type(e).__name__, str(e))
        log.extend((label, "warned", w.category.__name__, _message(w)) for w in caught)
        log.append((label,) + result)

    try:
        prog(lib, step)
    finally:
        lib.autograd.set_detect_anomaly(False)
    return log


def check(prog) -> list:
    expected, got = observe(prog, torch), observe(prog, nt)
    for e, g in zip(expected, got):
        assert e == g, f"\n torch:    {e!r}\n numtorch: {g!r}"
    assert len(expected) == len(got), (expected[len(got):], got[len(expected):])
    assert expected
    return got


def test_detect_anomaly_warns_W3_and_restores_the_previous_mode():
    def prog(torch, step):
        flags = lambda: (torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled())  # noqa: E731
        step("initial", flags)

        def inside(**kwargs):
            with torch.autograd.detect_anomaly(**kwargs) as entered:
                return entered, flags()
        step("detect_anomaly", inside)
        step("detect_anomaly check_nan=False", lambda: inside(check_nan=False))
        step("after", flags)
        step("not a decorator", lambda: torch.autograd.detect_anomaly()(flags))
        step("set_detect_anomaly call", lambda: torch.autograd.set_detect_anomaly(True, False) and flags())

        def nested():
            with torch.autograd.set_detect_anomaly(False):
                with torch.autograd.set_detect_anomaly(True, check_nan=True):
                    inner = flags()
                return inner, flags()
        step("set_detect_anomaly nested", nested)
        step("restored", flags)
    got = check(prog)
    assert any(entry[1] == "warned" for entry in got)


def test_nan_gradient_raises_E44_after_W5_and_only_when_check_nan():
    def prog(torch, step):
        x = torch.tensor([0.0, 1.0], requires_grad=True)

        def sqrt_backward(check_nan):
            x.grad = None
            with torch.autograd.set_detect_anomaly(True, check_nan=check_nan):
                (x.sqrt() * 0).sum().backward()
            return x.grad
        step("check_nan", lambda: sqrt_backward(True))
        step("no check_nan", lambda: sqrt_backward(False))
        step("anomaly off", lambda: sqrt_backward(True) if False else (x.sqrt() * 0).sum().backward())

        class TwoNaN(torch.autograd.Function):
            forward = staticmethod(lambda ctx, a, b: a * b)
            backward = staticmethod(lambda ctx, g: (g, g * float("nan")))
        torch.autograd.set_detect_anomaly(True)
        step("custom 1th output", lambda: TwoNaN.apply(x, x * 1).sum().backward())
        step("forward NaN is not checked", lambda: torch.tensor([float("nan")], requires_grad=True) * 1)
        step("NaN from the incoming gradient", lambda: (x * 2).backward(torch.tensor([float("nan"), 0.0])))
    check(prog)


def test_W5_stack_is_the_forward_call_in_format_stack_form():
    def inner(x):
        return traceback.format_stack(), x.sqrt()

    def outer(x):
        return inner(x * 1)

    def prog(torch, step):
        x = torch.tensor([0.0, 4.0], requires_grad=True)
        torch.autograd.set_detect_anomaly(True)
        stack, y = outer(x)
        step("metadata", lambda: without_torch_frames("".join(y.grad_fn.metadata["traceback_"])))
        step("format_stack", lambda: "".join(stack) == without_torch_frames(
            "".join(y.grad_fn.metadata["traceback_"])))
        step("backward", lambda: (y * 0).sum().backward())
    got = check(prog)
    warned = [entry[3] for entry in got if entry[1] == "warned"]
    assert warned[0].startswith("Error detected in SqrtBackward0. Traceback of forward call that "
                                "caused the error:\n  File ")
    assert warned[0].endswith("in inner\n    return traceback.format_stack(), x.sqrt()\n")


def test_failing_backward_of_a_custom_function_warns_W5_first():
    def prog(torch, step):
        import numpy as np
        torch.autograd.set_detect_anomaly(True)
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        for name, backward in (("Raises", lambda ctx, g: np.log("x")), ("TooMany", lambda ctx, g: (g, g)),
                               ("Shape", lambda ctx, g: torch.ones(3)), ("NoBackward", None)):
            attrs = {"forward": staticmethod(lambda ctx, x: x * 2)}
            if backward is not None:
                attrs["backward"] = staticmethod(backward)
            Fn = type(name, (torch.autograd.Function,), attrs)
            y = Fn.apply(x)
            step(name, lambda: y.sum().backward())  # noqa: B023
        y = x * 2
        y.register_hook(lambda g: np.log("tensor hook"))
        step("tensor hook", lambda: y.sum().backward())
        y = x * 3
        y.grad_fn.register_prehook(lambda grads: np.log("pre-hook"))
        step("pre-hook", lambda: y.sum().backward())
        y = x * 4
        y.grad_fn.register_hook(lambda gi, go: np.log("post-hook"))
        step("post-hook", lambda: y.sum().backward())
        z = x.exp().sum()
        step("first", lambda: z.backward())
        step("freed graph", lambda: z.backward())
        step("root gradient shape (no node fails)", lambda: (x * 2).backward(torch.ones(3)))
    check(prog)


def test_version_error_hint_E15_depends_on_the_mode_at_backward():
    def prog(torch, step):
        a = torch.tensor([1.2, 3.4, 5.6], requires_grad=True)

        def broken():
            out = a.sigmoid()
            out.detach().zero_()
            return out
        torch.autograd.set_detect_anomaly(True)
        out = broken()
        step("anomaly", lambda: out.sum().backward())
        torch.autograd.set_detect_anomaly(False)
        out = broken()
        step("default hint", lambda: out.sum().backward())
        out = broken()
        torch.autograd.set_detect_anomaly(True)
        step("forward outside anomaly", lambda: out.sum().backward())

        class Exp(torch.autograd.Function):
            forward = staticmethod(lambda ctx, x: ctx.save_for_backward(x.exp()) or ctx.to_save[0])
            backward = staticmethod(lambda ctx, g: g * ctx.saved_tensors[0])
        y = Exp.apply(a)
        y.add_(1)
        step("custom saved output", lambda: y.sum().backward())
    check(prog)


def test_create_graph_double_backward_failure_warns_W6_per_ancestor():
    def prog(torch, step):
        x = torch.tensor([0.0, 2.0], requires_grad=True)
        torch.autograd.set_detect_anomaly(True)
        y = x.sqrt()
        g, = torch.autograd.grad(y.sum(), x, create_graph=True)
        step("second order", lambda: (g * 0).sum().backward())
        y = x.sqrt()
        g, = torch.autograd.grad(y.sum(), x, create_graph=True)
        g2, = torch.autograd.grad(g.sum(), x, create_graph=True)
        step("third order", lambda: (g2 * 0).sum().backward())

        class Sqrt(torch.autograd.Function):
            forward = staticmethod(lambda ctx, x: ctx.save_for_backward(x.sqrt()) or ctx.to_save[0])
            backward = staticmethod(lambda ctx, g: g / (2 * ctx.saved_tensors[0]))
        g, = torch.autograd.grad(Sqrt.apply(x).sum(), x, create_graph=True)
        step("custom parent", lambda: (g * 0).sum().backward())
        torch.autograd.set_detect_anomaly(False)
        y = x.sqrt()
        torch.autograd.set_detect_anomaly(True)
        g, = torch.autograd.grad(y.sum(), x, create_graph=True)
        step("parent recorded without anomaly", lambda: (g * 0).sum().backward())
        torch.autograd.set_detect_anomaly(False)
        g, = torch.autograd.grad(y.sum(), x, create_graph=True)
        torch.autograd.set_detect_anomaly(True)
        step("nothing recorded", lambda: (g * 0).sum().backward())
    got = check(prog)
    parents = [entry[3] for entry in got if entry[1] == "warned" and "Previous calculation" in entry[3]]
    assert parents and parents[0].startswith("\n\nPrevious calculation was induced by SqrtBackward0.")


def test_anomaly_off_lets_nan_and_inf_gradients_through_silently():
    def prog(torch, step):
        x = torch.tensor([0.0, 1.0], requires_grad=True)
        step("sqrt*0", lambda: (x.sqrt() * 0).sum().backward() or x.grad)
        z = torch.tensor([-1.0, 1.0], requires_grad=True)
        step("log", lambda: z.log().sum().backward() or z.grad)
        w = torch.tensor([-1.0, 4.0], requires_grad=True)
        step("where pitfall", lambda: torch.where(w > 0, w.sqrt(), torch.zeros_like(w)).sum().backward()
             or w.grad)
        torch.autograd.set_detect_anomaly(True)
        w.grad = None
        step("where pitfall, anomaly", lambda: torch.where(w > 0, w.sqrt(), torch.zeros_like(w)).sum()
             .backward())
    check(prog)


def test_W6_parent_of_nodes_made_in_a_hook_around_a_nested_backward():
    # while a nested engine run (autograd.grad inside a hook) runs, its own nodes are the parents;
    # afterwards the outer node is again: nodes made in the hook before and after it name it
    def prog(torch, step):
        torch.autograd.set_detect_anomaly(True)
        x = torch.tensor([0.0, 2.0], requires_grad=True)
        made = []

        def hook(g):
            y = x.sqrt()
            gi, = torch.autograd.grad(y.sum(), x, create_graph=True)
            made.append(gi * g.sum())

        w = x * 3
        w.register_hook(hook)
        torch.autograd.grad(w.sum(), x, create_graph=True)
        step("through the nested graph", lambda: (made[0] * 0).sum().backward())
        step("parent", lambda: type(made[0].grad_fn.metadata.get("parent_")).__name__)
    got = check(prog)
    parents = [entry[3] for entry in got if entry[1] == "warned" and "Previous calculation" in entry[3]]
    assert len(parents) == 2 and "MulBackward0" in parents[1]
