"""Custom torch.autograd.Function (SEMANTICS 6), differential against torch: every program defines
its Functions from the library it is given and observes values, grads, grad_fn names and reprs,
views, versions, exceptions (type and exact text) and warnings through the `same` fixture."""
import re

import pytest

import numtorch as nt

torch = pytest.importorskip("torch")


def attempt(see, fn):
    """Observe fn()'s result, or the exception it raised, and carry on."""
    try:
        see(fn())
    except Exception as e:  # noqa: BLE001 - the error is the observation
        see(("raised", type(e).__name__, str(e)))


def names(fn):
    return None if fn is None else (type(fn).__name__, fn.name(), tuple(
        (None if f is None else f.name(), nr) for f, nr in fn.next_functions))


def address_free(obj) -> str:
    return re.sub("0x[0-9a-f]+", "0x", repr(obj))


def function(lib, name="Fn", **methods):
    """A Function subclass of `lib` whose given methods (forward, backward, ...) are static."""
    return type(name, (lib.autograd.Function,), {k: staticmethod(v) for k, v in methods.items()})


def exp_fn(lib):
    return function(lib, "Exp", forward=lambda ctx, x: ctx.save_for_backward(x.exp()) or ctx.to_save[0],
                    backward=lambda ctx, g: g * ctx.saved_tensors[0])


def test_forward_runs_without_grad_and_outputs_get_custom_grad_fn(same):
    def prog(torch, see):
        def forward(ctx, x):
            see("forward", torch.is_grad_enabled(), type(ctx).__name__)
            return x.exp()

        def backward(ctx, g):
            see("backward", torch.is_grad_enabled())
            return g * 2
        x = torch.tensor([0.0, 1.0], requires_grad=True)
        y = function(torch, "Exp", forward=forward, backward=backward).apply(x)
        see(y, names(y.grad_fn), y.is_leaf, y.requires_grad, y.output_nr, y._version)
        see(address_free(y.grad_fn), type(y.grad_fn).__module__, y.grad_fn.requires_grad)
        y.sum().backward()
        see(x.grad)
    same(prog)


def test_next_functions_and_needs_input_grad_follow_tensor_arguments(same):
    def prog(torch, see):
        def forward(ctx, x, y, c):
            see("forward", ctx.needs_input_grad)
            ctx.c = c
            ctx.save_for_backward(x, y)
            return x * y * c

        def backward(ctx, g):
            see("backward", ctx.needs_input_grad, torch.is_grad_enabled())
            return g * ctx.saved_tensors[1] * ctx.c, None, None
        MulC = function(torch, "MulC", forward=forward, backward=backward)
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        out = MulC.apply(x, torch.tensor([3.0, 4.0]), 10.0)
        see(names(out.grad_fn), out.grad_fn.c, out.grad_fn.needs_input_grad)
        out.sum().backward()
        see(x.grad, names(MulC.apply(x, x * 1, 2).grad_fn))
        plain = MulC.apply(torch.ones(2), torch.ones(2), 3)
        see(plain, plain.grad_fn is None, plain.requires_grad)
        with torch.no_grad():
            q = MulC.apply(x, x, 3)
        see(q, q.requires_grad, q.grad_fn is None)
    same(prog)


def test_saved_tensors_are_version_checked_on_each_read(same):
    def prog(torch, see):
        SaveIn = function(torch, "SaveIn", forward=lambda ctx, x: ctx.save_for_backward(x) or x * 2,
                          backward=lambda ctx, g: g * 2 + 0 * ctx.saved_tensors[0])
        NoCheck = function(torch, "NoCheck", forward=lambda ctx, x: ctx.save_for_backward(x) or x * 2,
                           backward=lambda ctx, g: g * 2)
        x = torch.tensor([0.0, 1.0], requires_grad=True)
        y = exp_fn(torch).apply(x)
        y.add_(1)
        attempt(see, lambda: y.grad_fn.saved_tensors)
        attempt(see, lambda: y.sum().backward())
        b = x * 1
        s = SaveIn.apply(b)
        b.mul_(2).add_(1)
        attempt(see, lambda: s.sum().backward())
        w = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
        s = SaveIn.apply(w)
        with torch.no_grad():
            w.add_(1)
        attempt(see, lambda: s.backward())
        inp = x * 1
        n = NoCheck.apply(inp)
        with torch.no_grad():
            inp.add_(1)
        n.sum().backward()
        see(x.grad)
    same(prog)


