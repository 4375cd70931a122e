"""The restricted unpickler numtorch.load runs on data.pkl (torch/_weights_only_unpickler.py).

It interprets the opcodes torch's weights_only unpickler accepts; GLOBAL resolves names only through
_GLOBALS, a table of stand-ins written here (tensor rebuild functions over numpy storages, dtypes,
storage types, containers), so nothing a file names is ever imported or called. Tensors rebuilt on
one storage are numpy views of one array. See NOTE [Loading never executes]."""
from __future__ import annotations

import importlib
import math
import pickle
import struct
import sys
from collections import Counter, OrderedDict
from typing import Any, Callable

import numpy as np

from ._core import dtypes as _dt
from ._core import messages
from ._core.device import device as _device
from ._tensor import Size, Tensor

# NOTE [Loading never executes]
# pickle.Unpickler imports any module.attribute a GLOBAL opcode names and calls whatever REDUCE
# finds on the stack; that is how a checkpoint runs os.system. Here GLOBAL looks the name up in
# _GLOBALS (values written in numtorch/_weights_only_unpickler.py: rebuild functions, dtypes,
# storage types, containers), REDUCE/NEWOBJ call only values from _CALLABLES/_NEW_CLASSES, BUILD
# only sets data attributes on tensors and OrderedDicts, and the opcode set is torch's.
# `weights_only=False` changes nothing.

UnpicklingError = pickle.UnpicklingError


# ---- stand-ins for the globals a checkpoint may name ----------------------------------------
class StorageType:
    """A GLOBAL such as torch.FloatStorage: tells persistent_load the dtype of a storage record."""

    __slots__ = ("name", "dtype")

    def __init__(self, name: str, dtype: _dt.dtype | None) -> None:
        self.name = name
        self.dtype = dtype  # None: torch.storage.UntypedStorage (bytes)

    def __repr__(self) -> str:
        return f"torch.{self.name}"


class LoadedStorage:
    """What a persistent id loads to (torch's TypedStorage): one record's bytes. Typed flat views
    are cached per dtype, so every tensor rebuilt on this storage is a view of the same memory."""

    __slots__ = ("_bytes", "dtype", "_swap", "_typed")

    def __init__(self, raw: np.ndarray, dtype: _dt.dtype, swap: bool) -> None:
        self._bytes = raw
        self.dtype = dtype
        self._swap = swap
        self._typed: dict = {}

    def typed(self, dtype: _dt.dtype) -> np.ndarray:
        flat = self._typed.get(dtype)
        if flat is None:
            n = self._bytes.size // dtype.itemsize
            flat = self._bytes[:n * dtype.itemsize].view(dtype.np)
            if self._swap:
                flat = flat.byteswap()
            self._typed[dtype] = flat
        return flat

    @property
    def device(self) -> _device:
        return _device("cpu")

    def cpu(self) -> "LoadedStorage":
        return self

    def nbytes(self) -> int:
        return self._bytes.size

    def size(self) -> int:
        return self._bytes.size // self.dtype.itemsize

    __len__ = size

    def __repr__(self) -> str:
        return f"LoadedStorage(dtype={self.dtype!r}, size={self.size()})"


_STORAGE_TYPES = {
    "DoubleStorage": _dt.float64, "FloatStorage": _dt.float32, "HalfStorage": _dt.float16,
    "LongStorage": _dt.int64, "IntStorage": _dt.int32, "ShortStorage": _dt.int16,
    "CharStorage": _dt.int8, "ByteStorage": _dt.uint8, "BoolStorage": _dt.bool_,
    "ComplexDoubleStorage": _dt.complex128, "ComplexFloatStorage": _dt.complex64,
}
STORAGE_NAME = {d: name for name, d in _STORAGE_TYPES.items()}


def _parameter_class():
    # nn.Parameter is optional here: numtorch.nn may be absent, and nn imports the package root,
    # which imports this module, so it is looked up when a checkpoint first needs it.
    try:
        return importlib.import_module("numtorch.nn.parameter").Parameter
    except (ImportError, AttributeError):
        return None


