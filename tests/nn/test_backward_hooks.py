"""nn.Module backward hooks against torch: full backward hooks and backward pre-hooks (the
BackwardHookFunctionBackward nodes around a hooked call, grad_input/grad_output with their None
entries, replacements, order, removal, global hooks), the deprecated non-full hooks and their
warnings, and every error torch raises on the way. Each program runs under both libraries
(`close`), so nothing here is a hard-coded expectation."""
from __future__ import annotations

import collections

import numpy as np
import pytest

import numtorch
import numtorch.nn  # noqa: F401
import numtorch.utils.hooks  # noqa: F401

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(7)
X = RNG.standard_normal((4, 3)).astype(np.float32)
W = RNG.standard_normal((3,)).astype(np.float32)


def _weights(torch, module, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.tensor(rng.standard_normal(tuple(p.shape)).astype(np.float32)))


def _reset_global_flag(torch) -> None:
    torch.nn.modules.module._global_is_full_backward_hook = None


def _recorder(see, tag):
    """A full backward hook that shows what it receives."""
    def hook(module, grad_input, grad_output):
        see(tag, type(module).__name__, type(grad_input).__name__, type(grad_output).__name__,
            grad_input, grad_output)
    return hook


def _pre_recorder(see, tag):
    def hook(module, grad_output):
        see(tag, type(module).__name__, type(grad_output).__name__, grad_output)
    return hook


# ---- what the hooks receive --------------------------------------------------------------------
def test_full_hook_arguments_and_gradients(close):
    def prog(torch, see):
        class M(torch.nn.Module):
            def forward(self, a, b, n, c=None):
                return a * b + c, n, (a * 2).sum(), b.long(), a.detach()

        m = M()
        m.register_full_backward_hook(_recorder(see, "hook"))
        m.register_full_backward_pre_hook(_pre_recorder(see, "pre"))
        a = torch.tensor(X, requires_grad=True)
        b = torch.tensor(X[::-1].copy())
        c = torch.tensor(W, requires_grad=True)
        y, n, s, bl, d = m(a, b, 3, c=c)
        see(y, n, s, bl, d)
        (y.sum() * 2 + s).backward()
        see(a.grad, c.grad)
    close(prog)


def test_hook_sees_inputs_not_requiring_grad(close):
    def prog(torch, see):
        class M(torch.nn.Module):
            def forward(self, a, b):
                return a + b * 3

        m = M()
        m.register_full_backward_hook(_recorder(see, "hook"))
        a = torch.tensor(X, requires_grad=True)
        b = torch.tensor(X * 2)  # its grad_input entry is the materialized zero gradient
        m(b, a).pow(2).sum().backward()
        see(a.grad)
        m(a, b).pow(2).sum().backward()
        see(a.grad)
    close(prog)


def test_no_input_requires_grad(close):
    def prog(torch, see):
        lin = torch.nn.Linear(3, 2)
        _weights(torch, lin)
        lin.register_full_backward_hook(_recorder(see, "hook"))
        lin.register_full_backward_pre_hook(_pre_recorder(see, "pre"))
        y = lin(torch.tensor(X))
        see(type(y.grad_fn).__name__, [type(f).__name__ for f, _ in y.grad_fn.next_functions])
        y.sum().backward()
        see(lin.weight.grad, lin.bias.grad)
    close(prog)


def test_no_input_requires_grad_hook_returning(close):
    def prog(torch, see):
        lin = torch.nn.Linear(3, 2)
        _weights(torch, lin)
        lin.register_full_backward_hook(lambda m, gi, go: (None,))
        lin(torch.tensor(X)).sum().backward()
        see(lin.weight.grad)
        lin.register_full_backward_hook(lambda m, gi, go: (torch.ones(4, 3),))
        lin(torch.tensor(X)).sum().backward()
    close(prog)


def test_only_pre_hook_no_input_requires_grad(close):
    def prog(torch, see):
        class M(torch.nn.Module):
            def forward(self, x, y=None):
                return x * y

        m = M()
        m.register_full_backward_pre_hook(lambda mod, go: (go[0] * 3,))
        w = torch.tensor(W, requires_grad=True)
        m(torch.tensor(X), y=w).sum().backward()
        see(w.grad)
    close(prog)


