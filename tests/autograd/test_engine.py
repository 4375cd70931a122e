"""backward(), autograd.grad(), retain_graph and freeing, create_graph, inputs=, graph structure
(SEMANTICS 5.1-5.6)."""
import sys

import pytest


def test_backward_gradient_rules(same):
    def prog(torch, see):
        w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        for f in (lambda: (w * 2).backward(),
                  lambda: (w * 2).backward(torch.tensor([1.0, 0.1, 0.01])),
                  lambda: (w * 2)[:1].backward(),
                  lambda: (w * 2).backward(torch.ones(2)),
                  lambda: (w * 2).sum().backward(torch.tensor([2.0])),
                  lambda: (w * 2).sum().backward(torch.tensor(2.0, dtype=torch.float64)),
                  lambda: (w * 2).sum().backward(1.0),
                  lambda: (w * 2).sum().backward(inputs=[])):
            try:
                see(f())
            except (RuntimeError, TypeError) as e:
                see(type(e).__name__, str(e))
        see(w.grad)
        s = torch.tensor(3.0, requires_grad=True)
        s.backward()
        see(s.grad)
    same(prog)


def test_retain_graph_and_freeing(same):
    def prog(torch, see):
        w = torch.tensor([1.0, 2.0], requires_grad=True)
        y = w.exp().sum()
        y.backward(retain_graph=True)
        y.backward()
        see(w.grad)
        z = (w + 1).sum()
        z.backward()
        z.backward()
        h = w.exp()
        h.sum().backward()
        try:
            (h * 2).sum().backward()
        except RuntimeError as e:
            see(str(e))
        try:
            see(y.grad_fn.next_functions[0][0]._saved_result)
        except RuntimeError as e:
            see(str(e))
        m = (w * 2).sum()
        m.backward()
        m.backward()
    same(prog)


def test_autograd_grad(same):
    def prog(torch, see):
        x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        see(torch.autograd.grad((x ** 2).sum(), x), x.grad)
        z = torch.tensor([3.0, 4.0, 5.0], requires_grad=True)
        see(torch.autograd.grad((x * 2).sum(), [x, z], allow_unused=True))
        see(torch.autograd.grad((x * 2).sum(), [x, z], materialize_grads=True))
        see(torch.autograd.grad(x * 3, x, torch.ones(3)))
        see(torch.autograd.grad([(x * 2).sum(), (x * 3).sum()], (x,)))
        h = x * 2
        see(torch.autograd.grad((h ** 2).sum(), h))
        for f in (lambda: torch.autograd.grad((x * 2).sum(), [x, z]),
                  lambda: torch.autograd.grad((x * 2).sum(), torch.ones(2)),
                  lambda: torch.autograd.grad(x * 2, x),
                  lambda: torch.autograd.grad(torch.ones(2).sum(), x)):
            try:
                f()
            except RuntimeError as e:
                see(str(e))
    same(prog)


def test_create_graph_higher_order(same):
    def prog(torch, see):
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        g, = torch.autograd.grad((x ** 3).sum(), x, create_graph=True)
        see(g, torch.autograd.grad(g.sum(), x))
        y = torch.tensor([0.5, 1.5], requires_grad=True)
        f = (y.sigmoid() * y.tanh()).exp().sum()
        g1, = torch.autograd.grad(f, y, create_graph=True)
        g2, = torch.autograd.grad(g1.sum(), y, create_graph=True)
        see(g1, g2, torch.autograd.grad(g2.sum(), y))
    same(prog)


def test_backward_inputs(same):
    def prog(torch, see):
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        z = torch.tensor([3.0, 4.0], requires_grad=True)
        (x * z).sum().backward(inputs=[x])
        see(x.grad, z.grad)
        h = x * 2
        (h * h).sum().backward(inputs=[h])
        see(h.grad, x.grad)
    same(prog)


