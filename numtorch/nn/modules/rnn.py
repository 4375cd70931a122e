"""nn.RNN, nn.LSTM, nn.GRU and their cells (torch/nn/modules/rnn.py).

The recurrences record the graphs torch records on the CPU. RNN, GRU, and LSTM in float64 or with
projections are ATen's native ones (aten/src/ATen/native/RNN.cpp), composed from numtorch ops (so
double backward works): per layer and direction the input projection is one linear over the
whole sequence, unbound over time; each step adds linear_hh(h); outputs are stacked, directions
concatenated, final states stacked. A float32 LSTM without projections is one fused op per layer
and direction, as torch's oneDNN path (NOTE [LSTM layer kernel] in _ops/attention_ops.py).
Gate order is torch's: LSTM (i, f, g, o), GRU (r, z, n), n = tanh(W_in x + b_in + r * (W_hn h + b_hn)).
Parameter names, shapes and order (`_flat_weights_names`) are torch's.

A PackedSequence input runs ATen's packed layers (PackedLayer / ReversedPackedLayer) composed from
numtorch ops for every mode and dtype (torch's packed CPU path has no oneDNN kernel): the input
projection is one linear over the packed data, each time step narrows it to that step's batch,
sequences that have ended leave the running state (their final states are the slices cut off),
step outputs are concatenated; h_n (and c_n) hold each sequence's state at its own last step."""
from __future__ import annotations

import math
import numbers
import warnings
import weakref

from ..._core import dtypes as dt
from ..._core import messages
from ..._ops import pointwise as P
from ..._ops.attention_ops import lstm_layer, unsafe_chunk
from ..._ops.creation import empty, zeros
from ..._ops.joining import cat, stack
from ..._ops.linalg import matmul
from ..._tensor import Tensor
from .. import functional as F
from .. import init
from ..parameter import Parameter
from ..utils.rnn import PackedSequence
from .module import Module

__all__ = ["RNNBase", "RNN", "LSTM", "GRU", "RNNCellBase", "RNNCell", "LSTMCell", "GRUCell"]

_GATES = {"LSTM": 4, "GRU": 3, "RNN_TANH": 1, "RNN_RELU": 1}
_PROJ_WARNED = [False]  # TORCH_WARN_ONCE in at::lstm: once per process


# ---- cells (ATen's SimpleCell, LSTMCell, GRUCell) -------------------------------------------------
def _linear(input: Tensor, weight: Tensor, bias: Tensor | None) -> Tensor:
    """CellParams::linear_ih/linear_hh: at::linear, or at::matmul(input, w.t()) without bias."""
    return F.linear(input, weight, bias) if bias is not None else matmul(input, weight.t())


def _simple_cell(igates: Tensor, h: Tensor, w_hh, b_hh, relu: bool) -> Tensor:
    pre = _linear(h, w_hh, b_hh) + igates
    return P.relu(pre) if relu else pre.tanh()


def _lstm_cell(igates: Tensor, h: Tensor, c: Tensor, w_hh, b_hh, w_hr):
    gates = _linear(h, w_hh, b_hh) + igates
    i, f, g, o = unsafe_chunk(gates, 4, 1)
    i, f, g, o = i.sigmoid(), f.sigmoid(), g.tanh(), o.sigmoid()
    cy = f * c + i * g
    hy = o * cy.tanh()
    if w_hr is not None:
        hy = matmul(hy, w_hr.t())
    return hy, cy


def _gru_cell(igates: Tensor, h: Tensor, w_hh, b_hh) -> Tensor:
    i_r, i_z, i_n = unsafe_chunk(igates, 3, 1)
    h_r, h_z, h_n = unsafe_chunk(_linear(h, w_hh, b_hh), 3, 1)
    r = (h_r + i_r).sigmoid()
    z = (h_z + i_z).sigmoid()
    n = (i_n + h_n * r).tanh()
    return (h - n) * z + n


def _step(mode: str, igates: Tensor, state, weights):
    """One time step; `state` is h, or (h, c) for LSTM."""
    w_hh, b_hh, w_hr = weights["w_hh"], weights["b_hh"], weights["w_hr"]
    if mode == "LSTM":
        return _lstm_cell(igates, state[0], state[1], w_hh, b_hh, w_hr)
    if mode == "GRU":
        return _gru_cell(igates, state, w_hh, b_hh)
    return _simple_cell(igates, state, w_hh, b_hh, mode == "RNN_RELU")


