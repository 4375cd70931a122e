"""Custom autograd Functions: the ctx that is also the graph node, Function.apply, output wrapping.

As in PyTorch, `ctx` *is* the node: `y.grad_fn is ctx`. It is created before forward and joins the
graph only when grad mode is on and a tensor argument requires grad ("executable"). Saved tensors
are version-checked on every read of `ctx.saved_tensors` (SEMANTICS 6). Mirrors THPFunction_apply
and PyNode::apply (torch/csrc/autograd/python_function.cpp, custom_function.cpp)."""
from __future__ import annotations

import inspect
import warnings
from typing import Any

import numpy as np

from .._core import messages
from .._core.state import STATE
from .._tensor import Tensor
from . import views
from .hooks import tp_name as _tp_name
from .node import Node
from .saved_tensor import SavedTensor


class FunctionCtx:
    """The methods forward/setup_context call on ctx; they only record, apply() acts on them."""

    def save_for_backward(self, *tensors: Tensor | None) -> None:
        self.to_save = tensors

    def save_for_forward(self, *tensors: Tensor | None) -> None:
        for tensor in tensors:
            if not (isinstance(tensor, Tensor) or tensor is None):
                raise AssertionError("save_for_forward expects all arguments to be tensors; you "
                                     "should save non-tensors as attributes on ctx.")
        self.saved_for_forward = tensors

    def mark_dirty(self, *args: Tensor) -> None:
        self.dirty_tensors = args

    def mark_shared_storage(self, *pairs) -> None:
        warnings.warn(messages.W_MARK_SHARED_STORAGE, FutureWarning, stacklevel=2)

    def mark_non_differentiable(self, *args: Tensor) -> None:
        self.non_differentiable = args

    def set_materialize_grads(self, value: bool) -> None:
        self.materialize_grads = value


class BackwardCFunction(Node, FunctionCtx):
    """Base of the generated `<Fn>Backward` classes (class attribute `_forward_cls`). User state
    set on ctx lives in __dict__; the fields torch keeps in C live in slots."""
    __repr__ = object.__repr__  # a Python class in torch: <torch.autograd.function.FnBackward ...>
    __slots__ = ("_saved_variables", "_freed", "_is_variable_input", "_materialize",
                 "_output_info", "__dict__")
    _forward_cls: Any = None
    _runs_on_undefined = True  # PyNode runs even when every incoming grad is undefined

    def __init__(self) -> None:
        super().__init__()
        self._saved_variables: tuple = ()
        self._freed = False
        self._is_variable_input: tuple = ()
        self._materialize = True
        self._output_info: tuple = ()
        self._out_meta = ()
        self.to_save = None
        self.non_differentiable = None
        self.dirty_tensors = None
        self.saved_for_forward = None
        self.needs_input_grad = ()

    # ---- the attributes torch exposes as properties of _FunctionBase ------------------------
    @property
    def materialize_grads(self):
        raise AttributeError(messages.MATERIALIZE_NOT_READABLE)

    @materialize_grads.setter
    def materialize_grads(self, value) -> None:
        if not isinstance(value, bool):
            raise TypeError(messages.MATERIALIZE_NOT_BOOL)
        self._materialize = value

    @property
    def requires_grad(self) -> bool:
        return True

    @property
    def saved_tensors(self) -> tuple:
        """Each read unpacks, so each read runs the version check (E13-E15); E5 once freed."""
        if self._freed:
            raise RuntimeError(messages.FREED_GRAPH)
        return tuple(None if s is None else s.unpack(self) for s in self._saved_variables)

    @property
    def saved_variables(self) -> tuple:
        warnings.warn(messages.W_SAVED_VARIABLES, DeprecationWarning, stacklevel=2)
        return self.saved_tensors

    def release(self) -> None:
        self._freed = True
        for s in self._saved_variables:
            if s is not None:
                s.release()
        self._saved_variables = ()

    # ---- PyNode::apply: what the engine calls ------------------------------------------------
    def apply(self, grads):
        if self._materialize:
            grads = [_zeros(info) if g is None and info is not None else g
                     for g, info in zip(grads, self._output_info)]
        result = _user_backward(self._forward_cls)(self, *grads)
        if not isinstance(result, tuple):
            result = (result,)
        expected = len(self._is_variable_input)
        if len(result) > expected and all(r is None for r in result[expected:]):
            result = result[:expected]  # extra trailing Nones are allowed
        if len(result) != expected:
            raise RuntimeError(messages.WRONG_GRAD_COUNT.format(
                node=self.name(), expected=expected, got=len(result)))
        out = []
        for i, (grad, is_tensor) in enumerate(zip(result, self._is_variable_input)):
            if not is_tensor:
                if grad is not None:
                    raise RuntimeError(messages.GRAD_FOR_NON_TENSOR.format(node=self.name(),
                                                                           position=i + 1))
            elif grad is None or isinstance(grad, Tensor):
                out.append(grad)
            else:
                raise RuntimeError(messages.GRAD_NOT_TENSOR_OR_NONE.format(type=_tp_name(grad)))
        return tuple(out)


