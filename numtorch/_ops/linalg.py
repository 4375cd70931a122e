"""Matrix products. matmul is composed from dot/mv/mm/bmm and views exactly as ATen composes it,
so grad_fn chains match (DotBackward0, MvBackward0, MmBackward0, UnsafeViewBackward0...).

Also here: addmm/addmv/baddbmm/addbmm (one node each, beta and alpha as attributes), tensordot
(composed like ATen's: permute, reshape, mm), and the norms behind torch.norm and torch.linalg:
linalg_vector_norm with FunctionsManual's norm_backward, and _linalg_svd for the spectral and
nuclear matrix norms (composed around it as ATen composes linalg_matrix_norm)."""
from __future__ import annotations

import numpy as np

from .._core import dtypes as dt
from .._autograd import provenance as _provenance, views
from .._core import messages
from .._core.state import STATE
from .._tensor import Tensor, _wrap_dim
from .dispatch import Op, ZERO_IF_ANY, ZeroAwareOp
from .shape import UNSAFE_VIEW, expand, reshape, squeeze, t_unrecorded, transpose, unsqueeze
from .unary import _has_negative_zero
from .view_geometry import _t_kernel



def _no_bool(a, kernel):
    """ATen's CPU BLAS kernels are not instantiated for bool: checked after the shape checks."""
    if a.dtype == np.bool_:
        raise NotImplementedError(messages.NOT_IMPLEMENTED_DTYPE.format(kernel=kernel, dtype="Bool"))


# NOTE [Signed zeros of BLAS products]
# A zero entry of a matrix product is -0.0 or +0.0 depending on how the BLAS kernel accumulates:
# x + y is -0.0 only when both are -0.0, so a sum started from +0.0 is never -0.0, one started
# from the first product or from beta * self is -0.0 when every term is. torch's CPU gemm (MKL),
# measured on small matrices (torch 2.13; larger sizes switch kernels and are not modelled):
#   "each": acc + alpha*p1 + alpha*p2 ..., acc = beta*self, or +0.0 when beta == 0 except for an
#           inner dim of 1 with m, n > 1 (an outer product: no accumulator at all)
#   "after": acc + alpha * (p1 + p2 ...): gemv's shape (n == 1 with a row-major mat1, m == 1 with
#           a column-major mat2), and addmv/mv
#   "sep0": acc + alpha * (+0.0 + p1 + p2 ...): m, n, k > 1 with a column-major mat2 (F.linear's
#           weight.t())
# numpy's matmul sums from +0.0 (its own loops, and OpenBLAS's kernels, which start from a zeroed
# accumulator: _MATMUL_STARTS_AT_ZERO probes the BLAS numpy loaded); _signed_zeros rewrites the zero
# entries' signs.
def _matmul_starts_at_zero() -> frozenset:
    """The float dtypes whose numpy matmul gives +0.0 where every product is -0.0, on the BLAS
    layouts the mm formulas use (row- and column-major operands). A BLAS that accumulates from the
    first product gives -0.0 there, and keeps _gemm's `+ 0.0` pass."""
    def starts_at_zero(d):
        a = np.zeros((64, 64), d)
        b = np.full((64, 64), -1.0, d)
        return not any(np.signbit(np.matmul(x, y)).any() for x, y in ((a, b), (a.T, b), (a, b.T), (a.T, b.T)))
    return frozenset(d for d in (np.dtype("f4"), np.dtype("f8")) if starts_at_zero(d))


_MATMUL_STARTS_AT_ZERO = _matmul_starts_at_zero()


def _colmajor(x) -> bool:
    return x.strides[0] == x.itemsize and x.strides[1] >= x.shape[0] * x.itemsize


def _gemm_mode(a, b) -> str:
    m, k = a.shape
    n = b.shape[1]
    if k <= 1 or (m == 1 and n == 1):
        return "each"
    if n == 1:
        return "each" if _colmajor(a) else "after"
    if m == 1:
        return "after" if _colmajor(b) else "each"
    return "sep0" if _colmajor(b) else "each"


def _all_negative_zero_products(a, b):
    """(m, n) bool: every a[i, k] * b[k, j] is -0.0 (zero with opposite signs). Counted with one
    matmul over 0/1 indicators, split on a's sign and zero-ness (underflow is not modelled)."""
    za, sa, zb, sb = a == 0, np.signbit(a), b == 0, np.signbit(b)
    left = np.concatenate([sa & za, sa & ~za, ~sa & za, ~sa & ~za], axis=-1).astype(np.float64)
    right = np.concatenate([~sb, zb & ~sb, sb, zb & sb], axis=-2).astype(np.float64)
    return np.matmul(left, right) == a.shape[-1]


def _signed_zeros(out, acc, a, b, alpha, mode):
    """Give out's zero entries the sign torch's kernel produces (NOTE [Signed zeros of BLAS
    products]). acc: beta * self broadcast to out, None for a +0.0 start, False for none."""
    if out.dtype.kind != "f" or alpha == 0 or a.shape[-1] == 0:
        return out
    zero = out == 0
    if not zero.any():
        return out
    if acc is None:
        acc_negative = False
    elif acc is False:
        acc_negative = True
    else:
        acc_negative = np.signbit(acc) & (acc == 0)
    candidates = zero & acc_negative  # a +0.0 accumulator keeps every zero +0.0
    out = np.where(zero, 0.0, out).astype(out.dtype, copy=False)
    if not candidates.any():
        return out
    if mode == "sep0":
        out[candidates & (alpha < 0)] = -0.0
        return out
    # only the rows and columns holding a candidate: the indicator product costs a matmul
    rows, cols = candidates.any(axis=1), candidates.any(axis=0)
    a, b = a[rows], b[:, cols]
    if mode == "after":
        terms_negative = _all_negative_zero_products(a, b) != (alpha < 0)
    else:  # every alpha * p is -0.0: every p is +0.0 when alpha < 0
        terms_negative = _all_negative_zero_products(-a if alpha < 0 else a, b)
    block = out[np.ix_(rows, cols)]
    block[candidates[np.ix_(rows, cols)] & terms_negative] = -0.0
    out[np.ix_(rows, cols)] = block
    return out


def _gemm(bias, m1, m2, beta=0, alpha=1):
    """beta * bias + alpha * (m1 @ m2) (bias None: mm) with torch's CPU gemm's signed zeros."""
    out_shape = (m1.shape[0], m2.shape[1])
    if bias is not None and m1.shape[1] == 0:  # no product to add: result = beta * self
        return _axpby(bias, None, beta, 0, out_shape)
    out = np.matmul(m1, m2) if bias is None else _axpby(bias, lambda: np.matmul(m1, m2), beta, alpha,
                                                        out_shape)
    if out.dtype.kind != "f" or 0 in out.shape:
        return out
    if beta == 0 and m1.shape[1] > 1:
        if alpha == 1 and out.dtype in _MATMUL_STARTS_AT_ZERO:
            return out  # numpy's matmul sums from +0.0 too: it has no -0.0 entry
        # a +0.0 start: every zero entry is +0.0, which adding +0.0 gives in one pass (x + 0.0 is
        # x for every other x); cheaper than looking for zeros first
        return np.add(out, 0.0, out=out)
    if beta != 0:
        if alpha == 1 and out.dtype in _MATMUL_STARTS_AT_ZERO and _gemm_mode(m1, m2) == "sep0":
            # F.linear's layout: torch adds +0.0 + p1 + p2 ... to beta * self, numpy's product
            # has no -0.0 either, so neither sum has a -0.0 entry (no beta * self to look at)
            return out
        acc = bias if beta == 1 else bias * np.asarray(beta, bias.dtype)
        # a -0.0 entry of beta * self + alpha * (m1 @ m2) needs both terms -0.0: none without a
        # -0.0 in beta * self (checked at self's size, usually a bias row)
        if not _has_negative_zero(acc):
            return out
    if not (out == 0).any():
        return out  # no zero entry, no sign to choose
    mode = _gemm_mode(m1, m2)
    if beta != 0:
        acc = np.broadcast_to(acc, out_shape)
    else:
        acc = False if mode == "each" and m1.shape[1] == 1 and out.shape[0] > 1 and out.shape[1] > 1 \
            else None
    return _signed_zeros(out, acc, m1, m2, alpha, mode)


