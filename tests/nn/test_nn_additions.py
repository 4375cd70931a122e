"""prelu, celu, softshrink, hardshrink, threshold, glu, rrelu, bilinear, cosine_similarity,
pairwise_distance, kl_div and the losses of issue 4 (with their modules) against torch: values,
graphs, gradients, double gradients, in-place variants, torch's draws, reprs and errors."""
from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(4)


def _away_from_kinks(shape, kinks=(0.0,), dtype=np.float64, margin=0.05):
    x = RNG.uniform(-3, 3, shape)
    for k in kinks:
        near = np.abs(x - k) < margin
        x[near] += 2 * margin
    return x.astype(dtype)


X64 = _away_from_kinks((3, 4), kinks=(0.0, 0.5, -0.5, 0.3, -0.3, 1.2, -1.2, 0.2))
X32 = X64.astype(np.float32)
W4 = np.array([0.25, -0.5, 1.5, 0.1])


def _run(expr: str, torch, scope: dict):
    """Evaluates a case with `torch` and `F` bound to the library under test, and the program's locals."""
    return eval(expr, {"torch": torch, "F": torch.nn.functional}, scope)


def _seen_grads(torch, see, r, inputs, double=True):
    """First gradients of a weighted sum of r (and, with create_graph, the gradients of the sum of
    their cubes: the double backward)."""
    weights = torch.linspace(-1, 1, r.numel(), dtype=r.dtype).reshape(r.shape)
    grads = torch.autograd.grad((r * weights).sum(), inputs, create_graph=double)
    see(*[g.detach() for g in grads])
    if double and all(g.requires_grad for g in grads):
        second = torch.autograd.grad(sum((g * g * g).sum() for g in grads), inputs, allow_unused=True)
        see(*[None if s is None else s + 0.0 for s in second])


# ---- activations -------------------------------------------------------------------------------
ACTIVATIONS = [
    "F.celu(x)", "F.celu(x, 0.5)", "F.celu(x, alpha=-1.5)", "F.softshrink(x)", "F.softshrink(x, 1.2)",
    "F.softshrink(x, 0)", "F.hardshrink(x)", "F.hardshrink(x, 0.3)", "F.hardshrink(x, -0.5)",
    "F.threshold(x, 0.2, -3.0)", "F.threshold(x, -0.5, 0.5)", "F.glu(x)", "F.glu(x, 0)", "F.glu(x, -1)",
    "F.glu(x.reshape(2, 2, 3), 1)", "F.rrelu(x)", "F.rrelu(x, 0.2, 0.6)", "F.rrelu(x, -1.0, 0.2)",
    "torch.celu(x, 2.0)", "torch.hardshrink(x)", "torch.threshold(x, 0.5, 2.0)", "torch.rrelu(x)",
    "x.hardshrink(0.3)",
]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("expr", ACTIVATIONS)
def test_activation_values_graphs_and_grads(close, graph, expr, dtype):
    def prog(torch, see):
        x = torch.tensor(X64, dtype=getattr(torch, dtype), requires_grad=True)
        r = _run(expr, torch, locals())
        see(r, graph(r))
        _seen_grads(torch, see, r, (x,))
    close(prog)


PRELU_CASES = [((2, 4, 3), (4,)), ((3, 4), (4,)), ((3, 4), (1,)), ((5,), (1,)), ((3, 4), ()),
               ((2, 4, 2, 2), (4,)),
               ((), (1,)), ((), ()), ((4,), ())]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("xs,ws", PRELU_CASES)
def test_prelu(close, graph, xs, ws, dtype):
    x0 = _away_from_kinks(xs)
    w0 = RNG.uniform(-1, 1, ws)

    def prog(torch, see):
        d = getattr(torch, dtype)
        x = torch.tensor(x0, dtype=d, requires_grad=True)
        w = torch.tensor(w0, dtype=d, requires_grad=True)
        r = torch.nn.functional.prelu(x, w)
        see(r, graph(r))
        _seen_grads(torch, see, r, (x, w))
    close(prog)


def test_prelu_gradient_at_zero_and_torch_prelu(close):
    def prog(torch, see):
        x = torch.tensor([-1.0, 0.0, 2.0], requires_grad=True)
        w = torch.tensor([0.3], requires_grad=True)
        r = torch.prelu(x, w)
        r.sum().backward()
        see(r, x.grad, w.grad)
    close(prog)


