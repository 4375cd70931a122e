"""safetensors files, read and written from the format (the `safetensors.torch` API, no package).

A file is an 8-byte little-endian header length N, N bytes of JSON (padded with spaces to a
multiple of 8) mapping each name to {"dtype", "shape", "data_offsets": [begin, end]} plus an
optional "__metadata__" of str -> str, then the little-endian data. Writing orders tensors as the
Rust writer does (dtype rank descending, then name), so files match the package's byte for byte.
Reading validates everything the package validates; tensors are copies, one array each."""
from __future__ import annotations

import json
import math
import os
import struct
from typing import Any, BinaryIO

import numpy as np

from .._core import dtypes as _dt
from .._core import messages
from .._core.device import check_device
from .._tensor import Tensor, _root_array
from ..serialization import atomic_write

__all__ = ["SafetensorError", "save", "save_file", "load", "load_file"]

# the Rust Dtype enum, in declaration order (its Ord ranks tensors in a file)
_RANK = ("BOOL", "F4", "F6_E2M3", "F6_E3M2", "U8", "I8", "F8_E5M2", "F8_E4M3", "F8_E8M0", "I16", "U16",
         "F16", "BF16", "I32", "U32", "F32", "C64", "F64", "I64", "U64")
_DTYPES = {"BOOL": _dt.bool_, "U8": _dt.uint8, "I8": _dt.int8, "I16": _dt.int16, "I32": _dt.int32,
           "I64": _dt.int64, "F16": _dt.float16, "F32": _dt.float32, "F64": _dt.float64,
           "C64": _dt.complex64}
_NAMES = {d: name for name, d in _DTYPES.items()}
_MAX_HEADER = 100_000_000  # the package's limit


class SafetensorError(RuntimeError):
    """A malformed file: the package's error kinds ("HeaderTooLarge", "InvalidOffset", ...)."""


def _error(kind: str, detail: str = "") -> SafetensorError:
    return SafetensorError(messages.SAFETENSORS_HEADER.format(kind=kind) + (f": {detail}" if detail else ""))


# ---- writing ------------------------------------------------------------------------------------
def _arrays(tensors: dict) -> list[tuple[str, np.ndarray]]:
    if not isinstance(tensors, dict):
        raise ValueError(messages.SAFETENSORS_NOT_DICT.format(type=type(tensors)))
    out = []
    for name, t in tensors.items():
        if type(name) is not str:
            raise TypeError(messages.SAFETENSORS_NAME_TYPE.format(type=type(name).__name__))
        if not isinstance(t, Tensor):
            raise ValueError(messages.SAFETENSORS_NOT_TENSOR.format(name=name, type=type(t)))
        if t.dtype not in _NAMES:
            raise ValueError(messages.SAFETENSORS_DTYPE.format(dtype=t.dtype, name=name))
        out.append((name, t._data))
    _check_shared(out)
    for name, a in out:
        if not (a.flags.c_contiguous or a.size <= 1):
            raise ValueError(messages.SAFETENSORS_NON_CONTIGUOUS.format(name=name))
    return out


def _check_shared(arrays: list[tuple[str, np.ndarray]]) -> None:
    """safetensors.torch refuses tensors whose memory overlaps (they would load as copies)."""
    spans: dict[int, list] = {}
    for name, a in arrays:
        if a.size:
            ptr = a.__array_interface__["data"][0]
            reach = [(n - 1) * st for n, st in zip(a.shape, a.strides)]
            start = ptr + sum(r for r in reach if r < 0)
            end = ptr + sum(r for r in reach if r > 0) + a.itemsize
            spans.setdefault(id(_root_array(a)), []).append((start, end, name))
    failing = []
    for group in spans.values():
        group.sort()
        shared, last_end = [group[0][2]], group[0][1]
        for start, end, name in group[1:]:
            if start < last_end:
                shared.append(name)
            else:
                if len(shared) > 1:
                    failing.append(set(shared))
                shared = [name]
            last_end = max(last_end, end)
        if len(shared) > 1:
            failing.append(set(shared))
    if failing:
        raise RuntimeError(messages.SAFETENSORS_SHARED.format(names=failing))


def _header(arrays: list[tuple[str, np.ndarray]], metadata) -> tuple[bytes, list[np.ndarray]]:
    if metadata is not None and (not isinstance(metadata, dict) or not all(
            type(k) is str and type(v) is str for k, v in metadata.items())):
        raise ValueError(messages.SAFETENSORS_METADATA)
    order = sorted(arrays, key=lambda item: (-_RANK.index(_NAMES[_dt.from_numpy(item[1].dtype)]), item[0]))
    header: dict[str, Any] = {} if metadata is None else {"__metadata__": metadata}
    offset, data = 0, []
    for name, a in order:
        a = np.asarray(a, dtype=a.dtype.newbyteorder("<"), order="C")
        header[name] = {"dtype": _NAMES[_dt.from_numpy(a.dtype)], "shape": list(a.shape),
                        "data_offsets": [offset, offset + a.nbytes]}
        offset += a.nbytes
        data.append(a.reshape(-1).view(np.uint8))
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text, data


