"""numtorch.nn.functional: torch.nn.functional's signatures, checks and graphs.

Each function records the nodes PyTorch records (F.linear on a 2-D input with bias is one
AddmmBackward0; F.cross_entropy is NllLossBackward0 over LogSoftmaxBackward0). Losses live in
_losses.py and are re-exported here, the dropout family from _functional_dropout.py."""
from __future__ import annotations

import warnings

import numpy as np

from .._core import dtypes as dt
from .._core import messages
from .._ops import nn_ops
from .._ops import pointwise as P
from .._ops import shape as _shape
from .._ops.linalg import _addmm_checks, _addmm_empty_inner_check, matmul
from .._ops.shape import reshape, view
from .._tensor import Tensor
from ._functional_dropout import (alpha_dropout, dropout, dropout1d, dropout2d, dropout3d,
                                  feature_alpha_dropout)
from ._losses import (binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy,
                      huber_loss, l1_loss, mse_loss, nll_loss, smooth_l1_loss)

__all__ = ["linear", "relu", "relu_", "relu6", "hardtanh", "leaky_relu", "elu", "gelu", "silu",
           "sigmoid", "tanh", "softplus", "softmax", "log_softmax", "dropout", "dropout1d", "dropout2d",
           "dropout3d", "alpha_dropout", "feature_alpha_dropout", "layer_norm",
           "embedding", "one_hot", "pad", "cross_entropy", "nll_loss", "mse_loss", "l1_loss",
           "smooth_l1_loss", "huber_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits"]


def _absent(input: Tensor) -> Tensor:
    """A placeholder for an absent optional tensor input: no edge, never read."""
    return Tensor._make(np.zeros(0, input._data.dtype))


# ---- linear ------------------------------------------------------------------------------------
def _plain_addmm(input, weight, bias) -> bool:
    """A matrix input, a matrix weight and a vector bias of one dtype, sized for each other with a
    non-empty inner dim: every check linear's addmm path makes passes, so it can be skipped (the
    Tensor.dim() calls and the checks cost about a tenth of a small F.linear)."""
    if not (isinstance(input, Tensor) and isinstance(weight, Tensor) and isinstance(bias, Tensor)):
        return False
    s1, s2 = input._data.shape, weight._data.shape
    return (len(s1) == 2 and len(s2) == 2 and s1[1] == s2[1] and s1[1] != 0 and bias._data.shape == s2[:1]
            and input._dtype is weight._dtype and bias._dtype is weight._dtype)


def _plain_linear(input: Tensor, weight: Tensor, bias: Tensor) -> Tensor:
    """linear for the arguments _plain_addmm accepts, which pass torch's binding check too (so
    nn.Linear may call it without the parser): addmm of weight.t() (t(), not the method, whose
    parser cannot refuse a tensor)."""
    return nn_ops.ADDMM(bias, input, _shape.t(weight))


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """at::linear: addmm for 2-D input with bias; contiguous N-d input with a contiguous bias that
    is 1-D once squeezed ("likely fusable") is flattened to 2-D (ViewBackward0 / AddmmBackward0 /
    ViewBackward0); otherwise matmul + add_. Errors come from whichever of these kernels runs
    (addmm's, t()'s, matmul's, add_'s checks)."""
    if _plain_addmm(input, weight, bias):
        return _plain_linear(input, weight, bias)
    if isinstance(input, Tensor) and isinstance(weight, Tensor) and (input.dim() == 0 or weight.dim() == 0):
        raise RuntimeError(messages.LINEAR_1D.format(a=input.dim(), b=weight.dim()))
    nd = input.dim()
    if bias is not None and (nd == 2 or (
            # at::linear calls bias.squeeze() (a view: its autograd dtype check can raise first)
            (bias.dim() == 1 or bias.squeeze().dim() == 1)
            and bias.is_contiguous() and input.is_contiguous())):
        wt = weight.t()  # weight.t()'s own check (3-D weight) comes first
        if nd == 2:
            _addmm_checks(bias, input, wt, False)
            _addmm_empty_inner_check(bias._dtype, input, wt)
            return nn_ops.ADDMM(bias, input, wt)
        shape = tuple(input.shape)
        rows = 1
        for s in shape[:-1]:
            rows *= s
        flat = reshape(input, (rows, shape[-1]))
        _addmm_checks(bias, flat, wt, False)
        _addmm_empty_inner_check(bias._dtype, flat, wt)
        out = nn_ops.ADDMM(bias, flat, wt)
        return view(out, shape[:-1] + (out.shape[1],))
    out = matmul(input, weight.t())
    if bias is not None:
        out.add_(bias)
    return out


