"""nn.functional against torch: values, gradients (first and second order), graphs (node names of
the whole backward graph), in-place variants, warnings and error texts."""
from __future__ import annotations

import numpy as np
import pytest

import numtorch as nt
import numtorch.nn  # noqa: F401  (binds numtorch.nn for programs written against `torch.nn`)

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(0)
X = RNG.standard_normal((4, 5)).astype(np.float32)
X3 = RNG.standard_normal((2, 3, 5)).astype(np.float32)
W = RNG.standard_normal((6, 5)).astype(np.float32)
B = RNG.standard_normal(6).astype(np.float32)
G = RNG.standard_normal((4, 5)).astype(np.float32)
G3 = RNG.standard_normal((2, 3, 5)).astype(np.float32)


# ---- linear ------------------------------------------------------------------------------------
@pytest.mark.parametrize("shape", [(4, 5), (2, 3, 5), (5,), (2, 2, 2, 5)])
@pytest.mark.parametrize("with_bias", [True, False])
def test_linear_values_grads_and_graph(close, graph, shape, with_bias):
    x0 = RNG.standard_normal(shape).astype(np.float32)

    def prog(torch, see):
        F = torch.nn.functional
        x = torch.tensor(x0, requires_grad=True)
        w = torch.tensor(W, requires_grad=True)
        b = torch.tensor(B, requires_grad=True) if with_bias else None
        y = F.linear(x, w, b)
        see(y, graph(y))
        (y * y).sum().backward()
        see(x.grad, w.grad, b.grad if with_bias else None)
    close(prog)


def test_linear_noncontiguous_input_uses_matmul_and_add_(close, graph):
    def prog(torch, see):
        x = torch.tensor(X3, requires_grad=True)
        w = torch.tensor(W[:, :3], requires_grad=True)
        y = torch.nn.functional.linear(x.transpose(1, 2), w, torch.tensor(B, requires_grad=True))
        see(y, graph(y))
        y.sum().backward()
        see(x.grad, w.grad)
    close(prog)


def test_linear_errors(close):
    def prog(torch, see):
        F = torch.nn.functional
        x = torch.tensor(X)
        for thunk in (lambda: F.linear(x, torch.ones(2, 4)),
                      lambda: F.linear(x.double(), torch.ones(2, 5)),
                      lambda: F.linear(x, torch.ones(2, 5), torch.ones(3)),
                      lambda: F.linear(x, torch.ones(2, 5), torch.ones(2).double())):
            try:
                thunk()
            except RuntimeError as e:
                see(str(e))
    close(prog)


_LINEAR_INPUTS = [(3,), (2, 3), (2, 4), (2, 2, 3), (2, 2, 3, "t"), (2, 1, 2, 3), (0, 3)]
_LINEAR_WEIGHTS = [(3,), (4, 3), (4, 2), (2, 4, 3), (4, 0)]
_LINEAR_BIASES = [None, (4,), (2, 4), (), (3,), (1,), (5,), (1, 4), (1, 3), (1, 1), (2, 1, 4), (4, "t")]


@pytest.mark.parametrize("in_shape", _LINEAR_INPUTS)
@pytest.mark.parametrize("dtypes", [("float32",) * 3, ("float32", "float64", "float32"),
                                    ("float64", "float32", "float32"), ("float32", "float32", "float64"),
                                    ("int64", "float32", "int64"), ("float64", "float64", "int64")])
def test_linear_dispatch_errors_and_results(same, in_shape, dtypes):
    """at::linear's dispatch (addmm for 2-D input with a bias, the flattened addmm for contiguous
    input with a 1-D bias, else matmul + add_): the error, shape or dtype, is the one of whichever
    kernel runs, and the graph is that kernel's."""
    transposed = in_shape[-1] == "t"
    shape = tuple(s for s in in_shape if s != "t")

    def prog(torch, see):
        def make(s, dtype):
            n = int(np.prod(s)) if s else 1
            values = (np.arange(n, dtype=np.float64).reshape(s) % 5 - 2).tolist()
            return torch.tensor(values, dtype=getattr(torch, dtype))
        for w_shape in _LINEAR_WEIGHTS:
            for b_shape in _LINEAR_BIASES:
                x = make(shape[:-2] + shape[-1:] + shape[-2:-1], dtypes[0]).transpose(-1, -2) \
                    if transposed else make(shape, dtypes[0])
                if x.is_floating_point():
                    x.requires_grad_()
                try:
                    if b_shape is not None and b_shape[-1] == "t":  # a non-contiguous 1-D bias
                        b = make((b_shape[0], 2), dtypes[2])[:, 0]
                    else:
                        b = None if b_shape is None else make(b_shape, dtypes[2])
                    y = torch.nn.functional.linear(x, make(w_shape, dtypes[1]), b)
                    see((w_shape, b_shape), y, None if y.grad_fn is None else y.grad_fn.name())
                except RuntimeError as e:
                    see((w_shape, b_shape), type(e).__name__, str(e))
    same(prog)


