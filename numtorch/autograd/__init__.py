"""torch.autograd: backward(), grad(), grad modes, anomaly mode, custom Functions, graph hooks."""
from __future__ import annotations

from .._autograd import engine
from .._autograd.node import grad_accumulator
from .._autograd.views import edge as _edge
from .._core import messages
from .._tensor import Tensor
from . import function, graph
from .anomaly_mode import (detect_anomaly, is_anomaly_check_nan_enabled, is_anomaly_enabled,
                           set_detect_anomaly)
from .function import Function
from .grad_mode import enable_grad, inference_mode, no_grad, set_grad_enabled

Variable = Tensor


def _as_tuple(x):
    if x is None:
        return None
    if isinstance(x, Tensor):
        return (x,)
    return tuple(x)


def _make_grads(outputs, grads, is_grads_batched=False):
    from .._ops.creation import ones_like
    out = []
    for i, (t, g) in enumerate(zip(outputs, grads)):
        if g is None:
            if t.requires_grad:
                if t._data.size != 1:
                    raise RuntimeError(messages.IMPLICIT_SCALAR)
                if not t._dtype.is_floating_point:  # complex, or an integer tensor in the graph
                    raise RuntimeError(messages.IMPLICIT_REAL.format(dtype=t._dtype))
            g = ones_like(t)
        elif isinstance(g, Tensor):
            if g._data.shape != t._data.shape:
                raise RuntimeError(messages.SHAPE_MISMATCH.format(
                    index=i, got=g.shape, expected=t.shape))
            if g._dtype is not t._dtype:
                g = g.to(t._dtype)
        else:
            raise TypeError(f"gradients can be either Tensors or None, but got {type(g).__name__}")
        out.append(g)
    return out


def _roots(outputs):
    roots = []
    for i, t in enumerate(outputs):
        e = _edge(t)
        if e[0] is None:
            error = RuntimeError(messages.NO_GRAD_FN.format(index=i))
            note = no_grad_fn_note(t)
            if note is not None:
                error.add_note(note)
            raise error
        roots.append(e)
    return roots


def _grads_arg(grad_tensors, n):
    if grad_tensors is None:
        return [None] * n
    if isinstance(grad_tensors, Tensor):
        return [grad_tensors]
    if isinstance(grad_tensors, (float, int)) and not isinstance(grad_tensors, bool):
        raise TypeError(f"'{type(grad_tensors).__name__}' object is not iterable")
    return list(grad_tensors)


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, grad_variables=None,
             inputs=None):
    if inputs is not None and not isinstance(inputs, Tensor) and len(inputs) == 0:
        raise RuntimeError(messages.EMPTY_INPUTS)
    outputs = _as_tuple(tensors)
    grads = _make_grads(outputs, _grads_arg(grad_tensors, len(outputs)))
    if retain_graph is None:
        retain_graph = create_graph
    roots = _roots(outputs)
    if inputs is None:
        engine.execute(roots, grads, retain_graph, create_graph)
        return
    inputs = _as_tuple(inputs)
    captures = []
    for t in inputs:
        fn = t.grad_fn
        if fn is None:
            captures.append((grad_accumulator(t), 0))
        else:
            # torch's run_backward calls retain_grad() on every input: a non-leaf keeps retaining
            # its gradient afterwards, and one that already did is not given it twice
            t.retain_grad()
            captures.append((fn, t._output_nr))
    engine.execute(roots, grads, retain_graph, create_graph, captures=captures, accumulate=True)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         only_inputs=True, allow_unused=None, is_grads_batched=False, materialize_grads=False):
    outputs = _as_tuple(outputs)
    inputs = _as_tuple(inputs)
    if len(inputs) == 0:
        raise RuntimeError(messages.GRAD_EMPTY_INPUTS)
    if allow_unused is None:
        allow_unused = materialize_grads
    if materialize_grads and allow_unused is False:
        raise ValueError("Expected allow_unused to be True or not passed when materialize_grads=True, "
                         "but got: allow_unused=False.")
    grads = _make_grads(outputs, _grads_arg(grad_outputs, len(outputs)))
    if retain_graph is None:
        retain_graph = create_graph
    roots = _roots(outputs)
    captures = []
    for t in inputs:
        if not t.requires_grad:
            raise RuntimeError(messages.INPUT_NO_GRAD)
        fn = t.grad_fn
        captures.append((grad_accumulator(t), 0) if fn is None else (fn, t._output_nr))
    result = engine.execute(roots, grads, retain_graph, create_graph, captures=captures,
                            accumulate=False)
    out = []
    for i, (t, g) in enumerate(zip(inputs, result)):
        if g is None:
            if materialize_grads:
                from .._ops.creation import zeros_like
                g = zeros_like(t, requires_grad=create_graph)
            elif not allow_unused:
                error = RuntimeError(messages.UNUSED_INPUT.format(index=i))
                error.add_note(unused_input_note(outputs, t, i))
                raise error
        out.append(g)
    return tuple(out)


__all__ = ["backward", "grad", "no_grad", "enable_grad", "set_grad_enabled", "inference_mode",
           "detect_anomaly", "set_detect_anomaly", "is_anomaly_enabled",
           "is_anomaly_check_nan_enabled", "graph", "Variable", "Function", "function"]

# numtorch's diagnostics (issue 7): "why is this grad None?"
from ._explain import explain, no_grad_fn_note, unused_input_note  # noqa: E402

__all__ += ["explain"]

# numtorch's diagnostics (issue 7): a guard for untracked writes, graph-lifetime warnings
from .._autograd.lifetime import GraphLifetimeWarning, warn_graph_lifetime  # noqa: E402
from .._autograd.write_guard import guard_writes  # noqa: E402

__all__ += ["guard_writes", "warn_graph_lifetime", "GraphLifetimeWarning"]

# torch.autograd.gradcheck / gradgradcheck (issue 4); the functions shadow the module's name, as in torch
from .gradcheck import gradcheck, gradgradcheck  # noqa: E402

__all__ += ["gradcheck", "gradgradcheck"]
