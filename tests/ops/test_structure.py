"""tril/triu, roll, repeat/tile, atan2, hypot, lerp, nan_to_num, isclose/allclose against torch:
values, node names, gradients and double gradients, errors."""
import pytest

EXPRS = ["x.tril()", "x.tril(-1)", "x.triu(1)", "torch.triu(x)", "x.roll(1, 1)", "x.roll((1, -2), (0, 1))",
         "x.roll(2)", "x.repeat(2, 1)", "x.repeat(2, 3, 1)", "x.tile((2,))", "torch.tile(x, (2, 1, 1))",
         "torch.atan2(x, y)", "x.atan2(y[0])", "torch.hypot(x, y)", "torch.lerp(x, y, 0.3)",
         "x.lerp(y, w)", "torch.nan_to_num(x / (x - 1))", "(x / (x - 1)).nan_to_num(nan=1.0, posinf=9.0)"]


@pytest.mark.parametrize("expr", EXPRS)
def test_values_graph_and_gradients(same, expr):
    def prog(torch, see):
        x = torch.tensor([[0.5, -1.0, 2.0], [1.0, 3.0, -0.25]], dtype=torch.float64, requires_grad=True)
        y = torch.tensor([[1.5, 2.0, -0.5], [0.25, -3.0, 1.0]], dtype=torch.float64, requires_grad=True)
        w = torch.tensor([0.1, 0.5, 0.9], dtype=torch.float64, requires_grad=True)
        r = eval(expr)
        see(r, type(r.grad_fn).__name__)
        v = torch.linspace(-1, 1, r.numel(), dtype=torch.float64).reshape(r.shape)
        grads = torch.autograd.grad((r * v).sum(), (x, y, w), create_graph=True, allow_unused=True)
        see(grads)
        used = [g for g in grads if g is not None and g.requires_grad]
        if used:
            see(torch.autograd.grad(sum(g.sum() * g.sum() for g in used), (x, y, w), allow_unused=True))
    same(prog)


def test_isclose_allclose_and_errors(same):
    def prog(torch, see):
        a = torch.tensor([1.0, float("nan"), 3.0, 1e-9])
        b = torch.tensor([1.0 + 1e-6, float("nan"), 3.1, 0.0])
        see(torch.isclose(a, b), a.isclose(b, equal_nan=True), torch.allclose(a, b),
            torch.allclose(a[:1], b[:1]), torch.isclose(a, b, rtol=0.1, atol=0.0))
        for f in (lambda: torch.tensor([1.0]).tril(), lambda: torch.ones(2, 2).repeat(2),
                  lambda: torch.ones(2).roll((1, 2), 0)):
            try:
                f()
            except RuntimeError as e:
                see(str(e))
    same(prog)


@pytest.mark.parametrize("expr", ["x.repeat_interleave(2, 0)", "x.repeat_interleave(2)",
                                  "x.repeat_interleave(torch.tensor([1, 2]), 0)",
                                  "torch.repeat_interleave(x, torch.tensor([0, 1, 3]), dim=1)",
                                  "torch.take_along_dim(x, torch.tensor([[0], [2]]), 1)",
                                  "torch.take_along_dim(x, torch.tensor([1, 0, 5]))",
                                  "x.take_along_dim(torch.tensor([[1, 0, 0]]), 0)"])
def test_index_composites_graph_and_grads(same, expr):
    def prog(torch, see):
        x = torch.tensor([[0.5, -1.0, 2.0], [1.0, 3.0, -0.25]], requires_grad=True)
        r = eval(expr)
        fn, names = r.grad_fn, []
        while fn is not None and type(fn).__name__ != "AccumulateGrad":
            names.append(type(fn).__name__)
            fn = fn.next_functions[0][0]
        see(r, names)
        (r * torch.arange(float(r.numel())).reshape(r.shape)).sum().backward()
        see(x.grad)
    same(prog)


def test_bincount_and_unique(same):
    def prog(torch, see):
        a = torch.tensor([3, 1, 1, 2, 3, 3])
        see(torch.bincount(a), a.bincount(minlength=6), torch.bincount(a, weights=torch.tensor([0.5] * 6)))
        see(torch.unique(a), a.unique(return_inverse=True, return_counts=True),
            torch.unique(torch.tensor([[1, 2], [1, 2], [0, 5]]), dim=0))
    same(prog)


# issue-9 sweep: hypot's shape and cast checks come before its integer-dtype error, repeat_interleave's
# dtype before its rank, take_along_dim(dim=None) with an empty index of any dtype returns empty
STRUCTURE_BAD_INPUTS = [
    "i.hypot(torch.tensor([0, 5]))", "b.hypot(torch.tensor([0, 5]))", "i.hypot(i)", "x.hypot(i)",
    "i.clone().hypot_(torch.tensor([0, 5]))", "b.clone().hypot_(i)", "i.clone().hypot_(i)",
    "b.clone().hypot_(b)", "x.clone().hypot_(i)",
    "torch.repeat_interleave(x)", "torch.repeat_interleave(b)", "torch.repeat_interleave(i)",
    "torch.repeat_interleave(torch.tensor([[1]]))", "torch.repeat_interleave(torch.tensor([1, 2]))",
    "torch.take_along_dim(x, torch.zeros(0))", "torch.take_along_dim(i, torch.zeros(0, dtype=torch.bool))",
    "x.take_along_dim(torch.zeros(2))", "torch.take_along_dim(x, torch.zeros(0), dim=0)",
    "torch.take_along_dim(x.requires_grad_(), torch.zeros(0))",
]


