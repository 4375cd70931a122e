"""Differential tests driven by op_table.OPS: every check runs the same inputs through torch and
numtorch and compares forward values/dtype/shape, grad_fn names and next_functions, gradients,
double gradients, the in-place variant, which tensors are saved for backward, and error texts."""

from __future__ import annotations

import pytest

from harness import (
    LIBS,
    T,
    assert_same_value,
    assert_values,
    build,
    coarsest,
    differentiable,
    graph_signature,
    grad_fn_name,
    is_tensor,
    materialize,
    outputs,
    random_like,
    run,
    same_error,
)
from op_table import OPS


def _params(pred=lambda info, s: True):
    out = []
    for info in OPS:
        seen: dict = {}
        for s in info.samples:
            ident = s.ident()
            n = seen.get(ident, 0)
            seen[ident] = n + 1
            if pred(info, s):
                out.append(
                    pytest.param(
                        info,
                        s,
                        f"{info.name}-{ident}" + (f"#{n}" if n else ""),
                        id=f"{info.name}-{ident}" + (f"#{n}" if n else ""),
                    )
                )
    return out


def _call(info, L, b):
    """The out-of-place op; for in-place-only ops (zero_, fill_, copy_), the in-place op on a copy."""
    if info.op is not None:
        return info.op(L, *b.args, **b.kwargs)
    return info.inplace(L, b.args[0].clone(), *b.args[1:], **b.kwargs)


def _both(sample, key, fn):
    """Build inputs in each library and run fn(L, built); returns {lib name: (built, Outcome)}."""
    arrays = materialize(sample, key)
    res = {}
    for name, L in LIBS.items():
        b = build(L, sample, arrays)
        res[name] = (b, run(fn, L, b))
    return res


# ---- forward -------------------------------------------------------------------------------
@pytest.mark.parametrize("info,sample,key", _params())
def test_forward_values_dtype_shape(info, sample, key):
    r = _both(sample, key, lambda L, b: _call(info, L, b))
    t, n = r["torch"][1], r["numtorch"][1]
    if same_error(t, n):
        return
    to, no = outputs(t.value), outputs(n.value)
    assert len(no) == len(to), f"{len(no)} outputs, torch {len(to)}"
    if isinstance(t.value, tuple):
        assert isinstance(n.value, tuple)
        for field in ("values", "indices"):
            assert hasattr(n.value, field) == hasattr(t.value, field)
    for i, (a, b) in enumerate(zip(to, no)):
        assert_same_value(a, b, f"output {i}", info.tol, coarsest(sample))
        if is_tensor(a):
            assert b.requires_grad == a.requires_grad, f"output {i} requires_grad"
            assert b.is_leaf == a.is_leaf, f"output {i} is_leaf"
            assert b._version == a._version, f"output {i} _version"


@pytest.mark.parametrize("info,sample,key", _params())
def test_grad_fn_and_next_functions(info, sample, key):
    r = _both(sample, key, lambda L, b: _call(info, L, b))
    (tb, t), (nb, n) = r["torch"], r["numtorch"]
    if same_error(t, n):
        return
    for i, (a, b) in enumerate(zip(outputs(t.value), outputs(n.value))):
        if not is_tensor(a):
            continue
        assert grad_fn_name(b) == grad_fn_name(a), f"output {i}: {grad_fn_name(b)} != torch {grad_fn_name(a)}"
        if a.grad_fn is not None:
            assert b.output_nr == a.output_nr, f"output {i}: output_nr {b.output_nr} != torch {a.output_nr}"
        nsig, tsig = graph_signature(b.grad_fn, nb.leaves), graph_signature(a.grad_fn, tb.leaves)
        assert nsig == tsig, f"output {i}: graph {nsig} != torch {tsig}"


# ---- gradients -----------------------------------------------------------------------------
def _grads(info, key, create_graph=False):
    def fn(L, b):
        outs = differentiable(outputs(_call(info, L, b)))
        if not outs or not b.leaves:
            return outs, None, None
        go = [random_like(L, o, f"{key}-go{i}", requires_grad=create_graph) for i, o in enumerate(outs)]
        gs = L.autograd.grad(outs, b.leaves, go, create_graph=create_graph, allow_unused=True)
        return outs, go, gs

    return fn


def _compare_grads(tgs, ngs, what, tol, floor=None):
    assert len(ngs) == len(tgs)
    for i, (a, b) in enumerate(zip(tgs, ngs)):
        assert (b is None) == (a is None), (
            f"{what} {i}: numtorch {'None' if b is None else 'tensor'}, "
            f"torch {'None' if a is None else 'tensor'}"
        )
        if a is not None:
            assert_values(a, b, f"{what} {i}", tol, floor)


GRAD = _params(lambda info, s: info.grad)


@pytest.mark.parametrize("info,sample,key", GRAD)
def test_gradients(info, sample, key):
    r = _both(sample, key, _grads(info, key))
    t, n = r["torch"][1], r["numtorch"][1]
    if same_error(t, n):
        return
    touts, _, tgs = t.value
    nouts, _, ngs = n.value
    assert len(nouts) == len(touts), "number of differentiable outputs"
    if tgs is None:
        assert ngs is None
        return
    _compare_grads(tgs, ngs, "grad of leaf", 4 * info.tol, coarsest(sample))
    for a, b in zip(tgs, ngs):
        if a is not None:
            assert b.requires_grad == a.requires_grad is False and b.is_leaf


