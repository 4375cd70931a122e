"""torch.save / torch.load in PyTorch's zip format, without ever running code a file names.

A checkpoint is a zip of `<archive>/data.pkl` (a protocol-2 pickle whose persistent ids
('storage', StorageType, key, location, numel) name raw storages `<archive>/data/<key>`),
`<archive>/byteorder` and `<archive>/version`. Loading interprets data.pkl with the opcodes of torch's
weights_only unpickler (torch/_weights_only_unpickler.py); its GLOBALs resolve only through a table
of numtorch stand-ins, so nothing is imported or called that the table does not name. Saving emits
the opcodes torch emits, one storage per numpy buffer (views keep sharing), into a temporary file
that replaces the target only once it is complete and fsync'ed. See NOTE [Loading never executes].
"""
from __future__ import annotations

import contextlib
import importlib
import math
import os
import pickle
import secrets
import stat
import struct
import sys
import zipfile
import zlib
from collections import Counter, OrderedDict
from typing import Any, BinaryIO, Callable

import numpy as np

from ._core import dtypes as _dt
from ._core.device import device as _device
from ._tensor import Size, Tensor, _root_array

__all__ = ["save", "load"]

# NOTE [Loading never executes]
# pickle.Unpickler imports any module.attribute a GLOBAL opcode names and calls whatever REDUCE
# finds on the stack; that is how a checkpoint runs os.system. Here GLOBAL looks the name up in
# _GLOBALS (values written in this module: rebuild functions, dtypes, storage types, containers),
# REDUCE/NEWOBJ call only values from _CALLABLES/_NEW_CLASSES, BUILD only sets data attributes on
# tensors and OrderedDicts, and the opcode set is torch's. `weights_only=False` changes nothing.

# ---- messages (texts of torch/serialization.py and torch/_weights_only_unpickler.py) ---------
_WO_FAILED = ("Weights only load failed. numtorch.load never executes code from a checkpoint "
              "(with weights_only=True or False): it loads tensors, containers and primitives only.\n"
              "WeightsUnpickler error: ")
_UNSAFE_GLOBAL = ("Unsupported global: GLOBAL {name} was not an allowed global by default. numtorch "
                  "has no add_safe_globals: it never imports or calls what a checkpoint names.")
_BLOCKED = "Trying to load unsupported GLOBAL {name} whose module {module} is blocked."
_NO_COUNTERPART = ("GLOBAL {name} is allowed by torch.load(weights_only=True), but numtorch has no "
                   "counterpart for it (bfloat16, quantized, sparse, nested and meta tensors and "
                   "unsigned integers wider than 8 bits are not supported).")
_NO_ZIP = ("numtorch.load: the file is not a zip archive; only the zip format torch.save has written "
           "since PyTorch 1.6 is supported")
_NO_CENTRAL_DIR = "PytorchStreamReader failed reading zip archive: failed finding central directory"
_NO_RECORD = "PytorchStreamReader failed locating file {name}: file not found"
_BAD_RECORD = "PytorchStreamReader failed reading file {name}: {reason}"
_CUDA = ("Attempting to deserialize object on a CUDA device but torch.cuda.is_available() is False. "
         "If you are running on a CPU-only machine, please use torch.load with "
         "map_location=torch.device('cpu') to map your storages to the CPU.")
_OUT_OF_BOUNDS = ("setStorage: sizes {size}, strides {stride}, storage offset {offset}, and itemsize "
                  "{itemsize} requiring a storage size of {need} are out of bounds for storage of size "
                  "{have}")
_SHARED_DTYPES = "Cannot save multiple tensors or storages that view the same data as different types"
_CANNOT_SAVE = ("numtorch.save writes only what torch.load(weights_only=True) reads (tensors, "
                "Parameters, dtypes, torch.Size, devices, containers and primitives); got {type}")

UnpicklingError = pickle.UnpicklingError


# ---- stand-ins for the globals a checkpoint may name ----------------------------------------
class _StorageType:
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
        return f"numtorch.serialization.LoadedStorage(dtype={self.dtype!r}, size={self.size()})"


