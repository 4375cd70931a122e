"""SGD's in-place writes: versions as torch's (parameters and momentum buffers), values bit for bit,
and numtorch's write notes naming the user's `step` call for every parameter (the step finds that
call site once for all its writes)."""
from __future__ import annotations

import numpy as np
import pytest

import numtorch

torch = pytest.importorskip("torch")


def _run(lib, momentum):
    rng = np.random.default_rng(3)
    params = [lib.tensor(rng.standard_normal(s).astype(np.float32), requires_grad=True)
              for s in [(70, 3), (10,), (256,), (3, 0)]]
    opt = lib.optim.SGD(params, lr=0.1, momentum=momentum)
    versions = []
    for _ in range(3):
        opt.zero_grad()
        sum(((p * p).sum() for p in params), lib.tensor(0.0)).backward()
        opt.step()
        versions.append([p._version for p in params])
        if momentum:
            versions.append([opt.state[p]["momentum_buffer"]._version for p in params])
    return params, versions


@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_versions_and_values_match_torch(momentum):
    ours, our_versions = _run(numtorch, momentum)
    theirs, their_versions = _run(torch, momentum)
    assert our_versions == their_versions
    for a, b in zip(ours, theirs):
        np.testing.assert_array_equal(a.detach().numpy().view(np.uint32), b.detach().numpy().view(np.uint32))


def test_write_notes_name_the_step_call():
    w = numtorch.ones(70, 3, requires_grad=True)
    opt = numtorch.optim.SGD([w], lr=0.1, momentum=0.9)
    x = numtorch.ones(4, 70, requires_grad=True)
    (x @ w).sum().backward()
    y = (x @ w).sum()
    opt.step()  # the line the note names
    with pytest.raises(RuntimeError) as info:
        y.backward()
    notes = [n for n in getattr(info.value, "__notes__", []) if "modified in place" in n]
    assert len(notes) == 1 and "step" in notes[0] and "test_sgd_step_writes.py" in notes[0]
    assert "(version 0 -> 1)" in notes[0]
