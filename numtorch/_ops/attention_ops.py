"""Fused ops behind attention and recurrent layers, each recording the node torch records:
ATen's CPU flash attention (ScaledDotProductFlashAttentionForCpuBackward0), _safe_softmax (the
SDPA math path's softmax: fully masked rows give 0, not NaN), baddbmm and repeat (used by
F.multi_head_attention_forward), unsafe_chunk (the RNN cells' gate split), and the oneDNN LSTM
layer (MkldnnRnnLayerBackward0).

The fused kernels keep what their backward needs and run it in numpy; like ATen's, those
backwards are not themselves differentiable (torch's NotImplemented node and error).
See NOTE [Flash attention on numpy] and NOTE [LSTM layer kernel]."""
from __future__ import annotations

import numpy as np

from .._autograd.node import KEPT
from .._core import messages
from .._tensor import Tensor
from .dispatch import Op
from .linalg import bmm
from .joining import cat
from .reduction import sum as _sum
from .shape import transpose

# NOTE [Flash attention on numpy]
# torch's CPU flash kernel runs over blocks with an online softmax; here the whole score matrix
# S = q @ k^T * scale (+ mask) is one batched np.matmul over the leading (batch, head) axes, which
# is exact softmax attention: the values agree with torch's to float rounding. Rows whose keys are
# all masked give an output of 0 and a gradient of 0, as torch's kernel does. Score matrices
# larger than _BLOCK elements are processed in blocks of query rows (and their probabilities
# recomputed from logsumexp in the backward, as torch does), so memory stays linear in the
# sequence length; smaller ones keep the probabilities on the node for the backward
# (node._attrs[KEPT], released with the saved tensors).
# Grouped-query attention (fewer key/value heads) repeats the heads in the kernel and sums their
# gradients back.
_BLOCK = 1 << 22


