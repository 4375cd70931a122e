"""Views: metadata, the in-place checks, CopySlices and lazy regeneration of a view's grad_fn.

A view shares its root base's memory and version counter. `_view.version` is the counter value at
which the view's grad_fn was last valid; when the base (or a sibling) was written since, the next
use regenerates the grad_fn as AsStridedBackward0 onto the base's current grad_fn (SEMANTICS 4.4).
Geometry is kept as `index_map`: for each view element, its flat index in the base."""
from __future__ import annotations

import numpy as np

from .._core import messages
from .._core import zerotensor as _zero
from .._core.state import STATE
from .node import FormulaNode, expose_saved, grad_accumulator, node_class
from .saved_tensor import node_short_name
from . import write_guard as _wg

DEFAULT, NO_GRAD, INFERENCE, MULTI_OUTPUT, CUSTOM_FUNCTION = range(5)


class ViewMeta:
    __slots__ = ("base", "creation", "version")

    def __init__(self, base, creation: int, version: int) -> None:
        self.base = base
        self.creation = creation
        self.version = version


def creation_meta(source, multi_output: bool = False) -> int:
    if STATE.inference:
        new = INFERENCE
    elif not STATE.grad_enabled:
        new = NO_GRAD
    else:
        new = MULTI_OUTPUT if multi_output else DEFAULT
    prev = source._view.creation if source._view is not None else DEFAULT
    if new == DEFAULT or prev == INFERENCE:
        return prev
    return new


def attach_view(view, source, multi_output: bool = False) -> None:
    """Mark `view` as a view of `source` (whose root base becomes view._base)."""
    base = source._view.base if source._view is not None else source
    if source._vc is None:
        view._vc = None  # a view of an inference tensor is an inference tensor, not a view (as_view)
        return
    view._vc = source._vc
    view._view = ViewMeta(base, creation_meta(source, multi_output), source._vc.version)


def edge(t):
    """The gradient edge of a tensor: (grad_fn, output_nr), its AccumulateGrad, or (None, 0)."""
    fn = view_grad_fn(t) if t._view is not None else t._grad_fn
    if fn is not None:
        return (fn, t._output_nr)
    if t._requires_grad:
        return (grad_accumulator(t), 0)
    return (None, 0)


def requires_grad(t) -> bool:
    return t._requires_grad or (t._view is not None and t._view.base._requires_grad)


def _view_error(t, indirect: bool) -> RuntimeError:
    vm = t._view
    fn = t._grad_fn
    modified = "its base or another view of its base has been" if indirect else "is being"
    if vm.creation in (NO_GRAD, INFERENCE) or fn is None:
        if fn is not None:
            prefix = (f"Output {t._output_nr} of {node_short_name(fn.name())} is a view of a view "
                      "which was created in")
        else:
            prefix = "A view was created in"
        if vm.creation == INFERENCE:
            msg = f"{prefix} inference mode and {modified} modified inplace in normal mode."
        else:
            msg = f"{prefix} no_grad mode and {modified} modified inplace with grad mode enabled."
    else:
        msg = (f"Output {t._output_nr} of {node_short_name(fn.name())} is a view and {modified} "
               "modified inplace.")
    msg += {MULTI_OUTPUT: messages.VIEW_MULTI_OUTPUT_REASON, NO_GRAD: messages.VIEW_NO_GRAD_REASON,
            INFERENCE: messages.VIEW_INFERENCE_REASON,
            CUSTOM_FUNCTION: messages.VIEW_CUSTOM_FUNCTION_REASON}[vm.creation]
    return RuntimeError(msg)


def check_inplace(t, recording: bool, zero_message: str | None = messages.ZERO_TENSOR_IMMUTABLE) -> None:
    """torch's check_inplace (VariableTypeUtils.h), run before an in-place op writes when it will be
    recorded: view errors (E33-E39, E43), then E10 (view of a leaf), then E9 (leaf). Then the
    ZeroTensor fallback below VariableType refuses any write to a ZeroTensor (`zero_message`:
    copy_ has its own text; None for ops that change only the geometry, t_ or unsqueeze_)."""
    if _wg.TRACKED:  # numtorch's write guard (issue 7): a write through a locked .data alias
        _wg.check_write(t)
    if recording:
        _check_recorded_inplace(t)
    if not t._data.flags.writeable and zero_message and _zero.is_zero(t._data):  # NOTE [ZeroTensor storage]
        raise RuntimeError(zero_message)