def _gemv(bias, mat, vec, beta=0, alpha=1):
    """beta * bias + alpha * (mat @ vec) (bias None: mv) with torch's gemv's signed zeros."""
    if bias is not None and mat.shape[1] == 0:  # no product to add: result = beta * self
        return _axpby(bias, None, beta, 0, (mat.shape[0],))
    out = np.matmul(mat, vec) if bias is None else _axpby(bias, lambda: np.matmul(mat, vec), beta, alpha,
                                                          (mat.shape[0],))
    if out.dtype.kind != "f" or out.size == 0:
        return out
    acc = np.broadcast_to(bias, out.shape)[:, None] * np.asarray(beta, bias.dtype) if beta != 0 else None
    return _signed_zeros(out[:, None], acc, mat, vec[:, None], alpha, "after")[:, 0]


def _mm_kernel(a, b):
    if a.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if b.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    if a.shape[1] != b.shape[0]:
        raise RuntimeError(messages.MM_SHAPES.format(a0=a.shape[0], a1=a.shape[1], b0=b.shape[0],
                                                     b1=b.shape[1]))
    if a.size and b.size:  # an empty product is zeros without running the typed kernel
        _no_bool(a, "addmm_impl_cpu_")
    return _gemm(None, a, b)


def _mv_kernel(a, v):
    if a.ndim == 0:  # ATen sizes mv's result by mat.size(0) first
        raise IndexError(messages.DIM_NO_DIMS.format(dim=0))
    if a.ndim != 2 or v.ndim != 1:  # addmv's check: the result (1-D), mat, vec
        raise RuntimeError(messages.ADDMV_DIMS.format(a=1, b=a.ndim, c=v.ndim))
    if a.shape[1] != v.shape[0]:
        raise RuntimeError(f"size mismatch, got input ({a.shape[0]}), mat ({a.shape[0]}x{a.shape[1]}), "
                           f"vec ({v.shape[0]})")
    if a.size and v.size:  # an empty product is zeros without running the typed kernel
        _no_bool(a, "addmv_impl_cpu")
    return _gemv(None, a, v)


def _dot_kernel(a, b):
    if a.ndim != 1 or b.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {a.ndim}D and {b.ndim}D tensors")
    if a.shape[0] != b.shape[0]:
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{a.shape[0]}] and src "
                           f"[{b.shape[0]}] to have the same number of elements, but got "
                           f"{a.shape[0]} and {b.shape[0]} elements respectively")
    _no_bool(a, "dot")
    out = np.dot(a, b)
    # torch's dot sums from +0.0: a zero is never -0.0 (NOTE [Signed zeros of BLAS products])
    return out + out.dtype.type(0) if out.dtype.kind == "f" else out


def _bmm_kernel(a, b):
    if a.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if b.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    if a.shape[0] != b.shape[0] or a.shape[2] != b.shape[1]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{a.shape[0]}, {a.shape[2]}] but got: [{b.shape[0]}, {b.shape[1]}].")
    if 0 in a.shape or b.shape[2] == 0:
        # an empty result or inner dim: zeros, before any dtype check, in batch2's dtype (bmm's
        # meta function allocates the result with batch2's options)
        return np.zeros((a.shape[0], a.shape[1], b.shape[2]), dtype=b.dtype)
    _no_bool(a, "bmm")
    return np.matmul(a, b)


def _check_same_dtype(a, b, name):
    if a._dtype is not b._dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: {a._dtype.cpp_name} "
                           f"!= {b._dtype.cpp_name}")


def _column_major(shape, strides, itemsize) -> bool:
    """torch's test in mm_mat1/mat2_backward: strides (1, rows) in elements."""
    return strides[0] == itemsize and strides[1] == shape[0] * itemsize


def _mm_mat1_grad(g, mat2, c, i):
    """grad @ mat2.t(), computed transposed when mat1 was column-major so that the gradient comes
    out in mat1's layout (no copy at accumulation)."""
    if _column_major(c.shapes[i], c.strides[i], g._data.itemsize):
        if _unrecorded(g, mat2, 1):
            return t_unrecorded(MM.unrecorded(mat2._data, _t_kernel(g._data)))
        return mm(mat2, g.t()).t()
    if _unrecorded(g, mat2, 1):
        return MM.unrecorded(g._data, _t_kernel(mat2._data))
    return mm(g, mat2.t())


def _mm_mat2_grad(g, mat1, c, i):
    if _column_major(c.shapes[i], c.strides[i], g._data.itemsize):
        if _unrecorded(g, mat1, 0):
            return t_unrecorded(MM.unrecorded(_t_kernel(g._data), mat1._data))
        return mm(g.t(), mat1).t()
    if _unrecorded(g, mat1, 0):
        return MM.unrecorded(_t_kernel(mat1._data), g._data)
    return mm(mat1.t(), g)


def _unrecorded(g, saved, dim) -> bool:
    """Whether a gradient formula's mm can skip dispatch: nothing records (grad mode off, as in a
    backward without create_graph; no provenance tracking) and mm's checks cannot fail: a 2-D
    gradient and saved matrix of one dtype whose `dim` sizes meet in the product (they do after a
    valid forward, unless a `.data =` assignment replaced the saved matrix: then mm raises)."""
    a, b = g._data, saved._data
    return not STATE.grad_enabled and not _provenance.TRACKING and g._dtype is saved._dtype \
        and a.ndim == 2 and b.ndim == 2 and a.shape[dim] == b.shape[dim]


MM = Op("mm", _mm_kernel, node="MmBackward0", inputs=("self", "mat2"), record_strides=True,
        grads={"self": lambda c, g: _mm_mat1_grad(g, c.mat2, c, 0),
               "mat2": lambda c, g: _mm_mat2_grad(g, c.self, c, 1)})
MV = Op("mv", _mv_kernel, node="MvBackward0", inputs=("self", "vec"),
        grads={"self": lambda c, g: outer(g, c.vec), "vec": lambda c, g: mv(c.self.t(), g)})
DOT = ZeroAwareOp("dot", _dot_kernel, zero_result=ZERO_IF_ANY, node="DotBackward0", inputs=("self", "tensor"),
                  grads={"self": lambda c, g: g * c.tensor, "tensor": lambda c, g: g * c.self})
BMM = Op("bmm", _bmm_kernel, node="BmmBackward0", inputs=("self", "mat2"), promote=None,
         grads={"self": lambda c, g: bmm(g, transpose(c.mat2, 1, 2)),
                "mat2": lambda c, g: bmm(transpose(c.self, 1, 2), g)})


def _touch_before_error(*tensors):
    """ATen's checks run after the autograd kernel's edge collection (a stale view's error first)."""
    from .._autograd import views as _views
    _views.touch_grad_fns(tensors)


