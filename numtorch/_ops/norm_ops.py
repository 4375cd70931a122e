"""Batch and group normalisation as ATen's native_batch_norm (NativeBatchNormBackward0) and
native_group_norm (NativeGroupNormBackward0): three outputs (result, mean, inverse std), of which
only the first is differentiable. Running statistics are updated in the kernel, in place and
without a version bump, as ATen's kernel writes them (unbiased variance, momentum blend).

Statistics are computed in float64 and cast, as ATen's CPU kernels accumulate floats in double.
The backward formulas are written with numtorch ops, recomputing the normalised input from the
saved input (as layer norm does here), so they are differentiable: double backward works, through
numtorch's own graph rather than torch's NativeBatchNormBackwardBackward0."""
from __future__ import annotations

import numpy as np

from .._tensor import Tensor
from .dispatch import Op
from .reduction import mean, sum as _sum


def _axes(ndim: int) -> tuple:
    return (0,) + tuple(range(2, ndim))


def _channel(values: np.ndarray, ndim: int) -> np.ndarray:
    return values.reshape((1, -1) + (1,) * (ndim - 2))


# ---- batch norm ----------------------------------------------------------------------------------
def _batch_norm_kernel(x, w, b, running_mean, running_var, training, momentum, eps, has_weight,
                       has_bias, **_):
    axes = _axes(x.ndim)
    x64 = x.astype(np.float64)
    if training:
        mu = x64.mean(axis=axes)
        var = ((x64 - _channel(mu, x.ndim)) ** 2).mean(axis=axes)
        n = x.size // max(x.shape[1], 1)
        if running_mean is not None:
            rm = running_mean._data
            rm[...] = momentum * mu + (1 - momentum) * rm.astype(np.float64)
        if running_var is not None:
            rv = running_var._data
            unbiased = var * n / (n - 1) if n > 1 else np.full_like(var, np.nan)
            rv[...] = momentum * unbiased + (1 - momentum) * rv.astype(np.float64)
        invstd = 1 / np.sqrt(var + eps)
        save_mean, save_invstd = mu.astype(x.dtype), invstd.astype(x.dtype)
    else:
        mu = running_mean._data.astype(np.float64)
        invstd = 1 / np.sqrt(running_var._data.astype(np.float64) + eps)
        save_mean = save_invstd = np.zeros(0, x.dtype)
    alpha = invstd * (w.astype(np.float64) if has_weight else 1.0)
    beta = (b.astype(np.float64) if has_bias else 0.0) - mu * alpha
    y = x * _channel(alpha, x.ndim).astype(x.dtype) + _channel(beta, x.ndim).astype(x.dtype)
    return y.astype(x.dtype, copy=False), save_mean, save_invstd


def _batch_stats(c, x):
    """x-hat and invstd as numtorch tensors (differentiable in training mode), cached per call."""
    parts = c.__dict__.get("_parts")
    if parts is None:
        axes = _axes(x.dim())
        if c.training:
            xc = x - mean(x, axes, keepdim=True)
            invstd = (mean(xc * xc, axes, keepdim=True) + c.eps).rsqrt()
        else:
            shape = (1, -1) + (1,) * (x.dim() - 2)
            xc = x - Tensor._make(c.running_mean._data.reshape(shape).astype(x._data.dtype))
            invstd = Tensor._make((1 / np.sqrt(c.running_var._data.astype(np.float64) + c.eps))
                                  .astype(x._data.dtype).reshape(shape))
        parts = c.__dict__["_parts"] = (xc * invstd, invstd)
    return parts


def _batch_norm_input_grad(c, g, x, weight):
    xhat, invstd = _batch_stats(c, x)
    axes = _axes(x.dim())
    gw = g * weight.view((1, -1) + (1,) * (x.dim() - 2)) if c.has_weight else g
    if not c.training:
        return gw * invstd
    return invstd * (gw - mean(gw, axes, keepdim=True) - xhat * mean(gw * xhat, axes, keepdim=True))


BATCH_NORM = Op(
    "native_batch_norm", _batch_norm_kernel, node="NativeBatchNormBackward0",
    inputs=("input", "weight", "bias"), promote=None, multi_output=True, differentiable_outputs=(0,),
    grads={"input": lambda c, g: _batch_norm_input_grad(c, g[0], c.input, c.weight),
           "weight": lambda c, g: _sum(g[0] * _batch_stats(c, c.input)[0], _axes(g[0].dim())),
           "bias": lambda c, g: _sum(g[0], _axes(g[0].dim()))})


# ---- group norm ----------------------------------------------------------------------------------
def _group_norm_kernel(x, w, b, N, C, HxW, group, eps, has_weight, has_bias, **_):
    x64 = x.astype(np.float64).reshape(N, group, -1)
    mu = x64.mean(axis=2)
    var = ((x64 - mu[:, :, None]) ** 2).mean(axis=2)
    rstd = 1 / np.sqrt(var + eps)
    y = ((x64 - mu[:, :, None]) * rstd[:, :, None]).reshape(x.shape)
    if has_weight:
        y = y * _channel(w.astype(np.float64), x.ndim)
    if has_bias:
        y = y + _channel(b.astype(np.float64), x.ndim)
    return y.astype(x.dtype), mu.astype(x.dtype), rstd.astype(x.dtype)


def _group_stats(c, x):
    parts = c.__dict__.get("_parts")
    if parts is None:
        xg = x.reshape((c.N, c.group, -1))
        xc = xg - mean(xg, (2,), keepdim=True)
        rstd = (mean(xc * xc, (2,), keepdim=True) + c.eps).rsqrt()
        parts = c.__dict__["_parts"] = (xc * rstd, rstd)
    return parts


def _group_norm_input_grad(c, g, x, weight):
    xhat, rstd = _group_stats(c, x)
    gw = g * weight.view((1, -1) + (1,) * (x.dim() - 2)) if c.has_weight else g
    gw = gw.reshape((c.N, c.group, -1))
    out = rstd * (gw - mean(gw, (2,), keepdim=True) - xhat * mean(gw * xhat, (2,), keepdim=True))
    return out.reshape(tuple(x.shape))


GROUP_NORM = Op(
    "native_group_norm", _group_norm_kernel, node="NativeGroupNormBackward0",
    inputs=("input", "weight", "bias"), promote=None, multi_output=True, differentiable_outputs=(0,),
    grads={"input": lambda c, g: _group_norm_input_grad(c, g[0], c.input, c.weight),
           "weight": lambda c, g: _sum(g[0] * _group_stats(c, c.input)[0].reshape(tuple(g[0].shape)),
                                       _axes(g[0].dim())),
           "bias": lambda c, g: _sum(g[0], _axes(g[0].dim()))})


def save_statistics(out: Tensor, stats) -> Tensor:
    """Save result1/result2 (mean, invstd) on the node, as torch's node exposes them."""
    fn = out._grad_fn
    if fn is not None:
        fn.save("result1", stats[0], is_output=True, output_nr=1)
        fn.save("result2", stats[1], is_output=True, output_nr=2)
    return out


# ---- repeat (instance norm's weight, bias and running statistics) --------------------------------
REPEAT = Op("repeat", lambda a, repeats, **_: np.tile(a, repeats), node="RepeatBackward0",
            promote=None,
            grads={"self": lambda c, g: _sum(g.reshape(tuple(c.repeats) + tuple(c.shapes[0])),
                                             tuple(range(len(c.repeats))))})
