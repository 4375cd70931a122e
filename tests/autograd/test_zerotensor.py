"""ZeroTensor gradients (torch's at::_efficientzerotensor): sgn's gradient for real inputs is one.
It reads as zeros, refuses every write (copy_ with its own text), stays one through views,
detach(), .data and the ops with a ZeroTensor kernel (mul, div by it, zero + zero, dot), and is
stored as .grad, where the next accumulation raises. NOTE [ZeroTensor storage].
(torch 2.13 itself crashes reading a view at a non-zero offset of one, g[1].numpy(force=True):
none of those is run here.)"""
import pytest


def _zero(torch, shape=(2, 3), dtype=None):
    x = torch.ones(shape, dtype=dtype or torch.float32, requires_grad=True)
    g, = torch.autograd.grad(x.sgn().sum(), x)
    return g


def _describe(t):
    return (t._is_zerotensor(), t.numpy(force=True).tolist(), t._version, t.is_leaf, t.requires_grad,
            t.grad_fn is None, t._is_view(), t.dtype, t.shape, t.stride())


def test_sgn_gradient_is_a_zero_tensor(same):
    def prog(torch, see):
        for shape, dtype in (((2, 3), torch.float32), ((), torch.float64)):
            see(*_describe(_zero(torch, shape, dtype)))
        x = torch.ones(2, 3, requires_grad=True)
        g, = torch.autograd.grad(x.sgn().sum(), x, create_graph=True)
        see(*_describe(g))
        see(torch.ones(2, 3)._is_zerotensor(), torch.zeros(2)._is_zerotensor())
    same(prog)


def test_reads(same):
    def prog(torch, see):
        g = _zero(torch)
        see(g.sum(), g[0, 0].item(), float(g[1, 2]), repr(g), g.data_ptr(), g.storage_offset())
        see(g.untyped_storage().nbytes())
        for read in (lambda: g.numpy(), lambda: g.tolist(), lambda: g.untyped_storage().data_ptr()):
            try:
                read()
            except RuntimeError as e:
                see(str(e))
    same(prog)


@pytest.mark.parametrize("write", [
    "add_(2)", "add_(torch.ones(2, 3))", "sub_(1)", "mul_(2)", "div_(2)", "fill_(1)", "zero_()",
    "clamp_(-1, 1.5)", "neg_()", "pow_(2)", "exp_()", "sigmoid_()", "masked_fill_(g > 1, 0.5)",
    "scatter_(0, torch.zeros(2, 3, dtype=torch.long), 0.5)", "index_fill_(0, torch.tensor([0]), -1.0)",
    "copy_(torch.ones(2, 3))", "copy_(torch.ones(2, 3, dtype=torch.float64))", "data.add_(1)",
    "detach().mul_(2)", "view(6).add_(1)", "t().sub_(1)", "__iadd__(1)",
    "__setitem__(0, 0.5)", "__setitem__(0, torch.ones(3))", "__setitem__(torch.tensor([0]), 0.5)",
    "__setitem__(g > -1, torch.ones(6))", "__setitem__(Ellipsis, 0.5)",
])
def test_every_write_raises(same, write):
    def prog(torch, see):
        g = _zero(torch)
        try:
            eval("g." + write, {"g": g, "torch": torch})
        finally:
            see(g._version, g.numpy(force=True).tolist())
    same(prog)


def test_autograd_checks_come_first(same):
    def prog(torch, see):
        for write in (lambda g: g.add_(1), lambda g: g.copy_(torch.ones(2, 3)), lambda g: g[0].add_(1)):
            g = _zero(torch).requires_grad_()
            try:
                write(g)
            except RuntimeError as e:
                see(str(e))
        g = _zero(torch).requires_grad_()
        y = g * 2
        see(y._is_zerotensor(), type(y.grad_fn).__name__)
        y.add_(1)
    same(prog)


def test_geometry_may_change(same):
    def prog(torch, see):
        g = _zero(torch)
        see(g.t_()._is_zerotensor(), g._version, g.shape, g.unsqueeze_(0)._is_zerotensor(), g._version)
        g.requires_grad_()
        g.retain_grad()
        see(g._is_zerotensor(), g.requires_grad, g.detach_()._is_zerotensor())
    same(prog)


