"""numtorch.save / numtorch.load: round trips through real torch in both directions, storage sharing,
state dicts, map_location and mmap, refusal of hostile pickles (nothing runs), clean errors for
corrupt or truncated archives, and atomic saves that survive a SIGKILL mid-write."""
from __future__ import annotations

import collections
import io
import os
import pickle
import random
import shutil
import signal
import struct
import subprocess
import sys
import textwrap
import zipfile

import numpy as np
import pytest

import numtorch
import numtorch.serialization as ser

torch = pytest.importorskip("torch")

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64",
          "complex64", "complex128"]
SHAPES = [(2, 3), (), (0,), (3, 0, 2), (4,)]


def _values(dtype: str, shape) -> np.ndarray:
    rng = np.random.default_rng(0)
    raw = rng.normal(size=shape) * 50
    if dtype == "bool":
        return np.asarray(raw > 0)
    if dtype.startswith("complex"):
        return np.asarray(raw + 1j * rng.normal(size=shape)).astype(dtype)
    return np.asarray(raw).astype(dtype)


def _np(t) -> np.ndarray:
    return t.detach().numpy()  # the same call on either library's tensors


def _same_tensor(n, t) -> None:
    """numtorch tensor n and torch tensor t: same dtype, shape, strides, offset, values, flag."""
    assert repr(n.dtype) == repr(t.dtype)
    assert tuple(n.shape) == tuple(t.shape)
    assert n.requires_grad == t.requires_grad
    if t.numel():
        assert n.stride() == t.stride() and n.storage_offset() == t.storage_offset()
    np.testing.assert_array_equal(_np(n), _np(t))


def _torch_bytes(obj) -> io.BytesIO:
    buf = io.BytesIO()
    torch.save(obj, buf)
    buf.seek(0)
    return buf


def _numtorch_bytes(obj) -> io.BytesIO:
    buf = io.BytesIO()
    numtorch.save(obj, buf)
    buf.seek(0)
    return buf


# ---- round trips ------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
def test_torch_save_numtorch_load_every_dtype(dtype):
    tensors = [torch.from_numpy(_values(dtype, s)) for s in SHAPES]
    loaded = numtorch.load(_torch_bytes(tensors))
    assert len(loaded) == len(tensors)
    for n, t in zip(loaded, tensors):
        assert type(n) is numtorch.Tensor
        _same_tensor(n, t)


@pytest.mark.parametrize("dtype", DTYPES)
def test_numtorch_save_torch_load_every_dtype(dtype):
    tensors = [numtorch.from_numpy(_values(dtype, s)) for s in SHAPES]
    loaded = torch.load(_numtorch_bytes(tensors), weights_only=True)
    for n, t in zip(tensors, loaded):
        _same_tensor(n, t)


def _layouts(lib):
    base = lib.arange(24.0).reshape(4, 6)
    return {"t": base.t(), "step": base[::2, 1::3], "row": base[2], "narrow": base[:, 2:5],
            "expand": lib.tensor([1.0, 2.0]).unsqueeze(1).expand(2, 3), "unsqueeze": base[1:, None],
            "diagonal": base.diagonal(), "permute": lib.arange(24).reshape(2, 3, 4).permute(2, 0, 1),
            "empty_slice": base[4:], "scalar_view": base[3, 5]}


def test_non_contiguous_layouts_keep_strides_and_offsets_both_ways():
    theirs, ours = _layouts(torch), _layouts(numtorch)
    from_torch = numtorch.load(_torch_bytes(theirs))
    to_torch = torch.load(_numtorch_bytes(ours), weights_only=True)
    for name, t in theirs.items():
        _same_tensor(from_torch[name], t)
        _same_tensor(ours[name], to_torch[name])
        if t.numel():
            assert to_torch[name].stride() == t.stride(), name


def _storage_records(buf: io.BytesIO) -> list[str]:
    names = zipfile.ZipFile(buf).namelist()
    buf.seek(0)
    return [n for n in names if "/data/" in n]


def test_views_loaded_from_torch_share_one_numpy_storage():
    base = torch.arange(12.0).reshape(3, 4)
    state = {"base": base, "t": base.t(), "row": base[1], "col": base[:, 2], "again": base}
    loaded = numtorch.load(_torch_bytes(state))
    assert loaded["again"] is loaded["base"]
    loaded["base"][1, 2] = -7.0  # one write, seen through every view
    assert loaded["t"][2, 1].item() == -7.0
    assert loaded["row"][2].item() == -7.0 and loaded["col"][1].item() == -7.0
    ptr = loaded["base"].untyped_storage().data_ptr()
    assert all(loaded[k].untyped_storage().data_ptr() == ptr for k in state)
    assert np.shares_memory(loaded["t"].numpy(), loaded["col"].numpy())


