"""nn.TransformerEncoderLayer/Encoder, DecoderLayer/Decoder and nn.Transformer against torch:
values and gradients from identical weights (training mode with dropout 0, and eval mode with
torch's inference fast paths), masks, causal detection, reprs, state_dict keys, warnings and errors;
and a char-level GPT built from numtorch modules trained with AdamW for three steps.

`python tests/nn/test_transformer.py` prints the GPT step timing, numtorch against torch."""
from __future__ import annotations

import statistics
import time
import warnings

import numpy as np
import pytest

import numtorch as nt
import numtorch.nn  # noqa: F401
import numtorch.optim  # noqa: F401

torch = pytest.importorskip("torch")


from _weights import arr as _arr, backward as _backward, set_weights as _set_weights  # noqa: E402


# ---- encoder layer ---------------------------------------------------------------------------------
ENCODER_CONFIGS = {
    "post_norm_relu": dict(),
    "pre_norm_gelu_batch_first": dict(norm_first=True, activation="gelu", batch_first=True),
    "callable_activation": dict(activation="tanh"),  # replaced by torch.tanh in the program
    "module_activation_no_bias": dict(activation="ReLU", bias=False, batch_first=True),
}


@pytest.mark.parametrize("name", list(ENCODER_CONFIGS))
def test_encoder_layer_differential(close, name):
    def prog(torch, see):
        cfg = dict(ENCODER_CONFIGS[name])
        if cfg.get("activation") == "tanh":
            cfg["activation"] = torch.tanh
        elif cfg.get("activation") == "ReLU":
            cfg["activation"] = torch.nn.ReLU()
        layer = torch.nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, **cfg)
        _set_weights(torch, layer)
        bf = cfg.get("batch_first", False)
        x = torch.tensor(_arr((3, 5, 8) if bf else (5, 3, 8), 1), requires_grad=True)
        causal = torch.nn.Transformer.generate_square_subsequent_mask(5)
        kpm = torch.tensor([[False] * 5, [False, False, False, True, True], [False] * 4 + [True]])
        for kw in ({}, {"src_mask": causal, "is_causal": True}, {"src_key_padding_mask": kpm},
                   {"src_mask": causal, "src_key_padding_mask": kpm}):
            out = layer(x, **kw)
            see(out)
            _backward(torch, [out])
            see(x.grad, *(p.grad for p in layer.parameters()))
            layer.zero_grad()
            x.grad = None
        see(layer(x[:, 0]))  # unbatched
    close(prog)


def test_encoder_layer_float64_and_eval_fast_path(close):
    def prog(torch, see):
        layer = torch.nn.TransformerEncoderLayer(8, 2, 16, batch_first=True, dtype=torch.float64)
        _set_weights(torch, layer, 1)
        x = torch.tensor(_arr((2, 4, 8), 2, np.float64))
        kpm = torch.tensor([[False, False, True, True], [True] * 4])
        layer.eval()
        see(layer(x), layer(x, src_key_padding_mask=kpm))  # grad mode: the composed path
        with torch.no_grad():  # torch's fused layer: a fully padded sequence gives NaN
            see(layer(x), layer(x, src_key_padding_mask=kpm))
            see(layer(x, src_mask=torch.zeros(4, 4, dtype=torch.float64), is_causal=True))
    close(prog)


# ---- encoder stack -----------------------------------------------------------------------------------
def test_encoder_stack(close):
    def prog(torch, see):
        nn = torch.nn
        layer = nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0)
        enc = nn.TransformerEncoder(layer, 2, norm=nn.LayerNorm(8))
        _set_weights(torch, enc, 2)
        see(enc.layers[0] is not enc.layers[1], [n for n, _ in enc.named_parameters()][:6],
            enc.use_nested_tensor)
        x = torch.tensor(_arr((5, 2, 8), 3), requires_grad=True)
        mask = nn.Transformer.generate_square_subsequent_mask(5)
        for kw in ({}, {"mask": mask}, {"mask": mask, "is_causal": True},
                   {"src_key_padding_mask": torch.tensor([[False] * 5, [False, False, True, True, True]])},
                   {"mask": mask > -1}):
            out = enc(x, **kw)
            see(out)
            _backward(torch, [out])
            see(x.grad, *(p.grad for p in enc.parameters()))
            enc.zero_grad()
            x.grad = None
    close(prog)


