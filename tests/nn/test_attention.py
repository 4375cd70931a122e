"""F.scaled_dot_product_attention, F.multi_head_attention_forward and nn.MultiheadAttention against
torch: values, gradients of inputs and parameters, the backend torch picks (its grad_fn name),
masks (bool, float, causal, key padding, fully masked rows), error texts, reprs, state_dict keys
and default initialisation. Programs run under both libraries from identical numpy inputs."""
from __future__ import annotations

import numpy as np
import pytest

import numtorch.nn  # noqa: F401

torch = pytest.importorskip("torch")


from _weights import arr as _arr, backward as _backward, set_weights as _set_weights  # noqa: E402


def _errors(see, thunks) -> None:
    for thunk in thunks:
        try:
            thunk()
            see("no error")
        except Exception as e:  # noqa: BLE001 - the type and text are what is compared
            see(type(e).__name__, str(e))


# ---- scaled_dot_product_attention ------------------------------------------------------------------
SDPA_CASES = {
    # name: (q shape, k shape, v shape, kwargs-maker(torch) -> dict)
    "plain": ((2, 3, 4, 8), (2, 3, 5, 8), (2, 3, 5, 8), lambda t: {}),
    "causal_square": ((2, 2, 6, 4), (2, 2, 6, 4), (2, 2, 6, 4), lambda t: {"is_causal": True}),
    "causal_wide": ((1, 2, 3, 4), (1, 2, 5, 4), (1, 2, 5, 4), lambda t: {"is_causal": True}),
    "bool_mask_2d": ((2, 2, 4, 4), (2, 2, 5, 4), (2, 2, 5, 4),
                     lambda t: {"attn_mask": t.tensor(_arr((4, 5), 7) > -0.5)}),
    "float_mask_4d": ((2, 3, 4, 4), (2, 3, 5, 4), (2, 3, 5, 4),
                      lambda t: {"attn_mask": t.tensor(_arr((2, 1, 4, 5), 8))}),
    "mask_and_causal": ((1, 2, 4, 4), (1, 2, 4, 4), (1, 2, 4, 4),
                        lambda t: {"attn_mask": t.tensor(_arr((4, 4), 9)), "is_causal": True}),
    "scale": ((2, 2, 3, 4), (2, 2, 3, 4), (2, 2, 3, 4), lambda t: {"scale": 0.3}),
    "gqa": ((2, 4, 3, 4), (2, 2, 5, 4), (2, 2, 5, 4), lambda t: {"enable_gqa": True}),
    "fully_masked_row": ((1, 2, 3, 4), (1, 2, 3, 4), (1, 2, 3, 4),
                         lambda t: {"attn_mask": t.tensor([[True, True, False], [False] * 3, [True] * 3])}),
    # math path (torch's grad_fn is the matmul's UnsafeViewBackward0)
    "math_3d": ((3, 4, 8), (3, 5, 8), (3, 5, 8), lambda t: {}),
    "math_3d_causal": ((3, 4, 4), (3, 4, 4), (3, 4, 4), lambda t: {"is_causal": True}),
    "math_3d_bool_mask": ((2, 3, 4), (2, 3, 4), (2, 3, 4),
                          lambda t: {"attn_mask": t.tensor([[True, True, False], [False] * 3, [True] * 3])}),
    "math_negative_scale": ((2, 3, 4), (2, 5, 4), (2, 5, 4), lambda t: {"scale": -0.7}),
    "math_value_dim": ((1, 2, 3, 4), (1, 2, 5, 4), (1, 2, 5, 6), lambda t: {}),
    "math_3d_mask": ((2, 1, 3, 4), (2, 1, 5, 4), (2, 1, 5, 4),
                     lambda t: {"attn_mask": t.tensor(_arr((1, 3, 5), 10))}),
    "math_broadcast_batch": ((2, 3, 4, 4), (1, 3, 5, 4), (1, 3, 5, 4), lambda t: {}),
    "math_gqa_3d": ((4, 3, 4), (2, 5, 4), (2, 5, 4), lambda t: {"enable_gqa": True}),
    "math_noncontiguous": ((2, 2, 4, 3), (2, 2, 5, 3), (2, 2, 5, 3), lambda t: {"transpose": True}),
}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", list(SDPA_CASES))
def test_sdpa_values_grads_and_backend(close, name, dtype):
    qs, ks, vs, kwargs = SDPA_CASES[name]

    def prog(torch, see):
        kw = kwargs(torch)
        transpose = kw.pop("transpose", False)
        q, k, v = (torch.tensor(_arr(s, i, dtype), requires_grad=True) for i, s in enumerate((qs, ks, vs)))
        if transpose:  # last-dim stride != 1: torch falls back to the math path
            q2, k2, v2 = (torch.tensor(_arr(s[:-2] + (s[-1], s[-2]), i, dtype), requires_grad=True)
                          for i, s in enumerate((qs, ks, vs)))
            q, k, v = (t.transpose(-1, -2) for t in (q2, k2, v2))
            leaves = (q2, k2, v2)
        else:
            leaves = (q, k, v)
        if "attn_mask" in kw and kw["attn_mask"].is_floating_point():
            kw["attn_mask"] = kw["attn_mask"].to(q.dtype)
        out = torch.nn.functional.scaled_dot_product_attention(q, k, v, **kw)
        see(out)
        _backward(torch, [out])
        see(*(t.grad for t in leaves))
    close(prog)


