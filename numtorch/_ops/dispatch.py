"""Op: one declaration = kernel + node name + derivative formulas; calling it runs the kernel and,
when grad mode is on and an input requires grad, records a node that saves exactly the inputs
(and result) its formulas name — as derivatives.yaml codegen does.

A formula is `lambda c, g: ...` over saved tensors/attributes `c.self`, `c.other`, `c.result`,
`c.<attr>`, and the incoming gradient g, written with numtorch ops so double backward works.
Broadcast gradients are not reduced here: the engine does that for every node."""
from __future__ import annotations

import numpy as np

from .._autograd import lifetime as _lifetime, provenance as _provenance, views
from .._autograd.node import expose_saved, exposes_all, node_class
from .._autograd.saved_tensor import SavedTensor
from .._core import dtypes as dt
from .._core import messages
from .._core import zerotensor as _zero
from .._core.fp_state import quiet as _fp_quiet, restore as _fp_restore
from .._core.state import STATE
from .._tensor import Tensor
from . import layout as _layout

_edge = views.edge
_requires_grad = views.requires_grad
_make = Tensor._make
expose_saved("shapes", "strides")  # the attributes every record adds (NOTE [Saved attributes])


# the dtype of a wrapped Python number by its exact type: one dict lookup on the hot path (numpy
# scalars and subclasses of the builtins take the isinstance chain)
_WRAPPED_NP = {float: np.dtype(np.float64), int: np.dtype(np.int64), bool: np.dtype(np.bool_),
               complex: np.dtype(np.complex128)}


def wrap_scalar(x) -> Tensor:
    """A Python number as a 0-d 'wrapped number' tensor (it loses to tensors in promotion)."""
    if isinstance(x, Tensor):
        return x
    npd = _WRAPPED_NP.get(type(x))
    if npd is not None:
        a = np.array(x, npd)
    elif isinstance(x, (bool, np.bool_)):
        a = np.array(x, dtype=np.bool_)
    elif isinstance(x, (int, np.integer)):
        a = np.array(x, dtype=np.int64)
    elif isinstance(x, (float, np.floating)):
        a = np.array(x, dtype=np.float64)
    elif isinstance(x, complex):
        a = np.array(x, dtype=np.complex128)
    else:
        raise TypeError(f"expected Tensor or number, but got {type(x).__name__}")
    t = _make(a)
    t._wrapped = True
    return t


# A Python number beside a floating tensor x (x * 2.0, x + 1) goes to the kernel as np.array(v,
# x's dtype), without the wrapped tensor: the same bits as the wrapped float64/int64/bool/complex128
# number cast to that dtype (one rounding either way; an int beyond 2**53 would round twice through
# float64, so larger ints are wrapped). Op._with_number.
_NUMBER_CATEGORY = {bool: 0, int: 1, float: 2, complex: 3}
_INT_EXACT = 2 ** 53
_NO_EDGE = (None, 0)  # a wrapped number's gradient edge
# stands in ts for a number nothing saves: _record and relayout read only its shape and strides ()
_NUMBER_SHAPE = wrap_scalar(0.0)




def can_cast(frm: dt.dtype, to: dt.dtype) -> bool:
    if frm.is_complex and not to.is_complex:
        return False
    if frm.is_floating_point and to.category <= 1:
        return False
    return frm is dt.bool_ or to is not dt.bool_


def _check_broadcast(arrays) -> None:
    shapes = [a.shape for a in arrays]
    ndim = max(len(s) for s in shapes)
    for d in range(1, ndim + 1):
        sizes = [s[-d] for s in shapes if len(s) >= d]
        big = [n for n in sizes if n != 1]
        if big and any(n != big[0] for n in big):
            a, b = big[0], next(n for n in big if n != big[0])
            raise RuntimeError(messages.BROADCAST.format(a=a, b=b, dim=ndim - d))


