"""AccumulateGrad's kernel (torch/csrc/autograd/functions/accumulate_grad.h): how a leaf's .grad
receives a gradient, stolen or copied into the parameter's layout (the layout contract), then
accumulated; and the leaf's post-accumulate hooks."""
from __future__ import annotations

import sys
import warnings

import numpy as np

from .._core import messages
from .._core import zerotensor as _zero
from .._core.state import STATE


def non_overlapping_and_dense(a: np.ndarray) -> bool:
    dims = sorted((st, n) for st, n in zip(a.strides, a.shape) if n != 1)
    expected = a.itemsize
    for st, n in dims:
        if st != expected:
            return False
        expected *= n
    return True


def _obeys_layout(g: np.ndarray, v: np.ndarray) -> bool:
    """utils::obeys_layout_contract: g has v's strides (size-1 dims aside) when v is
    non-overlapping and dense, else g is contiguous."""
    if (g.flags.c_contiguous and v.flags.c_contiguous and g.shape == v.shape and v.size
            and g.itemsize == v.itemsize):
        return True  # the common case, answered without sorting strides (v is then dense)
    if v.size == 0:  # torch's empty tensors keep C strides (of sizes at least 1), numpy may record zeros
        v_strides = tuple(int(np.prod([max(n, 1) for n in v.shape[i + 1:]], dtype=np.int64)) * v.itemsize
                          for i in range(v.ndim))
    elif not non_overlapping_and_dense(v):
        return g.flags.c_contiguous
    else:
        v_strides = v.strides
    # torch reads the parameter's stride for each of the gradient's dims; past the parameter's
    # own dims (a `.data =` of fewer dims) a stride of one element matches what torch 2.13 does
    vs = v_strides + (v.itemsize,) * (g.ndim - v.ndim)
    return g.itemsize == v.itemsize and all(n == 1 or gs == s for n, gs, s in zip(g.shape, g.strides, vs))


def _obey_layout(g: np.ndarray, v: np.ndarray) -> np.ndarray:
    """A copy of gradient `g` laid out as AccumulateGrad's layout contract asks: with the strides
    of the parameter `v` when `v` is non-overlapping and dense (so a transposed or expanded
    gradient from mm/sum backward becomes, like the parameter, contiguous), else contiguous."""
    if g.size and non_overlapping_and_dense(v):
        out = np.empty_like(v, dtype=g.dtype)  # order 'K': v's own layout
        np.copyto(out, g)
        return out
    return np.array(g, copy=True, order="C")


_warned_layout = [False]


def _check_layout(g: np.ndarray, v: np.ndarray) -> None:
    """AccumulateGrad's CHECK_RESULT after adding into an existing .grad: TORCH_WARN_ONCE when the
    sum breaks the layout contract (utils::obeys_layout_contract)."""
    if g.strides == v.strides and g.shape == v.shape:
        return
    if non_overlapping_and_dense(v):
        vs = v.strides
        # (torch also rejects a 0 stride on a size-1 dim; numpy's strides there are not torch's)
        ok = g.itemsize == v.itemsize and all(n == 1 or (i < len(vs) and st == vs[i])
                                              for i, (n, st) in enumerate(zip(g.shape, g.strides)))
    else:
        ok = g.flags.c_contiguous
    if not ok:
        _warned_layout[0] = True
        warnings.warn(messages.W_GRAD_LAYOUT_CONTRACT.format(
            gsizes=list(g.shape), gstrides=[st // g.itemsize for st in g.strides],
            psizes=list(v.shape), pstrides=[st // v.itemsize for st in v.strides]), UserWarning, stacklevel=2)


# References to a first gradient nobody else holds, as accumulate_grad sees it: the node's input
# buffer, accumulate_grad's argument and getrefcount's own. execute() drops the outputs of the
# node before, and captures nothing for backward(inputs=), so that holds for every gradient.
_ENGINE_REFS = 3


def accumulate_grad(var, grad) -> None:
    """AccumulateGrad: the first gradient is stored as a new tensor, later ones added in place
    (out of place when the backward itself is recorded, so .grad gets a history)."""
    old = var._grad
    if old is None:
        if STATE.grad_enabled:
            if grad._data.shape != var._data.shape and non_overlapping_and_dense(var._data):
                # `.data =` of another shape: clone_obey_contract copies into an empty of the
                # parameter's sizes (broadcasting the gradient, or copy_'s shape error)
                var._grad = grad.new_empty(var._data.shape).copy_(grad)
            else:
                var._grad = grad.new_empty(grad.shape).copy_(grad)
            if var._grad._data.strides != var._data.strides:
                var._grad._data = _obey_layout(var._grad._data, var._data)
        elif grad._data.shape != var._data.shape:  # `.data =` of another shape
            # torch steals only a gradient nobody else holds (a root gradient the engine keeps
            # is cloned into the parameter's sizes)
            if sys.getrefcount(grad) <= _ENGINE_REFS and _obeys_layout(grad._data, var._data):
                var._grad = type(grad)._make(np.array(grad._data, copy=True, order="C"))
            else:  # clone_obey_contract: copy_ into the parameter's sizes (broadcast or error)
                var._grad = grad.new_empty(var._data.shape).copy_(grad)
        elif _zero.is_zero(grad._data) and _obeys_layout(grad._data, var._data):
            # torch steals a gradient nothing else references (new_grad.detach()): a ZeroTensor
            # stays one, and the next in-place accumulation into it raises
            var._grad = type(grad)._make(grad._data)
        elif sys.getrefcount(grad) <= _ENGINE_REFS and _obeys_layout(grad._data, var._data):
            # is_tensor_stealable: no one but the engine holds the gradient, so torch keeps
            # new_grad.detach() (its data and version counter) instead of a copy; a view of the
            # gradient taken before (a custom backward's buffer) then still sees .grad's data
            var._grad = type(grad)._make(grad._data, vc=grad._vc)
        else:
            var._grad = type(grad)._make(_obey_layout(grad._data, var._data))
            if var._data.size == 0 or non_overlapping_and_dense(var._data):
                # clone_obey_contract's new_empty_strided(...).copy_(new_grad): a write, version 1
                var._grad._bump_version()
    else:
        if STATE.grad_enabled:
            var._grad = old + grad
        else:
            if _zero.is_zero(old._data):  # `variable_grad += new_grad` on a stolen ZeroTensor
                raise RuntimeError(messages.ZERO_TENSOR_IMMUTABLE)
            old._accumulate_in_place(grad)
        if not _warned_layout[0]:
            _check_layout(var._grad._data, var._data)
    run_post_accumulate_hooks(var)


def run_post_accumulate_hooks(var) -> None:
    hooks = var.__dict__.get("_post_acc_hooks")
    if hooks:
        for fn in tuple(hooks.values()):
            r = fn(var)
            if r is not None:
                if not hasattr(r, "_data"):
                    raise TypeError(messages.HOOK_RETURN_TYPE.format(type=type(r).__name__))
                raise RuntimeError(messages.POST_ACC_RETURN)
