"""tensordot whose free sizes are all 1 (a contraction of two vectors): torch calls dot when both
permuted operands are contiguous, and otherwise multiplies the squeezed operands and sums in
their dtype, so a bool contraction of a strided or expanded vector gives a bool where dot raises.
Values, dtypes, shapes, grad_fn chains, gradients and errors against torch."""
from __future__ import annotations

import pytest

import numtorch

torch = pytest.importorskip("torch")

CASES = {
    "bool_strided": (lambda L: (L.ones(6, dtype=L.bool)[::2], L.ones(3, 1, dtype=L.bool)), 1),
    "bool_expanded": (lambda L: (L.zeros((), dtype=L.bool).expand(2), L.zeros(2, 1, dtype=L.bool)), 1),
    "bool_contiguous_raises": (lambda L: (L.ones(3, dtype=L.bool), L.ones(3, 1, dtype=L.bool)), 1),
    "float_strided_first": (lambda L: (L.arange(6.)[::2], L.arange(3.).reshape(3, 1)), 1),
    "float_strided_second": (lambda L: (L.arange(3.), L.arange(6.).reshape(6, 1)[::2]), 1),
    "float_transposed_matrix": (lambda L: (L.arange(6.).reshape(3, 2).t(), L.arange(6.).reshape(2, 3)),
                                ([0, 1], [0, 1])),
    "float_contiguous_dot": (lambda L: (L.arange(6.).reshape(2, 3), L.arange(6.).reshape(2, 3)), 2),
    "float_strided_row": (lambda L: (L.arange(6.).reshape(1, 6)[:, ::2], L.arange(3.).reshape(3, 1)), 1),
    "int_strided": (lambda L: (L.arange(6)[::2], L.arange(3).reshape(3, 1)), 1),
}


def _run(L, make, dims):
    a, b = make(L)
    if a.dtype.is_floating_point:
        a.requires_grad_()
    try:
        r = L.tensordot(a, b, dims=dims)
    except Exception as e:  # noqa: BLE001 - the error itself is compared
        return type(e).__name__, str(e)
    chain, fn = [], r.grad_fn
    while fn is not None:
        chain.append(fn.name())
        fn = fn.next_functions[0][0] if fn.next_functions else None
    out = (tuple(r.shape), str(r.dtype), r.detach().tolist(), chain)
    if a.requires_grad:
        r.sum().backward()
        out += (a.grad.tolist(),)
    return out


@pytest.mark.parametrize("name", CASES)
def test_vector_contractions_take_torchs_route(name):
    make, dims = CASES[name]
    assert _run(numtorch, make, dims) == _run(torch, make, dims)
