"""Pooling and upsampling ops on the last two dimensions (any leading dimensions):
max_pool2d_with_indices, avg_pool2d, _adaptive_avg_pool2d, adaptive_max_pool2d, upsample_nearest{1,2}d
and upsample_{linear1d,bilinear2d}; and on the last three: max_pool3d_with_indices, avg_pool3d,
_adaptive_avg_pool3d. Each backward is an op whose own derivative is the forward op (or
a gather, for max pooling), as in derivatives.yaml, so double backward works.

Kernels loop over kernel offsets with strided slices, not over output positions, and follow
ATen's CPU loops where the order matters: a max-pool window keeps its first maximum (a later NaN
wins), an all-(-inf) window points at its first in-bound element, an average divides once."""
from __future__ import annotations

import sys

import numpy as np

from .._autograd.node import expose_saved
from .._core import messages
from .._tensor import Tensor
from .dispatch import Op


def pooling_output_shape(size: int, kernel: int, pad: int, stride: int, dilation: int,
                         ceil_mode: bool) -> int:
    """Pool.h pooling_output_shape_pad_lr (checks are the callers')."""
    out = (size + 2 * pad - dilation * (kernel - 1) - 1 + (stride - 1 if ceil_mode else 0)) // stride + 1
    if ceil_mode and (out - 1) * stride >= size + pad:
        out -= 1
    return out


def _pad_last2(x: np.ndarray, pads, value) -> np.ndarray:
    """Pad the last two dims by ((top, bottom), (left, right)) with `value`."""
    if not any(p for pair in pads for p in pair):
        return x
    (top, bottom), (left, right) = pads
    out = np.full(x.shape[:-2] + (x.shape[-2] + top + bottom, x.shape[-1] + left + right), value, x.dtype)
    out[..., top:top + x.shape[-2], left:left + x.shape[-1]] = x
    return out


def _window(xp: np.ndarray, i: int, j: int, out, stride, dilation) -> np.ndarray:
    """The strided view of xp seen by kernel offset (i, j) at every output position."""
    (oh, ow), (sh, sw), (dh, dw) = out, stride, dilation
    return xp[..., i * dh:i * dh + sh * (oh - 1) + 1:sh, j * dw:j * dw + sw * (ow - 1) + 1:sw]


def _right_pad(size: int, out: int, kernel: int, pad: int, stride: int, dilation: int) -> int:
    return max(0, (out - 1) * stride + (kernel - 1) * dilation + 1 - size - pad)


def _scatter_add(g: np.ndarray, index: np.ndarray, size: int, axis: int) -> np.ndarray:
    """out[..., i, ...] = sum of g[..., j, ...] over j with index[j] == i, summed in order of j."""
    axis = axis % g.ndim
    order = np.argsort(index, kind="stable")
    if not np.array_equal(order, np.arange(len(index))):
        g = np.take(g, order, axis=axis)
        index = index[order]
    shape = list(g.shape)
    shape[axis] = size
    out = np.zeros(shape, g.dtype)
    if len(index):
        uniq, starts = np.unique(index, return_index=True)
        sl = [slice(None)] * g.ndim
        sl[axis] = uniq
        out[tuple(sl)] = np.add.reduceat(g, starts, axis=axis)
    return out


# ---- max pooling ---------------------------------------------------------------------------------
def _geometry(kernel_size, stride, padding, dilation):
    stride = tuple(stride) if len(stride) else tuple(kernel_size)
    return tuple(kernel_size), stride, tuple(padding), tuple(dilation)


