"""Memory contract of the graph (issue 6, item 3): tensors, nodes and saved tensors form no
reference cycles, so a graph dies by reference counting alone as soon as its last output goes out of
scope; backward without retain_graph releases the saved tensors at once, with retain_graph it keeps
them. Every scenario runs with the cyclic garbage collector disabled, as CPython would free memory
in a program that never reaches a collection."""
from __future__ import annotations

import gc
import weakref

import pytest

import numtorch as torch
import numtorch.nn as nn
import numtorch.nn.functional as F


class Square(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        y = x * x
        ctx.save_for_backward(x, y)  # an input and the output: the output must not pin the node
        return y

    @staticmethod
    def backward(ctx, grad):
        x, _ = ctx.saved_tensors
        return 2 * x * grad


def _graph(root) -> list:
    """Weak references to every node reachable from root.grad_fn, and to root."""
    refs, stack, seen = [weakref.ref(root)], [root.grad_fn], set()
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        refs.append(weakref.ref(node))
        stack.extend(fn for fn, _ in node.next_functions)
    return refs


def mlp_steps():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Dropout(0.2), nn.Linear(16, 4))
    opt = torch.optim.Adam(model.parameters(), lr=0.1)
    for _ in range(2):
        loss = F.cross_entropy(model(torch.randn(5, 8)), torch.randint(0, 4, (5,)))
        opt.zero_grad()
        loss.backward()
        opt.step()
    return loss


def saved_outputs():
    a = torch.randn(4, requires_grad=True)
    d = a.sigmoid().exp().tanh()  # each saves its own output
    d.sum().backward(retain_graph=True)
    d.sum().backward()
    return d


def inplace_through_views():
    a = torch.randn(4, 4, requires_grad=True)
    b = a * 2
    b[1:3].mul_(3)  # CopySlices around MulBackward0
    b.t()[0].add_(1)
    b.sum().backward()
    return b


def hooks_and_retain_grad():
    a = torch.randn(3, requires_grad=True)
    b = a * 2
    b.retain_grad()
    b.register_hook(lambda g: g * 2)
    a.register_post_accumulate_grad_hook(lambda p: None)
    loss = (b * b).sum()
    loss.backward()
    return loss


def custom_function():
    a = torch.randn(3, requires_grad=True)
    y = Square.apply(a)
    y.sum().backward()
    return y


def double_backward():
    a = torch.randn(3, requires_grad=True)
    g, = torch.autograd.grad((a ** 3).sum(), a, create_graph=True)
    g.sum().backward()
    return g


def lstm_and_conv():
    torch.manual_seed(0)
    out, _ = nn.LSTM(4, 8, batch_first=True)(torch.randn(2, 5, 4))
    conv = nn.Sequential(nn.Conv2d(1, 2, 3), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(18, 2))
    loss = out.sum() + conv(torch.randn(2, 1, 8, 8)).sum()
    loss.backward()
    return loss


def no_backward():
    a = torch.randn(3, 3, requires_grad=True)
    return (a @ a).softmax(-1).log().sum()


SCENARIOS = [mlp_steps, saved_outputs, inplace_through_views, hooks_and_retain_grad, custom_function,
             double_backward, lstm_and_conv, no_backward]


@pytest.fixture
def no_gc():
    gc.collect()
    gc.disable()
    yield
    gc.enable()


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda f: f.__name__)
def test_no_reference_cycles(no_gc, scenario):
    scenario()
    scenario()  # and nothing left over from a first run's caches
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        gc.collect()
        ours = [type(o).__qualname__ for o in gc.garbage if type(o).__module__.startswith("numtorch")]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert ours == []


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda f: f.__name__)
def test_graph_is_freed_when_the_output_goes_out_of_scope(no_gc, scenario):
    out = scenario()
    refs = _graph(out)
    assert len(refs) > 1 or out.grad_fn is None
    del out
    assert [r() for r in refs if r() is not None] == []


def _saved_input():
    """c = b * b saves b; the only other reference to b is dropped before backward."""
    a = torch.randn(5, requires_grad=True)
    b = a.exp()
    c = b * b
    return c, weakref.ref(b)


def test_backward_releases_saved_tensors(no_gc):
    c, saved = _saved_input()
    assert saved() is not None  # kept by MulBackward0 while the graph can still run
    c.sum().backward()
    assert saved() is None  # released by the backward, while c and its graph are alive
    assert c.grad_fn is not None
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
        c.sum().backward()


def test_retain_graph_keeps_saved_tensors(no_gc):
    c, saved = _saved_input()
    c.sum().backward(retain_graph=True)
    assert saved() is not None
    c.sum().backward()
    assert saved() is None


def test_training_loop_keeps_no_graph_between_steps(no_gc):
    """The graph of step k is gone when step k + 1's loss replaces it (a loop that keeps only
    `loss.item()` keeps no graph)."""
    torch.manual_seed(0)
    model = nn.Linear(4, 1)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    previous = []
    for _ in range(3):
        loss = F.mse_loss(model(torch.randn(8, 4)), torch.randn(8, 1))
        opt.zero_grad()
        loss.backward()
        opt.step()
        assert all(r() is None for r in previous)
        previous = _graph(loss)[1:]  # the nodes, not the loss itself
        loss = loss.item()