def test_saved_tensor_identity_and_freeing(same):
    def prog(torch, see):
        def forward(ctx, x):
            ctx.save_for_backward(x.exp(), x, None)
            see("during forward", ctx.saved_tensors)
            return ctx.to_save[0]
        Both = function(torch, forward=forward, backward=lambda ctx, g: g * ctx.saved_tensors[0])
        x = torch.tensor([0.0, 1.0], requires_grad=True)
        y = Both.apply(x)
        saved = y.grad_fn.saved_tensors
        see(saved[0] is y, saved[0].grad_fn is y.grad_fn, saved[1] is x, saved[2], saved[0])
        see(y.grad_fn.to_save, y.grad_fn.dirty_tensors, y.grad_fn.non_differentiable)
        y.sum().backward(retain_graph=True)
        y.sum().backward()
        see(x.grad)
        attempt(see, lambda: y.grad_fn.saved_tensors)
        attempt(see, lambda: y.sum().backward())
        nothing = function(torch, forward=lambda ctx, x: x * 2, backward=lambda ctx, g: g).apply(x)
        nothing.sum().backward()
        nothing.sum().backward()  # nothing saved: it can run again, but reading is E5
        attempt(see, lambda: nothing.grad_fn.saved_tensors)
        see(x.grad)
    same(prog)


def test_save_for_backward_accepts_only_tensors_and_none(same):
    def prog(torch, see):
        import numpy as np

        class Thing:
            pass
        for bad in (1, 2.5, np.float64(1.0), np.ones(2), Thing(), [1]):
            Save = function(torch, forward=lambda ctx, x: ctx.save_for_backward(None, x, bad) or x * 2,  # noqa: B023
                            backward=lambda ctx, g: g)
            attempt(see, lambda: Save.apply(torch.ones(2, requires_grad=True)))  # noqa: B023
            attempt(see, lambda: Save.apply(torch.ones(2)))  # noqa: B023 - not recorded: not checked
    same(prog)


def test_mark_dirty_returns_the_input_with_a_new_grad_fn(same):
    def prog(torch, see):
        AddOne_ = function(torch, "AddOne_", forward=lambda ctx, x: ctx.mark_dirty(x.add_(1)) or x,
                           backward=lambda ctx, g: g * 2)
        a = torch.tensor([1.0, 2.0], requires_grad=True)
        h = a * 3
        out = AddOne_.apply(h)
        see(out is h, h._version, h, names(h.grad_fn), h.grad_fn.dirty_tensors)
        (h * h).sum().backward()
        see(a.grad)
        attempt(see, lambda: AddOne_.apply(a))
        see(a, a._version)
        with torch.no_grad():
            o = AddOne_.apply(a)
        see(o is a, o.requires_grad, a._version)
        p = torch.tensor([1.0, 2.0])
        see(AddOne_.apply(p) is p, p._version, p.requires_grad)
        b = a * 1
        v = b[:1]
        see(AddOne_.apply(v) is v, names(v.grad_fn), names(b.grad_fn), b)
        a.grad = None
        b.sum().backward()
        see(a.grad)
        AddY_ = function(torch, "AddY_", forward=lambda ctx, x, y: ctx.mark_dirty(x.add_(y)) or x,
                         backward=lambda ctx, g: (g, g * 3))
        p = torch.tensor([1.0, 2.0])
        see(AddY_.apply(p, a) is p, p, names(p.grad_fn), p.is_leaf)
    same(prog)


