"""RMSprop, Adagrad and the remaining LR schedulers against torch.

Optimizers: the same parameters and gradients go through several steps in both libraries (torch's
CPU default, the single-tensor path); parameters, state tensors, step counters, versions and
leaf-ness must agree (float32 within 2 ulp-ish: torch's CPU sqrt is MKL's, not correctly rounded).
Schedulers: the lr (and momentum) sequences, closed forms, state_dict round trips and errors."""
from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import numtorch as nt
import numtorch.nn  # noqa: F401
import numtorch.optim  # noqa: F401

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(11)
P0 = [RNG.standard_normal((3, 4)).astype(np.float32), RNG.standard_normal(5).astype(np.float32)]
GRADS = [[RNG.standard_normal(p.shape).astype(np.float32) for p in P0] for _ in range(5)]


def _run(lib, cls_name: str, kwargs: dict, dtype, steps: int = 5, lr_tensor: bool = False):
    params = [lib.nn.Parameter(lib.tensor(p.astype(dtype))) for p in P0]
    if lr_tensor:
        kwargs = {**kwargs, "lr": lib.tensor(kwargs.get("lr", 0.01))}
    opt = getattr(lib.optim, cls_name)(params, **kwargs)
    trace = []
    for grads in GRADS[:steps]:
        opt.zero_grad()
        for p, g in zip(params, grads):
            p.grad = lib.tensor(g.astype(dtype))
        opt.step()
        trace.append([p.detach().numpy().copy() for p in params])
    state = [{k: (v.numpy().copy(), str(v.dtype)) if isinstance(v, lib.Tensor) else v
              for k, v in opt.state[p].items()} for p in params]
    flags = [(p.is_leaf, p.requires_grad, p._version, p.grad_fn is None) for p in params]
    return trace, state, flags, opt


def _compare(cls_name: str, kwargs: dict, dtype=np.float32, lr_tensor: bool = False):
    rtol = 3e-6 if dtype == np.float32 else 1e-13
    t_trace, t_state, t_flags, t_opt = _run(torch, cls_name, kwargs, dtype, lr_tensor=lr_tensor)
    n_trace, n_state, n_flags, n_opt = _run(nt, cls_name, kwargs, dtype, lr_tensor=lr_tensor)
    for t_step, n_step in zip(t_trace, n_trace):
        for a, b in zip(t_step, n_step):
            assert a.dtype == b.dtype
            np.testing.assert_allclose(b, a, rtol=rtol, atol=rtol * 1e-2)
    for ts, ns in zip(t_state, n_state):
        assert list(ts) == list(ns)
        for k in ts:
            (a, a_dtype), (b, b_dtype) = ts[k], ns[k]
            assert a_dtype == b_dtype and a.shape == b.shape
            np.testing.assert_allclose(b, a, rtol=rtol, atol=rtol * 1e-2)
    assert t_flags == n_flags
    return t_opt, n_opt


@pytest.mark.parametrize("kwargs", [
    {}, {"lr": 0.05, "alpha": 0.9}, {"lr": 0.01, "momentum": 0.9},
    {"lr": 0.01, "centered": True}, {"lr": 0.02, "momentum": 0.5, "centered": True, "weight_decay": 0.1},
    {"lr": 0.01, "eps": 1e-3, "weight_decay": 0.3, "maximize": True},
])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_rmsprop_matches_torch(kwargs, dtype):
    _compare("RMSprop", kwargs, dtype)


@pytest.mark.parametrize("kwargs", [
    {}, {"lr": 0.5, "lr_decay": 0.1}, {"lr": 0.1, "weight_decay": 0.2},
    {"lr": 0.1, "initial_accumulator_value": 0.3, "eps": 1e-3},
    {"lr": 0.2, "lr_decay": 0.05, "weight_decay": 0.1, "initial_accumulator_value": 0.1, "maximize": True},
])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_adagrad_matches_torch(kwargs, dtype):
    _compare("Adagrad", kwargs, dtype)


def test_tensor_lr_is_accepted():
    _compare("RMSprop", {"lr": 0.02, "momentum": 0.9}, lr_tensor=True)
    _compare("Adagrad", {"lr": 0.1}, lr_tensor=True)


