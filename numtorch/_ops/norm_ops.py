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


def _batch_norm_backward_kernel(g, x, w, save_mean, save_invstd, running_mean, running_var, train,
                                eps, output_mask, has_weight, **_):
    """batch_norm_backward_cpu_template, accumulating in float64."""
    axes = _axes(x.ndim)
    n = x.size // max(x.shape[1], 1)
    if train:
        mu, invstd = save_mean.astype(np.float64), save_invstd.astype(np.float64)
    else:
        mu = running_mean._data.astype(np.float64)
        invstd = 1 / np.sqrt(running_var._data.astype(np.float64) + eps)
    weight = w.astype(np.float64) if has_weight else np.ones_like(mu)
    g64 = g.astype(np.float64)
    xmu = x.astype(np.float64) - _channel(mu, x.ndim)
    total = g64.sum(axis=axes)
    dotp = (xmu * g64).sum(axis=axes)
    empty = np.zeros(0, g.dtype)
    grad_input = grad_weight = grad_bias = empty
    if output_mask[0]:
        if train:
            k = dotp * invstd * invstd / n
            grad_input = ((g64 - _channel(total / n, x.ndim) - xmu * _channel(k, x.ndim))
                          * _channel(invstd * weight, x.ndim))
        else:
            grad_input = g64 * _channel(invstd * weight, x.ndim)
        grad_input = grad_input.astype(g.dtype)
    if output_mask[1]:
        grad_weight = (dotp * invstd).astype(g.dtype)
    if output_mask[2]:
        grad_bias = total.astype(g.dtype)
    return grad_input, grad_weight, grad_bias


def _sum_exclude_dim1(t: Tensor, keepdim: bool = True) -> Tensor:
    return _sum(t, _axes(t.dim()), keepdim=keepdim)


def _batch_norm_double_backward(c, grads, grad_out, input, weight, save_mean, save_invstd):
    """FunctionsManual batchnorm_double_backward, with numtorch ops (cached per call)."""
    done = c.__dict__.get("_double")
    if done is not None:
        return done
    ggI, ggG, ggB = (t if m else None for t, m in zip(grads, c.output_mask))
    gO, training, nd = grad_out, c.train, input.dim()
    shape = (1, -1) + (1,) * (nd - 2)
    affine = c.has_weight
    gamma = weight.view(shape) if affine else None
    ggG_e = ggG.view(shape) if affine and ggG is not None else None
    ggB_e = ggB.view(shape) if affine and ggB is not None else None
    m = input.numel() // max(input.shape[1], 1)
    if training:
        mu = save_mean.view(shape)
        invstd = save_invstd.view(shape)
    else:
        mu = Tensor._make(c.running_mean._data.astype(input._data.dtype).reshape(shape))
        invstd = Tensor._make((1 / np.sqrt(c.running_var._data.astype(np.float64) + c.eps))
                              .astype(input._data.dtype).reshape(shape))
    xmu = input - mu
    inv2, inv3 = invstd * invstd, invstd * invstd * invstd
    xmu_inv3 = xmu * inv3
    gOinmu_sum = _sum_exclude_dim1(gO * xmu)
    gO_sum = _sum_exclude_dim1(gO)
    gI = None
    if ggI is not None and training:
        ggI_sum = _sum_exclude_dim1(ggI)
        ggIinmu_sum = _sum_exclude_dim1(ggI * xmu)
        all_sub = (ggI_sum * gO_sum / m - _sum_exclude_dim1(gO * ggI)
                   + inv2 * gOinmu_sum * ggIinmu_sum * (3.0 / m))
        gI_0t = xmu_inv3 * all_sub / m
        gI_1t = ggIinmu_sum * inv3 / m * (gO_sum / m - gO)
        gI_2t = gOinmu_sum * inv3 / m * (ggI_sum / m - ggI)
        gI = gI_0t + gI_1t + gI_2t
        if affine:
            gI = gamma * gI
    if affine and ggG_e is not None and training:
        term = ggG_e * (gO * invstd - invstd * gO_sum / m - xmu_inv3 * gOinmu_sum / m)
        gI = term if gI is None else gI + term
    elif affine and ggG_e is not None:
        term = ggG_e * invstd * gO
        gI = term if gI is None else gI + term

    def first_back_grad_input(g, scale):
        h0 = invstd / m if scale is None else scale * invstd / m
        h1 = g * m - _sum_exclude_dim1(g) - xmu * inv2 * _sum_exclude_dim1(g * xmu)
        return h0 * h1

    gG = None
    if affine and ggI is not None:
        if training:
            gG = _sum_exclude_dim1(ggI * first_back_grad_input(gO, None), keepdim=False)
        else:
            gG = _sum_exclude_dim1(ggI * gO * invstd, keepdim=False)
    ggO = None
    if ggI is not None:
        if training:
            ggO = first_back_grad_input(ggI, gamma)
        else:
            ggO = ggI * invstd * gamma if affine else ggI * invstd
    if ggG_e is not None:
        term = ggG_e * xmu * invstd
        ggO = term if ggO is None else ggO + term
    if ggB_e is not None:
        ggO = ggB_e.expand(tuple(gO.shape)) if ggO is None else ggO + ggB_e
    need = c.needs_input_grad
    from .creation import zeros_like
    if need[0] and ggO is None:
        ggO = zeros_like(gO)
    if need[1] and gI is None:
        gI = zeros_like(input)
    if need[2] and gG is None and affine:
        gG = zeros_like(weight)
    done = c.__dict__["_double"] = (ggO, gI, gG)
    return done


