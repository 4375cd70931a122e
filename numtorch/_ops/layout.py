"""Memory layout (strides) of op results as ATen allocates them; see NOTE [Output layout].
Only consulted when an input is not C-contiguous: for contiguous inputs every rule gives C order,
which is what NumPy's kernels return too, so the dispatcher's fast path skips this module."""

from __future__ import annotations

import numpy as np

from .._autograd.views import torch_strides

# NOTE [Output layout]
# torch lays a fresh result out after its inputs, and a later view()/reshape() is a view or a
# copy (or an error) depending on it. Four rules cover the ops (NumPy's "K" order differs on
# mixed layouts, expanded inputs and size-1 dims):
# - "iterator": TensorIterator (elementwise, comparisons, where, clamp). build() first
#   tries fast_set_up: inputs all of the result's shape and all contiguous -> C order; all
#   channels-last -> channels-last; all non-overlapping-and-dense with equal strides -> those
#   strides. Otherwise reorder_dimensions sorts the dimensions by the operands' strides (the first
#   operand that prefers an order decides; broadcast dims, stride 0, are ignored; equal strides:
#   the smaller size goes inner) and allocate_or_resize_outputs gives the result dense strides in
#   that order (TensorIterator.cpp).
# - "like": empty_like with preserve_format (clone, to(dtype), *_like, flip, sort):
#   a non-overlapping-and-dense input's strides exactly, else infer_dense_strides, the same sort
#   on the one input (TensorUtils.cpp).
# - "contiguous": results ATen allocates with empty strides (index ops, scatter, ...).
# - "suggest": at::empty with self.suggest_memory_format() (and at::cat, whose
#   compute_output_memory_format agrees when all inputs suggest one): C order unless the 4-d
#   inputs' strides all look channels-last.
# Inputs NumPy calls C-contiguous but whose size-1 dims have unusual strides (a permute or
# unsqueeze of a strided tensor, as einsum makes) take the rules too (see torch_layout_differs):
# they steer reorder_dimensions as in torch, so a later flatten is a copy where torch's is.
# Not modelled: an empty result's strides (torch_strides reports them as contiguous; any view of
# it works).


def non_overlapping_and_dense(shape, strides) -> bool:
    """TensorImpl::compute_non_overlapping_and_dense."""
    if len(shape) == 1:
        return shape[0] < 2 or strides[0] == 1
    expected = 1
    for stride, size in sorted((s, n) for n, s in zip(shape, strides) if n >= 2):
        if stride != expected:
            return False
        expected *= size
    return True


def torch_layout_differs(a: np.ndarray) -> bool:
    """Whether a's torch strides are not C order: not C-contiguous for NumPy, or a size-1 dim
    whose stride is not the C one (NumPy ignores those; TensorIterator's sort does not)."""
    if not a.flags.c_contiguous:
        return True
    if 1 not in a.shape:
        return False
    return torch_strides(a) != _c_strides(a.shape)


def _contiguous(shape, strides) -> bool:
    """TensorImpl::compute_contiguous (size-1 dims ignored, empty tensors contiguous)."""
    expected = 1
    for n, s in zip(reversed(shape), reversed(strides)):
        if n == 0:
            return True
        if n != 1:
            if s != expected:
                return False
            expected *= n
    return True


def _channels_last(shape, strides) -> bool:
    """compute_channels_last_contiguous_2d: a 4-d tensor dense in (N, H, W, C) order."""
    if len(shape) != 4:
        return False
    expected = 1
    for d in (1, 3, 2, 0):
        if shape[d] != 1:
            if strides[d] != expected:
                return False
            expected *= shape[d]
    return True


def _channels_last_strides(shape) -> tuple:
    c = 1
    w = shape[1]
    h = w * shape[3]
    return (h * shape[2], c, h, w)