# ---- activations -------------------------------------------------------------------------------
def _check_binding(binding: str, params: tuple, args: tuple) -> None:
    """The argument check of the C++ binding torch's Python function hands `args` to
    (torch._C._nn.elu, torch.rrelu, ...): params are (name, type code) pairs. A Scalar accepts a
    tensor only if it is 0-d and does not require grad. Called only when a cheap test finds an
    argument of an unusual type, so valid calls do not pay for it."""
    from .._ops import arg_parser
    overload = tuple((name, code, True, "p") for name, code in params)
    arg_parser.check_python_args(binding, overload, args)
    for pos, ((name, code), v) in enumerate(zip(params, args), 1):
        wrong = (code == "N" and isinstance(v, Tensor) and v.requires_grad) or \
            (code == "I" and isinstance(v, (bool, np.bool_))) or (code == "B" and isinstance(v, np.bool_))
        if wrong:  # the parser's int refuses a bool, its bool a NumPy bool
            raise TypeError(messages.ARG_TYPE.format(name=binding, arg=name, pos=pos,
                                                     type=arg_parser.TYPE_NAMES[code],
                                                     got=arg_parser._got(v)))


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    return P.relu_(input) if inplace else P.relu(input)


def relu_(input: Tensor) -> Tensor:
    return P.relu_(input)


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> Tensor:
    if min_val > max_val:
        raise ValueError(messages.HARDTANH_MIN_MAX)
    op = nn_ops.HARDTANH
    return op.inplace(input, min_val=min_val, max_val=max_val) if inplace else \
        op(input, min_val=min_val, max_val=max_val)


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    return hardtanh(input, 0.0, 6.0, inplace)


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    if isinstance(negative_slope, Tensor):
        _check_binding("leaky_relu_" if inplace else "leaky_relu",
                       (("input", "T"), ("negative_slope", "N")), (input, negative_slope))
    if inplace:
        return nn_ops.LEAKY_RELU_.inplace(input, negative_slope=negative_slope)
    return nn_ops.LEAKY_RELU(input, negative_slope=negative_slope)


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    if isinstance(alpha, Tensor):
        _check_binding("elu_" if inplace else "elu", (("input", "T"), ("alpha", "N")), (input, alpha))
    if inplace:
        return nn_ops.ELU_.inplace(input, alpha=alpha, scale=1.0, input_scale=1.0)
    return nn_ops.ELU(input, alpha=alpha, scale=1.0, input_scale=1.0)


def gelu(input: Tensor, *, approximate: str = "none") -> Tensor:
    # approximate is keyword-only in torch._C._nn.gelu: gelu(x, "tanh") is Python's arity error
    if approximate not in ("none", "tanh"):
        raise RuntimeError(messages.GELU_APPROXIMATE)
    return nn_ops.GELU(input, approximate=approximate)


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    return nn_ops.SILU.inplace(input) if inplace else nn_ops.SILU(input)


def sigmoid(input: Tensor) -> Tensor:
    return input.sigmoid()


def tanh(input: Tensor) -> Tensor:
    return input.tanh()


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    return nn_ops.SOFTPLUS(input, beta=beta, threshold=threshold)


