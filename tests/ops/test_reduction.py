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


@pytest.mark.parametrize("name", ["max", "min"])
@pytest.mark.parametrize("values,data", [
    (1.5, 0.0), ([1.5, 2.0, 2.0], [0.0, 1.0, 2.0]), ([1.5, 2.0, -1.0], [0.0, 0.0, 0.0]),
    ([float("nan"), 2.0, float("nan")], None), ([1.0, 1.0], None)])
def test_max_min_all_backward_no_match_is_zero(same, name, values, data):
    # evenly_distribute_backward (CPU): zeros masked_fill'd with grad / count, so an input whose
    # .data no longer holds the result gets zeros, not 0 * inf = NaN (MaskedFillBackward1)
    def prog(torch, see):
        x = torch.tensor(values, requires_grad=True)
        y = getattr(x, name)()
        if data is not None:
            x.data = torch.tensor(data)
        go = torch.tensor(3.0, requires_grad=True)
        g, = torch.autograd.grad(y, [x], go, create_graph=True)
        see(g, type(g.grad_fn).__name__)
    same(prog)


@pytest.mark.parametrize("expr", [
    "x.sum(0)", "x.sum(1, keepdim=True)", "x.sum((1, 2), keepdim=True)", "x.mean(0)", "x.prod(1)",
    "x.nansum(2, keepdim=True)", "x.amax(0)", "x.amin(1)", "x.amax((0, 1), keepdim=True)", "x.max(0)",
    "x.min(1, keepdim=True)", "x.argmax(0)", "x.argmin(1, keepdim=True)", "x.var(0)", "x.std(1)",
    "x.norm(2, dim=0)", "x.norm(1, dim=1)", "x.norm(float('inf'), dim=0)", "x.logsumexp(0)",
    "x.all(0)", "x.any(1)", "x.count_nonzero(0)", "x.sum(0, dtype=torch.float64)",
    "torch.linalg.vector_norm(x, dim=1, keepdim=True)"])
@pytest.mark.parametrize("perm", [(0, 2, 1), (2, 0, 1), (1, 2, 0)])
def test_reduction_output_contiguous(same, expr, perm):
    # ATen allocates reduction outputs contiguous whatever the input's layout (numpy follows it):
    # F.linear's fused path and view()/is_contiguous() see the difference
    def prog(torch, see):
        x = (torch.arange(24.).reshape(2, 3, 4) % 5 - 2).permute(*perm)
        r = eval(expr, {"torch": torch, "x": x})
        for t in (r if isinstance(r, tuple) else (r,)):
            see(t, t.stride(), t.is_contiguous())
    same(prog)


def test_linear_after_reduction_of_a_permuted_input(same):
    def prog(torch, see):
        x = torch.arange(6.).reshape(3, 1, 2).permute(2, 1, 0).unsqueeze(0).requires_grad_()
        y = torch.nn.functional.linear(x.amax(0), torch.ones(3, 3), torch.ones(3))
        see(y, type(y.grad_fn).__name__, y._is_view(), y._version)
    same(prog)


_SELECTING = {
    "max": lambda x, kd: x.max(0, keepdim=kd), "min": lambda x, kd: x.min(0, keepdim=kd),
    "sort": lambda x, kd: x.sort(0), "topk": lambda x, kd: x.topk(1, 0),
}


@pytest.mark.parametrize("shape", [(), (3,), (2, 3)])
@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("name", sorted(_SELECTING))
def test_value_selecting_backward_scatters_the_saved_indices(same, name, keepdim, shape):
    # FunctionsManual value_selecting_reduction_backward: zeros.scatter(dim, indices, grad), also
    # for a 0-d input: ScatterBackward0 under create_graph, and saved indices whose .data became a
    # float tensor fail scatter's index dtype check
    def prog(torch, see):
        data = {(): 1.5, (3,): [1.5, 0.5, 2.0], (2, 3): [[1.5, 0.5, 2.0], [0.0, 3.0, 1.0]]}[shape]
        x = torch.tensor(data, requires_grad=True)
        w = torch.tensor(2.0, requires_grad=True)
        values, _ = _SELECTING[name](x, keepdim)
        g, = torch.autograd.grad((values * w).sum(), x, create_graph=True)
        fn = g.grad_fn
        see(g, type(fn).__name__, [None if f is None else type(f).__name__ for f, _ in fn.next_functions])  # noqa: E501
        values, indices = _SELECTING[name](x, keepdim)
        indices.data = values.detach().clone()
        values.sum().backward()
    same(prog)


# ---- amax/amin/aminmax: signed zeros, NaN, empty dims ---------------------------------------------
_ZEROS = [[-0.0, 0.0, -0.0], [0.0, -0.0, 0.0]]


@pytest.mark.parametrize("op", ["amax", "amin"])
@pytest.mark.parametrize("dim", [None, 0, 1, (0, 1)])
@pytest.mark.parametrize("keepdim", [False, True])
def test_amax_amin_keep_the_first_of_equal_zeros(same, op, dim, keepdim):
    """ATen's loop keeps its accumulator on a tie: -0.0 before 0.0 gives -0.0 (numpy: the later)."""
    def prog(torch, see):
        x = torch.tensor(_ZEROS, dtype=torch.float64)
        see(getattr(x, op)() if dim is None else getattr(x, op)(dim, keepdim=keepdim))
    same(prog)