def test_next_functions_structure(same):
    def prog(torch, see):
        a = torch.tensor([1.0, 2.0], requires_grad=True)
        b = torch.tensor([3.0, 4.0], requires_grad=True)
        y = (a * b + torch.ones(2)).sum()
        add = y.grad_fn.next_functions[0][0]
        see(type(add).__name__, [(type(n).__name__, i) for n, i in add.next_functions])
        acc = add.next_functions[0][0].next_functions[0][0]
        see(type(acc).__name__, acc.variable is a, acc.next_functions,
            (a * 3).grad_fn.next_functions[0][0] is acc, acc.name())
        u = (torch.ones(2, 2, requires_grad=True) * 1).unbind()
        see([(type(n).__name__, i) for n, i in (u[1] * 2).grad_fn.next_functions])
        see((a * 3).grad_fn(torch.ones(2)))
        see([len(f.grad_fn.next_functions) for f in (a * 3, a + 3, a - 3, a / 2, a ** 2, 1 - a, a.exp(), a.sum())])
    same(prog)


@pytest.mark.parametrize("expr", ["w + 1", "1 + w", "w + w", "w - 1", "1 - w", "-w", "w * 2", "w * w",
                                  "w / 2", "w / w", "2 / w", "w ** 2", "w.square()", "w ** w", "2 ** w",
                                  "w.sum()", "m.sum(0)", "w.mean()", "m.mean(1)", "w.max()",
                                  "m.max(1).values", "w.clamp(0, 1)", "m @ m.t()", "m @ w[:2]",
                                  "w @ w", "m.view(4)", "m.t().reshape(4)", "m[0]", "m[:, 1]",
                                  "m[:1]", "w[None]", "m.t()", "m.permute(1, 0)",
                                  "m.transpose(0, 1)", "w.clone()", "w.double()",
                                  "torch.where(w > 1, w, w * 2)", "w.prod()", "w.var()", "w.std()",
                                  "w.norm()", "m.softmax(1)", "m.log_softmax(1)", "torch.cat([w, w])",
                                  "torch.stack([w, w])"])
def test_grad_fn_names(same, expr):
    def prog(torch, see):
        w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        m = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        r = eval(expr)
        see(type(r.grad_fn).__name__, r.grad_fn.name(), r)
        r.sum().backward()
        see(w.grad, m.grad)
    same(prog)


def test_deep_graph_has_no_recursion_limit():
    import numtorch as torch
    x = torch.tensor([1.0], requires_grad=True)
    y = x
    for _ in range(sys.getrecursionlimit() * 3):
        y = y * 1.0
    y.sum().backward()
    assert x.grad.item() == 1.0


def test_shared_subexpression_and_order(same):
    def prog(torch, see):
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = x * x
        z = y + y.exp() + y.sin()
        z.sum().backward()
        see(x.grad)
    same(prog)


@pytest.mark.parametrize("p", [float("-inf"), float("inf"), 1, 2, 3])
def test_vector_norm_orders(same, p):
    def prog(torch, see):
        x = torch.tensor([3.0, -0.5, 2.0, -0.5], requires_grad=True)
        n = x.norm(p)
        n.backward()
        see(n, x.grad)
    same(prog)


def test_backward_create_graph_warns_once_per_process_and_records_grad():
    import subprocess
    import sys
    code = """
import warnings, sys
warnings.simplefilter("always")
import {lib} as torch
x = torch.tensor([1.0, 2.0], requires_grad=True)
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    (x ** 3).sum().backward(create_graph=True)
    (x ** 3).sum().backward(create_graph=True)
print(len(w), str(w[0].message)[:40] if w else None)
print(x.grad)
"""
    outs = [subprocess.run([sys.executable, "-c", code.format(lib=lib)], capture_output=True, text=True,
                           check=True).stdout for lib in ("torch", "numtorch")]
    assert outs[0] == outs[1]
    assert outs[1].startswith("1 Using backward() with create_graph=True")


# ---- integer/bool tensors and autograd (set_history, validate_outputs) --------------------------
_INT_OUTPUT_OPS = {
    "sum_dtype": lambda torch, x: x.sum(dtype=torch.int64),
    "sum_dim_dtype": lambda torch, x: torch.sum(x, 0, dtype=torch.int64),
    "cumsum_dtype": lambda torch, x: x.cumsum(0, dtype=torch.int64),
    "prod_bool": lambda torch, x: x.prod(dtype=torch.bool),
    "nansum_dtype": lambda torch, x: x.nansum(dtype=torch.int64),
    "long": lambda torch, x: x.long(),  # _to_copy records nothing for an integer result
    "to_bool": lambda torch, x: x.to(torch.bool),
}


