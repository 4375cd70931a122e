"""Indexing and assignment (SEMANTICS 1.2, 3.3, 4.3): __getitem__ decomposed into views or one
IndexBackward0; __setitem__ with basic, integer-tensor and boolean-mask indices (version bumps,
CopySlices vs IndexPutBackward0 vs a direct fill_/copy_, gradients for target and value); the
in-place indexing ops index_put_, masked_fill_, index_add_, scatter_, scatter_add_; saved index
tensors and the version error without the "which is output" clause; errors, exactly."""
from __future__ import annotations

import os
import sys

import pytest

torch = pytest.importorskip("torch")

sys.path.insert(0, os.path.dirname(__file__))
from _differential import compare  # noqa: E402


def _setitem(t, key, value):
    t[key] = value
    return t


# keys for a (2, 3) target; values are built per key from the indexed region's shape
KEYS = {
    "int": lambda lib: 1,
    "negative_int": lambda lib: -2,
    "int_int": lambda lib: (1, 2),
    "slice": lambda lib: slice(1, None),
    "full_slice": lambda lib: slice(None),
    "full_slice_bounds": lambda lib: slice(0, 100),
    "negative_slice": lambda lib: slice(-2, None),
    "column": lambda lib: (slice(None), 1),
    "step": lambda lib: (slice(None), slice(None, None, 2)),
    "ellipsis": lambda lib: Ellipsis,
    "ellipsis_int": lambda lib: (Ellipsis, 0),
    "none": lambda lib: None,
    "none_int": lambda lib: (None, 1),
    "true": lambda lib: True,
    "false": lambda lib: False,
    "empty_tuple": lambda lib: (),
    "zero_dim_int_tensor": lambda lib: lib.tensor(1),
    "int_tensor": lambda lib: lib.tensor([1, 0]),
    "int_tensor_duplicates": lambda lib: lib.tensor([0, 0]),
    "int_tensor_column": lambda lib: (slice(None), lib.tensor([2, 0])),
    "two_int_tensors": lambda lib: (lib.tensor([0, 1]), lib.tensor([2, 1])),
    "int_and_tensor": lambda lib: (1, lib.tensor([0, 2])),
    "list": lambda lib: [1],
    "list_of_lists": lambda lib: ([0, 1], [1, 2]),
    "bool_mask": lambda lib: lib.tensor([[True, False, True], [False, False, True]]),
    "bool_row_mask": lambda lib: lib.tensor([False, True]),
    "bool_list": lambda lib: [True, False],
    "zero_dim_bool": lambda lib: lib.tensor(True),
    "mask_and_slice": lambda lib: (lib.tensor([True, True]), slice(1, 3)),
    "int32_index": lambda lib: lib.tensor([1], dtype=lib.int32),
}

VALUES = {
    "scalar": lambda lib, shape: 7.0,
    "int_scalar": lambda lib, shape: 3,
    "zero_dim": lambda lib, shape: lib.tensor(4.0, requires_grad=True),
    "same_shape": lambda lib, shape: (lib.arange(float(_numel(shape))) + 1).view(shape).requires_grad_(),
    "broadcast_last": lambda lib, shape: lib.tensor([5.0], requires_grad=True) if shape else 5.0,
    "leading_ones": lambda lib, shape: lib.ones((1, 1) + tuple(shape), requires_grad=True),
}


def _numel(shape):
    n = 1
    for s in shape:
        n *= s
    return n


@pytest.mark.parametrize("value", sorted(VALUES))
@pytest.mark.parametrize("key", sorted(KEYS))
def test_setitem_matches_torch(key, value):
    make_key, make_value = KEYS[key], VALUES[value]

    def prog(lib, rec):
        w = lib.arange(6.0, requires_grad=True)
        target = (w * 1).view(2, 3)
        k = make_key(lib)
        region = target.detach()[k]
        v = make_value(lib, tuple(region.shape))
        sibling = target[0]
        rec.run("setitem", lambda: _setitem(target, k, v))
        rec("target", target)
        rec("graph", target.grad_fn)
        rec("versions", (target._version, sibling._version))
        rec("sibling", sibling)
        rec.run("backward", lambda: (target * lib.arange(1.0, 7.0).view(2, 3)).sum().backward())
        rec.grad("w_grad", w.grad)
        if isinstance(v, type(w)):
            rec.grad("value_grad", v.grad)

    compare(prog, torch)


