"""Op-table entries for the shape, indexing, sorting and reduction families (issue #4): joining
(cat, stack, hstack, vstack), rearranging (flip, roll, repeat, repeat_interleave, tile, tril,
triu), gathering (gather, index_select, masked_select, take_along_dim), sorting (topk, sort,
argsort), statistical reductions (var, std, logsumexp, softmax, log_softmax, norm), rounding and
pointwise math (clip, floor, ceil, round, trunc, frac, atan2, hypot, erf, lerp, nan_to_num), the
predicates (isnan, isinf, isfinite, all, any, count_nonzero, isclose, allclose) and the integer
ops without a gradient (unique, bincount, one_hot).

Imported at the end of op_table.py, so every entry runs through every check in test_op_table.py.
Random float samples have no ties; integer and bool samples that feed sort/topk/argsort use
fixed values without ties or stable=True, since torch leaves the order of ties unspecified."""

from __future__ import annotations

from harness import D, S, T
from op_table import NZ, add_op, err, unary_samples

INF, NAN = float("inf"), float("nan")

# In-place variants implemented in numtorch/_ops/structure.py (tril_, triu_, atan2_, hypot_, lerp_,
# nan_to_num_) but not yet bound as Tensor methods: binding is methods.py's job, e.g.
#     METHODS.update({n: getattr(_structure, n) for n in (
#         "tril_", "triu_", "atan2_", "hypot_", "lerp_", "nan_to_num_")}, arctan2_=_structure.atan2_)
# Once they are bound, set BOUND_INPLACE = True: their entries then compare the in-place variant too.
BOUND_INPLACE = True


def _bound(fn):
    return fn if BOUND_INPLACE else None


def _bound_errors(errors):
    return errors if BOUND_INPLACE else []


# ---- joining ------------------------------------------------------------------------------------
add_op(
    "cat",
    lambda L, *xs, **k: L.cat(xs, **k),
    [
        S(T((2, 3)), T((4, 3))),
        S(T((2, 3)), T((2, 5)), dim=1),
        S(T((2, 3)), T((2, 3)), T((2, 1)), dim=-1),
        S(T((2, 3, 2)), T((2, 1, 2)), dim=-2),
        S(T((3,))),
        S(T((2, 3)), T((2, 3), "float64")),
        S(T((2, 3), "int64"), T((2, 3))),
        S(T((2, 3), "int64"), T((1, 3), "int32")),
        S(T((2, 3), "bool"), T((2, 3), "bool")),
        S(T((4, 3), noncontig=True), T((2, 3))),
        S(T((3, 4), noncontig=True), T((3, 4), noncontig=True), dim=1),
        S(T((0, 3)), T((2, 3))),
        S(T((0,)), T((2, 3)), name="legacy_empty_1d"),
        S(T((2, 3), rg=False), T((2, 3))),
    ],
    errors=[
        err("empty_list", lambda L: L.cat([])),
        err("zero_dim", lambda L: L.cat([L.tensor(1.0), L.tensor(2.0)])),
        err("sizes", lambda L: L.cat([L.ones(2, 3), L.ones(2, 4)])),
        err("ndims", lambda L: L.cat([L.ones(2, 3), L.ones(3)])),
        err("dim_range", lambda L: L.cat([L.ones(2, 3), L.ones(2, 3)], 2)),
        err("dim_range_neg", lambda L: L.cat([L.ones(2, 3), L.ones(2, 3)], -3)),
        err("not_a_list", lambda L: L.cat(L.ones(2, 3))),
    ],
)
add_op("concat", lambda L, *xs, **k: L.concat(xs, **k), [S(T((2, 3)), T((2, 2)), dim=1)])
add_op("concatenate", lambda L, *xs, **k: L.concatenate(xs, **k), [S(T((2, 3)), T((1, 3)))])
add_op(
    "stack",
    lambda L, *xs, **k: L.stack(xs, **k),
    [
        S(T((2, 3)), T((2, 3))),
        S(T((2, 3)), T((2, 3)), dim=1),
        S(T((2, 3)), T((2, 3)), T((2, 3)), dim=2),
        S(T((2, 3)), T((2, 3)), dim=-1),
        S(T((2, 3)), T((2, 3)), dim=-3),
        S(T(()), T(())),
        S(T((3,))),
        S(T((2, 3)), T((2, 3), "float64")),
        S(T((2, 3), "int64"), T((2, 3), "int64")),
        S(T((2, 3), "bool"), T((2, 3), "int32")),
        S(T((3, 4), noncontig=True), T((3, 4)), dim=1),
        S(T((0, 3)), T((0, 3)), dim=1),
        S(T((2, 3), rg=False), T((2, 3))),
    ],
    errors=[
        err("empty_list", lambda L: L.stack([])),
        err("sizes", lambda L: L.stack([L.ones(2, 3), L.ones(2, 4)])),
        err("dim_range", lambda L: L.stack([L.ones(2, 3), L.ones(2, 3)], 3)),
        err("dim_range_neg", lambda L: L.stack([L.ones(2, 3)], -4)),
    ],
)
add_op(
    "hstack",
    lambda L, *xs: L.hstack(xs),
    [
        S(T((2, 3)), T((2, 1))),
        S(T((3,)), T((2,))),
        S(T(()), T((2,))),
        S(T((2, 3, 2)), T((2, 1, 2))),
        S(T((3, 4), noncontig=True), T((3, 2), "float64")),
        S(T((2, 3), "int64"), T((2, 3), "int64")),
    ],
    errors=[
        err("empty_list", lambda L: L.hstack([])),
        err("sizes", lambda L: L.hstack([L.ones(2, 3), L.ones(3, 3)])),
    ],
)
add_op(
    "vstack",
    lambda L, *xs: L.vstack(xs),
    [
        S(T((2, 3)), T((1, 3))),
        S(T((3,)), T((3,))),
        S(T(()), T(())),
        S(T((3,)), T((2, 3))),
        S(T((2, 3, 2)), T((1, 3, 2))),
        S(T((4, 3), noncontig=True), T((2, 3), "float64")),
        S(T((2, 3), "bool"), T((2, 3), "bool")),
    ],
    errors=[
        err("empty_list", lambda L: L.vstack([])),
        err("sizes", lambda L: L.vstack([L.ones(3), L.ones(2)])),
    ],
)

