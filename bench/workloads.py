"""Benchmark workloads, run in a fresh process per (library, workload): `python bench/workloads.py LIB NAME`.

Prints one JSON object: the median and all samples. LIB is `torch` or `numtorch`; the same code runs
on both, with weights and data made by numpy so both see identical inputs."""
from __future__ import annotations

import json
import resource
import statistics
import sys
import time

import numpy as np


def load(lib: str):
    if lib == "torch":
        import torch
    else:
        import numtorch as torch
    return torch


def timed(step, warmup: int, reps: int) -> list[float]:
    for _ in range(warmup):
        step()
    out = []
    for _ in range(reps):
        t0 = time.perf_counter()
        step()
        out.append(time.perf_counter() - t0)
    return out


def w1_overhead(torch, shape):
    """(y * 1.0001 + 0.001).sigmoid() x100 then backward: microseconds per op (fwd+bwd), 300 ops."""
    x = torch.tensor(np.ones(shape, dtype=np.float32), requires_grad=True)

    def step():
        y = x
        for _ in range(100):
            y = (y * 1.0001 + 0.001).sigmoid()
        y.sum().backward()
    samples = timed(step, 5, 40)
    return [s / 300 * 1e6 for s in samples], "us/op"


def _mlp(torch, rng):
    nn = torch.nn
    model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(), nn.Linear(256, 10))
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.tensor(rng.standard_normal(tuple(p.shape)).astype(np.float32) * 0.05))
    return model


def w2_mlp(torch):
    """MLP 784-512-256-10, batch 128, cross-entropy, SGD: milliseconds per step."""
    rng = np.random.default_rng(0)
    model = _mlp(torch, rng)
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    x = torch.tensor(rng.standard_normal((128, 784)).astype(np.float32))
    y = torch.tensor(rng.integers(0, 10, 128))

    def step():
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
    return [s * 1e3 for s in timed(step, 5, 30)], "ms/step"


def _copy_weights(torch, model, rng):
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.tensor(rng.standard_normal(tuple(p.shape)).astype(np.float32) * 0.05))


def w3_cnn(torch):
    """conv 1->8 3x3 pad 1, relu, maxpool 2, conv 8->16, relu, maxpool 2, linear 784->10; batch 32."""
    nn = torch.nn
    rng = np.random.default_rng(0)
    model = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                          nn.Linear(784, 10))
    _copy_weights(torch, model, rng)
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    x = torch.tensor(rng.standard_normal((32, 1, 28, 28)).astype(np.float32))
    y = torch.tensor(rng.integers(0, 10, 32))

    def step():
        opt.zero_grad()
        torch.nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
    return [s * 1e3 for s in timed(step, 3, 20)], "ms/step"


def w4_gpt(torch):
    """Char transformer: vocab 65, context 64, n_embd 128, 4 heads, 2 blocks, batch 16, AdamW."""
    nn = torch.nn
    rng = np.random.default_rng(0)

    class GPT(nn.Module):
        def __init__(self):
            super().__init__()
            self.tok = nn.Embedding(65, 128)
            self.pos = nn.Embedding(64, 128)
            self.blocks = nn.ModuleList(
                nn.TransformerEncoderLayer(128, 4, 512, dropout=0.0, activation="gelu",
                                           batch_first=True, norm_first=True) for _ in range(2))
            self.norm = nn.LayerNorm(128)
            self.head = nn.Linear(128, 65)
            self.register_buffer("mask", nn.Transformer.generate_square_subsequent_mask(64))

        def forward(self, idx):
            h = self.tok(idx) + self.pos(torch.arange(idx.shape[1]))
            for block in self.blocks:
                h = block(h, src_mask=self.mask, is_causal=True)
            return self.head(self.norm(h))

    model = GPT()
    _copy_weights(torch, model, rng)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    idx = torch.tensor(rng.integers(0, 65, (16, 64)))
    target = torch.tensor(rng.integers(0, 65, (16, 64)))

    def step():
        opt.zero_grad()
        logits = model(idx)
        torch.nn.functional.cross_entropy(logits.reshape(-1, 65), target.reshape(-1)).backward()
        opt.step()
    return [s * 1e3 for s in timed(step, 2, 10)], "ms/step"


def w5_memory(torch):
    """Peak resident memory (MiB) of a process doing 20 MLP steps (includes the library import)."""
    w2_mlp_steps(torch, 20)
    return [resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024], "MiB"


def w2_mlp_steps(torch, n):
    rng = np.random.default_rng(0)
    model = _mlp(torch, rng)
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    x = torch.tensor(rng.standard_normal((128, 784)).astype(np.float32))
    y = torch.tensor(rng.integers(0, 10, 128))
    for _ in range(n):
        opt.zero_grad()
        torch.nn.functional.cross_entropy(model(x), y).backward()
        opt.step()


WORKLOADS = {
    "W1 overhead (3,)": lambda t: w1_overhead(t, (3,)),
    "W1 overhead (256,256)": lambda t: w1_overhead(t, (256, 256)),
    "W2 MLP step": w2_mlp,
    "W3 CNN step": w3_cnn,
    "W4 GPT step": w4_gpt,
    "W5 peak memory": w5_memory,
}


def main() -> None:
    lib, name = sys.argv[1], sys.argv[2]
    torch = load(lib)
    samples, unit = WORKLOADS[name](torch)
    print(json.dumps({"median": statistics.median(samples), "samples": samples, "unit": unit}))


if __name__ == "__main__":
    main()