@pytest.mark.parametrize("name", sorted(_INT_OUTPUT_OPS))
def test_recorded_op_with_integer_output(same, name):
    op = _INT_OUTPUT_OPS[name]

    def prog(torch, see):
        x = torch.tensor([1.5, -2.0, 3.0], requires_grad=True)
        r = op(torch, x)
        see(r, r.requires_grad, r.grad_fn is None, r.is_leaf)
    same(prog)


_ON_INT_IN_GRAPH = {
    "view": lambda torch, i: i.view(3), "select": lambda torch, i: i[0], "add": lambda torch, i: i + 1,
    "add_float": lambda torch, i: i + 1.5, "sum": lambda torch, i: i.sum(), "float": lambda torch, i: i.float(),
    "clone": lambda torch, i: i.clone(), "max_dim": lambda torch, i: i.max(0)[0], "sort": lambda torch, i: i.sort()[0],
    "unbind": lambda torch, i: i.unbind()[0], "mul_float_leaf": lambda torch, i: (i * X(torch)).sum(),
    "eq": lambda torch, i: i == 1, "detach": lambda torch, i: i.detach(), "mul_": lambda torch, i: i.mul_(2),
    "mul_self_": lambda torch, i: i.mul_(i), "neg_": lambda torch, i: i.neg_(), "pow_": lambda torch, i: i.pow_(2),
    "clamp_": lambda torch, i: i.clamp_(-1.0, 1.5), "clamp_min_": lambda torch, i: i.clamp_min_(0.5),
    "unsqueeze_": lambda torch, i: (i.unsqueeze_(0), i.shape)[1], "setitem": lambda torch, i: i.__setitem__(0, 5) or i,
    "requires_grad_": lambda torch, i: i.requires_grad_(), "requires_grad_false": lambda torch, i: i.requires_grad_(False),
    "backward_sum": lambda torch, i: i.sum(dtype=torch.float32).backward(),
    "backward_gradient": lambda torch, i: i.backward(torch.ones(3, dtype=torch.int64)),
    "max_backward": lambda torch, i: i.max().backward(),
    "autograd_grad": lambda torch, i: torch.autograd.grad(i.sum(dtype=torch.float32), X(torch)),
}


def X(torch):
    return _LEAF[torch.__name__]


_LEAF: dict = {}


@pytest.mark.parametrize("name", sorted(_ON_INT_IN_GRAPH))
def test_integer_tensor_in_the_graph(same, name):
    """fill_/masked_fill_ of an integer tensor with a grad-requiring 0-d value records the write
    (torch does), so the integer tensor requires grad: what may be done with it afterwards."""
    op = _ON_INT_IN_GRAPH[name]

    def prog(torch, see):
        x = _LEAF[torch.__name__] = torch.tensor([1.5, -2.0, 3.0], requires_grad=True)
        i = torch.arange(3)
        i.fill_(x.sum())
        see(i, i.requires_grad, type(i.grad_fn).__name__)
        r = op(torch, i)
        see(r, x.grad)
    same(prog)


def test_integer_destination_of_copy_stays_a_leaf(same):
    def prog(torch, see):
        x = torch.tensor([1.5, -2.0, 3.0], requires_grad=True)
        i = torch.arange(3)
        i.copy_(x)
        j = torch.arange(3)
        j[1:].copy_(x[1:])
        j[0] = x[0]
        see(i, i.requires_grad, i.is_leaf, j, j.requires_grad, j.is_leaf)
        i.requires_grad_()
    same(prog)


