"""Convolution, as ATen's at::convolution: one op for 1-d to 3-d, plain and transposed, recorded
as ConvolutionBackward0. Its backward, convolution_backward, is an op too
(ConvolutionBackwardBackward0) whose formulas are convolutions again, so every order of gradient
works. `convolution()` runs _convolution's argument checks in PyTorch's order, with its texts.

NOTE [Convolution kernels]
Three numpy kernels serve every case. `_columns` builds the im2col matrix (C*prod(K), N*L) through
a strided window view (one copy); `_conv` is ONE matmul of the weight with it; `_conv_input_grad`
is one matmul back to columns and a col2im that adds one strided slice per kernel offset (no
np.add.at); `_conv_weight_grad` is one matmul of the gradient with the columns. A transposed
convolution is the input-gradient of a plain one, so its forward is `_conv_input_grad` and its
backward uses `_conv` and `_conv_weight_grad` with the roles of input and gradient swapped.
Copies cost numpy per contiguous run, and output rows are short (a 14-wide image with 8 channels,
batch 32: 32*8*9*14 runs of 14 for one im2col). With unit strides the kernels therefore compute
on a widened grid (`_grid`): each output row is as wide as the padded input row, so a window is
ONE run over whole rows of the flattened plane; the extra "garbage" columns (dilation*(kernel_w-1)
per row) wrap into the next row and are cropped from the result. They must stay out of every
sum: the gradient's garbage columns are zeros, which add exact zeros to the weight gradient and
to col2im unless a 0 * inf makes a nan, so a non-finite weight (input) has its garbage columns
zeroed first. The bias is added before the crop (one run per channel); the backward builds the
gradient matrix once for both gradients."""
from __future__ import annotations

import math

import numpy as np
from numpy.lib.stride_tricks import as_strided

from .._core import messages
from .._tensor import Tensor
from .dispatch import Op

# ---- kernels (NOTE [Convolution kernels]) -------------------------------------------------------


def _grid(out, padded_width: int, stride) -> tuple:
    """The output grid the kernels compute on: `out`, or `out` with its last dimension widened to
    the padded input's width when unit strides then make each window one contiguous run and the
    garbage columns are at most as many as the real ones (NOTE [Convolution kernels])."""
    if len(out) >= 2 and stride[-1] == stride[-2] == 1 and padded_width <= 2 * out[-1]:
        return tuple(out[:-1]) + (padded_width,)
    return tuple(out)


def _overrun(kernel, grid, padded_width: int, stride, dilation) -> int:
    """How far the last window of a row reads past the row's end (only a widened grid's do)."""
    return max(0, (grid[-1] - 1) * stride[-1] + (kernel[-1] - 1) * dilation[-1] + 1 - padded_width)


def _garbage(a: np.ndarray, out) -> np.ndarray:
    """The garbage columns of an array whose last dimension is a widened grid's."""
    return a[..., out[-1]:]


def _padded(x: np.ndarray, padding, overrun: int) -> np.ndarray:
    """x zero-padded, followed in its buffer by `overrun` zeros that the last windows may read."""
    if not any(padding) and not overrun:
        return x
    shape = x.shape[:2] + tuple(s + 2 * p for s, p in zip(x.shape[2:], padding))
    size = math.prod(shape)
    out = np.zeros(size + overrun, x.dtype)[:size].reshape(shape)
    out[(slice(None),) * 2 + tuple(slice(p, p + s) for s, p in zip(x.shape[2:], padding))] = x
    return out


def _windows(xp: np.ndarray, kernel, grid, stride, dilation) -> np.ndarray:
    """The strided view (C, *kernel, N, *grid) of a padded (N, C, ...) array: element (c, k, n, l)
    is xp[n, c, l*stride + k*dilation], a widened grid's rows running on into the next row."""
    s, nd = xp.strides, len(kernel)
    shape = (xp.shape[1],) + tuple(kernel) + (xp.shape[0],) + tuple(grid)
    strides = ((s[1],) + tuple(s[2 + i] * dilation[i] for i in range(nd)) + (s[0],)
               + tuple(s[2 + i] * stride[i] for i in range(nd)))
    return as_strided(xp, shape, strides)


def _columns(x: np.ndarray, kernel, grid, stride, padding, dilation) -> np.ndarray:
    """im2col, channel-major: (C*prod(kernel), N*prod(grid)); rows are (c, k...), columns (n, l...)."""
    width = x.shape[-1] + 2 * padding[-1]
    xp = _padded(x, padding, _overrun(kernel, grid, width, stride, dilation))
    windows = _windows(xp, kernel, grid, stride, dilation)
    return np.ascontiguousarray(windows).reshape(windows.shape[0] * math.prod(kernel),
                                                 x.shape[0] * math.prod(grid))


