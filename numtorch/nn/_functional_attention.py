"""F.scaled_dot_product_attention and F.multi_head_attention_forward (torch/nn/functional.py).

scaled_dot_product_attention picks a backend as ATen's CPU dispatcher does: the fused flash kernel
(one ScaledDotProductFlashAttentionForCpuBackward0 node) when its constraints hold, otherwise the
math path, composed op for op as at::_scaled_dot_product_attention_math (q and k^T each scaled by
sqrt(scale), an in-place add of the mask, _safe_softmax, dropout, matmul).
multi_head_attention_forward is torch's Python function, line for line."""
from __future__ import annotations

import math
import warnings

import numpy as np

from .._core import dtypes as dt
from .._core import messages
from .._ops import attention_ops as A
from .._ops.structure import repeat
from .._ops import pointwise as P
from .._ops.creation import zeros, zeros_like
from .._ops.joining import cat
from .._ops.linalg import bmm, matmul
from .._ops.nn_ops import MUL_SCALAR
from .._tensor import Tensor

__all__ = ["scaled_dot_product_attention", "multi_head_attention_forward"]

_FLASH_DTYPES = (dt.float32, dt.float64, dt.float16)


# ---- scaled_dot_product_attention ----------------------------------------------------------------
def _validate_sdpa_input(query: Tensor, key: Tensor, value: Tensor, attn_mask: Tensor | None) -> None:
    if not (query._dtype is key._dtype is value._dtype):
        raise RuntimeError(messages.SDPA_DTYPES.format(
            q=query._dtype.cpp_name, k=key._dtype.cpp_name, v=value._dtype.cpp_name))
    if query.dim() < 2 or key.dim() < 2 or value.dim() < 2:
        raise RuntimeError(messages.SDPA_DIMS.format(q=query.dim(), k=key.dim(), v=value.dim()))
    if attn_mask is not None:
        md = attn_mask._dtype
        if md is not dt.bool_ and md is not dt.float32 and md is not query._dtype:
            raise RuntimeError(messages.SDPA_MASK_DTYPE.format(m=md.cpp_name, q=query._dtype.cpp_name))


def _mask_ok_for_flash(mask: Tensor | None, query: Tensor, key: Tensor) -> bool:
    """sdp::check_attn_mask_shape: 2-D, or 4-D broadcastable over (batch, heads)."""
    if mask is None:
        return True
    if mask.requires_grad or mask.dim() not in (2, 4):
        return False
    if mask.size(-2) not in (query.size(2), 1) or mask.size(-1) not in (key.size(2), 1):
        return False
    return mask.dim() == 2 or (mask.size(0) in (1, query.size(0)) and mask.size(1) in (1, query.size(1)))


def _use_flash(query: Tensor, key: Tensor, value: Tensor, attn_mask: Tensor | None,
               dropout_p: float, enable_gqa: bool) -> bool:
    """sdp::use_flash_attention_cpp's gates, in their order."""
    if dropout_p > 0.0 or not (query.dim() == key.dim() == value.dim() == 4):
        return False
    if not (query.size(0) == key.size(0) == value.size(0)):
        return False
    qh, kh, vh = query.size(1), key.size(1), value.size(1)
    if enable_gqa:
        if kh != vh or qh % kh:
            return False
    elif not (qh == kh == vh):
        return False
    if not _mask_ok_for_flash(attn_mask, query, key):
        return False
    if not (query.size(-1) == key.size(-1) == value.size(-1)):
        return False
    if 0 in (query.size(2), key.size(2), value.size(2)):
        return False
    if any(t.stride(-1) != 1 for t in (query, key, value)):
        return False
    return query._dtype in _FLASH_DTYPES


def _convert_boolean_attn_mask(mask: Tensor | None, dtype: dt.dtype) -> Tensor | None:
    """A bool mask (True = take part) as an additive float mask of 0 and -inf."""
    if mask is None or mask._dtype is not dt.bool_:
        return mask
    return zeros_like(mask, dtype=dtype).masked_fill_(mask.logical_not(), float("-inf"))


def _repeat_interleave_heads(t: Tensor, repeats: int) -> Tensor:
    if repeats == 1:
        return t
    shape = tuple(t.shape)
    expanded = t.unsqueeze(-3).expand(shape[:-2] + (repeats,) + shape[-2:])
    return expanded.reshape(shape[:-3] + (shape[-3] * repeats,) + shape[-2:])


