"""View ops (SEMANTICS 1.1, 4.1, 4.2): which ops return views, `_base`, shared storage and
geometry (data_ptr, storage_offset, stride), shared `_version`, grad_fn names, gradients and
double gradients through every view, and the errors of view ops. Every test runs the same program
under torch and numtorch and compares everything it records."""
from __future__ import annotations

import os
import sys

import pytest

torch = pytest.importorskip("torch")

sys.path.insert(0, os.path.dirname(__file__))
from _differential import compare  # noqa: E402

# name -> view op applied to a (3, 4) tensor
VIEW_OPS = {
    "view": lambda x: x.view(4, 3),
    "view_infer": lambda x: x.view(-1),
    "view_as": lambda x: x.view_as(x.new_zeros(2, 6)),
    "reshape_view": lambda x: x.reshape(2, 6),
    "flatten": lambda x: x.flatten(),
    "unflatten": lambda x: x.unflatten(1, (2, 2)),
    "squeeze_all": lambda x: x[None, :, None].squeeze(),
    "squeeze_dim": lambda x: x[None].squeeze(0),
    "squeeze_dim_not_one": lambda x: x.squeeze(1),
    "squeeze_dims": lambda x: x[None, :, None].squeeze((0, 2)),
    "unsqueeze": lambda x: x.unsqueeze(1),
    "unsqueeze_last": lambda x: x.unsqueeze(-1),
    "t": lambda x: x.t(),
    "T": lambda x: x.T,
    "mT": lambda x: x.mT,
    "transpose": lambda x: x.transpose(0, 1),
    "swapaxes": lambda x: x.swapaxes(1, 0),
    "swapdims": lambda x: x.swapdims(0, -1),
    "permute": lambda x: x.permute(1, 0),
    "movedim": lambda x: x.movedim(0, 1),
    "expand": lambda x: x[:, :1].expand(3, 5),
    "expand_new_dims": lambda x: x[0].expand(2, 2, 4),
    "expand_as": lambda x: x[:1].expand_as(x),
    "broadcast_to": lambda x: x[1].broadcast_to((3, 4)),
    "narrow": lambda x: x.narrow(1, 1, 2),
    "narrow_negative_start": lambda x: x.narrow(0, -2, 2),
    "select": lambda x: x.select(1, 2),
    "select_negative": lambda x: x.select(0, -1),
    "diagonal": lambda x: x.diagonal(),
    "diagonal_offset": lambda x: x.diagonal(1),
    "diagonal_negative_offset": lambda x: x.diagonal(-1, 1, 0),
    "as_strided": lambda x: x.as_strided((2, 2), (1, 2), 1),
    "as_strided_default_offset": lambda x: x[1:].as_strided((2, 3), (4, 1)),
    "unfold": lambda x: x.unfold(1, 2, 1),
    "unfold_step": lambda x: x.unfold(0, 2, 2),
    "unbind": lambda x: x.unbind(1)[2],
    "split": lambda x: x.split(3, 1)[1],
    "split_sections": lambda x: x.split([1, 3], 1)[1],
    "split_with_sizes": lambda x: x.split_with_sizes([1, 2], 0)[1],
    "chunk": lambda x: x.chunk(2, 1)[1],
    "chunk_uneven": lambda x: x.chunk(2, 0)[1],
    "tensor_split": lambda x: x.tensor_split(3, 1)[1],
    "tensor_split_indices": lambda x: x.tensor_split([1, 3], 1)[2],
    "getitem_int": lambda x: x[1],
    "getitem_int_int": lambda x: x[1, 2],
    "getitem_slice": lambda x: x[1:],
    "getitem_step": lambda x: x[:, ::2],
    "getitem_none": lambda x: x[None],
    "getitem_none_int": lambda x: x[None, 1],
    "getitem_ellipsis": lambda x: x[...],
    "getitem_full_slice": lambda x: x[:],
    "getitem_full_tuple": lambda x: x[:, :],
    "getitem_ellipsis_int": lambda x: x[..., 1],
    "getitem_out_of_range_slice": lambda x: x[5:9],
    "getitem_negative": lambda x: x[-1, -3:],
    "view_of_view": lambda x: x.t()[1:].select(1, 0),
    "slice_of_transpose": lambda x: x.t()[1:3],
}


