"""Non-constant padding: reflection_pad{1,2,3}d and replication_pad{1,2,3}d as ops (their
backward ops differentiate to the forward again), and _pad_circular composed of slices and copy_
exactly as ATen writes it, so its graph is torch's chain of CopySlices. Constant padding is
nn_ops.CONSTANT_PAD.

Indices follow ATen's PaddingKernel (ReflectionPad::index / ReplicationPad::index), negative pads
included; gradients are summed per input element in output order."""
from __future__ import annotations

import numpy as np

from .._core import messages
from .._tensor import Tensor
from .dispatch import Op
from .pool_ops import _scatter_add, _zeros


def _source_index(size: int, lo: int, hi: int, reflect: bool) -> np.ndarray:
    j = np.arange(size + lo + hi)
    if reflect:
        i = np.where(j < lo, 2 * lo - j, np.where(j < size + lo, j, 2 * (size + lo - 1) - j))
    else:
        i = np.clip(j, lo, size + lo - 1)
    return i + max(0, -lo) - max(0, lo)


def _pad_kernel(x, padding, reflect, **_):
    out = x
    for k in range(len(padding) // 2):
        axis = x.ndim - 1 - k
        out = np.take(out, _source_index(x.shape[axis], padding[2 * k], padding[2 * k + 1], reflect),
                      axis=axis)
    return out


def _pad_backward_kernel(g, x, padding, reflect, **_):
    out = g
    for k in range(len(padding) // 2):
        axis = x.ndim - 1 - k
        index = _source_index(x.shape[axis], padding[2 * k], padding[2 * k + 1], reflect)
        out = _scatter_add(out, index, x.shape[axis], axis)
    return out


def _pad_ops(kind: str, nd: int, reflect: bool) -> Op:
    node = f"{kind}Pad{nd}D"
    backward = Op(f"{kind.lower()}_pad{nd}d_backward", _pad_backward_kernel,
                  node=f"{node}BackwardBackward0", inputs=("grad_output", "self"), promote=None,
                  grads={"grad_output": lambda c, g: forward(g, padding=c.padding, reflect=reflect),
                         "self": lambda c, g: _zeros(c.shapes[1], g)})
    forward = Op(f"{kind.lower()}_pad{nd}d", _pad_kernel, node=f"{node}Backward0", promote=None,
                 grads={"self": lambda c, g: backward(g, c.self, padding=c.padding, reflect=reflect)})
    return forward


REFLECTION_PAD = {nd: _pad_ops("Reflection", nd, True) for nd in (1, 2, 3)}
REPLICATION_PAD = {nd: _pad_ops("Replication", nd, False) for nd in (1, 2, 3)}


def _sizes(shape) -> str:
    return "[" + ", ".join(str(s) for s in shape) + "]"


def _check(x: Tensor, padding: tuple, nd: int, reflect: bool) -> None:
    """check_valid_input, then the reflection bound and the output-size check of each kernel."""
    shape = tuple(x.shape)
    batched = len(shape) == nd + 2
    if not (batched or len(shape) == nd + 1) or any(s == 0 for s in shape[1 if batched else 0:]):
        raise RuntimeError(messages.PAD_VALID_INPUT.format(a=nd + 1, b=nd + 2, size=_sizes(shape)))
    if reflect:
        for k in range(nd):
            d = len(shape) - 1 - k
            lo, hi = padding[2 * k], padding[2 * k + 1]
            if not (lo < shape[d] and hi < shape[d]):
                raise RuntimeError(messages.PAD_REFLECT_SIZE.format(
                    arg=4 + 2 * k, lo=lo, hi=hi, dim=d, size=_sizes(shape)))
    ins = shape[-nd:]
    outs = tuple(ins[nd - 1 - k] + padding[2 * k] + padding[2 * k + 1] for k in range(nd))[::-1]
    if nd == 1 and outs[0] < 1:
        raise RuntimeError(messages.PAD_TOO_SMALL_1D.format(w=ins[0], ow=outs[0]))
    if nd == 2 and outs[0] < 1 and outs[1] < 1:
        template = messages.PAD_REFLECT_TOO_SMALL_2D if reflect else messages.PAD_REPLICATE_TOO_SMALL_2D
        raise RuntimeError(template.format(h=ins[0], w=ins[1], oh=outs[0], ow=outs[1]))
    if nd == 3 and all(o < 1 for o in outs):
        raise RuntimeError(messages.PAD_TOO_SMALL_3D.format(d=ins[0], h=ins[1], w=ins[2], od=outs[0],
                                                            oh=outs[1], ow=outs[2]))
    if x._data.dtype.kind == "b":
        name = ("reflection_pad" if reflect else "replication_pad") + f"{nd}d"
        raise NotImplementedError(messages.NOT_IMPLEMENTED_FOR.format(op=name, dtype="Bool"))


def reflection_or_replication_pad(x: Tensor, padding: tuple, reflect: bool) -> Tensor:
    nd = len(padding) // 2
    _check(x, padding, nd, reflect)
    op = (REFLECTION_PAD if reflect else REPLICATION_PAD)[nd]
    return op(x, padding=tuple(padding), reflect=reflect)


def pad_circular(x: Tensor, padding: tuple) -> Tensor:
    """_pad_circular_symint: new_empty, one copy_ of the input into the middle, then copies of
    the wrapped edges, dimension by dimension (torch's graph: a chain of CopySlices)."""
    from .shape import slice_dim
    in_shape = tuple(x.shape)
    ndim_padded = len(padding) // 2
    ndim_nonpadded = len(in_shape) - ndim_padded
    if ndim_nonpadded not in (1, 2):
        raise RuntimeError(messages.PAD_CIRCULAR_SIZE.format(
            a=(len(in_shape) - 1) * 2, b=(len(in_shape) - 2) * 2, got=len(padding)))
    out_shape = list(in_shape)
    for i in range(ndim_padded):
        lo, hi = padding[2 * (ndim_padded - i - 1)], padding[2 * (ndim_padded - i - 1) + 1]
        size = in_shape[ndim_nonpadded + i]
        out_shape[ndim_nonpadded + i] = size + lo + hi
        if not (lo <= size and hi <= size):
            raise RuntimeError(messages.PAD_CIRCULAR_WRAP)
        if out_shape[ndim_nonpadded + i] < 0:
            raise RuntimeError(messages.PAD_CIRCULAR_EMPTY)
    out = x.new_empty(tuple(out_shape))
    out_slice, in_slice = out, x
    for i in range(ndim_padded):
        dim = ndim_padded - i + ndim_nonpadded - 1
        lo, hi = padding[2 * i], padding[2 * i + 1]
        out_slice = slice_dim(out_slice, dim, max(lo, 0), out_shape[dim] - max(hi, 0))
        in_slice = slice_dim(in_slice, dim, max(-lo, 0), in_shape[dim] - max(-hi, 0))
    out_slice.copy_(in_slice)
    for i in range(ndim_padded):
        dim = ndim_padded - i + ndim_nonpadded - 1
        lo, hi = padding[2 * i], padding[2 * i + 1]
        if lo > 0:
            slice_dim(out, dim, 0, lo).copy_(
                slice_dim(out, dim, out_shape[dim] - lo - max(hi, 0), out_shape[dim] - max(hi, 0)))
        if hi > 0:
            slice_dim(out, dim, out_shape[dim] - hi, out_shape[dim]).copy_(
                slice_dim(out, dim, max(lo, 0), max(lo, 0) + hi))
    return out