def test_encoder_nested_tensor_path_zeroes_padding(close):
    def prog(torch, see):
        nn = torch.nn
        layer = nn.TransformerEncoderLayer(8, 2, 16, batch_first=True)
        enc = nn.TransformerEncoder(layer, 2).eval()
        _set_weights(torch, enc, 4)
        see(enc.use_nested_tensor)
        x = torch.tensor(_arr((3, 4, 8), 5))
        left = torch.tensor([[False, False, True, True], [False] * 4, [True] * 4])
        ragged = torch.tensor([[False, True, False, True], [False] * 4, [False] * 4])
        with torch.no_grad(), warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            see(enc(x, src_key_padding_mask=left), enc(x, src_key_padding_mask=ragged))
        # torch warns once per process (its text ends with C++'s "Triggered internally at ...")
        see(sorted({str(w.message).split(" (Triggered")[0] for w in caught}))
        see(enc(x, src_key_padding_mask=left))
    close(prog)


def test_encoder_warnings_and_structure(close):
    def prog(torch, see):
        nn = torch.nn
        for kw in ({"norm_first": True}, {}, {"batch_first": True, "bias": False},
                   {"batch_first": True, "activation": torch.tanh}, {"batch_first": True}):
            enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16, **kw), 1)
            see(enc.use_nested_tensor)
        nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 1, 16, batch_first=True), 1)
        nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16), 1, enable_nested_tensor=False)
        enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(4, 2, 6), 2, nn.LayerNorm(4))
        see(repr(enc), [(k, tuple(v.shape)) for k, v in enc.state_dict().items()])
        see(nn.TransformerEncoderLayer(4, 2, 6, activation="gelu").activation_relu_or_gelu)
        try:
            nn.TransformerEncoderLayer(4, 2, 6, activation="swish")
        except RuntimeError as e:
            see(str(e))
    close(prog)


# ---- decoder and full transformer ------------------------------------------------------------------
@pytest.mark.parametrize("norm_first", [False, True])
def test_decoder_differential(close, norm_first):
    def prog(torch, see):
        nn = torch.nn
        layer = nn.TransformerDecoderLayer(8, 2, 16, dropout=0.0, norm_first=norm_first, batch_first=True)
        dec = nn.TransformerDecoder(layer, 2, norm=nn.LayerNorm(8))
        _set_weights(torch, dec, 5)
        tgt = torch.tensor(_arr((2, 4, 8), 6), requires_grad=True)
        mem = torch.tensor(_arr((2, 3, 8), 7), requires_grad=True)
        mask = nn.Transformer.generate_square_subsequent_mask(4)
        out = dec(tgt, mem, tgt_mask=mask,
                  tgt_key_padding_mask=torch.tensor([[False] * 4, [False] * 3 + [True]]),
                  memory_key_padding_mask=torch.tensor([[False, False, True], [False] * 3]))
        see(out)
        _backward(torch, [out])
        see(tgt.grad, mem.grad, *(p.grad for p in dec.parameters()))
        see(dec.layers[0](tgt[0], mem[0], tgt_mask=mask, tgt_is_causal=True))
    close(prog)


def test_full_transformer(close):
    def prog(torch, see):
        nn = torch.nn
        model = nn.Transformer(d_model=8, nhead=2, num_encoder_layers=2, num_decoder_layers=1,
                               dim_feedforward=16, dropout=0.0)
        see(repr(model), [(k, tuple(v.shape)) for k, v in model.state_dict().items()])
        _set_weights(torch, model, 8)
        src = torch.tensor(_arr((5, 2, 8), 9), requires_grad=True)
        tgt = torch.tensor(_arr((4, 2, 8), 10), requires_grad=True)
        out = model(src, tgt, tgt_mask=model.generate_square_subsequent_mask(4))
        see(out)
        _backward(torch, [out])
        see(src.grad, tgt.grad, *(p.grad for p in model.parameters()))
        for bad in (lambda: model(src, tgt[:, :1]), lambda: model(src[..., :4], tgt)):
            try:
                bad()
            except RuntimeError as e:
                see(str(e))
        m = nn.Transformer.generate_square_subsequent_mask(3)
        m2 = nn.Transformer.generate_square_subsequent_mask(2, dtype=torch.float64)
        see(m.dtype, m.tolist(), m2.dtype, m2.tolist(),
            nn.Transformer.generate_square_subsequent_mask(0).shape)
        bound = (6 / (8 + 16)) ** 0.5  # _reset_parameters: xavier_uniform_ on every matrix
        see(all(bool(p.abs().max() <= bound) for n, p in model.named_parameters() if "linear1.weight" in n))
    close(prog)