def mm(self, mat2):
    if isinstance(mat2, Tensor) and isinstance(self, Tensor):  # ATen's shape checks come first
        if self.dim() != 2:
            _touch_before_error(self, mat2)
            raise RuntimeError("self must be a matrix")
        if mat2.dim() != 2:
            _touch_before_error(self, mat2)
            raise RuntimeError("mat2 must be a matrix")
        if self.shape[1] != mat2.shape[0]:
            _touch_before_error(self, mat2)
            raise RuntimeError(messages.MM_SHAPES.format(a0=self.shape[0], a1=self.shape[1],
                                                         b0=mat2.shape[0], b1=mat2.shape[1]))
        if self._dtype is not mat2._dtype:
            _touch_before_error(self, mat2)
    _check_same_dtype(self, mat2, "mm")
    return MM(self, mat2)


def mv(self, vec):
    if self._dtype is not vec._dtype and self.dim() == 2 and vec.dim() == 1 \
            and self.shape[1] == vec.shape[0]:
        _touch_before_error(self, vec)
        # ATen's mv is addmv_ into a result made with vec's dtype: that result is the first named
        raise RuntimeError(messages.ADDMV_DTYPE.format(a=vec._dtype.short_name, b=self._dtype.short_name,
                                                       c=vec._dtype.short_name))
    return MV(self, vec)


def inner(self, other):
    """ATen's inner: a product with a 0-d operand, else tensordot over both last dimensions."""
    from .pointwise import mul
    if self.dim() == 0 or other.dim() == 0:
        return mul(self, other)
    if self.shape[-1] != other.shape[-1]:
        raise RuntimeError(messages.INNER_LAST_DIM.format(a=list(self.shape), b=list(other.shape)))
    return tensordot(self, other, ([-1], [-1]))


def dot(self, tensor):
    if isinstance(tensor, Tensor) and (self.dim() != 1 or tensor.dim() != 1):  # dims before dtypes
        _touch_before_error(self, tensor)
        raise RuntimeError(messages.DOT_1D.format(a=self.dim(), b=tensor.dim()))
    if self._dtype is not tensor._dtype:
        _touch_before_error(self, tensor)
        raise RuntimeError(f"dot : expected both vectors to have same dtype, but found "
                           f"{self._dtype.short_name} and {tensor._dtype.short_name}")
    return DOT(self, tensor)


def bmm(self, mat2):
    a, b = self._data, mat2._data
    if self._dtype is not mat2._dtype and a.ndim == 3 and b.ndim == 3 and a.shape[0] == b.shape[0] \
            and a.shape[2] == b.shape[1]:
        if a.dtype == np.bool_ or 0 in a.shape or b.shape[2] == 0:
            # the dtype dispatch (on self) raises first; an empty product checks no dtype at all
            return BMM(self, mat2)
        # the CPU kernel's check, after the shape checks and the dtype dispatch (bool raises first)
        raise RuntimeError(messages.SCALAR_TYPE_MISMATCH.format(expected=self._dtype.short_name,
                                                                found=mat2._dtype.short_name))
    return BMM(self, mat2)


def outer(self, vec2):
    for t, name in ((self, "self"), (vec2, "vec2")):
        if isinstance(t, Tensor) and t.dim() != 1:
            raise RuntimeError(messages.OUTER_1D.format(arg=name, dim=t.dim()))
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


# ---- addmm, addmv, baddbmm, addbmm: beta * self + alpha * product ------------------------------------
# ATen computes these as one BLAS call (gemm's C = beta*C + alpha*AB): beta == 0 ignores self (NaN
# included), integer tensors truncate beta and alpha, and the self gradient is maybe_multiply(grad, beta).
_OVERFLOW_TYPE = {"Half": "c10::Half", "Float": "float", "Double": "double", "Long": "int64_t",
                  "Int": "int", "Short": "int16_t", "Char": "int8_t", "Byte": "uint8_t", "Bool": "bool"}


def _scalar(value, d):
    """A Scalar argument as the kernel's opmath type sees it (c10's checked conversion)."""
    if isinstance(value, complex) and not d.is_complex:
        raise RuntimeError(messages.VALUE_OVERFLOW.format(type=_OVERFLOW_TYPE.get(d.short_name, d.cpp_name)))
    if d.category <= 1:
        return int(value)
    return value


def _attr(c, name):
    # F.linear records addmm without beta/alpha (both 1)
    return c.__dict__.get(name, 1)


def _maybe_multiply(t, s):
    return t if s == 1 else t * s


def _axpby(bias, prod, beta, alpha, out_shape, skip_zero_alpha=True):
    """beta * bias (broadcast) + alpha * prod(). beta == 0 never reads bias; alpha == 0 does not run
    the product when BLAS would skip it (gemm, gemv), but baddbmm's kernel multiplies anyway."""
    p = None
    if beta == 1 and alpha == 1 and prod is not None:
        p = prod()
        if p.dtype == bias.dtype and p.base is None and p.shape == tuple(out_shape):
            return np.add(p, bias, out=p)  # F.linear's p + bias, into p (fresh, ours)
    out = None
    if beta != 0:
        out = np.broadcast_to(bias, out_shape)
        if beta != 1:
            out = out * np.asarray(beta, bias.dtype)
    if alpha != 0 or not skip_zero_alpha:
        p = prod() if p is None else p
        if alpha != 1:
            p = p * np.asarray(alpha, p.dtype)
        if out is None:
            out = p
        elif p.dtype == np.result_type(p, out) and p.shape == tuple(out_shape) and p.base is None:
            out = np.add(p, out, out=p)  # p + bias: F.linear's rounding, into p (fresh, ours)
        else:
            out = p + out
    if out is None:
        return np.zeros(out_shape, bias.dtype)
    # torch's result is a fresh contiguous tensor; numpy's 'K' order would give an expanded bias
    # (stride 0) a column-major copy, e.g. addmm with an empty inner dim
    if out.dtype == bias.dtype and out.base is None and out.shape == tuple(out_shape) \
            and out.flags.c_contiguous:
        return out  # already a fresh array of its own (p + bias)
    return np.array(out, dtype=bias.dtype, order="C")  # fresh and writable (broadcast_to gives a view)


def _expand_check(self, target):
    """expand_size(self, target): the messages of Tensor.expand, without recording an expand."""
    shape, target = self._data.shape, tuple(target)
    if shape == target[len(target) - len(shape):]:
        return  # (the common case: nothing to expand, or only leading dims)
    if len(target) < len(shape):
        raise RuntimeError(messages.EXPAND_FEWER_SIZES.format(
            type=self.type(), shape=list(shape), sizes=list(target), n=len(target), d=len(shape)))
    lead = len(target) - len(shape)
    for i in reversed(range(len(shape))):  # inferExpandGeometry walks from the last dim
        s = shape[i]
        if s != 1 and s != target[lead + i]:
            raise RuntimeError(messages.EXPAND_SIZE.format(size=target[lead + i], existing=s, dim=lead + i,
                                                           target=list(target), tensor=list(shape)))


def _autograd_inplace_check(self, *others):
    """The autograd kernel's check_inplace runs before any of the op's own argument checks."""
    from .._autograd import views
    from .._core.state import STATE
    views.check_inplace(self, STATE.grad_enabled and any(views.requires_grad(t) for t in (self,) + others))


def _bad_inplace(self, out_shape):
    if tuple(self.shape) != tuple(out_shape):
        raise RuntimeError(messages.BAD_INPLACE.format(input=list(self.shape), output=list(out_shape)))


