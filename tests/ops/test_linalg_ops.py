"""einsum, tensordot, addmm & co and the norms against torch, for what op_table.py cannot express:
random einsum equations (graph, strides, gradients, double gradients), output strides, in-place
variants through views and addbmm_'s resize, saved scalars, the 0-norm's missing gradient, and the
torch.linalg module itself."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import numtorch
from harness import graph_signature

LIBS = (torch, numtorch)


def _np(t):
    return t.detach().numpy() if isinstance(t, torch.Tensor) else np.asarray(t.detach()._data)


# ---- einsum: random equations ------------------------------------------------------------------
def _random_equation(rng):
    """1-3 operands over a few labels: repeated labels (diagonals), labels of size 1 (broadcast),
    an ellipsis now and then, an explicit or implicit output."""
    labels = "abcdE"
    sizes = {c: int(rng.integers(1, 4)) for c in labels}
    ell = tuple(int(rng.integers(1, 3)) for _ in range(int(rng.integers(0, 3))))
    use_ell = bool(rng.random() < 0.3)
    subs, shapes = [], []
    for _ in range(int(rng.integers(1, 4))):
        n = int(rng.integers(0, 4))
        sub = "".join(rng.choice(list(labels), n))
        shape = [1 if rng.random() < 0.15 else sizes[c] for c in sub]
        for i, c in enumerate(sub):  # a repeated label needs one size on this operand
            if c in sub[:i]:
                shape[i] = shape[sub.index(c)]
        if use_ell and rng.random() < 0.7:
            k = int(rng.integers(0, len(ell) + 1))
            tail = [1 if rng.random() < 0.2 else s for s in ell[len(ell) - k:]]
            pos = int(rng.integers(0, len(sub) + 1))
            sub = sub[:pos] + "..." + sub[pos:]
            shape = shape[:pos] + tail + shape[pos:]
        subs.append(sub)
        shapes.append(tuple(shape))
    eq = ",".join(subs)
    if rng.random() < 0.6:
        seen = sorted(set("".join(subs).replace(".", "")))
        out = [c for c in seen if rng.random() < 0.5]
        rng.shuffle(out)
        out = "".join(out)
        if "..." in eq and rng.random() < 0.7:
            pos = int(rng.integers(0, len(out) + 1))
            out = out[:pos] + "..." + out[pos:]
        eq += "->" + out
    return eq, shapes


def _einsum_run(L, eq, arrays, key):
    ops = [L.tensor(a, requires_grad=True) for a in arrays]
    try:
        out = L.einsum(eq, *ops)
    except Exception as e:  # noqa: BLE001 - the error itself is compared
        return ("raised", type(e).__name__, str(e))
    go = L.tensor(np.random.default_rng(key).standard_normal(tuple(out.shape)), dtype=out.dtype,
                  requires_grad=True)
    gs = L.autograd.grad(out, ops, go, create_graph=True, allow_unused=True)
    terms = [(g * g).sum() for g in gs if g is not None and g.requires_grad]
    ggs = L.autograd.grad(sum(terms), ops + [go], allow_unused=True) if terms else None
    # (strides are left out: a mul's output layout is the pointwise ops' TensorIterator question)
    return (tuple(out.shape), str(out.dtype), graph_signature(out.grad_fn, ops),
            _np(out), [None if g is None else _np(g) for g in gs],
            None if ggs is None else [None if g is None else _np(g) for g in ggs])


def _same_run(t, n):
    assert type(n) is type(t)
    if t[0] == "raised":
        assert n == t
        return
    assert n[:3] == t[:3], f"numtorch {n[:3]}\ntorch    {t[:3]}"
    np.testing.assert_allclose(n[3], t[3], rtol=1e-5, atol=1e-5)
    for grads_t, grads_n in ((t[4], n[4]), (t[5], n[5])):
        assert (grads_n is None) == (grads_t is None)
        for a, b in zip(grads_t or (), grads_n or ()):
            assert (a is None) == (b is None)
            if a is not None:
                np.testing.assert_allclose(b, a, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("seed", range(150))
def test_einsum_random_equations(seed):
    rng = np.random.default_rng(seed)
    eq, shapes = _random_equation(rng)
    arrays = [rng.standard_normal(s).astype(np.float64) for s in shapes]
    _same_run(_einsum_run(torch, eq, arrays, seed), _einsum_run(numtorch, eq, arrays, seed))


# ---- output strides (a view or a permute of a bmm: the layout is part of torch's result) ---------
@pytest.mark.parametrize("call", [
    lambda L, a, b: L.einsum("ij,kj->ki", a, b),
    lambda L, a, b: L.einsum("ij->ji", a),
    lambda L, a, b: L.einsum("ii->i", a[:, :3]),
    lambda L, a, b: L.einsum("ij,kj->ijk", a, b),
    lambda L, a, b: L.tensordot(a, b, ([1], [1])),
    lambda L, a, b: L.addmm(L.ones(4, dtype=L.float64), a.t(), b[:3]),
    lambda L, a, b: L.linalg.matrix_norm(a, 2, keepdim=True),
    lambda L, a, b: L.linalg.vector_norm(a, 3, 0, keepdim=True),
], ids=["einsum_contract", "einsum_transpose", "einsum_diagonal", "einsum_outer", "tensordot", "addmm",
        "matrix_norm_keepdim", "vector_norm_keepdim"])
def test_output_layout(call):
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((3, 4)), rng.standard_normal((4, 4))
    res = [call(L, L.tensor(a), L.tensor(b)) for L in LIBS]
    assert res[1].stride() == res[0].stride() and tuple(res[1].shape) == tuple(res[0].shape)
    assert res[1].is_contiguous() == res[0].is_contiguous()
    np.testing.assert_allclose(_np(res[1]), _np(res[0]), rtol=1e-12)


# ---- in-place variants ---------------------------------------------------------------------------
@pytest.mark.parametrize("name,shapes", [
    ("addmm_", ((2, 4), (2, 3), (3, 4))),
    ("addmv_", ((2,), (2, 3), (3,))),
    ("baddbmm_", ((2, 2, 4), (2, 2, 3), (2, 3, 4))),
    ("addbmm_", ((2, 4), (3, 2, 3), (3, 3, 4))),
])
def test_inplace_through_a_view(name, shapes):
    """The in-place op on a slice of a non-leaf: the base's history becomes CopySlices."""
    rng = np.random.default_rng(1)
    arrays = [rng.standard_normal(s) for s in shapes]
    out = []
    for L in LIBS:
        leaves = [L.tensor(a, requires_grad=True) for a in arrays]
        base = L.cat([leaves[0], leaves[0]]) * 1.0
        view = base[: shapes[0][0]]
        getattr(view, name)(leaves[1], leaves[2], beta=0.5, alpha=2.0)
        go = L.tensor(rng.standard_normal(tuple(base.shape)) if L is torch else out[0][3])
        grads = L.autograd.grad(base, leaves, go)
        out.append((graph_signature(base.grad_fn, leaves), base._version, _np(base),
                    _np(go), [_np(g) for g in grads]))
    (tsig, tver, tval, _, tg), (nsig, nver, nval, _, ng) = out
    assert nsig == tsig and nver == tver
    np.testing.assert_allclose(nval, tval, rtol=1e-12)
    for a, b in zip(tg, ng):
        np.testing.assert_allclose(b, a, rtol=1e-12)


