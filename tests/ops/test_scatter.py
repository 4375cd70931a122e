"""index_fill_ on expanded tensors (numtorch/_ops/scatter.py), compared with torch."""
from __future__ import annotations

import pytest

_CASES = {
    "dim0": lambda torch, t: t.index_fill_(0, torch.tensor([0]), 5.0),
    "dim1": lambda torch, t: t.index_fill_(1, torch.tensor([0, 2]), 5.0),
    "tensor_value": lambda torch, t: t.index_fill_(0, torch.tensor([0]), torch.tensor(5.0)),
    "bad_index": lambda torch, t: t.index_fill_(0, torch.tensor([5]), 5.0),
    "value_dim": lambda torch, t: t.index_fill_(0, torch.tensor([0]), torch.ones(2)),
    "index_dtype": lambda torch, t: t.index_fill_(0, torch.tensor([0.0]), 5.0),
    "index_dim": lambda torch, t: t.index_fill_(0, torch.tensor([[0]]), 5.0),
    "complex_value": lambda torch, t: t.index_fill_(0, torch.tensor([0]), 1j),
    "out_of_place": lambda torch, t: t.index_fill(0, torch.tensor([1]), 2.0),
}


@pytest.mark.parametrize("name", sorted(_CASES))
def test_index_fill_on_expanded_tensor(same, name):
    """torch warns that this is deprecated and writes through the aliases (no overlap error)."""
    op = _CASES[name]

    def prog(torch, see):
        base = torch.zeros(1, 3)
        t = base.expand(2, 3)
        r = op(torch, t)
        see(r, t, base, base._version)
    same(prog)


def test_index_fill_on_expanded_tensor_with_grad(same):
    def prog(torch, see):
        leaf = torch.zeros(1, 3, requires_grad=True)
        t = leaf.clone().expand(2, 3)
        t.index_fill_(1, torch.tensor([0]), torch.tensor(5.0, requires_grad=True))
        see(t, type(t.grad_fn).__name__)
        t.sum().backward()  # CopySlices copies the region's gradient back: internal overlap
    same(prog)
