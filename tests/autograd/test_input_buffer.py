"""A node's input buffer sums the gradients reaching one slot as torch's InputBuffer::accumulate:
outside create_graph the first gradient is reused (old.add_(new): its version moves, and a leaf's
.grad that steals it shows version 1) when the buffer holds the only reference to it and to its
memory and it is non-overlapping, dense and not a ZeroTensor; otherwise old + new. Root gradients
are never reused. Each program runs under both libraries; the observations must be equal."""
import warnings

import pytest
import torch

import numtorch


def _bits(t):
    """The bytes of the values: the sign of zeros and NaN payloads count."""
    return t.detach().numpy().tobytes().hex()


def _leaf(L, make=None):
    return (make(L) if make else L.ones(3)).detach().requires_grad_()


def _paths(*parts, make=None, **kw):
    """A leaf receiving the gradients of several sums, in backward's order (newest node first)."""
    def run(L):
        x = _leaf(L, make)
        sum(p(x).sum() for p in parts).backward(**kw)
        return x.grad._version, _bits(x.grad), x.grad.stride()
    return run


def _custom(backward):
    """A custom Function of (x, x) whose backward returns `backward(g)`: both gradients reach x."""
    def run(L):
        fn = type("F", (L.autograd.Function,), {
            "forward": staticmethod(lambda ctx, a, b: a * b),
            "backward": staticmethod(lambda ctx, g: backward(g))})
        x = _leaf(L)
        (fn.apply(x, x) * 1).sum().backward()
        return x.grad._version, _bits(x.grad)
    return run


def _hook_on_passthrough(kind):
    """The hook of `a = x + 0` sees the gradient AddBackward passes on to x's buffer, where it
    is the first gradient: whatever the hook keeps of it (the tensor, a view, an alias) keeps the
    later sum out of place, and the kept tensor unchanged."""
    keeps = {"nothing": lambda g: None, "tensor": lambda g: g, "view": lambda g: g[:],
             "detach": lambda g: g.detach(), "data": lambda g: g.data, "numpy": lambda g: g.numpy()}

    def run(L):
        kept = []
        x = _leaf(L)
        b = x * 3
        a = x + 0
        a.register_hook(lambda g: kept.append(keeps[kind](g)))
        ((a * 2).sum() + b.sum()).backward()
        k = kept[0]
        return x.grad._version, _bits(x.grad), None if k is None else [float(v) for v in k.reshape(-1)]
    return run


def _hook_sees_sum(L):
    """y's hook gets the sum of y's two gradients: the first one, added into."""
    kept = []
    x = _leaf(L)
    y = x * 1
    y.register_hook(kept.append)
    (y * 2 + y * 3).sum().backward()
    return x.grad._version, kept[0]._version, _bits(kept[0])


def _hook_returns(L):
    """A tensor a hook returns and keeps is the first gradient of x's buffer: not written."""
    kept = []
    x = _leaf(L)
    a = x + 0

    def hook(g):
        kept.append(g * 1)
        return kept[0]
    a.register_hook(hook)
    ((a * 2).sum() + (x * 3).sum()).backward()
    return x.grad._version, _bits(kept[0]), kept[0]._version


def _node_hooks(kind):
    def run(L):
        kept = []
        x = _leaf(L)
        b = x * 3
        a = x + 0
        if kind == "post_keeps":
            a.grad_fn.register_hook(lambda gi, go: kept.append(gi))
        elif kind == "post":
            a.grad_fn.register_hook(lambda gi, go: None)
        else:
            a.grad_fn.register_prehook(lambda go: kept.append(go))
        ((a * 2).sum() + b.sum()).backward()
        return x.grad._version, _bits(x.grad)
    return run


def _captured(L):
    """autograd.grad's captured gradient passes through AddBackward: it stays unwritten."""
    x = _leaf(L)
    y = x * 1
    a = y + 0
    ga, gx = L.autograd.grad((a * 2).sum() + (y * 3).sum(), [a, x])
    return ga._version, gx._version, _bits(ga), _bits(gx)


def _inputs(L):
    x = _leaf(L)
    y = x * 1
    a = y + 0
    ((a * 2).sum() + (y * 3).sum()).backward(inputs=[a, x])
    return a.grad._version, x.grad._version, _bits(x.grad)


