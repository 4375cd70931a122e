"""erf / erfc: values (float32 and float64), gradients, double gradients, in-place, node names."""
import math

import numpy as np
import pytest

from numtorch._ops.special import erf, erfc


@pytest.mark.parametrize("name", ["erf", "erfc"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_erf_family_matches_torch(same, name, dtype):
    def prog(torch, see):
        x = torch.tensor([-7.0, -2.0, -1.0, -0.5, 0.0, 0.3, 0.9, 1.1, 2.0, 3.5, 6.5, 30.0],
                         dtype=getattr(torch, dtype), requires_grad=True)
        y = getattr(x, name)()
        g, = torch.autograd.grad(y.sum(), x, create_graph=True)
        see(y, type(y.grad_fn).__name__, g, torch.autograd.grad(g.sum(), x))
        z = x.detach().clone()
        see(getattr(z, name + "_")(), z._version, getattr(torch, name)(torch.tensor([1, 2])))
    same(prog)


@pytest.mark.parametrize("name", ["erf", "erfc"])
def test_erf_family_result_is_laid_out_like_its_input(same, name):
    # TensorIterator: erf of a transposed/permuted tensor is transposed/permuted, so contiguous()
    # copies it (fuzz campaign 2030, divergence 004)
    def prog(torch, see):
        for x in (torch.tensor([[1.5, -1.0, -1.75], [0.5, -0.75, -2.0], [0.0, -2.0, -1.5]]).t(),
                  torch.arange(24.0).reshape(2, 3, 4).permute(2, 0, 1)[:, :, ::2] / 9,
                  torch.arange(3.0).expand(4, 3), torch.zeros(0, 3).t()):
            y = getattr(x, name)()
            see(y, y.stride(), y.is_contiguous(), y.contiguous() is y)
    same(prog)


def test_kernels_are_within_a_few_ulp_of_the_c_library():
    x = np.concatenate([np.linspace(-30, 30, 20001), [0.0, -0.0, 1e-300, np.inf, -np.inf]])
    for fn, ref_fn, ulps in ((erf, math.erf, 1), (erfc, math.erfc, 8)):
        got = fn(x)
        ref = np.array([ref_fn(v) for v in x])
        tiny = np.abs(ref) < 1e-290
        err = np.abs(got - ref)[~tiny] / np.spacing(np.abs(ref[~tiny]))
        assert err.max() <= ulps, (fn.__name__, err.max())
    assert np.isnan(erf(np.array([np.nan])))[0] and np.isnan(erfc(np.array([np.nan])))[0]


def test_relu_backward_drops_inf_and_nan_gradients_where_the_input_was_negative(same):
    def prog(torch, see):
        x = torch.tensor([-1.0, 0.0, 2.0, float("nan"), 3.0], requires_grad=True)
        y = x.relu()
        y.backward(torch.tensor([float("inf"), float("nan"), 1.0, 5.0, float("-inf")]))
        see(y, x.grad)
    same(prog)


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16"])
def test_relu_keeps_negative_zero_and_nan_bits_as_torch(dtype):
    """relu's contiguous float32/float64 kernel takes np.maximum(+0.0, x), relying on numpy's tie
    rule: -0.0 and every NaN (sign and payload) must come out with torch's bits, in numpy's SIMD
    body and tail alike, and relu's gradient too."""
    import torch

    import numtorch

    bits = {"float32": np.uint32, "float64": np.uint64, "float16": np.uint16}[dtype]
    rng = np.random.default_rng(0)
    pool = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, -np.nan, 1e-310, -1e-310, 1e-40, -1e-40, 2.5, -2.5,
                     np.finfo(dtype).max, -np.finfo(dtype).max], dtype)
    for shape in [(1,), (7,), (67,), (128, 256), (3, 5, 9)]:
        a = rng.choice(pool, size=shape)
        g = rng.choice(pool, size=shape)
        got = []
        for lib in (torch, numtorch):
            x = lib.from_numpy(a.copy()).requires_grad_()
            for v in (x, x.t() if x.dim() == 2 else x):
                y = v.relu()
                y.backward(lib.from_numpy(g.copy()).reshape(v.shape))
                got.append((y.detach().numpy().view(bits).tolist(), y.stride(),
                            x.grad.numpy().view(bits).tolist()))
                x.grad = None
        assert got[:len(got) // 2] == got[len(got) // 2:], shape


def _ulps(a, b):
    """Distance in units in the last place of b's dtype (NaNs and equal infinities count 0)."""
    a, b = np.asarray(a, np.float64), np.asarray(b)
    same = (a == b) | (np.isnan(a) & np.isnan(b))
    spacing = np.spacing(np.abs(b).astype(b.dtype)).astype(np.float64)
    with np.errstate(invalid="ignore"):
        return np.where(same, 0.0, np.abs(a - b) / spacing)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_erfinv_kernel_is_within_an_ulp_of_torch_on_a_dense_grid(dtype):
    """torch's kernel is correctly rounded (float32 to a few 1e-4 ulp); ours is within one ulp,
    and for float32 (computed in float64, rounded once) differs only at near-ties."""
    torch = pytest.importorskip("torch")
    from numtorch._ops.special import erfinv
    rng = np.random.default_rng(0)
    y = np.concatenate([rng.uniform(-1, 1, 200_000), 1 - np.logspace(-16, -1, 2000),
                        -(1 - np.logspace(-16, -1, 2000)), np.logspace(-300, -1, 500),
                        [0.0, -0.0, 1.0, -1.0, 1.5, -3.0, np.nan, np.inf]]).astype(dtype)
    expected = torch.erfinv(torch.from_numpy(y)).numpy()
    got = erfinv(y).astype(dtype)
    ulps = _ulps(got, expected)
    assert ulps.max() <= 1.0
    assert (ulps > 0).mean() < (0.1 if dtype == "float64" else 1e-3)


def test_erfinv_family_matches_torch(same):
    def prog(torch, see):
        for dtype in (torch.float32, torch.float64, torch.float16):
            x = torch.tensor([-1.0, -0.999, -0.5, 0.0, 0.3, 0.9, 0.99999, 1.0, 1.2], dtype=dtype,
                             requires_grad=True)
            y = torch.erfinv(x)
            g, = torch.autograd.grad(y.sum(), x, create_graph=True)
            see(y, type(y.grad_fn).__name__, g, torch.autograd.grad(g.sum(), x))
        z = torch.tensor([0.25, -0.75])
        see(z.erfinv_(), z._version, torch.erfinv(torch.tensor([0, 1])), torch.erfinv(torch.tensor(True)))
    same(prog)


def test_logcumsumexp_is_stable_and_matches_torch(same):
    def prog(torch, see):
        x = torch.tensor([[1000.0, -1000.0, 999.0, float("-inf")], [-1e30, 3.0, float("-inf"), 1e30]],
                         dtype=torch.float64, requires_grad=True)
        for dim in (0, 1, -1):
            y = torch.logcumsumexp(x, dim)
            go = torch.tensor([[1.0, -2.0, 0.5, 3.0], [0.0, 1.0, -1.0, 2.0]], dtype=torch.float64)
            g, = torch.autograd.grad(y, x, go, create_graph=True)
            see(y, type(y.grad_fn).__name__, g, torch.autograd.grad(g.sum(), x))
        see(torch.logcumsumexp(torch.full((3,), float("-inf")), 0))
        see(torch.ones(2, 3).logcumsumexp(1))
    same(prog)


def test_scatter_reduce_prod_double_backward_with_two_zeros_raises_torchs_error(same):
    def prog(torch, see):
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        src = torch.tensor([0.0, 0.0, 3.0], requires_grad=True)
        y = x.scatter_reduce(0, torch.tensor([0, 0, 1]), src, "prod")
        gx, gsrc = torch.autograd.grad(y.sum(), (x, src), create_graph=True)
        see(y, gx, gsrc)
        torch.autograd.grad(gsrc.sum(), src)
    same(prog)
