"""Rearranging ops of torch.nn: im2col / col2im (F.unfold / F.fold: Im2ColBackward0 and
Col2ImBackward0, each the other's derivative), pixel_shuffle / pixel_unshuffle (likewise), and
channel_shuffle (its derivative is the inverse shuffle, itself a channel_shuffle).

im2col's row index is c * kh * kw + i * kw + j and its column index the block's position in
row-major order, as ATen's; col2im adds overlapping blocks in ATen's order (kernel offset outer)."""
from __future__ import annotations

import numpy as np

from .._autograd.node import expose_saved
from .dispatch import Op


def blocks(size: int, kernel: int, dilation: int, padding: int, stride: int) -> int:
    """The number of sliding blocks along one dimension (ATen's div_rtn: floor division)."""
    return (size + 2 * padding - (dilation * (kernel - 1) + 1)) // stride + 1


def _block_view(xp: np.ndarray, i: int, j: int, out, dilation, stride) -> np.ndarray:
    (oh, ow), (dh, dw), (sh, sw) = out, dilation, stride
    return xp[:, :, i * dh:i * dh + sh * (oh - 1) + 1:sh, j * dw:j * dw + sw * (ow - 1) + 1:sw]


def _im2col_kernel(x, kernel_size, dilation, padding, stride, **_):
    batched = x.ndim == 4
    if not batched:
        x = x[None]
    n, c, h, w = x.shape
    (kh, kw), (ph, pw) = kernel_size, padding
    out = (blocks(h, kh, dilation[0], ph, stride[0]), blocks(w, kw, dilation[1], pw, stride[1]))
    xp = x
    if ph or pw:
        xp = np.zeros((n, c, h + 2 * ph, w + 2 * pw), x.dtype)
        xp[:, :, ph:ph + h, pw:pw + w] = x
    cols = np.empty((n, c, kh, kw) + out, x.dtype)
    for i in range(kh):
        for j in range(kw):
            cols[:, :, i, j] = _block_view(xp, i, j, out, dilation, stride)
    cols = cols.reshape(n, c * kh * kw, out[0] * out[1])
    return cols if batched else cols[0]


def _col2im_kernel(col, output_size, kernel_size, dilation, padding, stride, **_):
    batched = col.ndim == 3
    if not batched:
        col = col[None]
    (h, w), (kh, kw), (ph, pw) = output_size, kernel_size, padding
    n, c = col.shape[0], col.shape[1] // (kh * kw)
    out = (blocks(h, kh, dilation[0], ph, stride[0]), blocks(w, kw, dilation[1], pw, stride[1]))
    cols = col.reshape((n, c, kh, kw) + out)
    im = np.zeros((n, c, h + 2 * ph, w + 2 * pw), col.dtype)
    for i in range(kh):
        for j in range(kw):
            _block_view(im, i, j, out, dilation, stride)[...] += cols[:, :, i, j]
    im = np.ascontiguousarray(im[:, :, ph:ph + h, pw:pw + w])
    return im if batched else im[0]


def _geometry(c) -> dict:
    return dict(kernel_size=c.kernel_size, dilation=c.dilation, padding=c.padding, stride=c.stride)


IM2COL = Op("im2col", _im2col_kernel, node="Im2ColBackward0", promote=None,
            grads={"self": lambda c, g: COL2IM(g, output_size=tuple(c.shapes[0][-2:]), **_geometry(c))})
COL2IM = Op("col2im", _col2im_kernel, node="Col2ImBackward0", promote=None,
            grads={"self": lambda c, g: IM2COL(g, **_geometry(c))})


# attributes set after recording (NOTE [Saved attributes])
expose_saved("self_sym_argsize_minus_2", "self_sym_argsize_minus_1")


def im2col(x, kernel_size, dilation, padding, stride):
    out = IM2COL(x, kernel_size=tuple(kernel_size), dilation=tuple(dilation), padding=tuple(padding),
                 stride=tuple(stride))
    fn = out._grad_fn
    if fn is not None:  # torch's node keeps the input's spatial sizes as two attributes
        fn._attrs["self_sym_argsize_minus_2"], fn._attrs["self_sym_argsize_minus_1"] = x.shape[-2:]
    return out


def col2im(x, output_size, kernel_size, dilation, padding, stride):
    return COL2IM(x, output_size=tuple(output_size), kernel_size=tuple(kernel_size),
                  dilation=tuple(dilation), padding=tuple(padding), stride=tuple(stride))


# ---- pixel shuffle -------------------------------------------------------------------------------
def _pixel_shuffle_kernel(x, upscale_factor, **_):
    r = upscale_factor
    lead, (c, h, w) = x.shape[:-3], x.shape[-3:]
    n = len(lead)
    y = x.reshape(lead + (c // (r * r), r, r, h, w))
    y = y.transpose(tuple(range(n)) + (n, n + 3, n + 1, n + 4, n + 2))
    return np.ascontiguousarray(y).reshape(lead + (c // (r * r), h * r, w * r))


def _pixel_unshuffle_kernel(x, downscale_factor, **_):
    r = downscale_factor
    lead, (c, h, w) = x.shape[:-3], x.shape[-3:]
    n = len(lead)
    y = x.reshape(lead + (c, h // r, r, w // r, r))
    y = y.transpose(tuple(range(n)) + (n, n + 2, n + 4, n + 1, n + 3))
    return np.ascontiguousarray(y).reshape(lead + (c * r * r, h // r, w // r))


PIXEL_SHUFFLE = Op("pixel_shuffle", _pixel_shuffle_kernel, node="PixelShuffleBackward0", promote=None,
                   grads={"self": lambda c, g: PIXEL_UNSHUFFLE(g, downscale_factor=c.upscale_factor)})
PIXEL_UNSHUFFLE = Op("pixel_unshuffle", _pixel_unshuffle_kernel, node="PixelUnshuffleBackward0",
                     promote=None,
                     grads={"self": lambda c, g: PIXEL_SHUFFLE(g, upscale_factor=c.downscale_factor)})


# ---- channel shuffle -----------------------------------------------------------------------------
def _channel_shuffle_kernel(x, groups, **_):
    b, c = x.shape[:2]
    y = x.reshape((b, groups, c // groups) + x.shape[2:])
    return np.ascontiguousarray(np.swapaxes(y, 1, 2)).reshape(x.shape)


CHANNEL_SHUFFLE = Op("channel_shuffle", _channel_shuffle_kernel, node="ChannelShuffleBackward0",
                     promote=None,
                     grads={"self": lambda c, g: CHANNEL_SHUFFLE(g, groups=c.shapes[0][1] // c.groups)})
