"""The dispatcher's fast paths (issue 6) give what the general paths give: a Python scalar operand
wrapped by its exact type, the result dtype read off the first operand when promotion cannot change
it, the default alpha=1 skipping alpha's checks, a method called without arguments skipping the
argument parser once accepted, and sigmoid's kernel with its temporaries and constants reused."""
import numpy as np
import pytest
import torch

import numtorch
from numtorch._ops.unary import SIGMOID_BACKWARD, _sigmoid

DTYPES = ["bool", "uint8", "int32", "int64", "float16", "float32", "float64", "complex64"]
SCALARS = [True, 3, -2, 2.5, -0.0, float("nan"), float("inf"), 1 + 2j]


def _operand(L, dtype, zero_dim):
    values = [1, 0, 3] if dtype != "bool" else [True, False, True]
    x = L.tensor(values).to(getattr(L, dtype))
    return x[0] if zero_dim else x


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("zero_dim", [False, True])
def test_tensor_and_python_scalar_promote_as_torch(same, dtype, zero_dim):
    def prog(L, see):
        x = _operand(L, dtype, zero_dim)
        for s in SCALARS:
            if dtype == "float16" and isinstance(s, complex):
                continue  # complex32 (torch's result) is not in numtorch (docs/differences.md)
            if dtype == "complex64" and (s != s or s == float("inf")):
                continue  # complex + nan/inf: a known difference of add/sub (not of the fast path)
            for op in (lambda x, s: x * s, lambda x, s: s * x, lambda x, s: x + s,
                       lambda x, s: s + x, lambda x, s: x - s, lambda x, s: x / s):
                try:
                    r = op(x, s)
                    see(r, r.dtype)
                except Exception as e:  # bool - bool and the like: the same error
                    see(type(e).__name__, str(e))
    same(prog)


@pytest.mark.parametrize("scalar", [np.float64(2.5), np.float32(2.5), np.int64(3), np.int8(3)])
def test_numpy_scalar_operand_takes_the_general_path(same, scalar):
    def prog(L, see):
        for dtype in ("int32", "float32", "float64"):
            x = _operand(L, dtype, False)
            r = x * scalar
            see(r, r.dtype)
            r = x + scalar
            see(r, r.dtype)
    same(prog)


@pytest.mark.parametrize("scalar", [2.5, 3, True])
def test_saved_wrapped_scalar_and_edges(same, scalar):
    def prog(L, see):
        x = L.tensor([1.0, -2.0, 0.5], requires_grad=True)
        y = x * scalar
        see(y.grad_fn.name(), len(y.grad_fn.next_functions), y.grad_fn.next_functions[1][0])
        other = y.grad_fn._saved_other
        see(other, other.dtype, other._version)
        z = (y + scalar).sigmoid()
        z.sum().backward()
        see(z, x.grad)
    same(prog)


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_sigmoid_special_values_and_grads(same, dtype):
    def prog(L, see):
        values = [float("nan"), float("inf"), -float("inf"), 0.0, -0.0, 88.7, -88.7, 1e-40, 745.0,
                  -745.0, 17.0] + ([] if dtype == "float16" else [-17.0])  # (half: a known difference)
        x = L.tensor(values, dtype=getattr(L, dtype), requires_grad=True)
        y = x.sigmoid()
        see(y, y.grad_fn.name())
        y.backward(L.ones_like(y))
        see(x.grad)
        see(x[3].detach().sigmoid(), x.detach().t().sigmoid(), x.detach()[::2].sigmoid())
    same(prog)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64, np.complex64, np.complex128])
def test_sigmoid_kernel_rounds_the_exponential_once(dtype):
    """Bit for bit the formula it replaced: exp evaluated in float64 for float32/float16 and
    rounded once to the input's dtype, then 1 / (1 + e) in the input's dtype; same strides."""
    rng = np.random.default_rng(0)
    real = np.concatenate([rng.standard_normal(500) * 30, [np.nan, -np.nan, np.inf, -np.inf, 0.0,
                                                            -0.0, 88.7, -88.7, 745.0, -745.0]])
    with np.errstate(all="ignore"):
        a = (real + (1j * real[::-1] if np.dtype(dtype).kind == "c" else 0)).astype(dtype)
        for x in (a, a[::3], a.reshape(-1, 2).T, a[7:8].reshape(())):
            wide = x.dtype in (np.float32, np.float16)
            one = np.ones((), x.dtype)
            e = np.exp((-x).astype(np.float64)).astype(x.dtype) if wide else np.exp(-x)
            want = np.asarray(one / (one + e))
            got = np.asarray(_sigmoid(x))
            assert got.dtype == want.dtype and got.shape == want.shape and got.strides == want.strides
            assert np.array_equal(np.ascontiguousarray(got).view(np.uint8),
                                  np.ascontiguousarray(want).view(np.uint8))


def _bits(a: np.ndarray) -> np.ndarray:
    a = np.ascontiguousarray(a)
    return a.view({2: np.uint16, 4: np.uint32, 8: np.uint64}[a.dtype.itemsize])


def _specials(dtype, shape, rng):
    """Random values of every magnitude with NaNs of distinct payloads, infinities, zeros, denormals."""
    with np.errstate(all="ignore"):  # the float16 casts overflow to inf, as meant
        x = (rng.standard_normal(shape) * np.exp(rng.uniform(-60, 6, shape))).astype(dtype)
        flat = x.reshape(-1)
        flat[:12] = np.array([np.inf, -np.inf, 0.0, -0.0, 1e-45, -1e-45, 3e38, -3e38, 88.7, -88.7,
                              103.9, -103.9]).astype(dtype)
        nan_bits = rng.integers(1, 2 ** 22, 40) | rng.choice([0x7F800000, 0xFF800000], 40)
        flat[12:52] = nan_bits.astype(np.uint32).view(np.float32).astype(dtype)
    return x