@pytest.mark.parametrize("name", sorted(VIEW_OPS))
def test_view_op_aliases_its_base_with_torch_geometry(name):
    op = VIEW_OPS[name]

    def prog(lib, rec):
        w = lib.arange(12.0, requires_grad=True)
        x = (w * 1).view(3, 4)
        v = op(x)
        rec.tensor("view", v)
        rec("is_view", v._is_view())
        rec("base_is_root", v._base is x)
        rec("data_ptr_offset", v.data_ptr() - x.data_ptr() if v.numel() else v.data_ptr())
        rec("same_storage", v.untyped_storage().data_ptr() == x.untyped_storage().data_ptr())
        rec("version", (v._version, x._version))
        rec("next_functions", v.grad_fn)

    compare(prog, torch)


@pytest.mark.parametrize("name", sorted(VIEW_OPS))
def test_gradient_and_double_gradient_through_view(name):
    op = VIEW_OPS[name]

    def prog(lib, rec):
        w = lib.arange(12.0, requires_grad=True)
        v = op((w * w).view(3, 4))
        weights = lib.arange(float(v.numel())).reshape(v.shape)
        (v * weights).sum().backward(retain_graph=True)
        rec.grad("grad", w.grad)
        g, = lib.autograd.grad((v * v).sum(), w, create_graph=True)
        rec.grad("first", g)
        g2, = lib.autograd.grad((g * g).sum(), w)
        rec.grad("second", g2)

    compare(prog, torch)


@pytest.mark.parametrize("name", sorted(VIEW_OPS))
def test_view_of_leaf_is_non_leaf_with_leaf_base(name):
    op = VIEW_OPS[name]

    def prog(lib, rec):
        w = lib.arange(12.0, requires_grad=True)
        v = op(w.view(3, 4))
        rec("view", v)
        rec("leaf", (v.is_leaf, v.requires_grad, v._base is w))

    compare(prog, torch)


@pytest.mark.parametrize("name", sorted(VIEW_OPS))
def test_view_shares_version_counter_both_ways(name):
    op = VIEW_OPS[name]

    def prog(lib, rec):
        x = lib.arange(12.0).view(3, 4).clone()
        v = op(x)
        x.add_(1)
        rec("after_base_write", (v._version, x._version))
        rec("view_sees_write", v)
        d = v.detach()
        d.mul_(2) if not name.startswith(("expand", "broadcast", "unfold", "as_strided")) else d.zero_()
        rec("after_detached_view_write", (v._version, x._version, d._version))
        rec("base_sees_write", x)

    compare(prog, torch)


NOT_VIEWS = {
    "advanced_list": lambda x: x[[0, 1]],
    "advanced_tensor": lambda x: x[x.new_tensor([0, 2]).long()],
    "mask": lambda x: x[x > 3],
    "clone": lambda x: x.clone(),
    "flip": lambda x: x.flip(0),
    "reshape_copy": lambda x: x.t().reshape(12),
    "flatten_copy": lambda x: x.t().flatten(),
    "detach": lambda x: x.detach(),
    "contiguous_copy": lambda x: x.t().contiguous(),
}


@pytest.mark.parametrize("name", sorted(NOT_VIEWS))
def test_copying_ops_are_not_views(name):
    op = NOT_VIEWS[name]

    def prog(lib, rec):
        w = lib.arange(12.0, requires_grad=True)
        x = (w * 1).view(3, 4)
        r = op(x)
        rec("result", r)
        rec("view", (r._is_view(), r._base is None))
        rec("own_memory", r.data_ptr() != x.data_ptr() or name == "detach")

    compare(prog, torch)


def test_reshape_that_must_copy_records_unsafe_view_after_clone():
    def prog(lib, rec):
        w = lib.arange(6.0, requires_grad=True)
        r = w.view(2, 3).t().reshape(6)
        rec("r", r)
        rec("graph", r.grad_fn)
        (r * lib.arange(6.0)).sum().backward()
        rec.grad("grad", w.grad)

    compare(prog, torch)


