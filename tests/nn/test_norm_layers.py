"""Batch, group and instance normalisation against torch: F.batch_norm in training and eval mode
(running statistics, momentum, unbiased running variance), F.group_norm, F.instance_norm; values,
gradients, double backward, graphs, saved attributes, errors; and the BatchNorm1d/2d/3d,
GroupNorm and InstanceNorm modules (buffers, num_batches_tracked, cumulative momentum, train/eval,
state_dict round trips including pre-version-2 checkpoints, reprs)."""
from __future__ import annotations

from collections import OrderedDict

import numpy as np
import pytest

import numtorch  # noqa: F401
import numtorch.nn  # noqa: F401  (binds numtorch.nn for programs written against `torch.nn`)

torch = pytest.importorskip("torch")


def data(shape, seed=0, dtype=np.float64):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


def _weights(torch, t):
    return torch.tensor(np.cos(np.arange(t.numel())).reshape(tuple(t.shape)), dtype=t.dtype)


SHAPES = [(4, 3, 5, 6), (4, 3, 7), (6, 3)]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize("affine", ["both", "weight", "none"])
def test_batch_norm(close, graph, shape, training, affine):
    x0, w0, b0 = data(shape, 1), data(3, 2), data(3, 3)

    def prog(torch, see):
        x = torch.tensor(x0, requires_grad=True)
        w = torch.tensor(w0, requires_grad=True) if affine != "none" else None
        b = torch.tensor(b0, requires_grad=True) if affine == "both" else None
        rm, rv = torch.tensor(np.linspace(-1, 1, 3)), torch.tensor(np.linspace(0.5, 2, 3))
        y = torch.nn.functional.batch_norm(x, rm, rv, w, b, training, 0.3, 1e-3)
        see(y, graph(y), rm, rv, rm._version)
        inputs = tuple(t for t in (x, w, b) if t is not None)
        grads = torch.autograd.grad(y, inputs, _weights(torch, y), create_graph=True)
        see(*grads, graph(grads[0]))
        s = sum((g * g * _weights(torch, g)).sum() for g in grads)
        see(*torch.autograd.grad(s, inputs, allow_unused=True, materialize_grads=True))
    close(prog)


def test_batch_norm_without_running_stats_and_float32(close, graph):
    x0 = data((8, 4, 3), 4, np.float32)

    def prog(torch, see):
        x = torch.tensor(x0, requires_grad=True)
        w = torch.tensor(np.arange(1, 5, dtype=np.float32), requires_grad=True)
        y = torch.nn.functional.batch_norm(x, None, None, w, None, True)
        see(y, graph(y))
        y.backward(_weights(torch, y))
        see(x.grad, w.grad)
    close(prog)


def test_batch_norm_saved_attributes(close):
    def prog(torch, see):
        x = torch.tensor(data((4, 3, 2), 5), requires_grad=True)
        w = torch.ones(3, dtype=torch.float64, requires_grad=True)
        for training in (True, False):
            y = torch.nn.functional.batch_norm(x, torch.zeros(3, dtype=torch.float64),
                                               torch.ones(3, dtype=torch.float64), w, None, training)
            fn = y.grad_fn
            see(fn._saved_eps, fn._saved_training, fn._saved_result1, fn._saved_result2,
                fn._saved_running_mean, len(fn.next_functions))
            gx, = torch.autograd.grad(y.sum(), (x,), create_graph=True)
            see(type(gx.grad_fn).__name__, len(gx.grad_fn.next_functions))
    close(prog)


BATCH_NORM_ERRORS = {
    "one value": lambda F, t: F.batch_norm(t.ones(1, 3), t.zeros(3), t.ones(3), training=True),
    "eps zero": lambda F, t: F.batch_norm(t.ones(4, 3), t.zeros(3), t.ones(3), training=True, eps=0),
    "eps negative": lambda F, t: F.batch_norm(t.ones(4, 3), t.zeros(3), t.ones(3), eps=-1.0),
    "eval without stats": lambda F, t: F.batch_norm(t.ones(4, 3), None, None),
    "running mean size": lambda F, t: F.batch_norm(t.ones(4, 3), t.zeros(4), t.ones(3), training=True),
    "weight size": lambda F, t: F.batch_norm(t.ones(4, 3), t.zeros(3), t.ones(3), t.ones(4)),
    "long": lambda F, t: F.batch_norm(t.ones(4, 3, dtype=t.long), t.zeros(3), t.ones(3), training=True),
    "mixed double input": lambda F, t: F.batch_norm(t.ones(4, 3, dtype=t.float64), t.zeros(3), t.ones(3)),
    "mixed double weight": lambda F, t: F.batch_norm(t.ones(4, 3), t.zeros(3), t.ones(3),
                                                     t.ones(3, dtype=t.float64)),
    "mixed double stats": lambda F, t: F.batch_norm(t.ones(4, 3), t.zeros(3, dtype=t.float64),
                                                    t.ones(3, dtype=t.float64), t.ones(3)),
}