def test_no_hook_without_grad(close):
    def prog(torch, see):
        class M(torch.nn.Module):
            def forward(self, x):
                see(x._is_view(), x.requires_grad)
                return x * 2

        m = M()
        m.register_full_backward_hook(_recorder(see, "never"))
        m.register_full_backward_pre_hook(_pre_recorder(see, "never"))
        x = torch.tensor(X, requires_grad=True)
        see(m(torch.tensor(X)).grad_fn, m(x.detach()).grad_fn, m(torch.arange(3)))
        with torch.no_grad():
            y = m(x)
        see(y.grad_fn, y._is_view(), y.requires_grad)
        with torch.inference_mode():
            see(m(x).grad_fn)
    close(prog)


# ---- the graph a hooked call makes -------------------------------------------------------------
def test_graph_shape(close, graph):
    def prog(torch, see):
        class M(torch.nn.Module):
            def forward(self, a, b):
                see(a._is_view(), a._base is outer_a, a.grad_fn.name(), b.grad_fn, b._is_view(),
                    b.requires_grad)
                return a * 2 + b, a.sum()

        m = M()
        m.register_full_backward_hook(lambda *args: None)
        outer_a = torch.tensor(X, requires_grad=True)
        y, s = m(outer_a, torch.tensor(X))
        fn = y.grad_fn
        see(type(fn).__name__, fn.name(), type(fn).__module__, s.grad_fn is fn)
        see(y._is_view(), y._base is not None, y.is_leaf, y.requires_grad)
        see([type(f).__name__ for f, _ in fn.next_functions], [i for _, i in fn.next_functions])
        see(graph(y), graph(s))
    close(prog)


def test_graph_shape_of_a_real_model(close, graph):
    def prog(torch, see):
        model = torch.nn.Sequential(torch.nn.Linear(3, 5), torch.nn.ReLU(), torch.nn.Linear(5, 2))
        _weights(torch, model)
        for layer in model:
            layer.register_full_backward_hook(lambda *args: None)
        x = torch.tensor(X, requires_grad=True)
        y = model(x)
        see(graph(y, depth=20))
        model.register_full_backward_pre_hook(lambda *args: None)
        see(graph(model(x), depth=20))
    close(prog)


def test_namedtuple_and_single_output(close):
    def prog(torch, see):
        NT = collections.namedtuple("NT", "value extra")

        class M(torch.nn.Module):
            def forward(self, x):
                return NT(x * 2, 7)

        m = M()
        m.register_full_backward_hook(_recorder(see, "hook"))
        x = torch.tensor(X, requires_grad=True)
        out = m(x)
        see(type(out).__name__, out.extra, type(out.value.grad_fn).__name__)
        out.value.sum().backward()
        see(x.grad)
    close(prog)


# ---- order -------------------------------------------------------------------------------------
def test_hook_order_and_prepend(close):
    def prog(torch, see):
        class M(torch.nn.Module):
            def forward(self, x):
                return x * 2

        m = M()
        order = []
        m.register_full_backward_hook(lambda *a: order.append("full1"))
        m.register_full_backward_hook(lambda *a: order.append("full0"), prepend=True)
        m.register_full_backward_hook(lambda *a: order.append("full2"))
        m.register_full_backward_pre_hook(lambda *a: order.append("pre1"))
        m.register_full_backward_pre_hook(lambda *a: order.append("pre0"), prepend=True)
        m.register_forward_hook(lambda *a: order.append("forward"))
        m.register_forward_pre_hook(lambda *a: order.append("forward_pre"))
        y = m(torch.tensor(X, requires_grad=True))
        order.append("backward")
        y.sum().backward()
        see(order)
    close(prog)


def test_nested_modules_order(close):
    def prog(torch, see):
        model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(),
                                    torch.nn.Sequential(torch.nn.Linear(4, 2), torch.nn.Sigmoid()))
        _weights(torch, model)
        for name, mod in model.named_modules():
            mod.register_full_backward_hook(
                lambda m, gi, go, name=name: see("hook", name or "root", gi, go))
            mod.register_full_backward_pre_hook(
                lambda m, go, name=name: see("pre", name or "root", go))
        x = torch.tensor(X, requires_grad=True)
        model(x).pow(2).sum().backward()
        see(x.grad, [p.grad for p in model.parameters()])
    close(prog)