def test_view_of_non_contiguous_input_raises_view_size_error():
    def prog(lib, rec):
        x = lib.arange(12.0).view(3, 4).t()
        for shape in [(12,), (2, 6), (4, 3), (4, 1, 3), (2, 2, 3), (1, 4, 3, 1)]:
            rec.run(f"view{shape}", lambda shape=shape: x.view(*shape))
        rec.run("reshape", lambda: x.reshape(12)._is_view())
        y = lib.arange(24.0).view(2, 3, 4)[:, :, ::2]
        rec.run("strided", lambda: y.view(6, 2))
        rec.run("strided_ok", lambda: y.view(2, 3, 2, 1))

    compare(prog, torch)


def test_view_and_reshape_shape_errors():
    def prog(lib, rec):
        x = lib.arange(12.0)
        rec.run("bad_numel", lambda: x.view(5))
        rec.run("two_inferred", lambda: x.view(-1, -1))
        rec.run("negative", lambda: x.view(-2, 6))
        rec.run("reshape_bad", lambda: x.reshape(5, 3))
        rec.run("ambiguous_zero", lambda: lib.zeros(0, 3).view(-1, 0))
        rec.run("zero_ok", lambda: lib.zeros(0, 3).view(3, 0, 1))
        rec.run("scalar", lambda: lib.tensor(1.0).view(-1))
        rec.run("to_scalar", lambda: lib.ones(1).view(()))

    compare(prog, torch)


def test_view_op_argument_errors_match_torch():
    def prog(lib, rec):
        x = lib.arange(12.0).view(3, 4)
        cases = {
            "t_3d": lambda: lib.zeros(2, 2, 2).t(),
            "permute_len": lambda: x.permute(0),
            "permute_dup": lambda: x.permute(0, 0),
            "transpose_range": lambda: x.transpose(0, 2),
            "squeeze_range": lambda: x.squeeze(3),
            "squeeze_dup": lambda: x.squeeze((0, 0)),
            "unsqueeze_range": lambda: x.unsqueeze(3),
            "narrow_past_end": lambda: x.narrow(0, 2, 2),
            "narrow_negative_length": lambda: x.narrow(0, 0, -1),
            "narrow_start_range": lambda: x.narrow(0, 4, 0),
            "select_range": lambda: x.select(0, 3),
            "select_negative_range": lambda: x.select(1, -5),
            "diagonal_same_dims": lambda: x.diagonal(0, 0, 0),
            "diagonal_far_offset": lambda: x.diagonal(10),
            "unfold_too_big": lambda: x.unfold(0, 5, 1),
            "unfold_step_zero": lambda: x.unfold(0, 2, 0),
            "expand_fewer_sizes": lambda: x.expand(4),
            "expand_mismatch": lambda: x.expand(3, 5),
            "expand_negative_leading": lambda: x.expand(-1, 3, 4),
            "split_zero": lambda: x.split(0),
            "split_negative": lambda: x.split(-1),
            "split_sizes_sum": lambda: x.split_with_sizes([1, 1]),
            "split_sizes_negative": lambda: x.split_with_sizes([4, -1]),
            "chunk_zero": lambda: x.chunk(0),
            "chunk_scalar": lambda: lib.tensor(1.0).chunk(1),
            "unbind_scalar": lambda: lib.tensor(1.0).unbind(),
            "tensor_split_zero": lambda: x.tensor_split(0),
            "movedim_repeated": lambda: x.movedim((0, 0), (1, 0)),
            "movedim_lengths": lambda: x.movedim((0, 1), (1,)),
            "flatten_order": lambda: x.flatten(1, 0),
            "unflatten_product": lambda: x.unflatten(1, (3, 2)),
            "as_strided_negative_stride": lambda: x.as_strided((2,), (-1,)),
            "as_strided_out_of_storage": lambda: x.as_strided((20,), (1,)),
            "as_strided_lengths": lambda: x.as_strided((2, 2), (1,)),
            "as_strided_negative_offset": lambda: x.as_strided((2,), (1,), -1),
            "mT_vector": lambda: lib.zeros(3).mT,
        }
        for name, thunk in cases.items():
            rec.run(name, thunk)

    compare(prog, torch)


def test_empty_views_keep_torch_offsets_and_strides():
    def prog(lib, rec):
        x = lib.arange(6.0).view(2, 3).clone()
        for name, v in {
            "slice_at_end": x[:, 3:],
            "slice_past_end": x[:, 5:9],
            "narrow_empty": x.narrow(1, 3, 0),
            "split_last_empty": x.split_with_sizes([3, 0], 1)[1],
            "diagonal_empty": x.diagonal(5),
            "chunk_rows": x[:0].chunk(3, 0)[2],
        }.items():
            rec.tensor(name, v)

    compare(prog, torch)


