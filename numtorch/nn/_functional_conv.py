"""torch.nn.functional's convolution, pooling (1-d to 3-d, adaptive, power-average), padding,
interpolation, unfold/fold, pixel and channel shuffle, and normalisation (batch, group, instance,
RMS, local response) functions (re-exported by numtorch.nn.functional). Each one does what
torch's Python wrapper and the ATen composite above the kernel do (batchify, 1-d as 2-d, argument
checks in torch's order), then calls the op from numtorch._ops.conv_ops / pool_ops / padding_ops /
norm_ops / fold_ops, so the recorded
graph is torch's (SqueezeBackward1 / ConvolutionBackward0 / UnsqueezeBackward0 for an unbatched
conv1d, MeanBackward1 for a 1x1 adaptive average pool, ...)."""
from __future__ import annotations

import collections.abc
import math
import numbers
import operator
import warnings

import numpy as np

from .._core import messages
from .._ops import conv_ops, nn_ops, norm_ops, padding_ops, pool_ops
from .._ops import fold_ops
from .._ops.reduction import mean
from .._ops.shape import _warn_once, squeeze, unsqueeze, view
from .._tensor import Tensor

__all__ = ["conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d",
           "max_pool1d", "max_pool2d", "max_pool1d_with_indices", "max_pool2d_with_indices",
           "avg_pool1d", "avg_pool2d", "adaptive_avg_pool1d", "adaptive_avg_pool2d", "pad",
           "interpolate", "upsample", "upsample_nearest", "upsample_bilinear", "batch_norm", "group_norm",
           "instance_norm"]


def _sizes(shape) -> str:
    return "[" + ", ".join(str(s) for s in shape) + "]"


def _int_list(value, n: int) -> list:
    """An int[n] argument as torch's parser reads it: an int (or a one-element integer tensor) is
    repeated n times."""
    if isinstance(value, (numbers.Integral, np.integer)) or (
            isinstance(value, Tensor) and value.numel() == 1):
        return [int(value)] * n
    return [int(v) for v in value]


# ---- torch's argument parser on the bindings these functions call ---------------------------------
# NOTE [Binding arguments of the pooling, padding and fold functions]
# torch's F.max_pool2d, F.unfold, F.pad, ... hand their arguments (after at most a _pair() or a
# None -> [] for stride) to a C++ binding (torch.max_pool2d, torch._C._nn.im2col, ...), whose
# parser (python_arg_parser.cpp) rejects a wrong type with TypeError before any kernel runs:
# - an int[N] parameter takes a list/tuple whose FIRST element is an int (python int or numpy
#   integer, not bool; or an integer/bool tensor of one element), or, when N > 0, such an int
#   alone; int[] (pad's) takes no bare int. Anything else: "must be tuple of ints, not <type>" or,
#   for a list, "... but found element of type <type> at pos 0";
# - the later elements are only read when the binding unpacks the list, after every argument
#   has passed its type check: then a bool is an int, and a non-int fails with "failed to unpack".
# _parse_binding does both phases, in torch's order.
def _type_name(v) -> str:
    if isinstance(v, Tensor):
        return "Tensor"
    t = type(v)
    return t.__name__ if t.__module__ == "builtins" else f"{t.__module__.split('.')[0]}.{t.__name__}"


def _is_index(v, first: bool = True) -> bool:
    """python_arg_parser's is_int_or_symint (first=True) or its unpacking of a later element."""
    if isinstance(v, Tensor):
        return v.numel() == 1 and not v.is_floating_point() and not v.is_complex()
    if isinstance(v, (bool, np.bool_)):
        return not first and isinstance(v, bool)
    if isinstance(v, (int, np.integer)):
        return True
    if isinstance(v, (float, np.floating, str, list, tuple, np.ndarray)) or v is None:
        return False
    try:
        operator.index(v)
    except TypeError:
        return False
    return True


def _parse_binding(fn: str, *params) -> None:
    """params: (name, position, value, kind) with kind N for int[N] (0: int[]), "B" for bool,
    "STR" for str, "F?" for an optional float, "T" for Tensor. Raises torch's TypeError for the first
    argument that does not fit."""
    for name, pos, value, kind in params:
        if kind == "T":
            ok, expected = isinstance(value, Tensor), "Tensor"
        elif kind == "B":
            ok, expected = isinstance(value, bool), "bool"
        elif kind == "STR":
            ok, expected = isinstance(value, str), "str"
        elif kind == "F?":  # a 0-d tensor is a float unless it requires grad
            ok, expected = value is None or isinstance(value, (int, float, np.integer, np.floating)) or (
                isinstance(value, Tensor) and value.dim() == 0 and not value.requires_grad), "float"
        elif isinstance(value, (list, tuple)):
            if value and not _is_index(value[0]):
                raise TypeError(messages.ARG_INT_LIST_ELEMENT.format(name=fn, arg=name, pos=pos,
                                                                     got=_type_name(value[0])))
            continue
        else:
            ok, expected = kind > 0 and _is_index(value), "tuple of ints"
        if not ok:
            raise TypeError(messages.ARG_TYPE.format(name=fn, arg=name, pos=pos, type=expected,
                                                     got=_type_name(value)))
    for name, _, value, _kind in params:
        if isinstance(value, (list, tuple)):
            for index, v in enumerate(value[1:], 2):
                if not _is_index(v, first=False):
                    raise TypeError(messages.ARG_INT_LIST_UNPACK.format(name=fn, arg=name, index=index,
                                                                        got=_type_name(v)))


def _own_binding_check(fn):
    """Marks a function that runs _parse_binding on all its binding's arguments itself, so that
    nn.functional's install of the generic parser (arg_parser.wrap_python_level) leaves it alone."""
    fn.__wrapped_by_arg_parser__ = True
    return fn


def _pool_binding(fn: str, nd: int, input, kernel_size, stride, padding, dilation, ceil_mode) -> None:
    """torch.max_pool{1,2,3}d / max_pool{1,2,3}d_with_indices (stride None is [] by then)."""
    _parse_binding(fn, ("input", 1, input, "T"), ("kernel_size", 2, kernel_size, nd),
                   ("stride", 3, [] if stride is None else stride, nd), ("padding", 4, padding, nd),
                   ("dilation", 5, dilation, nd), ("ceil_mode", 6, ceil_mode, "B"))


def _boolean_dispatch(name: str, arg_index: int, if_true, if_false):
    """torch._jit_internal.boolean_dispatch: F.max_pool2d and the like choose their _with_indices
    form on return_indices (keyword, or the positional argument at arg_index) before binding any
    argument, so bool() of that argument runs first."""
    def fn(*args, **kwargs):
        flag = False
        if "return_indices" in kwargs:
            flag = kwargs["return_indices"]
        elif arg_index < len(args):
            flag = args[arg_index]
        return if_true(*args, **kwargs) if flag else if_false(*args, **kwargs)
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = if_true.__doc__
    return fn


# ---- convolution ---------------------------------------------------------------------------------
def _conv(nd: int, name: str, input: Tensor, weight: Tensor, bias, stride, padding, dilation,
          groups, transposed: bool = False, output_padding=0) -> Tensor:
    """at::conv{1,2,3}d / conv_transpose{1,2,3}d: bias dtype check, batchify, then convolution."""
    if bias is not None and bias._dtype is not input._dtype:
        raise RuntimeError(messages.CONV_BIAS_DTYPE.format(input=input._dtype.cpp_name,
                                                           bias=bias._dtype.cpp_name))
    if input.dim() not in (nd + 1, nd + 2):
        raise RuntimeError(messages.CONV_INPUT_RANK.format(unbatched=nd + 1, batched=nd + 2, name=name,
                                                           size=_sizes(input.shape)))
    batched = input.dim() == nd + 2
    x = input if batched else unsqueeze(input, 0)
    if isinstance(padding, str):
        out = _conv_padding_string(x, weight, bias, stride, padding, dilation, groups, nd)
    else:
        out = conv_ops.convolution(x, weight, bias, stride, padding, dilation, transposed,
                                   output_padding, groups)
    return out if batched else squeeze(out, 0)