@pytest.mark.parametrize("info,sample,key", _params(lambda info, s: info.grad and info.gradgrad))
def test_double_gradients(info, sample, key):
    def fn(L, b):
        outs, go, gs = _grads(info, key, create_graph=True)(L, b)
        if gs is None:
            return None
        flags = [None if g is None else g.requires_grad for g in gs]
        terms = [
            (g * random_like(L, g, f"{key}-v{i}")).sum()
            for i, g in enumerate(gs)
            if g is not None and g.requires_grad
        ]
        if not terms:
            return flags, None
        total = terms[0]
        for term in terms[1:]:
            total = total + term
        return flags, L.autograd.grad(total, list(b.leaves) + list(go), allow_unused=True)

    r = _both(sample, key, fn)
    t, n = r["torch"][1], r["numtorch"][1]
    if same_error(t, n):
        return
    if t.value is None:
        assert n.value is None
        return
    assert n.value[0] == t.value[0], (
        f"first-order grads exist/require grad: {n.value[0]} != torch {t.value[0]}"
    )
    if t.value[1] is None:
        assert n.value[1] is None
        return
    _compare_grads(t.value[1], n.value[1], "double grad wrt input", 50 * info.tol, coarsest(sample))


# ---- in-place variant ------------------------------------------------------------------------
def _inplace(info, key):
    def fn(L, b):
        target = b.args[0].clone()
        before = target._version
        res = info.inplace(L, target, *b.args[1:], **b.kwargs)
        grads = None
        if target.requires_grad and b.leaves:
            go = random_like(L, target, f"{key}-go")
            grads = L.autograd.grad([target], b.leaves, [go], allow_unused=True)
        return res is target, target, before, graph_signature(target.grad_fn, b.leaves), grads

    return fn


@pytest.mark.parametrize(
    "info,sample,key", _params(lambda info, s: info.inplace is not None and isinstance(s.args[0], T))
)
def test_inplace_variant(info, sample, key):
    r = _both(sample, key, _inplace(info, key))
    t, n = r["torch"][1], r["numtorch"][1]
    if same_error(t, n):
        return
    t_same, tt, tbefore, tsig, tgs = t.value
    n_same, nt, nbefore, nsig, ngs = n.value
    assert n_same and t_same, "in-place op returns self"
    assert_values(tt, nt, "in-place result", info.tol, coarsest(sample))
    assert nt._version - nbefore == tt._version - tbefore, "version bumps"
    assert grad_fn_name(nt) == grad_fn_name(tt), f"{grad_fn_name(nt)} != torch {grad_fn_name(tt)}"
    assert nt.requires_grad == tt.requires_grad, "requires_grad"
    assert nsig == tsig, f"graph after the in-place op: {nsig} != torch {tsig}"
    if tgs is None:
        assert ngs is None
        return
    _compare_grads(tgs, ngs, "grad through in-place", 4 * info.tol, coarsest(sample))


# ---- which tensors are saved -------------------------------------------------------------------
def _saved_params():
    out = []
    for p in GRAD:
        info, sample, key = p.values
        n_tensors = sum(isinstance(a, T) for a in list(sample.args) + list(sample.kwargs.values()))
        for which in [*range(n_tensors), "out"]:
            out.append(pytest.param(info, sample, key, which, id=f"{key}-{which}"))
        if info.inplace is not None and isinstance(sample.args[0], T):
            for which in [*range(1, n_tensors), "_out"]:
                out.append(pytest.param(info, sample, key, f"inplace{which}", id=f"{key}-inplace{which}"))
    return out


def _bump(L, tensors):
    with L.no_grad():
        for v in tensors:
            v.copy_(v.detach().clone())


@pytest.mark.parametrize("info,sample,key,which", _saved_params())
def test_saved_tensors_version_check(info, sample, key, which):
    """Writing an input (or the output) in place after the op: backward raises iff torch's node saved
    it, with the same version-counter message."""

    def fn(L, b):
        if isinstance(which, str) and which.startswith("inplace"):
            target = b.args[0].clone()
            info.inplace(L, target, *b.args[1:], **b.kwargs)
            outs = [target] if target.requires_grad else []
            victims = [target] if which == "inplace_out" else [b.tensors[int(which[7:])]]
        else:
            result = _call(info, L, b)
            outs = differentiable(outputs(result))
            victims = [o for o in outputs(result) if is_tensor(o)] if which == "out" else [b.tensors[which]]
        if not outs or not b.leaves:
            return None
        _bump(L, victims)
        go = [random_like(L, o, f"{key}-go{i}") for i, o in enumerate(outs)]
        return run(L.autograd.grad, outs, b.leaves, go, allow_unused=True)

    r = _both(sample, key, fn)
    t, n = r["torch"][1], r["numtorch"][1]
    if same_error(t, n):
        return
    if t.value is None or n.value is None:
        assert n.value is None and t.value is None, f"numtorch {n.value}, torch {t.value}"
        return
    same_error(t.value, n.value)


# ---- error cases ------------------------------------------------------------------------------
ERRORS = [pytest.param(fn, id=f"{info.name}-{name}") for info in OPS for name, fn in info.errors]


@pytest.mark.parametrize("fn", ERRORS)
def test_error_type_and_message(fn):
    t, n = run(fn, LIBS["torch"]), run(fn, LIBS["numtorch"])
    assert t.error is not None, "the error case does not raise in torch"
    same_error(t, n)


def test_table_covers_the_issue_ops():
    names = {info.name for info in OPS}
    required = """add sub mul div div_floor div_trunc true_divide floor_divide remainder pow_scalar pow_tensor
        rpow_scalar neg abs sign rsub_scalar rdiv_scalar exp log log2 log10 log1p expm1 sqrt rsqrt sin cos
        tan tanh sigmoid relu reciprocal square clamp clamp_min clamp_max maximum minimum where sum mean
        prod max min amax amin argmax argmin matmul mm bmm mv dot outer eq ne lt le gt ge logical_and
        logical_or logical_xor logical_not zero_ fill_ copy_""".split()
    assert sorted(set(required) - names) == []