# ---- rearranging ---------------------------------------------------------------------------------
add_op(
    "flip",
    lambda L, x, d: L.flip(x, d),
    [
        S(T((3, 4)), [0]),
        S(T((3, 4)), (1,)),
        S(T((3, 4)), [0, 1]),
        S(T((2, 3, 4)), [-1, 0]),
        S(T((2, 3, 4)), []),
        S(T(()), []),
        S(T(()), [0]),
        S(T((4, 3), noncontig=True), [1]),
        S(T((2, 3), "float64"), [0]),
        S(T((2, 3), "int64"), [1]),
        S(T((2, 3), "bool"), [0, 1]),
        S(T((0, 3)), [0, 1]),
    ],
    errors=[
        err("duplicate", lambda L: L.flip(L.ones(2, 3), [0, 0])),
        err("duplicate_neg", lambda L: L.flip(L.ones(2, 3), [1, -1])),
        err("dim_range", lambda L: L.flip(L.ones(2, 3), [2])),
        err("dim_range_0d", lambda L: L.flip(L.tensor(1.0), [1])),
        # not compared: torch.flip(x, 0) is a TypeError (dims must be a sequence) while numtorch
        # accepts it, since torch.flip and Tensor.flip (which takes varargs) are one function there
    ],
)
add_op(
    "flip_method", lambda L, x, *d: x.flip(*d), [S(T((3, 4)), 0, 1), S(T((3, 4)), [1]), S(T((3, 4)), (0,))]
)
add_op(
    "roll",
    lambda L, x, *a, **k: L.roll(x, *a, **k),
    [
        S(T((3, 4)), 1),
        S(T((3, 4)), -5),
        S(T((3, 4)), 1, 0),
        S(T((3, 4)), 5, -1),
        S(T((3, 4)), (1, -2), (0, 1)),
        S(T((2, 3, 4)), [2, 1], [-1, 0]),
        S(T((2, 3, 4)), 2, dims=1),
        S(T(()), 1),
        S(T((4, 3), noncontig=True), 2, 1),
        S(T((4, 3), noncontig=True), 1),
        S(T((2, 3), "float64"), 1, 0),
        S(T((2, 3), "int64"), -1, 1),
        S(T((2, 3), "bool"), 2),
        S(T((0, 3)), 1, 1),
    ],
    errors=[
        err("0d_dim", lambda L: L.roll(L.tensor(1.0), 1, 0)),
        err("align", lambda L: L.roll(L.ones(2, 3), (1, 2), 0)),
        err("align_no_dims", lambda L: L.roll(L.ones(2, 3), (1, 2))),
        err("dim_range", lambda L: L.roll(L.ones(2, 3), 1, 2)),
    ],
)
add_op("roll_method", lambda L, x, *a: x.roll(*a), [S(T((3, 4)), 1, 0), S(T((3, 4)), (1, 1), (0, 1))])
add_op(
    "repeat",
    lambda L, x, *r: x.repeat(*r),
    [
        S(T((2, 3)), 2, 1),
        S(T((2, 3)), 1, 3),
        S(T((2, 3)), 2, 2, 2),
        S(T((2, 3)), (3, 2)),
        S(T((2, 3)), [1, 2, 1, 2]),
        S(T((3,)), 2),
        S(T(()), 3),
        S(T(()), 2, 3),
        S(T(()), ()),
        S(T((2, 3)), 0, 2),
        S(T((4, 3), noncontig=True), 2, 3),
        S(T((2, 3), "float64"), 1, 2),
        S(T((2, 3), "int64"), 2, 1),
        S(T((2, 3), "bool"), 1, 2),
        S(T((0, 3)), 2, 2),
    ],
    errors=[
        err("too_few", lambda L: L.ones(2, 3).repeat(2)),
        err("negative", lambda L: L.ones(2, 3).repeat(2, -1)),
        err("negative_extra_dim", lambda L: L.ones(2, 3).repeat(-1, -2, 1)),
    ],
)
add_op(
    "repeat_interleave",
    lambda L, x, *a, **k: L.repeat_interleave(x, *a, **k),
    [
        S(T((2, 3)), 2),
        S(T((2, 3)), 2, 0),
        S(T((2, 3)), 3, dim=-1),
        S(T((2, 3)), 0, 1),
        S(T(()), 3),
        S(T((2, 3)), T((3,), "int64", values=[1, 0, 2]), 1),
        S(T((2, 3)), T((2,), "int64", values=[2, 3]), dim=0),
        S(T((2, 3)), T((1,), "int64", values=[2]), 1, name="one_count"),
        S(T((2, 3)), T((), "int64", values=2), 0, name="0d_count"),
        S(T((4, 3), noncontig=True), 2, 1),
        S(T((2, 3), "float64"), T((6,), "int64", values=[1, 2, 0, 1, 1, 3])),
        S(T((2, 3), "int64"), 2, 0),
        S(T((2, 3), "bool"), 2, 1),
        S(T((0, 3)), 2, 0),
        S(T((2, 3)), 2, 0, output_size=4),
    ],
    errors=[
        err("counts_size", lambda L: L.repeat_interleave(L.ones(2, 3), L.tensor([1, 2]), 1)),
        err("negative", lambda L: L.repeat_interleave(L.ones(3), L.tensor([1, -1, 2]))),
        err("float_counts", lambda L: L.repeat_interleave(L.ones(3), L.tensor([1.0, 1.0, 2.0]))),
        err("counts_2d", lambda L: L.repeat_interleave(L.ones(2), L.tensor([[1, 2]]))),
        err("negative_int", lambda L: L.repeat_interleave(L.ones(3), -1)),
        err("output_size", lambda L: L.repeat_interleave(L.ones(2, 3), L.tensor([2]), 0, output_size=5)),
        err("dim_range", lambda L: L.repeat_interleave(L.ones(2, 3), 2, 2)),
    ],
)
add_op(
    "repeat_interleave_counts",
    lambda L, r, **k: L.repeat_interleave(r, **k),
    [
        S(T((4,), "int64", values=[1, 0, 3, 2])),
        S(T((3,), "int32", values=[2, 1, 0])),
        S(T((4,), "int64", values=[1, 0, 3, 2]), output_size=6),
        S(T((0,), "int64")),
    ],
    grad=False,
    errors=[
        err("0d", lambda L: L.repeat_interleave(L.tensor(2))),
        err("bool", lambda L: L.repeat_interleave(L.tensor([True, False]))),
        err("negative", lambda L: L.repeat_interleave(L.tensor([1, -1]))),
        err("output_size", lambda L: L.repeat_interleave(L.tensor([1, 2]), output_size=4)),
    ],
)
add_op(
    "repeat_interleave_method",
    lambda L, x, *a, **k: x.repeat_interleave(*a, **k),
    [S(T((2, 3)), 2, 1), S(T((2, 3)), T((2,), "int64", values=[1, 2]), dim=0)],
)
add_op(
    "tile",
    lambda L, x, d: L.tile(x, d),
    [
        S(T((2, 3)), (2, 1)),
        S(T((2, 3)), (2,)),
        S(T((2, 3)), [2, 1, 2]),
        S(T((3,)), (2, 2)),
        S(T(()), (3,)),
        S(T(()), ()),
        S(T((2, 3)), (0, 1)),
        S(T((4, 3), noncontig=True), (1, 2)),
        S(T((2, 3), "float64"), (2, 2)),
        S(T((2, 3), "int64"), (3,)),
        S(T((0, 3)), (2, 2)),
    ],
    errors=[err("negative", lambda L: L.tile(L.ones(2, 3), (-1, 2)))],
)
add_op(
    "tile_method", lambda L, x, *d: x.tile(*d), [S(T((2, 3)), (2, 1)), S(T((2, 3)), 2, 2), S(T((2, 3)), 3)]
)
TRI_SAMPLES = [
    S(T((3, 4))),
    S(T((4, 3)), 1),
    S(T((4, 3)), -1),
    S(T((3, 4)), 5),
    S(T((3, 4)), -4),
    S(T((3, 4)), diagonal=2),
    S(T((2, 3, 4)), 0),
    S(T((2, 1, 3, 3)), -1),
    S(T((4, 3), noncontig=True), 1),
    S(T((2, 3), "float64")),
    S(T((3, 3), "int64"), 1),
    S(T((3, 3), "bool")),
    S(T((0, 3))),
    S(T((2, 0, 3)), 1),
]
for _name in ("tril", "triu"):
    add_op(
        _name,
        (lambda n: lambda L, x, *a, **k: getattr(L, n)(x, *a, **k))(_name),
        TRI_SAMPLES,
        inplace=_bound((lambda n: lambda L, x, *a, **k: getattr(x, n + "_")(*a, **k))(_name)),
        errors=[
            err("1d", (lambda n: lambda L: getattr(L, n)(L.ones(3)))(_name)),
            err("0d", (lambda n: lambda L: getattr(L, n)(L.tensor(1.0)))(_name)),
        ]
        + _bound_errors([err("1d_inplace", (lambda n: lambda L: getattr(L.ones(3), n + "_")())(_name))]),
    )
    add_op(_name + "_method", (lambda n: lambda L, x, *a: getattr(x, n)(*a))(_name), [S(T((3, 4)), 1)])