def _zeros(info) -> Tensor:
    shape, dtype = info
    return Tensor._make(np.zeros(shape, dtype=dtype.np))


# The defaults of _SingleLevelFunction; apply() and the node recognise them by identity.
def default_forward(*args: Any, **kwargs: Any) -> Any:
    raise NotImplementedError(messages.FORWARD_NOT_IMPLEMENTED)


def default_setup_context(ctx: Any, inputs: tuple, output: Any) -> Any:
    raise NotImplementedError(messages.SETUP_CONTEXT_NOT_IMPLEMENTED)


def default_backward(ctx: Any, *grad_outputs: Any) -> Any:
    raise NotImplementedError(messages.NO_BACKWARD)


def default_jvp(ctx: Any, *grad_inputs: Any) -> Any:
    raise NotImplementedError(messages.JVP_NOT_IMPLEMENTED)


def _user_backward(cls):
    """BackwardCFunction._get_user_fn: backward, or vjp if only that is overridden."""
    backward, vjp = cls.backward, cls.vjp
    if backward is not default_backward and vjp is not default_backward:
        raise RuntimeError(messages.BACKWARD_AND_VJP)
    return vjp if vjp is not default_backward else backward


def make_backward_class(forward_cls: type) -> type:
    cls = type(forward_cls.__name__ + "Backward", (BackwardCFunction,),
               {"__slots__": (), "_forward_cls": forward_cls})
    cls.__module__ = "torch.autograd.function"  # repr: <torch.autograd.function.FnBackward ...>
    return cls