@pytest.mark.parametrize("self_shape", [(4,), (1, 4), ()])
def test_addbmm_inplace_resizes_a_broadcastable_self(self_shape):
    """torch 2.13 resizes self to the output size and fills it with the broadcast self (a self that
    broadcasts along columns, like (2, 1), reads memory the resize is overwriting: not emulated)."""
    rng = np.random.default_rng(2)
    s, b1, b2 = rng.standard_normal(self_shape), rng.standard_normal((3, 2, 3)), rng.standard_normal((3, 3, 4))
    out = []
    for L in LIBS:
        leaf = L.tensor(s, requires_grad=True)
        x = leaf.clone()
        r = x.addbmm_(L.tensor(b1), L.tensor(b2), beta=2.0)
        g, = L.autograd.grad(x, [leaf], L.ones(2, 4, dtype=L.float64))
        out.append((r is x, tuple(x.shape), x._version, type(x.grad_fn).__name__, _np(x), _np(g)))
    assert out[1][:4] == out[0][:4]
    np.testing.assert_allclose(out[1][4], out[0][4], rtol=1e-12)
    np.testing.assert_allclose(out[1][5], out[0][5], rtol=1e-12)


def test_addmm_saved_scalars(same):
    def prog(torch, see):
        a, b = torch.ones(2, 3, requires_grad=True), torch.ones(3, 4, requires_grad=True)
        for fn in (lambda: torch.addmm(torch.ones(4), a, b, beta=0.5, alpha=2),
                   lambda: torch.baddbmm(torch.ones(4), a[None], b[None], beta=3),
                   lambda: torch.addbmm(torch.ones(4), a[None], b[None], alpha=0.25),
                   lambda: torch.addmv(torch.ones(2), a, b[:, 0], beta=0)):
            node = fn().grad_fn
            see(node.name(), node._saved_beta, node._saved_alpha)
    same(prog)