def test_numtorch_save_writes_one_storage_per_shared_buffer_and_torch_keeps_sharing():
    base = numtorch.arange(12.0).reshape(3, 4)
    other = numtorch.ones(2, dtype=numtorch.int64)
    state = {"base": base, "t": base.t(), "row": base[1], "col": base[:, 2], "other": other,
             "other_view": other[1:], "again": base}
    buf = _numtorch_bytes(state)
    assert len(_storage_records(buf)) == 2
    loaded = torch.load(buf, weights_only=True)
    assert loaded["again"] is loaded["base"]
    loaded["base"][1, 2] = -7.0
    assert loaded["t"][2, 1].item() == -7.0 and loaded["row"][2].item() == -7.0
    assert loaded["col"][1].item() == -7.0
    assert loaded["row"].untyped_storage().data_ptr() == loaded["base"].untyped_storage().data_ptr()
    assert loaded["other_view"].storage_offset() == 1
    # and numtorch reading its own file keeps the sharing too
    mine = numtorch.load(_numtorch_bytes(state))
    mine["col"][0] = 99.0
    assert mine["base"][0, 2].item() == 99.0 and mine["t"][2, 0].item() == 99.0


def test_tensors_viewing_one_buffer_as_two_dtypes_are_refused_like_torch():
    a = numtorch.zeros(4, dtype=numtorch.int32)
    with pytest.raises(RuntimeError, match="view the same data as different types"):
        numtorch.save([a, a.view(numtorch.float32)], io.BytesIO())
    b = torch.zeros(4, dtype=torch.int32)
    with pytest.raises(RuntimeError, match="view the same data as different types"):
        torch.save([b, b.view(torch.float32)], io.BytesIO())


def test_numpy_memory_torch_cannot_describe_is_saved_as_a_compact_copy():
    # from_numpy refuses negative strides as torch does, but numpy views built internally may have them
    odd = numtorch.Tensor._make(np.arange(10.0)[::-1])
    unaligned = numtorch.Tensor._make(np.frombuffer(b"\0" + np.arange(3.0).tobytes(), np.float64, 3, 1))
    loaded = torch.load(_numtorch_bytes({"odd": odd, "unaligned": unaligned}), weights_only=True)
    np.testing.assert_array_equal(loaded["odd"].numpy(), np.arange(10.0)[::-1])
    np.testing.assert_array_equal(loaded["unaligned"].numpy(), np.arange(3.0))


NESTED = {
    "ints": [0, 1, 255, 256, 65535, 65536, -1, -(2 ** 31), 2 ** 31, 2 ** 70, -(2 ** 100)],
    "floats": (0.0, -1.5, 1e300, float("inf")),
    "text": ["", "ascii", "ünïcødé ✓", "a\nb"],
    "misc": {"none": None, "true": True, "false": False, "bytes": b"\x00\xffab",
             "bytearray": bytearray(b"xy"), "complex": 2 - 3j, "set": {1, 2, 3}},
    "deep": [[{"k": ({"x": [1, (2, 3, 4, 5)]},)}]],
    "tuple_sizes": [(), (1,), (1, 2), (1, 2, 3), (1, 2, 3, 4)],
    7: "int key", (1, 2): "tuple key",
}


def test_nested_containers_and_primitives_both_ways():
    assert numtorch.load(_torch_bytes(NESTED)) == NESTED
    assert torch.load(_numtorch_bytes(NESTED), weights_only=True) == NESTED
    assert numtorch.load(_numtorch_bytes(NESTED)) == NESTED
    shared = [1, 2]
    loaded = torch.load(_numtorch_bytes({"a": shared, "b": shared}), weights_only=True)
    assert loaded["a"] is loaded["b"]
    # torch pickles b"" as builtins.bytes(), which its own weights_only load refuses; numtorch
    # writes it as _codecs.encode("", "latin1"), which both read
    assert torch.load(_numtorch_bytes(b""), weights_only=True) == b""
    for load in (numtorch.load, lambda f: torch.load(f, weights_only=True)):
        with pytest.raises(pickle.UnpicklingError, match="GLOBAL bytes was not an allowed global"):
            load(_torch_bytes(b""))


def test_dtypes_sizes_devices_and_counters_both_ways():
    ours = {"dtypes": [getattr(numtorch, d) for d in DTYPES], "size": numtorch.Size([2, 3]),
            "device": numtorch.device("cpu"), "counter": collections.Counter("abca")}
    theirs = torch.load(_numtorch_bytes(ours), weights_only=True)
    assert theirs["dtypes"] == [getattr(torch, d) for d in DTYPES]
    assert theirs["size"] == torch.Size([2, 3]) and theirs["device"] == torch.device("cpu")
    assert theirs["counter"] == collections.Counter("abca")
    back = numtorch.load(_torch_bytes(theirs))
    assert back["dtypes"] == ours["dtypes"] and all(a is b for a, b in zip(back["dtypes"], ours["dtypes"]))
    assert type(back["size"]) is numtorch.Size and back["size"] == (2, 3)
    assert back["device"] == numtorch.device("cpu") and back["counter"] == ours["counter"]


