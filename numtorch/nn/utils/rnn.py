"""torch.nn.utils.rnn: PackedSequence and the packing/padding helpers (torch/nn/utils/rnn.py).

Packing is one op, as ATen's `_pack_padded_sequence`: its node is PackPaddedSequenceBackward0
(saving the input sizes, batch_first and the batch sizes), and its gradient is composed from
numtorch ops as ATen's `_pack_padded_sequence_backward` (zeros, then one slice copy per time step),
so double backward works. Padding (`_pad_packed_sequence`, `pad_sequence`) is composed as ATen
composes it on the CPU: a `full` tensor and slice copies, which records the same CopySlices /
ViewBackward0 / SliceBackward0 chains as torch. The batch sizes are an int64 CPU tensor."""
from __future__ import annotations

import numbers
from collections.abc import Iterable
from typing import NamedTuple

import numpy as np

from ..._core import dtypes as dt
from ..._core import messages
from ..._ops.creation import arange, as_tensor, empty, empty_like, tensor, zeros
from ..._ops.dispatch import Op
from ..._tensor import Tensor

__all__ = ["PackedSequence", "invert_permutation", "pack_padded_sequence", "pad_packed_sequence",
           "pad_sequence", "unpad_sequence", "pack_sequence", "unpack_sequence"]


# ---- PackedSequence --------------------------------------------------------------------------------
class PackedSequence_(NamedTuple):
    data: Tensor
    batch_sizes: Tensor
    sorted_indices: Tensor | None
    unsorted_indices: Tensor | None


def _bind(optional, fn):
    return None if optional is None else fn(optional)


class PackedSequence(PackedSequence_):
    """The data and batch sizes of a packed batch of sequences (build it with pack_padded_sequence
    or pack_sequence). `batch_sizes` is an int64 CPU tensor; `sorted_indices` and
    `unsorted_indices` are the permutation applied to the batch and its inverse, or None."""

    def __new__(cls, data, batch_sizes=None, sorted_indices=None, unsorted_indices=None):
        return super().__new__(cls, *_packed_sequence_init_args(data, batch_sizes, sorted_indices,
                                                                 unsorted_indices))

    def pin_memory(self):
        raise RuntimeError(messages.NO_ACCELERATOR)

    def to(self, *args, **kwargs):
        """Converts `data` like Tensor.to; the index tensors follow data's device only, and
        batch_sizes stays as it is. Returns self when data is unchanged."""
        data = self.data.to(*args, **kwargs)
        if data is self.data:
            return self

        def call_to(t):
            return t.to(data.device)
        return type(self)(data, self.batch_sizes, _bind(self.sorted_indices, call_to),
                          _bind(self.unsorted_indices, call_to))

    def cuda(self, *args, **kwargs):
        """As numtorch's Tensor.cuda (and Module.cuda): the CPU data, so self."""
        data = self.data.cuda(*args, **kwargs)
        return self if data is self.data else type(self)(data, self.batch_sizes, self.sorted_indices,
                                                         self.unsorted_indices)

    def cpu(self, *args, **kwargs):
        return self.to(*args, **kwargs)

    def double(self):
        return self.to(dtype=dt.float64)

    def float(self):
        return self.to(dtype=dt.float32)

    def half(self):
        return self.to(dtype=dt.float16)

    def long(self):
        return self.to(dtype=dt.int64)

    def int(self):
        return self.to(dtype=dt.int32)

    def short(self):
        return self.to(dtype=dt.int16)

    def char(self):
        return self.to(dtype=dt.int8)

    def byte(self):
        return self.to(dtype=dt.uint8)

    @property
    def is_cuda(self) -> bool:
        return self.data.is_cuda

    def is_pinned(self) -> bool:
        return False  # numtorch has no pinned memory


