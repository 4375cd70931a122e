"""selu, hardswish, hardsigmoid, mish, logsigmoid, softsign, tanhshrink, softmin, normalize and
their modules against torch: values, graphs, gradients, double gradients, in-place, reprs."""
import pytest

import numtorch.nn  # noqa: F401

FUNCS = ["F.selu(x)", "F.hardswish(x)", "F.hardsigmoid(x)", "F.mish(x)", "F.logsigmoid(x)",
         "F.softsign(x)", "F.tanhshrink(x)", "F.softmin(x.view(2, 4), 1)", "F.softmin(x.view(2, 4), 0)",
         "F.normalize(x.view(2, 4))", "F.normalize(x.view(2, 4), p=1.0, dim=0)"]


@pytest.mark.parametrize("expr", FUNCS)
def test_functional_values_graph_and_grads(same, expr):
    def prog(torch, see):
        F = torch.nn.functional  # noqa: F841 (used by eval(expr))
        # the kinks (0, +-3) are checked by the first-order test below, not by double backward
        x = torch.tensor([-3.5, -2.5, -1.0, -0.25, 0.5, 2.0, 3.5, 4.0], dtype=torch.float64, requires_grad=True)
        r = eval(expr)
        see(r, type(r.grad_fn).__name__, [type(n).__name__ for n, _ in r.grad_fn.next_functions])
        g, = torch.autograd.grad((r * torch.linspace(-1, 1, r.numel(), dtype=torch.float64).reshape(r.shape)).sum(),
                                 x, create_graph=True)
        # values only: PyTorch's double-backward nodes have names of their own, and its fused
        # kernels give +0.0 where the composed formulas may give -0.0 (differences.md)
        see(g.detach(), g.requires_grad, tuple(t + 0.0 for t in torch.autograd.grad((g * g).sum(), x)))
    same(prog)


@pytest.mark.parametrize("name", ["selu", "hardswish", "hardsigmoid", "mish"])
def test_inplace_variants(same, name):
    def prog(torch, see):
        x = torch.tensor([-3.5, -1.0, 0.0, 2.0, 4.0], requires_grad=True)
        y = x * 1
        r = getattr(torch.nn.functional, name)(y, inplace=True)
        see(r is y, r, y._version, type(r.grad_fn).__name__)
        r.sum().backward()
        see(x.grad)
    same(prog)


@pytest.mark.parametrize("ctor", ["SELU()", "SELU(inplace=True)", "Hardswish()", "Hardsigmoid(True)",
                                  "Mish()", "LogSigmoid()", "Softsign()", "Tanhshrink()", "Softmin(dim=1)",
                                  "Softmin()"])
def test_modules_repr_and_forward(same, ctor):
    def prog(torch, see):
        m = eval("torch.nn." + ctor)
        see(repr(m), m(torch.tensor([[-2.0, 0.5, 3.5]])))
    same(prog)


@pytest.mark.parametrize("name", ["selu", "hardswish", "hardsigmoid", "mish", "logsigmoid", "softsign"])
def test_first_order_gradient_at_the_kinks(same, name):
    def prog(torch, see):
        x = torch.tensor([-3.0, 0.0, 3.0], requires_grad=True)
        getattr(torch.nn.functional, name)(x).sum().backward()
        see(x.grad)
    same(prog)