# ---- gathering -----------------------------------------------------------------------------------
GATHER_IDX0 = T((2, 4), "int64", values=[[0, 2, 1, 2], [1, 0, 0, 2]])
GATHER_IDX1 = T((3, 2), "int64", values=[[3, 0], [1, 1], [0, 2]])
# gather and masked_select save `self` (masked_select also the mask), as torch's nodes do: writing
# self in place after the op makes backward raise in both.
add_op(
    "gather",
    lambda L, x, d, i, **k: L.gather(x, d, i, **k),
    [
        S(T((3, 4)), 0, GATHER_IDX0),
        S(T((3, 4)), 1, GATHER_IDX1),
        S(T((3, 4)), -1, GATHER_IDX1),
        S(T((3, 4)), 1, T((2, 2), "int64", values=[[3, 3], [0, 1]]), name="smaller_index"),
        S(T((3, 4)), 0, T((0, 4), "int64")),
        S(T((4,)), 0, T((3,), "int64", values=[3, 0, 3])),
        S(T((3, 4)), 1, T((3, 2), "int32", values=[[3, 0], [1, 1], [0, 2]])),
        S(T((4, 3), noncontig=True), 0, GATHER_IDX0),
        S(T((3, 4), "float64"), 1, GATHER_IDX1),
        S(T((3, 4), "int64"), 0, GATHER_IDX0),
        S(T((3, 4), "bool"), 1, GATHER_IDX1),
        S(T((3, 4)), 1, GATHER_IDX1, sparse_grad=False),
        S(T(()), 0, T((), "int64", values=0), name="zero_dim"),
    ],
    errors=[
        err("out_of_range", lambda L: L.gather(L.ones(3, 4), 0, L.tensor([[3]]))),
        err("negative_index", lambda L: L.gather(L.ones(3, 4), 1, L.tensor([[-1]]))),
        err("float_index", lambda L: L.gather(L.ones(3, 4), 0, L.tensor([[0.0]]))),
        err("ndims", lambda L: L.gather(L.ones(3, 4), 0, L.tensor([0, 1]))),
        err("index_too_big", lambda L: L.gather(L.ones(3, 4), 0, L.zeros(2, 5, dtype=L.int64))),
        err("dim_range", lambda L: L.gather(L.ones(3, 4), 2, L.zeros(1, 1, dtype=L.int64))),
    ],
)
add_op("gather_method", lambda L, x, d, i: x.gather(d, i), [S(T((3, 4)), 1, GATHER_IDX1)])
ISEL_IDX = T((3,), "int64", values=[2, 0, 2])
add_op(
    "index_select",
    lambda L, x, d, i: L.index_select(x, d, i),
    [
        S(T((3, 4)), 0, ISEL_IDX),
        S(T((3, 4)), 1, T((5,), "int64", values=[3, 1, 0, 1, 2])),
        S(T((3, 4)), -1, ISEL_IDX),
        S(T((3, 4)), 0, T((), "int64", values=1)),
        S(T((3, 4)), 1, T((2,), "int32", values=[3, 0])),
        S(T((3, 4)), 0, T((0,), "int64")),
        S(T(()), 0, T((1,), "int64", values=[0])),
        S(T((5,)), 0, T((2,), "int64", values=[4, 4])),
        S(T((4, 3), noncontig=True), 1, ISEL_IDX),
        S(T((2, 3, 4)), 1, ISEL_IDX),
        S(T((3, 4), "float64"), 0, ISEL_IDX),
        S(T((3, 4), "int64"), 1, ISEL_IDX),
        S(T((3, 4), "bool"), 0, ISEL_IDX),
    ],
    errors=[
        err("out_of_range", lambda L: L.index_select(L.ones(3, 4), 0, L.tensor([3]))),
        err("negative", lambda L: L.index_select(L.ones(3, 4), 0, L.tensor([-1]))),
        err("float_index", lambda L: L.index_select(L.ones(3, 4), 0, L.tensor([0.0]))),
        err("index_2d", lambda L: L.index_select(L.ones(3, 4), 0, L.tensor([[0]]))),
        err("dim_range", lambda L: L.index_select(L.ones(3, 4), 2, L.tensor([0]))),
    ],
)
add_op("index_select_method", lambda L, x, d, i: x.index_select(d, i), [S(T((3, 4)), 1, ISEL_IDX)])
add_op(
    "masked_select",
    lambda L, x, m: L.masked_select(x, m),
    [
        S(T((3, 4)), T((3, 4), "bool")),
        S(T((3, 4)), T((4,), "bool")),
        S(T((4,)), T((3, 4), "bool")),
        S(T((3, 4)), T((), "bool", values=True)),
        S(T(()), T((), "bool", values=False)),
        S(T(()), T((2, 3), "bool")),
        S(T((4, 3), noncontig=True), T((4, 3), "bool", noncontig=True)),
        S(T((3, 4), "float64"), T((3, 4), "bool")),
        S(T((3, 4), "int64"), T((3, 4), "bool")),
        S(T((0, 3)), T((3,), "bool")),
    ],
    errors=[
        err("mask_dtype", lambda L: L.masked_select(L.ones(3), L.tensor([1.0, 0.0, 1.0]))),
        err("mask_broadcast", lambda L: L.masked_select(L.ones(3), L.tensor([True, False]))),
        err("mask_int", lambda L: L.masked_select(L.ones(3), L.tensor([1, 0, 1]))),
    ],
)
add_op(
    "masked_select_method", lambda L, x, m: x.masked_select(m), [S(T((3, 4)), T((3, 4), "bool"))]
)
add_op(
    "take_along_dim",
    lambda L, x, i, *a, **k: L.take_along_dim(x, i, *a, **k),
    [
        S(T((3, 4)), GATHER_IDX0, 0),
        S(T((3, 4)), GATHER_IDX1, 1),
        S(T((3, 4)), GATHER_IDX1, dim=-1),
        S(T((3, 4)), T((5,), "int64", values=[11, 0, 5, 5, 2])),
        S(T((3, 4)), T((1, 4), "int64", values=[[2, 0, 1, 1]]), 0, name="bcast_index"),
        S(T((3, 1)), T((3, 2), "int64", values=[[0, 0], [0, 0], [0, 0]]), 1, name="bcast_self"),
        S(T((2, 3, 4)), T((2, 1, 4), "int64", domain=(0, 2)), 1),
        S(T((4, 3), noncontig=True), GATHER_IDX1, 1, name="noncontig_bcast_mismatch"),
        S(T((4, 3), noncontig=True), T((4, 2), "int64", values=[[2, 0], [1, 1], [0, 2], [2, 2]]), 1),
        S(T((3, 4)), T((3, 2), "int64", values=[[5, -1], [-4, 4], [-5, 9]]), 1, name="wrapped_indices"),
        S(T(()), T((), "int64", values=0)),
        S(T((3, 4), "float64"), GATHER_IDX0, 0),
        S(T((3, 4), "int64"), GATHER_IDX1, 1),
    ],
    errors=[
        err("float_index", lambda L: L.take_along_dim(L.ones(3, 4), L.tensor([[0.0]]), 0)),
        err("int32_index", lambda L: L.take_along_dim(L.ones(3, 4), L.tensor([[0]], dtype=L.int32), 0)),
        err("ndims", lambda L: L.take_along_dim(L.ones(3, 4), L.tensor([0]), 0)),
        err("bcast", lambda L: L.take_along_dim(L.ones(3, 4), L.tensor([[0, 1]]), 0)),
        err("empty_dim", lambda L: L.take_along_dim(L.ones(3, 0), L.zeros(3, 1, dtype=L.int64), 1)),
        err("0d_dim", lambda L: L.take_along_dim(L.tensor(1.0), L.tensor(0), 0)),
        err("out_of_range_flat", lambda L: L.take_along_dim(L.ones(3, 4), L.tensor([12]))),
        err("negative_flat", lambda L: L.take_along_dim(L.ones(3, 4), L.tensor([-1]))),
        err("noncontig_flat", lambda L: L.take_along_dim(L.ones(4, 3).t(), L.tensor([0]))),
    ],
)
add_op(
    "take_along_dim_method",
    lambda L, x, i, d: x.take_along_dim(i, d),
    [S(T((3, 4)), GATHER_IDX1, 1)],
    grad=False,
)

