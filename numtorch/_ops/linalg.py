"""Matrix products. matmul is composed from dot/mv/mm/bmm and views exactly as ATen composes it,
so grad_fn chains match (DotBackward0, MvBackward0, MmBackward0, UnsafeViewBackward0...)."""
from __future__ import annotations

import numpy as np

from .._core import messages
from .dispatch import Op
from .shape import UNSAFE_VIEW, expand, reshape, squeeze, transpose, unsqueeze


def _mm_kernel(a, b):
    if a.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if b.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    if a.shape[1] != b.shape[0]:
        raise RuntimeError(messages.MM_SHAPES.format(a0=a.shape[0], a1=a.shape[1], b0=b.shape[0], b1=b.shape[1]))
    return np.matmul(a, b)


def _mv_kernel(a, v):
    if a.ndim != 2 or v.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got {v.ndim}, {a.ndim}, {v.ndim}")
    if a.shape[1] != v.shape[0]:
        raise RuntimeError(f"size mismatch, got input ({a.shape[0]}), mat ({a.shape[0]}x{a.shape[1]}), "
                           f"vec ({v.shape[0]})")
    return np.matmul(a, v)


def _dot_kernel(a, b):
    if a.ndim != 1 or b.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {a.ndim}D and {b.ndim}D tensors")
    if a.shape[0] != b.shape[0]:
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{a.shape[0]}] and src "
                           f"[{b.shape[0]}] to have the same number of elements, but got "
                           f"{a.shape[0]} and {b.shape[0]} elements respectively")
    return np.dot(a, b)


def _bmm_kernel(a, b):
    if a.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if b.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    if a.shape[0] != b.shape[0] or a.shape[2] != b.shape[1]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{a.shape[0]}, {a.shape[2]}] but got: [{b.shape[0]}, {b.shape[1]}].")
    return np.matmul(a, b)


def _check_same_dtype(a, b, name):
    if a._dtype is not b._dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: {a._dtype.cpp_name} "
                           f"!= {b._dtype.cpp_name}")


MM = Op("mm", _mm_kernel, node="MmBackward0", inputs=("self", "mat2"),
        grads={"self": lambda c, g: mm(g, c.mat2.t()), "mat2": lambda c, g: mm(c.self.t(), g)})
MV = Op("mv", _mv_kernel, node="MvBackward0", inputs=("self", "vec"),
        grads={"self": lambda c, g: outer(g, c.vec), "vec": lambda c, g: mv(c.self.t(), g)})
DOT = Op("dot", _dot_kernel, node="DotBackward0", inputs=("self", "tensor"),
         grads={"self": lambda c, g: g * c.tensor, "tensor": lambda c, g: g * c.self})
BMM = Op("bmm", _bmm_kernel, node="BmmBackward0", inputs=("self", "mat2"),
         grads={"self": lambda c, g: bmm(g, transpose(c.mat2, 1, 2)),
                "mat2": lambda c, g: bmm(transpose(c.self, 1, 2), g)})


def mm(self, mat2):
    _check_same_dtype(self, mat2, "mm")
    return MM(self, mat2)


def mv(self, vec):
    return MV(self, vec)


def dot(self, tensor):
    if self._dtype is not tensor._dtype:
        raise RuntimeError(f"dot : expected both vectors to have same dtype, but found "
                           f"{self._dtype.short_name} and {tensor._dtype.short_name}")
    return DOT(self, tensor)


def bmm(self, mat2):
    return BMM(self, mat2)


def outer(self, vec2):
    return reshape(self, (-1, 1)) * vec2


ger = outer


def matmul(a, b):
    da, db = a.dim(), b.dim()
    if da == 0 or db == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {da}D and {db}D")
    if da == 1 and db == 1:
        return dot(a, b)
    if da == 2 and db == 1:
        return mv(a, b)
    if da == 1 and db == 2:
        return mm(unsqueeze(a, 0), b).squeeze_(0)
    if da == 2 and db == 2:
        return mm(a, b)
    if da >= 3 and db in (1, 2):
        # fold the batch into the rows of a single mm / mv
        shape = a.shape
        folded = reshape(a, (-1, shape[-1]))
        if db == 1:
            return UNSAFE_VIEW(mv(folded, b), shape=tuple(shape[:-1]))
        if folded.shape[1] != b.shape[0]:
            raise RuntimeError(messages.MM_SHAPES.format(a0=folded.shape[0], a1=folded.shape[1],
                                                         b0=b.shape[0], b1=b.shape[1]))
        return UNSAFE_VIEW(mm(folded, b), shape=tuple(shape[:-1]) + (b.shape[-1],))
    # general batched case: broadcast batch dims, bmm, view back
    a2 = unsqueeze(a, 0) if da == 1 else a
    b2 = unsqueeze(b, -1) if db == 1 else b
    n, m = a2.shape[-2], a2.shape[-1]
    m2, p = b2.shape[-2], b2.shape[-1]
    batch = tuple(np.broadcast_shapes(tuple(a2.shape[:-2]), tuple(b2.shape[:-2])))
    nb = int(np.prod(batch)) if batch else 1
    ae = reshape(expand(a2, batch + (n, m)), (nb, n, m))
    be = reshape(expand(b2, batch + (m2, p)), (nb, m2, p))
    out_shape = batch + ((n,) if da > 1 else ()) + ((p,) if db > 1 else ())
    return UNSAFE_VIEW(bmm(ae, be), shape=out_shape)