def _conv_padding_string(x, weight, bias, stride, padding, dilation, groups, nd):
    """at::_convolution_mode: 'valid' is padding 0; 'same' is convolution_same."""
    if padding == "valid":
        return conv_ops.convolution(x, weight, bias, stride, 0, dilation, False, 0, groups)
    if padding != "same":
        raise RuntimeError(messages.CONV_PADDING_STRING.format(padding=padding))
    k = weight.dim()
    if k <= 2:
        raise RuntimeError(messages.CONV_WEIGHT_DIM)
    if groups <= 0:
        raise RuntimeError(messages.CONV_GROUPS)
    if k != x.dim():
        raise RuntimeError(messages.CONV_SAME_WEIGHT_INPUT_DIM.format(
            wd=k, wsize=_sizes(weight.shape), k=x.dim(), isize=_sizes(x.shape)))
    dim = k - 2
    stride = conv_ops.expand_param(stride, "stride", dim)
    dilation = conv_ops.expand_param(dilation, "dilation", dim)
    if any(s != 1 for s in stride):
        raise RuntimeError(messages.CONV_SAME_STRIDE)
    left, right = [], []
    for i in range(dim):
        total = dilation[i] * (weight.shape[i + 2] - 1)
        left.append(total // 2)
        right.append(total - total // 2)
    if left == right:
        return conv_ops.convolution(x, weight, bias, stride, left, dilation, False, 0, groups)
    _warn_once(messages.W_CONV_SAME_EVEN)
    pad_nd = [0] * (2 * dim)
    for i in range(dim):
        delta = right[i] - left[i]
        index = 2 * (dim - 1 - i)
        if delta > 0:
            pad_nd[index + 1] = delta
        else:
            pad_nd[index] = delta
            left[i] = right[i]
    padded = nn_ops.CONSTANT_PAD(x, pad=tuple(pad_nd), value=0)
    return conv_ops.convolution(padded, weight, bias, stride, left, dilation, False, 0, groups)


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1) -> Tensor:
    return _conv(1, "conv1d", input, weight, bias, stride, padding, dilation, groups)


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1) -> Tensor:
    return _conv(2, "conv2d", input, weight, bias, stride, padding, dilation, groups)


def conv3d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1) -> Tensor:
    return _conv(3, "conv3d", input, weight, bias, stride, padding, dilation, groups)


def conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1) -> Tensor:
    return _conv(1, "conv_transpose1d", input, weight, bias, stride, padding, dilation, groups, True,
                 output_padding)


def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1) -> Tensor:
    return _conv(2, "conv_transpose2d", input, weight, bias, stride, padding, dilation, groups, True,
                 output_padding)


def conv_transpose3d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1) -> Tensor:
    return _conv(3, "conv_transpose3d", input, weight, bias, stride, padding, dilation, groups, True,
                 output_padding)


# ---- pooling -------------------------------------------------------------------------------------
def _not_for(name: str, input: Tensor, kinds: str = "bc") -> None:
    if input._data.dtype.kind in kinds:
        raise NotImplementedError(messages.NOT_IMPLEMENTED_FOR.format(op=name, dtype=input._dtype.short_name))


def _pool_output(size, kernel, pad, stride, dilation, ceil_mode) -> int:
    """Pool.h pooling_output_shape with its three checks."""
    if stride == 0:
        raise RuntimeError(messages.POOL_STRIDE_ZERO)
    if pad < 0:
        raise RuntimeError(messages.POOL_PAD_NEGATIVE.format(pad=pad))
    if pad > ((kernel - 1) * dilation + 1) // 2:
        raise RuntimeError(messages.POOL_PAD_HALF.format(pad=pad, kernel=kernel, dilation=dilation))
    return pool_ops.pooling_output_shape(size, kernel, pad, stride, dilation, ceil_mode)


def _pool2d_shape_check(input: Tensor, k, s, p, d, out) -> None:
    (kh, kw), (sh, sw), (ph, pw), (dh, dw), (oh, ow) = k, s, p, d, out
    if not (kw > 0 and kh > 0):
        raise RuntimeError(messages.POOL_KERNEL_POSITIVE.format(kh=kh, kw=kw))
    if not (sw > 0 and sh > 0):
        raise RuntimeError(messages.POOL_STRIDE_POSITIVE.format(sh=sh, sw=sw))
    if not (dh > 0 and dw > 0):
        raise RuntimeError(messages.POOL_DILATION_POSITIVE.format(dh=dh, dw=dw))
    shape = tuple(input.shape)
    nd = len(shape)
    valid = nd >= 3 and shape[1] != 0 and shape[2] != 0
    if not ((nd == 3 and shape[0] != 0 and valid) or (nd == 4 and valid and shape[3] != 0)):
        raise RuntimeError(messages.POOL_INPUT_EMPTY.format(size=_sizes(shape)))
    if not ((((kw - 1) * dw + 1) // 2 >= pw) and (((kh - 1) * dh + 1) // 2 >= ph)):
        raise RuntimeError(messages.POOL_PAD_EFFECTIVE.format(pw=pw, ph=ph, ekw=(kw - 1) * dw + 1,
                                                              ekh=(kh - 1) * dh + 1))
    if ow < 1 or oh < 1:
        raise RuntimeError(messages.POOL_OUTPUT_SMALL.format(c=shape[-3], h=shape[-2], w=shape[-1],
                                                             oh=oh, ow=ow))


def _pair_arg(name: str, value, what: str, allow_empty: bool = False) -> tuple:
    values = _int_list(value, 2) if value is not None else []
    if not (len(values) in (1, 2) or (allow_empty and not values)):
        raise RuntimeError(what)
    return tuple(values)


def _max_pool2d_with_indices(input: Tensor, kernel_size, stride, padding, dilation, ceil_mode):
    """max_pool2d_with_indices' meta function, then the op."""
    kernel = _pair_arg("kernel_size", kernel_size, messages.MAX_POOL2D_KERNEL)
    stride = _pair_arg("stride", stride, messages.MAX_POOL2D_STRIDE, allow_empty=True)
    padding = _pair_arg("padding", padding, messages.MAX_POOL2D_PADDING)
    dilation = _pair_arg("dilation", dilation, messages.MAX_POOL2D_DILATION)
    kh, kw = kernel[0], kernel[-1]
    sh, sw = (stride[0], stride[-1]) if stride else (kh, kw)
    ph, pw = padding[0], padding[-1]
    dh, dw = dilation[0], dilation[-1]
    if input.dim() not in (3, 4):
        raise RuntimeError(messages.MAX_POOL2D_RANK)
    h, w = input.shape[-2:]
    oh = _pool_output(h, kh, ph, sh, dh, ceil_mode)
    ow = _pool_output(w, kw, pw, sw, dw, ceil_mode)
    _pool2d_shape_check(input, (kh, kw), (sh, sw), (ph, pw), (dh, dw), (oh, ow))
    _not_for("max_pool2d", input)
    return pool_ops.max_pool2d_with_indices(input, (kh, kw), stride, (ph, pw), (dh, dw), ceil_mode)


@_own_binding_check
def max_pool2d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
                            return_indices=False):
    _pool_binding("max_pool2d_with_indices", 2, input, kernel_size, stride, padding, dilation, ceil_mode)
    return _max_pool2d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode)


def _max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
                return_indices=False):
    _pool_binding("max_pool2d", 2, input, kernel_size, stride, padding, dilation, ceil_mode)
    return _max_pool2d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode)[0]


max_pool2d = _boolean_dispatch("max_pool2d", 6, max_pool2d_with_indices, _max_pool2d)


def _check1d(fn: str, name: str, values: list) -> None:
    if len(values) != 1:
        raise RuntimeError(messages.POOL_CHECK1D.format(fn=fn, name=name, got=len(values)))


