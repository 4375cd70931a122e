"""take / Tensor.take (numtorch/_ops/take.py) and torch.relu_, compared with torch: values,
errors, TakeBackward0 and its create_graph gradient (PutBackward0), saved tensors."""
from __future__ import annotations

import pytest

pytest.importorskip("torch")

_CALLS = {
    "function": lambda torch, x: torch.take(x, torch.tensor([0, 5, -1, 2, 2])),
    "method_2d_index": lambda torch, x: x.take(torch.tensor([[0, 1], [1, 1]])),
    "0d_index": lambda torch, x: x.take(torch.tensor(4)),
    "0d_self": lambda torch, x: torch.tensor(7.0).take(torch.tensor([0, 0, -1])),
    "empty_index": lambda torch, x: x.take(torch.zeros(2, 0, dtype=torch.long)),
    "empty_self": lambda torch, x: torch.zeros(0).take(torch.tensor([0])),
    "empty_self_empty_index": lambda torch, x: torch.zeros(0, 3).take(torch.tensor([], dtype=torch.long)),
    "out_of_range": lambda torch, x: x.take(torch.tensor([6])),
    "out_of_range_negative": lambda torch, x: x.take(torch.tensor([-7])),
    "float_index": lambda torch, x: x.take(torch.tensor([0.0])),
    "int32_index": lambda torch, x: x.take(torch.tensor([0], dtype=torch.int32)),
    "int_self": lambda torch, x: torch.tensor([[1, 2], [3, 4]]).take(torch.tensor([3, 0])),
    "non_contiguous": lambda torch, x: x.t().take(torch.tensor([1, 2])),
    "list_index": lambda torch, x: x.take([0]),
    "int_index": lambda torch, x: torch.take(x, 0),
}


@pytest.mark.parametrize("name", sorted(_CALLS))
def test_take(same, name):
    def prog(torch, see):
        x = torch.tensor([[1.0, 2, 3], [4, 5, 6]], requires_grad=True)
        y = _CALLS[name](torch, x)
        see(y)
        if y.requires_grad:
            w = torch.arange(1.0, 1.0 + y.numel()).reshape(y.shape)
            see(torch.autograd.grad((y * w).sum(), x))
    same(prog)


def test_take_double_backward_is_put(same):
    def prog(torch, see):
        a = torch.tensor([1.0, 2, 3], requires_grad=True)
        gout = torch.tensor([1.0, 2.0], requires_grad=True)
        y = a.take(torch.tensor([0, 0]))
        g, = torch.autograd.grad(y, a, gout, create_graph=True)
        see(g, type(g.grad_fn).__name__,
            [None if f is None else f.name() for f, _ in g.grad_fn.next_functions])
        see(torch.autograd.grad((g * torch.tensor([1.0, 2, 3])).sum(), gout))
    same(prog)


@pytest.mark.parametrize("modified", ["index", "self"])
def test_take_saves_self_and_index(same, modified):
    def prog(torch, see):
        a = torch.tensor([1.0, 2, 3], requires_grad=True)
        b, idx = a * 1, torch.tensor([0, 2])
        y = b.take(idx)
        (idx if modified == "index" else b).add_(1)
        y.sum().backward()
        see(a.grad)
    same(prog)


@pytest.mark.parametrize("make", [
    lambda torch: torch.tensor([-1.0, 2, -0.0, float("nan")]),
    lambda torch: torch.tensor([-1, 2]),
    lambda torch: torch.tensor([True]),
    lambda torch: torch.tensor([1.0], requires_grad=True),
    lambda torch: 3,
])
def test_relu_(same, make):
    def prog(torch, see):
        a = make(torch)
        r = torch.relu_(a)
        see(r is a, a, a._version)
    same(prog)


def test_relu_records_relu_backward(same):
    def prog(torch, see):
        a = torch.tensor([-1.0, 2, 0.5], requires_grad=True)
        r = torch.relu_(a * 1)
        r.sum().backward()
        see(type(r.grad_fn).__name__, a.grad)
    same(prog)
