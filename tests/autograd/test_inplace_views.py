"""In-place ops on views (SEMANTICS 3.1, 3.3, 4.3, 4.4): CopySlices on the base, AsStridedBackward0
on the written view, lazy regeneration of older views, views of views, E9/E10, detach_() on views
(E24), writes to overlapping (expanded) views, and the version errors these produce. Each test
runs the same program under torch and numtorch and compares everything recorded."""
from __future__ import annotations

import os
import sys

import pytest

torch = pytest.importorskip("torch")

sys.path.insert(0, os.path.dirname(__file__))
from _differential import compare  # noqa: E402

# in-place ops applied to a view `v` (float32, shape (2,)), with a leaf `p` requiring grad
WRITES = {
    "mul_scalar": lambda lib, v, p: v.mul_(10),
    "mul_tensor": lambda lib, v, p: v.mul_(p),
    "add_tensor_alpha": lambda lib, v, p: v.add_(p, alpha=2),
    "sub_": lambda lib, v, p: v.sub_(p),
    "div_": lambda lib, v, p: v.div_(p),
    "iadd": lambda lib, v, p: v.__iadd__(p),
    "copy_": lambda lib, v, p: v.copy_(p * 3),
    "copy_broadcast": lambda lib, v, p: v.copy_(p[:1]),
    "fill_scalar": lambda lib, v, p: v.fill_(7.0),
    "fill_tensor": lambda lib, v, p: v.fill_(p.sum()),
    "zero_": lambda lib, v, p: v.zero_(),
    "clamp_": lambda lib, v, p: v.clamp_(3.0, 5.0),
    "exp_": lambda lib, v, p: v.exp_(),
    "sigmoid_": lambda lib, v, p: v.sigmoid_(),
    "pow_": lambda lib, v, p: v.pow_(2),
    "neg_": lambda lib, v, p: v.neg_(),
    "masked_fill_": lambda lib, v, p: v.masked_fill_(lib.tensor([True, False]), 0.5),
    "masked_fill_tensor": lambda lib, v, p: v.masked_fill_(lib.tensor([False, True]), p[0]),
    "index_add_": lambda lib, v, p: v.index_add_(0, lib.tensor([1, 1]), p),
    "index_put_": lambda lib, v, p: v.index_put_((lib.tensor([0]),), p[1:]),
    "scatter_": lambda lib, v, p: v.scatter_(0, lib.tensor([1, 0]), p),
    "scatter_add_": lambda lib, v, p: v.scatter_add_(0, lib.tensor([0, 0]), p),
    "setitem_int": lambda lib, v, p: v.__setitem__(0, p[1]),
    "setitem_slice": lambda lib, v, p: v.__setitem__(slice(1, None), p[:1]),
}

# views `v` of a base `b` of shape (2, 3) that have 2 elements
VIEWS = {
    "slice": lambda b: b[0, 1:],
    "select_column": lambda b: b[:, 1],
    "transpose": lambda b: b.t()[2],
    "diagonal": lambda b: b.diagonal(),
    "view_of_view": lambda b: b.view(6)[1:5].view(2, 2)[1],
    "narrow": lambda b: b.narrow(1, 0, 2)[1],
    "unflatten": lambda b: b.flatten().unflatten(0, (3, 2))[2],
    "as_strided": lambda b: b.as_strided((2,), (2,), 1),
    "unfold": lambda b: b[1].unfold(0, 2, 2)[0],
    "tensor_split": lambda b: b.view(6).tensor_split(3)[1],
}


@pytest.mark.parametrize("write", sorted(WRITES))
@pytest.mark.parametrize("view", sorted(VIEWS))
def test_write_through_view_rebases_history_with_copyslices(view, write):
    make_view, op = VIEWS[view], WRITES[write]

    def prog(lib, rec):
        w = lib.arange(1.0, 7.0, requires_grad=True)
        p = lib.tensor([0.5, 2.0], requires_grad=True)
        b = (w * 2).view(2, 3)
        v = make_view(b)
        other = b[1]
        out = op(lib, v, p)
        rec("returns_self", out is v)
        rec("view", v)
        rec("base", b)
        rec("base_fn", b.grad_fn)
        rec("view_fn", v.grad_fn)
        rec("versions", (b._version, v._version, other._version))
        rec("sibling", other)
        rec("sibling_fn", other.grad_fn)
        loss = (b * lib.arange(6.0).view(2, 3)).sum() + (v * v).sum()
        loss.backward()
        rec.grad("w_grad", w.grad)
        rec.grad("p_grad", p.grad)

    compare(prog, torch)


