"""multi_margin_loss (MultiMarginLossBackward0) and multilabel_margin_loss
(MultilabelMarginLossBackward0), with ATen's CPU loops' semantics: a frame's loss is the sum over
the hinge terms divided by the number of classes; the multilabel target lists class indices up to
the first -1. Their backward ops have no derivative in torch: differentiating through them records
a NotImplemented node that raises torch's error."""
from __future__ import annotations

import numpy as np

from .._core import messages
from .dispatch import Op

NONE, MEAN, SUM = 0, 1, 2


def _frames(x: np.ndarray) -> np.ndarray:
    return x.reshape(1, -1) if x.ndim <= 1 else x


def _reduce(per_frame: np.ndarray, reduction: int, batched_none: bool, dtype) -> np.ndarray:
    if reduction == NONE:
        return per_frame.astype(dtype) if batched_none else np.asarray(per_frame.sum(), dtype)
    total = per_frame.sum()
    if reduction == MEAN:
        total = total / len(per_frame)
    return np.asarray(total, dtype)


def _grad_scale(g: np.ndarray, reduction: int, frames: int, dtype) -> np.ndarray:
    """The incoming gradient per frame."""
    if reduction == NONE and g.ndim == 1:
        return g.astype(dtype).reshape(-1, 1)
    scale = g.reshape(()) / (frames if reduction == MEAN else 1)
    return np.full((frames, 1), scale, dtype)


# ---- multi margin --------------------------------------------------------------------------------
def _multi_margin_terms(x, target, p, margin, weight):
    """(z > 0 mask, hinge values, per-class weight factor) for frames x (N, C)."""
    n, dim = x.shape
    rows = np.arange(n)
    tgt = target.reshape(-1).astype(np.int64)
    z = margin - x[rows, tgt][:, None] + x
    active = z > 0
    active[rows, tgt] = False
    h = z if p == 1 else z * z
    factor = weight[tgt][:, None] if weight is not None else np.ones((n, 1), x.dtype)
    return active, z, h, factor


def _weight(weight):
    return None if weight is None else weight._data.reshape(-1)


def _multi_margin_kernel(x, target, p, margin, reduction, weight, **_):
    frames = _frames(x)
    dim = frames.shape[1]
    active, _z, h, factor = _multi_margin_terms(frames, target._data, p, margin, _weight(weight))
    per_frame = (np.where(active, h * factor, 0)).sum(1) / x.dtype.type(dim)
    return _reduce(per_frame, reduction, reduction == NONE and target._data.ndim > 0, x.dtype)


def _multi_margin_backward_kernel(x, grad, target, p, margin, reduction, weight, **_):
    frames = _frames(x)
    n, dim = frames.shape
    active, z, _h, factor = _multi_margin_terms(frames, target._data, p, margin, _weight(weight))
    g = _grad_scale(grad._data, reduction, n, x.dtype)
    d = (np.ones_like(z) if p == 1 else 2 * z) * factor * g / x.dtype.type(dim)
    d = np.where(active, d, 0).astype(x.dtype)
    out = d.copy()
    out[np.arange(n), target._data.reshape(-1).astype(np.int64)] -= d.sum(1)
    return out.reshape(x.shape)


def _no_derivative(name: str):
    def formula(c, g):
        raise RuntimeError(messages.DERIVATIVE_NOT_IMPLEMENTED.format(name="aten::" + name))
    return formula


MULTI_MARGIN_BACKWARD = Op("multi_margin_loss_backward", _multi_margin_backward_kernel, node="NotImplemented",
                           promote=None, grads={"self": _no_derivative("multi_margin_loss_backward")})
MULTI_MARGIN_BACKWARD.node_cls.name = lambda self: "torch::autograd::NotImplemented"
MULTI_MARGIN = Op(
    "multi_margin_loss", _multi_margin_kernel, node="MultiMarginLossBackward0", promote=None,
    grads={"self": lambda c, g: MULTI_MARGIN_BACKWARD(c.self, grad=g, target=c.target, p=c.p, margin=c.margin,
                                                      reduction=c.reduction, weight=c.weight)})


# ---- multilabel margin ---------------------------------------------------------------------------
def _multilabel_terms(x, target):
    """is_target, the listed targets' positions (up to each frame's first -1), and the hinge terms
    z[f, k, d] = 1 - x[f, target[f, k]] + x[f, d] over listed k and non-target d with z > 0."""
    n, dim = x.shape
    listed = np.cumprod(target >= 0, axis=1).astype(bool)
    tgt = np.where(listed, target, 0)
    is_target = np.zeros((n, dim), x.dtype)
    frames = np.broadcast_to(np.arange(n)[:, None], tgt.shape)
    is_target[frames[listed], tgt[listed]] = 1
    z = 1 - np.take_along_axis(x, tgt, 1)[:, :, None] + x[:, None, :]
    active = listed[:, :, None] & (is_target[:, None, :] == 0) & (z > 0)
    return is_target, tgt, z, active


def _multilabel_kernel(x, target, reduction, **_):
    frames = _frames(x)
    tgt = _frames(target._data.astype(np.int64))
    dim = frames.shape[1]
    is_target, _t, z, active = _multilabel_terms(frames, tgt)
    per_frame = np.where(active, z, 0).sum((1, 2)).astype(x.dtype) / x.dtype.type(dim)
    out = _reduce(per_frame, reduction, reduction == NONE and target._data.ndim > 1, x.dtype)
    return out, is_target.reshape(target._data.shape)


def _multilabel_backward_kernel(x, grad, target, reduction, **_):
    frames = _frames(x)
    tgt_in = _frames(target._data.astype(np.int64))
    n, dim = frames.shape
    _is_target, tgt, _z, active = _multilabel_terms(frames, tgt_in)
    g = _grad_scale(grad._data, reduction, n, x.dtype) / x.dtype.type(dim)
    out = active.sum(1).astype(x.dtype) * g
    rows = np.broadcast_to(np.arange(n)[:, None], tgt.shape)
    np.add.at(out, (rows, tgt), -active.sum(2).astype(x.dtype) * g)
    return out.reshape(x.shape)


MULTILABEL_MARGIN_BACKWARD = Op("multilabel_margin_loss_backward", _multilabel_backward_kernel,
                                node="NotImplemented", promote=None,
                                grads={"self": _no_derivative("multilabel_margin_loss_backward")})
MULTILABEL_MARGIN_BACKWARD.node_cls.name = lambda self: "torch::autograd::NotImplemented"
MULTILABEL_MARGIN = Op(
    "multilabel_margin_loss_forward", _multilabel_kernel, node="MultilabelMarginLossBackward0", promote=None,
    multi_output=True, differentiable_outputs=(0,),
    grads={"self": lambda c, g: MULTILABEL_MARGIN_BACKWARD(c.self, grad=g[0], target=c.target,
                                                           reduction=c.reduction)})
