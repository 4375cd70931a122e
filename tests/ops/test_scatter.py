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


@pytest.mark.parametrize("shape,dim", [((4, 3), 0), ((4, 3), 1), ((4, 3), -1), ((4,), 0), ((4, 3, 2), 1),
                                       ((2, 3, 4), 2), ((4, 0), 0), ((4, 0, 2), 2)])
@pytest.mark.parametrize("index", [[0, 4], [5, 4], [-1, 0], [0, 1], []])
@pytest.mark.parametrize("alpha", [1, 2, True, 1.0])
@pytest.mark.parametrize("index_dtype", ["int64", "int32"])
def test_index_add_bounds_error_of_the_scatter_path(same, shape, dim, index, alpha, index_dtype):
    """index_add_ on CPU runs scatter_add_ (an expanded index) for dim 0 or the last dim of a >1-D self
    with an int64 index and alpha 1: scatter's RuntimeError names the bad index; elsewhere the
    loop's IndexError. A >1-D self with no elements returns before reading the index."""
    def prog(torch, see):
        src_shape = list(shape)
        src_shape[dim] = len(index)
        idx = torch.tensor(index, dtype=getattr(torch, index_dtype))
        see(torch.zeros(shape).index_add_(dim, idx, torch.ones(src_shape), alpha=alpha))
    same(prog)


def test_index_select_backward_after_index_changed_through_data(same):
    def prog(torch, see):
        x = torch.ones(4, 3, requires_grad=True)
        idx = torch.tensor([1, 3])
        y = x.index_select(0, idx)
        idx.data.add_(1)  # no version bump: backward reads index 4 (IndexSelectBackward0's index_add_)
        y.sum().backward()
    same(prog)


@pytest.mark.parametrize("value", ["scalar", "tensor"])
def test_masked_fill_result_is_contiguous(same, value):
    """masked_fill clones with MemoryFormat::Contiguous: a transposed input gives a C-order result, so
    reshaping its transpose copies (no view)."""
    def prog(torch, see):
        t = torch.arange(12.).reshape(3, 4).requires_grad_().t()
        r = t.masked_fill(t.detach() > 3, 0.5 if value == "scalar" else torch.tensor(0.5))
        see(r, r.stride(), r.is_contiguous())
        with torch.no_grad():
            s = r.mT.reshape(-1)
        see(s, s._is_view(), s.requires_grad)
    same(prog)


# ---- 0-d operands: ATen's ensure_nonempty_dim/size read a 0-d self, index or src as 1-d of size 1 ------
_SELF = {"0d": 0.0, "one": [5.0], "three": [5.0, 6.0, 7.0]}
_INDEX = {"0d": 0, "one": [0], "one_oob": [1], "two": [0, 0], "0d_two": 2}
_SRC = {"0d": 9.0, "one": [9.0], "two": [8.0, 9.0]}
_WITH_SRC = {
    "scatter": lambda s, i, r: s.scatter(0, i, r),
    "scatter_add": lambda s, i, r: s.scatter_add(0, i, r),
    "scatter_reduce_sum": lambda s, i, r: s.scatter_reduce(0, i, r, "sum"),
    "scatter_reduce_amax": lambda s, i, r: s.scatter_reduce(0, i, r, "amax"),
    "scatter_reduce_mean": lambda s, i, r: s.scatter_reduce(0, i, r, "mean", include_self=False),
    "index_add": lambda s, i, r: s.index_add(0, i, r, alpha=2),
    "index_copy": lambda s, i, r: s.index_copy(0, i, r),
}
_NO_SRC = {
    "scatter_value": lambda s, i: s.scatter(0, i, 4.0),
    "gather": lambda s, i: s.gather(0, i),
    "index_select": lambda s, i: s.index_select(0, i),
    "index_fill": lambda s, i: s.index_fill(0, i, 3.0),
}


def _weighted_grads(torch, see, out, leaves):
    w = torch.arange(1.0, 1.0 + out.numel()).reshape(out.shape)
    see(out, torch.autograd.grad((out * w).sum(), leaves, allow_unused=True))


@pytest.mark.parametrize("src", sorted(_SRC))
@pytest.mark.parametrize("index", sorted(_INDEX))
@pytest.mark.parametrize("self_", sorted(_SELF))
@pytest.mark.parametrize("op", sorted(_WITH_SRC))
def test_zero_dim_operands_with_src(same, op, self_, index, src):
    def prog(torch, see):
        s = torch.tensor(_SELF[self_], requires_grad=True)
        r = torch.tensor(_SRC[src], requires_grad=True)
        _weighted_grads(torch, see, _WITH_SRC[op](s, torch.tensor(_INDEX[index]), r), (s, r))
    same(prog)


@pytest.mark.parametrize("index", sorted(_INDEX))
@pytest.mark.parametrize("self_", sorted(_SELF))
@pytest.mark.parametrize("op", sorted(_NO_SRC))
def test_zero_dim_operands_without_src(same, op, self_, index):
    def prog(torch, see):
        s = torch.tensor(_SELF[self_], requires_grad=True)
        _weighted_grads(torch, see, _NO_SRC[op](s, torch.tensor(_INDEX[index])), (s,))
    same(prog)


