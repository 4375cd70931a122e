"""Loss functions and loss modules against torch: values and gradients for every reduction, the
whole backward graph (node names), argument errors in ATen's order, and warnings."""
from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(1)
LOGITS = RNG.standard_normal((6, 4)).astype(np.float32)
TARGET = np.array([0, 3, 1, 1, 2, 0])
PROBS = (lambda e: e / e.sum(1, keepdims=True))(np.exp(RNG.standard_normal((6, 4)))).astype(np.float32)
CLASS_W = np.array([0.5, 2.0, 1.0, 0.25], np.float32)
Y = RNG.standard_normal((6, 4)).astype(np.float32)
REDUCTIONS = ["mean", "sum", "none"]



# ---- cross_entropy / nll_loss ------------------------------------------------------------------
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("ignore_index", [-100, 1])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.2])
def test_cross_entropy_class_indices(close, graph, reduction, weighted, ignore_index, label_smoothing):
    def prog(torch, see):
        x = torch.tensor(LOGITS, requires_grad=True)
        loss = torch.nn.functional.cross_entropy(
            x, torch.tensor(TARGET), weight=torch.tensor(CLASS_W) if weighted else None,
            ignore_index=ignore_index, reduction=reduction, label_smoothing=label_smoothing)
        see(loss, graph(loss))
        (loss * 1.5).sum().backward()
        see(x.grad)
    close(prog)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.3])
def test_cross_entropy_probabilities(close, graph, reduction, weighted, label_smoothing):
    def prog(torch, see):
        x = torch.tensor(LOGITS, requires_grad=True)
        loss = torch.nn.functional.cross_entropy(
            x, torch.tensor(PROBS), weight=torch.tensor(CLASS_W) if weighted else None,
            reduction=reduction, label_smoothing=label_smoothing)
        see(loss, graph(loss))
        (loss * 1.5).sum().backward()
        see(x.grad)
    close(prog)


@pytest.mark.parametrize("shape,tshape", [((4,), ()), ((2, 4, 3), (2, 3)), ((2, 4, 3, 2), (2, 3, 2)),
                                          ((2, 4, 2, 1, 3), (2, 2, 1, 3))])
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("label_smoothing", [0.0, 0.2])
def test_cross_entropy_other_ranks(close, graph, shape, tshape, reduction, label_smoothing):
    x0 = RNG.standard_normal(shape).astype(np.float32)
    t0 = RNG.integers(0, 4, tshape)

    def prog(torch, see):
        x = torch.tensor(x0, requires_grad=True)
        loss = torch.nn.functional.cross_entropy(x, torch.tensor(t0), reduction=reduction, ignore_index=1,
                                                 weight=torch.tensor(CLASS_W),
                                                 label_smoothing=label_smoothing)
        see(loss, graph(loss))
        (loss * 2).sum().backward()
        see(x.grad)
    close(prog)


def test_nll_loss_reductions_and_double_backward(close, graph):
    def prog(torch, see):
        F = torch.nn.functional
        x = torch.tensor(LOGITS.astype(np.float64), requires_grad=True)
        for reduction in REDUCTIONS:
            loss = F.nll_loss(F.log_softmax(x, 1), torch.tensor(TARGET), reduction=reduction, ignore_index=3)
            see(loss, graph(loss))
        loss = F.nll_loss(x, torch.tensor(TARGET))
        (g,) = torch.autograd.grad(loss, x, create_graph=True)
        see(g.detach(), g.requires_grad)
        empty = torch.zeros(0, dtype=torch.long)
        see(F.nll_loss(x, torch.full((6,), -100)), F.nll_loss(torch.zeros(0, 3), empty),
            F.nll_loss(torch.zeros(0, 3), empty, reduction="sum"))
        see(F.nll_loss(x[0], torch.tensor([2]), reduction="none"),
            F.nll_loss(x, torch.tensor(TARGET, dtype=torch.uint8)))
    close(prog)