def test_which_results_are_zero_tensors(same):
    def prog(torch, see):
        g = _zero(torch)
        z = _zero(torch)
        ones = torch.ones(2, 3)
        for r in (g.view(6), g[0], g.t(), g.reshape(6), g.t().reshape(6), g.t().contiguous(),
                  g.expand(2, 2, 3), g.detach(), g.data, g.clone(), g.double(), g.float(), g.unbind(0)[0], g.split(1)[0],
                  g + 1, g + z, g + ones, ones + g, g - z, 1 - g, g * 2, 2 * g, g * ones, g * float("inf"),
                  g * torch.ones(2, 3, dtype=torch.float64), g / 2, 2 / g, ones / g, g / z,
                  torch.tensor([[-1.0, 0.0, 2.0], [1.0, -0.0, 3.0]]) / g, -g, g.exp(),
                  g.sum(), g @ torch.ones(3, 2), torch.dot(g[0], ones[0]), torch.cat([g, g]), g.sgn(),
                  g.abs(), torch.where(g > 0, g, g), g[torch.tensor([0])]):
            see(r._is_zerotensor(), r.clone(), r._is_view(), r.dtype)
        x = torch.ones(2, 3)
        x.mul_(g)
        see(x._is_zerotensor(), x)
        x.data = g
        see(x._is_zerotensor())
        g.data = torch.ones(2, 3)
        see(g._is_zerotensor(), g)
    same(prog)


def test_add_and_sub_copy_the_other_operand(same):
    """add/sub_zerotensor add nothing: a -0.0 of the other operand survives, alpha multiplies."""
    def prog(torch, see):
        g = _zero(torch, (3,))
        x = torch.tensor([-0.0, 1.5, float("nan")])
        for r in (g + x, x + g, g - x, x - g, g.add(x, alpha=2), g.sub(x, alpha=-1), x.sub(g, alpha=3),
                  g + torch.tensor([-0.0, 2, 3]), g - 0.0, torch.tensor(-0.0) + g):
            see([str(v) for v in r.tolist()], r.dtype, r._is_zerotensor())
        x = torch.tensor([1.0, -0.0, 2.0], requires_grad=True)
        ((x * -0.0).sum() + x.sgn().sum()).backward()
        see([str(v) for v in x.grad.tolist()])
    same(prog)


def test_through_backward_formulas(same):
    def prog(torch, see):
        x = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], requires_grad=True)
        for f in (lambda x: x * 3, lambda x: x.exp(), lambda x: x / 2, lambda x: x[0], lambda x: x.sum(0),
                  lambda x: x.t(), lambda x: x.sigmoid(), lambda x: x + x, lambda x: x.double(),
                  lambda x: x * torch.ones(2, 2, 3)):
            g, = torch.autograd.grad(f(x).sgn().sum(), x)
            see(g._is_zerotensor(), g)
        y = x.sgn()
        see([t._is_zerotensor() for t in torch.autograd.grad(y.sum(), [x, y])])
        s = x.sgn() + x.sgn()
        see(torch.autograd.grad(s.sum(), x)[0]._is_zerotensor())
        s = x.sgn() + x
        see(torch.autograd.grad(s.sum(), x)[0]._is_zerotensor())
    same(prog)


def test_hooks_see_zero_tensors(same):
    def prog(torch, see):
        for hook in (lambda g: see(g._is_zerotensor()), lambda g: g * 2, lambda g: g + 1):
            x = torch.ones(2, 3, requires_grad=True)
            x.register_hook(hook)
            x.sgn().sum().backward()
            see(x.grad._is_zerotensor(), x.grad)
        x = torch.ones(2, 3, requires_grad=True)
        y = x * 1
        y.retain_grad()
        y.sgn().sum().backward()
        see(y.grad._is_zerotensor(), x.grad._is_zerotensor())
    same(prog)


def test_grad_accumulation(same):
    def prog(torch, see):
        x = torch.ones(2, 3, requires_grad=True)
        (x * 2).sum().backward()
        x.sgn().sum().backward()
        see(x.grad._is_zerotensor(), x.grad)
        # a stored ZeroTensor .grad: the layout contract holds, so AccumulateGrad keeps it
        for leaf in (torch.ones(2, 3), torch.ones(3, 2).t()):
            x = leaf.detach().requires_grad_()
            x.sgn().sum().backward()
            see(x.grad._is_zerotensor(), x.grad.stride())
        x = torch.ones(3, 2, requires_grad=True)
        x.t().sgn().sum().backward()
        see(x.grad._is_zerotensor())
        x = torch.ones(2, 3, requires_grad=True)
        x.sgn().sum().backward(create_graph=True)
        see(x.grad._is_zerotensor())
        x.grad = None
        x.sgn().sum().backward()
        see(x.grad._is_zerotensor())
        x.register_post_accumulate_grad_hook(lambda p: see(p.grad._is_zerotensor()))
        (x * 2).sum().backward()  # += into the ZeroTensor: immutable
    same(prog)


def test_zero_grad_of_a_zero_tensor_grad(same):
    def prog(torch, see):
        x = torch.ones(2, 3, requires_grad=True)
        x.sgn().sum().backward()
        x.grad.zero_()
    same(prog)