def _run_direction(mode: str, input: Tensor, state, weights, reverse: bool):
    """FullLayer / ReversedFullLayer: project the whole sequence, then loop over time."""
    steps = list(_linear(input, weights["w_ih"], weights["b_ih"]).unbind(0))
    order = range(len(steps) - 1, -1, -1) if reverse else range(len(steps))
    outputs = [None] * len(steps)
    for t in order:
        state = _step(mode, steps[t], state, weights)
        outputs[t] = state[0] if mode == "LSTM" else state
    if not steps:
        raise RuntimeError(messages.RNN_EMPTY_SEQUENCE)
    return stack(outputs, 0), state


def _rnn_forward(mode: str, input: Tensor, hx, flat_weights: list, has_bias: bool, num_layers: int,
                 dropout: float, train: bool, bidirectional: bool, batch_first: bool):
    """at::lstm / at::gru / at::rnn_tanh / at::rnn_relu on a padded (not packed) input."""
    has_proj = len(flat_weights) > (4 if has_bias else 2) * num_layers * (1 + bidirectional)
    if mode == "LSTM" and has_proj and input._dtype is dt.float32 and input.numel() and not _PROJ_WARNED[0]:
        _PROJ_WARNED[0] = True  # oneDNN would run a float32 LSTM without projections
        warnings.warn(messages.W_LSTM_PROJ_ONEDNN, UserWarning, stacklevel=4)
    if mode == "LSTM" and not has_proj and input._dtype is dt.float32 and input.numel():
        return _lstm_onednn(input, hx, flat_weights, has_bias, num_layers, dropout, train, bidirectional,
                            batch_first)
    if batch_first:
        input = input.transpose(0, 1)
    num_directions = 2 if bidirectional else 1
    per_layer = len(flat_weights) // (num_layers * num_directions)
    if mode == "LSTM":
        hiddens = list(zip(hx[0].unbind(0), hx[1].unbind(0)))
    else:
        hiddens = list(hx.unbind(0))
    finals = []
    layer_input = input
    for layer in range(num_layers):
        outs = []
        for direction in range(num_directions):
            idx = layer * num_directions + direction
            weights = _unpack_weights(flat_weights[idx * per_layer:(idx + 1) * per_layer], has_bias)
            out, final = _run_direction(mode, layer_input, hiddens[idx], weights, direction == 1)
            outs.append(out)
            finals.append(final)
        layer_output = outs[0] if num_directions == 1 else cat(outs, outs[0].dim() - 1)
        if dropout != 0 and train and layer < num_layers - 1:
            layer_output = F.dropout(layer_output, dropout, True)
        layer_input = layer_output
    output = layer_input.transpose(0, 1) if batch_first else layer_input
    if mode == "LSTM":
        return output, (stack([h for h, _ in finals], 0), stack([c for _, c in finals], 0))
    return output, stack(finals, 0)


def _hidden_slice(state, start: int, end: int):
    """hidden_slice: rows start:end of h, or of both h and c."""
    if isinstance(state, tuple):
        return state[0].narrow(0, start, end - start), state[1].narrow(0, start, end - start)
    return state.narrow(0, start, end - start)


def _hidden_cat(states: list):
    """hidden_concat: the states concatenated along the batch."""
    if isinstance(states[0], tuple):
        return cat([s[0] for s in states], 0), cat([s[1] for s in states], 0)
    return cat(states, 0)