def _get_softmax_dim(name: str, ndim: int, stacklevel: int) -> int:
    warnings.warn(messages.W_SOFTMAX_IMPLICIT_DIM.format(name=name), stacklevel=stacklevel)
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype=None) -> Tensor:
    if dim is None:
        dim = _get_softmax_dim("softmax", input.dim(), _stacklevel)
    return input.softmax(dim) if dtype is None else input.softmax(dim, dtype=dtype)


def log_softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype=None) -> Tensor:
    if dim is None:
        dim = _get_softmax_dim("log_softmax", input.dim(), _stacklevel)
    return input.log_softmax(dim) if dtype is None else input.log_softmax(dim, dtype=dtype)


# ---- normalization and embedding ---------------------------------------------------------------
def layer_norm(input: Tensor, normalized_shape, weight: Tensor | None = None,
               bias: Tensor | None = None, eps: float = 1e-5) -> Tensor:
    if isinstance(normalized_shape, Tensor):  # torch.layer_norm's int list refuses a tensor
        _check_binding("layer_norm", (("input", "T"), ("normalized_shape", "S")), (input, normalized_shape))
    shape = [normalized_shape] if isinstance(normalized_shape, int) else list(normalized_shape)
    nd, k = input.dim(), len(shape)
    if k > nd or list(input.shape[nd - k:]) != shape:
        raise RuntimeError(messages.LAYER_NORM_SHAPE.format(
            shape=shape, tail="".join(f", {s}" for s in shape), size=list(input.shape)))
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and list(t.shape) != shape:
            raise RuntimeError(messages.LAYER_NORM_AFFINE.format(name=name, got=list(t.shape), shape=shape))
    return nn_ops.LAYER_NORM(input, weight if weight is not None else _absent(input),
                             bias if bias is not None else _absent(input),
                             dims=tuple(range(nd - k, nd)), eps=eps,
                             has_weight=weight is not None, has_bias=bias is not None)


def _embedding_renorm_(weight: Tensor, input: Tensor, max_norm: float, norm_type: float) -> None:
    """torch.embedding_renorm_: rows looked up by `input` are scaled in place to norm <= max_norm."""
    rows = np.unique(input._data.reshape(-1))
    w = weight._data
    for r in rows:
        norm = np.linalg.norm(w[r].astype(np.float64).reshape(-1), ord=norm_type)
        if norm > max_norm:
            w[r] *= np.asarray(max_norm / (norm + 1e-7), w.dtype)
    weight._bump_version()