@pytest.mark.parametrize("call", [
    "F.celu_(y, 1.5)", "F.celu(y, 1.5, inplace=True)", "F.threshold_(y, 0.5, 2.0)",
    "F.threshold(y, 0.5, 2.0, inplace=True)", "F.rrelu_(y)", "F.rrelu(y, inplace=True)",
    "torch.celu_(y)", "torch.threshold_(y, 0.1, 20.0)", "torch.rrelu_(y)"])
def test_inplace_variants(close, graph, call):
    def prog(torch, see):
        x = torch.tensor([-2.0, -1.0, 0.25, 0.5, 2.0, 4.0], requires_grad=True)
        y = x * 1
        r = _run(call, torch, locals())
        see(r is y, r, y._version, graph(r))
        (r * torch.arange(6.0)).sum().backward()
        see(x.grad)
    close(prog)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shape", [(7, 9), (3, 1, 5), (40,)])
def test_rrelu_training_draws_torchs_numbers(close, dtype, shape):
    x0 = RNG.standard_normal(shape)
    x0.reshape(-1)[0] = 0.0  # zero draws too

    def prog(torch, see):
        torch.manual_seed(7)
        x = torch.tensor(x0, dtype=getattr(torch, dtype), requires_grad=True)
        r = torch.nn.functional.rrelu(x, 0.1, 0.4, training=True)
        see(r, type(r.grad_fn).__name__)
        (r * 2).sum().backward()
        see(x.grad, torch.rand(3))  # the generator is where torch's is
        y = x.detach().t() if x.dim() == 2 else x.detach().clone()  # non-contiguous: drawn in index order
        see(torch.nn.functional.rrelu(y, training=True), torch.rand(2))
    close(prog)


def test_rrelu_training_double_backward_and_inplace(close):
    def prog(torch, see):
        torch.manual_seed(0)
        x = torch.tensor([-2.0, -1.0, 0.5, 3.0, -0.25], dtype=torch.float64, requires_grad=True)
        r = torch.nn.functional.rrelu(x, training=True)
        _seen_grads(torch, see, r, (x,))
        y = x * 1
        torch.nn.functional.rrelu_(y, 0.2, 0.3, training=True)
        see(y, type(y.grad_fn).__name__)
        y.sum().backward()
        see(x.grad)
    close(prog)


def test_rrelu_equal_bounds_and_module_modes(close):
    def prog(torch, see):
        torch.manual_seed(1)
        x = torch.tensor([-2.0, -1.0, 0.5, 3.0], requires_grad=True)
        r = torch.nn.functional.rrelu(x, 0.3, 0.3, training=True)
        r.sum().backward()
        see(r, x.grad)
        m = torch.nn.RReLU(0.1, 0.3)
        see(m(x), torch.rand(1))
        m.eval()
        see(m(x), torch.rand(1))
    close(prog)


ACT_ERRORS = [
    "F.celu(x, 0.0)", "F.celu(torch.tensor([1, -2]))", "F.softshrink(x, -0.5)",
    "F.softshrink(x.double(), -1e-10)", "F.softshrink(x, 1e39)", "F.softshrink(torch.tensor([1, -2]))",
    "F.hardshrink(torch.tensor([1, -2]))", "F.threshold(torch.tensor([True, False]), 0, 1)",
    "F.threshold(torch.tensor([0, -1, 1]), -0.5, 7)", "F.threshold(torch.tensor([0, -1, 3]), 0.5, 2.5)",
    "F.glu(x, 0)", "F.glu(torch.randn(3, 3))", "F.glu(torch.tensor(1.0))", "F.glu(x, 2)", "F.glu(x, -3)",
    "F.glu(torch.tensor([1, 2]))", "F.glu(torch.tensor([1, 2, 3]))", "F.rrelu(x, 0.5, 0.2)",
    "F.rrelu(x, 0.5, 0.2, training=True)", "F.rrelu(torch.tensor([1, -2]))",
    "F.rrelu(torch.tensor([1, -2]), training=True)",
    "F.prelu(x, torch.ones(3))", "F.prelu(x, torch.ones(2, dtype=torch.float64))",
    "F.prelu(x.double(), torch.ones(2))", "F.prelu(torch.tensor(2.0), torch.ones(2))",
    "F.prelu(x, torch.ones(1, 1))", "F.prelu(x, torch.ones(2, 2))",
    "F.prelu(torch.randn(2, 3), torch.randn(3, 1))",
    "F.prelu(torch.ones(5), torch.ones(5))", "F.prelu(torch.tensor([1, -2]), torch.tensor([1]))",
    "F.prelu(torch.tensor([1, -2]), torch.tensor([1.0]))",
]