def _gqa_expand(query: Tensor, key: Tensor, value: Tensor, enable_gqa: bool):
    """pre_process_group_query_attention_input."""
    if not enable_gqa:
        return key, value
    qh, kh, vh = query.size(-3), key.size(-3), value.size(-3)
    all_equal = qh == kh == vh
    if not all_equal and (qh % kh or qh % vh):
        raise RuntimeError(messages.SDPA_GQA_HEADS)
    if all_equal:
        return key, value
    return _repeat_interleave_heads(key, qh // kh), _repeat_interleave_heads(value, qh // vh)


def _sdpa_math(query: Tensor, key: Tensor, value: Tensor, attn_mask: Tensor | None, dropout_p: float,
               is_causal: bool, scale: float | None, enable_gqa: bool) -> Tensor:
    """at::_scaled_dot_product_attention_math: scale q and k^T by sqrt(scale) for stability."""
    negative = scale is not None and scale < 0.0
    softmax_scale = abs(scale) if negative else (scale if scale is not None
                                                 else 1.0 / math.sqrt(query.size(-1)))
    scaling_factor = math.sqrt(softmax_scale)
    q = MUL_SCALAR(query, other=(0.0 - scaling_factor) if negative else scaling_factor)
    if is_causal:
        if attn_mask is not None:
            raise RuntimeError(messages.SDPA_CAUSAL_WITH_MASK)
        L, S = query.size(-2), key.size(-2)
        causal = Tensor._make(np.tril(np.ones((L, S), dtype=bool)))
        attn_mask = _convert_boolean_attn_mask(causal, query._dtype)
    key, value = _gqa_expand(query, key, value, enable_gqa)
    attn = matmul(q, MUL_SCALAR(key.transpose(-2, -1), other=scaling_factor))
    if attn_mask is not None:
        P.ADD.inplace(attn, attn_mask, alpha=1)
    attn = A.safe_softmax(attn, -1)
    if dropout_p > 0.0:
        from .functional import dropout
        attn = dropout(attn, dropout_p, True)
    return matmul(attn, value)


def scaled_dot_product_attention(query: Tensor, key: Tensor, value: Tensor, attn_mask: Tensor | None = None,
                                 dropout_p: float = 0.0, is_causal: bool = False, scale: float | None = None,
                                 enable_gqa: bool = False) -> Tensor:
    _validate_sdpa_input(query, key, value, attn_mask)
    if dropout_p < 0.0 or dropout_p > 1.0:
        raise RuntimeError(messages.DROPOUT_P.format(p=dropout_p))
    if _use_flash(query, key, value, attn_mask, dropout_p, enable_gqa):
        mask = None
        if attn_mask is not None:
            m = attn_mask._data
            if m.dtype == np.bool_:
                mask = np.where(m, 0, -np.inf).astype(query._data.dtype)
            else:
                mask = m.astype(query._data.dtype, copy=False)
        s = scale if scale is not None else 1.0 / math.sqrt(query.size(-1))
        return A.flash_attention(query, key, value, mask, is_causal, s)
    attn_mask = _convert_boolean_attn_mask(attn_mask, query._dtype)
    return _sdpa_math(query, key, value, attn_mask, dropout_p, is_causal, scale, enable_gqa)


# ---- multi_head_attention_forward ----------------------------------------------------------------
def _in_projection_packed(q: Tensor, k: Tensor, v: Tensor, w: Tensor, b: Tensor | None = None):
    from .functional import linear
    E = q.size(-1)
    if k is v:
        if q is k:  # self-attention
            proj = linear(q, w, b)
            proj = proj.unflatten(-1, (3, E)).unsqueeze(0).transpose(0, -2).squeeze(-2).contiguous()
            return proj[0], proj[1], proj[2]
        w_q, w_kv = w.split([E, E * 2])
        b_q, b_kv = (None, None) if b is None else b.split([E, E * 2])
        q_proj = linear(q, w_q, b_q)
        kv_proj = linear(k, w_kv, b_kv)
        kv_proj = kv_proj.unflatten(-1, (2, E)).unsqueeze(0).transpose(0, -2).squeeze(-2).contiguous()
        return q_proj, kv_proj[0], kv_proj[1]
    w_q, w_k, w_v = w.chunk(3)
    b_q, b_k, b_v = (None, None, None) if b is None else b.chunk(3)
    return linear(q, w_q, b_q), linear(k, w_k, b_k), linear(v, w_v, b_v)


def _in_projection(q, k, v, w_q, w_k, w_v, b_q=None, b_k=None, b_v=None):
    from .functional import linear
    Eq, Ek, Ev = q.size(-1), k.size(-1), v.size(-1)
    for name, w, shape in (("query", w_q, (Eq, Eq)), ("key", w_k, (Eq, Ek)), ("value", w_v, (Eq, Ev))):
        if w.shape != shape:
            raise AssertionError(messages.MHA_PROJ_WEIGHT.format(name=name, shape=shape, got=w.shape))
    for name, b in (("query", b_q), ("key", b_k), ("value", b_v)):
        if b is not None and b.shape != (Eq,):
            raise AssertionError(messages.MHA_PROJ_BIAS.format(name=name, shape=(Eq,), got=b.shape))
    return linear(q, w_q, b_q), linear(k, w_k, b_k), linear(v, w_v, b_v)


def _mha_shape_check(query: Tensor, key: Tensor, value: Tensor, key_padding_mask: Tensor | None,
                     attn_mask: Tensor | None, num_heads: int) -> bool:
    """Whether the input is batched; torch's AssertionErrors for the wrong ranks."""
    if query.dim() == 3:
        if key.dim() != 3 or value.dim() != 3:
            raise AssertionError(messages.MHA_BATCHED_KV.format(k=key.dim(), v=value.dim()))
        if key_padding_mask is not None and key_padding_mask.dim() != 2:
            raise AssertionError(messages.MHA_BATCHED_KPM.format(d=key_padding_mask.dim()))
        if attn_mask is not None and attn_mask.dim() not in (2, 3):
            raise AssertionError(messages.MHA_BATCHED_MASK.format(d=attn_mask.dim()))
        return True
    if query.dim() == 2:
        if key.dim() != 2 or value.dim() != 2:
            raise AssertionError(messages.MHA_UNBATCHED_KV.format(k=key.dim(), v=value.dim()))
        if key_padding_mask is not None and key_padding_mask.dim() != 1:
            raise AssertionError(messages.MHA_UNBATCHED_KPM.format(d=key_padding_mask.dim()))
        if attn_mask is not None:
            if attn_mask.dim() not in (2, 3):
                raise AssertionError(messages.MHA_UNBATCHED_MASK.format(d=attn_mask.dim()))
            if attn_mask.dim() == 3:
                expected = (num_heads, query.shape[0], key.shape[0])
                if attn_mask.shape != expected:
                    raise AssertionError(messages.MHA_MASK_3D_SHAPE.format(
                        expected=expected, got=attn_mask.shape))
        return False
    raise AssertionError(messages.MHA_QUERY_DIM.format(d=query.dim()))


def _canonical_mask(mask: Tensor | None, mask_name: str, other_type, other_name: str, target_type,
                    check_other: bool = True) -> Tensor | None:
    if mask is not None:
        mask_dtype = mask._dtype
        mask_is_float = mask.is_floating_point()
        if mask_dtype is not dt.bool_ and not mask_is_float:
            raise AssertionError(messages.MHA_MASK_TYPES.format(name=mask_name))
        if check_other and other_type is not None and mask_dtype is not other_type:
            warnings.warn(messages.W_MHA_MASK_MISMATCH.format(name=mask_name, other=other_name),
                          stacklevel=2)
        if not mask_is_float:
            mask = zeros_like(mask, dtype=target_type).masked_fill_(mask, float("-inf"))
    return mask


def _none_or_dtype(input: Tensor | None):
    if input is None:
        return None
    if isinstance(input, Tensor):
        return input.dtype
    raise RuntimeError(messages.MHA_NONE_OR_DTYPE)


def _check_key_padding_mask(key_padding_mask: Tensor, src_len: int, bsz: int) -> None:
    if key_padding_mask.shape[0] != bsz:
        raise AssertionError(messages.MHA_KPM_SIZE.format(i=0, expected=bsz, got=key_padding_mask.shape[0]))
    if key_padding_mask.shape[1] != src_len:
        raise AssertionError(messages.MHA_KPM_SIZE.format(i=1, expected=src_len,
                                                          got=key_padding_mask.shape[1]))


def multi_head_attention_forward(query: Tensor, key: Tensor, value: Tensor, embed_dim_to_check: int,
                                 num_heads: int, in_proj_weight: Tensor | None, in_proj_bias: Tensor | None,
                                 bias_k: Tensor | None, bias_v: Tensor | None, add_zero_attn: bool,
                                 dropout_p: float, out_proj_weight: Tensor, out_proj_bias: Tensor | None,
                                 training: bool = True, key_padding_mask: Tensor | None = None,
                                 need_weights: bool = True, attn_mask: Tensor | None = None,
                                 use_separate_proj_weight: bool = False,
                                 q_proj_weight: Tensor | None = None, k_proj_weight: Tensor | None = None,
                                 v_proj_weight: Tensor | None = None, static_k: Tensor | None = None,
                                 static_v: Tensor | None = None, average_attn_weights: bool = True,
                                 is_causal: bool = False):
    from .functional import dropout, linear, pad, softmax
    is_batched = _mha_shape_check(query, key, value, key_padding_mask, attn_mask, num_heads)
    if not is_batched:  # pretend to be batched; squeeze the batch dimension at the end
        query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
        if key_padding_mask is not None:
            key_padding_mask = key_padding_mask.unsqueeze(0)
    tgt_len, bsz, embed_dim = query.shape
    src_len = key.shape[0]
    key_padding_mask = _canonical_mask(key_padding_mask, "key_padding_mask", _none_or_dtype(attn_mask),
                                       "attn_mask", query.dtype)
    if is_causal and attn_mask is None:
        raise RuntimeError(messages.MHA_CAUSAL_NEEDS_MASK)
    if is_causal and key_padding_mask is None and not need_weights:
        attn_mask = None  # the is_causal hint goes to SDPA as is
    else:
        attn_mask = _canonical_mask(attn_mask, "attn_mask", None, "", query.dtype, check_other=False)
        if key_padding_mask is not None:
            is_causal = False  # the merged mask is no longer causal
    if embed_dim != embed_dim_to_check:
        raise AssertionError(messages.MHA_EMBED_DIM.format(expected=embed_dim_to_check, got=embed_dim))
    head_dim = embed_dim // num_heads
    if head_dim * num_heads != embed_dim:
        raise AssertionError(messages.MHA_NOT_DIVISIBLE.format(embed_dim=embed_dim, num_heads=num_heads))
    if use_separate_proj_weight:
        if key.shape[:2] != value.shape[:2]:
            raise AssertionError(messages.MHA_KV_SEQ_BATCH.format(k=key.shape[:2], v=value.shape[:2]))
    elif key.shape != value.shape:
        raise AssertionError(messages.MHA_KV_SHAPE.format(k=key.shape, v=value.shape))

    # in-projection
    if not use_separate_proj_weight:
        if in_proj_weight is None:
            raise AssertionError(messages.MHA_NO_IN_PROJ)
        q, k, v = _in_projection_packed(query, key, value, in_proj_weight, in_proj_bias)
    else:
        for name, w in (("q", q_proj_weight), ("k", k_proj_weight), ("v", v_proj_weight)):
            if w is None:
                raise AssertionError(messages.MHA_NO_SEPARATE_PROJ.format(name=name))
        b_q, b_k, b_v = (None, None, None) if in_proj_bias is None else in_proj_bias.chunk(3)
        q, k, v = _in_projection(query, key, value, q_proj_weight, k_proj_weight, v_proj_weight,
                                 b_q, b_k, b_v)

    # attention mask as 3-D
    if attn_mask is not None:
        if attn_mask.dim() == 2:
            correct_2d_size = (tgt_len, src_len)
            if attn_mask.shape != correct_2d_size:
                raise RuntimeError(messages.MHA_MASK_2D.format(got=attn_mask.shape, expected=correct_2d_size))
            attn_mask = attn_mask.unsqueeze(0)
        elif attn_mask.dim() == 3:
            correct_3d_size = (bsz * num_heads, tgt_len, src_len)
            if attn_mask.shape != correct_3d_size:
                raise RuntimeError(messages.MHA_MASK_3D.format(got=attn_mask.shape, expected=correct_3d_size))
        else:
            raise RuntimeError(messages.MHA_MASK_DIM.format(d=attn_mask.dim()))

    # bias along the batch dimension (second)
    if bias_k is not None and bias_v is not None:
        if static_k is not None:
            raise AssertionError(messages.MHA_BIAS_STATIC.format(name="key"))
        if static_v is not None:
            raise AssertionError(messages.MHA_BIAS_STATIC.format(name="value"))
        k = cat([k, repeat(bias_k, 1, bsz, 1)])
        v = cat([v, repeat(bias_v, 1, bsz, 1)])
        if attn_mask is not None:
            attn_mask = pad(attn_mask, (0, 1))
        if key_padding_mask is not None:
            key_padding_mask = pad(key_padding_mask, (0, 1))
    elif bias_k is not None:
        raise AssertionError(messages.MHA_BIAS_HALF.format(a="bias_k", b="bias_v"))
    elif bias_v is not None:
        raise AssertionError(messages.MHA_BIAS_HALF.format(a="bias_v", b="bias_k"))

    # heads into the batch dimension, batch first
    q = q.view(tgt_len, bsz * num_heads, head_dim).transpose(0, 1)
    if static_k is None:
        k = k.view(k.shape[0], bsz * num_heads, head_dim).transpose(0, 1)
    else:
        _check_static(static_k, "static_k", bsz * num_heads, head_dim)
        k = static_k
    if static_v is None:
        v = v.view(v.shape[0], bsz * num_heads, head_dim).transpose(0, 1)
    else:
        _check_static(static_v, "static_v", bsz * num_heads, head_dim)
        v = static_v

    if add_zero_attn:
        zero_attn_shape = (bsz * num_heads, 1, head_dim)
        k = cat([k, zeros(zero_attn_shape, dtype=k.dtype)], dim=1)
        v = cat([v, zeros(zero_attn_shape, dtype=v.dtype)], dim=1)
        if attn_mask is not None:
            attn_mask = pad(attn_mask, (0, 1))
        if key_padding_mask is not None:
            key_padding_mask = pad(key_padding_mask, (0, 1))
    src_len = k.size(1)

    # merge key padding and attention masks
    if key_padding_mask is not None:
        _check_key_padding_mask(key_padding_mask, src_len, bsz)
        key_padding_mask = key_padding_mask.view(bsz, 1, 1, src_len).expand(-1, num_heads, -1, -1) \
            .reshape(bsz * num_heads, 1, src_len)
        attn_mask = key_padding_mask if attn_mask is None else attn_mask + key_padding_mask

    if not training:
        dropout_p = 0.0

    if need_weights:
        _B, _Nt, E = q.shape
        q_scaled = q * math.sqrt(1.0 / float(E))
        if is_causal and attn_mask is None:
            raise AssertionError("FIXME: is_causal not implemented for need_weights")
        if attn_mask is not None:
            attn_output_weights = A.baddbmm(attn_mask, q_scaled, k.transpose(-2, -1))
        else:
            attn_output_weights = bmm(q_scaled, k.transpose(-2, -1))
        attn_output_weights = softmax(attn_output_weights, dim=-1)
        if dropout_p > 0.0:
            attn_output_weights = dropout(attn_output_weights, p=dropout_p)
        attn_output = bmm(attn_output_weights, v)
        attn_output = attn_output.transpose(0, 1).reshape(tgt_len * bsz, embed_dim)
        attn_output = linear(attn_output, out_proj_weight, out_proj_bias)
        attn_output = attn_output.view(tgt_len, bsz, attn_output.size(1))
        attn_output_weights = attn_output_weights.view(bsz, num_heads, tgt_len, src_len)
        if average_attn_weights:
            attn_output_weights = attn_output_weights.mean(dim=1)
        if not is_batched:
            attn_output = attn_output.squeeze(1)
            attn_output_weights = attn_output_weights.squeeze(0)
        return attn_output, attn_output_weights

    # attn_mask is (L, S) as (1, L, S), or (N * num_heads, L, S): as 4-D for SDPA
    if attn_mask is not None:
        if attn_mask.size(0) == 1 and attn_mask.dim() == 3:
            attn_mask = attn_mask.unsqueeze(0)
        else:
            attn_mask = attn_mask.view(bsz, num_heads, -1, src_len)
    q = q.view(bsz, num_heads, tgt_len, head_dim)
    k = k.view(bsz, num_heads, src_len, head_dim)
    v = v.view(bsz, num_heads, src_len, head_dim)
    attn_output = scaled_dot_product_attention(q, k, v, attn_mask, dropout_p, is_causal)
    attn_output = attn_output.permute(2, 0, 1, 3).reshape(bsz * tgt_len, embed_dim)
    attn_output = linear(attn_output, out_proj_weight, out_proj_bias)
    attn_output = attn_output.view(tgt_len, bsz, attn_output.size(1))
    if not is_batched:
        attn_output = attn_output.squeeze(1)
    return attn_output, None


def _check_static(t: Tensor, name: str, batch_heads: int, head_dim: int) -> None:
    for i, expected in ((0, batch_heads), (2, head_dim)):
        if t.size(i) != expected:
            raise AssertionError(messages.MHA_STATIC_SIZE.format(name=name, i=i, expected=expected,
                                                                 got=t.size(i)))