# ---- sorting (random floats have no ties; fixed integer values have none either) -----------------
INT_NO_TIES = T((2, 5), "int64", values=[[4, -1, 7, 0, 2], [3, 9, -5, 1, 6]])
INT_TIES = T((2, 5), "int64", values=[[1, 3, 1, 0, 3], [2, 2, 2, 2, 2]])
NAN_INF = T((2, 4), values=[[1.0, NAN, -INF, 0.5], [INF, -2.0, NAN, 3.0]])
SORT_SAMPLES = [
    S(T((3, 5))),
    S(T((3, 5)), 0),
    S(T((3, 5)), -1, True),
    S(T((2, 3, 4)), 1, descending=True),
    S(T((2, 3, 4)), dim=-3),
    S(T(())),
    S(T(()), 0, True),
    S(T((0, 3)), 0),
    S(T((5, 3), noncontig=True), 1),
    S(T((5, 3), noncontig=True), 0, True),
    S(T((3, 4), "float64"), 1),
    S(INT_NO_TIES, 1),
    S(INT_NO_TIES, 0, True),
    S(INT_TIES, dim=1, stable=True, name="int_ties_stable"),
    S(INT_TIES, stable=True, dim=0, descending=True, name="int_ties_stable_desc"),
    S(T((2, 5), "bool"), stable=True, name="bool_stable"),
    S(NAN_INF, 1, name="nan_inf"),
    S(NAN_INF, 1, True, name="nan_inf_desc"),
]
add_op(
    "sort",
    lambda L, x, *a, **k: L.sort(x, *a, **k),
    SORT_SAMPLES,
    errors=[
        err("dim_range", lambda L: L.sort(L.ones(2, 3), 2)),
        err("dim_range_0d", lambda L: L.sort(L.tensor(1.0), 1)),
    ],
)
add_op("sort_method", lambda L, x, *a, **k: x.sort(*a, **k), [S(T((3, 5)), 0), S(T((3, 5)), descending=True)])
add_op(
    "argsort",
    lambda L, x, *a, **k: L.argsort(x, *a, **k),
    SORT_SAMPLES,
    grad=False,
    errors=[err("dim_range", lambda L: L.argsort(L.ones(2, 3), -3))],
)
add_op("argsort_method", lambda L, x, *a, **k: x.argsort(*a, **k), [S(T((3, 5)), 0)], grad=False)
add_op(
    "topk",
    lambda L, x, k, *a, **kw: L.topk(x, k, *a, **kw),
    [
        S(T((3, 5)), 2),
        S(T((3, 5)), 1, 0),
        S(T((3, 5)), 3, -1, False),
        S(T((3, 5)), 5, largest=False),
        S(T((3, 5)), 0),
        S(T((2, 3, 4)), 2, 1),
        S(T((2, 3, 4)), 3, dim=-1, largest=True, sorted=True),
        S(T(()), 1),
        S(T(()), 0),
        S(T((5, 3), noncontig=True), 2, 1),
        S(T((5, 3), noncontig=True), 4, 0, False),
        S(T((3, 4), "float64"), 2),
        S(INT_NO_TIES, 3),
        S(INT_NO_TIES, 1, 0, False),
        S(NAN_INF, 2, name="nan_inf"),
        S(NAN_INF, 3, largest=False, name="nan_inf_smallest"),
        S(T((0, 3)), 2),
    ],
    errors=[
        err("k_too_big", lambda L: L.topk(L.ones(2, 3), 4)),
        err("k_too_big_0d", lambda L: L.topk(L.tensor(1.0), 2)),
        err("k_negative", lambda L: L.topk(L.ones(3), -1)),
        err("dim_range", lambda L: L.topk(L.ones(2, 3), 1, 2)),
    ],
)
add_op(
    "topk_method", lambda L, x, *a, **k: x.topk(*a, **k), [S(T((3, 5)), 2, 0), S(T((3, 5)), 2, largest=False)]
)

# ---- statistical reductions ------------------------------------------------------------------------
VAR_SAMPLES = [
    S(T((3, 4))),
    S(T((3, 4)), 1),
    S(T((3, 4)), 0, keepdim=True),
    S(T((3, 4)), -1, True, name="dim_unbiased_true"),
    S(T((3, 4)), False, name="unbiased_false"),
    S(T((3, 4)), 1, False, True, name="unbiased_false_keepdim"),
    S(T((3, 4)), 1, correction=0),
    S(T((3, 4)), 1, correction=2),
    S(T((3, 4)), 1, correction=4, name="correction_eq_n"),
    S(T((3, 4)), 1, correction=5, name="correction_gt_n"),
    S(T((3, 4)), correction=12, name="full_correction_eq_n"),
    S(T((3, 4)), correction=20, name="full_correction_gt_n"),
    S(T((3, 4)), None, correction=0.5),
    S(T((2, 3, 4)), (0, 2)),
    S(T((2, 3, 4)), [-1, 0], keepdim=True, correction=0),
    S(T((2, 3, 4)), dim=()),
    S(T(())),
    S(T(()), correction=0),
    S(T((1, 4)), 0, name="single_element"),
    S(T((4, 3), noncontig=True), 0),
    S(T((4, 3), noncontig=True)),
    S(T((3, 4), "float64"), 1, correction=0),
    S(T((0, 3)), 1),
]
for _name in ("var", "std"):
    add_op(
        _name,
        (lambda n: lambda L, x, *a, **k: getattr(L, n)(x, *a, **k))(_name),
        VAR_SAMPLES,
        errors=[
            err("int", (lambda n: lambda L: getattr(L, n)(L.tensor([1, 2, 3])))(_name)),
            err("bool", (lambda n: lambda L: getattr(L, n)(L.tensor([True, False]), 0))(_name)),
            err("dim_range", (lambda n: lambda L: getattr(L, n)(L.ones(2, 3), 2))(_name)),
            err("dim_repeat", (lambda n: lambda L: getattr(L, n)(L.ones(2, 3), (0, 0)))(_name)),
        ],
    )
    add_op(
        _name + "_method",
        (lambda n: lambda L, x, *a, **k: getattr(x, n)(*a, **k))(_name),
        [S(T((3, 4)), 1), S(T((3, 4)), correction=0, keepdim=True)],
    )