@pytest.mark.parametrize("expr", ACT_ERRORS)
def test_activation_errors(same, expr):
    def prog(torch, see):
        x = torch.tensor([[-1.0, 0.0], [0.5, 2.0], [3.0, -0.2]])
        see(_run(expr, torch, locals()))
    same(prog)


def test_shrink_signed_zeros_and_nan(same):
    def prog(torch, see):
        F = torch.nn.functional
        x = torch.tensor([-0.2, 0.2, float("nan"), -0.7, 0.5, -0.5])
        see(F.softshrink(x), F.hardshrink(x), F.threshold(x, 0.5, -1.0), F.celu(x), F.rrelu(x))
    same(prog)


ACT_MODULES = ["PReLU()", "PReLU(4)", "PReLU(4, init=-0.1)", "PReLU(num_parameters=4, dtype=torch.float64)",
               "CELU()", "CELU(2.0, True)", "Softshrink()", "Softshrink(1.5)", "Hardshrink(0.3)",
               "Hardshrink()", "Threshold(0.1, 20)", "Threshold(0.5, -1.0, inplace=True)", "GLU()",
               "GLU(dim=1)", "RReLU().eval()", "RReLU(0.1, 0.3, inplace=True).eval()"]


@pytest.mark.parametrize("ctor", ACT_MODULES)
def test_activation_modules(close, ctor):
    def prog(torch, see):
        m = eval("torch.nn." + ctor)
        see(repr(m), [(k, v) for k, v in m.named_parameters()])
        x = torch.tensor([[-2.0, 0.5, 3.5, -0.25], [1.0, -1.0, 0.0, 2.0]], requires_grad=True)
        y = m(x * 1)
        see(y)
        y.sum().backward()
        see(x.grad, [p.grad for p in m.parameters()])
    close(prog)


def test_prelu_module_state_dict_and_init(same):
    def prog(torch, see):
        torch.manual_seed(0)
        m = torch.nn.PReLU(3, init=0.5)
        see(m.weight, list(m.state_dict()), m.num_parameters, m.init, torch.rand(2))  # no draws
        m.reset_parameters()
        see(m.weight)
    same(prog)


# ---- bilinear ------------------------------------------------------------------------------------
BILINEAR_SHAPES = [((5, 3), (5, 4)), ((3,), (4,)), ((2, 5, 3), (2, 5, 4)), ((0, 3), (0, 4)),
                   ((2, 1, 2, 3), (2, 1, 2, 4))]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("with_bias", [True, False])
@pytest.mark.parametrize("s1,s2", BILINEAR_SHAPES)
def test_bilinear(close, graph, s1, s2, with_bias, dtype):
    a0, b0 = RNG.standard_normal(s1), RNG.standard_normal(s2)
    w0, c0 = RNG.standard_normal((2, 3, 4)), RNG.standard_normal(2)

    def prog(torch, see):
        d = getattr(torch, dtype)
        a, b = torch.tensor(a0, dtype=d, requires_grad=True), torch.tensor(b0, dtype=d, requires_grad=True)
        w = torch.tensor(w0, dtype=d, requires_grad=True)
        c = torch.tensor(c0, dtype=d, requires_grad=True) if with_bias else None
        r = torch.nn.functional.bilinear(a, b, w, c)
        see(r, graph(r))
        _seen_grads(torch, see, r, (a, b, w) + ((c,) if with_bias else ()))
    close(prog)


def test_bilinear_non_contiguous_and_integer_inputs(close, graph):
    def prog(torch, see):
        a = torch.arange(24.0).reshape(4, 3, 2).transpose(0, 1).requires_grad_()
        b = torch.ones(3, 4, 4)
        w = torch.arange(16.0).reshape(2, 2, 4) / 10
        r = torch.bilinear(a, b, w)
        see(r, graph(r))
        r.sum().backward()
        see(a.grad)
        see(torch.nn.functional.bilinear(torch.tensor([[1, 2]]), torch.tensor([[3, 4, 5]]),
                                         torch.arange(12).reshape(2, 2, 3), torch.tensor([1, -1])))
    close(prog)