# ---- Function.apply ------------------------------------------------------------------------
def _kwargs_to_positional(forward, args: tuple, kwargs: dict, skip_ctx: bool) -> tuple:
    """THPFunction_apply maps keyword arguments onto forward's positional parameters."""
    params = [p.name for p in inspect.signature(forward).parameters.values()
              if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    if skip_ctx:
        params = params[1:]
    missing = object()
    full = list(args)
    for name, value in kwargs.items():
        if name not in params:
            raise TypeError(messages.APPLY_UNEXPECTED_KWARG.format(name=name))
        index = params.index(name)
        if index < len(args):
            raise TypeError(messages.APPLY_MULTIPLE_VALUES.format(name=name))
        full.extend([missing] * (index + 1 - len(full)))
        full[index] = value
    for index, value in enumerate(full):
        if value is missing:
            raise TypeError(messages.APPLY_MISSING_ARG.format(name=params[index], index=index))
    return tuple(full)


def function_apply(cls, args: tuple, kwargs: dict):
    """Run forward with grad mode off, then wire the outputs into the graph (THPFunction_apply)."""
    setup_context = cls.setup_context is not default_setup_context
    if setup_context:  # Function.apply binds defaults for the setup_context style
        bound = inspect.signature(cls.forward).bind(*args, **kwargs)
        bound.apply_defaults()
        args, kwargs = bound.args, bound.kwargs
    if kwargs:
        args = _kwargs_to_positional(cls.forward, args, kwargs, skip_ctx=not setup_context)
    ctx = cls._backward_cls()
    is_tensor = tuple(isinstance(a, Tensor) for a in args)
    needs = tuple(t and views.requires_grad(a) for t, a in zip(is_tensor, args))
    executable = STATE.grad_enabled and any(needs)
    ctx.needs_input_grad = needs
    ctx._is_variable_input = is_tensor
    if executable:
        ctx.next_functions = tuple(views.edge(a) for a, t in zip(args, is_tensor) if t)
    prev = STATE.grad_enabled
    STATE.grad_enabled = False
    try:
        if setup_context:
            output = cls.forward(*args)
            cls.setup_context(ctx, args, output)
        else:
            output = cls.forward(ctx, *args)
    finally:
        STATE.grad_enabled = prev
    return _process_outputs(ctx, args, output, executable, setup_context)


def _process_outputs(ctx, args: tuple, output, executable: bool, setup_context: bool):
    unpack = not isinstance(output, tuple)
    raw = (output,) if unpack else tuple(output)
    to_save, saved_ids = _tensors_to_save(ctx, executable)
    if not setup_context:
        saved_ids = set()
    non_diff = ctx.non_differentiable or ()
    for t in non_diff:
        if not isinstance(t, Tensor):
            raise RuntimeError(messages.MARK_NON_DIFF_NON_TENSOR)
    dirty = ctx.dirty_tensors or ()
    for t in dirty:
        if not isinstance(t, Tensor):
            raise RuntimeError(messages.MARK_DIRTY_NON_TENSOR)
        t._bump_version()  # mark_dirty counts as the in-place write, as in torch
    ctx.dirty_tensors = None
    outputs = _wrap_outputs(ctx if executable else None, args, raw, {id(t) for t in non_diff},
                            {id(t) for t in dirty}, saved_ids)
    if executable:
        ctx._output_info = tuple((o._data.shape, o._dtype) if isinstance(o, Tensor) else None
                                 for o in outputs)
        ctx._out_meta = ctx._output_info
        ctx._saved_variables = tuple(
            None if t is None else SavedTensor(t, t._grad_fn is ctx, t._output_nr)
            for t in to_save)
    else:
        ctx.non_differentiable = None
    ctx.to_save = None
    ctx.saved_for_forward = None
    return outputs[0] if unpack else tuple(outputs)


def _tensors_to_save(ctx, executable: bool):
    """E49 for non-tensors (only when executable, as torch); ids of saved tensors for the
    setup_context check of inputs returned as-is."""
    tensors, ids = [], set()
    for i, obj in enumerate(ctx.to_save or ()):
        if obj is None:
            tensors.append(None)
        elif isinstance(obj, Tensor):
            ids.add(id(obj))
            tensors.append(obj)
        elif executable:
            raise TypeError(messages.SAVE_NON_TENSOR.format(index=i, type=_tp_name(obj)))
    return tensors, ids


def _view_as_self(t: Tensor) -> Tensor:
    """`t.view_as(t)` under no_grad: how an input returned as-is gets its own grad_fn."""
    v = Tensor._make(t._data.view(), views.requires_grad(t), vc=t._vc)
    v._vc = t._vc
    prev = STATE.grad_enabled
    STATE.grad_enabled = False
    try:
        views.attach_view(v, t)
    finally:
        STATE.grad_enabled = prev
    return v


def _set_edge(var: Tensor, node, output_nr: int) -> None:
    var._grad_fn = node
    var._output_nr = output_nr
    var._requires_grad = True
    if var._view is not None and var._vc is not None:
        var._view.version = var._vc.version  # the new grad_fn is current (set_gradient_edge)


def _wrap_outputs(node, args: tuple, raw: tuple, non_diff: set, dirty: set, saved: set) -> list:
    """_process_backward_mode_ad: each tensor output becomes differentiable (grad_fn = node), a
    view of its input (returned as-is), a rebased dirty input, or a non-differentiable tensor."""
    input_ids = {id(a) for a in args if isinstance(a, Tensor)}
    outputs: list = []
    num_diff = 0
    for i, var in enumerate(raw):
        if not isinstance(var, Tensor):
            outputs.append(var)
            continue
        is_input = id(var) in input_ids
        is_modified = id(var) in dirty
        differentiable = (node is not None and id(var) not in non_diff
                          and var._dtype.category >= 2)
        if not differentiable:
            if not var._requires_grad:
                if is_input and not is_modified:
                    if id(var) in saved:
                        raise RuntimeError(messages.INPUT_RETURNED_AS_IS_SAVED)
                    var = _view_as_self(var)
            elif is_input:
                var = var.detach()  # a detached alias; the input keeps requires_grad
            elif var._view is None:
                var.detach_()
        elif is_modified:
            if var.grad_fn is None and var._requires_grad:
                raise RuntimeError(messages.DIRTY_LEAF)
            if not is_input:
                warnings.warn(messages.W_DIRTY_NOT_INPUT, UserWarning, stacklevel=4)
            if var._view is not None and len(raw) > 1:
                raise RuntimeError(messages.DIRTY_VIEW_MULTI_OUTPUT)
            var._grad = None
            if var._view is not None:
                views.rebase_history(var, node)
            else:
                _set_edge(var, node, i)
        elif is_input:
            if id(var) in saved:
                raise RuntimeError(messages.INPUT_RETURNED_AS_IS_SAVED)
            var = _view_as_self(var)
            _set_edge(var, node, i)
        else:
            _set_edge(var, node, i)
        if var._view is not None and not (is_input and is_modified):
            var._view.creation = views.CUSTOM_FUNCTION
        num_diff += differentiable
        outputs.append(var)
    if num_diff > 1:  # several differentiable outputs: their views are multi-output views
        for var in outputs:
            if isinstance(var, Tensor) and var._view is not None:
                var._view.creation = views.MULTI_OUTPUT
    returned = {id(v) for v in raw}
    if any(d not in returned for d in dirty):
        raise RuntimeError(messages.DIRTY_NOT_RETURNED)
    return outputs


# ---- once_differentiable's DelayedError ----------------------------------------------------
class Error(Node):
    """torch::autograd::Error: a node whose backward raises (double backward of a
    @once_differentiable backward)."""
    __slots__ = ("msg",)

    def name(self) -> str:
        return "torch::autograd::Error"

    def apply(self, grads):
        raise RuntimeError(self.msg)


Error.__module__ = "builtins"  # repr <Error object at 0x...>, as a C++ node


def delayed_error(msg: str, tensors: tuple) -> tuple:
    """DelayedError(msg)(*tensors): aliases (fresh version counters) whose grad_fn is an Error."""
    outs = [None if t is None else Tensor._make(t._data) for t in tensors]
    if any(t is not None and t._requires_grad for t in tensors):
        node = Error()
        node.msg = msg
        if STATE.grad_enabled:
            node.next_functions = tuple(views.edge(t) if t is not None else (None, 0)
                                        for t in tensors)
        node._out_meta = tuple(None if o is None else (o._data.shape, o._dtype) for o in outs)
        for i, o in enumerate(outs):
            if o is not None:
                o._grad_fn, o._output_nr, o._requires_grad = node, i, True
    return tuple(outs)