@pytest.mark.parametrize("name", ["plain", "causal_square", "causal_wide", "float_mask_4d", "mask_and_causal",
                                  "gqa", "fully_masked_row"])
def test_sdpa_blocked_over_query_rows(close, monkeypatch, name):
    """Large score matrices are processed in blocks of query rows; force tiny blocks."""
    from numtorch._ops import attention_ops
    monkeypatch.setattr(attention_ops, "_BLOCK", 16)
    test_sdpa_values_grads_and_backend(close, name, np.float32)


def test_sdpa_float_mask_requiring_grad_takes_math_path(close):
    def prog(torch, see):
        q, k, v = (torch.tensor(_arr((1, 2, 3, 4), i), requires_grad=True) for i in range(3))
        mask = torch.tensor(_arr((3, 3), 5), requires_grad=True)
        out = torch.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        see(out)
        _backward(torch, [out])
        see(q.grad, k.grad, v.grad, mask.grad)
    close(prog)


def test_sdpa_no_grad_and_saved_tensors(close):
    def prog(torch, see):
        q = torch.tensor(_arr((1, 2, 3, 4), 0), requires_grad=True)
        with torch.no_grad():
            see(torch.nn.functional.scaled_dot_product_attention(q, q, q))
        out = torch.nn.functional.scaled_dot_product_attention(q, q, q, is_causal=True)
        fn = out.grad_fn
        see(fn.name(), len(fn.next_functions), fn._saved_query, fn._saved_output, fn._saved_is_causal)
        g, = torch.autograd.grad(out.sum(), q, create_graph=True)
        see(g)
        g.sum().backward()  # ATen's flash backward has no derivative
    close(prog)


def test_sdpa_errors(close):
    def prog(torch, see):
        F = torch.nn.functional
        q, k, v = (torch.tensor(_arr((2, 3, 4, 8), i)) for i in range(3))
        _errors(see, [
            lambda: F.scaled_dot_product_attention(q, k.double(), v),
            lambda: F.scaled_dot_product_attention(q[0, 0, 0], k, v),
            lambda: F.scaled_dot_product_attention(q, k, v, attn_mask=torch.zeros(4, 4, dtype=torch.int64)),
            lambda: F.scaled_dot_product_attention(q, k, v, attn_mask=torch.zeros(4, 6)),
            lambda: F.scaled_dot_product_attention(q, k[..., :7], v),
            lambda: F.scaled_dot_product_attention(q, k[:, :2], v[:, :2]),
            lambda: F.scaled_dot_product_attention(q, k[:, :2], v[:, :2], enable_gqa=True),
            lambda: F.scaled_dot_product_attention(q, k, v, dropout_p=1.5),
            lambda: F.scaled_dot_product_attention(q[0], k[0], v[0], attn_mask=torch.zeros(4, 4),
                                                   is_causal=True),
        ])
    close(prog)


def test_sdpa_dropout_one_zeroes_everything(close):
    def prog(torch, see):
        q = torch.tensor(_arr((2, 3, 4), 0), requires_grad=True)
        out = torch.nn.functional.scaled_dot_product_attention(q, q, q, dropout_p=1.0)
        see(out)
    close(prog)


# ---- nn.MultiheadAttention -------------------------------------------------------------------------
MHA_CONFIGS = {
    "default": dict(embed_dim=8, num_heads=2),
    "batch_first": dict(embed_dim=8, num_heads=4, batch_first=True),
    "no_bias": dict(embed_dim=8, num_heads=2, bias=False),
    "kdim_vdim": dict(embed_dim=8, num_heads=2, kdim=6, vdim=5),
    "bias_kv_zero_attn": dict(embed_dim=8, num_heads=2, add_bias_kv=True, add_zero_attn=True),
    "one_head": dict(embed_dim=6, num_heads=1),
}