@pytest.mark.parametrize("key", sorted(KEYS))
def test_getitem_matches_torch(key):
    make_key = KEYS[key]

    def prog(lib, rec):
        w = lib.arange(6.0, requires_grad=True)
        x = (w * 1).view(2, 3)
        k = make_key(lib)
        r = rec.run("getitem", lambda: x[k])
        if r is None:
            return
        rec.tensor("result", r)
        rec("view", (r._is_view(), r._base is x))
        rec("graph", r.grad_fn)
        (r * lib.arange(float(r.numel())).view(r.shape)).sum().backward(retain_graph=True)
        rec.grad("grad", w.grad)
        g, = lib.autograd.grad((x[k] ** 2).sum(), w, create_graph=True)
        rec.grad("double", lib.autograd.grad(g.sum(), w))

    compare(prog, torch)


def test_setitem_version_bumps():
    """SEMANTICS 1.2: every __setitem__ bumps once; x[idx] += v bumps twice; x[False] = v never."""
    def prog(lib, rec):
        a = lib.tensor([1.0, 2.0, 3.0])
        a[0] = 5.0
        a[lib.tensor([True, False, True])] = 1.0
        a[lib.tensor([1])] = 2.0
        a[...] = 3.0
        a[:] = a.clone()
        a[False] = 9.0
        rec("a", (a, a._version))
        x = lib.zeros(2, 2)
        x[:, 0] += 1
        x[lib.tensor([1])] += 1
        rec("x", (x, x._version))
        b = lib.zeros(3)
        v = b[1:]
        v[0] = 1.0
        rec("view_setitem", (b, b._version, v._version))

    compare(prog, torch)


def test_plain_tensor_assigned_values_that_require_grad():
    def prog(lib, rec):
        w = lib.tensor([1.0, 2.0], requires_grad=True)
        for name, key in {"basic": slice(0, 2), "int_tensor": lib.tensor([2, 0]),
                          "mask": lib.tensor([True, False, True]), "tail": slice(1, None)}.items():
            m = lib.zeros(3)
            m[key] = w * 3
            rec(name, (m, m.grad_fn, m.requires_grad, m.is_leaf))
            m.sum().backward()
            rec.grad(name + ":grad", w.grad)
            w.grad = None

    compare(prog, torch)


def test_setitem_value_conversions_and_type_errors():
    def prog(lib, rec):
        x = lib.zeros(4)
        rec.run("str", lambda: _setitem(x, 0, "a"))
        rec.run("list", lambda: _setitem(x, slice(0, 2), [1.0, 2.0]))
        rec.run("none", lambda: _setitem(x, 0, None))
        rec.run("bool_value", lambda: _setitem(x, 1, True))
        rec.run("false_key_bad_value", lambda: _setitem(x, False, "a"))
        i = lib.zeros(4, dtype=lib.int64)
        rec.run("float_into_long", lambda: _setitem(i, slice(0, 2), 7.9))
        rec.run("float_into_long_adv", lambda: _setitem(i, lib.tensor([3]), -2.5))
        rec.run("double_value_basic", lambda: _setitem(x, slice(0, 2), lib.ones(2, dtype=lib.float64)))
        rec.run("double_value_adv", lambda: _setitem(x, lib.tensor([0, 2]), lib.ones(2, dtype=lib.float64)))
        rec.run("long_value_adv", lambda: _setitem(x, lib.tensor([0]), lib.ones(1, dtype=lib.int64)))
        rec("x", (x, x._version, i, i._version))

    compare(prog, torch)


def test_setitem_shape_errors():
    def prog(lib, rec):
        x = lib.arange(6.0)
        rec.run("more_dims_than_target", lambda: _setitem(x, slice(0, 4), lib.ones(2, 2)))
        rec.run("mismatch", lambda: _setitem(x, slice(0, 4), lib.ones(3)))
        rec.run("leading_one_ok", lambda: _setitem(x, slice(0, 4), lib.ones(1, 4)))
        rec.run("adv_value_too_big", lambda: _setitem(x, lib.tensor([0, 1]), lib.ones(3)))
        rec.run("adv_value_bad_rank", lambda: _setitem(x, lib.tensor([0, 1]), lib.ones(2, 1)))
        rec.run("adv_out_of_bounds", lambda: _setitem(x, lib.tensor([0, 9]), 1.0))
        rec.run("mask_shape", lambda: _setitem(x, lib.tensor([True, False]), 1.0))
        rec("x", (x, x._version))

    compare(prog, torch)