def test_adagrad_state_exists_before_the_first_step_and_unused_params_are_left_alone():
    def observe(lib):
        a, b = lib.nn.Parameter(lib.ones(2)), lib.nn.Parameter(lib.ones(3))
        opt = lib.optim.Adagrad([a, b], initial_accumulator_value=0.5)
        before = {k: repr(v) for k, v in opt.state[b].items()}
        a.grad = lib.full((2,), 2.0)
        opt.step()
        return before, repr(opt.state[a]["step"]), repr(opt.state[b]["step"]), b._version, a._version
    assert observe(torch) == observe(nt)


def test_reprs_defaults_and_state_dict_round_trip():
    def observe(lib):
        out = []
        for cls_name, kwargs in [("RMSprop", {"momentum": 0.9, "centered": True}), ("RMSprop", {}),
                                 ("Adagrad", {"lr_decay": 0.01}), ("Adagrad", {})]:
            params = [lib.nn.Parameter(lib.tensor(p)) for p in P0]
            opt = getattr(lib.optim, cls_name)(params, **kwargs)
            for p, g in zip(params, GRADS[0]):
                p.grad = lib.tensor(g)
            opt.step()
            sd = opt.state_dict()
            fresh = [lib.nn.Parameter(p.detach().clone()) for p in params]
            opt2 = getattr(lib.optim, cls_name)(fresh, lr=0.5)
            opt2.load_state_dict(sd)
            for p, g in zip(fresh, GRADS[1]):
                p.grad = lib.tensor(g)
            opt2.step()
            out.append((repr(opt), opt.defaults, sorted(sd["state"][0]), sd["param_groups"],
                        [np.round(p.detach().numpy(), 5).tolist() for p in fresh],
                        repr(opt2.state[fresh[0]]["step"])))
        return out
    assert observe(torch) == observe(nt)


def test_argument_errors():
    def observe(lib):
        p = lib.nn.Parameter(lib.ones(2))
        out = []
        for thunk in (lambda: lib.optim.RMSprop([p], lr=-1), lambda: lib.optim.RMSprop([p], eps=-1),
                      lambda: lib.optim.RMSprop([p], momentum=-1),
                      lambda: lib.optim.RMSprop([p], weight_decay=-1),
                      lambda: lib.optim.RMSprop([p], alpha=-0.5),
                      lambda: lib.optim.RMSprop([p], lr=lib.tensor([0.1, 0.2])),
                      lambda: lib.optim.Adagrad([p], lr=-1), lambda: lib.optim.Adagrad([p], lr_decay=-1),
                      lambda: lib.optim.Adagrad([p], weight_decay=-1),
                      lambda: lib.optim.Adagrad([p], initial_accumulator_value=-1),
                      lambda: lib.optim.Adagrad([p], eps=-1)):
            try:
                thunk()
                out.append("ok")
            except (ValueError, TypeError) as e:
                out.append((type(e).__name__, str(e)))
        return out
    assert observe(torch) == observe(nt)


def test_capturable_rmsprop_refuses_cpu_tensors():
    def observe(lib):
        p = lib.nn.Parameter(lib.ones(2))
        opt = lib.optim.RMSprop([p], capturable=True)
        p.grad = lib.ones(2)
        try:
            opt.step()
        except AssertionError as e:
            return str(e), p.tolist(), repr(opt.state[p]["step"])
    assert observe(torch) == observe(nt)


def test_updates_are_untracked_in_place_writes():
    for lib in (torch, nt):
        p = lib.nn.Parameter(lib.ones(3))
        opt = lib.optim.RMSprop([p], lr=0.1, momentum=0.9, centered=True)
        (p * lib.tensor([1.0, 2.0, 3.0])).sum().backward()
        with lib.enable_grad():
            opt.step()
        assert p.is_leaf and p.grad_fn is None and p._version == 1
        assert opt.state[p]["momentum_buffer"].grad_fn is None


# ---- schedulers ----------------------------------------------------------------------------------
def _optimizer(lib, cls_name="SGD", **kwargs):
    groups = [{"params": [lib.nn.Parameter(lib.ones(1))]},
              {"params": [lib.nn.Parameter(lib.ones(1))], "lr": 0.5}]
    return getattr(lib.optim, cls_name)(groups, lr=0.1, **kwargs)