def test_copyslices_semantics_example():
    """SEMANTICS 4.3 verbatim."""
    def prog(lib, rec):
        w = lib.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
        b = w * 2
        v = b[1:3]
        rec("mul", v.mul_(10))
        rec("b", b)
        rec("versions", (b._version, v._version))
        rec("next", (b.grad_fn, v.grad_fn))
        rec("names", (b.grad_fn.name(), type(b.grad_fn).__name__, v.grad_fn.name()))
        b.sum().backward()
        rec.grad("grad", w.grad)
        m = lib.zeros(2, 3)
        m[:, 0] = w[:2]
        m[1, 2] = w[0] * 5
        rec("m", (m, m.requires_grad, m.is_leaf))
        w.grad = None
        m.sum().backward()
        rec.grad("grad2", w.grad)

    compare(prog, torch)


def test_older_views_regenerate_as_as_strided_after_base_write():
    """SEMANTICS 4.4 verbatim, plus every view kind."""
    def prog(lib, rec):
        w = lib.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
        b = w * 2
        v = b[1:3]
        rec("before", v.grad_fn)
        rec("mul", b.mul_(3))
        rec("after", (v, v.grad_fn))
        v.sum().backward()
        rec.grad("grad", w.grad)
        lv = w[1:]
        with lib.no_grad():
            w.mul_(2)
        rec("leaf_view", lv.grad_fn)
        c = lib.arange(6.0, requires_grad=True) * 1
        v1 = c.view(2, 3)
        rec("chain", v1[1][1:].mul_(2))
        rec("fns", (c.grad_fn, v1.grad_fn, c._version, v1._version))

    compare(prog, torch)


@pytest.mark.parametrize("view", sorted(VIEWS) + ["expand", "unbind_no_grad", "alias", "view_dtype_free"])
def test_each_view_kind_regenerates_after_sibling_write(view):
    extra = {
        "expand": lambda b: b[:1, :1].expand(2, 2),
        "unbind_no_grad": lambda b: b.detach().unbind(1)[0],
        "alias": lambda b: b[...],
        "view_dtype_free": lambda b: b.reshape(3, 2)[0],
    }
    make_view = VIEWS.get(view) or extra[view]

    def prog(lib, rec):
        w = lib.arange(1.0, 7.0, requires_grad=True)
        b = (w * 1).view(2, 3)
        v = make_view(b)
        rec("fresh", v.grad_fn)
        b[1, 2] = 0.0  # a sibling write
        rec.run("stale", lambda: v.grad_fn)
        rec.run("cached", lambda: v.grad_fn is v.grad_fn)
        rec.run("repr", lambda: repr(v))
        rec.run("backward", lambda: v.sum().backward())
        rec.grad("grad", w.grad)

    compare(prog, torch)


def test_leaf_written_under_no_grad_regenerates_views():
    def prog(lib, rec):
        w = lib.arange(6.0, requires_grad=True)
        v = w.view(2, 3)[1]
        t = w.t() if w.dim() == 2 else w[::2]
        with lib.no_grad():
            w.add_(1)
            w[0] = 10.0
        rec("versions", (w._version, v._version, t._version))
        rec("v", (v, v.grad_fn, v.grad_fn.next_functions))
        rec("t", (t, t.grad_fn))
        (v * t[:1]).sum().backward()
        rec.grad("grad", w.grad)
        rec("still_leaf", (w.is_leaf, w.grad_fn, w.requires_grad))

    compare(prog, torch)


def test_views_of_views_share_one_version_and_all_become_as_strided():
    def prog(lib, rec):
        w = lib.arange(12.0, requires_grad=True)
        a = w * 1
        v1 = a.view(3, 4)
        v2 = v1.t()
        v3 = v2[1:3]
        v4 = v3.select(1, 0)
        rec("bases", [v._base is a for v in (v1, v2, v3, v4)])
        v4.mul_(lib.tensor([5.0, 7.0], requires_grad=True))
        for i, v in enumerate((a, v1, v2, v3, v4)):
            rec(f"v{i}", (v, v.grad_fn, v._version))
        (a * lib.arange(12.0)).sum().backward()
        rec.grad("grad", w.grad)

    compare(prog, torch)


