"""Reductions' backward formulas (numtorch/_ops/reduction.py), compared with torch: the trivial
cases where FunctionsManual returns the incoming gradient itself (no graph under create_graph)."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("values,dim,keepdim", [
    ([[1.5, 0.5, 0.0]], 0, False), ([[1.5, 0.5, 0.0]], 0, True), ([[0.0], [2.0]], 1, False),
    ([[0.0, 1.0], [2.0, 0.0]], 1, False), ([[0.0, 1.0], [2.0, 0.0]], None, False), ([0.0], None, False),
    ([[0.0]], None, False), ([[1.0, 2.0]], 0, False), ([[3.0]], 1, True)])
def test_prod_backward_with_zeros_size1_dim(same, values, dim, keepdim):
    def prog(torch, see):
        x = torch.tensor(values, requires_grad=True)
        y = x.prod() if dim is None else x.prod(dim, keepdim=keepdim)
        g, = torch.autograd.grad(y, [x], torch.ones_like(y), create_graph=True)
        see(g, g.requires_grad, type(g.grad_fn).__name__)
    same(prog)


@pytest.mark.parametrize("shape,dim", [((3, 1), 1), ((3, 1), 0), ((), 0), ((0,), 0), ((1,), 0), ((0, 1), 1)])
def test_cumsum_backward_trivial_case_is_grad(same, shape, dim):
    def prog(torch, see):
        x = torch.ones(shape, requires_grad=True)
        w = torch.ones(shape, requires_grad=True)
        g, = torch.autograd.grad(x.cumsum(dim), [x], w, create_graph=True)
        see(g, g is w, type(g.grad_fn).__name__)
    same(prog)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("values,dim", [
    ([1.5, 0.5, 0.0], 0), ([[1.5, 0.5, 0.0], [-1.0, 2.0, 0.25]], 1), ([[1.5, 0.5, 0.0], [-1.0, 2.0, 0.25]], 0),
    ([[[0.3, -2.0], [1.0, 0.7], [-0.4, 2.5]]], 1)])
def test_softmax_values_bitwise(same, values, dim, dtype):
    # exp rounded to float32 as ATen's, sum in the dtype, 1 / sum along the last dim; checked as
    # float64 so that a 1-ulp float32 difference shows
    def prog(torch, see):
        see(torch.tensor(values, dtype=getattr(torch, dtype)).softmax(dim).double())
    same(prog)
