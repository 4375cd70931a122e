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