def _addmm_kernel(bias, m1, m2, beta=1, alpha=1, **_):
    # F.linear calls ADDMM without the public wrapper's checks: the kernel keeps the shape ones
    if m1.shape[1] != m2.shape[0]:
        raise RuntimeError(messages.MM_SHAPES.format(a0=m1.shape[0], a1=m1.shape[1],
                                                     b0=m2.shape[0], b1=m2.shape[1]))
    out_shape = (m1.shape[0], m2.shape[1])
    try:
        if bias.shape != out_shape[2 - bias.ndim:]:
            np.broadcast_shapes(bias.shape, out_shape)
    except ValueError:
        dim = next(i for i in range(-1, -bias.ndim - 1, -1)
                   if bias.shape[i] not in (1, out_shape[i]))
        raise RuntimeError(messages.EXPAND_SIZE.format(
            size=out_shape[dim], existing=bias.shape[dim], dim=len(out_shape) + dim,
            target=list(out_shape), tensor=list(bias.shape))) from None
    if out_shape[0] and out_shape[1] and m1.shape[1]:  # an empty result or product runs no typed kernel
        _no_bool(m1, "addmm_impl_cpu_")
    return _gemm(bias, m1, m2, beta, alpha)


def _addmm_empty_inner_check(d, mat1, mat2, beta=1):
    """addmm_impl_cpu_ with an empty inner dim and a non-empty result copies self into the result
    and runs result.mul_(beta), beta the Scalar as given: its result type must cast back to the
    dtype (a bool result times F.linear's int beta 1 raises). Called before beta is converted."""
    if mat1.shape[1] or not (mat1.shape[0] and mat2.shape[1]) or beta == 0:
        return
    from .dispatch import can_cast
    got = dt._combine(d, dt.scalar_dtype(beta))
    if not can_cast(got, d):
        raise RuntimeError(messages.CAST_RESULT.format(got=got.short_name, expected=d.short_name))


def _addmv_kernel(bias, mat, vec, beta=1, alpha=1, **_):
    return _gemv(bias, mat, vec, beta, alpha)


def _baddbmm_kernel(bias, b1, b2, beta=1, alpha=1, **_):
    # no alpha == 0 shortcut: ATen's baddbmm kernel multiplies (0 * NaN stays NaN); an empty
    # inner dim adds no product (beta * self keeps its -0.0)
    return _axpby(bias, lambda: np.matmul(b1, b2), beta, alpha if b1.shape[2] else 0,
                  (b1.shape[0], b1.shape[1], b2.shape[2]), skip_zero_alpha=not b1.shape[2])


def _addbmm_kernel(bias, b1, b2, beta=1, alpha=1, **_):
    out_shape = (b1.shape[1], b2.shape[2])
    if b1.shape[0] == 0:
        return _axpby(bias, None, beta, 0, out_shape)  # no batches: beta * self
    # ATen's addbmm_impl_: result.addmm_(batch1[i], batch2[i], beta, alpha) per batch, beta = 1
    # after the first (the rounding and signed zeros of a sequence of gemms)
    out = _gemm(bias, b1[0], b2[0], beta, alpha)
    for i in range(1, b1.shape[0]):
        out = _gemm(out, b1[i], b2[i], 1, alpha)
    return out


def _addbmm_grad(g, other, c, which):
    """The output gradient is every batch's: expand it over the batches, then bmm as baddbmm does."""
    (n, rows, _), p = c.shapes[1], c.shapes[2][2]
    g3 = expand(unsqueeze(g, 0), (n, rows, p))
    if which == "batch1":
        return _maybe_multiply(bmm(g3, transpose(other, 1, 2)), c.alpha)
    return _maybe_multiply(bmm(transpose(other, 1, 2), g3), c.alpha)


ADDMM = Op("addmm", _addmm_kernel, node="AddmmBackward0", inputs=("self", "mat1", "mat2"), promote=None,
           record_strides=True,
           grads={"self": lambda c, g: _maybe_multiply(g, _attr(c, "beta")),
                  "mat1": lambda c, g: _maybe_multiply(_mm_mat1_grad(g, c.mat2, c, 1), _attr(c, "alpha")),
                  "mat2": lambda c, g: _maybe_multiply(_mm_mat2_grad(g, c.mat1, c, 2), _attr(c, "alpha"))})
ADDMV = Op("addmv", _addmv_kernel, node="AddmvBackward0", inputs=("self", "mat", "vec"), promote=None,
           grads={"self": lambda c, g: _maybe_multiply(g, c.beta),
                  "mat": lambda c, g: _maybe_multiply(outer(g, c.vec), c.alpha),
                  "vec": lambda c, g: _maybe_multiply(mv(c.mat.t(), g), c.alpha)})
BADDBMM = Op("baddbmm", _baddbmm_kernel, node="BaddbmmBackward0", inputs=("self", "batch1", "batch2"),
             promote=None,
             grads={"self": lambda c, g: _maybe_multiply(g, c.beta),
                    "batch1": lambda c, g: _maybe_multiply(bmm(g, transpose(c.batch2, 1, 2)), c.alpha),
                    "batch2": lambda c, g: _maybe_multiply(bmm(transpose(c.batch1, 1, 2), g), c.alpha)})
ADDBMM = Op("addbmm", _addbmm_kernel, node="AddbmmBackward0", inputs=("self", "batch1", "batch2"),
            promote=None,
            grads={"self": lambda c, g: _maybe_multiply(g, c.beta),
                   "batch1": lambda c, g: _addbmm_grad(g, c.batch2, c, "batch1"),
                   "batch2": lambda c, g: _addbmm_grad(g, c.batch1, c, "batch2")})


def _scalars(d, beta, alpha):
    return _scalar(beta, d), _scalar(alpha, d)


@views.edges_first
def _addmm_checks(self, mat1, mat2, inplace):
    """ATen's ADDMM_META order: dtypes, matrix ranks, inner sizes, then the in-place / expand check."""
    if self._dtype is not mat2._dtype:
        raise RuntimeError(messages.ADDMM_DTYPE.format(a=self._dtype.short_name, b=mat2._dtype.short_name))
    if mat1._dtype is not mat2._dtype:
        raise RuntimeError(messages.ADDMM_MAT_DTYPE.format(a=mat1._dtype.short_name, b=mat2._dtype.short_name))
    s1, s2 = mat1._data.shape, mat2._data.shape
    if len(s1) != 2:
        raise RuntimeError(messages.ADDMM_MATRIX.format(name="mat1", d=len(s1)))
    if len(s2) != 2:
        raise RuntimeError(messages.ADDMM_MATRIX.format(name="mat2", d=len(s2)))
    if s1[1] != s2[0]:
        raise RuntimeError(messages.MM_SHAPES.format(a0=s1[0], a1=s1[1], b0=s2[0], b1=s2[1]))
    out_shape = (s1[0], s2[1])
    if inplace:
        _bad_inplace(self, out_shape)
    else:
        _expand_check(self, out_shape)


def addmm(input, mat1, mat2, *, beta=1, alpha=1, out=None):
    _addmm_checks(input, mat1, mat2, False)
    _addmm_empty_inner_check(input._dtype, mat1, mat2, beta)
    beta, alpha = _scalars(input._dtype, beta, alpha)
    return ADDMM(input, mat1, mat2, beta=beta, alpha=alpha)


def addmm_(self, mat1, mat2, *, beta=1, alpha=1):
    _autograd_inplace_check(self, mat1, mat2)
    _addmm_checks(self, mat1, mat2, True)
    _addmm_empty_inner_check(self._dtype, mat1, mat2, beta)
    beta, alpha = _scalars(self._dtype, beta, alpha)
    return ADDMM.inplace(self, mat1, mat2, beta=beta, alpha=alpha)