def _sched_trace(lib, make, steps=12, cls_name="SGD", opt_kwargs=None, step_args=None):
    opt = _optimizer(lib, cls_name, **(opt_kwargs or {}))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sched = make(lib, opt)
        out = [sched.get_last_lr(), [dict((k, v) for k, v in g.items() if k != "params")
                                     for g in opt.param_groups]]
        for i in range(steps):
            opt.step()
            if step_args is None:
                sched.step()
            else:
                sched.step(*step_args[i])
            out.append((sched.get_last_lr(), [g["lr"] for g in opt.param_groups],
                        [g.get("momentum", g.get("betas")) for g in opt.param_groups]))
    warned = [(w.category.__name__, str(w.message)) for w in caught]
    return out, warned, sched


def _state(sched) -> dict:
    drop = {"lr_lambdas", "_scale_fn_custom", "_schedulers"}
    return {k: v for k, v in sched.state_dict().items() if k not in drop}


def _assert_same_schedule(make, **kwargs):
    t_out, t_warned, t_sched = _sched_trace(torch, make, **kwargs)
    n_out, n_warned, n_sched = _sched_trace(nt, make, **kwargs)
    assert t_out == n_out
    assert t_warned == n_warned
    assert sorted(_state(t_sched)) == sorted(_state(n_sched))
    return t_sched, n_sched


L = "lr_scheduler"
SCHEDULES = {
    "constant": lambda lib, o: lib.optim.lr_scheduler.ConstantLR(o, factor=0.5, total_iters=3),
    "constant_default": lambda lib, o: lib.optim.lr_scheduler.ConstantLR(o),
    "multiplicative": lambda lib, o: lib.optim.lr_scheduler.MultiplicativeLR(o, lambda e: 0.95),
    "polynomial": lambda lib, o: lib.optim.lr_scheduler.PolynomialLR(o, total_iters=6, power=2.0),
    "polynomial_default": lambda lib, o: lib.optim.lr_scheduler.PolynomialLR(o),
    "warm_restarts": lambda lib, o: lib.optim.lr_scheduler.CosineAnnealingWarmRestarts(o, T_0=3,
                                                                                        eta_min=0.01),
    "warm_restarts_mult": lambda lib, o: lib.optim.lr_scheduler.CosineAnnealingWarmRestarts(o, 2, T_mult=2),
    "one_cycle": lambda lib, o: lib.optim.lr_scheduler.OneCycleLR(o, max_lr=1.0, total_steps=12),
    "one_cycle_linear_3": lambda lib, o: lib.optim.lr_scheduler.OneCycleLR(
        o, max_lr=[1.0, 2.0], epochs=3, steps_per_epoch=4, anneal_strategy="linear", three_phase=True,
        pct_start=0.25, cycle_momentum=False),
    "cyclic": lambda lib, o: lib.optim.lr_scheduler.CyclicLR(o, 0.01, 0.1, step_size_up=3),
    "cyclic_tri2": lambda lib, o: lib.optim.lr_scheduler.CyclicLR(o, [0.01, 0.02], 0.1, 2, 3,
                                                                 mode="triangular2"),
    "cyclic_exp": lambda lib, o: lib.optim.lr_scheduler.CyclicLR(o, 0.01, 0.1, 2, mode="exp_range",
                                                                gamma=0.9, cycle_momentum=False),
    "sequential": lambda lib, o: lib.optim.lr_scheduler.SequentialLR(
        o, [lib.optim.lr_scheduler.ConstantLR(o, factor=0.1, total_iters=2),
            lib.optim.lr_scheduler.ExponentialLR(o, gamma=0.9),
            lib.optim.lr_scheduler.PolynomialLR(o, total_iters=4)], milestones=[2, 6]),
    "chained": lambda lib, o: lib.optim.lr_scheduler.ChainedScheduler(
        [lib.optim.lr_scheduler.ConstantLR(o, factor=0.1, total_iters=2),
         lib.optim.lr_scheduler.ExponentialLR(o, gamma=0.9)]),
}


@pytest.mark.parametrize("name", sorted(SCHEDULES))
def test_scheduler_sequences_match_torch(name):
    _assert_same_schedule(SCHEDULES[name], opt_kwargs={"momentum": 0.9})


def test_one_cycle_cycles_adam_beta1():
    _assert_same_schedule(lambda lib, o: lib.optim.lr_scheduler.OneCycleLR(o, max_lr=0.3, total_steps=10),
                          steps=10, cls_name="Adam")


def test_one_cycle_past_total_steps_raises():
    def observe(lib):
        opt = _optimizer(lib, momentum=0.9)
        sched = lib.optim.lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=3)
        try:
            for _ in range(5):
                opt.step()
                sched.step()
        except ValueError as e:
            return str(e), sched.last_epoch
    assert observe(torch) == observe(nt)


