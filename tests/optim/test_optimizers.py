"""optim against torch: the same parameters and gradients go through several steps of SGD, Adam
and AdamW in both libraries (foreach=False in torch, its CPU default), and parameters, state
buffers, versions and leaf-ness must agree; plus zero_grad, state_dict round trips, param groups,
hooks, closures, reprs and argument errors."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

import numtorch as nt
import numtorch.nn  # noqa: F401
import numtorch.optim  # noqa: F401

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(3)
P0 = [RNG.standard_normal((3, 4)).astype(np.float32), RNG.standard_normal(5).astype(np.float32)]
GRADS = [[RNG.standard_normal(p.shape).astype(np.float32) for p in P0] for _ in range(4)]


def _run(lib, cls_name: str, kwargs: dict, dtype=np.float32, steps: int = 4):
    """Steps the optimizer with fixed gradients; returns what to compare."""
    params = [lib.nn.Parameter(lib.tensor(p.astype(dtype))) for p in P0]
    opt = getattr(lib.optim, cls_name)(params, foreach=False, **kwargs) if lib is torch else \
        getattr(lib.optim, cls_name)(params, **kwargs)
    trace = []
    for grads in GRADS[:steps]:
        opt.zero_grad()
        for p, g in zip(params, grads):
            p.grad = lib.tensor(g.astype(dtype))
        opt.step()
        trace.append([p.detach().numpy().copy() for p in params])
    state = [{k: (v.numpy().copy() if isinstance(v, lib.Tensor) else v) for k, v in opt.state[p].items()}
             for p in params]
    flags = [(p.is_leaf, p.requires_grad, p._version, p.grad_fn is None, type(p).__name__) for p in params]
    return trace, state, flags, opt


def _compare(cls_name: str, kwargs: dict, dtype=np.float32, steps: int = 4):
    rtol = 2e-6 if dtype == np.float32 else 1e-12
    t_trace, t_state, t_flags, t_opt = _run(torch, cls_name, kwargs, dtype, steps)
    n_trace, n_state, n_flags, n_opt = _run(nt, cls_name, kwargs, dtype, steps)
    for t_step, n_step in zip(t_trace, n_trace):
        for a, b in zip(t_step, n_step):
            assert a.dtype == b.dtype
            np.testing.assert_allclose(b, a, rtol=rtol, atol=rtol * 1e-2)
    for ts, ns in zip(t_state, n_state):
        assert list(ts) == list(ns)
        for k in ts:
            if isinstance(ts[k], np.ndarray):
                assert ts[k].dtype == ns[k].dtype and ts[k].shape == ns[k].shape
                np.testing.assert_allclose(ns[k], ts[k], rtol=rtol, atol=rtol * 1e-2)
            else:
                assert ts[k] == ns[k]
    assert t_flags == n_flags
    return t_opt, n_opt


@pytest.mark.parametrize("kwargs", [
    {"lr": 0.1}, {"lr": 0.1, "momentum": 0.9}, {"lr": 0.05, "momentum": 0.9, "dampening": 0.3},
    {"lr": 0.1, "momentum": 0.8, "nesterov": True}, {"lr": 0.1, "weight_decay": 0.1},
    {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.01, "maximize": True},
])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sgd_matches_torch(kwargs, dtype):
    _compare("SGD", kwargs, dtype)


@pytest.mark.parametrize("cls_name", ["Adam", "AdamW"])
@pytest.mark.parametrize("kwargs", [
    {}, {"lr": 0.1}, {"lr": 0.05, "amsgrad": True}, {"lr": 0.05, "weight_decay": 0.1},
    {"lr": 0.05, "betas": (0.5, 0.9), "eps": 1e-3, "maximize": True},
    {"lr": 0.05, "amsgrad": True, "weight_decay": 0.3, "maximize": True},
])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_adam_family_matches_torch(cls_name, kwargs, dtype):
    _compare(cls_name, kwargs, dtype)


def test_adam_decoupled_weight_decay_flag_equals_adamw():
    _compare("Adam", {"lr": 0.05, "weight_decay": 0.2, "decoupled_weight_decay": True})


def test_params_without_grad_are_skipped_and_get_no_state():
    for lib in (torch, nt):
        a, b = lib.nn.Parameter(lib.ones(2)), lib.nn.Parameter(lib.ones(2))
        opt = lib.optim.Adam([a, b], lr=0.1)
        a.grad = lib.ones(2)
        opt.step()
        assert b.tolist() == [1.0, 1.0] and b._version == 0 and len(opt.state) == 1
        assert repr(opt.state[a]["step"]) == "tensor(1.)"


def test_reprs_and_defaults():
    for cls_name, kwargs in [("SGD", {"lr": 0.1, "momentum": 0.9}), ("SGD", {}), ("Adam", {}),
                             ("AdamW", {"betas": (0.8, 0.99)})]:
        reprs = []
        for lib in (torch, nt):
            opt = getattr(lib.optim, cls_name)([lib.nn.Parameter(lib.ones(1))], **kwargs)
            opt.add_param_group({"params": [lib.nn.Parameter(lib.ones(1))], "lr": 0.5})
            reprs.append((repr(opt), opt.defaults, [sorted(g) for g in opt.param_groups]))
        assert reprs[0] == reprs[1]


def test_zero_grad_modes():
    for lib in (torch, nt):
        p = lib.nn.Parameter(lib.ones(2))
        opt = lib.optim.SGD([p], lr=0.1)
        (p * 3).sum().backward()
        g = p.grad
        opt.zero_grad(set_to_none=False)
        assert p.grad is g and p.grad.tolist() == [0.0, 0.0]
        opt.zero_grad()
        assert p.grad is None


def test_state_dict_round_trip_continues_identically():
    results = []
    for lib in (torch, nt):
        params = [lib.nn.Parameter(lib.tensor(p)) for p in P0]
        opt = lib.optim.Adam([{"params": params[:1]}, {"params": params[1:], "lr": 0.01}], lr=0.1)
        for p, g in zip(params, GRADS[0]):
            p.grad = lib.tensor(g)
        opt.step()
        sd = opt.state_dict()
        shape = (sorted(sd), sorted(sd["state"]), [sorted(s) for s in sd["state"].values()],
                 [{k: v for k, v in g.items()} for g in sd["param_groups"]])
        fresh = [lib.nn.Parameter(p.detach().clone()) for p in params]
        opt2 = lib.optim.Adam([{"params": fresh[:1]}, {"params": fresh[1:]}], lr=0.5)
        opt2.load_state_dict(sd)
        for p, g in zip(fresh, GRADS[1]):
            p.grad = lib.tensor(g)
        opt2.step()
        step = opt2.state[fresh[0]]["step"]
        results.append((shape, [p.detach().numpy().copy() for p in fresh],
                        [g["lr"] for g in opt2.param_groups],
                        repr(step), opt2.state[fresh[0]]["exp_avg"] is not opt.state[params[0]]["exp_avg"]))
    (ts, tp, tl, tr, tc), (ns, np_, nl, nr, nc) = results
    assert ts == ns and tl == nl and tr == nr and tc == nc
    for a, b in zip(tp, np_):
        np.testing.assert_allclose(b, a, rtol=2e-6)


def test_param_groups_and_errors():
    def observe(lib):
        out = []
        p = lib.nn.Parameter(lib.ones(2))
        thunks = [
            lambda: lib.optim.SGD([], lr=0.1), lambda: lib.optim.SGD(p, lr=0.1),
            lambda: lib.optim.SGD([p * 2], lr=0.1), lambda: lib.optim.SGD([p], lr=-1.0),
            lambda: lib.optim.SGD([p], lr=0.1, momentum=-1.0),
            lambda: lib.optim.SGD([p], lr=0.1, weight_decay=-1),
            lambda: lib.optim.SGD([p], lr=0.1, nesterov=True), lambda: lib.optim.SGD([1.0], lr=0.1),
            lambda: lib.optim.SGD({p}, lr=0.1), lambda: lib.optim.Adam([p], betas=(1.0, 0.9)),
            lambda: lib.optim.Adam([p], betas=(0.9, -0.1)), lambda: lib.optim.Adam([p], eps=-1.0),
            lambda: lib.optim.Adam([p], betas=(0, 0.9)), lambda: lib.optim.AdamW([p], weight_decay=-0.1),
            lambda: lib.optim.SGD([p], lr=0.1).add_param_group({"params": [p]}),
            lambda: lib.optim.SGD([p], lr=0.1).add_param_group([p]),
            lambda: lib.optim.SGD([p], lr=0.1).load_state_dict({"state": {}, "param_groups": []}),
            lambda: lib.optim.SGD([p], lr=0.1).load_state_dict(
                {"state": {}, "param_groups": [{"params": [0, 1], "lr": 0.1}]}),
            lambda: lib.optim.SGD([("w", p)], lr=0.1).add_param_group(
                {"params": [lib.nn.Parameter(lib.ones(1))]}),
        ]
        for thunk in thunks:
            try:
                thunk()
                out.append("ok")
            except (ValueError, TypeError) as e:
                out.append((type(e).__name__, str(e)))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            lib.optim.SGD([p, p], lr=0.1)
        out.append([str(w.message) for w in caught])
        named = lib.optim.SGD([("w", p)], lr=0.1)
        out.append((named.param_groups[0]["param_names"],
                    named.state_dict()["param_groups"][0]["param_names"]))
        return out
    assert observe(torch) == observe(nt)


def test_step_hooks_and_closure_and_grad_mode():
    def observe(lib):
        calls = []
        p = lib.nn.Parameter(lib.tensor([1.0, -2.0]))
        opt = lib.optim.SGD([p], lr=0.1)
        h = opt.register_step_pre_hook(lambda o, args, kwargs: calls.append(("pre", lib.is_grad_enabled())))
        opt.register_step_post_hook(lambda o, args, kwargs: calls.append("post"))

        def closure():
            opt.zero_grad()
            loss = (p ** 2).sum()
            loss.backward()
            calls.append(("closure", lib.is_grad_enabled()))
            return loss
        with lib.no_grad():
            loss = opt.step(closure)
        h.remove()
        opt.step(closure)
        return calls, loss.item(), p.tolist(), p.is_leaf, p._version
    assert observe(torch) == observe(nt)


def test_manual_sgd_loop_on_a_module_matches_torch():
    data = RNG.standard_normal((8, 4)).astype(np.float32)
    target = RNG.standard_normal((8, 2)).astype(np.float32)
    out = []
    for lib in (torch, nt):
        model = lib.nn.Sequential(lib.nn.Linear(4, 6), lib.nn.ReLU(), lib.nn.Linear(6, 2))
        rng = np.random.default_rng(7)
        with lib.no_grad():
            for p in model.parameters():
                p.copy_(lib.tensor(rng.standard_normal(tuple(p.shape)).astype(np.float32)))
        opt = lib.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True, weight_decay=1e-3)
        losses = []
        for _ in range(5):
            opt.zero_grad()
            loss = lib.nn.functional.mse_loss(model(lib.tensor(data)), lib.tensor(target))
            loss.backward()
            opt.step()
            losses.append(loss.item())
        out.append((losses, [p.detach().numpy().copy() for p in model.parameters()]))
    np.testing.assert_allclose(out[1][0], out[0][0], rtol=1e-5)
    for a, b in zip(out[0][1], out[1][1]):
        np.testing.assert_allclose(b, a, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("kwargs", [{"lr": 0.01}, {"lr": 0.01, "momentum": 0.9}])
def test_sgd_on_large_float32_parameters_is_bitwise_torch(kwargs):
    """Parameters larger than the update's float64 chunk (numtorch/optim/_functional.py) take the
    chunked path: every element still rounds once, as torch's fused add."""
    rng = np.random.default_rng(5)
    p0 = rng.standard_normal((300, 251)).astype(np.float32)  # 3 chunks and a ragged end
    grads = [rng.standard_normal(p0.shape).astype(np.float32) for _ in range(3)]

    def run(lib):
        p = lib.nn.Parameter(lib.tensor(p0))
        opt = lib.optim.SGD([p], foreach=False, **kwargs) if lib is torch else lib.optim.SGD([p], **kwargs)
        for g in grads:
            p.grad = lib.tensor(g)
            opt.step()
        return p.detach().numpy(), p._version
    (ours, v_ours), (theirs, v_theirs) = run(nt), run(torch)
    np.testing.assert_array_equal(ours.view(np.uint32), theirs.view(np.uint32))
    assert v_ours == v_theirs
