"""torch.nn.utils.clip_grad: gradient norm and value clipping (torch/nn/utils/clip_grad.py).

Composed from numtorch ops as torch composes them on the CPU (its foreach path: per-tensor vector
norms, grouped by dtype in first-seen order, stacked and normed again; clip_coef = max_norm /
(total_norm + 1e-6) clamped to 1; grads scaled in place, one version bump each; value clipping as
clamp_min_ then clamp_max_, two bumps), all under no_grad."""
from __future__ import annotations

import functools
import types
import warnings
from collections.abc import Callable, Iterable
from typing import TypeVar

from ..._ops.creation import tensor
from ..._ops.joining import stack
from ..._ops.pointwise import clamp
from ..._tensor import Tensor
from ...autograd.grad_mode import no_grad

__all__ = ["clip_grad_norm", "clip_grad_norm_", "clip_grad_value_", "clip_grads_with_norm_",
           "get_total_norm"]

_tensor_or_tensors = Tensor | Iterable[Tensor]
_R = TypeVar("_R")


def _no_grad(func: Callable[..., _R]) -> Callable[..., _R]:
    @functools.wraps(func)
    def _no_grad_wrapper(*args, **kwargs):
        with no_grad():
            return func(*args, **kwargs)
    return _no_grad_wrapper


def _group_by_dtype(tensors: list[Tensor]) -> dict:
    """torch's _group_tensors_by_device_and_dtype on one device: dtype -> tensors, first-seen order."""
    groups: dict = {}
    for t in tensors:
        groups.setdefault(t.dtype, []).append(t)
    return groups


def _vector_norm(t: Tensor, norm_type: float) -> Tensor:
    return t.norm(norm_type)


@_no_grad
def get_total_norm(tensors: _tensor_or_tensors, norm_type: float = 2.0, error_if_nonfinite: bool = False,
                   foreach: bool | None = None) -> Tensor:
    """The norm of all tensors viewed as one vector (the norm of their norms)."""
    tensors = [tensors] if isinstance(tensors, Tensor) else list(tensors)
    norm_type = float(norm_type)
    if len(tensors) == 0:
        return tensor(0.0)
    norms: list[Tensor] = []
    for group in _group_by_dtype(tensors).values():
        norms.extend(_vector_norm(g, norm_type) for g in group)
    total_norm = _vector_norm(stack(norms), norm_type)
    if error_if_nonfinite and (total_norm.isnan() | total_norm.isinf()):
        raise RuntimeError(f"The total norm of order {norm_type} for gradients from `parameters` is "
                           "non-finite, so it cannot be clipped. To disable this error and scale the "
                           "gradients by the non-finite norm anyway, set `error_if_nonfinite=False`")
    return total_norm


@_no_grad
def clip_grads_with_norm_(parameters: _tensor_or_tensors, max_norm: float, total_norm: Tensor,
                          foreach: bool | None = None) -> None:
    """Scales the gradients in place by min(max_norm / (total_norm + 1e-6), 1)."""
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    grads = [p.grad for p in parameters if p.grad is not None]
    max_norm = float(max_norm)
    if len(grads) == 0:
        return
    clip_coef = max_norm / (total_norm + 1e-6)
    clip_coef_clamped = clamp(clip_coef, max=1.0)
    for group in _group_by_dtype(grads).values():
        for g in group:
            g.mul_(clip_coef_clamped)


@_no_grad
def clip_grad_norm_(parameters: _tensor_or_tensors, max_norm: float, norm_type: float = 2.0,
                    error_if_nonfinite: bool = False, foreach: bool | None = None) -> Tensor:
    """Clips the gradients' total norm to max_norm in place; returns the total norm before clipping."""
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    else:
        is_generator = isinstance(parameters, types.GeneratorType)
        parameters = list(parameters)
        if is_generator and len(parameters) == 0:
            warnings.warn("`parameters` is an empty generator, no gradient clipping will occur.",
                          stacklevel=3)
    grads = [p.grad for p in parameters if p.grad is not None]
    total_norm = get_total_norm(grads, norm_type, error_if_nonfinite, foreach)
    clip_grads_with_norm_(parameters, max_norm, total_norm, foreach)
    return total_norm


def clip_grad_norm(parameters: _tensor_or_tensors, max_norm: float, norm_type: float = 2.0,
                   error_if_nonfinite: bool = False, foreach: bool | None = None) -> Tensor:
    """Deprecated alias of clip_grad_norm_."""
    warnings.warn("`torch.nn.utils.clip_grad_norm` is now deprecated in favor of "
                  "`torch.nn.utils.clip_grad_norm_`.", FutureWarning, stacklevel=2)
    return clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite, foreach)


@_no_grad
def clip_grad_value_(parameters: _tensor_or_tensors, clip_value: float, foreach: bool | None = None) -> None:
    """Clamps every gradient in place to [-clip_value, clip_value]."""
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    clip_value = float(clip_value)
    grads = [p.grad for p in parameters if p.grad is not None]
    for group in _group_by_dtype(grads).values():
        # torch's CPU default is the foreach path: clamp_min_ on all, then clamp_max_ on all
        for grad in group:
            grad.clamp_min_(-clip_value)
        for grad in group:
            grad.clamp_max_(clip_value)
