"""AccumulateGrad's layout contract: a leaf's .grad has the leaf's strides when the leaf is
non-overlapping and dense (a transposed or expanded gradient is copied into that layout), and is
contiguous otherwise, as in torch."""
import pytest
import torch

import numtorch

PROGRAMS = {
    "linear_weight": lambda L: (lambda l: (l(L.ones(3, 7)).sum().backward(), l.weight)[1])(L.nn.Linear(7, 5)),
    "transposed_use": lambda L: (lambda c: ((c.t() * 2).sum().backward(), c)[1])(L.ones(4, 3, requires_grad=True)),
    "transposed_leaf": lambda L: (lambda d: ((d * 2).sum().backward(), d)[1])(L.ones(4, 3).t().requires_grad_()),
    "transposed_leaf_contiguous_grad": lambda L: (lambda e: ((e.contiguous() * 2).sum().backward(), e)[1])(
        L.ones(4, 3).t().requires_grad_()),
    "strided_leaf": lambda L: (lambda f: ((f * 2).sum().backward(), f)[1])(L.ones(4, 6)[:, ::2].requires_grad_()),
    "permuted_expanded_grad": lambda L: (lambda g: (g.sum().backward(), g)[1])(
        L.ones(2, 3, 4).permute(2, 0, 1).requires_grad_()),
    "size_one_dims": lambda L: (lambda k: (k.sum().backward(), k)[1])(L.ones(1, 3, requires_grad=True)),
    "second_accumulation": lambda L: (lambda c: ((c.t() * 2).sum().backward(), (c.t() * 3).sum().backward(), c)[2])(
        L.ones(4, 3, requires_grad=True)),
}


@pytest.mark.parametrize("name", PROGRAMS)
def test_grad_strides_follow_torch(name):
    leaf_t, leaf_n = PROGRAMS[name](torch), PROGRAMS[name](numtorch)
    assert leaf_n.grad.stride() == leaf_t.grad.stride()
    assert leaf_n.grad.tolist() == leaf_t.grad.tolist()


@pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph=True")
def test_create_graph_first_grad_follows_the_contract_too():
    def run(L):
        h = L.ones(4, 3, requires_grad=True)
        (h.t() * 2).sum().backward(create_graph=True)
        return h.grad.stride()
    assert run(numtorch) == run(torch)


def test_layout_contract_warning_after_data_swap(monkeypatch):
    # AccumulateGrad's CHECK_RESULT: adding into a .grad that no longer fits the param (after a
    # `.data =` of another shape) warns once per process (TORCH_WARN_ONCE: torch's text, taken
    # from torch 2.13, as torch itself may have warned already in this process)
    import warnings

    from numtorch._autograd import accumulate_grad
    monkeypatch.setattr(accumulate_grad, "_warned_layout", [False])
    x = numtorch.arange(16.0).reshape(2, 4, 2).requires_grad_()
    (x * 2).sum().backward()
    x.data = numtorch.tensor([0.5])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        x.sum().backward()
        x.sum().backward()  # once only
    assert [str(w.message) for w in caught] == [
        "grad and param do not obey the gradient layout contract. This is not an error, but may impair "
        "performance.\ngrad.sizes() = [2, 4, 2], strides() = [8, 2, 1]\nparam.sizes() = [1], strides() = [1]"]
    assert x.grad.tolist() == [[[4.0] * 2] * 4] * 2


def test_no_layout_warning_for_ordinary_accumulation(monkeypatch):
    import warnings

    from numtorch._autograd import accumulate_grad
    monkeypatch.setattr(accumulate_grad, "_warned_layout", [False])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name, prog in PROGRAMS.items():
            prog(numtorch)
            prog(numtorch)
        c = numtorch.ones(4, 3).t().requires_grad_()
        for _ in range(2):
            (c * 2).sum().backward()
            (c.contiguous() * 2).sum().backward(create_graph=False)
    assert accumulate_grad._warned_layout == [False]