def _check_dim_range(fn: str, input: Tensor, low: int, high: int) -> None:
    if not low <= input.dim() < high:
        raise RuntimeError(messages.POOL_DIM_RANGE.format(low=low, high=high - 1, d=input.dim(), fn=fn))


@_own_binding_check
def max_pool1d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
                            return_indices=False):
    """at::max_pool1d_with_indices: 2-d max pooling over an unsqueezed height of 1."""
    _pool_binding("max_pool1d_with_indices", 1, input, kernel_size, stride, padding, dilation, ceil_mode)
    return _max_pool1d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode)


def _max_pool1d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode):
    kernel = _int_list(kernel_size, 1)
    stride = _int_list(stride, 1) if stride is not None else []
    padding, dilation = _int_list(padding, 1), _int_list(dilation, 1)
    if not stride:
        stride = kernel
    _check_dim_range("max_pool1d", input, 2, 4)
    for name, values in (("kernel_size", kernel), ("stride", stride), ("padding", padding),
                         ("dilation", dilation)):
        _check1d("max_pool1d", name, values)
    out, indices = _max_pool2d_with_indices(unsqueeze(input, -2), (1, kernel[0]), (1, stride[0]),
                                            (0, padding[0]), (1, dilation[0]), ceil_mode)
    return squeeze(out, -2), squeeze(indices, -2)


def _max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
                return_indices=False):
    _pool_binding("max_pool1d", 1, input, kernel_size, stride, padding, dilation, ceil_mode)
    shape = tuple(input.shape)
    nd = len(shape)
    if not ((nd == 2 and shape[0] != 0 and shape[1] != 0) or (nd == 3 and shape[1] != 0 and shape[2] != 0)):
        raise RuntimeError(messages.MAX_POOL1D_RANK.format(size=_sizes(shape)))
    kernel = _int_list(kernel_size, 1)
    stride_l = _int_list(stride, 1) if stride is not None else []
    padding_l, dilation_l = _int_list(padding, 1), _int_list(dilation, 1)
    for name, values, allow in (("kernel_size", kernel, False), ("stride", stride_l, True),
                                ("padding", padding_l, False), ("dilation", dilation_l, False)):
        if len(values) != 1 and not (allow and not values):
            raise RuntimeError(messages.MAX_POOL1D_ARG[name].format(got=len(values)))
    k, s = kernel[0], (stride_l or kernel)[0]
    p, d = padding_l[0], dilation_l[0]
    for ok, text, value in ((k > 0, messages.MAX_POOL1D_KERNEL, k), (s > 0, messages.MAX_POOL1D_STRIDE, s),
                            (p >= 0, messages.MAX_POOL1D_PADDING, p)):
        if not ok:
            raise RuntimeError(text.format(value=value))
    if p > k // 2:
        raise RuntimeError(messages.MAX_POOL1D_PADDING_HALF.format(padding=p, kernel=k))
    if d <= 0:
        raise RuntimeError(messages.MAX_POOL1D_DILATION.format(value=d))
    ow = pool_ops.pooling_output_shape(shape[-1], k, p, s, d, ceil_mode)
    if ow <= 0:
        raise RuntimeError(messages.MAX_POOL1D_OUTPUT.format(value=ow))
    return _max_pool1d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode)[0]


max_pool1d = _boolean_dispatch("max_pool1d", 6, max_pool1d_with_indices, _max_pool1d)


def _avg_pool2d_checks(input, kernel_size, stride, padding, ceil_mode, divisor_override, name="avg_pool2d"):
    kernel = _pair_arg("kernel_size", kernel_size, messages.AVG_POOL2D_KERNEL)
    stride = _pair_arg("stride", stride, messages.AVG_POOL2D_STRIDE, allow_empty=True)
    padding = _pair_arg("padding", padding, messages.AVG_POOL2D_PADDING)
    kh, kw = kernel[0], kernel[-1]
    sh, sw = (stride[0], stride[-1]) if stride else (kh, kw)
    ph, pw = padding[0], padding[-1]
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError(messages.AVG_POOL_DIVISOR)
    if input.dim() < 3:
        raise IndexError(messages.DIM_RANGE.format(low=-max(input.dim(), 1), high=max(input.dim(), 1) - 1,
                                                   dim=-3))
    h, w = input.shape[-2:]
    oh = _pool_output(h, kh, ph, sh, 1, ceil_mode)
    ow = _pool_output(w, kw, pw, sw, 1, ceil_mode)
    _pool2d_shape_check(input, (kh, kw), (sh, sw), (ph, pw), (1, 1), (oh, ow))
    _not_for(name, input)
    return (kh, kw), stride, (ph, pw)


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None) -> Tensor:
    kernel, stride, padding = _avg_pool2d_checks(input, kernel_size, stride, padding, ceil_mode,
                                                 divisor_override)
    return pool_ops.AVG_POOL2D(input, kernel_size=kernel, stride=stride, padding=padding,
                               ceil_mode=ceil_mode, count_include_pad=count_include_pad,
                               divisor_override=divisor_override)


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True) -> Tensor:
    kernel = _int_list(kernel_size, 1)
    stride = _int_list(stride, 1) if stride is not None else []
    padding = _int_list(padding, 1)
    if not stride:
        stride = kernel
    _check_dim_range("avg_pool1d", input, 2, 4)
    for name, values in (("kernel_size", kernel), ("stride", stride), ("padding", padding)):
        _check1d("avg_pool1d", name, values)
    out = avg_pool2d(unsqueeze(input, -2), (1, kernel[0]), (1, stride[0]), (0, padding[0]), ceil_mode,
                     count_include_pad)
    return squeeze(out, -2)


def _list_with_default(out_size, defaults):
    if isinstance(out_size, (numbers.Integral, np.integer)):
        return out_size
    if len(defaults) <= len(out_size):
        raise ValueError(messages.ADAPTIVE_DEFAULT_DIM.format(n=len(out_size) + 1))
    return [v if v is not None else d for v, d in zip(out_size, defaults[-len(out_size):])]


def _adaptive_avg_pool2d(input: Tensor, output_size) -> Tensor:
    if len(output_size) != 2:
        raise RuntimeError(messages.ADAPTIVE_OUTPUT_SIZE)
    if output_size[0] < 0 or output_size[1] < 0:
        raise RuntimeError(messages.ADAPTIVE_OUTPUT_NEGATIVE.format(h=output_size[0], w=output_size[1]))
    if tuple(output_size) == (1, 1):
        return mean(input, (-1, -2), keepdim=True)
    nd = input.dim()
    if nd not in (3, 4):
        raise RuntimeError(messages.ADAPTIVE_RANK.format(size=_sizes(input.shape)))
    for i in (-2, -1):
        if input.shape[i] <= 0:
            raise RuntimeError(messages.ADAPTIVE_EMPTY.format(size=_sizes(input.shape), dim=i + nd))
    if math.prod(input.shape[:-2]) * output_size[0] * output_size[1]:  # ATen returns an empty output
        _not_for("adaptive_avg_pool2d", input, "biuc")                   # before the dtype dispatch
    return pool_ops.ADAPTIVE_AVG_POOL2D(input, output_size=tuple(output_size))


def adaptive_avg_pool2d(input: Tensor, output_size) -> Tensor:
    return _adaptive_avg_pool2d(input, _int_list(_list_with_default(output_size, tuple(input.shape)), 2))


def adaptive_avg_pool1d(input: Tensor, output_size) -> Tensor:
    size = _int_list(output_size, 1)
    _check_dim_range("adaptive_avg_pool1d", input, 2, 4)
    _check1d("adaptive_avg_pool1d", "output_size", size)
    return squeeze(_adaptive_avg_pool2d(unsqueeze(input, -2), [1, size[0]]), -2)


# ---- padding -------------------------------------------------------------------------------------
_PAD_MODES = ("constant", "reflect", "replicate", "circular")