@views.edges_first
def _addmv_checks(self, mat, vec, inplace):
    if not (mat.dim() == 2 and vec.dim() == 1 and self.dim() <= 1):
        raise RuntimeError(messages.ADDMV_DIMS.format(a=self.dim(), b=mat.dim(), c=vec.dim()))
    if mat.shape[1] != vec.shape[0] or (mat.shape[0] != self.numel() and self.numel() != 1):
        if self.dim() == 0:  # the message reads self.size(0)
            raise IndexError(messages.DIM_OF_0D.format(dim=0))
        raise RuntimeError(messages.ADDMV_SIZE.format(n=self.shape[0], m0=mat.shape[0], m1=mat.shape[1],
                                                      v=vec.shape[0]))
    if inplace:
        _bad_inplace(self, (mat.shape[0],))
    if not (self._dtype is mat._dtype is vec._dtype):
        raise RuntimeError(messages.ADDMV_DTYPE.format(a=self._dtype.short_name, b=mat._dtype.short_name,
                                                       c=vec._dtype.short_name))
    _no_bool(mat._data, "addmv_impl_cpu")


def addmv(input, mat, vec, *, beta=1, alpha=1, out=None):
    _addmv_checks(input, mat, vec, False)
    beta, alpha = _scalars(input._dtype, beta, alpha)
    return ADDMV(input, mat, vec, beta=beta, alpha=alpha)


def addmv_(self, mat, vec, *, beta=1, alpha=1):
    _autograd_inplace_check(self, mat, vec)
    _addmv_checks(self, mat, vec, True)
    beta, alpha = _scalars(self._dtype, beta, alpha)
    return ADDMV.inplace(self, mat, vec, beta=beta, alpha=alpha)


@views.edges_first
def _baddbmm_checks(self, batch1, batch2, inplace):
    """TORCH_META_FUNC(baddbmm): self is expanded to the output size before any other check."""
    target = (batch1.size(0), batch1.size(1), batch2.size(2))
    _expand_check(self, target)
    if self._dtype is not batch1._dtype:
        raise RuntimeError(messages.BADDBMM_DTYPE.format(a=self._dtype.cpp_name, b=batch1._dtype.cpp_name,
                                                         c=batch2._dtype.cpp_name))
    if batch1.dim() != 3:
        raise RuntimeError(messages.BATCH_3D.format(name="batch1"))
    if batch2.dim() != 3:
        raise RuntimeError(messages.BATCH_3D.format(name="batch2"))
    bs, k = batch1.shape[0], batch1.shape[2]
    if batch2.shape[0] != bs or batch2.shape[1] != k:
        raise RuntimeError(messages.BADDBMM_BATCH2.format(bs=bs, k=k, b0=batch2.shape[0], b1=batch2.shape[1]))
    if inplace:
        _bad_inplace(self, target)
    _no_bool(batch1._data, "baddbmm")
    if batch1._dtype is not batch2._dtype:
        raise RuntimeError(messages.SCALAR_TYPE_MISMATCH.format(expected=self._dtype.short_name,
                                                                found=batch2._dtype.short_name))


def baddbmm(input, batch1, batch2, *, beta=1, alpha=1, out=None):
    _baddbmm_checks(input, batch1, batch2, False)
    beta, alpha = _scalars(input._dtype, beta, alpha)
    return BADDBMM(input, batch1, batch2, beta=beta, alpha=alpha)


def baddbmm_(self, batch1, batch2, *, beta=1, alpha=1):
    _autograd_inplace_check(self, batch1, batch2)
    _baddbmm_checks(self, batch1, batch2, True)
    beta, alpha = _scalars(self._dtype, beta, alpha)
    return BADDBMM.inplace(self, batch1, batch2, beta=beta, alpha=alpha)


@views.edges_first
def _addbmm_checks(self, batch1, batch2, inplace):
    """addbmm_out: expand self to the output size, then addbmm_impl_'s checks, then (one addmm_ per
    batch) addmm's dtype checks against the result, which has self's dtype."""
    target = (batch1.size(1), batch2.size(2))
    _expand_check(self, target)
    if batch1.dim() != 3:
        raise RuntimeError(messages.BATCH_3D.format(name="batch1"))
    if batch2.dim() != 3:
        raise RuntimeError(messages.BATCH_3D.format(name="batch2"))
    if batch1.shape[0] != batch2.shape[0]:
        raise RuntimeError(messages.ADDBMM_BATCHES.format(a=batch1.shape[0], b=batch2.shape[0]))
    if batch1.shape[2] != batch2.shape[1]:
        raise RuntimeError(messages.ADDBMM_SIZES.format(a1=batch1.shape[1], a2=batch1.shape[2],
                                                        b1=batch2.shape[1], b2=batch2.shape[2]))
    if batch1.shape[0] == 0:
        return
    if self._dtype is not batch2._dtype:
        raise RuntimeError(messages.ADDMM_DTYPE.format(a=self._dtype.short_name, b=batch2._dtype.short_name))
    if batch1._dtype is not batch2._dtype:
        raise RuntimeError(messages.ADDMM_MAT_DTYPE.format(a=batch1._dtype.short_name,
                                                           b=batch2._dtype.short_name))
    _no_bool(batch1._data, "addmm_impl_cpu_")


def addbmm(input, batch1, batch2, *, beta=1, alpha=1, out=None):
    _addbmm_checks(input, batch1, batch2, False)
    beta, alpha = _scalars(input._dtype, beta, alpha)
    return ADDBMM(input, batch1, batch2, beta=beta, alpha=alpha)


def addbmm_(self, batch1, batch2, *, beta=1, alpha=1):
    _autograd_inplace_check(self, batch1, batch2)
    _addbmm_checks(self, batch1, batch2, True)
    beta, alpha = _scalars(self._dtype, beta, alpha)
    target = (batch1.shape[1], batch2.shape[2])
    if tuple(self.shape) != target:
        # ATen's addbmm_ is addbmm_out(self, ...): the result (self) is resized to the output size and
        # filled with the broadcast self before accumulating. A view cannot change its shape here.
        if self._view is not None:
            _bad_inplace(self, target)
        self._data = np.broadcast_to(self._data, target).copy()
    return ADDBMM.inplace(self, batch1, batch2, beta=beta, alpha=alpha)


# ---- tensordot: permute both operands so the contracted dims meet, then one mm (or dot) ---------------
def _dims_bitset(dims, ndim):
    """at::dim_list_to_bitset: wrapped dims, each at most once."""
    seen = set()
    for d in dims:
        w = _wrap_dim(d, ndim)
        if w in seen:
            raise RuntimeError(messages.DIM_REPEATED.format(dim=w))
        seen.add(w)
    return seen


def _tensordot(input1, input2, dims1, dims2):
    """at::native::tensordot: size-1 contracted dims are summed first (they broadcast), the rest are
    moved to the inner side of one matrix product; free sizes of 1 on both sides make it a dot."""
    if len(dims1) != len(dims2):
        raise RuntimeError(messages.TENSORDOT_LENGTHS)
    if input1._dtype is not input2._dtype:
        raise RuntimeError(messages.TENSORDOT_DTYPE)
    from .reduction import sum as _sum
    csize = 1
    t1, t2 = input1, input2
    for d1, d2 in zip(dims1, dims2):
        s1, s2 = input1.size(d1), input2.size(d2)
        if s2 == 1:
            t1 = _sum(t1, d1, True, dtype=t1._dtype)
        elif s1 == 1:
            t2 = _sum(t2, d2, True, dtype=t2._dtype)
        else:
            if s1 != s2:
                raise RuntimeError(messages.TENSORDOT_SIZES.format(s1=s1, d1=d1, s2=s2, d2=d2))
            csize *= s1
    cdims1 = _dims_bitset(dims1, input1.dim())
    cdims2 = _dims_bitset(dims2, input2.dim())
    p1 = [i for i in range(input1.dim()) if i not in cdims1]
    p2 = list(dims2)
    rsizes = [t1.shape[i] for i in p1]
    free2 = [i for i in range(input2.dim()) if i not in cdims2]
    rsizes += [t2.shape[i] for i in free2]
    size1 = int(np.prod([t1.shape[i] for i in p1], dtype=np.int64))
    size2 = int(np.prod([t2.shape[i] for i in free2], dtype=np.int64))
    p1 += list(dims1)
    p2 += free2
    t1, t2 = t1.permute(p1), t2.permute(p2)
    if size1 == 1 and size2 == 1:
        if t1.is_contiguous() and t2.is_contiguous():
            # both sides are vectors: ATen views them as such (a 1-d operand as it is) and calls dot
            t1 = t1 if t1.dim() == 1 else reshape(t1, (csize,))
            t2 = t2 if t2.dim() == 1 else reshape(t2, (csize,))
            return reshape(dot(t1, t2), tuple(rsizes))
        # one would need a copy to be a vector: ATen multiplies the squeezed operands and sums
        # (in the operands' dtype, so a bool contraction gives a bool where dot raises)
        from .pointwise import mul
        return reshape(_sum(mul(squeeze(t1), squeeze(t2)), dtype=t1._dtype), tuple(rsizes))
    return reshape(mm(reshape(t1, (size1, csize)), reshape(t2, (csize, size2))), tuple(rsizes))