def _formula(fns: tuple):
    """A node's formula from its inputs' gradient formulas (None: no gradient): each runs only
    when its input has a gradient edge (torch's should_compute_output). Built once per Op; one
    and two inputs, the common cases, without a loop or a list per call."""
    if len(fns) == 1:
        f = fns[0]
        if f is None:
            return lambda c, g: (None,)
        return lambda c, g: (f(c, g) if c.needs_input_grad[0] else None,)
    if len(fns) == 2:
        f0, f1 = fns

        def formula2(c, g):
            need = c.needs_input_grad
            return (f0(c, g) if f0 is not None and need[0] else None,
                    f1(c, g) if f1 is not None and need[1] else None)
        return formula2

    def formula(c, g):
        need = c.needs_input_grad
        return tuple([f(c, g) if f is not None and need[i] else None for i, f in enumerate(fns)])
    return formula


class Op:
    """See module docstring. `promote`: 'binary' casts inputs to their result type, 'float' to the
    floating result type, None passes arrays as they are; a tuple of attribute names casts the
    inputs to their result type with those Python scalars (ATen promotes a Scalar argument inside
    the kernel: no recorded conversion, and the node saves the unconverted self)."""
    overlap = (True, True)  # in-place kernel checks (internal, partial); see views.check_overlap
    # an op torch runs through autograd_not_implemented_fallback (a NotImplemented node): it gives
    # history only to outputs of a differentiable dtype, where generated kernels' set_history raises
    fallback = False
    zero_result = None  # a ZeroTensor kernel: see ZeroAwareOp

    def __init__(self, name: str, kernel, *, node: str | None = None, inputs=("self",),
                 grads: dict | None = None, promote: str | None = "binary", view: bool = False,
                 multi_output: bool = False, differentiable_outputs=None,
                 nondifferentiable: bool = False, record_strides: bool = False,
                 layout: str | None = None, layout_operands: tuple | None = None) -> None:
        self.name = name
        # the result's memory layout: "iterator", "like" or "contiguous", NOTE [Output layout];
        # None keeps the kernel's. layout_operands: the inputs in torch's operand order
        self.layout = layout if layout is not None else _layout.RULES.get(name)
        self.layout_operands = layout_operands or _layout.OPERANDS.get(name)
        # mm/addmm: formulas pick the gradient's layout from the inputs' strides, as torch's
        # mm_mat1/mat2_backward do (recorded as an attribute: saving the tensor would change
        # what the version check sees)
        self.record_strides = record_strides
        self.kernel = kernel
        self.inputs = inputs
        self.promote = promote
        self.view = view
        self.multi_output = multi_output
        self.differentiable_outputs = differentiable_outputs
        self.differentiable = not nondifferentiable
        self.node_cls = None
        self.needs = ()
        self._saves = ()
        self._self_guard = None  # in-place: when the original self is cloned (see _saves)
        self._saves_other = False  # a node saves the second input (mul's other)
        self.saves_result = False
        if node is not None:
            assert grads is not None and set(grads) <= set(inputs), name
            fns = tuple(grads.get(i) for i in inputs)
            self.needs = tuple(
                tuple(n for n in (f.__code__.co_names if f else ()) if n in inputs) for f in fns)
            self.saves_result = any(f is not None and "result" in f.__code__.co_names for f in fns)
            names = tuple(sorted({n for ns in self.needs for n in ns}))
            # what to save: (name, input index, guard) - the guard is the input whose gradient alone
            # reads it (saved only when that input has an edge), -1 for unconditionally saved:
            # torch's codegen (gen_variable_type's guard_for) guards only when the op has several
            # differentiable inputs, is no backward op and exactly one formula reads the value
            n_diff = sum(f is not None for f in fns)
            saves = []
            for n in names:
                used_in = [i for i, ns in enumerate(self.needs) if n in ns]
                guard = used_in[0] if (n_diff > 1 and len(used_in) == 1
                                       and "backward" not in name.lower()) else -1
                saves.append((n, inputs.index(n), guard))
            self._saves = tuple(saves)
            self._self_guard = next((g for n, _, g in saves if n == "self"), None)
            self._saves_other = any(j == 1 for _, j, _ in saves)

            self.node_cls = node_class(node, _formula(fns), multi_output,
                                       names + ("result",) * self.saves_result)

    def __repr__(self) -> str:
        return f"<op {self.name}>"

    def _arrays(self, ts, attrs):
        # NOTE [Hot path]: one and two inputs, the common cases, without a comprehension or map:
        # on CPython 3.11 a comprehension is a function call, and tuple(map(...)) costs as much.
        # Two inputs: _arrays2, called by _run directly
        n = len(ts)
        promote = self.promote
        if promote is None:
            return (ts[0]._data,) if n == 1 else tuple([t._data for t in ts])
        if type(promote) is tuple:
            d = dt.result_type(*ts, *[attrs[k] for k in promote if attrs.get(k) is not None])
        elif n == 1:
            d = ts[0]._dtype
        else:
            d = dt.result_type(*ts)
        if promote == "float" and d.category < 2:
            d = dt.float_result(d)
        npd = d.np
        if n == 1:
            a = ts[0]._data
            return (a if a.dtype == npd else a.astype(npd),)
        return tuple([t._data if t._data.dtype == npd else t._data.astype(npd) for t in ts])

    def _arrays2(self, x, y, attrs):
        promote = self.promote
        a, b = x._data, y._data
        if promote is None:
            return (a, b)
        if type(promote) is tuple:
            d = dt.result_type(x, y, *[attrs[k] for k in promote if attrs.get(k) is not None])
        # the common cases, no promotion to work out: two tensors of one dtype, or a tensor and a
        # wrapped Python number of no higher category (x * 2.0)
        elif (not x._wrapped and y._dtype.category <= x._dtype.category) if y._wrapped \
                else x._dtype is y._dtype:
            d = x._dtype
        else:
            d = dt.result_type(x, y)
        if promote == "float" and d.category < 2:
            d = dt.float_result(d)
        npd = d.np
        if a.dtype is not npd and a.dtype != npd:  # (identity: numpy's builtin dtypes are singletons)
            a = a.astype(npd)
        if b.dtype is not npd and b.dtype != npd:
            b = b.astype(npd)
        return (a, b)

    def _run(self, ts, attrs):
        token = _fp_quiet()  # the inputs' casts too (a float64 1e300 cast to float32 is inf, silently)
        try:
            arrays = self._arrays2(ts[0], ts[1], attrs) if len(ts) == 2 else self._arrays(ts, attrs)
            try:
                out = self.kernel(*arrays, **attrs)
            except ValueError as e:
                if "broadcast" in str(e):
                    _check_broadcast(arrays)
                raise
        finally:
            _fp_restore(token)
        if _zero.ROOTS and self.zero_result is not None:
            return self._zero_run(out, ts, attrs)
        return out

    def __call__(self, *args, **attrs):
        ts = args
        number = None
        for a in args:
            if not isinstance(a, Tensor):  # (NOTE [Hot path])
                if len(args) == 2:  # x * 2.0 (or 2.0 * x reflected): only the number is wrapped, if at all
                    x, y = args
                    if isinstance(x, Tensor):
                        number = self._with_number(x, y, attrs)
                        ts = (x, wrap_scalar(y)) if number is None else number[0]
                    else:
                        ts = (wrap_scalar(x), wrap_scalar(y))
                else:
                    ts = tuple([wrap_scalar(a) for a in args])
                break
        if number is not None:
            _, edges, out = number
        else:
            edges = None  # collected before the kernel, as torch
            if self.differentiable and STATE.grad_enabled:
                for t in ts:
                    if t._requires_grad or (t._view is not None and _requires_grad(t)):
                        n = len(ts)
                        edges = (_edge(ts[0]), _edge(ts[1])) if n == 2 else (_edge(ts[0]),) if n == 1 \
                            else tuple([_edge(t) for t in ts])
                        break
            out = self._run(ts, attrs)
        rec = edges is not None
        if self.multi_output:
            return self._finish_multi(ts, out, attrs, rec, edges)
        if type(out) is not np.ndarray:
            out = np.asarray(out)
        if self.layout is not None and out.ndim > 1:  # C-contiguous inputs: the kernel's C order
            for t in ts:
                if _layout.torch_layout_differs(t._data):
                    out = self._relayout(out, ts)
                    break
        if rec and self.fallback and dt._BY_NP[out.dtype].category < 2:
            rec = False
        result = _make(out, rec)
        if self.view:
            views.attach_view(result, ts[0])
        if rec:
            if result._dtype.category < 2:  # set_history: no history for integer/bool outputs
                raise RuntimeError(messages.AUTOGRAD_DTYPE.format(dtype=result._dtype.short_name))
            self._record(ts, attrs, (result,), None, edges)
        if _provenance.TRACKING:
            _provenance.record_op(self.name, ts, (result,), rec)
        return result

    def _with_number(self, x: Tensor, v, attrs):
        """(ts, edges, kernel result) of a call with a tensor x and a Python number v that loses
        to x's floating or complex dtype (see _NUMBER_CATEGORY): no wrapped tensor unless the node
        saves it. None where the wrapped number's path must run: other promotions, integer or
        wrapped x, provenance tracking, a ZeroTensor kernel while a ZeroTensor is alive."""
        category = _NUMBER_CATEGORY.get(type(v))
        d = x._dtype
        if category is None or category > d.category or d.category < 2 or x._wrapped \
                or (category == 1 and not -_INT_EXACT <= v <= _INT_EXACT) \
                or (self.promote != "binary" and self.promote != "float") \
                or _provenance.TRACKING or (_zero.ROOTS and self.zero_result is not None):
            return None
        edges = None  # collected before the kernel, as torch
        if self.differentiable and STATE.grad_enabled and (
                x._requires_grad or (x._view is not None and _requires_grad(x))):
            edges = (_edge(x), _NO_EDGE)
        ts = (x, wrap_scalar(v) if edges is not None and self._saves_other else _NUMBER_SHAPE)
        token = _fp_quiet()  # (a float64 1e300 to float32 is inf, silently)
        try:
            out = self.kernel(x._data, np.array(v, d.np), **attrs)
        finally:
            _fp_restore(token)
        return ts, edges, out

    def unrecorded(self, *arrays, **attrs) -> Tensor:
        """The op's result for arrays already of its kernel's dtypes when nothing can record and
        no layout rule, view or ZeroTensor applies (the caller knows): the kernel under dispatch's
        quiet floating-point state, as a fresh tensor. For formulas whose checks cannot fail and
        whose small kernels cost less than a dispatch."""
        token = _fp_quiet()
        try:
            return _make(self.kernel(*arrays, **attrs))
        finally:
            _fp_restore(token)

    def quick(self, x: Tensor, y: Tensor):
        """A two-tensor call's result without __call__'s checks, for gradient formulas of ops with
        no view, fallback or multiple outputs; None when a check could matter (the caller then
        dispatches): grad mode on (create_graph), provenance tracking, a ZeroTensor alive for an
        op with a ZeroTensor kernel, or a result that could need a broadcast check or a relayout
        (y neither 0-d nor of x's shape; a 2-D or larger operand not in torch's C order), or a y
        that is no tensor (what a saved-tensor unpack hook returned: dispatch wraps a number)."""
        if STATE.grad_enabled or _provenance.TRACKING or (_zero.ROOTS and self.zero_result is not None) \
                or not isinstance(y, Tensor):
            return None
        a, b = x._data, y._data
        if b.ndim and b.shape != a.shape:
            return None
        if self.layout is not None and a.ndim > 1 and (
                _layout.torch_layout_differs(a) or (b.ndim and _layout.torch_layout_differs(b))):
            return None
        out = self.kernel(*self._arrays2(x, y, {}))  # (under FormulaNode.apply's quiet fp state)
        return _make(out if type(out) is np.ndarray else np.asarray(out))

    def _relayout(self, out, ts):
        order = self.layout_operands
        arrays = [ts[i]._data for i in order] if order is not None else [t._data for t in ts]
        return _layout.relayout(self.layout, out, arrays)

    def _finish_multi(self, ts, outs, attrs, rec, edges=None):
        diff = self.differentiable_outputs
        results = []
        relayout = self.layout is not None and any(_layout.torch_layout_differs(t._data) for t in ts)
        for i, o in enumerate(outs):
            if type(o) is not np.ndarray:
                o = np.asarray(o)
            if relayout and o.ndim > 1:
                o = self._relayout(o, ts)
            r = _make(o, rec and (diff is None or i in diff))
            if self.view:
                views.attach_view(r, ts[0], multi_output=True)
            results.append(r)
        if rec:
            for i, r in enumerate(results):
                if r._dtype.category < 2 and (diff is None or i in diff):  # set_history
                    raise RuntimeError(messages.AUTOGRAD_DTYPE.format(dtype=r._dtype.short_name))
            self._record(ts, attrs, results, edges=edges)
        if _provenance.TRACKING:
            _provenance.record_op(self.name, ts, results, rec)
        return tuple(results)

    def _record(self, ts, attrs, results, original_self=None, edges=None):
        if attrs and not exposes_all(attrs):
            expose_saved(*attrs)
        node = self.node_cls()
        node.next_functions = edges if edges is not None else tuple(map(_edge, ts))
        single = len(results) == 1 and self.differentiable_outputs is None  # (NOTE [Hot path])
        if single:
            result = results[0]
            node._out_meta = ((result._data.shape, result._dtype),)
        else:
            node._out_meta = tuple([(r._data.shape, r._dtype) for r in results])
        n_in = len(ts)
        attrs["shapes"] = (ts[0]._data.shape, ts[1]._data.shape) if n_in == 2 \
            else (ts[0]._data.shape,) if n_in == 1 else tuple([t._data.shape for t in ts])
        if self.record_strides:
            attrs["strides"] = tuple([t._data.strides for t in ts])
        node._attrs = attrs
        nf = node.next_functions
        # node.save's work without its frame (NOTE [Hot path]): the names are exposed by the node's
        # class, and SavedTensor's call site skips three frames, its own, this one and the op's
        saved = None
        for n, j, g in self._saves:
            if g < 0 or nf[g][0] is not None:
                if saved is None:
                    saved = node._saved = {}
                t = original_self if j == 0 and original_self is not None else ts[j]
                saved[n] = SavedTensor(t, False)
        if single:
            result._grad_fn = node
            result._output_nr = 0
            result._requires_grad = True
            if self.saves_result:
                if saved is None:
                    saved = node._saved = {}
                saved["result"] = SavedTensor(result, True)
        else:
            self._record_outputs(node, results)
        if _lifetime.ACTIVE:  # numtorch's graph-lifetime warnings (issue 7)
            _lifetime.on_record(node)
        return node

    def _record_outputs(self, node, results) -> None:
        diff = self.differentiable_outputs
        for k, r in enumerate(results):
            if diff is None or k in diff:
                r._grad_fn = node
                r._output_nr = k
                r._requires_grad = True
        if self.saves_result:
            for k, r in enumerate(results):
                node.save("result" if k == 0 else f"result{k}", r, is_output=True, output_nr=k)

    def inplace(self, target: Tensor, *args, **attrs) -> Tensor:
        """The in-place variant: checks, kernel, cast into target, version bump, history rewrite."""
        ts = (target,) + tuple(a if isinstance(a, Tensor) else wrap_scalar(a) for a in args)
        rec = self.differentiable and STATE.grad_enabled and any(_requires_grad(t) for t in ts)
        views.check_inplace(target, rec)
        edges = tuple(_edge(t) for t in ts) if rec else None  # collected before the write, as torch
        original = None
        # the original self is cloned (a recorded op, before the kernel as in VariableType) only
        # when a gradient that reads it is needed
        g = self._self_guard
        if rec and g is not None and (g < 0 or edges[g][0] is not None):
            from .pointwise import clone
            original = clone(target)
        views.check_overlap(target, ts[1:], *self.overlap)  # ATen's MemOverlap checks
        out = self._run(ts, attrs)
        if type(out) is not np.ndarray:
            out = np.asarray(out)
        frm = dt._BY_NP[out.dtype]
        if not can_cast(frm, target._dtype):
            raise RuntimeError(messages.CAST_RESULT.format(got=frm.short_name,
                                                           expected=target._dtype.short_name))
        if out.shape != target._data.shape:
            out = np.broadcast_to(out, target._data.shape) if out.ndim <= target._data.ndim else out
        np.copyto(target._data, out, casting="unsafe")
        if target._vc is None and not STATE.inference:
            raise RuntimeError(messages.INFERENCE_INPLACE)  # PyTorch raises after writing
        target._bump_version()
        if rec and not (self.fallback and target._dtype.category < 2):  # the fallback keeps the history
            self._record_inplace(target, ts, attrs, original, edges)
        return target

    def _record_inplace(self, target, ts, attrs, original, edges=None):
        if attrs and not exposes_all(attrs):
            expose_saved(*attrs)
        node = self.node_cls()
        node.next_functions = edges if edges is not None else tuple(_edge(t) for t in ts)
        node._out_meta = ((target._data.shape, target._dtype),)
        attrs["shapes"] = tuple(t._data.shape for t in ts)
        if self.record_strides:
            attrs["strides"] = tuple([t._data.strides for t in ts])
        node._attrs = attrs
        nf = node.next_functions
        for n, j, g in self._saves:
            if g < 0 or nf[g][0] is not None:
                node.save(n, original if j == 0 else ts[j])
                if j and ts[j]._vc is not None and ts[j]._vc is target._vc \
                        and node._saved[n] is not None and node._saved[n].tensor is not None:
                    node._saved[n].version -= 1  # saved before the write (x.mul_(x))
        if target._view is not None:
            views.rebase_history(target, node)
        else:
            target._grad_fn = node
            target._output_nr = 0
            target._requires_grad = True
        if target._retains_grad:  # retain_grad follows the tensor's new history (hooks stay)
            target.grad_fn._set_retain_grad(target._output_nr, target)
        if self.saves_result:
            node.save("result", target, is_output=True)
        if _lifetime.ACTIVE:  # numtorch's graph-lifetime warnings (issue 7)
            _lifetime.on_record(node)