def _packed_sequence_init_args(data, batch_sizes=None, sorted_indices=None, unsorted_indices=None):
    if unsorted_indices is None:
        unsorted_indices = invert_permutation(sorted_indices)
    if batch_sizes is not None:  # PackedSequence(data, batch_sizes[, sorted_indices])
        if batch_sizes.device.type != "cpu":
            raise ValueError(messages.PACKED_BATCH_SIZES_CPU)
        return data, batch_sizes, sorted_indices, unsorted_indices
    if not (isinstance(data, (list, tuple)) and len(data) == 2):  # PackedSequence((data, batch_sizes))
        raise AssertionError(messages.PACKED_DATA_PAIR)
    return data[0], data[1], sorted_indices, unsorted_indices


def _packed_sequence_init(data, batch_sizes=None, sorted_indices=None, unsorted_indices=None):
    return PackedSequence(*_packed_sequence_init_args(data, batch_sizes, sorted_indices, unsorted_indices))


def invert_permutation(permutation: Tensor | None) -> Tensor | None:
    """The inverse of a permutation (a 1-D index tensor): output[permutation[i]] = i."""
    if permutation is None:
        return None
    output = empty_like(permutation)
    output.scatter_(0, permutation, arange(0, permutation.numel()))
    return output


# ---- argument checks of the ATen functions ----------------------------------------------------------
def _check_arg(fn: str, name: str, pos: int, value, kind: str) -> None:
    """The Python argument parser's type check for a bool / float / Number / int parameter."""
    if kind == "bool":
        ok = isinstance(value, (bool, np.bool_))
    elif kind == "int":
        ok = isinstance(value, (numbers.Integral, np.integer)) and not isinstance(value, (bool, np.bool_))
    elif kind == "float":
        ok = isinstance(value, numbers.Real)
    else:  # "Number"
        ok = isinstance(value, numbers.Number)
    if not ok:
        raise TypeError(messages.ARG_TYPE_AT.format(fn=fn, name=name, pos=pos, kind=kind,
                                                    type=type(value).__name__))


def _check_long_tensor(t: Tensor) -> None:
    """ATen's checkLongTensor: a 1-D CPU int64 tensor."""
    if t.dim() != 1 or t.dtype is not dt.int64 or t.device.type != "cpu":
        raise RuntimeError(messages.PACK_LONG_TENSOR.format(d=t.dim(), device=t.device.type,
                                                            type=t.dtype.short_name))


def _full(size: list, value, dtype) -> Tensor:
    """at::full inside a composite function: empty then fill_, so the version counter reads 1."""
    out = empty(size, dtype=dtype)
    out.fill_(value)
    return out


# ---- packing --------------------------------------------------------------------------------------
def _pack_kernel(x, *, steps, batch_first, **_):
    """The rows of each time step's first batch_sizes[t] sequences, time step after time step.
    Time steps beyond the input (a length larger than it) contribute no rows, as in ATen."""
    if batch_first:
        x = np.swapaxes(x, 0, 1)
    rows = [x[t, :steps[t]] for t in range(min(len(steps), x.shape[0]))]
    return np.concatenate(rows, 0), np.array(steps, dtype=np.int64)


def _pack_backward(grad: Tensor | None, input_sizes, batch_sizes: Tensor, batch_first: bool):
    """ATen's _pack_padded_sequence_backward: zeros of the input's (time-major) shape, each time
    step's gradient rows copied into its first batch_sizes[t] entries."""
    if grad is None:
        return None
    sizes = list(input_sizes)
    if batch_first:
        sizes[0], sizes[1] = sizes[1], sizes[0]
    grad_input = zeros(sizes, dtype=grad.dtype)
    offset = 0
    for t, size in enumerate(batch_sizes.tolist()):
        grad_input.select(0, t).narrow(0, 0, size).copy_(grad.narrow(0, offset, size))
        offset += size
    return grad_input.transpose(0, 1) if batch_first else grad_input


PACK_PADDED_SEQUENCE = Op(
    "_pack_padded_sequence", _pack_kernel, node="PackPaddedSequenceBackward0", promote=None,
    multi_output=True, differentiable_outputs=(0,),
    grads={"self": lambda c, g: _pack_backward(g[0], c.input_sym_sizes, c.result1, c.batch_first)})