def _int_list(dims, name, pos):
    if not isinstance(dims, (list, tuple)):
        raise TypeError(messages.TENSORDOT_DIMS_LIST.format(name=name, pos=pos, type=type(dims).__name__))
    return [int(d) for d in dims]


def tensordot(a, b, dims=2, out=None):
    """torch.functional.tensordot: dims as an int, a pair of lists or a tensor."""
    from .._tensor import Tensor
    if not isinstance(dims, (tuple, list, Tensor, int)):
        raise RuntimeError(messages.TENSORDOT_DIMS_TYPE.format(dims=dims))
    dims_a, dims_b = [], []
    if isinstance(dims, (tuple, list)):
        dims_a, dims_b = dims
    if isinstance(dims, Tensor):
        if dims.numel() > 1:
            if dims.size()[0] != 2:
                raise AssertionError(messages.TENSORDOT_DIMS_TENSOR.format(n=dims.size()[0]))
            dims_a, dims_b = dims[0].tolist(), dims[1].tolist()
        else:
            n = int(dims.item())
            if n < 0:
                raise RuntimeError(messages.TENSORDOT_DIMS_NEGATIVE.format(dims=format(dims)))
            dims_a, dims_b = list(range(-n, 0)), list(range(n))
    if isinstance(dims, int):
        if dims < 0:
            raise RuntimeError(messages.TENSORDOT_DIMS_NEGATIVE.format(dims=dims))
        if dims > min(a.dim(), b.dim()):
            raise RuntimeError(messages.TENSORDOT_DIMS_LARGE.format(dims=dims))
        dims_a, dims_b = list(range(-dims, 0)), list(range(dims))
    for pos, (name, t) in enumerate((("input", a), ("other", b)), 1):  # the _VF.tensordot binding's check
        if not isinstance(t, Tensor):
            raise TypeError(messages.ARG_TYPE.format(name="tensordot", arg=name, pos=pos, type="Tensor",
                                                     got=type(t).__name__))
    return _tensordot(a, b, _int_list(dims_a, "dims_self", 3), _int_list(dims_b, "dims_other", 4))


# ---- norms: linalg.vector_norm / matrix_norm / norm and torch.norm ----------------------------------
def _fmt_scalar(x) -> str:
    """A double as C++ streams print it (Scalar in messages): 2 -> '2', 0.5 -> '0.5', inf."""
    return "%g" % x


def _check_floating(A, fn, low_precision=True):
    d = A._dtype
    if d.category < 2:
        raise RuntimeError(messages.LINALG_NOT_FLOATING.format(fn=fn, dtype=d.short_name))
    if not low_precision and d.short_name not in ("Float", "Double", "ComplexFloat", "ComplexDouble"):
        raise RuntimeError(messages.LINALG_LOW_PRECISION.format(fn=fn, dtype=d.short_name))


def _check_norm_dtype(dtype, self_dtype, fn):
    """at::detail::check_linalg_norm_dtype."""
    if dtype is None:
        return
    if dtype.category < 2:
        raise RuntimeError(messages.LINALG_NORM_DTYPE.format(fn=fn, dtype=dtype.short_name))
    if self_dtype.is_complex != dtype.is_complex:
        kind = "complex" if self_dtype.is_complex else "real"
        raise RuntimeError(messages.LINALG_NORM_DTYPE_KIND.format(fn=fn, kind=kind, dtype=dtype.short_name))
    if dt.promote_types(self_dtype, dtype) is not dtype:
        raise RuntimeError(messages.LINALG_NORM_NARROWING.format(fn=fn, input=self_dtype.short_name,
                                                                 dtype=dtype.short_name))


def _vector_norm_kernel(a, ord, dims, keepdim, dtype, bdims=None):
    out_np = dtype.to_real().np if dtype is not None else np.abs(np.empty(0, a.dtype)).dtype
    x = np.abs(a if dtype is None else a.astype(dtype.np))
    if x.dtype == np.float16:
        x = x.astype(np.float32)  # half accumulates in float (ATen's opmath type)
    if ord == float("inf"):
        r = np.max(x, axis=dims, keepdims=keepdim)
    elif ord == -float("inf"):
        r = np.min(x, axis=dims, keepdims=keepdim)
    elif ord == 0:
        r = np.sum(x != 0, axis=dims, keepdims=keepdim)
    elif ord == 1:
        r = np.sum(x, axis=dims, keepdims=keepdim)
    elif ord == 2:
        r = np.sqrt(np.sum(x * x, axis=dims, keepdims=keepdim))
    else:
        r = np.power(np.sum(np.power(x, ord), axis=dims, keepdims=keepdim), 1.0 / ord)
    return np.asarray(r).astype(out_np, copy=False)


def _vector_norm_backward(g, self, norm, ord, dims, keepdim):
    """FunctionsManual's norm_backward, op for op so a create_graph gradient has torch's nodes
    (sgn, masked_fill_ where the norm is 0, pow); the 0-norm has no gradient (undefined). `dims`
    None: no dim given, which linalg_vector_norm_backward passes as an empty list (no unsqueeze)."""
    from .indexing import masked_fill
    from .pointwise import abs as _abs, isnan, logical_or
    from .reduction import restore_dims, sum as _sum
    from .unary import SGN
    if ord == 0:
        return None
    if not keepdim and self.dim() != 0:
        g = restore_dims(g, self.shape, dims, False)
        norm = restore_dims(norm, self.shape, dims, False)
    if ord == 1:
        return SGN(self) * g
    if ord == 2:
        return g * masked_fill(self / norm, norm == 0, 0)
    if ord in (float("inf"), -float("inf")):
        self_abs = _abs(self)
        mask = logical_or(self_abs == norm, isnan(self_abs))
        return SGN(self) * ((g / _sum(mask, dims, True)) * mask)
    if ord < 1:
        self_scaled = SGN(self) * masked_fill(_abs(self) ** (ord - 1), self == 0, 0)
        return self_scaled * g * norm ** (1 - ord)
    if ord < 2:
        self_scaled = SGN(self) * _abs(self) ** (ord - 1)
    else:
        self_scaled = self * _abs(self) ** (ord - 2)
    return self_scaled * masked_fill(g / norm ** (ord - 1), norm == 0, 0)


from .reduction import _contiguous_output  # noqa: E402 - ATen's reductions: contiguous outputs

VECTOR_NORM = Op("linalg_vector_norm", _contiguous_output(_vector_norm_kernel), node="LinalgVectorNormBackward0", promote=None,
                 grads={"self": lambda c, g: _vector_norm_backward(g, c.self, c.result, c.ord, c.bdims,
                                                                   c.keepdim)})


