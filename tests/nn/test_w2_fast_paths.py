"""The fast paths taken by the W2 benchmark (MLP, cross-entropy) against torch: nll_loss when every
target counts (no mask) and when some are ignored or out of range, the Python-level argument binder
of nn.functional (plain calls bound without inspect, everything else by inspect), and relu's -0.0
test and contiguous threshold_backward on the benchmark's shapes, bit for bit."""
from __future__ import annotations

import numpy as np
import pytest

import numtorch

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(7)
LOGITS = RNG.standard_normal((128, 10)).astype(np.float32)
TARGET = RNG.integers(0, 10, 128)
CLASS_W = RNG.random(10).astype(np.float32)


def _logits(special):
    x = LOGITS.copy()
    if special is not None:
        x[3, TARGET[3]] = special  # a picked entry
        x[5, (TARGET[5] + 1) % 10] = special  # an entry that is not picked
    return x


def _target(kind):
    t = TARGET.copy()
    if kind == "ignored":
        t[[0, 17]] = -100
    elif kind == "ignore_index_in_range":
        pass  # ignore_index=2 below: both paths of the target check
    elif kind == "out_of_range":
        t[9] = 10
    elif kind == "negative":
        t[9] = -1
    return t


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("kind", ["all_counted", "ignored", "ignore_index_in_range", "out_of_range",
                                  "negative"])
@pytest.mark.parametrize("special", [None, float("nan"), float("inf"), -float("inf"), -0.0])
def test_cross_entropy_on_w2_shapes(close, graph, reduction, weighted, kind, special):
    def prog(torch, see):
        x = torch.tensor(_logits(special), requires_grad=True)
        loss = torch.nn.functional.cross_entropy(
            x, torch.tensor(_target(kind)), weight=torch.tensor(CLASS_W) if weighted else None,
            ignore_index=2 if kind == "ignore_index_in_range" else -100, reduction=reduction)
        see(loss, graph(loss))
        (loss * 1.5).sum().backward()
        see(x.grad)
    close(prog)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("target_dtype", ["int64", "uint8"])
@pytest.mark.parametrize("shape", [(10,), (128, 10), (4, 10, 3), (2, 10, 3, 2)])
def test_nll_loss_shapes_and_double_backward(close, reduction, target_dtype, shape):
    def prog(torch, see):
        values = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
        x = torch.tensor(values, requires_grad=True)
        tshape = () if len(shape) == 1 else (shape[0],) + shape[2:]
        t = torch.tensor(np.random.default_rng(1).integers(0, 10, tshape).astype(target_dtype))
        loss = torch.nn.functional.nll_loss(x, t, reduction=reduction)
        see(loss)
        (g,) = torch.autograd.grad(loss.sum(), x, create_graph=True)
        see(g)
        (gg,) = torch.autograd.grad((g * g).sum(), x, allow_unused=True)
        see(gg)
    close(prog)


def test_nll_loss_all_ignored_and_empty(close):
    def prog(torch, see):
        x = torch.tensor(LOGITS[:4], requires_grad=True)
        loss = torch.nn.functional.nll_loss(x, torch.full((4,), -100))
        see(loss)
        loss.backward()
        see(x.grad)
        see(torch.nn.functional.nll_loss(torch.zeros(0, 10), torch.zeros(0, dtype=torch.int64),
                                         reduction="sum"))
    close(prog)


# the Python-level binder: plain calls take the fast binder, the rest inspect's; errors as torch's
BINDER_CALLS = [
    lambda F, x, t: F.cross_entropy(x, t),
    lambda F, x, t: F.cross_entropy(input=x, target=t),
    lambda F, x, t: F.cross_entropy(x, target=t, reduction="sum"),
    lambda F, x, t: F.cross_entropy(x, t, None, None, 2),
    lambda F, x, t: F.cross_entropy(x, t, None, None, 1.5),
    lambda F, x, t: F.cross_entropy(x, t, ignore_index="a"),
    lambda F, x, t: F.cross_entropy(x, t, weight="w"),
    lambda F, x, t: F.cross_entropy(x, t, bogus=1),
    lambda F, x, t: F.cross_entropy(x, t, input=x),
    lambda F, x, t: F.cross_entropy(x),
    lambda F, x, t: F.cross_entropy(x, t, None, None, -100, None, "mean", 0.0, 1),
    lambda F, x, t: F.cross_entropy(1, t),
    lambda F, x, t: F.nll_loss(x, target=t, weight=None),
    lambda F, x, t: F.relu(x),
    lambda F, x, t: F.relu(input=x),
    lambda F, x, t: F.relu(x, True, 3),
    lambda F, x, t: F.relu(x, inplace=False, other=1),
    lambda F, x, t: F.relu("x"),
    lambda F, x, t: F.relu(),
]


@pytest.mark.parametrize("k", range(len(BINDER_CALLS)))
def test_python_level_binder(close, k):
    def prog(torch, see):
        x = torch.tensor(LOGITS[:4])
        t = torch.tensor(TARGET[:4])
        see(BINDER_CALLS[k](torch.nn.functional, x, t))
    close(prog)