_AMINMAX_INPUTS = {
    "plain": [[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]],
    "nan": [[1.0, float("nan"), 3.0], [2.0, 5.0, float("nan")]],
    "inf": [[float("inf"), 1.0, float("inf")], [-float("inf"), -float("inf"), 0.0]],
    "zeros": _ZEROS,
}


@pytest.mark.parametrize("name", sorted(_AMINMAX_INPUTS))
@pytest.mark.parametrize("dim", [None, 0, 1, -1])
@pytest.mark.parametrize("keepdim", [False, True])
def test_aminmax_values_and_gradients(same, name, dim, keepdim):
    def prog(torch, see):
        x = torch.tensor(_AMINMAX_INPUTS[name], requires_grad=True)
        r = torch.aminmax(x, dim=dim, keepdim=keepdim) if dim is not None else x.aminmax(keepdim=keepdim)
        see(r.min, r.max, repr(r).startswith("torch.return_types.aminmax("))
        w = torch.arange(1.0, 1.0 + r.min.numel()).reshape(r.min.shape)
        g, = torch.autograd.grad((r.min * w + 10 * r.max * w).sum(), x, create_graph=True)
        see(g, type(g.grad_fn).__name__)
        g1, = torch.autograd.grad(r.max.sum(), x)  # the min output's gradient undefined
        see(g1)
    same(prog)


@pytest.mark.parametrize("call", [
    lambda torch: torch.aminmax(torch.zeros(0)),
    lambda torch: torch.aminmax(torch.zeros(2, 0), dim=-1),
    lambda torch: torch.aminmax(torch.zeros(2, 0), dim=0, keepdim=True),
    lambda torch: torch.aminmax(torch.zeros(0, 3), dim=1),
    lambda torch: torch.aminmax(torch.tensor(3.0), dim=0, keepdim=True),
    lambda torch: torch.aminmax(torch.tensor(3.0), dim=1),
    lambda torch: torch.aminmax(torch.tensor([True, False])),
    lambda torch: torch.aminmax(torch.tensor([[1, 5], [3, 2]]), dim=0),
    lambda torch: torch.aminmax(torch.ones(2, 2), 1),
    lambda torch: torch.aminmax(torch.ones(2, 2), dim=1.0),
])
def test_aminmax_shapes_and_errors(same, call):
    same(lambda torch, see: see(tuple(call(torch))))


def test_float32_std_over_every_dim_uses_the_float32_mean():
    """std_var_all_cpu: the float32 mean of six copies of 1.0005 is inexact, so torch's std of
    the constant tensor is a tiny positive number, not 0; over one dim of several (Welford) it is 0."""
    import torch
    import numtorch
    for lib_shape in ((3, 2), (6,), (2, 3, 1)):
        values = [1.0005] * 6
        t = torch.tensor(values).reshape(lib_shape)
        n = numtorch.tensor(values).reshape(lib_shape)
        assert t.std().item() == n.std().item() and t.std().item() > 0
        assert t.var(correction=0).item() == n.var(correction=0).item()
        assert torch.equal(t.std(0), torch.from_numpy(n.std(0).numpy()))


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "complex64"])
@pytest.mark.parametrize("default", ["float32", "float64"])
def test_std_var_backward_without_degrees_of_freedom(same, dtype, default):
    """correction >= numel: var_backward is (grad * where(self == mean, nan, inf)).to(self's
    dtype), the where of the default dtype, so a float64 (or complex, float16) input's gradient
    graph ends in ToCopyBackward0 (fuzz seed 2062); values nan/inf as torch's."""
    def prog(torch, see):
        import warnings
        old = torch.get_default_dtype()
        torch.set_default_dtype(getattr(torch, default))
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                for values in ([1.5, 0.5], [2.0, 2.0]):
                    x = torch.tensor(values, dtype=getattr(torch, dtype), requires_grad=True)
                    for name in ("std", "var"):
                        g, = torch.autograd.grad(getattr(x, name)(correction=2), x, create_graph=True)
                        names, fn = [], g.grad_fn
                        while fn is not None:
                            names.append(fn.name())
                            fn = next((f for f, _ in fn.next_functions if f is not None), None)
                        see(name, g, names)
        finally:
            torch.set_default_dtype(old)
    same(prog)


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
def test_std_var_of_complex_are_real(dtype):
    """std and var of a complex tensor are real (float32 for complex64), and their gradients
    complex; numtorch returned a complex result, whose backward then refused to start. complex128
    and complex64 agree within an ulp or two (torch accumulates in another order)."""
    import numpy as np
    import numtorch
    torch = pytest.importorskip("torch")

    def run(lib):
        x = lib.tensor([[1.5 + 1j, 0.5, -2j], [0.25, 1 - 1j, 3.0]], dtype=getattr(lib, dtype),
                       requires_grad=True)
        out = []
        for name in ("std", "var"):
            for kwargs in ({}, {"dim": 1}, {"dim": 0, "keepdim": True, "correction": 0}):
                r = getattr(x, name)(**kwargs)
                g, = lib.autograd.grad(r.sum(), x)
                out.append((str(r.dtype), str(g.dtype), r.detach().numpy().copy(), g.numpy().copy()))
        return out
    tol = 3e-7 if dtype == "complex64" else 5e-16
    for ours, theirs in zip(run(numtorch), run(torch)):
        assert ours[:2] == theirs[:2]
        for a, b in zip(ours[2:], theirs[2:]):
            np.testing.assert_allclose(a, b, rtol=tol, atol=0)