def test_plain_tensor_written_with_grad_value_becomes_non_leaf():
    def prog(lib, rec):
        w = lib.tensor([1.0, 2.0], requires_grad=True)
        x = lib.zeros(2, 3)
        col = x[:, 1]
        col.copy_(w * 3)
        rec("x", (x, x.grad_fn, x.is_leaf, x.requires_grad))
        rec("col", (col.grad_fn, col.is_leaf))
        row = x[0]
        rec("row", (row.requires_grad, row.grad_fn))
        x.sum().backward()
        rec.grad("grad", w.grad)
        y = lib.zeros(3)
        v = y[1:]
        v.add_(1)  # nothing requires grad: nothing recorded
        rec("plain", (y, y.grad_fn, v.grad_fn, y._version))

    compare(prog, torch)


def test_write_through_view_of_leaf_is_e10_before_any_write():
    def prog(lib, rec):
        w = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        rec.run("leaf", lambda: w.add_(1))
        rec.run("setitem", lambda: w.__setitem__(0, 5.0))
        rec.run("setitem_view_of_view", lambda: w[0:2].__setitem__(1, 5.0))
        rec.run("t_select", lambda: w.view(3, 1).t()[0].zero_())
        rec.run("setitem_all", lambda: w.__setitem__(Ellipsis, 5.0))
        rec.run("setitem_full_slice", lambda: w.__setitem__(slice(None), 5.0))
        rec.run("setitem_none", lambda: w.__setitem__(None, 5.0))
        rec.run("setitem_adv", lambda: w.__setitem__(lib.tensor([0]), 5.0))
        rec.run("view_copy", lambda: w.view(3).copy_(lib.ones(3)))
        rec("untouched", (w, w._version))
        with lib.no_grad():
            w[0] = 0.0
            w.view(3)[1:].mul_(2)
        rec("no_grad_writes", (w, w._version, w.is_leaf, w.grad_fn))

    compare(prog, torch)


def test_view_created_before_base_required_grad_counts_as_leaf():
    """torch's check_inplace reads the stored grad_fn of a view: a view made before its base got
    a history is still a 'leaf' (E9) until its grad_fn is regenerated by a read."""
    def prog(lib, rec):
        p = lib.tensor(2.0, requires_grad=True)
        c = lib.ones(2, 2)
        v = c.t()
        c[0] = p  # c now has a history
        rec.run("stale_leaf_view", lambda: v.mul_(p))
        u = c.t()
        c[1] = p
        rec("regenerate", u.grad_fn)
        rec.run("fresh_view", lambda: u.mul_(p))
        rec("c", c)

    compare(prog, torch)


def test_detach_inplace_refuses_views_e24():
    def prog(lib, rec):
        x = lib.arange(6.0)
        rec.run("plain_view", lambda: x[1:].detach_())
        w = lib.arange(6.0, requires_grad=True)
        y = w * 1
        v = y.view(2, 3)
        rec.run("grad_view", lambda: v.detach_())
        rec.run("leaf_view", lambda: w[:2].detach_())
        with lib.no_grad():
            n = y[1:]
        rec.run("no_grad_view", lambda: n.detach_())
        rec.run("unbind_output", lambda: y.unbind()[0].detach_())
        rec.run("base", lambda: y.detach_() is y)
        rec("after", (y.grad_fn, y.requires_grad, v.grad_fn, v.requires_grad, v._base is y))
        rec.run("view_after_base_detached", lambda: v.sum().backward())
        rec.grad("grad", w.grad)

    compare(prog, torch)


def test_writes_to_expanded_views_raise_internal_overlap():
    def prog(lib, rec):
        x = lib.zeros(3)
        e = x[:1].expand(3)
        for name, thunk in {
            "add_": lambda: e.add_(1),
            "mul_": lambda: e.mul_(2),
            "copy_": lambda: e.copy_(lib.ones(3)),
            "copy_scalar": lambda: e.copy_(lib.tensor(1.0)),
            "fill_tensor": lambda: e.fill_(lib.tensor(1.0)),
            "clamp_": lambda: e.clamp_(0, 1),
            "exp_": lambda: e.exp_(),
            "iadd": lambda: e.__iadd__(1),
            "setitem_slice": lambda: e.__setitem__(slice(None), 2.0),
            "setitem_tensor": lambda: e.__setitem__(slice(None), lib.ones(3)),
            "index_add_": lambda: e.index_add_(0, lib.tensor([0]), lib.ones(1)),
            "scatter_": lambda: e.scatter_(0, lib.tensor([0]), lib.ones(1)),
            "scatter_add_": lambda: e.scatter_add_(0, lib.tensor([0]), lib.ones(1)),
        }.items():
            rec.run(name, thunk)
        rec("untouched", (x, x._version))
        for name, thunk in {
            "fill_scalar": lambda: e.fill_(1.0),
            "zero_": lambda: e.zero_(),
            "setitem_int": lambda: e.__setitem__(1, 2.0),
            "setitem_adv": lambda: e.__setitem__(lib.tensor([0]), 3.0),
            "index_put_": lambda: e.index_put_((lib.tensor([0, 1]),), lib.tensor(4.0)),
            "masked_fill_": lambda: e.masked_fill_(lib.tensor([True, False, False]), 5.0),
        }.items():
            rec.run(name, thunk)
            rec(name + ":x", (x, x._version))
        w = lib.ones(1, requires_grad=True)
        b = w * 1
        rec.run("grad_expand", lambda: b.expand(3).mul_(2))
        rec("b", (b, b._version, b.grad_fn))
        rec.run("unfold_overlapping_ok", lambda: lib.zeros(4).unfold(0, 2, 2).add_(1))
        rec.run("size_one_expand_ok", lambda: lib.zeros(1).expand(1).add_(1))

    compare(prog, torch)


