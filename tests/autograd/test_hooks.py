"""Tensor hooks, post-accumulate hooks, node hooks, retain_grad ordering and saved_tensors_hooks
(SEMANTICS 5.7, 5.8)."""


def test_hook_replaces_gradient(same):
    def prog(torch, see):
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        y.register_hook(lambda g: g * 100)
        (y * 3).sum().backward()
        see(x.grad)
    same(prog)


def test_leaf_hook_runs_before_accumulation(same):
    def prog(torch, see):
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        x.grad = torch.tensor([10.0, 10.0])
        x.register_hook(lambda g: see(g, x.grad) or g * 2)
        (x * 3).sum().backward()
        see(x.grad)
    same(prog)


def test_hooks_chain_in_order_and_remove(same):
    def prog(torch, see):
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = x * 1
        h1 = y.register_hook(lambda g: see("h1", g) or g + 1)
        y.register_hook(lambda g: see("h2", g) or g * 10)
        y.sum().backward(retain_graph=True)
        see(x.grad)
        h1.remove()
        x.grad = None
        y.sum().backward()
        see(x.grad)
    same(prog)


def test_hook_errors(same):
    def prog(torch, see):
        for f in (lambda: torch.ones(2).register_hook(lambda g: g),
                  lambda: (torch.ones(2, requires_grad=True) * 2).register_post_accumulate_grad_hook(lambda t: None)):
            try:
                f()
            except RuntimeError as e:
                see(str(e))
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        y.register_hook(lambda g: torch.ones(3))
        y.sum().backward()
    same(prog)


def test_post_accumulate_grad_hook(same):
    def prog(torch, see):
        p = torch.tensor([1.0, 2.0], requires_grad=True)

        def step(t):
            with torch.no_grad():
                t.add_(t.grad, alpha=-0.1)
            t.grad = None
        p.register_post_accumulate_grad_hook(step)
        (p * 3).sum().backward()
        see(p, p.grad, p._version)
        q = torch.tensor([1.0], requires_grad=True)
        q.register_post_accumulate_grad_hook(lambda t: 1)
        (q * 2).sum().backward()
    same(prog)


def test_retain_grad_sees_hooked_gradient(same):
    def prog(torch, see):
        a = torch.tensor([1.0, 2.0], requires_grad=True)
        for retain_first in (True, False):
            a.grad = None
            y = a * 2
            if retain_first:
                y.retain_grad()
            y.register_hook(lambda g: g * 10)
            if not retain_first:
                y.retain_grad()
            (y * 1).sum().backward()
            see(y.grad, a.grad)
    same(prog)


def test_node_hooks(same):
    def prog(torch, see):
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = x.exp()
        y.grad_fn.register_prehook(lambda go: see("pre", go) or None)
        y.grad_fn.register_hook(lambda gi, go: see("post", gi, go) or (gi[0] * 2,))
        y.sum().backward()
        see(x.grad)
    same(prog)


def test_hooks_run_during_autograd_grad(same):
    def prog(torch, see):
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        y.retain_grad()
        y.register_hook(lambda g: see("hook", g) or g * 3)
        see(torch.autograd.grad(y.sum(), x), y.grad, x.grad)
    same(prog)


def test_saved_tensors_hooks_pack_unpack(same):
    def prog(torch, see):
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        with torch.autograd.graph.saved_tensors_hooks(lambda t: see("pack", t) or t.tolist(),
                                                      lambda p: see("unpack", p) or torch.tensor(p)):
            y = x.exp()  # noqa: F841 (saved through the hooks)
            z = x * x
        z.sum().backward()
        see(x.grad)
    same(prog)


def test_saved_tensors_hooks_skip_version_check(same):
    def prog(torch, see):
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        with torch.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t):
            e = x.exp()
        with torch.no_grad():
            e.mul_(100)
        e.sum().backward()
        see(x.grad)
    same(prog)


def test_inplace_keeps_hooks_on_old_history_and_moves_retain_grad(same):
    def prog(torch, see):
        a = torch.tensor([1.0, 2.0], requires_grad=True)
        b = a * 1
        b.register_hook(lambda g: see("before", g))
        b.retain_grad()
        b.mul_(3)
        b.register_hook(lambda g: see("after", g))
        (b * 5).sum().backward()
        see(b.grad, a.grad)
    same(prog)


def test_leaf_hooks_live_on_the_leaf(same):
    """A leaf's hooks outlive the graphs (and AccumulateGrad nodes) built from it, and a deep copy
    of a parameter does not take them along."""
    import copy

    def prog(torch, see):
        p = torch.nn.Parameter(torch.ones(2))
        p.register_hook(lambda g: see("pre", g) or g * 3)
        p.register_post_accumulate_grad_hook(lambda t: see("post", t.grad))
        (p * 2).sum().backward()  # this graph, and its AccumulateGrad, are gone afterwards
        (p * 5).sum().backward()
        q = copy.deepcopy(p)
        (q * 7).sum().backward()
        see(p.grad, q.grad)
    same(prog)