def _torch_model():
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4), torch.nn.Linear(4, 2))


def test_state_dict_from_torch_keeps_order_metadata_and_values_and_goes_back():
    model = _torch_model()
    state = model.state_dict()
    loaded = numtorch.load(_torch_bytes(state))
    assert type(loaded) is collections.OrderedDict and list(loaded) == list(state)
    assert loaded._metadata == state._metadata
    for key, t in state.items():
        _same_tensor(loaded[key], t)
    again = torch.load(_numtorch_bytes(loaded), weights_only=True)
    assert again._metadata == state._metadata
    fresh = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4), torch.nn.Linear(4, 2))
    fresh.load_state_dict(again)
    x = torch.randn(5, 3)
    model.eval(), fresh.eval()
    assert torch.equal(model(x), fresh(x))


def test_optimizer_state_dict_with_ints_floats_lists_round_trips():
    model = _torch_model()
    opt = torch.optim.Adam(model.parameters(), lr=0.01, betas=(0.8, 0.9), weight_decay=0.1)
    model(torch.randn(4, 3)).sum().backward()
    opt.step()
    state = opt.state_dict()
    loaded = numtorch.load(_torch_bytes(state))
    assert loaded["param_groups"] == state["param_groups"]
    assert list(loaded["state"]) == list(state["state"])
    for i, per_param in state["state"].items():
        for key, value in per_param.items():
            _same_tensor(loaded["state"][i][key], value)
    again = torch.load(_numtorch_bytes(loaded), weights_only=True)
    fresh = torch.optim.Adam(model.parameters())
    fresh.load_state_dict(again)
    assert fresh.state_dict()["param_groups"] == state["param_groups"]
    assert torch.equal(fresh.state_dict()["state"][0]["exp_avg"], state["state"][0]["exp_avg"])


def test_parameters_and_requires_grad_round_trip_like_rebuild_parameter():
    theirs = {"p": torch.nn.Parameter(torch.ones(2, 2)), "frozen": torch.nn.Parameter(
        torch.zeros(3), requires_grad=False), "g": torch.ones(2, requires_grad=True), "plain": torch.ones(1)}
    loaded = numtorch.load(_torch_bytes(theirs))
    parameter = getattr(getattr(numtorch, "nn", None), "Parameter", None)
    for key, t in theirs.items():
        _same_tensor(loaded[key], t)
        if parameter is not None:
            assert isinstance(loaded[key], parameter) == isinstance(t, torch.nn.Parameter), key
    assert loaded["p"].is_leaf and loaded["g"].is_leaf
    back = torch.load(_numtorch_bytes(loaded), weights_only=True)
    for key, t in theirs.items():
        assert type(back[key]) is type(t) and back[key].requires_grad == t.requires_grad
        assert torch.equal(back[key], t)


def test_non_leaf_tensor_saves_its_values_and_flag():
    x = numtorch.ones(2, requires_grad=True)
    y = x * 3
    loaded = torch.load(_numtorch_bytes(y), weights_only=True)
    assert loaded.requires_grad and loaded.is_leaf and loaded.tolist() == [3.0, 3.0]


def test_tensor_attributes_and_conj_bit_from_torch():
    t = torch.arange(3.0)
    t.note = "kept"
    c = torch.tensor([1 + 2j, 3 - 1j]).conj()
    loaded = numtorch.load(_torch_bytes({"t": t, "c": c}))
    assert loaded["t"].note == "kept" and loaded["t"].tolist() == [0.0, 1.0, 2.0]
    assert loaded["c"].tolist() == c.tolist()


def test_save_and_load_through_paths_and_file_objects(tmp_path):
    path = tmp_path / "ckpt.pt"
    numtorch.save({"w": numtorch.arange(3)}, path)          # pathlib.Path
    assert numtorch.load(str(path))["w"].tolist() == [0, 1, 2]
    with open(path, "rb") as f:
        assert torch.load(f, weights_only=True)["w"].tolist() == [0, 1, 2]
    with open(tmp_path / "other.pt", "wb") as f:
        numtorch.save([1, 2], f)
    assert numtorch.load(tmp_path / "other.pt") == [1, 2]
    assert sorted(os.listdir(tmp_path)) == ["ckpt.pt", "other.pt"]  # no temporary file left