def test_backward_of_copyslices_on_an_expanded_base_raises_internal_overlap():
    """A detached expanded tensor written with a gradient through setitem gets CopySlices; its
    backward copies the gradient into a tensor laid out like the base (stride 0) first, which
    copy_ refuses. Slices and whole writes, with and without retain_graph."""
    def prog(lib, rec):
        for key in (slice(0, 1), slice(None), 1):
            x = lib.tensor(1.5)
            d = x.broadcast_to((2,)).detach()
            w = lib.tensor([0.5] if key != 1 else 0.5, requires_grad=True)
            rec.run(f"{key}:write", lambda: d.__setitem__(key, w if key != slice(None) else w * 2))
            rec(f"{key}:d", (d, d._version, d.grad_fn))
            rec.run(f"{key}:backward", lambda: (d * 2).sum().backward(retain_graph=True))
            rec(f"{key}:w.grad", w.grad)
        x = lib.tensor([1.0, 2.0])
        d = x.expand(2, 2).detach()  # an overlapping base, a non-overlapping view of it
        w = lib.ones(2, requires_grad=True)
        rec.run("row:write", lambda: d.__setitem__(0, w))
        rec.run("row:backward", lambda: d.sum().backward())

    compare(prog, torch)


def test_writes_overlapping_their_input_raise_partial_overlap():
    def prog(lib, rec):
        def fresh():
            return lib.arange(4.0)
        cases = {
            "shifted": lambda x: x[1:].add_(x[:-1]),
            "same_tensor": lambda x: x.add_(x),
            "same_geometry": lambda x: x.add_(x.view(4)),
            "transposed": lambda x: x.view(2, 2).add_(x.view(2, 2).t()),
            "copy_shifted": lambda x: x[1:].copy_(x[:-1]),
            "copy_transposed": lambda x: x.view(2, 2).copy_(x.view(2, 2).t()),
            "setitem_shifted": lambda x: x.__setitem__(slice(1, None), x[:-1]),
            "disjoint": lambda x: x[2:].mul_(x[:2]),
            "element_vs_slice": lambda x: x[:1].add_(x[0]),
            "rank_differs": lambda x: x.view(1, 4).add_(x),
            "not_dense_is_too_hard": lambda x: x.view(2, 2)[:, 0].add_(x.view(2, 2)[:, 1]),
            "index_put_values_alias": lambda x: x.index_put_((lib.tensor([1, 2, 3]),), x[:3]),
            "index_put_same": lambda x: x.index_put_((lib.tensor([0, 1, 2, 3]),), x),
            "masked_fill_value_alias": lambda x: x.masked_fill_(x > 1, x[0]),
            "fill_value_alias": lambda x: x.fill_(x[1]),
        }
        for name, f in cases.items():
            x = fresh()
            rec.run(name, lambda f=f, x=x: f(x))
            rec(name + ":x", (x, x._version))

    compare(prog, torch)


def test_saved_view_written_through_base_reports_as_strided_or_copyslices():
    """SEMANTICS 3.3: version errors name CopySlices / AsStrided for views and bases."""
    def prog(lib, rec):
        w = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        b = w * 1
        y = b * b
        rec("write", b[:2].mul_(2))
        rec.run("base_saved", lambda: y.sum().backward())
        b2 = w * 1
        v = b2[:2]
        y2 = v * v
        rec("write2", b2.add_(1))
        rec.run("view_saved", lambda: y2.sum().backward())
        b3 = w * 1
        v3 = b3[1:]
        z = v3.exp()
        b3[0] = 7.0  # a sibling write leaves the saved output's version stale too
        rec.run("sibling_write", lambda: z.sum().backward())

    compare(prog, torch)