_STORAGE_TYPES = {
    "DoubleStorage": _dt.float64, "FloatStorage": _dt.float32, "HalfStorage": _dt.float16,
    "LongStorage": _dt.int64, "IntStorage": _dt.int32, "ShortStorage": _dt.int16,
    "CharStorage": _dt.int8, "ByteStorage": _dt.uint8, "BoolStorage": _dt.bool_,
    "ComplexDoubleStorage": _dt.complex128, "ComplexFloatStorage": _dt.complex64,
}
_STORAGE_NAME = {d: name for name, d in _STORAGE_TYPES.items()}


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
        raise UnpicklingError(f"Parameter data must be a tensor, got {type(data).__name__}")
    cls = _parameter_class()
    if cls is None:  # no numtorch.nn yet: a plain tensor with the flag
        return data.requires_grad_(bool(requires_grad)) if requires_grad else data
    return cls(data, bool(requires_grad))


def _check_dims(storage, storage_offset, size, stride) -> None:
    if not isinstance(storage, LoadedStorage):
        raise UnpicklingError(f"expected a storage to rebuild a tensor from, got {type(storage).__name__}")
    ok = type(storage_offset) is int and storage_offset >= 0
    for dims in (size, stride):
        ok = ok and isinstance(dims, tuple) and all(type(d) is int and d >= 0 for d in dims)
    if not ok or len(size) != len(stride):
        raise UnpicklingError(f"invalid tensor geometry: storage offset {storage_offset!r}, "
                              f"size {size!r}, stride {stride!r}")


def _view(storage: LoadedStorage, dtype: _dt.dtype, storage_offset: int, size, stride) -> Tensor:
    _check_dims(storage, storage_offset, size, stride)
    flat = storage.typed(dtype)
    numel = math.prod(size)
    need = storage_offset + 1 + sum((s - 1) * st for s, st in zip(size, stride)) if numel else 0
    if need > flat.size or storage_offset > flat.size:
        raise RuntimeError(_OUT_OF_BOUNDS.format(size=list(size), stride=list(stride),
                                                 offset=storage_offset, itemsize=dtype.itemsize,
                                                 need=need * dtype.itemsize,
                                                 have=flat.size * dtype.itemsize))
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
            raise UnpicklingError(f"tensor metadata must be a dict, got {type(metadata).__name__}")
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
        raise UnpicklingError(f"expected a dtype, got {dtype!r}")
    return _finish(_view(storage, dtype, storage_offset, size, stride), requires_grad, metadata)


def _rebuild_parameter(data, requires_grad, backward_hooks):
    return _as_parameter(data, requires_grad)


def _rebuild_parameter_with_state(data, requires_grad, backward_hooks, state):
    return _set_state(_as_parameter(data, requires_grad), state)


_REBUILDS = (_rebuild_tensor, _rebuild_tensor_v2, _rebuild_tensor_v3, _rebuild_parameter,
             _rebuild_parameter_with_state)


def _rebuild_from_type_v2(func, new_type, args, state):
    if not any(func is f for f in _REBUILDS) or not isinstance(args, tuple):
        raise UnpicklingError(f"_rebuild_from_type_v2 called with {func!r}, which is not a tensor rebuild")
    result = func(*args)
    if new_type is _PARAMETER and not _is_parameter(result):
        result = _as_parameter(result, result.requires_grad)
    elif new_type is not Tensor and new_type is not _PARAMETER:
        raise UnpicklingError(f"cannot rebuild a tensor of type {new_type!r}")
    return _set_state(result, state)


def _set_state(obj, state):
    """torch._utils._set_obj_state, limited to data attributes that shadow nothing on the class."""
    if isinstance(state, tuple) and len(state) == 2:
        state = {**(state[0] or {}), **(state[1] or {})}
    if not state:
        return obj
    if not isinstance(state, dict):
        raise UnpicklingError(f"object state must be a dict, got {type(state).__name__}")
    for key, value in state.items():
        if type(key) is not str or key.startswith("__") or hasattr(type(obj), key):
            raise UnpicklingError(f"refusing to set attribute {key!r} on {type(obj).__name__}")
        obj.__dict__[key] = value
    return obj