class _ParameterGlobal:
    """GLOBAL torch.nn.parameter.Parameter; resolved to numtorch's Parameter when called."""

    def __call__(self, data=None, requires_grad=True):
        return _as_parameter(data, requires_grad)

    def __repr__(self) -> str:
        return "torch.nn.parameter.Parameter"


_PARAMETER = _ParameterGlobal()


def _as_parameter(data, requires_grad) -> Tensor:
    if not isinstance(data, Tensor):
        raise UnpicklingError(messages.UNPICKLE_PARAMETER_DATA.format(type=type(data).__name__))
    cls = _parameter_class()
    if cls is None:  # no numtorch.nn yet: a plain tensor with the flag
        return data.requires_grad_(bool(requires_grad)) if requires_grad else data
    return cls(data, bool(requires_grad))


def _check_dims(storage, storage_offset, size, stride) -> None:
    if not isinstance(storage, LoadedStorage):
        raise UnpicklingError(messages.UNPICKLE_STORAGE.format(type=type(storage).__name__))
    ok = type(storage_offset) is int and storage_offset >= 0
    for dims in (size, stride):
        ok = ok and isinstance(dims, tuple) and all(type(d) is int and d >= 0 for d in dims)
    if not ok or len(size) != len(stride):
        raise UnpicklingError(messages.UNPICKLE_GEOMETRY.format(offset=storage_offset, size=size,
                                                                stride=stride))


def _view(storage: LoadedStorage, dtype: _dt.dtype, storage_offset: int, size, stride) -> Tensor:
    _check_dims(storage, storage_offset, size, stride)
    flat = storage.typed(dtype)
    numel = math.prod(size)
    need = storage_offset + 1 + sum((s - 1) * st for s, st in zip(size, stride)) if numel else 0
    if need > flat.size or storage_offset > flat.size:
        raise RuntimeError(messages.SET_STORAGE_OUT_OF_BOUNDS.format(
            size=list(size), stride=list(stride), offset=storage_offset, itemsize=dtype.itemsize,
            need=need * dtype.itemsize, have=flat.size * dtype.itemsize))
    contiguous = stride == tuple(math.prod(size[i + 1:]) for i in range(len(size)))
    if contiguous or numel == 0:
        array = flat[storage_offset:storage_offset + numel].reshape(size)
    else:
        array = np.lib.stride_tricks.as_strided(flat[storage_offset:], shape=size,
                                                strides=[st * dtype.itemsize for st in stride])
    return Tensor._make(array)


def _finish(t: Tensor, requires_grad, metadata) -> Tensor:
    if metadata:  # torch._utils.set_tensor_metadata: the conj and neg bits (numtorch has neither)
        if not isinstance(metadata, dict):
            raise UnpicklingError(messages.UNPICKLE_METADATA.format(type=type(metadata).__name__))
        data = t._data
        if metadata.get("conj"):
            data = np.conj(data)
        if metadata.get("neg"):
            data = np.negative(data)
        t = Tensor._make(data)
    if requires_grad:
        t.requires_grad_(bool(requires_grad))
    return t


def _rebuild_tensor(storage, storage_offset, size, stride):
    return _view(storage, getattr(storage, "dtype", None), storage_offset, size, stride)


def _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks,
                       metadata=None):
    return _finish(_rebuild_tensor(storage, storage_offset, size, stride), requires_grad, metadata)


def _rebuild_tensor_v3(storage, storage_offset, size, stride, requires_grad, backward_hooks, dtype,
                       metadata=None):
    if not isinstance(dtype, _dt.dtype):
        raise UnpicklingError(messages.UNPICKLE_DTYPE.format(dtype=dtype))
    return _finish(_view(storage, dtype, storage_offset, size, stride), requires_grad, metadata)


