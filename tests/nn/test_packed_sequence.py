"""nn.utils.rnn against torch: PackedSequence (fields, repr, conversions, construction),
pack_padded_sequence / pad_packed_sequence / pad_sequence / pack_sequence / unpad_sequence /
unpack_sequence / invert_permutation (values, batch sizes, permutations, gradients, double
backward, recorded graphs, error texts), and nn.RNN / nn.LSTM / nn.GRU on a PackedSequence
(outputs, final states, gradients w.r.t. input, initial states and every parameter, graphs, the
initial-state permutation of enforce_sorted=False, dropout draws, error texts), all from identical
weights and inputs; plus a numtorch self-consistency check: the packed run equals running each
sequence alone."""
from __future__ import annotations

import numpy as np
import pytest

import numtorch as nt
import numtorch.nn  # noqa: F401

torch = pytest.importorskip("torch")

from _weights import arr as _arr, backward as _backward, set_weights as _set_weights  # noqa: E402


def _errors(see, thunks) -> None:
    for thunk in thunks:
        try:
            thunk()
            see("no error")
        except Exception as e:  # the error type and text are the observation
            see(type(e).__name__, str(e).split(" (Triggered internally at")[0])


# ---- pack_padded_sequence / pad_packed_sequence --------------------------------------------------------
PACK_CASES = {
    # T, B, trailing dims, lengths, batch_first, enforce_sorted, lengths as a tensor
    "sorted": (4, 3, (2,), [4, 2, 1], False, True, False),
    "unsorted": (4, 3, (2,), [2, 4, 1], False, False, True),
    "no_trailing_bf_ties": (5, 4, (), [5, 5, 3, 3], True, True, False),
    "two_trailing_bf_unsorted": (5, 4, (2, 3), [1, 5, 3, 5], True, False, False),
    "single_sequence": (3, 1, (2,), [2], False, True, True),
    "ties_unsorted": (6, 5, (3,), [3, 6, 3, 1, 6], False, False, True),
    "all_full": (3, 2, (2,), [3, 3], True, False, False),
}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", list(PACK_CASES))
def test_pack_and_pad_differential(close, graph, name, dtype):
    T, B, trailing, lengths, bf, es, as_tensor = PACK_CASES[name]

    def prog(torch, see):
        rnn = torch.nn.utils.rnn
        shape = ((B, T) if bf else (T, B)) + trailing
        x = torch.tensor(_arr(shape, 1, dtype), requires_grad=True)
        lens = torch.tensor(lengths) if as_tensor else lengths
        p = rnn.pack_padded_sequence(x, lens, batch_first=bf, enforce_sorted=es)
        see(p, repr(p), graph(p.data), p.batch_sizes.dtype, type(p).__name__)
        for kwargs in ({}, {"batch_first": True}, {"padding_value": -2.5, "total_length": T + 2},
                       {"batch_first": True, "total_length": T, "padding_value": 7}):
            out, lens_out = rnn.pad_packed_sequence(p, **kwargs)
            see(out, lens_out, graph(out, 5))
        out, _ = rnn.pad_packed_sequence(p, batch_first=bf, total_length=T)
        _backward(torch, [out, p.data])
        see(x.grad)
    close(prog)


def test_pack_of_integer_data_and_float_lengths(close):
    def prog(torch, see):
        rnn = torch.nn.utils.rnn
        x = torch.arange(24).reshape(4, 3, 2)
        for lens in ([4.7, 2.5, 1.0], torch.tensor([4.0, 2.0, 1.0]),
                     torch.tensor([4, 2, 1], dtype=torch.int32), (True, True, True), np.array([4, 3, 3])):
            p = rnn.pack_padded_sequence(x, lens)
            see(p, rnn.pad_packed_sequence(p, padding_value=-1.5))
        p = rnn.pack_padded_sequence(x.transpose(0, 1), [2, 4, 1], batch_first=True, enforce_sorted=False)
        see(p, rnn.pad_packed_sequence(p, batch_first=True))
        p = rnn.pack_padded_sequence(x, [5, 2, 1])  # longer than the input: batch sizes from the lengths
        see(p)
    close(prog)


