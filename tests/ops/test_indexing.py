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
