"""take and put: indexing a tensor as if flattened (C order), negative indices counting from the
end. put is internal for now: take's derivative (take_backward) is zeros_like(self).put_(index,
grad, accumulate=True), so create_graph gradients carry PutBackward0 as in torch. The index is a
kernel attribute and is saved on the node (scatter.py's convention), never a graph input."""
from __future__ import annotations

import numpy as np

from .._core import messages
from . import shape as S
from .creation import zeros_like
from .dispatch import Op
from .scatter import _call, _dtype_short, _index_tensor


def _flat_index(indexarr: np.ndarray, numel: int) -> np.ndarray:
    """ATen's take/put index checks: the index must not read an empty tensor or past its end."""
    if numel == 0 and indexarr.size:
        raise IndexError(messages.TAKE_EMPTY)
    bad = (indexarr >= numel) | (indexarr < -numel)
    if bad.any():
        first = int(indexarr[bad].reshape(-1)[0])
        raise IndexError(messages.TAKE_OUT_OF_RANGE.format(index=first, numel=numel))
    return np.where(indexarr < 0, indexarr + numel, indexarr)


def _take_kernel(a, indexarr):
    if indexarr.dtype != np.int64:
        raise RuntimeError(messages.TAKE_INDEX_DTYPE.format(dtype=_dtype_short(indexarr)))
    return a.reshape(-1)[_flat_index(indexarr, a.size)]  # the index's shape


def _put_kernel(a, source, indexarr, accumulate):
    # ATen's put_ checks, met by take's backward when the saved index's .data was replaced
    if indexarr.dtype != np.int64:
        raise RuntimeError(messages.PUT_INDEX_DTYPE.format(dtype=_dtype_short(indexarr)))
    if source.size != indexarr.size:
        raise IndexError(messages.PUT_NUMEL.format(source=source.size, index=indexarr.size))
    out = np.array(a, copy=True, order="C")
    flat = out.reshape(-1)  # a view of the copy
    index = _flat_index(indexarr, a.size).reshape(-1)
    if accumulate:
        np.add.at(flat, index, source.reshape(-1))
    else:
        flat[index] = source.reshape(-1)  # a repeated index keeps the last value
    return out


def _put(self, index, source, accumulate):
    return _call(PUT, self, source, indexarr=index._data, accumulate=accumulate, saved={"index": index})


def _put_self_grad(c, g):
    return g if c.accumulate else _put(g, c.index, zeros_like(c.source), False)


# derivatives.yaml: put's self gets grad (or grad with the written places zeroed), source gets
# grad.take(index).reshape_as(source); take's self gets take_backward(grad, self, index)
PUT = Op("put", _put_kernel, node="PutBackward0", inputs=("self", "source"), promote=None,
         grads={"self": _put_self_grad,
                "source": lambda c, g: S.reshape(take(g, c.index), c.shapes[1])})
TAKE = Op("take", _take_kernel, node="TakeBackward0", promote=None,
          grads={"self": lambda c, g: _put(zeros_like(c.self), c.index, g, True)})


def take(self, index):
    index = _index_tensor(index)
    return _call(TAKE, self, indexarr=index._data, saved={"index": index})
