"""requires_grad, is_leaf, grad_fn, .grad (accumulation, assignment checks, the non-leaf warning),
retain_grad (SEMANTICS 1.3-1.7, 2.5)."""
import pytest


def test_flags_table(same):
    def prog(torch, see):
        w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = w * 2
        see(w.is_leaf, w.grad_fn is None, y.requires_grad, y.is_leaf, type(y.grad_fn).__name__)
        b = torch.tensor([1.0, 2.0]) * 2
        see(b.is_leaf, b.requires_grad, y.detach().is_leaf)
        with torch.no_grad():
            n = w * 2
        see(n.requires_grad, n.is_leaf, (torch.ones(3) * 2).requires_grad_().is_leaf)
        see(w.float() is w, type(w.double().grad_fn).__name__, w.to(w.dtype) is w)
    same(prog)


def test_grad_accumulates_in_place(same):
    def prog(torch, see):
        w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        (w * 2).sum().backward()
        g = w.grad
        (w * 3).sum().backward()
        see(w.grad is g, g, g._version, g.requires_grad, g.is_leaf)
    same(prog)


def test_first_grad_is_a_new_tensor(same):
    def prog(torch, see):
        w = torch.tensor([1.0, 2.0], requires_grad=True)
        g = torch.tensor([1.0, 1.0])
        w.backward(g)
        see(w.grad is g, w.grad)
        g.add_(5)
        see(w.grad)
    same(prog)


def test_grad_dtype_follows_leaf(same):
    def prog(torch, see):
        wd = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
        (wd.float() * torch.ones(3, 2)).sum().backward()
        see(wd.grad)
        w = torch.tensor([1.0, 2.0], requires_grad=True)
        y = w * wd
        see(y)
        y.sum().backward()
        see(w.grad.dtype, wd.grad.dtype)
    same(prog)


@pytest.mark.parametrize("value", ["shape", "dtype", "list", "none"])
def test_grad_assignment_checks(same, value):
    def prog(torch, see):
        w = torch.tensor([1.0, 2.0], requires_grad=True)
        v = {"shape": lambda: torch.ones(3), "dtype": lambda: torch.ones(2, dtype=torch.float64),
             "list": lambda: [1.0, 2.0], "none": lambda: None}[value]()
        w.grad = v
        see(w.grad)
    same(prog)


def test_nonleaf_grad_warns_only_when_unset(same):
    def prog(torch, see):
        y = torch.tensor([1.0, 2.0], requires_grad=True) * 2
        see(y.grad)
        y.grad = torch.ones(2)
        see(y.grad)
        w = torch.tensor([1.0], requires_grad=True)
        see(w.grad)
    same(prog)


def test_retain_grad_accumulates(same):
    def prog(torch, see):
        w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = w * 2
        y.retain_grad()
        see(y.retains_grad, y.grad)
        (y ** 2).sum().backward(retain_graph=True)
        (y ** 2).sum().backward()
        see(y.grad)
        w.retain_grad()
        see(w.retains_grad)
        torch.tensor([1.0]).retain_grad()
    same(prog)


def test_requires_grad_setters(same):
    def prog(torch, see):
        b = torch.ones(2, requires_grad=True) * 2
        see(b.requires_grad_(True))
        for f in (lambda: b.requires_grad_(False), lambda: setattr(b, "requires_grad", True),
                  lambda: setattr(b, "requires_grad", False),
                  lambda: torch.tensor([1, 2]).requires_grad_(),
                  lambda: setattr(torch.tensor([1, 2]), "requires_grad", True),
                  lambda: torch.tensor([1, 2], requires_grad=True),
                  lambda: torch.zeros(2, dtype=torch.int64, requires_grad=True),
                  lambda: torch.arange(3, requires_grad=True)):
            try:
                f()
                see("no error")
            except RuntimeError as e:
                see(str(e))
        see(torch.tensor([1, 2]).requires_grad_(False))
        see(torch.tensor([1.0, 2.0], dtype=torch.float16, requires_grad=True))
    same(prog)


def test_factory_requires_grad_in_no_grad(same):
    def prog(torch, see):
        with torch.no_grad():
            t = torch.ones(2, requires_grad=True)
        see(t, t.is_leaf)
    same(prog)


@pytest.mark.parametrize("case", ["view_leaf_base_written", "requires_grad_off_then_inplace"])
def test_leaf_moved_into_graph_interior(same, case):
    """AccumulateGrad::apply raises when its leaf got a grad_fn after the graph was built (checked
    before requires_grad)."""
    def prog(torch, see):
        if case == "view_leaf_base_written":
            base = torch.tensor([1.5])
            leaf = base.view(1).requires_grad_()
            y = leaf * 2
            base.mul_(leaf)  # the view leaf's grad_fn becomes AsStridedBackward0
        else:
            leaf = torch.tensor([1.5], requires_grad=True)
            y = leaf * 2
            leaf.requires_grad_(False)
            leaf.mul_(torch.tensor([2.0], requires_grad=True))
        see(leaf.is_leaf, type(leaf.grad_fn).__name__)
        y.sum().backward()
        see(leaf.grad)
    same(prog)


@pytest.mark.parametrize("data_shape,grad_shape", [((), (2,)), ((3,), (2, 3)), ((2,), (2, 2)), ((1,), (2, 2)),
                                                   ((2, 2), (4,)), ((4,), (2,)), ((2, 3), (3, 2))])
@pytest.mark.parametrize("expanded", [False, True])
def test_first_gradient_after_data_of_another_shape(data_shape, grad_shape, expanded):
    """AccumulateGrad steals a gradient that obeys the layout contract against the new .data and
    otherwise copies it into .data's sizes (clone_obey_contract), raising copy_'s broadcast error."""
    import torch
    import numtorch

    def run(lib):
        x = lib.ones(grad_shape, requires_grad=True)
        y = x.sum() if expanded else (x * 2).sum()  # sum's gradient is an expanded tensor
        x.data = lib.ones(data_shape)
        try:
            y.backward()
        except RuntimeError as e:
            return str(e)
        return tuple(x.grad.shape), x.grad.tolist()
    assert run(numtorch) == run(torch)
