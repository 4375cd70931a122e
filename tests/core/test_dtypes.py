"""dtypes and type promotion, differentially against torch: result dtypes of binary ops over every
kind of operand (dimensioned tensor, 0-d tensor, Python bool/int/float/complex) and every dtype,
conversions (to/type/float()...), dtype objects and the default dtype."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import numtorch

LIBS = (torch, numtorch)
DTYPES = (
    "bool",
    "uint8",
    "int8",
    "int16",
    "int32",
    "int64",
    "float16",
    "float32",
    "float64",
    "complex64",
    "complex128",
)
SCALARS = (True, 2, 2.5, 1 + 2j)
# an operand: ("dim", dtype) a [2]-tensor, ("0d", dtype) a 0-d tensor, ("py", value) a Python scalar
OPERANDS = [("dim", d) for d in DTYPES] + [("0d", d) for d in DTYPES] + [("py", v) for v in SCALARS]
OPERAND_IDS = [f"{k}-{v}" for k, v in OPERANDS]


def make(L, operand):
    kind, v = operand
    if kind == "py":
        return v
    value = True if v == "bool" else 1
    t = L.tensor([value, value] if kind == "dim" else value, dtype=getattr(L, v))
    return t


def outcome(fn):
    try:
        r = fn()
    except Exception as e:  # noqa: BLE001 - the exception is what we compare
        return ("raised", type(e).__name__, str(e))
    if isinstance(r, (torch.Tensor, numtorch.Tensor)):
        return ("tensor", str(r.dtype), tuple(r.shape), r.tolist())
    return ("value", repr(r))


def _close(a, b) -> bool:
    """Observations equal; float values within a few ulp (numpy and torch round transcendentals
    differently)."""
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b))
    if isinstance(a, list) and isinstance(b, list):
        return (
            np.allclose(
                np.array(a, dtype=complex),
                np.array(b, dtype=complex),
                rtol=2e-3 if HALF[0] else 1e-6,
                atol=1e-6,
                equal_nan=True,
            )
            if np.shape(a) == np.shape(b)
            else False
        )
    return a == b


HALF = [False]


def same(fn):
    """fn(L) gives the same outcome in both libraries. torch's complex32 (ComplexHalf: float16 with
    a complex operand) has no numpy counterpart: numtorch computes in complex64 instead
    (docs/differences.md), which is what these tests then check."""
    t, n = outcome(lambda: fn(torch)), outcome(lambda: fn(numtorch))
    if "complex32" in repr(t) or "ComplexHalf" in repr(t):
        assert "complex64" in repr(n) or "ComplexFloat" in repr(n), f"numtorch {n!r}\n   torch {t!r}"
        return t
    HALF[0] = t[0] == "tensor" and t[1] in ("torch.float16", "torch.complex32")
    assert _close(n, t), f"numtorch {n!r}\n   torch {t!r}"
    return t


BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "floor_divide": lambda a, b: a // b,
    "eq": lambda a, b: a == b,
    "lt": lambda a, b: a < b,
}


def _pair(L, op, a, b):
    x, y = make(L, a), make(L, b)
    return BINARY[op](x, y)


PAIRS = [
    pytest.param(a, b, id=f"{ia}+{ib}")
    for a, ia in zip(OPERANDS, OPERAND_IDS)
    for b, ib in zip(OPERANDS, OPERAND_IDS)
    if not (a[0] == "py" and b[0] == "py")
]


@pytest.mark.parametrize("a,b", PAIRS)
def test_add_result_dtype_every_operand_pair(a, b):
    same(lambda L: _pair(L, "add", a, b))


operands = st.sampled_from(OPERANDS)


@settings(max_examples=150, deadline=None)
@given(op=st.sampled_from(sorted(BINARY)), a=operands, b=operands)
def test_binary_result_dtype_or_error_matches_torch(op, a, b):
    if a[0] == "py" and b[0] == "py":
        return
    same(lambda L: _pair(L, op, a, b))


@settings(max_examples=100, deadline=None)
@given(a=operands, b=operands, c=operands)
def test_chained_binary_ops_promote_like_torch(a, b, c):
    if a[0] == "py" and b[0] == "py":
        return
    same(lambda L: make(L, a) * make(L, b) + make(L, c))


tensor_operands = st.sampled_from([o for o in OPERANDS if o[0] == "dim"])


@settings(max_examples=100, deadline=None)
@given(a=tensor_operands, b=tensor_operands, c=tensor_operands)
def test_cat_of_three_promotes_like_torch(a, b, c):
    same(lambda L: L.cat([make(L, a), make(L, b), make(L, c)]))


@settings(max_examples=100, deadline=None)
@given(
    a=operands,
    b=st.sampled_from([o for o in OPERANDS if o[0] != "py"]),
    c=st.sampled_from([o for o in OPERANDS if o[0] != "py"]),
)
def test_where_promotes_its_two_values(a, b, c):
    same(lambda L: L.where(L.tensor([True, False]), make(L, b), make(L, c) if a[0] != "py" else a[1]))


@settings(max_examples=100, deadline=None)
@given(a=st.sampled_from(DTYPES), b=st.sampled_from(DTYPES))
def test_promote_types_and_can_cast(a, b):
    same(lambda L: L.promote_types(getattr(L, a), getattr(L, b)))
    same(lambda L: L.can_cast(getattr(L, a), getattr(L, b)))


@pytest.mark.parametrize("b", OPERANDS, ids=OPERAND_IDS)
@pytest.mark.parametrize(
    "a", [o for o in OPERANDS if o[0] != "py"], ids=[i for i, o in zip(OPERAND_IDS, OPERANDS) if o[0] != "py"]
)
def test_result_type(a, b):
    same(lambda L: L.result_type(make(L, a), make(L, b)))


@pytest.mark.parametrize("op", ["add_", "mul_", "div_", "sub_"])
@pytest.mark.parametrize("b", OPERANDS, ids=OPERAND_IDS)
@pytest.mark.parametrize("a", [("dim", d) for d in DTYPES], ids=DTYPES)
def test_inplace_keeps_self_dtype_or_raises_e55(a, b, op):
    same(lambda L: getattr(make(L, a), op)(make(L, b)))


@pytest.mark.parametrize("d", DTYPES)
def test_sum_prod_mean_result_dtypes(d):
    same(lambda L: L.ones(3, dtype=getattr(L, d)).sum())
    same(lambda L: L.ones(3, dtype=getattr(L, d)).prod())
    same(lambda L: L.ones(3, dtype=getattr(L, d)).mean())
    same(lambda L: L.ones(2, 3, dtype=getattr(L, d)).sum(1))


@pytest.mark.parametrize("d", DTYPES)
@pytest.mark.parametrize("op", ["exp", "sqrt", "sigmoid", "abs", "neg", "reciprocal", "sign"])
def test_unary_result_dtype(op, d):
    same(lambda L: getattr(L, op)(L.ones(2, dtype=getattr(L, d))))


# ---- dtype objects ---------------------------------------------------------------------------
ALIASES = DTYPES + ("half", "float", "double", "short", "int", "long", "cfloat", "cdouble")


@pytest.mark.parametrize("name", ALIASES)
def test_dtype_object_repr_and_flags(name):
    t, n = getattr(torch, name), getattr(numtorch, name)
    assert repr(n) == repr(t) and str(n) == str(t)
    assert (n.is_floating_point, n.is_complex, n.is_signed, n.itemsize) == (
        t.is_floating_point,
        t.is_complex,
        t.is_signed,
        t.itemsize,
    )
    assert repr(n.to_real()) == repr(t.to_real())
    if n is numtorch.float16:  # complex32 does not exist in numtorch (docs/differences.md)
        assert repr(t.to_complex()) == "torch.complex32" and n.to_complex() is numtorch.complex64
    elif n.is_floating_point or n.is_complex:
        assert repr(n.to_complex()) == repr(t.to_complex())
    assert pickle.loads(pickle.dumps(n)) is n
    assert isinstance(n, numtorch.dtype)


def test_dtype_aliases_are_the_same_objects():
    for a, b in (
        ("half", "float16"),
        ("float", "float32"),
        ("double", "float64"),
        ("short", "int16"),
        ("int", "int32"),
        ("long", "int64"),
        ("cfloat", "complex64"),
        ("cdouble", "complex128"),
    ):
        assert getattr(numtorch, a) is getattr(numtorch, b)
        assert getattr(torch, a) is getattr(torch, b)


# ---- conversions -----------------------------------------------------------------------------
CASTS = ("float", "double", "half", "long", "int", "short", "char", "byte", "bool")
CAST_DTYPE = {
    "float": "float32",
    "double": "float64",
    "half": "float16",
    "long": "int64",
    "int": "int32",
    "short": "int16",
    "char": "int8",
    "byte": "uint8",
    "bool": "bool",
}


@pytest.mark.parametrize("cast", CASTS)
@pytest.mark.parametrize("d", DTYPES)
def test_cast_methods(d, cast):
    def fn(L):
        x = L.tensor([1.5, -2.0, 0.0]).to(getattr(L, d))
        y = getattr(x, cast)()
        return (y is x) == (d == CAST_DTYPE[cast]) and y

    same(fn)


@pytest.mark.parametrize("cast", CASTS)
def test_cast_of_a_tensor_requiring_grad(cast):
    def fn(L):
        w = L.tensor([1.5, -2.0], requires_grad=True)
        y = getattr(w, cast)()
        return (y is w, y.requires_grad, type(y.grad_fn).__name__ if y.grad_fn else None, str(y.dtype))

    t = same(lambda L: fn(L))
    assert t[0] == "value"


@pytest.mark.parametrize("target", DTYPES)
@pytest.mark.parametrize("d", ["float32", "int64", "bool", "float64"])
def test_to_dtype_positional_keyword_and_copy(d, target):
    def fn(L):
        x = L.tensor([1, 0, 3]).to(getattr(L, d))
        a = x.to(getattr(L, target))
        b = x.to(dtype=getattr(L, target))
        c = x.to(getattr(L, target), copy=True)
        e = x.to("cpu", getattr(L, target))
        f = x.to(L.zeros(1, dtype=getattr(L, target)))
        same_obj = (a is x, b is x, c is x, e is x, f is x)
        return (same_obj, str(a.dtype), a.tolist(), str(c.dtype), c.data_ptr() != x.data_ptr())

    same(fn)


@pytest.mark.parametrize("d", DTYPES)
def test_type_method(d):
    def fn(L):
        x = L.ones(2, dtype=getattr(L, d))
        return (
            x.type(),
            x.type(L.float64).dtype,
            x.type("torch.IntTensor").dtype,
            x.type(x.dtype) is x,
            x.type(x.type()) is x,
        )

    same(fn)


def test_type_method_rejects_unknown_names():
    same(lambda L: L.ones(2).type("torch.NoSuchTensor"))


def test_to_records_to_copy_and_grads_keep_leaf_dtype():
    def fn(L):
        w = L.tensor([1.0, 2.0], dtype=L.float64, requires_grad=True)
        y = w.float()
        (y * L.ones(3, 2)).sum().backward()
        return (type(y.grad_fn).__name__, str(w.grad.dtype), w.grad.tolist(), w.to(L.float64) is w)

    same(fn)


def test_integer_conversion_of_a_grad_tensor_does_not_require_grad():
    def fn(L):
        w = L.tensor([1.5, 2.5], requires_grad=True)
        return [
            (x.requires_grad, x.grad_fn is None, str(x.dtype))
            for x in (w.long(), w.bool(), w > 1, w.argmax())
        ]

    same(fn)


# ---- the default dtype -----------------------------------------------------------------------
@pytest.fixture
def default_float64():
    for L in LIBS:
        L.set_default_dtype(L.float64)
    yield
    for L in LIBS:
        L.set_default_dtype(L.float32)
    assert numtorch.get_default_dtype() is numtorch.float32


DEFAULT_DEPENDENT = {
    "tensor_float": lambda L: L.tensor([1.0, 2.0]),
    "tensor_mixed": lambda L: L.tensor([1, 2.5]),
    "tensor_complex": lambda L: L.tensor([1 + 2j]),
    "tensor_int": lambda L: L.tensor([1, 2]),
    "zeros": lambda L: L.zeros(2),
    "ones_like_int": lambda L: L.ones_like(L.tensor([1])),
    "full_float": lambda L: L.full((2,), 1.5),
    "full_int": lambda L: L.full((2,), 7),
    "arange_float": lambda L: L.arange(3.0),
    "arange_int": lambda L: L.arange(3),
    "linspace": lambda L: L.linspace(0, 1, 3),
    "int_plus_float_scalar": lambda L: L.tensor([1, 2]) + 1.5,
    "int_div_int": lambda L: L.tensor([1, 2]) / 2,
    "int_times_complex": lambda L: L.tensor([1, 2]) * 1j,
    "f32_plus_float_scalar": lambda L: L.tensor([1.0], dtype=L.float32) + 1.5,
    "f16_times_complex": lambda L: L.ones(1, dtype=L.float16) * 1j,
    "exp_of_int": lambda L: L.tensor([1, 2]).exp(),
    "mean_dtype_none": lambda L: L.tensor([1.0, 2.0]).mean(),
    "result_type_int_float": lambda L: L.result_type(L.tensor([1]), 1.0),
    "get_default_dtype": lambda L: L.get_default_dtype(),
}


@pytest.mark.parametrize("name", sorted(DEFAULT_DEPENDENT))
def test_default_float32(name):
    same(DEFAULT_DEPENDENT[name])


@pytest.mark.parametrize("name", sorted(DEFAULT_DEPENDENT))
def test_default_float64(name, default_float64):
    same(DEFAULT_DEPENDENT[name])


@pytest.mark.parametrize("name", sorted(set(DEFAULT_DEPENDENT) - {"get_default_dtype"}))
def test_repr_omits_the_default_dtype(name, default_float64):
    same(lambda L: repr(DEFAULT_DEPENDENT[name](L)))


def test_repr_under_default_float32():
    same(lambda L: [repr(L.tensor([1.5])), repr(L.tensor([1.5], dtype=L.float64)), repr(L.tensor([1j]))])


@pytest.mark.parametrize("d", ["int64", "bool", "complex64", "str"])
def test_set_default_dtype_rejects_non_float(d):
    same(lambda L: L.set_default_dtype(getattr(L, d) if d != "str" else d))
    assert numtorch.get_default_dtype() is numtorch.float32


def test_set_default_dtype_float16_is_allowed():
    try:
        same(
            lambda L: (
                L.set_default_dtype(L.float16),
                L.tensor([1.5]).dtype,
                (L.tensor([1, 2]) + 1.5).dtype,
                L.arange(2.0).dtype,
                L.get_default_dtype(),
            )
        )
    finally:
        for L in LIBS:
            L.set_default_dtype(L.float32)


@pytest.mark.parametrize(
    "d", ["float64", "float32", "float16", "int64", "int32", "int16", "int8", "uint8", "bool", "complex64"]
)
def test_numpy_arrays_keep_their_dtype(d):
    same(lambda L: L.tensor(np.ones(2, dtype=d)))
    same(lambda L: L.from_numpy(np.ones(2, dtype=d)))
    same(lambda L: L.as_tensor(np.ones(2, dtype=d)))


@pytest.mark.parametrize(
    "make_array",
    [lambda: np.ones(2, dtype=np.longdouble), lambda: np.array(["a"])],
    ids=["longdouble", "str"],
)
def test_numpy_array_of_unsupported_dtype(make_array):
    same(lambda L: L.from_numpy(make_array()))
    same(lambda L: L.tensor(make_array()))


def test_complex_to_real_cast_warns_once_per_process():
    """TORCH_WARN_ONCE: compared in fresh interpreters, since the flag is process-wide."""
    import subprocess
    import sys

    prog = (
        "import warnings, {lib} as L\n"
        "warnings.simplefilter('always')\n"
        "with warnings.catch_warnings(record=True) as w:\n"
        "    warnings.simplefilter('always')\n"
        "    x = L.tensor([1j, 0.5 + 0j, 2 + 3j])\n"
        "    a = x.float(); b = x.long(); c = x.bool(); L.zeros(3).copy_(x)\n"
        "print([(type(m.message).__name__, str(m.message).split(' (Triggered')[0]) for m in w],"
        " a.tolist(), b.tolist(), c.tolist())\n"
    )
    out = [
        subprocess.run(
            [sys.executable, "-c", prog.format(lib=lib)], capture_output=True, text=True, check=True
        ).stdout
        for lib in ("torch", "numtorch")
    ]
    assert out[1] == out[0] and "Casting complex values" in out[0]