def embedding(input: Tensor, weight: Tensor, padding_idx: int | None = None,
              max_norm: float | None = None, norm_type: float = 2.0,
              scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:
    if padding_idx is not None:  # torch's Python code, before torch.embedding's argument check
        if padding_idx > 0 and padding_idx >= weight.size(0):
            raise AssertionError(messages.PADDING_IDX)
        if padding_idx < 0:
            if padding_idx < -weight.size(0):
                raise AssertionError(messages.PADDING_IDX)
            padding_idx = weight.size(0) + padding_idx
    else:
        padding_idx = -1
    from ._losses import binding_check
    binding_check(embedding, input=input, weight=weight, padding_idx=padding_idx,
                  scale_grad_by_freq=scale_grad_by_freq, sparse=sparse)
    if input._dtype not in (dt.int64, dt.int32):
        raise RuntimeError(messages.EMBEDDING_DTYPE.format(type=input.type()))
    idx = input._data
    if idx.size and (idx.min() < 0 or idx.max() >= weight.shape[0]):
        raise IndexError(messages.EMBEDDING_INDEX)
    if max_norm is not None:
        _embedding_renorm_(weight, input, max_norm, norm_type)
    return nn_ops.EMBEDDING(weight, indices=input, padding_idx=padding_idx,
                            scale_grad_by_freq=scale_grad_by_freq, sparse=sparse)


embedding.__wrapped_by_arg_parser__ = True  # checks torch.embedding's arguments itself (binding_check)


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    return nn_ops.one_hot(tensor, num_classes)


# ---- padding -----------------------------------------------------------------------------------
def pad(input: Tensor, pad, mode: str = "constant", value: float | None = None) -> Tensor:
    if mode != "constant":
        if mode in ("reflect", "replicate", "circular"):
            raise NotImplementedError(messages.PAD_MODE_UNSUPPORTED.format(mode=mode))
        raise NotImplementedError(messages.PAD_MODE.format(mode=mode))
    pad = tuple(int(p) for p in pad)
    if len(pad) % 2:
        raise RuntimeError(messages.PAD_ODD)
    if len(pad) // 2 > input.dim():
        raise RuntimeError(messages.PAD_TOO_LONG.format(length=len(pad), dim=input.dim()))
    return nn_ops.CONSTANT_PAD(input, pad=pad, value=0 if value is None else value)


from . import _functional_attention as _attention  # noqa: E402

scaled_dot_product_attention = _attention.scaled_dot_product_attention
multi_head_attention_forward = _attention.multi_head_attention_forward
_canonical_mask, _none_or_dtype = _attention._canonical_mask, _attention._none_or_dtype
_mha_shape_check, _in_projection = _attention._mha_shape_check, _attention._in_projection
_in_projection_packed = _attention._in_projection_packed

__all__ += ["scaled_dot_product_attention", "multi_head_attention_forward"]

# convolution, pooling, padding modes, interpolation, batch/group/instance norm (issue 4); this
# `pad` (all four modes) replaces the constant-only one above
from ._functional_conv import *  # noqa: E402,F401,F403
from ._functional_conv import __all__ as _conv_all  # noqa: E402
__all__ += [n for n in _conv_all if n not in __all__]

# activations with kernels of their own, and the ones PyTorch composes
from .._ops import activation_ops as _act  # noqa: E402

_SELU_ALPHA, _SELU_SCALE = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946


def selu(input: Tensor, inplace: bool = False) -> Tensor:
    op = nn_ops.ELU_.inplace if inplace else nn_ops.ELU
    args = (input,)
    return op(*args, alpha=_SELU_ALPHA, scale=_SELU_SCALE, input_scale=1.0)


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    return _act.HARDSWISH.inplace(input) if inplace else _act.HARDSWISH(input)


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    return _act.HARDSIGMOID.inplace(input) if inplace else _act.HARDSIGMOID(input)


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    return _act.MISH.inplace(input) if inplace else _act.MISH(input)


def logsigmoid(input: Tensor) -> Tensor:
    return _act.LOG_SIGMOID(input)


def softsign(input: Tensor) -> Tensor:
    return input / (input.abs() + 1)


def tanhshrink(input: Tensor) -> Tensor:
    return input - input.tanh()


def softmin(input: Tensor, dim=None, _stacklevel: int = 3, dtype=None) -> Tensor:
    if dim is None:
        dim = _get_softmax_dim("softmin", input.dim(), _stacklevel)
    return softmax(-input, dim, _stacklevel=_stacklevel, dtype=dtype)


from ._functional_conv import _parse_binding  # noqa: E402


def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12, out=None) -> Tensor:
    if not isinstance(p, str) and not (isinstance(p, Tensor) and p.dim() != 0):
        # torch.norm hands p and [dim] to linalg_vector_norm's binding, whose parser takes a 0-d
        # tensor as the Scalar ord and checks dim (NOTE [Binding arguments of the pooling, ...])
        if isinstance(p, Tensor):
            p = p.item()
        if dim is not None:
            _parse_binding("linalg_vector_norm", ("dim", 3, [dim] if isinstance(dim, int) else dim, 1))
            if isinstance(dim, Tensor):
                dim = int(dim)
    denom = input.norm(p, dim, keepdim=True).clamp_min(eps).expand_as(input)
    return input / denom


__all__ += ["selu", "hardswish", "hardsigmoid", "mish", "logsigmoid", "softsign", "tanhshrink",
            "softmin", "normalize"]