def test_storages_are_64_byte_aligned_like_torch(tmp_path):
    path = tmp_path / "a.pt"
    numtorch.save([numtorch.ones(3), numtorch.ones(5, dtype=numtorch.float64)], path)
    raw = path.read_bytes()
    for info in zipfile.ZipFile(path).infolist():
        n, m = struct.unpack("<HH", raw[info.header_offset + 26:info.header_offset + 30])
        assert (info.header_offset + 30 + n + m) % 64 == 0


def test_unsupported_objects_are_refused_at_save():
    for obj in (object(), np.float64(1.0), [np.arange(3)], frozenset(), collections.defaultdict(int)):
        with pytest.raises(pickle.PicklingError, match="numtorch.save writes only"):
            numtorch.save(obj, io.BytesIO())
    looped: list = []
    looped.append(looped)
    loaded = torch.load(_numtorch_bytes(looped), weights_only=True)
    assert loaded[0] is loaded


# ---- map_location and mmap ---------------------------------------------------------------------
def _zip(records: dict[str, bytes], compress=zipfile.ZIP_STORED) -> io.BytesIO:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compress) as z:
        for name, data in records.items():
            z.writestr(name, data)
    buf.seek(0)
    return buf


def _records(buf: io.BytesIO) -> dict[str, bytes]:
    z = zipfile.ZipFile(buf)
    out = {n: z.read(n) for n in z.namelist()}
    buf.seek(0)
    return out


def _on_cuda(obj) -> io.BytesIO:
    """A torch checkpoint whose storages are tagged 'cuda:0' (as saved on a GPU machine)."""
    records = _records(_torch_bytes(obj))
    pkl = next(n for n in records if n.endswith("data.pkl"))
    records[pkl] = records[pkl].replace(b"X\x03\x00\x00\x00cpu", b"X\x06\x00\x00\x00cuda:0")
    return _zip(records)


def test_map_location_forms():
    obj = {"w": torch.arange(4.0)}
    for location in (None, "cpu", numtorch.device("cpu"), {"cpu": "cpu"}, lambda s, loc: s,
                     lambda s, loc: None):
        assert numtorch.load(_torch_bytes(obj), map_location=location)["w"].tolist() == [0, 1, 2, 3]
    seen = []
    numtorch.load(_on_cuda(obj), map_location=lambda storage, loc: seen.append(loc) or storage)
    assert seen == ["cuda:0"]
    for location in ("cpu", {"cuda:0": "cpu"}, numtorch.device("cpu")):
        assert numtorch.load(_on_cuda(obj), map_location=location)["w"].tolist() == [0, 1, 2, 3]
    with pytest.raises(RuntimeError) as ours:
        numtorch.load(_on_cuda(obj))
    if not torch.cuda.is_available():
        with pytest.raises(RuntimeError) as theirs:
            torch.load(_on_cuda(obj), weights_only=True)
        assert str(ours.value) == str(theirs.value)
    with pytest.raises(RuntimeError, match="CPU only"):
        numtorch.load(_torch_bytes(obj), map_location={"cpu": "mps"})


def test_mmap_maps_copy_on_write_from_a_read_only_file(tmp_path):
    path = tmp_path / "m.pt"
    base = torch.arange(8.0)
    torch.save({"base": base, "view": base[2:6], "ints": torch.arange(3)}, path)
    os.chmod(path, 0o444)
    before = path.read_bytes()
    loaded = numtorch.load(path, mmap=True)
    assert loaded["view"].tolist() == [2.0, 3.0, 4.0, 5.0] and loaded["ints"].tolist() == [0, 1, 2]
    root = loaded["base"].numpy()
    while root.base is not None and isinstance(root.base, np.ndarray):
        root = root.base
    assert isinstance(root.base, memoryview) and isinstance(root.base.obj, np.memmap)
    loaded["base"][3] = 100.0  # copy-on-write: the mapping changes, the file does not
    assert loaded["view"][1].item() == 100.0
    assert path.read_bytes() == before
    assert numtorch.load(path)["base"][3].item() == 3.0
    with pytest.raises(ValueError, match="f must be a file path in order to use the mmap argument"):
        numtorch.load(io.BytesIO(before), mmap=True)


def test_byteorder_record_big_is_honoured():
    records = _records(_numtorch_bytes({"f": numtorch.tensor([1.5, -2.0]), "i": numtorch.tensor([1, 258])}))
    for name in list(records):
        if name.endswith("byteorder"):
            records[name] = b"big"
        elif "/data/" in name:
            dtype = np.float32 if len(records[name]) == 8 else np.int64
            records[name] = np.frombuffer(records[name], dtype).byteswap().tobytes()
    loaded = numtorch.load(_zip(records))
    assert loaded["f"].tolist() == [1.5, -2.0] and loaded["i"].tolist() == [1, 258]