def test_mark_dirty_errors_and_warning(same):
    def prog(torch, see):
        w = torch.tensor([1.0, 2.0], requires_grad=True)

        def not_returned(ctx, x, y):
            ctx.mark_dirty(x.add_(1), y.add_(1))
            return x
        a, b = w * 1, w * 2
        attempt(see, lambda: function(torch, forward=not_returned,
                                      backward=lambda ctx, g: (g, None)).apply(a, b))
        see(names(a.grad_fn), names(b.grad_fn), a._version, b._version)
        identity = lambda ctx, g: g  # noqa: E731
        attempt(see, lambda: function(torch, forward=lambda ctx, x: ctx.mark_dirty(x, 3) or x,
                                      backward=identity).apply(w * 1))
        attempt(see, lambda: function(torch, forward=lambda ctx, x: ctx.mark_non_differentiable(x, 3)
                                      or x * 2, backward=identity).apply(w))
        view_two = function(torch, forward=lambda ctx, x: ctx.mark_dirty(x) or (x, x * 2),
                            backward=lambda ctx, g, h: g)
        attempt(see, lambda: view_two.apply((w * 1)[:1]))
        not_input = function(torch, forward=lambda ctx, x: (lambda y: ctx.mark_dirty(y) or y)(x * 2),
                             backward=identity)
        o = not_input.apply(w)
        see(o, o._version, names(o.grad_fn))
    same(prog)


def test_inputs_returned_as_is_become_custom_function_views(same):
    def prog(torch, see):
        Ident = function(torch, "Ident", forward=lambda ctx, x: x, backward=lambda ctx, g: g * 10)
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        r = Ident.apply(x)
        see(r is x, r._is_view(), r._base is x, names(r.grad_fn), r.is_leaf, r._version)
        see(r.data_ptr() == x.data_ptr())
        attempt(see, lambda: r.add_(1))
        with torch.no_grad():
            r.add_(1)
        see(x, r)  # grad_fn=<Invalid>
        b = x * 1
        rb = Ident.apply(b)
        see(rb._base is b, names(rb.grad_fn))
        b.add_(1)
        attempt(see, lambda: rb.grad_fn)
        attempt(see, lambda: rb.sum().backward())
        Ident.apply(x).sum().backward()
        see(x.grad)
        p = torch.tensor([1.0, 2.0])
        rp = Ident.apply(p)
        see(rp is p, rp._is_view(), rp._base is p, rp.requires_grad)
        rp.add_(1)
        see(p)
        attempt(see, lambda: rp.mul_(x))
        with torch.no_grad():
            rq = Ident.apply(x)
        see(rq is x, rq._is_view(), rq.requires_grad, rq.grad_fn)
    same(prog)


def test_view_outputs_carry_the_custom_grad_fn(same):
    def prog(torch, see):
        cat2 = lambda ctx, g: torch.cat([g, g])  # noqa: E731
        View = function(torch, "View", forward=lambda ctx, x: x[:1], backward=cat2)
        Inter = function(torch, "Inter", forward=lambda ctx, x: (x * 2)[:1], backward=cat2)
        Two = function(torch, "Two", forward=lambda ctx, x: (x[:1], x[1:]),
                       backward=lambda ctx, g1, g2: torch.cat([g1, g2]))
        Mixed = function(torch, "Mixed", forward=lambda ctx, a, n, b: (a, n, b * 2),
                         backward=lambda ctx, ga, gn, gb: see("Mixed", ga, gn, gb) or (ga, None, gb * 2))
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        v = View.apply(x)
        see(v, v._is_view(), v._base is x, v.is_leaf, names(v.grad_fn))
        attempt(see, lambda: v.add_(1))
        v.sum().backward()
        see(x.grad)
        q = Inter.apply(x)
        see(q._is_view(), names(q.grad_fn))
        attempt(see, lambda: q.add_(1))
        a1, a2 = Two.apply(x * 1)
        attempt(see, lambda: a1.add_(1))
        (a1 * 2 + a2).sum().backward()
        see(x.grad)
        r = Mixed.apply(x, "s", x * 1)
        see(r[0]._base is x, r[1], r[2].output_nr)
        attempt(see, lambda: r[0].mul_(2))
        attempt(see, lambda: r[2].mul_(2))
    same(prog)