def _bn_double(i):
    return lambda c, g: _batch_norm_double_backward(c, g, c.grad_out, c.input, c.weight,
                                                    c.save_mean, c.save_invstd)[i]


BATCH_NORM_BACKWARD = Op(
    "native_batch_norm_backward", _batch_norm_backward_kernel, node="NativeBatchNormBackwardBackward0",
    inputs=("grad_out", "input", "weight", "save_mean", "save_invstd"), promote=None,
    multi_output=True, grads={"grad_out": _bn_double(0), "input": _bn_double(1), "weight": _bn_double(2)})


def _batch_norm_grads(c, g, input, weight, result1, result2):
    grads = c.__dict__.get("_grads")
    if grads is None:
        mask = tuple(c.needs_input_grad)
        grads = BATCH_NORM_BACKWARD(g[0], input, weight, result1, result2, running_mean=c.running_mean,
                                    running_var=c.running_var, train=c.training, eps=c.eps,
                                    output_mask=mask, has_weight=c.has_weight)
        grads = c.__dict__["_grads"] = tuple(t if m else None for t, m in zip(grads, mask))
    return grads


def _bn_grad(i):
    return lambda c, g: _batch_norm_grads(c, g, c.input, c.weight, c.result1, c.result2)[i]


BATCH_NORM = Op(
    "native_batch_norm", _batch_norm_kernel, node="NativeBatchNormBackward0",
    inputs=("input", "weight", "bias"), promote=None, multi_output=True, differentiable_outputs=(0,),
    grads={"input": _bn_grad(0), "weight": _bn_grad(1), "bias": _bn_grad(2)})


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


def _group_norm_backward(c, grads, input, weight, save_mean, save_rstd):
    """FunctionsManual infinitely_differentiable_native_group_norm_backward, op for op (so a
    create_graph gradient has torch's graph, and gradients reaching mean and rstd count), cached
    per backward call."""
    done = c.__dict__.get("_grads")
    if done is not None:
        return done
    from .nn_ops import DIV_SCALAR, MUL_SCALAR
    g, dmean, drstd = grads
    n, groups = c.N, c.group
    d = c.C // groups
    s = 1.0 / (d * c.HxW)
    x = input.reshape((n, groups, d, c.HxW))
    mean_t, rstd_t = save_mean.reshape((n, groups, 1, 1)), save_rstd.reshape((n, groups, 1, 1))
    if g is not None:
        dy = g.reshape((n, groups, d, c.HxW))
        ds = _sum(dy * x, 3).unsqueeze_(-1)
        db = _sum(dy, 3).unsqueeze_(-1)
    need = c.needs_input_grad
    dx = dgamma = dbeta = None
    statistics = dmean is not None and drstd is not None
    if need[0]:
        gamma = weight.reshape((1, groups, d, 1)) if c.has_weight else None
        rstd_cube = rstd_t * rstd_t * rstd_t
        if statistics:  # var_mean_backward(dvar, dmean, X, {2, 3}, correction 0, keepdim)
            dvar = MUL_SCALAR(rstd_cube, other=-0.5) * drstd.view((n, groups, 1, 1))
            through_stats = (MUL_SCALAR(dvar, other=2.0 / (d * c.HxW)) * (x - mean(x, (2, 3), keepdim=True))
                             + DIV_SCALAR(dmean.view((n, groups, 1, 1)).expand(tuple(x.shape)),
                                          other=d * c.HxW))
        if g is not None:
            a = rstd_t * gamma if gamma is not None else rstd_t
            b = _sum(ds * gamma if gamma is not None else ds, 2).unsqueeze_(-2)
            cc = _sum(db * gamma if gamma is not None else db, 2).unsqueeze_(-2)
            b = MUL_SCALAR((cc * mean_t - b) * rstd_cube, other=s)
            cc = -b * mean_t - MUL_SCALAR(cc * rstd_t, other=s)
            dx = a * dy + b * x + cc
            if statistics:
                dx = dx + through_stats
            dx = dx.reshape_as(input)
        elif statistics:
            dx = through_stats.reshape_as(input)
    if need[1] and g is not None:
        dgamma = _sum((ds - db * mean_t) * rstd_t, 0).reshape_as(weight)
    if need[2] and g is not None:
        dbeta = _sum(db, 0).reshape_as(weight)
    done = c.__dict__["_grads"] = (dx, dgamma, dbeta)
    return done


def _gn_grad(i):
    return lambda c, g: _group_norm_backward(c, g, c.input, c.weight, c.result1, c.result2)[i]


GROUP_NORM = Op(
    "native_group_norm", _group_norm_kernel, node="NativeGroupNormBackward0",
    inputs=("input", "weight", "bias"), promote=None, multi_output=True,
    grads={"input": _gn_grad(0), "weight": _gn_grad(1), "bias": _gn_grad(2)})


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