def _pack_padded(input: Tensor, lengths: Tensor, batch_first: bool):
    """ATen's _pack_padded_sequence(input, lengths, batch_first) -> (data, batch_sizes)."""
    _check_arg("_pack_padded_sequence", "batch_first", 3, batch_first, "bool")
    if input.numel() == 0:
        raise RuntimeError(messages.PACK_EMPTY)
    time_major = input.transpose(0, 1) if batch_first else input
    _check_long_tensor(lengths)
    batch = time_major.size(1)
    ls = lengths.tolist()
    if len(ls) != batch:
        raise RuntimeError(messages.PACK_LENGTHS_COUNT.format(got=len(ls), batch=batch))
    if ls[-1] <= 0:
        raise RuntimeError(messages.PACK_NONPOSITIVE)
    if any(ls[i + 1] > ls[i] for i in range(batch - 1)):
        raise RuntimeError(messages.PACK_UNSORTED)
    counts = np.asarray(ls, dtype=np.int64)
    steps = tuple(int(n) for n in (counts[None, :] > np.arange(ls[0])[:, None]).sum(1))
    data, batch_sizes = PACK_PADDED_SEQUENCE(input, steps=steps, batch_first=batch_first,
                                             input_sym_sizes=tuple(input.shape))
    node = data.grad_fn
    if node is not None and type(node).__name__ == "PackPaddedSequenceBackward0":
        node.save("result1", batch_sizes)
    return data, batch_sizes


def pack_padded_sequence(input: Tensor, lengths, batch_first: bool = False,
                         enforce_sorted: bool = True) -> PackedSequence:
    """Packs a padded batch (T x B x *, or B x T x * with batch_first) of sequences of the given
    lengths. With enforce_sorted=False the batch is sorted by decreasing length first and the
    permutation is kept in the result's sorted_indices/unsorted_indices."""
    if not isinstance(lengths, Tensor):
        lengths = as_tensor(lengths, dtype=dt.int64, device="cpu")
    else:
        lengths = lengths.to(dtype=dt.int64)
    if enforce_sorted:
        sorted_indices = None
    else:
        lengths, sorted_indices = lengths.sort(descending=True)
        sorted_indices = sorted_indices.to(input.device)
        input = input.index_select(0 if batch_first else 1, sorted_indices)
    data, batch_sizes = _pack_padded(input, lengths, batch_first)
    return _packed_sequence_init(data, batch_sizes, sorted_indices, None)


# ---- padding --------------------------------------------------------------------------------------
def _pad_packed(data: Tensor, batch_sizes: Tensor, batch_first: bool, padding_value, total_length: int):
    """ATen's _pad_packed_sequence: a `full` output and one block copy per run of equal batch sizes;
    the lengths come out in the packed (sorted) order."""
    _check_arg("_pad_packed_sequence", "batch_first", 3, batch_first, "bool")
    _check_arg("_pad_packed_sequence", "padding_value", 4, padding_value, "Number")
    _check_arg("_pad_packed_sequence", "total_length", 5, total_length, "int")
    _check_long_tensor(batch_sizes)
    sizes = batch_sizes.tolist()
    max_batch, real_steps = sizes[0], len(sizes)
    trailing = list(data.shape[1:])
    output = _full([max(total_length, real_steps), max_batch] + trailing, padding_value, data.dtype)
    lengths = [0] * max_batch
    slot = max_batch - 1
    offset, prev_size, prev_t = 0, max_batch, 0
    for t in range(real_steps + 1):
        size = sizes[t] if t != real_steps else 0
        if size != prev_size:
            n = prev_size * (t - prev_t)
            block = data.narrow(0, offset, n).view([t - prev_t, prev_size] + trailing)
            output.narrow(0, prev_t, t - prev_t).narrow(1, 0, prev_size).copy_(block)
            offset += n
            prev_t = t
        for _ in range(prev_size - size):
            lengths[slot] = t
            slot -= 1
        prev_size = size
    if batch_first:
        output = output.transpose(0, 1)
    return output, tensor(lengths, dtype=dt.int64)


