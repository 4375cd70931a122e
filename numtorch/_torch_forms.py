"""torch.* forms of functions whose torch.nn.functional twins take their arguments differently:
`torch.embedding(weight, indices)` (F.embedding takes input first), `torch.dropout(input, p,
train)` (positional train), `torch.adaptive_max_pool1d` (always returns indices),
`torch.layer_norm(..., cudnn_enable)`. Loaded on first use, with torch.nn."""
from __future__ import annotations

from .nn import functional as F


def adaptive_max_pool1d(input, output_size):
    return F.adaptive_max_pool1d(input, output_size, return_indices=True)


def dropout(input, p, train):
    return F.dropout(input, p, train)


def embedding(weight, indices, padding_idx=-1, scale_grad_by_freq=False, sparse=False):
    return F.embedding(indices, weight, None if padding_idx == -1 else padding_idx,
                       scale_grad_by_freq=scale_grad_by_freq, sparse=sparse)


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5, cudnn_enable=True):
    return F.layer_norm(input, normalized_shape, weight, bias, eps)