CE_ERRORS = [
    lambda torch, x: torch.nn.functional.cross_entropy(x, torch.tensor([0, 1, 2])),
    lambda torch, x: torch.nn.functional.cross_entropy(x, torch.tensor([0, 1, 2, 4, 0, 0])),
    lambda torch, x: torch.nn.functional.cross_entropy(x, torch.tensor([0, 1, 2, -2, 0, 0])),
    lambda torch, x: torch.nn.functional.cross_entropy(x, torch.tensor(TARGET, dtype=torch.int32)),
    lambda torch, x: torch.nn.functional.cross_entropy(x, torch.zeros(6)),
    lambda torch, x: torch.nn.functional.cross_entropy(x, torch.zeros(6, 4, dtype=torch.long)),
    lambda torch, x: torch.nn.functional.cross_entropy(x, torch.zeros(6, 4), ignore_index=0),
    lambda torch, x: torch.nn.functional.cross_entropy(x, torch.zeros(6, 2, dtype=torch.long)),
    lambda torch, x: torch.nn.functional.cross_entropy(x, torch.tensor(TARGET), label_smoothing=1.5),
    lambda torch, x: torch.nn.functional.cross_entropy(x, torch.zeros(6, 4), label_smoothing=2.0),
    lambda torch, x: torch.nn.functional.cross_entropy(x, torch.tensor(TARGET), reduction="avg"),
    lambda torch, x: torch.nn.functional.cross_entropy(x, torch.tensor(TARGET), weight=torch.ones(3)),
    lambda torch, x: torch.nn.functional.cross_entropy(x, torch.zeros(6, 4), weight=torch.ones(3)),
    lambda torch, x: torch.nn.functional.cross_entropy(x[0, 0], torch.tensor(1)),
    lambda torch, x: torch.nn.functional.cross_entropy(x.long(), torch.tensor(TARGET)),
    lambda torch, x: torch.nn.functional.cross_entropy(x.view(6, 4, 1), torch.zeros(6, 2, dtype=torch.long)),
    lambda torch, x: torch.nn.functional.nll_loss(x[0, 0], torch.tensor(1)),
    lambda torch, x: torch.nn.functional.nll_loss(x[0], torch.tensor([1, 2])),
    lambda torch, x: torch.nn.functional.nll_loss(x, torch.tensor(TARGET), weight=torch.ones(4).double()),
    lambda torch, x: torch.nn.functional.nll_loss(x, torch.tensor(TARGET),
                                                  weight=torch.ones(4, requires_grad=True)),
    lambda torch, x: torch.nn.functional.nll_loss(x.view(6, 4, 1, 1), torch.zeros(6, 1, 2, dtype=torch.long)),
    lambda torch, x: torch.nn.functional.nll_loss(x.view(6, 4, 1, 1), torch.zeros(6, 1, dtype=torch.long)),
    lambda torch, x: torch.nn.functional.nll_loss(x.view(6, 4, 1, 1), torch.zeros(6, 1, 1, dtype=torch.long),
                                                  weight=torch.ones(2)),
]


@pytest.mark.parametrize("case", range(len(CE_ERRORS)))
def test_cross_entropy_and_nll_errors(close, case):
    def prog(torch, see):
        CE_ERRORS[case](torch, torch.tensor(LOGITS, requires_grad=True))
    close(prog)


def test_legacy_reduction_arguments_warn(close):
    def prog(torch, see):
        x = torch.tensor(LOGITS)
        see(torch.nn.functional.cross_entropy(x, torch.tensor(TARGET), size_average=False))
        see(torch.nn.functional.nll_loss(x, torch.tensor(TARGET), reduce=False))
        see(torch.nn.CrossEntropyLoss(reduce=False)(x, torch.tensor(TARGET)))
    close(prog)