@_own_binding_check
def pad(input: Tensor, pad, mode: str = "constant", value: float | None = None) -> Tensor:
    """torch._C._nn.pad: the mode, then _pad_enum's checks and dispatch."""
    _parse_binding("pad", ("input", 1, input, "T"), ("pad", 2, pad, 0), ("mode", 3, mode, "STR"),
                   ("value", 4, value, "F?"))
    if isinstance(value, Tensor):
        value = value.item()
    if mode not in _PAD_MODES:
        raise NotImplementedError(messages.PAD_MODE.format(mode=mode))
    pad = tuple(int(p) for p in pad)
    dim = input.dim()
    if len(pad) % 2:
        raise RuntimeError(messages.PAD_ODD)
    if len(pad) > dim * 2:
        raise RuntimeError(messages.PAD_TOO_LONG.format(length=len(pad), dim=dim))
    if mode == "constant":
        return nn_ops.CONSTANT_PAD(input, pad=pad, value=0 if value is None else value)
    if value is not None and value != 0:
        raise RuntimeError(messages.PAD_MODE_VALUE.format(mode=mode))
    n = len(pad) // 2
    if n in (1, 2, 3) and dim in (n + 1, n + 2):
        if mode == "circular":
            return padding_ops.pad_circular(input, pad)
        return padding_ops.reflection_or_replication_pad(input, pad, mode == "reflect")
    raise NotImplementedError(messages.PAD_SIZE_UNSUPPORTED.format(n=len(pad), dim=dim))


# ---- interpolation -------------------------------------------------------------------------------
def _is_integer(x) -> bool:
    if isinstance(x, (numbers.Integral, np.integer)) and not isinstance(x, bool):
        return True
    return isinstance(x, Tensor) and not x.is_floating_point()


def _upsample_output_size(input: Tensor, output_size, scales, nd: int) -> list:
    """ATen's compute_output_size and upsample_{1,2,3}d_common_check."""
    if output_size is not None:
        size = [int(s) for s in output_size]
    else:
        size = [int(float(input.shape[2 + i]) * float(scales[i])) for i in range(nd)]
    ins = list(input.shape[2:])
    if not all(s > 0 for s in ins + size):
        names = ("W",) if nd == 1 else ("H", "W") if nd == 2 else ("D", "H", "W")
        raise RuntimeError(messages.UPSAMPLE_SIZES.format(
            input=", ".join(f"{n}: {s}" for n, s in zip(names, ins)),
            output=", ".join(f"{n}: {s}" for n, s in zip(names, size))))
    return size


def interpolate(input: Tensor, size=None, scale_factor=None, mode: str = "nearest", align_corners=None,
                recompute_scale_factor=None, antialias: bool = False) -> Tensor:
    """torch.nn.functional.interpolate for the nearest, linear, bilinear, trilinear and area modes."""
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError(messages.INTERPOLATE_ALIGN_CORNERS)
    elif align_corners is None:
        align_corners = False
    dim = input.dim() - 2
    if size is not None and scale_factor is not None:
        raise ValueError(messages.INTERPOLATE_BOTH)
    if size is not None:
        scale_factors = None
        if isinstance(size, (list, tuple)):
            if len(size) != dim:
                raise ValueError(messages.INTERPOLATE_SIZE_DIMS.format(spatial=list(input.shape[2:]),
                                                                       size=size))
            if not all(_is_integer(x) for x in size):
                raise TypeError(messages.INTERPOLATE_SIZE_TYPES.format(types=[type(x) for x in size]))
            output_size = list(size)
        else:
            output_size = [size for _ in range(dim)]
    elif scale_factor is not None:
        output_size = None
        if isinstance(scale_factor, (list, tuple)):
            if len(scale_factor) != dim:
                raise ValueError(messages.INTERPOLATE_SCALE_DIMS.format(spatial=list(input.shape[2:]),
                                                                        scale=scale_factor))
            scale_factors = list(scale_factor)
        else:
            scale_factors = [scale_factor for _ in range(dim)]
    else:
        raise ValueError(messages.INTERPOLATE_NEITHER)
    if recompute_scale_factor is not None and recompute_scale_factor and size is not None:
        raise ValueError(messages.INTERPOLATE_RECOMPUTE)
    if mode == "area" and output_size is None:
        recompute_scale_factor = True
    if recompute_scale_factor is not None and recompute_scale_factor:
        output_size = [int(input.shape[i + 2] * scale_factors[i]) for i in range(dim)]
        scale_factors = None
    if antialias and not (mode in ("bilinear", "bicubic", "lanczos") and input.dim() == 4):
        raise ValueError(messages.INTERPOLATE_ANTIALIAS)
    if antialias:
        raise NotImplementedError(messages.INTERPOLATE_MODE_UNSUPPORTED.format(mode=f"{mode} (antialias)"))
    nd = input.dim()
    if mode == "nearest" and nd in (3, 4, 5):
        return _upsample(pool_ops.UPSAMPLE_NEAREST[nd - 2], input, output_size, scale_factors, nd - 2)
    if mode == "area" and nd in (3, 4):
        return (adaptive_avg_pool1d if nd == 3 else adaptive_avg_pool2d)(input, output_size)
    linear = {3: "linear", 4: "bilinear", 5: "trilinear"}
    if nd in linear and mode == linear[nd]:
        return _upsample(pool_ops.UPSAMPLE_LINEAR[nd - 2], input, output_size, scale_factors, nd - 2,
                         align_corners=align_corners)
    wrong = {(3, "bilinear"): "Got 3D input, but bilinear mode needs 4D input",
             (3, "trilinear"): "Got 3D input, but trilinear mode needs 5D input",
             (4, "linear"): "Got 4D input, but linear mode needs 3D input",
             (4, "trilinear"): "Got 4D input, but trilinear mode needs 5D input",
             (5, "linear"): "Got 5D input, but linear mode needs 3D input",
             (5, "bilinear"): "Got 5D input, but bilinear mode needs 4D input"}
    if (nd, mode) in wrong:
        raise NotImplementedError(wrong[(nd, mode)])
    if mode in ("nearest-exact", "bicubic", "lanczos", "area") and nd in (3, 4, 5):
        raise NotImplementedError(messages.INTERPOLATE_MODE_UNSUPPORTED.format(mode=mode))
    raise NotImplementedError(messages.INTERPOLATE_INPUT.format(dim=nd, mode=mode))


def _upsample(op, input: Tensor, output_size, scale_factors, nd: int, **attrs) -> Tensor:
    if output_size is not None and scale_factors is not None:
        raise RuntimeError(messages.UPSAMPLE_EXACTLY_ONE)
    size = _upsample_output_size(input, output_size, scale_factors, nd)
    scales = [None] * nd if scale_factors is None else [float(s) for s in scale_factors]
    return pool_ops.upsample(op, input, size, scales, **attrs)


def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None) -> Tensor:
    warnings.warn(messages.W_UPSAMPLE_DEPRECATED.format(name="upsample"), stacklevel=2)
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input, size=None, scale_factor=None) -> Tensor:
    warnings.warn(messages.W_UPSAMPLE_DEPRECATED.format(name="upsample_nearest"), stacklevel=2)
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input, size=None, scale_factor=None) -> Tensor:
    warnings.warn(messages.W_UPSAMPLE_DEPRECATED.format(name="upsample_bilinear"), stacklevel=2)
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


# ---- normalisation -------------------------------------------------------------------------------
def _absent(input: Tensor) -> Tensor:
    return Tensor._make(np.zeros(0, input._data.dtype))


def _verify_batch_size(size) -> None:
    size_prods = size[0]
    for i in range(len(size) - 2):
        size_prods *= size[i + 2]
    if size_prods == 1:
        raise ValueError(messages.BATCH_NORM_ONE_VALUE.format(size=size))