def _is_parameter(obj) -> bool:
    cls = getattr(sys.modules.get("numtorch.nn.parameter"), "Parameter", None)
    return cls is not None and isinstance(obj, cls)


def _codecs_encode(obj, encoding="utf-8"):
    # how protocol 2 pickles bytes: _codecs.encode(latin-1 text, "latin1")
    if type(obj) is not str or encoding not in ("latin1", "latin-1", "utf-8", "utf8", "ascii"):
        raise UnpicklingError(f"_codecs.encode is only allowed for text, got {type(obj).__name__} "
                              f"with encoding {encoding!r}")
    return obj.encode(encoding)


def _bytearray(*args):
    if not (args == () or (len(args) == 1 and type(args[0]) is bytes)
            or (len(args) == 2 and type(args[0]) is str and args[1] in ("latin1", "latin-1"))):
        raise UnpicklingError("bytearray is only allowed from bytes")
    return bytearray(*args)


def _device_global(type_: str, index=None):
    if type(type_) is not str or (index is not None and type(index) is not int):
        raise UnpicklingError(f"invalid device {type_!r}, {index!r}")
    return _device(type_, index)


_UNTYPED = _StorageType("UntypedStorage", None)
_GLOBALS: dict[str, Any] = {
    "collections.OrderedDict": OrderedDict, "collections.Counter": Counter,
    "torch.nn.parameter.Parameter": _PARAMETER, "torch.Size": Size, "torch.Tensor": Tensor,
    "torch.device": _device_global, "_codecs.encode": _codecs_encode,
    "builtins.bytearray": _bytearray, "builtins.set": set, "builtins.complex": complex,
    "torch._tensor._rebuild_from_type_v2": _rebuild_from_type_v2,
    "torch.storage.UntypedStorage": _UNTYPED, "torch.UntypedStorage": _UNTYPED,
    **{f"torch._utils.{f.__name__}": f for f in _REBUILDS},
    **{f"torch.{d.name}": d for d in _dt.ALL},
    **{f"torch.{name}": _StorageType(name, d) for name, d in _STORAGE_TYPES.items()},
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
        raise UnpicklingError(_BLOCKED.format(name=full_path, module=module))
    value = _GLOBALS.get(full_path, _GLOBALS)
    if value is not _GLOBALS:
        return value
    if _torch_only(full_path):
        raise UnpicklingError(_NO_COUNTERPART.format(name=full_path))
    shown = full_path[len("builtins."):] if full_path.startswith("builtins.") else full_path
    raise UnpicklingError(_UNSAFE_GLOBAL.format(name=shown))


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


class _Unpickler:
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
            raise UnpicklingError(f"corrupt pickle data at byte {self.pos}: "
                                  f"{type(e).__name__}: {e}") from None

    def _take(self, n: int) -> bytes:
        end = self.pos + n
        if end > len(self.data):
            raise UnpicklingError("pickle data was truncated")
        chunk = self.data[self.pos:end]
        self.pos = end
        return chunk

    def _line(self) -> str:
        end = self.data.find(b"\n", self.pos)
        if end < 0:
            raise UnpicklingError("pickle data was truncated")
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
                    raise UnpicklingError(f"Can only create new object for nn.Parameter or the allowed "
                                          f"containers but got {cls!r}")
            elif key == op["REDUCE"]:
                args, func = stack.pop(), stack[-1]
                if not any(func is c for c in _CALLABLES):
                    raise UnpicklingError(f"Trying to call reduce for unrecognized function {func!r}")
                if not isinstance(args, tuple):
                    raise UnpicklingError("REDUCE arguments must be a tuple")
                stack[-1] = func(*args)
            elif key == op["BUILD"]:
                state, inst = stack.pop(), stack[-1]
                if type(inst) not in (OrderedDict, Counter) and not isinstance(inst, Tensor):
                    raise UnpicklingError(f"Can only build Tensor, Parameter or OrderedDict, but got "
                                          f"{type(inst)}")
                _set_state(inst, state)
            elif key in (op["APPEND"], op["APPENDS"]):
                items = [stack.pop()] if key == op["APPEND"] else self._pop_mark()
                target = self.stack[-1]
                if type(target) is not list:
                    raise UnpicklingError(f"Can only append to lists, but got {type(target)}")
                target.extend(items)
            elif key in (op["SETITEM"], op["SETITEMS"]):
                if key == op["SETITEM"]:
                    items = stack[-2:]
                    del stack[-2:]
                else:
                    items = self._pop_mark()
                target = self.stack[-1]
                if type(target) not in (dict, OrderedDict, Counter) or len(items) % 2:
                    raise UnpicklingError(f"Can only SETITEM for dict, collections.OrderedDict, "
                                          f"collections.Counter, but got {type(target)}")
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
                    raise UnpicklingError("stack underflow")
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
                    raise UnpicklingError(f"Memo value not found at index {i}")
                stack.append(memo[i])
            elif key in (op["BINPUT"], op["LONG_BINPUT"]):
                i = self._take(1)[0] if key == op["BINPUT"] else struct.unpack("<I", self._take(4))[0]
                memo[i] = stack[-1]
            elif key == op["PROTO"]:
                self._take(1)
            elif key == op["STOP"]:
                return stack.pop()
            else:
                raise UnpicklingError(f"Unsupported operand {key}")

    def _pop_mark(self) -> list:
        """The items pushed since the last MARK; the stack below it becomes current again."""
        if not self.metastack:
            raise UnpicklingError("could not find MARK")
        items = self.stack
        self.stack = self.metastack.pop()
        return items


# ---- load ---------------------------------------------------------------------------------------
def load(f, map_location=None, pickle_module=None, *, weights_only=None, mmap=None,
         **pickle_load_args):
    """torch.load for zip checkpoints; weights_only=False loads exactly what True loads."""
    if pickle_module is not None:
        raise RuntimeError("Can not safely load weights when explicit pickle_module is specified")
    encoding = pickle_load_args.pop("encoding", "utf-8")
    if pickle_load_args:
        raise TypeError(f"load() got an unexpected keyword argument '{next(iter(pickle_load_args))}'")
    path = os.fspath(f) if isinstance(f, (str, os.PathLike)) else None
    if path is not None and path.endswith(".safetensors"):
        # imported here: numtorch.utils.safetensors imports this module for its atomic writer
        from .utils.safetensors import load_file
        if isinstance(map_location, dict) or callable(map_location):
            raise RuntimeError("Loading safetensors file with dict or callable map_location is not "
                               "supported. Use a device string or torch.device instead.")
        return load_file(path, device=str(map_location or "cpu"))
    if mmap and path is None:
        raise ValueError("f must be a file path in order to use the mmap argument")
    with (open(path, "rb") if path is not None else contextlib.nullcontext(f)) as fileobj:
        start = fileobj.tell()
        magic = fileobj.read(4)
        fileobj.seek(start)
        if magic != b"PK\x03\x04":
            if mmap:
                raise RuntimeError("mmap can only be used with files saved with "
                                   f"`torch.save({path}, _use_new_zipfile_serialization=True), please "
                                   "torch.save your checkpoint with this option in order to use mmap.")
            raise UnpicklingError(_WO_FAILED + _NO_ZIP)
        try:
            archive = zipfile.ZipFile(fileobj)
        except (zipfile.BadZipFile, EOFError, OSError, ValueError) as e:
            raise RuntimeError(_NO_CENTRAL_DIR) from e
        with archive:
            mapped = np.memmap(path, dtype=np.uint8, mode="c") if mmap else None
            try:
                return _load_archive(archive, map_location, mapped, encoding)
            except UnpicklingError as e:
                raise UnpicklingError(_WO_FAILED + str(e)) from None


def _load_archive(archive: zipfile.ZipFile, map_location, mapped, encoding: str):
    names = archive.namelist()
    prefix = names[0].split("/")[0] + "/" if names and "/" in names[0] else ""
    if prefix + "constants.pkl" in names:
        raise RuntimeError("numtorch.load cannot load TorchScript archives")
    byteorder = _read_record(archive, prefix + "byteorder") if prefix + "byteorder" in names else b"little"
    if byteorder not in (b"little", b"big"):
        raise ValueError("Unknown endianness type: " + byteorder.decode("utf-8", "replace"))
    swap = byteorder.decode() != sys.byteorder
    loaded: dict[str, LoadedStorage] = {}

    def persistent_load(pid):
        if type(pid) is not tuple or len(pid) != 5 or pid[0] not in ("storage", b"storage"):
            raise UnpicklingError(f"Only persistent_load of storage is allowed, but got {pid!r:.80}")
        _, storage_type, key, location, numel = pid
        if isinstance(location, bytes):
            location = location.decode("ascii")
        if (not isinstance(storage_type, _StorageType) or type(key) is not str or type(location) is not str
                or type(numel) is not int or numel < 0):
            raise UnpicklingError(f"invalid storage record {pid!r:.120}")
        if key not in loaded:
            dtype = storage_type.dtype or _dt.uint8
            raw = _read_storage(archive, f"{prefix}data/{key}", numel * dtype.itemsize, mapped)
            loaded[key] = _restore(LoadedStorage(raw, dtype, swap), location, map_location)
        return loaded[key]

    pickled = _read_record(archive, prefix + "data.pkl")
    return _Unpickler(pickled, persistent_load, encoding).load()


def _restore(storage: LoadedStorage, location: str, map_location) -> LoadedStorage:
    """torch.serialization._get_restore_location, for a library whose only device is the CPU."""
    if isinstance(map_location, dict):
        location = map_location.get(location, location)
    elif isinstance(map_location, bytes):
        location = map_location.decode()
    elif callable(map_location):
        result = map_location(storage, location)
        if result is not None:
            if not isinstance(result, LoadedStorage):
                raise RuntimeError(f"map_location must return a storage it was given or None, got "
                                   f"{type(result).__name__}")
            return result
    elif map_location is not None:  # a str or a device
        location = str(map_location)
    location = str(location)
    if location.startswith("cuda"):
        raise RuntimeError(_CUDA)
    _device(location)  # numtorch's error for any other device
    return storage


_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError,
               NotImplementedError)