# ---- regression losses -------------------------------------------------------------------------
@pytest.mark.parametrize("fn,kwargs", [("mse_loss", {}), ("l1_loss", {}), ("smooth_l1_loss", {}),
                                       ("smooth_l1_loss", {"beta": 0.5}), ("smooth_l1_loss", {"beta": 0.0}),
                                       ("huber_loss", {}), ("huber_loss", {"delta": 0.3})])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_regression_losses(close, graph, fn, kwargs, reduction):
    def prog(torch, see):
        x = torch.tensor(LOGITS, requires_grad=True)
        y = torch.tensor(Y, requires_grad=True)
        loss = getattr(torch.nn.functional, fn)(x, y, reduction=reduction, **kwargs)
        see(loss, graph(loss))
        (loss * 1.5).sum().backward()
        see(x.grad, y.grad)
    close(prog)


@pytest.mark.parametrize("fn", ["mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss"])
def test_regression_losses_broadcast_warn_and_errors(close, graph, fn):
    def prog(torch, see):
        F = getattr(torch.nn.functional, fn)
        x = torch.tensor(LOGITS, requires_grad=True)
        loss = F(x, torch.tensor(Y[0]))
        see(loss, graph(loss))
        loss.backward()
        see(x.grad)
        for thunk in (lambda: F(x, torch.ones(3)), lambda: F(x, torch.tensor(Y), reduction="avg")):
            try:
                thunk()
            except (RuntimeError, ValueError) as e:
                see(type(e).__name__, str(e))
    close(prog)


@pytest.mark.parametrize("fn", ["mse_loss", "l1_loss", "huber_loss"])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_weighted_regression_losses(close, graph, fn, reduction):
    def prog(torch, see):
        x = torch.tensor(LOGITS, requires_grad=True)
        loss = getattr(torch.nn.functional, fn)(x, torch.tensor(Y), reduction=reduction,
                                                weight=torch.tensor(np.abs(Y)))
        see(loss, graph(loss))
        loss.sum().backward()
        see(x.grad)
        getattr(torch.nn.functional, fn)(x, torch.tensor(Y), weight=torch.ones(4))
    close(prog)


def test_regression_argument_errors(close):
    def prog(torch, see):
        F = torch.nn.functional
        x = torch.tensor(LOGITS)
        for thunk in (lambda: F.smooth_l1_loss(x, x, beta=-1.0), lambda: F.huber_loss(x, x, delta=0.0)):
            try:
                thunk()
            except RuntimeError as e:
                see(str(e))
    close(prog)


# ---- binary cross entropy ----------------------------------------------------------------------
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
def test_binary_cross_entropy(close, graph, reduction, weighted):
    p0 = np.concatenate([PROBS[:5], [[0.0, 1.0, 0.5, 1e-30]]]).astype(np.float32)

    def prog(torch, see):
        x = torch.tensor(LOGITS, requires_grad=True)
        t = torch.tensor(p0, requires_grad=True)
        w = torch.tensor(CLASS_W) if weighted else None
        loss = torch.nn.functional.binary_cross_entropy(x.sigmoid(), t, weight=w, reduction=reduction)
        see(loss, graph(loss))
        (loss * 1.5).sum().backward()
        see(x.grad, t.grad)
        see(torch.nn.functional.binary_cross_entropy(torch.tensor(p0), torch.tensor(PROBS), reduction="none"))
    close(prog)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("pos_weighted", [False, True])
def test_binary_cross_entropy_with_logits(close, graph, reduction, weighted, pos_weighted):
    def prog(torch, see):
        x = torch.tensor(LOGITS * 8, requires_grad=True)
        t = torch.tensor(PROBS, requires_grad=True)
        loss = torch.nn.functional.binary_cross_entropy_with_logits(
            x, t, weight=torch.tensor(CLASS_W) if weighted else None, reduction=reduction,
            pos_weight=torch.tensor(CLASS_W[::-1].copy()) if pos_weighted else None)
        see(loss, graph(loss))
        (loss * 1.5).sum().backward()
        see(x.grad, t.grad)
    close(prog)