def pad_packed_sequence(sequence: PackedSequence, batch_first: bool = False, padding_value: float = 0.0,
                        total_length: int | None = None) -> tuple[Tensor, Tensor]:
    """The padded batch (T x B x *, or B x T x * with batch_first) and the lengths of a
    PackedSequence, in the batch order given to pack_padded_sequence; padded to total_length."""
    max_seq_length = sequence.batch_sizes.size(0)
    if total_length is not None:
        if total_length < max_seq_length:
            raise ValueError(messages.PAD_TOTAL_LENGTH.format(total=total_length, max=max_seq_length))
        max_seq_length = total_length
    padded, lengths = _pad_packed(sequence.data, sequence.batch_sizes, batch_first, padding_value,
                                  max_seq_length)
    unsorted_indices = sequence.unsorted_indices
    if unsorted_indices is not None:
        return padded.index_select(0 if batch_first else 1, unsorted_indices), lengths[unsorted_indices]
    return padded, lengths


def pad_sequence(sequences, batch_first: bool = False, padding_value: float = 0.0,
                 padding_side: str = "right") -> Tensor:
    """Stacks sequences (each L x *) into one T x B x * (or B x T x *) tensor, padded on the
    right or left with padding_value; ATen's pad_sequence (a `full` tensor, one copy each)."""
    if not isinstance(sequences, Iterable):
        raise RuntimeError(messages.PAD_NOT_ITERABLE.format(type=type(sequences)))
    sequences = tuple(sequences)
    for i, seq in enumerate(sequences):
        if not isinstance(seq, Tensor):
            raise TypeError(messages.PAD_ELEMENT_TYPE.format(index=i, type=type(seq).__name__))
    _check_arg("pad_sequence", "batch_first", 2, batch_first, "bool")
    _check_arg("pad_sequence", "padding_value", 3, padding_value, "float")
    if not isinstance(padding_side, str):
        raise TypeError(messages.ARG_TYPE_AT.format(fn="pad_sequence", name="padding_side", pos=4, kind="str",
                                                    type=type(padding_side).__name__))
    if not sequences:
        raise RuntimeError(messages.PAD_EMPTY_LIST)
    if padding_side not in ("left", "right"):
        raise RuntimeError(messages.PAD_SIDE.format(side=padding_side))
    if sequences[0].dim() == 0:
        raise RuntimeError(messages.PAD_FIRST_0D)
    for seq in sequences:
        if seq.dim() == 0:
            raise IndexError(messages.DIM_OF_0D.format(dim=0))
    trailing = list(sequences[0].shape[1:])
    max_len = max(seq.size(0) for seq in sequences)
    lead = [len(sequences), max_len] if batch_first else [max_len, len(sequences)]
    out = _full(lead + trailing, padding_value, sequences[0].dtype)
    for i, seq in enumerate(sequences):
        length = seq.size(0)
        start = max_len - length if padding_side == "left" else 0
        if batch_first:
            out.select(0, i).narrow(0, start, length).copy_(seq)
        else:
            out.narrow(0, start, length).select(1, i).copy_(seq)
    return out


def unpad_sequence(padded_sequences: Tensor, lengths: Tensor, batch_first: bool = False) -> list[Tensor]:
    """The list of sequences of a padded batch, each cut to its length. Like torch, a time-major
    input is transposed in place (transpose_) first."""
    unpadded = []
    if not batch_first:
        padded_sequences.transpose_(0, 1)
    max_length = padded_sequences.shape[1]
    idx = arange(max_length, device=lengths.device)
    for seq, length in zip(padded_sequences, lengths, strict=True):
        unpadded.append(seq[idx < length])
    return unpadded


def pack_sequence(sequences, enforce_sorted: bool = True) -> PackedSequence:
    """pad_sequence then pack_padded_sequence with each sequence's length."""
    lengths = as_tensor([v.size(0) for v in sequences])
    return pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=enforce_sorted)


def unpack_sequence(packed_sequences: PackedSequence) -> list[Tensor]:
    """The list of sequences of a PackedSequence (pad_packed_sequence then unpad_sequence)."""
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)