def test_argument_checks_match_torch():
    with pytest.raises(RuntimeError, match="Can not safely load weights when explicit pickle_module"):
        numtorch.load(_torch_bytes(1), pickle_module=pickle)
    with pytest.raises(NotImplementedError):
        numtorch.save(1, io.BytesIO(), _use_new_zipfile_serialization=False)


# ---- hostile files: nothing runs --------------------------------------------------------------
def _g(module: str, name: str) -> bytes:
    return b"c" + module.encode() + b"\n" + name.encode() + b"\n"


def _s(text: str) -> bytes:
    raw = text.encode()
    return b"X" + struct.pack("<I", len(raw)) + raw


class _Evil:
    def __init__(self, command: str) -> None:
        self.command = command

    def __reduce__(self):
        return (os.system, (self.command,))


class _EvilEval(_Evil):
    def __reduce__(self):
        return (eval, (self.command,))


def _gadgets(canary_dir) -> list[tuple[str, bytes, str, bool]]:
    """(label, data.pkl, text the refusal names, whether plain pickle.loads runs it)."""
    out = []

    def add(label, body, names, runs=True, proto=b"\x80\x02"):
        out.append((label, proto + body, names, runs))

    def touch(label):
        return f"touch {canary_dir / label}"

    def code(label):
        return f"open({str(canary_dir / label)!r}, 'w').close()"

    add("os_system", _g("os", "system") + _s(touch("os_system")) + b"\x85R.", "os.system")
    add("posix_system", _g("posix", "system") + _s(touch("posix_system")) + b"\x85R.", "posix.system")
    add("nt_system", _g("nt", "system") + _s("x") + b"\x85R.", "nt.system", runs=False)
    add("sys_modules", _g("sys", "modules") + b".", "sys.modules", runs=False)
    add("eval", _g("builtins", "eval") + _s(code("eval")) + b"\x85R.", "GLOBAL eval")
    add("py2_eval", _g("__builtin__", "eval") + _s(code("py2_eval")) + b"\x85R.", "GLOBAL eval")
    add("exec", _g("builtins", "exec") + _s(code("exec")) + b"\x85R.", "GLOBAL exec")
    add("getattr", _g("builtins", "getattr") + _g("builtins", "__import__") + _s("os") + b"\x85R"
        + _s("system") + b"\x86R" + _s(touch("getattr")) + b"\x85R.", "GLOBAL getattr")
    add("import", _g("builtins", "__import__") + _s("os") + b"\x85R.", "GLOBAL __import__", runs=False)
    add("importlib", _g("importlib", "import_module") + _s("os") + b"\x85R.", "importlib.import_module",
        runs=False)
    add("subprocess", _g("subprocess", "check_call") + b"](" + _s("touch")
        + _s(str(canary_dir / "subprocess")) + b"e\x85R.", "subprocess.check_call")
    add("partial", _g("functools", "partial") + _g("builtins", "exec") + _s(code("partial")) + b"\x86R)R.",
        "functools.partial")
    add("reduce_gadget", pickle.dumps(_Evil(touch("reduce_gadget")), protocol=2)[2:], "posix.system")
    add("protocol4", pickle.dumps(_EvilEval(code("protocol4")), protocol=4)[2:], "Unsupported operand",
        proto=b"\x80\x04")
    add("inst_opcode", b"(V" + code("inst_opcode").encode() + b"\nibuiltins\nexec\n.", "Unsupported operand",
        proto=b"")
    add("obj_opcode", b"(" + _g("builtins", "exec") + _s(code("obj_opcode")) + b"o.", "GLOBAL exec")
    add("ext_opcode", b"\x82\x01.", "Unsupported operand", runs=False)
    add("nested_in_state_dict", _g("collections", "OrderedDict") + b")R(" + _s("weight") + b"K\x01"
        + _s("evil") + _g("builtins", "eval") + _s(code("nested_in_state_dict")) + b"\x85Ru.", "GLOBAL eval")
    add("persistent_id", b"(" + _s("storage") + _g("builtins", "eval") + _s(code("persistent_id"))
        + b"\x85R" + _s("0") + _s("cpu") + b"K\x01tQ.", "GLOBAL eval", runs=False)
    add("not_storage_pid", b"(" + _s("module") + _s("os") + b"\x86Q.", "Only persistent_load of storage",
        runs=False)
    add("rebuild_with_foreign_func", _g("torch._tensor", "_rebuild_from_type_v2") + b"(" +
        _g("collections", "OrderedDict") + _g("torch", "Tensor") + b")N" + b"tR.", "not a tensor rebuild",
        runs=False)
    add("reduce_on_value", _g("torch", "float32") + b")R.", "unrecognized function", runs=False)
    add("build_on_list", b"]}b.", "Can only build", runs=False)
    add("build_dunder", _g("collections", "OrderedDict") + b")R}" + _s("__class__") + b"Nsb.",
        "refusing to set attribute", runs=False)
    add("newobj_object", _g("builtins", "object") + b")\x81.", "GLOBAL object", runs=False)
    add("copyreg", _g("copyreg", "_reconstructor") + b".", "copyreg._reconstructor", runs=False)
    add("pickle_loads", _g("pickle", "loads") + b".", "pickle.loads", runs=False)
    add("torch_load", _g("torch", "load") + b".", "torch.load", runs=False)
    add("numpy_reconstruct", _g("numpy.core.multiarray", "_reconstruct") + b".", "_reconstruct", runs=False)
    add("runpy", _g("runpy", "_run_code") + b".", "runpy._run_code", runs=False)
    add("torch_only_numpy_rebuild", _g("torch._utils", "_rebuild_device_tensor_from_numpy") + b".",
        "no counterpart", runs=False)
    add("codecs_other_codec", _g("_codecs", "encode") + _s("x") + _s("rot13") + b"\x86R.", "only allowed",
        runs=False)
    add("bytearray_huge", _g("builtins", "bytearray") + b"J\xff\xff\xff\x7f\x85R.", "only allowed from bytes",
        runs=False)
    add("setitem_on_list", b"](K\x01K\x02u.", "Can only SETITEM", runs=False)
    add("append_on_dict", b"}K\x01a.", "Can only append", runs=False)
    return out


