"""An update with infinite or NaN gradients gives torch's parameters and, like torch's kernels,
no floating-point warning, for every optimizer (numpy's warnings made errors here)."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

import numtorch
import numtorch.optim  # noqa: F401

torch = pytest.importorskip("torch")

OPTIMIZERS = {
    "SGD": dict(lr=0.1, momentum=0.9, weight_decay=0.1),
    "SGD_nesterov": dict(lr=0.1, momentum=0.9, nesterov=True),
    "Adam": dict(lr=0.1, weight_decay=0.1),
    "Adam_amsgrad": dict(lr=0.1, amsgrad=True),
    "AdamW": dict(lr=0.1),
    "Adagrad": dict(lr=0.1, weight_decay=0.1),
    "RMSprop": dict(lr=0.1, momentum=0.5, centered=True),
    "Adadelta": dict(lr=0.1),
    "Adamax": dict(lr=0.1),
    "NAdam": dict(lr=0.1),
    "RAdam": dict(lr=0.1),
    "ASGD": dict(lr=0.1),
    "Rprop": dict(lr=0.1),
}
GRADS = ([float("inf"), float("-inf"), float("nan"), 1.0],
         [float("-inf"), float("inf"), 1.0, float("nan")],
         [1.0, 2.0, 3.0, 4.0])


def _steps(lib, name):
    cls = getattr(lib.optim, name.split("_")[0])
    p = lib.nn.Parameter(lib.tensor([1.0, 2.0, 3.0, 0.0]))
    opt = cls([p], **OPTIMIZERS[name])
    for g in GRADS:
        p.grad = lib.tensor(g)
        opt.step()
    return p.detach().numpy().copy()


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_nonfinite_gradients_step_silently_as_torch(name):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours = _steps(numtorch, name)
    theirs = _steps(torch, name)
    np.testing.assert_array_equal(np.isnan(ours), np.isnan(theirs))
    finite = np.isfinite(theirs)
    np.testing.assert_allclose(ours[finite], theirs[finite], rtol=1e-6)
    np.testing.assert_array_equal(ours[~finite & ~np.isnan(theirs)], theirs[~finite & ~np.isnan(theirs)])
