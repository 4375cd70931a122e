"""Shape ops against torch: tensor_split's tensor_indices_or_sections checks."""
import pytest


@pytest.mark.parametrize("expr", ["x.tensor_split(x)", "x.tensor_split(i)",
                                  "x.tensor_split(torch.zeros(0))",
                                  "torch.tensor_split(x, b[0])",
                                  "torch.tensor_split(x, torch.tensor([1, 2]), 1)",
                                  "x.tensor_split(torch.tensor(2), 1)", "x.tensor_split(torch.tensor([1]))",
                                  "x.tensor_split(torch.tensor(2.0), 1)", "torch.tensor(1.0).tensor_split(x)",
                                  "x.tensor_split(torch.tensor([1]), 9)"])
def test_tensor_split_with_a_tensor(same, expr):
    def prog(torch, see):
        i = torch.tensor([[1, 0, 2], [2, 1, 0]])
        env = dict(x=torch.tensor([[0.5, -1.25, 2.0], [0.0, 3.5, -0.75]]), i=i, b=i > 0)
        see(eval(expr, {"torch": torch}, env))
    same(prog)


# torch's Tensor.split (Python) tries int() on a tensor split_size before choosing the binding
@pytest.mark.parametrize("expr", ["torch.split(z, z)", "torch.split(x, torch.tensor(1))",
                                  "x.split(torch.tensor(1.5))", "torch.split(x, torch.tensor([1, 1]))",
                                  "torch.split(x, torch.tensor(1), 1)", "x.split(torch.tensor([1, 2]), 1)",
                                  "torch.split(z, 1)", "x.split(x)"])
def test_split_with_a_tensor_size(same, expr):
    def prog(torch, see):
        x = torch.tensor([[0.5, -1.25, 2.0], [0.0, 3.5, -0.75]])  # noqa: F841 (used by eval(expr))
        z = torch.tensor(1.5)  # noqa: F841
        see(eval(expr))
    same(prog)