@pytest.mark.parametrize("case", sorted(BATCH_NORM_ERRORS))
def test_batch_norm_errors(close, case):
    def prog(torch, see):
        see(BATCH_NORM_ERRORS[case](torch.nn.functional, torch))
    close(prog)


@pytest.mark.parametrize("groups", [1, 2, 3, 6])
@pytest.mark.parametrize("affine", [True, False])
@pytest.mark.parametrize("shape", [(2, 6, 4, 5), (3, 6, 7), (4, 6)])
def test_group_norm(close, graph, groups, affine, shape):
    x0, w0, b0 = data(shape, 6), data(6, 7), data(6, 8)

    def prog(torch, see):
        x = torch.tensor(x0, requires_grad=True)
        w = torch.tensor(w0, requires_grad=True) if affine else None
        b = torch.tensor(b0, requires_grad=True) if affine else None
        y = torch.nn.functional.group_norm(x, groups, w, b, 1e-4)
        see(y, graph(y))
        fn = y.grad_fn
        see(fn._saved_N, fn._saved_C, fn._saved_HxW, fn._saved_group, fn._saved_eps,
            fn._saved_result1, fn._saved_result2)
        inputs = tuple(t for t in (x, w, b) if t is not None)
        grads = torch.autograd.grad(y, inputs, _weights(torch, y), create_graph=True)
        see(*grads)
        s = sum((g * g * _weights(torch, g)).sum() for g in grads)
        see(*torch.autograd.grad(s, inputs, allow_unused=True, materialize_grads=True))
    close(prog)


GROUP_NORM_ERRORS = {
    "rank": lambda F, t: F.group_norm(t.ones(6), 3),
    "divisible": lambda F, t: F.group_norm(t.ones(2, 6, 4), 4),
    "weight": lambda F, t: F.group_norm(t.ones(2, 6, 4), 3, t.ones(5)),
    "bias": lambda F, t: F.group_norm(t.ones(2, 6, 4), 3, None, t.ones(2, 3)),
    "one value": lambda F, t: F.group_norm(t.ones(1, 3, 1), 3),
    "module divisible": lambda F, t: t.nn.GroupNorm(4, 6),
    "module channels": lambda F, t: t.nn.GroupNorm(3, 6)(t.ones(2, 5, 3)),
}


@pytest.mark.parametrize("case", sorted(GROUP_NORM_ERRORS))
def test_group_norm_errors(close, case):
    def prog(torch, see):
        see(GROUP_NORM_ERRORS[case](torch.nn.functional, torch))
    close(prog)


@pytest.mark.parametrize("affine", [True, False])
@pytest.mark.parametrize("stats", [True, False])
@pytest.mark.parametrize("use_input_stats", [True, False])
def test_instance_norm(close, graph, affine, stats, use_input_stats):
    x0, w0, b0 = data((2, 3, 4, 5), 9), data(3, 10), data(3, 11)

    def prog(torch, see):
        x = torch.tensor(x0, requires_grad=True)
        w = torch.tensor(w0, requires_grad=True) if affine else None
        b = torch.tensor(b0, requires_grad=True) if affine else None
        rm = torch.tensor(np.linspace(-1, 1, 3)) if stats else None
        rv = torch.tensor(np.linspace(0.5, 2, 3)) if stats else None
        y = torch.nn.functional.instance_norm(x, rm, rv, w, b, use_input_stats, 0.2)
        see(y, graph(y), rm, rv)
        y.backward(_weights(torch, y))
        see(x.grad, w.grad if affine else None)
    close(prog)


def test_instance_norm_errors(close):
    def prog(torch, see):
        see(torch.nn.functional.instance_norm(torch.ones(2, 3, 1)))
    close(prog)


# ---- modules -------------------------------------------------------------------------------------
def test_module_reprs_and_state(close):
    def prog(torch, see):
        nn = torch.nn
        mods = [nn.BatchNorm1d(3), nn.BatchNorm2d(4, momentum=None, affine=False),
                nn.BatchNorm3d(2, bias=False),
                nn.BatchNorm2d(3, track_running_stats=False, eps=1e-3), nn.GroupNorm(2, 4),
                nn.GroupNorm(3, 6, affine=False), nn.GroupNorm(1, 2, bias=False), nn.InstanceNorm1d(3),
                nn.InstanceNorm2d(3, affine=True, track_running_stats=True)]
        see(repr(nn.Sequential(*mods)))
        for m in mods:
            see(list(m.state_dict()), [tuple(p.shape) for p in m.parameters()],
                [(n, b) for n, b in m.named_buffers()], m._version if hasattr(m, "_version") else None)
    close(prog)


