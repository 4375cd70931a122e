"""Tensor: a numpy array (shape, strides, dtype; views alias their base's memory) plus autograd
metadata. This module holds properties and autograd-flag logic; operators and methods are bound
onto the class by numtorch._ops.methods, from the op declarations.

Invariants: `_vc` (version counter) is shared by a base, its views and detach(); `.data` gets a
fresh one; inference tensors have `_vc = None`. `is_leaf` iff `grad_fn is None`."""
from __future__ import annotations

import warnings

import numpy as np

from ._autograd import node as _node
from ._autograd import provenance as _provenance
from ._autograd import views as _views
from ._autograd import write_guard as _wg
from ._autograd.hooks import add_hook
from ._core import dtypes as _dt
from ._core import messages
from ._core import zerotensor as _zero
from ._core.callsite import call_site
from ._core.state import STATE, VersionCounter


class Size(tuple):
    """torch.Size: a tuple that prints as torch.Size([2, 3])."""

    def __repr__(self) -> str:
        return f"torch.Size([{', '.join(str(s) for s in self)}])"

    __str__ = __repr__

    def numel(self) -> int:
        n = 1
        for s in self:
            n *= s
        return n

    def __getitem__(self, item):
        r = tuple.__getitem__(self, item)
        return Size(r) if isinstance(item, slice) else r

    def __add__(self, other):
        return Size(tuple(self) + tuple(other))


_new = object.__new__
_BY_NP = _dt._BY_NP


# where a leaf keeps its hooks (an AccumulateGrad reads them from there), a no_grad view the hooks
# nothing will call, and the mark of a tensor whose hook dict exists (see register_hook)
_HOOK_KEYS = frozenset({"_leaf_pre_hooks", "_post_acc_hooks", "_idle_hooks", "_hook_dict"})