def _run_packed_direction(mode: str, data: Tensor, batch_sizes: list, state, weights, reverse: bool):
    """PackedLayer / ReversedPackedLayer over packed data: (output data, final state)."""
    igates = _linear(data, weights["w_ih"], weights["b_ih"])
    outputs = []
    if not reverse:
        finals = []
        offset, last = 0, batch_sizes[0]
        for size in batch_sizes:
            step = igates.narrow(0, offset, size)
            offset += size
            if size < last:  # the sequences [size, last) have ended: keep their final states
                finals.append(_hidden_slice(state, size, last))
                state = _hidden_slice(state, 0, size)
            last = size
            state = _step(mode, step, state, weights)
            outputs.append(state[0] if mode == "LSTM" else state)
        finals.append(state)
        finals.reverse()
        return cat(outputs, 0), _hidden_cat(finals)
    initial = state
    offset, last = data.size(0), batch_sizes[-1]
    state = _hidden_slice(initial, 0, last)
    for size in reversed(batch_sizes):
        if size > last:  # the sequences [last, size) start here (at their last step)
            state = _hidden_cat([state, _hidden_slice(initial, last, size)])
        step = igates.narrow(0, offset - size, size)
        offset -= size
        last = size
        state = _step(mode, step, state, weights)
        outputs.append(state[0] if mode == "LSTM" else state)
    outputs.reverse()
    return cat(outputs, 0), state


def _rnn_forward_packed(mode: str, data: Tensor, batch_sizes: list, hx, flat_weights: list, has_bias: bool,
                        num_layers: int, dropout: float, train: bool, bidirectional: bool):
    """at::lstm / at::gru / at::rnn_tanh / at::rnn_relu on packed data: (output data, hidden)."""
    num_directions = 2 if bidirectional else 1
    per_layer = len(flat_weights) // (num_layers * num_directions)
    if mode == "LSTM":  # the checks of ATen's packed lstm (gather_params, pair_vec, apply_layer_stack)
        if len(hx) != 2:
            raise RuntimeError(messages.LSTM_TWO_STATES)
        has_proj = hx[0].size(2) != hx[1].size(2)
        if len(flat_weights) % (2 + 2 * has_bias + has_proj):
            raise RuntimeError(messages.RNN_PARAM_COUNT)
        hiddens = list(zip(hx[0].unbind(0), hx[1].unbind(0)))
        if bidirectional and len(hiddens) % 2:
            raise RuntimeError(messages.RNN_ODD_BIDIRECTIONAL)
        if len(hiddens) != num_layers * num_directions:
            raise RuntimeError(messages.RNN_STACKED_HIDDENS)
    else:
        hiddens = list(hx.unbind(0))
    finals = []
    layer_input = data
    for layer in range(num_layers):
        outs = []
        for direction in range(num_directions):
            idx = layer * num_directions + direction
            weights = _unpack_weights(flat_weights[idx * per_layer:(idx + 1) * per_layer], has_bias)
            out, final = _run_packed_direction(mode, layer_input, batch_sizes, hiddens[idx], weights,
                                               direction == 1)
            outs.append(out)
            finals.append(final)
        layer_input = outs[0] if num_directions == 1 else cat(outs, -1)
        if dropout != 0 and train and layer < num_layers - 1:
            layer_input = F.dropout(layer_input, dropout, True)
    if mode == "LSTM":
        return layer_input, (stack([h for h, _ in finals], 0), stack([c for _, c in finals], 0))
    return layer_input, stack(finals, 0)


def _lstm_onednn(input: Tensor, hx, flat_weights: list, has_bias: bool, num_layers: int, dropout: float,
                 train: bool, bidirectional: bool, batch_first: bool):
    """ATen's mkldnn_impl: one fused layer op per layer and direction (NOTE [LSTM layer kernel])."""
    if batch_first:
        input = input.transpose(0, 1)
    layer_input = input.contiguous()
    num_directions = 2 if bidirectional else 1
    per_layer = len(flat_weights) // (num_layers * num_directions)
    hys, cys = [], []
    for layer in range(num_layers):
        outs = []
        for direction in range(num_directions):
            idx = layer * num_directions + direction
            w = _unpack_weights(flat_weights[idx * per_layer:(idx + 1) * per_layer], has_bias)
            b_ih, b_hh = w["b_ih"], w["b_hh"]
            if not has_bias:
                b_ih = b_hh = zeros(w["w_ih"].size(0), dtype=input.dtype)
            out, hy, cy = lstm_layer(layer_input, w["w_ih"], w["w_hh"], b_ih, b_hh, hx[0][idx], hx[1][idx],
                                     direction == 1)
            outs.append(out)
            hys.append(hy)
            cys.append(cy)
        layer_input = outs[0] if num_directions == 1 else cat(outs, -1)
        if dropout != 0 and train and layer < num_layers - 1:
            layer_input = F.dropout(layer_input, dropout, True)
    output = layer_input.transpose(0, 1) if batch_first else layer_input
    return output, (stack(hys, 0), stack(cys, 0))


