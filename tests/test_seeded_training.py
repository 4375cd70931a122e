"""Issue 5's acceptance: a seeded training run is torch's run.

A small MLP with dropout, trained for 20 steps on numpy data through a shuffling DataLoader, in
numtorch and in torch from the same manual_seed: the initial parameters are bitwise equal, every
batch and dropout mask is drawn alike, and the losses agree to 1e-6 relative at every step (the
remaining differences are float rounding in matmul/softmax, not the random streams)."""
from __future__ import annotations

import numpy as np
import pytest

import numtorch
import numtorch.nn  # noqa: F401
import numtorch.optim  # noqa: F401
import numtorch.utils.data  # noqa: F401

torch = pytest.importorskip("torch")

STEPS = 20
RNG = np.random.default_rng(2024)
FEATURES = RNG.standard_normal((100, 10)).astype(np.float32)
LABELS = RNG.integers(0, 3, 100)


def train(lib, seed: int) -> dict:
    lib.manual_seed(seed)
    nn = lib.nn
    model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Dropout(0.2), nn.Linear(32, 32), nn.Tanh(),
                          nn.Dropout(0.5), nn.Linear(32, 3))
    initial = [p.detach().numpy().copy() for p in model.parameters()]
    optimizer = lib.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    dataset = lib.utils.data.TensorDataset(lib.tensor(FEATURES), lib.tensor(LABELS))
    loader = lib.utils.data.DataLoader(dataset, batch_size=16, shuffle=True)
    losses, labels = [], []
    while len(losses) < STEPS:  # 100 samples make 7 batches an epoch: 20 steps reshuffle twice
        for features, targets in loader:
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(features), targets)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
            labels.append(targets.numpy().copy())
            if len(losses) == STEPS:
                break
    return dict(initial=initial, losses=losses, labels=labels, state=lib.get_rng_state().numpy().tobytes())


@pytest.mark.parametrize("seed", [0, 1234])
def test_seeded_training_run_matches_torch(seed):
    expected, got = train(torch, seed), train(numtorch, seed)
    for a, b in zip(expected["initial"], got["initial"]):
        assert a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()
    for step, (a, b) in enumerate(zip(expected["labels"], got["labels"])):
        np.testing.assert_array_equal(b, a, err_msg=f"batch {step} differs")
    np.testing.assert_allclose(got["losses"], expected["losses"], rtol=1e-6, atol=0)
    assert len(got["losses"]) == STEPS
    assert got["state"] == expected["state"]  # the same number of draws from the default generator