# ---- prelu, celu, softshrink, hardshrink, threshold, glu, rrelu, bilinear, cosine_similarity,
# pairwise_distance (issue 4): ATen's checks in ATen's order, and the graphs ATen records
from .._ops import loss_ops as _L  # noqa: E402
from .._ops.dispatch import _check_broadcast as _check_broadcast_shapes  # noqa: E402
from .._ops.shape import expand as _expand  # noqa: E402
from .._tensor import _wrap_dim  # noqa: E402
from ..autograd.grad_mode import no_grad as _no_grad  # noqa: E402


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    """at::prelu: weight gets input's rank (its numel at dim 1), then _prelu_kernel."""
    if input._dtype is not weight._dtype:
        raise RuntimeError(messages.PRELU_DTYPE.format(a=input._dtype.short_name, b=weight._dtype.short_name))
    nd = input.dim()
    if weight.numel() != 1:
        if nd == 0:
            raise RuntimeError(messages.PRELU_ZERO_DIM)
        channels = input.shape[1] if nd > 1 else 1
        if channels != weight.numel():
            raise RuntimeError(messages.PRELU_CHANNELS.format(n=weight.numel(), c=channels))
    if weight.dim() > 1:
        raise RuntimeError(messages.PRELU_WEIGHT_DIM.format(ndim=weight.dim()))
    if nd != weight.dim():
        shape = [1] * nd
        if nd > 1:
            shape[1] = weight.numel()
        weight = reshape(weight, tuple(shape))
    return _act.PRELU(input, weight)


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    inplace = bool(inplace)  # torch's `if inplace:` runs before the binding and the kernel
    if isinstance(alpha, Tensor):
        _check_binding("celu_" if inplace else "celu", (("input", "T"), ("alpha", "N")), (input, alpha))
    if alpha == 0:
        raise RuntimeError(messages.CELU_ALPHA)
    return _act.CELU_.inplace(input, alpha=alpha) if inplace else _act.CELU(input, alpha=alpha)


def celu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    return celu(input, alpha, inplace=True)


def softshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    return _act.SOFTSHRINK(input, lambd=lambd)


def hardshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    return _act.HARDSHRINK(input, lambd=lambd)


def _threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    """torch names its function _threshold (F.threshold is an alias): Python's arity errors say so."""
    if isinstance(threshold, Tensor) or isinstance(value, Tensor):
        _check_binding("threshold_" if inplace else "threshold",
                       (("input", "T"), ("threshold", "N"), ("value", "N")), (input, threshold, value))
    if inplace:
        return _act.THRESHOLD_.inplace(input, threshold=threshold, value=value)
    return _act.THRESHOLD(input, threshold=threshold, value=value)


threshold = _threshold


def threshold_(input: Tensor, threshold: float, value: float) -> Tensor:
    return _act.THRESHOLD_.inplace(input, threshold=threshold, value=value)


def glu(input: Tensor, dim: int = -1) -> Tensor:
    if input.dim() == 0:
        raise RuntimeError(messages.GLU_SCALAR)
    if type(dim) is not int:  # then torch._C._nn.glu's parser
        _check_binding("glu", (("input", "T"), ("dim", "I")), (input, dim))
    d = _wrap_dim(dim, input.dim())
    if input.shape[d] % 2:
        raise RuntimeError(messages.GLU_HALVING.format(dim=d, size=input.shape[d]))
    return _act.GLU(input, dim=d)


def rrelu(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False,
          inplace: bool = False) -> Tensor:
    """at::rrelu -> rrelu_with_noise: in training each element <= 0 is scaled by a slope drawn from
    U(lower, upper) (torch's draws, in torch's order); in eval by (lower + upper) / 2."""
    if isinstance(lower, Tensor) or isinstance(upper, Tensor) or \
            (training is not True and training is not False):
        _check_binding("rrelu_" if inplace else "rrelu",
                       (("input", "T"), ("lower", "N"), ("upper", "N"), ("training", "B")),
                       (input, lower, upper, training))
    if lower > upper:
        raise RuntimeError(messages.RRELU_BOUNDS)
    noise = Tensor._make(np.empty(input._data.shape, input._data.dtype))
    op = _act.RRELU_.inplace if inplace else _act.RRELU
    return op(input, noise=noise, lower=lower, upper=upper, training=training)


