"""Ops behind attention and recurrent layers: ATen's CPU flash attention (one fused node, as
torch records ScaledDotProductFlashAttentionForCpuBackward0), _safe_softmax (the math path's
softmax: fully masked rows give 0, not NaN), baddbmm and repeat (used by F.multi_head_attention_forward).

Flash attention saves query, key, value, output and logsumexp; its backward recomputes the
probabilities from logsumexp, as ATen's kernel does. Like ATen's, that backward is not itself
differentiable. See NOTE [Flash attention on numpy]."""
from __future__ import annotations

import numpy as np

from .._core import messages
from .._tensor import Tensor
from .dispatch import Op
from .linalg import bmm
from .reduction import sum as _sum
from .shape import reshape, transpose

# NOTE [Flash attention on numpy]
# torch's CPU flash kernel runs over blocks with an online softmax; here the whole score matrix
# S = q @ k^T * scale (+ mask) is one batched np.matmul over the leading (batch, head) axes, which
# is exact softmax attention: the values agree with torch's to float rounding. Rows whose keys are
# all masked give an output of 0 and a gradient of 0, as torch's kernel does. The probabilities
# are kept on the node (torch recomputes them from logsumexp; numpy is better served by memory).
# Grouped-query attention (fewer key/value heads) repeats the heads in the kernel and sums their
# gradients back.


def _causal_bias(L: int, S: int, dtype) -> np.ndarray:
    """Upper-left aligned causal mask as an additive bias: -inf where key j > query i."""
    above = np.arange(S)[None, :] > np.arange(L)[:, None]
    return np.where(above, np.asarray(-np.inf, dtype), np.asarray(0, dtype))


def _scores(q, k, scale, mask, is_causal):
    s = np.matmul(q, np.swapaxes(k, -1, -2))
    s *= np.asarray(scale, s.dtype)
    if mask is not None:
        s += mask
    if is_causal:
        s += _causal_bias(s.shape[-2], s.shape[-1], s.dtype)
    return s


def _repeat_heads(k, q_heads):
    rep = q_heads // k.shape[-3]
    return k if rep == 1 else np.repeat(k, rep, axis=-3)


def _flash_kernel(q, k, v, scale, mask, is_causal, **_):
    k, v = _repeat_heads(k, q.shape[-3]), _repeat_heads(v, q.shape[-3])
    s = _scores(q, k, scale, mask, is_causal)
    m = s.max(axis=-1, keepdims=True)
    dead = np.isneginf(m)                       # every key masked out
    m[dead] = 0
    s -= m
    p = np.exp(s, out=s)
    denom = p.sum(axis=-1, keepdims=True)
    lse = (m + np.log(denom))[..., 0]
    denom[dead] = 1
    p /= denom
    out = np.matmul(p, v)
    lse[dead[..., 0]] = np.inf
    return out, lse, p


def _group_sum(g, kv_heads):
    """Sum the gradient of repeated key/value heads back onto their kv head."""
    h = g.shape[-3]
    if h == kv_heads:
        return g
    return g.reshape(g.shape[:-3] + (kv_heads, h // kv_heads) + g.shape[-2:]).sum(axis=-3)


def _flash_backward_kernel(g, q, k, v, out, lse, scale, mask, is_causal, probs, **_):
    kv_heads = k.shape[-3]
    k, v = _repeat_heads(k, q.shape[-3]), _repeat_heads(v, q.shape[-3])
    p = probs
    if p is None:  # recomputed from logsumexp, as ATen's kernel does
        s = _scores(q, k, scale, mask, is_causal)
        s -= lse[..., None]
        p = np.exp(s, out=s)
    grad_v = np.matmul(np.swapaxes(p, -1, -2), g)
    dp = np.matmul(g, np.swapaxes(v, -1, -2))
    delta = (g * out).sum(axis=-1, keepdims=True)
    dp -= delta
    dp *= p
    dp *= np.asarray(scale, dp.dtype)           # dS * scale
    grad_q = np.matmul(dp, k)
    grad_k = np.matmul(np.swapaxes(dp, -1, -2), q)
    return grad_q, _group_sum(grad_k, kv_heads), _group_sum(grad_v, kv_heads)


def _no_double_backward(c, g):
    raise RuntimeError(messages.DERIVATIVE_NOT_IMPLEMENTED.format(
        name="aten::_scaled_dot_product_flash_attention_for_cpu_backward"))


_FLASH_BACKWARD_INPUTS = ("grad_out", "query", "key", "value", "out", "logsumexp")
# torch records its NotImplemented node for ops without a derivative formula
FLASH_BACKWARD = Op("_scaled_dot_product_flash_attention_for_cpu_backward", _flash_backward_kernel,
                    node="NotImplemented", inputs=_FLASH_BACKWARD_INPUTS, promote=None, multi_output=True,
                    grads=dict.fromkeys(_FLASH_BACKWARD_INPUTS, _no_double_backward))
FLASH_BACKWARD.node_cls.name = lambda self: "torch::autograd::NotImplemented"


def _flash_grads(c, g, query, key, value):
    """The three input gradients, computed once per backward call (cached on the context)."""
    grads = c.__dict__.get("_grads")
    if grads is None:
        grads = c.__dict__["_grads"] = FLASH_BACKWARD(
            g[0], query, key, value, c.output, c.logsumexp, scale=c.scale, mask=c.mask,
            is_causal=c.is_causal, probs=c.__dict__.get("probs"))
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
        node._attrs["probs"] = probs._data  # spares the backward a recomputation
    return out


# ---- _safe_softmax -----------------------------------------------------------------------------
def _safe_softmax_kernel(a, dim):
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


# ---- baddbmm and repeat ------------------------------------------------------------------------
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


def _repeat_backward(g, shape, repeats):
    """Sum the tiles: view the gradient as (r0, s0, r1, s1, ...) and reduce the r axes."""
    lead = len(repeats) - len(shape)
    if lead:
        g = _sum(g, tuple(range(lead)))
    sizes, dims = [], []
    for i, (r, s) in enumerate(zip(repeats[lead:], shape)):
        sizes += [r, s]
        dims.append(2 * i)
    return _sum(reshape(g, tuple(sizes)), tuple(dims)) if sizes else g


REPEAT = Op("repeat", lambda a, repeats: np.tile(a, repeats), node="RepeatBackward0", promote=None,
            grads={"self": lambda c, g: _repeat_backward(g, c.shapes[0], c.repeats)})


def repeat(input: Tensor, *repeats) -> Tensor:
    if len(repeats) == 1 and isinstance(repeats[0], (tuple, list)):
        repeats = tuple(repeats[0])
    if len(repeats) < input.dim():
        raise RuntimeError(messages.REPEAT_DIMS)
    return REPEAT(input, repeats=tuple(int(r) for r in repeats))