def test_pack_pad_double_backward(close, graph):
    def prog(torch, see):
        rnn = torch.nn.utils.rnn
        x = torch.tensor(_arr((3, 4, 2), 2, np.float64), requires_grad=True)
        p = rnn.pack_padded_sequence(x, [1, 4, 2], batch_first=True, enforce_sorted=False)
        out, _ = rnn.pad_packed_sequence(p, total_length=5)
        loss = (p.data ** 3).sum() + (out.sin() * out).sum()
        g, = torch.autograd.grad(loss, x, create_graph=True)
        see(g, graph(g, 4))
        (g * g).sum().backward()
        see(x.grad)
    close(prog)


def test_pack_node_saved_values(close):
    def prog(torch, see):
        x = torch.zeros(4, 3, 2, requires_grad=True)
        for bf in (False, True):
            lengths = [3, 2, 2] if bf else [4, 2, 1]
            fn = torch.nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=bf).data.grad_fn
            see(fn.name(), fn._saved_batch_first, tuple(fn._saved_input_sym_sizes), fn._saved_result1,
                [type(f).__name__ for f, _ in fn.next_functions])
    close(prog)


# ---- pad_sequence / pack_sequence / unpad_sequence / unpack_sequence -----------------------------------
@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("side", ["right", "left"])
def test_pad_sequence(close, graph, batch_first, side):
    def prog(torch, see):
        rnn = torch.nn.utils.rnn
        seqs = [torch.tensor(_arr((n, 2, 3), n), requires_grad=True) for n in (2, 5, 1, 5)]
        out = rnn.pad_sequence(seqs, batch_first=batch_first, padding_side=side)
        see(out, graph(out, 5))
        out2 = rnn.pad_sequence(iter(seqs[:3]), batch_first, -1.5, side)
        see(out2)
        _backward(torch, [out, out2])
        see(*(s.grad for s in seqs))
        see(rnn.pad_sequence(torch.tensor(_arr((3, 4), 7)), batch_first=batch_first, padding_side=side))
        mixed = [torch.arange(3), torch.tensor(_arr((1,), 1, np.float64)), torch.tensor([True, False])]
        see(rnn.pad_sequence(mixed, batch_first, 2.5, side))
        see(rnn.pad_sequence([torch.ones(3, 2), torch.zeros(0, 2)], batch_first, 9, side))
        see(rnn.pad_sequence([torch.zeros(0, 2)], batch_first, padding_side=side))
    close(prog)


def test_pack_sequence_unpack_unpad(close, graph):
    def prog(torch, see):
        rnn = torch.nn.utils.rnn
        seqs = [torch.tensor(_arr((n, 3), n), requires_grad=True) for n in (3, 5, 1, 3)]
        for sorted_seqs in (False, True):
            use = sorted(seqs, key=lambda s: -s.shape[0]) if sorted_seqs else seqs
            p = rnn.pack_sequence(use, enforce_sorted=sorted_seqs)
            see(p, graph(p.data, 4))
            unpacked = rnn.unpack_sequence(p)
            see(unpacked, [graph(u, 5) for u in unpacked])
            _backward(torch, unpacked)
            see(*(s.grad for s in seqs))
            for s in seqs:
                s.grad = None
        padded = rnn.pad_sequence(seqs)
        lengths = torch.tensor([3, 5, 1, 3])
        parts = rnn.unpad_sequence(padded, lengths)
        see(parts, [graph(u, 4) for u in parts], padded.shape, padded._version, graph(padded, 2))
        _backward(torch, parts)
        see(*(s.grad for s in seqs))
        bf = rnn.pad_sequence(seqs, batch_first=True)
        see(rnn.unpad_sequence(bf, lengths, batch_first=True), bf.shape)
    close(prog)


def test_invert_permutation(close):
    def prog(torch, see):
        rnn = torch.nn.utils.rnn
        see(rnn.invert_permutation(None))
        for perm in ([2, 0, 1], [0], [3, 1, 4, 0, 2], []):
            see(rnn.invert_permutation(torch.tensor(perm, dtype=torch.int64)))
        perm = torch.tensor([1, 2, 0])
        see(rnn.invert_permutation(perm).dtype, perm)
    close(prog)


