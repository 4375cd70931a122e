"""torch.save / torch.load in PyTorch's zip format, without ever running code a file names.

A checkpoint is a zip of `<archive>/data.pkl` (a protocol-2 pickle whose persistent ids
('storage', StorageType, key, location, numel) name raw storages `<archive>/data/<key>`),
`<archive>/byteorder` and `<archive>/version`. Loading reads data.pkl with the restricted unpickler
of numtorch._weights_only_unpickler (NOTE [Loading never executes]), whatever `weights_only` says.
Saving emits the opcodes torch emits, one storage per numpy buffer (views keep sharing), into a
temporary file that replaces the target only once it is complete and fsync'ed."""
from __future__ import annotations

import contextlib
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
from typing import BinaryIO, Callable

import numpy as np

from ._core import dtypes as _dt
from ._core import messages
from ._core.device import device as _device
from ._tensor import Size, Tensor, _root_array
from ._weights_only_unpickler import (STORAGE_NAME, LoadedStorage, StorageType, Unpickler,
                                      UnpicklingError, is_parameter)

__all__ = ["save", "load"]


# ---- load ---------------------------------------------------------------------------------------
def load(f, map_location=None, pickle_module=None, *, weights_only=None, mmap=None,
         **pickle_load_args):
    """torch.load for zip checkpoints; weights_only=False loads exactly what True loads."""
    if pickle_module is not None:
        raise RuntimeError(messages.LOAD_PICKLE_MODULE)
    encoding = pickle_load_args.pop("encoding", "utf-8")
    if pickle_load_args:
        raise TypeError(messages.LOAD_UNEXPECTED_KWARG.format(name=next(iter(pickle_load_args))))
    path = os.fspath(f) if isinstance(f, (str, os.PathLike)) else None
    if path is not None and path.endswith(".safetensors"):
        # imported here: numtorch.utils.safetensors imports this module for its atomic writer
        from .utils.safetensors import load_file
        if isinstance(map_location, dict) or callable(map_location):
            raise RuntimeError(messages.LOAD_SAFETENSORS_MAP_LOCATION)
        return load_file(path, device=str(map_location or "cpu"))
    if mmap and path is None:
        raise ValueError(messages.LOAD_MMAP_PATH)
    with (open(path, "rb") if path is not None else contextlib.nullcontext(f)) as fileobj:
        start = fileobj.tell()
        magic = fileobj.read(4)
        fileobj.seek(start)
        if magic != b"PK\x03\x04":
            if mmap:
                raise RuntimeError(messages.LOAD_MMAP_ZIP.format(path=path))
            raise UnpicklingError(messages.LOAD_WEIGHTS_ONLY_FAILED + messages.LOAD_NOT_ZIP)
        try:
            archive = zipfile.ZipFile(fileobj)
        except _ZIP_ERRORS as e:
            raise RuntimeError(messages.ZIP_NO_CENTRAL_DIR) from e
        with archive:
            mapped = np.memmap(path, dtype=np.uint8, mode="c") if mmap else None
            try:
                return _load_archive(archive, fileobj, map_location, mapped, encoding)
            except UnpicklingError as e:
                raise UnpicklingError(messages.LOAD_WEIGHTS_ONLY_FAILED + str(e)) from None