# ---- ZeroTensor kernels -------------------------------------------------------------------------
# the ops torch gives a ZeroTensor kernel (native_functions.yaml "ZeroTensor:" entries,
# BinaryOps.cpp add/mul/div_zerotensor): given which operands are ZeroTensors and the ordinary
# result, the result torch's kernel gives, or None for the ordinary one. Every other op reads a
# ZeroTensor as zeros.
def _zero_like(out: np.ndarray) -> np.ndarray:
    return _zero.make(out.shape, out.dtype)


def _zero_sum(sign: int):
    """add/sub_zerotensor: no addition at all. zero + zero is zero; x + zero is a copy of x and
    zero + alpha * x (zero - alpha * x) a copy of x times alpha (-alpha) unless that is 1, so a
    -0.0 survives where 0.0 + -0.0 would give 0.0. Written into the ordinary result's array."""
    def result(zeros, out, ts, attrs):
        if all(zeros):
            return _zero_like(out)
        np.copyto(out, np.broadcast_to(ts[1]._data if zeros[0] else ts[0]._data, out.shape),
                  casting="unsafe")
        alpha = sign * attrs.get("alpha", 1)
        if zeros[0] and alpha != 1:
            np.multiply(out, np.asarray(alpha, out.dtype), out=out)
        return out
    return result


