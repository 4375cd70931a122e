"""Results' memory layout (stride()) against torch, NOTE [Output layout] (numtorch/_ops/layout.py):
TensorIterator's rule for elementwise ops, empty_like's for clone/*_like/sort, C order for index
ops, on transposed, permuted, expanded, sliced and size-1-dim inputs. A different layout makes a
later view()/reshape() a view in one library and a copy (or an error) in the other."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import numtorch


def _make(L, shape, perm=None, dtype="float32"):
    """A tensor of `shape` whose memory holds the dims in order `perm` (a permuted view)."""
    n = int(np.prod(shape))
    values = np.arange(n) % 7 - 3
    values = values % 3 == 0 if dtype == "bool" else (values / 2 if dtype.startswith("float") else values)
    if perm is None:
        return L.tensor(values.reshape(shape).tolist(), dtype=getattr(L, dtype))
    base = L.tensor(values.reshape([shape[p] for p in perm]).tolist(), dtype=getattr(L, dtype))
    return base.permute(*np.argsort(perm).tolist())


LAYOUTS = {
    "contiguous": lambda L: _make(L, (3, 4)),
    "transposed": lambda L: _make(L, (3, 4), (1, 0)),
    "contiguous3": lambda L: _make(L, (3, 4, 2)),
    "permuted201": lambda L: _make(L, (3, 4, 2), (2, 0, 1)),
    "permuted120": lambda L: _make(L, (3, 4, 2), (1, 2, 0)),
    "permuted021": lambda L: _make(L, (3, 4, 2), (0, 2, 1)),
    "reversed3": lambda L: _make(L, (3, 4, 2), (2, 1, 0)),
    "step": lambda L: _make(L, (3, 8))[:, ::2],
    "transposed_step": lambda L: _make(L, (8, 3)).t()[:, ::2],
    "expanded_rows": lambda L: _make(L, (1, 4)).expand(3, 4),
    "expanded_cols": lambda L: _make(L, (3, 1)).expand(3, 4),
    "size1_middle": lambda L: _make(L, (3, 1, 4), (2, 1, 0)),
    "size1_first": lambda L: _make(L, (1, 3, 4), (2, 0, 1)),
    "transposed_int": lambda L: _make(L, (3, 4), (1, 0), "int64"),
    "transposed_bool": lambda L: _make(L, (3, 4), (1, 0), "bool"),
    "transposed_double": lambda L: _make(L, (3, 4), (1, 0), "float64"),
    "channels_last": lambda L: _make(L, (2, 3, 4, 2), (0, 2, 3, 1)),
    "row": lambda L: _make(L, (4,)),
    "col": lambda L: _make(L, (3, 1)),
    "zero_dim": lambda L: _make(L, (1,)).reshape(()),
}
ONE_INPUT = [k for k in LAYOUTS if k not in ("row", "col", "zero_dim", "contiguous")]


def _layout(r):
    rs = r if isinstance(r, (tuple, list)) else [r]
    return [(tuple(x.shape), x.stride()) for x in rs]


def _same_layout(fn, *layouts):
    got = {}
    for name, L in (("torch", torch), ("numtorch", numtorch)):
        args = [LAYOUTS[k](L) for k in layouts]
        try:
            got[name] = _layout(fn(L, *args))
        except Exception as e:  # noqa: BLE001 - both must raise alike (then nothing to compare)
            got[name] = type(e).__name__
    assert got["numtorch"] == got["torch"]


F = numtorch.nn.functional
UNARY = {
    "neg": lambda L, x: -x,
    "exp": lambda L, x: x.exp(),
    "abs": lambda L, x: L.abs(x),
    "sigmoid": lambda L, x: x.sigmoid(),
    "relu": lambda L, x: x.relu(),
    "sqrt": lambda L, x: x.sqrt(),
    "round": lambda L, x: x.round(),
    "sign": lambda L, x: x.sign(),
    "sgn": lambda L, x: x.sgn(),
    "isnan": lambda L, x: x.isnan(),
    "isfinite": lambda L, x: x.isfinite(),
    "logical_not": lambda L, x: x.logical_not(),
    "float": lambda L, x: x.float(),
    "double": lambda L, x: x.double(),
    "long": lambda L, x: x.long(),
    "bool": lambda L, x: x.bool(),
    "clamp": lambda L, x: x.clamp(min=-1.0, max=1.0),
    "clamp_min": lambda L, x: x.clamp(min=0),
    "pow": lambda L, x: x.pow(2),
    "rpow": lambda L, x: 2**x,
    "nan_to_num": lambda L, x: x.nan_to_num(),
    "gelu": lambda L, x: L.nn.functional.gelu(x),
    "silu": lambda L, x: L.nn.functional.silu(x),
    "softplus": lambda L, x: L.nn.functional.softplus(x),
    "leaky_relu": lambda L, x: L.nn.functional.leaky_relu(x, 0.1),
    "elu": lambda L, x: L.nn.functional.elu(x),
    "hardtanh": lambda L, x: L.nn.functional.hardtanh(x),
    "mul_scalar": lambda L, x: x * 2.0,
    "add_int": lambda L, x: x + 1,
    "rsub": lambda L, x: 1 - x,
    "gt_scalar": lambda L, x: x > 0,
    "where_scalar": lambda L, x: L.where(x > 0, x, 0.0),
    "lerp": lambda L, x: x.lerp(L.zeros(()).to(x.dtype), 0.25),
    "clone": lambda L, x: x.clone(),
    "contiguous": lambda L, x: x.contiguous(),
    "zeros_like": lambda L, x: L.zeros_like(x),
    "ones_like": lambda L, x: L.ones_like(x),
    "full_like": lambda L, x: L.full_like(x, 2.0),
    "rand_like": lambda L, x: L.rand_like(x),
    "empty_like": lambda L, x: L.empty_like(x),
    "flip": lambda L, x: x.flip(0),
    "roll": lambda L, x: x.roll(1, 0),
    "tril": lambda L, x: x.tril(),
    "repeat": lambda L, x: x.repeat(*([2] * x.dim())),
    "masked_fill": lambda L, x: x.masked_fill(x > 0, 0.5),
    "softmax": lambda L, x: x.softmax(0),
    "log_softmax": lambda L, x: x.log_softmax(-1),
    "cumsum0": lambda L, x: x.cumsum(0),
    "cumsum_last": lambda L, x: x.cumsum(-1),
    "cumprod": lambda L, x: x.cumprod(-1),
    "pad": lambda L, x: L.nn.functional.pad(x, (1, 1)),
}


@pytest.mark.parametrize("layout", ONE_INPUT)
@pytest.mark.parametrize("op", UNARY)
def test_unary_result_layout(op, layout):
    if op == "roll" and layout == "channels_last" or op in ("rpow", "flip", "roll") and layout == "zero_dim":
        pytest.skip("n/a")
    _same_layout(UNARY[op], layout)


BINARY = {
    "add": lambda L, x, y: x + y,
    "mul": lambda L, x, y: x * y,
    "div": lambda L, x, y: x / y,
    "sub_alpha": lambda L, x, y: x.sub(y, alpha=2),
    "floordiv": lambda L, x, y: x // y,
    "remainder": lambda L, x, y: x % y,
    "pow": lambda L, x, y: x**y,
    "maximum": lambda L, x, y: L.maximum(x, y),
    "atan2": lambda L, x, y: x.atan2(y),
    "eq": lambda L, x, y: x == y,
    "lt": lambda L, x, y: x < y,
    "logical_and": lambda L, x, y: L.logical_and(x, y),
    "where": lambda L, x, y: L.where(x > 0, x, y),
    "where_other_cond": lambda L, x, y: L.where(y > 0.5, y, x),
    "clamp_tensor": lambda L, x, y: x.clamp(min=y),
    "lerp": lambda L, x, y: x.lerp(y, 0.25),
    "hypot": lambda L, x, y: x.hypot(y),
    "xlogy": lambda L, x, y: x.xlogy(y),
    "mse_none": lambda L, x, y: L.nn.functional.mse_loss(x, y, reduction="none"),
    "radd": lambda L, x, y: y + x,
    "bitwise_and": lambda L, x, y: x.long() & y.long(),
    "fmod": lambda L, x, y: L.fmod(x, y),
    "div_floor": lambda L, x, y: L.div(x, y, rounding_mode="floor"),
}
PAIRS = [
    ("transposed", "contiguous"),
    ("contiguous", "transposed"),
    ("transposed", "transposed"),
    ("transposed", "row"),
    ("row", "transposed"),
    ("transposed", "col"),
    ("transposed", "zero_dim"),
    ("zero_dim", "transposed"),
    ("permuted201", "contiguous3"),
    ("contiguous3", "permuted201"),
    ("permuted201", "permuted120"),
    ("permuted120", "permuted021"),
    ("step", "contiguous"),
    ("step", "transposed"),
    ("transposed_step", "contiguous"),
    ("expanded_rows", "transposed"),
    ("expanded_cols", "transposed"),
    ("expanded_rows", "contiguous"),
    ("expanded_cols", "expanded_rows"),
    ("transposed", "expanded_cols"),
    ("transposed_int", "transposed"),
    ("transposed_double", "contiguous"),
    ("contiguous", "transposed_double"),
    ("size1_middle", "size1_middle"),
    ("col", "row"),
    ("transposed_bool", "contiguous"),
    ("channels_last", "channels_last"),
]


@pytest.mark.parametrize("pair", PAIRS, ids=["-".join(p) for p in PAIRS])
@pytest.mark.parametrize("op", BINARY)
def test_binary_result_layout(op, pair):
    """Mixed layouts: the first operand that prefers an order decides (numpy: C order)."""
    _same_layout(BINARY[op], *pair)


OTHER = {
    "sum_keepdim0": lambda L, x: x.sum(0, keepdim=True),
    "sum_keepdim1": lambda L, x: x.sum(1, keepdim=True),
    "sum_last": lambda L, x: x.sum(-1),
    "mean_keepdim01": lambda L, x: x.mean((0, 1), keepdim=True),
    "amax_keepdim": lambda L, x: x.amax(0, keepdim=True),
    "max_dim": lambda L, x: x.max(0, keepdim=True),
    "argmax": lambda L, x: x.argmax(0, keepdim=True),
    "std": lambda L, x: x.std(0, keepdim=True),
    "norm": lambda L, x: x.norm(2, dim=0, keepdim=True),
    "logsumexp": lambda L, x: x.logsumexp(0, keepdim=True),
    "sum_empty_dims": lambda L, x: x.sum(()),
    "mean_empty_dims": lambda L, x: x.mean(dim=(), keepdim=True),
    "sort": lambda L, x: x.sort(0),
    "sort_stable": lambda L, x: x.sort(-1, descending=True, stable=True),
    "topk": lambda L, x: x.topk(2, 0),
    "argsort": lambda L, x: x.argsort(0),
    "int_index": lambda L, x: x[L.tensor([0, 2])],
    "list_index": lambda L, x: x[[0, 2]],
    "mixed_index": lambda L, x: x[..., L.tensor([0, 1])],
    "two_index": lambda L, x: x[L.tensor([0, 1]), L.tensor([1, 0])],
    "mask_index": lambda L, x: x[x > 0],
    "index_select": lambda L, x: x.index_select(1, L.tensor([0, 1])),
    "gather": lambda L, x: x.gather(0, L.zeros(x.shape, dtype=L.int64)),
    "nonzero": lambda L, x: x.nonzero(),
    "masked_select": lambda L, x: x.masked_select(x > 0),
    "scatter_add": lambda L, x: L.zeros_like(x).scatter_add(0, L.zeros(x.shape, dtype=L.int64), x),
    "index_add": lambda L, x: x.index_add(
        0, L.tensor([0, 1]), L.ones_like(x.index_select(0, L.tensor([0, 1])))
    ),
    "scatter": lambda L, x: x.scatter(0, L.zeros(x.shape, dtype=L.int64), 1.0),
    "index_fill": lambda L, x: x.index_fill(0, L.tensor([0]), -1.0),
    "index_copy": lambda L, x: x.index_copy(0, L.tensor([0]), x[:1].clone()),
    "masked_scatter": lambda L, x: x.masked_scatter(x > 0, L.ones_like(x)),
    "cat": lambda L, x: L.cat([x, x * 2], 0),
    "cat_last": lambda L, x: L.cat([x, x], -1),
    "stack": lambda L, x: L.stack([x, x + 1], 0),
    "stack_last": lambda L, x: L.stack([x, x + 1], -1),
    "expand_contiguous": lambda L, x: x.expand((2,) + tuple(x.shape)).contiguous(),
    "mT_reshape": lambda L, x: x.mT.reshape(-1),
    "flatten": lambda L, x: x.flatten(),
    "tile": lambda L, x: x.tile((2,)),
    "split": lambda L, x: x.split(1, 0),
    "chunk": lambda L, x: x.chunk(2, 1),
    "unbind": lambda L, x: x.unbind(1),
    "matmul": lambda L, x: x @ L.ones(x.shape[-1], 2),
    "rmatmul": lambda L, x: L.ones(2, x.shape[-2]) @ x,
    "gram": lambda L, x: x.mT @ x,
    "einsum": lambda L, x: L.einsum("...i,ij->...j", x, L.ones(x.shape[-1], 2)),
    "linear": lambda L, x: L.nn.functional.linear(x, L.ones(2, x.shape[-1])),
    "layer_norm": lambda L, x: L.nn.functional.layer_norm(x, x.shape[-1:]),
}
OTHER_LAYOUTS = [k for k in ONE_INPUT if k not in ("transposed_bool", "transposed_int")]


@pytest.mark.parametrize("layout", OTHER_LAYOUTS)
@pytest.mark.parametrize("op", OTHER)
def test_reduction_index_shape_result_layout(op, layout):
    if op == "stack" and layout == "channels_last":
        pytest.skip("stack of 4-d channels-last inputs: cat's ChannelsLast3d format, not modelled")
    _same_layout(OTHER[op], layout)


def test_scatter_add_of_a_transposed_zeros_like_is_contiguous():
    """Fuzzer 2032_002: zeros_like keeps the transposed layout, scatter_add's result is C order,
    so .mT.reshape(-1) copies (is_view False) in torch."""
    for L in (torch, numtorch):
        t = L.arange(9.0).reshape(3, 3).t()
        r = L.zeros_like(t).scatter_add(0, L.zeros(3, 3, dtype=L.int64), t)
        assert r.stride() == (3, 1)
        assert not r.mT.reshape(-1)._is_view()


def test_binary_result_follows_the_first_operand():
    """transposed + contiguous is laid out like the transposed operand, so .t().view(-1) works."""
    for L in (torch, numtorch):
        x = L.arange(12.0).reshape(4, 3).t()
        y = L.ones(3, 4)
        assert (x + y).t().view(-1).shape == (12,)
        with pytest.raises(RuntimeError, match="view size is not compatible"):
            (y + x).t().view(-1)


# ---- random layouts ------------------------------------------------------------------------
@st.composite
def _strided(draw):
    """(shape, perm, steps, expand) of a random view: permuted memory, sliced with steps, with
    size-1 dims and broadcasting."""
    nd = draw(st.integers(1, 4))
    shape = tuple(draw(st.sampled_from([1, 2, 3])) for _ in range(nd))
    perm = tuple(draw(st.permutations(range(nd))))
    steps = tuple(draw(st.sampled_from([1, 1, 2])) for _ in range(nd))
    return shape, perm, steps


def _layout_of_dims(r):
    """Strides of the dims of size > 1: what view() compatibility depends on. (A size-1 dim's
    stride can differ: inputs that NumPy calls C-contiguous take the dispatcher's fast path.)"""
    return [
        (tuple(x.shape), tuple(s for s, n in zip(x.stride(), x.shape) if n > 1))
        for x in (r if isinstance(r, (tuple, list)) else [r])
    ]


def _build(L, spec, dtype="float64"):
    shape, perm, steps = spec
    big = [n * s for n, s in zip(shape, steps)]
    x = _make(L, tuple(big), perm, dtype)
    return x[tuple(slice(None, None, s) for s in steps)]


@st.composite
def _broadcasting_pair(draw):
    """Two random views of broadcastable shapes: b takes a suffix of a's shape, some sizes 1."""
    a = draw(_strided())
    nd = draw(st.integers(1, len(a[0])))
    shape = tuple(1 if draw(st.booleans()) and draw(st.booleans()) else n for n in a[0][-nd:])
    perm = tuple(draw(st.permutations(range(nd))))
    steps = tuple(draw(st.sampled_from([1, 2])) for _ in range(nd))
    pair = (a, (shape, perm, steps))
    return pair[::-1] if draw(st.booleans()) else pair


@settings(max_examples=150, deadline=None)
@given(pair=_broadcasting_pair(), op=st.sampled_from(["add", "mul", "lt", "where", "maximum"]))
def test_random_binary_layouts(pair, op):
    fn = {
        "add": lambda L, x, y: x + y,
        "mul": lambda L, x, y: y * x,
        "lt": lambda L, x, y: x < y,
        "where": lambda L, x, y: L.where(y > 0, x, y),
        "maximum": lambda L, x, y: L.maximum(x, y),
    }[op]
    got = {}
    for name, L in (("torch", torch), ("numtorch", numtorch)):
        got[name] = _layout_of_dims(fn(L, _build(L, pair[0]), _build(L, pair[1])))
    assert got["numtorch"] == got["torch"]


@settings(max_examples=100, deadline=None)
@given(a=_strided(), op=st.sampled_from(["exp", "clone", "double", "zeros_like", "scalar"]))
def test_random_unary_layouts(a, op):
    fn = {
        "exp": lambda L, x: x.exp(),
        "clone": lambda L, x: x.clone(),
        "double": lambda L, x: x.float(),
        "zeros_like": lambda L, x: L.zeros_like(x),
        "scalar": lambda L, x: x * 2,
    }[op]
    assert _layout_of_dims(fn(numtorch, _build(numtorch, a))) == _layout_of_dims(fn(torch, _build(torch, a)))


BACKWARD = {
    "gelu": lambda L, x: L.nn.functional.gelu(x),
    "tanh": lambda L, x: x.tanh(),
    "sigmoid": lambda L, x: x.sigmoid(),
    "relu": lambda L, x: x.relu(),
    "softplus": lambda L, x: L.nn.functional.softplus(x),
    "elu": lambda L, x: L.nn.functional.elu(x),
    "leaky_relu": lambda L, x: L.nn.functional.leaky_relu(x, 0.1),
    "hardtanh": lambda L, x: L.nn.functional.hardtanh(x),
    "hardswish": lambda L, x: L.nn.functional.hardswish(x),
    "logsigmoid": lambda L, x: L.nn.functional.logsigmoid(x),
    "mse_none": lambda L, x: L.nn.functional.mse_loss(x, L.zeros_like(x), reduction="none"),
    "mul": lambda L, x: x * x,
    "where": lambda L, x: L.where(x > 0, x, 0.0),
}


@pytest.mark.parametrize(
    "layout", ["transposed", "permuted201", "permuted120", "transposed_step", "size1_first"]
)
@pytest.mark.parametrize("op", BACKWARD)
def test_gradient_layout(op, layout):
    """The backward kernels' results (threshold_backward, gelu_backward, ...) as autograd.grad
    returns them for a non-leaf input laid out like `layout`."""

    def grad(L, x):
        y0 = x.detach().double().requires_grad_() * 1
        y = BACKWARD[op](L, y0)
        return L.autograd.grad(y, y0, L.ones_like(y))[0]

    _same_layout(grad, layout)


# einsum's mul/bmm results follow operands whose size-1 dims carry unusual strides (permutes and
# unsqueezes of strided inputs); NumPy calls those C-contiguous, TensorIterator's sort does not
_EINSUM_CASES = [
    ("...i,ij->...j", (3, 1, 1), (1, 2)),
    ("...i,ij->...j", (3, 1, 4), (4, 2)),
    ("ij,jk->ik", (3, 1), (1, 2)),
    ("bij,bjk->bik", (2, 1, 4), (2, 4, 1)),
    ("bhqd,bhkd->bhqk", (1, 3, 1, 5), (1, 3, 6, 5)),
    ("i,j->ij", (3,), (4,)),
]


@pytest.mark.parametrize("permuted", [False, True])
@pytest.mark.parametrize("case", _EINSUM_CASES, ids=[c[0] + str(c[1]) for c in _EINSUM_CASES])
def test_einsum_result_layout(case, permuted):
    equation, *shapes = case

    def observe(lib):
        ops = []
        for s in shapes:
            n = int(np.prod(s))
            t = lib.arange(float(n)).reshape(tuple(reversed(s))).permute(*reversed(range(len(s)))) if permuted \
                else lib.arange(float(n)).reshape(s)
            ops.append(t.requires_grad_())
        r = lib.einsum(equation, *ops)
        flat = r.flatten()
        return r.stride(), r._is_view(), type(r.grad_fn).__name__, type(flat.grad_fn).__name__, flat._is_view()
    assert observe(numtorch) == observe(torch)


def test_size_one_dim_strides_steer_the_iterator_layout():
    def observe(lib):
        a = lib.zeros(1, 1, 3).permute(2, 1, 0).unsqueeze(3).permute(0, 1, 3, 2)  # C-contiguous for NumPy
        return (a * 2).stride(), (a * lib.zeros(1, 1, 2, 1)).stride()
    assert observe(numtorch) == observe(torch)


@pytest.mark.parametrize("reps", [(1, 1), (2, 1), (1, 2), (1, 1, 1)])
def test_repeat_and_tile_results_are_contiguous(reps):
    """repeat allocates a C-order result even when every count is 1 (numpy's tile would copy
    in the input's layout)."""
    import torch
    import numtorch
    for lib in (torch, numtorch):
        assert lib.ones(2, 3).t().repeat(*reps).is_contiguous()
        assert lib.ones(2, 3).t().tile(reps).is_contiguous()