def test_linear_still_records_addmm(same):
    def prog(torch, see):
        x, w, b = torch.ones(2, 3), torch.ones(4, 3, requires_grad=True), torch.ones(4, requires_grad=True)
        y = torch.nn.functional.linear(x, w, b)
        see(y)
        y.sum().backward()
        see(w.grad, b.grad)
    same(prog)


# ---- norms ---------------------------------------------------------------------------------------
def test_zero_norm_has_no_gradient(same):
    def prog(torch, see):
        x = torch.tensor([0.0, 2.0, -1.0], requires_grad=True)
        see(torch.autograd.grad(torch.linalg.vector_norm(x, 0), x, allow_unused=True))
        torch.autograd.grad(x.norm(0), x)
    same(prog)


def test_spectral_norm_without_grad_computes_no_vectors(same):
    def prog(torch, see):
        a = torch.tensor([[3.0, 1.0], [1.0, 2.0], [0.0, 1.0]], requires_grad=True)
        with torch.no_grad():
            r = torch.linalg.matrix_norm(a, 2)
        see(r, r.requires_grad, torch.linalg.svdvals(a.detach()))
        r = torch.linalg.matrix_norm(a, "nuc")
        see(r, r.grad_fn.next_functions[0][0].name(), r.grad_fn.next_functions[0][1])
    same(prog)


def test_norm_module_and_aliases():
    assert numtorch.linalg.matmul is numtorch.matmul
    for name in ("norm", "vector_norm", "matrix_norm", "matmul", "svdvals"):
        assert callable(getattr(numtorch.linalg, name)) and hasattr(torch.linalg, name)
    for name in ("einsum", "tensordot", "addmm", "addmv", "baddbmm", "addbmm", "norm"):
        assert callable(getattr(numtorch, name))
    for name in ("addmm", "addmm_", "addmv", "addmv_", "baddbmm", "baddbmm_", "addbmm", "addbmm_", "norm"):
        assert callable(getattr(numtorch.Tensor, name))


def test_normalize_and_clip_grad_norm_use_torch_norm(same):
    def prog(torch, see):
        x = torch.tensor([[3.0, -4.0], [0.0, 1.0]], requires_grad=True)
        y = torch.nn.functional.normalize(x, p=3, dim=1)
        see(y)
        y.sum().backward()
        see(x.grad)
        p = torch.nn.Parameter(torch.ones(3))
        p.grad = torch.tensor([3.0, 4.0, 12.0])
        see(torch.nn.utils.clip_grad_norm_([p], 1.0), p.grad)
    same(prog)