def _mha_inputs(torch, cfg, L=4, S=5, N=3, unbatched=False, self_attention=False):
    E, kd, vd = cfg["embed_dim"], cfg.get("kdim") or cfg["embed_dim"], cfg.get("vdim") or cfg["embed_dim"]
    bf = cfg.get("batch_first", False)

    def shape(length, dim):
        if unbatched:
            return (length, dim)
        return (N, length, dim) if bf else (length, N, dim)
    q = torch.tensor(_arr(shape(L, E), 1), requires_grad=True)
    if self_attention:
        return q, q, q
    k = torch.tensor(_arr(shape(S, kd), 2), requires_grad=True)
    v = torch.tensor(_arr(shape(S, vd), 3), requires_grad=True)
    return q, k, v


@pytest.mark.parametrize("need_weights", [True, False])
@pytest.mark.parametrize("name", list(MHA_CONFIGS))
def test_mha_differential(close, name, need_weights):
    cfg = MHA_CONFIGS[name]

    def prog(torch, see):
        m = torch.nn.MultiheadAttention(**cfg)
        _set_weights(torch, m)
        for unbatched in (False, True):
            q, k, v = _mha_inputs(torch, cfg, unbatched=unbatched)
            out, w = m(q, k, v, need_weights=need_weights)
            see(out.detach(), w if w is None else w.detach())
            _backward(torch, [out, w])
            see(q.grad, k.grad, v.grad, *(p.grad for p in m.parameters()))
            m.zero_grad()
    close(prog)


@pytest.mark.parametrize("need_weights", [True, False])
def test_mha_masks(close, need_weights):
    def prog(torch, see):
        m = torch.nn.MultiheadAttention(8, 2, batch_first=True)
        _set_weights(torch, m, 3)
        q, k, v = _mha_inputs(torch, {"embed_dim": 8, "batch_first": True}, L=4, S=4)
        causal = torch.nn.Transformer.generate_square_subsequent_mask(4)
        bool_mask = torch.tensor(_arr((4, 4), 4) > 0.3)
        mask3 = torch.tensor(_arr((6, 4, 4), 5))
        kpm = torch.tensor([[False, False, True, True], [False, False, False, False],
                            [False, True, False, True]])
        kpm_float = torch.tensor(_arr((3, 4), 6))
        for kw in ({"attn_mask": causal}, {"attn_mask": causal, "is_causal": True},
                   {"attn_mask": bool_mask}, {"attn_mask": mask3}, {"key_padding_mask": kpm},
                   {"key_padding_mask": kpm_float}, {"attn_mask": causal, "key_padding_mask": kpm_float},
                   {"attn_mask": causal, "key_padding_mask": kpm, "is_causal": True},
                   {"average_attn_weights": False}):
            out, w = m(q, k, v, need_weights=need_weights, **kw)
            see(out.detach(), w if w is None else w.detach())
            _backward(torch, [out, w])
            see(q.grad, k.grad, *(p.grad for p in m.parameters()))
            m.zero_grad()
            q.grad = k.grad = v.grad = None
    close(prog)


def test_mha_self_attention_eval_and_fully_padded(close):
    def prog(torch, see):
        m = torch.nn.MultiheadAttention(8, 2, batch_first=True).eval()
        _set_weights(torch, m, 4)
        x = torch.tensor(_arr((2, 3, 8), 1))
        kpm = torch.tensor([[False, False, True], [True, True, True]])
        with torch.no_grad():
            see(*m(x, x, x))
            see(m(x, x, x, key_padding_mask=kpm, need_weights=False)[0])
        out, w = m(x, x, x, key_padding_mask=kpm)  # softmax over only -inf: NaN, as torch
        see(out.detach(), w.detach())
    close(prog)


def test_mha_functional_entry_point(close):
    def prog(torch, see):
        F = torch.nn.functional
        q = torch.tensor(_arr((4, 2, 6), 0), requires_grad=True)
        w_in = torch.tensor(_arr((18, 6), 1) * 0.3, requires_grad=True)
        b_in = torch.tensor(_arr((18,), 2) * 0.1, requires_grad=True)
        w_out = torch.tensor(_arr((6, 6), 3) * 0.3, requires_grad=True)
        static_k = torch.tensor(_arr((6, 5, 2), 4))
        out, w = F.multi_head_attention_forward(q, q, q, 6, 3, w_in, b_in, None, None, False, 0.0, w_out,
                                                None, training=False, static_k=static_k)
        see(out, w)
        _backward(torch, [out])
        see(q.grad, w_in.grad, b_in.grad, w_out.grad)
    close(prog)


