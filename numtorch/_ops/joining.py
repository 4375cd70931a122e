"""cat and stack (variadic inputs: one next_functions entry per tensor)."""
from __future__ import annotations

import numpy as np

from .._core import dtypes as dt
from .._tensor import _wrap_dim
from .dispatch import Op
from .shape import unsqueeze


def _cat_formula(c, g):
    from .shape import narrow
    out, start = [], 0
    for shape in c.shapes:
        n = shape[c.dim] if len(shape) else 0
        out.append(narrow(g, c.dim, start, n) if len(shape) else None)
        start += n
    return tuple(out)


_CAT_NODES: dict = {}


def _cat_op(n):
    op = _CAT_NODES.get(n)
    if op is None:
        names = tuple(f"t{i}" for i in range(n))
        op = Op("cat", lambda *arrays, dim, dtype: np.concatenate(
            [a.astype(dtype.np, copy=False) for a in arrays if not (a.ndim == 1 and a.shape[0] == 0)]
            or [arrays[0].astype(dtype.np)], axis=dim),
            node="CatBackward0", inputs=names, promote=None, grads={})
        op.node_cls._formula = staticmethod(_cat_formula)
        _CAT_NODES[n] = op
    return op


def cat(tensors, dim=0, *, out=None):
    tensors = list(tensors)
    if not tensors:
        raise RuntimeError("torch.cat(): expected a non-empty list of Tensors")
    ref = next((t for t in tensors if not (t.dim() == 1 and t.shape[0] == 0)), tensors[0])
    d = _wrap_dim(dim, ref.dim())
    for i, t in enumerate(tensors):
        if t.dim() == 1 and t.shape[0] == 0:
            continue
        if t.dim() != ref.dim():
            raise RuntimeError(f"Tensors must have same number of dimensions: got {ref.dim()} and {t.dim()}")
        for k in range(ref.dim()):
            if k != d and t.shape[k] != ref.shape[k]:
                raise RuntimeError(f"Sizes of tensors must match except in dimension {d}. Expected size "
                                   f"{ref.shape[k]} but got size {t.shape[k]} for tensor number {i} in the list.")
    dtype = tensors[0]._dtype
    for t in tensors[1:]:
        dtype = dt.promote_types(dtype, t._dtype)
    return _cat_op(len(tensors))(*tensors, dim=d, dtype=dtype)


concat = concatenate = cat


def _stack_formula(c, g):
    return tuple(g.select(c.dim, i) for i in range(len(c.shapes)))


_STACK_NODES: dict = {}


def stack(tensors, dim=0, *, out=None):
    tensors = list(tensors)
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    shape = tensors[0].shape
    for i, t in enumerate(tensors):
        if t.shape != shape:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got {list(shape)} at "
                               f"entry 0 and {list(t.shape)} at entry {i}")
    d = _wrap_dim(dim, len(shape) + 1)
    n = len(tensors)
    op = _STACK_NODES.get(n)
    if op is None:
        op = Op("stack", lambda *arrays, dim, dtype: np.stack([a.astype(dtype.np, copy=False) for a in arrays], dim),
                node="StackBackward0", inputs=tuple(f"t{i}" for i in range(n)), promote=None, grads={})
        op.node_cls._formula = staticmethod(_stack_formula)
        _STACK_NODES[n] = op
    dtype = tensors[0]._dtype
    for t in tensors[1:]:
        dtype = dt.promote_types(dtype, t._dtype)
    return op(*tensors, dim=d, dtype=dtype)


def hstack(tensors):
    tensors = [t if t.dim() else unsqueeze(t, 0) for t in tensors]
    return cat(tensors, 0 if tensors[0].dim() == 1 else 1)


def vstack(tensors):
    tensors = [t.reshape(1, -1) if t.dim() < 2 else t for t in tensors]
    return cat(tensors, 0)