def _info(archive: zipfile.ZipFile, name: str) -> zipfile.ZipInfo:
    try:
        return archive.getinfo(name)
    except KeyError:
        raise RuntimeError(_NO_RECORD.format(name=name)) from None


def _read_record(archive: zipfile.ZipFile, name: str) -> bytes:
    info = _info(archive, name)
    _check_ratio(info)
    try:
        return archive.read(info)
    except _ZIP_ERRORS as e:
        raise RuntimeError(_BAD_RECORD.format(name=name, reason=e)) from None


def _check_ratio(info: zipfile.ZipInfo) -> None:
    # deflate compresses at most ~1032:1; a larger claim is a zip bomb, refused before allocating
    if info.compress_type != zipfile.ZIP_STORED and info.file_size > 1100 * info.compress_size + 4096:
        raise RuntimeError(_BAD_RECORD.format(name=info.filename, reason="implausible compression ratio"))


def _read_storage(archive: zipfile.ZipFile, name: str, nbytes: int, mapped) -> np.ndarray:
    info = _info(archive, name)
    if info.file_size != nbytes:
        raise RuntimeError(_BAD_RECORD.format(
            name=name, reason=f"the record holds {info.file_size} bytes, the checkpoint expects {nbytes}"))
    if mapped is not None and info.compress_type == zipfile.ZIP_STORED:
        header = info.header_offset
        local = bytes(mapped[header:header + 30])
        if len(local) != 30 or local[:4] != b"PK\x03\x04":
            raise RuntimeError(_BAD_RECORD.format(name=name, reason="invalid local file header"))
        start = header + 30 + struct.unpack("<H", local[26:28])[0] + struct.unpack("<H", local[28:30])[0]
        if start + nbytes > mapped.size:
            raise RuntimeError(_BAD_RECORD.format(name=name, reason="record runs past the end of file"))
        # through a memoryview, so each record (not the whole file) is the root of its tensors
        return np.frombuffer(memoryview(mapped)[start:start + nbytes], dtype=np.uint8)
    _check_ratio(info)
    buffer = np.empty(nbytes, dtype=np.uint8)
    view = memoryview(buffer)
    try:
        with archive.open(info) as record:
            done = 0
            while done < nbytes:
                n = record.readinto(view[done:done + (1 << 24)])
                if not n:
                    raise EOFError("record ended early")
                done += n
            record.read(1)  # reach the end of the record, where zipfile checks the CRC
    except _ZIP_ERRORS as e:
        raise RuntimeError(_BAD_RECORD.format(name=name, reason=e)) from None
    return buffer