# ---- the bindings' argument check (issue 9): torch's parser rejects these before the op runs ----------
NORM_CALLS = [
    # linalg.vector_norm: Number ord (a 0-d tensor and a bool are Numbers), int[1]? dim, bool keepdim
    "L.vector_norm(x, 0, idx)", "L.vector_norm(x, 99, x)", "L.vector_norm(x, dtype='float')",
    "L.vector_norm(z, z)", "L.vector_norm(x, True)", "L.vector_norm(x, 2, True)",
    "L.vector_norm(x, 2, 0, 1)",
    "L.vector_norm(x, 2, torch.tensor(0))", "L.vector_norm(x, 2, [torch.tensor(1)])",
    "L.vector_norm(x, 2j)", "L.vector_norm(x, 'abc')", "L.vector_norm(1.5)",
    "L.vector_norm(x, 2, [0], True, None)",
    "L.vector_norm(x, ord=3, dim=(0, 1), keepdim=True, dtype=torch.float64)", "L.vector_norm(x.long(), 'a')",
    # linalg.matrix_norm: two overloads (Number ord, or str ord), an int[2] dim that takes no None
    "L.matrix_norm(x, 0, None)", "L.matrix_norm(x, 0, 'abc')", "L.matrix_norm(x, 99, x)",
    "L.matrix_norm(x, x)",
    "L.matrix_norm(x, dim=99)", "L.matrix_norm(x, dim='a')", "L.matrix_norm(x, dtype='float')",
    "L.matrix_norm(x, 0, 1.5)", "L.matrix_norm(x, z)", "L.matrix_norm(x, 2j)",
    "L.matrix_norm(x, 'nuc', [1, 0])",
    "L.matrix_norm(x, 2, torch.tensor([0, 1]))", "L.matrix_norm(x, -1, (0, 1), True)", "L.matrix_norm(1.5)",
    # linalg.norm
    "L.norm(x, x)", "L.norm(x, idx)", "L.norm(x, 0, 'abc')", "L.norm(x, 0, idx)", "L.norm(x, 99, x)",
    "L.norm(x, dtype='float')", "L.norm(x, z)", "L.norm(x, 2j)", "L.norm(x, 2j, 0)", "L.norm(x, 2, 0)",
    "L.norm(x, 'fro', None, True)", "L.norm(x, None, (0, 1))", "L.norm(x, torch.tensor(1.0), 1)",
    # torch.norm / Tensor.norm hand their arguments to those bindings positionally
    "torch.norm(x, 0, idx)", "torch.norm(x, 99, x)", "torch.norm(x, dtype='float')", "torch.norm(z, z)",
    "torch.norm(x, 'fro', 'abc')", "torch.norm(x, 'nuc', 'ab')", "torch.norm(x, 2j)", "torch.norm(1.5)",
    "torch.norm(x, 2, 0, True, None, torch.float64)", "torch.norm(x, 'nuc')", "torch.norm(x3, 'fro')",
    "x.norm(0, 'abc')", "x.norm(dim='a')", "x.norm(0, idx)", "x.norm(99, x)", "x.long().norm(0, idx)",
    "x.norm(2, 0, 1)", "x.norm(2, 1, True, torch.float64)", "x.norm(p=1)",
    # tensordot: the _VF binding's tensor arguments
    "torch.tensordot(x, 99, x)", "torch.tensordot(1.5, x, ([0], [0]))", "torch.tensordot(x, 1.5, ([0], [0]))",
    "torch.tensordot(x, x.T, 1)",
]


@pytest.mark.parametrize("expr", NORM_CALLS)
def test_norm_argument_checks(same, expr):
    def prog(torch, see):
        L = torch.linalg  # noqa: F841 (used by eval(expr))
        x = torch.tensor([[0.5, -1.25, 2.0], [0.0, 3.5, -0.75]])  # noqa: F841
        x3 = torch.arange(8.0).reshape(2, 2, 2)  # noqa: F841
        z = torch.tensor(1.5)  # noqa: F841
        idx = torch.tensor([0, 5])  # noqa: F841
        see(eval(expr))
    same(prog)


