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


# ==== Adamax, NAdam, RAdam, Adadelta, Rprop, ASGD, LBFGS, SparseAdam ===============================
# The same parameters and gradients go through several steps in both libraries (torch's CPU default,
# the single-tensor path); parameters and every state tensor must agree bit for bit. The only kernel
# numtorch cannot reproduce is torch's sqrt (MKL's VML, not correctly rounded): the `torch_sqrt`
# fixture substitutes it for numtorch.optim._functional.sqrt, so NAdam, RAdam and Adadelta are
# checked bit for bit too, and separately within a few ulp with numtorch's own sqrt.
import numtorch.optim._functional as _nt_functional  # noqa: E402

Q_RNG = np.random.default_rng(2024)
Q0 = [Q_RNG.standard_normal((16, 9)), Q_RNG.standard_normal(40), Q_RNG.standard_normal(())]
# gradients that change sign, vanish (0 and -0) and repeat, so that Rprop's three cases all occur
Q_GRADS = []
for _k in range(8):
    _step = [Q_RNG.standard_normal(np.shape(p)) * 10.0 ** Q_RNG.integers(-3, 2) for p in Q0]
    _step[0].flat[::5] = 0.0
    _step[1][1] = -0.0
    Q_GRADS.append(_step)
Q_GRADS[3][2] = None  # the 0-d parameter has no gradient at step 3: skipped, state untouched

SQRT_OPTIMIZERS = {"NAdam", "RAdam", "Adadelta"}


@pytest.fixture
def torch_sqrt(monkeypatch):
    """numtorch's optimizers with torch's sqrt kernel: every other rounding is then checked."""
    def sqrt(a):
        return torch.sqrt(torch.from_numpy(np.ascontiguousarray(a))).numpy()
    monkeypatch.setattr(_nt_functional, "sqrt", sqrt)


def _bits(a: np.ndarray) -> tuple:
    a = np.ascontiguousarray(a)
    return str(a.dtype), a.shape, a.tobytes()


