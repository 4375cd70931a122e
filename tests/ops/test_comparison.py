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


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("expr", ["v.isfinite()", "torch.isfinite(v)", "v.isnan()", "v.isinf()"])
@pytest.mark.parametrize("multi_output", [False, True])
def test_isfinite_of_a_stale_view_raises(same, dtype, expr, multi_output):
    """ATen's isfinite is (x == x) * (x.abs() != inf): abs is recorded, so a no_grad view (or a
    multi-output view) whose base was modified in place raises; isnan/isinf record nothing."""
    def prog(torch, see):
        w = torch.tensor([[1.5, -2.0], [0.25, 3.0]], dtype=getattr(torch, dtype), requires_grad=True)
        if multi_output:
            c = w.clone()
            v = c.unbind(0)[0]
            c.mul_(2)
        else:
            with torch.no_grad():
                v = w.flatten()
                v[0] = 0.5
        see(eval(expr, {"torch": torch, "v": v}))
    same(prog)