def _rebuild_parameter(data, requires_grad, backward_hooks):
    return _as_parameter(data, requires_grad)


def _rebuild_parameter_with_state(data, requires_grad, backward_hooks, state):
    return _set_state(_as_parameter(data, requires_grad), state)


_REBUILDS = (_rebuild_tensor, _rebuild_tensor_v2, _rebuild_tensor_v3, _rebuild_parameter,
             _rebuild_parameter_with_state)


def _rebuild_from_type_v2(func, new_type, args, state):
    if not any(func is f for f in _REBUILDS) or not isinstance(args, tuple):
        raise UnpicklingError(messages.UNPICKLE_REBUILD_FUNC.format(func=func))
    result = func(*args)
    if new_type is _PARAMETER and not is_parameter(result):
        result = _as_parameter(result, result.requires_grad)
    elif new_type is not Tensor and new_type is not _PARAMETER:
        raise UnpicklingError(messages.UNPICKLE_REBUILD_TYPE.format(type=new_type))
    return _set_state(result, state)


def _set_state(obj, state):
    """torch._utils._set_obj_state, limited to data attributes that shadow nothing on the class."""
    if isinstance(state, tuple) and len(state) == 2:
        state = {**(state[0] or {}), **(state[1] or {})}
    if not state:
        return obj
    if not isinstance(state, dict):
        raise UnpicklingError(messages.UNPICKLE_STATE.format(type=type(state).__name__))
    for key, value in state.items():
        if type(key) is not str or key.startswith("__") or hasattr(type(obj), key):
            raise UnpicklingError(messages.UNPICKLE_SET_ATTRIBUTE.format(key=key, type=type(obj).__name__))
        obj.__dict__[key] = value
    return obj


def is_parameter(obj) -> bool:
    cls = getattr(sys.modules.get("numtorch.nn.parameter"), "Parameter", None)
    return cls is not None and isinstance(obj, cls)


def _codecs_encode(obj, encoding="utf-8"):
    # how protocol 2 pickles bytes: _codecs.encode(latin-1 text, "latin1")
    if type(obj) is not str or encoding not in ("latin1", "latin-1", "utf-8", "utf8", "ascii"):
        raise UnpicklingError(messages.UNPICKLE_CODECS.format(type=type(obj).__name__, encoding=encoding))
    return obj.encode(encoding)


def _bytearray(*args):
    if not (args == () or (len(args) == 1 and type(args[0]) is bytes)
            or (len(args) == 2 and type(args[0]) is str and args[1] in ("latin1", "latin-1"))):
        raise UnpicklingError(messages.UNPICKLE_BYTEARRAY)
    return bytearray(*args)


def _device_global(type_: str, index=None):
    if type(type_) is not str or (index is not None and type(index) is not int):
        raise UnpicklingError(messages.UNPICKLE_DEVICE.format(type=type_, index=index))
    return _device(type_, index)


_GLOBALS: dict[str, Any] = {
    "collections.OrderedDict": OrderedDict, "collections.Counter": Counter,
    "torch.nn.parameter.Parameter": _PARAMETER, "torch.Size": Size, "torch.Tensor": Tensor,
    "torch.device": _device_global, "_codecs.encode": _codecs_encode,
    "builtins.bytearray": _bytearray, "builtins.set": set, "builtins.complex": complex,
    "torch._tensor._rebuild_from_type_v2": _rebuild_from_type_v2,
    "torch.storage.UntypedStorage": StorageType("UntypedStorage", None),
    **{f"torch._utils.{f.__name__}": f for f in _REBUILDS},
    **{f"torch.{d.name}": d for d in _dt.ALL},
    **{f"torch.{name}": StorageType(name, d) for name, d in _STORAGE_TYPES.items()},
}
_CALLABLES = (OrderedDict, Counter, Size, set, complex, _bytearray, _codecs_encode, _device_global,
              _rebuild_from_type_v2, _PARAMETER) + _REBUILDS