def _load_archive(archive: zipfile.ZipFile, fileobj, map_location, mapped, encoding: str):
    names = archive.namelist()
    prefix = names[0].split("/")[0] + "/" if names and "/" in names[0] else ""
    if prefix + "constants.pkl" in names:
        raise RuntimeError(messages.LOAD_TORCHSCRIPT)
    byteorder = _read_record(archive, prefix + "byteorder") if prefix + "byteorder" in names else b"little"
    if byteorder not in (b"little", b"big"):
        raise ValueError(messages.LOAD_ENDIANNESS.format(byteorder=byteorder.decode("utf-8", "replace")))
    swap = byteorder.decode() != sys.byteorder
    loaded: dict[str, LoadedStorage] = {}

    def persistent_load(pid):
        if type(pid) is not tuple or len(pid) != 5 or pid[0] not in ("storage", b"storage"):
            raise UnpicklingError(messages.LOAD_PERSISTENT_ID.format(pid=pid))
        _, storage_type, key, location, numel = pid
        if isinstance(location, bytes):
            location = location.decode("ascii")
        if (not isinstance(storage_type, StorageType) or type(key) is not str or type(location) is not str
                or type(numel) is not int or numel < 0):
            raise UnpicklingError(messages.LOAD_STORAGE_RECORD.format(pid=pid))
        if key not in loaded:
            dtype = storage_type.dtype or _dt.uint8
            raw = _read_storage(archive, fileobj, f"{prefix}data/{key}", numel * dtype.itemsize,
                                mapped)
            loaded[key] = _restore(LoadedStorage(raw, dtype, swap), location, map_location)
        return loaded[key]

    pickled = _read_record(archive, prefix + "data.pkl")
    return Unpickler(pickled, persistent_load, encoding).load()


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
                raise RuntimeError(messages.LOAD_MAP_LOCATION_RESULT.format(type=type(result).__name__))
            return result
    elif map_location is not None:  # a str or a device
        location = str(map_location)
    location = str(location)
    if location.startswith("cuda"):
        raise RuntimeError(messages.LOAD_CUDA_UNAVAILABLE)
    _device(location)  # numtorch's error for any other device
    return storage


_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError,
               NotImplementedError)


def _info(archive: zipfile.ZipFile, name: str) -> zipfile.ZipInfo:
    try:
        return archive.getinfo(name)
    except KeyError:
        raise RuntimeError(messages.ZIP_NO_RECORD.format(name=name)) from None


def _read_record(archive: zipfile.ZipFile, name: str) -> bytes:
    info = _info(archive, name)
    _check_ratio(info)
    try:
        return archive.read(info)
    except _ZIP_ERRORS as e:
        raise RuntimeError(messages.ZIP_BAD_RECORD.format(name=name, reason=e)) from None


def _check_ratio(info: zipfile.ZipInfo) -> None:
    # deflate compresses at most ~1032:1; a larger claim is a zip bomb, refused before allocating
    if info.compress_type != zipfile.ZIP_STORED and info.file_size > 1100 * info.compress_size + 4096:
        raise RuntimeError(messages.ZIP_BAD_RECORD.format(name=info.filename, reason=messages.ZIP_RATIO))


def _read_storage(archive: zipfile.ZipFile, fileobj, name: str, nbytes: int, mapped) -> np.ndarray:
    """A record's bytes: mapped (mmap=True), else read straight into one array (CRC checked)."""
    info = _info(archive, name)
    if info.file_size != nbytes:
        raise RuntimeError(messages.ZIP_BAD_RECORD.format(
            name=name, reason=messages.ZIP_RECORD_SIZE.format(got=info.file_size, expected=nbytes)))
    if info.compress_type != zipfile.ZIP_STORED:
        return _read_compressed(archive, info, nbytes)
    if mapped is not None:
        start = _record_start(info, bytes(mapped[info.header_offset:info.header_offset + 30]))
        if start + nbytes > mapped.size:
            raise RuntimeError(messages.ZIP_BAD_RECORD.format(name=name, reason=messages.ZIP_PAST_END))
        # through a memoryview, so each record (not the whole file) is the root of its tensors
        return np.frombuffer(memoryview(mapped)[start:start + nbytes], dtype=np.uint8)
    fileobj.seek(info.header_offset)
    fileobj.seek(_record_start(info, fileobj.read(30)))
    buffer = np.empty(nbytes, dtype=np.uint8)
    view, done = memoryview(buffer), 0
    while done < nbytes:
        n = fileobj.readinto(view[done:])
        if not n:
            raise RuntimeError(messages.ZIP_BAD_RECORD.format(name=name, reason=messages.ZIP_PAST_END))
        done += n
    if zlib.crc32(buffer) != info.CRC:
        raise RuntimeError(messages.ZIP_BAD_RECORD.format(name=name, reason=messages.ZIP_CRC))
    return buffer


