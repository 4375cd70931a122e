"""The backward engine: iterative, dependency-counted, newest node first (PyTorch's CPU order).

execute() runs the graph from root edges with their gradients. Broadcast gradients are reduced and
dtypes cast here, once, against each receiving node's forward-output metadata (validate_outputs)."""
from __future__ import annotations

import heapq
import sys
import warnings

import numpy as np

from .._core import messages
from .._core.fp_state import quiet as fp_quiet, restore as fp_restore
from .._core.state import STATE
from . import anomaly
from . import lifetime as _lifetime
from .accumulate_grad import non_overlapping_and_dense
from .hooks import check_result, check_single_result
from .node import AccumulateGrad


def _shape_str(shape) -> str:
    return "[" + ", ".join(str(s) for s in shape) + "]"


def _expandable(src, dst) -> bool:
    if len(src) > len(dst):  # c10::is_expandable_to: never to fewer dims
        return False
    return all(s == d or s == 1 for s, d in zip(src, dst[len(dst) - len(src):]))


def validate_grad(node, index: int, grad, meta):
    shape, dtype = meta
    if grad._data.shape != shape:
        if not _expandable(shape, grad._data.shape):
            raise RuntimeError(messages.INVALID_GRAD_SHAPE.format(
                node=node.name(), index=index, got=_shape_str(grad._data.shape),
                expected=_shape_str(shape)))
        from .._ops.reduction import sum_to_size  # (the op itself: the method adds a parser's check)
        grad = sum_to_size(grad, shape)
    if grad._dtype is not dtype:
        grad = grad.to(dtype)
    if dtype.category < 2:  # an integer/bool tensor in the graph (recorded by an in-place write)
        raise RuntimeError(messages.GRAD_NOT_DIFFERENTIABLE)
    return grad


# References to a gradient in a node's input buffer that only the engine holds, as
# _accumulate_into sees it: the buffer list, its local name and getrefcount's own; the same three
# for each array of the gradient's memory (the tensor's or a view's .base, a local, getrefcount's).
_BUFFER_REFS = 3


def _sole_owner(a) -> bool:
    """torch's storage().use_count() == 1: no alias of the memory (a view, detach(), .data, a
    .numpy() array, a saved tensor) is alive, down the chain of numpy bases."""
    while a is not None:
        if sys.getrefcount(a) > _BUFFER_REFS:
            return False
        a = a.base if isinstance(a, np.ndarray) else getattr(a, "base", None)
    return True


def _accumulate_into(buf, nr: int, g):
    """InputBuffer::accumulate, a later gradient reaching a filled slot: outside create_graph the
    first one is reused (old.add_(g): same values as old + g, its version moves) when the buffer
    holds the only reference to it and to its memory, it is non-overlapping and dense and not a
    ZeroTensor; otherwise old + g. Root gradients never qualify (execute() holds them)."""
    old = buf[nr]
    a = old._data
    # (a ZeroTensor's memory is read-only, as are numpy's broadcast views, never dense here)
    if (STATE.grad_enabled or sys.getrefcount(old) > _BUFFER_REFS or not a.flags.writeable
            or not (a.flags.c_contiguous or non_overlapping_and_dense(a))):
        return old + g
    a = None  # (not a reference of ours when _sole_owner counts them)
    if not _sole_owner(old._data):
        return old + g
    token = fp_quiet()  # (inf + -inf: torch's add_ says nothing)
    try:
        np.add(old._data, g._data, out=old._data)  # both have the receiving node's dtype and shape
    finally:
        fp_restore(token)
    old._bump_version()
    return old


def _retain(tensor, grad) -> None:
    if grad is None:
        return
    if tensor._grad is None:
        tensor._grad = grad.clone()
    else:
        tensor._grad = tensor._grad + grad


def _run_tensor_hooks(node, buffer) -> None:
    for nr, hooks in node._tensor_pre_hooks.items():
        g = buffer[nr]
        for fn in tuple(hooks.values()):
            r = fn(g)  # None for an undefined gradient, as torch's hooks see it
            if r is not None:
                check_single_result(g, r, fn)
                g = r
        buffer[nr] = g


def _dependencies(roots) -> dict:
    """How many edges of the reachable graph point at each node (torch's compute_dependencies).
    The walk goes on to a node's first new child without a push and a pop (a chain's only one)."""
    deps = dict.fromkeys(roots, 0)
    stack = list(roots)
    while stack:
        node = stack.pop()
        while node is not None:
            child = None
            for nxt, _ in node.next_functions:
                if nxt is not None:
                    if nxt in deps:
                        deps[nxt] += 1
                    else:  # first edge into nxt: its own edges are counted once, from here
                        deps[nxt] = 1
                        if child is None:
                            child = nxt
                        else:
                            stack.append(nxt)
            node = child
    return deps


def _topological_order(roots) -> list:
    """The reachable graph, parents before children: what capture pruning and the grad-cycle check
    walk (the common backward needs only the dependency counts)."""
    order = []
    seen = set()
    stack = [(n, False) for n in roots]
    while stack:
        node, done = stack.pop()
        if done:
            order.append(node)
            continue
        if node in seen:
            continue
        seen.add(node)
        stack.append((node, True))
        for nxt, _ in node.next_functions:
            if nxt is not None and nxt not in seen:
                stack.append((nxt, False))
    order.reverse()
    return order