_T_SCRIPT = """
import sys, warnings
lib = __import__(sys.argv[1])
warnings.simplefilter("always")
with warnings.catch_warnings(record=True) as caught:
    shapes = [lib.arange(3.0).T.shape, lib.zeros(2, 3, 4).T.stride(), lib.zeros(2, 3).T.stride()]
    x = lib.tensor(2.0)
    same = [x.T is x, x.mT is x, x.T._is_view(), lib.zeros(2, 2, 2).T.shape]
    again = [lib.zeros(5).T.shape, lib.tensor(1.0).T.shape, lib.tensor(1.0).mT.shape]
print(repr((shapes, same, again)))
for w in caught:
    print(str(w.message).split(" (Triggered internally at")[0])
"""


def test_tensor_T_on_other_ranks_warns_once_per_process_and_reverses_dims():
    """torch warns the T/mT deprecations once per process: checked in fresh interpreters."""
    import subprocess

    def run(name):
        return subprocess.run([sys.executable, "-c", _T_SCRIPT, name], capture_output=True, text=True,
                              check=True).stdout

    expected = run("torch")
    assert expected.count("\n") == 4  # one result line and three distinct warnings, once each
    assert run("numtorch") == expected


def test_view_dtype_shares_memory_and_version_but_is_not_a_view():
    def prog(lib, rec):
        x = lib.arange(4.0)
        v = x.view(lib.int32)
        rec("is_view", (v._is_view(), v._base is None, v.data_ptr() == x.data_ptr()))
        x.add_(1)
        rec("version", (v._version, x._version))
        w = lib.ones(2, requires_grad=True)
        rec("no_grad", w.view(lib.int32).requires_grad)

    compare(prog, torch)


def test_views_made_under_no_grad_require_grad_of_their_root_base():
    def prog(lib, rec):
        w = lib.arange(6.0, requires_grad=True)
        b = w * 2
        with lib.no_grad():
            views = [w[1:3], w.view(2, 3), b.t() if b.dim() == 2 else b[::2], b.unsqueeze(0)]
        for i, v in enumerate(views):
            rec(f"v{i}", (v.requires_grad, v.grad_fn, v.is_leaf, v._is_view(), v._base is w))
        with lib.inference_mode():
            iv = b[1:]
        rec("inference_view", (iv.requires_grad, iv.is_inference(), iv._base is b))
        plain = lib.arange(3.0).view(3)
        leaf_view = plain.requires_grad_()
        with lib.no_grad():
            nested = leaf_view[1:]
        rec("view_of_leaf_view", (nested.requires_grad, nested._base is plain._base))

    compare(prog, torch)


def test_unbind_and_split_outputs_record_multi_output_nodes():
    def prog(lib, rec):
        w = lib.arange(6.0, requires_grad=True)
        b = w.view(2, 3) * 1
        outs = b.unbind(1)
        rec("unbind", [o.grad_fn for o in outs])
        rec("output_nr", [o.output_nr for o in outs])
        rec("same_node", outs[0].grad_fn is outs[2].grad_fn)
        parts = b.split(2, 1)
        rec("split", parts)
        (outs[1] * 3).sum().backward(retain_graph=True)
        (parts[1] * 5).sum().backward()
        rec.grad("grad", w.grad)
        rec("chunk_empty", [p.shape for p in lib.zeros(0, 2).chunk(3, 0)])

    compare(prog, torch)


def test_unused_multi_output_gradients_are_zero_filled():
    def prog(lib, rec):
        w = lib.arange(6.0, requires_grad=True)
        a, b_, c = (w * 1).split([1, 2, 3])
        g, = lib.autograd.grad(b_.sum(), w, create_graph=True)
        rec.grad("grad", g)
        g2, = lib.autograd.grad((c * c).sum(), w, create_graph=True)
        rec.grad("double", lib.autograd.grad((g2 * g2).sum(), w))

    compare(prog, torch)


