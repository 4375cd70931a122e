"""The forward fast paths of W2 against torch: F.linear's plain addmm (matrix input and weight, a
vector bias of one dtype, non-empty inner dim) beside every call that misses it, cross_entropy's
direct log_softmax + nll_loss for (N, C) floating logits with int64 classes beside the calls that
take the general path, and nn.functional's Python-level argument check skipped for tensor
arguments: values, gradients, graphs, errors and warnings as torch's."""
from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(11)


def _values(shape, dtype="float32", specials=False):
    x = RNG.standard_normal(shape).astype(dtype)
    if specials and x.size >= 6:
        flat = x.reshape(-1)
        flat[:6] = [np.nan, np.inf, -np.inf, -0.0, 0.0, -np.nan]
    return x


# (input shape, weight shape, bias shape or None, input dtype, weight dtype, bias dtype)
LINEAR_CASES = [
    ((128, 256), (10, 256), (10,), "float32", "float32", "float32"),  # W2's last layer: fast
    ((2, 4), (3, 4), (3,), "float64", "float64", "float64"),  # fast, float64
    ((1, 1), (1, 1), (1,), "float32", "float32", "float32"),  # fast, degenerate sizes
    ((0, 4), (3, 4), (3,), "float32", "float32", "float32"),  # fast, no rows
    ((2, 4), (0, 4), (0,), "float32", "float32", "float32"),  # fast, no outputs
    ((2, 0), (3, 0), (3,), "float32", "float32", "float32"),  # empty inner dim: general path
    ((2, 4), (3, 4), (1, 3), "float32", "float32", "float32"),  # 2-D bias: general path
    ((2, 4), (3, 4), (2, 3), "float32", "float32", "float32"),
    ((2, 4), (3, 4), (1,), "float32", "float32", "float32"),  # broadcast bias
    ((2, 4), (3, 4), (), "float32", "float32", "float32"),  # 0-d bias
    ((2, 4), (3, 4), (4,), "float32", "float32", "float32"),  # wrong bias size: expand error
    ((2, 4), (3, 5), (3,), "float32", "float32", "float32"),  # inner sizes differ
    ((2, 4), (3, 4), (3,), "float64", "float32", "float32"),  # dtypes differ
    ((2, 4), (3, 4), (3,), "float32", "float32", "float64"),
    ((2, 4), (3, 4), None, "float32", "float32", None),  # no bias
    ((4,), (3, 4), (3,), "float32", "float32", "float32"),  # vector input
    ((2, 3, 4), (3, 4), (3,), "float32", "float32", "float32"),  # batched input
    ((2, 4), (4,), (), "float32", "float32", "float32"),  # vector weight
    ((2, 4), (2, 3, 4), (3,), "float32", "float32", "float32"),  # 3-D weight: t()'s error
    ((), (3, 4), (3,), "float32", "float32", "float32"),  # 0-d input
]


@pytest.mark.parametrize("case", range(len(LINEAR_CASES)))
@pytest.mark.parametrize("specials", [False, True])
def test_linear_fast_path_and_its_neighbours(close, graph, case, specials):
    xs, ws, bs, xd, wd, bd = LINEAR_CASES[case]
    x, w = _values(xs, xd, specials), _values(ws, wd, specials)
    b = None if bs is None else _values(bs, bd, specials)

    def prog(torch, see):
        xt = torch.tensor(x, requires_grad=True)
        wt = torch.tensor(w, requires_grad=True)
        bt = None if b is None else torch.tensor(b, requires_grad=True)
        out = torch.nn.functional.linear(xt, wt, bt)
        see(out, graph(out), out.stride(), out._version)
        out.backward(torch.ones_like(out) * 0.5)
        see(xt.grad, wt.grad, None if bt is None else bt.grad)
    close(prog)


def test_linear_fast_path_through_modules_views_and_modes(close, graph):
    w, b, xv = _values((3, 4)), _values((3,)), _values((5, 4))

    def prog(torch, see):
        layer = torch.nn.Linear(4, 3)
        with torch.no_grad():
            layer.weight.copy_(torch.tensor(w))
            layer.bias.copy_(torch.tensor(b))
        x = torch.tensor(xv, requires_grad=True)
        out = layer(x[1:])  # a view input
        see(out, graph(out))
        out.sum().backward()
        see(x.grad, layer.weight.grad, layer.bias.grad)
        with torch.no_grad():
            see(layer(x))
        with torch.inference_mode():
            see(layer(x).requires_grad)
        seen = []
        layer.register_forward_hook(lambda m, i, o: seen.append(tuple(o.shape)))
        layer(x)
        see(seen)
        x.detach().t()  # a transposed input: still a matrix, strided
        out = torch.nn.functional.linear(x.detach().t().t(), layer.weight, layer.bias)
        see(out, graph(out))
        see(torch.nn.functional.linear(torch.ones(2, 4, dtype=torch.int64),
                                       torch.ones(3, 4, dtype=torch.int64),
                                       torch.ones(3, dtype=torch.int64)))
        see(torch.nn.functional.linear(torch.ones(2, 4, dtype=torch.bool),
                                       torch.ones(3, 4, dtype=torch.bool), torch.ones(3, dtype=torch.bool)))
    close(prog)


def test_linear_saved_tensor_version_error(close):
    values = _values((2, 4)), _values((3, 4)), _values((3,))

    def prog(torch, see):
        x, w, b = (torch.tensor(v, requires_grad=True) for v in values)
        h = x * 1
        out = torch.nn.functional.linear(h, w, b)
        h.mul_(2)
        out.sum().backward()
    close(prog)