def rrelu_(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False) -> Tensor:
    return rrelu(input, lower, upper, training, inplace=True)


def _sym_size(t: Tensor, dim: int) -> int:
    """Tensor::sym_size(dim) with its errors."""
    if t.dim() == 0:
        raise IndexError(messages.DIM_NO_DIMS.format(dim=dim))
    return t.shape[_wrap_dim(dim, t.dim())]


def bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """at::bilinear: both inputs flattened to 2-D (ViewBackward0), one _trilinear
    (TrilinearBackward0), the result viewed back, then `+ bias` (AddBackward0)."""
    ts = (input1, input2, weight) + ((bias,) if bias is not None else ())
    if any(t._dtype is not input1._dtype for t in ts):
        raise RuntimeError(messages.BILINEAR_DTYPE.format(
            a=input1._dtype.cpp_name, b=input2._dtype.cpp_name, w=weight._dtype.cpp_name,
            bias="" if bias is None else f", bias: {bias._dtype.cpp_name}"))
    nd = input1.dim()
    if nd != input2.dim():
        raise RuntimeError(messages.BILINEAR_DIMS.format(a=nd, b=input2.dim()))
    for i in range(nd - 1):
        if input1.shape[i] != input2.shape[i]:
            raise RuntimeError(messages.BILINEAR_BATCH.format(dim=i, a=input1.shape[i], b=input2.shape[i]))
    for name, t, k in (("input1", input1, 1), ("input2", input2, 2)):
        got = _sym_size(t, t.dim() - 1)
        expected = _sym_size(weight, k)
        if got != expected:
            raise RuntimeError(messages.BILINEAR_SIZE.format(name=name, got=got, expected=expected))
    if bias is not None:
        got, expected = _sym_size(bias, 0), _sym_size(weight, 0)
        if got != expected:
            raise RuntimeError(messages.BILINEAR_SIZE.format(name="bias", got=got, expected=expected))
    out_shape = tuple(input1.shape[:-1]) + (weight.shape[0],)
    a = reshape(input1, (-1, input1.shape[-1]))
    b = reshape(input2, (-1, input2.shape[-1]))
    if weight.dim() != 3:
        raise RuntimeError(messages.TRILINEAR_DIMS)
    out = reshape(_L.TRILINEAR(a, weight, b, spec="bi,oij,bj->bo"), out_shape)
    return out + bias if bias is not None else out


def _expand_outplace(a: Tensor, b: Tensor) -> tuple[Tensor, Tensor]:
    """at::expand_outplace: both expanded (ExpandBackward0) unless the shapes already agree."""
    if a.shape == b.shape:
        return a, b
    try:
        shape = np.broadcast_shapes(a._data.shape, b._data.shape)
    except ValueError:
        _check_broadcast_shapes([a._data, b._data])
        raise
    return _expand(a, shape), _expand(b, shape)