BILINEAR_ERRORS = [
    "F.bilinear(x1, x2[:4], W, b)", "F.bilinear(x1, x2[None], W, b)", "F.bilinear(x2, x2, W, b)",
    "F.bilinear(x1, x1, W, b)", "F.bilinear(x1, x2, W, torch.randn(3))",
    "F.bilinear(x1, x2, W, torch.randn(2, 2))",
    "F.bilinear(x1.double(), x2, W, b)", "F.bilinear(x1, x2, W.double(), b)",
    "F.bilinear(x1, x2, W, b.double())",
    "F.bilinear(x1.double(), x2, W)", "F.bilinear(x1.long(), x2, W)", "F.bilinear(x1, x2, W[0], b)",
    "F.bilinear(torch.tensor(1.0), torch.tensor(1.0), W, b)", "F.bilinear(x1, x2, W, torch.randn(1))",
    "F.bilinear(x1, x2, W, torch.randn(()))", "F.bilinear(x1, x2, W, torch.randn(5, 2))",
    "F.bilinear(x1, x2, torch.randn(4))", "F.bilinear(x1, x2, torch.randn(()))",
    "F.bilinear(x1, x2, torch.randn(2, 3, 4, 1))", "F.bilinear(x1, x2, torch.randn(2, 3, 5))",
    "torch.nn.Bilinear(0, 2, 3)",
]


@pytest.mark.parametrize("expr", BILINEAR_ERRORS)
def test_bilinear_errors(same, expr):
    def prog(torch, see):
        x1, x2, W, b = torch.randn(5, 3), torch.randn(5, 4), torch.randn(2, 3, 4), torch.randn(2)
        see(_run(expr, torch, locals()))
    same(prog)


@pytest.mark.parametrize("args", ["(3, 4, 2)", "(3, 4, 2, bias=False)", "(1, 1, 1)",
                                  "(5, 2, 7, dtype=torch.float64)",
                                  "(2, 0, 3)"])
def test_bilinear_module_init_is_torchs_bitwise(same, args):
    def prog(torch, see):
        torch.manual_seed(3)
        m = eval("torch.nn.Bilinear" + args)
        see(repr(m), list(m.state_dict()))
        see(*[(k, v.dtype, tuple(v.shape), v.detach().numpy().tobytes()) for k, v in m.state_dict().items()])
        see(torch.rand(2))  # as many draws as torch's
        m.reset_parameters()
        see(*[v.detach().numpy().tobytes() for v in m.state_dict().values()])
        n_in1 = m.in1_features
        d = m.weight.dtype
        out = m(torch.ones(3, n_in1, dtype=d), torch.ones(3, m.in2_features, dtype=d))
        see(out, type(out.grad_fn).__name__)
    same(prog)


# ---- cosine_similarity / pairwise_distance -----------------------------------------------------------
COSINE_CASES = ["F.cosine_similarity(a, b)", "F.cosine_similarity(a, b, 0)", "F.cosine_similarity(a, b, -1)",
                "F.cosine_similarity(a, b[:1])", "F.cosine_similarity(a, b[0], dim=1)",
                "F.cosine_similarity(a[0], b[1], 0)", "F.cosine_similarity(a, b, eps=0.5)",
                "F.cosine_similarity(a * 1e-9, b)",
                "F.cosine_similarity(a.reshape(2, 2, 3), b.reshape(2, 2, 3), 2)",
                "torch.cosine_similarity(a, b)", "torch.nn.CosineSimilarity()(a, b)",
                "torch.nn.CosineSimilarity(dim=0, eps=1e-3)(a, b)"]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("expr", COSINE_CASES)
def test_cosine_similarity(close, graph, expr, dtype):
    a0, b0 = RNG.standard_normal((4, 3)), RNG.standard_normal((4, 3))

    def prog(torch, see):
        d = getattr(torch, dtype)
        a, b = torch.tensor(a0, dtype=d, requires_grad=True), torch.tensor(b0, dtype=d, requires_grad=True)
        r = _run(expr, torch, locals())
        see(r, graph(r))
        _seen_grads(torch, see, r, (a, b))
    close(prog)


