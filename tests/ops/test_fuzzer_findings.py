"""Op edge cases the program fuzzer (tests/fuzz) found, each compared with torch."""
import pytest
import torch

import numtorch


def test_atan2_gradient_is_zero_at_the_origin():
    def run(L):
        y = L.tensor([0.0, 2.0, -0.0], dtype=L.float64, requires_grad=True)
        x = L.tensor([0.0, 1.0, 0.0], dtype=L.float64, requires_grad=True)
        gy, gx = L.autograd.grad(L.atan2(y, x).sum(), [y, x], create_graph=True)
        (ggy,) = L.autograd.grad((gy * gy).sum() + gx.sum(), [y])
        same = L.tensor([0.0, 1.5], requires_grad=True)
        L.atan2(same, same).sum().backward()
        return gy.tolist() + gx.tolist() + ggy.tolist() + same.grad.tolist()
    ours, theirs = run(numtorch), run(torch)
    assert ours == pytest.approx(theirs, rel=1e-12, nan_ok=True)


@pytest.mark.parametrize("call", [lambda L, a, b: L.rsub(b, a), lambda L, a, b: L.rsub(a, b)])
def test_rsub_broadcast_error_names_other_first(call):
    with pytest.raises(RuntimeError) as theirs:
        call(torch, torch.zeros(2, 0), torch.zeros(2))
    with pytest.raises(RuntimeError) as ours:
        call(numtorch, numtorch.zeros(2, 0), numtorch.zeros(2))
    assert str(ours.value) == str(theirs.value)