_NEW_CLASSES = (OrderedDict, Counter, set, complex, Size)
_BLOCKED_MODULES = ("sys", "os", "posix", "nt")
# torch/_utils.py: names Python 2 pickles used
_IMPORT_MAPPING = {"__builtin__": "builtins", "copy_reg": "copyreg", "Queue": "queue", "repr": "reprlib",
                   "_abcoll": "collections.abc", "UserDict": "collections", "UserList": "collections",
                   "UserString": "collections", "whichdb": "dbm", "StringIO": "io", "cStringIO": "io"}
_NAME_MAPPING = {
    ("__builtin__", "xrange"): ("builtins", "range"), ("__builtin__", "reduce"): ("functools", "reduce"),
    ("__builtin__", "intern"): ("sys", "intern"), ("__builtin__", "unichr"): ("builtins", "chr"),
    ("__builtin__", "unicode"): ("builtins", "str"), ("__builtin__", "long"): ("builtins", "int"),
    ("itertools", "izip"): ("builtins", "zip"), ("itertools", "imap"): ("builtins", "map"),
    ("itertools", "ifilter"): ("builtins", "filter"),
    ("itertools", "ifilterfalse"): ("itertools", "filterfalse"),
    ("itertools", "izip_longest"): ("itertools", "zip_longest"),
    ("UserDict", "IterableUserDict"): ("collections", "UserDict"),
    ("UserList", "UserList"): ("collections", "UserList"),
    ("UserString", "UserString"): ("collections", "UserString"),
    ("__builtin__", "basestring"): ("builtins", "str"),
    ("exceptions", "StandardError"): ("builtins", "Exception"),
    ("UserDict", "UserDict"): ("collections", "UserDict"),
}
_TORCH_ONLY_DTYPES = ("bfloat16", "complex32", "uint16", "uint32", "uint64", "qint8", "qint32", "quint8",
                      "quint4x2", "quint2x4", "bits8", "bits16", "bits1x8", "bits2x4", "bits4x2",
                      "float8_e4m3fn", "float8_e4m3fnuz", "float8_e5m2", "float8_e5m2fnuz",
                      "float8_e8m0fnu", "float4_e2m1fn_x2", "per_tensor_affine", "per_tensor_symmetric",
                      "per_channel_affine", "per_channel_symmetric", "per_channel_affine_float_qparams",
                      *(f"uint{i}" for i in range(1, 8)), *(f"int{i}" for i in range(1, 8)))
_TORCH_ONLY = {f"torch.{n}" for n in _TORCH_ONLY_DTYPES} | {
    f"torch._utils._rebuild_{n}" for n in ("qtensor", "sparse_tensor", "meta_tensor_no_storage",
                                           "nested_tensor", "wrapper_subclass", "device_tensor_from_numpy",
                                           "device_tensor_from_cpu_tensor")} | {
    "torch.serialization._get_layout", "torch.storage.TypedStorage", "torch.BFloat16Storage",
    "torch.QInt32Storage", "torch.QInt8Storage", "torch.QUInt2x4Storage", "torch.QUInt4x2Storage",
    "torch.QUInt8Storage"}


def _torch_only(full_path: str) -> bool:
    # torch's allowlist also holds the legacy tensor classes (torch.FloatTensor, torch.cuda.*, ...)
    head, _, name = full_path.rpartition(".")
    legacy = head in ("torch", "torch.cuda", "torch.sparse", "torch.cuda.sparse") and (
        name.endswith("Tensor") and name != "Tensor" or head == "torch.cuda" and name.endswith("Storage"))
    return full_path in _TORCH_ONLY or legacy


