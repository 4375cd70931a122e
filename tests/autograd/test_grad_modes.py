"""no_grad, enable_grad, set_grad_enabled, inference_mode (SEMANTICS 5.9, 5.10)."""


def test_nesting_and_factories(same):
    def prog(torch, see):
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        with torch.no_grad():
            y = x * 2
            with torch.enable_grad():
                z = x * 2
            t = torch.ones(2, requires_grad=True)
        see(y.requires_grad, z.requires_grad, t.requires_grad, t.is_leaf)
        with torch.set_grad_enabled(False):
            q = x * 2
        see(q.requires_grad, torch.is_grad_enabled(), torch.no_grad()(lambda t: t * 2)(x).requires_grad)
    same(prog)


def test_set_grad_enabled_as_call_and_repr(same):
    def prog(torch, see):
        m = torch.set_grad_enabled(False)
        see(torch.is_grad_enabled(), repr(m))
        torch.set_grad_enabled(True)
        see(torch.is_grad_enabled())
    same(prog)


def test_decorators_with_and_without_parentheses(same):
    def prog(torch, see):
        w = torch.tensor([0.5, -0.5], requires_grad=True)

        @torch.no_grad()
        def f(v):
            return v * 2

        @torch.no_grad
        def g(v):
            return v * 2

        @torch.enable_grad()
        def h(v):
            return v * 2
        see(f(w).requires_grad, g(w).requires_grad, torch.is_grad_enabled())
        with torch.no_grad():
            see(h(w).requires_grad)

        @torch.inference_mode()
        def i(v):
            return v * 2
        see(i(w).is_inference())
    same(prog)


def test_backward_inside_no_grad(same):
    def prog(torch, see):
        w = torch.tensor([1.0, 2.0], requires_grad=True)
        y = (w * w).sum()
        with torch.no_grad():
            y.backward()
        see(w.grad)
    same(prog)


def test_inference_tensors(same):
    def prog(torch, see):
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        with torch.inference_mode():
            y = x * 2
            see(torch.is_inference_mode_enabled(), torch.is_grad_enabled())
            with torch.inference_mode(False):
                see(torch.is_inference_mode_enabled(), torch.is_grad_enabled())
        see(y.requires_grad, y.is_inference(), (y * 2).is_inference(), y.clone().is_inference())
        see(y.detach().is_inference(), x + y)
        for f in (lambda: y.add_(1), lambda: x * y, lambda: y.requires_grad_(), lambda: y._version):
            try:
                see(f())
            except RuntimeError as e:
                see(str(e))
        see(y)
    same(prog)


def test_inference_view_of_normal_tensor(same):
    def prog(torch, see):
        b = torch.ones(3)
        with torch.inference_mode():
            v = b[:2]
        see(v.is_inference(), v.add_(1), b)
        v.mul_(torch.ones(2, requires_grad=True))
    same(prog)
