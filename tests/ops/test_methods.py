"""Tensor methods bound in _ops/methods.py against torch: squeeze_/unsqueeze_ check the in-place
write before their dim (a leaf that requires grad), to()'s targets."""
import pytest


@pytest.mark.parametrize("expr", ["x.squeeze_(99)", "x.squeeze_([1, 2])", "x.unsqueeze_(-99)",
                                  "x.detach().squeeze_(99)", "x.detach().unsqueeze_(5)",
                                  "x.detach().unsqueeze_(1)", "x.detach()[:1].squeeze_(0)"])
def test_squeeze_unsqueeze_inplace_check_first(same, expr):
    def prog(torch, see):
        x = torch.tensor([[0.5, -1.25, 2.0], [0.0, 3.5, -0.75]], requires_grad=True)
        see(eval(expr, {"torch": torch}, {"x": x}))
    same(prog)


@pytest.mark.parametrize("expr", ["x.to(99)", "x.to(-99)", "x.to([1, 2])", "x.to(0, None)",
                                  "x.to(0, torch.float64)",
                                  "x.to(device=99)", "x.to(None)", "x.to(None, torch.float64)",
                                  "x.to(torch.float64, copy=True)", "x.to(x.long())", "x.to('cpu')",
                                  "x.to(torch.device('cpu'), torch.int32)"])
def test_to_targets(same, expr):
    def prog(torch, see):
        x = torch.tensor([[0.5, -1.25, 2.0], [0.0, 3.5, -0.75]])
        see(eval(expr, {"torch": torch}, {"x": x}))
    same(prog)