BCE_ERRORS = [
    lambda torch, x: torch.nn.functional.binary_cross_entropy(x, torch.tensor(PROBS)),
    lambda torch, x: torch.nn.functional.binary_cross_entropy(x.sigmoid(), torch.tensor(PROBS[0])),
    lambda torch, x: torch.nn.functional.binary_cross_entropy(x.sigmoid(), torch.tensor(PROBS) * 2),
    lambda torch, x: torch.nn.functional.binary_cross_entropy(x.sigmoid(), torch.tensor(PROBS),
                                                              weight=torch.ones(4, requires_grad=True)),
    lambda torch, x: torch.nn.functional.binary_cross_entropy_with_logits(x, torch.tensor(PROBS[0])),
    lambda torch, x: torch.nn.functional.binary_cross_entropy_with_logits(
        x, torch.tensor(PROBS), pos_weight=torch.ones(4, requires_grad=True)),
]


@pytest.mark.parametrize("case", range(len(BCE_ERRORS)))
def test_binary_cross_entropy_errors(close, case):
    def prog(torch, see):
        BCE_ERRORS[case](torch, torch.tensor(LOGITS, requires_grad=True))
    close(prog)


# ---- loss modules ------------------------------------------------------------------------------
MODULES = [
    ("CrossEntropyLoss", {}, "classes"),
    ("CrossEntropyLoss", {"label_smoothing": 0.1, "reduction": "sum"}, "classes"),
    ("CrossEntropyLoss", {"weight": CLASS_W, "ignore_index": 0}, "classes"), ("NLLLoss", {}, "classes"),
    ("MSELoss", {}, "values"), ("L1Loss", {"reduction": "none"}, "values"),
    ("SmoothL1Loss", {"beta": 0.5}, "values"), ("HuberLoss", {"delta": 2.0}, "values"),
    ("BCELoss", {}, "probs"), ("BCEWithLogitsLoss", {"pos_weight": CLASS_W}, "probs"),
]