def test_seeded_initialisation_and_dropout_draw_as_torch(close):
    def prog(torch, see):
        nn = torch.nn
        torch.manual_seed(7)
        model = nn.Transformer(8, 2, 2, 1, 16, dropout=0.2, batch_first=True)
        see(list(model.state_dict().values()))
        src = torch.tensor(_arr((3, 5, 8), 1), requires_grad=True)
        tgt = torch.tensor(_arr((3, 4, 8), 2), requires_grad=True)
        out = model(src, tgt, tgt_mask=nn.Transformer.generate_square_subsequent_mask(4), tgt_is_causal=True)
        see(out)
        _backward(torch, [out])
        see(src.grad, tgt.grad, *(p.grad for p in model.parameters()))
    close(prog)


# ---- a char-level GPT trained with AdamW -------------------------------------------------------------
VOCAB, CONTEXT, N_EMBD, N_HEAD, N_LAYER, BATCH = 65, 64, 128, 4, 2, 16


def build_gpt(lib):
    nn = lib.nn

    class GPT(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.tok = nn.Embedding(VOCAB, N_EMBD)
            self.pos = nn.Embedding(CONTEXT, N_EMBD)
            # pre-norm blocks with GPT-2's tanh-approximated GELU
            block = nn.TransformerEncoderLayer(N_EMBD, N_HEAD, 4 * N_EMBD, dropout=0.0,
                                               activation=nn.GELU("tanh"), batch_first=True, norm_first=True)
            self.blocks = nn.TransformerEncoder(block, N_LAYER, enable_nested_tensor=False)
            self.ln_f = nn.LayerNorm(N_EMBD)
            self.head = nn.Linear(N_EMBD, VOCAB)

        def forward(self, idx, mask):
            x = self.tok(idx) + self.pos(lib.arange(idx.shape[1]))
            return self.head(self.ln_f(self.blocks(x, mask=mask, is_causal=True)))

    return GPT()


def gpt_trainer(lib, seed: int = 0):
    """A step function for a GPT whose weights and batches come from numpy (same in both libraries)."""
    rng = np.random.default_rng(seed)
    model = build_gpt(lib)
    state = {k: (rng.standard_normal(tuple(v.shape)) * 0.05).astype(np.float32)
             for k, v in model.state_dict().items()}
    model.load_state_dict({k: lib.tensor(v) for k, v in state.items()})
    data = rng.integers(0, VOCAB, (8, BATCH, CONTEXT + 1))
    opt = lib.optim.AdamW(model.parameters(), lr=1e-3)
    mask = lib.nn.Transformer.generate_square_subsequent_mask(CONTEXT)

    def step(i: int) -> float:
        x, y = lib.tensor(data[i % len(data), :, :-1]), lib.tensor(data[i % len(data), :, 1:])
        opt.zero_grad()
        logits = model(x, mask)
        loss = lib.nn.functional.cross_entropy(logits.view(-1, VOCAB), y.reshape(-1))
        loss.backward()
        opt.step()
        return loss.item()
    return step


def test_gpt_training_steps_match_torch():
    ours, theirs = gpt_trainer(nt), gpt_trainer(torch)
    for i in range(3):
        a, b = ours(i), theirs(i)
        assert abs(a - b) <= 1e-5 * abs(b), (i, a, b)


def gpt_timing(steps: int = 10, warmup: int = 3) -> dict:
    """Median wall and CPU time per training step, both libraries in this process, interleaved."""
    trainers = {"numtorch": gpt_trainer(nt), "torch": gpt_trainer(torch)}
    for i in range(warmup):
        for step in trainers.values():
            step(i)
    wall: dict = {k: [] for k in trainers}
    cpu: dict = {k: [] for k in trainers}
    for i in range(warmup, warmup + steps):
        for name, step in trainers.items():
            w0, c0 = time.perf_counter(), time.process_time()
            step(i)
            wall[name].append(time.perf_counter() - w0)
            cpu[name].append(time.process_time() - c0)
    return {name: (statistics.median(wall[name]) * 1e3, statistics.median(cpu[name]) * 1e3)
            for name in trainers}


if __name__ == "__main__":
    result = gpt_timing()
    for name, (w, c) in result.items():
        print(f"{name:9} {w:8.1f} ms/step wall  {c:8.1f} ms/step cpu")
    print(f"ratio numtorch/torch: wall {result['numtorch'][0] / result['torch'][0]:.2f}, "
          f"cpu {result['numtorch'][1] / result['torch'][1]:.2f}")