def test_module_called_twice_and_retain_graph(close):
    def prog(torch, see):
        class M(torch.nn.Module):
            def forward(self, x):
                return x * 2

        m = M()
        m.register_full_backward_hook(_recorder(see, "hook"))
        m.register_full_backward_pre_hook(_pre_recorder(see, "pre"))
        x = torch.tensor(X, requires_grad=True)
        z = m(m(x) + 1).sum()
        z.backward(retain_graph=True)
        see(x.grad)
        z.backward()
        see(x.grad)
    close(prog)


def test_double_backward(close):
    def prog(torch, see):
        class M(torch.nn.Module):
            def forward(self, x, y):
                return x * y * x

        m = M()
        m.register_full_backward_hook(_recorder(see, "hook"))
        x = torch.tensor(W, requires_grad=True)
        g, = torch.autograd.grad(m(x, x).sum(), x, create_graph=True)
        see(g)
        g.sum().backward()  # reaches the module's inputs without its outputs: no hook call
        see(x.grad)
    close(prog)


def test_same_tensor_twice_integer_and_unused_inputs(close):
    def prog(torch, see):
        class M(torch.nn.Module):
            def forward(self, a, b):
                return a * b

        m = M()
        m.register_full_backward_hook(_recorder(see, "hook"))
        x = torch.tensor(W, requires_grad=True)
        m(x, x).sum().backward()
        see(x.grad)
        i = torch.arange(3)
        m(x, i).sum().backward()
        see(x.grad)
        m(i, x.double()).sum().backward()
        see(x.grad)
    close(prog)


def test_forward_returning_its_input(close, graph):
    def prog(torch, see):
        m = torch.nn.Identity()
        m.register_full_backward_hook(_recorder(see, "hook"))
        m.register_full_backward_pre_hook(_pre_recorder(see, "pre"))
        x = torch.tensor(W, requires_grad=True)
        y = m(x)
        see(graph(y), y._base is x, y is x)
        (y * 2).sum().backward()
        see(x.grad)
    close(prog)


def test_output_not_requiring_grad(close):
    def prog(torch, see):
        class M(torch.nn.Module):
            def forward(self, a):
                return a.detach() * 2

        m = M()
        m.register_full_backward_hook(_recorder(see, "never"))
        x = torch.tensor(W, requires_grad=True)
        y = m(x)
        see(y.grad_fn, y.requires_grad)
        (x * y).sum().backward()
        see(x.grad)
    close(prog)


def test_partial_graphs_autograd_grad_and_inputs(close):
    def prog(torch, see):
        lin = torch.nn.Linear(3, 2)
        _weights(torch, lin)
        lin.register_full_backward_hook(_recorder(see, "hook"))
        lin.register_full_backward_pre_hook(_pre_recorder(see, "pre"))
        x = torch.tensor(W, requires_grad=True)
        y = lin(x)
        see(torch.autograd.grad(y.sum(), lin.weight, retain_graph=True))  # the inputs' node never runs
        see(torch.autograd.grad(y.sum(), x))
        lin(x * 1).sum().backward(inputs=[lin.bias])
        see(lin.bias.grad, x.grad)
    close(prog)


def test_tensor_hooks_and_retain_grad_on_hooked_outputs(close):
    def prog(torch, see):
        m = _twice(torch)
        m.register_full_backward_hook(_recorder(see, "hook"))
        x = torch.tensor(W, requires_grad=True)
        a, b = m(x)
        a.retain_grad()
        b.register_hook(lambda g: see("tensor hook", g) or g * 2)
        (a + b * b).sum().backward()
        see(a.grad, x.grad)
    close(prog)


