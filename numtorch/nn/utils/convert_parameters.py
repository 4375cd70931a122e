"""torch.nn.utils.convert_parameters: parameters <-> one flat vector."""
from __future__ import annotations

from collections.abc import Iterable

from ..._ops.joining import cat
from ..._tensor import Tensor
from .._utils import typename

__all__ = ["parameters_to_vector", "vector_to_parameters"]


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """cat of every parameter viewed as 1-D (differentiable, as in torch)."""
    param_device = None
    vec = []
    for param in parameters:
        param_device = _check_param_device(param, param_device)
        vec.append(param.view(-1))
    return cat(vec)


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """Points each parameter's .data at its slice of vec (views of vec, not copies)."""
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected torch.Tensor, but got: {typename(vec)}")
    param_device = None
    pointer = 0
    for param in parameters:
        param_device = _check_param_device(param, param_device)
        num_param = param.numel()
        param.data = vec[pointer: pointer + num_param].view_as(param).data
        pointer += num_param


def _check_param_device(param: Tensor, old_param_device: int | None) -> int:
    # numtorch has only the CPU: every parameter is on device -1, as CPU tensors are in torch
    if old_param_device is None:
        return -1
    if old_param_device != -1:
        raise TypeError("Found two parameters on different devices, this is currently not supported.")
    return old_param_device
