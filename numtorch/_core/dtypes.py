"""torch dtype objects over numpy dtypes, and PyTorch's type-promotion rules.

A dtype is a singleton; `repr(numtorch.float32) == 'torch.float32'`. bfloat16 has no numpy
counterpart and is not provided (docs/differences.md)."""
from __future__ import annotations

import numpy as np


class dtype:
    __slots__ = ("name", "np", "is_floating_point", "is_complex", "is_signed", "itemsize",
                 "cpp_name", "type_name", "short_name", "category", "string", "__weakref__")

    def __init__(self, name: str, np_dtype, category: int, cpp_name: str, type_name: str,
                 short_name: str) -> None:
        self.name = name
        self.np = np.dtype(np_dtype)
        self.category = category  # 0 bool, 1 integer, 2 floating, 3 complex
        self.is_floating_point = category == 2
        self.is_complex = category == 3
        self.is_signed = name not in ("uint8", "bool")
        self.itemsize = self.np.itemsize
        self.cpp_name = cpp_name        # as C++ prints it in E27 ("float", "long int")
        self.type_name = type_name      # t.type(): "torch.FloatTensor"
        self.short_name = short_name    # ScalarType name: "Float", "Long"
        # C++ Tensor::toString() (the version-counter error E13/E14): the legacy tensor type name
        # where one exists, "CPU<ScalarType>Type" otherwise ("CPUBoolType", "CPUComplexFloatType")
        legacy = ("Byte", "Char", "Short", "Int", "Long", "Half", "Float", "Double")
        self.string = type_name if short_name in legacy else f"CPU{short_name}Type"

    def __repr__(self) -> str:
        return "torch." + self.name

    def __reduce__(self):
        return (_by_name, (self.name,))

    def to_real(self) -> "dtype":
        return {"complex64": float32, "complex128": float64}.get(self.name, self)

    def to_complex(self) -> "dtype":
        return {"float64": complex128}.get(self.name, complex64) if not self.is_complex else self


bool_ = dtype("bool", np.bool_, 0, "bool", "torch.BoolTensor", "Bool")
uint8 = dtype("uint8", np.uint8, 1, "unsigned char", "torch.ByteTensor", "Byte")
int8 = dtype("int8", np.int8, 1, "signed char", "torch.CharTensor", "Char")
int16 = dtype("int16", np.int16, 1, "short int", "torch.ShortTensor", "Short")
int32 = dtype("int32", np.int32, 1, "int", "torch.IntTensor", "Int")
int64 = dtype("int64", np.int64, 1, "long int", "torch.LongTensor", "Long")
float16 = dtype("float16", np.float16, 2, "c10::Half", "torch.HalfTensor", "Half")
float32 = dtype("float32", np.float32, 2, "float", "torch.FloatTensor", "Float")
float64 = dtype("float64", np.float64, 2, "double", "torch.DoubleTensor", "Double")
complex64 = dtype("complex64", np.complex64, 3, "c10::complex<float>", "torch.ComplexFloatTensor",
                  "ComplexFloat")
complex128 = dtype("complex128", np.complex128, 3, "c10::complex<double>",
                   "torch.ComplexDoubleTensor", "ComplexDouble")

ALL = (bool_, uint8, int8, int16, int32, int64, float16, float32, float64, complex64, complex128)
_BY_NP = {d.np: d for d in ALL}
_BY_NAME = {d.name: d for d in ALL}
ALIASES = {"half": float16, "float": float32, "double": float64, "short": int16, "int": int32,
           "long": int64, "cfloat": complex64, "cdouble": complex128, "bool": bool_}


def _by_name(name: str) -> dtype:
    return _BY_NAME[name]


def from_numpy(np_dtype) -> dtype:
    try:
        return _BY_NP[np.dtype(np_dtype)]
    except KeyError:
        # the text is torch's, which also accepts uint16/32/64 (numtorch does not: differences.md)
        raise TypeError(
            f"can't convert np.ndarray of type numpy.{np.dtype(np_dtype).type.__name__}. The only "
            "supported types are: float64, float32, float16, complex64, complex128, int64, int32, "
            "int16, int8, uint64, uint32, uint16, uint8, and bool.") from None


_default = [float32]


def get_default_dtype() -> dtype:
    return _default[0]


def set_default_dtype(d: dtype) -> None:
    if not isinstance(d, dtype):
        raise TypeError("invalid dtype object: only floating-point types are supported as the default type")
    if not d.is_floating_point:
        raise TypeError("only floating-point types are supported as the default type")
    _default[0] = d


def default_complex() -> dtype:
    return complex128 if _default[0] is float64 else complex64


def promote_types(a: dtype, b: dtype) -> dtype:
    """torch.promote_types: numpy's table except that any float beats any integer."""
    if a is b:
        return a
    if a.category != b.category:
        hi, lo = (a, b) if a.category > b.category else (b, a)
        if hi.is_complex and lo.is_floating_point:
            return _BY_NP[np.promote_types(hi.np, lo.np)]
        return hi
    return _BY_NP[np.promote_types(a.np, b.np)]


def scalar_dtype(value) -> dtype:
    """The dtype a Python scalar would have as a tensor."""
    if isinstance(value, (bool, np.bool_)):
        return bool_
    if isinstance(value, (int, np.integer)):
        return int64
    if isinstance(value, (float, np.floating)):
        return _default[0]
    if isinstance(value, complex):
        return default_complex()
    raise TypeError(f"unsupported scalar type {type(value).__name__}")


def _combine(higher: dtype | None, lower: dtype | None) -> dtype | None:
    # c10 ResultTypeState: a lower priority class only matters if it is of a higher category.
    if higher is None:
        return lower
    if lower is None:
        return higher
    if higher.is_complex:
        return higher
    if higher.is_floating_point:
        return higher.to_complex() if lower.is_complex else higher
    if higher is bool_ or lower.category >= 2:
        return promote_types(higher, lower)
    return higher


def result_type(*operands) -> dtype:
    """PyTorch's result type: dimensioned tensors > 0-d tensors > Python scalars, by category."""
    dim = zero = wrapped = None
    for x in operands:
        d = getattr(x, "_dtype", None)
        if d is None:
            s = scalar_dtype(x)
            wrapped = s if wrapped is None else promote_types(wrapped, s)
        elif x._wrapped:  # stored as int64/float64/complex128; counts as a Python scalar
            d = _default[0] if d is float64 else default_complex() if d is complex128 else d
            wrapped = d if wrapped is None else promote_types(wrapped, d)
        elif x._data.ndim:
            dim = d if dim is None else promote_types(dim, d)
        else:
            zero = d if zero is None else promote_types(zero, d)
    return _combine(dim, _combine(zero, wrapped))


def float_result(d: dtype) -> dtype:
    """Result dtype of a floating op (exp, sigmoid, true division) on input dtype d."""
    return d if d.category >= 2 else _default[0]