def test_hook_exceptions_propagate_and_deepcopy(close):
    def prog(torch, see):
        import copy
        lin = torch.nn.Linear(3, 2)
        _weights(torch, lin)
        lin.register_full_backward_hook(lambda mod, gi, go: see("hook", mod is lin))
        clone = copy.deepcopy(lin)
        see(len(clone._backward_hooks), clone._is_full_backward_hook)
        clone(torch.tensor(W, requires_grad=True)).sum().backward()

        def boom(mod, gi, go):
            raise ValueError("boom")
        lin.register_full_backward_hook(boom)
        lin(torch.tensor(W, requires_grad=True)).sum().backward()
    close(prog)


def test_pre_hook_fills_an_unused_output(close):
    def prog(torch, see):
        m = _twice(torch)
        m.register_full_backward_pre_hook(lambda mod, go: (go[0], torch.ones(3)))
        m.register_full_backward_hook(_recorder(see, "hook"))
        x = torch.tensor(W, requires_grad=True)
        a, b = m(x)
        a.sum().backward()
        see(x.grad)
    close(prog)


# ---- replacing gradients -----------------------------------------------------------------------
def test_grad_input_replacement(close):
    def prog(torch, see):
        class M(torch.nn.Module):
            def forward(self, a, n, b):
                return a * b * n

        m = M()
        m.register_full_backward_hook(lambda mod, gi, go: (gi[0] * 10, None, gi[2] + 1))
        m.register_full_backward_hook(_recorder(see, "sees the replacement"))
        m.register_full_backward_hook(lambda mod, gi, go: [None, 5, gi[2] * 2])  # a list works too
        a = torch.tensor(X, requires_grad=True)
        b = torch.tensor(X * 3, requires_grad=True)
        (m(a, 2, b) * 1.5).sum().backward()
        see(a.grad, b.grad)
    close(prog)


def test_grad_output_replacement(close):
    def prog(torch, see):
        class M(torch.nn.Module):
            def forward(self, a):
                return a * 2, a * 3, 4

        m = M()
        m.register_full_backward_pre_hook(lambda mod, go: (go[0] * 10, None, None))
        m.register_full_backward_pre_hook(_pre_recorder(see, "pre sees"))
        m.register_full_backward_hook(_recorder(see, "hook sees"))
        a = torch.tensor(X, requires_grad=True)
        u, v, _ = m(a)
        (u + v).sum().backward()
        see(a.grad)
        m2 = M()
        m2.register_full_backward_pre_hook(lambda mod, go: [None, None, None])
        u, v, _ = m2(a)
        (u + v).sum().backward()
        see(a.grad)
    close(prog)


# ---- removal -----------------------------------------------------------------------------------
def test_removal(close):
    def prog(torch, see):
        class M(torch.nn.Module):
            def forward(self, x):
                return x * 2

        m = M()
        calls = []
        h1 = m.register_full_backward_hook(lambda *a: calls.append("full"))
        h2 = m.register_full_backward_pre_hook(lambda *a: calls.append("pre"))
        x = torch.tensor(X, requires_grad=True)
        y = m(x)
        see(type(h1).__name__, isinstance(h1, torch.utils.hooks.RemovableHandle), len(m._backward_hooks),
            len(m._backward_pre_hooks), m._is_full_backward_hook)
        h1.remove()
        h1.remove()
        y.sum().backward()  # the graph was built with the hook: it still fires
        see(calls)
        with h2:
            pass
        see(len(m._backward_hooks), len(m._backward_pre_hooks), m._is_full_backward_hook)
        y = m(x)
        see(type(y.grad_fn).__name__, y._is_view())
        y.sum().backward()
        see(calls)
        m.register_backward_hook(lambda *a: None)  # the flag outlives the removed hooks
    close(prog)