def _archive(pkl: bytes) -> io.BytesIO:
    return _zip({"archive/data.pkl": pkl, "archive/byteorder": b"little", "archive/version": b"3\n"})


def test_hostile_pickles_are_refused_and_nothing_runs(tmp_path):
    canaries = tmp_path / "canaries"
    canaries.mkdir()
    gadgets = _gadgets(canaries)
    for label, pkl, names, _ in gadgets:
        for weights_only in (True, False):
            with pytest.raises(pickle.UnpicklingError) as e:
                numtorch.load(_archive(pkl), weights_only=weights_only)
            assert names in str(e.value), (label, str(e.value))
    assert os.listdir(canaries) == []
    if shutil.which("touch") is None:
        return
    # the control: the unrestricted pickle module really runs each live gadget
    live = tmp_path / "live"
    live.mkdir()
    script = ("import pickle, sys\nfor p in sys.argv[1:]:\n    try:\n"
              "        pickle.loads(open(p, 'rb').read())\n    except Exception:\n        pass\n")
    paths = []
    for label, pkl, _, runs in _gadgets(live):
        if runs:
            paths.append(str(tmp_path / f"{label}.pkl"))
            with open(paths[-1], "wb") as f:
                f.write(pkl)
    subprocess.run([sys.executable, "-c", script, *paths], check=True, timeout=60, cwd=tmp_path)
    assert sorted(os.listdir(live)) == sorted(label for label, _, _, runs in gadgets if runs)


def test_refusal_messages_name_the_global_like_torch():
    pkl = b"\x80\x02" + _g("builtins", "eval") + _s("1") + b"\x85R."
    with pytest.raises(pickle.UnpicklingError) as theirs:
        torch.load(_archive(pkl), weights_only=True)
    with pytest.raises(pickle.UnpicklingError) as ours:
        numtorch.load(_archive(pkl))
    assert "Unsupported global: GLOBAL eval was not an allowed global by default" in str(theirs.value)
    assert "Unsupported global: GLOBAL eval was not an allowed global by default" in str(ours.value)
    pkl = b"\x80\x02" + _g("os", "system") + _s("true") + b"\x85R."
    with pytest.raises(pickle.UnpicklingError, match="GLOBAL os.system whose module os is blocked"):
        numtorch.load(_archive(pkl))


def test_dtypes_numtorch_lacks_are_refused_by_name():
    for t, name in ((torch.ones(2, dtype=torch.bfloat16), "torch.BFloat16Storage"),
                    (torch.ones(2, dtype=torch.uint16), "torch.uint16")):
        with pytest.raises(pickle.UnpicklingError, match=name):
            numtorch.load(_torch_bytes(t))


# ---- corrupt, truncated and oversized files -----------------------------------------------------
CLEAN_ERRORS = (RuntimeError, pickle.UnpicklingError)


def _sample() -> dict:
    base = numtorch.arange(6.0).reshape(2, 3)
    return {"w": base, "t": base.t(), "n": [1, 2.5, "x"], "i": numtorch.tensor([7, 8])}


def _equal_sample(loaded) -> bool:
    return (loaded["n"] == [1, 2.5, "x"] and loaded["w"].tolist() == [[0, 1, 2], [3, 4, 5]]
            and loaded["t"].tolist() == [[0, 3], [1, 4], [2, 5]] and loaded["i"].tolist() == [7, 8])