# ---- activations -------------------------------------------------------------------------------
ACTIVATIONS = [
    ("relu", {}), ("relu6", {}), ("hardtanh", {}), ("hardtanh", {"min_val": -0.5, "max_val": 2.0}),
    ("leaky_relu", {}), ("leaky_relu", {"negative_slope": 0.2}), ("elu", {}), ("elu", {"alpha": 0.5}),
    ("gelu", {}), ("gelu", {"approximate": "tanh"}), ("silu", {}), ("sigmoid", {}), ("tanh", {}),
    ("softplus", {}), ("softplus", {"beta": 2.0, "threshold": 1.0}),
]


@pytest.mark.parametrize("name,kwargs", ACTIVATIONS)
def test_activation_values_and_grads(close, name, kwargs):
    x0 = np.concatenate([X.reshape(-1) * 3, [0.0, 1.0, -1.0, 6.0, 0.5, -0.5]]).astype(np.float32)

    def prog(torch, see):
        x = torch.tensor(x0, requires_grad=True)
        y = getattr(torch.nn.functional, name)(x, **kwargs)
        see(y)
        y.backward(torch.ones_like(y) * 0.5)
        see(x.grad)
    close(prog)


@pytest.mark.parametrize("name,kwargs", [a for a in ACTIVATIONS if a[0] != "relu"])
def test_activation_double_backward(close, name, kwargs):
    def prog(torch, see):
        x = torch.tensor(X.reshape(-1)[:8] * 2, requires_grad=True, dtype=torch.float64)
        y = getattr(torch.nn.functional, name)(x, **kwargs)
        (g,) = torch.autograd.grad(y.sum(), x, create_graph=True)
        see(g.detach())
        (gg,) = torch.autograd.grad((g * g).sum(), x)
        see(gg)
    close(prog)


@pytest.mark.parametrize("name,kwargs", [("relu", {}), ("relu6", {}), ("hardtanh", {}),
                                         ("leaky_relu", {"negative_slope": 0.1}), ("elu", {}), ("silu", {})])
def test_inplace_activations(close, name, kwargs):
    def prog(torch, see):
        x = torch.tensor(X, requires_grad=True)
        y = x * 2
        out = getattr(torch.nn.functional, name)(y, inplace=True, **kwargs)
        see(out is y, y, y._version)
        y.sum().backward()
        see(x.grad)
        leaf = torch.tensor(X, requires_grad=True)
        getattr(torch.nn.functional, name)(leaf, inplace=True, **kwargs)
    close(prog)


def test_activation_argument_errors(close):
    def prog(torch, see):
        F = torch.nn.functional
        x = torch.tensor(X)
        for thunk in (lambda: F.gelu(x, approximate="erf"), lambda: F.hardtanh(x, 2.0, 1.0)):
            try:
                thunk()
            except (RuntimeError, ValueError) as e:
                see(type(e).__name__, str(e))
    close(prog)


@pytest.mark.parametrize("fn", ["softmax", "log_softmax"])
@pytest.mark.parametrize("shape", [(5,), (4, 5), (2, 3, 5), (2, 2, 3, 5)])
def test_softmax_implicit_dim_warns_and_picks_torch_dim(close, fn, shape):
    x0 = RNG.standard_normal(shape).astype(np.float32)

    def prog(torch, see):
        x = torch.tensor(x0, requires_grad=True)
        y = getattr(torch.nn.functional, fn)(x)
        see(y)
        (y * torch.tensor(x0)).sum().backward()
        see(x.grad)
        see(getattr(torch.nn.functional, fn)(x, dim=-1, dtype=torch.float64))
    close(prog)


# ---- dropout -----------------------------------------------------------------------------------
def test_dropout_identity_cases_return_the_input(close, graph):
    def prog(torch, see):
        F = torch.nn.functional
        x = torch.tensor(X, requires_grad=True)
        see(F.dropout(x, 0.5, training=False) is x, F.dropout(x, 0.0) is x)
        y = F.dropout(x, 1.0)
        see(y, graph(y))
        try:
            F.dropout(x, 1.5)
        except ValueError as e:
            see(str(e))
    close(prog)