def _col2im(dcol: np.ndarray, padded, stride, dilation) -> np.ndarray:
    """The transpose of im2col: columns (C, *kernel, N, *grid) summed into a zero (C, N, *padded)
    array, one strided add per kernel offset."""
    nd = len(padded)
    c, kernel, n, grid = dcol.shape[0], dcol.shape[1:1 + nd], dcol.shape[1 + nd], dcol.shape[2 + nd:]
    size = c * n * math.prod(padded)
    dx = np.zeros(size + _overrun(kernel, grid, padded[-1], stride, dilation), dcol.dtype)
    dx = dx[:size].reshape((c, n) + tuple(padded))
    windows = _windows(dx.swapaxes(0, 1), kernel, grid, stride, dilation)
    for k in np.ndindex(*kernel):  # a garbage column adds a zero, which changes no sum
        windows[(slice(None),) + k] += dcol[(slice(None),) + k]
    return dx


def _batch_major(y: np.ndarray, window, bias) -> np.ndarray:
    """(channels, N, *grid) -> contiguous (N, channels, ...) of the grid's `window`; the bias (if
    any) is added before the crop, where each channel is one long run."""
    if bias is not None:
        y += bias.reshape((-1,) + (1,) * (y.ndim - 1))
    return np.ascontiguousarray(y[(slice(None),) * 2 + window].swapaxes(0, 1))