# ---- PackedSequence ---------------------------------------------------------------------------------
def test_packed_sequence_class(close):
    def prog(torch, see):
        rnn = torch.nn.utils.rnn
        PS = rnn.PackedSequence
        x = torch.tensor(_arr((4, 3, 2), 3), requires_grad=True)
        p = rnn.pack_padded_sequence(x, [2, 4, 1], enforce_sorted=False)
        see(repr(p), p._fields, [c.__name__ for c in type(p).__mro__], isinstance(p, tuple), len(p))
        data, batch_sizes, sorted_indices, unsorted_indices = p
        see(data, batch_sizes, sorted_indices, unsorted_indices, p[1], p.is_cuda, p.is_pinned())
        see(p.to(torch.float32) is p, p.float() is p, p.cpu() is p, p.to("cpu") is p)
        for q in (p.double(), p.to(torch.float64), p.to(dtype=torch.float16), p.half(), p.long(), p.int(),
                  p.short(), p.char(), p.byte(), p.to(torch.zeros(1, dtype=torch.float64))):
            see(q, type(q).__name__, q.batch_sizes is p.batch_sizes, q.sorted_indices is p.sorted_indices)
        see(repr(p.double()))
        see(PS(data, batch_sizes), PS(data, batch_sizes, torch.tensor([2, 0, 1])),
            PS((data, batch_sizes)), PS((data, batch_sizes), sorted_indices=torch.tensor([1, 0, 2])),
            PS(data, batch_sizes, torch.tensor([2, 0, 1]), torch.tensor([0, 1, 2])))
        see(repr(rnn.pack_sequence([torch.tensor([1, 2, 3]), torch.tensor([4, 5]), torch.tensor([6])])))
        see(p._replace(sorted_indices=None).sorted_indices, p._asdict()["batch_sizes"])
    close(prog)


# ---- errors -------------------------------------------------------------------------------------------
def test_utils_errors(close):
    def prog(torch, see):
        rnn = torch.nn.utils.rnn
        z = torch.zeros
        x = torch.tensor(_arr((4, 3, 2), 0))
        p = rnn.pack_padded_sequence(x, [4, 2, 1])
        _errors(see, (
            lambda: rnn.pack_padded_sequence(x, [2, 4, 1]),
            lambda: rnn.pack_padded_sequence(x, [4, 2, 0]),
            lambda: rnn.pack_padded_sequence(x, [4, 0, 2]),
            lambda: rnn.pack_padded_sequence(x, [4, 0, 2], enforce_sorted=False),
            lambda: rnn.pack_padded_sequence(x, torch.tensor([4, 2, -1])),
            lambda: rnn.pack_padded_sequence(x, [4, 2]),
            lambda: rnn.pack_padded_sequence(x, [4, 2, 1, 1]),
            lambda: rnn.pack_padded_sequence(x, [3, 3], batch_first=True),
            lambda: rnn.pack_padded_sequence(x, torch.tensor([[4, 2, 1]])),
            lambda: rnn.pack_padded_sequence(x, 3),
            lambda: rnn.pack_padded_sequence(x, torch.tensor(3)),
            lambda: rnn.pack_padded_sequence(z(0, 3, 2), [4, 2, 1]),
            lambda: rnn.pack_padded_sequence(z(4, 0, 2), []),
            lambda: rnn.pack_padded_sequence(z(4), [4]),
            lambda: rnn.pack_padded_sequence(z(4), [4], batch_first=True),
            lambda: rnn.pack_padded_sequence(x, [3, 3, 3], batch_first=1),
            lambda: rnn.pad_packed_sequence(p, total_length=3),
            lambda: rnn.pad_packed_sequence(p, total_length=0),
            lambda: rnn.pad_packed_sequence(p, total_length=5.0),
            lambda: rnn.pad_packed_sequence(p, total_length=True),
            lambda: rnn.pad_packed_sequence(p, batch_first=1),
            lambda: rnn.pad_packed_sequence(p, padding_value="a"),
            lambda: rnn.pad_packed_sequence(rnn.PackedSequence(p.data, p.batch_sizes.int())),
            lambda: rnn.pad_packed_sequence(rnn.PackedSequence(p.data, p.batch_sizes.reshape(2, 2))),
            lambda: rnn.pad_sequence([]),
            lambda: rnn.pad_sequence(3),
            lambda: rnn.pad_sequence({"a": 1}),
            lambda: rnn.pad_sequence([z(2, 3), z(3, 4)]),
            lambda: rnn.pad_sequence([z(2, 3), z(3, 3, 1)]),
            lambda: rnn.pad_sequence([z(2, 3), z(3, 3)], padding_side="up"),
            lambda: rnn.pad_sequence([], padding_side="up"),
            lambda: rnn.pad_sequence([z(())], padding_side="up"),
            lambda: rnn.pad_sequence([z(()), z(3)]),
            lambda: rnn.pad_sequence([z(3), z(())]),
            lambda: rnn.pad_sequence([z(2), 3], padding_side="up"),
            lambda: rnn.pad_sequence([z(2)], batch_first=1),
            lambda: rnn.pad_sequence([z(2)], padding_value=None),
            lambda: rnn.pad_sequence([z(2)], padding_side=None),
            lambda: rnn.pack_sequence([]),
            lambda: rnn.pack_sequence([z(1), z(2)]),
            lambda: rnn.pack_sequence([z(2), z(0)]),
            lambda: rnn.unpad_sequence(torch.arange(12.).reshape(3, 2, 2), torch.tensor([3, 1, 1])),
            lambda: rnn.PackedSequence(z(3)),
            lambda: rnn.PackedSequence(z(3), torch.tensor([2, 1])).pin_memory(),
        ))
    close(prog)