def _retain_grad(L):
    x = _leaf(L)
    a = x + 0
    a.retain_grad()
    ((a * 2).sum() + (x * 3).sum()).backward()
    return a.grad._version, x.grad._version, _bits(x.grad)


def _retain_graph_twice(L):
    x = _leaf(L)
    loss = (x * 2 + x * 3).sum()
    loss.backward(retain_graph=True)
    loss.backward()
    return x.grad._version, _bits(x.grad)


def _existing_grad(L):
    x = _leaf(L)
    x.grad = L.zeros(3)
    g0 = x.grad
    (x * 2 + x * 3).sum().backward()
    return x.grad._version, x.grad is g0, _bits(x.grad)


def _create_graph(L):
    x = _leaf(L)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        (x * 2 + x * 3).sum().backward(create_graph=True)
    return x.grad._version, _bits(x.grad), x.grad.grad_fn is None


def _grad_create_graph(L):
    x = _leaf(L)
    y = x * 1
    g, = L.autograd.grad((y * 2 + y * 3).sum(), y, create_graph=True)
    return g._version, _bits(g)


def _roots(which):
    def run(L):
        x = _leaf(L)
        y = x * 1
        z = y * 2
        kept = []
        y.register_hook(lambda g: kept.append(g))
        tensors = {"y,y": [y, y], "y,z": [y, z], "z,y": [z, y], "y,y,z": [y, y, z], "x,2x": [x, x * 2],
                   "2x,x": [x * 2, x]}[which]
        grads = [L.ones(3) for _ in tensors]
        L.autograd.backward(tensors, grads)
        return (x.grad._version, _bits(x.grad), [g._version for g in grads],
                [(k._version, k is grads[0]) for k in kept])
    return run


def _root_cast(L):
    """A root gradient cast to the root's dtype (a `.data =` of another dtype) is still a root's."""
    x = _leaf(L)
    y = x * 2
    z = y * 3
    y.data = y.data.double()
    kept = []
    y.register_hook(lambda g: kept.append((g._version, str(g.dtype))))
    L.autograd.backward([y, z], [L.ones(3, dtype=L.float64), L.ones(3)])
    return kept, _bits(x.grad)


def _signed_zeros(order):
    """-0.0 + 0.0 and NaN payload order: the reused gradient is the left operand, as in old + new."""
    def run(L):
        x = _leaf(L, lambda L: L.tensor([0.0, -0.0, 1.0, float("nan"), -0.0]))
        y = x * 1
        c1 = L.tensor([-0.0, 0.0, float("nan"), 1.0, -0.0])
        c2 = L.tensor([0.0, -0.0, 2.0, float("-nan"), -0.0])
        first, second = (lambda: (y * c1).sum()), (lambda: (y * c2).sum())
        if order:
            first, second = second, first
        a = first()
        (a + second()).backward()
        return x.grad._version, _bits(x.grad)
    return run


def _zero_tensor(order):
    """sgn's ZeroTensor gradient: never reused, and added into a reused gradient."""
    def run(L):
        x = _leaf(L, lambda L: L.tensor([1.0, -0.0, 2.0]))
        parts = [lambda: x.sgn().sum(), lambda: (x * 3).sum()]
        if order:
            parts.reverse()
        a = parts[0]()
        (a + parts[1]()).backward()
        return x.grad._version, _bits(x.grad)
    return run


def _split_chunk(L):
    x = _leaf(L, lambda L: L.ones(4))
    a, _ = x.split(2)
    c, _ = x.chunk(2)
    (a * 2 + c * 3).sum().backward()
    return x.grad._version, _bits(x.grad)


def _nonleaf_layout(order):
    def run(L):
        x = _leaf(L, lambda L: L.ones(2, 3))
        y = x * 1
        kept = []
        y.register_hook(lambda g: kept.append((g.stride(), g._version)))
        parts = [lambda: (y * 2).sum(), lambda: (y.t() * 3).sum()]
        if order:
            parts.reverse()
        a = parts[0]()
        (a + parts[1]()).backward()
        return kept, x.grad._version, x.grad.stride()
    return run


def _anomaly(L):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with L.autograd.detect_anomaly():
            return _paths(lambda x: x * 2, lambda x: x * 3)(L)


