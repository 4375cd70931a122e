"""What scripts ask of a PyTorch build without accelerators: torch.cuda / torch.accelerator /
torch.backends answers, the default device, and the legacy typed constructors
(torch.LongTensor(...), isinstance(x, torch.FloatTensor))."""
import pytest
import torch

import numtorch

LEGACY = ["FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor", "IntTensor", "ShortTensor",
          "CharTensor", "ByteTensor", "BoolTensor"]


def test_no_accelerator_is_reported_as_torch_cpu_build_does():
    for lib in (torch, numtorch):
        lib.cuda.manual_seed(0)
        lib.cuda.manual_seed_all(0)
    assert numtorch.cuda.is_available() is torch.cuda.is_available() is False
    assert numtorch.cuda.device_count() == torch.cuda.device_count()
    assert numtorch.accelerator.is_available() == torch.accelerator.is_available()
    assert numtorch.accelerator.current_accelerator() == torch.accelerator.current_accelerator()
    assert numtorch.backends.mps.is_available() == torch.backends.mps.is_available()
    assert numtorch.backends.cudnn.deterministic == torch.backends.cudnn.deterministic
    with pytest.raises(AssertionError) as theirs:
        torch.cuda.synchronize()
    with pytest.raises(AssertionError) as ours:
        numtorch.cuda.synchronize()
    assert str(ours.value) == str(theirs.value)


def test_default_device_is_the_cpu():
    for lib in (torch, numtorch):
        lib.set_default_device("cpu")
        lib.set_default_device(None)
    assert str(numtorch.get_default_device()) == str(torch.get_default_device())


@pytest.mark.parametrize("name", LEGACY)
@pytest.mark.parametrize("args", [([1, 2, 3],), ([1.5, 2.0],), ((2, 3),), (2, 3), (), ([],)])
def test_legacy_constructor_matches(name, args):
    theirs = getattr(torch, name)(*args)
    ours = getattr(numtorch, name)(*args)
    assert str(ours.dtype) == str(theirs.dtype) and tuple(ours.shape) == tuple(theirs.shape)
    if len(args) == 1:  # from data (from sizes, torch leaves the memory uninitialised)
        assert ours.tolist() == theirs.tolist()


@pytest.mark.parametrize("name", LEGACY)
def test_legacy_isinstance_and_repr(name):
    assert repr(getattr(numtorch, name)) == repr(getattr(torch, name))
    for dtype in ("float32", "float64", "int64", "bool", "uint8"):
        t_theirs = torch.zeros(2, dtype=getattr(torch, dtype))
        t_ours = numtorch.zeros(2, dtype=getattr(numtorch, dtype))
        assert isinstance(t_ours, getattr(numtorch, name)) == isinstance(t_theirs, getattr(torch, name))


def test_legacy_constructor_refuses_other_dtype_tensor_like_torch():
    with pytest.raises(TypeError) as theirs:
        torch.LongTensor(torch.tensor([1.0]))
    with pytest.raises(TypeError) as ours:
        numtorch.LongTensor(numtorch.tensor([1.0]))
    assert str(ours.value) == str(theirs.value)
    same = numtorch.tensor([1, 2])
    assert numtorch.LongTensor(same) is same


@pytest.mark.parametrize("call", [
    lambda L: L.zeros(1).cuda(),
    lambda L: L.zeros(1).to("cuda"),
    lambda L: L.zeros(1).to(device="cuda:1"),
    lambda L: L.zeros(1, device="cuda"),
    lambda L: L.ones(2, device=L.device("cuda")),
])
def test_cuda_can_be_named_but_not_used(call):
    assert str(numtorch.device("cuda:0")) == str(torch.device("cuda:0"))
    with pytest.raises(AssertionError) as theirs:
        call(torch)
    with pytest.raises(AssertionError) as ours:
        call(numtorch)
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize("bad", [0, -1, "a", 2.0])
def test_set_num_threads_refuses_what_torch_refuses(bad):
    with pytest.raises(RuntimeError) as theirs:
        torch.set_num_threads(bad)
    with pytest.raises(RuntimeError) as ours:
        numtorch.set_num_threads(bad)
    assert str(ours.value) == str(theirs.value)


def test_set_num_threads_is_remembered():
    before = numtorch.get_num_threads()
    numtorch.set_num_threads(1)
    assert numtorch.get_num_threads() == 1
    numtorch.set_num_threads(before)
    assert numtorch.get_num_threads() == before


@pytest.mark.parametrize("move", [lambda m, L: m.cuda(), lambda m, L: m.to("cuda"),
                                  lambda m, L: m.to(L.device("cuda"), L.float64)])
def test_modules_move_to_cuda_only_when_empty(move):
    for module in ("Linear", "ReLU"):
        make = (lambda L: getattr(L.nn, module)(2, 2)) if module == "Linear" else (lambda L: L.nn.ReLU())
        try:
            move(make(torch), torch)
        except AssertionError as e:
            with pytest.raises(AssertionError, match=str(e)):
                move(make(numtorch), numtorch)
        else:
            move(make(numtorch), numtorch)


@pytest.mark.parametrize("call", [
    lambda L, x: L.pixel_shuffle(x.reshape(1, 4, 2, 3), 2),
    lambda L, x: L.pixel_unshuffle(x.reshape(1, 1, 4, 6), 2),
    lambda L, x: L.channel_shuffle(x.reshape(1, 4, 2, 3), 2),
    lambda L, x: L.max_pool3d(x.reshape(1, 1, 2, 3, 4), 2),
    lambda L, x: L.rms_norm(x.reshape(4, 6), [6]),
    lambda L, x: L.pdist(x.reshape(4, 6)),
    lambda L, x: L.selu(x),
    lambda L, x: L.adaptive_max_pool1d(x.reshape(2, 3, 4), 2)[1],
    lambda L, x: L.dropout(x, 0.0, True),
    lambda L, x: L.embedding(x.reshape(6, 4), L.tensor([[0, 5], [2, 2]])),
    lambda L, x: L.embedding(x.reshape(6, 4), L.tensor([0, 5, 2]), 2),
    lambda L, x: L.layer_norm(x.reshape(4, 6), [6], None, None, 1e-5, False),
])
def test_torch_namespace_forms_of_functional(call):
    data = [float(i) * 0.37 - 2 for i in range(24)]
    theirs, ours = call(torch, torch.tensor(data)), call(numtorch, numtorch.tensor(data))
    assert tuple(ours.shape) == tuple(theirs.shape)
    assert ours.reshape(-1).tolist() == pytest.approx(theirs.reshape(-1).tolist(), rel=1e-6, abs=1e-6)