ZERO_ADD, ZERO_SUB = _zero_sum(1), _zero_sum(-1)


def ZERO_IF_ANY(zeros, out, *_):  # mul, dot: zeros even where the ordinary kernel gives nan (0 * inf)
    return _zero_like(out) if any(zeros) else None


def ZERO_DIV(zeros, out, *_):  # div_zerotensor: 0 / x is zero, x / 0 all +inf, 0 / 0 all nan
    if not zeros[-1] or len(zeros) == 1:
        return _zero_like(out) if zeros[0] else None
    return np.full(out.shape, np.nan if zeros[0] else np.inf, out.dtype)


class ZeroAwareOp(Op):
    """An op with a ZeroTensor kernel: while a ZeroTensor is alive (NOTE [ZeroTensor storage]),
    `zero_result` may replace the ordinary result (Op._run's test). Ordinary calls pay one test."""

    def __init__(self, name: str, kernel, *, zero_result, **kwargs) -> None:
        super().__init__(name, kernel, **kwargs)
        self.zero_result = zero_result

    def _zero_run(self, out, ts, attrs):
        zeros = [_zero.is_zero(t._data) for t in ts]
        if any(zeros):
            special = self.zero_result(zeros, np.asarray(out), ts, attrs)
            if special is not None:
                return special
        return out