class Tensor:
    __slots__ = ("_data", "_dtype", "_vc", "_requires_grad", "_grad_fn", "_output_nr", "_grad",
                 "_accumulator", "_view", "_wrapped", "_retains_grad", "__dict__", "__weakref__")
    __array_priority__ = 1000  # numpy scalars on the left defer to our reflected operators

    def __init__(self, *args, **kwargs) -> None:  # torch.Tensor(2, 3) / torch.Tensor([1, 2])
        from ._ops.creation import legacy_constructor
        legacy_constructor(self, *args, **kwargs)

    @classmethod
    def _make(cls, data: np.ndarray, requires_grad: bool = False, vc=None):
        t = _new(cls)  # (every op's result comes through here: module-level names, chained stores)
        t._data = data
        t._dtype = _BY_NP[data.dtype]
        t._vc = vc if vc is not None else (None if STATE.inference else VersionCounter())
        t._requires_grad = requires_grad
        t._grad_fn = t._grad = t._accumulator = t._view = None
        t._output_nr = 0
        t._wrapped = t._retains_grad = False
        return t

    # ---- storage -------------------------------------------------------------------------
    @property
    def shape(self) -> Size:
        return Size(self._data.shape)

    def size(self, dim=None):
        if dim is None:
            return Size(self._data.shape)
        return self._data.shape[_wrap_dim(dim, self._data.ndim)]

    @property
    def dtype(self):
        return self._dtype

    @property
    def device(self):
        from ._core.device import CPU
        return CPU

    @property
    def is_cuda(self) -> bool:
        return False

    @property
    def ndim(self) -> int:
        return self._data.ndim

    def dim(self) -> int:
        return self._data.ndim

    ndimension = dim

    def numel(self) -> int:
        return self._data.size

    nelement = numel

    def element_size(self) -> int:
        return self._data.itemsize

    def stride(self, dim=None):
        st = _views.torch_strides(self._data)
        return st if dim is None else st[_wrap_dim(dim, self._data.ndim)]

    def data_ptr(self) -> int:
        if self._data.size == 0 or _zero.is_zero(self._data):
            return 0  # torch: an empty tensor's data pointer is null, and a ZeroTensor's
        return self._data.__array_interface__["data"][0]

    def storage_offset(self) -> int:
        root = _root_array(self._data)
        here = self._data.__array_interface__["data"][0]
        return (here - root.__array_interface__["data"][0]) // self._data.itemsize

    def is_contiguous(self, memory_format=None) -> bool:
        return self._data.flags.c_contiguous or self._data.size <= 1

    def untyped_storage(self):
        return _Storage(_root_array(self._data))

    def is_floating_point(self) -> bool:
        return self._dtype.is_floating_point

    def is_complex(self) -> bool:
        return self._dtype.is_complex

    def type(self, dtype=None, non_blocking=False, **kwargs):
        if dtype is None:
            return self._dtype.type_name
        if isinstance(dtype, str):
            name, dtype = dtype, {d.type_name: d for d in _dt.ALL}.get(dtype)
            if dtype is None:
                raise ValueError(f"invalid type: '{name}'")
        return self.to(dtype)

    def is_inference(self) -> bool:
        return self._vc is None

    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __hash__(self) -> int:
        return id(self)

    # ---- conversions -----------------------------------------------------------------------
    def numpy(self, *, force: bool = False) -> np.ndarray:
        if not force and _views.requires_grad(self):  # a no_grad view: its base's flag too
            raise RuntimeError(messages.NUMPY_REQUIRES_GRAD)
        if _zero.is_zero(self._data):  # force=True: the zeros, materialized (and writeable)
            if not force:
                raise RuntimeError(messages.ZERO_TENSOR_NUMPY)
            return np.array(self._data, copy=True)
        if _wg.ACTIVE and self._vc is not None:  # numtorch's write guard (issue 7): a guarded alias
            return _wg.alias(self._data, ".numpy()")
        return self._data

    def __array__(self, dtype=None, copy=None):
        a = self.numpy()
        return a if dtype is None else a.astype(dtype)

    def tolist(self):
        if _zero.is_zero(self._data) and self._data.size:
            raise RuntimeError(messages.ZERO_TENSOR_TOLIST)
        return self._data.tolist()

    def _is_zerotensor(self) -> bool:
        """NOTE [ZeroTensor storage] (numtorch/_core/zerotensor.py)."""
        return _zero.is_zero(self._data)

    def item(self):
        if self._data.size != 1:
            raise RuntimeError(messages.ITEM_NUMEL.format(numel=self._data.size))
        return self._data.reshape(()).item()

    def _scalar(self):
        if self._data.size != 1:
            raise ValueError(messages.SCALAR_NUMEL)
        return self._data.reshape(()).item()

    def __float__(self) -> float:
        return float(self._scalar())

    def __int__(self) -> int:
        return int(self._scalar())

    def __index__(self) -> int:
        if self._dtype.category > 1 or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self._scalar())

    def __bool__(self) -> bool:
        if self._data.size != 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return bool(self._scalar())

    def __complex__(self) -> complex:
        return complex(self._scalar())

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter(self.unbind(0))

    def __format__(self, spec: str) -> str:
        if self._data.ndim == 0:
            return self.item().__format__(spec)
        if spec:
            raise TypeError(messages.FORMAT_SPEC)
        return repr(self)

    def __repr__(self, *, tensor_contents=None) -> str:
        from ._tensor_str import tensor_repr
        try:
            fn = self.grad_fn
            fn_name = None if fn is None else type(fn).__name__
        except RuntimeError:
            fn_name = "Invalid"
        data = self._data
        return tensor_repr(data, dtype_name=self._dtype.name, grad_fn_name=fn_name,
                           requires_grad=_views.requires_grad(self),  # a no_grad view: its base's
                           default_dtype=_dt.get_default_dtype().name)

    __str__ = __repr__

    def __reduce_ex__(self, protocol):
        return (_rebuild, (self._data.copy(), self._requires_grad))

    def __deepcopy__(self, memo):
        if not self.is_leaf:
            raise RuntimeError("Only Tensors created explicitly by the user (graph leaves) support "
                               "the deepcopy protocol at the moment.  If you were attempting to "
                               "deepcopy a module, this may be because of a torch.nn.utils.weight_norm "
                               "usage, see https://github.com/pytorch/pytorch/pull/103001")
        new = type(self)._make(self._data.copy(), self._requires_grad)
        if type(self) is not Tensor:  # a subclass's attributes; hooks stay behind, as in torch
            new.__dict__.update((k, v) for k, v in self.__dict__.items() if k not in _HOOK_KEYS)
        if self._grad is not None:
            new._grad = self._grad.__deepcopy__(memo)
        memo[id(self)] = new
        return new

    # ---- autograd flags -------------------------------------------------------------------
    @property
    def requires_grad(self) -> bool:
        # a view requires grad once its base does (e.g. after a write through another view)
        return self._requires_grad or (self._view is not None and self._view.base._requires_grad)

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        if self._grad_fn is not None:  # C++ is_leaf(): the stored grad_fn, never regenerated
            raise RuntimeError(messages.NONLEAF_REQUIRES_GRAD if not value
                               else messages.NONLEAF_REQUIRES_GRAD_SHORT)
        if value and self._dtype.category < 2:
            raise RuntimeError(messages.SETTER_INT_GRAD)
        if value and self._vc is None and not STATE.inference:
            raise RuntimeError(messages.INFERENCE_REQUIRES_GRAD)
        self._requires_grad = bool(value)

    def requires_grad_(self, requires_grad: bool = True) -> "Tensor":
        if self._grad_fn is not None:  # C++ is_leaf(): the stored grad_fn, never regenerated
            if not requires_grad:
                raise RuntimeError(messages.NONLEAF_REQUIRES_GRAD)
            if self._dtype.category < 2:  # an integer non-leaf (an in-place write recorded it)
                raise RuntimeError(messages.REQUIRES_GRAD_INT)
            return self
        if requires_grad and self._dtype.category < 2:
            raise RuntimeError(messages.REQUIRES_GRAD_INT)
        if requires_grad and self._vc is None and not STATE.inference:
            raise RuntimeError(messages.INFERENCE_REQUIRES_GRAD)
        self._requires_grad = bool(requires_grad)
        return self

    @property
    def grad_fn(self):
        if self._view is not None:
            return _views.view_grad_fn(self)
        return self._grad_fn

    @property
    def is_leaf(self) -> bool:
        return self.grad_fn is None

    @property
    def output_nr(self) -> int:
        return self._output_nr

    @property
    def _version(self) -> int:
        if self._vc is None:
            raise RuntimeError(messages.INFERENCE_VERSION)
        return self._vc.version

    def _bump_version(self, site=None) -> None:
        """site: the write's deferred call site when the caller already has it (an optimizer step
        finds it once for all its parameters: each walk up the frames costs a microsecond)."""
        vc = self._vc
        if vc is not None:
            vc.version += 1
            vc.note_write(call_site(deferred=True) if site is None else site)  # resolved when a note reads it

    @property
    def grad(self):
        g = self._grad
        # C++ is_leaf(): the stored grad_fn (reading grad_fn would regenerate a view's, or raise)
        if g is None and not self._retains_grad and self._grad_fn is not None:
            warnings.warn(messages.W_NONLEAF_GRAD, UserWarning, stacklevel=2)
        return g

    @grad.setter
    def grad(self, value) -> None:
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(messages.GRAD_NOT_TENSOR.format(type=type(value).__name__))
            if value._dtype is not self._dtype:
                raise RuntimeError(messages.GRAD_DTYPE.format(got=value._dtype.cpp_name,
                                                              expected=self._dtype.short_name))
            if value._data.shape != self._data.shape:
                raise RuntimeError(messages.GRAD_SIZE.format(
                    got=list(value._data.shape), expected=list(self._data.shape)))
        self._grad = value

    @grad.deleter
    def grad(self) -> None:
        self._grad = None

    @property
    def retains_grad(self) -> bool:
        return self._retains_grad

    def retain_grad(self) -> None:
        if not self.requires_grad:
            raise RuntimeError(messages.RETAIN_GRAD_NO_GRAD)
        if self._grad_fn is None or self._retains_grad:  # C++ is_leaf(): the stored grad_fn
            return
        fn = self.grad_fn  # a stale no_grad/multi-output view raises here, as in torch
        fn._set_retain_grad(self._output_nr, self)
        self._retains_grad = True

    def register_hook(self, hook):
        if not self.requires_grad:
            raise RuntimeError(messages.HOOK_NO_GRAD)
        # torch reads grad_fn only when it creates the tensor's hook dict (the first hook; the
        # dict exists even when that read raises for a stale no_grad/multi-output view)
        first = "_hook_dict" not in self.__dict__
        self.__dict__["_hook_dict"] = True
        if first and self._view is not None:
            _views.view_grad_fn(self)
        if self._grad_fn is None and not self._requires_grad:
            # a view made under no_grad of a base that requires grad: it requires grad but has
            # no gradient accumulator, so torch keeps the hook where nothing will call it
            from ._autograd.hooks import add_hook
            return add_hook(self.__dict__.setdefault("_idle_hooks", {}), hook)
        if first or self._view is None:
            fn = self.grad_fn
        else:
            try:
                fn = self.grad_fn
            except RuntimeError:  # the stale view's stored node keeps the hooks
                fn = self._grad_fn
        if fn is None:
            fn = _node.grad_accumulator(self)  # keeps the hooks on this leaf, not on the node
        return fn._add_tensor_pre_hook(self._output_nr, hook)

    def register_post_accumulate_grad_hook(self, hook):
        if self.grad_fn is not None:
            raise RuntimeError(messages.POST_ACC_NONLEAF)
        if not self.requires_grad:
            raise RuntimeError(messages.HOOK_NO_GRAD)
        if not self._requires_grad:  # a no_grad view (see register_hook): never called
            return add_hook(self.__dict__.setdefault("_idle_hooks", {}), hook)
        return add_hook(self.__dict__.setdefault("_post_acc_hooks", {}), hook)

    def _is_view(self) -> bool:
        return self._view is not None

    @property
    def _base(self):
        return None if self._view is None else self._view.base

    # ---- detaching ------------------------------------------------------------------------
    def detach(self) -> "Tensor":
        t = Tensor._make(self._data, vc=self._vc)
        t._vc = self._vc
        if _provenance.TRACKING:
            _provenance.record(t, self, "detach()")
        return t

    def detach_(self) -> "Tensor":
        if self._view is not None:
            raise RuntimeError(messages.DETACH_VIEW)
        if _provenance.TRACKING:
            _provenance.record(self, self, "detach_()")
        self._grad_fn = None
        self._requires_grad = False
        self._output_nr = 0
        return self

    @property
    def data(self) -> "Tensor":
        if _wg.ACTIVE and self._vc is not None:  # numtorch's write guard (issue 7): a guarded alias
            t = Tensor._make(_wg.alias(self._data, ".data"), vc=VersionCounter())
        else:
            t = Tensor._make(self._data, vc=VersionCounter() if self._vc is not None else None)
        if _provenance.TRACKING:
            _provenance.record(t, self, ".data")
        return t

    @data.setter
    def data(self, value) -> None:
        if not isinstance(value, Tensor):
            raise TypeError(messages.DATA_NOT_TENSOR.format(type=type(value).__name__))
        if value._dtype.category < 2 and _views.requires_grad(self):  # a view: its base's flag too
            raise RuntimeError(messages.DATA_INT)
        if _wg.TRACKED:  # numtorch's write guard: value's array becomes this tensor's own
            _wg.forget(value._data)
        if value._dtype is not self._dtype:  # torch's set_data: a new grad accumulator
            self._accumulator = None
        self._data = value._data
        self._dtype = value._dtype

    # ---- internal helpers used by the engine and saved tensors -----------------------------
    def _shallow_alias(self) -> "Tensor":
        """A tensor sharing data, dtype and version counter (an inference tensor's None too),
        without history. Set field by field: _make would look the dtype up and make a version
        counter only to drop it (once per saved output, and again each time it is unpacked)."""
        t = _new(Tensor)
        t._data = self._data
        t._dtype = self._dtype
        t._vc = self._vc
        t._requires_grad = self._requires_grad
        t._grad_fn = t._grad = t._accumulator = t._view = None
        t._output_nr = 0
        t._wrapped = t._retains_grad = False
        return t

    def _alias_with_grad_fn(self, node, output_nr: int) -> "Tensor":
        t = self._shallow_alias()
        if self._requires_grad:
            t._grad_fn = node
            t._output_nr = output_nr
        return t

    def _detached_copy(self) -> "Tensor":
        return Tensor._make(np.array(self._data, copy=True))

    def _accumulate_in_place(self, other: "Tensor") -> None:
        np.add(self._data, other._data.astype(self._data.dtype, copy=False), out=self._data,
               casting="unsafe")
        self._bump_version()