add_op(
    "logsumexp",
    lambda L, x, d, *a, **k: L.logsumexp(x, d, *a, **k),
    [
        S(T((3, 4)), 1),
        S(T((3, 4)), 0, True),
        S(T((3, 4)), -1, keepdim=True),
        S(T((2, 3, 4)), (0, 2)),
        S(T((2, 3, 4)), [-1, 1], True),
        S(T(()), 0),
        S(T(()), ()),
        S(T((4, 3), noncontig=True), 1),
        S(T((3, 4), "float64"), 0),
        S(T((2, 3), "int64", domain=(-3, 3)), 1),
        S(T((2, 3), "bool"), 0),
        S(T((2, 4), domain=(50.0, 200.0), signed=True), 1, name="large"),
        S(T((2, 4), values=[[-INF, -INF, -INF, -INF], [1.0, -INF, 2.0, 0.5]]), 1, name="neg_inf"),
        S(T((2, 2), values=[[INF, 1.0], [NAN, 0.0]]), 1, name="inf_nan"),
        S(T((0, 3)), 0),
        S(T((0, 3)), 1),
    ],
    errors=[
        err("dim_range", lambda L: L.logsumexp(L.ones(2, 3), 2)),
        err("dim_repeat", lambda L: L.logsumexp(L.ones(2, 3), (1, 1))),
    ],
)
add_op("logsumexp_method", lambda L, x, d: x.logsumexp(d), [S(T((3, 4)), 1), S(T((3, 4)), (0, 1))])
SOFTMAX_SAMPLES = [
    S(T((3, 4)), 1),
    S(T((3, 4)), 0),
    S(T((3, 4)), -1),
    S(T((2, 3, 4)), 1),
    S(T(()), 0),
    S(T(()), -1),
    S(T((4, 3), noncontig=True), 1),
    S(T((4, 3), noncontig=True), 0),
    S(T((3, 4), "float64"), -2),
    S(T((3, 4)), 1, dtype=D("float64")),
    S(T((2, 3), "int64", domain=(-3, 3)), 1, dtype=D("float32")),
    S(T((2, 4), domain=(50.0, 200.0), signed=True), 1, name="large"),
    S(T((2, 4), values=[[-INF, 0.0, 1.0, -INF], [2.0, -1.0, 0.5, 0.0]]), 1, name="neg_inf"),
    S(T((0, 3)), 1),
    S(T((0, 3)), 0),
]
for _name in ("softmax", "log_softmax"):
    add_op(
        _name,
        (lambda n: lambda L, x, d, **k: getattr(L, n)(x, d, **k))(_name),
        SOFTMAX_SAMPLES,
        errors=[
            err("int", (lambda n: lambda L: getattr(L, n)(L.tensor([1, 2]), 0))(_name)),
            err("int_not_last", (lambda n: lambda L: getattr(L, n)(L.tensor([[1, 2]]), 0))(_name)),
            err("int_0d", (lambda n: lambda L: getattr(L, n)(L.tensor(1), 0))(_name)),
            err("bool", (lambda n: lambda L: getattr(L, n)(L.tensor([True]), -1))(_name)),
            err("int_method", (lambda n: lambda L: getattr(L.tensor([[1, 2]]), n)(1))(_name)),
            err("dim_range", (lambda n: lambda L: getattr(L, n)(L.ones(2, 3), 2))(_name)),
        ],
    )
    add_op(
        _name + "_method",
        (lambda n: lambda L, x, d: getattr(x, n)(d))(_name),
        [S(T((3, 4)), 1), S(T((2, 3, 4)), -3)],
    )
    add_op(
        _name + "_functional",
        (lambda n: lambda L, x, d, **k: getattr(L.nn.functional, n)(x, d, **k))(_name),
        [S(T((3, 4)), 1), S(T((3, 4)), dim=0, dtype=D("float64"))],
    )
NORM_SAMPLES = [
    S(T((3, 4))),
    S(T((3, 4)), 2),
    S(T((3, 4)), 1),
    S(T((3, 4)), INF),
    S(T((3, 4)), "fro"),
    S(T((3, 4)), 2, 1),
    S(T((3, 4)), 1, 0, True),
    S(T((3, 4)), INF, -1),
    S(T((3, 4)), "fro", (0, 1)),
    S(T((3, 4)), p=1, dim=-1, keepdim=True),
    S(T((2, 3, 4)), 2, (0, 2)),
    S(T((2, 3, 4)), "fro", [-1, 1], True),
    S(T((2, 3, 4)), INF, 1, keepdim=True),
    S(T(())),
    S(T(()), 1, 0),
    S(T((4, 3), noncontig=True), 2, 0),
    S(T((4, 3), noncontig=True), 1),
    S(T((3, 4), "float64"), 2, 1),
    S(T((3, 4), "float64"), INF),
    S(T((3,), values=[0.0, 0.0, 0.0]), name="zero_vector"),
    S(T((2, 3), values=[[0.0, 0.0, 0.0], [1.0, -2.0, 0.5]]), 2, 1, name="zero_row"),
    S(T((2, 3), values=[[1.0, -3.0, 3.0], [2.0, -2.0, 0.5]]), INF, 1, name="inf_ties"),
    S(T((0, 3)), 2, 1),
]
add_op(
    "norm_p_dim",
    lambda L, x, *a, **k: L.norm(x, *a, **k),
    NORM_SAMPLES,
    errors=[
        err("int", lambda L: L.norm(L.tensor([1, 2]))),
        err("dim_range", lambda L: L.norm(L.ones(2, 3), 2, 2)),
    ],
)
add_op(
    "norm_p_dim_method",
    lambda L, x, *a, **k: x.norm(*a, **k),
    [S(T((3, 4))), S(T((3, 4)), 1, 1), S(T((3, 4)), dim=0)],
)

# ---- clip and rounding -------------------------------------------------------------------------------
add_op(
    "clip",
    lambda L, x, *a, **k: L.clip(x, *a, **k),
    [
        S(T((3, 4)), -0.5, 0.5),
        S(T((3, 4)), min=-0.5),
        S(T((3, 4)), max=0.5),
        S(T(()), -0.5, 0.5),
        S(T((4, 3), noncontig=True), -1, 1),
        S(T((2, 3), "float64"), -0.5, 0.5),
        S(T((2, 3), "int64", domain=(-3, 3)), -1, 1),
        S(T((3, 4)), T((3, 4), domain=(-1, 0)), T((4,), domain=(0, 1)), name="tensor_bounds"),
        S(T((0, 3)), 0.0, 1.0),
    ],
    inplace=lambda L, x, *a, **k: x.clip_(*a, **k),
    errors=[
        err("no_bounds", lambda L: L.clip(L.ones(2))),
        err("no_bounds_method", lambda L: L.ones(2).clip()),
    ],
)
add_op("clip_method", lambda L, x, *a, **k: x.clip(*a, **k), [S(T((3, 4)), -0.5, 0.5), S(T((3, 4)), max=0.0)])
ROUND_VALUES = [[-2.5, -1.5, -0.5, 0.5], [1.5, 2.5, -0.0, 0.49999997], [-2.7, 2.7, 1e20, -3.2]]
ROUNDING = unary_samples() + [
    S(T((3, 4), values=ROUND_VALUES), name="halves"),
    S(T((3, 4), "float64", values=ROUND_VALUES), name="halves_f64"),
    S(T((3,), values=[INF, -INF, NAN]), name="nonfinite"),
    S(T((2, 3), "int32", domain=(-5, 5))),
]
for _name in ("floor", "ceil", "round", "trunc"):
    add_op(
        _name,
        (lambda n: lambda L, x: getattr(L, n)(x))(_name),
        ROUNDING,
        inplace=(lambda n: lambda L, x: getattr(x, n + "_")())(_name),
        errors=[
            err("bool", (lambda n: lambda L: getattr(L, n)(L.tensor([True])))(_name)),
            err("complex", (lambda n: lambda L: getattr(L, n)(L.tensor([0.5j])))(_name)),
            err("bool_inplace", (lambda n: lambda L: getattr(L.tensor([True]), n + "_")())(_name)),
        ],
    )
    add_op(_name + "_method", (lambda n: lambda L, x: getattr(x, n)())(_name), [S(T((3, 4))), S(T(()))])