def test_as_strided_reaching_outside_its_input_gets_no_gradient_there():
    def prog(lib, rec):
        w = lib.arange(8.0, requires_grad=True)
        b = w * 1
        v = b[2:5].as_strided((4,), (1,), 0)
        rec.tensor("v", v)
        (v * lib.arange(1.0, 5.0)).sum().backward()
        rec.grad("grad", w.grad)

    compare(prog, torch)


def test_overlapping_views_accumulate_gradients():
    def prog(lib, rec):
        w = lib.arange(5.0, requires_grad=True)
        u = (w * 1).unfold(0, 3, 1)
        (u * lib.arange(9.0).view(3, 3)).sum().backward()
        rec.grad("unfold", w.grad)
        w.grad = None
        e = (w * 1)[:2].expand(3, 2)
        (e * lib.arange(6.0).view(3, 2)).sum().backward()
        rec.grad("expand", w.grad)
        w.grad = None
        s = (w * 1).as_strided((3, 2), (1, 1))
        (s * lib.arange(6.0).view(3, 2)).sum().backward()
        rec.grad("as_strided", w.grad)

    compare(prog, torch)


def test_view_dtype_with_other_element_sizes():
    def prog(lib, rec):
        x = lib.arange(6.0).view(2, 3)
        cases = {
            "odd_last_dim": lambda: x.view(lib.float64),
            "to_double": lambda: lib.arange(8.0).view(2, 4).view(lib.float64),
            "to_half": lambda: x.view(lib.float16),
            "to_bytes": lambda: x.view(lib.uint8),
            "to_bool": lambda: x.view(lib.bool),
            "scalar": lambda: lib.tensor(1.0).view(lib.int64),
            "scalar_smaller": lambda: lib.tensor(1.0).view(lib.int16),
            "transposed_up": lambda: lib.arange(8.0).view(2, 4).t().view(lib.float64),
            "transposed_down": lambda: lib.arange(8.0).view(2, 4).t().view(lib.float16),
            "odd_offset": lambda: lib.arange(8.0)[1:5].view(lib.float64),
            "even_offset": lambda: lib.arange(8.0)[2:6].view(lib.float64),
            "row_step": lambda: lib.arange(16.0).view(4, 4)[::2].view(lib.float64),
            "odd_row_stride": lambda: lib.arange(12.0).view(4, 3)[:, :2].view(lib.float64),
        }
        for name, thunk in cases.items():
            r = rec.run(name, thunk)
            if r is not None:
                rec(name + ":geometry", (r.stride(), r.storage_offset(), r._is_view(), r.requires_grad))
        y = lib.arange(4.0)
        b = y.view(lib.int32)
        b[0] = 1065353216  # the bits of 1.0f
        rec("shared_memory", (y, y._version, b._version))

    compare(prog, torch)


def test_as_strided_backward_returns_a_view():
    """torch's as_strided_backward scatters into a fresh flat storage and returns an as_strided
    view of it: the gradient is a view (AsStridedBackward0 under create_graph), zeros when empty;
    add_ into it then rebases it."""
    def prog(lib, rec):
        for shape in ((), (3,), (2, 3), (0,), (2, 0)):
            for create in (False, True):
                b = lib.zeros(shape, requires_grad=True)
                t = b.view(shape)
                with lib.no_grad():
                    t.add_(1)
                g, = lib.autograd.grad((t * t).sum(), [b], create_graph=create)
                rec("grad", g)
                rec("base", None if not g._is_view() else tuple(g._base.shape))
        b = lib.zeros(2, 3, requires_grad=True)
        g, = lib.autograd.grad(b.t().as_strided((3, 2), (1, 3)).sum(), [b])
        rec("as_strided", (g, None if not g._is_view() else tuple(g._base.shape)))
        for create in (False, True):  # made in no_grad mode unless create_graph
            x = lib.tensor(1.5, requires_grad=True)
            v = x.view(())
            with lib.no_grad():
                v.mul_(2)
            g, = lib.autograd.grad(v * 1, [x], create_graph=create)
            rec.run("add_", lambda g=g, v=v: g.add_(v))
            rec("add_ grad_fn", (g, g.grad_fn and g.grad_fn.name()))
    compare(prog, torch)