# ---- RNN / LSTM / GRU on packed input -------------------------------------------------------------------
RNN_CONFIGS = {
    "rnn_tanh": ("RNN", dict()),
    "rnn_relu_2l_bi": ("RNN", dict(nonlinearity="relu", num_layers=2, bidirectional=True)),
    "gru": ("GRU", dict()),
    "gru_2l_bi_nobias_bf": ("GRU", dict(num_layers=2, bidirectional=True, bias=False, batch_first=True)),
    "lstm": ("LSTM", dict()),
    "lstm_2l_bi": ("LSTM", dict(num_layers=2, bidirectional=True)),
    "lstm_proj_bi_bf": ("LSTM", dict(proj_size=3, bidirectional=True, batch_first=True)),
    "lstm_proj_2l_nobias": ("LSTM", dict(num_layers=2, proj_size=2, bias=False)),
    "lstm_f64_bf": ("LSTM", dict(batch_first=True, dtype="float64")),
    "gru_f64_2l": ("GRU", dict(num_layers=2, dtype="float64")),
}


def _make(torch, kind, cfg, seed=0):
    cfg = dict(cfg)
    if "dtype" in cfg:
        cfg["dtype"] = getattr(torch, cfg["dtype"])
    m = getattr(torch.nn, kind)(4, 6, **cfg)
    _set_weights(torch, m, seed)
    return m


def _states(torch, kind, m, batch, seed, dtype):
    layers = m.num_layers * (2 if m.bidirectional else 1)
    h0 = torch.tensor(_arr((layers, batch, m.proj_size or 6), seed, dtype) * 0.5, requires_grad=True)
    if kind != "LSTM":
        return h0, [h0]
    c0 = torch.tensor(_arr((layers, batch, 6), seed + 1, dtype) * 0.5, requires_grad=True)
    return (h0, c0), [h0, c0]


def _hidden_list(hidden):
    return list(hidden) if isinstance(hidden, tuple) else [hidden]