@pytest.mark.parametrize("name", ["constant", "polynomial"])
def test_closed_forms_with_epoch(name):
    epochs = [(e,) for e in [1, 2, 5, 3, 4, 6, 7, 9, 0, 2, 8, 1]]
    _assert_same_schedule(SCHEDULES[name], step_args=epochs)


def test_warm_restarts_with_fractional_epochs():
    epochs = [(e,) for e in [0.5, 1.0, 2.5, 3.0, 7.25, 4, 13.5, 30, 0.1, 2.0, 6.0, 14.0]]
    for make in (SCHEDULES["warm_restarts"], SCHEDULES["warm_restarts_mult"]):
        _assert_same_schedule(make, step_args=epochs)


@pytest.mark.parametrize("kwargs,metrics", [
    ({}, [1.0] * 14),
    ({"patience": 2, "factor": 0.5}, [5, 4, 4, 4, 4, 3, 3.9999, 3, 3, 3, 3, 3, 1, 1]),
    ({"mode": "max", "patience": 1, "cooldown": 2, "min_lr": 0.01},
     [1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3]),
    ({"threshold_mode": "abs", "threshold": 0.5, "patience": 0, "min_lr": [0.05, 0.2], "eps": 1e-3},
     [10, 9.7, 9, 8.8, 8.7, 1, 1, 1, 1, 1, 1, 1, 1, 1]),
    ({"mode": "max", "threshold_mode": "abs", "patience": 0}, [1, 1.5, 1.6, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3]),
])
def test_reduce_lr_on_plateau(kwargs, metrics):
    make = lambda lib, o: lib.optim.lr_scheduler.ReduceLROnPlateau(o, **kwargs)  # noqa: E731
    t, n = _assert_same_schedule(make, steps=14, step_args=[(m,) for m in metrics])
    assert (t.best, t.num_bad_epochs, t.cooldown_counter, t.min_lrs) == \
        (n.best, n.num_bad_epochs, n.cooldown_counter, n.min_lrs)


def test_reduce_lr_on_plateau_tensor_metric_epoch_warning_and_state_dict():
    def observe(lib):
        opt = _optimizer(lib)
        sched = lib.optim.lr_scheduler.ReduceLROnPlateau(opt, patience=0, mode="max")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            sched.step(lib.tensor(1.0))
            sched.step(lib.tensor(0.5), epoch=5)
        sd = sched.state_dict()
        other = lib.optim.lr_scheduler.ReduceLROnPlateau(_optimizer(lib))
        other.load_state_dict(sd)
        return ([str(w.message) for w in caught], sched.last_epoch, sched.get_last_lr(), sorted(sd),
                other.mode, other.mode_worse, other.best)
    assert observe(torch) == observe(nt)


def test_state_dict_round_trips():
    def observe(lib):
        out = []
        for name in ("sequential", "chained", "one_cycle", "cyclic", "warm_restarts", "polynomial"):
            opt = _optimizer(lib, momentum=0.9)
            sched = SCHEDULES[name](lib, opt)
            for _ in range(4):
                opt.step()
                sched.step()
            sd = sched.state_dict()
            opt2 = _optimizer(lib, momentum=0.9)
            sched2 = SCHEDULES[name](lib, opt2)
            sched2.load_state_dict(sd)
            for _ in range(3):
                opt2.step()
                sched2.step()
            out.append((sorted(sd), sched2.get_last_lr(), [g["lr"] for g in opt2.param_groups]))
        return out
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert observe(torch) == observe(nt)


