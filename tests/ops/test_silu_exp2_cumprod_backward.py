"""Differential tests (torch as oracle) for campaign 2028's value divergences: float32 silu's
glibc expf, the Scalar-overload nodes of exp2/log2/log10/log1p/sqrt/expm1 derivatives, and
cumprod's O(n) backward for inputs with zeros."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")
import numtorch  # noqa: E402


def test_silu_float32_small_matches_bitwise():
    rng = np.random.default_rng(0)
    for _ in range(300):
        v = rng.uniform(-12, 12, size=int(rng.integers(1, 16))).astype(np.float32)
        want = torch.nn.functional.silu(torch.from_numpy(v)).numpy()
        got = numtorch.nn.functional.silu(numtorch.tensor(v.tolist())).numpy()
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("name", ["exp2", "log2", "log10", "log1p", "sqrt", "expm1"])
def test_create_graph_nodes(name):
    def nodes(L):
        x = L.tensor([1.5, 0.3], requires_grad=True)
        g, = L.autograd.grad(getattr(x, name)().sum(), [x], create_graph=True)
        return g.grad_fn.name(), [f.name() if f else None for f, _ in g.grad_fn.next_functions]
    assert nodes(numtorch) == nodes(torch)


def test_cumprod_backward_with_zeros_no_grad_mode():
    rng = np.random.default_rng(1)
    for i in range(300):
        shape = tuple(int(n) for n in rng.integers(1, 5, size=int(rng.integers(1, 4))))
        v = rng.integers(-3, 4, size=shape).astype(np.float32) / 2
        if i % 3 == 0:
            v.flat[rng.integers(v.size)] = np.nan
        w = rng.integers(-3, 4, size=shape).astype(np.float32)
        d = int(rng.integers(len(shape)))
        res = []
        for L in (torch, numtorch):
            x = L.tensor(v.tolist(), requires_grad=True)
            x.cumprod(d).backward(L.tensor(w.tolist()))
            res.append(np.asarray(x.grad.tolist(), np.float32))
        np.testing.assert_array_equal(res[1], res[0])


@pytest.mark.parametrize("op", ["cumsum", "cumprod"])
def test_float32_scans_accumulate_in_double(op):
    rng = np.random.default_rng(2)
    a = (1 + rng.standard_normal((7, 40)) * 0.1).astype(np.float32)
    for d in (0, 1):
        want = getattr(torch.from_numpy(a), op)(d).numpy()
        got = getattr(numtorch.tensor(a.tolist()), op)(d).numpy()
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_silu_backward_fused_kernel_matches_bitwise(dtype):
    rng = np.random.default_rng(3)
    for _ in range(200):
        n = int(rng.integers(1, 16 if dtype == "float32" else 8))
        v = rng.uniform(-10, 10, size=n).astype(dtype)
        w = rng.standard_normal(n).astype(dtype)
        res = []
        for L in (torch, numtorch):
            x = L.tensor(v.tolist(), dtype=getattr(L, dtype), requires_grad=True)
            L.nn.functional.silu(x).backward(L.tensor(w.tolist(), dtype=getattr(L, dtype)))
            res.append(np.asarray(x.grad.tolist(), dtype))
        np.testing.assert_array_equal(res[1], res[0])