# ---- global hooks ------------------------------------------------------------------------------
def test_global_hooks(close):
    def prog(torch, see):
        mm = torch.nn.modules.module
        _reset_global_flag(torch)
        handles = []
        try:
            model = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.ReLU())
            _weights(torch, model)
            model[0].register_full_backward_hook(lambda m, gi, go: see("own", type(m).__name__))
            model[0].register_full_backward_pre_hook(lambda m, go: see("own pre", type(m).__name__))
            handles.append(mm.register_module_full_backward_hook(
                lambda m, gi, go: see("global", type(m).__name__, gi, go)))
            handles.append(mm.register_module_full_backward_pre_hook(
                lambda m, go: see("global pre", type(m).__name__, go)))
            handles.append(mm.register_module_forward_pre_hook(
                lambda m, args: see("global forward pre", type(m).__name__)))
            handles.append(mm.register_module_forward_hook(
                lambda m, args, out: see("global forward", type(m).__name__)))
            see(mm._global_is_full_backward_hook, len(mm._global_backward_hooks))
            x = torch.tensor(X, requires_grad=True)
            model(x).sum().backward()
            see(x.grad)
            for h in handles:
                h.remove()
            see(len(mm._global_backward_hooks), len(mm._global_backward_pre_hooks))
            model(x).sum().backward()
            mm.register_module_backward_hook(lambda *a: None)
        finally:
            for h in handles:
                h.remove()
            _reset_global_flag(torch)
    close(prog)


def test_global_legacy_hook(close):
    def prog(torch, see):
        mm = torch.nn.modules.module
        _reset_global_flag(torch)
        handle = None
        try:
            handle = mm.register_module_backward_hook(
                lambda m, gi, go: see("legacy", type(m).__name__, gi, go))
            see(mm._global_is_full_backward_hook)
            lin = torch.nn.Linear(3, 2)
            _weights(torch, lin)
            lin(torch.tensor(X, requires_grad=True)).sum().backward()
            mm.register_module_full_backward_hook(lambda *a: None)
        finally:
            if handle is not None:
                handle.remove()
            _reset_global_flag(torch)
    close(prog)


# ---- errors ------------------------------------------------------------------------------------
def _twice(torch):
    class Two(torch.nn.Module):
        def forward(self, x):
            return x * 2, x * 3
    return Two()


@pytest.mark.parametrize("case", ["grad_input_count", "grad_input_tensor", "grad_output_count",
                                  "grad_output_tensor", "size", "dtype", "not_tensor", "pre_size"])
def test_bad_hook_results(close, case):
    def prog(torch, see):
        m = _twice(torch)
        x = torch.tensor(W, requires_grad=True)
        if case == "grad_input_count":
            m.register_full_backward_hook(lambda mod, gi, go: (gi[0], gi[0]))
        elif case == "grad_input_tensor":
            m.register_full_backward_hook(lambda mod, gi, go: gi[0])
        elif case == "grad_output_count":
            m.register_full_backward_pre_hook(lambda mod, go: (go[0],))
        elif case == "grad_output_tensor":
            m.register_full_backward_pre_hook(lambda mod, go: go[0])
        elif case == "size":
            m.register_full_backward_hook(lambda mod, gi, go: (torch.ones(4),))
        elif case == "dtype":
            m.register_full_backward_hook(lambda mod, gi, go: (gi[0].double(),))
        elif case == "not_tensor":
            m.register_full_backward_hook(lambda mod, gi, go: (5,))
        elif case == "pre_size":
            m.register_full_backward_pre_hook(lambda mod, go: (torch.ones(5), go[1]))
        a, b = m(x)
        (a + b).sum().backward()
        see(x.grad)
    close(prog)


def test_mixing_full_and_legacy_hooks(close):
    def prog(torch, see):
        for first, second in (("register_backward_hook", "register_full_backward_hook"),
                              ("register_full_backward_hook", "register_backward_hook")):
            m = torch.nn.Linear(3, 2)
            getattr(m, first)(lambda *a: None)
            see(m._is_full_backward_hook)
            try:
                getattr(m, second)(lambda *a: None)
            except RuntimeError as e:
                see(str(e))
        m = torch.nn.Linear(3, 2)
        m.register_full_backward_pre_hook(lambda *a: None)
        m.register_backward_hook(lambda *a: None)  # pre-hooks do not set the flag
        see(m._is_full_backward_hook)
    close(prog)


@pytest.mark.parametrize("case", ["output_inplace", "output_index", "output_multi", "output_detach",
                                  "output_base", "input_inplace", "nondiff_output"])
