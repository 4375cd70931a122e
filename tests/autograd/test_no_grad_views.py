"""Views created under no_grad / inference_mode (SEMANTICS 4.2, 4.5, 5.10): their requires_grad,
E33 (written with grad), E34 (a grad-mode view of such a view written), E35 (used after the base
or a sibling was written with grad; repr shows grad_fn=<Invalid>), E43 (inference-mode views), and
the combinations that are allowed."""
from __future__ import annotations

import os
import sys

import pytest

torch = pytest.importorskip("torch")

sys.path.insert(0, os.path.dirname(__file__))
from _differential import compare  # noqa: E402

VIEWS = {
    "slice": lambda b: b[:2],
    "select": lambda b: b[1],
    "view": lambda b: b.view(3),
    "transpose": lambda b: b.view(1, 3).t(),
    "expand": lambda b: b[:1].expand(2),
    "diagonal": lambda b: b.view(1, 3).diagonal(),
    "unsqueeze": lambda b: b.unsqueeze(0),
    "alias": lambda b: b[...],
    "as_strided": lambda b: b.as_strided((2,), (1,), 1),
}


def test_no_grad_view_semantics_example():
    """SEMANTICS 4.5 verbatim."""
    def prog(lib, rec):
        w = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        b = w * 1
        with lib.no_grad():
            v = b[:2]
        rec.run("e33", lambda: v.mul_(2))
        rec.run("e34", lambda: v.__setitem__(0, 1.0))
        with lib.no_grad():
            v.mul_(2)
        rec("base_write", b.mul_(2))
        rec.run("repr_invalid", lambda: repr(v))
        rec.run("e35", lambda: v.grad_fn)
        x = lib.zeros(3)
        with lib.no_grad():
            xv = x[:2]
        rec("plain_write", xv.add_(1))
        rec.run("e33_operand_requires_grad", lambda: xv.mul_(w[:2]))

    compare(prog, torch)


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_view_made_in_no_grad_written_with_grad_is_e33(name):
    make = VIEWS[name]

    def prog(lib, rec):
        w = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        b = w * 1
        with lib.no_grad():
            v = make(b)
        rec("view", (v.requires_grad, v.grad_fn, v.is_leaf, v._is_view(), v._base is b))
        rec.run("mul_", lambda: v.mul_(2))
        rec.run("copy_", lambda: v.copy_(lib.zeros(v.shape)))
        rec.run("setitem_ellipsis", lambda: v.__setitem__(..., 0.0))
        rec.run("e34_child", lambda: v[...].zero_())
        rec.run("e34_child_view", lambda: v.view(-1)[:1].add_(1))
        rec("untouched", (b, b._version))
        rec.run("usable", lambda: (v * 2).grad_fn)

    compare(prog, torch)


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_no_grad_view_after_base_written_with_grad_is_e35(name):
    make = VIEWS[name]

    def prog(lib, rec):
        w = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        b = w * 1
        with lib.no_grad():
            v = make(b)
            child = v[...]
        b.add_(1)
        rec.run("repr", lambda: repr(v))
        rec.run("grad_fn", lambda: v.grad_fn)
        rec.run("is_leaf", lambda: v.is_leaf)
        rec.run("op", lambda: v * 2)
        rec.run("view_op", lambda: v.view(-1))
        rec.run("backward", lambda: v.sum().backward())
        rec.run("child", lambda: child.grad_fn)
        rec.run("requires_grad", lambda: v.requires_grad)
        rec.run("values", lambda: v.detach())
        with lib.no_grad():
            rec.run("no_grad_op", lambda: v * 2)
            rec.run("no_grad_write", lambda: v.mul_(3))
        rec("base", b)

    compare(prog, torch)


@pytest.mark.parametrize("dtype", ["int64", "bool", "float32"])
def test_stale_no_grad_view_in_ops_without_formulas(dtype):
    """Ops torch runs through its autograd fallback (bitwise ops, bincount) collect their inputs'
    edges first, so a stale no_grad view that requires grad raises E35 even where the result has
    no history; ops declared non-differentiable (comparisons, logical ops, isnan, isfinite of an
    integral tensor, which skips its abs) do not. An integral base requires grad after fill_ with
    a value that does (fuzz seed 2061)."""
    def prog(lib, rec):
        with lib.no_grad():
            base = lib.tensor([4, 6]).to(getattr(lib, dtype))
            v = base[:]
        base.fill_(lib.tensor(2.0, requires_grad=True))
        rec("base", (base.requires_grad, base.grad_fn))
        for name, thunk in {
            "and": lambda: v & 1, "or": lambda: v | True, "xor": lambda: lib.bitwise_xor(v, v),
            "not": lambda: ~v, "bincount": lambda: lib.bincount(v.long() if dtype != "float32" else v),
            "isfinite": lambda: lib.isfinite(v), "isnan": lambda: lib.isnan(v), "eq": lambda: v == 1,
            "logical_and": lambda: lib.logical_and(v, v), "argmax": lambda: v.long().argmax(),
        }.items():
            rec.run(name, thunk)

    compare(prog, torch)


def test_sibling_write_invalidates_no_grad_view():
    def prog(lib, rec):
        w = lib.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
        b = w * 1
        with lib.no_grad():
            v = b[:2]
        b[2:].mul_(2)  # a grad-mode view of the same base, written with grad
        rec.run("v", lambda: repr(v))
        rec.run("grad_fn", lambda: v.grad_fn)
        c = w * 1
        with lib.no_grad():
            u = c[:2]
            c[2:].mul_(2)  # written under no_grad: nothing recorded, u stays usable
        rec.run("u", lambda: (u.grad_fn, repr(u)))

    compare(prog, torch)