def save(tensors: dict, metadata: dict | None = None) -> bytes:
    """The file save_file would write, as bytes."""
    head, data = _header(_arrays(tensors), metadata)
    return head + b"".join(a.tobytes() for a in data)


def save_file(tensors: dict, filename, metadata: dict | None = None) -> None:
    """Write a safetensors file atomically (the previous file survives a crash mid-write)."""
    head, data = _header(_arrays(tensors), metadata)

    def write(fileobj: BinaryIO) -> None:
        fileobj.write(head)
        for a in data:
            fileobj.write(memoryview(a))

    atomic_write(filename, write)


# ---- reading ------------------------------------------------------------------------------------
def _no_duplicates(pairs: list) -> dict:
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise _error("InvalidHeaderDeserialization", "duplicate key")
    return dict(pairs)


def _parse(prefix: bytes, total: int) -> tuple[int, list[tuple[str, _dt.dtype, tuple, int, int]]]:
    """Validate the header against a file of `total` bytes; (data start, [(name, dtype, shape, begin,
    end)] sorted by name)."""
    if total < 8 or len(prefix) < 8:
        raise _error("HeaderTooSmall")
    n = struct.unpack("<Q", prefix[:8])[0]
    if n > _MAX_HEADER:
        raise _error("HeaderTooLarge")
    if 8 + n > total or len(prefix) < 8 + n:
        raise _error("InvalidHeaderLength")
    raw = prefix[8:8 + n]
    if not raw.startswith(b"{"):
        raise _error("InvalidHeaderStart")
    try:
        header = json.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicates)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise _error("InvalidHeaderDeserialization", str(e)) from None
    if not isinstance(header, dict):
        raise _error("InvalidHeaderDeserialization")
    metadata = header.pop("__metadata__", None)
    if metadata is not None and (not isinstance(metadata, dict)
                                 or not all(type(v) is str for v in metadata.values())):
        raise _error("InvalidHeaderDeserialization", "__metadata__ must map str to str")
    entries = []
    for name, info in header.items():
        try:
            dtype, shape, (begin, end) = info["dtype"], info["shape"], info["data_offsets"]
        except (TypeError, KeyError, ValueError):
            raise _error("InvalidHeaderDeserialization", f"bad entry for {name!r}") from None
        if dtype not in _DTYPES:
            raise _error("InvalidHeaderDeserialization", f"dtype {dtype!r} is not supported by numtorch")
        if not isinstance(shape, list) or not all(type(s) is int and s >= 0 for s in shape) or not all(
                type(x) is int and x >= 0 for x in (begin, end)):
            raise _error("InvalidHeaderDeserialization", f"bad shape or offsets for {name!r}")
        entries.append((name, _DTYPES[dtype], tuple(shape), begin, end))
    data_size, position = total - 8 - n, 0
    for name, dtype, shape, begin, end in sorted(entries, key=lambda e: (e[3], e[4])):
        if begin != position or end < begin:
            raise _error("InvalidOffset", name)
        if math.prod(shape) * dtype.itemsize != end - begin:
            raise _error("TensorInvalidInfo", name)
        position = end
    if position != data_size:
        raise _error("MetadataIncompleteBuffer")
    return 8 + n, sorted(entries)


def _tensor(buffer, dtype: _dt.dtype, shape: tuple, offset: int, copy: bool) -> Tensor:
    n = math.prod(shape)
    array = np.frombuffer(buffer, dtype=dtype.np.newbyteorder("<"), count=n, offset=offset)
    return Tensor._make(array.astype(dtype.np, copy=copy).reshape(shape))  # byteswaps if needed


def load(data: bytes) -> dict[str, Tensor]:
    """The tensors of a safetensors file given as bytes."""
    start, entries = _parse(data, len(data))
    return {name: _tensor(data, dtype, shape, start + begin, True)
            for name, dtype, shape, begin, _ in entries}


def load_file(filename, device="cpu") -> dict[str, Tensor]:
    """The tensors of a safetensors file, each in its own array."""
    check_device(device)
    with open(os.fspath(filename), "rb") as f:
        total = os.fstat(f.fileno()).st_size
        prefix = f.read(8)
        if len(prefix) == 8:
            n = struct.unpack("<Q", prefix)[0]
            prefix += f.read(min(n, _MAX_HEADER + 1))
        start, entries = _parse(prefix, total)
        out = {}
        for name, dtype, shape, begin, end in entries:
            f.seek(start + begin)
            buffer = bytearray(end - begin)
            if f.readinto(buffer) != len(buffer):
                raise _error("MetadataIncompleteBuffer", "the file changed while it was read")
            out[name] = _tensor(buffer, dtype, shape, 0, False)
    return out