def test_mark_non_differentiable_and_materialized_grads(same):
    def prog(torch, see):
        def forward(materialize):
            def f(ctx, x):
                i = x.argmax().reshape(1)
                ctx.mark_non_differentiable(i)
                ctx.set_materialize_grads(materialize)
                return x * 1, i, x * 2, "label", (x > 1).long()
            return f

        def backward(ctx, gv, gi, g2, glabel, glong):
            see("grads", gv, gi, g2, glabel, glong)
            return gv
        for materialize in (True, False, 1, None):
            x = torch.tensor([3.0, 1.0, 2.0], requires_grad=True)
            Sort = function(torch, "Sort", forward=forward(materialize), backward=backward)
            v, i, d, label, long = Sort.apply(x)
            see(v, i, d, label, long, i.requires_grad, i.grad_fn, long.grad_fn, d.output_nr)
            v.sum().backward()
            see(x.grad)
        attempt(see, lambda: v.grad_fn.materialize_grads)
        nd_input = function(torch, forward=lambda ctx, x: ctx.mark_non_differentiable(x) or x,
                            backward=lambda ctx, g: g)
        o = nd_input.apply(x)
        see(o is x, o.requires_grad, o._is_view(), o.grad_fn)
        o = nd_input.apply(x * 1)
        see(o.requires_grad, o._is_view())
    same(prog)


def test_backward_gradient_count_E45_and_type_errors(same):
    def prog(torch, see):
        import numpy as np
        cases = [(lambda ctx, g: g, 2), (lambda ctx, g: (g, g), 1), (lambda ctx, g: (g, None, None), 1),
                 (lambda ctx, g: (g, None, g), 1), (lambda ctx, g: g, "n"), (lambda ctx, g: (None, g), "n"),
                 (lambda ctx, g: (g, g), "n"), (lambda ctx, g: 5, 1), (lambda ctx, g: [g], 1),
                 (lambda ctx, g: np.ones(2), 1), (lambda ctx, g: "x", 1)]
        for backward, arity in cases:
            Bad = function(torch, "Bad", forward=lambda ctx, *args: args[-1] * 2, backward=backward)
            x = torch.tensor([1.0, 2.0], requires_grad=True)
            args = (x, x * 1) if arity == 2 else ((x,) if arity == 1 else (arity, x))
            attempt(see, lambda: Bad.apply(*args).sum().backward())  # noqa: B023
            see(x.grad)
    same(prog)


def test_backward_gradient_shape_E46_and_dtype_cast(same):
    def prog(torch, see):
        for backward in (lambda ctx, g: torch.ones(5), lambda ctx, g: g.sum(), lambda ctx, g: g[:1],
                         lambda ctx, g: g.expand(3, 2), lambda ctx, g: g.double(),
                         lambda ctx, g: g.long(), lambda ctx, g: g.unsqueeze(0)):
            x = torch.tensor([1.0, 2.0], requires_grad=True)
            Shape = function(torch, "BadShape", forward=lambda ctx, x: x * 2, backward=backward)
            attempt(see, lambda: Shape.apply(x).sum().backward())  # noqa: B023
            see(x.grad)
        Double = function(torch, forward=lambda ctx, x: x.double(),
                          backward=lambda ctx, g: see("incoming", g.dtype) or g)
        y = Double.apply(x)
        y.sum().backward()
        see(y.dtype, x.grad)
    same(prog)


def test_backward_vjp_and_forward_defaults(same):
    def prog(torch, see):
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        double = lambda ctx, x: x * 2  # noqa: E731
        attempt(see, lambda: function(torch, forward=double).apply(x).sum().backward())
        OnlyVjp = function(torch, forward=double, vjp=lambda ctx, g: g * 5)
        OnlyVjp.apply(x).sum().backward()
        see(x.grad)
        Both = function(torch, forward=double, vjp=lambda ctx, g: g, backward=lambda ctx, g: g)
        attempt(see, lambda: Both.apply(x).sum().backward())
        see(torch.autograd.Function.vjp is torch.autograd.Function.backward,
            Both.vjp is Both.backward, OnlyVjp.vjp is OnlyVjp.backward)
        attempt(see, lambda: torch.autograd.Function.apply(x))
    same(prog)