def test_inplace_on_hooked_tensors(close, case):
    def prog(torch, see):
        class InPlace(torch.nn.Module):
            def forward(self, x):
                return x.mul_(2)

        x = torch.tensor(W, requires_grad=True)
        if case == "input_inplace":
            m = InPlace()
            m.register_full_backward_hook(lambda *a: None)
            m(x.clone())
            return
        if case in ("output_inplace", "output_index"):
            m = torch.nn.Linear(3, 2)
            _weights(torch, m)
            m.register_full_backward_hook(lambda *a: None)
            y = m(x)
            if case == "output_inplace":
                y.add_(1)
            else:
                y[0] = 1
            return
        if case == "nondiff_output":
            class M(torch.nn.Module):
                def forward(self, x):
                    return x * 2, (x > 0).float()
            m = M()
            m.register_full_backward_hook(lambda *a: None)
            y, mask = m(x)
            mask.add_(1)  # not differentiable: allowed
            see(mask, mask.grad_fn, mask._is_view())
            y.add_(1)
            return
        m = _twice(torch)
        m.register_full_backward_hook(lambda *a: None)
        a, b = m(x)
        see(a._is_view(), type(a.grad_fn).__name__)
        if case == "output_multi":
            a.add_(1)
        elif case == "output_detach":
            a.detach().add_(1)
            a.sum().backward()
        else:
            a._base.add_(1)
            a.sum().backward()
    close(prog)


# ---- warnings ----------------------------------------------------------------------------------
def test_output_not_tensor_or_tuple(close):
    def prog(torch, see):
        class L(torch.nn.Module):
            def forward(self, x):
                return [x * 2]

        class D(torch.nn.Module):
            def forward(self, x):
                return {"out": x * 2}

        for m in (L(), D()):
            m.register_full_backward_hook(lambda *a: see("never"))
            out = m(torch.tensor(W, requires_grad=True))
            first = out[0] if isinstance(out, list) else out["out"]
            see(type(out).__name__, type(first.grad_fn).__name__)
            first.sum().backward()
    close(prog)


# ---- the deprecated non-full hooks ---------------------------------------------------------------
@pytest.mark.parametrize("case", ["linear", "sequential", "two_nodes", "dict_output", "non_tensor_input",
                                  "nested_output", "identity", "single_node", "leaf_output"])
def test_legacy_hooks(close, case):
    def prog(torch, see):
        class Two(torch.nn.Module):
            def forward(self, x):
                return x * 2, x * 3

        class Dict(torch.nn.Module):
            def forward(self, x):
                return {"a": x * 2}

        class Scale(torch.nn.Module):
            def forward(self, x, n):
                return x * n

        class Nested(torch.nn.Module):
            def forward(self, x):
                return (x * 2, (x * 3,))

        class Identity(torch.nn.Module):
            def forward(self, x):
                return x

        x = torch.tensor(X, requires_grad=True)
        args = (x,)
        if case == "linear":
            m = torch.nn.Linear(3, 2)
        elif case == "sequential":
            m = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.ReLU())
        elif case == "two_nodes":
            m = Two()
        elif case == "dict_output":
            m = Dict()
        elif case == "non_tensor_input":
            m, args = Scale(), (x, 2)
        elif case == "nested_output":
            m = Nested()
        elif case == "identity":
            m, args = Identity(), (x * 2,)
        elif case == "single_node":
            m, args = torch.nn.ReLU(), (x * 2,)
        else:
            m = Identity()
        _weights(torch, m)
        m.register_backward_hook(_recorder(see, "legacy"))
        out = m(*args)
        while not isinstance(out, torch.Tensor):
            out = out["a"] if isinstance(out, dict) else out[0]
        see(None if out.grad_fn is None else type(out.grad_fn).__name__)
        out.pow(2).sum().backward()
        see(x.grad)
    close(prog)


@pytest.mark.parametrize("result", ["replace", "bad_count", "not_tuple", "bad_shape", "none_slot"])
def test_legacy_hook_results(close, result):
    def prog(torch, see):
        class Scale(torch.nn.Module):
            def forward(self, x):
                return x * 2

        m = Scale()

        def hook(module, grad_input, grad_output):
            if result == "replace":
                return (grad_input[0] * 10,) + grad_input[1:]
            if result == "bad_count":
                return (grad_input[0],)
            if result == "not_tuple":
                return 5
            if result == "bad_shape":
                return (torch.ones(5), None)
            return (grad_input[0], grad_input[0])

        m.register_backward_hook(hook)
        x = torch.tensor(W, requires_grad=True)
        m(x).sum().backward()
        see(x.grad)
    close(prog)