def test_tensor_hooks_see_undefined_gradients(same):
    """A tensor hook on an output that gets no gradient (other outputs of the same node do) is
    called with None; returning a tensor for it raises (python_hook.cpp check_single_result)."""
    def prog(torch, see):
        x = torch.tensor([1.5, 0.5, 0.0], requires_grad=True)
        p = x.split(1)
        p[2].register_hook(lambda g: see("hook2", g))
        see(torch.autograd.grad(p[1].neg(), [x], torch.ones(1)))
        y = torch.tensor([1.0, 2.0], requires_grad=True)
        q = y.unbind(0)
        q[0].register_hook(lambda g: see("q0", g))
        (q[1] * 2).backward()
        see(y.grad)
        for value in (torch.ones(1), 3):
            z = torch.tensor([1.0, 2.0], requires_grad=True)
            r = z.split(1)
            r[0].register_hook(lambda g, v=value: v)
            try:
                r[1].sum().backward()
            except (RuntimeError, TypeError) as e:
                see(type(e).__name__, str(e))
    same(prog)


def test_accumulate_grad_shape_fixed_when_made(same):
    """AccumulateGrad's input metadata is the leaf's shape when the node was made: after
    `.data =` of another shape, gradients are validated against the old shape, and .grad keeps
    the gradient's shape (stolen) or takes the leaf's (cloned under create_graph)."""
    def prog(torch, see):
        for create in (False, True):
            x = torch.tensor(1.5, requires_grad=True)
            s = torch.stack([x, x + 1])
            x.data = s.detach().clone()
            see(torch.autograd.grad(s.sum(), [x], retain_graph=True))
            s.sum().backward(create_graph=create)
            see(x.grad.shape, x.grad.detach())
        t = torch.tensor([1.5])
        w = torch.tensor([[1.5]], requires_grad=True)
        out = torch.matmul(t, w)
        w.data = t.clone()
        out.backward()
        see(w.grad)
        try:
            w.backward()  # the implicit gradient [1] is not expandable to [1, 1]
        except RuntimeError as e:
            see(str(e))
    same(prog)


def test_copy_backwards_name(same):
    def prog(torch, see):
        x = torch.tensor(1.5, requires_grad=True)
        y = torch.zeros(())
        y.copy_(x)
        see(y.grad_fn.name(), type(y.grad_fn).__name__)
        z = y * y
        with torch.no_grad():
            y.add_(1)
        try:
            z.backward()
        except RuntimeError as e:
            see(str(e))
    same(prog)


def test_captured_gradient_before_tensor_hooks_when_node_runs(same):
    """autograd.grad captures a non-leaf input's gradient after its tensor hooks only when its
    node does not run; when a node below it is needed too (another input), the capture comes
    first and the hooks run with the node (engine.cpp evaluate_function)."""
    def prog(torch, see):
        x = torch.tensor(1.5, requires_grad=True)
        s = x * 3
        s.register_hook(lambda g: g * 2)
        for inputs in ([s], [x, s], [s, x]):
            see(torch.autograd.grad(s.sum(), inputs, retain_graph=True))
        y = s * 1
        see(torch.autograd.grad((y * 2).sum(), [s, y], retain_graph=True))
        see(torch.autograd.grad((y * 2).sum(), [s, y, x], retain_graph=True))
    same(prog)


def test_backward_inputs_retain_grad_on_non_leaf(same):
    """backward(inputs=) calls retain_grad() on each input: a non-leaf keeps retaining its
    gradient afterwards, and one that already retained it is not given the gradient twice."""
    def prog(torch, see):
        x = torch.tensor(1.5, requires_grad=True)
        s = x * 3
        s.sum().backward(inputs=[s], retain_graph=True)
        see(s.retains_grad, s.grad)
        (s * 2).sum().backward(retain_graph=True)
        see(s.retains_grad, s.grad)
        t = x * 3
        t.register_hook(lambda g: g * 2)
        t.retain_grad()
        t.sum().backward(inputs=[t, x])
        see(t.grad, x.grad)
    same(prog)


def test_gradients_a_node_returns_are_validated_against_the_receiving_node(same):
    # the engine passes a gradient of the receiving node's shape and dtype as it is; any other is
    # summed to size, cast, or rejected (validate_outputs)
    def prog(torch, see):
        x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        for make in (lambda g: g * 2, lambda g: (g * 2).expand(2, 3), lambda g: g.double(),
                     lambda g: g[:2], lambda g: None):
            class F(torch.autograd.Function):
                forward = staticmethod(lambda ctx, a: a * 1)
                backward = staticmethod(lambda ctx, g, make=make: make(g))
            y = x.exp()
            try:
                F.apply(y).sum().backward()
                see(x.grad, x.grad.dtype)
            except RuntimeError as e:
                see(str(e))
            x.grad = None
    same(prog)