def _check_mixed_dtypes(input: Tensor, params) -> None:
    """check_mixed_data_type: the first defined parameter decides whether the call is 'mixed'."""
    defined = [p for p in params if p is not None]
    if not defined:
        return
    if defined[0]._dtype is not input._dtype:
        if any(p._dtype.short_name != "Float" for p in defined):
            raise RuntimeError(messages.BATCH_NORM_MIXED_FLOAT)
        if input._dtype.short_name not in ("Half", "BFloat16"):
            raise RuntimeError(messages.BATCH_NORM_MIXED_SAME)
        return  # a reduced-precision input with float parameters
    for p in defined:
        if p._dtype is not input._dtype:
            raise RuntimeError(messages.CONV_DTYPE.format(expected=input._dtype.short_name,
                                                          got=p._dtype.short_name))


def batch_norm(input: Tensor, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5) -> Tensor:
    if training:
        _verify_batch_size(input.size())
    if training and eps <= 0.0:
        raise ValueError(messages.BATCH_NORM_EPS_TRAINING.format(eps=eps))
    if eps < 0.0:
        raise ValueError(messages.BATCH_NORM_EPS.format(eps=eps))
    return _batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps)


def _batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps) -> Tensor:
    """at::batch_norm's checks, then native_batch_norm."""
    features = input.shape[1] if input.dim() > 1 else 0
    for name, t in (("running_mean", running_mean), ("running_var", running_var)):
        if t is not None:
            if t.numel() != features:
                raise RuntimeError(messages.BATCH_NORM_FEATURES.format(name=name, expected=features,
                                                                       got=t.numel()))
        elif not training:
            raise RuntimeError(messages.BATCH_NORM_EVAL_STATS.format(name=name))
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and t.numel() != features:
            raise RuntimeError(messages.BATCH_NORM_FEATURES.format(name=name, expected=features,
                                                                   got=t.numel()))
    _not_for("batch_norm", input, "biuc")
    _check_mixed_dtypes(input, (weight, bias, running_mean, running_var))
    out, save_mean, save_invstd = norm_ops.BATCH_NORM(
        input, weight if weight is not None else _absent(input),
        bias if bias is not None else _absent(input), running_mean=running_mean,
        running_var=running_var, training=training, momentum=momentum, eps=eps,
        has_weight=weight is not None, has_bias=bias is not None)
    return norm_ops.save_statistics(out, (save_mean, save_invstd))


def instance_norm(input: Tensor, running_mean=None, running_var=None, weight=None, bias=None,
                  use_input_stats=True, momentum=0.1, eps=1e-5) -> Tensor:
    """at::instance_norm: batch norm of the input viewed as (1, N*C, ...), with repeated affine
    parameters and running statistics (averaged back over the batch afterwards)."""
    if use_input_stats:
        size = input.size()
        prods = 1
        for i in range(2, len(size)):
            prods *= size[i]
        if prods == 1:
            raise ValueError(messages.INSTANCE_NORM_ONE_VALUE.format(size=size))
    return _instance_norm(input, running_mean, running_var, weight, bias, use_input_stats, momentum, eps)


def _instance_norm(input, running_mean, running_var, weight, bias, use_input_stats, momentum, eps):
    if not use_input_stats and (running_mean is None or running_var is None):
        raise RuntimeError(messages.INSTANCE_NORM_STATS)
    shape = tuple(input.shape)
    b, c = shape[0], shape[1]
    reshaped = view(input.contiguous(), (1, b * c) + shape[2:])

    def repeat(t):
        return None if t is None else norm_ops.REPEAT(t, repeats=(b,))

    rm, rv = repeat(running_mean), repeat(running_var)
    out = _batch_norm(reshaped, repeat(weight), repeat(bias), rm, rv, use_input_stats, momentum, eps)
    from ..autograd.grad_mode import no_grad
    with no_grad():
        if running_mean is not None:
            running_mean._data[...] = rm._data.reshape(b, c).mean(0)
        if running_var is not None:
            running_var._data[...] = rv._data.reshape(b, c).mean(0)
    return view(out, shape)


def group_norm(input: Tensor, num_groups: int, weight=None, bias=None, eps: float = 1e-5) -> Tensor:
    if input.dim() < 2:
        raise RuntimeError(messages.GROUP_NORM_DIMS.format(d=input.dim()))
    _verify_batch_size([input.size(0) * input.size(1) // num_groups, num_groups] + list(input.size()[2:]))
    return _group_norm(input, num_groups, weight, bias, eps)


def _group_norm(input: Tensor, num_groups: int, weight, bias, eps: float) -> Tensor:
    shape = tuple(input.shape)
    n, c = shape[0], shape[1]
    if c % num_groups:
        raise RuntimeError(messages.GROUP_NORM_DIVISIBLE.format(size=_sizes(shape), groups=num_groups))
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and (t.dim() != 1 or t.numel() != c):
            # ATen prints the weight's sizes in both messages ([0] when there is no weight)
            got = _sizes(weight.shape) if weight is not None else "[0]"
            raise RuntimeError(messages.GROUP_NORM_AFFINE.format(name=name, got=got, size=_sizes(shape)))
    _not_for("native_group_norm", input, "biuc")
    hxw = math.prod(shape[2:])
    out, mu, rstd = norm_ops.GROUP_NORM(
        input, weight if weight is not None else _absent(input),
        bias if bias is not None else _absent(input), N=n, C=c, HxW=hxw, group=num_groups, eps=eps,
        has_weight=weight is not None, has_bias=bias is not None)
    return norm_ops.save_statistics(out, (mu, rstd))


# ---- the torch namespace's entry points (torch.conv2d, torch.batch_norm, ...) ----------------------
# torch.conv*, torch.max_pool*, torch.avg_pool1d and torch.adaptive_avg_pool1d are the functions
# above; these three take ATen's argument order and skip the Python wrappers' checks.
def torch_batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps,
                     cudnn_enabled=True) -> Tensor:
    return _batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps)


def torch_instance_norm(input, weight, bias, running_mean, running_var, use_input_stats, momentum,
                        eps, cudnn_enabled=True) -> Tensor:
    return _instance_norm(input, running_mean, running_var, weight, bias, use_input_stats, momentum,
                          eps)


def torch_group_norm(input, num_groups, weight=None, bias=None, eps=1e-5, cudnn_enabled=True) -> Tensor:
    if input.dim() < 2:
        raise IndexError(messages.DIM_RANGE.format(low=-max(input.dim(), 1), high=max(input.dim(), 1) - 1,
                                                   dim=1))
    if isinstance(num_groups, int) and num_groups <= 0:  # ATen's check (F.group_norm divides first)
        raise RuntimeError(messages.GROUP_NORM_GROUPS.format(groups=num_groups))
    return _group_norm(input, num_groups, weight, bias, eps)


# ---- 3-d pooling, adaptive max pooling, power-average pooling --------------------------------------
def _triple_arg(values: list, what: str, allow_empty: bool = False) -> tuple:
    """An int[3] argument of a 3-d pooling op: one value repeated, or three."""
    if not (len(values) in (1, 3) or (allow_empty and not values)):
        raise RuntimeError(what)
    if not values:
        return ()
    return (values[0],) * 3 if len(values) == 1 else tuple(values)