def _gradient_matrix(g: np.ndarray, input_width: int, stride, padding, groups: int) -> np.ndarray:
    """The gradient (N, O, *out) as (groups, O/groups, N*prod(grid)), zero in the grid's garbage
    columns (the operand both gradients share)."""
    n, o, out = g.shape[0], g.shape[1], g.shape[2:]
    grid = _grid(out, input_width + 2 * padding[-1], stride)
    if grid == out:  # the plain transposition copy, with long runs
        return np.ascontiguousarray(g.swapaxes(0, 1)).reshape(groups, o // groups, n * math.prod(out))
    gm = np.zeros((o, n) + grid, g.dtype)
    gm[(slice(None),) * 2 + tuple(slice(0, s) for s in out)] = g.swapaxes(0, 1)
    return gm.reshape(groups, o // groups, n * math.prod(grid))


def _conv(x, w, b, out, stride, padding, dilation, groups) -> np.ndarray:
    """y[n, o, l] = sum over (c, k) of w[o, c, k] * x[n, c, l*stride + k*dilation - padding] + b[o]."""
    o, kernel, n = w.shape[0], w.shape[2:], x.shape[0]
    grid = _grid(out, x.shape[-1] + 2 * padding[-1], stride)
    rows = w[0].size * groups
    col = _columns(x, kernel, grid, stride, padding, dilation)
    y = np.matmul(w.reshape(groups, o // groups, rows // groups),
                  col.reshape(groups, rows // groups, col.shape[1]))
    return _batch_major(y.reshape((o, n) + grid), tuple(slice(0, s) for s in out), b)


def _conv_input_grad(gm, out, w, input_shape, stride, padding, dilation, groups, b=None):
    """The transpose of _conv with respect to its input (plus b, for a transposed convolution):
    one matmul of the gradient matrix back to columns, then col2im."""
    kernel, c = w.shape[2:], w.shape[1] * groups
    padded = tuple(s + 2 * p for s, p in zip(input_shape[2:], padding))
    grid = _grid(out, padded[-1], stride)
    wm = w.reshape(groups, w.shape[0] // groups, w[0].size)
    dcol = np.matmul(wm.swapaxes(1, 2), gm).reshape((c,) + tuple(kernel) + (input_shape[0],) + grid)
    if grid != out and not np.isfinite(w).all():  # w * 0 would put nan in the garbage columns
        _garbage(dcol, out)[...] = 0
    dx = _col2im(dcol, padded, stride, dilation)
    return _batch_major(dx, tuple(slice(p, p + s) for s, p in zip(input_shape[2:], padding)), b)


def _conv_weight_grad(gm, out, x, weight_shape, stride, padding, dilation, groups) -> np.ndarray:
    """dw[o, c, k] = sum over (n, l) of g[n, o, l] * columns(x)[c, k, n, l]: one matmul, computed
    as dw^T = columns @ g^T (the faster operand order for BLAS on these shapes)."""
    grid = _grid(out, x.shape[-1] + 2 * padding[-1], stride)
    col = _columns(x, weight_shape[2:], grid, stride, padding, dilation)
    if grid != out and not np.isfinite(x).all():  # 0 * inf in the garbage columns would be nan
        _garbage(col.reshape(col.shape[0], col.shape[1] // grid[-1], grid[-1]), out)[...] = 0
    col = col.reshape(groups, col.shape[0] // groups, col.shape[1])
    return np.ascontiguousarray(np.matmul(col, gm.swapaxes(1, 2)).swapaxes(1, 2)).reshape(weight_shape)


def transposed_output_size(in_size, kernel, stride, padding, dilation, output_padding) -> int:
    return (in_size - 1) * stride - 2 * padding + dilation * (kernel - 1) + output_padding + 1


def _convolution_kernel(x, w, b, stride, padding, dilation, transposed, output_padding, groups,
                        has_bias, **_):
    nd, bias = w.ndim - 2, b if has_bias else None
    if transposed:
        size = tuple(transposed_output_size(x.shape[2 + i], w.shape[2 + i], stride[i], padding[i],
                                            dilation[i], output_padding[i]) for i in range(nd))
        xm = _gradient_matrix(x, size[-1], stride, padding, groups)
        return _conv_input_grad(xm, x.shape[2:], w, (x.shape[0], w.shape[1] * groups) + size,
                                stride, padding, dilation, groups, bias)
    out = tuple((x.shape[2 + i] + 2 * padding[i] - dilation[i] * (w.shape[2 + i] - 1) - 1)
                // stride[i] + 1 for i in range(nd))
    return _conv(x, w, bias, out, stride, padding, dilation, groups)


def _convolution_backward_kernel(g, x, w, stride, padding, dilation, transposed, groups, output_mask,
                                 **_):
    empty = np.zeros(0, g.dtype)
    grad_input = grad_weight = grad_bias = empty
    if transposed:  # the forward was _conv_input_grad(x, w): swap the roles of x and g
        if output_mask[0]:
            grad_input = _conv(g, w, None, x.shape[2:], stride, padding, dilation, groups)
        if output_mask[1]:
            xm = _gradient_matrix(x, g.shape[-1], stride, padding, groups)
            grad_weight = _conv_weight_grad(xm, x.shape[2:], g, w.shape, stride, padding, dilation,
                                            groups)
    elif output_mask[0] or output_mask[1]:
        gm = _gradient_matrix(g, x.shape[-1], stride, padding, groups)
        if output_mask[0]:
            grad_input = _conv_input_grad(gm, g.shape[2:], w, x.shape, stride, padding, dilation,
                                          groups)
        if output_mask[1]:
            grad_weight = _conv_weight_grad(gm, g.shape[2:], x, w.shape, stride, padding, dilation,
                                            groups)
    if output_mask[2]:
        grad_bias = g.sum(axis=(0,) + tuple(range(2, g.ndim)))
    return grad_input, grad_weight, grad_bias


# ---- the ops -------------------------------------------------------------------------------------
def _geometry(c) -> dict:
    return dict(stride=c.stride, padding=c.padding, dilation=c.dilation, transposed=c.transposed,
                output_padding=c.output_padding, groups=c.groups)


def _convolution_grads(c, g, input, weight):
    """ConvolutionBackward0: one convolution_backward call for all three inputs (cached on the
    context), as derivatives.yaml's single formula for `input, weight, bias`."""
    grads = c.__dict__.get("_grads")
    if grads is None:
        mask = tuple(c.needs_input_grad)
        grads = CONVOLUTION_BACKWARD(g, input, weight, output_mask=mask, **_geometry(c))
        grads = c.__dict__["_grads"] = tuple(t if m else None for t, m in zip(grads, mask))
    return grads


def _absent(like: Tensor) -> Tensor:
    return Tensor._make(np.zeros(0, like._data.dtype))


def _double_backward(c, grads, grad_output, input, weight):
    """_convolution_double_backward: gradients of (grad_input, grad_weight, grad_bias) with respect
    to (grad_output, input, weight), written with convolutions so that they are differentiable."""
    done = c.__dict__.get("_double")
    if done is not None:
        return done
    ggi, ggw, ggb = (None if m is None or not mask else m for m, mask in zip(grads, c.output_mask))
    need = c.needs_input_grad
    gO, x, w = grad_output, input, weight
    geometry = _geometry(c)
    grad_grad_output = grad_input = grad_weight = None
    if need[0]:
        terms = []
        if ggi is not None:
            terms.append(CONVOLUTION(ggi, w, _absent(w), has_bias=False, bias_sym_sizes_opt=None,
                                     **geometry))
        if ggw is not None:
            terms.append(CONVOLUTION(x, ggw, _absent(w), has_bias=False, bias_sym_sizes_opt=None,
                                     **geometry))
        if ggb is not None:
            terms.append(ggb.reshape((1, -1) + (1,) * (gO.dim() - 2)).expand(gO.shape))
        for t in terms:
            grad_grad_output = t if grad_grad_output is None else grad_grad_output + t
    if need[1] and ggw is not None:
        grad_input = CONVOLUTION_BACKWARD(gO, x, ggw, output_mask=(True, False, False), **geometry)[0]
    if need[2] and ggi is not None:
        grad_weight = CONVOLUTION_BACKWARD(gO, ggi, w, output_mask=(False, True, False), **geometry)[1]
    done = c.__dict__["_double"] = (grad_grad_output, grad_input, grad_weight)
    return done


CONVOLUTION_BACKWARD = Op(
    "convolution_backward", _convolution_backward_kernel, node="ConvolutionBackwardBackward0",
    inputs=("grad_output", "input", "weight"), promote=None, multi_output=True,
    grads={"grad_output": lambda c, g: _double_backward(c, g, c.grad_output, c.input, c.weight)[0],
           "input": lambda c, g: _double_backward(c, g, c.grad_output, c.input, c.weight)[1],
           "weight": lambda c, g: _double_backward(c, g, c.grad_output, c.input, c.weight)[2]})

CONVOLUTION = Op(
    "convolution", _convolution_kernel, node="ConvolutionBackward0",
    inputs=("input", "weight", "bias"), promote=None,
    grads={"input": lambda c, g: _convolution_grads(c, g, c.input, c.weight)[0],
           "weight": lambda c, g: _convolution_grads(c, g, c.input, c.weight)[1],
           "bias": lambda c, g: _convolution_grads(c, g, c.input, c.weight)[2]})


# ---- argument checks (at::_convolution, check_shape_forward, the slow kernels' shape checks) ----
def _sizes(shape) -> str:
    return "[" + ", ".join(str(s) for s in shape) + "]"


def expand_param(value, name: str, dim: int) -> tuple:
    """expand_param_if_needed: one value for every spatial dimension, or exactly `dim` values."""
    values = [value] if isinstance(value, (int, np.integer)) else list(value)
    if len(values) == 1:
        return tuple(int(values[0]) for _ in range(dim))
    if len(values) != dim:
        raise RuntimeError(messages.CONV_EXPAND_PARAM.format(name=name, dim=dim, value=_sizes(values)))
    return tuple(int(v) for v in values)


def _as_2d(values: tuple, fill: int) -> tuple:
    """ATen views 1-d convolutions as 2-d ones (view1d_as_2d) before the kernels' checks."""
    return (fill,) + values if len(values) == 1 else values


def _check_shape_forward(input: Tensor, weight: Tensor, bias, stride, padding, dilation, transposed,
                         output_padding, groups) -> None:
    k, weight_dim = input.dim(), weight.dim()
    wsize, isize = _sizes(weight.shape), _sizes(input.shape)
    if any(p < 0 for p in padding):
        raise RuntimeError(messages.CONV_NEG_PADDING)
    if any(p < 0 for p in output_padding):
        raise RuntimeError(messages.CONV_NEG_OUTPUT_PADDING)
    if any(s <= 0 for s in stride):
        raise RuntimeError(messages.CONV_STRIDE)
    if any(d < 0 for d in dilation):
        raise RuntimeError(messages.CONV_DILATION_NEG)
    if weight_dim != k:
        raise RuntimeError(messages.CONV_WEIGHT_INPUT_DIM.format(wd=weight_dim, wsize=wsize, k=k,
                                                                 isize=isize))
    if weight.shape[0] < groups:
        raise RuntimeError(messages.CONV_GROUPS_AT_LEAST.format(groups=groups, wsize=wsize))
    if weight.shape[0] % groups:
        raise RuntimeError(messages.CONV_GROUPS_DIVISIBLE.format(groups=groups, wsize=wsize))
    bsize = None if bias is None else _sizes(bias.shape)
    if not transposed:
        if input.shape[1] != weight.shape[1] * groups:
            raise RuntimeError(messages.CONV_CHANNELS.format(
                groups=groups, wsize=wsize, isize=isize, expected=weight.shape[1] * groups,
                got=input.shape[1]))
        if bias is not None and (bias.dim() != 1 or bias.shape[0] != weight.shape[0]):
            raise RuntimeError(messages.CONV_BIAS_SHAPE.format(wsize=wsize, expected=weight.shape[0],
                                                               bsize=bsize))
        padded = [input.shape[i] + 2 * padding[i - 2] for i in range(2, k)]
        kernel = [dilation[i - 2] * (weight.shape[i] - 1) + 1 for i in range(2, k)]
        if any(p < q for p, q in zip(padded, kernel)):
            raise RuntimeError(messages.CONV_KERNEL_SIZE.format(
                input=" x ".join(map(str, padded)), kernel=" x ".join(map(str, kernel))))
    else:
        if input.shape[1] != weight.shape[0]:
            raise RuntimeError(messages.CONV_T_CHANNELS.format(
                wsize=wsize, isize=isize, expected=weight.shape[0], got=input.shape[1]))
        expected = weight.shape[1] * groups
        if bias is not None and (bias.dim() != 1 or bias.shape[0] != expected):
            raise RuntimeError(messages.CONV_T_BIAS_SHAPE.format(wsize=wsize, expected=expected,
                                                                 bsize=bsize))


def _check_kernel(input: Tensor, weight: Tensor, stride, padding, dilation, transposed,
                  output_padding) -> None:
    """The CPU kernels' own checks (slow_conv2d / slow_conv_transpose2d), on the 2-d view."""
    if not transposed:
        if any(d <= 0 for d in dilation):
            raise RuntimeError(messages.CONV_DILATION_ZERO.format(dilation=_sizes(_as_2d(dilation, 1))))
        return
    dh, dw = _as_2d(dilation, 1)[-2:]
    if dh <= 0 or dw <= 0:
        raise RuntimeError(messages.CONV_T_DILATION.format(h=dh, w=dw))
    sh, sw = _as_2d(stride, 1)[-2:]
    oph, opw = _as_2d(output_padding, 0)[-2:]
    if not ((opw < sw or opw < dw) and (oph < sh or oph < dh)):
        raise RuntimeError(messages.CONV_T_OUTPUT_PADDING.format(oph=oph, opw=opw, sh=sh, sw=sw,
                                                                 dh=dh, dw=dw))
    nd = weight.dim() - 2
    sizes = [transposed_output_size(input.shape[2 + i], weight.shape[2 + i], stride[i], padding[i],
                                    dilation[i], output_padding[i]) for i in range(nd)]
    if any(s < 1 for s in sizes):
        ins = list(_as_2d(tuple(input.shape[2:]), 1))
        outs = list(_as_2d(tuple(sizes), 1))
        raise RuntimeError(messages.CONV_T_OUTPUT_SIZE.format(
            input=" x ".join(map(str, ins)), output=" x ".join(map(str, outs))))


def convolution(input: Tensor, weight: Tensor, bias: Tensor | None, stride, padding, dilation,
                transposed: bool, output_padding, groups: int) -> Tensor:
    """at::convolution on a batched input: checks, then the ConvolutionBackward0 op."""
    dim = weight.dim() - 2
    if dim <= 0:
        raise RuntimeError(messages.CONV_WEIGHT_DIM)
    if groups <= 0:
        raise RuntimeError(messages.CONV_GROUPS)
    stride = expand_param(stride, "stride", dim)
    padding = expand_param(padding, "padding", dim)
    dilation = expand_param(dilation, "dilation", dim)
    output_padding = expand_param(output_padding, "output_padding", dim)
    _check_shape_forward(input, weight, bias, stride, padding, dilation, transposed, output_padding,
                         groups)
    _check_kernel(input, weight, stride, padding, dilation, transposed, output_padding)
    if input._dtype is not weight._dtype:
        raise RuntimeError(messages.CONV_DTYPE.format(expected=input._dtype.short_name,
                                                      got=weight._dtype.short_name))
    if input._data.dtype.kind in "bc":
        name = "slow_conv_transpose2d_out_cpu" if transposed else "slow_conv2d_cpu"
        raise NotImplementedError(messages.NOT_IMPLEMENTED_FOR.format(
            op=name, dtype=input._dtype.short_name))
    return CONVOLUTION(input, weight, bias if bias is not None else _absent(input), stride=stride,
                       padding=padding, dilation=dilation, transposed=transposed,
                       output_padding=output_padding, groups=groups,
                       bias_sym_sizes_opt=(0,) if bias is None else tuple(bias.shape),
                       has_bias=bias is not None)
