"""torch.utils.dlpack: zero-copy exchange with any DLPack producer or consumer (numpy, torch, ...).

numpy implements the protocol: a tensor exports its array (Tensor.__dlpack__), and from_dlpack
wraps what np.from_dlpack returns, so the memory is shared in both directions, never copied."""
from __future__ import annotations

import enum
from typing import Any

import numpy as np

from .._core import dtypes as _dt
from .._core.device import check_device
from .._tensor import Tensor

__all__ = ["DLDeviceType", "from_dlpack", "to_dlpack"]


class DLDeviceType(enum.IntEnum):
    kDLCPU = 1
    kDLCUDA = 2
    kDLCUDAHost = 3
    kDLOpenCL = 4
    kDLVulkan = 7
    kDLMetal = 8
    kDLVPI = 9
    kDLROCM = 10
    kDLROCMHost = 11
    kDLExtDev = 12
    kDLCUDAManaged = 13
    kDLOneAPI = 14
    kDLWebGPU = 15
    kDLHexagon = 16
    kDLMAIA = 17


class _Writable:
    """numpy marks arrays from legacy capsules read-only; DLPack before 1.0 had no read-only flag
    and torch writes through them, so the same memory is re-exposed writable (self keeps it alive)."""

    def __init__(self, array: np.ndarray) -> None:
        self.array = array
        interface = dict(array.__array_interface__)
        interface["data"] = (interface["data"][0], False)
        self.__array_interface__ = interface


class _Capsule:
    """A bare DLPack capsule (what to_dlpack returns) seen as a producer, for np.from_dlpack."""

    def __init__(self, capsule: Any) -> None:
        self.capsule = capsule

    def __dlpack__(self, **kwargs: Any) -> Any:
        return self.capsule

    def __dlpack_device__(self) -> tuple[int, int]:
        return (DLDeviceType.kDLCPU, 0)


def to_dlpack(tensor: Tensor) -> Any:
    """A legacy ("dltensor") capsule sharing the tensor's memory; consume it once."""
    return tensor.__dlpack__()


def from_dlpack(ext_tensor: Any, *, device=None, copy: bool | None = None) -> Tensor:
    """A tensor sharing memory with ext_tensor: an object with __dlpack__ (numpy array, torch or
    numtorch tensor, ...) or a capsule from to_dlpack."""
    check_device(device)
    legacy = not hasattr(ext_tensor, "__dlpack__")
    if legacy:
        ext_tensor = _Capsule(ext_tensor)
    array = np.from_dlpack(ext_tensor) if copy is None else np.from_dlpack(ext_tensor, copy=copy)
    if legacy and not array.flags.writeable:
        array = np.asarray(_Writable(array))
    _dt.from_numpy(array.dtype)  # TypeError for a dtype numtorch lacks, as from_numpy
    return Tensor._make(array)