add_op(
    "round_decimals",
    lambda L, x, **k: L.round(x, **k),
    inplace=lambda L, x, **k: x.round_(**k),
    samples=[
        S(T((3, 4), domain=(-50, 50)), decimals=1),
        S(T((3, 4), domain=(-50, 50)), decimals=2),
        S(T((3, 4), domain=(-500, 500)), decimals=-1),
        S(T((3, 4), domain=(-5000, 5000)), decimals=-2),
        S(T((3, 4)), decimals=0),
        S(T(()), decimals=3),
        S(T((4, 3), noncontig=True), decimals=1),
        S(T((2, 3), "float64", domain=(-50, 50)), decimals=3),
        S(T((4,), values=[0.25, 0.35, -1.25, 2.675]), decimals=1, name="halves"),
        S(T((0, 3)), decimals=2),
        S(T((2, 3), "float16", domain=(-50, 50)), decimals=1),
    ],
    errors=[
        err("int_decimals", lambda L: L.round(L.tensor([1, 2]), decimals=1)),
        err("int_decimals_0", lambda L: L.round(L.tensor([1, 2]), decimals=0)),
        err("bool_decimals", lambda L: L.round(L.tensor([True]), decimals=2)),
        err("complex_decimals", lambda L: L.round(L.tensor([0.5j]), decimals=1)),
    ],
)
add_op("round_decimals_method", lambda L, x, **k: x.round(**k), [S(T((3, 4)), decimals=1)])
add_op(
    "frac",
    lambda L, x: L.frac(x),
    unary_samples(ints=False, dom=dict(domain=(-5, 5)))
    + [
        S(T((3, 4), values=ROUND_VALUES), name="halves"),
        S(T((3,), values=[INF, -INF, NAN]), name="nonfinite"),
    ],
    inplace=lambda L, x: x.frac_(),
    errors=[
        err("int", lambda L: L.frac(L.tensor([1, 2]))),
        err("int32", lambda L: L.frac(L.tensor([1, 2], dtype=L.int32))),
        err("bool", lambda L: L.frac(L.tensor([True]))),
        err("complex", lambda L: L.frac(L.tensor([0.5j]))),
        err("int_inplace", lambda L: L.tensor([1, 2]).frac_()),
    ],
)
add_op("frac_method", lambda L, x: x.frac(), [S(T((3, 4), domain=(-5, 5)))])

# ---- binary pointwise math ---------------------------------------------------------------------------
BINARY_FLOAT = [
    S(T((3, 4)), T((3, 4))),
    S(T((), **NZ), T(())),
    S(T((2, 3, 4)), T((4,))),
    S(T((3, 1)), T((1, 4))),
    S(T((3, 4)), T((), **NZ)),
    S(T((4, 3), noncontig=True), T((4, 3), noncontig=True)),
    S(T((2, 3), "float64"), T((2, 3))),
    S(T((2, 3)), T((2, 3), "float64")),
    S(T((2, 3)), T((2, 3), rg=False)),
    S(T((2, 3), rg=False), T((2, 3))),
    S(T((2, 3), "int64", domain=(-3, 3)), T((2, 3), "int64", domain=(1, 3))),
    S(T((2, 3), "int64", domain=(-3, 3)), T((2, 3))),
    S(T((2, 3), "bool"), T((2, 3), "float64")),
    S(T((0, 3)), T((3,))),
    S(T((2, 3), values=[[0.0, -0.0, 1.0], [0.0, -1.0, 0.0]]), T((2, 3), **NZ), name="zeros_lhs"),
]
add_op(
    "atan2",
    lambda L, x, y: L.atan2(x, y),
    BINARY_FLOAT + [S(T((3,), values=[1.0, -1.0, 0.0]), T((3,), values=[0.0, 0.0, -1.0]), name="axes")],
    inplace=_bound(lambda L, x, y: x.atan2_(y)),
    errors=[
        err("scalar_other", lambda L: L.atan2(L.ones(2), 1.0)),
        err("broadcast", lambda L: L.atan2(L.ones(2, 3), L.ones(4))),
    ]
    + _bound_errors(
        [
            err("int_inplace", lambda L: L.tensor([1, 2]).atan2_(L.tensor([1, 1]))),
            err("inplace_broadcast", lambda L: L.ones(3).atan2_(L.ones(2, 3))),
        ]
    ),
)
add_op("atan2_method", lambda L, x, y: x.atan2(y), [S(T((3, 4)), T((3, 4))), S(T((3, 4)), T((4,)))])
add_op(
    "arctan2",
    lambda L, x, y: L.arctan2(x, y),
    [S(T((3, 4)), T((3, 4)))],
    inplace=_bound(lambda L, x, y: x.arctan2_(y)),
)
add_op(
    "hypot",
    lambda L, x, y: L.hypot(x, y),
    [s for s in BINARY_FLOAT if not any(isinstance(a, T) and a.dtype in ("int64", "bool") for a in s.args)]
    + [S(T((3,), values=[3.0, 0.0, -5.0]), T((3,), values=[4.0, 2.0, 12.0]), name="exact")],
    inplace=_bound(lambda L, x, y: x.hypot_(y)),
    errors=[
        err("int", lambda L: L.hypot(L.tensor([3, 4]), L.tensor([4, 3]))),
        err("int32_0d_int64", lambda L: L.hypot(L.tensor([3, 4], dtype=L.int32), L.tensor(4))),
        err("bool", lambda L: L.hypot(L.tensor([True]), L.tensor([False]))),
        err("scalar_other", lambda L: L.hypot(L.ones(2), 1.0)),
        err("broadcast", lambda L: L.hypot(L.ones(2, 3), L.ones(4))),
    ]
    + _bound_errors([err("int_inplace", lambda L: L.tensor([3, 4]).hypot_(L.tensor([4, 3])))]),
)
add_op("hypot_method", lambda L, x, y: x.hypot(y), [S(T((3, 4)), T((3, 4)))])
LERP_SAMPLES = [
    S(T((3, 4)), T((3, 4)), 0.3),
    S(T((3, 4)), T((3, 4)), 0.7),
    S(T((3, 4)), T((3, 4)), 1),
    S(T((3, 4)), T((4,)), -0.5),
    S(T(()), T(()), 0.25),
    S(T((4, 3), noncontig=True), T((4, 3)), 0.5),
    S(T((2, 3), "float64"), T((2, 3), "float64"), 0.6),
    S(T((2, 3)), T((2, 3), rg=False), 0.4),
    S(T((2, 3), rg=False), T((2, 3)), 0.4),
    S(T((3, 4)), T((3, 4)), T((3, 4), domain=(0, 1))),
    S(T((3, 4)), T((3, 4)), T((3, 4), domain=(0.6, 1))),
    S(T((3, 4)), T((4,)), T((3, 1), domain=(0, 1))),
    S(T((3, 4)), T((3, 4)), T((), domain=(0, 1))),
    S(T((3, 4)), T((3, 4)), T((3, 4), rg=False, domain=(0, 1))),
    S(T((4, 3), noncontig=True), T((4, 3), noncontig=True), T((4, 3), noncontig=True, domain=(0, 1))),
    S(T((2, 3), "float64"), T((2, 3), "float64"), T((2, 3), "float64", domain=(0, 1))),
    S(T((0, 3)), T((0, 3)), 0.5),
]
add_op(
    "lerp",
    lambda L, x, e, w: L.lerp(x, e, w),
    LERP_SAMPLES,
    inplace=_bound(lambda L, x, e, w: x.lerp_(e, w)),
    errors=[
        err("end_dtype", lambda L: L.lerp(L.ones(2), L.ones(2, dtype=L.float64), 0.5)),
        err("weight_dtype", lambda L: L.lerp(L.ones(2), L.ones(2), L.ones(2, dtype=L.float64))),
        err("int", lambda L: L.lerp(L.tensor([1, 2]), L.tensor([3, 4]), 0.5)),
        err("int_tensor_weight", lambda L: L.lerp(L.tensor([1, 2]), L.tensor([3, 4]), L.tensor([1, 1]))),
        err("bool", lambda L: L.lerp(L.tensor([True]), L.tensor([False]), 0.5)),
        err("weight_dtype_method", lambda L: L.ones(2).lerp(L.ones(2), L.ones(2, dtype=L.float64))),
        err("weight_broadcast", lambda L: L.lerp(L.ones(2), L.ones(2), L.ones(3))),
        err("broadcast", lambda L: L.lerp(L.ones(2, 3), L.ones(4), 0.5)),
    ]
    + _bound_errors([err("inplace_broadcast", lambda L: L.ones(3).lerp_(L.ones(2, 3), 0.5))]),
)
add_op(
    "lerp_method",
    lambda L, x, e, w: x.lerp(e, w),
    [S(T((3, 4)), T((3, 4)), 0.5), S(T((3, 4)), T((3, 4)), T((3, 4)))],
)

