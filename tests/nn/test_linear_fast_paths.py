"""The fast paths of nn.Linear / F.linear and their backward against torch, bit for bit: nn.Linear
calling linear's addmm without the parser, the addmm of weight.t() returning numpy's product plus
the bias without looking for -0.0 in the bias, and the t() of the gradients (TBackward0's, the
column-major mm gradient's) taken without dispatch when nothing records. Integer-valued data keeps
every product exact, so torch's and numpy's summation orders give the same bits."""
from __future__ import annotations

import numpy as np
import pytest

import numtorch

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(11)


def _bits(a: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(a).view(f"u{a.itemsize}")


def _same(got, want):
    """Nested results of numtorch and torch: arrays bit for bit, everything else equal."""
    assert type(got) is type(want) or isinstance(got, np.ndarray), (got, want)
    if isinstance(got, np.ndarray):
        assert got.dtype == want.dtype and got.shape == want.shape
        np.testing.assert_array_equal(_bits(got), _bits(want))
    elif isinstance(got, (tuple, list)):
        assert len(got) == len(want)
        for g, w in zip(got, want):
            _same(g, w)
    else:
        assert got == want


def _both(prog):
    _same(prog(numtorch), prog(torch))


def _tensor_facts(t):
    return (t.detach().numpy().copy(), tuple(t.stride()), t._base is None)


def _data(shape, zeros=None):
    a = RNG.integers(-3, 4, shape).astype(np.float32)
    if zeros == "negative":
        a[a == 0] = -0.0
    return a


@pytest.mark.parametrize("module", [True, False])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shapes", [(128, 256, 10), (3, 5, 4), (1, 4, 3), (4, 1, 3), (4, 3, 1)])
def test_linear_values_grads_layouts_and_graph(module, dtype, shapes):
    n, k, m = shapes
    x, w, b, g = _data((n, k)), _data((m, k), "negative"), _data(m, "negative"), _data((n, m), "negative")

    def prog(lib):
        d = getattr(lib, dtype)
        xt = lib.tensor(x, dtype=d, requires_grad=True)
        h = xt * 1  # a non-leaf input, as in an MLP
        if module:
            layer = lib.nn.Linear(k, m, dtype=d)
            with lib.no_grad():
                layer.weight.copy_(lib.tensor(w))
                layer.bias.copy_(lib.tensor(b))
            wt, bt = layer.weight, layer.bias
            out = layer(h)
        else:
            wt, bt = lib.tensor(w, dtype=d, requires_grad=True), lib.tensor(b, dtype=d, requires_grad=True)
            out = lib.nn.functional.linear(h, wt, bt)
        fn = out.grad_fn
        graph = (fn.name(), [f.name() if f is not None else None for f, _ in fn.next_functions],
                 fn.next_functions[2][0].next_functions[0][0].name())
        saved = (fn._saved_mat2._base is wt, tuple(fn._saved_mat2.stride()), fn._saved_mat1 is h)
        out.backward(lib.tensor(g, dtype=d), retain_graph=True)
        out2 = lib.nn.functional.linear(h, wt, bt)
        out2.backward(lib.tensor(g, dtype=d))  # accumulation into the existing .grad
        return (graph, saved, _tensor_facts(out), _tensor_facts(xt.grad), _tensor_facts(wt.grad),
                _tensor_facts(bt.grad), wt.grad._version, bt.grad._version)
    _both(prog)


@pytest.mark.parametrize("beta", [1, 2, -1, 0.5])
@pytest.mark.parametrize("alpha", [1, -1, 0.5])
@pytest.mark.parametrize("case", ["negative_products", "negative_bias", "both", "specials"])
def test_addmm_of_a_transposed_weight_signed_zeros(beta, alpha, case):
    x = np.ones((5, 4), np.float32)
    w = np.ones((3, 4), np.float32)
    b = np.array([-0.0, 0.0, 1.0], np.float32)
    if case in ("negative_products", "both"):
        x[:] = -0.0  # every product -0.0
    if case in ("negative_bias", "both"):
        b[:] = -0.0
    if case == "specials":
        x[0, 0], x[1, 1], x[2] = np.nan, np.inf, -0.0
        w[1] = -0.0

    def prog(lib):
        xt, wt, bt = lib.tensor(x), lib.tensor(w), lib.tensor(b)
        outs = [lib.addmm(bt, xt, wt.t(), beta=beta, alpha=alpha)]
        if beta == 1 and alpha == 1:
            outs.append(lib.nn.functional.linear(xt, wt, bt))
        return [o.numpy() for o in outs]
    _both(prog)


def test_tbackward_of_a_gradient_a_prehook_replaced():
    """A pre-hook's column-major replacement: t() of it is a row-major view."""
    a, g = _data((4, 3)), _data((3, 4))

    def prog(lib):
        w = lib.tensor(a, requires_grad=True)
        y = w.t()
        y.grad_fn.register_prehook(lambda grads: (grads[0].t().contiguous().t() * 2,))
        y.backward(lib.tensor(g))
        return _tensor_facts(w.grad)
    _both(prog)


@pytest.mark.parametrize("shape", [(4, 3), (3,), ()])
def test_t_gradients_plain_hooked_and_double_backward(shape):
    a, g = _data(shape), _data(shape[::-1])

    def prog(lib):
        w = lib.tensor(a, requires_grad=True)
        y = w.t()
        seen = []
        y.register_hook(lambda grad: seen.append(_tensor_facts(grad)))
        y.backward(lib.tensor(g))
        first = _tensor_facts(w.grad)
        w2 = lib.tensor(a, dtype=lib.float64, requires_grad=True)
        (gw,) = lib.autograd.grad((w2.t() * w2.t()).sum(), w2, create_graph=True)
        gw.sum().backward()
        return first, seen, _tensor_facts(gw), gw.grad_fn.name(), _tensor_facts(w2.grad)
    _both(prog)


@pytest.mark.parametrize("args", [
    ("x",), ((3, 6),), ((3,),), ((2, 3, 5),), ((3, 5), "float64"), ((3, 5), "int64"), ((0, 5),)])
def test_linear_module_arguments(args):
    def prog(lib):
        layer = lib.nn.Linear(5, 4)
        if args[0] == "x":
            arg = "x"
        else:
            dtype = getattr(lib, args[1]) if len(args) > 1 else lib.float32
            arg = lib.ones(args[0], dtype=dtype)
        try:
            out = layer(arg)
        except Exception as e:  # noqa: BLE001 - the type and text are compared
            return type(e).__name__, str(e)
        return tuple(out.shape), out.grad_fn.name()
    _both(prog)