def test_getitem_errors():
    def prog(lib, rec):
        x = lib.arange(6.0)
        m = x.view(2, 3)
        cube = lib.arange(24.0).view(2, 3, 4)
        s = lib.tensor(3.0)
        cases = {
            "negative_step": lambda: x[::-1],
            "zero_step": lambda: x[::0],
            "out_of_range": lambda: x[10],
            "out_of_range_after_none": lambda: x[None, 10],
            "out_of_range_after_ellipsis": lambda: x[..., -7],
            "too_many": lambda: x[1, 2],
            "too_many_with_mask": lambda: x[lib.ones(6, dtype=lib.bool), 0],
            "float": lambda: x[1.5],
            "float_tensor": lambda: x[lib.tensor([0.0, 1.0])],
            "int8_tensor": lambda: x[lib.tensor([0], dtype=lib.int8)],
            "scalar_zero": lambda: s[0],
            "scalar_one": lambda: s[1],
            "scalar_tuple": lambda: s[0,],
            "scalar_slice": lambda: s[:],
            "scalar_none": lambda: s[None],
            "scalar_ellipsis": lambda: s[...],
            "scalar_true": lambda: s[True],
            "adv_out_of_bounds": lambda: x[lib.tensor([0, 9])],
            "adv_negative_out_of_bounds": lambda: x[lib.tensor([-7])],
            "adv_negative": lambda: x[lib.tensor([0, -1])],
            "mask_shape": lambda: x[lib.tensor([True, False])],
            "broadcast": lambda: m[lib.tensor([0, 1]), lib.tensor([0, 1, 2])],
            "mask_2d_slice": lambda: lib.arange(24.0).view(2, 3, 4)[lib.ones(2, 3, dtype=lib.bool), 1:3],
            "mask_2d_int": lambda: lib.arange(24.0).view(2, 3, 4)[lib.ones(2, 3, dtype=lib.bool), 1],
            "list_of_floats": lambda: x[[0.0, 1.0]],
            "separated_advanced": lambda: cube[lib.tensor([0, 1]), :, lib.tensor([1, 3])],
            "adjacent_advanced": lambda: cube[:, lib.tensor([0, 2]), lib.tensor([1, 3])],
            "uint8_mask": lambda: x[lib.tensor([1, 0, 1, 0, 0, 1], dtype=lib.uint8)],
        }
        for name, thunk in cases.items():
            rec.run(name, thunk)

    compare(prog, torch)


def test_advanced_read_accumulates_duplicate_indices():
    def prog(lib, rec):
        a = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        r = a[[0, 0, 1, 0]]
        rec("r", (r, r._is_view(), r.grad_fn))
        (r * lib.tensor([1.0, 2.0, 3.0, 4.0])).sum().backward()
        rec.grad("grad", a.grad)
        m = lib.arange(6.0).view(2, 3).requires_grad_()
        r3 = m[m > 2]
        rec("masked", r3)
        r3.sum().backward()
        rec.grad("mask_grad", m.grad)

    compare(prog, torch)


def test_saved_index_tensors_are_version_checked_without_output_clause():
    """SEMANTICS 3.3: index tensors are saved leaves; writing them gives E14."""
    def prog(lib, rec):
        a = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        idx = lib.tensor([0, 2])
        r = a[idx]
        rec("add", idx.add_(0))
        rec.run("index", lambda: r.sum().backward())
        mask = lib.tensor([True, False, True])
        r2 = a[mask]
        mask.logical_not_() if hasattr(mask, "logical_not_") else mask.__setitem__(0, False)
        rec.run("mask", lambda: r2.sum().backward())
        cases = {
            "index_put_": lambda i: (a * 1).index_put_((i,), lib.tensor([1.0, 2.0])),
            "setitem": lambda i: _setitem(a * 1, i, 5.0),
            "gather": lambda i: (a * 1).gather(0, i),
            "index_select": lambda i: (a * 1).index_select(0, i),
            "index_add_": lambda i: (a * 1).index_add_(0, i, lib.ones(2, requires_grad=True)),
            "scatter_": lambda i: (a * 1).scatter_(0, i, lib.ones(2, requires_grad=True)),
            "scatter_add_": lambda i: (a * 1).scatter_add_(0, i, lib.ones(2, requires_grad=True)),
            "masked_fill_": None,
        }
        for name, make in cases.items():
            if make is None:
                m2 = lib.tensor([True, False, False])
                out = (a * 1).masked_fill_(m2, 0.0)
                m2[1] = True
            else:
                i = lib.tensor([1, 0])
                out = make(i)
                i[0] = 1
            rec(name, out.grad_fn)
            rec.run(name + ":backward", lambda out=out: out.sum().backward())

    compare(prog, torch)


