"""The graph of a create_graph gradient, compared with torch's: torch's backward formulas are C++
(derivatives.yaml, FunctionsManual.cpp), so `grad * 2.0` records MulBackward1 (mul.Scalar),
`x + 1` AddBackward1, `grad / numel` DivBackward1, `.masked_fill_(...)` MaskedFillBackward0.
For each op of the table: the gradient's grad_fn tree (names, edge order, None edges) three levels
deep, the gradient's values and a second-order gradient's values."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

import numtorch
import numtorch.nn  # noqa: F401  (binds numtorch.nn.functional)

torch = pytest.importorskip("torch")

_X = [[1.5, 0.5, 0.25], [1.0, 2.0, 0.75]]
_W = [[0.3, -1.2, 0.7], [2.0, 0.4, -0.6]]


def _ops(L):
    F = L.nn.functional

    def const(rows):
        return L.tensor(rows, dtype=L.float64)
    return {
        # unary
        "exp": lambda x: x.exp(), "exp2": lambda x: x.exp2(), "expm1": lambda x: x.expm1(),
        "log": lambda x: x.log(), "log2": lambda x: x.log2(), "log10": lambda x: x.log10(),
        "log1p": lambda x: x.log1p(), "sqrt": lambda x: x.sqrt(), "rsqrt": lambda x: x.rsqrt(),
        "sin": lambda x: x.sin(), "cos": lambda x: x.cos(), "tan": lambda x: x.tan(),
        "tanh": lambda x: x.tanh(), "sigmoid": lambda x: x.sigmoid(), "asin": lambda x: (x / 4).asin(),
        "acos": lambda x: (x / 4).acos(), "atan": lambda x: x.atan(), "sinh": lambda x: x.sinh(),
        "cosh": lambda x: x.cosh(), "reciprocal": lambda x: x.reciprocal(), "neg": lambda x: -x,
        "abs": lambda x: (x - 1).abs(), "sgn": lambda x: (x - 1).sgn() * x, "relu": lambda x: (x - 1).relu(),
        "frac": lambda x: x.frac(), "erf": lambda x: x.erf(), "erfc": lambda x: x.erfc(),
        "square": lambda x: x.square(), "pow2": lambda x: x.pow(2), "pow.5": lambda x: x.pow(0.5),
        "pow3": lambda x: x ** 3, "pow_tensor": lambda x: x.pow(x * 2), "rpow": lambda x: 2 ** x,
        "clamp": lambda x: x.clamp(0.4, 1.2), "clamp_min": lambda x: x.clamp_min(0.6),
        # binary, with broadcasting
        "add": lambda x: x + x * 2, "add_alpha": lambda x: L.add(x, x * 2, alpha=3),
        "sub": lambda x: x - x.sin(), "mul": lambda x: x * x.sin(), "div": lambda x: x / (x * 2),
        "rdiv": lambda x: 2 / x, "remainder": lambda x: x % 0.7, "fmod": lambda x: x.fmod(0.7),
        "atan2": lambda x: x.atan2(x * 2), "hypot": lambda x: x.hypot(x * 2),
        "xlogy": lambda x: x.xlogy(x * 2),
        "maximum": lambda x: L.maximum(x, x.flip(1)), "minimum": lambda x: L.minimum(x, x.flip(1)),
        "lerp": lambda x: x.lerp(x * 2, 0.25), "lerp_tensor": lambda x: x.lerp(x * 2, x / 4),
        "where": lambda x: L.where(x > 0.8, x.sin(), x.cos()),
        "bcast_mul": lambda x: x * x[0], "bcast_div": lambda x: x / x[:, :1],
        "bcast_add": lambda x: x[:1] + x.t()[:, :1],
        # reductions
        "sum": lambda x: x.sum(1), "sum_all": lambda x: x.sum(), "mean": lambda x: x.mean(1),
        "mean_all": lambda x: x.mean(), "prod": lambda x: x.prod(1), "prod_all": lambda x: x.prod(),
        "amax": lambda x: x.amax(1), "amax_all": lambda x: x.amax(), "amin": lambda x: x.amin(0),
        "max_all": lambda x: x.max(), "max_dim": lambda x: x.max(1)[0], "min_dim": lambda x: x.min(0).values,
        "var": lambda x: x.var(1), "std": lambda x: x.std(1), "var_all": lambda x: x.var(),
        "std_all": lambda x: x.std(), "var_keepdim": lambda x: x.var(0, keepdim=True),
        "std_corr0": lambda x: x.std(1, correction=0),
        "nansum": lambda x: x.nansum(1), "nanmean": lambda x: x.nanmean(1),
        "nanmean_all": lambda x: x.nanmean(),
        "norm": lambda x: x.norm(dim=1), "norm_all": lambda x: x.norm(), "norm1": lambda x: x.norm(1, dim=1),
        "norm3": lambda x: x.norm(3, dim=1), "norm1.5": lambda x: x.norm(1.5),
        "norm.5": lambda x: x.norm(0.5, 1),
        "norm_inf": lambda x: x.norm(float("inf"), 1), "norm_keepdim": lambda x: x.norm(dim=0, keepdim=True),
        "logsumexp": lambda x: x.logsumexp(1), "softmax": lambda x: x.softmax(1),
        "log_softmax": lambda x: x.log_softmax(1), "cumsum": lambda x: x.cumsum(1),
        "cumprod": lambda x: x.cumprod(1),
        # nn.functional activations
        "gelu": lambda x: F.gelu(x), "gelu_tanh": lambda x: F.gelu(x, approximate="tanh"),
        "silu": lambda x: F.silu(x), "softplus": lambda x: F.softplus(x), "elu": lambda x: F.elu(x - 1),
        "selu": lambda x: F.selu(x - 1), "celu": lambda x: F.celu(x - 1, 0.5), "mish": lambda x: F.mish(x),
        "leaky_relu": lambda x: F.leaky_relu(x - 1, 0.1), "hardtanh": lambda x: F.hardtanh(x - 1),
        "relu6": lambda x: F.relu6(x * 4), "hardsigmoid": lambda x: F.hardsigmoid(x),
        "hardswish": lambda x: F.hardswish(x),
        "logsigmoid": lambda x: F.logsigmoid(x), "softsign": lambda x: F.softsign(x),
        "tanhshrink": lambda x: F.tanhshrink(x), "softshrink": lambda x: F.softshrink(x),
        "hardshrink": lambda x: F.hardshrink(x, 0.6), "glu": lambda x: F.glu(x.repeat(1, 2), 1),
        "normalize": lambda x: F.normalize(x), "threshold": lambda x: F.threshold(x, 0.6, 0.0),
        "softmin": lambda x: F.softmin(x, 1),
        # losses
        "mse": lambda x: F.mse_loss(x, const(_W)), "l1": lambda x: F.l1_loss(x, const(_W)),
        "smooth_l1": lambda x: F.smooth_l1_loss(x, const(_W)),
        "huber": lambda x: F.huber_loss(x, const(_W), delta=0.5),
        "bce": lambda x: F.binary_cross_entropy(x / 3, const(_X) / 2.5),
        "bce_logits": lambda x: F.binary_cross_entropy_with_logits(x, const(_X) / 2.5),
        "cross_entropy": lambda x: F.cross_entropy(x, L.tensor([2, 0])),
        "nll": lambda x: F.nll_loss(x.log_softmax(1), L.tensor([1, 2])),
        "kl_div": lambda x: F.kl_div(x.log(), const(_X) / 3, reduction="batchmean"),
        "poisson_nll": lambda x: F.poisson_nll_loss(x, const(_X)),
        "cosine_similarity": lambda x: F.cosine_similarity(x, const(_W)),
        "soft_margin": lambda x: F.soft_margin_loss(x, const([[1.0, -1.0, 1.0], [-1.0, 1.0, 1.0]])),
        "gaussian_nll": lambda x: F.gaussian_nll_loss(x, const(_W), x * 0 + 0.5),
        # matmul family
        "mm": lambda x: x.mm(x.t() * 1), "matmul": lambda x: x @ const(_W).t(), "mv": lambda x: x.mv(x[0]),
        "dot": lambda x: x[0].dot(x[1]), "bmm": lambda x: x[None].bmm(x.t()[None]),
        "outer": lambda x: x[0].outer(x[1]),
        "linear": lambda x: F.linear(x, const(_W), const([0.5, -0.5])),
        "einsum": lambda x: L.einsum("ij,kj->ik", x, x),
        # indexing and views
        "select": lambda x: x[0], "slice": lambda x: x[:, 1:], "index": lambda x: x[[1, 0, 1]],
        "index_select": lambda x: x.index_select(1, L.tensor([2, 0])),
        "gather": lambda x: x.gather(1, L.tensor([[0, 0], [2, 1]])),
        "masked_fill": lambda x: x.masked_fill(x > 1.2, 0.0),
        "masked_select": lambda x: x.masked_select(x > 0.6),
        "narrow": lambda x: x.narrow(1, 1, 2), "flip": lambda x: x.flip(0), "roll": lambda x: x.roll(1, 1),
        "transpose": lambda x: x.t(), "permute": lambda x: x.permute(1, 0),
        "squeeze_all": lambda x: x.reshape(2, 1, 3).squeeze(), "squeeze_0d": lambda x: x.sum().squeeze(),
        "expand": lambda x: x[:, :1].expand(2, 3),
        "repeat": lambda x: x.repeat(2, 1), "cat": lambda x: L.cat([x, x * 2]),
        "stack": lambda x: L.stack([x, x.sin()]),
        "split": lambda x: x.split(1, 1)[1], "reshape": lambda x: x.reshape(3, 2), "tril": lambda x: x.tril(),
        # norms
        "layer_norm": lambda x: F.layer_norm(x, (3,)),
        "layer_norm_affine": lambda x: F.layer_norm(x, (3,), const([1.0, 2.0, 0.5]), const([0.0, 1.0, 0.0])),
        "group_norm": lambda x: F.group_norm(x[None], 2),
        "batch_norm": lambda x: F.batch_norm(x, None, None, training=True),
        "instance_norm": lambda x: F.instance_norm(x[None]),
        "vector_norm": lambda x: L.linalg.vector_norm(x, 2, 1),
    }


NAMES = list(_ops(numtorch))


def _tree(fn, depth=3):
    if fn is None or depth == 0:
        return None
    return (fn.name(), tuple(_tree(f, depth - 1) for f, _ in fn.next_functions))


def _arr(t):
    return None if t is None else np.array(t.detach().tolist(), dtype=np.float64)


def observe(L, name):
    """(gradient's graph, gradient, second-order gradient) of exp(op(x)) at a fixed point."""
    x = L.tensor(_X, dtype=L.float64, requires_grad=True) * 1
    w = L.tensor(_W, dtype=L.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        y = _ops(L)[name](x).exp()
        g, = L.autograd.grad(y, x, L.ones(y.shape, dtype=y.dtype), create_graph=True)
        gg = None
        if g.requires_grad:
            gg, = L.autograd.grad((g * w).sum(), x, allow_unused=True)
    return _tree(g.grad_fn), _arr(g), _arr(gg)


def _outcome(L, name):
    try:
        return observe(L, name)
    except Exception as e:  # (torch has no double backward for some ops: the same error is expected)
        return type(e).__name__, str(e), None


# torch's derivative is an op of its own (SmoothL1LossBackwardBackward0, NativeLayerNormBackwardBackward0,
# ...); numtorch still composes these from pointwise ops (the values match, the graphs do not)
_OWN_BACKWARD_OPS = {"smooth_l1", "huber", "bce", "soft_margin", "layer_norm", "layer_norm_affine"}


_XFAIL = pytest.mark.xfail(reason="derivative is an op of its own in torch", strict=True)


@pytest.mark.parametrize("name", [pytest.param(n, marks=_XFAIL) if n in _OWN_BACKWARD_OPS else n
                                  for n in NAMES])
def test_gradient_graph_and_values_match_torch(name):
    e_tree, e_g, e_gg = _outcome(torch, name)
    n_tree, n_g, n_gg = _outcome(numtorch, name)
    assert n_tree == e_tree
    if isinstance(e_g, str) or isinstance(n_g, str):  # an error: its text
        assert n_g == e_g
        return
    np.testing.assert_allclose(n_g, e_g, rtol=1e-12, atol=1e-12)
    assert (n_gg is None) == (e_gg is None)
    if e_gg is not None:
        np.testing.assert_allclose(n_gg, e_gg, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("name", sorted(_OWN_BACKWARD_OPS))
def test_composed_derivatives_values_match_torch(name):
    """Where the graphs still differ, the gradient and second-order gradient agree."""
    _, e_g, e_gg = observe(torch, name)
    _, n_g, n_gg = observe(numtorch, name)
    np.testing.assert_allclose(n_g, e_g, rtol=1e-12, atol=1e-12)
    if e_gg is not None:
        np.testing.assert_allclose(n_gg, e_gg, rtol=1e-10, atol=1e-10)