# ---- erf, nan_to_num ------------------------------------------------------------------------------
add_op(
    "erf",
    lambda L, x: L.erf(x),
    unary_samples()
    + [S(T((5,), values=[0.0, -0.0, INF, -INF, NAN]), name="edges"), S(T((2, 3), "bool"))],
    inplace=lambda L, x: x.erf_(),
    errors=[err("int_inplace", lambda L: L.tensor([1, 2]).erf_())],
)
add_op("erf_method", lambda L, x: x.erf(), [S(T((3, 4))), S(T(()))])
NONFINITE = [[1.0, NAN, INF, -INF], [-2.0, 0.5, NAN, 3.0], [INF, -INF, 0.0, -1.5]]
add_op(
    "nan_to_num",
    lambda L, x, *a, **k: L.nan_to_num(x, *a, **k),
    [
        S(T((3, 4), values=NONFINITE)),
        S(T((3, 4), values=NONFINITE), 1.5),
        S(T((3, 4), values=NONFINITE), nan=-1.0, posinf=100.0),
        S(T((3, 4), values=NONFINITE), 0.0, 10.0, -10.0),
        S(T((3, 4), values=NONFINITE), neginf=-5),
        S(T((3, 4), "float64", values=NONFINITE)),
        S(T((3, 4), "float16", values=NONFINITE)),
        S(T((4, 3), noncontig=True, values=[list(r) for r in zip(*NONFINITE)])),
        S(T((3, 4))),
        S(T((), values=NAN), 2.0),
        S(T((2, 3), "int64")),
        S(T((2, 3), "bool"), 2.0),
        S(T((0, 3))),
    ],
    inplace=_bound(lambda L, x, *a, **k: x.nan_to_num_(*a, **k)),
)
add_op(
    "nan_to_num_method",
    lambda L, x, *a, **k: x.nan_to_num(*a, **k),
    [S(T((3, 4), values=NONFINITE), posinf=1.0)],
)

# ---- predicates (no gradient) --------------------------------------------------------------------------
PRED_SAMPLES = [
    S(T((3, 4), values=NONFINITE)),
    S(T((3, 4), "float64", values=NONFINITE)),
    S(T((3, 4), "float16", values=NONFINITE)),
    S(T((4, 3), noncontig=True, values=[list(r) for r in zip(*NONFINITE)])),
    S(T((3, 4))),
    S(T((), values=NAN)),
    S(T((), values=-INF)),
    S(T((2, 3), "int64")),
    S(T((2, 3), "int32")),
    S(T((2, 3), "bool")),
    S(T((0, 3))),
]
for _name in ("isnan", "isinf", "isfinite"):
    add_op(_name, (lambda n: lambda L, x: getattr(L, n)(x))(_name), PRED_SAMPLES, grad=False)
    add_op(_name + "_method", (lambda n: lambda L, x: getattr(x, n)())(_name), PRED_SAMPLES[:1], grad=False)
BOOLISH = [[0.0, 1.0, 2.0, 0.0], [1.0, 1.0, 1.0, 1.0], [0.0, 0.0, 0.0, 0.0]]
ALL_ANY_SAMPLES = [
    S(T((3, 4), values=BOOLISH)),
    S(T((3, 4), values=BOOLISH), 1),
    S(T((3, 4), values=BOOLISH), 0, True),
    S(T((3, 4), values=BOOLISH), -1, keepdim=True),
    S(T((3, 4), values=BOOLISH), (0, 1)),
    S(T((3, 4), "bool")),
    S(T((3, 4), "bool"), 0),
    S(T((2, 3, 4), "bool"), (0, 2), True),
    S(T((3, 4), "int64", values=BOOLISH), 1),
    S(T((3, 4), "uint8", values=BOOLISH)),
    S(T((3, 4), "uint8", values=BOOLISH), 0),
    S(T((3, 4), values=NONFINITE), 1, name="nan_is_true"),
    S(T((4, 3), "bool", noncontig=True), 1),
    S(T((), values=0.0)),
    S(T((), "bool", values=True), 0),
    S(T((0, 3))),
    S(T((0, 3), "bool"), 0),
    S(T((0, 3), "bool"), 1),
]
for _name in ("all", "any"):
    add_op(
        _name,
        (lambda n: lambda L, x, *a, **k: getattr(L, n)(x, *a, **k))(_name),
        ALL_ANY_SAMPLES,
        grad=False,
        errors=[err("dim_range", (lambda n: lambda L: getattr(L, n)(L.ones(2, 3), 2))(_name))],
    )
    add_op(
        _name + "_method",
        (lambda n: lambda L, x, *a, **k: getattr(x, n)(*a, **k))(_name),
        [S(T((3, 4), "bool")), S(T((3, 4), "bool"), 1)],
        grad=False,
    )
add_op(
    "count_nonzero",
    lambda L, x, *a, **k: L.count_nonzero(x, *a, **k),
    [
        S(T((3, 4), values=BOOLISH)),
        S(T((3, 4), values=BOOLISH), 1),
        S(T((3, 4), values=BOOLISH), -2),
        S(T((3, 4), values=BOOLISH), (0, 1)),
        S(T((2, 3, 4), "int64", domain=(0, 2)), dim=(2, 0)),
        S(T((3, 4), "bool"), 0),
        S(T((3, 4), values=NONFINITE), 1, name="nan_counts"),
        S(T((4, 3), noncontig=True, values=[list(r) for r in zip(*BOOLISH)]), 0),
        S(T((), values=2.0)),
        S(T((), values=0.0), 0),
        S(T((0, 3)), 0),
        S(T((0, 3))),
    ],
    grad=False,
    errors=[
        err("dim_range", lambda L: L.count_nonzero(L.ones(2, 3), 2)),
        err("dim_repeat", lambda L: L.count_nonzero(L.ones(2, 3), (1, -1))),
    ],
)
add_op(
    "count_nonzero_method",
    lambda L, x, *a: x.count_nonzero(*a),
    [S(T((3, 4), values=BOOLISH), 0)],
    grad=False,
)
CLOSE_A = [[1.0, 2.0, NAN, INF], [0.0, 1e-9, 100.0, -INF]]
CLOSE_B = [[1.0 + 1e-6, 2.1, NAN, INF], [1e-9, 0.0, 100.001, INF]]
CLOSE_SAMPLES = [
    S(T((2, 4), values=CLOSE_A), T((2, 4), values=CLOSE_B)),
    S(T((2, 4), values=CLOSE_A), T((2, 4), values=CLOSE_B), equal_nan=True),
    S(T((2, 4), values=CLOSE_A), T((2, 4), values=CLOSE_B), rtol=1e-2),
    S(T((2, 4), values=CLOSE_A), T((2, 4), values=CLOSE_B), atol=0.5, rtol=0.0),
    S(T((2, 4), values=CLOSE_A), T((4,), values=CLOSE_B[0])),
    S(T((2, 4), "float64", values=CLOSE_A), T((2, 4), "float64", values=CLOSE_B), 1e-3, 1e-8, True),
    S(T((3, 4)), T((3, 4))),
    S(T((), values=1.0), T((), values=1.0 + 1e-7)),
    S(T((2, 3), "int64", domain=(0, 3)), T((2, 3), "int64", domain=(0, 3))),
    S(T((2, 3), "int64", domain=(0, 3)), T((2, 3), "int64", domain=(0, 3)), atol=1),
    S(T((2, 3), "bool"), T((2, 3), "bool")),
    S(T((0, 3)), T((0, 3))),
    S(T((2, 4), values=CLOSE_A), T((2, 4), values=CLOSE_B), 0.0, 0.0, name="zero_tolerances"),
    S(T((2, 4), values=CLOSE_A), T((2, 4), values=CLOSE_B), 0.0, 0.0, True, name="zero_tolerances_equal_nan"),
    S(T((2, 3), "int64", domain=(0, 3)), T((2, 3), "int64", domain=(0, 3)), equal_nan=True),
]
add_op(
    "isclose",
    lambda L, x, y, *a, **k: L.isclose(x, y, *a, **k),
    CLOSE_SAMPLES + [S(T((4, 3), noncontig=True), T((4, 3)))],
    grad=False,
    errors=[
        err("dtype", lambda L: L.isclose(L.ones(2), L.ones(2, dtype=L.float64))),
        err("int_float", lambda L: L.isclose(L.tensor([1, 2]), L.ones(2))),
        err("negative_rtol", lambda L: L.isclose(L.ones(2), L.ones(2), rtol=-1.0)),
        err("negative_atol", lambda L: L.isclose(L.ones(2), L.ones(2), atol=-1e-9)),
        err("nan_rtol", lambda L: L.isclose(L.ones(2), L.ones(2), rtol=float("nan"))),
        err("scalar_other", lambda L: L.isclose(L.ones(2), 1.0)),
        err("broadcast", lambda L: L.isclose(L.ones(2, 3), L.ones(2))),
    ],
)
add_op(
    "isclose_method",
    lambda L, x, y, **k: x.isclose(y, **k),
    [S(T((2, 4), values=CLOSE_A), T((2, 4), values=CLOSE_B), equal_nan=True)],
    grad=False,
)
add_op(
    "allclose",
    lambda L, x, y, *a, **k: L.allclose(x, y, *a, **k),
    CLOSE_SAMPLES
    + [
        S(
            T((2, 2), values=[[1.0, NAN], [2.0, 3.0]]),
            T((2, 2), values=[[1.0, NAN], [2.0, 3.0]]),
            equal_nan=True,
            name="nan_pairs",
        ),
        S(T((2, 2), values=[[1.0, 2.0], [2.0, 3.0]]), T((2, 2), values=[[1.0, 2.0], [2.0, 3.0 + 1e-7]])),
    ],
    grad=False,
    errors=[
        err("dtype", lambda L: L.allclose(L.ones(2), L.ones(2, dtype=L.float64))),
        err("scalar_other", lambda L: L.allclose(L.ones(2), 1.0)),
        err("negative_rtol", lambda L: L.allclose(L.ones(2), L.ones(2), rtol=-0.5)),
        err("broadcast", lambda L: L.allclose(L.ones(2, 3), L.ones(2))),
    ],
)
add_op(
    "allclose_method",
    lambda L, x, y: x.allclose(y),
    [S(T((3,), values=[1.0, 2.0, 3.0]), T((3,), values=[1.0, 2.0, 3.0]))],
    grad=False,
)

