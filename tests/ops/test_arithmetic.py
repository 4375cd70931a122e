"""add/sub and their relatives against torch (issue 9): the deprecated positional-alpha overloads
`add(input, alpha, other)` / `x.add(alpha, other)` (and sub's, in- and out-of-place), the Scalar
overloads of subtract and rsub that take alpha positionally, and sub's argument check before its
bool and leaf checks. Values, dtypes, gradients and errors are compared with torch."""
from __future__ import annotations

import subprocess
import sys
import warnings

import pytest

DEPRECATED_CALLS = [
    # input + alpha * other, `other` a tensor or a number (wrapped), alpha a Number or a 0-d tensor
    "torch.add(x, 2, x)", "torch.add(x, 0, 1.5)", "torch.add(i, 2, 1.5)", "torch.add(i, 2, 3)",
    "torch.add(i, 1.5, 2)", "torch.add(b, True, b)", "torch.add(i, 2, z)",
    "torch.add(x, torch.tensor(2.0), x)",
    "torch.add(x, 2, x, out=torch.empty(2, 3))", "torch.sub(x, 2, x)", "torch.sub(i, 2, 1.5)",
    "torch.sub(b, 2, x)", "x.add(2, x)", "x.add(2, 3)", "x.sub(2, x)", "i.add(1.5, x)", "i.add(True, i)",
    "x.add(2j, x)", "x.add(torch.tensor([2]), x)", "x.clone().add_(2, x)", "x.clone().sub_(2, x)",
    "i.clone().add_(99, x)", "z.clone().sub_(0, idx)", "x.clone().add_(0, idx)", "xr.add_(99, x)",
    # not the deprecated overload: the parser's errors
    "torch.add(x, 2.5, x, alpha=2)", "torch.add(x, x, 2)", "torch.add(x, 2, x, x)", "torch.add(x, 2, 'a')",
    "x.add(x, 2)", "x.add(None, x)", "x.clone().sub_(x, 2)",
    # subtract and rsub: (Tensor input, Number other, Number alpha) takes alpha positionally
    "torch.subtract(x, 0, 1.5)", "torch.subtract(i, 2, 1.5)", "torch.rsub(x, 0, 1.5)",
    "torch.rsub(i, 2, 1.5)", "x.subtract(0, 1.5)", "i.subtract(2, 1.5)", "x.clone().subtract_(0, 1.5)",
    # sub's bool and leaf checks
    "b.sub(b)", "b.sub(x)", "xr.sub_(x)",
]
# the same exception type as torch (the texts are the generic parser's/dispatcher's, as for add)
TYPE_ONLY_CALLS = [
    "torch.subtract(x, 2, x)", "torch.rsub(x, 2, x)", "x.clone().subtract_(2, x)",
    # sub's argument check comes before its bool check and in-place sub_'s leaf check
    "b.sub(None)", "b.sub('abc')", "torch.sub(b, None)", "torch.sub(None, b)", "b.clone().sub_([1, 2])",
    "xr.sub_(None)", "xr.sub_('abc')",
]


def _program(expr, type_only=False):
    def prog(torch, see):
        x = torch.tensor([[0.5, -1.25, 2.0], [0.0, 3.5, -0.75]])
        i = torch.tensor([[1, 0, 2], [2, 1, 0]])  # noqa: F841 (used by eval(expr))
        b = i > 0  # noqa: F841
        z = torch.tensor(1.5)  # noqa: F841
        idx = torch.tensor([0, 5])  # noqa: F841
        xr = torch.ones(2, 3, requires_grad=True)  # noqa: F841
        with warnings.catch_warnings():  # the deprecation warning is issued once per process
            warnings.simplefilter("ignore")
            try:
                see(eval(expr), x)
            except Exception as e:  # noqa: BLE001 - the exception is the observation
                if not type_only:
                    raise
                see(type(e).__name__)
    return prog


@pytest.mark.parametrize("expr", DEPRECATED_CALLS)
def test_deprecated_alpha_overloads_and_sub_checks(same, expr):
    same(_program(expr))