def execute(roots, grads, keep_graph: bool, create_graph: bool, captures=None,
            accumulate: bool = True):
    """roots: list of (node, output_nr); grads: their gradients.
    captures: list of (node, output_nr) whose incoming gradient is returned (autograd.grad,
    backward(inputs=)); when given, only nodes leading to them run."""
    if _lifetime.ACTIVE:  # numtorch's graph-lifetime warnings (issue 7): a new iteration
        _lifetime.begin_backward()
    root_nodes = []
    buffers: dict = {}
    # torch's validate_outputs writes the root gradients back into `inputs`, which outlive the
    # run: a root gradient, even a converted one, is never reused in place (_accumulate_into)
    held = []
    for i, ((node, nr), g) in enumerate(zip(roots, grads)):
        shape = node._out_meta[nr][0]
        if g is not None and g._data.shape != shape:  # torch's validate_outputs on the roots
            if not _expandable(shape, g._data.shape):
                raise RuntimeError(messages.INVALID_ROOT_GRAD_SHAPE.format(
                    index=i, got=_shape_str(g._data.shape), expected=_shape_str(shape)))
            g = g.sum_to_size(shape)
        if g is not None and g._dtype is not node._out_meta[nr][1]:  # validate_outputs' cast (a
            g = g.to(node._out_meta[nr][1])  # root whose .data was replaced by another dtype)
        if g is not None and node._out_meta[nr][1].category < 2:  # validate_outputs' assert
            raise RuntimeError(messages.GRAD_NOT_DIFFERENTIABLE)
        held.append(g)
        buf = buffers.get(node)
        if buf is None:
            buf = buffers[node] = [None] * len(node._out_meta)
            root_nodes.append(node)
        buf[nr] = g if buf[nr] is None else buf[nr] + g
    deps = _dependencies(root_nodes)

    needed = None
    capture_map: dict = {}
    captured = []
    if captures is not None:
        captured = [None] * len(captures)
        for i, (node, nr) in enumerate(captures):
            capture_map.setdefault(node, []).append((nr, i))
        # torch's init_to_execute: a node runs when a node below it runs or is captured; a
        # captured node itself runs only for backward(inputs=) (accumulate), autograd.grad just
        # takes the gradient flowing into it
        needed = set()
        for node in reversed(_topological_order(root_nodes)):
            if (accumulate and node in capture_map) or any(
                    n in needed or n in capture_map for n, _ in node.next_functions if n is not None):
                needed.add(node)

    state = STATE
    prev_mode = state.grad_enabled
    state.grad_enabled = create_graph
    heap = []
    counter = 0
    for node in root_nodes:
        if deps[node] == 0:
            heap.append((-node._sequence_nr, counter, node))
            counter += 1
    heapq.heapify(heap)
    heappop, heappush, heappushpop = heapq.heappop, heapq.heappush, heapq.heappushpop
    selective = needed is not None or not accumulate
    outer = state.evaluating  # (an engine run inside a hook of another's node: its node stays the parent)
    prev_parent = outer[0]
    evaluating = state.evaluating = [prev_parent]
    # the node made ready last stays out of the heap until the next pick: in a chain it is the
    # only ready node and runs next without a push and a pop (the heap order is unchanged); its
    # heap entry, with the count it became ready at, is built only when it meets another
    ready = None
    ready_count = 0
    try:
        while True:
            if ready is None:
                if not heap:
                    break
                node = heappop(heap)[2]
            elif heap:
                node = heappushpop(heap, (-ready._sequence_nr, ready_count, ready))[2]
                ready = None
            else:
                node, ready = ready, None
            buffer = buffers.pop(node)
            evaluating[0] = node
            try:
                # hooks, retain_grad and captures are rare: one test for the common node
                if node._tensor_pre_hooks or node._retain_grad or capture_map:
                    _before_call(node, buffer, capture_map, captured, needed, accumulate)
                if selective and not _runs(node, needed, accumulate):
                    continue
                outputs = _call_node(node, buffer, keep_graph)
            except Exception:
                if state.anomaly:  # torch warns for any error while evaluating a node (W5)
                    anomaly.warn_failed_node(node)
                raise
            finally:
                evaluating[0] = prev_parent
            # torch's call_function has dropped the inputs, and evaluate_function moves each
            # output into its buffer: no reference of ours may count in _accumulate_into
            buffer = None
            outputs = list(outputs)
            n_out = len(outputs)
            i = 0
            for nxt, nr in node.next_functions:
                if i == n_out:
                    break
                g = outputs[i]
                outputs[i] = None
                i += 1
                if nxt is None:
                    continue
                # an undefined gradient still makes its node run, as in torch (a custom
                # Function's backward then sees materialized zeros)
                buf = buffers.get(nxt)
                if buf is None:
                    buf = buffers[nxt] = [None] * len(nxt._out_meta)
                if g is not None:
                    buf[nr] = g if buf[nr] is None else _accumulate_into(buf, nr, g)
                d = deps[nxt] - 1
                deps[nxt] = d
                if d == 0 and (needed is None or nxt in needed or nxt in capture_map):
                    if ready is not None:
                        heappush(heap, (-ready._sequence_nr, ready_count, ready))
                    ready = nxt
                    ready_count = counter
                    counter += 1
            outputs = g = None  # the gradients now live in buffers only (see _ENGINE_REFS)
    finally:
        state.grad_enabled = prev_mode
        state.evaluating = outer
    if _lifetime.ACTIVE and create_graph and accumulate:  # numtorch: .grad <-> leaf cycles
        _lifetime.check_grad_cycles(_topological_order(root_nodes))
    return captured