def _check_recorded_inplace(t) -> None:
    # E40 (inference tensor) is raised by the op after writing, as torch does
    vm = t._view
    if vm is not None:
        if vm.creation != DEFAULT:
            raise _view_error(t, indirect=False)
        if requires_grad(t) and vm.base._grad_fn is None:
            raise RuntimeError(messages.LEAF_VIEW_INPLACE)
    # is_leaf in C++ reads the stored grad_fn: a view made before its base required grad still
    # counts as a leaf here until something regenerates its grad_fn
    if requires_grad(t) and t._grad_fn is None:
        raise RuntimeError(messages.LEAF_INPLACE)


def touch_grad_fn(t) -> None:
    """What torch's autograd kernel does before a native op's own argument checks: when the op
    will be recorded, it collects its input's gradient edge, so a stale no_grad/multi-output
    view raises E35/E37 first."""
    if t._view is not None and STATE.grad_enabled and requires_grad(t):
        view_grad_fn(t)


def touch_grad_fns(tensors) -> None:
    """touch_grad_fn for every input of a native multi-input op (cat, stack): torch's autograd
    kernel collects all their gradient edges before the kernel's own shape checks run."""
    if STATE.grad_enabled:
        for t in tensors:
            if getattr(t, "_view", None) is not None:
                touch_grad_fn(t)