def _pool3d_shape_check(input: Tensor, k, s, p, d, sizes, outs, fn: str, check_input_size=False) -> None:
    """Pool.h pool3d_shape_check."""
    (kt, kh, kw), (st, sh, sw), (pt, ph, pw), (dt, dh, dw) = k, s, p, d
    if not (kt > 0 and kw > 0 and kh > 0):
        raise RuntimeError(messages.POOL3D_KERNEL_POSITIVE.format(kt=kt, kh=kh, kw=kw))
    if not (st > 0 and sw > 0 and sh > 0):
        raise RuntimeError(messages.POOL3D_STRIDE_POSITIVE.format(st=st, sh=sh, sw=sw))
    if not (dt > 0 and dw > 0 and dh > 0):
        raise RuntimeError(messages.POOL3D_DILATION_POSITIVE.format(dt=dt, dh=dh, dw=dw))
    shape = tuple(input.shape)
    nd = len(shape)
    if nd not in (4, 5):
        raise RuntimeError(messages.POOL3D_INPUT_RANK.format(fn=fn, size=_sizes(shape)))
    for i in range(nd):
        if nd == 5 and i == 0:
            continue
        if shape[i] <= 0:
            raise RuntimeError(messages.POOL3D_INPUT_EMPTY.format(fn=fn, size=_sizes(shape), length=shape[i]))
    (it, ih, iw), (ot, oh, ow) = sizes, outs
    if check_input_size and not (it >= kt and ih >= kh and iw >= kw):
        raise RuntimeError(messages.POOL3D_INPUT_SMALL.format(t=it, h=ih, w=iw, kt=kt, kh=kh, kw=kw))
    if not (kt // 2 >= pt and kw // 2 >= pw and kh // 2 >= ph):
        raise RuntimeError(messages.POOL3D_PAD.format(kt=kt, kw=kw, kh=kh, pt=pt, pw=pw, ph=ph))
    if not (ot >= 1 and ow >= 1 and oh >= 1):
        raise RuntimeError(messages.POOL3D_OUTPUT_SMALL.format(c=shape[-4], t=it, h=ih, w=iw, ot=ot, oh=oh,
                                                               ow=ow))


def _max_pool3d_with_indices(input: Tensor, kernel_size, stride, padding, dilation, ceil_mode):
    """max_pool3d_with_indices_out_cpu_template's checks, then the op."""
    kernel = _triple_arg(_int_list(kernel_size, 3), messages.MAX_POOL3D_KERNEL)
    strides = _triple_arg(_int_list(stride, 3) if stride is not None else [], messages.MAX_POOL3D_STRIDE,
                          allow_empty=True) or kernel
    pads = _triple_arg(_int_list(padding, 3), messages.MAX_POOL3D_PADDING)
    dils = _triple_arg(_int_list(dilation, 3), messages.MAX_POOL3D_DILATION)
    if input.dim() not in (4, 5):
        raise RuntimeError(messages.POOL3D_RANK)
    sizes = tuple(input.shape[-3:])
    outs = tuple(_pool_output(sizes[i], kernel[i], pads[i], strides[i], dils[i], ceil_mode) for i in range(3))
    _pool3d_shape_check(input, kernel, strides, pads, dils, sizes, outs,
                        "max_pool3d_with_indices_out_cpu_template()")
    _not_for("max_pool3d", input)
    return pool_ops.max_pool3d_with_indices(input, kernel, strides, pads, dils, ceil_mode)


@_own_binding_check
def max_pool3d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
                            return_indices=False):
    _pool_binding("max_pool3d_with_indices", 3, input, kernel_size, stride, padding, dilation, ceil_mode)
    return _max_pool3d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode)


def _max_pool3d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
                return_indices=False):
    _pool_binding("max_pool3d", 3, input, kernel_size, stride, padding, dilation, ceil_mode)
    return _max_pool3d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode)[0]


max_pool3d = _boolean_dispatch("max_pool3d", 6, max_pool3d_with_indices, _max_pool3d)


def avg_pool3d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None) -> Tensor:
    """avg_pool3d's meta function (argument lengths, rank, divisor, output sizes, pool3d_shape_check)."""
    kernel = _triple_arg(_int_list(kernel_size, 3), messages.AVG_POOL3D_KERNEL)
    strides = _triple_arg(_int_list(stride, 3) if stride is not None else [], messages.AVG_POOL3D_STRIDE,
                          allow_empty=True) or kernel
    pads = _triple_arg(_int_list(padding, 3), messages.AVG_POOL3D_PADDING)
    if input.dim() not in (4, 5):
        raise RuntimeError(messages.POOL3D_RANK)
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError(messages.AVG_POOL_DIVISOR)
    sizes = tuple(input.shape[-3:])
    outs = tuple(_pool_output(sizes[i], kernel[i], pads[i], strides[i], 1, ceil_mode) for i in range(3))
    _pool3d_shape_check(input, kernel, strides, pads, (1, 1, 1), sizes, outs, "avg_pool3d()",
                        check_input_size=True)
    if input._data.dtype not in (np.float32, np.float64, np.int64):
        raise NotImplementedError(messages.NOT_IMPLEMENTED_FOR.format(op="avg_pool3d_out_frame",
                                                                      dtype=input._dtype.short_name))
    return pool_ops.AVG_POOL3D(input, kernel_size=kernel, stride=strides, padding=pads, ceil_mode=ceil_mode,
                               count_include_pad=count_include_pad, divisor_override=divisor_override)


def adaptive_avg_pool3d(input: Tensor, output_size) -> Tensor:
    size = _int_list(_list_with_default(output_size, tuple(input.shape)), 3)
    if len(size) != 3:
        raise RuntimeError(messages.ADAPTIVE3D_OUTPUT_SIZE)
    if any(s < 0 for s in size):
        raise RuntimeError(messages.ADAPTIVE3D_OUTPUT_NEGATIVE.format(t=size[0], h=size[1], w=size[2]))
    if size == [1, 1, 1]:
        return mean(input, (-1, -2, -3), keepdim=True)
    shape = tuple(input.shape)
    for i in range(1, len(shape)):
        if shape[i] <= 0:
            raise RuntimeError(messages.ADAPTIVE3D_EMPTY.format(size=_sizes(shape), dim=i))
    if len(shape) not in (4, 5):
        raise RuntimeError(messages.ADAPTIVE3D_RANK.format(size=_sizes(shape)))
    _not_for("adaptive_avg_pool3d_cpu", input, "biuc")
    return pool_ops.ADAPTIVE_AVG_POOL3D(input, output_size=tuple(size))


def _adaptive_max_pool2d_checked(input: Tensor, output_size):
    """adaptive_max_pool2d's meta function, then the op."""
    size = _int_list(output_size, 2)
    shape = tuple(input.shape)
    if len(shape) not in (3, 4):
        raise RuntimeError(messages.ADAPTIVE_MAX_RANK.format(size=_sizes(shape)))
    for i in range(1, len(shape)):
        if shape[i] <= 0:
            raise RuntimeError(messages.ADAPTIVE_MAX_EMPTY.format(fn="adaptive_max_pool2d",
                                                                  size=_sizes(shape), dim=i))
    if len(size) != 2:
        raise RuntimeError("adaptive_max_pool2d(): internal error: output_size.size() must be 2")
    out_shape = shape[:-2] + tuple(size)
    for s in out_shape:
        if s < 0:
            raise RuntimeError(messages.NEGATIVE_DIM.format(dim=s, size=_sizes(out_shape)))
    _not_for("adaptive_max_pool2d", input, "biuc")
    return pool_ops.adaptive_max_pool2d(input, size)


def adaptive_max_pool2d_with_indices(input: Tensor, output_size, return_indices: bool = False):
    output_size = _list_with_default(output_size, tuple(input.shape))
    _parse_binding("adaptive_max_pool2d", ("input", 1, input, "T"), ("output_size", 2, output_size, 2))
    return _adaptive_max_pool2d_checked(input, output_size)


def _adaptive_max_pool2d(input: Tensor, output_size, return_indices: bool = False):
    return adaptive_max_pool2d_with_indices(input, output_size)[0]


adaptive_max_pool2d = _boolean_dispatch("adaptive_max_pool2d", 2, adaptive_max_pool2d_with_indices,
                                        _adaptive_max_pool2d)


@_own_binding_check
def adaptive_max_pool1d_with_indices(input: Tensor, output_size, return_indices: bool = False):
    """at::adaptive_max_pool1d: 2-d adaptive max pooling over an unsqueezed height of 1."""
    _parse_binding("adaptive_max_pool1d", ("input", 1, input, "T"), ("output_size", 2, output_size, 1))
    size = _int_list(output_size, 1)
    _check_dim_range("adaptive_max_pool1d", input, 2, 4)
    _check1d("adaptive_max_pool1d", "output_size", size)
    shape = tuple(input.shape)
    for i in range(1, len(shape)):
        if shape[i] <= 0:
            raise RuntimeError(messages.ADAPTIVE_MAX_EMPTY.format(fn="adaptive_max_pool1d",
                                                                  size=_sizes(shape), dim=i))
    out, indices = _adaptive_max_pool2d_checked(unsqueeze(input, -2), [1, size[0]])
    return squeeze(out, -2), squeeze(indices, -2)