def test_both_view_and_write_in_the_same_mode_are_fine():
    def prog(lib, rec):
        w = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        b = w * 1
        with lib.no_grad():
            v = b[:2]
            v.mul_(10)
        rec("no_grad_both", (b, b.grad_fn, b._version))
        # any later version change makes a no_grad view unusable with grad, even a no_grad write
        rec.run("no_grad_view_after_no_grad_write", lambda: v.grad_fn)
        g = b[1:]
        with lib.no_grad():
            g.add_(1)  # grad-mode view written under no_grad: allowed, not recorded
        rec("grad_view_no_grad_write", (b, b.grad_fn, g.grad_fn, g._version))
        b.sum().backward()
        rec.grad("grad", w.grad)

    compare(prog, torch)


def test_no_grad_view_of_tensor_not_requiring_grad():
    def prog(lib, rec):
        w = lib.tensor([1.0, 2.0], requires_grad=True)
        x = lib.ones(3)
        with lib.no_grad():
            v = x[1:]
        rec("flags", (v.requires_grad, v.grad_fn))
        rec("plain_write", v.add_(1))
        rec.run("e33", lambda: v.mul_(w))
        rec.run("setitem_e33", lambda: v.__setitem__(0, w[0]))
        x.mul_(w.sum())  # the base may be written with grad; then v is stale
        rec.run("stale", lambda: v.grad_fn)
        rec("x", (x, x.grad_fn))

    compare(prog, torch)


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_inference_mode_views_of_normal_tensors(name):
    make = VIEWS[name]

    def prog(lib, rec):
        w = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        b = lib.ones(3)
        with lib.inference_mode():
            v = make(b)
            rec("inside", (v.is_inference(), v.requires_grad, v._is_view(), v._base is b))
        rec.run("plain_write", lambda: v.add_(1))
        rec.run("e43", lambda: v.mul_(w[: v.numel()].view(v.shape) if v.dim() else w[0]))
        rec.run("e43_child", lambda: v[...].mul_(w[0]))
        rec("b", (b, b._version))
        c = w * 1
        with lib.inference_mode():
            cv = make(c)
        rec("grad_base", (cv.requires_grad, cv.grad_fn, cv.is_inference()))
        rec.run("e43_grad_base", lambda: cv.mul_(2))
        c.mul_(2)
        rec.run("stale_inference_view", lambda: cv.grad_fn)
        rec.run("stale_repr", lambda: repr(cv))

    compare(prog, torch)


def test_inference_tensors_and_their_views():
    def prog(lib, rec):
        w = lib.tensor([1.0, 2.0], requires_grad=True)
        with lib.inference_mode():
            y = w * 2
            yv = y[1:]
            rec("inside", (y.is_inference(), yv.is_inference(), yv._is_view(), yv._base is None))
        rec.run("e40_view", lambda: yv.add_(1))
        rec("y_written_before_error", y)
        rec.run("e58_version", lambda: yv._version)
        rec.run("view_outside", lambda: (y[:1].is_inference(), y[:1]._is_view()))
        rec.run("e41", lambda: w * yv.expand(2))

    compare(prog, torch)


def test_nested_no_grad_and_inference_views_keep_the_strictest_flag():
    def prog(lib, rec):
        w = lib.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
        b = w * 1
        with lib.inference_mode():
            iv = b[1:]
        with lib.no_grad():
            nv = iv[1:]
        gv = nv[1:]
        rec.run("grad_child_of_inference", lambda: gv.mul_(2))
        with lib.no_grad():
            n1 = b[:3]
        with lib.inference_mode():
            n2 = n1[:2]
        rec.run("inference_child_of_no_grad", lambda: n2.mul_(2))
        g1 = b[:3]
        with lib.no_grad():
            g2 = g1[:2]
        g3 = g2[:1]
        rec.run("grad_of_no_grad_of_grad", lambda: g3.mul_(2))
        rec("b", (b, b._version))

    compare(prog, torch)


_READS = {
    "repr": lambda lib, v: repr(v),
    "requires_grad": lambda lib, v: v.requires_grad,
    "is_leaf": lambda lib, v: v.is_leaf,
    "grad": lambda lib, v: v.grad,
    "retain_grad": lambda lib, v: v.retain_grad(),
    "register_hook": lambda lib, v: v.register_hook(lambda g: g) is not None,
    "register_hook_twice": lambda lib, v: _try_twice(lambda: v.register_hook(lambda g: g) is not None),
    "numpy": lambda lib, v: v.numpy(),
    "detach": lambda lib, v: v.detach(),
    "clone": lambda lib, v: v.clone(),
    "long": lambda lib, v: v.long(),
    "double": lambda lib, v: v.double(),
}


def _try_twice(f):
    try:
        f()
    except RuntimeError as e:
        return ("first", str(e), f())
    return f()


@pytest.mark.parametrize("kind", ["no_grad", "leaf", "multi_output"])
@pytest.mark.parametrize("name", sorted(_READS))
def test_which_reads_raise_for_a_stale_view(same, kind, name):
    """torch raises the no_grad / multi-output view error (E35/E37) lazily, where grad_fn is
    read: .grad and retain_grad read the stored one (C++ is_leaf), register_hook reads it only
    when it creates the hook dict (the first hook), numpy() and repr read requires_grad()."""
    read = _READS[name]

    def prog(lib, see):
        x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        if kind == "leaf":  # a no_grad view of a leaf: nothing stale, but requires_grad from its base
            with lib.no_grad():
                v = x[:2]
        elif kind == "no_grad":
            b = x * 1
            with lib.no_grad():
                v = b[:2]
            b.mul_(2)
        else:
            v = (x * 1).unbind()[0]
            v._base.mul_(2)
        see(read(lib, v))
    same(prog)