def _unpack_weights(ws: list, has_bias: bool) -> dict:
    """(w_ih, w_hh[, b_ih, b_hh][, w_hr]) as a dict, absent ones None."""
    w_ih, w_hh = ws[0], ws[1]
    b_ih, b_hh = (ws[2], ws[3]) if has_bias else (None, None)
    rest = ws[4:] if has_bias else ws[2:]
    return {"w_ih": w_ih, "w_hh": w_hh, "b_ih": b_ih, "b_hh": b_hh, "w_hr": rest[0] if rest else None}


# ---- RNNBase -------------------------------------------------------------------------------------
class RNNBase(Module):
    __constants__ = ["mode", "input_size", "hidden_size", "num_layers", "bias", "batch_first", "dropout",
                     "bidirectional", "proj_size"]
    __jit_unused_properties__ = ["all_weights"]

    def __init__(self, mode: str, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False,
                 proj_size: int = 0, device=None, dtype=None) -> None:
        factory_kwargs = {"device": device, "dtype": dtype}
        super().__init__()
        self.mode = mode
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        self.proj_size = proj_size
        self._flat_weight_refs: list = []
        num_directions = 2 if bidirectional else 1
        if not isinstance(dropout, numbers.Number) or not 0 <= dropout <= 1 or isinstance(dropout, bool):
            raise ValueError(messages.RNN_DROPOUT_RANGE)
        if dropout > 0 and num_layers == 1:
            warnings.warn(messages.W_RNN_DROPOUT_ONE_LAYER.format(dropout=dropout, num_layers=num_layers),
                          stacklevel=2)
        for name, value in (("bias", bias), ("batch_first", batch_first)):
            if not isinstance(value, bool):
                raise TypeError(messages.RNN_ARG_TYPE.format(name=name, kind="bool",
                                                             type=type(value).__name__))
        for name, value in (("input_size", input_size), ("hidden_size", hidden_size)):
            if not isinstance(value, int):
                raise TypeError(messages.RNN_ARG_TYPE.format(name=name, kind="int",
                                                             type=type(value).__name__))
            if value <= 0:
                raise ValueError(messages.RNN_POSITIVE.format(name=name))
        if num_layers <= 0:
            raise ValueError(messages.RNN_POSITIVE.format(name="num_layers"))
        if proj_size < 0:
            raise ValueError(messages.RNN_PROJ_NEGATIVE)
        if proj_size >= hidden_size:
            raise ValueError(messages.RNN_PROJ_TOO_LARGE)
        if mode not in _GATES:
            raise ValueError("Unrecognized RNN mode: " + mode)
        gate_size = _GATES[mode] * hidden_size
        self._flat_weights_names = []
        self._all_weights = []
        for layer in range(num_layers):
            for direction in range(num_directions):
                real_hidden_size = proj_size if proj_size > 0 else hidden_size
                layer_input_size = input_size if layer == 0 else real_hidden_size * num_directions
                w_ih = Parameter(empty((gate_size, layer_input_size), **factory_kwargs))
                w_hh = Parameter(empty((gate_size, real_hidden_size), **factory_kwargs))
                layer_params: tuple = (w_ih, w_hh)
                if bias:
                    layer_params += (Parameter(empty(gate_size, **factory_kwargs)),
                                     Parameter(empty(gate_size, **factory_kwargs)))
                if self.proj_size > 0:
                    layer_params += (Parameter(empty((proj_size, hidden_size), **factory_kwargs)),)
                suffix = "_reverse" if direction == 1 else ""
                param_names = ["weight_ih_l{}{}", "weight_hh_l{}{}"]
                if bias:
                    param_names += ["bias_ih_l{}{}", "bias_hh_l{}{}"]
                if self.proj_size > 0:
                    param_names += ["weight_hr_l{}{}"]
                param_names = [x.format(layer, suffix) for x in param_names]
                for name, param in zip(param_names, layer_params, strict=True):
                    setattr(self, name, param)
                self._flat_weights_names.extend(param_names)
                self._all_weights.append(param_names)
        self._init_flat_weights()
        self.reset_parameters()

    def _init_flat_weights(self) -> None:
        self._flat_weights = [getattr(self, wn) if hasattr(self, wn) else None
                              for wn in self._flat_weights_names]
        self._flat_weight_refs = [weakref.ref(w) if w is not None else None for w in self._flat_weights]
        self.flatten_parameters()

    def __setattr__(self, attr, value) -> None:
        if hasattr(self, "_flat_weights_names") and attr in self._flat_weights_names:
            idx = self._flat_weights_names.index(attr)
            self._flat_weights[idx] = value
        super().__setattr__(attr, value)

    def flatten_parameters(self) -> None:
        """Packs weights for cuDNN in torch; nothing to do on the CPU."""

    def _apply(self, fn, recurse: bool = True):
        self._flat_weight_refs = []
        ret = super()._apply(fn, recurse)
        self._init_flat_weights()
        return ret

    def reset_parameters(self) -> None:
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def check_input(self, input: Tensor, batch_sizes: Tensor | None) -> None:
        w_dtype = self._flat_weights[0].dtype
        if input.dtype != w_dtype:
            raise ValueError(messages.RNN_INPUT_DTYPE.format(got=input.dtype, w=w_dtype))
        expected_input_dim = 2 if batch_sizes is not None else 3
        if input.dim() != expected_input_dim:
            raise RuntimeError(messages.RNN_INPUT_DIMS.format(expected=expected_input_dim, got=input.dim()))
        if self.input_size != input.size(-1):
            raise RuntimeError(messages.RNN_INPUT_SIZE.format(expected=self.input_size, got=input.size(-1)))

    def get_expected_hidden_size(self, input: Tensor, batch_sizes: Tensor | None) -> tuple[int, int, int]:
        if batch_sizes is not None:
            mini_batch = int(batch_sizes[0])
        else:
            mini_batch = input.size(0) if self.batch_first else input.size(1)
        num_directions = 2 if self.bidirectional else 1
        size = self.proj_size if self.proj_size > 0 else self.hidden_size
        return (self.num_layers * num_directions, mini_batch, size)

    def check_hidden_size(self, hx: Tensor, expected_hidden_size: tuple[int, int, int],
                          msg: str = "Expected hidden size {}, got {}") -> None:
        if hx.size() != expected_hidden_size:
            raise RuntimeError(msg.format(expected_hidden_size, list(hx.size())))

    def _weights_have_changed(self) -> bool:
        for ref, name in zip(self._flat_weight_refs, self._flat_weights_names, strict=True):
            weight = getattr(self, name) if hasattr(self, name) else None
            if weight is not None and ref is not None and ref() is not weight:
                return True
        return False

    def check_forward_args(self, input: Tensor, hidden: Tensor, batch_sizes: Tensor | None) -> None:
        self.check_input(input, batch_sizes)
        self.check_hidden_size(hidden, self.get_expected_hidden_size(input, batch_sizes))

    def permute_hidden(self, hx: Tensor, permutation: Tensor | None):
        return hx if permutation is None else hx.index_select(1, permutation)

    def extra_repr(self) -> str:
        s = "{input_size}, {hidden_size}"
        if self.proj_size != 0:
            s += ", proj_size={proj_size}"
        if self.num_layers != 1:
            s += ", num_layers={num_layers}"
        if self.bias is not True:
            s += ", bias={bias}"
        if self.batch_first is not False:
            s += ", batch_first={batch_first}"
        if self.dropout != 0:
            s += ", dropout={dropout}"
        if self.bidirectional is not False:
            s += ", bidirectional={bidirectional}"
        return s.format(**self.__dict__)

    def _update_flat_weights(self) -> None:
        if self._weights_have_changed():
            self._init_flat_weights()

    def __getstate__(self):
        self._update_flat_weights()
        state = self.__dict__.copy()
        del state["_flat_weight_refs"]
        return state

    def __setstate__(self, d) -> None:
        super().__setstate__(d)
        self._flat_weights = [getattr(self, wn) if hasattr(self, wn) else None
                              for wn in self._flat_weights_names]
        self._flat_weight_refs = [weakref.ref(w) if w is not None else None for w in self._flat_weights]

    @property
    def all_weights(self) -> list:
        return [[getattr(self, weight) for weight in weights] for weights in self._all_weights]

    # shared by RNN, LSTM and GRU
    def _prepare(self, input: Tensor, hx, name: str):
        """Rank checks, unbatched input as a batch of one, zero initial states: (input, hx, batched)."""
        if input.dim() not in (2, 3):
            suffix = " tensor" if name == "RNN" else ""
            raise ValueError(messages.RNN_INPUT_RANK.format(name=name, d=input.dim(), suffix=suffix))
        is_batched = input.dim() == 3
        if not is_batched:
            input = input.unsqueeze(0 if self.batch_first else 1)
        num_directions = 2 if self.bidirectional else 1
        batch = input.size(0) if self.batch_first else input.size(1)
        if self.mode == "LSTM":
            if hx is None:
                real_hidden = self.proj_size if self.proj_size > 0 else self.hidden_size
                h0 = zeros(self.num_layers * num_directions, batch, real_hidden, dtype=input.dtype)
                c0 = zeros(self.num_layers * num_directions, batch, self.hidden_size, dtype=input.dtype)
                return input, (h0, c0), is_batched
            want = 3 if is_batched else 2
            if hx[0].dim() != want or hx[1].dim() != want:
                text = messages.LSTM_HX_BATCHED if is_batched else messages.LSTM_HX_UNBATCHED
                raise RuntimeError(text.format(h=hx[0].dim(), c=hx[1].dim()))
            if not is_batched:
                hx = (hx[0].unsqueeze(1), hx[1].unsqueeze(1))
            return input, hx, is_batched
        if hx is not None:
            if not is_batched and hx.dim() != 2:
                raise RuntimeError(messages.RNN_HX_UNBATCHED.format(d=hx.dim()))
            if is_batched and hx.dim() != 3:
                raise RuntimeError(messages.RNN_HX_BATCHED.format(d=hx.dim()))
            return input, (hx if is_batched else hx.unsqueeze(1)), is_batched
        hx = zeros(self.num_layers * num_directions, batch, self.hidden_size, dtype=input.dtype)
        return input, hx, is_batched

    def _run(self, input: Tensor, hx):
        return _rnn_forward(self.mode, input, hx, self._flat_weights, self.bias, self.num_layers,
                            self.dropout, self.training, self.bidirectional, self.batch_first)

    def _forward(self, input: Tensor, hx):
        """forward of RNN, LSTM and GRU alike (RNNBase itself has none, as in torch): packed input, or rank checks and an unbatched input run as a
        batch of one (its output and final state squeezed back)."""
        self._update_flat_weights()
        if isinstance(input, PackedSequence):
            return self._forward_packed(input, hx)
        name = "LSTM" if self.mode == "LSTM" else "GRU" if self.mode == "GRU" else "RNN"
        input, hx, is_batched = self._prepare(input, hx, name)
        self.check_forward_args(input, hx, None)
        output, hidden = self._run(input, hx)
        if not is_batched:
            output = output.squeeze(0 if self.batch_first else 1)
            hidden = tuple(h.squeeze(1) for h in hidden) if self.mode == "LSTM" else hidden.squeeze(1)
        return output, hidden

    def _forward_packed(self, packed: PackedSequence, hx):
        """forward on a PackedSequence: the initial state is permuted into the packed (sorted)
        order, the final state back into the caller's order. RNN and GRU check their arguments
        here; LSTM only gets ATen's own checks (in _rnn_forward_packed), as in torch."""
        data, batch_sizes, sorted_indices, unsorted_indices = packed
        max_batch_size = int(batch_sizes[0])
        num_directions = 2 if self.bidirectional else 1
        if hx is None:
            real_hidden = self.proj_size if self.proj_size > 0 else self.hidden_size
            hx = zeros(self.num_layers * num_directions, max_batch_size, real_hidden, dtype=data.dtype)
            if self.mode == "LSTM":
                hx = (hx, zeros(self.num_layers * num_directions, max_batch_size, self.hidden_size,
                                dtype=data.dtype))
        else:
            hx = self.permute_hidden(hx, sorted_indices)
        if self.mode != "LSTM":
            self.check_forward_args(data, hx, batch_sizes)
        output, hidden = _rnn_forward_packed(self.mode, data, batch_sizes.tolist(), hx, self._flat_weights,
                                             self.bias, self.num_layers, self.dropout, self.training,
                                             self.bidirectional)
        return (PackedSequence(output, batch_sizes, sorted_indices, unsorted_indices),
                self.permute_hidden(hidden, unsorted_indices))