def test_legacy_hook_of_a_dead_module(close):
    def prog(torch, see):
        import gc

        class Scale(torch.nn.Module):
            def forward(self, x):
                return x * 2

        m = Scale()
        m.register_backward_hook(lambda *a: see("never"))
        x = torch.tensor(W, requires_grad=True)
        y = m(x)
        del m
        gc.collect()
        y.sum().backward()
    close(prog)


# ---- interplay with forward hooks ----------------------------------------------------------------
def test_forward_hooks_run_before_output_wrapping(close, graph):
    def prog(torch, see):
        class M(torch.nn.Module):
            def forward(self, x):
                return x * 2

        m = M()
        m.register_forward_pre_hook(lambda mod, args: (args[0] + 1,))
        m.register_forward_hook(lambda mod, args, out: (out, out * 3))
        m.register_full_backward_hook(_recorder(see, "hook"))
        m.register_full_backward_pre_hook(_pre_recorder(see, "pre"))
        x = torch.tensor(W, requires_grad=True)
        a, b = m(x)
        see(graph(a), graph(b))
        (a + b).sum().backward()
        see(x.grad)
    close(prog)


def test_always_call_hooks_when_a_pre_hook_raises(close):
    def prog(torch, see):
        mm = torch.nn.modules.module
        m = torch.nn.Identity()

        def bad_pre(mod, args):
            raise ValueError("pre-hook failed")

        def bad_post(mod, args, out):
            raise KeyError("post")

        m.register_forward_pre_hook(bad_pre)
        m.register_forward_hook(lambda mod, args, out: see("always", out), always_call=True)
        m.register_forward_hook(bad_post, always_call=True)
        handle = mm.register_module_forward_hook(bad_post, always_call=True)
        try:
            m(torch.tensor(W))
        finally:
            handle.remove()
    close(prog)


# ---- the torch.utils.hooks module ----------------------------------------------------------------
def test_utils_hooks_api(close):
    def prog(torch, see):
        hooks = torch.utils.hooks
        see(sorted(n for n in ("RemovableHandle", "BackwardHook", "unserializable_hook")
                   if hasattr(hooks, n)))

        @hooks.unserializable_hook
        def f(grad):
            return grad
        see(f.__torch_unserializable__)
        t = torch.tensor(W, requires_grad=True)
        handle = t.register_hook(f)
        see(isinstance(handle, hooks.RemovableHandle))
        handle.remove()

        calls = []
        m = torch.nn.Identity()
        bw = hooks.BackwardHook(m, [lambda mod, gi, go: calls.append((gi, go))], [])
        x = torch.tensor(W, requires_grad=True)
        args = bw.setup_input_hook((x, 2))
        out = bw.setup_output_hook(args[0] * args[1])
        see(type(out.grad_fn).__name__, bw.n_inputs, bw.input_tensors_index, bw.n_outputs,
            bw.output_tensors_index)
        out.sum().backward()
        see(calls, x.grad)
    close(prog)


def test_hooked_training_step_matches(close):
    """A hooked model trained for a few steps, hooks clipping and rescaling gradients."""
    def prog(torch, see):
        model = torch.nn.Sequential(torch.nn.Linear(3, 6), torch.nn.ReLU(), torch.nn.Linear(6, 1))
        _weights(torch, model, seed=3)
        model[0].register_full_backward_hook(lambda m, gi, go: (gi[0].clamp(-0.1, 0.1),))
        model[2].register_full_backward_pre_hook(lambda m, go: (go[0] * 0.5,))
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        x = torch.tensor(X, requires_grad=True)
        target = torch.tensor(X[:, :1] * 2)
        for _ in range(3):
            opt.zero_grad()
            loss = torch.nn.functional.mse_loss(model(x), target)
            loss.backward()
            opt.step()
            see(loss, x.grad)
        see([p.detach() for p in model.parameters()])
    close(prog)