def test_instantiating_warns_W4_and_calling_an_instance_raises_E51(same):
    def prog(torch, see):
        class Fn(torch.autograd.Function):
            forward = staticmethod(lambda ctx, x: x * 2)
            backward = staticmethod(lambda ctx, g: g)
        f = Fn()
        see(isinstance(f, torch.autograd.function.FunctionCtx))
        attempt(see, lambda: f(torch.ones(2)))
        attempt(see, lambda: f.apply(torch.ones(2, requires_grad=True)).grad_fn.name())
    same(prog)


def test_setup_context_style(same):
    def prog(torch, see):
        def setup_context(ctx, inputs, output):
            see("setup_context", inputs, output, ctx.needs_input_grad, torch.is_grad_enabled())
            ctx.save_for_backward(inputs[0])
            ctx.power = inputs[1]

        def backward(ctx, g):
            x, = ctx.saved_tensors
            return g * ctx.power * x ** (ctx.power - 1), None
        Cube = function(torch, "Cube", forward=lambda x, power=3: x ** power,
                        setup_context=setup_context, backward=backward)
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = Cube.apply(x)
        see(y, names(y.grad_fn))
        y.sum().backward()
        see(x.grad, Cube.apply(x, power=2))
        attempt(see, lambda: Cube.apply(x, 1, 2))
        attempt(see, lambda: Cube.apply())
        Same = function(torch, forward=lambda x: x, backward=lambda ctx, g: g,
                        setup_context=lambda ctx, inputs, output: ctx.save_for_backward(inputs[0]))
        attempt(see, lambda: Same.apply(x))
        attempt(see, lambda: Same.apply(torch.ones(2)))
        with torch.no_grad():
            attempt(see, lambda: Same.apply(x))
    same(prog)


def test_apply_maps_keyword_arguments_onto_positions(same):
    def prog(torch, see):
        def forward(ctx, x, scale=2.0, z=None, *, k=1):
            see("needs_input_grad", ctx.needs_input_grad)
            return x * scale
        K = function(torch, "K", forward=forward, backward=lambda ctx, g: (g,) + (None,) * (
            len(ctx.needs_input_grad) - 1))
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        s = torch.tensor(3.0, requires_grad=True)
        for kwargs in ({}, {"scale": s}, {"z": s}, {"scale": 1.0, "z": 2}, {"k": 2}, {"ctx": 1},
                       {"x": x}, {"q": 1}):
            attempt(see, lambda: K.apply(x, **kwargs))  # noqa: B023
        attempt(see, lambda: K.apply(x, 2.0, scale=3.0))
    same(prog)


def test_once_differentiable_backward(same):
    def prog(torch, see):
        @torch.autograd.function.once_differentiable
        def backward(ctx, g):
            see("grad mode inside", torch.is_grad_enabled())
            return 2 * ctx.saved_tensors[0] * g, None
        see(backward.__name__)
        SqOnce = function(torch, "SqOnce", forward=lambda ctx, x, c: ctx.save_for_backward(x) or x * x,
                          backward=backward)
        x = torch.tensor([0.0, 1.0], requires_grad=True)
        gx, = torch.autograd.grad(SqOnce.apply(x, 1).sum(), x, create_graph=True)
        see(gx, gx.requires_grad, gx.grad_fn)
        gy = torch.ones(2, requires_grad=True)
        gx, = torch.autograd.grad(SqOnce.apply(x, 1), x, gy, create_graph=True)
        see(gx, gx.requires_grad, gx.is_leaf, names(gx.grad_fn), address_free(gx.grad_fn))
        attempt(see, lambda: gx.sum().backward())
        see(torch.autograd.grad(SqOnce.apply(x, 1), x, gy))
    same(prog)