@pytest.mark.parametrize("expr", STRUCTURE_BAD_INPUTS)
def test_bad_inputs_check_order(same, expr):
    def prog(torch, see):
        i = torch.tensor([[1, 0, 2], [2, 1, 0]])
        env = dict(x=torch.tensor([[0.5, -1.25, 2.0], [0.0, 3.5, -0.75]]), i=i, b=i > 0)
        r = eval(expr, {"torch": torch}, env)
        see(r, type(r.grad_fn).__name__)
    same(prog)


# torch.unique is boolean_dispatch'ed (the truth of return_counts, then of return_inverse, is tested
# first), then calls the _unique2 / unique_dim binding, whose parser checks the input (issue 9)
UNIQUE_CALLS = [
    "torch.unique(x, 0, idx)", "torch.unique(x, 99, x)", "torch.unique(x, x, x, x, x, x, x, x)",
    "torch.unique(1.5)", "torch.unique(True)", "torch.unique(1.5, dim=0)", "torch.unique(x, sorted=0)",
    "torch.unique(x, True, False, False, None, 1)", "x.unique(0, idx)", "x.unique(99, x)",
    "x.unique(x, x, x, x, x, x, x)", "x.unique(True, False, False, None, 1)", "x.unique(sorted=0)",
    "i.unique(True, True, True, 0)", "torch.unique(i, return_counts=True, return_inverse=True)",
    "torch.unique(x, True, True, False, None, 1)", "torch.unique(x, True, False, True, None, 1)",
    "torch.unique(x, True, True, True, None, 1)",
]


@pytest.mark.parametrize("expr", UNIQUE_CALLS)
def test_unique_argument_checks(same, expr):
    def prog(torch, see):
        x = torch.tensor([[0.5, -1.25, 2.0], [0.0, 3.5, -0.75]])  # noqa: F841 (used by eval(expr))
        i = torch.tensor([[1, 0, 2], [2, 1, 0]])  # noqa: F841
        idx = torch.tensor([0, 5])  # noqa: F841
        see(eval(expr))
    same(prog)


@pytest.mark.parametrize("expr", ["v.tril()", "v.triu(1)", "torch.tril(v)", "v.tril_()", "v.triu_()",
                                  "w.tril_()", "w.view(2).triu_()", "w.detach().tril_()"])
def test_tril_triu_autograd_checks_before_the_dim_check(same, expr):
    """ATen checks tril/triu's dims in the kernel, after autograd: a stale no_grad view raises its
    view error first, and the in-place forms the leaf / view-of-leaf / view errors."""
    def prog(torch, see):
        w = torch.tensor([1.5, -2.0], requires_grad=True)
        with torch.no_grad():
            v = w.view(2)
            v.mul_(2)
        see(eval(expr, {"torch": torch, "v": v, "w": w}))
    same(prog)


@pytest.mark.parametrize("op", ["cumsum", "cumprod", "logcumsumexp"])
@pytest.mark.parametrize("perm", [(1, 0), (0, 2, 1), (2, 0, 1), (0, 2, 3, 1)])
def test_scan_output_is_contiguous(same, op, perm):
    """cumsum/cumprod/logcumsumexp outputs are contiguous whatever the input's layout (numpy's
    keep it), so e.g. reshape of the result's transpose copies (UnsafeViewBackward0)."""
    def prog(torch, see):
        shape = tuple(range(2, 2 + len(perm)))
        x = (torch.arange(float(torch.tensor(shape).prod())).reshape(shape) / 8).requires_grad_()
        for d in range(len(perm)):
            r = getattr(x.permute(*perm), op)(d)
            m = r.mT.reshape(-1)
            see(r, r.stride(), m._is_view(), type(m.grad_fn).__name__)
    same(prog)


@pytest.mark.parametrize("shape, repeats", [((2, 3), (2, 1)), ((2, 3), (1, 1)), ((3,), (2, 2, 1)),
                                            ((), (3,)), ((), ()), ((2, 1, 3), (1, 4, 2)),
                                            ((2,), (0, 1))])
def test_repeat_backward_as_functions_manual(same, shape, repeats):
    """repeat_backward sums leading dims one by one, then one reshape + sum over the repeated
    dims only: no view for a 0-d input, and the incoming gradient itself when nothing repeats."""
    def prog(torch, see):
        n = 1
        for s in shape:
            n *= s
        x = torch.arange(float(n)).reshape(shape).requires_grad_()
        y = x.repeat(*repeats) if repeats else x.repeat(())
        w = torch.arange(float(y.numel())).reshape(tuple(y.shape)) + 1
        g, = torch.autograd.grad(y, [x], w, create_graph=True)
        see(g, g._is_view(), g is w)
        w2 = torch.ones(tuple(y.shape), requires_grad=True)
        g2, = torch.autograd.grad(y, [x], w2, create_graph=True)
        see(g2, type(g2.grad_fn).__name__)
    same(prog)


@pytest.mark.parametrize("expr", [
    "a.lerp(b4, 0.5)", "a.lerp(b3, 0.5)", "a.lerp(b3, w4)", "a.lerp_(b4, 0.5)", "a3.lerp_(a, 0.5)",
    "a.lerp_(b3, 0.5)", "a.expand(2, 2, 3).lerp_(b3, 0.5)", "a.lerp(f4, 0.5)"])
def test_lerp_integer_broadcast_checks_before_kernel(same, expr):
    # lerp's meta: dtype checks, then TensorIterator's build (broadcast; lerp_: output shape and
    # overlap), then the kernel's dtype dispatch (NotImplementedError for integer types)
    def prog(torch, see):
        long = dict(dtype=torch.int64)
        env = {"a": torch.ones(2, 3, **long), "a3": torch.ones(3, **long), "b3": torch.ones(3, **long),
               "b4": torch.ones(4, **long), "w4": torch.ones(4, **long), "f4": torch.ones(4)}
        see(eval(expr, {}, env))
    same(prog)