PAIRWISE_CASES = ["F.pairwise_distance(a, b)", "F.pairwise_distance(a, b, keepdim=True)",
                  "F.pairwise_distance(a, b, p=1)", "F.pairwise_distance(a, b, p=3)",
                  "F.pairwise_distance(a, b, p=1.5)", "F.pairwise_distance(a, b, p=0.5)",
                  "F.pairwise_distance(a, b, p=float('inf'))", "F.pairwise_distance(a, b, p=0)",
                  "F.pairwise_distance(a, b, p=-1)", "F.pairwise_distance(a, b[0])",
                  "F.pairwise_distance(a[0], b)",
                  "F.pairwise_distance(a[0], b[1])", "F.pairwise_distance(a, b, eps=0.1)",
                  "F.pairwise_distance(a, a)", "torch.pairwise_distance(a, b)",
                  "torch.nn.PairwiseDistance()(a, b)",
                  "torch.nn.PairwiseDistance(p=1.0, eps=0, keepdim=True)(a, b)"]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("expr", PAIRWISE_CASES)
def test_pairwise_distance(close, graph, expr, dtype):
    a0, b0 = RNG.standard_normal((4, 3)), RNG.standard_normal((4, 3))

    def prog(torch, see):
        d = getattr(torch, dtype)
        a, b = torch.tensor(a0, dtype=d, requires_grad=True), torch.tensor(b0, dtype=d, requires_grad=True)
        r = _run(expr, torch, locals())
        see(r, graph(r))
        _seen_grads(torch, see, r, (a, b), double="inf" not in expr and "a, a" not in expr)
    close(prog)


DISTANCE_ERRORS = [
    "F.cosine_similarity(x, y)", "F.cosine_similarity(x, x, 2)", "F.cosine_similarity(x, x, -3)",
    "F.cosine_similarity(torch.tensor([1, 2]), torch.tensor([1, 2]), 0)",
    "F.cosine_similarity(torch.tensor([1, 2]), torch.tensor([1.0, 2]), 0)",
    "F.cosine_similarity(x, x.double())", "F.cosine_similarity(torch.zeros(2, 3), torch.zeros(2, 3))",
    "F.cosine_similarity(torch.zeros(2, 3), torch.zeros(2, 3), eps=0.0)",
    "F.cosine_similarity(torch.tensor(1.0), torch.tensor(-2.0), 0)",
    "F.pairwise_distance(x, y)", "F.pairwise_distance(torch.tensor(1.0), torch.tensor(2.0))",
    "F.pairwise_distance(torch.tensor([1, 2]), torch.tensor([2, 3]))", "F.pairwise_distance(x, x.double())",
]


@pytest.mark.parametrize("expr", DISTANCE_ERRORS)
def test_distance_edge_cases_and_errors(close, expr):
    def prog(torch, see):
        x, y = torch.ones(5, 3), torch.ones(5, 4)
        see(_run(expr, torch, locals()))
    close(prog)


def test_distance_module_reprs(same):
    def prog(torch, see):
        nn = torch.nn
        see(repr(nn.CosineSimilarity()), repr(nn.CosineSimilarity(0, 1e-3)), repr(nn.PairwiseDistance()),
            repr(nn.PairwiseDistance(1.0, 0.0, True)), nn.PairwiseDistance(3).norm, nn.CosineSimilarity().eps)
    same(prog)


# ---- kl_div ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("log_target", [False, True])
@pytest.mark.parametrize("reduction", ["mean", "batchmean", "sum", "none"])
def test_kl_div(close, graph, reduction, log_target, dtype):
    p0 = np.exp(RNG.standard_normal((4, 5)))
    p0 /= p0.sum(1, keepdims=True)
    q0 = np.exp(RNG.standard_normal((4, 5)))
    q0 /= q0.sum(1, keepdims=True)
    q0[0, 0] = 0.0  # xlogy(0, 0) = 0

    def prog(torch, see):
        d = getattr(torch, dtype)
        inp = torch.tensor(np.log(p0), dtype=d, requires_grad=True)
        t = torch.tensor(np.log(q0 + 1e-3) if log_target else q0, dtype=d, requires_grad=True)
        r = torch.nn.functional.kl_div(inp, t, reduction=reduction, log_target=log_target)
        see(r, graph(r))
        _seen_grads(torch, see, r, (inp, t))
        m = torch.nn.KLDivLoss(reduction=reduction, log_target=log_target)
        see(repr(m), m(inp, t.detach()))
    close(prog)