def test_double_backward_through_copyslices():
    def prog(lib, rec):
        w = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        p = lib.tensor([2.0, 3.0], requires_grad=True)
        b = w * w
        b[1:].mul_(p * p)
        g_w, g_p = lib.autograd.grad((b * b).sum(), (w, p), create_graph=True)
        rec.grad("first", (g_w, g_p))
        rec.grad("second", lib.autograd.grad((g_w.sum() + g_p.sum()), (w, p)))

    compare(prog, torch)


def test_retain_grad_follows_regenerated_view_and_copyslices_base():
    def prog(lib, rec):
        w = lib.arange(4.0, requires_grad=True)
        b = w * 1
        b.retain_grad()
        v = b[1:3]
        v.retain_grad()
        v.mul_(2)
        (b * lib.arange(4.0)).sum().backward()
        rec.grad("b_grad", b.grad)
        rec.grad("v_grad", v.grad)
        rec.grad("w_grad", w.grad)

    compare(prog, torch)


def test_in_place_metadata_ops_on_views():
    def prog(lib, rec):
        w = lib.arange(6.0, requires_grad=True)
        b = w * 1
        v = b.view(2, 3)
        rec.run("t_", lambda: v.t_())
        rec("v", (v.shape, v._version, b._version))
        rec.run("unsqueeze_", lambda: b[1:].unsqueeze_(0))
        x = lib.zeros(2, 3)
        xv = x[0]
        rec.run("plain_t_", lambda: xv.unsqueeze_(0).shape)
        rec("x", (x._version, xv._version, xv.stride()))

    compare(prog, torch)


def test_difference_aliased_operands_read_values_before_the_write():
    """docs/differences.md: where torch's overlap check gives up (operands that are not dense),
    torch reads values it has already written; numtorch reads the values from before the write."""
    import numtorch as nt

    x = nt.arange(1.0, 10.0).view(3, 3)
    x.mul_(x[:, 1:2])
    assert x.tolist() == [[2.0, 4.0, 6.0], [20.0, 25.0, 30.0], [56.0, 64.0, 72.0]]
    u = nt.zeros(4)
    u.unfold(0, 2, 1).add_(1)
    assert u.tolist() == [1.0, 1.0, 1.0, 1.0]
    # what torch gives instead (its loop order): the second column read after its own update
    t = torch.arange(1.0, 10.0).view(3, 3)
    t.mul_(t[:, 1:2])
    assert t.tolist() != x.tolist()


def test_requires_grad_flags_of_views_read_the_stored_grad_fn():
    def prog(lib, rec):
        p = lib.tensor(2.0, requires_grad=True)
        c = lib.zeros(3)
        v = c[1:]
        c.mul_(p)
        rec.run("setter_before_regeneration", lambda: setattr(v, "requires_grad", False))
        rec.run("method_before_regeneration", lambda: v.requires_grad_(False).requires_grad)
        rec("regenerated", v.grad_fn)
        rec.run("method_after_regeneration", lambda: v.requires_grad_(False))
        w = lib.ones(4, requires_grad=True)
        b = w * 1
        with lib.no_grad():
            n = b[:2]
        b.add_(1)
        rec.run("stale_no_grad_view", lambda: n.requires_grad_().requires_grad)
        s = b.split(2)[0]
        b.add_(1)
        rec.run("stale_multi_output_view", lambda: s.requires_grad_(False))

    compare(prog, torch)


def test_copyslices_second_backward_raises(same):
    """CopySlices releases its wrapped node after a backward without retain_graph (torch drops
    `fn`): a second backward through it fails with E5, even when the wrapped node saved nothing."""
    def prog(torch, see):
        for write in (lambda v, x: v.add_(1), lambda v, x: v.mul_(x[1:])):
            x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
            y = x.clone()
            write(y[1:], x)
            s = y.sum()
            s.backward()
            see(x.grad)
            try:
                s.backward()
            except RuntimeError as e:
                see(str(e))
        x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = x.clone()
        v = y[1:]
        v.add_(1)
        z = y * 2
        z.sum().backward(retain_graph=True)
        z.sum().backward()
        see(x.grad, type(y.grad_fn).__name__)
        torch.autograd.grad(v.sum(), x)  # through the released CopySlices: E5
    same(prog)