def test_scheduler_argument_errors():
    def observe(lib):
        S = lib.optim.lr_scheduler
        out = []
        thunks = [
            lambda o: S.ConstantLR(o, factor=1.5), lambda o: S.CosineAnnealingWarmRestarts(o, 0),
            lambda o: S.CosineAnnealingWarmRestarts(o, 2.0), lambda o: S.CosineAnnealingWarmRestarts(o, 2, 0),
            lambda o: S.CosineAnnealingWarmRestarts(o, 2, eta_min="x"),
            lambda o: S.CosineAnnealingWarmRestarts(o, 2).step(-1),
            lambda o: S.OneCycleLR(o, 1.0), lambda o: S.OneCycleLR(o, 1.0, total_steps=0),
            lambda o: S.OneCycleLR(o, 1.0, epochs=0, steps_per_epoch=2),
            lambda o: S.OneCycleLR(o, 1.0, epochs=2, steps_per_epoch=1.5),
            lambda o: S.OneCycleLR(o, 1.0, 10, pct_start=1),
            lambda o: S.OneCycleLR(o, 1.0, 10, anneal_strategy="exp"),
            lambda o: S.OneCycleLR(o, [1.0], 10), lambda o: S.OneCycleLR(object(), 1.0, 10),
            lambda o: S.CyclicLR(o, 0.1, 1.0, mode="bad"),
            lambda o: S.ReduceLROnPlateau(o, factor=1.0), lambda o: S.ReduceLROnPlateau(o, mode="mid"),
            lambda o: S.ReduceLROnPlateau(o, threshold_mode="x"),
            lambda o: S.ReduceLROnPlateau(o, min_lr=[0.1]),
            lambda o: S.ReduceLROnPlateau(object()),
            lambda o: S.SequentialLR(o, [], []),
            lambda o: S.SequentialLR(o, [S.ConstantLR(o)], [1]),
            lambda o: S.SequentialLR(o, [S.ConstantLR(o), S.ReduceLROnPlateau(o)], [1]),
            lambda o: S.SequentialLR(o, [S.ConstantLR(o), object()], [1]),
            lambda o: S.ChainedScheduler([]),
            lambda o: S.MultiplicativeLR(o, [lambda e: 1.0]), lambda o: S.MultiplicativeLR(o, 0.5),
        ]
        for thunk in thunks:
            try:
                thunk(_optimizer(lib))
                out.append("ok")
            except (ValueError, TypeError, KeyError) as e:
                out.append((type(e).__name__, str(e)))
        # the momentum check needs an optimizer without momentum or betas
        opt = lib.optim.Adagrad([lib.nn.Parameter(lib.ones(1))])
        for thunk in (lambda: S.OneCycleLR(opt, 1.0, 10), lambda: S.CyclicLR(opt, 0.1, 1.0)):
            try:
                thunk()
            except ValueError as e:
                out.append(str(e))
        return out
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert observe(torch) == observe(nt)


def test_sequential_lr_with_a_different_optimizer_message():
    def observe(lib):
        o1, o2 = _optimizer(lib), _optimizer(lib)
        S = lib.optim.lr_scheduler
        try:
            S.SequentialLR(o1, [S.ConstantLR(o1), S.ConstantLR(o2)], [2])
        except ValueError as e:
            msg = str(e)
            return msg[:msg.index(" has ")], msg[msg.rindex(", which"):]
    assert observe(torch) == observe(nt)


def test_warm_restarts_restart_points():
    t, n = _assert_same_schedule(SCHEDULES["warm_restarts_mult"], steps=20)
    assert (t.T_i, t.T_cur) == (n.T_i, n.T_cur)
    assert math.isclose(n.get_last_lr()[0], t.get_last_lr()[0])


def test_training_loop_end_to_end():
    """DataLoader shuffling, a model, clipping, RMSprop and OneCycleLR together, as a user writes it."""
    def run(lib):
        lib.manual_seed(0)
        x = lib.randn(24, 3)
        y = x @ lib.tensor([[1.0], [-2.0], [0.5]]) + 0.1
        loader = lib.utils.data.DataLoader(lib.utils.data.TensorDataset(x, y), batch_size=5, shuffle=True)
        model = lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.Tanh(), lib.nn.Linear(4, 1))
        opt = lib.optim.RMSprop(model.parameters(), lr=0.01, momentum=0.5)
        sched = lib.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.05, epochs=3, steps_per_epoch=len(loader))
        losses, norms = [], []
        for _ in range(3):
            for xb, yb in loader:
                opt.zero_grad()
                loss = lib.nn.functional.mse_loss(model(xb), yb)
                loss.backward()
                norms.append(lib.nn.utils.clip_grad_norm_(model.parameters(), 0.5).item())
                opt.step()
                sched.step()
                losses.append(loss.item())
        return losses, norms, sched.get_last_lr(), opt.param_groups[0]["momentum"]
    (t_losses, t_norms, t_lr, t_m), (n_losses, n_norms, n_lr, n_m) = run(torch), run(nt)
    np.testing.assert_allclose(n_losses, t_losses, rtol=1e-5)
    np.testing.assert_allclose(n_norms, t_norms, rtol=1e-5)
    assert (t_lr, t_m) == (n_lr, n_m)
