"""A view made in no_grad mode whose base was then modified in place with grad mode on ("stale"),
passed to an op: torch's autograd kernel collects the inputs' gradient edges before the native
kernel's argument checks run, so the view error wins over the op's own error; CompositeImplicit
ops, Python-level checks and ops without differentiable outputs raise their own error first."""
from __future__ import annotations

import pytest
import torch

import numtorch

VIEW_ERROR = "A view was created in no_grad mode and its base or another view of its base"


def _stale(lib):
    base = lib.ones((2, 3), requires_grad=True).clone()
    with lib.no_grad():
        v = base[...]
    base.mul_(2)
    return v


# name -> call on the stale (2, 3) view; each raises in torch (the view error or the op's own)
CASES = {
    "dot_dims": lambda L, v: L.dot(v, L.ones(3)),
    "dot_dtype": lambda L, v: L.dot(L.ones(3, dtype=L.float64), v[0]),
    "mm_shapes": lambda L, v: L.mm(v, L.ones(2, 2)),
    "mm_dtype": lambda L, v: L.mm(v, L.ones(3, 2, dtype=L.float64)),
    "mv_shapes": lambda L, v: L.mv(v, L.ones(2)),
    "mv_dtype": lambda L, v: L.mv(v, L.ones(3, dtype=L.float64)),
    "bmm_rank": lambda L, v: L.bmm(v, v),
    "addmm_shapes": lambda L, v: L.addmm(L.ones(2, 2), v, L.ones(2, 2)),
    "addmm_inplace_shapes": lambda L, v: L.ones(2, 2).addmm_(v, L.ones(2, 2)),
    "addmv_shapes": lambda L, v: L.addmv(L.ones(2), v, L.ones(2)),
    "addmv_dtype": lambda L, v: L.addmv(L.ones(2, dtype=L.float64), v, L.ones(3)),
    "baddbmm_shapes": lambda L, v: L.baddbmm(L.ones(1, 2, 2), v.unsqueeze(0), L.ones(1, 2, 2)),
    "addbmm_shapes": lambda L, v: L.addbmm(L.ones(2, 2), v.unsqueeze(0), L.ones(1, 2, 2)),
    # native ops with autograd kernels found by the fuzzer: the view error first
    "sum_dim": lambda L, v: v.sum(dim=5),
    "mean_dim": lambda L, v: L.mean(v, 7),
    "softmax_dim": lambda L, v: v.softmax(4),
    "log_softmax_dim": lambda L, v: L.log_softmax(v, 4),
    "cumsum_dim": lambda L, v: v.cumsum(3),
    "cumprod_dim": lambda L, v: L.cumprod(v, 3),
    "max_dim": lambda L, v: v.max(dim=3),
    "sort_dim": lambda L, v: v.sort(dim=3),
    "std_dim": lambda L, v: v.std(dim=3),
    "prod_dim": lambda L, v: v.prod(dim=3),
    "amax_dim": lambda L, v: v.amax(dim=3),
    "logsumexp_dim": lambda L, v: L.logsumexp(v, 3),
    "norm_dim": lambda L, v: v.norm(dim=3),
    "flip_dim": lambda L, v: v.flip(3),
    "roll_dim": lambda L, v: v.roll(1, 3),
    "gather_index_dtype": lambda L, v: v.gather(0, L.zeros(2, 3)),
    "index_add_dim": lambda L, v: v.index_add(3, L.tensor([0]), L.ones(2, 1)),
    "where_shapes": lambda L, v: L.where(L.ones(5, dtype=L.bool), v, 0.0),
    "clamp_no_bounds": lambda L, v: v.clamp(),
    "bitwise_and_float": lambda L, v: v & v,
    "repeat_fewer_dims": lambda L, v: v.repeat(2),
    "div_rounding_mode": lambda L, v: v.div(2, rounding_mode="bad"),
    "cat_shapes": lambda L, v: L.cat([v, L.ones(2, 2)]),
    "add_bool_alpha": lambda L, v: v.add(v, alpha=True),
    "sub_bool": lambda L, v: v - L.ones(2, 3, dtype=L.bool),
    "rsub_bool": lambda L, v: L.rsub(v, L.ones(2, 3, dtype=L.bool)),
    # composite or Python-level in torch: their own check first
    "matmul_0d": lambda L, v: L.matmul(v[0, 0], L.ones(1)),
    "outer_rank": lambda L, v: L.outer(v, L.ones(2)),
    "tensordot_sizes": lambda L, v: L.tensordot(v, L.ones(2, 2), dims=1),
    "narrow_length": lambda L, v: v.narrow(0, 0, 9),
    "flatten_dim": lambda L, v: v.flatten(5),
    "chunk_zero": lambda L, v: v.chunk(0),
    "movedim_dim": lambda L, v: v.movedim(0, 5),
    # no differentiable output: no edges collected
    "argmax_dim": lambda L, v: v.argmax(dim=5),
    "eq_shapes": lambda L, v: v == L.ones(4),
}


def _outcome(lib, fn):
    try:
        fn(lib, _stale(lib))
    except Exception as e:  # noqa: BLE001 - the error is the observation
        return type(e).__name__, str(e)
    return None


@pytest.mark.parametrize("name", sorted(CASES))
def test_stale_view_error_order_matches_torch(name):
    expected, got = _outcome(torch, CASES[name]), _outcome(numtorch, CASES[name])
    assert expected is not None
    assert got == expected


def test_linalg_native_ops_raise_the_view_error_first():
    """dot/mm/addmm & co have autograd kernels: the view error, not the shape error."""
    for name in ("dot_dims", "addmm_shapes", "addmv_dtype", "baddbmm_shapes"):
        assert VIEW_ERROR in _outcome(numtorch, CASES[name])[1]