@pytest.mark.parametrize("name,kwargs,kind", MODULES)
def test_loss_modules(close, name, kwargs, kind):
    def prog(torch, see):
        kw = {k: torch.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
        m = getattr(torch.nn, name)(**kw)
        see(repr(m), m.reduction, [n for n, _ in m.named_buffers()], list(m.state_dict()))
        x = torch.tensor(LOGITS, requires_grad=True)
        target = torch.tensor({"classes": TARGET, "values": Y, "probs": PROBS}[kind])
        inp = x.sigmoid() if name == "BCELoss" else x
        loss = m(inp, target)
        see(loss)
        loss.sum().backward()
        see(x.grad)
    close(prog)


def test_loss_module_argument_errors(close):
    def prog(torch, see):
        try:
            torch.nn.HuberLoss(delta="1")
        except TypeError as e:
            see(str(e))
        torch.nn.MSELoss(reduction="avg")(torch.ones(2), torch.ones(2))
    close(prog)


# ---- bad inputs of the issue-9 sweep: torch's Python code (legacy reduction arguments, p) runs
# before the binding checks its arguments; kernels' dtype checks in ATen's order; empty inputs
LOSS_BAD_INPUTS = [
    "F.kl_div(x, 0, i)", "F.kl_div(x, 99, x)", "F.kl_div(x, 0)", "F.kl_div(x, x, log_target=1)",
    "F.soft_margin_loss(x, 0, i)", "F.soft_margin_loss(x, 0)", "F.multilabel_margin_loss(x, 99, x)",
    "F.multilabel_margin_loss(x, 0)", "F.multi_margin_loss(x, 0, None)",
    "F.multi_margin_loss(x, 0, 'abc')",
    "F.multi_margin_loss(x, 0, i)", "F.multi_margin_loss(x, 0, 1.5)", "F.multi_margin_loss(x, 0)",
    "F.multi_margin_loss(x, i[:, 0], 1, 'm')",
    "F.soft_margin_loss(i, i)", "F.soft_margin_loss(i, x)", "F.soft_margin_loss(i, x.double())",
    "F.soft_margin_loss(b, b)", "F.soft_margin_loss(b, x)", "F.soft_margin_loss(x, b)",
    "F.binary_cross_entropy(i, i)", "F.binary_cross_entropy(b, b)", "F.binary_cross_entropy(p, i)",
    "F.binary_cross_entropy(i, p)", "F.binary_cross_entropy(p, p.double())",
    "F.binary_cross_entropy(torch.zeros(0), torch.zeros(0, dtype=torch.long))",
    "F.binary_cross_entropy_with_logits(x, i)", "F.binary_cross_entropy_with_logits(i, i)",
    "F.binary_cross_entropy_with_logits(b, b)", "F.binary_cross_entropy_with_logits(x, b)",
    "F.binary_cross_entropy_with_logits(i, x)", "F.binary_cross_entropy_with_logits(x.double(), i)",
    "F.huber_loss(i, i)", "F.huber_loss(b, b)", "F.huber_loss(i, x)", "F.huber_loss(b, x)",
    "F.huber_loss(x, i)",
    "F.smooth_l1_loss(i, i)", "F.smooth_l1_loss(b, b)", "F.smooth_l1_loss(i, x)",
    "F.nll_loss(torch.zeros(0), torch.zeros(0))", "F.nll_loss(torch.zeros(3), torch.zeros(2))",
    "F.nll_loss(torch.zeros(3), torch.zeros(2, dtype=torch.long))",
    "F.cross_entropy(torch.zeros(0, requires_grad=True), torch.zeros(0))",
    "F.cross_entropy(torch.zeros(2, 0), torch.zeros(2, 0), weight=torch.zeros(0))",
    "torch.hinge_embedding_loss(i, i)", "torch.hinge_embedding_loss(x, x.sign())",
    "torch.kl_div(x, x.abs())", "torch.margin_ranking_loss(x, x * 2, x.sign())",
    "torch.cosine_embedding_loss(x, x * 2, x[:, 0].sign())", "torch.triplet_margin_loss(x, x * 2, x * 3)",
]


@pytest.mark.parametrize("expr", LOSS_BAD_INPUTS)
def test_loss_bad_inputs(close, expr):
    def prog(torch, see):
        i = torch.tensor([[1, 0, 2], [2, 1, 0]])
        env = dict(F=torch.nn.functional, x=torch.tensor([[0.5, -1.25, 2.0], [0.0, 3.5, -0.75]]),
                   p=torch.tensor([[0.5, 0.25, 1.0], [0.0, 0.5, 0.75]]), i=i, b=i > 0)
        r = eval(expr, {"torch": torch}, env)
        see(r, type(r.grad_fn).__name__)
    close(prog)


# ---- 'mean' over an empty input: nan, and an empty gradient (mse_loss_backward divided by 0) --------
_EMPTY_LOSSES = {
    "mse": lambda F, x, t, r: F.mse_loss(x, t, reduction=r),
    "l1": lambda F, x, t, r: F.l1_loss(x, t, reduction=r),
    "smooth_l1": lambda F, x, t, r: F.smooth_l1_loss(x, t, reduction=r),
    "huber": lambda F, x, t, r: F.huber_loss(x, t, reduction=r),
    "bce": lambda F, x, t, r: F.binary_cross_entropy(x.sigmoid(), t, reduction=r),
    "bce_logits": lambda F, x, t, r: F.binary_cross_entropy_with_logits(x, t, reduction=r),
    "soft_margin": lambda F, x, t, r: F.soft_margin_loss(x, t.detach(), reduction=r),
}


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", sorted(_EMPTY_LOSSES))
@pytest.mark.parametrize("shape", [(0,), (2, 0)])
def test_loss_of_empty_input_backward(same, name, reduction, shape):
    def prog(torch, see):
        x = torch.zeros(shape, requires_grad=True)
        t = torch.zeros(shape, requires_grad=True)
        loss = _EMPTY_LOSSES[name](torch.nn.functional, x, t, reduction)
        see(loss)
        loss.sum().backward()
        see(x.grad, t.grad)
    same(prog)
