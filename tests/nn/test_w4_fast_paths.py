"""The fast paths taken by the W4 benchmark (char transformer) against torch: the embedding
backward's layered index-add (repeated indices summed in index order, -0.0, inf, NaN rows that
send it back to np.add.at, padding_idx, scale_grad_by_freq, skewed index distributions that
skip it), bit for bit; layer norm on the benchmark's shape."""
from __future__ import annotations

import numpy as np
import pytest

import numtorch
from numtorch._ops import nn_ops

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(11)


def _bits(a: np.ndarray) -> np.ndarray:
    return a.view(np.uint32 if a.dtype == np.float32 else np.uint64)


def _embedding_grads(idx, grad, num, **kw):
    out = []
    for lib in (numtorch, torch):
        w = lib.zeros(num, grad.shape[-1], dtype=getattr(lib, str(grad.dtype)), requires_grad=True)
        lib.nn.functional.embedding(lib.tensor(idx), w, **kw).backward(lib.tensor(grad))
        out.append(w.grad.numpy())
    return out


def _grad(shape, dtype, special=None):
    g = (RNG.standard_normal(shape) * 10.0 ** RNG.integers(-6, 6, shape[:-1] + (1,))).astype(dtype)
    if special is not None:
        g.reshape(-1, shape[-1])[::3, ::2] = special
    return g


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("special", [None, -0.0, np.inf, -np.inf, np.nan, "all-0.0"])
@pytest.mark.parametrize("kw", [{}, {"padding_idx": 3}, {"scale_grad_by_freq": True}])
def test_embedding_backward_repeated_indices(dtype, special, kw):
    idx = RNG.integers(0, 65, (16, 64))          # W4's shape: about 16 uses of each row
    grad = _grad((16, 64, 37), dtype, None if special == "all-0.0" else special)
    if special == "all-0.0":
        grad[:] = -0.0
    ours, theirs = _embedding_grads(idx, grad, 65, **kw)
    if kw.get("scale_grad_by_freq"):  # torch fuses the 1/count scale into its add: ulps apart;
        flat = idx.reshape(-1)          # the division first, then the adds in index order
        theirs = np.zeros_like(ours)
        np.add.at(theirs, flat, grad.reshape(flat.size, -1) / np.bincount(flat)[flat][:, None].astype(dtype))
        assert np.array_equal(_bits(ours), _bits(theirs))
    else:
        assert np.array_equal(_bits(ours), _bits(theirs))
    rows = RNG.standard_normal((idx.size, 37)).astype(dtype) * 1e4
    rows[::5] = grad.reshape(idx.size, 37)[::5]
    want = np.zeros((65, 37), dtype)
    np.add.at(want, idx.reshape(-1), rows)      # the order the layered add reproduces
    got = np.zeros((65, 37), dtype)
    nn_ops._index_add_rows(got, idx.reshape(-1), rows)
    assert np.array_equal(_bits(got), _bits(want))


@pytest.mark.parametrize("idx", [np.zeros(50, np.int64),               # one row only: np.add.at
                                 np.r_[np.zeros(40, np.int64), np.arange(1, 9)],
                                 np.arange(64)])                        # no repeats
def test_embedding_backward_index_distributions(idx):
    grad = _grad((len(idx), 5), np.float32)
    ours, theirs = _embedding_grads(idx, grad, 64)
    assert np.array_equal(_bits(ours), _bits(theirs))


def test_embedding_backward_nan_payloads():
    """NaN + NaN keeps the later row's payload in torch (and np.add.at): the NaN case's route."""
    payloads = (0x7FC00000 | RNG.integers(1, 1 << 20, (40, 11))).astype(np.uint32)
    grad = RNG.standard_normal((40, 11)).astype(np.float32)
    grad[RNG.random((40, 11)) < 0.3] = np.nan
    grad = np.where(np.isnan(grad), payloads.view(np.float32), grad)
    ours, theirs = _embedding_grads(RNG.integers(0, 4, 40), grad, 4)
    assert np.array_equal(_bits(ours), _bits(theirs))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("affine", [True, False])
def test_layer_norm_w4_shape(dtype, affine):
    x = RNG.standard_normal((16, 64, 128)).astype(dtype)
    x[0, 0] = np.nan
    x[0, 1, 5] = np.inf
    x[0, 2] = -0.0
    w, b = RNG.standard_normal((2, 128)).astype(dtype)
    outs = []
    for lib in (numtorch, torch):
        ln = lib.nn.LayerNorm(128, elementwise_affine=affine, dtype=getattr(lib, str(np.dtype(dtype))))
        if affine:
            with lib.no_grad():
                ln.weight.copy_(lib.tensor(w))
                ln.bias.copy_(lib.tensor(b))
        outs.append(ln(lib.tensor(x)).detach().numpy())
    assert outs[0].strides == outs[1].strides
    np.testing.assert_allclose(outs[0], outs[1], rtol=1e-5, atol=1e-5)
    assert np.array_equal(np.isnan(outs[0]), np.isnan(outs[1]))


@pytest.mark.parametrize("shape", [(0,), (0, 2), (3, 0)])
def test_embedding_backward_of_an_empty_index_is_zeros_like_torch(shape):
    grads = []
    for lib in (torch, numtorch):
        w = lib.nn.Parameter(lib.ones(5, 3))
        out = lib.nn.functional.embedding(lib.zeros(shape, dtype=lib.int64), w)
        out.sum().backward()
        grads.append((tuple(out.shape), w.grad.numpy().copy()))
    assert grads[0][0] == grads[1][0]
    np.testing.assert_array_equal(grads[1][1], grads[0][1])