def cosine_similarity(x1: Tensor, x2: Tensor, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """at::cosine_similarity (torch 2.13): each input divided by its own norm, the norms clamped
    to eps in place under no_grad (so the clamp is invisible to autograd), then the product summed."""
    common = dt.result_type(x1, x2)
    if not common.is_floating_point:
        raise RuntimeError(messages.COSINE_DTYPE.format(dtype=common.short_name))
    if x1._dtype.category < 2:
        x1 = x1.to(common)
    if x2._dtype.category < 2:
        x2 = x2.to(common)
    x1, x2 = _expand_outplace(x1, x2)
    n1 = x1.norm(2, dim, keepdim=True).clone()
    n2 = x2.norm(2, dim, keepdim=True).clone()
    with _no_grad():
        n1.clamp_min_(eps)
        n2.clamp_min_(eps)
    return ((x1 / n1) * (x2 / n2)).sum(dim)


def pairwise_distance(x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6,
                      keepdim: bool = False) -> Tensor:
    """at::pairwise_distance: at::norm(x1 - x2 + eps, p, last dim, keepdim) (NormBackward1)."""
    diff = _L.ADD_SCALAR(x1 - x2, other=eps)
    inner = max(x1.dim(), x2.dim()) - 1
    dims = (_wrap_dim(inner, diff.dim()),) if diff.dim() else None
    return _L.NORM_DIM(diff, p=float(p), dims=dims, keepdim=keepdim)


from ._losses import kl_div  # noqa: E402

__all__ += ["prelu", "celu", "celu_", "softshrink", "hardshrink", "threshold", "threshold_", "glu", "rrelu",
            "rrelu_", "bilinear", "cosine_similarity", "pairwise_distance", "kl_div"]
from ._losses import (cosine_embedding_loss, gaussian_nll_loss, hinge_embedding_loss,  # noqa: E402
                      margin_ranking_loss, multilabel_soft_margin_loss, poisson_nll_loss,
                      soft_margin_loss, triplet_margin_loss)

__all__ += ["cosine_embedding_loss", "margin_ranking_loss", "hinge_embedding_loss", "soft_margin_loss",
            "multilabel_soft_margin_loss", "poisson_nll_loss", "gaussian_nll_loss", "triplet_margin_loss"]

# ---- in-place functional forms (torch._C._nn.elu_ / hardtanh_ / leaky_relu_, torch.selu_) ----------
def elu_(input: Tensor, alpha: float = 1.0, scale: float = 1.0, input_scale: float = 1.0) -> Tensor:
    """torch._C._nn.elu_(input, alpha=1, scale=1, input_scale=1)."""
    if type(scale) is not float or type(input_scale) is not float:
        _check_binding("elu_", (("input", "T"), ("alpha", "N"), ("scale", "N"), ("input_scale", "N")),
                       (input, alpha, scale, input_scale))
    return nn_ops.ELU_.inplace(input, alpha=alpha, scale=scale, input_scale=input_scale)


def hardtanh_(input: Tensor, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    return nn_ops.HARDTANH.inplace(input, min_val=min_val, max_val=max_val)


def leaky_relu_(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    return nn_ops.LEAKY_RELU_.inplace(input, negative_slope=negative_slope)


def selu_(input: Tensor) -> Tensor:
    return nn_ops.ELU_.inplace(input, alpha=_SELU_ALPHA, scale=_SELU_SCALE, input_scale=1.0)


__all__ += ["elu_", "hardtanh_", "leaky_relu_", "selu_"]
from ._functional_extra import embedding_bag, gumbel_softmax, pdist  # noqa: E402

__all__ += ["embedding_bag", "gumbel_softmax", "pdist"]
from ._losses import (multi_margin_loss, multilabel_margin_loss,  # noqa: E402
                      triplet_margin_with_distance_loss)

__all__ += ["multi_margin_loss", "multilabel_margin_loss", "triplet_margin_with_distance_loss"]


# PyTorch's argument parser (issue 9; see _ops/arg_parser.py): nn.functional's C++ bindings check
# their arguments' types before running, and the functions torch writes in Python hand theirs to
# such a binding. Done when this module is loaded, so every reference to these functions (the
# modules' F.relu, TransformerEncoderLayer's `activation is F.relu`) is the checked one.
def _install_arg_parser() -> None:
    import sys
    from .._ops import arg_parser
    module = sys.modules[__name__]
    # bindings without an out= overload (the in-place ones, one_hot, pdist) refuse out=None
    no_out = {name: sig for name, sig in arg_parser.signatures.FUNCTIONAL.items()
              if name.endswith("_") or name in ("one_hot", "pdist")}
    arg_parser.wrap_functions(module, no_out)
    arg_parser.wrap_functions(module, arg_parser.signatures.FUNCTIONAL, nn=True)
    arg_parser.wrap_python_level(module, arg_parser.signatures.PYTHON_LEVEL)


_install_arg_parser()