# The bindings' argument parser (linalg_vector_norm, linalg_matrix_norm, linalg_norm): the types of
# every argument are checked before the op runs, as torch's python_arg_parser does.
_NORM_KW = (("dtype", "D|Z", False, "k"), ("out", "T|Z", False, "k"))
_VECTOR_NORM_SIG = [(("input", "T", True, "p"), ("ord", "N", False, "p"), ("dim", "S|I|Z", False, "p"),
                     ("keepdim", "B", False, "p")) + _NORM_KW]
_MATRIX_NORM_SIG = [(("input", "T", True, "p"), ("ord", "N", True, "p"), ("dim", "S", False, "p"),
                     ("keepdim", "B", False, "p")) + _NORM_KW,
                    (("input", "T", True, "p"), ("ord", "STR", False, "p"), ("dim", "S", False, "p"),
                     ("keepdim", "B", False, "p")) + _NORM_KW]
# dim=None given explicitly: matrix_norm's `int[2] dim` (default {-2,-1}) does not take None
_MATRIX_NORM_SIG_DIM_GIVEN = [tuple((n, c, True if n == "dim" else r, k) for n, c, r, k in ov)
                              for ov in _MATRIX_NORM_SIG]
_LINALG_NORM_SIG = [(("input", "T", True, "p"), ("ord", "N|Z", False, "p"), ("dim", "S|I|Z", False, "p"),
                     ("keepdim", "B", False, "p")) + _NORM_KW,
                    (("input", "T", True, "p"), ("ord", "STR", True, "p"), ("dim", "S|I|Z", False, "p"),
                     ("keepdim", "B", False, "p")) + _NORM_KW]
_NORM_PARAMS = ("input", "ord", "dim", "keepdim")


def _parsed(name, overloads, args, kwargs) -> dict:
    """Check a call against the binding's signatures; the arguments by name."""
    from .arg_parser import check
    try:
        check(name, overloads, args, kwargs, 0)
    except TypeError as e:
        if len(overloads) == 1:
            raise
        # torch's parser reports the one signature the call could fit by its argument count alone,
        # else all of them (with their defaults)
        n = len(args) + len(kwargs)
        plausible = [ov for ov in overloads if sum(1 for p in ov if p[2]) <= n
                     and len(args) <= sum(1 for p in ov if p[3] == "p")]
        if len(plausible) == 1:
            check(name, plausible, args, kwargs, 0)
        text, head = str(e), "but expected one of:\n"
        if head not in text:
            raise
        lines = (messages.MATRIX_NORM_SIGNATURES if name == "linalg_matrix_norm"
                 else messages.LINALG_NORM_SIGNATURES)
        raise TypeError(text[:text.index(head) + len(head)] + lines) from None
    bound = dict(zip(_NORM_PARAMS, args))
    bound.update(kwargs)
    bound.pop("out", None)  # (numtorch has no out= for the norms)
    return bound


def _dim_list(dim):
    """An int[1]? / int[2] argument the parser accepted: None, an int (or int tensor), or a list."""
    if dim is None:
        return None
    if isinstance(dim, (int, np.integer, Tensor)):
        return [int(dim)]
    return [int(d) for d in dim]


def _norm_ord(ord, fn):
    """A Number ord the parser accepted (a 0-d tensor is one); complex orders are refused."""
    if isinstance(ord, Tensor):
        ord = ord.item()
    if isinstance(ord, (complex, np.complexfloating)):
        raise RuntimeError(messages.NORM_COMPLEX_ORD.format(fn=fn))
    return ord


def vector_norm(*args, **kwargs):
    """torch.linalg.vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None, out=None)."""
    b = _parsed("linalg_vector_norm", _VECTOR_NORM_SIG, args, kwargs)
    return _vector_norm(b.pop("input"), **b)


def _vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None, out=None):
    from .reduction import _dims
    ord = float(_norm_ord(ord, "linalg.vector_norm"))
    _check_floating(x, "linalg.vector_norm")
    dim_list = _dim_list(dim)
    if x.numel() == 0 and (ord < 0 or ord == float("inf")):
        if not dim_list:
            raise RuntimeError(messages.VECTOR_NORM_EMPTY.format(ord=_fmt_scalar(ord)))
        for d in dim_list:
            if x.size(d) == 0:
                raise RuntimeError(messages.VECTOR_NORM_EMPTY_DIM.format(ord=_fmt_scalar(ord), dim=d))
    _check_norm_dtype(dtype, x._dtype, "linalg.vector_norm")
    dims = _dims(dim_list, x.dim())
    # bdims: the backward's dims, None without a dim (torch's backward gets an empty list)
    return VECTOR_NORM(x, ord=ord, dims=dims, bdims=dims if dim_list else None, keepdim=bool(keepdim),
                       dtype=dtype)


class _LinAlgError(RuntimeError):
    """torch.linalg.LinAlgError (torch._C._LinAlgError): a LAPACK routine failed on the input."""


def _svd_kernel(a, compute_uv):
    m, n = a.shape[-2:]
    k = min(m, n)
    if a.size == 0:  # LAPACK is not called on empty matrices
        batch = a.shape[:-2]
        s = np.zeros(batch + (k,), np.abs(np.empty(0, a.dtype)).dtype)
        u = np.zeros(batch + (m, k) if compute_uv else (0,), a.dtype)
        vh = np.zeros(batch + (k, n) if compute_uv else (0,), a.dtype)
        if compute_uv:
            u[..., range(k), range(k)] = 1
            vh[..., range(k), range(k)] = 1
        return u, s, vh
    try:
        if compute_uv:
            u, s, vh = np.linalg.svd(a, full_matrices=False)
            return u, s, vh
        return np.empty(0, a.dtype), np.linalg.svd(a, compute_uv=False), np.empty(0, a.dtype)
    except np.linalg.LinAlgError:
        if not np.isfinite(a).all():
            raise _LinAlgError(messages.SVD_NOT_FINITE) from None
        raise _LinAlgError(messages.SVD_NO_CONVERGENCE.format(info=min(m, n))) from None


def _svd_backward(grads, U, S, Vh):
    """FunctionsManual's svd_backward (real case, full_matrices=False): the singular values alone give
    U diag(gS) Vh; gradients of U and Vh (double backward of a norm) add the off-diagonal terms."""
    from .creation import eye
    from .pointwise import where
    gU, gS, gVh = grads
    m, n = U.shape[-2], Vh.shape[-1]
    if gU is None and gVh is None:
        if gS is None:
            return None
        return matmul(U, unsqueeze(gS, -1) * Vh) if m >= n else matmul(U * unsqueeze(gS, -2), Vh)
    k = S.shape[-1]
    UhgU = VhgV = None
    if gU is not None:
        UhgU = matmul(U.mT, gU)
        UhgU = UhgU - UhgU.mT
    if gVh is not None:
        VhgV = matmul(Vh, gVh.mT)
        VhgV = VhgV - VhgV.mT
    S2 = S * S
    # E[i, j] = S_j^2 - S_i^2 off the diagonal, 1 on it (any nonzero: it divides a zero there)
    E = where(eye(k, dtype=dt.bool_), 1.0, unsqueeze(S2, -2) - unsqueeze(S2, -1))
    if UhgU is not None and VhgV is not None:
        ret = (UhgU * unsqueeze(S, -2) + unsqueeze(S, -1) * VhgV) / E
    elif UhgU is not None:
        ret = UhgU * (unsqueeze(S, -2) / E)
    else:
        ret = unsqueeze(S, -1) * (VhgV / E)
    if gS is not None:
        ret = ret + unsqueeze(gS, -1) * eye(k, dtype=gS.dtype)
    if m > n and gU is not None:
        gA = matmul(U, ret)
        gUSinv = gU / unsqueeze(S, -2)
        gA = gA + gUSinv - matmul(U, matmul(U.mT, gUSinv))
        return matmul(gA, Vh)
    if m < n and gVh is not None:
        gA = matmul(ret, Vh)
        SinvgVh = gVh / unsqueeze(S, -1)
        gA = gA + SinvgVh - matmul(matmul(SinvgVh, Vh.mT), Vh)
        return matmul(U, gA)
    return matmul(U, matmul(ret, Vh)) if m >= n else matmul(matmul(U, ret), Vh)