PROGRAMS = {
    "two_paths": _paths(lambda x: x * 2, lambda x: x * 3),
    "three_paths": _paths(lambda x: x * 2, lambda x: x * 3, lambda x: x * 4),
    "x_times_x": _paths(lambda x: x * x),
    "x_plus_x": _paths(lambda x: x + x),
    "mm_x_x": _paths(lambda x: x @ x, make=lambda L: L.ones(3, 3)),
    "expanded_first": _paths(lambda x: x * 2, lambda x: x),  # SumBackward's expand runs first
    "expanded_last": _paths(lambda x: x, lambda x: x * 2),
    "expanded_both": _paths(lambda x: x, lambda x: x),
    "expand_real": _paths(lambda x: x * 3, lambda x: x.expand(3, 4) * 2, make=lambda L: L.ones(3, 1)),
    "transposed": _paths(lambda x: x.t() * 2, lambda x: x.t() * 3, make=lambda L: L.ones(2, 3)),
    "transposed_first": _paths(lambda x: x * 2, lambda x: x.t() * 3, make=lambda L: L.ones(2, 3)),
    "sliced": _paths(lambda x: x[:, ::2] * 2, lambda x: x * 3, make=lambda L: L.ones(3, 4)),
    "empty": _paths(lambda x: x * 2, lambda x: x * 3, make=lambda L: L.ones(0, 3)),
    "scalar": _paths(lambda x: x * 2, lambda x: x * 3, make=lambda L: L.tensor(1.5)),
    "float64": _paths(lambda x: x * 2, lambda x: x * 3, make=lambda L: L.ones(3, dtype=L.float64)),
    "float16": _paths(lambda x: x * 2, lambda x: x * 3, make=lambda L: L.ones(3, dtype=L.float16)),
    "complex": _paths(lambda x: (x * 2 + x * 3).abs(), make=lambda L: L.ones(3, dtype=L.complex64)),
    "mixed_dtype": _paths(lambda x: x.double() * 2, lambda x: x * 3),
    "mixed_dtype_2": _paths(lambda x: x * 3, lambda x: x.double() * 2),
    "through_double": _paths(lambda x: (lambda y: y * 2 + y * 3)(x.double())),
    "split_chunk": _split_chunk,
    "custom_g_g3": _custom(lambda g: (g, g * 3)),
    "custom_g3_g": _custom(lambda g: (g * 3, g)),
    "custom_same_twice": _custom(lambda g: (lambda r: (r, r))(g * 2)),
    "custom_two_fresh": _custom(lambda g: (g * 2, g * 3)),
    "custom_view_first": _custom(lambda g: (g.view(3), g * 3)),
    "custom_view_of_temp": _custom(lambda g: ((g * 2)[:], g * 2)),
    "custom_as_strided": _custom(lambda g: ((g * 2).as_strided((3,), (1,)), g * 2)),
    "custom_detach": _custom(lambda g: (g.detach(), g * 2)),
    "custom_second_view": _custom(lambda g: (g * 2, g[:])),
    "hook_sees_sum": _hook_sees_sum,
    "hook_returns": _hook_returns,
    "node_post_hook": _node_hooks("post"),
    "node_post_hook_keeps": _node_hooks("post_keeps"),
    "node_pre_hook_keeps": _node_hooks("pre_keeps"),
    "captured": _captured,
    "inputs": _inputs,
    "retain_grad": _retain_grad,
    "retain_graph_twice": _retain_graph_twice,
    "existing_grad": _existing_grad,
    "create_graph": _create_graph,
    "grad_create_graph": _grad_create_graph,
    "root_cast": _root_cast,
    "anomaly": _anomaly,
}
PROGRAMS.update({"hook_keeps_" + k: _hook_on_passthrough(k)
                 for k in ("nothing", "tensor", "view", "detach", "data", "numpy")})
PROGRAMS.update({"roots_" + k: _roots(k) for k in ("y,y", "y,z", "z,y", "y,y,z", "x,2x", "2x,x")})
PROGRAMS.update({f"signed_zeros_{o}": _signed_zeros(o) for o in (False, True)})
PROGRAMS.update({f"zero_tensor_{o}": _zero_tensor(o) for o in (False, True)})
PROGRAMS.update({f"nonleaf_layout_{o}": _nonleaf_layout(o) for o in (False, True)})


@pytest.mark.parametrize("name", PROGRAMS)
def test_input_buffer_accumulates_as_torch(name):
    assert PROGRAMS[name](numtorch) == PROGRAMS[name](torch)