def test_index_put_with_and_without_accumulate():
    def prog(lib, rec):
        w = lib.arange(5.0, requires_grad=True)
        v = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        for acc in (False, True):
            y = w * 1
            r = y.index_put_((lib.tensor([0, 0, 3]),), v, accumulate=acc)
            rec(f"acc{acc}", (r is y, y, y.grad_fn, y._version))
            (y * lib.arange(1.0, 6.0)).sum().backward()
            rec.grad(f"acc{acc}:w", w.grad)
            rec.grad(f"acc{acc}:v", v.grad)
            w.grad = v.grad = None
        z = lib.zeros(2, 2)
        rec("mask_index", z.index_put_((lib.tensor([[True, False], [False, True]]),), lib.tensor(1.0)))
        rec("out_of_place", (z.index_put((lib.tensor([0]),), lib.tensor(5.0)), z._version))
        rec.run("not_a_tuple", lambda: z.index_put_(lib.tensor([0]), lib.tensor(1.0)))
        rec.run("python_value", lambda: z.index_put_((lib.tensor([0]),), 1.0))
        rec.run("none_index", lambda: z.index_put_((None, lib.tensor([0])), lib.tensor(1.0)))
        i0, one = lib.tensor([0]), lib.tensor(1.0)
        rec.run("too_many", lambda: lib.zeros(4).index_put_((i0, i0), one))
        rec.run("dtype", lambda: lib.zeros(4).index_put_((i0,), lib.tensor([1.0], dtype=lib.float64)))
        rec.run("leaf", lambda: w.index_put_((lib.tensor([0]),), lib.tensor(1.0)))

    compare(prog, torch)


def test_masked_fill_in_and_out_of_place():
    def prog(lib, rec):
        w = lib.arange(6.0, requires_grad=True)
        s = lib.tensor(9.0, requires_grad=True)
        mask = lib.tensor([True, False, True, False, False, True])
        y = w * 1
        rec("scalar", (y.masked_fill_(mask, 0.5), y.grad_fn, y._version))
        z = w * 1
        rec("tensor", (z.masked_fill_(mask, s), z.grad_fn, z.grad_fn.next_functions))
        (y.sum() + (z * 2).sum()).backward()
        rec.grad("w", w.grad)
        rec.grad("s", s.grad)
        m2 = lib.arange(6.0).view(2, 3).requires_grad_()
        out = m2.masked_fill(lib.tensor([[True], [False]]), -1.0)
        rec("broadcast_out_of_place", (out, out.grad_fn))
        out2 = m2[0].masked_fill(lib.tensor([[True, False, False], [False, True, False]]), -1.0)
        rec("broadcast_grows", out2)
        out2.sum().backward()
        rec.grad("m2", m2.grad)
        x = lib.zeros(3)
        rec.run("long_mask", lambda: x.masked_fill_(lib.tensor([1, 0, 1]), 1.0))
        rec.run("mask_too_big", lambda: x.masked_fill_(lib.ones(2, 3, dtype=lib.bool), 1.0))
        rec.run("mask_mismatch", lambda: x.masked_fill_(lib.ones(4, dtype=lib.bool), 1.0))
        rec.run("value_not_0d", lambda: x.masked_fill_(lib.ones(3, dtype=lib.bool), lib.ones(1)))
        rec.run("leaf", lambda: w.masked_fill_(mask, 0.0))
        rec("x", (x, x._version))

    compare(prog, torch)


