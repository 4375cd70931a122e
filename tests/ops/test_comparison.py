"""Comparison and bitwise ops against torch (bad inputs)."""
import pytest


@pytest.mark.parametrize("expr", ["x.bitwise_not()", "torch.bitwise_not(x.double())",
                                  "torch.bitwise_not(x.to(torch.complex64))", "x.half().bitwise_not()",
                                  "torch.bitwise_not(i)", "b.bitwise_not()"])
def test_bitwise_not_dtypes(same, expr):
    def prog(torch, see):
        i = torch.tensor([1, 0, -3])
        see(eval(expr, {"torch": torch}, dict(x=torch.tensor([0.5, -1.25, 2.0]), i=i, b=i > 0)))
    same(prog)