def _adaptive_max_pool1d(input: Tensor, output_size, return_indices: bool = False):
    return adaptive_max_pool1d_with_indices(input, output_size)[0]


adaptive_max_pool1d = _boolean_dispatch("adaptive_max_pool1d", 2, adaptive_max_pool1d_with_indices,
                                        _adaptive_max_pool1d)


def _lp_pool(input: Tensor, norm_type, kernel_size, stride, ceil_mode, nd: int) -> Tensor:
    """torch's lp_pool{1,2,3}d: (sum over the window of x^p)^(1/p) through the average pool."""
    from . import functional  # the pools as torch's parser checks them (avg_pool{1,2,3}d are bindings)
    max_pool = {1: max_pool1d, 2: max_pool2d, 3: max_pool3d}[nd]
    avg_pool = {1: functional.avg_pool1d, 2: functional.avg_pool2d, 3: functional.avg_pool3d}[nd]
    if nd == 2:
        kw, kh = _ntuple(kernel_size, 2)  # torch unpacks first (ValueError for a wrong length) and
    elif nd == 3:                         # multiplies last (after the pool has checked the types)
        kd, kw, kh = _ntuple(kernel_size, 3)
    if isinstance(norm_type, (int, float)):
        if norm_type == float("inf"):
            return max_pool(input.abs(), kernel_size, stride, 0, 1, ceil_mode)
        if norm_type == -float("inf"):
            return -max_pool(-input.abs(), kernel_size, stride, 0, 1, ceil_mode)
    if stride is not None:
        out = avg_pool(input.pow(norm_type), kernel_size, stride, 0, ceil_mode)
    else:
        out = avg_pool(input.pow(norm_type), kernel_size, padding=0, ceil_mode=ceil_mode)
    count = kernel_size if nd == 1 else kw * kh if nd == 2 else kd * kw * kh
    return (out.sign() * functional.relu(out.abs())).mul(count).pow(1.0 / norm_type)


def lp_pool1d(input: Tensor, norm_type, kernel_size, stride=None, ceil_mode: bool = False) -> Tensor:
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 1)


def lp_pool2d(input: Tensor, norm_type, kernel_size, stride=None, ceil_mode: bool = False) -> Tensor:
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 2)


def lp_pool3d(input: Tensor, norm_type, kernel_size, stride=None, ceil_mode: bool = False) -> Tensor:
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 3)


__all__ += ["max_pool3d", "max_pool3d_with_indices", "avg_pool3d", "adaptive_avg_pool3d",
            "adaptive_max_pool1d", "adaptive_max_pool2d", "adaptive_max_pool1d_with_indices",
            "adaptive_max_pool2d_with_indices", "lp_pool1d", "lp_pool2d", "lp_pool3d"]


# ---- unfold / fold (im2col / col2im) -------------------------------------------------------------
def _ntuple(value, n: int) -> tuple:
    """torch.nn.modules.utils._ntuple: an iterable (a tensor too) as the tuple of its items, anything
    else repeated n times."""
    if isinstance(value, collections.abc.Iterable):
        return tuple(value)
    return (value,) * n


def _pair_of(value) -> list:
    """An int[2] argument torch's parser accepted, as ints."""
    return _int_list(value, 2)


def _checked_size(t: Tensor, dim: int) -> int:
    if t.dim() == 0:
        raise IndexError(messages.DIM_NO_DIMS.format(dim=dim))
    if not -t.dim() <= dim < t.dim():
        raise IndexError(messages.DIM_RANGE.format(low=-t.dim(), high=t.dim() - 1, dim=dim))
    return t.shape[dim]


def unfold(input: Tensor, kernel_size, dilation=1, padding=0, stride=1) -> Tensor:
    """torch._C._nn.im2col: argument lengths, im2col_shape_check, the dtype dispatch."""
    kernel_size, dilation, padding, stride = (_ntuple(v, 2) for v in (kernel_size, dilation, padding, stride))
    _parse_binding("im2col", ("input", 1, input, "T"), ("kernel_size", 2, kernel_size, 2),
                   ("dilation", 3, dilation, 2), ("padding", 4, padding, 2), ("stride", 5, stride, 2))
    args = {"kernel_size": _pair_of(kernel_size), "dilation": _pair_of(dilation),
            "padding": _pair_of(padding), "stride": _pair_of(stride)}
    for name, values in args.items():
        if len(values) != 2:
            raise RuntimeError(messages.IM2COL_ARG_LENGTH.format(name=name, got=len(values)))
    (kh, kw), (dh, dw), (ph, pw), (sh, sw) = args.values()
    if not (kw > 0 and kh > 0):
        raise RuntimeError(messages.IM2COL_KERNEL.format(h=kh, w=kw))
    if not (dw > 0 and dh > 0):
        raise RuntimeError(messages.IM2COL_DILATION.format(h=dh, w=dw))
    if not (pw >= 0 and ph >= 0):
        raise RuntimeError(messages.IM2COL_PADDING.format(h=ph, w=pw))
    if not (sw > 0 and sh > 0):
        raise RuntimeError(messages.IM2COL_STRIDE.format(h=sh, w=sw))
    nd = input.dim()
    valid = _checked_size(input, 1) != 0 and _checked_size(input, 2) != 0
    if not ((nd == 3 and input.shape[0] != 0 and valid) or (nd == 4 and valid and input.shape[3] != 0)):
        raise RuntimeError(messages.IM2COL_INPUT.format(size=_sizes(input.shape)))
    h, w = input.shape[-2:]
    oh = fold_ops.blocks(h, kh, dh, ph, sh)
    ow = fold_ops.blocks(w, kw, dw, pw, sw)
    if oh < 1 or ow < 1:
        raise RuntimeError(messages.IM2COL_BLOCKS.format(h=h, w=w, kh=kh, kw=kw, dh=dh, dw=dw, ph=ph, pw=pw,
                                                         oh=oh, ow=ow))
    _not_for("im2col_out_cpu", input, "iu")
    return fold_ops.im2col(input, (kh, kw), (dh, dw), (ph, pw), (sh, sw))