class RNN(RNNBase):
    def __init__(self, *args, **kwargs) -> None:
        if "proj_size" in kwargs:
            raise ValueError(messages.RNN_PROJ_ONLY_LSTM)
        if len(args) > 3:
            self.nonlinearity = args[3]
            args = args[:3] + args[4:]
        else:
            self.nonlinearity = kwargs.pop("nonlinearity", "tanh")
        if self.nonlinearity == "tanh":
            mode = "RNN_TANH"
        elif self.nonlinearity == "relu":
            mode = "RNN_RELU"
        else:
            raise ValueError(messages.RNN_NONLINEARITY.format(name=self.nonlinearity))
        super().__init__(mode, *args, **kwargs)

    def forward(self, input: Tensor, hx=None):
        return self._forward(input, hx)


class LSTM(RNNBase):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__("LSTM", *args, **kwargs)

    def get_expected_cell_size(self, input: Tensor, batch_sizes: Tensor | None) -> tuple[int, int, int]:
        if batch_sizes is not None:
            mini_batch = int(batch_sizes[0])
        else:
            mini_batch = input.size(0) if self.batch_first else input.size(1)
        num_directions = 2 if self.bidirectional else 1
        return (self.num_layers * num_directions, mini_batch, self.hidden_size)

    def check_forward_args(self, input: Tensor, hidden, batch_sizes: Tensor | None) -> None:
        self.check_input(input, batch_sizes)
        self.check_hidden_size(hidden[0], self.get_expected_hidden_size(input, batch_sizes),
                               "Expected hidden[0] size {}, got {}")
        self.check_hidden_size(hidden[1], self.get_expected_cell_size(input, batch_sizes),
                               "Expected hidden[1] size {}, got {}")

    def permute_hidden(self, hx, permutation: Tensor | None):
        if permutation is None:
            return hx
        return hx[0].index_select(1, permutation), hx[1].index_select(1, permutation)

    def forward(self, input: Tensor, hx=None):
        return self._forward(input, hx)