KL_CASES = [
    "F.kl_div(x, t)", "F.kl_div(x, t[0])", "F.kl_div(x, y)", "F.kl_div(x, t, reduction='foo')",
    "F.kl_div(x[0, 0], t[0, 0], reduction='batchmean')", "F.kl_div(x, t.double())",
    "F.kl_div(x, t, size_average=False)", "F.kl_div(x, t, reduce=False, reduction='batchmean')",
    "F.kl_div(x, t, size_average=True, reduction='batchmean')",
    "F.kl_div(torch.tensor([1, 2]), torch.tensor([1, 2]), reduction='sum')",
    "F.kl_div(x, torch.tensor([[1, 2, 3]]), reduction='sum')", "F.kl_div(x, t > 0, reduction='sum')",
    "F.kl_div(x.to(torch.complex64), t)", "F.kl_div(x, t, reduction='elementwise_mean')",
    "torch.nn.KLDivLoss(size_average=False)(x, t)", "torch.nn.KLDivLoss(reduce=False)(x, t)",
    "torch.nn.KLDivLoss()(x, t)", "repr(torch.nn.KLDivLoss(reduction='batchmean', log_target=True))",
]


@pytest.mark.parametrize("expr", KL_CASES)
def test_kl_div_cases_warnings_and_errors(close, expr):
    def prog(torch, see):
        x = torch.tensor([[-1.0, -2.0, -0.5], [-0.1, -3.0, -1.5]])
        t = torch.tensor([[0.2, 0.0, 0.8], [0.5, 0.25, 0.25]])
        y = torch.ones(2, 4)
        see(_run(expr, torch, locals()))
    close(prog)


# ---- the losses of the second half ---------------------------------------------------------------
A0, B0, C0 = (RNG.standard_normal((4, 3)) for _ in range(3))
SIGNS = np.array([1.0, -1.0, 1.0, -1.0])
LOSS_CASES = [
    "F.cosine_embedding_loss(a, b, y, reduction=red)",
    "F.cosine_embedding_loss(a, b, y, margin=0.2, reduction=red)",
    "F.cosine_embedding_loss(a[0], b[0], y[1], reduction=red)",
    "F.cosine_embedding_loss(a, b, y.long(), reduction=red)",
    "torch.nn.CosineEmbeddingLoss(-0.3, reduction=red)(a, b, y)",
    "F.margin_ranking_loss(a[:, 0], b[:, 0], y, reduction=red)",
    "F.margin_ranking_loss(a[:, 0], b[:, 0], y, margin=0.5, reduction=red)",
    "F.margin_ranking_loss(a, b, c.sign(), margin=0.1, reduction=red)",
    "torch.nn.MarginRankingLoss(0.3, reduction=red)(a[:, 1], b[:, 1], y)",
    "F.hinge_embedding_loss(a, c.sign(), reduction=red)",
    "F.hinge_embedding_loss(a[:, 0], y, margin=2.0, reduction=red)",
    "F.hinge_embedding_loss(a, torch.ones(3), reduction=red)",
    "torch.nn.HingeEmbeddingLoss(0.5, reduction=red)(a, -c.sign())",
    "F.soft_margin_loss(a, c.sign(), reduction=red)", "F.soft_margin_loss(a, c.sign()[0], reduction=red)",
    "torch.nn.SoftMarginLoss(reduction=red)(a, c.sign())",
    "F.multilabel_soft_margin_loss(a, (c > 0).float(), reduction=red)",
    "F.multilabel_soft_margin_loss(a, (c > 0).float(), weight=torch.tensor([1.0, 0.5, 2.0], dtype=a.dtype),"
    " reduction=red)",
    "F.multilabel_soft_margin_loss(a[0], (c[0] > 0).float(), reduction=red)",
    "torch.nn.MultiLabelSoftMarginLoss(weight=torch.tensor([1.0, 0.5, 2.0], dtype=a.dtype),"
    " reduction=red)(a, (c > 0).float())",
    "F.poisson_nll_loss(a, b.abs() * 3, reduction=red)",
    "F.poisson_nll_loss(a.abs(), b.abs() * 3, log_input=False, reduction=red)",
    "F.poisson_nll_loss(a, b.abs() * 3, full=True, reduction=red)",
    "F.poisson_nll_loss(a.abs(), b.abs() * 3, log_input=False, full=True, eps=0.1, reduction=red)",
    "torch.nn.PoissonNLLLoss(full=True, reduction=red)(a, b.abs() * 3)",
    "F.gaussian_nll_loss(a, b, c.abs(), reduction=red)",
    "F.gaussian_nll_loss(a, b, c.abs(), full=True, reduction=red)",
    "F.gaussian_nll_loss(a, b, c[:, 0].abs(), reduction=red)",
    "F.gaussian_nll_loss(a, b, c[:, :1].abs(), reduction=red)",
    "F.gaussian_nll_loss(a, b, c.abs() * 1e-8, eps=1e-3, reduction=red)",
    "torch.nn.GaussianNLLLoss(full=True, reduction=red)(a, b, c.abs())",
    "F.triplet_margin_loss(a, b, c, reduction=red)",
    "F.triplet_margin_loss(a, b, c, margin=3.0, swap=True, reduction=red)",
    "F.triplet_margin_loss(a, b, c, p=1, eps=0.0, margin=2.0, reduction=red)",
    "F.triplet_margin_loss(a[0], b[0], c[0], margin=2.0, reduction=red)",
    "torch.nn.TripletMarginLoss(margin=2.5, p=3, swap=True, reduction=red)(a, b, c)",
]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("red", ["mean", "sum", "none"])
@pytest.mark.parametrize("expr", LOSS_CASES)
def test_losses(close, graph, expr, red, dtype):
    def prog(torch, see):
        d = getattr(torch, dtype)
        a, b, c = (torch.tensor(v, dtype=d, requires_grad=True) for v in (A0, B0, C0))
        y = torch.tensor(SIGNS, dtype=d)
        r = _run(expr, torch, locals())
        see(r, graph(r))
        _seen_grads(torch, see, r, (a, b, c) if "(a, b, c" in expr else (a, b) if ", b" in expr else (a,))
    close(prog)