def test_norm_gradients_after_the_argument_check(same):
    def prog(torch, see):
        x = torch.tensor([[0.5, -1.25, 2.0], [0.0, 3.5, -0.75]], requires_grad=True)
        for r in (torch.linalg.vector_norm(x, torch.tensor(3.0), [torch.tensor(1)]),
                  torch.linalg.matrix_norm(x, 2), torch.linalg.norm(x, "nuc"), x.norm(1, 0, True)):
            see(r, torch.autograd.grad(r.sum(), x))
    same(prog)


def test_svdvals_non_finite_is_a_linalg_error(same):
    def prog(torch, see):
        see(issubclass(torch.linalg.LinAlgError, RuntimeError))
        a = torch.tensor([[float("nan"), 1.0], [1.0, 2.0]])
        try:
            torch.linalg.svdvals(a)
        except torch.linalg.LinAlgError as e:
            see("caught as LinAlgError")
            raise e
    same(prog)


@pytest.mark.parametrize("expr", ["x.inner(x)", "x.inner(v)", "v.inner(v)", "z.inner(x)", "x.inner(z)",
                                  "torch.ones(4, 2, 3, dtype=torch.float64).inner(x)",
                                  "x.inner(x[:, :2])",
                                  "v.inner(torch.ones(3))", "x.long().inner(x.long())"])
def test_inner_is_tensordot_over_the_last_dims(same, expr):
    def prog(torch, see):
        x = torch.tensor([[0.5, -1.25, 2.0], [0.0, 3.5, -0.75]], dtype=torch.float64, requires_grad=True)
        v = torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64, requires_grad=True)
        z = torch.tensor(1.5, dtype=torch.float64, requires_grad=True)
        r = eval(expr)
        see(r, type(r.grad_fn).__name__)
        if r.requires_grad:
            see(torch.autograd.grad(r.sum(), (x, v, z), allow_unused=True))
    same(prog)


@pytest.mark.parametrize("dtype", ["bool", "int64", "float32"])
@pytest.mark.parametrize("beta", [1, True, 0, 0.5, 2])
@pytest.mark.parametrize("m,k,n", [(1, 0, 1), (0, 2, 1), (1, 2, 1), (2, 0, 0)])
def test_addmm_empty_inner_dim_multiplies_by_beta(same, dtype, beta, m, k, n):
    """k == 0 with a non-empty result: ATen copies self and runs result.mul_(beta) (beta's result type
    must cast back); an empty result runs nothing (no bool kernel error)."""
    def prog(torch, see):
        d = getattr(torch, dtype)
        see(torch.addmm(torch.ones(n, dtype=d), torch.ones(m, k, dtype=d), torch.ones(k, n, dtype=d),
                        beta=beta))
    same(prog)


@pytest.mark.parametrize("shapes", [((0,), (1, 0), (1,)), ((2, 0), (1, 0), (1,)), ((1, 2, 0), (1, 0), (1,)),
                                    ((1, 2, 0), (1, 0), (1, 1)), ((0, 2), (1, 2), (1,))])
@pytest.mark.parametrize("dtype", ["bool", "int64"])
def test_linear_empty_inner_dim_addmm_beta_cast(same, shapes, dtype):
    def prog(torch, see):
        d = getattr(torch, dtype)
        x, w, b = (torch.ones(s, dtype=d) for s in shapes)
        see(torch.nn.functional.linear(x, w, b))
    same(prog)


@pytest.mark.parametrize("expr", ["torch.mm(torch.ones(2, 3, dtype=torch.long), v)",
                                  "torch.mm(torch.ones(3, 2, dtype=torch.long), v)",
                                  "torch.mm(v, torch.ones(2, 3))",
                                  "torch.matmul(torch.ones(3, dtype=torch.long), v)",
                                  "torch.matmul(v, torch.ones(3, dtype=torch.long))"])