class GRU(RNNBase):
    def __init__(self, *args, **kwargs) -> None:
        if "proj_size" in kwargs:
            raise ValueError(messages.RNN_PROJ_ONLY_LSTM)
        super().__init__("GRU", *args, **kwargs)

    def forward(self, input: Tensor, hx=None):
        return self._forward(input, hx)


# ---- cells ---------------------------------------------------------------------------------------
def _check_cell_input(input: Tensor, input_size: int) -> None:
    if input.size(1) != input_size:
        raise RuntimeError(messages.RNN_CELL_INPUT_SIZE.format(got=input.size(1), expected=input_size))


def _check_cell_hidden(input: Tensor, hx: Tensor, hidden_size: int, label: int) -> None:
    if input.size(0) != hx.size(0):
        raise RuntimeError(messages.RNN_CELL_BATCH.format(batch=input.size(0), label=label, got=hx.size(0)))
    if hx.size(1) != hidden_size:
        raise RuntimeError(messages.RNN_CELL_HIDDEN_SIZE.format(label=label, got=hx.size(1),
                                                               expected=hidden_size))


class RNNCellBase(Module):
    __constants__ = ["input_size", "hidden_size", "bias"]

    def __init__(self, input_size: int, hidden_size: int, bias: bool, num_chunks: int, device=None,
                 dtype=None) -> None:
        factory_kwargs = {"device": device, "dtype": dtype}
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        self.weight_ih = Parameter(empty((num_chunks * hidden_size, input_size), **factory_kwargs))
        self.weight_hh = Parameter(empty((num_chunks * hidden_size, hidden_size), **factory_kwargs))
        if bias:
            self.bias_ih = Parameter(empty(num_chunks * hidden_size, **factory_kwargs))
            self.bias_hh = Parameter(empty(num_chunks * hidden_size, **factory_kwargs))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def extra_repr(self) -> str:
        s = "{input_size}, {hidden_size}"
        if "bias" in self.__dict__ and self.bias is not True:
            s += ", bias={bias}"
        if "nonlinearity" in self.__dict__ and self.nonlinearity != "tanh":
            s += ", nonlinearity={nonlinearity}"
        return s.format(**self.__dict__)

    def reset_parameters(self) -> None:
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def _batch(self, input: Tensor, hx, name: str):
        """Rank checks; unbatched input and state as a batch of one."""
        if input.dim() not in (1, 2):
            raise ValueError(messages.RNN_CELL_INPUT_RANK.format(name=name, d=input.dim()))
        states = hx if isinstance(hx, tuple) else (hx,)
        for idx, value in enumerate(states):
            if value is not None and value.dim() not in (1, 2):
                what = "hidden" if not isinstance(hx, tuple) else f"hx[{idx}]"
                raise ValueError(messages.RNN_CELL_HIDDEN_RANK.format(name=name, what=what, d=value.dim()))
        is_batched = input.dim() == 2
        if not is_batched:
            input = input.unsqueeze(0)
        return input, is_batched