LINALG_SVD = Op("_linalg_svd", _svd_kernel, node="LinalgSvdBackward0", inputs=("A",), promote=None,
                multi_output=True,
                grads={"A": lambda c, g: _svd_backward(g, c.result, c.result1, c.result2)})


def svdvals(A, *, driver=None, out=None):
    """linalg.svdvals: _linalg_svd's S, computing U and Vh only when a gradient may be asked for."""
    from .._core.state import STATE
    if A.dim() < 2:
        raise RuntimeError("linalg.svd: The input tensor A must have at least 2 dimensions.")
    _check_floating(A, "linalg.svd", low_precision=False)
    return LINALG_SVD(A, compute_uv=bool(STATE.grad_enabled and A.requires_grad))[1]


def _matrix_norm_checks(A, dim, dtype, low_precision):
    if A.dim() < 2:
        raise RuntimeError(messages.MATRIX_NORM_NDIM)
    _check_floating(A, "linalg.matrix_norm", low_precision)
    dims = _dim_list(dim)
    if len(dims) != 2:
        raise RuntimeError(messages.MATRIX_NORM_DIM_TUPLE.format(dims=" ".join(str(d) for d in dims)))
    dims = [_wrap_dim(d, A.dim()) for d in dims]
    if dims[0] == dims[1]:
        raise RuntimeError(messages.MATRIX_NORM_DIMS_DIFFERENT.format(a=dims[0], b=dims[1]))
    _check_norm_dtype(dtype, A._dtype, "linalg.matrix_norm")
    return dims


def _over_singular_values(A, dims, keepdim, dtype, reduce):
    """Move the two matrix dims to the end, reduce the singular values, and put keepdim's two unit
    dims back where the matrix dims were (ATen's backshift permutation and its inverse)."""
    A_ = A.to(dtype) if dtype is not None else A
    n = A.dim()
    perm = [i for i in range(n) if i not in dims] + list(dims)
    result = reduce(svdvals(A_.permute(perm)))
    if keepdim:
        inverse = [0] * n
        for i, p in enumerate(perm):
            inverse[p] = i
        result = unsqueeze(result, -1).permute(inverse)
    return result


def matrix_norm(*args, **kwargs):
    """torch.linalg.matrix_norm(A, ord='fro', dim=(-2, -1), keepdim=False, *, dtype=None, out=None)."""
    given_none = (len(args) > 2 and args[2] is None) or ("dim" in kwargs and kwargs["dim"] is None)
    b = _parsed("linalg_matrix_norm", _MATRIX_NORM_SIG_DIM_GIVEN if given_none else _MATRIX_NORM_SIG,
                args, kwargs)
    return _matrix_norm(b.pop("input"), **b)


def _matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None, out=None):
    from .reduction import amax, amin
    if not isinstance(ord, str):
        ord = _norm_ord(ord, "linalg.matrix_norm")
    if isinstance(ord, str):
        if ord not in ("fro", "nuc"):
            raise RuntimeError(messages.MATRIX_NORM_ORDER.format(ord=ord))
        dims = _matrix_norm_checks(A, dim, dtype, low_precision=ord != "nuc")
        if ord == "fro":
            return _vector_norm(A, 2, dims, keepdim, dtype=dtype)
        return _over_singular_values(A, dims, keepdim, dtype, lambda s: s.sum(-1, keepdim))
    o = float(ord)
    if abs(o) not in (1.0, 2.0, float("inf")):
        raise RuntimeError(messages.MATRIX_NORM_ORDER.format(ord=_fmt_scalar(o)))
    dims = _matrix_norm_checks(A, dim, dtype, low_precision=abs(o) != 2.0)
    max_min = amax if o > 0 else amin
    if abs(o) == 2.0:
        return _over_singular_values(A, dims, keepdim, dtype, lambda s: max_min(s, -1, keepdim))
    if abs(o) == float("inf"):  # the max row sum: sum over the columns first
        dims = [dims[1], dims[0]]
    if not keepdim and dims[0] < dims[1]:
        dims[1] -= 1  # the first reduction removed a dim before it
    return max_min(_vector_norm(A, 1.0, [dims[0]], keepdim, dtype=dtype), dims[1], keepdim)


def linalg_norm(*args, **kwargs):
    """torch.linalg.norm(A, ord=None, dim=None, keepdim=False, *, out=None, dtype=None)."""
    b = _parsed("linalg_norm", _LINALG_NORM_SIG, args, kwargs)
    return _linalg_norm(b.pop("input"), **b)


def _linalg_norm(A, ord=None, dim=None, keepdim=False, *, out=None, dtype=None):
    """torch.linalg.norm: a matrix norm when ord is given with two dims (or a 2-D input), otherwise
    the vector 2-norm or ord-norm."""
    dims = _dim_list(dim)
    if isinstance(ord, Tensor):
        ord = ord.item()
    if dims is not None:
        if len(dims) not in (1, 2):
            raise RuntimeError(messages.LINALG_NORM_DIM_LENGTH.format(dims=dims))
    elif ord is not None and A.dim() not in (1, 2):
        raise RuntimeError(messages.LINALG_NORM_INPUT_DIMS.format(d=A.dim()))
    if isinstance(ord, str):
        return _matrix_norm(A, ord, dims if dims is not None else [0, 1], keepdim, dtype=dtype)
    if ord is not None and ((dims is not None and len(dims) == 2) or (dims is None and A.dim() == 2)):
        return _matrix_norm(A, ord, dims if dims is not None else [0, 1], keepdim, dtype=dtype)
    return _vector_norm(A, 2 if ord is None else ord, dims, keepdim, dtype=dtype)


@views.edges_first  # linalg_vector_norm / linalg_matrix_norm's autograd kernel comes first
def norm(input, p="fro", dim=None, keepdim=False, out=None, dtype=None):
    """torch.norm (and Tensor.norm) on strided CPU tensors: torch.functional dispatches to the
    linalg_vector_norm binding, or to linalg_matrix_norm for 'nuc' and for 'fro' over more than two
    dims (positionally, as torch.functional does: the bindings' parser checks the arguments)."""
    if not isinstance(input, Tensor):  # torch.functional reads input.layout first
        raise AttributeError(messages.NORM_NOT_A_TENSOR.format(type=type(input).__name__))
    _dim = None if dim is None else ([dim] if isinstance(dim, int) else dim)
    if isinstance(p, str):
        if p == "fro" and (dim is None or isinstance(dim, int) or len(dim) <= 2):
            return vector_norm(input, 2, _dim, keepdim, dtype=dtype)
        if _dim is None:
            _dim = list(range(input.dim()))
        return matrix_norm(input, p, _dim, keepdim, dtype=dtype)
    return vector_norm(input, 2.0 if p is None else p, _dim, keepdim, dtype=dtype)


def tensor_norm(self, p="fro", dim=None, keepdim=False, dtype=None):
    return norm(self, p, dim, keepdim, dtype=dtype)