def test_index_add_scatter_and_scatter_add():
    def prog(lib, rec):
        w = lib.arange(6.0, requires_grad=True)
        src = lib.tensor([[1.0, 2.0, 3.0]], requires_grad=True)
        idx = lib.tensor([1, 0, 1])
        base = (w * 1).view(2, 3)
        ops = {
            "index_add_": lambda b: b.index_add_(0, lib.tensor([1]), src, alpha=2),
            "index_add": lambda b: b.index_add(1, idx, src.view(3, 1).expand(3, 2).t()),
            "scatter_": lambda b: b.scatter_(0, idx.view(1, 3), src),
            "scatter_value": lambda b: b.scatter_(1, lib.tensor([[2], [0]]), -1.0),
            "scatter": lambda b: b.scatter(0, idx.view(1, 3), src),
            "scatter_add_": lambda b: b.scatter_add_(0, idx.view(1, 3), src),
            "scatter_add": lambda b: b.scatter_add(1, lib.tensor([[0, 0, 0]]), src),
        }
        for name, op in ops.items():
            b = base.clone()
            out = op(b)
            rec(name, (out, out is b, out.grad_fn, b._version))
            (out * lib.arange(6.0).view(2, 3)).sum().backward(retain_graph=True)
            rec.grad(name + ":w", w.grad)
            rec.grad(name + ":src", src.grad)
            w.grad = src.grad = None
        x = lib.zeros(3)
        errors = {
            "ia_float_index": lambda: x.index_add_(0, lib.tensor([0.0]), lib.ones(1)),
            "ia_2d_index": lambda: x.index_add_(0, lib.tensor([[0]]), lib.ones(1)),
            "ia_shape": lambda: lib.zeros(3, 2).index_add_(0, lib.tensor([0]), lib.ones(1, 3)),
            "ia_count": lambda: x.index_add_(0, lib.tensor([0, 1]), lib.ones(3)),
            "ia_out_of_range": lambda: x.index_add_(0, lib.tensor([5]), lib.ones(1)),
            "ia_dtype": lambda: x.index_add_(0, lib.tensor([1]), lib.ones(1, dtype=lib.float64)),
            "sc_float_index": lambda: x.scatter_(0, lib.tensor([0.0]), lib.ones(1)),
            "sc_out_of_range": lambda: x.scatter_(0, lib.tensor([5]), lib.ones(1)),
            "sc_rank": lambda: x.scatter_(0, lib.tensor([[0]]), lib.ones(1)),
            "sc_index_too_big": lambda: x.scatter_(0, lib.tensor([0, 1, 2, 0]), lib.ones(3)),
            "sc_dtype": lambda: x.scatter_(0, lib.tensor([0]), lib.ones(1, dtype=lib.float64)),
            "gather_out_of_range": lambda: x.gather(0, lib.tensor([5])),
            "gather_rank": lambda: x.gather(0, lib.tensor([[0]])),
            "index_select_float": lambda: x.index_select(0, lib.tensor([0.0])),
            "leaf_index_add_": lambda: w.index_add_(0, lib.tensor([0]), lib.ones(1)),
        }
        for name, thunk in errors.items():
            rec.run(name, thunk)
        rec("x", (x, x._version))

    compare(prog, torch)


def test_gather_index_select_masked_select_graphs():
    def prog(lib, rec):
        w = lib.arange(6.0, requires_grad=True)
        m = (w * 1).view(2, 3)
        outs = {
            "gather": m.gather(1, lib.tensor([[2, 0], [1, 1]])),
            "index_select": m.index_select(1, lib.tensor([2, 2, 0])),
            "masked_select": m.masked_select(lib.tensor([True, False, True])),
        }
        for name, out in outs.items():
            rec(name, (out, out.grad_fn))
            g, = lib.autograd.grad((out * out).sum(), w, create_graph=True)
            rec.grad(name + ":grad", g)
            rec.grad(name + ":double", lib.autograd.grad(g.sum(), w, retain_graph=True))

    compare(prog, torch)


def test_setitem_on_views_of_views_and_through_multiple_indices():
    def prog(lib, rec):
        w = lib.arange(24.0, requires_grad=True)
        b = w * 1
        v = b.view(2, 3, 4)[1]
        v[lib.tensor([0, 2]), 1:3] = lib.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        rec("b", (b.grad_fn, v.grad_fn, b._version))
        v[:, lib.tensor([True, False, True, False])] = 0.0
        v[..., None, 0] = -1.0
        rec("v", v)
        (b * lib.arange(24.0)).sum().backward()
        rec.grad("grad", w.grad)

    compare(prog, torch)
