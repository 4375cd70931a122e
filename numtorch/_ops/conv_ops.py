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
backward uses `_conv` and `_conv_weight_grad` with the roles of input and gradient swapped."""
from __future__ import annotations

import math

import numpy as np
from numpy.lib.stride_tricks import as_strided

from .._core import messages
from .._tensor import Tensor
from .dispatch import Op

# ---- kernels (NOTE [Convolution kernels]) -------------------------------------------------------


def _padded(x: np.ndarray, padding) -> np.ndarray:
    if not any(padding):
        return x
    nd = len(padding)
    out = np.zeros(x.shape[:2] + tuple(x.shape[2 + i] + 2 * padding[i] for i in range(nd)), x.dtype)
    out[(slice(None),) * 2 + tuple(slice(p, p + x.shape[2 + i]) for i, p in enumerate(padding))] = x
    return out


def _columns(x: np.ndarray, kernel, out, stride, padding, dilation) -> np.ndarray:
    """im2col, channel-major: (C*prod(kernel), N*prod(out)); rows are (c, k...), columns (n, l...)."""
    xp = _padded(x, padding)
    n, c = xp.shape[:2]
    nd = len(kernel)
    s = xp.strides
    shape = (c,) + tuple(kernel) + (n,) + tuple(out)
    strides = ((s[1],) + tuple(s[2 + i] * dilation[i] for i in range(nd)) + (s[0],)
               + tuple(s[2 + i] * stride[i] for i in range(nd)))
    windows = as_strided(xp, shape, strides, writeable=False)
    return np.ascontiguousarray(windows).reshape(c * math.prod(kernel), n * math.prod(out))


def _batch_major(y: np.ndarray, n: int, out) -> np.ndarray:
    """(channels, N*L) -> contiguous (N, channels, *out)."""
    return np.ascontiguousarray(y.reshape((y.shape[0], n) + tuple(out)).swapaxes(0, 1))


def _channel_major(g: np.ndarray, groups: int) -> np.ndarray:
    """(N, O, *out) -> (groups, O/groups, N*L)."""
    n, o = g.shape[:2]
    return np.ascontiguousarray(g.swapaxes(0, 1)).reshape(groups, o // groups, n * math.prod(g.shape[2:]))


def _conv(x, w, out, stride, padding, dilation, groups) -> np.ndarray:
    """y[n, o, l] = sum over (c, k) of w[o, c, k] * x[n, c, l*stride + k*dilation - padding]."""
    o, kernel, n = w.shape[0], w.shape[2:], x.shape[0]
    col = _columns(x, kernel, out, stride, padding, dilation)
    y = np.matmul(w.reshape(groups, o // groups, col.shape[0] // groups),
                  col.reshape(groups, col.shape[0] // groups, col.shape[1]))
    return _batch_major(y.reshape(o, col.shape[1]), n, out)


def _conv_input_grad(g, w, input_shape, stride, padding, dilation, groups) -> np.ndarray:
    """The transpose of _conv with respect to its input: columns, then col2im."""
    n, out, kernel = g.shape[0], g.shape[2:], w.shape[2:]
    c = w.shape[1] * groups
    wm = w.reshape(groups, w.shape[0] // groups, w[0].size)
    dcol = np.matmul(wm.swapaxes(1, 2), _channel_major(g, groups))  # (groups, C/g*K, N*L)
    dcol = dcol.reshape((c,) + tuple(kernel) + (n,) + tuple(out))
    nd = len(kernel)
    dx = np.zeros((c, n) + tuple(input_shape[2 + i] + 2 * padding[i] for i in range(nd)), g.dtype)
    if all(out):
        for k in np.ndindex(*kernel):
            window = tuple(slice(k[i] * dilation[i], k[i] * dilation[i] + stride[i] * (out[i] - 1) + 1,
                                 stride[i]) for i in range(nd))
            dx[(slice(None), slice(None)) + window] += dcol[(slice(None),) + k]
    crop = dx[(slice(None), slice(None)) + tuple(slice(p, p + input_shape[2 + i])
                                                 for i, p in enumerate(padding))]
    return np.ascontiguousarray(crop.swapaxes(0, 1))


def _conv_weight_grad(g, x, weight_shape, stride, padding, dilation, groups) -> np.ndarray:
    """dw[o, c, k] = sum over (n, l) of g[n, o, l] * columns(x)[c, k, n, l]: one matmul."""
    col = _columns(x, weight_shape[2:], g.shape[2:], stride, padding, dilation)
    col = col.reshape(groups, col.shape[0] // groups, col.shape[1])
    return np.matmul(_channel_major(g, groups), col.swapaxes(1, 2)).reshape(weight_shape)


def transposed_output_size(in_size, kernel, stride, padding, dilation, output_padding) -> int:
    return (in_size - 1) * stride - 2 * padding + dilation * (kernel - 1) + output_padding + 1


def _convolution_kernel(x, w, b, stride, padding, dilation, transposed, output_padding, groups,
                        has_bias, **_):
    nd = w.ndim - 2
    if transposed:
        size = tuple(transposed_output_size(x.shape[2 + i], w.shape[2 + i], stride[i], padding[i],
                                            dilation[i], output_padding[i]) for i in range(nd))
        y = _conv_input_grad(x, w, (x.shape[0], w.shape[1] * groups) + size, stride, padding,
                             dilation, groups)
    else:
        out = tuple((x.shape[2 + i] + 2 * padding[i] - dilation[i] * (w.shape[2 + i] - 1) - 1)
                    // stride[i] + 1 for i in range(nd))
        y = _conv(x, w, out, stride, padding, dilation, groups)
    if has_bias:
        y += b.reshape((-1,) + (1,) * nd)
    return y


def _convolution_backward_kernel(g, x, w, stride, padding, dilation, transposed, groups, output_mask,
                                 **_):
    empty = np.zeros(0, g.dtype)
    grad_input = grad_weight = grad_bias = empty
    if transposed:  # the forward was _conv_input_grad(x, w): swap the roles of x and g
        if output_mask[0]:
            grad_input = _conv(g, w, x.shape[2:], stride, padding, dilation, groups)
        if output_mask[1]:
            grad_weight = _conv_weight_grad(x, g, w.shape, stride, padding, dilation, groups)
    else:
        if output_mask[0]:
            grad_input = _conv_input_grad(g, w, x.shape, stride, padding, dilation, groups)
        if output_mask[1]:
            grad_weight = _conv_weight_grad(g, x, w.shape, stride, padding, dilation, groups)
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
