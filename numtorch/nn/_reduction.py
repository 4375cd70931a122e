"""Reduction names to ATen's enum (0 none, 1 mean, 2 sum), with PyTorch's legacy
size_average/reduce handling and warnings (torch/nn/_reduction.py)."""
from __future__ import annotations

import warnings

from .._core import messages


def get_enum(reduction: str) -> int:
    if reduction == "none":
        return 0
    if reduction == "mean":
        return 1
    if reduction == "elementwise_mean":
        warnings.warn(messages.W_ELEMENTWISE_MEAN, stacklevel=3)
        return 1
    if reduction == "sum":
        return 2
    raise ValueError(messages.INVALID_REDUCTION.format(reduction=reduction))


def legacy_get_string(size_average: bool | None, reduce: bool | None, emit_warning: bool = True) -> str:
    if size_average is None:
        size_average = True
    if reduce is None:
        reduce = True
    if size_average and reduce:
        ret = "mean"
    elif reduce:
        ret = "sum"
    else:
        ret = "none"
    if emit_warning:
        warnings.warn(messages.W_LEGACY_REDUCTION.format(ret), stacklevel=3)
    return ret


def legacy_get_enum(size_average: bool | None, reduce: bool | None, emit_warning: bool = True) -> int:
    return get_enum(legacy_get_string(size_average, reduce, emit_warning))
