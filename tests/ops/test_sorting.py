"""sort / argsort / topk / msort against torch: values, indices, NaN placement, gradients."""
import pytest


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_sort_values_indices_and_grad(same, descending, dim):
    def prog(torch, see):
        x = torch.tensor([[3.0, 1.0, float("nan"), 1.0], [0.0, 5.0, 2.0, -2.0],
                          [7.0, -1.0, 2.5, 2.5]], requires_grad=True)
        r = x.sort(dim, descending=descending)
        see(r, type(r).__name__, r.values.grad_fn.name(), r.indices.requires_grad)
        (r.values * torch.arange(12.0).reshape(3, 4)[:, : r.values.shape[1]][: r.values.shape[0]]).sum().backward()
        see(x.grad, torch.argsort(x.detach(), dim, descending=descending))
    same(prog)


def test_sort_integers_and_0d(same):
    def prog(torch, see):
        see(torch.tensor([3, 1, 2, 1]).sort(), torch.tensor([3, 1, 2]).sort(descending=True))
        see(torch.tensor(2.0).sort(), torch.msort(torch.tensor([[2.0, 1.0], [0.0, 3.0]])))
    same(prog)


def test_topk_distinct_values_and_grad(same):
    def prog(torch, see):
        x = torch.tensor([[0.5, 4.0, 2.0, 3.0], [1.0, -1.0, 6.0, 0.0]], requires_grad=True)
        r = torch.topk(x, 2)
        see(r)
        r.values.sum().backward()
        see(x.grad, torch.topk(x.detach(), 3, largest=False))
        x.topk(5)
    same(prog)


def test_flip_takes_dims_as_varargs_or_sequence(same):
    def prog(torch, see):
        x = torch.arange(6.0).reshape(2, 3)
        see(x.flip(0, 1), x.flip((0, 1)), x.flip([1]), torch.flip(x, [0]))
    same(prog)


@pytest.mark.parametrize("expr", ["torch.topk(b, 0)", "b.topk(1)", "torch.topk(b, 9)",
                                  "torch.topk(b, 1, 5)", "torch.topk(b[0, 0], 1)",
                                  "torch.topk(b.float(), 2)"])
def test_topk_refuses_bool_after_checking_k(same, expr):
    def prog(torch, see):
        b = torch.tensor([[True, False, True], [False, True, True]])
        see(eval(expr, {"torch": torch}, {"b": b}))
    same(prog)
