"""torch.nn.functional's embedding_bag, gumbel_softmax and pdist (re-exported by
numtorch.nn.functional): torch's Python wrapper, then ATen's checks in ATen's order, then the op."""
from __future__ import annotations

import warnings

import numpy as np

from .._core import dtypes as dt
from .._core import messages
from .._ops import bag_ops
from .._tensor import Tensor

__all__ = ["embedding_bag", "gumbel_softmax", "pdist"]

_MODES = {"sum": bag_ops.SUM, "mean": bag_ops.MEAN, "max": bag_ops.MAX}


def _type_name(value) -> str:
    return "<class 'torch.Tensor'>" if isinstance(value, Tensor) else str(type(value))


def embedding_bag(input: Tensor, weight: Tensor, offsets: Tensor | None = None, max_norm: float | None = None,
                  norm_type: float = 2, scale_grad_by_freq: bool = False, mode: str = "mean",
                  sparse: bool = False, per_sample_weights: Tensor | None = None,
                  include_last_offset: bool = False, padding_idx: int | None = None) -> Tensor:
    if weight._dtype is dt.int64 and input.is_floating_point():
        warnings.warn(messages.W_EMBEDDING_BAG_ORDER, stacklevel=2)
        weight, input = input, weight
    if per_sample_weights is not None and input.size() != per_sample_weights.size():
        raise ValueError(messages.EMBEDDING_BAG_PSW_SHAPE.format(psw=per_sample_weights.shape,
                                                                 input=input.shape))
    if weight.dim() != 2:
        raise ValueError(messages.EMBEDDING_BAG_WEIGHT_DIM.format(d=weight.dim()))
    if input.dim() == 2:
        if offsets is not None:
            raise ValueError(messages.EMBEDDING_BAG_2D_OFFSETS.format(type=_type_name(offsets)))
        from .._ops.creation import arange
        offsets = arange(0, input.numel(), input.size(1), dtype=input.dtype)
        include_last_offset = False
        input = input.reshape(-1)
        if per_sample_weights is not None:
            per_sample_weights = per_sample_weights.reshape(-1)
    elif input.dim() == 1:
        if offsets is None:
            raise ValueError(messages.EMBEDDING_BAG_OFFSETS_NONE)
        if offsets.dim() != 1:
            raise ValueError(messages.EMBEDDING_BAG_OFFSETS_DIM)
    else:
        raise ValueError(messages.EMBEDDING_BAG_INPUT_DIM.format(d=input.dim()))
    if mode not in _MODES:
        raise ValueError(messages.EMBEDDING_BAG_MODE)
    if mode == "max":
        if scale_grad_by_freq:
            raise ValueError(messages.EMBEDDING_BAG_MAX_FREQ)
        if sparse:
            raise ValueError(messages.EMBEDDING_BAG_MAX_SPARSE)
    if max_norm is not None:
        from .functional import _embedding_renorm_
        _embedding_renorm_(weight, input, max_norm, norm_type)
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError(messages.EMBEDDING_BAG_PSW_MODE.format(mode=mode))
    return _embedding_bag(weight, input, offsets, scale_grad_by_freq, _MODES[mode], sparse,
                          per_sample_weights, include_last_offset, padding_idx)[0]


def _embedding_bag(weight, indices, offsets, scale_grad_by_freq, mode, sparse, per_sample_weights,
                   include_last_offset, padding_idx):
    """at::embedding_bag and _embedding_bag_cpu_impl's argument checks."""
    num = weight.shape[0] if weight.dim() else 0
    if padding_idx is not None:
        if not -num <= padding_idx < num:
            raise RuntimeError(messages.EMBEDDING_BAG_PADDING.format(n=num, last=num - 1,
                                                                     padding_idx=padding_idx))
        if padding_idx < 0:
            padding_idx += num
    else:
        padding_idx = -1
    if weight._dtype not in (dt.float16, dt.float32, dt.float64):
        raise RuntimeError(messages.EMBEDDING_BAG_SCALAR_TYPES.format(
            name="weight", types="Half, BFloat16, Float, Double", got=weight.type()))
    common = dt.result_type(indices, offsets)
    if indices._dtype is not common:
        indices = indices.to(common)
    if offsets._dtype is not common:
        offsets = offsets.to(common)
    for name, t in (("indices", indices), ("offsets", offsets)):
        if t._dtype not in (dt.int64, dt.int32):
            raise RuntimeError(messages.EMBEDDING_BAG_SCALAR_TYPES.format(name=name, types="Long, Int",
                                                                          got=t.type()))
    if per_sample_weights is not None and per_sample_weights._dtype is not weight._dtype:
        raise RuntimeError(messages.EMBEDDING_BAG_SAME_TYPE.format(a=weight.type(),
                                                                   b=per_sample_weights.type()))
    if include_last_offset and offsets.shape[0] < 1:
        raise RuntimeError(messages.EMBEDDING_BAG_LAST_OFFSET)
    off = offsets._data
    if len(off):
        if off[0] != 0:
            raise RuntimeError(messages.EMBEDDING_BAG_OFFSET0.format(got=int(off[0]), type=offsets.type()))
        if off[-1] > indices.shape[0]:
            raise RuntimeError(messages.EMBEDDING_BAG_OFFSET_LAST.format(n=indices.shape[0],
                                                                         got=int(off[-1])))
    idx = indices._data
    bad = np.nonzero((idx < 0) | (idx >= num))[0]
    if len(bad):
        raise RuntimeError(messages.EMBEDDING_BAG_INDEX.format(i=int(bad[0]), value=int(idx[bad[0]]), n=num))
    return bag_ops.embedding_bag(weight, indices, offsets, scale_grad_by_freq, mode, sparse,
                                 per_sample_weights, include_last_offset, padding_idx)


def gumbel_softmax(logits: Tensor, tau: float = 1, hard: bool = False, eps: float = 1e-10,
                   dim: int = -1) -> Tensor:
    """torch's composite: softmax((logits + g) / tau) with g = -log(Exp(1)) drawn by exponential_
    (torch's draws); `hard` returns the one-hot argmax, with the soft sample's gradient."""
    from .._ops.creation import empty_like, zeros_like
    if eps != 1e-10:
        warnings.warn(messages.W_GUMBEL_EPS, stacklevel=2)
    if not isinstance(logits, Tensor):  # torch.empty_like's parser is the first to see it
        from .._ops import arg_parser
        arg_parser.check_python_args("empty_like", (("input", "T", True, "p"),), (logits,))
    gumbels = -empty_like(logits).exponential_().log()
    gumbels = (logits + gumbels) / tau
    y_soft = gumbels.softmax(dim)
    if hard:
        index = y_soft.max(dim, keepdim=True)[1]
        y_hard = zeros_like(logits).scatter_(dim, index, 1.0)
        return y_hard - y_soft.detach() + y_soft
    return y_soft


def pdist(input: Tensor, p: float = 2) -> Tensor:
    """at::pdist: the p-norm distance between each pair of rows (i < j, row-major)."""
    if input.dim() != 2:
        raise RuntimeError(messages.PDIST_DIMS.format(d=input.dim()))
    if not input.is_floating_point():
        raise RuntimeError(messages.PDIST_DTYPE)
    if p < 0:
        raise RuntimeError(messages.PDIST_P)
    return bag_ops.PDIST(input.contiguous(), p=float(p))