def test_every_truncation_is_refused_cleanly():
    raw = _numtorch_bytes(_sample()).getvalue()
    for n in range(len(raw)):
        with pytest.raises(CLEAN_ERRORS):
            numtorch.load(io.BytesIO(raw[:n]))


def test_every_byte_flip_either_loads_the_same_data_or_is_refused_cleanly():
    raw = _numtorch_bytes(_sample()).getvalue()
    refused = 0
    for i in range(len(raw)):
        bad = bytearray(raw)
        bad[i] ^= 0xFF
        try:
            loaded = numtorch.load(io.BytesIO(bytes(bad)))
        except CLEAN_ERRORS:
            refused += 1
        else:
            assert _equal_sample(loaded), f"flipping byte {i} changed the data silently"
    assert refused > len(raw) // 2


def test_fuzzed_pickles_with_valid_checksums_never_escape_as_other_errors():
    records = _records(_numtorch_bytes(_sample()))
    pkl = bytearray(records["archive/data.pkl"])
    rng = random.Random(1)
    outcomes = collections.Counter()
    for _ in range(400):
        bad = bytearray(pkl)
        for _ in range(rng.randint(1, 4)):
            bad[rng.randrange(len(bad))] = rng.randrange(256)
        try:
            numtorch.load(_zip({**records, "archive/data.pkl": bytes(bad)}))
            outcomes["loaded"] += 1
        except CLEAN_ERRORS as e:
            outcomes[type(e).__name__] += 1
    assert outcomes["UnpicklingError"] > 300, outcomes


def _tensor_pkl(storage_numel: int, size: tuple, stride: tuple, offset: int = 0,
                storage: str = "FloatStorage") -> bytes:
    def ints(values):
        return b"(" + b"".join(b"J" + struct.pack("<i", v) for v in values) + b"t"
    return (b"\x80\x02" + _g("torch._utils", "_rebuild_tensor_v2") + b"((" + _s("storage")
            + _g("torch", storage) + _s("0") + _s("cpu") + b"\x8a\x08" + struct.pack("<q", storage_numel)
            + b"tQ" + b"J" + struct.pack("<i", offset) + ints(size) + ints(stride) + b"\x89"
            + _g("collections", "OrderedDict") + b")RtR.")


def test_oversized_and_out_of_bounds_claims_are_refused_before_allocating():
    data = np.arange(4, dtype=np.float32).tobytes()
    ok = _zip({"archive/data.pkl": _tensor_pkl(4, (2, 2), (2, 1)), "archive/data/0": data})
    assert numtorch.load(ok).tolist() == [[0, 1], [2, 3]]
    cases = {
        "record holds": _tensor_pkl(2 ** 40, (4,), (1,)),          # 4 TB storage claim
        "out of bounds": _tensor_pkl(4, (100000, 100000), (100000, 1)),
        "out of bounds ": _tensor_pkl(4, (2,), (1,), offset=3),
        "invalid tensor geometry": _tensor_pkl(4, (2,), (-1,)),
    }
    for message, pkl in cases.items():
        with pytest.raises(CLEAN_ERRORS, match=message.strip()):
            numtorch.load(_zip({"archive/data.pkl": pkl, "archive/data/0": data}))
    huge_string = b"\x80\x02X\xff\xff\xff\xffabc."
    with pytest.raises(pickle.UnpicklingError, match="truncated"):
        numtorch.load(_archive(huge_string))
    with pytest.raises(RuntimeError, match="data/0: file not found"):
        numtorch.load(_zip({"archive/data.pkl": _tensor_pkl(4, (4,), (1,))}))


def test_zip_bomb_record_is_refused_before_allocating():
    buf = _zip({"archive/data.pkl": _tensor_pkl(2 ** 32 - 1, (4,), (1,), storage="ByteStorage"),
                "archive/data/0": np.zeros(1024, np.uint8).tobytes()}, compress=zipfile.ZIP_DEFLATED)
    raw = bytearray(buf.getvalue())
    central = raw.index(b"PK\x01\x02", raw.index(b"archive/data/0") + 10)
    while raw[central + 46:central + 46 + 14] != b"archive/data/0":
        central = raw.index(b"PK\x01\x02", central + 4)
    raw[central + 24:central + 28] = struct.pack("<I", 2 ** 32 - 1)  # claims a 4 GB record
    buf = io.BytesIO(bytes(raw))
    with pytest.raises(RuntimeError, match="implausible compression ratio"):
        numtorch.load(buf)


