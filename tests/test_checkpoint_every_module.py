"""Checkpoints of every nn module type numtorch has move between numtorch and torch both ways:
same keys, values, dtypes and shapes (issue 8's acceptance, module by module)."""
import io

import numpy as np
import pytest

import numtorch as nt

torch = pytest.importorskip("torch")

# name -> constructor arguments (identical in both libraries)
MODULES = {
    "Linear": (4, 3), "Bilinear": (3, 4, 2), "Embedding": (10, 4), "LayerNorm": (4,),
    "Conv1d": (2, 3, 3), "Conv2d": (2, 3, 3), "ConvTranspose2d": (2, 3, 3), "BatchNorm1d": (4,),
    "BatchNorm2d": (3,), "GroupNorm": (2, 4), "RNN": (4, 5), "LSTM": (4, 5, 2), "GRU": (4, 5),
    "RNNCell": (4, 5), "LSTMCell": (4, 5), "GRUCell": (4, 5), "MultiheadAttention": (8, 2),
    "TransformerEncoderLayer": (8, 2, 16), "PReLU": (), "Sequential": None,
    "RMSNorm": (4,), "EmbeddingBag": (10, 4), "MaxPool3d": (2,), "Unfold": (2,), "PixelShuffle": (2,),
}


def _build(lib, name):
    if name == "Sequential":
        return lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.ReLU(), lib.nn.Linear(4, 2))
    return getattr(lib.nn, name)(*MODULES[name])


def _fill(state, rng):
    return {k: rng.standard_normal(tuple(v.shape)).astype(v.detach().numpy().dtype)
            if v.dtype.is_floating_point else v.detach().numpy().copy() for k, v in state.items()}


@pytest.mark.parametrize("name", sorted(MODULES))
def test_state_dict_round_trips_through_torch(name, tmp_path):
    if not hasattr(nt.nn, name):
        pytest.skip(f"numtorch.nn has no {name} yet")
    ours, theirs = _build(nt, name), _build(torch, name)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    values = _fill(ours.state_dict(), np.random.default_rng(0))
    with nt.no_grad():
        for k, v in ours.state_dict().items():
            v.copy_(nt.tensor(values[k]))

    # numtorch -> torch
    path = tmp_path / "ours.pt"
    nt.save(ours.state_dict(), path)
    loaded = torch.load(path, weights_only=True)
    theirs.load_state_dict(loaded)
    for k, v in theirs.state_dict().items():
        np.testing.assert_array_equal(v.numpy(), values[k])

    # torch -> numtorch
    buf = io.BytesIO()
    torch.save(theirs.state_dict(), buf)
    buf.seek(0)
    back = nt.load(buf)
    fresh = _build(nt, name)
    fresh.load_state_dict(back)
    expected = theirs.state_dict()
    for k, v in fresh.state_dict().items():
        assert str(v.dtype) == str(expected[k].dtype) and v.shape == expected[k].shape
        np.testing.assert_array_equal(v.numpy(), values[k])
