"""embedding_bag (EmbeddingBagBackward0): rows of `weight` picked by `indices`, reduced per bag (sum,
mean or max), bags starting at `offsets`. Four outputs as ATen's _embedding_bag: the result, offset2bag
(each index's bag), bag_size (indices counted per bag, padding excluded; zeros in sum mode) and
max_indices (the winning rows in max mode; bag_size in mean mode; zeros in sum mode). Only the
result is differentiable; its gradients are computed by kernels of their own, without a graph (as
torch's dense embedding_bag backward, which records none either)."""
from __future__ import annotations

import numpy as np

from .._tensor import Tensor
from .dispatch import Op

SUM, MEAN, MAX = 0, 1, 2


def bag_layout(indices: np.ndarray, offsets: np.ndarray, include_last_offset: bool):
    """(number of bags, offset2bag): index j belongs to the last bag starting at or before j."""
    bags = len(offsets) - 1 if include_last_offset else len(offsets)
    offset2bag = np.searchsorted(offsets[:bags], np.arange(len(indices)), side="right") - 1
    return bags, offset2bag.astype(np.int64)


def _kernel(w, psw, indices, offsets, mode, include_last_offset, padding_idx, has_psw, **_):
    idx = indices._data.astype(np.int64)
    bags, offset2bag = bag_layout(idx, offsets._data.astype(np.int64), include_last_offset)
    dim = w.shape[1]
    if bags == 0:
        empty = np.zeros(0, np.int64)
        winners = empty if mode != MAX else np.zeros((0, dim), np.int64)
        return np.zeros((0, dim), w.dtype), offset2bag, empty, winners
    valid = idx != padding_idx
    out = np.zeros((bags, dim), w.dtype)
    sizes = np.bincount(offset2bag[valid], minlength=bags).astype(np.int64)[:bags]
    max_indices = np.zeros((bags, dim), np.int64)
    if mode == MAX:
        for b in range(bags):
            rows = idx[(offset2bag == b) & valid]
            if len(rows):
                values = w[rows]
                winner = np.argmax(values, axis=0)  # the first maximum, as ATen's strict '>'
                out[b] = values[winner, np.arange(dim)]
                max_indices[b] = rows[winner]
    else:
        rows = w[idx]
        if has_psw:
            rows = rows * psw[:, None]
        rows = np.where(valid[:, None], rows, np.zeros((), w.dtype))
        np.add.at(out, offset2bag, rows)
        if mode == MEAN:
            out = np.where(sizes[:, None] > 0, out / np.maximum(sizes, 1)[:, None].astype(w.dtype), out)
    if mode == SUM:
        sizes = np.zeros(bags, np.int64)
        max_indices = np.zeros(bags, np.int64)
    elif mode == MEAN:
        max_indices = sizes.copy()
    return out.astype(w.dtype, copy=False), offset2bag, sizes, max_indices


def _weight_grad(c, g, psw, offset2bag, bag_size, max_indices) -> Tensor:
    grad = g._data
    idx = c.indices._data.astype(np.int64)
    num = c.shapes[0][0]
    out = np.zeros((num, grad.shape[1]), grad.dtype)
    if c.mode == MAX:
        rows = max_indices._data
        filled = bag_size._data > 0
        for d in range(grad.shape[1]):
            np.add.at(out[:, d], rows[filled, d], grad[filled, d])
        return Tensor._make(out)
    o2b = offset2bag._data
    contrib = grad[o2b] if len(o2b) else np.zeros((0, grad.shape[1]), grad.dtype)
    if c.has_psw:
        contrib = contrib * psw._data[:, None]
    if c.mode == MEAN:
        contrib = contrib / np.maximum(bag_size._data[o2b], 1)[:, None].astype(grad.dtype)
    if c.scale_grad_by_freq and len(idx):
        # ATen's dense backward divides the i-th distinct index's gradient by the count of the
        # i-th *sorted* index (counts[indices_data[i]]), not by its own count: torch's numbers
        counts = np.bincount(idx, minlength=num)
        ordered = np.sort(idx)
        distinct = np.unique(ordered)
        factor = np.ones(num)
        factor[distinct] = 1.0 / counts[ordered[:len(distinct)]]
        contrib = contrib * factor[idx][:, None].astype(grad.dtype)
    keep = idx != c.padding_idx
    np.add.at(out, idx[keep], contrib[keep])
    return Tensor._make(out)


def _psw_grad(c, g, weight, offset2bag) -> Tensor:
    idx = c.indices._data.astype(np.int64)
    grad = g._data
    o2b = offset2bag._data
    out = np.einsum("nd,nd->n", grad[o2b], weight._data[idx]) if len(idx) else np.zeros(0, grad.dtype)
    out = np.where(idx != c.padding_idx, out, np.zeros((), grad.dtype))
    return Tensor._make(out.astype(grad.dtype, copy=False))