def _suggests_channels_last(shape, strides) -> bool:
    """is_channels_last_strides_2d_s4, behind suggest_memory_format (ambiguous cases: NCHW)."""
    low = 0
    if strides[1] == 0:
        return False
    for d in (1, 3, 2, 0):
        if shape[d] == 0 or strides[d] < low or (d == 0 and low == strides[1]):
            return False
        low = strides[d] * (shape[d] if shape[d] > 1 else 1)
    return True


def stride_swap(shape, strides, d0, d1) -> int:
    """should_swap for one operand's strides: 1 to move d0 inward of d1, -1 to keep the order,
    0 when undecided (a zero stride, or equal strides and sizes)."""
    s0, s1 = strides[d0], strides[d1]
    if s0 == 0 or s1 == 0:
        return 0
    if s0 != s1:
        return -1 if s0 < s1 else 1
    return 1 if shape[d0] > shape[d1] else 0


def _sorted_dims(ndim: int, should_swap) -> list:
    """The insertion sort of reorder_dimensions / infer_dense_strides: innermost dim first."""
    perm = list(range(ndim - 1, -1, -1))
    for i in range(1, ndim):
        dim1 = i
        for dim0 in range(i - 1, -1, -1):
            cmp = should_swap(perm[dim0], perm[dim1])
            if cmp > 0:
                perm[dim0], perm[dim1] = perm[dim1], perm[dim0]
                dim1 = dim0
            elif cmp < 0:
                break
    return perm


def iterator_strides(shape: tuple, operands: list) -> tuple | None:
    """The strides TensorIterator gives its output for inputs `operands` ((shape, strides) pairs
    in torch's operand order), or None for C order."""
    ndim = len(shape)
    if ndim <= 1:
        return None
    if all(s == shape for s, _ in operands):  # fast_set_up
        if all(_contiguous(s, st) for s, st in operands):
            return None
        if ndim == 4 and all(_channels_last(s, st) for s, st in operands):
            return _channels_last_strides(shape)
        first = operands[-1][1]  # (torch compares from the last operand)
        if all(non_overlapping_and_dense(s, st) and st == first for s, st in operands):
            return first
    rows = []  # compute_strides: broadcast dims get stride 0
    for s, st in operands:
        off = ndim - len(s)
        row = [0] * ndim
        for i, n in enumerate(s):
            row[off + i] = 0 if n == 1 and shape[off + i] != 1 else st[i]
        rows.append(row)

    def should_swap(d0, d1):
        for row in rows:
            s0, s1 = row[d0], row[d1]
            if s0 == 0 or s1 == 0:
                continue
            if s0 != s1:
                return -1 if s0 < s1 else 1
            if shape[d0] > shape[d1]:
                return 1
        return 0

    perm = _sorted_dims(ndim, should_swap)
    if perm == list(range(ndim - 1, -1, -1)):
        return None
    out = [0] * ndim
    step = 1
    for d in perm:  # compatible_stride: every size counts, 0 and 1 too
        out[d] = step
        step *= shape[d]
    return tuple(out)


def dense_strides(shape: tuple, strides: tuple) -> tuple:
    """infer_dense_strides: dense strides keeping the stride order of a non-dense tensor."""
    ndim = len(shape)
    if ndim <= 1:
        return (1,) * ndim

    def should_swap(d0, d1):
        return stride_swap(shape, strides, d0, d1)

    out = [0] * ndim
    step = 1
    for d in _sorted_dims(ndim, should_swap):
        out[d] = step
        if shape[d] > 1:  # (size 0 and 1 count as 1 here)
            step *= shape[d]
    return tuple(out)


def like_strides(a: np.ndarray) -> tuple:
    """empty_like(a) with preserve_format."""
    strides = torch_strides(a)
    if non_overlapping_and_dense(a.shape, strides):
        return strides
    return dense_strides(a.shape, strides)


def strided_empty(shape: tuple, strides: tuple | None, dtype) -> np.ndarray:
    """A fresh array with element strides `strides` (None: C order)."""
    dtype = np.dtype(dtype)
    if strides is None:
        return np.empty(shape, dtype)
    size = 1 + sum((n - 1) * s for n, s in zip(shape, strides)) if 0 not in shape else 0
    buf = np.empty(size, dtype)
    return np.lib.stride_tricks.as_strided(buf, shape, tuple(s * dtype.itemsize for s in strides))