@pytest.mark.parametrize("shape", [(8, 9), (256, 256)])  # small and past NumPy's temporary elision
@pytest.mark.parametrize("dtype", [np.float16, np.float32])
def test_sigmoid_kernel_in_place_steps_match_the_formula(shape, dtype):
    """_sigmoid writes every step into one fresh array: bit for bit the reference formula,
    same strides, on large arrays and on views (a broadcast one included)."""
    x = _specials(dtype, shape, np.random.default_rng(1))
    with np.errstate(all="ignore"):
        for v in (x, x.T, x[::-1, ::2], np.broadcast_to(x[:1], shape)):
            one = np.ones((), v.dtype)
            want = one / (one + np.exp((-v).astype(np.float64)).astype(v.dtype))
            got = _sigmoid(v)
            assert got.strides == want.strides and np.array_equal(_bits(got), _bits(want))


@pytest.mark.parametrize("shape", [(), (1,), (3,), (4096,), (4097,), (2, 3, 5)])
@pytest.mark.parametrize("dtype", [np.float16, np.float32])
def test_small_sigmoid_path_matches_the_formula_and_torchs_grad(shape, dtype):
    """Small C-contiguous float16/float32 inputs (up to _SMALL elements) take _sigmoid's explicit
    float64 casts: the same bits as the reference formula, NaN payloads, infinities and -0.0
    included, on both sides of the size threshold; the gradient is torch's sigmoid_backward."""
    size = int(np.prod(shape))
    x = _specials(dtype, (max(size, 64),), np.random.default_rng(5)).reshape(-1)[:size].reshape(shape)
    with np.errstate(all="ignore"):
        one = np.ones((), dtype)
        want = one / (one + np.exp((-x).astype(np.float64)).astype(dtype))
        got = _sigmoid(x)
    assert got.dtype == want.dtype and got.strides == want.strides
    assert np.array_equal(_bits(got), _bits(want))
    t = numtorch.from_numpy(x).requires_grad_()
    y = t.sigmoid()
    assert y.grad_fn.name() == "SigmoidBackward0" and y._version == 0
    y.sum().backward()
    g = torch.ones(shape, dtype=getattr(torch, np.dtype(dtype).name))
    expected = torch.ops.aten.sigmoid_backward(g, torch.from_numpy(y.detach().numpy()))
    assert np.array_equal(_bits(t.grad.numpy()), _bits(expected.numpy()))


@pytest.mark.parametrize("shape", [(8, 9), (256, 256)])
def test_sigmoid_backward_in_place_and_general_paths_match_torch(shape):
    """sigmoid_backward's kernel, in place (same shape, dtype, strides) or not (broadcast grad,
    other strides): torch's bits, NaN payloads of NaN * NaN included."""
    rng = np.random.default_rng(2)
    g = _specials(np.float32, shape, rng)
    y = _specials(np.float32, shape, rng)
    y.reshape(-1)[12:52:2] = rng.uniform(0, 1, 20)  # half the NaN grads meet a finite y
    cases = [(g, y), (np.ascontiguousarray(g.T).T, y), (g[:1], y)]
    for gg, yy in cases:
        got = SIGMOID_BACKWARD(numtorch.from_numpy(gg), numtorch.from_numpy(yy)).numpy()
        want = torch.ops.aten.sigmoid_backward(torch.from_numpy(gg), torch.from_numpy(yy)).numpy()
        assert got.dtype == want.dtype and got.shape == want.shape
        assert np.array_equal(_bits(got), _bits(want))


@pytest.mark.parametrize("shape", [(8, 9), (256, 256)])
def test_sigmoid_grad_is_torchs_sigmoid_backward_of_the_result(shape):
    """x.grad through SigmoidBackward0 has torch's bits given the same result y (the forward
    itself agrees with torch's vectorised sigmoid in most, not all, elements)."""
    x = _specials(np.float32, shape, np.random.default_rng(3))
    g = _specials(np.float32, shape, np.random.default_rng(4))
    t = numtorch.from_numpy(x).requires_grad_()
    y = t.sigmoid()
    y.backward(numtorch.from_numpy(g))
    want = torch.ops.aten.sigmoid_backward(torch.from_numpy(g), torch.from_numpy(y.detach().numpy()))
    assert np.array_equal(_bits(t.grad.numpy()), _bits(want.numpy()))


def test_default_alpha_skips_only_the_checks(same):
    def prog(L, see):
        i = L.tensor([1, 2, 3])
        f = L.tensor([1.0, 2.0, 3.0])
        for call in (lambda: i.add(i), lambda: i.add(i, alpha=2), lambda: f.add(f, alpha=0.5),
                     lambda: i.add(i, alpha=1.0), lambda: i.sub(2, alpha=True),
                     lambda: f.sub(f, alpha=1 + 0j), lambda: L.add(f, 1, alpha=L.tensor(2.0)),
                     lambda: i.add(L.ones(2, dtype=L.int64), alpha=0.5)):
            try:
                see(call())
            except Exception as e:
                see(type(e).__name__, str(e))
    same(prog)


@pytest.mark.parametrize("call", [lambda x: x.unsqueeze(), lambda x: x.view()])
def test_method_without_arguments_is_checked_until_accepted(call):
    for _ in range(2):  # the second round with x.sigmoid() / x.sum() remembered
        numtorch.ones(2).sigmoid()
        numtorch.ones(2).sum()
        with pytest.raises(TypeError) as theirs:
            call(torch.ones(2))
        with pytest.raises(TypeError) as ours:
            call(numtorch.ones(2))
        assert str(ours.value).split(" - got")[0] == str(theirs.value).split(" - got")[0]