def _find_global(module: str, name: str):
    if (module, name) in _NAME_MAPPING:
        module, name = _NAME_MAPPING[(module, name)]
    elif module in _IMPORT_MAPPING:
        module = _IMPORT_MAPPING[module]
    full_path = f"{module}.{name}"
    if module in _BLOCKED_MODULES:
        raise UnpicklingError(messages.UNPICKLE_BLOCKED.format(name=full_path, module=module))
    value = _GLOBALS.get(full_path, _GLOBALS)
    if value is not _GLOBALS:
        return value
    if _torch_only(full_path):
        raise UnpicklingError(messages.UNPICKLE_NO_COUNTERPART.format(name=full_path))
    shown = full_path[len("builtins."):] if full_path.startswith("builtins.") else full_path
    raise UnpicklingError(messages.UNPICKLE_UNSAFE_GLOBAL.format(name=shown))


# ---- the restricted unpickler ------------------------------------------------------------------
_OP = {name: getattr(pickle, name)[0] for name in (
    "PROTO", "STOP", "GLOBAL", "REDUCE", "BUILD", "NEWOBJ", "APPEND", "APPENDS", "SETITEM", "SETITEMS",
    "MARK", "TUPLE", "TUPLE1", "TUPLE2", "TUPLE3", "NONE", "NEWFALSE", "NEWTRUE", "EMPTY_TUPLE",
    "EMPTY_LIST", "EMPTY_DICT", "EMPTY_SET", "BININT", "BININT1", "BININT2", "BINFLOAT", "BINUNICODE",
    "SHORT_BINSTRING", "BINPERSID", "BINGET", "LONG_BINGET", "BINPUT", "LONG_BINPUT", "LONG1")}
_CONSTANTS = {_OP["NONE"]: lambda: None, _OP["NEWFALSE"]: lambda: False, _OP["NEWTRUE"]: lambda: True,
              _OP["EMPTY_TUPLE"]: tuple, _OP["EMPTY_LIST"]: list, _OP["EMPTY_DICT"]: dict,
              _OP["EMPTY_SET"]: set}
_FIXED = {_OP["BININT"]: struct.Struct("<i"), _OP["BININT1"]: struct.Struct("<B"),
          _OP["BININT2"]: struct.Struct("<H"), _OP["BINFLOAT"]: struct.Struct(">d")}


