"""optim.lr_scheduler against torch: the lr sequence of each scheduler (chainable and closed
form), get_last_lr, state_dict round trips and the ordering warnings."""
from __future__ import annotations

import warnings

import pytest

import numtorch as nt
import numtorch.optim  # noqa: F401

torch = pytest.importorskip("torch")

SCHEDULERS = [
    ("LambdaLR", {"lr_lambda": lambda e: 0.9 ** e}), ("StepLR", {"step_size": 2, "gamma": 0.5}),
    ("MultiStepLR", {"milestones": [1, 3, 3], "gamma": 0.3}), ("ExponentialLR", {"gamma": 0.7}),
    ("LinearLR", {"start_factor": 0.25, "total_iters": 3}),
    ("CosineAnnealingLR", {"T_max": 3, "eta_min": 0.01}),
]


def _trace(lib, name, kwargs, epochs=None):
    p = lib.nn.Parameter(lib.ones(1))
    opt = lib.optim.SGD([{"params": [p]}, {"params": [lib.nn.Parameter(lib.ones(1))], "lr": 0.5}], lr=0.1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sched = getattr(lib.optim.lr_scheduler, name)(opt, **kwargs)
        out = [sched.get_last_lr()]
        for i in range(8):
            opt.step()
            sched.step() if epochs is None else sched.step(epochs[i])
            out.append(sched.get_last_lr() + [g["lr"] for g in opt.param_groups])
        sched.get_lr()
    state = {k: v for k, v in sched.state_dict().items() if k != "lr_lambdas"}
    warned = [(w.category.__name__, str(w.message)) for w in caught]
    return out, warned, sorted(state), opt.param_groups[0]["initial_lr"]


@pytest.mark.parametrize("name,kwargs", SCHEDULERS)
def test_scheduler_sequences(name, kwargs):
    assert _trace(torch, name, kwargs) == _trace(nt, name, kwargs)


@pytest.mark.parametrize("name,kwargs", SCHEDULERS)
def test_scheduler_closed_form_with_epoch(name, kwargs):
    epochs = [1, 2, 5, 3, 4, 6, 7, 9]
    assert _trace(torch, name, kwargs, epochs) == _trace(nt, name, kwargs, epochs)


def test_scheduler_order_warning_and_errors():
    def observe(lib):
        opt = lib.optim.SGD([lib.nn.Parameter(lib.ones(1))], lr=0.1)
        out = []
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            sched = lib.optim.lr_scheduler.StepLR(opt, 1)
            sched.step()
        out.append([str(w.message) for w in caught])
        for thunk in (lambda: lib.optim.lr_scheduler.StepLR(object(), 1),
                      lambda: lib.optim.lr_scheduler.StepLR(lib.optim.SGD([lib.nn.Parameter(lib.ones(1))]), 1,
                                                             last_epoch=3),
                      lambda: lib.optim.lr_scheduler.LinearLR(opt, start_factor=0),
                      lambda: lib.optim.lr_scheduler.LambdaLR(opt, [lambda e: 1, lambda e: 2])):
            try:
                thunk()
            except (TypeError, KeyError, ValueError) as e:
                out.append((type(e).__name__, str(e)))
        sched2 = lib.optim.lr_scheduler.ExponentialLR(opt, 0.5)
        sd = sched2.state_dict()
        with warnings.catch_warnings(record=True):
            warnings.simplefilter("always")
            sched2.step()
        sched2.load_state_dict(sd)
        out.append((sched2.last_epoch, sched2.get_last_lr()))
        return out
    assert observe(torch) == observe(nt)
