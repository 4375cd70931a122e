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
        raise RuntimeError(messages.MM_SHAPES.format(a0=a.shape[0], a1=a.shape[1], b0=b.shape[0],
                                                     b1=b.shape[1]))
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


def _should_fold(a, b) -> bool:
    """ATen's should_fold: use mm/mv on the larger operand folded into a matrix instead of bmm."""
    a_larger = a.dim() >= b.dim()
    t1 = a if a_larger else b.mT
    dim_t1, dim_t2 = t1.dim(), (b.dim() if a_larger else a.dim())
    if not (dim_t1 >= 3 and dim_t2 <= 2):
        return False
    if (b if a_larger else a).requires_grad:
        return True  # folding keeps the smaller operand's gradient small
    if a.dim() == 2:
        return False
    if t1.numel() == 0:
        return True
    shape, strides = t1.shape, t1.stride()
    return all(strides[i] == strides[i + 1] * shape[i + 1] for i in range(dim_t1 - 2))


def _broadcast_batch(b1, b2) -> tuple:
    from .dispatch import _check_broadcast
    try:
        return tuple(np.broadcast_shapes(tuple(b1), tuple(b2)))
    except ValueError:
        _check_broadcast([np.empty(b1, dtype=np.bool_), np.empty(b2, dtype=np.bool_)])
        raise


def matmul(a, b):
    """at::native::_matmul_impl, step for step (the graph it records is part of the contract)."""
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
    if _should_fold(a, b):
        transpose_back = db > da
        t1 = b.mT if transpose_back else a
        t2 = (a.t() if da == 2 else a) if transpose_back else b
        sizes = t1.shape
        output_shape = tuple(sizes[:-1])
        folded = int(np.prod(output_shape)) if output_shape else 1
        if t2.dim() == 2:
            output_shape = output_shape + (t2.shape[1],)
            out = UNSAFE_VIEW(mm(reshape(t1, (folded, sizes[-1])), t2), shape=output_shape)
            return out.mT.contiguous() if transpose_back else out
        return UNSAFE_VIEW(mv(reshape(t1, (folded, sizes[-1])), t2), shape=output_shape)
    n = a.shape[-2] if da > 1 else 1
    m1 = a.shape[-1]
    batch1 = tuple(a.shape[:max(da - 2, 0)])
    m2 = b.shape[-2] if db > 1 else b.shape[0]
    p = b.shape[-1] if db > 1 else 1
    batch2 = tuple(b.shape[:max(db - 2, 0)])
    if da == 3 and db == 3 and batch1[0] != batch2[0]:
        # "same optimization for the gradients as that in 1D x 1D"
        if batch1[0] == 1 and a.requires_grad:
            return matmul(squeeze(a, 0), b)
        if batch2[0] == 1 and b.requires_grad:
            return matmul(a, squeeze(b, 0))
    batch = _broadcast_batch(batch1, batch2)
    nb = int(np.prod(batch)) if batch else 1
    a_expanded = reshape(expand(a, batch + (n, m1)), (nb, n, m1))
    vector_rhs = db == 1
    if vector_rhs:
        b_expanded = unsqueeze(reshape(expand(b, batch + (m2,)), (nb, m2)), 2)
    else:
        b_expanded = reshape(expand(b, batch + (m2, p)), (nb, m2, p))
    output_shape = batch + ((n,) if da > 1 else ()) + ((p,) if db > 1 else ())
    out = bmm(a_expanded, b_expanded)
    if vector_rhs:
        out = squeeze(out, -1)
    return UNSAFE_VIEW(out, shape=output_shape)