@pytest.mark.parametrize("p", [0.2, 0.5, 0.9])
def test_dropout_mask_scales_kept_values_and_gradient(p):
    nt.manual_seed(1)
    x = nt.tensor(np.ones((200, 50), np.float32) * 3, requires_grad=True)
    y = nt.nn.functional.dropout(x, p)
    assert type(y.grad_fn).__name__ == "MulBackward0"
    kept = y.detach().numpy() != 0
    np.testing.assert_allclose(y.detach().numpy()[kept], np.float32(3) / np.float32(1 - p), rtol=1e-6)
    assert abs(kept.mean() - (1 - p)) < 0.02
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), kept / np.float32(1 - p), rtol=1e-6)
    # the same number in torch: kept values are x / (1 - p)
    t = torch.nn.functional.dropout(torch.ones(10000) * 3, p)
    np.testing.assert_allclose(t[t != 0].numpy(), np.float32(3) / np.float32(1 - p), rtol=1e-6)


def test_dropout_inplace_records_mul(close):
    def prog(torch, see):
        x = torch.tensor(X, requires_grad=True)
        y = x * 1
        torch.nn.functional.dropout(y, 1.0, inplace=True)
        see(y, y._version)
    close(prog)


# ---- layer norm --------------------------------------------------------------------------------
@pytest.mark.parametrize("affine", ["none", "weight", "both"])
@pytest.mark.parametrize("shape", [(5,), (3, 5)])
def test_layer_norm(close, graph, affine, shape):
    def prog(torch, see):
        x = torch.tensor(X3, requires_grad=True)
        w = torch.tensor(RNG_W[: int(np.prod(shape))].reshape(shape), requires_grad=True) \
            if affine != "none" else None
        b = torch.tensor(RNG_B[: int(np.prod(shape))].reshape(shape), requires_grad=True) \
            if affine == "both" else None
        y = torch.nn.functional.layer_norm(x, shape, w, b, eps=1e-4)
        see(y, graph(y))
        (y * torch.tensor(G3)).sum().backward()
        see(x.grad, None if w is None else w.grad, None if b is None else b.grad)
    close(prog)


RNG_W = RNG.standard_normal(15).astype(np.float32)
RNG_B = RNG.standard_normal(15).astype(np.float32)


def test_layer_norm_double_backward(close):
    def prog(torch, see):
        x = torch.tensor(X.astype(np.float64), requires_grad=True)
        w = torch.tensor(RNG_W[:5].astype(np.float64), requires_grad=True)
        y = torch.nn.functional.layer_norm(x, (5,), w)
        (gx, gw) = torch.autograd.grad((y * torch.tensor(G.astype(np.float64))).sum(), (x, w),
                                       create_graph=True)
        see(gx.detach(), gw.detach())
        see(torch.autograd.grad((gx * gx).sum() + gw.sum(), (x, w)))
    close(prog)


def test_layer_norm_errors(close):
    def prog(torch, see):
        F = torch.nn.functional
        x = torch.tensor(X)
        for thunk in (lambda: F.layer_norm(x, (4,)), lambda: F.layer_norm(x, (2, 5)),
                      lambda: F.layer_norm(x, (5,), torch.ones(2)),
                      lambda: F.layer_norm(x, (5,), None, torch.ones(3))):
            try:
                thunk()
            except RuntimeError as e:
                see(str(e))
    close(prog)


# ---- embedding ---------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs", [{}, {"padding_idx": 1}, {"padding_idx": -1},
                                    {"scale_grad_by_freq": True}, {"max_norm": 1.0}])
def test_embedding(close, graph, kwargs):
    def prog(torch, see):
        w = torch.tensor(W, requires_grad=True)
        idx = torch.tensor([[0, 1, 1], [5, 1, 3]])
        y = torch.nn.functional.embedding(idx, w, **kwargs)
        see(y, graph(y))
        (y * torch.arange(15.0).view(1, 3, 5)).sum().backward()
        see(w.grad, w._version)
    close(prog)


def test_embedding_double_backward(close):
    def prog(torch, see):
        w = torch.tensor(W.astype(np.float64), requires_grad=True)
        idx = torch.tensor([0, 2, 2])
        y = torch.nn.functional.embedding(idx, w, padding_idx=0)
        (g,) = torch.autograd.grad((y * y).sum(), w, create_graph=True)
        see(g.detach(), torch.autograd.grad((g * g).sum(), w))
    close(prog)