@pytest.mark.parametrize("momentum", [0.1, None])
@pytest.mark.parametrize("track", [True, False])
def test_batch_norm_module_training_and_eval(close, graph, momentum, track):
    x0 = data((6, 3, 4, 4), 12, np.float32)

    def prog(torch, see):
        m = torch.nn.BatchNorm2d(3, momentum=momentum, track_running_stats=track)
        with torch.no_grad():
            m.weight.copy_(torch.tensor([1.0, 2.0, -1.0]))
            m.bias.copy_(torch.tensor([0.5, 0.0, 0.25]))
        for step in range(3):
            x = torch.tensor(x0 * (step + 1) + step, requires_grad=True)
            y = m(x)
            y.backward(_weights(torch, y))
            see(y, graph(y), x.grad, m.running_mean, m.running_var, m.num_batches_tracked)
        m.eval()
        y = m(torch.tensor(x0))
        see(y, graph(y), m.num_batches_tracked)
        m.train(False)
        see(m(torch.tensor(x0[:1])))
    close(prog)


def test_batch_norm_module_dims_and_channels(close):
    def prog(torch, see):
        nn = torch.nn
        for m, x in ((nn.BatchNorm1d(3), torch.ones(2, 3, 4, 5)), (nn.BatchNorm2d(3), torch.ones(2, 3, 4)),
                     (nn.BatchNorm3d(3), torch.ones(2, 3, 4, 4)), (nn.BatchNorm2d(3), torch.ones(2, 4, 4, 4)),
                     (nn.InstanceNorm2d(3, affine=True), torch.ones(2, 4, 4, 4)),
                     (nn.InstanceNorm1d(3), torch.ones(2, 3, 4, 5))):
            try:
                see(m(x))
            except Exception as e:
                see(type(e).__name__, str(e))
        see(nn.BatchNorm1d(3)(torch.tensor(data((5, 3), 13))).sum())
        see(nn.InstanceNorm1d(3)(torch.tensor(data((3, 6), 14))))
        see(nn.InstanceNorm2d(2)(torch.tensor(data((3, 4, 5), 15))))
    close(prog)


def test_batch_norm_state_dict_round_trip_and_old_checkpoints(close):
    def prog(torch, see):
        m = torch.nn.BatchNorm1d(2)
        m(torch.tensor(data((4, 2), 16), dtype=torch.float32))
        sd = m.state_dict()
        see(list(sd), sd._metadata[""], sd["num_batches_tracked"])
        fresh = torch.nn.BatchNorm1d(2)
        see(fresh.load_state_dict(sd), fresh.running_mean, fresh.num_batches_tracked)
        old = OrderedDict((k, v) for k, v in sd.items() if k != "num_batches_tracked")
        old._metadata = OrderedDict([("", {"version": 1})])
        see(fresh.load_state_dict(old), fresh.num_batches_tracked)
        new = OrderedDict((k, v) for k, v in sd.items() if k != "num_batches_tracked")
        new._metadata = OrderedDict([("", {"version": 2})])
        see(fresh.load_state_dict(new))
    close(prog)


def test_group_and_instance_norm_modules(close, graph):
    x0 = data((2, 4, 3, 5), 17, np.float32)

    def prog(torch, see):
        nn = torch.nn
        for m in (nn.GroupNorm(2, 4), nn.GroupNorm(4, 4, affine=False), nn.InstanceNorm2d(4),
                  nn.InstanceNorm2d(4, affine=True, track_running_stats=True)):
            x = torch.tensor(x0, requires_grad=True)
            y = m(x)
            y.backward(_weights(torch, y))
            see(y, graph(y), x.grad, [p.grad for p in m.parameters()], list(m.buffers()))
        m.eval()
        see(m(torch.tensor(x0)))
    close(prog)


def test_torch_namespace_entry_points(close, graph):
    x0 = data((4, 3, 2, 5), 18)

    def prog(torch, see):
        x = torch.tensor(x0, requires_grad=True)
        rm, rv = torch.zeros(3, dtype=torch.float64), torch.ones(3, dtype=torch.float64)
        for y in (torch.batch_norm(x, None, None, rm, rv, True, 0.5, 1e-5, False),
                  torch.group_norm(x, 3), torch.instance_norm(x, None, None, None, None, True, 0.1, 1e-5,
                                                              False)):
            see(y, graph(y))
        see(rm, rv, torch.batch_norm(torch.ones(1, 3), None, None, None, None, True, 0.1, 1e-5, False))
        see(torch.group_norm(torch.ones(6), 3))
    close(prog)