def _runs(node, needed, accumulate) -> bool:
    """Under captures: only nodes leading to a capture run, and autograd.grad runs no
    AccumulateGrad."""
    if needed is not None and node not in needed:
        return False
    return accumulate or type(node) is not AccumulateGrad


def _before_call(node, buffer, capture_map, captured, needed, accumulate) -> None:
    """What evaluate_function does before call_function: tensor pre-hooks (which may replace
    `buffer`'s gradients), retain_grad, and the captures of autograd.grad / backward(inputs=)."""
    pre = None
    if node._tensor_pre_hooks:
        if not accumulate and node in capture_map and node in needed:
            # torch's evaluate_function: a captured node that still runs (a node
            # below it is needed) is captured before its tensor hooks, which run in
            # call_function; one that does not run is captured after them
            pre = list(buffer)
        _run_tensor_hooks(node, buffer)
    if node._retain_grad:
        for nr, ref in node._retain_grad.items():
            t = ref()
            if t is not None and t._grad_fn is node:
                _retain(t, buffer[nr])
    if not accumulate and node in capture_map:  # (backward(inputs=) returns nothing)
        for nr, i in capture_map[node]:
            g = buffer[nr] if pre is None else pre[nr]
            if g is not None:
                captured[i] = g if captured[i] is None else captured[i] + g


def _call_node(node, buffer, keep_graph: bool):
    """torch's call_function and the rest of evaluate_function: pre-hooks, apply, validate the
    outputs (E46), post-hooks, release, then the anomaly NaN check (E44). Hooks run even when
    every incoming gradient is undefined; the node then gives undefined gradients."""
    if node._pre_hooks:
        for fn in tuple(node._pre_hooks.values()):
            previous = tuple(buffer)
            r = fn(previous)
            if r is not None and r is not previous:
                buffer = list(check_result(previous, r, fn))
        r = previous = None
    for g in buffer:  # (by identity: `None in buffer` would call Tensor.__eq__)
        if g is not None:
            g = None  # no reference of ours besides the buffer's (see _ENGINE_REFS)
            outputs = _validated(node, node.apply(buffer))
            break
    else:
        outputs = _validated(node, node.apply(buffer)) if getattr(node, "_runs_on_undefined", False) \
            else _undefined_grads(node)
    if node._post_hooks:
        for fn in tuple(node._post_hooks.values()):
            previous = tuple(outputs)
            r = fn(previous, tuple(buffer))
            if r is not None and r is not previous:
                outputs = check_result(previous, r, fn)
    if not keep_graph:
        node.release()
        if _lifetime.ACTIVE:  # numtorch's graph-lifetime warnings (issue 7)
            _lifetime.note_freed(node)
    if STATE.anomaly and STATE.anomaly_check_nan:
        anomaly.check_nan(node, outputs)
    return outputs


def _undefined_grads(node) -> list:
    """What a node gives for undefined incoming gradients: undefined gradients. torch's generated
    nodes unpack what they saved before seeing that no grad is defined."""
    for saved in (getattr(node, "_saved", None) or {}).values():
        if saved is not None:
            saved.unpack(node)  # E5 once freed, the version check (E13/E14)
    return [None] * len(node.next_functions)


def _validated(node, outputs):
    """validate_outputs: each gradient checked against the metadata of the node it flows to. The
    common outputs (each of its node's shape and floating dtype) are returned as they are."""
    edges = node.next_functions
    if len(outputs) == len(edges):
        i = 0  # (a counter, not enumerate: this runs for every node)
        for g in outputs:
            if g is not None:
                nxt, nr = edges[i]
                if nxt is not None:
                    shape, dtype = nxt._out_meta[nr]
                    if g._dtype is not dtype or g._data.shape != shape or dtype.category < 2:
                        break
            i += 1
        else:
            return outputs
    return [g if g is None or nxt is None else validate_grad(node, i, g, nxt._out_meta[nr])
            for i, ((nxt, nr), g) in enumerate(zip(edges, outputs))]


_warned_create_graph = [False]


def warn_create_graph() -> None:
    # TORCH_WARN_ONCE in PyTorch: once per process, whatever the Python warning filters say
    if not _warned_create_graph[0]:
        _warned_create_graph[0] = True
        warnings.warn(messages.W_CREATE_GRAPH, UserWarning, stacklevel=3)