def _record_start(info: zipfile.ZipInfo, local_header: bytes) -> int:
    if len(local_header) != 30 or local_header[:4] != b"PK\x03\x04":
        raise RuntimeError(messages.ZIP_BAD_RECORD.format(name=info.filename,
                                                          reason=messages.ZIP_LOCAL_HEADER))
    name_length, extra_length = struct.unpack("<HH", local_header[26:30])
    return info.header_offset + 30 + name_length + extra_length


def _read_compressed(archive: zipfile.ZipFile, info: zipfile.ZipInfo, nbytes: int) -> np.ndarray:
    _check_ratio(info)
    buffer = np.empty(nbytes, dtype=np.uint8)
    view = memoryview(buffer)
    try:
        with archive.open(info) as record:
            done = 0
            while done < nbytes:
                n = record.readinto(view[done:done + (1 << 24)])
                if not n:
                    raise EOFError(messages.ZIP_ENDED_EARLY)
                done += n
            record.read(1)  # reach the end of the record, where zipfile checks the CRC
    except _ZIP_ERRORS as e:
        raise RuntimeError(messages.ZIP_BAD_RECORD.format(name=info.filename, reason=e)) from None
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
        elif t is Tensor or is_parameter(obj):
            self._save_tensor(obj)
        else:
            name = f"{t.__module__}.{t.__qualname__}"
            raise pickle.PicklingError(messages.SAVE_UNSUPPORTED_TYPE.format(type=name))

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
                raise pickle.PicklingError(messages.SAVE_WIDE_INT)
            self.out += b"\x8a" + bytes([len(raw)]) + raw

    def _save_tuple(self, obj: tuple) -> None:
        before = len(self.out)
        self._tuple(obj)
        if id(obj) in self.memo:  # a tuple reached through one of its own items
            del self.out[before:]
            raise pickle.PicklingError(messages.SAVE_RECURSIVE_TUPLE)
        self._put(obj)

    def _save_tensor(self, t: Tensor) -> None:
        if is_parameter(t):
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
        self._global("torch", STORAGE_NAME[dtype])
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
            raise RuntimeError(messages.SAVE_SHARED_DTYPES)
        return key, dtype, offset, tuple(strides)


def save(obj, f, pickle_module=pickle, pickle_protocol=2, _use_new_zipfile_serialization=True,
         _disable_byteorder_record=False) -> None:
    """torch.save in the zip format; to a path, atomically (_atomic_write). pickle_module and
    pickle_protocol are accepted and unused: data.pkl is always the protocol-2 pickle torch writes."""
    if not _use_new_zipfile_serialization:
        raise NotImplementedError(messages.SAVE_ZIP_ONLY)
    pickler = _Pickler()
    data = pickler.dump(obj)
    storages = list(pickler.storages.values())

    def write(fileobj: BinaryIO) -> None:
        with zipfile.ZipFile(fileobj, "w", zipfile.ZIP_STORED) as archive:
            _write_record(archive, fileobj, "archive/data.pkl", memoryview(data))
            if not _disable_byteorder_record:
                _write_record(archive, fileobj, "archive/byteorder", memoryview(sys.byteorder.encode()))
            for key, _, flat in storages:
                _write_record(archive, fileobj, f"archive/data/{key}", memoryview(flat.view(np.uint8)))
            _write_record(archive, fileobj, "archive/version", memoryview(b"3\n"))

    if isinstance(f, (str, os.PathLike)):
        _atomic_write(f, write)
    else:
        write(f)


_CHUNK = 1 << 24


def _write_chunk(writer, chunk: memoryview) -> None:
    # every byte of a record goes through here: the seam the crash-safety test slows down
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
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)  # an overwritten file keeps its permissions
    except FileNotFoundError:
        mode = None
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as fileobj:
            if mode is not None:
                os.chmod(tmp, mode)
            write(fileobj)
            fileobj.flush()
            os.fsync(fileobj.fileno())
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