@pytest.mark.parametrize("expr", TYPE_ONLY_CALLS)
def test_argument_errors_before_other_checks(same, expr):
    same(_program(expr, type_only=True))


def test_deprecated_overload_gradients(same):
    def prog(torch, see):
        a = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
        c = torch.tensor([0.5, 0.25, 4.0], requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = torch.add(a, 3, c) * a.sub(0.5, c)
        see(r, r.grad_fn.name(), torch.autograd.grad(r.sum(), (a, c)))
    same(prog)


_WARN_PROGRAM = """
import warnings, sys
import {lib} as torch
x = torch.tensor([1.0, 2.0])
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    {call}
    {call}
print(repr([(w.category.__name__, str(w.message).split(" (Triggered internally at")[0],
             w.filename == "<string>") for w in caught]))
"""


@pytest.mark.parametrize("call", ["torch.add(x, 2, x)", "torch.sub(x, 2, x)", "x.add(2, x)",
                                  "x.clone().sub_(2, x)"])
def test_deprecation_warning_text_and_once_per_process(call):
    # a fresh interpreter per library: both warn once per process, for the first deprecated call
    outs = [subprocess.run([sys.executable, "-c", _WARN_PROGRAM.format(lib=lib, call=call)],
                           capture_output=True, text=True, check=True).stdout
            for lib in ("torch", "numtorch")]
    assert outs[0] == outs[1]
    assert "This overload of" in outs[0]


# TensorIterator's broadcast check comes before alpha_check and before the kernels' dtype dispatch
# (issue 9: fuzzer campaign 2026, programs 011 and 015)
SHAPE_FIRST_CALLS = [
    "torch.add(i, j, alpha=0.5)", "i.sub(j, alpha=0.5)", "i.clone().add_(j, alpha=0.5)",
    "torch.rsub(i, j, alpha=0.5)", "torch.add(i, j, alpha=True)", "torch.add(i, jb, alpha=0.5)",
    "torch.div(b, jb, rounding_mode='floor')", "b // jb", "b.div(jb, rounding_mode='trunc')",
    "torch.fmod(b, jb)", "b % jb", "torch.remainder(b, jb)", "b.clone().floor_divide_(jb)",
    "torch.add(i, j[:, :1], alpha=0.5)", "torch.div(b, jb[:, :1], rounding_mode='floor')",
]


@pytest.mark.parametrize("expr", SHAPE_FIRST_CALLS)
def test_broadcast_error_before_alpha_and_dtype_checks(same, expr):
    def prog(torch, see):
        i = torch.tensor([[1, 0, 2], [2, 1, 0]])  # noqa: F841 (used by eval(expr))
        j = torch.tensor([[1, 2], [3, 4]])  # noqa: F841
        b = i > 0  # noqa: F841
        jb = j > 1  # noqa: F841
        try:
            see(eval(expr))
        except Exception as e:  # noqa: BLE001 - the exception is the observation
            see(type(e).__name__, str(e))
    same(prog)


def _nograd_view(torch):
    x = torch.tensor(1.5, requires_grad=True)
    with torch.no_grad():
        return x.reshape(-1)  # requires grad (through its base), but its gradient edge has no node


NOT_IMPLEMENTED_EDGES = {
    "leaf_scalar": lambda torch, leaf, nog, v: leaf // 2,
    "leaf_nograd": lambda torch, leaf, nog, v: leaf // nog,
    "nograd_leaf": lambda torch, leaf, nog, v: nog // leaf,
    "view_int": lambda torch, leaf, nog, v: v // torch.tensor([2]),
    "view_leaf": lambda torch, leaf, nog, v: v // leaf,
    "leaf_view": lambda torch, leaf, nog, v: leaf // v,
    "rfloordiv": lambda torch, leaf, nog, v: 2 // leaf,
    "remainder_scalar_view": lambda torch, leaf, nog, v: torch.remainder(2, v),
    "inplace_nograd_leaf": lambda torch, leaf, nog, v: nog.floor_divide_(leaf),
    "inplace_view_operand": lambda torch, leaf, nog, v: (leaf * 1).floor_divide_(v),
    "inplace_scalar": lambda torch, leaf, nog, v: (leaf * 1).floor_divide_(2),
}


@pytest.mark.parametrize("name", sorted(NOT_IMPLEMENTED_EDGES))
def test_not_implemented_node_edges_and_error(same, name):
    """floor_divide / remainder(Scalar, Tensor): a NotImplemented node with an edge for each input
    that required grad (a no_grad view's edge has no node), whose backward always raises."""
    def prog(torch, see):
        leaf = torch.tensor([1.5, 2.5], requires_grad=True)
        r = NOT_IMPLEMENTED_EDGES[name](torch, leaf, torch.tensor([1.5, 2.5]), _nograd_view(torch))
        fn = r.grad_fn
        see(type(fn).__name__, [None if f is None else type(f).__name__ for f, _ in fn.next_functions])
        r.sum().backward()
    same(prog)


FALLBACK_CALLS = ["x // 2", "torch.floor_divide(x, torch.tensor(2))", "2 // x", "2 % x", "x.floor_divide_(2)"]


@pytest.mark.parametrize("call", FALLBACK_CALLS)
@pytest.mark.parametrize("dtype", ["bool", "int64"])
def test_not_implemented_fallback_skips_integer_outputs(same, call, dtype):
    # floor_divide and remainder(Scalar, Tensor) have no formula: torch's autograd fallback gives
    # history only to differentiable outputs (no error, no node; in place: the old history stays),
    # where ops with a formula fail set_history ('Autograd not support dtype')
    def prog(torch, see):
        x = torch.tensor([3, 4], dtype=getattr(torch, dtype))
        x.fill_(torch.tensor(1.0, requires_grad=True))  # an integer tensor with history (FillBackward3)
        r = eval(call)
        see(r, r.requires_grad, None if r.grad_fn is None else type(r.grad_fn).__name__, r._version)
    same(prog)


def test_pow_of_negative_infinity_and_scalar_exponent_kernels():
    """C's pow at a -inf base (+inf or +0 for a non-integer exponent, where numpy gives nan), and
    ATen's Scalar exponents computed as sqrt, rsqrt, reciprocal and products."""
    import torch
    import numtorch

    def run(L):
        x = L.tensor([-float("inf"), -2.0, 3.0, 0.0])
        rows = [(x ** e).tolist() + (x ** L.tensor(e)).tolist() for e in (0.5, -0.5, 1.5, -1.5, 2.0, 3.0, -1.0, -2.0)]
        return str(rows)
    assert run(numtorch) == run(torch)


@pytest.mark.parametrize("dtype", ["int8", "int16", "int32", "int64", "uint8"])
def test_integer_trunc_division_at_the_type_limits(dtype):
    """div(rounding_mode='trunc') on integers is C's truncating quotient, also for the most
    negative value, whose magnitude the type cannot hold (fuzz seed 2056: numtorch flipped its
    sign). Every pair but x / 0 and MIN / -1 (torch itself dies of SIGFPE there)."""
    import numpy as np
    import numtorch
    torch = pytest.importorskip("torch")
    info = np.iinfo(dtype)
    rng = np.random.default_rng(0)
    picks = [info.min, info.min + 1, info.max, info.max - 1, 0, 1, -1, 2, -2, 3, -3, 7, -7]
    vals = np.array(sorted(set(picks) | set(rng.integers(info.min, info.max, 40).tolist())))
    vals = vals[(vals >= info.min) & (vals <= info.max)].astype(dtype)
    a, b = np.meshgrid(vals, vals)
    keep = (b != 0) & ~((a == info.min) & (b == -1) & (info.min < 0))
    a, b = a[keep], b[keep]
    for other in (lambda L: L.tensor(b), lambda L: int(b[3])):
        ours = numtorch.tensor(a).div(other(numtorch), rounding_mode="trunc")
        theirs = torch.tensor(a).div(other(torch), rounding_mode="trunc")
        assert str(ours.dtype) == str(theirs.dtype)
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