@pytest.mark.parametrize("enforce_sorted", [True, False])
@pytest.mark.parametrize("name", list(RNN_CONFIGS))
def test_packed_recurrent_differential(close, graph, name, enforce_sorted):
    kind, cfg = RNN_CONFIGS[name]
    dtype = np.float64 if cfg.get("dtype") == "float64" else np.float32
    lengths = [5, 3, 3, 1] if enforce_sorted else [3, 5, 1, 3]

    def prog(torch, see):
        rnn = torch.nn.utils.rnn
        m = _make(torch, kind, cfg)
        bf = m.batch_first
        for with_state in (False, True):
            x = torch.tensor(_arr((4, 5, 4) if bf else (5, 4, 4), 1, dtype), requires_grad=True)
            packed = rnn.pack_padded_sequence(x, lengths, batch_first=bf, enforce_sorted=enforce_sorted)
            hx, leaves = _states(torch, kind, m, 4, 2, dtype) if with_state else (None, [])
            out, hidden = m(packed, hx)
            hs = _hidden_list(hidden)
            see(type(out).__name__, out.batch_sizes, out.sorted_indices, out.unsorted_indices, out.data, *hs)
            see(graph(out.data, 3), *(graph(h, 3) for h in hs))
            padded, lens = rnn.pad_packed_sequence(out, batch_first=bf)
            see(padded, lens)
            _backward(torch, [padded, *hs])
            see(x.grad, *(t.grad for t in leaves), *(p.grad for p in m.parameters()))
            m.zero_grad()
    close(prog)


def test_packed_long_sequences_float64(close):
    def prog(torch, see):
        rnn = torch.nn.utils.rnn
        lengths = [30, 3, 29, 17, 30, 1]
        x = torch.tensor(_arr((30, 6, 3), 4, np.float64), requires_grad=True)
        packed = rnn.pack_padded_sequence(x, lengths, enforce_sorted=False)
        for kind in ("LSTM", "GRU", "RNN"):
            m = getattr(torch.nn, kind)(3, 5, num_layers=2, bidirectional=True, dtype=torch.float64)
            _set_weights(torch, m, 1)
            out, hidden = m(packed)
            hs = _hidden_list(hidden)
            see(out.data, *hs)
            _backward(torch, [out.data, *hs])
            see(x.grad, *(p.grad for p in m.parameters()))
            x.grad = None
    close(prog)


def test_packed_double_backward(close):
    def prog(torch, see):
        rnn = torch.nn.utils.rnn
        x = torch.tensor(_arr((4, 3, 2), 5, np.float64), requires_grad=True)
        for kind in ("GRU", "LSTM"):
            m = getattr(torch.nn, kind)(2, 3, bidirectional=True, dtype=torch.float64)
            _set_weights(torch, m, 2)
            out, _ = m(rnn.pack_padded_sequence(x, [2, 4, 1], enforce_sorted=False))
            g, = torch.autograd.grad((out.data ** 2).sum(), x, create_graph=True)
            see(g)
            g.pow(2).sum().backward()
            see(x.grad, *(p.grad for p in m.parameters()))
            x.grad = None
    close(prog)


def test_packed_dropout_draws_as_torch(close):
    def prog(torch, see):
        rnn = torch.nn.utils.rnn
        torch.manual_seed(3)
        x = torch.tensor(_arr((5, 3, 4), 1), requires_grad=True)
        packed = rnn.pack_padded_sequence(x, [3, 5, 2], enforce_sorted=False)
        for m in (torch.nn.GRU(4, 6, 2, dropout=0.5), torch.nn.LSTM(4, 6, 3, dropout=0.4, bidirectional=True),
                  torch.nn.RNN(4, 6, 2, dropout=0.3, nonlinearity="relu")):
            out, hidden = m(packed)
            see(out.data, *_hidden_list(hidden))
            _backward(torch, [out.data])
            see(x.grad, *(p.grad for p in m.parameters()))
            m.eval()
            see(m(packed)[0].data)
            x.grad = None
    close(prog)


def test_packed_initialisation_from_seed(close):
    def prog(torch, see):
        rnn = torch.nn.utils.rnn
        torch.manual_seed(11)
        m = torch.nn.LSTM(3, 4, 2, bidirectional=True)
        seqs = [torch.tensor(_arr((n, 3), n)) for n in (2, 4, 3)]
        out, (h, c) = m(rnn.pack_sequence(seqs, enforce_sorted=False))
        see(out.data.detach(), h.detach(), c.detach(), out.sorted_indices, out.unsorted_indices)
        see(rnn.unpack_sequence(out)[2].detach())
    close(prog)