class Unpickler:
    """torch's weights_only Unpickler over a bytes object; see NOTE [Loading never executes]."""

    def __init__(self, data: bytes, persistent_load: Callable, encoding: str = "utf-8") -> None:
        self.data = data
        self.persistent_load = persistent_load
        self.encoding = encoding
        self.pos = 0

    def load(self):
        try:
            return self._run()
        except UnpicklingError:
            raise
        except (IndexError, KeyError, TypeError, ValueError, struct.error, AttributeError,
                OverflowError, RecursionError) as e:
            raise UnpicklingError(messages.UNPICKLE_CORRUPT.format(pos=self.pos, type=type(e).__name__,
                                                                   error=e)) from None

    def _take(self, n: int) -> bytes:
        end = self.pos + n
        if end > len(self.data):
            raise UnpicklingError(messages.UNPICKLE_TRUNCATED)
        chunk = self.data[self.pos:end]
        self.pos = end
        return chunk

    def _line(self) -> str:
        end = self.data.find(b"\n", self.pos)
        if end < 0:
            raise UnpicklingError(messages.UNPICKLE_TRUNCATED)
        line = self.data[self.pos:end].decode("utf-8")
        self.pos = end + 1
        return line

    def _run(self):
        op, memo = _OP, {}
        self.stack, self.metastack = [], []
        while True:
            key = self._take(1)[0]
            stack = self.stack
            if key == op["GLOBAL"]:
                module = self._line()
                stack.append(_find_global(module, self._line()))
            elif key == op["NEWOBJ"]:
                args, cls = stack.pop(), stack.pop()
                if cls is _PARAMETER:
                    stack.append(_PARAMETER(*args))
                elif any(cls is c for c in _NEW_CLASSES):
                    stack.append(cls.__new__(cls, *args))
                else:
                    raise UnpicklingError(messages.UNPICKLE_NEWOBJ.format(cls=cls))
            elif key == op["REDUCE"]:
                args, func = stack.pop(), stack[-1]
                if not any(func is c for c in _CALLABLES):
                    raise UnpicklingError(messages.UNPICKLE_REDUCE.format(func=func))
                if not isinstance(args, tuple):
                    raise UnpicklingError(messages.UNPICKLE_REDUCE_ARGS)
                stack[-1] = func(*args)
            elif key == op["BUILD"]:
                state, inst = stack.pop(), stack[-1]
                if type(inst) not in (OrderedDict, Counter) and not isinstance(inst, Tensor):
                    raise UnpicklingError(messages.UNPICKLE_BUILD.format(type=type(inst)))
                _set_state(inst, state)
            elif key in (op["APPEND"], op["APPENDS"]):
                items = [stack.pop()] if key == op["APPEND"] else self._pop_mark()
                target = self.stack[-1]
                if type(target) is not list:
                    raise UnpicklingError(messages.UNPICKLE_APPEND.format(type=type(target)))
                target.extend(items)
            elif key in (op["SETITEM"], op["SETITEMS"]):
                if key == op["SETITEM"]:
                    items = stack[-2:]
                    del stack[-2:]
                else:
                    items = self._pop_mark()
                target = self.stack[-1]
                if type(target) not in (dict, OrderedDict, Counter) or len(items) % 2:
                    raise UnpicklingError(messages.UNPICKLE_SETITEM.format(type=type(target)))
                for i in range(0, len(items), 2):
                    target[items[i]] = items[i + 1]
            elif key == op["MARK"]:
                self.metastack.append(stack)
                self.stack = []
            elif key == op["TUPLE"]:
                items = self._pop_mark()
                self.stack.append(tuple(items))
            elif key in (op["TUPLE1"], op["TUPLE2"], op["TUPLE3"]):
                n = key - op["TUPLE1"] + 1
                if len(stack) < n:
                    raise UnpicklingError(messages.UNPICKLE_STACK_UNDERFLOW)
                stack[-n:] = [tuple(stack[-n:])]
            elif key in _CONSTANTS:
                stack.append(_CONSTANTS[key]())
            elif key in _FIXED:
                fmt = _FIXED[key]
                stack.append(fmt.unpack(self._take(fmt.size))[0])
            elif key == op["BINUNICODE"]:
                n = struct.unpack("<I", self._take(4))[0]
                stack.append(str(self._take(n), "utf-8", "surrogatepass"))
            elif key == op["SHORT_BINSTRING"]:
                raw = self._take(self._take(1)[0])
                stack.append(raw if self.encoding == "bytes" else raw.decode(self.encoding, "strict"))
            elif key == op["LONG1"]:
                stack.append(int.from_bytes(self._take(self._take(1)[0]), "little", signed=True))
            elif key == op["BINPERSID"]:
                stack.append(self.persistent_load(stack.pop()))
            elif key in (op["BINGET"], op["LONG_BINGET"]):
                i = self._take(1)[0] if key == op["BINGET"] else struct.unpack("<I", self._take(4))[0]
                if i not in memo:
                    raise UnpicklingError(messages.UNPICKLE_MEMO.format(index=i))
                stack.append(memo[i])
            elif key in (op["BINPUT"], op["LONG_BINPUT"]):
                i = self._take(1)[0] if key == op["BINPUT"] else struct.unpack("<I", self._take(4))[0]
                memo[i] = stack[-1]
            elif key == op["PROTO"]:
                self._take(1)
            elif key == op["STOP"]:
                return stack.pop()
            else:
                raise UnpicklingError(messages.UNPICKLE_OPCODE.format(key=key))

    def _pop_mark(self) -> list:
        """The items pushed since the last MARK; the stack below it becomes current again."""
        if not self.metastack:
            raise UnpicklingError(messages.UNPICKLE_NO_MARK)
        items = self.stack
        self.stack = self.metastack.pop()
        return items