def test_mha_structure(close):
    def prog(torch, see):
        nn = torch.nn
        for kw in ({}, {"kdim": 4, "vdim": 6, "bias": False, "add_bias_kv": True}, {"batch_first": True}):
            m = nn.MultiheadAttention(8, 2, **kw)
            see(repr(m), [(k, tuple(v.shape)) for k, v in m.state_dict().items()],
                [n for n, _ in m.named_parameters()], m.head_dim, m._qkv_same_embed_dim, m.batch_first)
        m = nn.MultiheadAttention(8, 2)
        see(m.in_proj_bias, m.out_proj.bias, type(m.out_proj).__name__, m.bias_k, m.q_proj_weight)
        see(bool(m.in_proj_weight.abs().max() <= (6 / (24 + 8)) ** 0.5))  # xavier_uniform_ bound
    close(prog)


def test_mha_errors_and_warnings(close):
    def prog(torch, see):
        nn = torch.nn
        m = nn.MultiheadAttention(8, 2)
        x = torch.tensor(_arr((4, 3, 8), 0))
        _errors(see, [
            lambda: nn.MultiheadAttention(8, 3),
            lambda: nn.MultiheadAttention(0, 3),
            lambda: m(x, x, x, key_padding_mask=torch.zeros(3, 4, dtype=torch.int64)),
            lambda: m(x, x, x, attn_mask=torch.zeros(4, 5)),
            lambda: m(x, x, x, attn_mask=torch.zeros(5, 4, 4)),
            lambda: m(x, x, x, attn_mask=torch.zeros(2, 2, 4, 4)),
            lambda: m(x, x, x, key_padding_mask=torch.zeros(3, 5, dtype=torch.bool)),
            lambda: m(x, x, x, key_padding_mask=torch.zeros(2, 4, dtype=torch.bool)),
            lambda: m(x[..., :6], x[..., :6], x[..., :6]),
            lambda: m(x[0, 0], x, x),
            lambda: m(x, x[0], x),
            lambda: m(x[0], x, x),
            lambda: m(x, x, x, is_causal=True),
            lambda: m(x, x[:3], x),
            lambda: m(x[0], x[0], x[0], key_padding_mask=torch.zeros(2, 4, dtype=torch.bool)),
            lambda: m(x[0], x[0], x[0], attn_mask=torch.zeros(3, 4, 4)),
            lambda: m(x, x, x, key_padding_mask=torch.zeros(3, 4, dtype=torch.bool),
                      attn_mask=torch.zeros(4, 4)),
        ])
    close(prog)


def test_seeded_initialisation_and_dropout_draw_as_torch(close):
    def prog(torch, see):
        torch.manual_seed(5)
        for kw in ({}, {"add_bias_kv": True}, {"kdim": 3, "vdim": 5}, {"bias": False}):
            see(list(torch.nn.MultiheadAttention(8, 2, **kw).state_dict().values()))
        m = torch.nn.MultiheadAttention(8, 2, dropout=0.3)
        x = torch.tensor(_arr((5, 3, 8), 1), requires_grad=True)
        for need_weights in (True, False):
            out, w = m(x, x, x, need_weights=need_weights)
            see(out.detach(), w if w is None else w.detach())
            _backward(torch, [out])
            see(x.grad, *(p.grad for p in m.parameters()))
            m.zero_grad()
            x.grad = None
        q = x.view(5, 3, 2, 4).transpose(1, 2)
        out = torch.nn.functional.scaled_dot_product_attention(q, q, q, dropout_p=0.25)  # math path
        see(out, torch.nn.functional.scaled_dot_product_attention(x, x, x, dropout_p=0.25, is_causal=True))
    close(prog)


def test_kept_probabilities_are_numtorch_own_and_released():
    """The flash node keeps its probabilities for the backward (node.KEPT): torch's node has no
    `_saved_probs`, nor does numtorch's; a backward without retain_graph releases them with the
    saved tensors; a retained graph's second backward gives the same gradients."""
    import numtorch
    from numtorch._autograd.node import KEPT
    rng = np.random.default_rng(0)
    q, k, v = (rng.standard_normal((1, 2, 4, 8)).astype(np.float32) for _ in range(3))
    fns = []
    for lib in (torch, numtorch):
        qt = lib.tensor(q, requires_grad=True)
        out = lib.nn.functional.scaled_dot_product_attention(qt, lib.tensor(k), lib.tensor(v))
        fns.append(out.grad_fn)
        with pytest.raises(AttributeError):
            out.grad_fn._saved_probs
    ours = fns[1]
    assert ours.name() == fns[0].name() and KEPT in ours._attrs
    qt = numtorch.tensor(q, requires_grad=True)
    out = numtorch.nn.functional.scaled_dot_product_attention(qt, numtorch.tensor(k), numtorch.tensor(v))
    first = numtorch.autograd.grad(out.sum(), qt, retain_graph=True)[0].numpy()
    second = numtorch.autograd.grad(out.sum(), qt)[0].numpy()
    np.testing.assert_array_equal(first, second)
    assert KEPT not in out.grad_fn._attrs