LOSS_ERRORS = [
    "F.cosine_embedding_loss(a, b, y[None])", "F.cosine_embedding_loss(a, b[0], y)",
    "F.cosine_embedding_loss(a[0], b[0], y)", "F.cosine_embedding_loss(a, b, y[:3])",
    "F.cosine_embedding_loss(a, b, y, reduction='foo')", "F.cosine_embedding_loss(a.long(), b.long(), y)",
    "F.cosine_embedding_loss(a, b, torch.tensor([1.0, 0, 2, -1]))",
    "F.cosine_embedding_loss(a, b, y, size_average=False)",
    "F.margin_ranking_loss(a[:, 0], b[:, 0], y[None])", "F.margin_ranking_loss(a[:, 0], b[:, 0], y[:3])",
    "F.margin_ranking_loss(a[0, 0], b[0, 0], y[0])",
    "F.margin_ranking_loss(a[:, 0], b[:, 0], y, reduce=False)",
    "F.hinge_embedding_loss(a, y)", "F.hinge_embedding_loss(a[:, 0], y.long(), margin=2)",
    "F.hinge_embedding_loss(a[:, 0], torch.tensor([0.0, 2, 1, -1]))",
    "F.soft_margin_loss(a, b[:, :2])", "F.soft_margin_loss(a, y)",
    "F.soft_margin_loss(a, b.requires_grad_())",
    "F.soft_margin_loss(a, b, reduction='foo')",
    "F.multilabel_soft_margin_loss(a, b, reduction='foo')", "F.multilabel_soft_margin_loss(a, b[:, :2])",
    "F.multilabel_soft_margin_loss(a, b, size_average=False)",
    "F.poisson_nll_loss(a, b, reduction='foo')", "F.poisson_nll_loss(a, b[0])",
    "F.poisson_nll_loss(a, b, reduce=False)",
    "F.gaussian_nll_loss(a, b, -1.0)", "F.gaussian_nll_loss(a, b, torch.ones(4))",
    "F.gaussian_nll_loss(a, b, torch.ones(3))",
    "F.gaussian_nll_loss(a, b, -torch.ones(4, 3))",
    "F.gaussian_nll_loss(a, b, torch.ones(4, 3), reduction='foo')",
    "F.gaussian_nll_loss(a, b, torch.ones(2, 2, 2))", "F.gaussian_nll_loss(a, b, 2.0)",
    "F.triplet_margin_loss(a, b, b[0])", "F.triplet_margin_loss(a, b, b, margin=0)",
    "F.triplet_margin_loss(a, b, b, margin=-1, reduction='foo')", "F.triplet_margin_loss(a, b, b[:3])",
    "torch.nn.TripletMarginLoss(margin=0)", "torch.nn.TripletMarginLoss(margin=-1.5)",
    "torch.cosine_embedding_loss(a, b, y, 0.1, 2)", "torch.margin_ranking_loss(a[:, 0], b[:, 0], y, 0.0, 0)",
    "torch.hinge_embedding_loss(a, b.sign(), 1.0, 1)", "torch.poisson_nll_loss(a, b, True, False, 1e-8, 2)",
    "torch.triplet_margin_loss(a, b, b.flip(0), 1.0, 2.0, 1e-6, False, 1)", "torch.kl_div(a, b.abs(), 2)",
    "torch.kl_div(a, b, 0, True)", "torch.kl_div(a, b, 0, log_target=True)", "torch.xlogy(a.abs(), b.abs())",
    "a.abs().xlogy(2.0)",
]