def test_packed_errors(close):
    def prog(torch, see):
        rnn = torch.nn.utils.rnn
        nn, z = torch.nn, torch.zeros
        x = torch.tensor(_arr((4, 3, 2), 0))
        p = rnn.pack_padded_sequence(x, [4, 2, 1])
        p5 = rnn.pack_padded_sequence(torch.tensor(_arr((4, 3, 5), 1)), [4, 2, 1])
        pd = rnn.pack_padded_sequence(x.double(), [4, 2, 1])
        thunks = []
        for kind in ("RNN", "GRU"):
            m = getattr(nn, kind)(2, 3)
            thunks += [lambda m=m: m(p5), lambda m=m: m(pd), lambda m=m: m(p, z(1, 2, 3)),
                       lambda m=m: m(p, z(3, 3)), lambda m=m: m(p, z(2, 3, 3)),
                       lambda m=m: m(rnn.PackedSequence(z(7, 3, 2), p.batch_sizes))]
        lstm = nn.LSTM(2, 3)
        thunks += [lambda: lstm(p5), lambda: lstm(p, (z(1, 2, 3), z(1, 3, 3))),
                   lambda: lstm(p, (z(1, 3, 3), z(1, 2, 3))), lambda: lstm(p, (z(2, 3, 3), z(2, 3, 3))),
                   lambda: lstm(p, (z(1, 3, 4), z(1, 3, 3))), lambda: lstm(p, (z(3, 3), z(3, 3)))]
        proj = nn.LSTM(2, 3, proj_size=2, bias=False)
        thunks += [lambda: proj(p, (z(1, 3, 3), z(1, 3, 3))), lambda: proj(p, (z(1, 3, 1), z(1, 3, 3))),
                   lambda: proj(p, (z(1, 3, 2), z(1, 3, 4))),
                   lambda: proj(p, (z(1, 3, 2), z(1, 3, 3), z(1, 3, 3)))]
        bi = nn.LSTM(2, 3, 2, bidirectional=True)
        thunks += [lambda: bi(p, (z(2, 3, 3), z(2, 3, 3))), lambda: bi(p, (z(3, 3, 3), z(3, 3, 3)))]
        _errors(see, thunks)
    close(prog)


# ---- numtorch self-consistency: a packed batch runs each sequence as if alone ---------------------------
@pytest.mark.parametrize("kind", ["RNN", "GRU", "LSTM"])
def test_packed_equals_each_sequence_alone(kind):
    rnn = nt.nn.utils.rnn
    nt.manual_seed(5)
    m = getattr(nt.nn, kind)(3, 4, num_layers=2, bidirectional=True, dtype=nt.float64)
    lengths = [2, 5, 1, 4]
    seqs = [nt.tensor(_arr((n, 3), 10 + n, np.float64)) for n in lengths]
    layers = 4
    h0 = nt.tensor(_arr((layers, 4, 4), 1, np.float64))
    c0 = nt.tensor(_arr((layers, 4, 4), 2, np.float64))
    hx = (h0, c0) if kind == "LSTM" else h0
    out, hidden = m(rnn.pack_sequence(seqs, enforce_sorted=False), hx)
    padded, lens = rnn.pad_packed_sequence(out)
    assert lens.tolist() == lengths
    for i, seq in enumerate(seqs):
        state = (h0[:, i:i + 1], c0[:, i:i + 1]) if kind == "LSTM" else h0[:, i:i + 1]
        alone, alone_hidden = m(seq.unsqueeze(1), state)
        np.testing.assert_allclose(padded[:lengths[i], i].detach().numpy(), alone[:, 0].detach().numpy(),
                                   rtol=1e-12, atol=1e-12)
        assert np.all(padded[lengths[i]:, i].detach().numpy() == 0)
        for got, want in zip(_hidden_list(hidden), _hidden_list(alone_hidden)):
            np.testing.assert_allclose(got[:, i].detach().numpy(), want[:, 0].detach().numpy(),
                                       rtol=1e-12, atol=1e-12)