class RNNCell(RNNCellBase):
    __constants__ = ["input_size", "hidden_size", "bias", "nonlinearity"]

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, nonlinearity: str = "tanh",
                 device=None, dtype=None) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=1, device=device, dtype=dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        input, is_batched = self._batch(input, hx, "RNNCell")
        if hx is None:
            hx = zeros(input.size(0), self.hidden_size, dtype=input.dtype)
        elif not is_batched:
            hx = hx.unsqueeze(0)
        if self.nonlinearity not in ("tanh", "relu"):
            raise RuntimeError(messages.RNN_CELL_NONLINEARITY.format(name=self.nonlinearity))
        _check_cell_input(input, self.weight_ih.size(1))
        _check_cell_hidden(input, hx, self.weight_hh.size(1), 0)
        pre = _linear(hx, self.weight_hh, self.bias_hh) + _linear(input, self.weight_ih, self.bias_ih)
        ret = pre.tanh() if self.nonlinearity == "tanh" else P.relu(pre)
        return ret if is_batched else ret.squeeze(0)


class LSTMCell(RNNCellBase):
    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device=None, dtype=None) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=4, device=device, dtype=dtype)

    def forward(self, input: Tensor, hx: tuple[Tensor, Tensor] | None = None) -> tuple[Tensor, Tensor]:
        input, is_batched = self._batch(input, tuple(hx) if hx is not None else None, "LSTMCell")
        if hx is None:
            z = zeros(input.size(0), self.hidden_size, dtype=input.dtype)
            hx = (z, z)
        elif not is_batched:
            hx = (hx[0].unsqueeze(0), hx[1].unsqueeze(0))
        _check_cell_input(input, self.weight_ih.size(1))
        _check_cell_hidden(input, hx[0], self.weight_hh.size(1), 0)
        _check_cell_hidden(input, hx[1], self.weight_hh.size(1), 1)
        igates = _linear(input, self.weight_ih, self.bias_ih)
        h, c = _lstm_cell(igates, hx[0], hx[1], self.weight_hh, self.bias_hh, None)
        return (h, c) if is_batched else (h.squeeze(0), c.squeeze(0))


class GRUCell(RNNCellBase):
    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device=None, dtype=None) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=3, device=device, dtype=dtype)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        input, is_batched = self._batch(input, hx, "GRUCell")
        if hx is None:
            hx = zeros(input.size(0), self.hidden_size, dtype=input.dtype)
        elif not is_batched:
            hx = hx.unsqueeze(0)
        _check_cell_input(input, self.weight_ih.size(1))
        _check_cell_hidden(input, hx, self.weight_hh.size(1), 0)
        ret = _gru_cell(_linear(input, self.weight_ih, self.bias_ih), hx, self.weight_hh, self.bias_hh)
        return ret if is_batched else ret.squeeze(0)
