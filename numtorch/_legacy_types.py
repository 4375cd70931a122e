"""The legacy typed constructors `torch.FloatTensor`, `torch.LongTensor`, ...: still common in
tutorials (`torch.LongTensor(idxs)`) and in `isinstance(x, torch.FloatTensor)` checks.

Each is a class whose instances are never made: calling it builds an ordinary Tensor of its dtype,
from a sequence (like `torch.tensor`), from sizes (uninitialised in PyTorch; zeros here), or from
a tensor of the same dtype; `isinstance` is true for tensors of that dtype."""
from __future__ import annotations

from ._core import dtypes, messages
from ._tensor import Tensor


class _TensorType(type):
    def __instancecheck__(cls, obj) -> bool:
        return isinstance(obj, Tensor) and obj._dtype is cls.dtype

    def __call__(cls, *args, **kwargs):
        from ._ops import creation
        if len(args) == 1 and isinstance(args[0], Tensor):
            if args[0]._dtype is not cls.dtype:
                raise TypeError(messages.LEGACY_TYPE_MISMATCH.format(
                    want=cls.dtype.cpp_name, got=args[0]._dtype.cpp_name))
            return args[0]
        if len(args) == 1 and not isinstance(args[0], int):
            return creation.tensor(args[0], dtype=cls.dtype)
        size = kwargs.pop("size", args) or (0,)  # no arguments: an empty 1-D tensor
        return creation.zeros(*size, dtype=cls.dtype)

    def __repr__(cls) -> str:
        return f"<class 'torch.{cls.__name__}'>"


def _make(name: str, dtype) -> type:
    return _TensorType(name, (), {"dtype": dtype, "is_cuda": False, "is_sparse": False,
                                  "__module__": "torch"})


FloatTensor = _make("FloatTensor", dtypes.float32)
DoubleTensor = _make("DoubleTensor", dtypes.float64)
HalfTensor = _make("HalfTensor", dtypes.float16)
LongTensor = _make("LongTensor", dtypes.int64)
IntTensor = _make("IntTensor", dtypes.int32)
ShortTensor = _make("ShortTensor", dtypes.int16)
CharTensor = _make("CharTensor", dtypes.int8)
ByteTensor = _make("ByteTensor", dtypes.uint8)
BoolTensor = _make("BoolTensor", dtypes.bool_)
