"""float64 updates round like torch's kernels: `add(alpha=)`, `lerp` and `addcmul` are single-
rounding fused multiply-adds there, so the float64 parameters after several steps are bitwise
torch's for the same gradients."""
import numpy as np
import pytest
import torch

import numtorch

CASES = [
    ("SGD", dict(lr=0.1)),
    ("SGD", dict(lr=0.1, momentum=0.9, weight_decay=0.01)),
    ("SGD", dict(lr=0.1, momentum=0.9, nesterov=True)),
    ("Adam", dict(lr=0.01)),
    ("AdamW", dict(lr=0.01, weight_decay=0.1)),
    ("Adam", dict(lr=0.01, amsgrad=True)),
    ("RMSprop", dict(lr=0.01, momentum=0.5)),
]
# Adagrad is left out: its float64 `state_sum.sqrt()` is MKL's VML sqrt in torch, which is not
# correctly rounded (about 1 value in 80 differs from numpy's by an ulp).


@pytest.mark.parametrize("name,kwargs", CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)])
def test_float64_steps_are_bitwise(name, kwargs):
    rng = np.random.default_rng(0)
    start = rng.standard_normal((7, 5))
    grads = [rng.standard_normal((7, 5)) for _ in range(6)]
    results = []
    for lib in (torch, numtorch):
        p = lib.tensor(start.copy(), requires_grad=True)
        opt = getattr(lib.optim, name)([p], **kwargs)
        for g in grads:
            p.grad = lib.tensor(g.copy())
            opt.step()
        results.append(p.detach().numpy().copy())
    assert np.array_equal(results[0].view(np.int64), results[1].view(np.int64))
