"""Zero-copy exchange with numpy and torch (numpy(), from_numpy, DLPack both ways) and safetensors
files, checked against the `safetensors` package when it is installed."""
from __future__ import annotations

import os

import numpy as np
import pytest

import numtorch
import numtorch.utils.dlpack
from numtorch.utils import safetensors as st

torch = pytest.importorskip("torch")

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64",
          "complex64", "complex128"]


def _array(dtype: str, shape=(3, 4)) -> np.ndarray:
    values = np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape) - 5
    return np.asarray(values % 2 == 0 if dtype == "bool" else values).astype(dtype)


def _one(dtype: str):
    return True if dtype == "bool" else 1


# ---- numpy --------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
def test_from_numpy_and_numpy_share_memory(dtype):
    a = _array(dtype)
    t = numtorch.from_numpy(a)
    assert t.dtype is getattr(numtorch, dtype)
    a[0, 0] = _one(dtype)
    assert t[0, 0].item() == _one(dtype)
    t.numpy()[1, 1] = _one(dtype)
    assert a[1, 1] == _one(dtype)
    assert np.shares_memory(t.numpy(), a)


# ---- DLPack -------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
def test_dlpack_with_numpy_is_zero_copy_both_ways(dtype):
    t = numtorch.from_numpy(_array(dtype))
    a = np.from_dlpack(t)
    assert a.dtype == np.dtype(dtype) and np.shares_memory(a, t.numpy())
    back = numtorch.from_dlpack(_array(dtype))
    assert back.dtype is getattr(numtorch, dtype)
    source = _array(dtype)[::2, 1::2]  # strided: DLPack carries strides, nothing is packed
    view = numtorch.from_dlpack(source)
    assert view.stride() == tuple(s // source.itemsize for s in source.strides)
    source[1, 1] = _one(dtype)
    assert view[1, 1].item() == _one(dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_dlpack_with_torch_is_zero_copy_both_ways(dtype):
    ours = numtorch.from_numpy(_array(dtype)).t()  # non-contiguous
    theirs = torch.from_dlpack(ours)
    assert repr(theirs.dtype) == repr(ours.dtype) and theirs.stride() == ours.stride()
    theirs[2, 1] = _one(dtype)
    assert ours[2, 1].item() == _one(dtype)
    src = torch.from_numpy(_array(dtype))[1:, ::2]
    mine = numtorch.from_dlpack(src)
    assert mine.stride() == src.stride() and mine.shape == tuple(src.shape)
    src[0, 0] = _one(dtype)
    assert mine[0, 0].item() == _one(dtype)
    np.testing.assert_array_equal(mine.numpy(), src.numpy())


def test_legacy_capsules_from_to_dlpack_round_trip():
    t = numtorch.arange(6).reshape(2, 3)
    capsule = numtorch.utils.dlpack.to_dlpack(t)
    assert "dltensor" in repr(capsule)
    u = numtorch.from_dlpack(capsule)
    u[0, 0] = 42
    assert t[0, 0].item() == 42
    theirs = torch.from_dlpack(numtorch.utils.dlpack.to_dlpack(t))
    theirs[1, 2] = -1
    assert t[1, 2].item() == -1
    src = torch.arange(4.0)
    mine = numtorch.from_dlpack(torch.utils.dlpack.to_dlpack(src))
    mine[3] = 9.0
    assert src[3].item() == 9.0


def test_zero_dim_and_empty_tensors_cross_dlpack():
    for t in (numtorch.tensor(3.5), numtorch.zeros(0, 4)):
        theirs = torch.from_dlpack(t)
        assert tuple(theirs.shape) == tuple(t.shape)
        assert numtorch.from_dlpack(theirs).shape == t.shape


def test_dlpack_device_and_errors_match_torch():
    assert numtorch.ones(1).__dlpack_device__() == torch.ones(1).__dlpack_device__() == (1, 0)
    for lib in (torch, numtorch):
        x = lib.ones(2, requires_grad=True)
        with pytest.raises(BufferError, match=r"Can't export tensors that require gradient, use tensor"):
            x.__dlpack__()
        with pytest.raises(BufferError):
            lib.from_dlpack(x)
        with pytest.raises(TypeError, match="stream must be ``int`` or ``none``"):
            lib.ones(1).__dlpack__(stream="s")
        with pytest.raises(AssertionError, match="stream should be None on cpu."):
            lib.ones(1).__dlpack__(stream=3)
    assert numtorch.from_dlpack(numtorch.ones(2, requires_grad=True).detach()).tolist() == [1.0, 1.0]
    with pytest.raises(TypeError, match="can't convert np.ndarray of type (numpy.)?uint16"):
        numtorch.from_dlpack(torch.zeros(2, dtype=torch.uint16))
    with pytest.raises(AssertionError) as theirs:
        torch.from_dlpack(np.ones(2), device="cuda")
    with pytest.raises(AssertionError) as ours:
        numtorch.from_dlpack(np.ones(2), device="cuda")
    assert str(ours.value) == str(theirs.value)


def test_from_dlpack_copy_flag():
    a = np.arange(3.0)
    copied = numtorch.from_dlpack(a, copy=True)
    a[0] = 5.0
    assert copied[0].item() == 0.0
    assert numtorch.from_dlpack(a, copy=False)[0].item() == 5.0


# ---- safetensors --------------------------------------------------------------------------------
SAFE_DTYPES = [d for d in DTYPES if d != "complex128"]


def _tensors() -> dict:
    out = {f"t_{d}": numtorch.from_numpy(_array(d, (2, 3))) for d in SAFE_DTYPES}
    out.update({"scalar": numtorch.tensor(2.5), "empty": numtorch.zeros(0, 3), "é": numtorch.ones(1)})
    return out


def _check_equal(a: dict, b: dict) -> None:
    assert sorted(a) == sorted(b)
    for k in a:
        x = a[k].numpy() if isinstance(a[k], numtorch.Tensor) else np.asarray(a[k])
        y = b[k].numpy() if isinstance(b[k], numtorch.Tensor) else np.asarray(b[k])
        assert x.dtype == y.dtype and x.shape == y.shape, k
        np.testing.assert_array_equal(x, y)


def test_safetensors_round_trip_own_format(tmp_path):
    tensors = _tensors()
    path = tmp_path / "w.safetensors"
    st.save_file(tensors, path)
    _check_equal(st.load_file(path), tensors)
    _check_equal(st.load(st.save(tensors)), tensors)
    assert st.load(st.save({})) == {}
    loaded = st.load_file(path)
    loaded["t_float32"][0, 0] = 100.0  # each loaded tensor owns its memory
    assert loaded["t_float64"][0, 0].item() != 100.0 and tensors["t_float32"][0, 0].item() != 100.0
    assert numtorch.load(path)["scalar"].item() == 2.5  # torch.load dispatches on the suffix


def test_safetensors_bytes_match_the_package():
    numpy_api = pytest.importorskip("safetensors.numpy")
    tensors = _tensors()
    arrays = {k: v.numpy() for k, v in tensors.items()}
    assert st.save(tensors) == numpy_api.save(arrays)
    assert st.save(tensors, metadata={"format": "pt"}) == numpy_api.save(arrays, metadata={"format": "pt"})
    _check_equal(numpy_api.load(st.save(tensors)), arrays)
    _check_equal(st.load(numpy_api.save(arrays)), tensors)


def test_safetensors_files_cross_with_the_torch_api(tmp_path):
    torch_api = pytest.importorskip("safetensors.torch")
    import safetensors

    ours = tmp_path / "ours.safetensors"
    st.save_file(_tensors(), ours, metadata={"owner": "numtorch", "n": "2"})
    theirs = torch_api.load_file(ours)
    _check_equal({k: v.numpy() for k, v in theirs.items()}, _tensors())
    with safetensors.safe_open(ours, "pt") as f:
        assert f.metadata() == {"owner": "numtorch", "n": "2"}
    torch_path = tmp_path / "theirs.safetensors"
    torch_api.save_file({k: torch.from_numpy(v.numpy()) for k, v in _tensors().items()}, torch_path)
    _check_equal(st.load_file(torch_path), _tensors())
    assert torch.load(ours, weights_only=True)["scalar"].item() == 2.5


def test_safetensors_refuses_shared_and_non_contiguous_tensors_like_the_torch_api():
    base = numtorch.arange(6.0)
    with pytest.raises(RuntimeError, match="Some tensors share memory"):
        st.save({"a": base, "b": base[2:]})
    with pytest.raises(ValueError, match="You are trying to save a non contiguous tensor: `a`"):
        st.save({"a": base.reshape(2, 3).t()})
    assert st.load(st.save({"a": base[:3], "b": base[3:]}))["b"].tolist() == [3.0, 4.0, 5.0]
    with pytest.raises(ValueError, match="safetensors has no dtype for torch.complex128"):
        st.save({"c": numtorch.zeros(1, dtype=numtorch.complex128)})
    with pytest.raises(ValueError, match="expected torch.Tensor"):
        st.save({"a": [1, 2]})
    torch_api = pytest.importorskip("safetensors.torch")
    t = torch.arange(6.0)
    with pytest.raises(RuntimeError, match="Some tensors share memory"):
        torch_api.save({"a": t, "b": t[2:]})
    with pytest.raises(ValueError, match="non contiguous"):
        torch_api.save({"a": t.reshape(2, 3).t()})


def _header_file(header: bytes, data: bytes = b"") -> bytes:
    return len(header).to_bytes(8, "little") + header + data


CORRUPT = {
    "HeaderTooSmall": b"\x01\x00",
    "HeaderTooLarge": (10 ** 9).to_bytes(8, "little") + b"{}",
    "InvalidHeaderLength": (100).to_bytes(8, "little") + b"{}",
    "InvalidHeaderStart": _header_file(b"[1]     "),
    "InvalidHeaderDeserialization": _header_file(b"{not json"),
    "duplicate key": _header_file(b'{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},'
                                  b'"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}', b"\0"),
    "InvalidOffset": _header_file(b'{"a":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}', b"\0\0"),
    "TensorInvalidInfo": _header_file(b'{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}', b"\0" * 4),
    "MetadataIncompleteBuffer": _header_file(b'{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}',
                                             b"\0\0"),
    "not supported by numtorch": _header_file(b'{"a":{"dtype":"BF16","shape":[1],"data_offsets":[0,2]}}',
                                              b"\0\0"),
    "bad shape": _header_file(b'{"a":{"dtype":"U8","shape":[-1],"data_offsets":[0,1]}}', b"\0"),
    "__metadata__": _header_file(b'{"__metadata__":{"k":1}}'),
}


@pytest.mark.parametrize("kind", list(CORRUPT))
def test_corrupt_safetensors_are_refused_cleanly(kind, tmp_path):
    data = CORRUPT[kind]
    with pytest.raises(st.SafetensorError, match=kind):
        st.load(data)
    path = tmp_path / "bad.safetensors"
    path.write_bytes(data)
    with pytest.raises(st.SafetensorError, match=kind):
        st.load_file(path)


def test_every_truncated_safetensors_file_is_refused(tmp_path):
    data = st.save({"a": numtorch.arange(5.0), "b": numtorch.ones(2, dtype=numtorch.int8)})
    path = tmp_path / "t.safetensors"
    for n in range(len(data)):
        with pytest.raises(st.SafetensorError):
            st.load(data[:n])
        path.write_bytes(data[:n])
        with pytest.raises(st.SafetensorError):
            st.load_file(path)


def test_safetensors_save_file_is_atomic(tmp_path, monkeypatch):
    path = tmp_path / "w.safetensors"
    st.save_file({"a": numtorch.zeros(2)}, path)
    with pytest.raises(ValueError):
        st.save_file({"a": numtorch.arange(4.0).reshape(2, 2).t()}, path)

    def failing_fsync(fd):
        raise OSError("I/O error")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OSError, match="I/O error"):
        st.save_file({"a": numtorch.ones(3)}, path)
    monkeypatch.undo()
    assert st.load_file(path)["a"].tolist() == [0.0, 0.0]
    assert os.listdir(tmp_path) == ["w.safetensors"]