def test_mm_checks_come_after_a_stale_views_error(same, expr):
    """the autograd kernel collects the inputs' edges (regenerating a modified view's grad_fn, which
    raises for a view of a no_grad view) before mm's shape and dtype checks."""
    def prog(torch, see):
        x = torch.ones(3, 3, requires_grad=True)
        with torch.no_grad():
            t = x.t()
        v = t.view(3, 3)
        with torch.no_grad():
            v.t().mul_(2)
        see(eval(expr))
    same(prog)


# ---- signed zeros of the BLAS products (NOTE [Signed zeros of BLAS products]) --------------------
def _zero_signs(t):
    a = _np(t).astype(np.float64).reshape(-1)
    return "".join("n" if (x == 0 and np.signbit(x)) else ("z" if x == 0 else "v") for x in a)


def _signed_zero_cases(lib, seed):
    rng = np.random.default_rng(seed)
    F = lib.nn.functional
    out = []
    for _ in range(120):
        m, k, n = (int(rng.choice([0, 1, 1, 2, 3, 4])) for _ in range(3))
        pool = [0.0, -0.0] if rng.random() < 0.5 else [0.0, -0.0, 1.0, -1.0]
        dt = lib.float32 if rng.random() < 0.5 else lib.float64

        def t(*shape, pool=pool, dt=dt):  # (reshaped: an empty nested list loses its shape)
            return lib.tensor(rng.choice(pool, size=shape).reshape(-1).tolist(), dtype=dt).reshape(shape)
        beta, alpha = float(rng.choice([0, 1, -1, 0.5])), float(rng.choice([1, -1, 2]))
        s, a, b, v = t(m, n), t(m, k), t(k, n), t(k)
        out.append(_zero_signs(lib.mm(a, b)))
        out.append(_zero_signs(lib.addmm(s, a, b, beta=beta, alpha=alpha)))
        out.append(_zero_signs(F.linear(a, b.t(), s[0] if m else None)))
        out.append(_zero_signs(lib.addmv(t(m), a, v, beta=beta, alpha=alpha)))
        out.append(_zero_signs(lib.dot(v, t(k))))
        out.append(_zero_signs(lib.addbmm(s, t(2, m, k), t(2, k, n), beta=beta, alpha=alpha)))
        out.append(_zero_signs(lib.baddbmm(t(2, m, n), t(2, m, k), t(2, k, n), beta=beta, alpha=alpha)))
    return out


def test_matrix_products_give_zeros_torch_signs():
    """(m, 1) @ (1, n) keeps -0.0 products; dot and mm with beta == 0 sum from +0.0; beta * self
    starts the accumulator; an empty inner dim is beta * self. A few small-size kernel choices
    of MKL are not modelled exactly, so compare the overall agreement, and the fixed cases."""
    t, n = _signed_zero_cases(torch, 0), _signed_zero_cases(numtorch, 0)
    agree = sum(a == b for a, b in zip(t, n))
    assert agree >= len(t) - 3, [(i, a, b) for i, (a, b) in enumerate(zip(t, n)) if a != b]
    for lib in LIBS:
        r = lib.mm(lib.zeros(4, 1), lib.tensor([[1.75, -2.0]]))
        assert _zero_signs(r) == "znznznzn"
        assert _zero_signs(lib.dot(lib.zeros(1), -lib.ones(1))) == "z"


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16"])
def test_mm_no_negative_zero_from_matmul(dtype):
    """_gemm returns numpy's matmul as is when k > 1 and alpha == 1: every product -0.0 must still
    give +0.0, as torch's +0.0 start does, on each path numpy takes (gemm, gemv, dot, syrk, its own
    loop for strided operands) and for mm's gradients."""
    for m, k, n in [(1, 2, 1), (2, 3, 2), (128, 256, 10), (5, 64, 1), (1, 64, 5), (33, 7, 17)]:
        grads = []
        for lib in LIBS:
            d = getattr(lib, dtype)
            a = lib.full((m, k), -0.0, dtype=d, requires_grad=True)
            b = lib.ones(k, n, dtype=d, requires_grad=True)
            for x, y in ((a, b), (a, b.t().contiguous().t()), (a[:, ::1], b[::1]), (a, a.t()),
                         (lib.ones(k, m, dtype=d).t(), -lib.zeros(k, n, dtype=d))):
                r = lib.mm(x, y)
                assert _zero_signs(r) == "z" * r.numel(), (lib.__name__, m, k, n)
            lib.mm(a, b).backward(-lib.zeros(m, n, dtype=d))
            grads.append((_zero_signs(a.grad), _zero_signs(b.grad)))  # (an inner dim of 1 keeps -0.0)
        if dtype != "float16":  # (torch's half outer product, k == 1, is not modelled)
            assert grads[0] == grads[1], (m, k, n)