def with_strides(values: np.ndarray, strides: tuple | None) -> np.ndarray:
    """`values` in an array laid out with element strides `strides` (None: C order); no copy when
    values already has them."""
    if values.size == 0:  # (torch_strides reports an empty array with a 0 stride as contiguous)
        if strides is None or 0 in strides or torch_strides(values) == tuple(strides):
            return values
        return strided_empty(values.shape, strides, values.dtype)
    if strides is None:
        if values.flags.c_contiguous and 1 not in values.shape:
            return values
        strides = _c_strides(values.shape)
    if torch_strides(values) == tuple(strides):
        return values
    out = strided_empty(values.shape, strides, values.dtype)
    out[...] = values
    return out


def _c_strides(shape) -> tuple:
    out = [1] * len(shape)
    for i in range(len(shape) - 2, -1, -1):
        out[i] = out[i + 1] * shape[i + 1]
    return tuple(out)


def relayout(rule: str, out: np.ndarray, arrays) -> np.ndarray:
    """out (a kernel's fresh result) laid out by `rule` for input arrays `arrays` (in torch's
    operand order). The dispatcher calls this only when an input is not C-contiguous."""
    if rule == "contiguous":
        return out if out.flags.c_contiguous else np.ascontiguousarray(out)
    if rule == "iterator":
        strides = iterator_strides(out.shape, [(a.shape, torch_strides(a)) for a in arrays])
    elif rule == "suggest":
        strides = (
            _channels_last_strides(out.shape)
            if out.ndim == 4
            and all(a.ndim == 4 and _suggests_channels_last(a.shape, torch_strides(a)) for a in arrays)
            else None
        )
    else:
        strides = like_strides(arrays[0])
    return with_strides(out, strides)


# The rule of each op, by ATen name (an Op's own `layout=` overrides). Ops not listed keep their
# kernel's layout (views, reductions, linalg, nn kernels that allocate contiguous results).
_ITERATOR = """abs acos asin atan atan2 add sub rsub mul div floor_divide remainder fmod pow neg
    reciprocal rsqrt sqrt exp exp2 expm1 log log10 log1p log2 sin cos tan sinh cosh tanh sigmoid
    erf erfc erfinv ceil floor round trunc frac sign sgn relu clamp clamp_min clamp_max maximum
    minimum hypot lerp xlogy nan_to_num eq ne lt le gt ge logical_and logical_or logical_xor
    logical_not bitwise_and bitwise_or bitwise_xor bitwise_not isnan isinf isfinite
    tanh_backward sigmoid_backward threshold threshold_ threshold_backward gelu gelu_backward silu
    softplus softplus_backward elu elu_ elu_backward celu celu_ leaky_relu leaky_relu_
    leaky_relu_backward hardtanh hardtanh_backward hardswish hardswish_backward hardsigmoid
    hardsigmoid_backward hardshrink hardshrink_backward softshrink softshrink_backward mish
    mse_loss""".split()
# empty_like(self) (preserve_format), then a kernel writing into it
_LIKE = "_to_copy flip sort index_fill log_sigmoid_backward".split()
# allocated with C strides whatever the inputs' layout
_CONTIGUOUS = """masked_fill masked_scatter scatter scatter_add scatter_reduce gather index_select
    index_add index_copy stack native_layer_norm mse_loss_backward log_sigmoid""".split()
RULES: dict = {
    **{n: "iterator" for n in _ITERATOR},
    **{n: "like" for n in _LIKE},
    **{n: "contiguous" for n in _CONTIGUOUS},
}
# torch's operand order where numtorch's inputs differ: where(condition, self, other)
OPERANDS: dict = {"where": (2, 0, 1)}
RULES["where"] = "iterator"
RULES["roll"] = "suggest"  # roll_common narrows and cats
RULES["constant_pad_nd"] = "suggest"
