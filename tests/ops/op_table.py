"""The op table (PyTorch's OpInfo, in small): for each op, how to call it in a library `L` (torch or
numtorch), its sample inputs, its in-place variant and the error cases to compare.

`op(L, *args, **kwargs)` and `inplace(L, target, *rest, **kwargs)` receive tensors built from the
sample's `T` specs; the in-place variant runs on a non-leaf copy of the first argument. Every
check in test_op_table.py runs over this one table, so adding an op here tests it everywhere."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from harness import D, S, T


@dataclass
class OpInfo:
    name: str
    op: Callable | None
    samples: list
    inplace: Callable | None = None
    grad: bool = True  # differentiable: compare gradients and the saved tensors
    gradgrad: bool = True  # compare double gradients
    errors: list = field(default_factory=list)  # (name, fn(L)) pairs: exceptions to compare
    tol: float = 1.0  # multiplies the default tolerances (sums of products, pow ...)


# ---- sample families -------------------------------------------------------------------------
NZ = dict(domain=(0.5, 2.0), signed=True)  # away from zero (denominators, abs, sign, relu ...)
POS = dict(domain=(0.5, 2.0))  # strictly positive (log, sqrt, pow base)
INZ = dict(domain=(1, 4), signed=True)  # nonzero integers


def binary_samples(lhs=None, rhs=None, ints=True, int_rhs=None, scalars=(2.5, 2), bools=False):
    """Two-operand pointwise samples: shapes, 0-d, broadcasting both ways, non-contiguous inputs,
    mixed dtypes, operands without grad, Python scalars and integer tensors."""
    a, b = lhs or {}, rhs or {}
    out = [
        S(T((3, 4), **a), T((3, 4), **b)),
        S(T((), **a), T((), **b)),
        S(T((2, 3, 4), **a), T((4,), **b)),
        S(T((4,), **a), T((2, 3, 4), **b)),
        S(T((3, 1), **a), T((1, 4), **b)),
        S(T((3, 4), **a), T((), **b)),
        S(T((), **a), T((3, 4), **b)),
        S(T((3, 4), noncontig=True, **a), T((3, 4), noncontig=True, **b)),
        S(T((2, 3), "float64", **a), T((2, 3), **b)),
        S(T((2, 3), **a), T((2, 3), "float64", **b)),
        S(T((2, 3), **a), T((), "float64", **b)),
        S(T((2, 3), **a), T((2, 3), rg=False, **b)),
        S(T((2, 3), rg=False, **a), T((2, 3), **b)),
        S(T((0, 3), **a), T((3,), **b)),
    ]
    out += [S(T((2, 3), **a), s) for s in scalars]
    out.append(S(T((2, 3), "float16", **a), T((2, 3), "float16", **b)))
    if ints:
        ib = int_rhs if int_rhs is not None else {}
        out += [
            S(T((2, 3), "int64", **ib), T((2, 3), "int64", **ib)),
            S(T((2, 3), "int32", **ib), T((), "int64", **ib)),
            S(T((2, 3), "int64", **ib), 3),
            S(T((2, 3), "int64", **ib), 1.5),
            S(T((2, 3), "int64", **ib), T((2, 3), **b)),
            S(T((2, 3), **a), T((2, 3), "int64", **ib)),
        ]
    if bools:
        out += [S(T((2, 3), "bool"), T((2, 3), "bool")), S(T((2, 3), "bool"), T((2, 3), **b))]
    return out


def unary_samples(dom=None, ints=True, empty=True):
    d = dom or {}
    out = [
        S(T((3, 4), **d)),
        S(T((), **d)),
        S(T((4, 3), noncontig=True, **d)),
        S(T((2, 3), "float64", **d)),
    ]
    out.append(S(T((2, 3), "float16", **d)))
    if empty:
        out.append(S(T((0, 3), **d)))
    if ints:
        out.append(S(T((2, 3), "int64", domain=(1, 4))))
    return out


def scalar_rhs_samples(dom=None):
    d = dom or {}
    return [
        S(T((3, 4), **d)),
        S(T((), **d)),
        S(T((2, 3), "float64", **d)),
        S(T((4, 3), noncontig=True, **d)),
        S(T((2, 3), "int64", domain=(1, 4))),
    ]


def reduction_samples(dims=True, ints=True, dom=None):
    d = dom or {}
    out = [
        S(T((3, 4), **d)),
        S(T((), **d)),
        S(T((2, 3, 4), **d)),
        S(T((4, 3), noncontig=True, **d)),
        S(T((2, 3), "float64", **d)),
    ]
    if ints:
        out.append(S(T((2, 3), "int64", domain=(-3, 3))))
    if dims:
        out += [
            S(T((3, 4), **d), 1),
            S(T((3, 4), **d), -2, True),
            S(T((2, 3, 4), **d), 1, keepdim=True),
            S(T((), **d), 0),
            S(T((4, 3), noncontig=True, **d), 0),
        ]
    return out


TIES = [[1.0, 3.0, 3.0, 0.0], [2.0, 2.0, 2.0, 2.0], [0.0, 1.0, 5.0, 5.0]]
NAN_ROW = [[1.0, float("nan"), 3.0, 0.0], [2.0, 0.0, 2.0, 1.0], [0.0, 1.0, 5.0, 5.0]]
MAXMIN_SAMPLES = [
    S(T((3, 4))),
    S(T(())),
    S(T((2, 3, 4))),
    S(T((4, 3), noncontig=True)),
    S(T((2, 3), "float64")),
    S(T((2, 3), "int64", domain=(-3, 3))),
    S(T((3, 4), values=TIES), name="ties"),
    S(T((3, 4), values=NAN_ROW), name="nan"),
    S(T((3, 4)), 1),
    S(T((3, 4)), 0, True),
    S(T((3, 4)), -1, keepdim=True),
    S(T((3, 4), values=TIES), 1, name="ties_dim1"),
    S(T((3, 4), values=TIES), 0, name="ties_dim0"),
    S(T((3, 4), values=NAN_ROW), 1, name="nan_dim1"),
    S(T(()), 0),
    S(T((2, 3, 4)), 1),
    S(T((4, 3), noncontig=True), 1),
    S(T((2, 3), "int64", domain=(-3, 3)), 1),
]
AMAX_SAMPLES = [
    S(T((3, 4))),
    S(T(())),
    S(T((2, 3, 4)), (0, 2)),
    S(T((3, 4)), 1),
    S(T((3, 4)), -1, True),
    S(T((4, 3), noncontig=True), 0),
    S(T((2, 3), "float64"), 1),
    S(T((2, 3), "int64", domain=(-3, 3)), 0),
    S(T((3, 4), values=TIES), name="ties"),
    S(T((3, 4), values=TIES), 1, name="ties_dim1"),
    S(T((3, 4), values=TIES), (0, 1), True, name="ties_all_keepdim"),
    S(T((3, 4), values=NAN_ROW), 1, name="nan_dim1"),
]
ARG_SAMPLES = [
    S(T((3, 4))),
    S(T(())),
    S(T((3, 4)), 1),
    S(T((3, 4)), 0, True),
    S(T((2, 3, 4)), -1),
    S(T((4, 3), noncontig=True), 1),
    S(T((2, 3), "int64", domain=(-3, 3)), 1),
    S(T((3, 4), values=TIES), name="ties"),
    S(T((3, 4), values=TIES), 1, name="ties_dim1"),
    S(T((3, 4), values=TIES), 0, name="ties_dim0"),
    S(T((3, 4), values=NAN_ROW), 1, name="nan_dim1"),
    S(T((3, 4), values=NAN_ROW), name="nan"),
    S(T(()), 0, True),
    S(T((3, 4), values=TIES), dim=None, keepdim=True, name="ties_keepdim_nodim"),
]
PROD_ZEROS = [
    S(T((3, 4), values=[[1.0, 0.0, 2.0, 3.0], [0.0, 0.0, 1.0, 2.0], [1.0, 2.0, 3.0, 4.0]]), name="zeros"),
    S(
        T((3, 4), values=[[1.0, 0.0, 2.0, 3.0], [0.0, 0.0, 1.0, 2.0], [1.0, 2.0, 3.0, 4.0]]),
        1,
        name="zeros_dim1",
    ),
    S(
        T((3, 4), values=[[1.0, 0.0, 2.0, 3.0], [0.0, 0.0, 1.0, 2.0], [1.0, 2.0, 3.0, 4.0]]),
        0,
        True,
        name="zeros_dim0",
    ),
    S(T((4,), values=[2.0, 0.0, 3.0, 0.5]), name="one_zero"),
]


def err(name: str, fn: Callable) -> tuple:
    return (name, fn)


# ---- the table -------------------------------------------------------------------------------
OPS: list[OpInfo] = []


def add_op(*a, **k) -> OpInfo:
    info = OpInfo(*a, **k)
    OPS.append(info)
    return info


# arithmetic
add_op(
    "add",
    lambda L, x, y, **k: L.add(x, y, **k),
    binary_samples(bools=True)
    + [S(T((2, 3)), T((2, 3)), alpha=2), S(T((2, 3)), T((3,)), alpha=0.5), S(T((2, 3)), 1.5, alpha=2)],
    inplace=lambda L, x, y, **k: x.add_(y, **k),
    errors=[
        err("broadcast", lambda L: L.ones(2, 3) + L.ones(4)),
        err("broadcast_3d", lambda L: L.ones(2, 3, 4) + L.ones(3, 1, 5)),
        err("int_add_float_inplace", lambda L: L.tensor([1, 2]).add_(1.5)),
        err("int_add_float_tensor_inplace", lambda L: L.tensor([1, 2]).add_(L.tensor([1.5, 2.0]))),
        err("leaf_inplace", lambda L: L.ones(2, requires_grad=True).add_(1)),
        err("inplace_broadcast_shape", lambda L: L.ones(3).add_(L.ones(2, 3))),
        err("bool_alpha_float", lambda L: L.add(L.ones(2), L.ones(2), alpha=True)),
    ],
)
add_op(
    "add_operator", lambda L, x, y: x + y, binary_samples(bools=True), inplace=lambda L, x, y: x.__iadd__(y)
)
add_op("radd_scalar", lambda L, x, s: s + x, [S(T((2, 3)), 2), S(T(()), 1.5), S(T((2, 3), "int64"), 2.5)])
add_op(
    "sub",
    lambda L, x, y, **k: L.sub(x, y, **k),
    binary_samples() + [S(T((2, 3)), T((2, 3)), alpha=3), S(T((2, 3)), 2.0, alpha=-1)],
    inplace=lambda L, x, y, **k: x.sub_(y, **k),
    errors=[
        err("bool_sub", lambda L: L.tensor([True]) - L.tensor([False])),
        err("bool_sub_scalar", lambda L: L.tensor([True]) - True),
    ],
)
add_op("sub_operator", lambda L, x, y: x - y, binary_samples(), inplace=lambda L, x, y: x.__isub__(y))
add_op(
    "rsub_scalar",
    lambda L, x, s: s - x,
    [
        S(T((2, 3)), 2),
        S(T(()), 1.5),
        S(T((2, 3), "float64"), 2),
        S(T((4, 3), noncontig=True), 0.5),
        S(T((2, 3), "int64"), 2),
        S(T((2, 3), "int64"), 2.5),
    ],
)
add_op(
    "rsub",
    lambda L, x, y, **k: L.rsub(x, y, **k),
    [S(T((2, 3)), T((2, 3))), S(T((2, 3)), T((3,))), S(T((2, 3)), 2.0), S(T((2, 3)), T((2, 3)), alpha=2)],
)
add_op("mul", lambda L, x, y: L.mul(x, y), binary_samples(bools=True), inplace=lambda L, x, y: x.mul_(y))
add_op("mul_operator", lambda L, x, y: x * y, binary_samples(), inplace=lambda L, x, y: x.__imul__(y))
add_op("rmul_scalar", lambda L, x, s: s * x, [S(T((2, 3)), 2), S(T(()), 1.5), S(T((2, 3), "int64"), 2.5)])
add_op("mul_self", lambda L, x: x * x, unary_samples(), inplace=lambda L, x: x.mul_(x))
add_op(
    "div",
    lambda L, x, y, **k: L.div(x, y, **k),
    binary_samples(rhs=NZ, int_rhs=INZ, scalars=(2.5, 2, -0.5)),
    inplace=lambda L, x, y, **k: x.div_(y, **k),
    errors=[
        err("int_div_inplace", lambda L: L.tensor([1, 2]).div_(2)),
        err("bad_rounding_mode", lambda L: L.div(L.ones(2), 2, rounding_mode="round")),
    ],
)
add_op(
    "div_floor",
    lambda L, x, y: L.div(x, y, rounding_mode="floor"),
    binary_samples(lhs=dict(domain=(-5, 5)), rhs=NZ, int_rhs=INZ, scalars=(2.5, 2, -3)),
    inplace=lambda L, x, y: x.div_(y, rounding_mode="floor"),
    errors=[err("int_zero", lambda L: L.div(L.tensor([1]), L.tensor([0]), rounding_mode="floor"))],
)
add_op(
    "div_trunc",
    lambda L, x, y: L.div(x, y, rounding_mode="trunc"),
    binary_samples(lhs=dict(domain=(-5, 5)), rhs=NZ, int_rhs=INZ, scalars=(2.5, 2, -3)),
    inplace=lambda L, x, y: x.div_(y, rounding_mode="trunc"),
)
add_op(
    "truediv_operator",
    lambda L, x, y: x / y,
    binary_samples(rhs=NZ, int_rhs=INZ),
    inplace=lambda L, x, y: x.__itruediv__(y),
)
add_op(
    "true_divide",
    lambda L, x, y: L.true_divide(x, y),
    binary_samples(rhs=NZ, int_rhs=INZ, scalars=(2,)),
    inplace=lambda L, x, y: x.true_divide_(y),
)
add_op(
    "rdiv_scalar",
    lambda L, x, s: s / x,
    [
        S(T((2, 3), **NZ), 2),
        S(T((), **NZ), 1.5),
        S(T((2, 3), "float64", **NZ), 2),
        S(T((4, 3), noncontig=True, **NZ), 0.5),
        S(T((2, 3), "int64", **INZ), 2),
        S(T((2, 3), "int64", **INZ), 2.5),
    ],
)
add_op(
    "floor_divide",
    lambda L, x, y: L.floor_divide(x, y),
    binary_samples(lhs=dict(domain=(-5, 5)), rhs=NZ, int_rhs=INZ, scalars=(2.5, 2, -3)),
    inplace=lambda L, x, y: x.floor_divide_(y),
    errors=[err("int_zero", lambda L: L.floor_divide(L.tensor([1]), L.tensor([0])))],
)
add_op(
    "floordiv_operator",
    lambda L, x, y: x // y,
    binary_samples(lhs=dict(domain=(-5, 5)), rhs=NZ, int_rhs=INZ, scalars=(2,)),
    inplace=lambda L, x, y: x.__ifloordiv__(y),
)
add_op(
    "rfloordiv_scalar",
    lambda L, x, s: s // x,
    [S(T((2, 3), **NZ), 5), S(T((2, 3), "int64", **INZ), 7), S(T((), **NZ), 2.5)],
)
add_op(
    "remainder",
    lambda L, x, y: L.remainder(x, y),
    binary_samples(lhs=dict(domain=(-5, 5)), rhs=NZ, int_rhs=INZ, scalars=(2.5, 2, -3)),
    inplace=lambda L, x, y: x.remainder_(y),
)
add_op(
    "mod_operator",
    lambda L, x, y: x % y,
    binary_samples(lhs=dict(domain=(-5, 5)), rhs=NZ, int_rhs=INZ, scalars=(2,)),
    inplace=lambda L, x, y: x.__imod__(y),
)
add_op(
    "rmod_scalar",
    lambda L, x, s: s % x,
    [S(T((2, 3), **NZ), 5), S(T((2, 3), "int64", **INZ), 7), S(T((), **NZ), 2.5)],
)

# pow: tensor ** scalar, tensor ** tensor, scalar ** tensor
POW_SCALAR = [S(T((3, 4), **POS), e) for e in (2, 3, 0.5, -1, 0, 2.5, 1)] + [
    S(T((), **POS), 2),
    S(T((4, 3), noncontig=True, **POS), 2),
    S(T((2, 3), "float64", **POS), 1.5),
    S(T((2, 3), **NZ), 2),
    S(T((2, 3), **NZ), 3),
    S(T((2, 3), "int64", domain=(0, 4)), 2),
    S(T((2, 3), "int64", domain=(1, 4)), 0.5),
    S(T((2, 3), values=[[0.0, 1.0, 2.0], [0.0, -1.0, 3.0]]), 2),
    S(T((2, 3), values=[[0.0, 1.0, 2.0], [0.0, 4.0, 3.0]]), 0.5, name="zero_sqrt"),
    S(T((2, 3)), T((), "float64", rg=False, domain=(2, 2)), name="f32_pow_0d_f64"),
]
add_op(
    "pow_scalar",
    lambda L, x, e: L.pow(x, e),
    POW_SCALAR,
    inplace=lambda L, x, e: x.pow_(e),
    errors=[
        err("int_neg_pow", lambda L: L.tensor([2, 3]) ** -1),
        err("int_pow_float_inplace", lambda L: L.tensor([2, 3]).pow_(0.5)),
    ],
)
add_op("pow_operator", lambda L, x, e: x**e, POW_SCALAR[:8], inplace=lambda L, x, e: x.__ipow__(e))
add_op(
    "pow_tensor",
    lambda L, x, e: L.pow(x, e),
    binary_samples(lhs=POS, ints=False, scalars=())
    + [
        S(T((2, 3), "int64", domain=(0, 3)), T((2, 3), "int64", domain=(0, 3))),
        S(
            T((2, 3), values=[[0.0, 0.0, 2.0], [1.0, 0.0, 3.0]]),
            T((2, 3), values=[[0.0, 2.0, 0.0], [1.0, -1.0, 2.0]]),
            name="zero_base",
        ),
    ],
    inplace=lambda L, x, e: x.pow_(e),
)
add_op(
    "rpow_scalar",
    lambda L, x, b: b**x,
    [
        S(T((2, 3)), 2),
        S(T(()), 2.5),
        S(T((2, 3), "float64"), 3),
        S(T((4, 3), noncontig=True), 0.5),
        S(T((2, 3), "int64", domain=(0, 3)), 2),
        S(T((2, 3), "int64", domain=(0, 3)), 1.5),
        S(T((2, 3)), 0, name="zero_base"),
        S(T((2, 3), values=[[0.0, 1.0, 2.0], [0.0, -1.0, 3.0]]), 0.0, name="zero_base_f"),
    ],
)
add_op(
    "pow_scalar_base",
    lambda L, x, b: L.pow(b, x),
    [S(T((2, 3)), 2), S(T((2, 3), "float64"), 3.5), S(T((2, 3), "int64", domain=(0, 3)), 2)],
)
add_op("square", lambda L, x: L.square(x), unary_samples(dom=NZ), inplace=lambda L, x: x.square_())

# unary sign-ish
add_op(
    "neg",
    lambda L, x: L.neg(x),
    unary_samples(dom=NZ),
    inplace=lambda L, x: x.neg_(),
    errors=[err("bool_neg", lambda L: -L.tensor([True]))],
)
add_op("neg_operator", lambda L, x: -x, unary_samples())
add_op(
    "abs",
    lambda L, x: L.abs(x),
    unary_samples(dom=NZ) + [S(T((2, 3), values=[[0.0, -1.0, 2.0], [0.0, 1.0, -3.0]]))],
    inplace=lambda L, x: x.abs_(),
)
add_op(
    "sign",
    lambda L, x: L.sign(x),
    unary_samples(dom=NZ) + [S(T((3,), values=[0.0, -1.0, 2.0]))] + [S(T((2, 3), "bool"))],
    inplace=lambda L, x: x.sign_(),
)

# unary float math
UNARY = {
    "exp": (None, True),
    "log": (POS, True),
    "log2": (POS, True),
    "log10": (POS, True),
    "log1p": (dict(domain=(-0.5, 2.0)), True),
    "expm1": (None, True),
    "sqrt": (POS, True),
    "rsqrt": (POS, True),
    "sin": (None, True),
    "cos": (None, True),
    "tan": (dict(domain=(-1.2, 1.2)), True),
    "tanh": (None, True),
    "sigmoid": (None, True),
    "reciprocal": (NZ, True),
}
for _name, (_dom, _ints) in UNARY.items():
    add_op(
        _name,
        (lambda n: lambda L, x: getattr(L, n)(x))(_name),
        unary_samples(dom=_dom, ints=_ints),
        inplace=(lambda n: lambda L, x: getattr(x, n + "_")())(_name),
    )
    add_op(_name + "_method", (lambda n: lambda L, x: getattr(x, n)())(_name), unary_samples(dom=_dom)[:2])
add_op(
    "relu",
    lambda L, x: L.relu(x),
    unary_samples(dom=NZ) + [S(T((3,), values=[0.0, -1.0, 2.0]), name="zero")],
    inplace=lambda L, x: x.relu_(),
)
add_op("sqrt_zero", lambda L, x: L.sqrt(x), [S(T((3,), values=[0.0, 1.0, 4.0]))])
add_op("log_zero_neg", lambda L, x: L.log(x), [S(T((3,), values=[0.0, -1.0, 4.0]))])

# clamp family
add_op(
    "clamp",
    lambda L, x, *a, **k: L.clamp(x, *a, **k),
    [
        S(T((3, 4)), -0.5, 0.5),
        S(T((3, 4)), min=-0.5),
        S(T((3, 4)), max=0.5),
        S(T(()), -0.5, 0.5),
        S(T((4, 3), noncontig=True), -1, 1),
        S(T((2, 3), "float64"), -0.5, 0.5),
        S(T((2, 3), "int64", domain=(-3, 3)), -1, 1),
        S(T((2, 3), "int64", domain=(-3, 3)), -0.5, 1.5),
        S(T((2, 3)), 0.5, -0.5, name="min_gt_max"),
        S(T((3,), values=[-1.0, 0.0, 1.0]), -1.0, 1.0, name="at_bounds"),
        S(T((3, 4)), T((3, 4), domain=(-1, 0)), T((3, 4), domain=(0, 1)), name="tensor_bounds"),
        S(T((3, 4)), T((4,), domain=(-1, 0)), T((3, 1), domain=(0, 1)), name="tensor_bounds_bcast"),
        S(T((3, 4)), T((), domain=(-1, 0), rg=False), name="tensor_min_only"),
        S(T((3, 4)), max=T((4,), domain=(0, 1)), name="tensor_max_only"),
        S(T((3, 4)), T((3, 4), "float64", domain=(-1, 0)), 0.5, name="tensor_min_f64_scalar_max"),
        S(T((2, 3), "int64", domain=(-3, 3)), T((2, 3), domain=(-1, 0)), name="int_tensor_float_min"),
    ],
    inplace=lambda L, x, *a, **k: x.clamp_(*a, **k),
    errors=[
        err("no_bounds", lambda L: L.clamp(L.ones(2))),
        err("no_bounds_inplace", lambda L: L.ones(2).clamp_()),
        # the Scalar kernels skip Bool, even for an empty tensor (a bool Tensor bound is fine)
        err("bool_scalar_min", lambda L: L.tensor([True, False]).clamp(min=True)),
        err("bool_scalar_max", lambda L: L.clamp(L.zeros(0, dtype=L.bool), max=True)),
        err("bool_scalar_both", lambda L: L.tensor(True).clamp(True, False)),
        err("bool_clamp_min_", lambda L: L.tensor([True]).clamp_min_(False)),
    ],
)
add_op(
    "clamp_min",
    lambda L, x, m: L.clamp_min(x, m),
    [
        S(T((3, 4)), 0.2),
        S(T(()), 0.2),
        S(T((2, 3), "int64", domain=(-3, 3)), 1),
        S(T((2, 3), "int64", domain=(-3, 3)), 0.5),
        S(T((3, 4)), T((3, 4))),
        S(T((3, 4)), T((4,), rg=False)),
    ],
    inplace=lambda L, x, m: x.clamp_min_(m),
)
add_op(
    "clamp_max",
    lambda L, x, m: L.clamp_max(x, m),
    [
        S(T((3, 4)), 0.2),
        S(T(()), 0.2),
        S(T((2, 3), "int64", domain=(-3, 3)), 1),
        S(T((2, 3), "int64", domain=(-3, 3)), 0.5),
        S(T((3, 4)), T((3, 4))),
        S(T((3, 4)), T((4,), rg=False)),
    ],
    inplace=lambda L, x, m: x.clamp_max_(m),
)
MINMAX_TIES = S(
    T((2, 3), values=[[1.0, 2.0, 3.0], [0.0, 5.0, 5.0]]),
    T((2, 3), values=[[1.0, 3.0, 2.0], [0.0, 5.0, 4.0]]),
    name="ties",
)
add_op(
    "maximum",
    lambda L, x, y: L.maximum(x, y),
    binary_samples(scalars=()) + [MINMAX_TIES],
    errors=[err("scalar_other", lambda L: L.maximum(L.ones(2), 1.0))],
)
add_op("minimum", lambda L, x, y: L.minimum(x, y), binary_samples(scalars=()) + [MINMAX_TIES])
COND = dict(rg=False)
add_op(
    "where",
    lambda L, c, x, y: L.where(c, x, y),
    [
        S(T((3, 4), "bool"), T((3, 4)), T((3, 4))),
        S(T((3, 4), "bool"), T((4,)), T((3, 1))),
        S(T((4,), "bool"), T((3, 4)), T(())),
        S(T((), "bool"), T((2, 3)), T((2, 3))),
        S(T((3, 4), "bool"), T((3, 4)), 0.0),
        S(T((3, 4), "bool"), 1.5, T((3, 4))),
        S(T((3, 4), "bool"), T((3, 4), "float64"), T((3, 4))),
        S(T((3, 4), "bool"), T((3, 4), rg=False), T((3, 4))),
        S(T((3, 4), "bool"), T((3, 4), "int64"), T((3, 4), "int64")),
        S(T((3, 4), "bool"), T((3, 4), "int64"), 0.5),
        S(T((3, 4), "bool"), T((3, 4), "int32"), 2),
        S(T((4, 3), "bool", noncontig=True), T((4, 3), noncontig=True), T((3, 4))),
    ],
    errors=[
        err("float_cond", lambda L: L.where(L.ones(2), L.ones(2), L.zeros(2))),
        err("broadcast", lambda L: L.where(L.ones(2, dtype=L.bool), L.ones(3), L.zeros(2))),
    ],
)
add_op("where_method", lambda L, c, x, y: x.where(c, y), [S(T((3, 4), "bool"), T((3, 4)), T((3, 4)))])

# reductions
add_op(
    "sum",
    lambda L, x, *a, **k: L.sum(x, *a, **k),
    reduction_samples()
    + [
        S(T((2, 3, 4)), (0, 2)),
        S(T((2, 3, 4)), (-1, 0), True),
        S(T((2, 3)), dtype=D("float64")),
        S(T((2, 3), "int32", domain=(-3, 3))),
        S(T((2, 3), "bool")),
        S(T((2, 3), "int64", domain=(-3, 3)), dtype=D("float32")),
        S(T((0, 3))),
        S(T((0, 3)), 0),
        S(T((2, 3)), ()),
    ],
    errors=[
        err("dim_range", lambda L: L.ones(2, 3).sum(2)),
        err("dim_repeat", lambda L: L.ones(2, 3).sum((0, 0))),
    ],
)
add_op("sum_method", lambda L, x, *a, **k: x.sum(*a, **k), reduction_samples(ints=False)[:4])
add_op(
    "mean",
    lambda L, x, *a, **k: L.mean(x, *a, **k),
    reduction_samples(ints=False)
    + [
        S(T((2, 3, 4)), (0, 2)),
        S(T((2, 3, 4)), [-1, 0], True),
        S(T((2, 3), "int64"), dtype=D("float64")),
        S(T((0, 3)), 1),
    ],
    errors=[
        err("int_mean", lambda L: L.tensor([1, 2]).mean()),
        err("int_mean_dim", lambda L: L.tensor([[1, 2]]).mean(0)),
        err("bool_mean", lambda L: L.tensor([True]).mean()),
        err("mean_dtype_int", lambda L: L.ones(2).mean(dtype=L.int64)),
    ],
)
add_op(
    "prod",
    lambda L, x, *a, **k: L.prod(x, *a, **k),
    [s for s in reduction_samples(dom=dict(domain=(0.5, 1.5), signed=True)) if len(s.args) < 3]
    + PROD_ZEROS
    + [S(T((2, 3)), 1, keepdim=True), S(T((2, 3), "int32", domain=(1, 3))), S(T((2, 3), "bool"))],
    tol=4.0,
)
add_op(
    "max",
    lambda L, x, *a, **k: L.max(x, *a, **k),
    MAXMIN_SAMPLES + [S(T((3, 4)), T((3, 4)), name="binary")],
    errors=[err("empty", lambda L: L.ones(0).max()), err("dim_range", lambda L: L.ones(2).max(1))],
)
add_op(
    "min",
    lambda L, x, *a, **k: L.min(x, *a, **k),
    MAXMIN_SAMPLES + [S(T((3, 4)), T((3, 4)), name="binary")],
    errors=[err("empty", lambda L: L.ones(0).min())],
)
add_op("max_method", lambda L, x, *a: x.max(*a), [S(T((3, 4))), S(T((3, 4)), 1)])
add_op("amax", lambda L, x, *a: L.amax(x, *a), AMAX_SAMPLES)
add_op("amin", lambda L, x, *a: L.amin(x, *a), AMAX_SAMPLES)
add_op("argmax", lambda L, x, *a, **k: L.argmax(x, *a, **k), ARG_SAMPLES, grad=False)
add_op("argmin", lambda L, x, *a, **k: L.argmin(x, *a, **k), ARG_SAMPLES, grad=False)

CUM_ZEROS = [[1.0, 0.0, 2.0, 3.0], [0.0, 0.0, 1.0, 2.0], [1.5, 2.0, 3.0, 0.5]]
add_op(
    "cumsum",
    lambda L, x, d, **k: L.cumsum(x, d, **k),
    [
        S(T((3, 4)), 1),
        S(T((3, 4)), 0),
        S(T(()), 0),
        S(T((4, 3), noncontig=True), -1),
        S(T((2, 3), "float64"), 1),
        S(T((2, 3), "int32", domain=(-3, 3)), 1),
        S(T((2, 3), "bool"), 0),
        S(T((2, 3)), 1, dtype=D("float64")),
    ],
)
add_op(
    "cumprod",
    lambda L, x, d, **k: L.cumprod(x, d, **k),
    [
        S(T((3, 4), domain=(0.5, 1.5), signed=True), 1),
        S(T((3, 4), domain=(0.5, 1.5)), 0),
        S(T(()), 0),
        S(T((4, 3), noncontig=True, domain=(0.5, 1.5)), -1),
        S(T((2, 3), "float64", domain=(0.5, 1.5)), 1),
        S(T((2, 3), "int32", domain=(-3, 3)), 1),
        S(T((3, 4), values=CUM_ZEROS), 1, name="zeros_dim1"),
        S(T((3, 4), values=CUM_ZEROS), 0, name="zeros_dim0"),
        S(T((1, 4), values=[CUM_ZEROS[0]]), 0, name="size1"),
    ],
    tol=4.0,
)

# linear algebra
add_op(
    "matmul",
    lambda L, a, b: L.matmul(a, b),
    [
        S(T((4,)), T((4,))),
        S(T((3, 4)), T((4,))),
        S(T((4,)), T((4, 5))),
        S(T((3, 4)), T((4, 5))),
        S(T((2, 3, 4)), T((4, 5))),
        S(T((2, 3, 4)), T((4,))),
        S(T((2, 3, 4)), T((2, 4, 5))),
        S(T((4,)), T((2, 4, 5))),
        S(T((2, 1, 3, 4)), T((5, 4, 2))),
        S(T((3, 4)), T((2, 4, 5))),
        S(T((4, 3), noncontig=True), T((5, 4), noncontig=True)),
        S(T((3, 4), "float64"), T((4, 2), "float64")),
        S(T((3, 4)), T((4, 2), rg=False)),
        S(T((3, 4), "int64", domain=(-3, 3)), T((4, 2), "int64", domain=(-3, 3))),
        S(T((0, 4)), T((4, 2))),
        S(T((3, 0)), T((0, 2))),
        # ATen's should_fold: which operand requires grad and the strides decide mm/mv vs bmm
        S(T((2, 3, 4)), T((4, 5), rg=False)),
        S(T((2, 4, 3), noncontig=True), T((3, 5), rg=False)),
        S(T((3, 4), rg=False), T((2, 4, 5))),
        S(T((4,), rg=False), T((2, 4, 5))),
        S(T((1, 3, 4)), T((2, 4, 5), rg=False)),
        S(T((2, 3, 4), rg=False), T((1, 4, 5))),
        S(T((1, 3, 4)), T((2, 4, 5))),
        S(T((2, 4, 3), noncontig=True), T((3,), rg=False)),
    ],
    tol=4.0,
    errors=[
        err("0d", lambda L: L.matmul(L.ones(()), L.ones(3))),
        err("mismatch_2d", lambda L: L.ones(2, 3) @ L.ones(4, 5)),
        err("mismatch_1d", lambda L: L.ones(3) @ L.ones(4)),
        err("mismatch_batched", lambda L: L.ones(2, 2, 3) @ L.ones(2, 4, 5)),
        err("dtype", lambda L: L.ones(2, 3) @ L.ones(3, 2, dtype=L.float64)),
    ],
)
add_op("matmul_operator", lambda L, a, b: a @ b, [S(T((3, 4)), T((4, 5))), S(T((2, 3, 4)), T((4,)))], tol=4.0)
add_op(
    "mm",
    lambda L, a, b: L.mm(a, b),
    [
        S(T((3, 4)), T((4, 5))),
        S(T((4, 3), noncontig=True), T((4, 5))),
        S(T((3, 4)), T((5, 4), noncontig=True)),
        S(T((3, 4), "float64"), T((4, 2), "float64")),
        S(T((3, 4), rg=False), T((4, 2))),
        S(T((3, 4)), T((4, 2), rg=False)),
        S(T((1, 1)), T((1, 1))),
        S(T((3, 4), "int64", domain=(-3, 3)), T((4, 2), "int64", domain=(-3, 3))),
    ],
    tol=4.0,
    errors=[
        err("shape", lambda L: L.mm(L.ones(2, 3), L.ones(4, 5))),
        err("1d", lambda L: L.mm(L.ones(3), L.ones(3, 2))),
        err("dtype", lambda L: L.mm(L.ones(2, 3), L.ones(3, 2, dtype=L.float64))),
    ],
)
add_op(
    "bmm",
    lambda L, a, b: L.bmm(a, b),
    [
        S(T((2, 3, 4)), T((2, 4, 5))),
        S(T((2, 3, 4), "float64"), T((2, 4, 5), "float64")),
        S(T((2, 4, 3), noncontig=True), T((2, 4, 5))),
        S(T((2, 3, 4)), T((2, 4, 5), rg=False)),
    ],
    tol=4.0,
    errors=[
        err("batch", lambda L: L.bmm(L.ones(2, 3, 4), L.ones(3, 4, 5))),
        err("inner", lambda L: L.bmm(L.ones(2, 3, 4), L.ones(2, 3, 5))),
        err("2d", lambda L: L.bmm(L.ones(3, 4), L.ones(4, 5))),
    ],
)
add_op(
    "mv",
    lambda L, a, v: L.mv(a, v),
    [
        S(T((3, 4)), T((4,))),
        S(T((4, 3), noncontig=True), T((4,))),
        S(T((3, 4), "float64"), T((4,), "float64")),
        S(T((3, 4), rg=False), T((4,))),
        S(T((3, 4)), T((4,), rg=False)),
    ],
    tol=4.0,
    errors=[
        err("shape", lambda L: L.mv(L.ones(2, 3), L.ones(4))),
        err("dims", lambda L: L.mv(L.ones(3), L.ones(3))),
    ],
)
add_op(
    "dot",
    lambda L, a, b: L.dot(a, b),
    [
        S(T((4,)), T((4,))),
        S(T((4,), "float64"), T((4,), "float64")),
        S(T((4,), rg=False), T((4,))),
        S(T((4,), "int64", domain=(-3, 3)), T((4,), "int64", domain=(-3, 3))),
        S(T((0,)), T((0,))),
    ],
    tol=4.0,
    errors=[
        err("shape", lambda L: L.dot(L.ones(3), L.ones(4))),
        err("dims", lambda L: L.dot(L.ones(2, 2), L.ones(4))),
        err("dtype", lambda L: L.dot(L.ones(3), L.ones(3, dtype=L.float64))),
    ],
)
add_op(
    "outer",
    lambda L, a, b: L.outer(a, b),
    [
        S(T((3,)), T((4,))),
        S(T((3,), "float64"), T((4,))),
        S(T((3,), rg=False), T((4,))),
        S(T((3,), "int64", domain=(-3, 3)), T((2,), "int64", domain=(-3, 3))),
        S(T((3,)), T((4,), "int64")),
    ],
)

# comparisons and logical ops
CMP_SAMPLES = [
    S(T((3, 4), values=[[1.0, 2.0, 3.0, 4.0]] * 3), T((3, 4), values=[[1.0, 3.0, 2.0, 4.0]] * 3)),
    S(T((3, 4)), T((4,))),
    S(T((3, 4)), 0.5),
    S(T((3, 4)), 0),
    S(T(()), T((2, 3))),
    S(T((2, 3), "int64", domain=(-2, 2)), T((2, 3), "int64", domain=(-2, 2))),
    S(T((2, 3), "int64", domain=(-2, 2)), 0.5),
    S(T((2, 3), "int32", domain=(-2, 2)), T((2, 3), rg=False)),
    S(T((2, 3), "bool"), T((2, 3), "bool")),
    S(T((2, 3), "bool"), 1),
    S(T((4, 3), noncontig=True), T((3, 4))),
    S(T((3,), values=[float("nan"), 1.0, 2.0]), T((3,), values=[float("nan"), 1.0, 3.0]), name="nan"),
]
for _name in ("eq", "ne", "lt", "le", "gt", "ge"):
    add_op(
        _name,
        (lambda n: lambda L, x, y: getattr(L, n)(x, y))(_name),
        CMP_SAMPLES,
        grad=False,
        inplace=(lambda n: lambda L, x, y: getattr(x, n + "_")(y))(_name),
    )
for _name, _sym in (("eq", "=="), ("ne", "!="), ("lt", "<"), ("le", "<="), ("gt", ">"), ("ge", ">=")):
    add_op(_name + "_operator", eval(f"lambda L, x, y: x {_sym} y"), CMP_SAMPLES[:4], grad=False)
    add_op(
        _name + "_reflected",
        eval(f"lambda L, x, s: s {_sym} x"),
        [S(T((2, 3)), 0.5), S(T((2, 3), "int64"), 1)],
        grad=False,
    )
LOGICAL_SAMPLES = [
    S(T((2, 3), "bool"), T((2, 3), "bool")),
    S(T((2, 3)), T((2, 3), values=[[0.0, 1.0, 0.0], [2.0, 0.0, 0.0]])),
    S(T((2, 3), "int64", domain=(0, 1)), T((3,), "bool")),
    S(T((), "bool"), T((2, 3), "bool")),
]
for _name in ("logical_and", "logical_or", "logical_xor"):
    add_op(
        _name,
        (lambda n: lambda L, x, y: getattr(L, n)(x, y))(_name),
        LOGICAL_SAMPLES,
        grad=False,
        inplace=(lambda n: lambda L, x, y: getattr(x, n + "_")(y))(_name),
    )
add_op(
    "logical_not",
    lambda L, x: L.logical_not(x),
    [
        S(T((2, 3), "bool")),
        S(T((2, 3), values=[[0.0, 1.0, 0.0], [2.0, 0.0, 0.0]])),
        S(T((2, 3), "int64", domain=(0, 1))),
    ],
    grad=False,
    inplace=lambda L, x: x.logical_not_(),
)
add_op(
    "bool_and_operator",
    lambda L, x, y: x & y,
    [S(T((2, 3), "bool"), T((2, 3), "bool")), S(T((2, 3), "int64"), T((2, 3), "int64"))],
    grad=False,
    errors=[err("float_and", lambda L: L.ones(2) & L.ones(2))],
)
add_op("bool_or_operator", lambda L, x, y: x | y, [S(T((2, 3), "bool"), T((2, 3), "bool"))], grad=False)
add_op("invert_operator", lambda L, x: ~x, [S(T((2, 3), "bool")), S(T((2, 3), "int64"))], grad=False)

# in-place only: zero_, fill_, copy_
add_op(
    "zero_",
    None,
    [S(T((3, 4))), S(T(())), S(T((4, 3), noncontig=True)), S(T((2, 3), "int64"))],
    inplace=lambda L, x: x.zero_(),
)
add_op(
    "fill_",
    None,
    [
        S(T((3, 4)), 2.5),
        S(T(()), 1),
        S(T((4, 3), noncontig=True), -1.0),
        S(T((2, 3), "int64"), 3),
        S(T((2, 3), "int64"), 2.7),
        S(T((2, 3)), T((), rg=True)),
        S(T((2, 3)), T((), "float64")),
        S(T((2, 3), "bool"), 1),
    ],
    inplace=lambda L, x, v: x.fill_(v),
    errors=[err("fill_1d", lambda L: L.ones(3).fill_(L.ones(2)))],
)
add_op(
    "copy_",
    None,
    [
        S(T((3, 4)), T((3, 4))),
        S(T((3, 4)), T((4,))),
        S(T((3, 4)), T(())),
        S(T((3, 4)), T((3, 4), "float64")),
        S(T((3, 4), rg=False), T((3, 4))),
        S(T((3, 4), rg=False), T((4,))),
        S(T((4, 3), noncontig=True), T((4, 3))),
        S(T((2, 3), "int64"), T((2, 3))),
        S(T((2, 3)), T((2, 3), "int64")),
        S(T((2, 3), "float64"), T((2, 3), rg=False)),
    ],
    inplace=lambda L, x, s: x.copy_(s),
    errors=[
        err("shape", lambda L: L.ones(3).copy_(L.ones(2))),
        err("bcast_bigger", lambda L: L.ones(3).copy_(L.ones(2, 3))),
    ],
)

# misc ops (erfinv, logcumsumexp, splits, scatter family)
ERFINV_DOM = dict(domain=(0.0, 0.95), signed=True)
ERFINV_EDGES = [1.0, -1.0, 1.5, -2.0, float("nan"), 0.0, -0.0, 0.5]
ERFINV_NEAR_ONE = [0.9999, -0.99999, 0.999999, 1e-30, 0.7, -0.70001]
add_op(
    "erfinv",
    lambda L, x: L.erfinv(x),
    unary_samples(dom=ERFINV_DOM)
    + [
        S(T((8,), values=ERFINV_EDGES), name="edges"),
        S(T((6,), values=ERFINV_NEAR_ONE), name="near_one"),
        S(T((6,), "float64", values=ERFINV_NEAR_ONE), name="near_one_f64"),
        S(T((2, 3), "bool")),
    ],
    inplace=lambda L, x: x.erfinv_(),
    errors=[
        err("complex", lambda L: L.erfinv(L.tensor([0.5j]))),
        err("int_inplace", lambda L: L.tensor([1, 2]).erfinv_()),
    ],
)
add_op("erfinv_method", lambda L, x: x.erfinv(), [S(T((3, 4), **ERFINV_DOM))])

NEG_INF = float("-inf")
LCSE_NEG_INF = [[0.3, NEG_INF, -0.5, 1.0], [NEG_INF, NEG_INF, 2.0, 3.0], [1.0, 2.0, 3.0, 4.0]]
add_op(
    "logcumsumexp",
    lambda L, x, d: L.logcumsumexp(x, d),
    [
        S(T((3, 4)), 1),
        S(T((3, 4)), 0),
        S(T(()), 0),
        S(T(()), -1),
        S(T((4, 3), noncontig=True), -1),
        S(T((2, 3, 4)), -2),
        S(T((2, 3), "float64"), 1),
        S(T((2, 3), "float16"), 1),
        S(T((0, 3)), 0),
        S(T((0, 3)), 1),
        S(T((2, 4), domain=(50.0, 200.0), signed=True), 1, name="large"),
        S(T((3, 4), values=LCSE_NEG_INF), 1, name="neg_inf_dim1"),
        S(T((3, 4), values=LCSE_NEG_INF), 0, name="neg_inf_dim0"),
        S(T((3,), values=[float("inf"), 1.0, float("nan")]), 0, name="inf_nan"),
    ],
    errors=[
        err("int", lambda L: L.logcumsumexp(L.tensor([1, 2]), 0)),
        err("bool", lambda L: L.logcumsumexp(L.tensor([True]), 0)),
        err("dim_range", lambda L: L.logcumsumexp(L.ones(2), 1)),
        err("dim_range_0d", lambda L: L.tensor(2.0).logcumsumexp(1)),
        err("no_dim", lambda L: L.logcumsumexp(L.ones(2))),
        err("no_dim_method", lambda L: L.ones(2).logcumsumexp()),
        err("float_dim", lambda L: L.logcumsumexp(L.ones(2), 1.5)),
        err("none_dim_method", lambda L: L.ones(2).logcumsumexp(None)),
        err("bool_dim_method", lambda L: L.ones(2).logcumsumexp(True)),
    ],
)
add_op("logcumsumexp_method", lambda L, x, d: x.logcumsumexp(d), [S(T((3, 4)), 1), S(T((3, 4)), -2)])
add_op("logcumsumexp_keywords", lambda L, x, d: L.logcumsumexp(input=x, dim=d), [S(T((3, 4)), 1)])

add_op(
    "hsplit",
    lambda L, x, s: L.hsplit(x, s),
    [
        S(T((2, 6, 4)), 3),
        S(T((2, 6, 4)), [1, 4]),
        S(T((2, 6, 4)), (2,)),
        S(T((6,)), 2),
        S(T((6,)), [2, 10]),
        S(T((6,)), [4, 2]),
        S(T((4, 6), noncontig=True), 2),
        S(T((2, 6), "int64"), 3),
        S(T((0, 0)), 2),
    ],
    errors=[
        err("zero_dim", lambda L: L.hsplit(L.tensor(1.0), 1)),
        err("not_divisible", lambda L: L.hsplit(L.ones(2, 3, 4), 2)),
        err("not_divisible_1d", lambda L: L.hsplit(L.ones(6), 4)),
        err("zero_sections", lambda L: L.hsplit(L.ones(2, 3), 0)),
        err("negative_sections", lambda L: L.hsplit(L.ones(2, 3), -1)),
        err("float_arg", lambda L: L.hsplit(L.ones(2, 3), 1.5)),
        err("bool_arg", lambda L: L.hsplit(L.ones(2, 3), True)),
        err("tensor_arg", lambda L: L.hsplit(L.ones(2, 3), L.tensor([1, 2]))),
        err("none_arg_method", lambda L: L.ones(2, 3).hsplit(None)),
    ],
)
add_op("hsplit_0d_index", lambda L, x: L.hsplit(x, L.tensor(3)), [S(T((2, 6)))])
add_op(
    "hsplit_method", lambda L, x, *s: x.hsplit(*s), [S(T((2, 6, 4)), 3), S(T((6,)), [1]), S(T((2, 6)), 1, 2)]
)
add_op(
    "hsplit_keywords",
    lambda L, x, **k: L.hsplit(x, **k),
    [S(T((2, 6)), sections=2), S(T((2, 6)), indices=[1]), S(T((6,)), indices=(2, 3))],
    errors=[
        err("two_args", lambda L: L.hsplit(L.ones(2, 6), 2, 1)),
        err("two_args_method_kw", lambda L: L.ones(2, 6).hsplit(2, sections=1)),
        err("no_args", lambda L: L.hsplit(L.ones(2, 6))),
    ],
)
add_op(
    "vsplit",
    lambda L, x, s: L.vsplit(x, s),
    [
        S(T((6, 4)), 3),
        S(T((6, 4)), [2]),
        S(T((4, 2, 3)), 2),
        S(T((4, 3), noncontig=True), [1, 3]),
        S(T((0, 3)), 2),
    ],
    errors=[
        err("one_dim", lambda L: L.vsplit(L.ones(6), 2)),
        err("not_divisible", lambda L: L.vsplit(L.ones(4, 3), 3)),
        err("str_arg", lambda L: L.vsplit(L.ones(4, 3), "a")),
        err("float_arg_method", lambda L: L.ones(4, 3).vsplit(1.5)),
    ],
)
add_op("vsplit_method", lambda L, x, s: x.vsplit(s), [S(T((6, 4)), 2), S(T((6, 4)), (1, 5))])
add_op(
    "dsplit",
    lambda L, x, s: L.dsplit(x, s),
    [S(T((2, 3, 4)), 2), S(T((2, 3, 4)), [1, 3]), S(T((2, 3, 4, 2)), 4)],
    errors=[
        err("two_dims", lambda L: L.dsplit(L.ones(2, 3), 2)),
        err("not_divisible", lambda L: L.dsplit(L.ones(2, 3, 4), 3)),
        err("none_arg", lambda L: L.dsplit(L.ones(2, 3, 4), None)),
    ],
)
add_op("dsplit_method", lambda L, x, s: x.dsplit(s), [S(T((2, 3, 4)), [2])])
add_op(
    "tensor_split",
    lambda L, x, s, *a: L.tensor_split(x, s, *a),
    [S(T((7,)), 3), S(T((2, 7)), [1, 5], 1), S(T((7,)), [-2]), S(T((7,)), [8, 9]), S(T((7,)), 9)],
    errors=[err("zero_sections", lambda L: L.tensor_split(L.ones(6), 0))],
)
add_op("split", lambda L, x, s, *a: L.split(x, s, *a), [S(T((7, 2)), 3), S(T((2, 7)), [2, 5], 1)])
add_op("chunk", lambda L, x, c, *a: L.chunk(x, c, *a), [S(T((7, 2)), 3), S(T((2, 6)), 4, 1)])
add_op("unbind", lambda L, x, *a: L.unbind(x, *a), [S(T((3, 2))), S(T((2, 3)), 1)])

def _grad_of_sum(L, fn):
    x = L.ones(3, requires_grad=True)
    return L.autograd.grad(fn(x).sum(), x)


SC_INDEX = T((2, 4), "int64", values=[[0, 1, 2, 0], [2, 0, 0, 1]])
SC_INDEX_D1 = T((3, 2), "int64", values=[[0, 3], [1, 1], [2, 0]])
SC_TIES_SELF = T((3, 4), values=[[1.0, 2.0, 5.0, 0.0], [3.0, 3.0, 1.0, 2.0], [0.0, 1.0, 2.0, 2.0]])
SC_TIES_SRC = T((2, 4), values=[[1.0, 3.0, 5.0, 2.0], [0.0, 2.0, 1.0, 2.0]])
SC_ZEROS_SELF = T((3, 4), values=[[0.0, 2.0, 1.5, 0.5], [3.0, 0.0, 1.0, 2.0], [0.5, 1.0, 0.0, 2.0]])
SC_ZEROS_SRC = T((2, 4), values=[[0.0, 3.0, 0.0, 2.0], [1.5, 2.0, 1.0, 0.0]])
SC_TWO_ZEROS_INDEX = T((2, 4), "int64", values=[[0, 1, 2, 0], [0, 0, 0, 1]])
add_op(
    "scatter",
    lambda L, x, d, i, *a, **k: L.scatter(x, d, i, *a, **k),
    [
        S(T((3, 4)), 0, SC_INDEX, T((2, 4))),
        S(T((3, 4)), 1, SC_INDEX_D1, T((3, 2))),
        S(T((3, 4)), 0, SC_INDEX, T((2, 5))),
        S(T((3, 4)), 0, SC_INDEX, 2.5),
        S(T((3, 4)), 0, SC_INDEX, value=-1.0),
        S(T((3, 4), "int64"), 0, SC_INDEX, 2.5),
        S(T((3, 4)), 0, SC_INDEX, T((2, 4)), reduce="add"),
        S(T((3, 4)), 0, SC_INDEX, T((2, 4), rg=False), reduce="multiply"),
        S(T((3, 4)), 0, SC_INDEX, 2.0, reduce="add"),
        S(T((3, 4), "int64"), 0, SC_INDEX, 2.5, reduce="multiply"),
        S(T(()), 0, T((), "int64", values=0), T(())),
        S(T(()), 0, T((), "int64", values=0), 7.0),
    ],
    inplace=lambda L, x, d, i, *a, **k: x.scatter_(d, i, *a, **k),
    errors=[
        err("bad_reduce", lambda L: L.scatter(L.zeros(3), 0, L.tensor([0]), 1.0, reduce="mean")),
        err("float_index", lambda L: L.scatter(L.zeros(3), 0, L.tensor([0.0]), 1.0)),
        err("out_of_bounds", lambda L: L.scatter(L.zeros(3), 0, L.tensor([3]), 1.0)),
        err("dtype", lambda L: L.scatter(L.zeros(3), 0, L.tensor([0]), L.ones(1, dtype=L.float64))),
        err("no_src", lambda L: L.scatter(L.zeros(3), 0, L.tensor([0]))),
        err("no_src_method", lambda L: L.zeros(3).scatter(0, L.tensor([0]))),
        err("no_src_inplace", lambda L: L.zeros(3).scatter_(0, L.tensor([0]))),
        err("src_and_value", lambda L: L.zeros(3).scatter(0, L.tensor([0]), L.ones(1), value=2.0)),
        err("str_src", lambda L: L.scatter(L.zeros(3), 0, L.tensor([0]), "a")),
        err("int_reduce", lambda L: L.scatter(L.zeros(3), 0, L.tensor([0]), 1.0, reduce=3)),
        err("reduce_backward", lambda L: _grad_of_sum(
            L, lambda x: L.scatter(x, 0, L.tensor([0]), 2.0, reduce="add"))),
    ],
)
add_op(
    "scatter_add",
    lambda L, x, d, i, s: L.scatter_add(x, d, i, s),
    [
        S(T((3, 4)), 0, SC_INDEX, T((2, 4))),
        S(T((3, 4)), 1, SC_INDEX_D1, T((3, 2))),
        S(T((3, 4)), 0, SC_INDEX, T((2, 4), rg=False)),
    ],
    inplace=lambda L, x, d, i, s: x.scatter_add_(d, i, s),
    errors=[
        err("scalar_src", lambda L: L.scatter_add(L.zeros(3), 0, L.tensor([0]), 1.0)),
        err("scalar_src_method", lambda L: L.zeros(3).scatter_add(0, L.tensor([0]), 1.0)),
    ],
)
SCATTER_REDUCE_SAMPLES = [
    S(T((3, 4)), 0, SC_INDEX, T((2, 4)), r, include_self=inc)
    for r in ("sum", "prod", "mean", "amax", "amin")
    for inc in (True, False)
] + [
    S(T((3, 4)), 1, SC_INDEX_D1, T((3, 2)), "mean"),
    S(T((3, 4)), 0, SC_INDEX, T((2, 4), rg=False), "prod"),
    S(T((3, 4), rg=False), 0, SC_INDEX, T((2, 4)), "amax"),
    S(SC_TIES_SELF, 0, SC_INDEX, SC_TIES_SRC, "amax", name="amax_ties"),
    S(SC_TIES_SELF, 0, SC_INDEX, SC_TIES_SRC, "amin", name="amin_ties"),
    S(SC_TIES_SELF, 0, SC_INDEX, SC_TIES_SRC, "amax", include_self=False, name="amax_ties_noself"),
    S(SC_ZEROS_SELF, 0, SC_INDEX, SC_ZEROS_SRC, "prod", name="prod_zeros"),
    S(SC_ZEROS_SELF, 0, SC_INDEX, SC_ZEROS_SRC, "prod", include_self=False, name="prod_zeros_noself"),
    S(SC_ZEROS_SELF, 0, SC_TWO_ZEROS_INDEX, SC_ZEROS_SRC, "prod", name="prod_two_zeros"),
    S(T((3, 4), "int64", domain=(-9, 9)), 0, SC_INDEX, T((2, 4), "int64", domain=(-9, 9)), "mean"),
    S(T((3, 4), "int64", domain=(-9, 9)), 0, SC_INDEX, T((2, 4), "int64", domain=(-9, 9)), "mean",
      include_self=False),
    S(T((3, 4), "int64"), 0, SC_INDEX, T((2, 4), "int64"), "amin", include_self=False),
    S(T((3, 4), "bool"), 0, SC_INDEX, T((2, 4), "bool"), "prod"),
    S(T((3, 4), "bool"), 0, SC_INDEX, T((2, 4), "bool"), "amax", include_self=False),
    S(T((3, 4), "float64"), 0, SC_INDEX, T((2, 4), "float64"), "mean", include_self=False),
    S(T((3, 4), "float16"), 0, SC_INDEX, T((2, 4), "float16"), "mean"),
    S(T((3, 4)), 0, SC_INDEX, T((2, 4)), "max"),
    S(T(()), 0, T((), "int64", values=0), T(()), "prod"),
    S(T(()), 0, T((), "int64", values=0), T(()), "mean", include_self=False),
    S(T((3, 4)), 0, T((0, 4), "int64"), T((2, 4)), "sum"),
]
add_op(
    "scatter_reduce",
    lambda L, x, d, i, s, r, **k: L.scatter_reduce(x, d, i, s, r, **k),
    SCATTER_REDUCE_SAMPLES,
    inplace=lambda L, x, d, i, s, r, **k: x.scatter_reduce_(d, i, s, r, **k),
    errors=[
        err("bad_reduce", lambda L: L.scatter_reduce(L.zeros(3), 0, L.tensor([0]), L.ones(1), "foo")),
        err("legacy_name", lambda L: L.scatter_reduce(L.zeros(3), 0, L.tensor([0]), L.ones(1), "add")),
        err("scalar_src", lambda L: L.scatter_reduce(L.zeros(3), 0, L.tensor([0]), 2.0, "sum")),
        err("scalar_src_method", lambda L: L.zeros(3).scatter_reduce(0, L.tensor([0]), 2.0, "sum")),
        err("include_self_int", lambda L: L.scatter_reduce(L.zeros(3), 0, L.tensor([0]), L.ones(1), "sum",
                                                           include_self=0)),
        err("dtype", lambda L: L.scatter_reduce(L.zeros(3), 0, L.tensor([0]), L.ones(1).double(), "sum")),
        err("float_index", lambda L: L.scatter_reduce(L.zeros(3), 0, L.tensor([0.0]), L.ones(1), "foo")),
        err("out_of_bounds", lambda L: L.scatter_reduce(L.zeros(3), 0, L.tensor([-1]), L.ones(1), "sum")),
        err("bool_mean", lambda L: L.scatter_reduce(L.zeros(3, dtype=L.bool), 0, L.tensor([0]),
                                                    L.ones(1, dtype=L.bool), "mean")),
        err("index_too_big", lambda L: L.scatter_reduce(L.zeros(3, 4), 0, L.zeros(1, 5, dtype=L.long),
                                                        L.ones(2, 4), "sum")),
        err("max_backward", lambda L: _grad_of_sum(
            L, lambda x: L.scatter_reduce(x, 0, L.tensor([0]), L.ones(1), "max"))),
    ],
)
add_op(
    "scatter_reduce_method",
    lambda L, x, d, i, s, r, **k: x.scatter_reduce(d, i, s, r, **k),
    [S(T((3, 4)), 0, SC_INDEX, T((2, 4)), "amin", include_self=False)],
)
IA_INDEX = T((2,), "int64", values=[0, 2])
add_op(
    "index_add",
    lambda L, x, d, i, s, **k: L.index_add(x, d, i, s, **k),
    [
        S(T((3, 4)), 0, IA_INDEX, T((2, 4))),
        S(T((3, 4)), 1, IA_INDEX, T((3, 2)), alpha=2),
        S(T((3, 4)), 0, T((3,), "int64", values=[1, 1, 0]), T((3, 4), rg=False)),
    ],
    inplace=lambda L, x, d, i, s, **k: x.index_add_(d, i, s, **k),
)
add_op(
    "index_copy",
    lambda L, x, d, i, s: L.index_copy(x, d, i, s),
    [
        S(T((3, 4)), 0, IA_INDEX, T((2, 4))),
        S(T((3, 4)), 1, T((3,), "int64", values=[3, 0, 1]), T((3, 3))),
        S(T((3, 4)), 0, T((2,), "int64", values=[1, 1]), T((2, 4))),
        S(T((4,)), 0, T((1,), "int64", values=[2]), T(())),
        S(T(()), 0, T((), "int64", values=0), T((1,))),
        S(T((3, 4), "int64"), 0, IA_INDEX, T((2, 4), "int64")),
    ],
    inplace=lambda L, x, d, i, s: x.index_copy_(d, i, s),
    errors=[
        err("count", lambda L: L.index_copy(L.zeros(3, 4), 0, L.tensor([0, 2, 1]), L.ones(2, 4))),
        err("bounds", lambda L: L.index_copy(L.zeros(3, 4), 0, L.tensor([0, 5]), L.ones(2, 4))),
        err("negative", lambda L: L.index_copy(L.zeros(3, 4), 0, L.tensor([-1, 0]), L.ones(2, 4))),
        err("index_dtype", lambda L: L.index_copy(L.zeros(3, 4), 0, L.tensor([0, 2]).int(), L.ones(2, 4))),
        err("dtypes", lambda L: L.index_copy(L.zeros(3, 4), 0, L.tensor([0, 2]), L.ones(2, 4).double())),
        err("slices", lambda L: L.index_copy(L.zeros(3, 4), 0, L.tensor([0, 2]), L.ones(2, 3))),
        err("slices_3d", lambda L: L.index_copy(L.zeros(2, 3, 4), 0, L.tensor([0]), L.tensor(1.0))),
        err("index_2d", lambda L: L.index_copy(L.zeros(3, 4), 0, L.tensor([[0, 2]]), L.ones(2, 4))),
        err("scalar_source", lambda L: L.index_copy(L.zeros(3, 4), 0, L.tensor([0, 1]), L.tensor(1.0))),
        err("dims", lambda L: L.index_copy(L.zeros(2, 3, 4), 0, L.tensor([0]), L.ones(4))),
        err("scalar_arg", lambda L: L.index_copy(L.zeros(3), 0, L.tensor([0]), 1.0)),
        err("scalar_arg_method", lambda L: L.zeros(3).index_copy(0, L.tensor([0]), 1.0)),
        err("scalar_arg_inplace", lambda L: L.zeros(3).index_copy_(0, L.tensor([0]), 1.0)),
    ],
)
add_op(
    "index_fill",
    lambda L, x, d, i, v: L.index_fill(x, d, i, v),
    [
        S(T((3, 4)), 1, IA_INDEX, -1.0),
        S(T((3, 4)), 0, T((2,), "int64", values=[-1, 0]), 2),
        S(T((3, 4)), 1, IA_INDEX, T(())),
        S(T((3, 4)), 1, T((3,), "int64", values=[2, 0, 2]), T((), "float64")),
        S(T((3, 4), rg=False), 1, IA_INDEX, T(())),
        S(T((3, 4)), 1, T((), "int64", values=1), 1.5),
        S(T(()), 0, T((1,), "int64", values=[0]), 2.0),
        S(T((3, 4), "int64"), 0, IA_INDEX, 2.5),
    ],
    inplace=lambda L, x, d, i, v: x.index_fill_(d, i, v),
    errors=[
        err("bounds", lambda L: L.index_fill(L.zeros(3, 4), 1, L.tensor([0, 5]), 1.0)),
        err("bounds_negative", lambda L: L.index_fill(L.zeros(3), 0, L.tensor([-4]), 1.0)),
        err("index_dtype", lambda L: L.index_fill(L.zeros(3, 4), 1, L.tensor([0, 1]).int(), 1.0)),
        err("index_2d", lambda L: L.index_fill(L.zeros(3, 4), 1, L.tensor([[0, 1]]), 1.0)),
        err("value_1d", lambda L: L.index_fill(L.zeros(3, 4), 1, L.tensor([0, 1]), L.ones(2))),
        err("dim", lambda L: L.index_fill(L.zeros(3, 4), 2, L.tensor([0, 1]), 1.0)),
        err("complex_value", lambda L: L.index_fill(L.zeros(3), 0, L.tensor([0]), 1j)),
    ],
)
add_op(
    "masked_scatter",
    lambda L, x, m, s: L.masked_scatter(x, m, s),
    [
        S(T((3, 4)), T((3, 4), "bool"), T((12,))),
        S(T((3, 4)), T((4,), "bool"), T((4, 5))),
        S(T((1, 4)), T((3, 4), "bool"), T((20,))),
        S(T((3, 4)), T((), "bool"), T((13,))),
        S(T((3, 4), rg=False), T((3, 4), "bool"), T((3, 4))),
        S(T((3, 4), "int64"), T((3, 4), "bool"), T((12,), "int64")),
    ],
    inplace=lambda L, x, m, s: x.masked_scatter_(m, s),
    errors=[
        err("too_few", lambda L: L.masked_scatter(L.zeros(3), L.tensor([True, True, False]), L.ones(1))),
        err("mask_dtype", lambda L: L.masked_scatter(L.zeros(3), L.tensor([1.0, 0.0, 1.0]), L.ones(3))),
        err("dtypes", lambda L: L.masked_scatter(L.zeros(3), L.tensor([True, False]), L.ones(3).half())),
        err("dtypes_first", lambda L: L.masked_scatter(L.zeros(2), L.tensor([1.0, 0.0]), L.ones(3).half())),
        err("broadcast", lambda L: L.masked_scatter(L.zeros(2, 3), L.tensor([True, False]), L.ones(6))),
        err("scalar_source", lambda L: L.masked_scatter(L.zeros(3), L.tensor([True, False, True]), 1.0)),
    ],
)
EQUAL_VALUES = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
add_op(
    "equal",
    lambda L, x, y: L.equal(x, y),
    [
        S(T((2, 3), values=EQUAL_VALUES), T((2, 3), values=EQUAL_VALUES)),
        S(T((2, 3)), T((2, 3))),
        S(T((2, 3)), T((3, 2))),
        S(T((3,), values=[1.0, 2.0, 3.0]), T((3,), "int64", values=[1, 2, 3])),
        S(T((3,), values=[1.0, 2.0, 3.0]), T((3,), "float64", values=[1.0, 2.0, 3.0])),
        S(T((1,), values=[float("nan")]), T((1,), values=[float("nan")])),
        S(T((0, 2)), T((0, 2))),
    ],
    grad=False,
    errors=[
        err("number", lambda L: L.equal(L.ones(2), 3)),
        err("number_first", lambda L: L.equal(1, L.ones(2))),
        err("number_method", lambda L: L.ones(2).equal(3)),
    ],
)
add_op("equal_method", lambda L, x, y: x.equal(y), [S(T((2, 3)), T((2, 3)))], grad=False)


# linalg ops (einsum, tensordot, add*mm, linalg)
def _einsum(eq):
    return lambda L, *ops: L.einsum(eq, *ops)


EINSUM_SAMPLES = [
    S("ij,jk->ik", T((2, 3)), T((3, 4))),
    S("ij,jk", T((2, 3)), T((3, 4))),
    S("bij,bjk->bik", T((2, 2, 3)), T((2, 3, 4))),
    S("i,j->ij", T((3,)), T((4,))),
    S("i,i->", T((3,)), T((3,))),
    S("ij,ij->ij", T((2, 3)), T((2, 3))),
    S("ij,kj->ik", T((2, 3)), T((4, 3))),
    S("ij,j->i", T((2, 3)), T((3,))),
    S("ba,ab->", T((2, 3)), T((3, 2))),
    S("ij->ji", T((2, 3))),
    S("ij", T((2, 3))),
    S("ij->", T((2, 3))),
    S("ij->j", T((2, 3))),
    S("ii->i", T((3, 3))),
    S("ii", T((3, 3))),
    S("iij->ji", T((3, 3, 2))),
    S("aab,bcc->ac", T((2, 2, 3)), T((3, 4, 4))),
    S("...ij,...jk", T((2, 2, 3)), T((3, 4))),
    S("...ij->...ji", T((2, 3, 4))),
    S("i...->...", T((2, 3, 4))),
    S("...ii->...i", T((2, 3, 3))),
    S("b...i,b...j->b...ij", T((2, 1, 3)), T((2, 4, 1, 2))),
    S("a...b,b...c->...ac", T((2, 3, 4)), T((4, 3, 2))),
    S("bn,anm,bm->ba", T((2, 3)), T((4, 3, 2)), T((2, 2))),
    S("ij,jk,kl->il", T((2, 3)), T((3, 4)), T((4, 2))),
    S("i,i,i->i", T((3,)), T((3,)), T((3,))),
    S("abc,abc,abc->", T((2, 3, 4)), T((2, 1, 4)), T((1, 3, 1))),
    S("ij,jk", T((2, 1)), T((1, 4))),
    S("ik,jk->", T((2, 3)), T((1, 3))),
    S("ab,cd->ad", T((2, 3)), T((4, 2))),
    S("i,->i", T((3,)), T(())),
    S("", T(())),
    S("i j -> j i", T((2, 3))),
    S("Ab,bA->A", T((2, 3)), T((3, 2))),
    S("bhqd,bhkd->bhqk", T((2, 1, 3, 4)), T((2, 1, 2, 4))),
    S("ij,jk->ik", T((3, 2), noncontig=True), T((4, 3), noncontig=True)),
    S("ij,jk->ik", T((2, 3), "float64"), T((3, 4), "float64")),
    S("ij,jk->ik", T((2, 3)), T((3, 4), rg=False)),
    S("ij,ij->ij", T((2, 3)), T((2, 3), "float64")),
    S("ij,jk->ik", T((2, 3), "int64", domain=(-3, 3)), T((3, 4), "int64", domain=(-3, 3))),
    S("ij->", T((2, 3), "int32", domain=(-3, 3))),
    S("ij", T((2, 3), "bool")),
    S("ij,jk->ik", T((2, 0)), T((0, 3))),
    S("i->", T((0,))),
]
add_op(
    "einsum",
    lambda L, eq, *ops: L.einsum(eq, *ops),
    EINSUM_SAMPLES,
    tol=4.0,
    errors=[
        err("dtype_bmm", lambda L: L.einsum("ij,jk", L.ones(2, 3), L.ones(3, 4, dtype=L.float64))),
        err("dtype_int_float", lambda L: L.einsum("ij,jk", L.ones(2, 3, dtype=L.int64), L.ones(3, 4))),
        err("bool_bmm", lambda L: L.einsum("ij,jk", L.ones(2, 3, dtype=L.bool), L.ones(3, 4, dtype=L.bool))),
        err("size", lambda L: L.einsum("ij,jk", L.ones(2, 3), L.ones(4, 4))),
        err("more_operands", lambda L: L.einsum("ij,jk", L.ones(2, 3), L.ones(3, 4), L.ones(2, 2))),
        err("fewer_operands", lambda L: L.einsum("ij,jk,kl", L.ones(2, 3), L.ones(3, 4))),
        err("trailing_comma", lambda L: L.einsum("ij,", L.ones(2, 3))),
        err("too_few_subscripts", lambda L: L.einsum("ij", L.ones(2, 3, 4))),
        err("too_many_subscripts", lambda L: L.einsum("ijk", L.ones(2, 3))),
        err("too_many_with_ellipsis", lambda L: L.einsum("...ijk", L.ones(2, 3))),
        err("invalid_subscript", lambda L: L.einsum("i1", L.ones(2, 3))),
        err("invalid_output_subscript", lambda L: L.einsum("ij->i1", L.ones(2, 3))),
        err("dash", lambda L: L.einsum("ij-", L.ones(2, 3))),
        err("double_arrow", lambda L: L.einsum("ij->j->", L.ones(2, 3))),
        err("unknown_output", lambda L: L.einsum("ij->k", L.ones(2, 3))),
        err("repeated_output", lambda L: L.einsum("ij->ii", L.ones(2, 3))),
        err("diagonal_sizes", lambda L: L.einsum("ii", L.ones(2, 3))),
        err("lone_dot", lambda L: L.einsum("i.j", L.ones(2, 3))),
        err("two_ellipses", lambda L: L.einsum("......", L.ones(2, 3))),
        err("two_dots", lambda L: L.einsum("..", L.ones(2, 3))),
        err("two_output_ellipses", lambda L: L.einsum("ij->....", L.ones(2, 3))),
        err("output_two_dots", lambda L: L.einsum("...->..", L.ones(2, 3))),
        err("ellipsis_broadcast", lambda L: L.einsum("...i,...i", L.ones(2, 3), L.ones(4, 3))),
        err("ellipsis_broadcast_dim", lambda L: L.einsum("a...,a...", L.ones(2, 3, 4), L.ones(2, 3, 5))),
        err("no_operands", lambda L: L.einsum("ij")),
        err("empty_list", lambda L: L.einsum("ij", [])),
        err("not_a_tensor", lambda L: L.einsum("ij,jk", L.ones(2, 3), 3)),
        err("equation_type", lambda L: L.einsum(3, L.ones(2, 3))),
        err("sublist_range", lambda L: L.einsum(L.ones(2, 3), [0, 60])),
    ],
)
add_op(
    "einsum_list",
    lambda L, eq, *ops: L.einsum(eq, list(ops)),
    [S("ij,jk->ik", T((2, 3)), T((3, 4))), S("ii->i", T((3, 3))), S("i,j", T((2,)), T((3,)))],
    tol=4.0,
)
add_op(
    "einsum_sublist",
    lambda L, a, b: L.einsum(a, [..., 0, 1], b, [..., 1, 2], [..., 0, 2]),
    [S(T((2, 2, 3)), T((2, 3, 4))), S(T((2, 3)), T((3, 4)))],
    tol=4.0,
)
add_op(
    "einsum_sublist_implicit",
    lambda L, a, b: L.einsum(a, [0, 1], b, [1, 2]),
    [S(T((2, 3)), T((3, 4)))],
    tol=4.0,
)
add_op(
    "tensordot",
    lambda L, a, b, *d, **k: L.tensordot(a, b, *d, **k),
    [
        S(T((3, 4, 5)), T((4, 5, 2))),
        S(T((3, 4, 5)), T((5, 2)), 1),
        S(T((3, 2)), T((2, 4)), dims=0),
        S(T((3, 4, 5)), T((4, 3, 2)), ([0, 1], [1, 0])),
        S(T((3, 4, 5)), T((4, 3, 2)), [[-3, -2], [1, 0]]),
        S(T((3, 4, 5)), T((4, 3, 2)), dims=((0, 1), (1, 0))),
        S(T((3, 1, 5)), T((4, 5, 2)), ([1, 2], [0, 1])),
        S(T((3, 4, 5)), T((1, 5, 2)), ([1, 2], [0, 1])),
        S(T((4, 5)), T((4, 5)), 2),
        S(T((4,)), T((4,)), 1),
        S(T((1, 4)), T((4,)), 1),
        S(T(()), T(()), 0),
        S(T((4, 1)), T((4, 1)), ([0, 1], [0, 1])),
        S(T((4, 3), noncontig=True), T((3, 4), noncontig=True), 1),
        S(T((3, 4), "float64"), T((4, 2), "float64"), 1),
        S(T((3, 4)), T((4, 2), rg=False), 1),
        S(T((3, 4), "int64", domain=(-3, 3)), T((4, 2), "int64", domain=(-3, 3)), 1),
        S(T((0, 4)), T((4, 2)), 1),
    ],
    tol=4.0,
    errors=[
        err("sizes", lambda L: L.tensordot(L.ones(3, 4, 5), L.ones(3, 5, 6), ([1, 2], [0, 1]))),
        err("lengths", lambda L: L.tensordot(L.ones(3, 4, 5), L.ones(4, 5, 6), ([1, 2], [0]))),
        err("negative", lambda L: L.tensordot(L.ones(3, 4, 5), L.ones(4, 5, 6), -1)),
        err("too_large", lambda L: L.tensordot(L.ones(3, 4, 5), L.ones(4, 5, 6), 4)),
        err("all_dims_mismatch", lambda L: L.tensordot(L.ones(3, 4, 5), L.ones(4, 5, 6), 3)),
        err("float_dims", lambda L: L.tensordot(L.ones(3, 4, 5), L.ones(4, 5, 6), 1.5)),
        err("three_lists", lambda L: L.tensordot(L.ones(3, 4, 5), L.ones(4, 5, 6), ([1, 2], [0, 1], [2]))),
        err("int_list", lambda L: L.tensordot(L.ones(3, 4, 5), L.ones(4, 5, 6), [1, 0])),
        err("dtype", lambda L: L.tensordot(L.ones(3, 4, 5), L.ones(4, 5, 6, dtype=L.float64))),
        err("dim_range", lambda L: L.tensordot(L.ones(3, 4, 5), L.ones(4, 5, 6), ([1, 5], [0, 1]))),
        err("repeated", lambda L: L.tensordot(L.ones(4, 4, 5), L.ones(4, 4, 6), ([0, 0], [0, 1]))),
        err("tensor_negative", lambda L: L.tensordot(L.ones(3, 4), L.ones(4, 5), L.tensor(-1))),
        err("tensor_rows", lambda L: L.tensordot(L.ones(3, 4), L.ones(4, 5), L.tensor([[1], [0], [0]]))),
        err("bool_dot", lambda L: L.tensordot(L.ones(3, dtype=L.bool), L.ones(3, dtype=L.bool), 1)),
    ],
)
add_op(
    "tensordot_tensor_dims",
    lambda L, a, b, d: L.tensordot(a, b, L.tensor(d)),
    [S(T((3, 4, 5)), T((4, 3, 2)), [[0, 1], [1, 0]]), S(T((3, 4, 5)), T((5, 2)), 1)],
    tol=4.0,
)
ADDMM_SAMPLES = [
    S(T((2, 4)), T((2, 3)), T((3, 4))),
    S(T((4,)), T((2, 3)), T((3, 4))),
    S(T((1, 4)), T((2, 3)), T((3, 4))),
    S(T(()), T((2, 3)), T((3, 4))),
    S(T((2, 4)), T((2, 3)), T((3, 4)), beta=0.5, alpha=2),
    S(T((2, 4)), T((2, 3)), T((3, 4)), beta=0),
    S(T((2, 4)), T((2, 3)), T((3, 4)), alpha=0),
    S(T((2, 4), values=[[float("nan")] * 4] * 2), T((2, 3)), T((3, 4)), beta=0, name="nan_self_beta0"),
    S(T((2, 4)), T((3, 2), noncontig=True), T((4, 3), noncontig=True)),
    S(T((2, 4), "float64"), T((2, 3), "float64"), T((3, 4), "float64"), beta=-1.5),
    S(T((2, 4), rg=False), T((2, 3)), T((3, 4), rg=False)),
    S(T((2, 4), "int64", domain=(-3, 3)), T((2, 3), "int64", domain=(-3, 3)), T((3, 4), "int64", domain=(-3, 3)),
      beta=2.5, alpha=1.5),
    S(T((2, 0)), T((2, 3)), T((3, 0))),
    S(T((2, 4)), T((2, 0)), T((0, 4)), beta=2),
]
add_op(
    "addmm",
    lambda L, s, a, b, **k: L.addmm(s, a, b, **k),
    ADDMM_SAMPLES,
    inplace=lambda L, s, a, b, **k: s.addmm_(a, b, **k),
    tol=4.0,
    errors=[
        err("self_dtype", lambda L: L.addmm(L.ones(2, 4, dtype=L.float64), L.ones(2, 3), L.ones(3, 4))),
        err("mat1_dtype", lambda L: L.addmm(L.ones(2, 4), L.ones(2, 3, dtype=L.float64), L.ones(3, 4))),
        err("mat2_dtype", lambda L: L.addmm(L.ones(2, 4), L.ones(2, 3), L.ones(3, 4, dtype=L.float64))),
        err("mat1_1d", lambda L: L.addmm(L.ones(2, 4), L.ones(3), L.ones(3, 4))),
        err("mat2_1d", lambda L: L.addmm(L.ones(4), L.ones(2, 3), L.ones(3))),
        err("mat1_3d", lambda L: L.addmm(L.ones(4), L.ones(2, 3, 1), L.ones(3, 4))),
        err("shapes", lambda L: L.addmm(L.ones(2, 4), L.ones(2, 3), L.ones(2, 4))),
        err("expand", lambda L: L.addmm(L.ones(3), L.ones(2, 3), L.ones(3, 4))),
        err("expand_rank", lambda L: L.addmm(L.ones(2, 1, 4), L.ones(2, 3), L.ones(3, 4))),
        err("bool", lambda L: L.addmm(*(L.ones(s, dtype=L.bool) for s in ((2, 4), (2, 3), (3, 4))))),
        err("complex_alpha", lambda L: L.addmm(L.ones(2, 4), L.ones(2, 3), L.ones(3, 4), alpha=1j)),
        err("complex_beta_double", lambda L: L.addmm(*(L.ones(s, dtype=L.float64) for s in ((2, 4), (2, 3), (3, 4))),
                                                     beta=1j)),
        err("inplace_shape", lambda L: L.ones(4).addmm_(L.ones(2, 3), L.ones(3, 4))),
        err("inplace_dtype", lambda L: L.ones(2, 4, dtype=L.float64).addmm_(L.ones(2, 3), L.ones(3, 4))),
        err("inplace_leaf", lambda L: L.ones(2, 4, requires_grad=True).addmm_(L.ones(2, 3), L.ones(3, 4))),
    ],
)
add_op("addmm_method", lambda L, s, a, b, **k: s.addmm(a, b, **k), ADDMM_SAMPLES[:6], tol=4.0)
ADDMV_SAMPLES = [
    S(T((2,)), T((2, 3)), T((3,))),
    S(T(()), T((2, 3)), T((3,)), beta=2, alpha=0.5),
    S(T((1,)), T((2, 3)), T((3,))),
    S(T((2,)), T((2, 3)), T((3,)), beta=0),
    S(T((2,)), T((3, 2), noncontig=True), T((3,))),
    S(T((2,), "float64"), T((2, 3), "float64"), T((3,), "float64"), alpha=-2),
    S(T((2,), rg=False), T((2, 3), rg=False), T((3,))),
    S(T((2,), "int64", domain=(-3, 3)), T((2, 3), "int64", domain=(-3, 3)), T((3,), "int64", domain=(-3, 3)),
      beta=3, alpha=2),
]
add_op(
    "addmv",
    lambda L, s, m, v, **k: L.addmv(s, m, v, **k),
    ADDMV_SAMPLES,
    inplace=lambda L, s, m, v, **k: s.addmv_(m, v, **k),
    tol=4.0,
    errors=[
        err("self_size", lambda L: L.addmv(L.ones(3), L.ones(2, 3), L.ones(3))),
        err("self_0d_size", lambda L: L.addmv(L.ones(()), L.ones(2, 3), L.ones(4))),
        err("vec_size", lambda L: L.addmv(L.ones(2), L.ones(2, 3), L.ones(4))),
        err("mat_1d", lambda L: L.addmv(L.ones(2), L.ones(3), L.ones(3))),
        err("vec_2d", lambda L: L.addmv(L.ones(2), L.ones(2, 3), L.ones(3, 1))),
        err("self_dtype", lambda L: L.addmv(L.ones(2, dtype=L.float64), L.ones(2, 3), L.ones(3))),
        err("mat_dtype", lambda L: L.addmv(L.ones(2), L.ones(2, 3, dtype=L.float64), L.ones(3))),
        err("vec_dtype", lambda L: L.addmv(L.ones(2), L.ones(2, 3), L.ones(3, dtype=L.float64))),
        err("bool", lambda L: L.addmv(*(L.ones(s, dtype=L.bool) for s in ((2,), (2, 3), (3,))))),
        err("inplace_shape", lambda L: L.ones(1).addmv_(L.ones(2, 3), L.ones(3))),
        err("inplace_2d", lambda L: L.ones(2, 4, dtype=L.int64).addmv_(L.ones(2, 3), L.ones(3))),
        err("mv_dtype", lambda L: L.mv(L.ones(2, 3), L.ones(3, dtype=L.float64))),
        err("mv_bool", lambda L: L.mv(L.ones(2, 3, dtype=L.bool), L.ones(3, dtype=L.bool))),
    ],
)
add_op("addmv_method", lambda L, s, m, v, **k: s.addmv(m, v, **k), ADDMV_SAMPLES[:4], tol=4.0)
BADDBMM_SAMPLES = [
    S(T((3, 2, 4)), T((3, 2, 3)), T((3, 3, 4))),
    S(T((4,)), T((3, 2, 3)), T((3, 3, 4)), beta=0.5, alpha=2),
    S(T((1, 2, 1)), T((3, 2, 3)), T((3, 3, 4))),
    S(T((3, 2, 4)), T((3, 2, 3)), T((3, 3, 4)), beta=0),
    S(T((3, 2, 4), values=[[[float("nan")] * 4] * 2] * 3), T((3, 2, 3)), T((3, 3, 4)), beta=0, name="nan_self_beta0"),
    S(T((3, 2, 4)), T((3, 3, 2), noncontig=True), T((3, 4, 3), noncontig=True)),
    S(T((3, 2, 4), "float64"), T((3, 2, 3), "float64"), T((3, 3, 4), "float64"), alpha=-1),
    S(T((3, 2, 4), rg=False), T((3, 2, 3)), T((3, 3, 4), rg=False)),
    S(T((3, 2, 4), "int64", domain=(-3, 3)), T((3, 2, 3), "int64", domain=(-3, 3)),
      T((3, 3, 4), "int64", domain=(-3, 3)), beta=2.5, alpha=1.5),
]
add_op(
    "baddbmm",
    lambda L, s, a, b, **k: L.baddbmm(s, a, b, **k),
    BADDBMM_SAMPLES,
    inplace=lambda L, s, a, b, **k: s.baddbmm_(a, b, **k),
    tol=4.0,
    errors=[
        err("expand", lambda L: L.baddbmm(L.ones(3, 2, 4), L.ones(5, 2, 3), L.ones(5, 3, 4))),
        err("batch2", lambda L: L.baddbmm(L.ones(5, 2, 4), L.ones(5, 2, 3), L.ones(4, 3, 4))),
        err("inner", lambda L: L.baddbmm(L.ones(5, 2, 4), L.ones(5, 2, 3), L.ones(5, 2, 4))),
        err("batch1_2d", lambda L: L.baddbmm(L.ones(5, 2, 4), L.ones(5, 2), L.ones(5, 3, 4))),
        err("batch1_2d_expand", lambda L: L.baddbmm(L.ones(5, 2, 4), L.ones(2, 3), L.ones(5, 3, 4))),
        err("batch2_2d", lambda L: L.baddbmm(L.ones(4), L.ones(5, 2, 3), L.ones(3, 4))),
        err("batch2_4d", lambda L: L.baddbmm(L.ones(4), L.ones(5, 2, 3), L.ones(5, 3, 4, 2))),
        err("self_dtype", lambda L: L.baddbmm(L.ones(5, 2, 4, dtype=L.float64), L.ones(5, 2, 3), L.ones(5, 3, 4))),
        err("self_int", lambda L: L.baddbmm(L.ones(5, 2, 4, dtype=L.int64), L.ones(5, 2, 3), L.ones(5, 3, 4))),
        err("batch2_dtype", lambda L: L.baddbmm(L.ones(5, 2, 4), L.ones(5, 2, 3), L.ones(5, 3, 4, dtype=L.float64))),
        err("bool", lambda L: L.baddbmm(*(L.ones(s, dtype=L.bool) for s in ((2, 2, 4), (2, 2, 3), (2, 3, 4))))),
        err("inplace_shape", lambda L: L.ones(2, 4).baddbmm_(L.ones(5, 2, 3), L.ones(5, 3, 4))),
    ],
)
add_op("baddbmm_method", lambda L, s, a, b, **k: s.baddbmm(a, b, **k), BADDBMM_SAMPLES[:4], tol=4.0)
ADDBMM_SAMPLES = [
    S(T((2, 4)), T((3, 2, 3)), T((3, 3, 4))),
    S(T((4,)), T((3, 2, 3)), T((3, 3, 4)), beta=0.5, alpha=2),
    S(T(()), T((3, 2, 3)), T((3, 3, 4))),
    S(T((2, 4)), T((3, 2, 3)), T((3, 3, 4)), beta=0),
    S(T((2, 4)), T((3, 3, 2), noncontig=True), T((3, 4, 3), noncontig=True)),
    S(T((2, 4), "float64"), T((3, 2, 3), "float64"), T((3, 3, 4), "float64"), alpha=-1),
    S(T((2, 4), rg=False), T((3, 2, 3), rg=False), T((3, 3, 4))),
    S(T((2, 4)), T((0, 2, 3)), T((0, 3, 4)), beta=2),
    S(T((2, 4), "int64", domain=(-3, 3)), T((3, 2, 3), "int64", domain=(-3, 3)),
      T((3, 3, 4), "int64", domain=(-3, 3)), beta=2.5, alpha=1.5),
]
add_op(
    "addbmm",
    lambda L, s, a, b, **k: L.addbmm(s, a, b, **k),
    ADDBMM_SAMPLES,
    inplace=lambda L, s, a, b, **k: s.addbmm_(a, b, **k),
    tol=4.0,
    errors=[
        err("expand", lambda L: L.addbmm(L.ones(3, 4), L.ones(5, 2, 3), L.ones(5, 3, 4))),
        err("batches", lambda L: L.addbmm(L.ones(2, 4), L.ones(5, 2, 3), L.ones(4, 3, 4))),
        err("inner", lambda L: L.addbmm(L.ones(2, 4), L.ones(5, 2, 3), L.ones(5, 2, 4))),
        err("batch1_2d", lambda L: L.addbmm(L.ones(4), L.ones(2, 3), L.ones(5, 3, 4))),
        err("batch2_2d", lambda L: L.addbmm(L.ones(4), L.ones(5, 2, 3), L.ones(3, 4))),
        err("batch2_4d", lambda L: L.addbmm(L.ones(4), L.ones(5, 2, 3), L.ones(5, 3, 4, 1))),
        err("self_dtype", lambda L: L.addbmm(L.ones(2, 4, dtype=L.float64), L.ones(5, 2, 3), L.ones(5, 3, 4))),
        err("batch1_dtype", lambda L: L.addbmm(L.ones(2, 4), L.ones(5, 2, 3, dtype=L.float64), L.ones(5, 3, 4))),
        err("batch2_dtype", lambda L: L.addbmm(L.ones(2, 4), L.ones(5, 2, 3), L.ones(5, 3, 4, dtype=L.float64))),
        err("bool", lambda L: L.addbmm(*(L.ones(s, dtype=L.bool) for s in ((2, 4), (2, 2, 3), (2, 3, 4))))),
        err("inplace_dtype", lambda L: L.ones(2, 4, dtype=L.int64).addbmm_(L.ones(5, 2, 3), L.ones(5, 3, 4))),
    ],
)
add_op("addbmm_method", lambda L, s, a, b, **k: s.addbmm(a, b, **k), ADDBMM_SAMPLES[:4], tol=4.0)
INF = float("inf")
add_op(
    "linalg_vector_norm",
    lambda L, x, *a, **k: L.linalg.vector_norm(x, *a, **k),
    [
        S(T((3, 4), **NZ)),
        S(T((3, 4), **NZ), 1, 1),
        S(T((3, 4), **NZ), 0),
        S(T((3, 4), **NZ), INF, (0, 1), True),
        S(T((3, 4), **NZ), -INF, -1),
        S(T((3, 4), **NZ), 0.5, -1),
        S(T((3, 4), **NZ), 1.5),
        S(T((3, 4), **NZ), 3, dim=0, keepdim=True),
        S(T((3, 4), **NZ), -2, dim=1),
        S(T((2, 3, 4), **NZ), 3, (0, 2)),
        S(T((2, 3, 4), **NZ), dim=[]),
        S(T((), **NZ), 3),
        S(T((), **NZ), 2, 0),
        S(T((4, 3), noncontig=True, **NZ), 2, 0),
        S(T((3, 4), **NZ), dtype=D("float64")),
        S(T((2, 3), "float64", **NZ), 2.5),
        S(T((2, 3), "float16", **NZ)),
        S(T((2, 3), values=[[0.0, 0.0, 0.0], [1.0, -2.0, 0.0]]), name="zeros_2"),
        S(T((2, 3), values=[[0.0, 0.0, 0.0], [1.0, -2.0, 0.0]]), 1, 1, name="zeros_1"),
        S(T((2, 3), values=[[0.0, 0.0, 0.0], [1.0, -2.0, 0.0]]), 3, 1, name="zeros_3"),
        S(T((2, 3), values=[[0.0, 0.0, 0.0], [1.0, -2.0, 0.0]]), 1.5, 1, name="zeros_1_5"),
        S(T((2, 3), values=[[0.0, 0.0, 0.0], [1.0, -2.0, 0.0]]), 0.5, 1, name="zeros_0_5"),
        S(T((2, 3), values=[[1.0, -3.0, 3.0], [2.0, 2.0, -1.0]]), INF, 1, name="ties_inf"),
        S(T((0, 3)), 2),
        S(T((0, 3)), INF, 1),
    ],
    errors=[
        err("int", lambda L: L.linalg.vector_norm(L.ones(2, 3, dtype=L.int64))),
        err("bool", lambda L: L.linalg.vector_norm(L.ones(2, dtype=L.bool))),
        err("int_with_dtype", lambda L: L.linalg.vector_norm(L.ones(2, dtype=L.int64), dtype=L.float32)),
        err("dtype_int", lambda L: L.linalg.vector_norm(L.ones(2), dtype=L.int64)),
        err("dtype_narrowing", lambda L: L.linalg.vector_norm(L.ones(2, dtype=L.float64), dtype=L.float32)),
        err("dtype_half", lambda L: L.linalg.vector_norm(L.ones(2), dtype=L.float16)),
        err("empty_negative", lambda L: L.linalg.vector_norm(L.ones(0, 3), -1)),
        err("empty_inf", lambda L: L.linalg.vector_norm(L.ones(0, 3), INF)),
        err("empty_inf_dim", lambda L: L.linalg.vector_norm(L.ones(0, 3), INF, dim=0)),
        err("str_ord", lambda L: L.linalg.vector_norm(L.ones(2, 3), "fro")),
        err("str_ord_keyword", lambda L: L.linalg.vector_norm(L.ones(2, 3), ord="fro")),
        err("dim_range", lambda L: L.linalg.vector_norm(L.ones(2, 3), dim=2)),
        err("dim_repeated", lambda L: L.linalg.vector_norm(L.ones(2, 3), dim=(0, 0))),
    ],
)
MATRIX_NORM_SAMPLES = [
    S(T((3, 4))),
    S(T((2, 3, 4)), "fro", (0, 2)),
    S(T((3, 4)), "nuc"),
    S(T((2, 3, 4)), "nuc", keepdim=True),
    S(T((2, 3, 4)), "nuc", (2, 0)),
    S(T((3, 4)), 2),
    S(T((4, 3)), -2),
    S(T((2, 3, 4)), 2, keepdim=True),
    S(T((3, 3), "float64"), 2),
    S(T((2, 3, 3), "float64"), -2, (0, 2), True),
    S(T((3, 4)), 1),
    S(T((3, 4)), -1),
    S(T((3, 4)), INF),
    S(T((3, 4)), -INF, keepdim=True),
    S(T((2, 3, 4)), 1, (2, 0)),
    S(T((2, 3, 4)), INF, (0, 2)),
    S(T((4, 3), noncontig=True), "fro"),
    S(T((4, 3), noncontig=True), 2),
    S(T((3, 4)), 1, dtype=D("float64")),
    S(T((3, 4)), 2, dtype=D("float64")),
    S(T((3, 4)), "nuc", dtype=D("float64")),
    S(T((2, 3), "float16"), 1),
    S(T((2, 3), "float16")),
]
add_op(
    "linalg_matrix_norm",
    lambda L, x, *a, **k: L.linalg.matrix_norm(x, *a, **k),
    MATRIX_NORM_SAMPLES,
    tol=4.0,
    errors=[
        err("order", lambda L: L.linalg.matrix_norm(L.ones(2, 3), 3)),
        err("order_str", lambda L: L.linalg.matrix_norm(L.ones(2, 3), "abc")),
        err("order_str_1d", lambda L: L.linalg.matrix_norm(L.ones(3), "abc")),
        err("1d", lambda L: L.linalg.matrix_norm(L.ones(3))),
        err("same_dims", lambda L: L.linalg.matrix_norm(L.ones(2, 3), dim=(0, -2))),
        err("one_dim", lambda L: L.linalg.matrix_norm(L.ones(2, 3), dim=(0,))),
        err("dim_range", lambda L: L.linalg.matrix_norm(L.ones(2, 3), dim=(0, 3))),
        err("int", lambda L: L.linalg.matrix_norm(L.ones(2, 3, dtype=L.int64), 2)),
        err("half_2", lambda L: L.linalg.matrix_norm(L.ones(2, 3, dtype=L.float16), 2)),
        err("half_nuc", lambda L: L.linalg.matrix_norm(L.ones(2, 3, dtype=L.float16), "nuc")),
        err("dtype_narrowing", lambda L: L.linalg.matrix_norm(L.ones(2, 3, dtype=L.float64), dtype=L.float32)),
    ],
)
add_op(
    "linalg_norm",
    lambda L, x, *a, **k: L.linalg.norm(x, *a, **k),
    [
        S(T((3, 4))),
        S(T((2, 3, 4))),
        S(T((3, 4)), 1),
        S(T((4,), **NZ), 1),
        S(T((3, 4)), "fro"),
        S(T((3, 4)), "nuc"),
        S(T((2, 3, 4)), 2, (1, 2)),
        S(T((2, 3, 4), **NZ), 3, 1),
        S(T((2, 3, 4)), dim=(1, 2)),
        S(T((3, 4)), -INF),
        S(T((2, 3, 4)), dtype=D("float64")),
    ],
    tol=4.0,
    errors=[
        err("3d_ord", lambda L: L.linalg.norm(L.ones(2, 3, 4), 1)),
        err("3d_fro", lambda L: L.linalg.norm(L.ones(2, 3, 4), "fro")),
        err("three_dims", lambda L: L.linalg.norm(L.ones(2, 3, 4), 1, dim=(0, 1, 2))),
        err("three_dims_fro", lambda L: L.linalg.norm(L.ones(2, 3, 4), "fro", dim=(0, 1, 2))),
        err("nuc_one_dim", lambda L: L.linalg.norm(L.ones(2, 3, 4), "nuc", dim=1)),
        err("fro_1d", lambda L: L.linalg.norm(L.ones(3), "fro")),
        err("matrix_order", lambda L: L.linalg.norm(L.ones(2, 3, 4), 3, dim=(1, 2))),
        err("int", lambda L: L.linalg.norm(L.ones(2, 3, dtype=L.int64))),
        err("int_matrix", lambda L: L.linalg.norm(L.ones(2, 3, dtype=L.int64), 1)),
    ],
)
NORM_SAMPLES = [
    S(T((3, 4))),
    S(T((3, 4), **NZ), 1),
    S(T((3, 4)), "nuc"),
    S(T((2, 3, 4)), "fro", (0, 1, 2)),
    S(T((2, 3, 4)), "nuc", (0, 1)),
    S(T((3, 4)), None),
    S(T((3, 4)), 2, 1, True),
    S(T((3, 4), **NZ), 3, 0),
    S(T((3, 4), **NZ), 0),
    S(T((3, 4)), "fro", 0),
    S(T((3, 4), **NZ), INF, 0),
    S(T((3, 4)), dtype=D("float64")),
    S(T((4, 3), noncontig=True)),
]
add_op(
    "norm",
    lambda L, x, *a, **k: L.norm(x, *a, **k),
    NORM_SAMPLES,
    tol=4.0,
    errors=[
        err("3d_nuc", lambda L: L.norm(L.ones(2, 3, 4), "nuc")),
        err("bad_str", lambda L: L.norm(L.ones(2, 3, 4), "abc")),
        err("int", lambda L: L.norm(L.ones(2, 3, dtype=L.int64))),
        err("int_dtype", lambda L: L.norm(L.ones(2, 3, dtype=L.int64), dtype=L.float32)),
    ],
)
add_op(
    "norm_method",
    lambda L, x, *a, **k: x.norm(*a, **k),
    NORM_SAMPLES[:4] + [S(T((3, 4)), dim=0), S(T((3, 4), **NZ), p=3, dim=0, keepdim=True)],
    tol=4.0,
    errors=[err("int", lambda L: L.ones(2, 3, dtype=L.int64).norm())],
)
add_op(
    "linalg_svdvals",
    lambda L, x: L.linalg.svdvals(x),
    [S(T((3, 4))), S(T((4, 3), "float64")), S(T((2, 3, 2)))],
    tol=4.0,
    errors=[
        err("1d", lambda L: L.linalg.svdvals(L.ones(3))),
        err("int", lambda L: L.linalg.svdvals(L.ones(2, 2, dtype=L.int64))),
    ],
)
add_op(
    "linalg_matmul",
    lambda L, a, b: L.linalg.matmul(a, b),
    [S(T((3, 4)), T((4, 5))), S(T((2, 3, 4)), T((4,))), S(T((4,)), T((4,)))],
    tol=4.0,
)
import op_table_structure  # noqa: E402,F401  (entries for shape/sorting/reduction families)
