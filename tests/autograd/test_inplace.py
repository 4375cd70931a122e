"""In-place ops on tensors (views are in test_inplace_views.py): version counting, leaf errors,
the saved-tensor version check and its 'which is output N of X' clause (SEMANTICS 1.2, 3)."""
import pytest


def test_version_counts_every_inplace_call(same):
    def prog(torch, see):
        a = torch.tensor([1.0, 2.0, 3.0])
        see(a.mul_(2).add_(1))
        a[0] = 5.0
        a[torch.tensor([True, False, True])] = 1.0
        a += 1
        see(torch.add(torch.ones(3), 1, out=a))
        x = torch.zeros(2, 2)
        x[:, 0] += 1
        see(a._version, (a + 1)._version, x._version, torch.zeros(2, 3).t_()._version)
    same(prog)


def test_no_bump_for_flag_changes(same):
    def prog(torch, see):
        a = torch.ones(2)
        a.requires_grad_()
        a.detach_()
        see(a._version)
    same(prog)


@pytest.mark.parametrize("op", ["add_", "zero_", "fill_", "copy_", "iadd", "mul_"])
def test_leaf_requiring_grad_refuses_inplace(same, op):
    def prog(torch, see):
        w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        try:
            {"add_": lambda: w.add_(1), "zero_": w.zero_, "fill_": lambda: w.fill_(2.0),
             "copy_": lambda: w.copy_(torch.ones(3)), "mul_": lambda: w.mul_(w),
             "iadd": lambda: w.__iadd__(1)}[op]()
        finally:
            see(w._version, w)
    same(prog)


def test_inplace_under_no_grad_keeps_leaf(same):
    def prog(torch, see):
        w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        (w * w).sum().backward()
        with torch.no_grad():
            w -= 0.1 * w.grad
            w[0] = 0.0
        see(w, w._version, w.is_leaf, w.grad_fn is None)
    same(prog)


def test_inplace_rewrites_grad_fn(same):
    def prog(torch, see):
        w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = w * 2
        see(y.add_(1), y.mul_(3))
        y.sum().backward()
        see(w.grad, y._version)
        b = torch.zeros(3)
        see(b.add_(w), b.is_leaf, torch.zeros(2).copy_(w[:2]))
        with torch.no_grad():
            y.add_(100)
        see(type(y.grad_fn).__name__)
    same(prog)


PROGRAMS = {
    "sigmoid_output": lambda t, a: (a.sigmoid(), "out"),
    "exp_output_twice": lambda t, a: (a.exp(), "out2"),
    "mul_input": lambda t, a: ((a * 1) * (a * 1), "x"),
    "mul_by_scalar": lambda t, a: ((a * 1) * 2, "x"),
    "div_other": lambda t, a: (a / (a * 1 + 1), "y"),
    "pow_scalar": lambda t, a: ((a * 1) ** 2, "x"),
    "pow_tensor_output": lambda t, a: ((a * 1) ** (a * 1), "out"),
    "log_input": lambda t, a: ((a * 1).log(), "x"),
    "tanh_output": lambda t, a: (a.tanh(), "out"),
    "relu_output": lambda t, a: (a.relu(), "out"),
    "sum_nothing": lambda t, a: ((a * 1).sum(), "x"),
    "leaf_under_no_grad": lambda t, a: (a * a, "leaf"),
    "index_tensor": lambda t, a: (a[t.tensor([0, 2])], "idx"),
    "matmul_input": lambda t, a: ((a * 1) @ (a * 1), "x"),
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_saved_tensor_version_check(same, name):
    """Mutate what an op saved (or did not) and compare whether/what backward raises."""
    def prog(torch, see):
        a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        captured = {}
        real_tensor = torch.tensor

        def spy(*args, **kwargs):
            t = real_tensor(*args, **kwargs)
            captured["idx"] = t
            return t
        torch_ns = type("ns", (), {"tensor": staticmethod(spy)})
        out, target = PROGRAMS[name](torch_ns, a)
        if target == "out":
            out.add_(1)
        elif target == "out2":
            out.add_(1).add_(1)
        elif target == "leaf":
            with torch.no_grad():
                a.add_(1)
        elif target == "idx":
            captured["idx"].add_(0)
        else:
            fn = out.grad_fn
            saved = getattr(fn, "_saved_self", None)
            inp = saved if saved is not None and target == "x" else getattr(fn, "_saved_other", None)
            if inp is None:
                inp = getattr(fn, "_saved_exponent", None)
            if inp is not None:
                inp.add_(1)
        see(out._version)
        out.sum().backward()
        see(a.grad)
    same(prog)


def test_version_error_for_double_tensor_has_type_and_shape(same):
    def prog(torch, see):
        e = torch.ones(2, 3, dtype=torch.float64, requires_grad=True).exp()
        see(e.add_(1).add_(1).shape)
        e.sum().backward()
    same(prog)


def test_integer_inplace_cast_error(same):
    def prog(torch, see):
        t = torch.tensor([1, 2])
        t.add_(1.5)
    same(prog)


def test_float32_inplace_accepts_float64_operand(same):
    def prog(torch, see):
        t = torch.tensor([1.0, 2.0])
        see(t.add_(torch.tensor([0.5, 0.5], dtype=torch.float64)))
    same(prog)


def test_out_argument_with_grad_raises(same):
    def prog(torch, see):
        w = torch.tensor([1.0, 2.0], requires_grad=True)
        out = torch.zeros(2)
        torch.add(w, 1, out=out)
    same(prog)