def test_files_that_are_not_zip_checkpoints():
    with pytest.raises(pickle.UnpicklingError, match="not a zip archive"):
        numtorch.load(io.BytesIO(b""))
    with pytest.raises(pickle.UnpicklingError, match="not a zip archive"):
        numtorch.load(io.BytesIO(pickle.dumps({"a": 1})))
    legacy = io.BytesIO()
    torch.save(torch.ones(2), legacy, _use_new_zipfile_serialization=False)
    legacy.seek(0)
    with pytest.raises(pickle.UnpicklingError, match="legacy|not a zip archive"):
        numtorch.load(legacy)
    with pytest.raises(RuntimeError, match="central directory"):
        numtorch.load(io.BytesIO(b"PK\x03\x04" + b"\0" * 100))
    with pytest.raises(RuntimeError, match="data.pkl: file not found"):
        numtorch.load(_zip({"archive/version": b"3\n"}))


# ---- atomic saves -------------------------------------------------------------------------------
def test_a_failed_save_leaves_the_previous_file_and_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "ckpt.pt"
    numtorch.save({"v": 1}, path)
    with pytest.raises(pickle.PicklingError):
        numtorch.save({"v": object()}, path)

    def broken(writer, chunk):
        raise OSError("disk full")

    monkeypatch.setattr(ser, "_write_chunk", broken)
    with pytest.raises(OSError, match="disk full"):
        numtorch.save({"v": numtorch.ones(4)}, path)
    assert numtorch.load(path) == {"v": 1}
    assert os.listdir(tmp_path) == ["ckpt.pt"]


def test_saving_over_a_symlink_writes_through_it_and_keeps_the_mode(tmp_path):
    real = tmp_path / "real.pt"
    numtorch.save(1, real)
    os.chmod(real, 0o600)
    link = tmp_path / "link.pt"
    link.symlink_to(real)
    numtorch.save(2, link)
    assert link.is_symlink() and numtorch.load(real) == 2
    assert (os.stat(real).st_mode & 0o777) == 0o600


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_mid_save_leaves_the_previous_file_loadable(tmp_path):
    path = tmp_path / "ckpt.pt"
    numtorch.save({"w": numtorch.zeros(3), "step": 1}, path)
    script = textwrap.dedent("""
        import sys, time
        import numtorch, numtorch.serialization as ser
        real = ser._write_chunk
        def slow(writer, chunk):
            real(writer, chunk)
            print("writing", flush=True)
            time.sleep(60)
        ser._CHUNK = 1024
        ser._write_chunk = slow
        numtorch.save({"w": numtorch.ones(100000), "step": 2}, sys.argv[1])
    """)
    proc = subprocess.Popen([sys.executable, "-c", script, str(path)], stdout=subprocess.PIPE)
    try:
        assert proc.stdout.readline() == b"writing\n"
        assert len(os.listdir(tmp_path)) == 2  # the target and the half-written temporary
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        proc.kill()
        proc.stdout.close()
    loaded = numtorch.load(path)
    assert loaded["step"] == 1 and loaded["w"].tolist() == [0.0, 0.0, 0.0]
    assert torch.load(path, weights_only=True)["step"] == 1


def test_numtorch_modules_and_optimizers_exchange_state_with_torch():
    nn, optim = getattr(numtorch, "nn", None), getattr(numtorch, "optim", None)
    if nn is None or optim is None or not hasattr(nn, "Linear") or not hasattr(optim, "Adam"):
        pytest.skip("numtorch.nn / numtorch.optim not available")
    ours = nn.Sequential(nn.Linear(3, 4), nn.Linear(4, 2))
    theirs = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Linear(4, 2))
    theirs.load_state_dict(torch.load(_numtorch_bytes(ours.state_dict()), weights_only=True))
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    np.testing.assert_allclose(theirs(torch.from_numpy(x)).detach().numpy(),
                               ours(numtorch.from_numpy(x)).detach().numpy(), rtol=1e-5, atol=1e-5)
    ours.load_state_dict(numtorch.load(_torch_bytes(theirs.state_dict())))
    opt = optim.Adam(ours.parameters(), lr=0.1)
    ours(numtorch.from_numpy(x)).sum().backward()
    opt.step()
    state = opt.state_dict()
    fresh = optim.Adam(ours.parameters(), lr=0.5)
    fresh.load_state_dict(numtorch.load(_numtorch_bytes(state)))
    assert fresh.state_dict()["param_groups"] == state["param_groups"]
    torch_opt = torch.optim.Adam(theirs.parameters())
    torch_opt.load_state_dict(torch.load(_numtorch_bytes(state), weights_only=True))
    assert torch_opt.state_dict()["param_groups"][0]["lr"] == 0.1
    np.testing.assert_array_equal(torch_opt.state_dict()["state"][0]["exp_avg"].numpy(),
                                  state["state"][0]["exp_avg"].numpy())
