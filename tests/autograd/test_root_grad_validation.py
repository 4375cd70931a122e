"""backward()'s own gradients are checked against the shape the root node recorded, as torch's
validate_outputs does on the roots: after `t.data = ...` changed t's shape, a gradient of the new
shape is refused (found by the program fuzzer, tests/fuzz)."""
import pytest
import torch

import numtorch


def _run(L, new_shape, grad_shape):
    x = L.ones(6, requires_grad=True)
    t = x * 2
    t.data = L.zeros(*new_shape)
    t.backward(L.ones(*grad_shape))
    return x.grad


def test_gradient_of_the_new_shape_is_refused_with_torchs_text():
    with pytest.raises(RuntimeError) as theirs:
        _run(torch, (3, 2), (3, 2))
    with pytest.raises(RuntimeError) as ours:
        _run(numtorch, (3, 2), (3, 2))
    assert str(ours.value) == str(theirs.value)


def test_a_gradient_the_recorded_shape_expands_to_is_summed():
    assert _run(numtorch, (2, 6), (2, 6)).tolist() == _run(torch, (2, 6), (2, 6)).tolist()