EMBEDDING_BAG = Op(
    "_embedding_bag", _kernel, node="EmbeddingBagBackward0", inputs=("weight", "per_sample_weights"),
    promote=None, multi_output=True, differentiable_outputs=(0,),
    grads={"weight": lambda c, g: _weight_grad(c, g[0], c.per_sample_weights, c.result1, c.result2,
                                               c.result3),
           "per_sample_weights": lambda c, g: _psw_grad(c, g[0], c.weight, c.result1)})


def embedding_bag(weight: Tensor, indices: Tensor, offsets: Tensor, scale_grad_by_freq: bool, mode: int,
                  sparse: bool, per_sample_weights, include_last_offset: bool, padding_idx: int):
    psw = per_sample_weights
    if psw is None:
        psw = Tensor._make(np.zeros(0, weight._data.dtype))
    outs = EMBEDDING_BAG(weight, psw, indices=indices, offsets=offsets, mode=mode,
                         include_last_offset=include_last_offset, padding_idx=padding_idx,
                         has_psw=per_sample_weights is not None, scale_grad_by_freq=scale_grad_by_freq,
                         sparse=sparse)
    fn = outs[0]._grad_fn
    if fn is not None and type(fn).__name__ == "EmbeddingBagBackward0":
        for k in (1, 2, 3):
            fn.save(f"result{k}", outs[k], is_output=True, output_nr=k)
    return outs


# ---- pdist (PdistBackward0; its backward has no derivative, as torch's) ------------------------------
def _pair_rows(n: int):
    return np.triu_indices(n, 1)


def _pdist_kernel(x, p, **_):
    n = x.shape[0]
    i, j = _pair_rows(n)
    diff = np.abs(x[i] - x[j])
    if p == 0:
        out = (diff != 0).sum(-1).astype(x.dtype)
    elif p == 1:
        out = diff.sum(-1)
    elif p == 2:
        out = np.sqrt((diff * diff).sum(-1))
    elif np.isinf(p):
        out = diff.max(-1) if diff.shape[-1] else np.zeros(len(i), x.dtype)
    else:
        out = (diff ** x.dtype.type(p)).sum(-1) ** x.dtype.type(1.0 / p)
    return np.asarray(out, x.dtype).reshape(len(i))


def _pdist_backward_kernel(g, x, result, p, **_):
    """PDistKernel's backward: per pair, the derivative of the p-norm of x_i - x_j (0 where the
    distance is 0), added to row i and subtracted from row j."""
    n = x.shape[0]
    out = np.zeros(x.shape, x.dtype)
    if n < 2 or p == 0:
        return out
    i, j = _pair_rows(n)
    diff = x[i] - x[j]
    dist = result[:, None]
    grad = g[:, None]
    one = x.dtype.type(1)
    with np.errstate(all="ignore"):
        if p == 1:
            k = np.sign(diff) * grad
        elif p < 2:
            pp = x.dtype.type(p)
            k = np.sign(diff) * np.abs(diff) ** (pp - one) * grad / dist ** (pp - one)
            k = np.where(dist == 0, 0, k)
            if p < 1:
                k = np.where(diff == 0, 0, k)
        elif p == 2:
            k = np.where(dist == 0, 0, grad * diff / dist)
        elif np.isinf(p):
            k = grad * np.sign(diff) * (np.abs(diff) == dist)
        else:
            pp = x.dtype.type(p)
            k = np.where(dist == 0, 0, diff * np.abs(diff) ** (pp - 2 * one) * grad / dist ** (pp - one))
    k = k.astype(x.dtype, copy=False)
    np.add.at(out, i, k)
    np.add.at(out, j, -k)
    return out


def _not_implemented(name: str):
    def formula(c, g):
        from .._core import messages
        raise NotImplementedError(messages.DERIVATIVE_NOT_IMPLEMENTED_QUOTED.format(name=name))
    return formula


PDIST_BACKWARD = Op("_pdist_backward", _pdist_backward_kernel, node="PdistBackwardBackward0",
                    inputs=("grad", "self", "pdist"), promote=None,
                    grads={"grad": _not_implemented("_pdist_backward"),
                           "self": _not_implemented("_pdist_backward"),
                           "pdist": _not_implemented("_pdist_backward")})
PDIST = Op("_pdist_forward", _pdist_kernel, node="PdistBackward0", promote=None,
           grads={"self": lambda c, g: PDIST_BACKWARD(g, c.self, c.result, p=c.p)})