def _bits(a: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(a).view(f"u{a.itemsize}")


@pytest.mark.parametrize("shape", [(128, 512), (128, 256)])
@pytest.mark.parametrize("specials", [False, True])
def test_relu_bits_on_w2_shapes(shape, specials):
    rng = np.random.default_rng(3)
    x = rng.standard_normal(shape).astype(np.float32)
    g = rng.standard_normal(shape).astype(np.float32)
    if specials:  # -0.0 present (the fix-up path), NaN, inf; dropped inf/nan gradients
        for v in (-0.0, 0.0, np.nan, -np.nan, np.inf, -np.inf):
            x.reshape(-1)[rng.integers(0, x.size, 50)] = v
            g.reshape(-1)[rng.integers(0, x.size, 50)] = v
    else:
        x[x == 0] = 1.0  # no zero at all: the fix-up is skipped
    out = []
    for lib in (torch, numtorch):
        leaf = lib.tensor(x, requires_grad=True)
        y = lib.nn.functional.relu(leaf)
        y.backward(lib.tensor(g))
        out.append((y.detach().numpy(), leaf.grad.numpy(), y.stride(), leaf.grad.stride()))
    (ty, tg, tys, tgs), (ny, ng, nys, ngs) = out
    assert (tys, tgs) == (nys, ngs)
    np.testing.assert_array_equal(_bits(ny), _bits(ty))
    np.testing.assert_array_equal(_bits(ng), _bits(tg))


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("shape", [(2, 10, 3, 2), (0, 10, 3, 2), (2, 10, 0, 2), (2, 10, 3), (0, 10, 3)])
def test_nll_loss2d_refuses_byte_targets(close, reduction, shape):
    # (found with the tests above: nll_loss2d's kernel takes Long targets only, nll_loss's Byte too)
    def prog(torch, see):
        target = torch.zeros((shape[0],) + shape[2:], dtype=torch.uint8)
        see(torch.nn.functional.nll_loss(torch.zeros(shape), target, reduction=reduction))
    close(prog)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("special", [np.nan, np.inf, -np.inf, 3.0])
def test_ignored_rows_count_plus_zero_whatever_their_logits(reduction, special):
    """torch skips an ignored row: its loss is +0.0 and a nan/inf logit there reaches nothing."""
    logits = np.array([[1.0, 2.0], [special, 0.0], [special, 1.0]], np.float32)
    target = np.array([0, -100, 1]) if special != 3.0 else np.array([0, 1, 1])
    out = []
    for lib in (torch, numtorch):
        x = lib.tensor(logits, requires_grad=True)
        loss = lib.nn.functional.nll_loss(x, lib.tensor(target), reduction=reduction,
                                          ignore_index=1 if special == 3.0 else -100)
        loss.sum().backward()
        out.append((loss.detach().numpy().copy(), x.grad.numpy().copy()))
    for a, b in zip(out[0], out[1]):
        np.testing.assert_array_equal(b, a)
        assert (np.signbit(a) == np.signbit(b)).all()


@pytest.mark.parametrize("fn", ["cross_entropy", "nll_loss"])
@pytest.mark.parametrize("index", [
    lambda L: L.tensor(1), lambda L: L.tensor([1]), lambda L: L.tensor(1, dtype=L.uint8),
    lambda L: L.tensor(1.0), lambda L: L.tensor([1, 2])])
def test_ignore_index_given_as_a_tensor_is_read_as_torchs_parser_reads_an_int(fn, index):
    logits = np.random.default_rng(4).standard_normal((3, 4)).astype(np.float32)
    out = []
    for lib in (torch, numtorch):
        try:
            out.append(getattr(lib.nn.functional, fn)(lib.tensor(logits), lib.tensor([0, 1, 2]),
                                                      ignore_index=index(lib)).item())
        except TypeError as e:
            out.append(str(e))
    assert out[1] == out[0]


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("special", [None, float("nan"), -float("nan"), float("inf"), -0.0, 0.0])
@pytest.mark.parametrize("grad_special", [1.0, float("nan"), -float("nan"), -0.0, float("inf")])
def test_nll_loss_without_weight_gives_the_bits_of_unit_weights(reduction, dtype, special, grad_special):
    """Unweighted nll_loss on (N, C) with every target counted skips the weights (loss_ops'
    plain kernels); all-ones weights take the general kernels: the bits must agree, nan signs too."""
    x = _logits(special).astype(dtype)
    target = numtorch.tensor(TARGET)
    out = []
    for weight in (None, numtorch.ones(10, dtype=getattr(numtorch, dtype))):
        logits = numtorch.tensor(x, requires_grad=True)
        loss = numtorch.nn.functional.nll_loss(logits, target, weight=weight, reduction=reduction)
        loss.backward(numtorch.full(loss.shape, grad_special, dtype=loss.dtype))
        out.append((loss.detach().numpy().tobytes(), logits.grad.numpy().tobytes()))
    assert out[0] == out[1]


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("strided", [False, True])
def test_cross_entropy_plain_targets_double_backward(close, graph, reduction, dtype, strided):
    def prog(torch, see):
        x = torch.tensor(LOGITS.astype(dtype), requires_grad=True)
        t = torch.tensor(np.stack([TARGET, TARGET], 1))[:, 0] if strided else torch.tensor(TARGET)
        loss = torch.nn.functional.cross_entropy(x.t().contiguous().t(), t, reduction=reduction)
        see(loss, graph(loss))
        (g,) = torch.autograd.grad(loss.sum() * 1.5, x, create_graph=True)
        see(g, graph(g))
        (g * g).sum().backward()
        see(x.grad)
    close(prog)
