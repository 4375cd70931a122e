"""Backward formulas that do numpy work beside numtorch's ops (layer_norm's, embedding_bag's,
batch_norm's double backward, cumprod's over zeros), and the engine adding a second gradient into
a buffered first one in place, warn about floating-point exceptions as torch does: never. Compared with torch: the gradients (nan/inf where they arise) and the warnings."""
import warnings

import numpy as np
import pytest
import torch

import numtorch


def _layer_norm(L):
    x = L.tensor([[1e38, -1e38, 3.0], [float("inf"), 0.0, 1.0]], requires_grad=True)
    L.nn.functional.layer_norm(x, (3,)).backward(L.ones(2, 3) * float("inf"))
    return x.grad


def _embedding_bag(L):
    w = L.ones(5, 2, requires_grad=True)
    out = L.nn.functional.embedding_bag(L.tensor([0, 1, 2]), w, L.tensor([0]), mode="sum",
                                        per_sample_weights=L.tensor([0.0, 1.0, float("inf")]))
    out.backward(L.tensor([[float("inf"), 0.0]]))
    return w.grad


def _batch_norm_double_backward(L):
    x = L.tensor(np.linspace(-1, 1, 12, dtype=np.float32).reshape(4, 3), requires_grad=True)
    y = L.nn.functional.batch_norm(x, L.zeros(3), L.tensor([0.0, 1.0, 1.0]), training=False, eps=0.0)
    (g,) = L.autograd.grad((y * y).sum(), x, create_graph=True)
    g.sum().backward()
    return x.grad


def _cumprod_with_zeros(L):
    x = L.tensor([2.0, 0.0, float("inf"), 3.0], requires_grad=True)
    x.cumprod(0).backward(L.tensor([1.0, float("inf"), 1.0, 0.0]))
    return x.grad


def _in_place_accumulation(L):
    x = L.tensor([1.0, 2.0], requires_grad=True)
    y = x * 1  # MulBackward0's buffer receives inf, then adds -inf into it (no one else holds it)
    (y * float("inf") + y * float("-inf")).sum().backward()
    return x.grad


@pytest.mark.parametrize("program", [_layer_norm, _embedding_bag, _batch_norm_double_backward,
                                     _cumprod_with_zeros, _in_place_accumulation])
def test_backward_formulas_do_not_warn(program):
    seen = []
    for L in (torch, numtorch):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            grad = program(L)
        seen.append(([str(w.message) for w in caught], grad.detach().numpy().tobytes(), str(grad.dtype)))
    assert seen[1] == seen[0]