# ---- integer ops without a gradient -----------------------------------------------------------------------
UNIQ_F = T((2, 5), values=[[3.0, 1.0, 2.0, 1.0, 3.0], [0.5, 2.0, 2.0, -1.0, 3.0]])
UNIQ_I = T((3, 4), "int64", values=[[1, 2, 1, 2], [0, 5, 0, 5], [1, 2, 1, 2]])
add_op(
    "unique",
    lambda L, x, **k: L.unique(x, **k),
    [
        S(UNIQ_F),
        S(UNIQ_F, return_inverse=True),
        S(UNIQ_F, return_counts=True),
        S(UNIQ_F, return_inverse=True, return_counts=True),
        S(UNIQ_F, sorted=True, return_inverse=True),
        S(UNIQ_I),
        S(UNIQ_I, dim=0, return_inverse=True, return_counts=True),
        S(UNIQ_I, dim=1, return_inverse=True),
        S(UNIQ_I, dim=-1, return_counts=True),
        S(T((3, 2), "int64", values=[[1, 0], [1, 5], [1, 2]]), dim=1, return_inverse=True, name="int_dim1"),
        S(T((2, 3), "bool")),
        S(T((2, 3), "bool"), return_counts=True),
        S(T((4, 3), "int64", noncontig=True, domain=(0, 3)), return_inverse=True),
        S(T((), values=2.0), return_inverse=True, return_counts=True),
        S(T((0, 3)), return_inverse=True, return_counts=True),
        S(T((3, 4), "float64")),
    ],
    grad=False,
    errors=[
        err("dim_range", lambda L: L.unique(L.ones(2, 3), dim=2)),
        err("backward", lambda L: (lambda x: L.autograd.grad(L.unique(x).sum(), [x]))(
            L.ones(3, requires_grad=True))),
        err("backward_dim", lambda L: (lambda x: L.autograd.grad(L.unique(x, dim=0).sum(), [x]))(
            L.ones(2, 3, requires_grad=True))),
    ],
)
add_op("unique_method", lambda L, x, **k: x.unique(**k), [S(UNIQ_I, return_counts=True)], grad=False)
BINS = T((7,), "int64", values=[1, 3, 3, 0, 5, 1, 3])
add_op(
    "bincount",
    lambda L, x, *a, **k: L.bincount(x, *a, **k),
    [
        S(BINS),
        S(BINS, minlength=10),
        S(BINS, minlength=2),
        S(BINS, T((7,), "float64", rg=False)),
        S(BINS, T((7,), rg=False)),
        S(BINS, weights=T((7,), "int64", rg=False)),
        S(BINS, weights=T((7,), rg=False), minlength=8),
        S(T((5,), "int32", values=[0, 2, 2, 4, 1])),
        S(T((5,), "uint8", values=[0, 2, 2, 4, 1])),
        S(T((0,), "int64")),
        S(T((0,), "int64"), minlength=3),
        S(T((0,), "int64"), T((0,), rg=False), minlength=2, name="empty_weighted"),
        S(BINS, T((7,), "float16", rg=False)),
    ],
    grad=False,
    errors=[
        err("negative", lambda L: L.bincount(L.tensor([1, -1]))),
        err("2d", lambda L: L.bincount(L.tensor([[1, 2]]))),
        err("float", lambda L: L.bincount(L.tensor([1.0, 2.0]))),
        err("weights_size", lambda L: L.bincount(L.tensor([1, 2]), L.ones(3))),
        err("negative_minlength", lambda L: L.bincount(L.tensor([1, 2]), minlength=-1)),
        err("negative_minlength_first", lambda L: L.bincount(L.tensor([-1]), minlength=-1)),
        err("bool", lambda L: L.bincount(L.tensor([True]))),
        err("empty_2d", lambda L: L.bincount(L.zeros(0, 2, dtype=L.int64))),
        err("weights_2d", lambda L: L.bincount(L.tensor([1, 2]), L.ones(1, 2))),
    ],
)
add_op("bincount_method", lambda L, x, **k: x.bincount(**k), [S(BINS, minlength=7)], grad=False)
# one_hot: torch builds a non-empty result as zeros(...).scatter_(...), so its _version is 2
add_op(
    "one_hot",
    lambda L, x, *a: L.nn.functional.one_hot(x, *a),
    [
        S(T((0, 3), "int64"), 3),
        S(T((5,), "int64", values=[0, 3, 1, 1, 2])),
        S(T((5,), "int64", values=[0, 3, 1, 1, 2]), 6),
        S(T((5,), "int64", values=[0, 3, 1, 1, 2]), -1),
        S(T((2, 3), "int64", values=[[0, 2, 1], [2, 2, 0]]), 3),
        S(T((3, 2), "int64", values=[[0, 2], [1, 3], [3, 0]], noncontig=True), 4),
        S(T((), "int64", values=2), 4),
        S(T((), "int64", values=2)),
    ],
    grad=False,
    errors=[
        err("negative", lambda L: L.nn.functional.one_hot(L.tensor([0, -1]), 3)),
        err("too_large", lambda L: L.nn.functional.one_hot(L.tensor([0, 3]), 3)),
        err("float", lambda L: L.nn.functional.one_hot(L.tensor([0.0, 1.0]), 3)),
        err("int32", lambda L: L.nn.functional.one_hot(L.tensor([0, 1], dtype=L.int32), 3)),
        err("empty_infer", lambda L: L.nn.functional.one_hot(L.zeros(0, dtype=L.int64))),
    ],
)