def _first_inbound(out: int, kernel: int, stride: int, pad: int, dilation: int) -> np.ndarray:
    """Per output position, the first kernel offset that lands inside the input."""
    start = np.arange(out) * stride - pad
    return np.where(start < 0, (-start + dilation - 1) // dilation, 0)


def _has_negative_zero(x: np.ndarray) -> bool:
    """Whether a float array holds a -0.0: its bits, read as a signed integer, are that type's minimum."""
    if x.dtype.kind != "f" or not x.size:
        return False
    return bool(x.view(np.dtype(f"i{x.itemsize}")).min() == -(1 << (8 * x.itemsize - 1)))


def _even_odd_rows(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """a[0::2] and a[1::2] of a C-contiguous 2-D array, as contiguous copies. Each row is copied as
    one opaque item: a 1-D strided copy is several times faster than a 2-D one."""
    rows = a.view(np.dtype((np.void, a.shape[1] * a.itemsize)))
    return rows[0::2].copy().view(a.dtype), rows[1::2].copy().view(a.dtype)


def _evens(a: np.ndarray) -> np.ndarray:
    """a[0::2] of a contiguous 1-D array of even length, as a contiguous copy. On a little-endian
    machine an (even, odd) pair read as one unsigned integer of twice the width holds the even
    element in its low half, which a narrowing cast keeps, several times faster than a strided copy."""
    wide = {1: np.uint16, 2: np.uint32, 4: np.uint64}.get(a.itemsize)
    if wide is None or sys.byteorder != "little":
        return a[0::2].copy()
    return a.view(wide).astype(np.dtype(f"u{a.itemsize}")).view(a.dtype)


def _pairwise(ufunc, a: np.ndarray, dtype=None) -> np.ndarray:
    """ufunc(a[i], a[i + 1]) at every even i of a flat array of even length."""
    out = np.empty(len(a), dtype or a.dtype)
    ufunc(a[:-1], a[1:], out=out[:-1])  # every i but the last: contiguous, unlike the even ones only
    return _evens(out)


def _max_pool_2x2(x: np.ndarray, oh: int, ow: int):
    """2x2 windows with stride 2 and no padding (the common case) in whole-array operations on
    contiguous data: split the windows' top and bottom rows, pair the columns in each, then the
    rows. Keeping the left element unless the right one is greater, then the top unless the bottom
    is, picks the first maximum in row-major order, as ATen's loop. None (use the general loop)
    when x holds a NaN, whose origin np.maximum does not tell, or a -0.0: np.maximum may keep
    either zero of a (-0.0, 0.0) tie, ATen keeps the first."""
    if _has_negative_zero(x):
        return None
    h, w = x.shape[-2:]
    rows = np.ascontiguousarray(x[..., :2 * oh, :2 * ow]).reshape(-1, 2 * ow)
    top, bottom = (r.reshape(-1) for r in _even_odd_rows(rows))
    right_top, right_bottom = _pairwise(np.less, top, bool), _pairwise(np.less, bottom, bool)
    top_max, bottom_max = _pairwise(np.maximum, top), _pairwise(np.maximum, bottom)
    best = np.maximum(top_max, bottom_max)
    if np.isnan(best.max()):  # np.maximum propagates NaN
        return None
    lower = bottom_max > top_max
    right = right_top ^ ((right_top ^ right_bottom) & lower)  # the winning row's right_*
    itype = np.int16 if h * w <= np.iinfo(np.int16).max else np.int64
    offset = lower.astype(itype) * itype(w)
    offset += right
    corner = np.add.outer(np.arange(0, 2 * w * oh, 2 * w, dtype=itype), np.arange(0, 2 * ow, 2, dtype=itype))
    shape = x.shape[:-2] + (oh, ow)
    return best.reshape(shape), (corner + offset.reshape(-1, oh, ow)).astype(np.int64).reshape(shape)


def _max_pool_kernel(x, kernel_size, stride, padding, dilation, ceil_mode, **_):
    """ATen's loop order: keep the first maximum (a later NaN wins); start from the first
    in-bound element, so an all-(-inf) window points there. Tracks the winning kernel offset as a
    small integer and converts it to a flat input index once."""
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = _geometry(kernel_size, stride, padding, dilation)
    h, w = x.shape[-2:]
    oh = pooling_output_shape(h, kh, ph, sh, dh, ceil_mode)
    ow = pooling_output_shape(w, kw, pw, sw, dw, ceil_mode)
    low = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
    rh, rw = _right_pad(h, oh, kh, ph, sh, dh), _right_pad(w, ow, kw, pw, sw, dw)
    if ((kh, kw, sh, sw, dh, dw) == (2, 2, 2, 2, 1, 1) and not (ph or pw or rh or rw)
            and x.dtype.kind == "f" and x.size):
        pooled = _max_pool_2x2(x, oh, ow)
        if pooled is not None:
            return pooled
    xp = _pad_last2(x, ((ph, rh), (pw, rw)), low)
    has_nan = x.dtype.kind == "f" and bool(np.isnan(x).any())
    exact = has_nan or _has_negative_zero(x)
    kdtype = np.int8 if kh * kw < 127 else np.int32
    out_hw = (oh, ow)
    if ph or pw or rh or rw:
        best = np.full(x.shape[:-2] + out_hw, low, x.dtype)
        first = (_first_inbound(oh, kh, sh, ph, dh)[:, None] * kw
                 + _first_inbound(ow, kw, sw, pw, dw)[None, :])
        arg = np.broadcast_to(first.astype(kdtype), best.shape).copy()
        offsets = range(kh * kw)
    else:
        best = _window(xp, 0, 0, out_hw, (sh, sw), (dh, dw)).copy()
        arg = np.zeros(best.shape, kdtype)
        offsets = range(1, kh * kw)
    for k in offsets:
        v = _window(xp, k // kw, k % kw, out_hw, (sh, sw), (dh, dw))
        better = v > best
        if has_nan:
            better |= np.isnan(v)
        if exact:  # np.maximum may keep either zero of a (-0.0, 0.0) tie; ATen keeps the first
            best = np.where(better, v, best)
        else:  # masked numpy writes are slow; maximum and integer arithmetic are not
            np.maximum(best, v, out=best)
        arg += better.view(np.int8).astype(kdtype, copy=False) * (kdtype(k) - arg)
    base = (np.arange(oh)[:, None] * sh - ph) * w + (np.arange(ow)[None, :] * sw - pw)
    offset = np.array([(k // kw) * dh * w + (k % kw) * dw for k in range(kh * kw)], np.int64)
    return np.ascontiguousarray(best), base + offset[arg]


def _max_pool_backward_kernel(g, x, indices, kernel_size, stride, padding, dilation, **_):
    (kh, kw), (sh, sw), _p, (dh, dw) = _geometry(kernel_size, stride, padding, dilation)
    hw = x.shape[-2] * x.shape[-1]
    batch = int(np.prod(x.shape[:-2], dtype=np.int64))
    flat = (indices._data.reshape(batch, -1) + np.arange(batch)[:, None] * hw).reshape(-1)
    if sh >= (kh - 1) * dh + 1 and sw >= (kw - 1) * dw + 1:  # disjoint windows: unique indices
        out = np.zeros(batch * hw, g.dtype)
        out[flat] = g.reshape(-1)
    else:  # overlapping windows: sum, in output order as ATen's loop
        out = np.bincount(flat, weights=g.reshape(-1), minlength=batch * hw).astype(g.dtype)
    return out.reshape(x.shape)


def _max_pool_double_backward(g, indices):
    """max_pool_double_backward: the gradient gathered at the indices."""
    idx = indices
    return g.flatten(-2).gather(-1, idx.flatten(-2)).view(tuple(idx.shape))


def _zeros(shape, like: Tensor) -> Tensor:
    return Tensor._make(np.zeros(shape, like._data.dtype))


MAX_POOL2D_BACKWARD = Op(
    "max_pool2d_with_indices_backward", _max_pool_backward_kernel,
    node="MaxPool2DWithIndicesBackwardBackward0", inputs=("grad_output", "self"), promote=None,
    grads={"grad_output": lambda c, g: _max_pool_double_backward(g, c.indices),
           "self": lambda c, g: _zeros(c.shapes[1], g)})


def _max_pool_backward(c, g, self, indices):
    return MAX_POOL2D_BACKWARD(g[0], self, indices=indices, kernel_size=c.kernel_size,
                               stride=c.stride, padding=c.padding, dilation=c.dilation,
                               ceil_mode=c.ceil_mode)


MAX_POOL2D = Op("max_pool2d_with_indices", _max_pool_kernel, node="MaxPool2DWithIndicesBackward0",
                promote=None, multi_output=True, differentiable_outputs=(0,),
                grads={"self": lambda c, g: _max_pool_backward(c, g, c.self, c.result1)})


def max_pool2d_with_indices(x: Tensor, kernel_size, stride, padding, dilation, ceil_mode):
    out, indices = MAX_POOL2D(x, kernel_size=tuple(kernel_size), stride=tuple(stride),
                              padding=tuple(padding), dilation=tuple(dilation), ceil_mode=ceil_mode)
    fn = out._grad_fn
    if fn is not None and type(fn).__name__ == "MaxPool2DWithIndicesBackward0":
        fn.save("result1", indices, is_output=True, output_nr=1)
    return out, indices


# ---- average pooling -----------------------------------------------------------------------------
def _avg_divisors(size: int, out: int, kernel: int, stride: int, pad: int):
    """Per output position: (window size clipped to the padded input, in-bound count, empty)."""
    start = np.arange(out) * stride - pad
    end = np.minimum(start + kernel, size + pad)
    pool = end - start
    inside = np.minimum(end, size) - np.maximum(start, 0)
    return pool, inside


def _avg_divisor(shape_hw, out, kernel, stride, padding, count_include_pad, divisor_override):
    (h, w), (oh, ow), (kh, kw), (sh, sw), (ph, pw) = shape_hw, out, kernel, stride, padding
    pool_h, in_h = _avg_divisors(h, oh, kh, sh, ph)
    pool_w, in_w = _avg_divisors(w, ow, kw, sw, pw)
    empty = (in_h[:, None] <= 0) | (in_w[None, :] <= 0)
    if divisor_override:
        div = np.full((oh, ow), divisor_override, np.int64)
    elif count_include_pad:
        div = pool_h[:, None] * pool_w[None, :]
    else:
        div = in_h[:, None] * in_w[None, :]
    return np.where(empty, 1, div), empty


def _divide(total: np.ndarray, div: np.ndarray) -> np.ndarray:
    if total.dtype.kind == "f":
        return total / div.astype(total.dtype)
    return (np.sign(total) * (np.abs(total) // div)).astype(total.dtype)  # C++ truncation


def _avg_geometry(x_shape, kernel_size, stride, padding, ceil_mode):
    (kh, kw), (sh, sw), (ph, pw), _d = _geometry(kernel_size, stride, padding, (1, 1))
    h, w = x_shape[-2:]
    oh = pooling_output_shape(h, kh, ph, sh, 1, ceil_mode)
    ow = pooling_output_shape(w, kw, pw, sw, 1, ceil_mode)
    pads = ((ph, _right_pad(h, oh, kh, ph, sh, 1)), (pw, _right_pad(w, ow, kw, pw, sw, 1)))
    return (kh, kw), (sh, sw), (ph, pw), (oh, ow), pads


def _avg_pool_kernel(x, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override, **_):
    kernel, stride, padding, out, pads = _avg_geometry(x.shape, kernel_size, stride, padding, ceil_mode)
    xp = _pad_last2(x, pads, 0)
    total = np.zeros(x.shape[:-2] + out, x.dtype if x.dtype.kind == "f" else np.int64)
    for i in range(kernel[0]):
        for j in range(kernel[1]):
            total += _window(xp, i, j, out, stride, (1, 1))
    div, empty = _avg_divisor(x.shape[-2:], out, kernel, stride, padding, count_include_pad,
                              divisor_override)
    result = _divide(total, div)
    if empty.any():
        result[..., empty] = 0
    return result.astype(x.dtype, copy=False)


def _avg_pool_backward_kernel(g, x, kernel_size, stride, padding, ceil_mode, count_include_pad,
                              divisor_override, **_):
    kernel, stride, padding, out, pads = _avg_geometry(x.shape, kernel_size, stride, padding, ceil_mode)
    div, empty = _avg_divisor(x.shape[-2:], out, kernel, stride, padding, count_include_pad,
                              divisor_override)
    delta = g / div.astype(g.dtype)
    if empty.any():
        delta[..., empty] = 0
    (top, bottom), (left, right) = pads
    gp = np.zeros(x.shape[:-2] + (x.shape[-2] + top + bottom, x.shape[-1] + left + right), g.dtype)
    for i in range(kernel[0]):
        for j in range(kernel[1]):
            _window(gp, i, j, out, stride, (1, 1))[...] += delta
    return np.ascontiguousarray(gp[..., top:top + x.shape[-2], left:left + x.shape[-1]])


def _pool_attrs(c) -> dict:
    return dict(kernel_size=c.kernel_size, stride=c.stride, padding=c.padding, ceil_mode=c.ceil_mode,
                count_include_pad=c.count_include_pad, divisor_override=c.divisor_override)


AVG_POOL2D = Op("avg_pool2d", _avg_pool_kernel, node="AvgPool2DBackward0", promote=None,
                grads={"self": lambda c, g: AVG_POOL2D_BACKWARD(g, c.self, **_pool_attrs(c))})
AVG_POOL2D_BACKWARD = Op(
    "avg_pool2d_backward", _avg_pool_backward_kernel, node="AvgPool2DBackwardBackward0",
    inputs=("grad_output", "self"), promote=None,
    grads={"grad_output": lambda c, g: AVG_POOL2D(g, **_pool_attrs(c)),
           "self": lambda c, g: _zeros(c.shapes[1], g)})


# ---- adaptive average pooling --------------------------------------------------------------------
def _adaptive_windows(size: int, out: int):
    """ATen start_index / end_index: floor(o * size / out), ceil((o + 1) * size / out)."""
    o = np.arange(out)
    return (o * size) // out, ((o + 1) * size + out - 1) // out


def _adaptive_kernel(x, output_size, **_):
    oh, ow = output_size
    if oh * ow == 0:  # an empty output of the input's dtype (any dtype: ATen returns before dispatching)
        return np.empty(x.shape[:-2] + (oh, ow), x.dtype)
    h, w = x.shape[-2:]
    hs, he = _adaptive_windows(h, oh)
    ws, we = _adaptive_windows(w, ow)
    cols = np.empty(x.shape[:-1] + (ow,), x.dtype)
    for j in range(ow):
        cols[..., j] = x[..., ws[j]:we[j]].sum(-1)
    out = np.empty(x.shape[:-2] + (oh, ow), x.dtype)
    for i in range(oh):
        out[..., i, :] = cols[..., hs[i]:he[i], :].sum(-2)
    return out / ((he - hs)[:, None] * (we - ws)[None, :]).astype(x.dtype)


def _adaptive_backward_kernel(g, x, **_):
    for d in range(1 if g.ndim == 4 else 0, g.ndim):
        if g.shape[d] <= 0:
            raise RuntimeError(messages.ADAPTIVE_BACKWARD_EMPTY.format(
                size="[" + ", ".join(map(str, g.shape)) + "]", dim=d))
    oh, ow = g.shape[-2:]
    h, w = x.shape[-2:]
    hs, he = _adaptive_windows(h, oh)
    ws, we = _adaptive_windows(w, ow)
    delta = g / ((he - hs)[:, None] * (we - ws)[None, :]).astype(g.dtype)
    rows = np.zeros(g.shape[:-2] + (h, ow), g.dtype)
    for i in range(oh):
        rows[..., hs[i]:he[i], :] += delta[..., i:i + 1, :]
    out = np.zeros(x.shape, g.dtype)
    for j in range(ow):
        out[..., ws[j]:we[j]] += rows[..., j:j + 1]
    return out


ADAPTIVE_AVG_POOL2D = Op(
    "_adaptive_avg_pool2d", _adaptive_kernel, node="AdaptiveAvgPool2DBackward0", promote=None,
    grads={"self": lambda c, g: ADAPTIVE_AVG_POOL2D_BACKWARD(g, c.self)})
ADAPTIVE_AVG_POOL2D_BACKWARD = Op(
    "_adaptive_avg_pool2d_backward", _adaptive_backward_kernel, node="AdaptiveAvgPool2DBackwardBackward0",
    inputs=("grad_output", "self"), promote=None,
    grads={"grad_output": lambda c, g: ADAPTIVE_AVG_POOL2D(g, output_size=c.shapes[0][-2:]),
           "self": lambda c, g: _zeros(c.shapes[1], g)})


# ---- upsampling ----------------------------------------------------------------------------------
def _opmath(dtype: np.dtype):
    return np.float64 if dtype == np.float64 else np.float32


def _scale(in_size: int, out_size: int, scale, align_corners, opmath):
    """area_pixel_compute_scale / compute_scales_value, in the kernel's opmath type."""
    if align_corners:
        return opmath((in_size - 1) / (out_size - 1)) if out_size > 1 else opmath(0)
    if scale is not None and scale > 0:
        return opmath(1.0 / scale)
    return opmath(in_size) / opmath(out_size)


def nearest_indices(in_size: int, out_size: int, scale) -> np.ndarray:
    """nearest_idx: floorf(dst * scale) in float, clamped (shortcuts for 1x and 2x as ATen)."""
    if out_size == in_size:
        return np.arange(out_size)
    if out_size == 2 * in_size:
        return np.arange(out_size) >> 1
    s = _scale(in_size, out_size, scale, False, np.float32)
    src = np.floor(np.arange(out_size, dtype=np.float32) * s).astype(np.int64)
    return np.minimum(src, in_size - 1)


def linear_indices(in_size: int, out_size: int, scale, align_corners: bool, dtype):
    """compute_indices_weights_linear: (index0, index1, lambda0, lambda1) per output position."""
    opmath = _opmath(dtype)
    s = _scale(in_size, out_size, scale, align_corners, opmath)
    dst = np.arange(out_size).astype(opmath)
    if align_corners:
        src = s * dst
    else:
        src = s * (dst + opmath(0.5)) - opmath(0.5)
        src = np.where(src < 0, opmath(0), src).astype(opmath)
    i0 = np.minimum(np.floor(src).astype(np.int64), in_size - 1)
    lam = np.clip(src - i0.astype(opmath), 0, 1).astype(opmath)
    i1 = i0 + (i0 < in_size - 1)
    return i0, i1, (opmath(1) - lam).astype(dtype), lam.astype(dtype)


def _nearest_kernel(x, output_size, scale_factors, **_):
    out = x
    for k, (size, scale) in enumerate(zip(output_size, scale_factors)):
        axis = x.ndim - len(output_size) + k
        out = np.take(out, nearest_indices(x.shape[axis], size, scale), axis=axis)
    return out


def _nearest_backward_kernel(g, output_size, input_size, scale_factors, **_):
    out = g
    for k, (size, scale) in enumerate(zip(output_size, scale_factors)):
        axis = g.ndim - len(output_size) + k
        out = _scatter_add(out, nearest_indices(input_size[axis], size, scale), input_size[axis], axis)
    return out


def _expand_weight(lam: np.ndarray, axis: int, ndim: int) -> np.ndarray:
    return lam.reshape((-1,) + (1,) * (ndim - 1 - axis))


def _linear_kernel(x, output_size, align_corners, scale_factors, **_):
    out = x
    for k in reversed(range(len(output_size))):  # innermost dimension first, as ATen's recursion
        axis = x.ndim - len(output_size) + k
        i0, i1, l0, l1 = linear_indices(x.shape[axis], output_size[k], scale_factors[k], align_corners,
                                        x.dtype)
        out = (np.take(out, i0, axis=axis) * _expand_weight(l0, axis, x.ndim)
               + np.take(out, i1, axis=axis) * _expand_weight(l1, axis, x.ndim))
    return out


def _linear_backward_kernel(g, output_size, input_size, align_corners, scale_factors, **_):
    out = g
    for k in range(len(output_size)):
        axis = g.ndim - len(output_size) + k
        size = input_size[axis]
        i0, i1, l0, l1 = linear_indices(size, output_size[k], scale_factors[k], align_corners, g.dtype)
        out = (_scatter_add(out * _expand_weight(l0, axis, g.ndim), i0, size, axis)
               + _scatter_add(out * _expand_weight(l1, axis, g.ndim), i1, size, axis))
    return out


def _upsample_ops(name: str, node: str, kernel, backward_kernel, attrs):
    """The op and its backward op; the backward's derivative is the forward applied to grad."""
    def forward_attrs(c):
        return {a: getattr(c, a) for a in attrs}

    backward = Op(f"{name}_backward", backward_kernel, node=f"{node}BackwardBackward0",
                  inputs=("grad_output",), promote=None,
                  grads={"grad_output": lambda c, g: forward(g, **forward_attrs(c))})
    forward = Op(name, kernel, node=f"{node}Backward0", promote=None,
                 grads={"self": lambda c, g: backward(g, input_size=c.shapes[0], **forward_attrs(c))})
    return forward, backward


UPSAMPLE_NEAREST = {
    nd: _upsample_ops(f"upsample_nearest{nd}d", f"UpsampleNearest{nd}D", _nearest_kernel,
                      _nearest_backward_kernel, ("output_size", "scale_factors"))[0] for nd in (1, 2, 3)}
UPSAMPLE_LINEAR = {
    nd: _upsample_ops(f"upsample_{kind}{nd}d", f"Upsample{kind.capitalize()}{nd}D", _linear_kernel,
                      _linear_backward_kernel, ("output_size", "align_corners", "scale_factors"))[0]
    for nd, kind in ((1, "linear"), (2, "bilinear"), (3, "trilinear"))}


# attributes set after recording (NOTE [Saved attributes])
expose_saved("scales", "scales_d", "scales_h", "scales_w", "self_sym_sizes")


def upsample(op: Op, x: Tensor, output_size, scales, **attrs) -> Tensor:
    """Run an upsample op with torch's saved attributes (scales_h, scales_w, self_sym_sizes)."""
    out = op(x, output_size=tuple(output_size), scale_factors=tuple(scales), **attrs)
    fn = out._grad_fn
    if fn is not None:
        names = {1: ("scales",), 2: ("scales_h", "scales_w"), 3: ("scales_d", "scales_h", "scales_w")}
        fn._attrs.update(zip(names[len(scales)], scales))
        fn._attrs["self_sym_sizes"] = tuple(x.shape)
    return out


# ---- n-d pooling (max_pool3d, avg_pool3d, adaptive_avg_pool3d, adaptive_max_pool2d) ------------------
# The same loops as above over the last n dimensions (n = len(kernel_size)): one strided view per
# kernel offset, ATen's first-maximum / later-NaN rule, divisors clipped to the padded input.
def _pad_last(x: np.ndarray, pads, value) -> np.ndarray:
    """Pad the last len(pads) dims by pads = ((low, high), ...) with `value`."""
    if not any(lo or hi for lo, hi in pads):
        return x
    n = len(pads)
    shape = x.shape[:-n] + tuple(s + lo + hi for s, (lo, hi) in zip(x.shape[-n:], pads))
    out = np.full(shape, value, x.dtype)
    out[(Ellipsis,) + tuple(slice(lo, lo + s) for s, (lo, _) in zip(x.shape[-n:], pads))] = x
    return out


def _window_nd(xp: np.ndarray, offset, out, stride, dilation) -> np.ndarray:
    return xp[(Ellipsis,) + tuple(slice(k * d, k * d + s * (o - 1) + 1, s)
                                  for k, o, s, d in zip(offset, out, stride, dilation))]


def _nd_geometry(shape, kernel_size, stride, padding, dilation, ceil_mode):
    n = len(kernel_size)
    kernel, stride, padding, dilation = _geometry(kernel_size, stride, padding, dilation)
    sizes = shape[-n:]
    outs = tuple(pooling_output_shape(s, k, p, st, d, ceil_mode)
                 for s, k, p, st, d in zip(sizes, kernel, padding, stride, dilation))
    pads = tuple((p, _right_pad(s, o, k, p, st, d))
                 for s, o, k, p, st, d in zip(sizes, outs, kernel, padding, stride, dilation))
    return kernel, stride, padding, dilation, sizes, outs, pads


def _flat_strides(sizes) -> list:
    return [int(np.prod(sizes[i + 1:], dtype=np.int64)) for i in range(len(sizes))]


def _max_pool_nd_kernel(x, kernel_size, stride, padding, dilation, ceil_mode, **_):
    kernel, stride, padding, dilation, sizes, outs, pads = _nd_geometry(
        x.shape, kernel_size, stride, padding, dilation, ceil_mode)
    n = len(kernel)
    low = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
    xp = _pad_last(x, pads, low)
    has_nan = x.dtype.kind == "f" and bool(np.isnan(x).any())
    offsets = list(np.ndindex(*kernel))
    kstrides = _flat_strides(kernel)
    if any(lo or hi for lo, hi in pads):
        best = np.full(x.shape[:-n] + outs, low, x.dtype)
        first = np.zeros(outs, np.int64)
        for i in range(n):
            f = _first_inbound(outs[i], kernel[i], stride[i], padding[i], dilation[i]) * kstrides[i]
            first = first + f.reshape((-1,) + (1,) * (n - 1 - i))
        arg = np.broadcast_to(first, best.shape).copy()
        start = 0
    else:
        best = _window_nd(xp, offsets[0], outs, stride, dilation).copy()
        arg = np.zeros(best.shape, np.int64)
        start = 1
    for k in range(start, len(offsets)):
        v = _window_nd(xp, offsets[k], outs, stride, dilation)
        better = v > best
        if has_nan:
            better |= np.isnan(v)
        best = np.where(better, v, best)
        arg = np.where(better, k, arg)
    istrides = _flat_strides(sizes)
    base = np.zeros(outs, np.int64)
    for i in range(n):
        b = (np.arange(outs[i]) * stride[i] - padding[i]) * istrides[i]
        base = base + b.reshape((-1,) + (1,) * (n - 1 - i))
    offset = np.array([sum(o * d * s for o, d, s in zip(off, dilation, istrides)) for off in offsets],
                      np.int64)
    return np.ascontiguousarray(best), base + offset[arg]


def _index_backward_kernel(g, x, indices, nd, **_):
    """The gradient added at the input positions the indices name (in output order)."""
    spatial = int(np.prod(x.shape[x.ndim - nd:], dtype=np.int64))
    batch = int(np.prod(x.shape[:x.ndim - nd], dtype=np.int64))
    flat = (indices._data.reshape(batch, -1) + np.arange(batch)[:, None] * spatial).reshape(-1)
    out = np.bincount(flat, weights=g.reshape(-1), minlength=batch * spatial).astype(g.dtype)
    return out.reshape(x.shape)


def _gather_at(g, indices, nd):
    """max_pool_double_backward: the gradient gathered at the indices."""
    return g.flatten(-nd).gather(-1, indices.flatten(-nd)).view(tuple(indices.shape))


MAX_POOL3D_BACKWARD = Op(
    "max_pool3d_with_indices_backward", _index_backward_kernel,
    node="MaxPool3DWithIndicesBackwardBackward0", inputs=("grad_output", "self"), promote=None,
    grads={"grad_output": lambda c, g: _gather_at(g, c.indices, 3),
           "self": lambda c, g: _zeros(c.shapes[1], g)})

MAX_POOL3D = Op("max_pool3d_with_indices", _max_pool_nd_kernel, node="MaxPool3DWithIndicesBackward0",
                promote=None, multi_output=True, differentiable_outputs=(0,),
                grads={"self": lambda c, g: MAX_POOL3D_BACKWARD(
                    g[0], c.self, indices=c.result1, nd=3, kernel_size=c.kernel_size, stride=c.stride,
                    padding=c.padding, dilation=c.dilation, ceil_mode=c.ceil_mode)})


def max_pool3d_with_indices(x: Tensor, kernel_size, stride, padding, dilation, ceil_mode):
    out, indices = MAX_POOL3D(x, kernel_size=tuple(kernel_size), stride=tuple(stride),
                              padding=tuple(padding), dilation=tuple(dilation), ceil_mode=ceil_mode)
    fn = out._grad_fn
    if fn is not None and type(fn).__name__ == "MaxPool3DWithIndicesBackward0":
        fn.save("result1", indices, is_output=True, output_nr=1)
    return out, indices


def _avg_divisor_nd(sizes, outs, kernel, stride, padding, count_include_pad, divisor_override):
    n = len(sizes)
    pool = np.ones(outs, np.int64)
    inside = np.ones(outs, np.int64)
    empty = np.zeros(outs, bool)
    for i in range(n):
        p, s = _avg_divisors(sizes[i], outs[i], kernel[i], stride[i], padding[i])
        shape = (-1,) + (1,) * (n - 1 - i)
        pool = pool * p.reshape(shape)
        inside = inside * s.reshape(shape)
        empty = empty | (s <= 0).reshape(shape)
    if divisor_override:
        div = np.full(outs, divisor_override, np.int64)
    else:
        div = pool if count_include_pad else inside
    return np.where(empty, 1, div), empty


def _avg_pool_nd_kernel(x, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override,
                        **_):
    n = len(kernel_size)
    kernel, stride, padding, _d, sizes, outs, pads = _nd_geometry(
        x.shape, kernel_size, stride, padding, (1,) * n, ceil_mode)
    xp = _pad_last(x, pads, 0)
    total = np.zeros(x.shape[:-n] + outs, x.dtype if x.dtype.kind == "f" else np.int64)
    for off in np.ndindex(*kernel):
        total += _window_nd(xp, off, outs, stride, (1,) * n)
    div, empty = _avg_divisor_nd(sizes, outs, kernel, stride, padding, count_include_pad, divisor_override)
    result = _divide(total, div)
    if empty.any():
        result[..., empty] = 0
    return result.astype(x.dtype, copy=False)


def _avg_pool_nd_backward_kernel(g, x, kernel_size, stride, padding, ceil_mode, count_include_pad,
                                 divisor_override, **_):
    n = len(kernel_size)
    kernel, stride, padding, _d, sizes, outs, pads = _nd_geometry(
        x.shape, kernel_size, stride, padding, (1,) * n, ceil_mode)
    div, empty = _avg_divisor_nd(sizes, outs, kernel, stride, padding, count_include_pad, divisor_override)
    delta = g / div.astype(g.dtype)
    if empty.any():
        delta[..., empty] = 0
    gp = np.zeros(x.shape[:-n] + tuple(s + lo + hi for s, (lo, hi) in zip(sizes, pads)), g.dtype)
    for off in np.ndindex(*kernel):
        _window_nd(gp, off, outs, stride, (1,) * n)[...] += delta
    inner = (Ellipsis,) + tuple(slice(lo, lo + s) for s, (lo, _) in zip(sizes, pads))
    return np.ascontiguousarray(gp[inner])


AVG_POOL3D = Op("avg_pool3d", _avg_pool_nd_kernel, node="AvgPool3DBackward0", promote=None,
                grads={"self": lambda c, g: AVG_POOL3D_BACKWARD(g, c.self, **_pool_attrs(c))})
AVG_POOL3D_BACKWARD = Op(
    "avg_pool3d_backward", _avg_pool_nd_backward_kernel, node="AvgPool3DBackwardBackward0",
    inputs=("grad_output", "self"), promote=None,
    grads={"grad_output": lambda c, g: AVG_POOL3D(g, **_pool_attrs(c)),
           "self": lambda c, g: _zeros(c.shapes[1], g)})


def _adaptive_nd_kernel(x, output_size, **_):
    n = len(output_size)
    out = x
    count = np.ones(tuple(output_size), np.int64)
    for i, o in enumerate(output_size):
        axis = x.ndim - n + i
        starts, ends = _adaptive_windows(x.shape[axis], o)
        parts = [np.take(out, np.arange(s, e), axis=axis).sum(axis=axis, keepdims=True)
                 for s, e in zip(starts, ends)]
        shape = list(out.shape)
        shape[axis] = o
        out = np.concatenate(parts, axis=axis) if parts else np.zeros(shape, x.dtype)
        count = count * (ends - starts).reshape((-1,) + (1,) * (n - 1 - i))
    return (out / count.astype(x.dtype)).astype(x.dtype, copy=False)


def _adaptive_nd_backward_kernel(g, x, **_):
    n = 3
    for d in range(1, g.ndim):
        if g.shape[d] <= 0:
            raise RuntimeError(messages.ADAPTIVE3D_BACKWARD_EMPTY.format(
                size="[" + ", ".join(map(str, g.shape)) + "]", dim=d))
    outs = g.shape[-n:]
    count = np.ones(outs, np.int64)
    windows = []
    for i, o in enumerate(outs):
        s, e = _adaptive_windows(x.shape[x.ndim - n + i], o)
        windows.append((s, e))
        count = count * (e - s).reshape((-1,) + (1,) * (n - 1 - i))
    out = g / count.astype(g.dtype)
    for i, (s, e) in enumerate(windows):
        axis = g.ndim - n + i
        shape = list(out.shape)
        shape[axis] = x.shape[axis]
        spread = np.zeros(shape, g.dtype)
        for o in range(len(s)):
            sl = [slice(None)] * g.ndim
            sl[axis] = slice(s[o], e[o])
            src = [slice(None)] * g.ndim
            src[axis] = slice(o, o + 1)
            spread[tuple(sl)] += out[tuple(src)]
        out = spread
    return out


ADAPTIVE_AVG_POOL3D = Op(
    "_adaptive_avg_pool3d", _adaptive_nd_kernel, node="AdaptiveAvgPool3DBackward0", promote=None,
    grads={"self": lambda c, g: ADAPTIVE_AVG_POOL3D_BACKWARD(g, c.self)})
ADAPTIVE_AVG_POOL3D_BACKWARD = Op(
    "_adaptive_avg_pool3d_backward", _adaptive_nd_backward_kernel,
    node="AdaptiveAvgPool3DBackwardBackward0", inputs=("grad_output", "self"), promote=None,
    grads={"grad_output": lambda c, g: ADAPTIVE_AVG_POOL3D(g, output_size=c.shapes[0][-3:]),
           "self": lambda c, g: _zeros(c.shapes[1], g)})


def _adaptive_max_kernel(x, output_size, **_):
    """cpu_adaptive_max_pool2d: per window the first maximum, a later NaN wins."""
    oh, ow = output_size
    h, w = x.shape[-2:]
    hs, he = _adaptive_windows(h, oh)
    ws, we = _adaptive_windows(w, ow)
    out = np.empty(x.shape[:-2] + (oh, ow), x.dtype)
    idx = np.empty(x.shape[:-2] + (oh, ow), np.int64)
    for i in range(oh):
        for j in range(ow):
            win = x[..., hs[i]:he[i], ws[j]:we[j]]
            kw = we[j] - ws[j]
            flat = win.reshape(win.shape[:-2] + (win.shape[-2] * win.shape[-1],))
            arg = np.argmax(flat, axis=-1) if flat.size else np.zeros(flat.shape[:-1], np.int64)
            nan = np.isnan(flat)
            if nan.any():
                last = flat.shape[-1] - 1 - np.argmax(nan[..., ::-1], axis=-1)
                arg = np.where(nan.any(-1), last, arg)
            out[..., i, j] = np.take_along_axis(flat, arg[..., None], -1)[..., 0]
            idx[..., i, j] = (hs[i] + arg // kw) * w + ws[j] + arg % kw
    return out, idx


ADAPTIVE_MAX_POOL2D_BACKWARD = Op(
    "adaptive_max_pool2d_backward", _index_backward_kernel, node="AdaptiveMaxPool2DBackwardBackward0",
    inputs=("grad_output", "self"), promote=None,
    grads={"grad_output": lambda c, g: _gather_at(g, c.indices, 2),
           "self": lambda c, g: _zeros(c.shapes[1], g)})

ADAPTIVE_MAX_POOL2D = Op(
    "adaptive_max_pool2d", _adaptive_max_kernel, node="AdaptiveMaxPool2DBackward0", promote=None,
    multi_output=True, differentiable_outputs=(0,),
    grads={"self": lambda c, g: ADAPTIVE_MAX_POOL2D_BACKWARD(g[0], c.self, indices=c.result1, nd=2)})


def adaptive_max_pool2d(x: Tensor, output_size):
    out, indices = ADAPTIVE_MAX_POOL2D(x, output_size=tuple(output_size))
    fn = out._grad_fn
    if fn is not None and type(fn).__name__ == "AdaptiveMaxPool2DBackward0":
        fn.save("result1", indices, is_output=True, output_nr=1)
    return out, indices
