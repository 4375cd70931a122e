"""Op edge cases the program fuzzer (tests/fuzz) found, each compared with torch."""
import numpy as np
import pytest
import torch

import numtorch


def test_atan2_gradient_is_zero_at_the_origin():
    def run(L):
        y = L.tensor([0.0, 2.0, -0.0], dtype=L.float64, requires_grad=True)
        x = L.tensor([0.0, 1.0, 0.0], dtype=L.float64, requires_grad=True)
        gy, gx = L.autograd.grad(L.atan2(y, x).sum(), [y, x], create_graph=True)
        (ggy,) = L.autograd.grad((gy * gy).sum() + gx.sum(), [y])
        same = L.tensor([0.0, 1.5], requires_grad=True)
        L.atan2(same, same).sum().backward()
        return gy.tolist() + gx.tolist() + ggy.tolist() + same.grad.tolist()
    ours, theirs = run(numtorch), run(torch)
    assert ours == pytest.approx(theirs, rel=1e-12, nan_ok=True)


@pytest.mark.parametrize("call", [lambda L, a, b: L.rsub(b, a), lambda L, a, b: L.rsub(a, b)])
def test_rsub_broadcast_error_names_other_first(call):
    with pytest.raises(RuntimeError) as theirs:
        call(torch, torch.zeros(2, 0), torch.zeros(2))
    with pytest.raises(RuntimeError) as ours:
        call(numtorch, numtorch.zeros(2, 0), numtorch.zeros(2))
    assert str(ours.value) == str(theirs.value)


def test_sum_to_0d_is_a_full_sum():
    def run(L):
        x = L.tensor(1.5, requires_grad=True)
        (g,) = L.autograd.grad(x.expand(3), [x], L.ones(3, requires_grad=True), create_graph=True)
        dts = [L.ones(2, dtype=d).sum_to_size(s).dtype for d in (L.bool, L.int32) for s in ((), (1,))]
        return g.item(), type(g.grad_fn).__name__, [str(d) for d in dts]
    assert run(numtorch) == run(torch)


@pytest.mark.parametrize("name", ["std", "var"])
def test_std_var_float32_accumulate_in_double(name):
    rng = np.random.default_rng(0)
    for _ in range(50):
        a = (rng.standard_normal((3, 5)) * 7).astype(np.float32)
        for dim in (0, 1):
            ours = getattr(numtorch.tensor(a.tolist()), name)(dim, correction=dim).numpy()
            theirs = getattr(torch.tensor(a), name)(dim, correction=dim).numpy()
            assert np.array_equal(ours, theirs)


@pytest.mark.parametrize("other", [2.0, 0.0, -1.0, "tensor"])
def test_xlogy_self_gradient_is_masked_fill(other):
    def run(L):
        x = L.tensor([0.0, 1.0, 2.0], requires_grad=True)
        o = L.tensor([0.0, 1.0, -1.0], requires_grad=True) if other == "tensor" else other
        (g,) = L.autograd.grad(x.xlogy(o), [x], L.tensor([1.0, 0.0, 2.0], requires_grad=True),
                               create_graph=True)
        return [str(v) for v in g.tolist()], type(g.grad_fn).__name__
    assert run(numtorch) == run(torch)


SCALAR_PROMOTING = ["x.clamp(min=2)", "x.clamp(max=2)", "x.clamp(-1, 1)", "x.clamp_min(2)",
                    "x.clamp(min=0.5)",
                    "x.pow(2)", "x.pow(0.5)", "x % 2", "x % 1.5", "torch.fmod(x, 2)", "torch.fmod(x, 1.5)",
                    "2 ** x", "2.0 ** x", "1.5 - x", "x.clamp(min=True)"]


@pytest.mark.parametrize("call", SCALAR_PROMOTING)
@pytest.mark.parametrize("dtype", ["bool", "int64"])
def test_scalar_promotion_happens_inside_the_kernel(same, call, dtype):
    # ATen promotes self against a Scalar argument inside the kernel: an integer/bool self with
    # history gives an integer result that fails set_history, and a float result's node has self's
    # node as its edge (no ToCopyBackward0 between)
    def prog(torch, see):
        x = torch.tensor([0, 1], dtype=getattr(torch, dtype))
        x.fill_(torch.tensor(1.0, requires_grad=True))
        r = eval(call)
        edges = [None if f is None else type(f).__name__ for f, _ in r.grad_fn.next_functions]
        see(r, type(r.grad_fn).__name__, edges)
    same(prog)


def test_tanh_float64_is_nearly_correctly_rounded():
    # numpy's float64 tanh is often 1 ulp off (tanh(19) == 1.0); torch's (MKL) is not
    x = [float(v) for v in np.arange(-22.0, 22.0, 0.125) if abs(v) >= 0.25]
    ours = numtorch.tensor(x, dtype=numtorch.float64).tanh().tolist()
    theirs = torch.tensor(x, dtype=torch.float64).tanh().tolist()
    assert ours == theirs


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_tanh_backward_rounds_one_minus_square_once(dtype):
    # ATen's tanh_backward kernel a * (1 - b * b) is compiled with FMA: 1 - b*b is rounded once
    rng = np.random.default_rng(0)
    y = np.tanh(rng.normal(0, 2, 2000)).tolist() + [1.0, -1.0, 0.0]
    g = rng.normal(0, 1, len(y)).tolist()

    def run(L):
        d = getattr(L, dtype)
        return L.ops.aten.tanh_backward(L.tensor(g, dtype=d), L.tensor(y, dtype=d)).tolist() \
            if L is torch else L._ops.unary.TANH_BACKWARD(L.tensor(g, dtype=d), L.tensor(y, dtype=d)).tolist()
    assert run(numtorch) == run(torch)
