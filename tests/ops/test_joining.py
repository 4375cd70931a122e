"""cat against torch: legacy 1-D empty inputs are skipped, and when every input is one, dim is
neither wrapped nor checked (ATen's legacy_cat_wrap_dim)."""
import pytest


@pytest.mark.parametrize("expr", ["torch.cat([a, a * 2], dim=2)", "torch.cat([a, a * 2], dim=-5)",
                                  "torch.cat([a], dim=100)", "torch.cat([a, b], dim=1)",
                                  "torch.cat([a, b, a], dim=-1)", "torch.cat([a, b], dim=2)",
                                  "torch.cat([i, a], dim=3)", "torch.cat([a, i], dim=3)",
                                  "torch.cat([b, a, b], dim=0)"])
def test_cat_legacy_empty_inputs(same, expr):
    def prog(torch, see):
        a, b = torch.zeros(0, requires_grad=True), torch.ones(2, 3, requires_grad=True)
        i = torch.zeros(0, dtype=torch.int64)
        out = eval(expr, {"torch": torch, "a": a, "b": b, "i": i})
        see(out, type(out.grad_fn).__name__)
        out.sum().backward()
        see(a.grad, b.grad)
    same(prog)


# ---- output layout and the autograd-before-checks order (fuzz campaign 2026) ----------------------
_PERMS = [(1, 0), (0, 2, 1), (2, 0, 1), (0, 3, 1, 2), (0, 2, 3, 1), (0, 4, 1, 2, 3), (3, 2, 1, 0)]


@pytest.mark.parametrize("perm", _PERMS)
@pytest.mark.parametrize("other", ["same", "contiguous", "slice"])
def test_cat_output_layout(same, perm, other):
    """ATen's cat output is contiguous unless every input suggests channels_last(_3d)."""
    def prog(torch, see):
        shape = tuple(range(2, 2 + len(perm)))
        x = torch.arange(float(torch.tensor(shape).prod())).reshape(shape).permute(*perm)
        y = {"same": x, "contiguous": x.contiguous(), "slice": x[:1]}[other]
        for d in range(x.dim() if other != "slice" else 1):
            out = torch.cat([x, y], d)
            see(out, out.stride(), out.is_contiguous(), out.reshape(-1)._is_view())
    same(prog)


@pytest.mark.parametrize("mode", ["multi_output", "no_grad"])
@pytest.mark.parametrize("expr", ["torch.cat([torch.ones(2), v[0]])", "torch.cat([v, torch.ones(2, 2)])",
                                  "torch.cat([v.detach()[0], v])", "torch.stack([v, torch.ones(3)])",
                                  "torch.cat([v, torch.ones(2)])", "torch.stack([v, v], dim=5)"])
def test_cat_stack_stale_view_raises_before_shape_checks(same, mode, expr):
    def prog(torch, see):
        b = torch.tensor([[1.5, -2.0], [0.25, 3.0]], requires_grad=True)
        if mode == "no_grad":
            with torch.no_grad():
                v = b[0]
                v.mul_(2)
        else:
            c = b.clone()
            v = c.unbind(0)[0]
            c.mul_(2)
        see(eval(expr, {"torch": torch, "v": v}))
    same(prog)

    def prog_no_grad(torch, see):  # nothing is recorded under no_grad: the kernel's check wins
        c = torch.tensor([[1.5, -2.0], [0.25, 3.0]], requires_grad=True).clone()
        v = c.unbind(0)[0]
        c.mul_(2)
        with torch.no_grad():
            see(eval(expr, {"torch": torch, "v": v}))
    same(prog_no_grad)