# (logits shape, logits dtype, target values, target dtype, keywords)
CE_CASES = [
    ((128, 10), "float32", "classes", "int64", {}),  # W2: fast
    ((128, 10), "float64", "classes", "int64", {"reduction": "sum"}),
    ((128, 10), "float32", "classes", "int64", {"reduction": "none"}),
    ((128, 10), "float32", "ignored", "int64", {}),
    ((128, 10), "float32", "classes", "int64", {"ignore_index": 3}),
    ((128, 10), "float32", "out_of_range", "int64", {}),
    ((0, 10), "float32", "classes", "int64", {}),  # fast, empty batch
    ((4, 0), "float32", "none", "int64", {}),  # no classes
    ((128, 10), "float32", "classes", "uint8", {}),  # general path from here on
    ((128, 10), "float32", "classes", "int32", {}),
    ((128, 10), "float32", "classes", "int64", {"weight": True}),
    ((128, 10), "float32", "classes", "int64", {"label_smoothing": 0.1}),
    ((128, 10), "float32", "classes", "int64", {"size_average": False}),
    ((10,), "float32", "classes", "int64", {}),
    ((4, 10, 3), "float32", "classes", "int64", {}),
    ((128, 10), "float32", "short", "int64", {}),  # batch sizes differ
    ((128, 10), "int64", "classes", "int64", {}),  # integer logits
    ((128, 10), "float32", "probabilities", "float32", {}),
]


def _ce_target(kind, shape, dtype):
    n = shape[0] if len(shape) > 1 else None
    tshape = () if n is None else (n,) + shape[2:]
    if kind == "probabilities":
        return RNG.random(shape).astype(dtype)
    if kind == "short":
        tshape = (n - 1,)
    if kind == "none":
        return np.zeros(tshape, dtype)
    t = RNG.integers(0, shape[-1] if len(shape) < 3 else shape[1], tshape)
    if kind == "ignored" and t.size > 2:
        t.reshape(-1)[[0, 5]] = -100
    if kind == "out_of_range":
        t.reshape(-1)[7] = 10
    return t.astype(dtype)


@pytest.mark.parametrize("case", range(len(CE_CASES)))
@pytest.mark.parametrize("specials", [False, True])
def test_cross_entropy_fast_path_and_its_neighbours(close, graph, case, specials):
    shape, dtype, kind, tdtype, keywords = CE_CASES[case]
    logits = _values(shape, "float64", specials) * 3
    logits = logits.astype(dtype) if dtype.startswith("float") else np.abs(logits).astype(dtype)
    target = _ce_target(kind, shape, tdtype)
    weight = RNG.random(shape[1] if len(shape) > 1 else shape[0]).astype("float32")

    def prog(torch, see):
        x = torch.tensor(logits, requires_grad=dtype.startswith("float"))
        kw = dict(keywords)
        if kw.pop("weight", False):
            kw["weight"] = torch.tensor(weight)
        loss = torch.nn.functional.cross_entropy(x, torch.tensor(target), **kw)
        see(loss, graph(loss))
        loss.sum().backward()
        see(x.grad)
    close(prog)


def test_cross_entropy_fast_path_modes_and_double_backward(close, graph):
    xv = _values((6, 5))

    def prog(torch, see):
        x = torch.tensor(xv, requires_grad=True)
        t = torch.tensor(np.array([0, 4, 2, 2, 1, 3]))
        loss = torch.nn.functional.cross_entropy(x, t)
        (g,) = torch.autograd.grad(loss, x, create_graph=True)
        see(loss, g, graph(g))
        (gg,) = torch.autograd.grad((g * g).sum(), x)
        see(gg)
        with torch.no_grad():
            see(torch.nn.functional.cross_entropy(x, t))
        see(torch.nn.CrossEntropyLoss()(x, t))
        see(torch.nn.CrossEntropyLoss(reduction="none")(x[::2], t[::2]))
    close(prog)


# nn.functional's Python-level argument check: tensor arguments and unchecked keywords skip it
PYTHON_LEVEL_CALLS = [
    lambda F, x, t: F.relu(x, inplace=False),
    lambda F, x, t: F.relu(x.clone(), inplace=True),
    lambda F, x, t: F.relu(x, False),
    lambda F, x, t: F.relu(x, x),  # a tensor where a bool goes: torch's code only tests its truth
    lambda F, x, t: F.relu(x, inplace=1.5),
    lambda F, x, t: F.relu(x, inplace=False, bogus=1),
    lambda F, x, t: F.relu(x, x, x),
    lambda F, x, t: F.relu(x, input=x),
    lambda F, x, t: F.relu(inplace=False),
    lambda F, x, t: F.relu(None),
    lambda F, x, t: F.cross_entropy(x, t, x),  # a tensor weight of the wrong size
    lambda F, x, t: F.cross_entropy(x, t, reduction="sum"),
    lambda F, x, t: F.cross_entropy(x, target=t),
    lambda F, x, t: F.cross_entropy(x, t, None, None, -100, None, "mean", 0.0, x),
    lambda F, x, t: F.softmax(x, 1),
    lambda F, x, t: F.gelu(x, approximate="tanh"),
]


@pytest.mark.parametrize("k", range(len(PYTHON_LEVEL_CALLS)))
def test_python_level_check_with_tensor_arguments(close, k):
    xv, tv = _values((4, 10)), RNG.integers(0, 10, 4)

    def prog(torch, see):
        x, t = torch.tensor(xv), torch.tensor(tv)
        see(PYTHON_LEVEL_CALLS[k](torch.nn.functional, x, t))
    close(prog)