def _to_lib(lib, value):
    """A state dict's values moved between the libraries through numpy (tensors keep dtype/shape)."""
    if isinstance(value, (torch.Tensor, nt.Tensor)):
        return lib.from_numpy(value.detach().numpy().copy())
    if isinstance(value, dict):
        return {k: _to_lib(lib, v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_to_lib(lib, v) for v in value)
    return value


def _observe_state(lib, opt, params):
    out = []
    for p in params:
        state = {}
        for k, v in opt.state[p].items():
            state[k] = _bits(v.detach().numpy()) if isinstance(v, lib.Tensor) else v
        out.append(state)
    return out


def _make_params(lib, dtype):
    return [lib.nn.Parameter(lib.tensor(np.asarray(p, dtype))) for p in Q0]


def _steps(lib, opt, params, grads_seq, dtype):
    trace = []
    for grads in grads_seq:
        opt.zero_grad()
        for p, g in zip(params, grads):
            if g is not None:
                p.grad = lib.tensor(np.asarray(g, dtype))
        opt.step()
        trace.append([_bits(p.detach().numpy()) for p in params])
    return trace


def _groups(lib, params, kwargs, grouped):
    if not grouped:
        return params
    # two groups: the second overrides lr (and keeps the rest of kwargs)
    return [{"params": params[:2]}, {"params": params[2:], "lr": kwargs.get("lr", 0.01) * 0.5}]


def _differential(cls_name, kwargs, dtype, *, steps=8, grouped=False, lr_tensor=False):
    """Runs both libraries; returns (torch observations, numtorch observations)."""
    def run(lib):
        params = _make_params(lib, dtype)
        kw = dict(kwargs)
        if lr_tensor:
            kw["lr"] = lib.tensor(kw.get("lr", 0.01))
        opt = getattr(lib.optim, cls_name)(_groups(lib, params, kw, grouped), **kw)
        trace = _steps(lib, opt, params, Q_GRADS[:steps], dtype)
        flags = [(p.is_leaf, p.requires_grad, p._version, p.grad_fn is None) for p in params]
        return trace, _observe_state(lib, opt, params), flags, repr(opt)
    return run(torch), run(nt)


def _assert_same(t_obs, n_obs):
    t_trace, t_state, t_flags, t_repr = t_obs
    n_trace, n_state, n_flags, n_repr = n_obs
    for i, (a, b) in enumerate(zip(t_trace, n_trace)):
        assert a == b, f"parameters differ after step {i + 1}"
    assert t_state == n_state
    assert t_flags == n_flags
    assert t_repr == n_repr


MORE_CASES = {
    "Adamax": [{}, {"lr": 0.05, "betas": (0.8, 0.99)}, {"lr": 0.01, "weight_decay": 0.1, "eps": 1e-3},
               {"lr": 0.02, "weight_decay": 0.05, "maximize": True}],
    "NAdam": [{}, {"lr": 0.05, "momentum_decay": 0.01}, {"lr": 0.01, "weight_decay": 0.1},
              {"lr": 0.02, "weight_decay": 0.1, "decoupled_weight_decay": True},
              {"lr": 0.03, "betas": (0.5, 0.9), "eps": 1e-4, "maximize": True, "weight_decay": 0.01}],
    "RAdam": [{}, {"lr": 0.05, "betas": (0.8, 0.9)}, {"lr": 0.01, "weight_decay": 0.1},
              {"lr": 0.02, "betas": (0.9, 0.99), "weight_decay": 0.1, "decoupled_weight_decay": True},
              {"lr": 0.03, "betas": (0.5, 0.995), "eps": 1e-4, "maximize": True}],
    "Adadelta": [{}, {"lr": 0.5, "rho": 0.5}, {"lr": 2.0, "weight_decay": 0.1, "eps": 1e-4},
                 {"rho": 0.95, "maximize": True, "weight_decay": 0.01}],
    "Rprop": [{}, {"lr": 0.1, "etas": (0.3, 1.7)}, {"lr": 0.05, "step_sizes": (0.01, 0.08)},
              {"lr": 0.02, "maximize": True}],
    "ASGD": [{}, {"lr": 0.1, "t0": 2.0}, {"lr": 0.05, "lambd": 0.1, "alpha": 0.5, "t0": 0.0,
                                          "weight_decay": 0.1},
             {"lr": 0.03, "t0": 3, "maximize": True}],
}
_CASE_IDS = [(name, i) for name, cases in MORE_CASES.items() for i in range(len(cases))]


@pytest.mark.parametrize("name,case", _CASE_IDS, ids=[f"{n}-{i}" for n, i in _CASE_IDS])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_more_optimizers_bitwise(name, case, dtype, torch_sqrt):
    _assert_same(*_differential(name, MORE_CASES[name][case], dtype))


@pytest.mark.parametrize("name", sorted(MORE_CASES))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_more_optimizers_param_groups_and_tensor_lr(name, dtype, torch_sqrt):
    kwargs = MORE_CASES[name][1]
    _assert_same(*_differential(name, kwargs, dtype, grouped=True))
    _assert_same(*_differential(name, kwargs, dtype, lr_tensor=True))


@pytest.mark.parametrize("name", sorted(SQRT_OPTIMIZERS))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_more_optimizers_with_numpy_sqrt(name, dtype):
    """numtorch's own (correctly rounded) sqrt: a few ulp from torch after several steps; the
    optimizers without a sqrt stay bit for bit."""
    rtol = 1e-5 if dtype == np.float32 else 1e-13
    for kwargs in MORE_CASES[name]:
        (t_trace, t_state, _, _), (n_trace, n_state, _, _) = _differential(name, kwargs, dtype)
        for a_step, b_step in zip(t_trace, n_trace):
            for a, b in zip(a_step, b_step):
                assert a[:2] == b[:2]
                np.testing.assert_allclose(np.frombuffer(b[2], a[0]), np.frombuffer(a[2], a[0]), rtol=rtol,
                                           atol=rtol * 1e-3)
    for name in sorted(set(MORE_CASES) - SQRT_OPTIMIZERS):
        _assert_same(*_differential(name, MORE_CASES[name][-1], dtype))


@pytest.mark.parametrize("name", sorted(MORE_CASES))
def test_more_optimizers_default_dtype_float64(name, torch_sqrt):
    """Under set_default_dtype(float64) the step counters (and NAdam's mu_product, ASGD's eta and
    mu) are float64."""
    t_prev, n_prev = torch.get_default_dtype(), nt.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    nt.set_default_dtype(nt.float64)
    try:
        _assert_same(*_differential(name, MORE_CASES[name][-1], np.float32, steps=4))
    finally:
        torch.set_default_dtype(t_prev)
        nt.set_default_dtype(n_prev)


@pytest.mark.parametrize("name", sorted(MORE_CASES))
def test_more_optimizers_state_dict_from_torch(name, torch_sqrt):
    """torch's state_dict (tensors carried over through numpy) loads into numtorch, and both
    continue identically; numtorch's state_dict has torch's layout."""
    kwargs = MORE_CASES[name][-1]
    dtype = np.float32

    def first_half(lib):
        params = _make_params(lib, dtype)
        opt = getattr(lib.optim, name)(_groups(lib, params, kwargs, True), **kwargs)
        _steps(lib, opt, params, Q_GRADS[:3], dtype)
        return params, opt

    t_params, t_opt = first_half(torch)
    n_params, n_opt = first_half(nt)
    t_sd, n_sd = t_opt.state_dict(), n_opt.state_dict()
    assert t_sd["param_groups"] == n_sd["param_groups"]
    assert list(t_sd["state"]) == list(n_sd["state"])
    assert _observe_state(torch, t_opt, t_params) == _observe_state(nt, n_opt, n_params)
    for k in t_sd["state"]:
        assert list(t_sd["state"][k]) == list(n_sd["state"][k])

    # a fresh numtorch optimizer (other hyper-parameters) takes torch's state dict
    fresh = [nt.nn.Parameter(nt.from_numpy(p.detach().numpy().copy())) for p in t_params]
    opt2 = getattr(nt.optim, name)(_groups(nt, fresh, {"lr": 0.9}, True), lr=0.9)
    opt2.load_state_dict(_to_lib(nt, t_sd))
    assert repr(opt2) == repr(t_opt)
    t_trace = _steps(torch, t_opt, t_params, Q_GRADS[3:6], dtype)
    n_trace = _steps(nt, opt2, fresh, Q_GRADS[3:6], dtype)
    assert t_trace == n_trace
    assert _observe_state(torch, t_opt, t_params) == _observe_state(nt, opt2, fresh)

    # and the other way round: numtorch's state dict loads into torch
    back = [torch.nn.Parameter(torch.from_numpy(p.detach().numpy().copy())) for p in n_params]
    opt3 = getattr(torch.optim, name)(_groups(torch, back, {"lr": 0.9}, True), lr=0.9)
    opt3.load_state_dict(_to_lib(torch, n_sd))
    assert _steps(torch, opt3, back, Q_GRADS[3:6], dtype) == _steps(nt, n_opt, n_params, Q_GRADS[3:6], dtype)


@pytest.mark.parametrize("name", sorted(MORE_CASES))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_more_optimizers_nan_inf_gradients(name, dtype, torch_sqrt):
    """Non-finite gradients go where torch's kernels send them (Rprop: sign(nan) is 0 on the CPU)."""
    grads = [[np.asarray(g, dtype).copy() if g is not None else None for g in step] for step in Q_GRADS[:4]]
    grads[1][0][0, :3] = [np.nan, np.inf, -np.inf]
    grads[2][1][:2] = [np.inf, np.nan]

    def run(lib):
        params = _make_params(lib, dtype)
        opt = getattr(lib.optim, name)(params, **MORE_CASES[name][-1])
        out = []
        for step in grads:
            for p, g in zip(params, step):
                p.grad = None if g is None else lib.tensor(g)
            opt.step()
            out.append([p.detach().numpy().copy() for p in params])
        return out
    for a_step, b_step in zip(run(torch), run(nt)):
        for a, b in zip(a_step, b_step):
            np.testing.assert_array_equal(b, a)


def test_more_optimizers_reprs_and_defaults():
    def observe(lib):
        p = lib.nn.Parameter(lib.ones(2))
        out = []
        for name in ("Adamax", "NAdam", "RAdam", "Adadelta", "Rprop", "ASGD", "LBFGS", "SparseAdam"):
            opt = getattr(lib.optim, name)([p])
            out.append((repr(opt), opt.defaults, sorted(opt.param_groups[0])))
        out.append(repr(lib.optim.NAdam([p], lr=0.1, betas=(0.5, 0.6), momentum_decay=0.1,
                                        decoupled_weight_decay=True, maximize=True)))
        out.append(repr(lib.optim.LBFGS([p], max_iter=8, line_search_fn="strong_wolfe")))
        out.append(repr(lib.optim.Rprop([{"params": [p]}, {"params": [lib.nn.Parameter(lib.ones(1))],
                                                          "etas": (0.1, 3.0)}], lr=lib.tensor(0.5))))
        return out
    assert observe(torch) == observe(nt)


def test_more_optimizers_argument_errors():
    def observe(lib):
        p = lib.nn.Parameter(lib.ones(2))
        O = lib.optim  # noqa: E741
        thunks = [
            lambda: O.Adamax([p], lr=-1.0), lambda: O.Adamax([p], eps=-1e-3),
            lambda: O.Adamax([p], betas=(1.0, 0.9)), lambda: O.Adamax([p], betas=(0.9, -0.1)),
            lambda: O.Adamax([p], weight_decay=-1), lambda: O.Adamax([p], lr=lib.tensor([0.1, 0.2])),
            lambda: O.NAdam([p], lr=-0.5), lambda: O.NAdam([p], momentum_decay=-1),
            lambda: O.NAdam([p], betas=(0.9, 1.5)), lambda: O.NAdam([p], weight_decay=-0.1),
            lambda: O.NAdam([p], eps=-1),
            lambda: O.RAdam([p], lr=-2), lambda: O.RAdam([p], betas=(-0.5, 0.9)),
            lambda: O.RAdam([p], weight_decay=-1), lambda: O.RAdam([p], eps=-1),
            lambda: O.Adadelta([p], lr=-1), lambda: O.Adadelta([p], rho=1.5),
            lambda: O.Adadelta([p], rho=-0.1),
            lambda: O.Adadelta([p], eps=-1), lambda: O.Adadelta([p], weight_decay=-1),
            lambda: O.Rprop([p], lr=-1), lambda: O.Rprop([p], etas=(1.5, 2.0)),
            lambda: O.Rprop([p], etas=(0.5, 1.0)),
            lambda: O.Rprop([p], etas=(0.0, 1.2)),
            lambda: O.ASGD([p], lr=-0.1), lambda: O.ASGD([p], weight_decay=-0.1),
            lambda: O.LBFGS([p], lr=-1), lambda: O.LBFGS([{"params": [p]}, {"params": [lib.ones(1)]}]),
            lambda: O.LBFGS([p], lr=lib.tensor([1.0, 2.0])),
            lambda: O.SparseAdam([p], lr=0.0), lambda: O.SparseAdam([p], eps=0.0),
            lambda: O.SparseAdam([p], betas=(0.9, 1.0)),
            lambda: O.SparseAdam([lib.nn.Parameter(lib.ones(2, dtype=lib.complex64))]),
            lambda: O.Adamax([]), lambda: O.ASGD(p),
        ]
        out = []
        for thunk in thunks:
            try:
                thunk()
                out.append("ok")
            except (ValueError, TypeError) as e:
                out.append((type(e).__name__, str(e)))
        return out
    assert observe(torch) == observe(nt)


@pytest.mark.parametrize("name", sorted(MORE_CASES))
def test_more_optimizers_capturable_refuses_cpu_tensors(name):
    def observe(lib):
        a, b = lib.nn.Parameter(lib.ones(2)), lib.nn.Parameter(lib.ones(3))
        opt = getattr(lib.optim, name)([a, b], capturable=True)
        a.grad, b.grad = lib.ones(2), lib.full((3,), 2.0)
        try:
            opt.step()
        except AssertionError as e:
            return str(e), a.tolist(), b.tolist(), {k: repr(v) for k, v in opt.state[a].items()}
    assert observe(torch) == observe(nt)


def test_more_optimizers_closure_hooks_and_untracked_updates():
    for name in sorted(MORE_CASES):
        def observe(lib, name=name):
            calls = []
            p = lib.nn.Parameter(lib.tensor([1.0, -2.0, 3.0]))
            opt = getattr(lib.optim, name)([p], lr=0.1)
            opt.register_step_pre_hook(lambda o, args, kwargs: calls.append("pre"))
            opt.register_step_post_hook(lambda o, args, kwargs: calls.append("post"))

            def closure():
                calls.append(("closure", lib.is_grad_enabled()))
                opt.zero_grad()
                loss = (p * p).sum()
                loss.backward()
                return loss
            loss = opt.step(closure)
            return (calls, loss.item(), p.is_leaf, p.grad_fn is None, p.requires_grad, p._version,
                    [v.requires_grad for v in opt.state[p].values() if isinstance(v, lib.Tensor)])
        assert observe(torch) == observe(nt), name


def test_sparse_adam_refuses_dense_gradients():
    def observe(lib):
        a, b = lib.nn.Parameter(lib.ones(2)), lib.nn.Parameter(lib.ones(3))
        opt = lib.optim.SparseAdam([a, b], lr=0.01)
        b.grad = lib.ones(3)
        out = []
        try:
            opt.step(lambda: out.append("closure ran"))
        except RuntimeError as e:
            out.append(str(e))
        out.append((len(opt.state), opt.state_dict()["param_groups"], a.tolist()))
        a.grad = None
        b.grad = None
        out.append(opt.step())
        return out
    assert observe(torch) == observe(nt)


# ---- LBFGS ------------------------------------------------------------------------------------------
@pytest.fixture
def torch_reductions(monkeypatch, torch_sqrt):
    """LBFGS with torch's dot and sum kernels (MKL's order) besides its sqrt."""
    def as_t(a):
        return torch.from_numpy(np.ascontiguousarray(a))
    monkeypatch.setattr(_nt_functional, "dot", lambda a, b: torch.dot(as_t(a), as_t(b)).numpy())
    monkeypatch.setattr(_nt_functional, "reduce_sum", lambda a: torch.sum(as_t(a)).numpy())


L_RNG = np.random.default_rng(77)
L_A = L_RNG.standard_normal((20, 15))
L_B = L_RNG.standard_normal(20)
L_W0, L_C0 = L_RNG.standard_normal((3, 4)), L_RNG.standard_normal(3)


def _least_squares_closure(lib, params, opt, dtype, counter):
    """0.5 |A x - b|^2 + 0.1 sum(x^4) over x = [W.flatten(), c], its value and gradient computed
    in numpy float64 from the parameters' values, so that both libraries see identical numbers."""
    def closure():
        counter.append(lib.is_grad_enabled())
        opt.zero_grad()
        x = np.concatenate([p.detach().numpy().astype(np.float64).reshape(-1) for p in params])
        r = L_A[:, :x.size] @ x - L_B
        loss = 0.5 * r @ r + 0.1 * np.sum(x ** 4)
        g = L_A[:, :x.size].T @ r + 0.4 * x ** 3
        offset = 0
        for p in params:
            p.grad = lib.tensor(g[offset:offset + p.numel()].reshape(tuple(p.shape)).astype(dtype))
            offset += p.numel()
        return lib.tensor(loss, dtype=getattr(lib, np.dtype(dtype).name))
    return closure


def _lbfgs_state(lib, opt, p):
    out = {}
    for k, v in opt.state[p].items():
        if isinstance(v, lib.Tensor):
            out[k] = _bits(v.numpy())
        elif isinstance(v, list):
            out[k] = [_bits(x.numpy()) if isinstance(x, lib.Tensor) else x for x in v]
        else:
            out[k] = (type(v).__name__, v)
    return out


def _run_lbfgs(lib, dtype, kwargs, steps=3, params=None, opt=None):
    if params is None:
        params = [lib.nn.Parameter(lib.tensor(L_W0.astype(dtype))),
                  lib.nn.Parameter(lib.tensor(L_C0.astype(dtype)))]
        opt = lib.optim.LBFGS(params, **kwargs)
    counter = []
    closure = _least_squares_closure(lib, params, opt, dtype, counter)
    losses, traces = [], []
    for _ in range(steps):
        losses.append(float(opt.step(closure)))
        traces.append([_bits(p.detach().numpy()) for p in params])
    return params, opt, losses, traces, counter


LBFGS_CASES = [{}, {"line_search_fn": "strong_wolfe"}, {"lr": 0.3, "history_size": 3, "max_iter": 7},
               {"line_search_fn": "strong_wolfe", "history_size": 2, "max_iter": 30, "max_eval": 12},
               {"lr": 0.1, "tolerance_grad": 1e-3, "tolerance_change": 1e-4}]


@pytest.mark.parametrize("kwargs", LBFGS_CASES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_lbfgs_bitwise(kwargs, dtype, torch_reductions):
    t_params, t_opt, t_losses, t_traces, t_calls = _run_lbfgs(torch, dtype, kwargs)
    n_params, n_opt, n_losses, n_traces, n_calls = _run_lbfgs(nt, dtype, kwargs)
    assert t_losses == n_losses
    assert t_traces == n_traces
    assert t_calls == n_calls  # the closure ran as often, always with grad enabled
    assert _lbfgs_state(torch, t_opt, t_params[0]) == _lbfgs_state(nt, n_opt, n_params[0])
    assert list(t_opt.state) == [t_params[0]] and list(n_opt.state) == [n_params[0]]
    assert [p._version for p in t_params] == [p._version for p in n_params]


@pytest.mark.parametrize("kwargs", LBFGS_CASES[:2])
def test_lbfgs_with_numtorch_kernels(kwargs):
    """numtorch's own dot/sum/sqrt: the same iterations to float64 rounding."""
    t_params, t_opt, t_losses, _, t_calls = _run_lbfgs(torch, np.float64, kwargs)
    n_params, n_opt, n_losses, _, n_calls = _run_lbfgs(nt, np.float64, kwargs)
    assert t_calls == n_calls
    np.testing.assert_allclose(n_losses, t_losses, rtol=1e-10)
    for a, b in zip(t_params, n_params):
        np.testing.assert_allclose(b.detach().numpy(), a.detach().numpy(), rtol=1e-8, atol=1e-10)
    assert t_opt.state[t_params[0]]["func_evals"] == n_opt.state[n_params[0]]["func_evals"]


@pytest.mark.parametrize("kwargs", LBFGS_CASES[:2])
def test_lbfgs_state_dict_round_trip_with_torch(kwargs, torch_reductions):
    t_params, t_opt, *_ = _run_lbfgs(torch, np.float32, kwargs, steps=2)
    t_sd = t_opt.state_dict()
    fresh = [nt.nn.Parameter(nt.from_numpy(p.detach().numpy().copy())) for p in t_params]
    n_opt = nt.optim.LBFGS(fresh, **kwargs)
    n_opt.load_state_dict(_to_lib(nt, t_sd))
    assert _lbfgs_state(torch, t_opt, t_params[0]) == _lbfgs_state(nt, n_opt, fresh[0])
    _, _, t_losses, t_traces, _ = _run_lbfgs(torch, np.float32, kwargs, 2, t_params, t_opt)
    _, _, n_losses, n_traces, _ = _run_lbfgs(nt, np.float32, kwargs, 2, fresh, n_opt)
    assert (t_losses, t_traces) == (n_losses, n_traces)
    n_sd = n_opt.state_dict()
    assert n_sd["param_groups"] == t_opt.state_dict()["param_groups"]
    assert sorted(n_sd["state"][0]) == sorted(t_opt.state_dict()["state"][0])


def test_lbfgs_line_search_name_error_and_optimal_start():
    def observe(lib):
        p = lib.nn.Parameter(lib.tensor([1.0, 2.0]))
        opt = lib.optim.LBFGS([p], line_search_fn="backtracking")

        def closure():
            opt.zero_grad()
            loss = (p ** 2).sum()
            loss.backward()
            return loss
        try:
            opt.step(closure)
        except RuntimeError as e:
            msg = str(e)
        # already optimal: one evaluation, no iteration, and the parameters are left alone
        q = lib.nn.Parameter(lib.zeros(3))
        opt2 = lib.optim.LBFGS([q])

        def closure2():
            opt2.zero_grad()
            loss = (q ** 2).sum()
            loss.backward()
            return loss
        loss = opt2.step(closure2)
        return msg, p.tolist(), loss.item(), dict(opt2.state[q]), q.tolist()
    assert observe(torch) == observe(nt)


# ---- a small model trained end to end -----------------------------------------------------------
TRAIN_CASES = [("Adamax", {"lr": 0.05}), ("NAdam", {"lr": 0.02, "weight_decay": 0.01,
                                                    "decoupled_weight_decay": True}),
               ("RAdam", {"lr": 0.05}), ("Adadelta", {"lr": 1.0}), ("Rprop", {"lr": 0.01}),
               ("ASGD", {"lr": 0.05, "t0": 5}), ("LBFGS", {"lr": 0.5, "max_iter": 4}),
               ("LBFGS", {"line_search_fn": "strong_wolfe", "max_iter": 4})]


@pytest.mark.parametrize("name,kwargs", TRAIN_CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(TRAIN_CASES)])
def test_more_optimizers_train_a_model(name, kwargs):
    """Each library's forward and backward (so gradients agree to rounding, not bit for bit): the
    losses follow the same curve."""
    def run(lib):
        lib.manual_seed(0)
        x = lib.randn(32, 4)
        y = (x @ lib.tensor([[1.0], [-2.0], [0.5], [0.0]])).tanh() + 0.1
        model = lib.nn.Sequential(lib.nn.Linear(4, 8), lib.nn.Tanh(), lib.nn.Linear(8, 1))
        opt = getattr(lib.optim, name)(model.parameters(), **kwargs)

        def closure():
            opt.zero_grad()
            loss = lib.nn.functional.mse_loss(model(x), y)
            loss.backward()
            return loss
        losses = [opt.step(closure).item() for _ in range(3 if name == "LBFGS" else 15)]
        return losses, [p.detach().numpy().copy() for p in model.parameters()]
    (t_losses, t_params), (n_losses, n_params) = run(torch), run(nt)
    np.testing.assert_allclose(n_losses, t_losses, rtol=1e-4)
    assert n_losses[-1] < n_losses[0]
    for a, b in zip(t_params, n_params):
        np.testing.assert_allclose(b, a, rtol=1e-3, atol=1e-4)


@pytest.mark.parametrize("name", sorted(MORE_CASES))
@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
def test_more_optimizers_complex_parameters(name, dtype, torch_sqrt):
    """A complex parameter is updated as its real view (real and imaginary parts independently)."""
    rng = np.random.default_rng(5)
    p0 = (rng.standard_normal((3, 4)) + 1j * rng.standard_normal((3, 4))).astype(dtype)
    grads = [(rng.standard_normal((3, 4)) + 1j * rng.standard_normal((3, 4))).astype(dtype) for _ in range(5)]

    def run(lib):
        p = lib.nn.Parameter(lib.tensor(p0))
        opt = getattr(lib.optim, name)([p], **MORE_CASES[name][-1])
        out = []
        for g in grads:
            p.grad = lib.tensor(g)
            opt.step()
            out.append(_bits(p.detach().numpy()))
        return out, _observe_state(lib, opt, [p])
    assert run(torch) == run(nt)


@pytest.mark.parametrize("name", sorted(MORE_CASES))
def test_more_optimizers_load_state_saved_by_an_older_torch(name, torch_sqrt):
    """Older torch saved `step` (and NAdam's mu_product, ASGD's eta and mu) as Python numbers and
    lacked the newer group keys: loading converts them to 0-d tensors and fills in the defaults."""
    def observe(lib):
        params = _make_params(lib, np.float32)
        opt = getattr(lib.optim, name)(params, **MORE_CASES[name][1])
        _steps(lib, opt, params, Q_GRADS[:2], np.float32)
        sd = opt.state_dict()
        for state in sd["state"].values():
            for key in ("step", "mu_product", "eta", "mu"):
                if key in state:
                    state[key] = state[key].item()
        for group in sd["param_groups"]:
            for key in ("foreach", "maximize", "differentiable", "capturable", "decoupled_weight_decay"):
                group.pop(key, None)
        opt.load_state_dict(sd)
        trace = _steps(lib, opt, params, Q_GRADS[2:4], np.float32)
        return trace, _observe_state(lib, opt, params), repr(opt)
    assert observe(torch) == observe(nt)


def test_more_optimizers_signatures():
    """The constructors take the same arguments (names, kinds, defaults) as torch's."""
    import inspect
    for name in ("Adamax", "NAdam", "RAdam", "Adadelta", "Rprop", "ASGD", "LBFGS", "SparseAdam"):
        def sig(lib, name=name):
            params = inspect.signature(getattr(lib.optim, name).__init__).parameters.values()
            return [(p.name, p.kind, p.default) for p in params]
        assert sig(torch) == sig(nt), name