def fold(input: Tensor, output_size, kernel_size, dilation=1, padding=0, stride=1) -> Tensor:
    """torch._C._nn.col2im: argument lengths, col2im_shape_check, the dtype dispatch."""
    output_size, kernel_size, dilation, padding, stride = (
        _ntuple(v, 2) for v in (output_size, kernel_size, dilation, padding, stride))
    _parse_binding("col2im", ("input", 1, input, "T"), ("output_size", 2, output_size, 2),
                   ("kernel_size", 3, kernel_size, 2), ("dilation", 4, dilation, 2),
                   ("padding", 5, padding, 2), ("stride", 6, stride, 2))
    args = {"output_size": _pair_of(output_size), "kernel_size": _pair_of(kernel_size),
            "dilation": _pair_of(dilation), "padding": _pair_of(padding), "stride": _pair_of(stride)}
    for name, values in args.items():
        if len(values) != 2:
            raise RuntimeError(messages.IM2COL_ARG_LENGTH.format(name=name, got=len(values)))
    (h, w), (kh, kw), (dh, dw), (ph, pw), (sh, sw) = args.values()
    if not (kw > 0 and kh > 0):
        raise RuntimeError(messages.IM2COL_KERNEL.format(h=kh, w=kw))
    if not (sw > 0 and sh > 0):
        raise RuntimeError(messages.IM2COL_STRIDE.format(h=sh, w=sw))
    if not (dw > 0 and dh > 0):
        raise RuntimeError(messages.IM2COL_DILATION.format(h=dh, w=dw))
    if not (pw >= 0 and ph >= 0):
        raise RuntimeError(messages.IM2COL_PADDING.format(h=ph, w=pw))
    shape = tuple(input.shape)
    nd = len(shape)
    if not ((nd == 2 and shape[0] != 0 and shape[1] != 0) or (nd == 3 and shape[1] != 0 and shape[2] != 0)):
        raise RuntimeError(messages.COL2IM_INPUT.format(size=_sizes(shape)))
    planes, length = shape[-2], shape[-1]
    if planes % (kw * kh):
        raise RuntimeError(messages.COL2IM_DIVISIBLE.format(c=planes, kh=kh, kw=kw))
    bh = fold_ops.blocks(h, kh, dh, ph, sh)
    bw = fold_ops.blocks(w, kw, dw, pw, sw)
    geometry = messages.COL2IM_GEOMETRY.format(h=h, w=w, kh=kh, kw=kw, dh=dh, dw=dw, ph=ph, pw=pw, sh=sh,
                                               sw=sw)
    if length != bh * bw:
        raise RuntimeError(geometry + messages.COL2IM_BLOCKS.format(bh=bh, bw=bw, blocks=bh * bw,
                                                                    length=length))
    if not (bh >= 1 and bw >= 1):
        raise RuntimeError(geometry + messages.COL2IM_SMALL.format(bh=bh, bw=bw))
    if w < 1 or h < 1:
        raise RuntimeError(messages.COL2IM_OUTPUT.format(h=h, w=w))
    _not_for("col2im_out_cpu", input, "iu")
    return fold_ops.col2im(input, (h, w), (kh, kw), (dh, dw), (ph, pw), (sh, sw))


__all__ += ["unfold", "fold"]


# ---- pixel shuffle, channel shuffle ----------------------------------------------------------------
def pixel_shuffle(input: Tensor, upscale_factor: int) -> Tensor:
    if input.dim() < 3:
        raise RuntimeError(messages.PIXEL_SHUFFLE_DIMS.format(kind="shuffle", d=input.dim()))
    r = int(upscale_factor)
    if r <= 0:
        raise RuntimeError(messages.PIXEL_SHUFFLE_FACTOR.format(r=r))
    c = input.shape[-3]
    if c % (r * r):
        raise RuntimeError(messages.PIXEL_SHUFFLE_CHANNELS.format(c=c, r2=r * r))
    return fold_ops.PIXEL_SHUFFLE(input, upscale_factor=r)


def pixel_unshuffle(input: Tensor, downscale_factor: int) -> Tensor:
    if input.dim() < 3:
        raise RuntimeError(messages.PIXEL_SHUFFLE_DIMS.format(kind="unshuffle", d=input.dim()))
    r = int(downscale_factor)
    if r <= 0:
        raise RuntimeError(messages.PIXEL_UNSHUFFLE_FACTOR.format(r=r))
    for name, dim in (("height", -2), ("width", -1)):
        if input.shape[dim] % r:
            raise RuntimeError(messages.PIXEL_UNSHUFFLE_SIZE.format(name=name, dim=dim, size=input.shape[dim],
                                                                    r=r))
    return fold_ops.PIXEL_UNSHUFFLE(input, downscale_factor=r)


def channel_shuffle(input: Tensor, groups: int) -> Tensor:
    if input.dim() <= 2:
        raise RuntimeError(messages.CHANNEL_SHUFFLE_DIMS.format(size=_sizes(input.shape)))
    groups = int(groups)
    if groups <= 0:
        raise RuntimeError(messages.CHANNEL_SHUFFLE_GROUPS.format(groups=groups))
    c = input.shape[1]
    if c % groups:
        raise RuntimeError(messages.CHANNEL_SHUFFLE_DIVISIBLE.format(c=c, groups=groups))
    return fold_ops.CHANNEL_SHUFFLE(input, groups=groups)


__all__ += ["pixel_shuffle", "pixel_unshuffle", "channel_shuffle"]


# ---- RMS norm, local response norm --------------------------------------------------------------
_RMS_DTYPE_WARNED = [False]  # TORCH_WARN_ONCE: once per process


def rms_norm(input: Tensor, normalized_shape, weight: Tensor | None = None,
             eps: float | None = None) -> Tensor:
    """at::rms_norm (torch 2.13) with grad: its checks, then the composite: in opmath,
    x * rsqrt(mean(x^2 over the normalized dims, keepdim) + eps) [* weight], cast back to the
    input's dtype (ToCopyBackward0 only when the dtype changes)."""
    if isinstance(normalized_shape, (numbers.Integral, np.integer)) or not isinstance(normalized_shape,
                                                                                      (list, tuple)):
        raise TypeError(messages.RMS_NORM_SHAPE_TYPE.format(type=type(normalized_shape).__name__))
    shape = [int(s) for s in normalized_shape]
    if not shape:
        raise RuntimeError(messages.RMS_NORM_SHAPE_EMPTY.format(shape=shape))
    if weight is not None and list(weight.shape) != shape:
        raise RuntimeError(messages.RMS_NORM_WEIGHT.format(got=list(weight.shape), shape=shape))
    nd, k = input.dim(), len(shape)
    if nd < k:
        raise ValueError(messages.RMS_NORM_INPUT_DIMS.format(n=k, d=nd))
    if list(input.shape[nd - k:]) != shape:
        raise RuntimeError(messages.RMS_NORM_INPUT.format(shape=shape, tail=", ".join(map(str, shape)),
                                                          size=list(input.shape)))
    if not (input.is_floating_point() or input.is_complex()):
        raise NotImplementedError(messages.NOT_IMPLEMENTED_FOR.format(op="rms_norm",
                                                                      dtype=input._dtype.short_name))
    if weight is not None and weight._dtype is not input._dtype and not _RMS_DTYPE_WARNED[0]:
        _RMS_DTYPE_WARNED[0] = True
        warnings.warn(messages.W_RMS_NORM_DTYPE.format(input=input._dtype.cpp_name,
                                                       weight=weight._dtype.cpp_name), stacklevel=2)
    x = input
    opmath = np.float64 if input._data.dtype in (np.float64, np.complex128) else np.float32
    if input._data.dtype.kind == "f" and input._data.dtype.itemsize < 4:
        from .._core.dtypes import float32
        x = input.to(float32)
    if eps is None:
        eps = float(np.finfo(opmath).eps)
    elif opmath is np.float32:
        eps = float(np.float32(eps))
    dims = tuple(nd - 1 - i for i in range(k))
    r = x.pow(2).mean(dims, keepdim=True)
    from .._ops.loss_ops import ADD_SCALAR
    ADD_SCALAR.inplace(r, other=eps)
    out = x.mul(r.rsqrt())
    if weight is not None:
        out = out.mul(weight)
    out = out.contiguous()
    return out if out._dtype is input._dtype else out.to(input._dtype)


def local_response_norm(input: Tensor, size: int, alpha: float = 1e-4, beta: float = 0.75,
                        k: float = 1.0) -> Tensor:
    """torch's composite: the squared input averaged over `size` neighbouring channels."""
    dim = input.dim()
    if dim < 3:
        raise ValueError(messages.LRN_DIMS.format(d=dim))
    if input.numel() == 0:
        return input
    div = input.mul(input)
    if dim == 3:
        div = unsqueeze(div, 1)
        div = pad(div, (0, 0, size // 2, (size - 1) // 2))
        div = squeeze(avg_pool2d(div, (size, 1), stride=1), 1)
    else:
        sizes = tuple(input.shape)
        div = view(div, (sizes[0], 1, sizes[1], sizes[2], -1))
        div = pad(div, (0, 0, 0, 0, size // 2, (size - 1) // 2))
        div = squeeze(avg_pool3d(div, (size, 1, 1), stride=1), 1)
        div = view(div, sizes)
    div = div.mul(alpha).add(k).pow(beta)
    return input / div


__all__ += ["rms_norm", "local_response_norm"]
