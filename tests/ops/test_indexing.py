"""Advanced indexing against torch: ATen's bounds rules when a dimension or the result is empty.

AdvancedIndex rejects a non-empty index into a size-0 dimension ('index is out of bounds for
dimension with size 0', whatever the values); other bounds are checked by the kernel per output
element, so an out-of-range index whose result is empty is not an error."""
import pytest

EXPRS = [
    "z20[t([3])]", "z20[t([3]), t([3])]", "z20[:, t([3])]", "z20[:, e]", "z20[t([3]), e]",
    "z03[t([1]), e]", "x23[e, t([5])]", "z03[t([1]), :]", "z03[t([0, 1]), t([5, 1])]",
    "z203[t([5]), :, t([1])]", "z203[t([1]), :, t([7])]", "z203[[5]]", "z203[..., t([9])]",
    "z140[t([-4])]", "x23[t([5])]", "x23[t([0]), t([-4])]", "z20[t([True, False])]", "z0[t([0])]",
    "z0[t([], dtype=torch.bool)]",
    "z20.index_put((t([3]),), t(1.0))", "z20.index_put((t([3]), t([3])), t(1.0))",
    "z20.index_put((t([3]),), t(1.0), accumulate=True)", "x23.index_put((t([3]),), t(1.0))",
]


@pytest.mark.parametrize("expr", EXPRS)
def test_index_bounds_with_empty_dims(same, expr):
    def prog(torch, see):
        leaves = dict(z20=torch.zeros(2, 0), z03=torch.zeros(0, 3), z203=torch.zeros(2, 0, 3),
                      z140=torch.zeros(1, 4, 0), z0=torch.zeros(0), x23=torch.ones(2, 3))
        for leaf in leaves.values():
            leaf.requires_grad_()
        env = {k: v * 1 for k, v in leaves.items()}
        env.update(t=torch.tensor, e=torch.tensor([], dtype=torch.int64), torch=torch)
        out = eval(expr, env)
        see(out)
        out.sum().backward()
        see([leaf.grad for leaf in leaves.values()])
    same(prog)


@pytest.mark.parametrize("expr", [
    "v[t([1])]", "v[t([0])]", "v[[1]]", "v[:, t([7])]", "v[..., t([4])]", "v[t([3]), t([3])]",
    "v[t([True, False, True])]", "v.index_select(0, t([3]))", "v[5]"])
def test_index_stale_multi_output_view_first(same, expr):
    """Advanced indexing of a multi-output view modified in no_grad mode: autograd's error (the
    view's grad_fn) comes before the index kernel's checks (fuzz divergence 2029_004)."""
    def prog(torch, see):
        x = torch.tensor([[0.5, -1.0]], requires_grad=True)
        v = x.split(1, 0)[0]
        with torch.no_grad():
            v.add_(0.5)
        see(eval(expr, {"t": torch.tensor}, {"v": v}))
    same(prog)


def _strides_of_non_unit_dims(t):
    return tuple(s for s, n in zip(t.stride(), t.shape) if n > 1)


@pytest.mark.parametrize("perm", [(0, 1, 2), (2, 1, 0), (1, 2, 0), (2, 0, 1), (0, 2, 1)])
@pytest.mark.parametrize("key", [
    "(t([0, 1]),)", "(slice(None), t([2, 0]))", "(Ellipsis, t([3, 1, 0]))", "(t([[0], [1]]),)",
    "(t([0, 1]), slice(None), t([1, 3]))", "(t([[1], [0]]), t([0, 2, 1]))",
    "(slice(None), t([True, False, True]))", "(t([1]),)"])
def test_index_output_layout_follows_input(same, key, perm):
    """index's output is laid out by its TensorIterator (the input's stride order), not always
    contiguous; matmul's folding (and so its error text) depends on it (fuzz divergence 2029_009)."""
    def prog(torch, see):
        base = torch.arange(24.0).reshape(2, 3, 4).permute(*perm).contiguous()
        x = base.permute(*[perm.index(d) for d in range(3)])
        x = torch.arange(24.0).reshape(2, 3, 4) if perm == (0, 1, 2) else x
        out = x[eval(key, {"t": torch.tensor})]
        see(out, _strides_of_non_unit_dims(out))
    same(prog)


@pytest.mark.parametrize("shape,key", [((2, 2), "[:, i1]"), ((3, 4), "[:, i1]"), ((3, 1), "[:, i1]"),
                                       ((2, 3, 4), "[:, i1]"), ((1, 4), "[:, i2]"), ((3, 4), "[i1]")])
def test_index_result_strides_of_size_one_dims(shape, key):
    """numpy's fancy indexing may give a size-1 dim any stride; torch's result is contiguous with
    its usual strides there (matmul's should_fold reads them)."""
    import numpy as np  # noqa: F401
    import torch

    import numtorch
    got = []
    for lib in (torch, numtorch):
        x = lib.zeros(shape)  # noqa: F841 - used by eval
        i1, i2 = lib.tensor([0]), lib.tensor([0, 0])  # noqa: F841 - used by eval
        y = eval("x" + key)
        got.append((tuple(y.shape), y.stride()))
    assert got[0] == got[1]


@pytest.mark.parametrize("key", ["[i]", "[m]", "[:, j]", "[j, :]"])
def test_index_backward_is_an_in_place_index_put_impl(same, key):
    # FunctionsManual index_backward: _index_put_impl_(zeros, indices, grad, accumulate=True) in
    # place, so under create_graph the gradient's node is IndexPutImplBackward0 (a None edge for the
    # zeros) and the gradient is at _version 1
    def prog(torch, see):
        x = torch.arange(6.0).reshape(3, 2).requires_grad_()
        i, j, m = torch.tensor([0, 0, 2]), torch.tensor([1, 1]), torch.tensor([True, False, True])  # noqa: F841
        y = eval("x" + key)
        w = torch.ones_like(y).requires_grad_()
        g, = torch.autograd.grad((y * w).sum(), x, create_graph=True)
        fn = g.grad_fn
        edges = [None if f is None else type(f).__name__ for f, _ in fn.next_functions]
        see(g, g._version, type(fn).__name__, edges)
        gw, = torch.autograd.grad((g * torch.arange(6.0).reshape(3, 2)).sum(), w)
        see(gw)
        x.grad = None
        eval("x" + key).sum().backward()
        see(x.grad)
    same(prog)
