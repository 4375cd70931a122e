"""cat and stack (variadic inputs: one next_functions entry per tensor); hsplit, vsplit and dsplit."""
from __future__ import annotations

import numpy as np

from .._core import dtypes as dt
from .._tensor import Tensor, _wrap_dim
from .._autograd import views as _views
from .dispatch import Op
from .shape import unsqueeze


def _cat_formula(c, g):
    from .shape import narrow
    out, start = [], 0
    for shape in c.shapes:
        if len(shape) == 1 and shape[0] == 0:  # a skipped legacy empty input: a zeros({0}) grad
            from .creation import zeros
            out.append(zeros(0, dtype=g.dtype))
            continue
        n = shape[c.dim]
        out.append(narrow(g, c.dim, start, n))
        start += n
    return tuple(out)


_CAT_NODES: dict = {}


def _cat_kernel(*arrays, dim, dtype):
    kept = [a.astype(dtype.np, copy=False) for a in arrays if not (a.ndim == 1 and a.shape[0] == 0)]
    if not kept:  # every input a legacy empty (dim was not wrapped): the first one's shape
        return arrays[0].astype(dtype.np)
    return _cat_layout(kept, np.concatenate(kept, axis=dim))


def _channels_last(a) -> bool:
    """c10's is_channels_last_strides_2d/3d on a's element strides (4-d or 5-d a)."""
    st = [s // a.itemsize for s in a.strides]
    order = (1, 3, 2, 0) if a.ndim == 4 else (1, 4, 3, 2, 0)
    low = 0
    if st[1] == 0:
        return False
    for d in order:
        if st[d] == 0 or st[d] < low or (d == 0 and low == st[1]):
            return False
        low = st[d] * (a.shape[d] if a.shape[d] > 1 else 1)
    return True


def _cat_layout(inputs, out):
    """ATen's cat output layout: contiguous, unless every input suggests channels_last(_3d)
    (numpy's concatenate instead follows the inputs' stride order)."""
    if out.ndim in (4, 5) and out.size and all(a.ndim == out.ndim and _channels_last(a) for a in inputs):
        perm = (0,) + tuple(range(2, out.ndim)) + (1,)
        res = np.empty(tuple(out.shape[d] for d in perm), dtype=out.dtype)  # exact strides
        res[...] = out.transpose(perm)
        return res.transpose((0, out.ndim - 1) + tuple(range(1, out.ndim - 1)))
    return out if out.flags.c_contiguous else np.ascontiguousarray(out)


def _cat_op(n):
    op = _CAT_NODES.get(n)
    if op is None:
        names = tuple(f"t{i}" for i in range(n))
        op = Op("cat", _cat_kernel, node="CatBackward0", inputs=names, promote=None, grads={})
        op.node_cls._formula = staticmethod(_cat_formula)
        _CAT_NODES[n] = op
    return op


def cat(tensors, dim=0, *, out=None):
    if not isinstance(tensors, (list, tuple)):
        raise TypeError(f"cat(): argument 'tensors' (position 1) must be tuple of Tensors, not "
                        f"{type(tensors).__name__}")
    tensors = list(tensors)
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    _views.touch_grad_fns(tensors)  # autograd collects the inputs' edges before cat's checks
    for i, t in enumerate(tensors):
        if t.dim() == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
    ref = next((t for t in tensors if not (t.dim() == 1 and t.shape[0] == 0)), tensors[0])
    # ATen's legacy_cat_wrap_dim: when every input is a skipped legacy empty, dim is not checked
    d = dim if ref.dim() == 1 and ref.shape[0] == 0 else _wrap_dim(dim, ref.dim())
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
    _views.touch_grad_fns(tensors)  # autograd collects the inputs' edges before stack's checks
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
    if not len(tensors):
        raise RuntimeError("hstack expects a non-empty TensorList")
    tensors = [t if t.dim() else t.reshape(1) for t in tensors]  # atleast_1d
    return cat(tensors, 0 if tensors[0].dim() == 1 else 1)


def vstack(tensors):
    if not len(tensors):
        raise RuntimeError("vstack expects a non-empty TensorList")
    # atleast_2d: reshape a 0-d tensor (ViewBackward0), unsqueeze a 1-d one
    tensors = [t.reshape(1, 1) if t.dim() == 0 else unsqueeze(t, 0) if t.dim() == 1 else t for t in tensors]
    return cat(tensors, 0)


# ---- hsplit / vsplit / dsplit: tensor_split along a fixed dimension ------------------------------
def _split_arg(name, method, input, arg):
    """torch's argument parser for (int sections) | (tuple of ints indices): a 0-d integer tensor
    counts as an int, a sequence of ints as indices; anything else is the parser's TypeError."""
    from .._core import messages
    if isinstance(arg, Tensor) and arg._data.ndim == 0 and arg._dtype.category == 1:
        return int(arg)
    if isinstance(arg, int) and not isinstance(arg, bool):
        return arg
    if isinstance(arg, (list, tuple)) and all(isinstance(i, int) and not isinstance(i, bool) for i in arg):
        return list(arg)
    got = _type_label(arg)
    if method:
        options = "".join(f" * ({sig})\n      didn't match because some of the arguments have invalid types: "
                          f"(!{got}!)\n" for sig in ("int sections", "tuple of ints indices"))
        raise TypeError(messages.INVALID_ARGS_ONE_OF.format(fn=name, got=got, options=options))
    options = "".join(f" * (Tensor input, {sig})\n      didn't match because some of the arguments have "
                      f"invalid types: (Tensor, !{got}!)\n"
                      for sig in ("int sections", "tuple of ints indices"))
    raise TypeError(messages.INVALID_ARGS_ONE_OF.format(fn=name, got="Tensor, " + got, options=options))


def _type_label(arg) -> str:
    return "Tensor" if isinstance(arg, Tensor) else type(arg).__name__


def _split_spec(method, args, kwargs):
    """The one argument of hsplit & co.: positional, `sections=` or `indices=`; a method also takes
    the indices as varargs (x.hsplit(1, 2))."""
    if len(args) == 1 and not kwargs:
        return args[0]
    if not args and len(kwargs) == 1 and next(iter(kwargs)) in ("sections", "indices"):
        return next(iter(kwargs.values()))
    if method and len(args) > 1 and not kwargs:
        return list(args)
    return _NO_OVERLOAD


_NO_OVERLOAD = object()


def _dim_split(name, min_dims, dim, self, args, kwargs, method):
    from .._core import messages
    from .shape import tensor_split
    spec = _split_spec(method, args, kwargs)
    if spec is _NO_OVERLOAD:  # no overload takes these arguments
        got = ", ".join(([] if method else ["Tensor"]) + [_type_label(a) for a in args]
                        + [f"{k}={_type_label(v)}" for k, v in kwargs.items()])
        head = "" if method else "Tensor input, "
        options = "".join(f" * ({head}{sig})\n" for sig in ("int sections", "tuple of ints indices"))
        raise TypeError(messages.INVALID_ARGS_ONE_OF.format(fn=name, got=got, options=options))
    arg = _split_arg(name, method, self, spec)
    if self._data.ndim < min_dims:
        raise RuntimeError(messages.DIM_SPLIT_MIN_DIMS.format(name=name, min=min_dims, got=self._data.ndim))
    if isinstance(arg, int):
        n = self._data.shape[dim]
        if arg == 0 or n % arg:
            raise RuntimeError(messages.DIM_SPLIT_DIVISIBLE.format(name=name, dim=dim, size=n, split=arg))
    return tensor_split(self, arg, dim)


def hsplit(input, *args, _method=False, **kwargs):
    # torch: a 1-d tensor splits along dim 0, anything larger along dim 1
    return _dim_split("hsplit", 1, 0 if input._data.ndim == 1 else 1, input, args, kwargs, _method)


def vsplit(input, *args, _method=False, **kwargs):
    return _dim_split("vsplit", 2, 0, input, args, kwargs, _method)


def dsplit(input, *args, _method=False, **kwargs):
    return _dim_split("dsplit", 3, 2, input, args, kwargs, _method)