@pytest.mark.parametrize("call", [
    lambda torch: torch.zeros(()).scatter(0, torch.tensor([0]), torch.ones(1)),
    lambda torch: torch.zeros(3).gather(0, torch.tensor(0)),
    lambda torch: torch.tensor(5.0).gather(0, torch.tensor([0, 0, 0])),
    lambda torch: torch.tensor(0.0).scatter(0, torch.tensor([[0]]), torch.tensor([[1.0]])),
    lambda torch: torch.tensor(0.0).gather(0, torch.tensor([[0]])),
    lambda torch: torch.tensor([[1.0, 2.0]]).gather(0, torch.tensor(0)),
    lambda torch: torch.zeros(()).scatter(0, torch.empty(0, dtype=torch.long), torch.zeros(1, 1, 1)),
    lambda torch: torch.zeros(3, 2).index_add(1, torch.tensor([0]), torch.zeros(3)),
    lambda torch: torch.zeros(3, 2).index_add(0, torch.tensor([0, 1]), torch.zeros(3)),
    lambda torch: torch.zeros(3, 2).index_add(0, torch.tensor([0, 1]), torch.tensor(1.0)),
    lambda torch: torch.zeros(()).index_add(-1, torch.tensor(0), torch.tensor(1.0), alpha=3),
    lambda torch: torch.zeros(()).index_copy(0, torch.tensor([0, 0]), torch.tensor([1.0, 2.0])),
    lambda torch: torch.take_along_dim(torch.tensor(1.0), torch.tensor(0), -1),
    lambda torch: torch.take_along_dim(torch.tensor(1.0), torch.tensor(0), 1),
    lambda torch: torch.tensor(0.0).scatter_(0, torch.tensor(0), torch.tensor(2.0), reduce="add"),
])
def test_zero_dim_operand_shapes_and_errors(same, call):
    same(lambda torch, see: see(call(torch)))


# ---- saved index tensors are read at backward time ------------------------------------------------
# torch's nodes save the index/mask tensor itself; `index.data = ...` after forward is what the
# backward formula sees, so its checks (dtype, shape, bounds) or its new positions apply.
_SAVED_INDEX_OPS = {
    "getitem": (False, lambda torch, x, i: x[i]),
    "getitem_col": (False, lambda torch, x, i: x[:, i]),
    "getitem_mask": (True, lambda torch, x, m: x[m]),
    "index_select": (False, lambda torch, x, i: x.index_select(1, i)),
    "gather": (None, lambda torch, x, i: x.gather(1, i)),
    "scatter": (None, lambda torch, x, i: x.scatter(1, i, torch.ones(2, 2, requires_grad=True) * 1)),
    "scatter_add": (None, lambda torch, x, i: x.scatter_add(1, i, torch.ones(2, 2, requires_grad=True) * 1)),
    "take": (False, lambda torch, x, i: x.take(i)),
    "masked_fill": (True, lambda torch, x, m: x.masked_fill(m, 0.0)),
    "masked_select": (True, lambda torch, x, m: x.masked_select(m)),
    "masked_scatter": (True, lambda torch, x, m: x.masked_scatter(m, torch.arange(10.0))),
    "index_add": (False, lambda torch, x, i: x.index_add(1, i, torch.ones(2, 2, requires_grad=True) * 1)),
    "index_copy": (False, lambda torch, x, i: x.index_copy(1, i, torch.ones(2, 2, requires_grad=True) * 1)),
    "index_fill": (False, lambda torch, x, i: x.index_fill(1, i, 0.0)),
    "index_put": (False, lambda torch, x, i: x.index_put((i,), torch.ones(3, requires_grad=True) * 1)),
}
_REPLACEMENTS = {
    "float": lambda torch, i: i.float() + 0.5,
    "int_values": lambda torch, i: i.flip(0) if i.dtype != torch.bool else ~i,
    "int_shape": lambda torch, i: torch.tensor([0]) if i.dtype != torch.bool else torch.tensor([True, False]),
    "out_of_bounds": lambda torch, i: torch.full_like(i, 7) if i.dtype != torch.bool else i,
    "bool": lambda torch, i: torch.ones(i.shape, dtype=torch.bool),
}


def _replaced_index_backward(torch, op, replacement):
    mask, fn = _SAVED_INDEX_OPS[op]
    x = torch.arange(1.0, 7.0).reshape(2, 3).requires_grad_()
    if mask is None:
        index = torch.tensor([[1, 0], [1, 0]])
    else:
        index = torch.tensor([[True, False, True], [False, True, False]]) if mask else torch.tensor([1, 0])
    y = fn(torch, x, index)
    index.data = _REPLACEMENTS[replacement](torch, index)
    try:
        y.backward(torch.arange(float(y.numel())).reshape(y.shape) + 1)
    except Exception as e:  # noqa: BLE001 - the error is the observation
        return type(e).__name__, str(e).split("\n")[0]
    return x.grad.tolist()


@pytest.mark.parametrize("replacement", sorted(_REPLACEMENTS))
@pytest.mark.parametrize("op", sorted(_SAVED_INDEX_OPS))
def test_saved_index_data_replaced_before_backward(op, replacement):
    import torch

    import numtorch
    assert _replaced_index_backward(numtorch, op, replacement) == _replaced_index_backward(torch, op, replacement)


def test_index_add_source_grad_graph():
    """derivatives.yaml: maybe_multiply(grad.index_select(dim, index).expand_as(source), alpha)."""
    import torch

    import numtorch

    def chain(lib, alpha):
        x = lib.zeros(2, 3, requires_grad=True)
        s = lib.ones(2, 2, requires_grad=True)
        y = x.index_add(1, lib.tensor([1, 0]), s, alpha=alpha)
        g, = lib.autograd.grad(y.pow(2).sum(), s, create_graph=True)
        names, fn = [], g.grad_fn
        while fn is not None:
            names.append(fn.name())
            fn = fn.next_functions[0][0] if fn.next_functions else None
        return names, g.tolist()
    for alpha in (1, 2):
        assert chain(numtorch, alpha) == chain(torch, alpha)