def test_a_node_reached_only_by_undefined_gradients_still_checks_its_saved_tensors(same):
    def prog(torch, see):
        x = torch.tensor([1.0, 2.0], requires_grad=True)

        class NoGrad(torch.autograd.Function):
            forward = staticmethod(lambda ctx, a: a * 1)
            backward = staticmethod(lambda ctx, g: None)
        for modify in (False, True):
            y = x.exp()
            z = NoGrad.apply(y)
            if modify:
                with torch.no_grad():
                    y.add_(1)  # ExpBackward0 saved y as its result
            try:
                z.sum().backward()
                see(x.grad)
            except RuntimeError as e:
                see(str(e))
        a, b = (x * 2).unbind()  # one output of a multi-output node unused: its slot stays undefined
        (a * 3).backward()
        see(x.grad)
    same(prog)


def test_shared_subgraphs_and_several_roots_run_each_node_once_when_ready(same):
    def prog(torch, see):
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        order = []
        h = x.exp()
        h.register_hook(lambda g: order.append(("h", g.tolist())))
        u = h * 2
        v = h.sin()
        u.register_hook(lambda g: order.append(("u", g.tolist())))
        v.register_hook(lambda g: order.append(("v", g.tolist())))
        w = (u + v) * h
        torch.autograd.backward([w.sum(), u.sum(), h.sum()])
        see(order, x.grad)
    same(prog)


def test_execution_order_of_chains_branches_and_ready_leaves(same):
    # the engine keeps the node made ready last out of its heap until the next pick (a chain then
    # needs no push and pop): newest node first, and ready leaves in the order they became ready
    def prog(torch, see):
        order = []
        a = torch.tensor([1.0, 2.0], requires_grad=True)
        b = torch.tensor([3.0, 4.0], requires_grad=True)
        c = torch.tensor([0.5, -1.0], requires_grad=True)
        for name, leaf in (("a", a), ("b", b), ("c", c)):
            leaf.register_post_accumulate_grad_hook(lambda t, name=name: order.append(name))
        h = a * b  # two leaves ready at once
        k = h.exp() + c  # a branch and a leaf
        m = k.sin() * h.cos()  # h reached by two paths
        n = (m + (c * 2).tanh()) * 1.5  # an older branch ready late, then a chain
        for t in (h, k, m, n):
            t.grad_fn.register_prehook(lambda g, name=t.grad_fn.name(): order.append(name))
        n.sum().backward(retain_graph=True)
        see(order, a.grad, b.grad, c.grad)
        order.clear()
        torch.autograd.backward([n.sum(), h.sum()], inputs=[b, c])
        see(order, a.grad, b.grad, c.grad)
        order.clear()
        see(torch.autograd.grad(n.sum(), [h, c]), order)
    same(prog)


def test_dependency_counts_of_chains_forks_and_roots_below_roots(same):
    # _dependencies walks on to a node's first new child without its stack: a node with three new
    # children, a node reached from a followed chain and from the stack, a root below another root
    def prog(torch, see):
        order = []
        x = torch.tensor([0.3, -0.7, 1.1], requires_grad=True)
        y = torch.tensor([2.0, 0.5, -1.5], requires_grad=True)
        s = (x * y).sin()
        fork = torch.stack([s.exp(), s * 3.0, (s + x).tanh()])  # three new children
        top = (fork * 2.0).sum(0).sigmoid()
        for t in (s, fork, top):
            t.grad_fn.register_prehook(lambda g, name=t.grad_fn.name(): order.append(name))
        torch.autograd.backward([top.sum(), s.sum(), (fork ** 2).sum()], retain_graph=True)
        see(order, x.grad, y.grad)
        order.clear()
        see(torch.autograd.grad([top.sum(), s.sum()], [x, s]), order)
    same(prog)