def _row_blocks(q, k) -> list:
    """Slices of query rows whose score blocks have at most _BLOCK elements."""
    L, S = q.shape[-2], k.shape[-2]
    per_row = max(int(np.prod(q.shape[:-2], dtype=np.int64)) * S, 1)
    rows = max(1, min(L, _BLOCK // per_row))
    return [slice(r, min(r + rows, L)) for r in range(0, L, rows)] or [slice(0, 0)]


def _scores(q, k, scale, mask, is_causal, rows: slice, L: int):
    """Scaled scores of the query rows `rows` (of L) against all keys, masks added."""
    s = np.matmul(q[..., rows, :], np.swapaxes(k, -1, -2))
    s *= np.asarray(scale, s.dtype)
    if mask is not None:
        s += mask[..., rows, :] if mask.shape[-2] == L and L != 1 else mask
    if is_causal:
        S = s.shape[-1]
        above = np.arange(S)[None, :] > np.arange(rows.start, rows.stop)[:, None]
        s += np.where(above, np.asarray(-np.inf, s.dtype), np.asarray(0, s.dtype))  # beats s[..., above]
    return s


def _repeat_heads(k, q_heads):
    rep = q_heads // k.shape[-3]
    return k if rep == 1 else np.repeat(k, rep, axis=-3)


def _flash_kernel(q, k, v, scale, mask, is_causal, **_):
    k, v = _repeat_heads(k, q.shape[-3]), _repeat_heads(v, q.shape[-3])
    L = q.shape[-2]
    blocks = _row_blocks(q, k)
    out = np.empty(q.shape[:-1] + (v.shape[-1],), q.dtype)
    lse = np.empty(q.shape[:-1], q.dtype)
    probs = None
    for rows in blocks:
        s = _scores(q, k, scale, mask, is_causal, rows, L)
        m = s.max(axis=-1, keepdims=True)
        dead = np.isneginf(m)                       # every key masked out
        m[dead] = 0
        s -= m
        p = np.exp(s, out=s)
        denom = np.matmul(p, np.ones((p.shape[-1], 1), p.dtype))  # BLAS: 10x a short-axis np.sum
        block_lse = (m + np.log(denom))[..., 0]
        denom[dead] = 1
        p /= denom
        out[..., rows, :] = np.matmul(p, v)
        block_lse[dead[..., 0]] = np.inf            # exp(s - inf) = 0 when recomputed
        lse[..., rows] = block_lse
        probs = p if len(blocks) == 1 else None
    return out, lse, probs if probs is not None else np.empty(0, q.dtype)


def _group_sum(g, kv_heads):
    """Sum the gradient of repeated key/value heads back onto their kv head."""
    h = g.shape[-3]
    if h == kv_heads:
        return g
    return g.reshape(g.shape[:-3] + (kv_heads, h // kv_heads) + g.shape[-2:]).sum(axis=-3)


def _flash_backward_kernel(g, q, k, v, out, lse, scale, mask, is_causal, probs, **_):
    kv_heads = k.shape[-3]
    k, v = _repeat_heads(k, q.shape[-3]), _repeat_heads(v, q.shape[-3])
    L = q.shape[-2]
    scale = np.asarray(scale, q.dtype)
    grad_q = np.empty_like(q)
    grad_k = np.zeros_like(k)
    grad_v = np.zeros_like(v)
    delta = np.matmul(g * out, np.ones((out.shape[-1], 1), out.dtype))  # BLAS: 3x a short-axis np.sum
    for rows in _row_blocks(q, k):
        if probs is not None:
            p = probs
        else:  # recomputed from logsumexp, as ATen's kernel does
            p = _scores(q, k, scale, mask, is_causal, rows, L)
            p -= lse[..., rows, None]
            np.exp(p, out=p)
        g_rows = g[..., rows, :]
        grad_v += np.matmul(np.swapaxes(p, -1, -2), g_rows)
        ds = np.matmul(g_rows, np.swapaxes(v, -1, -2))
        ds -= delta[..., rows, :]
        ds *= p
        ds *= scale
        grad_q[..., rows, :] = np.matmul(ds, k)
        grad_k += np.matmul(np.swapaxes(ds, -1, -2), q[..., rows, :])
    return grad_q, _group_sum(grad_k, kv_heads), _group_sum(grad_v, kv_heads)


def _without_derivative(name: str, kernel, inputs: tuple) -> Op:
    """A backward op that torch gives no derivative formula: it records torch's NotImplemented
    node, and differentiating through it raises torch's error."""
    def raise_not_implemented(c, g):
        raise RuntimeError(messages.DERIVATIVE_NOT_IMPLEMENTED.format(name="aten::" + name))
    op = Op(name, kernel, node="NotImplemented", inputs=inputs, promote=None, multi_output=True,
            grads=dict.fromkeys(inputs, raise_not_implemented))
    op.node_cls.name = lambda self: "torch::autograd::NotImplemented"
    return op


FLASH_BACKWARD = _without_derivative("_scaled_dot_product_flash_attention_for_cpu_backward",
                                     _flash_backward_kernel,
                                     ("grad_out", "query", "key", "value", "out", "logsumexp"))


def _flash_grads(c, g, query, key, value):
    """The three input gradients, computed once per backward call (cached on the context)."""
    grads = c.__dict__.get("_grads")
    if grads is None:
        grads = c.__dict__["_grads"] = FLASH_BACKWARD(
            g[0], query, key, value, c.output, c.logsumexp, scale=c.scale, mask=c.mask,
            is_causal=c.is_causal, probs=c.__dict__.get(KEPT))
    return grads


FLASH = Op("_scaled_dot_product_flash_attention_for_cpu", _flash_kernel,
           node="ScaledDotProductFlashAttentionForCpuBackward0", inputs=("query", "key", "value"),
           promote=None, multi_output=True, differentiable_outputs=(0,),
           grads={"query": lambda c, g: _flash_grads(c, g, c.query, c.key, c.value)[0],
                  "key": lambda c, g: _flash_grads(c, g, c.query, c.key, c.value)[1],
                  "value": lambda c, g: _flash_grads(c, g, c.query, c.key, c.value)[2]})


def flash_attention(query: Tensor, key: Tensor, value: Tensor, mask: np.ndarray | None,
                    is_causal: bool, scale: float) -> Tensor:
    """at::_scaled_dot_product_flash_attention_for_cpu; `mask` is an additive float mask."""
    out, lse, probs = FLASH(query, key, value, scale=scale, mask=mask, is_causal=is_causal)
    node = out._grad_fn
    if node is not None:
        node.save("output", out, is_output=True)
        node.save("logsumexp", lse)
        if probs._data.size:  # one block: kept, which spares the backward a recomputation
            node._attrs[KEPT] = probs._data
    return out


# ---- _safe_softmax -----------------------------------------------------------------------------
def _safe_softmax_kernel(a, dim):
    if a.size == 0:
        return a.copy()
    m = np.max(a, axis=dim, keepdims=True)
    dead = np.isneginf(m)
    m = np.where(dead, 0, m)
    e = np.exp(a - m)
    s = np.sum(e, axis=dim, keepdims=True)
    return e / np.where(s == 0, 1, s)


SAFE_SOFTMAX = Op("_safe_softmax", _safe_softmax_kernel, node="SafeSoftmaxBackward0", promote="float",
                  grads={"self": lambda c, g: (g - _sum(g * c.result, c.dim, keepdim=True)) * c.result})


def safe_softmax(input: Tensor, dim: int) -> Tensor:
    return SAFE_SOFTMAX(input, dim=dim % input.dim())


# ---- baddbmm ------------------------------------------------------------------------
def _baddbmm_kernel(a, b1, b2):
    if b1.ndim != 3:
        raise RuntimeError(messages.BMM_3D.format(name="batch1"))
    if b2.ndim != 3:
        raise RuntimeError(messages.BMM_3D.format(name="batch2"))
    return a + np.matmul(b1, b2)


BADDBMM = Op("baddbmm", _baddbmm_kernel, node="BaddbmmBackward0", inputs=("self", "batch1", "batch2"),
             grads={"self": lambda c, g: g,
                    "batch1": lambda c, g: bmm(g, transpose(c.batch2, 1, 2)),
                    "batch2": lambda c, g: bmm(transpose(c.batch1, 1, 2), g)})


def baddbmm(input: Tensor, batch1: Tensor, batch2: Tensor) -> Tensor:
    return BADDBMM(input, batch1, batch2)


# ---- unsafe_chunk ------------------------------------------------------------------------------
def _unsafe_split_kernel(a, chunks, dim, **_):
    return tuple(np.ascontiguousarray(p) for p in np.split(a, chunks, axis=dim))


def _unsafe_split_formula(c, grads):
    from .creation import zeros
    size = c.shapes[0][c.dim] // c.chunks
    shape = list(c.shapes[0])
    shape[c.dim] = size
    parts = [g if g is not None else zeros(tuple(shape), dtype=c.dtype) for g in grads]
    return cat(parts, c.dim)


UNSAFE_SPLIT = Op("unsafe_split", _unsafe_split_kernel, node="UnsafeSplitBackward0", promote=None,
                  multi_output=True, grads={"self": _unsafe_split_formula})


def unsafe_chunk(input: Tensor, chunks: int, dim: int) -> tuple:
    """Equal chunks that autograd does not treat as views (the size must divide evenly)."""
    return UNSAFE_SPLIT(input, chunks=chunks, dim=dim, dtype=input.dtype)


# ---- the LSTM layer torch runs through oneDNN ----------------------------------------------------
# NOTE [LSTM layer kernel]
# torch's CPU LSTM (float32, no projections) runs each layer and direction as one
# at::mkldnn_rnn_layer call (node MkldnnRnnLayerBackward0, inputs: input, w_ih, w_hh, b_ih, b_hh,
# hx, cx; outputs: output, hy, cy, workspace). Here the kernel projects the whole sequence with one
# matmul, loops over time in numpy, and keeps the gate activations and cell states as the
# workspace; the backward is backpropagation through time over that workspace. Like ATen's, the
# backward has no derivative of its own.
def _ifog(H: int) -> np.ndarray:
    """Row order that puts torch's (i, f, g, o) gates as (i, f, o, g): one sigmoid, one tanh."""
    return np.r_[0:2 * H, 3 * H:4 * H, 2 * H:3 * H]


def _lstm_layer_kernel(x, w_ih, w_hh, b_ih, b_hh, h0, c0, reverse, **_):
    T, B = x.shape[0], x.shape[1]
    H = w_hh.shape[1]
    order = _ifog(H)
    xp = np.matmul(x.reshape(T * B, -1), w_ih[order].T).reshape(T, B, 4 * H)
    xp += (b_ih + b_hh)[order]
    w_hh_t = w_hh[order].T
    out = np.empty((T, B, H), x.dtype)
    ws = np.empty((T, B, 5 * H), x.dtype)           # per step: i, f, o, g activations and c
    h, c = h0, c0
    for t in (range(T - 1, -1, -1) if reverse else range(T)):
        gates = h @ w_hh_t
        gates += xp[t]
        _sigmoid_(gates[:, :3 * H])
        np.tanh(gates[:, 3 * H:], out=gates[:, 3 * H:])
        i, f, o, g = gates[:, :H], gates[:, H:2 * H], gates[:, 2 * H:3 * H], gates[:, 3 * H:]
        c = f * c + i * g
        h = o * np.tanh(c)
        out[t] = h
        ws[t, :, :4 * H] = gates
        ws[t, :, 4 * H:] = c
    return out, h, c, ws


def _sigmoid_(x):
    np.negative(x, out=x)
    np.exp(x, out=x)
    x += 1
    np.reciprocal(x, out=x)


def _lstm_layer_backward_kernel(g_out, g_hy, g_cy, x, w_ih, w_hh, h0, c0, out, ws, reverse, **_):
    T, B = x.shape[0], x.shape[1]
    H = w_hh.shape[1]
    order = _ifog(H)
    w_hh_r = w_hh[order]
    dgates = np.empty((T, B, 4 * H), x.dtype)       # in (i, f, o, g) order
    h_prev = np.empty((T, B, H), x.dtype)
    dh, dc = g_hy.copy(), g_cy.copy()
    for t in (range(T) if reverse else range(T - 1, -1, -1)):   # backwards through the recurrence
        prev = t + 1 if reverse else t - 1
        first = prev < 0 or prev >= T
        c_prev = c0 if first else ws[prev, :, 4 * H:]
        h_prev[t] = h0 if first else out[prev]
        i, f, o, g, c = (ws[t, :, k * H:(k + 1) * H] for k in range(5))
        dh += g_out[t]
        tc = np.tanh(c)
        dc += dh * o * (1 - tc * tc)
        d = dgates[t]
        d[:, :H] = dc * g * i * (1 - i)
        d[:, H:2 * H] = dc * c_prev * f * (1 - f)
        d[:, 2 * H:3 * H] = dh * tc * o * (1 - o)
        d[:, 3 * H:] = dc * i * (1 - g * g)
        dc *= f
        dh = d @ w_hh_r
    flat = dgates.reshape(T * B, 4 * H)
    grad_x = (flat @ w_ih[order]).reshape(x.shape)
    back = np.argsort(order)                        # (i, f, o, g) rows back to torch's order
    grad_w_ih = (flat.T @ x.reshape(T * B, -1))[back]
    grad_w_hh = (flat.T @ h_prev.reshape(T * B, H))[back]
    grad_b = flat.sum(axis=0)[back]
    return grad_x, grad_w_ih, grad_w_hh, grad_b, grad_b.copy(), dh, dc


LSTM_LAYER_BACKWARD = _without_derivative(
    "mkldnn_rnn_layer_backward", _lstm_layer_backward_kernel,
    ("grad_output", "grad_hy", "grad_cy", "input", "weight0", "weight1", "hx_", "cx_", "output", "workspace"))


def _lstm_grads(c, g, input, weight0, weight1, hx_, cx_):
    grads = c.__dict__.get("_grads")
    if grads is None:
        from .creation import zeros_like
        g_out = g[0] if g[0] is not None else zeros_like(c.output)
        g_hy = g[1] if g[1] is not None else zeros_like(hx_)
        g_cy = g[2] if g[2] is not None else zeros_like(cx_)
        grads = c.__dict__["_grads"] = LSTM_LAYER_BACKWARD(
            g_out, g_hy, g_cy, input, weight0, weight1, hx_, cx_, c.output, c.workspace, reverse=c.reverse)
    return grads


def _lstm_grad(k):
    return lambda c, g: _lstm_grads(c, g, c.input, c.weight0, c.weight1, c.hx_, c.cx_)[k]


_LSTM_INPUTS = ("input", "weight0", "weight1", "weight2", "weight3", "hx_", "cx_")
LSTM_LAYER = Op("mkldnn_rnn_layer", _lstm_layer_kernel, node="MkldnnRnnLayerBackward0", inputs=_LSTM_INPUTS,
                promote=None, multi_output=True, differentiable_outputs=(0, 1, 2),
                grads={name: _lstm_grad(k) for k, name in enumerate(_LSTM_INPUTS)})


def lstm_layer(input: Tensor, w_ih: Tensor, w_hh: Tensor, b_ih: Tensor, b_hh: Tensor, hx: Tensor,
               cx: Tensor, reverse: bool):
    """at::mkldnn_rnn_layer for one LSTM layer and direction: (output, hy, cy)."""
    out, hy, cy, ws = LSTM_LAYER(input, w_ih, w_hh, b_ih, b_hh, hx, cx, reverse=reverse)
    node = out._grad_fn
    if node is not None:
        node.save("output", out, is_output=True)
        node.save("workspace", ws)
    return out, hy, cy