def test_double_backward_through_a_custom_backward(same):
    def prog(torch, see):
        Sq = function(torch, "Sq", forward=lambda ctx, x: ctx.save_for_backward(x) or x * x,
                      backward=lambda ctx, g: see("grad mode", torch.is_grad_enabled())
                      or 2 * ctx.saved_tensors[0] * g)
        for Fn in (exp_fn(torch), Sq):
            x = torch.tensor([0.0, 1.0], requires_grad=True)
            gx, = torch.autograd.grad(Fn.apply(x).sum(), x, create_graph=True)
            see(gx, names(gx.grad_fn))
            gx.sum().backward()
            see(x.grad)
    same(prog)


def test_hooks_and_retain_grad_on_custom_nodes(same):
    def prog(torch, see):
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = function(torch, forward=lambda ctx, x: x, backward=lambda ctx, g: g * 3).apply(x * 1)
        y.retain_grad()
        y.register_hook(lambda g: see("tensor hook", g) or g * 2)
        y.grad_fn.register_prehook(lambda gs: see("prehook", gs) or None)
        y.grad_fn.register_hook(lambda gi, go: see("posthook", gi, go) or None)
        see(y.grad_fn.metadata)
        y.sum().backward()
        see(x.grad, y.grad)
    same(prog)


def test_undefined_gradients_still_reach_custom_backwards(same):
    def prog(torch, see):
        def times2(materialize):
            def forward(ctx, x):
                ctx.set_materialize_grads(materialize)
                return x * 2
            return forward
        A = function(torch, "A", forward=times2(True), backward=lambda ctx, g: see("A", g) or g * 2)
        B = function(torch, "B", forward=times2(True), backward=lambda ctx, g: see("B") or None)
        C = function(torch, "C", forward=times2(False), backward=lambda ctx, g: see("C", g) or g)
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        B.apply(A.apply(x)).sum().backward()
        see(x.grad)
        x.grad = None
        B.apply(C.apply(x)).sum().backward()
        see(x.grad)
        (B.apply(x.exp()) + x * 3).sum().backward()
        see(x.grad, torch.autograd.grad(B.apply(x).sum(), x, allow_unused=True))
    same(prog)


def test_outputs_that_are_not_tensors_pass_through(same):
    def prog(torch, see):
        import collections
        Pair = collections.namedtuple("Pair", "a b")
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        for forward in (lambda ctx, x: 5, lambda ctx, x: [x * 2], lambda ctx, x: (x * 2, None, 5),
                        lambda ctx, x: Pair(x * 2, x * 3), lambda ctx, x: ()):
            out = function(torch, forward=forward,
                           backward=lambda ctx, *g: see("grads", g) or g[0]).apply(x)
            see(type(out).__name__, out)
            if isinstance(out, tuple) and out:
                out[0].sum().backward()
        see(function(torch, forward=lambda ctx, xs: xs[0] * 2, backward=lambda ctx, g: None).apply([x]))
    same(prog)


def test_deprecated_ctx_members(same):
    def prog(torch, see):
        def forward(ctx, x):
            ctx.save_for_backward(x)
            ctx.mark_shared_storage((x, x))
            return x * 2
        Fn = function(torch, forward=forward,
                      backward=lambda ctx, g: see(ctx.saved_variables[0] is ctx.saved_tensors[0]) or g)
        Fn.apply(torch.ones(2, requires_grad=True)).sum().backward()
    same(prog)


def test_public_module_layout():
    for lib in (torch, nt):
        module = lib.autograd.function
        assert module.Function is lib.autograd.Function
        for name in ("Function", "once_differentiable", "FunctionCtx", "InplaceFunction",
                     "BackwardCFunction", "FunctionMeta"):
            assert hasattr(module, name), (lib.__name__, name)
        assert issubclass(lib.autograd.Function, module.FunctionCtx)
    import numtorch.autograd.function as public
    assert public is nt.autograd.function