def edges_first(fn):
    """For a function running an ATen op's own argument checks: when it fails, torch's autograd
    kernel, which runs before those checks, has already collected the inputs' gradient edges, so a
    stale view among the tensor arguments raises its view error instead. Only failing calls pay."""
    def checked(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception:
            touch_grad_fns([a for a in (*args, *kwargs.values()) if getattr(a, "_view", None) is not None])
            raise
    checked.__name__, checked.__doc__ = fn.__name__, fn.__doc__
    return checked


def check_inplace_first(t) -> None:
    """For an in-place op whose own argument check fails: the check torch's autograd kernel makes
    before the kernel runs (E9/E10 and the view errors win over the kernel's error)."""
    check_inplace(t, STATE.grad_enabled and requires_grad(t))


def view_grad_fn(t):
    """torch's VariableHooks::grad_fn for a view: the stored grad_fn, regenerated as
    AsStridedBackward0 when the shared version moved since it was made (E35/E37 instead for
    views that may not be rebased)."""
    vm = t._view
    fn = t._grad_fn
    if fn is None and not vm.base._requires_grad:
        return None
    vc = t._vc
    if vc is not None and vm.version != vc.version:
        if vm.creation != DEFAULT:
            raise _view_error(t, indirect=True)
        regenerate(t)
        fn = t._grad_fn
    return fn


# ---- geometry -------------------------------------------------------------------------------
class Window:
    """What np.asarray turns into an array over existing memory (numpy's as_strided does the
    same): arrays made by `make_view` carry exactly torch's strides (see torch_strides), and
    `base` keeps the source alive and lets _tensor._root_array find the storage."""

    def __init__(self, interface: dict, base: np.ndarray) -> None:
        self.__array_interface__ = interface
        self.base = base


def make_view(a: np.ndarray, shape, strides, offset: int = 0, dtype=None) -> np.ndarray:
    """An array over a's memory read as `dtype` (default a's) with the given sizes, strides and
    offset, all in elements of that dtype (the offset counted from a's first byte)."""
    dt = a.dtype if dtype is None else np.dtype(dtype)
    item = dt.itemsize
    if not _wg.TRACKED and 0 not in strides and 0 not in shape and a.flags.c_contiguous:
        # the common view (of a contiguous array, inside its extent): numpy's constructor over a's
        # buffer, a tenth of the interface route's cost. Its base is a's root array, so the
        # strides are read as they are (torch_strides); zero strides keep the Window marker
        try:
            return np.ndarray(shape, dt, a, offset * item, [s * item for s in strides])
        except (TypeError, ValueError):
            pass  # outside a's own extent (as_strided, a negative offset): the general route
    # numtorch's write guard (issue 7): a view of a guarded alias is guarded too, and is made
    # writeable when the alias is read-only only because the guard locked it
    guarded = _wg.alias_of(a) if _wg.TRACKED else None
    interface = {
        "data": (a.__array_interface__["data"][0] + offset * item,
                 not a.flags.writeable and not (guarded is not None and guarded.locked)),
        "shape": tuple(int(s) for s in shape),
        "strides": tuple(int(s) * item for s in strides),
        "typestr": dt.str,
        "descr": dt.descr,
        "version": 3,
    }
    if guarded is not None:
        out = np.asarray(Window(interface, a))
        _wg.adopt_view(guarded, out)
        return out
    return np.asarray(Window(interface, a))


def torch_strides(a: np.ndarray) -> tuple:
    """a's strides in elements as torch reports them. Arrays made by make_view (views) have
    torch's strides already; numpy's own results may give size-1 dims stride 0 (torch: the next
    dim's size * stride) and empty arrays zero strides (torch: contiguous ones)."""
    item = a.itemsize
    st = tuple(s // item for s in a.strides)
    if 0 not in st or isinstance(a.base, Window):
        return st
    if _wg.TRACKED and _wg.alias_of(a) is not None and isinstance(getattr(a.base, "base", None), Window):
        return st  # the write guard's .data/.numpy() alias of a view: a.view(), the view's strides
    if a.size == 0:
        out = [1] * a.ndim
        for i in range(a.ndim - 2, -1, -1):
            out[i] = out[i + 1] * max(a.shape[i + 1], 1)
        return tuple(out)
    out = list(st)
    for i in range(a.ndim - 1, -1, -1):
        if a.shape[i] == 1 and out[i] == 0:
            out[i] = out[i + 1] * a.shape[i + 1] if i + 1 < a.ndim else 1
    return tuple(out)


def index_map(base_arr: np.ndarray, view_arr: np.ndarray) -> np.ndarray:
    """For every element of view_arr (aliasing base_arr's memory): its flat (C-order) index in
    base_arr, or -1 where the element lies outside base_arr (possible with as_strided)."""
    item = base_arr.itemsize
    start = base_arr.__array_interface__["data"][0]
    from .._tensor import _root_array
    vroot = _root_array(view_arr)
    if vroot is not _root_array(base_arr):
        # the view's .data was replaced: torch applies the view's geometry (sizes, strides,
        # storage offset) to the base's storage
        vitem = view_arr.itemsize
        view_off = _offsets(view_arr, vitem) + (
            view_arr.__array_interface__["data"][0] - vroot.__array_interface__["data"][0]) // vitem
        start = _root_array(base_arr).__array_interface__["data"][0]
        base_off = _offsets(base_arr, item) + (base_arr.__array_interface__["data"][0] - start) // item
        return _lookup(base_off.ravel(), view_off)
    view_off = _offsets(view_arr, item) + (view_arr.__array_interface__["data"][0] - start) // item
    if base_arr.flags.c_contiguous:
        inside = (view_off >= 0) & (view_off < base_arr.size)
        return view_off if inside.all() else np.where(inside, view_off, -1)
    return _lookup(_offsets(base_arr, item).ravel(), view_off)


def _lookup(base_off: np.ndarray, view_off: np.ndarray) -> np.ndarray:
    """For each memory offset in view_off: the flat index of the base element at that offset
    (base_off: the base elements' offsets in C order), or -1."""
    if base_off.size == 0:
        return np.full(view_off.shape, -1, dtype=np.int64)
    lo, hi = int(base_off.min()), int(base_off.max())
    lookup = np.full(hi - lo + 1, -1, dtype=np.int64)
    lookup[base_off - lo] = np.arange(base_off.size)
    rel = view_off - lo
    inside = (rel >= 0) & (rel <= hi - lo)
    return np.where(inside, lookup[np.clip(rel, 0, hi - lo)], -1)


def _offsets(arr: np.ndarray, item: int) -> np.ndarray:
    off = np.zeros(arr.shape, dtype=np.int64)
    for k, (n, s) in enumerate(zip(arr.shape, arr.strides)):
        shape = [1] * arr.ndim
        shape[k] = n
        off = off + (np.arange(n, dtype=np.int64) * (s // item)).reshape(shape)
    return off


# ---- memory overlap (ATen's MemOverlap.cpp) ----------------------------------------------------
def _non_overlapping_and_dense(a: np.ndarray) -> bool:
    item = a.itemsize
    expected = 1
    for stride, size in sorted((s // item, n) for n, s in zip(a.shape, a.strides) if n != 1):
        if stride != expected:
            return False
        expected *= size
    return True


def has_internal_overlap(a: np.ndarray) -> bool:
    """Only the certain case counts (torch's MemOverlap::Yes): a dimension of size > 1 with stride
    0, i.e. an expanded tensor; other overlapping layouts (unfold, as_strided) are 'too hard'."""
    return a.size > 1 and any(s == 0 and n > 1 for n, s in zip(a.shape, a.strides))


def _partial_overlap(out, other) -> bool:
    if out is other:
        return False
    a, b = out._data, other._data
    if a.size == 0 or b.size == 0 or not (_non_overlapping_and_dense(a) and _non_overlapping_and_dense(b)):
        return False
    from .._tensor import _root_array
    if _root_array(a) is not _root_array(b):
        return False
    a0, b0 = a.__array_interface__["data"][0], b.__array_interface__["data"][0]
    a1, b1 = a0 + a.nbytes, b0 + b.nbytes
    if a0 == b0 and a1 == b1:
        return out.stride() != other.stride()  # torch compares the stride vectors, ranks included
    return a0 < b1 and b0 < a1


def check_overlap(out, inputs, internal: bool = True, partial: bool = True) -> None:
    """The checks a TensorIterator-style in-place kernel makes before writing `out`."""
    if internal and has_internal_overlap(out._data):
        raise RuntimeError(messages.INTERNAL_OVERLAP)
    if partial:
        for t in inputs:
            if t is not None and _partial_overlap(out, t):
                raise RuntimeError(messages.PARTIAL_OVERLAP)


# ---- AsStridedBackward0, CopySlices ------------------------------------------------------------
def geometry(t) -> tuple:
    """(sizes, strides, storage offset) of a tensor, as torch's TensorGeometry records them."""
    return tuple(t._data.shape), t.stride(), t.storage_offset()


def _positions(sizes, strides, offset: int) -> np.ndarray:
    """The storage position of every element of a strided geometry, in C order."""
    pos = np.full(tuple(sizes), offset, dtype=np.int64)
    for k, (n, s) in enumerate(zip(sizes, strides)):
        shape = [1] * len(sizes)
        shape[k] = n
        pos = pos + (np.arange(n, dtype=np.int64) * s).reshape(shape)
    return pos


def _maybe_overlapping_memory(sizes, strides) -> bool:
    """torch's _maybe_overlapping_memory (FunctionsManual.cpp): with the dims sorted by stride,
    each stride must reach past everything the smaller ones reach. Size-1 dims are skipped."""
    reach = 0
    for stride, n in sorted((s, n) for n, s in zip(sizes, strides) if n != 1):
        if stride <= reach:
            return True
        reach += stride * (n - 1)
    return False


def _min_storage_size(sizes, strides, offset: int) -> int:
    return offset + 1 + sum((n - 1) * s for n, s in zip(sizes, strides))


def as_strided_grad(grad, input_geometry, size, stride, storage_offset):
    """torch's as_strided_backward (FunctionsManual.cpp), which decides the gradient's layout too:
    the output geometry's gradient is added into a fresh zero "storage" covering both geometries
    (their common offset removed), divided by how often the input geometry sees each element when
    that may overlap, and returned as an as_strided view of that storage with the input's sizes,
    strides and offset. So the gradient is a view (a no_grad one when backward runs without
    create_graph) at version 1 (2 after the division). An empty input or output gives plain
    zeros. The scatter is the differentiable _scatter_flat (AsStridedBackwardBackward0)."""
    in_sizes, in_strides, in_offset = input_geometry
    offset = in_offset if storage_offset is None else int(storage_offset)
    if 0 in tuple(size) or 0 in in_sizes:
        from .._ops.creation import zeros
        out = zeros(in_sizes, dtype=grad.dtype)
        out._bump_version()  # (torch 2.13's gradient is at version 1 here too)
        return out
    shared = min(in_offset, offset)
    in_offset, offset = in_offset - shared, offset - shared
    # the output's stride-0 dims are summed over first (torch's grad.sum(i)): they take no room
    out_dims = [(n, s) for n, s in zip(size, stride) if s != 0]
    base_size = max(_min_storage_size(in_sizes, in_strides, in_offset),
                    _min_storage_size([n for n, _ in out_dims], [s for _, s in out_dims], offset))
    storage = grad._scatter_flat(_positions(size, stride, offset), (base_size,))
    storage._bump_version()  # torch writes the storage in place (copy_/index_add_): version 1
    if _maybe_overlapping_memory(in_sizes, in_strides):
        from .._tensor import Tensor
        count = np.zeros(base_size, dtype=storage._data.dtype)
        np.add.at(count, _positions(in_sizes, in_strides, in_offset).reshape(-1), 1)
        storage.div_(Tensor._make(count))  # in place, as torch: NaN where the input sees nothing
    return storage.as_strided(in_sizes, in_strides, in_offset)


def _as_strided_formula(ctx, grad):
    return as_strided_grad(grad, ctx.self_geometry, ctx.size, ctx.stride, ctx.storage_offset)


AsStridedBackward0 = node_class("AsStridedBackward0", _as_strided_formula)
# attributes set after recording (NOTE [Saved attributes])
expose_saved("self_geometry", "size", "stride", "storage_offset", "index", "overlapping", "storage_error")


def regenerate(t) -> None:
    """Give view t a fresh AsStridedBackward0 pointing at its base's current gradient edge; a
    retain_grad() moves to the new node, other tensor hooks stay on the old one (torch's
    update_tensor_hooks_on_new_gradfn)."""
    base = t._view.base
    node = AsStridedBackward0()
    node.next_functions = (edge(base),)
    node._out_meta = ((t._data.shape, t._dtype),)
    # torch's VariableHooks::grad_fn: the base's geometry and the view's sizes, strides, offset
    node._attrs = {"self_geometry": geometry(base), "size": tuple(t._data.shape), "stride": t.stride(),
                   "storage_offset": t.storage_offset()}
    t._grad_fn = node
    t._output_nr = 0
    t._requires_grad = True
    t._view.version = t._vc.version
    if t._retains_grad:
        node._set_retain_grad(0, t)


def _copy_slices_storage_error(base, view):
    """torch's CopySlices applies the view's geometry to a gradient laid out like the base
    (result.as_strided(view sizes, strides, offset - base offset)): after the view's .data was
    replaced by a larger tensor, that is out of bounds (setStorage's error, raised in backward)."""
    sizes, strides = tuple(view.shape), view.stride()
    offset = view.storage_offset() - base.storage_offset()
    item = view._data.itemsize
    if offset < 0 or not all(sizes):
        return None
    need = (offset + sum((n - 1) * s for n, s in zip(sizes, strides)) + 1) * item
    have = 0
    if all(base.shape):
        have = (sum((n - 1) * s for n, s in zip(base.shape, base.stride())) + 1) * base._data.itemsize
    if need <= have:
        return None
    return messages.SET_STORAGE_OUT_OF_BOUNDS.format(
        size=list(sizes), stride=list(strides), offset=offset, itemsize=item, need=need, have=have)


class CopySlices(FormulaNode):
    """Base history after an in-place op on one of its views: the op's node applied to the
    gradient of the written region, the rest of the base's gradient passed through."""
    __slots__ = ("fn", "_released")

    def __init__(self) -> None:
        super().__init__()
        self._released = False  # torch's release_variables() drops fn: a second backward raises E5

    def name(self) -> str:
        return "torch::autograd::CopySlices"

    def apply(self, grads):
        grad = grads[0]
        if grad is None:
            return (None,) * len(self.next_functions)
        if self._released:
            raise RuntimeError(messages.FREED_GRAPH)
        storage_error = self._attrs.get("storage_error")
        if storage_error is not None:
            raise RuntimeError(storage_error)
        idx = self._attrs["index"]
        res = self.fn.apply([grad._gather_flat(idx)])
        region = res[0]
        if region is not None and self._attrs["overlapping"]:
            # torch copies the region's gradient back through the (expanded) view: copy_ refuses
            raise RuntimeError(messages.INTERNAL_OVERLAP)
        base_grad = grad._put_flat(idx, region if region is not None else 0.0)
        return (base_grad,) + tuple(res[1:])

    def release(self) -> None:
        self.fn.release()
        self._released = True


def rebase_history(view, fn) -> None:
    """After in-place op `fn` (whose first input is `view`) wrote through a view: the base gets a
    CopySlices, the view an AsStridedBackward0 onto it (torch's rebase_history)."""
    base = view._view.base
    cs = CopySlices()
    cs.fn = fn
    cs.next_functions = (edge(base),) + fn.next_functions[1:]
    cs._out_meta = ((base._data.shape, base._dtype),)
    cs._attrs = {"index": index_map(base._data, view._data),
                 "overlapping": has_internal_overlap(view._data)}
    from .._tensor import _root_array
    if has_internal_overlap(base._data):
        # torch's CopySlices first copies the gradient into a tensor with the base's strides
        # (new_empty_strided): an expanded base makes that copy_ refuse, before anything else
        cs._attrs["storage_error"] = messages.INTERNAL_OVERLAP
    elif _root_array(view._data) is not _root_array(base._data):  # the view's .data was replaced
        cs._attrs["storage_error"] = _copy_slices_storage_error(base, view)
    base._grad_fn = cs
    base._output_nr = 0
    base._requires_grad = True
    if base._retains_grad:
        cs._set_retain_grad(0, base)
    regenerate(view)