# ---- save ---------------------------------------------------------------------------------------
class _Pickler:
    """Emits the protocol-2 opcodes torch.save's pickler writes for the objects weights_only loads.
    Storages are the root numpy arrays of the tensors: tensors sharing one are written once."""

    def __init__(self) -> None:
        self.out = bytearray()
        self.memo: dict[int, int] = {}
        self.alive: list = []  # keeps memoized objects alive so their ids stay unique
        self.storages: dict[int, tuple[str, _dt.dtype, np.ndarray]] = {}

    def dump(self, obj) -> bytes:
        self.out += b"\x80\x02"
        self.save(obj)
        self.out += b"."
        return bytes(self.out)

    def _put(self, obj) -> None:
        i = len(self.memo)
        self.memo[id(obj)] = i
        self.alive.append(obj)
        self.out += b"q" + bytes([i]) if i < 256 else b"r" + struct.pack("<I", i)

    def _global(self, module: str, name: str) -> None:
        self.out += b"c" + module.encode() + b"\n" + name.encode() + b"\n"

    def _call(self, module: str, name: str, *args) -> None:
        self._global(module, name)
        self._tuple(args)
        self.out += b"R"

    def _tuple(self, items) -> None:
        if not items:
            self.out += b")"
            return
        if len(items) > 3:
            self.out += b"("
        for item in items:
            self.save(item)
        self.out += b"t" if len(items) > 3 else bytes([0x84 + len(items)])

    def _items(self, items: list, opcode: bytes) -> None:
        for start in range(0, len(items), 1000):  # pickle's batch size
            self.out += b"("
            for item in items[start:start + 1000]:
                self.save(item)
            self.out += opcode

    def save(self, obj) -> None:
        i = self.memo.get(id(obj))
        if i is not None:
            self.out += b"h" + bytes([i]) if i < 256 else b"j" + struct.pack("<I", i)
            return
        t = type(obj)
        if obj is None:
            self.out += b"N"
        elif t is bool:
            self.out += b"\x88" if obj else b"\x89"
        elif t is int:
            self._int(obj)
        elif t is float:
            self.out += b"G" + struct.pack(">d", obj)
        elif t is str:
            raw = obj.encode("utf-8", "surrogatepass")
            self.out += b"X" + struct.pack("<I", len(raw)) + raw
        elif t is bytes:
            self._call("_codecs", "encode", obj.decode("latin1"), "latin1")
        elif t is bytearray:
            self._call("builtins", "bytearray", bytes(obj))
        elif t is complex:
            self._call("builtins", "complex", obj.real, obj.imag)
        elif t is tuple:
            self._save_tuple(obj)
        elif t is list:
            self.out += b"]"
            self._put(obj)
            self._items(obj, b"e")
        elif t is dict:
            self.out += b"}"
            self._put(obj)
            self._items([x for kv in obj.items() for x in kv], b"u")
        elif t is OrderedDict:
            self._call("collections", "OrderedDict")
            self._put(obj)
            self._items([x for kv in obj.items() for x in kv], b"u")
            if vars(obj):  # a state_dict's _metadata
                self.save(dict(vars(obj)))
                self.out += b"b"
        elif t is Counter:
            self._call("collections", "Counter", dict(obj))
            self._put(obj)
        elif t is set:
            self._call("builtins", "set", list(obj))
            self._put(obj)
        elif t is Size:
            self._call("torch", "Size", tuple(obj))
        elif t is _device:
            self._call("torch", "device", *((obj.type,) if obj.index is None else (obj.type, obj.index)))
        elif t is _dt.dtype:
            self._global("torch", obj.name)
        elif t is Tensor or _is_parameter(obj):
            self._save_tensor(obj)
        else:
            raise pickle.PicklingError(_CANNOT_SAVE.format(type=f"{t.__module__}.{t.__qualname__}"))

    def _int(self, n: int) -> None:
        if 0 <= n < 256:
            self.out += b"K" + bytes([n])
        elif 0 <= n < 65536:
            self.out += b"M" + struct.pack("<H", n)
        elif -(1 << 31) <= n < (1 << 31):
            self.out += b"J" + struct.pack("<i", n)
        else:
            raw = n.to_bytes((n.bit_length() + 8) // 8, "little", signed=True)
            if len(raw) > 255:
                raise pickle.PicklingError("numtorch.save cannot save integers wider than 2040 bits")
            self.out += b"\x8a" + bytes([len(raw)]) + raw

    def _save_tuple(self, obj: tuple) -> None:
        before = len(self.out)
        self._tuple(obj)
        if id(obj) in self.memo:  # a tuple reached through one of its own items
            del self.out[before:]
            raise pickle.PicklingError("numtorch.save cannot save a tuple that contains itself")
        self._put(obj)

    def _save_tensor(self, t: Tensor) -> None:
        if _is_parameter(t):
            self._global("torch._utils", "_rebuild_parameter")
            self._tensor_v2(t, False)
            self.out += b"\x88" if t.requires_grad else b"\x89"
            self._call("collections", "OrderedDict")
            self.out += b"\x87R"
        else:
            self._tensor_v2(t, t.requires_grad)
        self._put(t)

    def _tensor_v2(self, t: Tensor, requires_grad: bool) -> None:
        key, dtype, offset, stride = self._storage(t)
        numel = self.storages[key][2].size
        self._global("torch._utils", "_rebuild_tensor_v2")
        self.out += b"((X\x07\x00\x00\x00storage"
        self._global("torch", _STORAGE_NAME[dtype])
        self.save(self.storages[key][0])
        self.out += b"X\x03\x00\x00\x00cpu"
        self._int(numel)
        self.out += b"tQ"
        self._int(offset)
        self._tuple(tuple(t.shape))
        self._tuple(stride)
        self.out += b"\x88" if requires_grad else b"\x89"
        self._call("collections", "OrderedDict")
        self.out += b"tR"

    def _storage(self, t: Tensor):
        """(storage id, dtype, storage offset, strides) of t, in elements of t's dtype."""
        a, dtype = t._data, t.dtype
        size = dtype.itemsize
        root = _root_array(a)
        base = root.__array_interface__["data"][0]
        offset, rem = divmod(a.__array_interface__["data"][0] - base, size)
        # a dim of size <= 1 takes any stride; torch's (t.stride()) is written for it
        strides = [st // size if n > 1 else max(ts, 0) for st, ts, n in zip(a.strides, t.stride(), a.shape)]
        numel = root.nbytes // size
        extent = offset + sum((n - 1) * st for n, st in zip(a.shape, strides)) + 1 if a.size else offset
        shareable = (rem == 0 and root.nbytes % size == 0 and 0 <= offset and extent <= numel
                     and (root.flags.c_contiguous or root.flags.f_contiguous)
                     and all(st >= 0 and st % size == 0 for st, n in zip(a.strides, a.shape) if n > 1))
        if not shareable:  # memory numpy made that no torch storage can describe: a compact copy
            copy = np.ascontiguousarray(a).reshape(-1)
            key = id(copy)
            self.storages[key] = (str(len(self.storages)), dtype, copy)
            self.alive.append(copy)
            return key, dtype, 0, tuple(math.prod(a.shape[i + 1:]) for i in range(a.ndim))
        key = id(root)
        entry = self.storages.get(key)
        if entry is None:
            flat = (root if root.flags.c_contiguous else root.T).reshape(-1).view(np.uint8).view(dtype.np)
            self.storages[key] = (str(len(self.storages)), dtype, flat)
            self.alive.append(root)
        elif entry[1] is not dtype:
            raise RuntimeError(_SHARED_DTYPES)
        return key, dtype, offset, tuple(strides)


def save(obj, f, pickle_module=pickle, pickle_protocol=2, _use_new_zipfile_serialization=True,
         _disable_byteorder_record=False) -> None:
    """torch.save in the zip format. To a path, the write is atomic (see _atomic_write)."""
    if not _use_new_zipfile_serialization:
        raise NotImplementedError("numtorch.save writes only the zip format "
                                  "(_use_new_zipfile_serialization=True)")
    pickler = _Pickler()
    data = pickler.dump(obj)
    storages = list(pickler.storages.values())

    def write(fileobj: BinaryIO) -> None:
        name = "archive"
        with zipfile.ZipFile(fileobj, "w", zipfile.ZIP_STORED) as archive:
            _write_record(archive, fileobj, f"{name}/data.pkl", memoryview(data))
            if not _disable_byteorder_record:
                _write_record(archive, fileobj, f"{name}/byteorder", memoryview(sys.byteorder.encode()))
            for key, _, flat in storages:
                _write_record(archive, fileobj, f"{name}/data/{key}", memoryview(flat.view(np.uint8)))
            _write_record(archive, fileobj, f"{name}/version", memoryview(b"3\n"))

    if isinstance(f, (str, os.PathLike)):
        _atomic_write(f, write)
    else:
        write(f)


_CHUNK = 1 << 24


def _write_chunk(writer, chunk: memoryview) -> None:
    writer.write(chunk)


def _write_record(archive: zipfile.ZipFile, fileobj, name: str, data: memoryview) -> None:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED
    info.file_size = data.nbytes
    try:
        start = fileobj.tell()
    except (OSError, AttributeError):
        start = None
    if start is not None:  # pad the local header so the data starts 64-byte aligned, as torch does
        zip64 = 20 if data.nbytes * 1.05 > zipfile.ZIP64_LIMIT else 0
        pad = -(start + 30 + len(name.encode()) + zip64 + 4) % 64
        info.extra = b"FB" + struct.pack("<H", pad) + b"Z" * pad
    with archive.open(info, "w") as writer:
        for begin in range(0, data.nbytes, _CHUNK):
            _write_chunk(writer, data[begin:begin + _CHUNK])


def _atomic_write(path, write: Callable[[BinaryIO], None]) -> None:
    """Write a file through `write(fileobj)` so that a crash leaves the previous file intact: a
    temporary file in the same folder is written, flushed and fsync'ed, then os.replace'd over the
    target (a symlinked target is written through, keeping the link)."""
    target = os.path.realpath(os.fspath(path))
    folder = os.path.dirname(target)
    tmp = os.path.join(folder, f".{os.path.basename(target)}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as fileobj:
            write(fileobj)
            fileobj.flush()
            os.fsync(fileobj.fileno())
        try:
            os.chmod(tmp, stat.S_IMODE(os.stat(target).st_mode))
        except FileNotFoundError:
            pass
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:  # make the rename itself durable
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


# numtorch.utils.safetensors writes its files the same way
atomic_write = _atomic_write