class _Storage:
    __slots__ = ("_array",)

    def __init__(self, array: np.ndarray) -> None:
        self._array = array

    def data_ptr(self) -> int:
        if _zero.is_zero(self._array):
            raise RuntimeError(messages.ZERO_TENSOR_DATA_PTR)
        return self._array.__array_interface__["data"][0]

    def nbytes(self) -> int:
        return self._array.nbytes

    def size(self) -> int:
        return self._array.nbytes


def _root_array(a: np.ndarray) -> np.ndarray:
    while True:
        b = a.base
        if not isinstance(b, np.ndarray):
            b = getattr(b, "base", None)  # np.lib.stride_tricks.as_strided wraps its source
            if not isinstance(b, np.ndarray):
                return a
        a = b


def _normalized_strides(shape, strides):
    # numpy gives an inserted size-1 dim stride 0; torch's unsqueeze gives it size*stride of the
    # next dim (1 when last)
    out = list(strides)
    for i in range(len(shape) - 1, -1, -1):
        if shape[i] == 1 and out[i] == 0:
            out[i] = out[i + 1] * shape[i + 1] if i + 1 < len(shape) else 1
    return tuple(out)


def _wrap_dim(dim: int, ndim: int) -> int:
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise IndexError(messages.DIM_RANGE.format(low=-n, high=n - 1, dim=dim))
    return dim % n


def _rebuild(data, requires_grad):
    return Tensor._make(data, requires_grad)