@pytest.mark.parametrize("expr", LOSS_ERRORS)
def test_loss_edge_cases_and_errors(close, expr):
    def prog(torch, see):
        a, b = torch.tensor(A0, dtype=torch.float32), torch.tensor(B0, dtype=torch.float32)
        y = torch.tensor(SIGNS, dtype=torch.float32)
        see(_run(expr, torch, locals()))
    close(prog)


@pytest.mark.parametrize("ctor", [
    "CosineEmbeddingLoss()", "CosineEmbeddingLoss(0.5, reduction='sum')", "MarginRankingLoss()",
    "MarginRankingLoss(margin=1.0, size_average=False)", "HingeEmbeddingLoss()", "SoftMarginLoss()",
    "MultiLabelSoftMarginLoss(weight=torch.ones(3))", "PoissonNLLLoss()",
    "PoissonNLLLoss(False, True, eps=1e-3)",
    "GaussianNLLLoss()", "GaussianNLLLoss(full=True, eps=1e-3, reduction='none')", "TripletMarginLoss()",
    "TripletMarginLoss(2.0, 1.0, 0.0, True, reduction='sum')",
    "KLDivLoss(reduction='batchmean', log_target=True)"])
def test_loss_module_attributes(same, ctor):
    def prog(torch, see):
        m = eval("torch.nn." + ctor)
        see(repr(m), sorted((k, v) for k, v in vars(m).items() if not k.startswith("_") and k != "training"),
            list(m.state_dict()))
    same(prog)


@pytest.mark.parametrize("expr,names", [
    ("F.softshrink(x)", "x"), ("F.hardshrink(x)", "x"), ("F.threshold(x, 0.1, 2.0)", "x"),
    ("F.rrelu(x)", "x"),
    ("F.glu(x)", "x"), ("F.prelu(x, w)", "xw"), ("F.prelu(x.reshape(1, 2, 2), v)", "xv"), ("F.celu(x)", "x"),
    ("F.celu(x, 0.5)", "x"), ("F.celu_(x * 1)", "x"), ("F.kl_div(x, x.abs(), reduction='sum')", "x")])
def test_double_backward_nodes_and_zero_derivatives(close, expr, names):
    """The first gradient's node is torch's backward-of-backward, and its derivative w.r.t. inputs that
    only select a branch is a zero tensor (not None), as in torch."""
    def prog(torch, see):
        x = torch.tensor([0.0, -2.0, -0.3, 1.5], dtype=torch.float64, requires_grad=True)
        w = torch.tensor([0.3], dtype=torch.float64, requires_grad=True)
        v = torch.tensor([0.3, -0.2], dtype=torch.float64, requires_grad=True)
        r = _run(expr, torch, locals())
        used = [{"x": x, "w": w, "v": v}[n] for n in names]
        weights = torch.arange(1.0, r.numel() + 1, dtype=r.dtype).reshape(r.shape)
        gs = torch.autograd.grad((r * weights).sum(), used, create_graph=True)
        see(*[(g, type(g.grad_fn).__name__) for g in gs])
        for g in gs:
            see(*torch.autograd.grad(g.sum(), used, allow_unused=True, retain_graph=True))
    close(prog)