def test_as_strided_backward_gradient_has_the_input_geometry():
    """torch's as_strided_backward sizes its storage to cover both geometries (common offset
    removed) and returns it viewed with the input's sizes, strides and offset; an input that may
    overlap itself divides by the count (version 2, the expanded layout kept). A regenerated
    view's AsStridedBackward0 uses its base's geometry. Checked: values, strides, offset, the
    storage's size and version, no_grad view-ness, and the errors later ops raise."""
    def prog(lib, rec):
        def show(label, g):
            rec.tensor(label, g)
            b = g._base
            rec(label + ":base", None if b is None else (tuple(b.shape), b.stride(), b._version,
                                                         b.requires_grad, g._version))
            rec.run(label + ":view-1", lambda: g.view(-1))
            rec.run(label + ":mul_", lambda: g.mul_(lib.ones((), dtype=g.dtype, requires_grad=True)))

        cases = {
            "transposed": lambda x: (x.t(), lambda v: v.as_strided((2, 2), (1, 4), 1)),
            "offset_input": lambda x: (x[1:], lambda v: v.as_strided((2, 2), (4, 1), 3)),
            "offset_beyond": lambda x: (x[1:], lambda v: v.as_strided((2,), (1,), 0)),
            "outside_input": lambda x: (x[0, :2], lambda v: v.as_strided((4,), (1,), 3)),
            "overlapping_output": lambda x: (x, lambda v: v.as_strided((3, 3), (1, 1), 0)),
            "expanded_output": lambda x: (x, lambda v: v.as_strided((3, 3), (0, 1), 0)),
            "expanded_input": lambda x: (x[:1, :2].expand(3, 2), lambda v: v.as_strided((2, 2), (1, 1), 0)),
            "maybe_overlapping_input": lambda x: (x.view(-1).as_strided((3, 2), (2, 3)),
                                                  lambda v: v.as_strided((2,), (1,), 0)),
            "scalar_input": lambda x: (x[0, 0], lambda v: v.as_strided((2,), (0,), 0)),
            "empty_output": lambda x: (x, lambda v: v.as_strided((0, 2), (1, 1), 0)),
        }
        for name, make in cases.items():
            for create in (False, True):
                a = lib.arange(1.0, 13.0, dtype=lib.float64).reshape(3, 4).requires_grad_()
                x, op = make(a * 1)
                out = op(x)
                go = lib.arange(1.0, out.numel() + 1.0, dtype=lib.float64).reshape(out.shape)
                go.requires_grad_(create)
                g, = lib.autograd.grad(out, x, go, create_graph=create)
                show(f"{name}:{create}", g)
                if create:  # double backward: the gradient's own graph, back to grad_outputs
                    rec.grad(f"{name}:double", lib.autograd.grad(
                        (g.detach().abs() + 1).mul(g).sum(), go, allow_unused=True, materialize_grads=True))
        rec("saved", [(fn._saved_size, fn._saved_stride, fn._saved_storage_offset)
                      for fn in ((lib.ones(6, requires_grad=True) * 1).as_strided((2, 2), (2, 1)).grad_fn,)])
        # a view regenerated after a write through a sibling: the base's (transposed) geometry
        a = lib.arange(1.0, 13.0, dtype=lib.float64).reshape(3, 4).requires_grad_()
        b = a.t() * 2
        v = b[1:, 1:]
        b[:, 0].mul_(3)
        rec("regenerated", (v.grad_fn.name(), v.grad_fn._saved_size, v.grad_fn._saved_stride,
                            v.grad_fn._saved_storage_offset))
        g, = lib.autograd.grad(v, b, lib.ones(3, 2, dtype=lib.float64))
        show("regenerated", g)
    compare(prog, torch)


@pytest.mark.parametrize("new_shape", [(7,), (3, 3), (4,), (6,), (0,)])
@pytest.mark.parametrize("row", [0, 1])
@pytest.mark.parametrize("through_base", [False, True])
def test_copy_slices_applies_replaced_view_geometry_to_base_storage(same, new_shape, row, through_base):
    """After `view.data = ` a tensor larger than the base's storage, an in-place op on the view
    records CopySlices; its backward applies the view's geometry to a base-sized gradient:
    setStorage's out-of-bounds error (numtorch/_autograd/views.py rebase_history)."""
    def prog(torch, see):
        w = torch.ones(2, 3, requires_grad=True)
        b = w * 2
        v = b[row]
        v.data = torch.ones(new_shape)
        v.mul_(3)
        (b if through_base else v).sum().backward()
        see(w.grad)
    same(prog)
