"""Conversions against torch: copy_'s binding check of non_blocking (issue 9)."""
import pytest


@pytest.mark.parametrize("expr", [
    "x.copy_(x, None)", "x.copy_(x, 'abc')", "x.copy_(x, idx)", "x.copy_(99, x)", "x.copy_(x, 0)",
    "x.copy_(x, torch.tensor(True))", "x.copy_(x, True)", "x.copy_(99)", "i.copy_(x, False)",
    "xr.copy_(x, None)", "xr.copy_(99, x)"])
def test_copy_non_blocking_must_be_bool(same, expr):
    def prog(torch, see):
        x = torch.tensor([[0.5, -1.25, 2.0], [0.0, 3.5, -0.75]])
        i = torch.tensor([[1, 0, 2], [2, 1, 0]])  # noqa: F841 (used by eval(expr))
        idx = torch.tensor([0, 5])  # noqa: F841
        xr = torch.ones(2, 3, requires_grad=True)  # noqa: F841
        see(eval(expr), x)
    same(prog)


@pytest.mark.parametrize("expr", [
    "e.copy_(e.detach())", "e.copy_(e.expand(2, 3))", "e.copy_(e[...])", "e.copy_(e.double())",
    "e.copy_(b.expand(3, 2, 3))", "e.copy_(e.detach().clone())", "g.copy_(g.detach())",
    "b.t().copy_(b.t().detach())"])
def test_copy_from_same_data_skips_overlap_check(same, expr):
    """copy_ returns at once when src views exactly self's elements (ATen's is_same_data): an
    expanded self is then no internal-overlap error (fuzz divergence 2029_010)."""
    def prog(torch, see):
        b = torch.tensor([[0.5, -1.25, 2.0], [0.0, 3.5, -0.75]])
        e = torch.tensor(1.5).broadcast_to((2, 3))  # noqa: F841 (used by eval(expr))
        g = (torch.tensor(1.5, requires_grad=True) * 2).broadcast_to((2,))  # noqa: F841
        out = eval(expr)
        see(out, out._version, out.grad_fn is not None, b)
    same(prog)
