"""nn.RNN/LSTM/GRU and their cells against torch: outputs, final states and gradients (inputs,
initial states, every parameter) from identical weights, over layers, directions, batch_first,
bias, proj_size and unbatched input; parameter names/shapes/order, _flat_weights, reprs, default
initialisation bounds, error texts and warnings; the recorded graphs (a float32 LSTM without
projections is one MkldnnRnnLayerBackward0 per layer and direction, as torch's oneDNN path)."""
from __future__ import annotations

import copy
import math
import pickle
import warnings

import numpy as np
import pytest

import numtorch as nt
import numtorch.nn  # noqa: F401

torch = pytest.importorskip("torch")


from _weights import arr as _arr, backward as _backward, set_weights as _set_weights  # noqa: E402


def _stripped_warnings(see, body) -> None:
    """Run body(); see its warnings without the " (Triggered internally at ...)" that C++ adds."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        body()
    see([(w.category.__name__, str(w.message).split(" (Triggered internally at")[0]) for w in caught])


def _flat(out):
    """(output, h_n) or (output, (h_n, c_n)) as a list of tensors."""
    output, hidden = out
    return [output, *hidden] if isinstance(hidden, tuple) else [output, hidden]


CONFIGS = {
    "rnn_tanh": ("RNN", dict()),
    "rnn_relu_2l_bi_bf": ("RNN", dict(nonlinearity="relu", num_layers=2, bidirectional=True,
                                      batch_first=True)),
    "lstm_2l_bi": ("LSTM", dict(num_layers=2, bidirectional=True)),
    "lstm_proj_2l": ("LSTM", dict(num_layers=2, proj_size=3)),
    "lstm_nobias_bf": ("LSTM", dict(bias=False, batch_first=True)),
    "gru_2l_bi": ("GRU", dict(num_layers=2, bidirectional=True)),
    "gru_nobias_bf": ("GRU", dict(bias=False, batch_first=True)),
}


def _initial_state(torch, kind, cfg, batch, seed, unbatched=False):
    layers = cfg.get("num_layers", 1) * (2 if cfg.get("bidirectional") else 1)
    h_size = cfg.get("proj_size") or 6
    lead = (layers,) if unbatched else (layers, batch)
    h0 = torch.tensor(_arr(lead + (h_size,), seed) * 0.5, requires_grad=True)
    if kind != "LSTM":
        return h0, [h0]
    c0 = torch.tensor(_arr(lead + (6,), seed + 1) * 0.5, requires_grad=True)
    return (h0, c0), [h0, c0]


@pytest.mark.parametrize("name", list(CONFIGS))
def test_recurrent_layer_differential(close, name):
    kind, cfg = CONFIGS[name]

    def prog(torch, see):
        _stripped_warnings(see, lambda: body(torch, see))

    def body(torch, see):
        m = getattr(torch.nn, kind)(4, 6, **cfg)
        _set_weights(torch, m)
        bf = cfg.get("batch_first", False)
        for with_state in (False, True):
            x = torch.tensor(_arr((3, 5, 4) if bf else (5, 3, 4), 1), requires_grad=True)
            hx, leaves = _initial_state(torch, kind, cfg, 3, 2) if with_state else (None, [])
            outs = _flat(m(x, hx))
            see(*(o.detach() for o in outs))
            _backward(torch, outs)
            see(x.grad, *(t.grad for t in leaves), *(p.grad for p in m.parameters()))
            m.zero_grad()
        x = torch.tensor(_arr((5, 4), 3), requires_grad=True)  # unbatched
        hx, leaves = _initial_state(torch, kind, cfg, 3, 4, unbatched=True)
        outs = _flat(m(x, hx))
        see(*(o.detach() for o in outs))
        _backward(torch, outs)
        see(x.grad, *(t.grad for t in leaves))
    close(prog)


@pytest.mark.parametrize("kind", ["LSTM", "GRU", "RNN"])
def test_long_sequence_float64(close, kind):
    def prog(torch, see):
        m = getattr(torch.nn, kind)(3, 5, num_layers=2, dtype=torch.float64)
        _set_weights(torch, m, 1)
        x = torch.tensor(_arr((60, 2, 3), 5, np.float64), requires_grad=True)
        outs = _flat(m(x))
        see(*(o.detach() for o in outs))
        _backward(torch, outs)
        see(x.grad, *(p.grad for p in m.parameters()))
    close(prog)


def test_recorded_graphs(close, graph):
    def prog(torch, see):
        nn = torch.nn
        for m in (nn.RNN(2, 3), nn.GRU(2, 3, bidirectional=True), nn.LSTM(2, 3, 2, bidirectional=True),
                  nn.LSTM(2, 3, batch_first=True, bias=False), nn.LSTM(2, 3, proj_size=1),
                  nn.LSTM(2, 3).double()):
            dtype = np.float64 if m.weight_ih_l0.dtype == torch.float64 else np.float32
            x = torch.tensor(_arr((2, 1, 2), 0, dtype), requires_grad=True)
            h0 = torch.zeros(m.num_layers * (2 if m.bidirectional else 1), 1, m.proj_size or 3,
                             dtype=x.dtype, requires_grad=True)
            hx = (h0, torch.zeros(h0.shape[:2] + (3,), dtype=x.dtype)) if m.mode == "LSTM" else h0
            out, h = m(x, hx)
            see(graph(out, 4), graph(h[0] if m.mode == "LSTM" else h, 3))
            if m.mode == "LSTM":
                see(graph(h[1], 3), graph(m(x[:, 0])[0], 4))
        m = nn.LSTM(2, 3)
        x = torch.tensor(_arr((2, 1, 2), 1), requires_grad=True)
        g, = torch.autograd.grad(m(x)[0].sum(), x, create_graph=True)
        see(g)
        g.sum().backward()  # oneDNN's layer backward has no derivative
    close(prog)


def test_dropout_between_layers_draws_as_torch(close):
    def prog(torch, see):
        torch.manual_seed(3)
        x = torch.tensor(_arr((5, 3, 4), 1), requires_grad=True)
        for m in (torch.nn.GRU(4, 6, 2, dropout=0.5), torch.nn.LSTM(4, 6, 3, dropout=0.4, bidirectional=True),
                  torch.nn.RNN(4, 6, 2, dropout=0.3, nonlinearity="relu")):
            out = m(x)[0]
            see(out.detach())
            _backward(torch, [out])
            see(x.grad, *(p.grad for p in m.parameters()))
            m.eval()
            see(m(x)[0].detach())
            x.grad = None
    close(prog)


def test_default_initialisation_draws_as_torch(close):
    def prog(torch, see):
        torch.manual_seed(0)
        for m in (torch.nn.LSTM(4, 5, 2, bidirectional=True), torch.nn.LSTM(4, 5, proj_size=2),
                  torch.nn.GRU(3, 4, bias=False), torch.nn.RNN(3, 4), torch.nn.RNNCell(2, 3),
                  torch.nn.LSTMCell(2, 3), torch.nn.GRUCell(2, 3)):
            see(list(m.state_dict().values()))
    close(prog)


# ---- cells -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind,kw", [("RNNCell", {}), ("RNNCell", {"nonlinearity": "relu"}),
                                     ("LSTMCell", {}), ("GRUCell", {}), ("GRUCell", {"bias": False})])
def test_cells(close, graph, kind, kw):
    def prog(torch, see):
        cell = getattr(torch.nn, kind)(4, 5, **kw)
        _set_weights(torch, cell, 2)
        see(repr(cell), [(n, tuple(p.shape)) for n, p in cell.named_parameters()])
        for batched in (True, False):
            x = torch.tensor(_arr((3, 4) if batched else (4,), 3), requires_grad=True)
            shape = (3, 5) if batched else (5,)
            h = torch.tensor(_arr(shape, 4), requires_grad=True)
            hx = (h, torch.tensor(_arr(shape, 5), requires_grad=True)) if kind == "LSTMCell" else h
            for state in (None, hx):
                out = cell(x, state)
                outs = list(out) if isinstance(out, tuple) else [out]
                see(*outs, graph(outs[0], 3))
                _backward(torch, outs)
                see(x.grad, h.grad, *(p.grad for p in cell.parameters()))
                cell.zero_grad()
                x.grad = h.grad = None
    close(prog)


def test_cell_errors(close):
    def prog(torch, see):
        nn = torch.nn
        c, lc, rc = nn.GRUCell(4, 5), nn.LSTMCell(4, 5), nn.RNNCell(4, 5)
        z = torch.zeros
        for thunk in (lambda: c(z(3, 6)), lambda: c(z(3, 4), z(2, 5)), lambda: c(z(3, 4), z(3, 6)),
                      lambda: lc(z(3, 4), (z(3, 5), z(2, 5))), lambda: lc(z(3, 4), (z(3, 6), z(3, 5))),
                      lambda: lc(z(3, 4), (z(3, 5), z(3, 6))), lambda: lc(z(3, 4), (z(3, 5, 1), z(3, 5))),
                      lambda: rc(z(3, 4, 1)), lambda: rc(z(3, 4), z(1, 3, 5)),
                      lambda: nn.RNNCell(4, 5, nonlinearity="foo")(z(3, 4))):
            try:
                thunk()
            except (RuntimeError, ValueError) as e:
                see(type(e).__name__, str(e))
    close(prog)


# ---- structure, initialisation, errors ---------------------------------------------------------------
STRUCTURE = [("RNN", (10, 20)), ("RNN", (10, 20, 3, "relu", False, True, 0.25, True)),
             ("LSTM", (10, 20)), ("LSTM", (10, 20, 2)), ("GRU", (4, 6, 1, True, True, 0.0, True))]


def test_structure_and_reprs(close):
    def prog(torch, see):
        nn = torch.nn
        mods = [getattr(nn, kind)(*args) for kind, args in STRUCTURE]
        mods += [nn.LSTM(10, 20, num_layers=2, batch_first=True),
                 nn.LSTM(5, 8, proj_size=3, bidirectional=True), nn.LSTM(5, 8, 2, bias=False, proj_size=3),
                 nn.GRU(3, 4, num_layers=2, dropout=0.5), nn.RNN(3, 4, nonlinearity="relu")]
        for m in mods:
            see(repr(m), [(k, tuple(v.shape)) for k, v in m.state_dict().items()], m._flat_weights_names,
                m._all_weights, [[tuple(w.shape) for w in ws] for ws in m.all_weights],
                [w is getattr(m, n) for w, n in zip(m._flat_weights, m._flat_weights_names)], m.mode)
    close(prog)


def test_default_initialisation_bounds():
    for m in (nt.nn.LSTM(3, 16, 2, bidirectional=True), nt.nn.GRU(3, 9), nt.nn.RNN(2, 4),
              nt.nn.LSTMCell(3, 25), nt.nn.GRUCell(2, 4)):
        bound = 1 / math.sqrt(m.hidden_size)
        values = np.concatenate([p.detach().numpy().ravel() for p in m.parameters()])
        assert np.all(np.abs(values) <= bound) and values.std() > bound / 3


def test_weight_replacement_and_copies(close):
    def prog(torch, see):
        m = torch.nn.GRU(2, 3)
        _set_weights(torch, m)
        new = torch.nn.Parameter(torch.zeros(9, 3))
        m.weight_hh_l0 = new
        see(m._flat_weights[1] is new)
        x = torch.tensor(_arr((4, 1, 2), 0))
        see(*m(x))
        for clone in (copy.deepcopy(m), pickle.loads(pickle.dumps(m))):
            see(*clone(x), clone._flat_weights[1] is clone.weight_hh_l0)
        d = torch.nn.LSTM(2, 3).double()
        _set_weights(torch, d, 3)
        see(*_flat(d(torch.tensor(_arr((2, 2), 1, np.float64)))), d._flat_weights[0].dtype)
    close(prog)


def test_layer_errors_and_warnings(close):
    def prog(torch, see):
        nn = torch.nn
        m = nn.LSTM(4, 5, 2)
        z = torch.zeros
        for thunk in (lambda: m(z(3, 2, 6)), lambda: m(z(3, 2, 4), (z(2, 3, 5), z(2, 2, 5))),
                      lambda: m(z(3, 2, 4), (z(2, 2, 5), z(1, 2, 5))), lambda: m(z(3, 2, 4).double()),
                      lambda: m(z(0, 2, 4)), lambda: m(z(3, 2, 4), (z(2, 5), z(2, 5))),
                      lambda: m(z(3, 4), (z(2, 2, 5), z(2, 2, 5))), lambda: m(z(2)),
                      lambda: nn.GRU(4, 5)(z(3, 2, 4), z(2, 2, 5)), lambda: nn.GRU(4, 5)(z(3, 2, 4), z(2, 5)),
                      lambda: nn.GRU(4, 5)(z(3, 4), z(1, 2, 5)), lambda: nn.GRU(4, 5)(z(2, 3, 4, 1)),
                      lambda: nn.RNN(4, 5)(z(2)), lambda: nn.GRU(4, 5, proj_size=2),
                      lambda: nn.RNN(4, 5, proj_size=2),
                      lambda: nn.LSTM(4, 5, proj_size=5), lambda: nn.LSTM(4, 5, proj_size=-1),
                      lambda: nn.LSTM(4, 5, dropout=1.5), lambda: nn.LSTM(4, 5, dropout=True),
                      lambda: nn.RNN(4, 5, nonlinearity="x"), lambda: nn.LSTM(4, 0), lambda: nn.LSTM(0, 4),
                      lambda: nn.LSTM(4, 5, 0), lambda: nn.LSTM(4.0, 5), lambda: nn.LSTM(4, 5, bias=1),
                      lambda: nn.LSTM(4, 5, batch_first=None), lambda: nn.LSTM(4, 5, dropout=0.5)):
            try:
                thunk()
                see("no error")
            except (RuntimeError, ValueError, TypeError) as e:
                see(type(e).__name__, str(e))
        out, (h, c) = m(z(3, 0, 4))
        see(tuple(out.shape), tuple(h.shape), tuple(c.shape))
    close(prog)