def test_embedding_errors(close):
    def prog(torch, see):
        F = torch.nn.functional
        w = torch.tensor(W)
        for thunk in (lambda: F.embedding(torch.tensor([6]), w), lambda: F.embedding(torch.tensor([-1]), w),
                      lambda: F.embedding(torch.tensor([1.0]), w),
                      lambda: F.embedding(torch.tensor([1]), w, padding_idx=7)):
            try:
                thunk()
            except (RuntimeError, IndexError, AssertionError) as e:
                see(type(e).__name__, str(e))
        see(F.embedding(torch.tensor([1], dtype=torch.int32), w))
    close(prog)


# ---- pad and one_hot ---------------------------------------------------------------------------
@pytest.mark.parametrize("pad", [(1, 2), (0, 0, 1, 0), (-1, 2), (2, -2, -1, 1), (1, 1, 1, 1, 1, 1)])
def test_constant_pad(close, graph, pad):
    def prog(torch, see):
        x = torch.tensor(X3, requires_grad=True)
        y = torch.nn.functional.pad(x, pad, value=0.5)
        see(y, graph(y))
        (y * y).sum().backward()
        see(x.grad)
    close(prog)


def test_pad_errors(close):
    def prog(torch, see):
        F = torch.nn.functional
        x = torch.tensor(X)
        for thunk in (lambda: F.pad(x, (1,)), lambda: F.pad(x, (1,) * 6), lambda: F.pad(x, (-3, -3)),
                      lambda: F.pad(x, (1, 1), mode="bogus")):
            try:
                thunk()
            except (RuntimeError, NotImplementedError) as e:
                see(type(e).__name__, str(e))
    close(prog)


def test_one_hot(close):
    def prog(torch, see):
        F = torch.nn.functional
        see(F.one_hot(torch.tensor([0, 2, 1])), F.one_hot(torch.tensor([[1], [0]]), 4),
            F.one_hot(torch.tensor([], dtype=torch.long), 3).shape)
        for thunk in (lambda: F.one_hot(torch.tensor([0, 3]), 3), lambda: F.one_hot(torch.tensor([-1])),
                      lambda: F.one_hot(torch.tensor([1.0])),
                      lambda: F.one_hot(torch.tensor([], dtype=torch.long))):
            try:
                thunk()
            except RuntimeError as e:
                see(str(e))
    close(prog)


@pytest.mark.parametrize("expr", ["F.embedding(x, 0, i)", "F.embedding(x, 99, x)", "F.embedding(x, 0, 1.5)",
                                  "F.embedding(x, 0)", "F.embedding(i, w, 1.5)",
                                  "F.embedding(i, w, -1, sparse=1)", "F.embedding(i, w, -1)"])
def test_embedding_padding_idx_before_the_binding_check(close, expr):
    def prog(torch, see):
        env = dict(F=torch.nn.functional, x=torch.tensor([[0.5, -1.25, 2.0], [0.0, 3.5, -0.75]]),
                   i=torch.tensor([[1, 0, 2], [2, 1, 0]]), w=torch.arange(12.0).reshape(4, 3))
        see(eval(expr, {"torch": torch}, env))
    close(prog)


def test_linear_squeezes_a_non_1d_bias_first(close):
    """at::linear tests a bias of N-d input for "1-D once squeezed" with bias.squeeze(), a view:
    an integer bias that requires grad (through index_put_ of a float value) raises autograd's
    dtype error before weight.t()'s dimension check (issue 9: fuzzer campaign 2026, program 014)."""
    def prog(torch, see):
        F = torch.nn.functional

        def int_requiring_grad(*shape):
            t = torch.zeros(*shape, dtype=torch.long)
            t[0] = torch.tensor(1.0, requires_grad=True)
            return t
        t, i, w = int_requiring_grad(4, 2, 3), torch.zeros(4, 2, 3, dtype=torch.long), torch.zeros(3, 3, dtype=torch.long)
        for thunk in (lambda: F.linear(t, t, t), lambda: F.linear(t, t, None), lambda: F.linear(i, w, t),
                      lambda: F.linear(i.transpose(0, 1), w, t.transpose(0, 1)),
                      lambda: F.linear(i, w, int_requiring_grad(1, 3)),
                      lambda: F.linear(i, torch.zeros(2, 3, 3), int_requiring_grad(3))):
            try:
                see(thunk())
            except RuntimeError as e:
                see(str(e))
    close(prog)
