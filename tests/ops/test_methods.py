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


@pytest.mark.parametrize("expr", [
    "m.pow_(2)", "m.pow_(2.5)", "m.pow_(torch.tensor(2))", "i.pow_(2.5)", "m.detach().pow_(2)",
    "torch.tensor([1, 2]).pow_(0.5)"])
def test_pow_scalar_clone_before_cast_check(same, expr):
    """pow_(Scalar) on a bool/integer tensor that requires grad (after an index_put of a float
    leaf): torch's autograd kernel clones self for PowBackward0 first, and that clone's
    set_history raises before the kernel's cast check (fuzz divergence 2029_007)."""
    def prog(torch, see):
        m = torch.tensor([True, False])
        m[m > 0.9] = torch.tensor([0.5], requires_grad=True)
        i = torch.tensor([3, 1])
        i[i > 2] = torch.tensor([5.0], requires_grad=True)  # noqa: F841 (used by eval(expr))
        see(eval(expr))
    same(prog)


@pytest.mark.parametrize("expr", [
    "bx.relu_()", "cx.relu_()", "fx.relu_()", "F.relu(bx, inplace=True)", "F.relu_(cx)",
    "F.relu(fx, inplace=True)", "torch.tensor([True]).relu_()", "torch.tensor([-1.0, 2.0]).relu_()"])
def test_relu_inplace_dtype_before_overlap(same, expr):
    """relu_ refuses bool (and complex, clamp_min's meta check) before its TensorIterator's
    internal-overlap check on an expanded self (fuzz divergence 2029_006)."""
    def prog(torch, see):
        bx = torch.tensor(True).broadcast_to((2,))  # noqa: F841 (used by eval(expr))
        cx = torch.tensor(1j).broadcast_to((2,))  # noqa: F841
        fx = torch.tensor(1.0).broadcast_to((2,))  # noqa: F841
        see(eval(expr, {"torch": torch, "F": torch.nn.functional}, dict(bx=bx, cx=cx, fx=fx)))
    same(prog)


@pytest.mark.parametrize("expr", ["t.pow_(2)", "t.pow_(2.0)", "t.square_()", "t.remainder_(2)",
                                  "t.fmod_(2)", "t.clamp_(-1.0, 1.5)", "t.clamp_min_(0)", "t.clamp_(-1, 1)"])
@pytest.mark.parametrize("dtype", ["bool", "int64"])
@pytest.mark.parametrize("expanded", [True, False])
def test_scalar_inplace_overlap_before_cast(same, expr, dtype, expanded):
    """An expanded self: TensorIterator's internal-overlap check precedes its result-type cast
    check (pow_, remainder_, fmod_); clamp_'s meta function checks the cast first."""
    def prog(torch, see):
        t = torch.tensor(False if dtype == "bool" else 0, dtype=getattr(torch, dtype))
        t = t.broadcast_to((2,)) if expanded else t.expand(1).clone()
        see(eval(expr, {"torch": torch}, {"t": t}))
    same(prog)