@pytest.mark.parametrize("da,db", [("int64", "bool"), ("int64", "float32"), ("bool", "int64")])
@pytest.mark.parametrize("sa,sb", [((2, 0, 2), (2, 2, 2)), ((2, 2, 0), (2, 0, 2)), ((0, 2, 2), (0, 2, 2))])
def test_bmm_empty_product_skips_dtype_check(da, db, sa, sb):
    """bmm with an empty result or inner dim returns zeros in batch2's dtype, checking no dtype."""
    r = [lib.bmm(lib.ones(sa, dtype=getattr(lib, da)), lib.ones(sb, dtype=getattr(lib, db))) for lib in LIBS]
    assert str(r[0].dtype).split(".")[-1] == str(r[1].dtype).split(".")[-1]
    assert tuple(r[0].shape) == tuple(r[1].shape)


def _error(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the error is the observation
        return type(e).__name__, str(e)
    return None


@pytest.mark.parametrize("ra", [1, 2, 3])
@pytest.mark.parametrize("rb", [1, 2, 3])
@pytest.mark.parametrize("da,db", [("bool", "bool"), ("int64", "int64"), ("bool", "int64"),
                                   ("float32", "bool")])
def test_matmul_error_routing_per_rank(ra, rb, da, db):
    """matmul's errors name the kernel torch routes to (dot, mv, addmm via a fold, bmm)."""
    shapes = {1: [(2,), (3,)], 2: [(2, 2), (1, 2), (3, 2)], 3: [(2, 2, 2), (2, 1, 2), (3, 2, 2)]}
    for sa in shapes[ra]:
        for sb in shapes[rb]:
            got = [_error(lambda lib=lib, sa=sa, sb=sb: lib.matmul(lib.ones(sa, dtype=getattr(lib, da)),
                                                                   lib.ones(sb, dtype=getattr(lib, db))))
                   for lib in LIBS]
            assert got[0] == got[1], (sa, sb)


@pytest.mark.parametrize("mkn", [(2, 0, 2), (1, 0, 3), (3, 0, 1), (0, 0, 2), (2, 3, 0)])
@pytest.mark.parametrize("beta", [1, 2, 0])
def test_empty_inner_dim_results_are_contiguous(mkn, beta):
    """addmm/baddbmm/linear with an expanded bias and an empty inner dim return beta * self as a
    fresh contiguous tensor (a later .view() is a view), not NumPy's column-major copy."""
    m, k, n = mkn
    got = []
    for lib in LIBS:
        a, b, bias = lib.ones(m, k, requires_grad=True), lib.ones(k, n), lib.ones(n)
        rs = [lib.addmm(bias, a, b, beta=beta), lib.nn.functional.linear(a, b.t(), bias),
              lib.baddbmm(bias, a.unsqueeze(0).repeat(2, 1, 1), b.unsqueeze(0).repeat(2, 1, 1), beta=beta),
              lib.nn.functional.linear(a.unsqueeze(0).expand(2, m, k), b.t(), bias)]
        got.append([(r.stride(), type(r.view(-1).grad_fn).__name__) for r in rs])
    assert got[0] == got[1]
