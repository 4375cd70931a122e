"""The loss functions of numtorch.nn.functional, composed as ATen composes them.

cross_entropy: class indices -> nll_loss_nd(log_softmax); probabilities -> -(logp * target).sum()
divided by the batch size (DivBackward1); label smoothing adds ATen's smoothing term (AddBackward0
over two MulBackward1). Argument checks run in ATen's order so the first error raised matches."""
from __future__ import annotations

import functools
import math
import warnings

import numpy as np

from .._core import dtypes as dt
from .._core import messages
from .._autograd.node import expose_saved
from .._core.state import STATE
from .._ops import loss_ops as L
from .._ops import nn_ops
from .._ops.dispatch import _check_broadcast
from .._ops.creation import full_like, ones_like, zeros_like
from .._ops.pointwise import minimum, where
from .._ops.reduction import LOG_SOFTMAX
from .._ops.shape import expand, view
from .._tensor import Tensor
from ..autograd.grad_mode import no_grad
from . import _reduction


def _cpp_double(v: float) -> str:
    """A double as C++'s ostream prints it (%g): 2.0 -> '2', 1.5 -> '1.5'."""
    return f"{v:g}"


def _reduction_enum(size_average, reduce, reduction: str) -> int:
    if size_average is not None or reduce is not None:
        return _reduction.legacy_get_enum(size_average, reduce)
    return _reduction.get_enum(reduction)


_BINDING_CHECKS: dict = {}


def binding_check(fn, **arguments) -> None:
    """For the functions whose torch Python code reads some arguments itself (the legacy
    size_average/reduce, p, padding_idx, ...) before handing the rest to a C++ binding: that
    binding's argument check (signatures.PYTHON_LEVEL) at the point where torch calls it, so an
    error of the Python code comes first. Such functions are marked by `late_binding_check`, which
    makes arg_parser.wrap_python_level leave them unwrapped."""
    check = _BINDING_CHECKS.get(fn.__name__)
    if check is None:
        from .._ops import arg_parser
        binding, checked = arg_parser.signatures.PYTHON_LEVEL[fn.__name__]
        stub = functools.wraps(fn)(lambda *args, **kwargs: None)  # fn's signature, no body
        check = _BINDING_CHECKS[fn.__name__] = arg_parser._wrap_python_level(fn.__name__, stub, binding,
                                                                             checked)
    check(**arguments)


def late_binding_check(fn):
    fn.__wrapped_by_arg_parser__ = True  # (arg_parser's marker: nothing left to wrap)
    return fn


def _float_kernel(a: Tensor, b: Tensor, kernel: str, out: dt.dtype | None = None) -> None:
    """A binary TensorIterator loss with only floating kernels: the result's cast (when its output
    has a dtype of its own), then the dispatch on the common dtype."""
    if a._dtype.is_floating_point and b._dtype.is_floating_point:
        return
    common = dt.promote_types(a._dtype, b._dtype)
    if out is not None and common is not out:
        from .._ops.dispatch import can_cast
        if not can_cast(common, out):
            raise RuntimeError(messages.CAST_RESULT.format(got=common.short_name, expected=out.short_name))
    if not common.is_floating_point:
        raise NotImplementedError(messages.NOT_IMPLEMENTED_DTYPE.format(kernel=kernel,
                                                                        dtype=common.short_name))


def _not_differentiable(t: Tensor | None, fn: str, arg: str) -> None:
    if t is not None and t._requires_grad and STATE.grad_enabled:
        raise RuntimeError(messages.NOT_DIFFERENTIABLE.format(fn=fn, arg=arg))


def _broadcast_tensors(a: Tensor, b: Tensor) -> tuple[Tensor, Tensor]:
    """torch.broadcast_tensors for two tensors: unchanged when the shapes already agree."""
    if a.shape == b.shape:
        return a, b
    try:
        shape = np.broadcast_shapes(a._data.shape, b._data.shape)
    except ValueError:
        _check_broadcast([a._data, b._data])
        raise
    return (a if a._data.shape == shape else expand(a, shape),
            b if b._data.shape == shape else expand(b, shape))


def _warn_target_size(input: Tensor, target: Tensor) -> None:
    if target.size() != input.size():  # (as torch's Python code: a non-tensor fails on .size)
        warnings.warn(messages.W_TARGET_SIZE.format(target=target.shape, input=input.shape), stacklevel=3)


# ---- nll_loss / cross_entropy ------------------------------------------------------------------------
def _check_nll_dtypes(input: Tensor, target: Tensor, weight: Tensor | None, kernel: str) -> None:
    if target._dtype not in (dt.int64, dt.uint8):
        raise RuntimeError(messages.NLL_TARGET_DTYPE.format(dtype=target._dtype.short_name))
    if not input._dtype.is_floating_point:
        raise NotImplementedError(messages.NOT_IMPLEMENTED_DTYPE.format(
            kernel=kernel, dtype=input._dtype.short_name))
    if weight is not None and weight._dtype is not input._dtype:
        raise RuntimeError(messages.SCALAR_TYPE.format(expected=input._dtype.short_name,
                                                       got=weight._dtype.short_name))


def _nll_loss(input, target, weight, reduction, ignore_index) -> Tensor:
    """at::nll_loss: input (C) or (N, C), target () or (N)."""
    # (.ndim, not .dim(): the argument-checked method costs a few microseconds a call)
    nd, target_nd = input.ndim, target.ndim
    if target_nd > 1:
        raise RuntimeError(messages.NLL_TARGET_DIM)
    if nd == 1 and target_nd == 1:
        if target.shape[0] != 1:
            if target._dtype not in (dt.int64, dt.uint8):  # ATen checks the target's dtype first
                raise RuntimeError(messages.NLL_TARGET_DTYPE.format(dtype=target._dtype.short_name))
            raise ValueError(messages.NLL_UNBATCHED.format(size=target.shape[0]))
    elif not (nd == 1 and target_nd == 0) and input.shape[0] != target.shape[0]:
        raise RuntimeError(messages.NLL_SIZE_MISMATCH.format(input=list(input.shape),
                                                             target=list(target.shape)))
    _check_nll_dtypes(input, target, weight, "nll_loss_out_frame")
    n_classes = input.shape[-1]
    if weight is not None and (weight.dim() != 1 or weight.numel() != n_classes):
        raise RuntimeError(messages.NLL_WEIGHT.format(n=n_classes, shape=list(weight.shape)))
    _not_differentiable(weight, "nll_loss_forward", "weight")
    t = target if not (nd == 1 and target_nd == 1) else view(target, ())
    out = L.NLL_LOSS(input, target=t, weight=weight, reduction=reduction, ignore_index=ignore_index)
    return out


def _nll_loss2d(input, target, weight, reduction, ignore_index) -> Tensor:
    if target.dim() != 3:
        raise RuntimeError(messages.NLL2D_TARGET_DIM.format(dim=target.dim()))
    if weight is not None and weight.numel() != input.shape[1]:
        raise RuntimeError(messages.NLL2D_WEIGHT)
    s, ts = input.shape, target.shape
    if not (s[0] == ts[0] and s[2] == ts[1] and s[3] == ts[2]):
        raise RuntimeError(messages.NLL2D_SIZE_MISMATCH.format(input=list(s), target=list(ts)))
    _check_nll_dtypes(input, target, weight, "nll_loss2d_forward_out_frame")
    _not_differentiable(weight, "nll_loss2d_forward", "weight")
    if target._dtype is not dt.int64 and (reduction == L.NONE or input.numel()):
        # the 2-d kernel reads targets as int64 only (a Byte target passes where it reads none)
        raise RuntimeError(messages.SCALAR_TYPE.format(expected="Long", got=target._dtype.short_name))
    return L.NLL_LOSS2D(input, target=target, weight=weight, reduction=reduction, ignore_index=ignore_index)


def nll_loss_nd(input: Tensor, target: Tensor, weight: Tensor | None, reduction: int,
                ignore_index: int) -> Tensor:
    nd = input.ndim
    if nd < 1:
        raise ValueError(messages.NLL_DIMS.format(dim=nd))
    if nd != 1 and input.shape[0] != (target.shape[0] if target.ndim else 0):
        raise ValueError(messages.NLL_BATCH.format(input=input.shape[0],
                                                   target=target.shape[0] if target.ndim else 0))
    if nd in (1, 2):
        return _nll_loss(input, target, weight, reduction, ignore_index)
    if nd == 4:
        return _nll_loss2d(input, target, weight, reduction, ignore_index)
    n, c = input.shape[0], input.shape[1]
    out_size = [n] + list(input.shape[2:])
    if tuple(target.shape[1:]) != tuple(input.shape[2:]):
        raise RuntimeError(messages.NLL_ND_TARGET_SIZE.format(expected=out_size, got=list(target.shape)))
    if input.numel() > 0:
        input, target = input.contiguous(), target.contiguous()
    input_ = view(input, (n, c, 1, -1) if input.numel() > 0 else (n, c, 0, 0))
    target_ = view(target, (n, 1, -1) if target.numel() > 0 else (n, 0, 0))
    out = _nll_loss2d(input_, target_, weight, reduction, ignore_index)
    return view(out, tuple(out_size)) if reduction == L.NONE else out


def _index_argument(value, binding: str):
    """ignore_index as the binding's parser reads an int: a one-element integer tensor gives its
    value; any other tensor is refused with the parser's message."""
    if not isinstance(value, Tensor):
        return value
    if value.numel() == 1 and value._dtype.category == 1:  # (integral, bool excluded)
        return int(value.item())
    raise TypeError(messages.ARG_TYPE.format(name=binding, arg="ignore_index", pos=5, type="int",
                                             got="Tensor"))


def nll_loss(input: Tensor, target: Tensor, weight: Tensor | None = None, size_average=None,
             ignore_index: int = -100, reduce=None, reduction: str = "mean") -> Tensor:
    return nll_loss_nd(input, target, weight, _reduction_enum(size_average, reduce, reduction),
                       _index_argument(ignore_index, "nll_loss_nd"))


def _class_dim_log_softmax(input: Tensor) -> tuple[Tensor, int]:
    class_dim = 0 if input.ndim == 1 else 1
    if not input._dtype.is_floating_point:
        lastdim = class_dim == input.ndim - 1
        kernel = "log_softmax_lastdim_kernel_impl" if lastdim else "log_softmax_kernel_impl"
        raise NotImplementedError(messages.NOT_IMPLEMENTED_DTYPE.format(kernel=kernel,
                                                                        dtype=input._dtype.short_name))
    return input.log_softmax(class_dim), class_dim


def _broadcast_weight(weight: Tensor, nd: int, class_dim: int) -> Tensor:
    if nd <= 1:
        return weight
    shape = [1] * nd
    shape[class_dim] = weight.shape[0]
    return view(weight, tuple(shape))


def _cross_entropy_prob_target(input, target, weight, reduction, label_smoothing) -> Tensor:
    class_dim = 0 if input.dim() == 1 else 1
    n_classes = input.shape[class_dim] if input.dim() else 1
    if weight is not None and not (weight.dim() == 1 and weight.numel() == n_classes):
        raise RuntimeError(messages.CE_PROB_WEIGHT.format(n=n_classes, shape=list(weight.shape)))
    logp, class_dim = _class_dim_log_softmax(input)
    if label_smoothing > 0.0:
        if label_smoothing > 1.0:
            raise RuntimeError(messages.CE_LABEL_SMOOTHING.format(value=_cpp_double(label_smoothing)))
        target = target * (1 - label_smoothing) + (label_smoothing / n_classes)
    prod = logp * target
    if weight is not None:
        prod = prod * _broadcast_weight(weight, logp.dim(), class_dim)
    if reduction == L.NONE:
        return -prod.sum(class_dim)
    total = -prod.sum()
    if reduction == L.SUM:
        return total
    if logp.numel() == 0:  # ATen: -(input * target).sum().fill_(NAN), no division by zero samples
        return -prod.sum().fill_(math.nan)
    # C++ integer division: numel / n_classes is the number of samples
    return nn_ops.DIV_SCALAR(total, other=logp.numel() // n_classes)


def _cross_entropy_label_smoothing(input, target, weight, reduction, ignore_index,
                                   label_smoothing) -> Tensor:
    logp, class_dim = _class_dim_log_softmax(input)
    nll = nll_loss_nd(logp, target, weight, reduction, ignore_index)
    n_classes = logp.shape[class_dim]
    ignore_mask = target == ignore_index
    if weight is not None:
        smooth = -(logp * _broadcast_weight(weight, logp.dim(), class_dim)).sum(class_dim)
    else:
        smooth = -logp.sum(class_dim)
    smooth.masked_fill_(ignore_mask, 0.0)
    if reduction == L.MEAN:
        if weight is not None:
            picked = target.masked_select(~ignore_mask).flatten()
            ret = smooth.sum() / weight.gather(0, picked).sum()
        else:
            ret = smooth.sum() / (~ignore_mask).sum()
    elif reduction == L.SUM:
        ret = smooth.sum()
    else:
        ret = smooth
    return nn_ops.MUL_SCALAR(nll, other=1 - label_smoothing) + \
        nn_ops.MUL_SCALAR(ret, other=label_smoothing / n_classes)


def cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None, size_average=None,
                  ignore_index: int = -100, reduce=None, reduction: str = "mean",
                  label_smoothing: float = 0.0) -> Tensor:
    red = _reduction_enum(size_average, reduce, reduction)
    ignore_index = _index_argument(ignore_index, "cross_entropy_loss")
    # ATen assumes class probabilities when the shapes agree (the arrays' shapes: no Size objects)
    if input._data.shape == target._data.shape:
        if not target._dtype.is_floating_point:
            raise RuntimeError(messages.CE_PROB_DTYPE.format(dtype=target._dtype.short_name))
        if ignore_index >= 0:
            raise RuntimeError(messages.CE_PROB_IGNORE)
        return _cross_entropy_prob_target(input, target, weight, red, label_smoothing)
    if label_smoothing > 0.0:
        if label_smoothing > 1.0:
            raise RuntimeError(messages.CE_LABEL_SMOOTHING.format(value=_cpp_double(label_smoothing)))
        return _cross_entropy_label_smoothing(input, target, weight, red, ignore_index, label_smoothing)
    if _plain_class_targets(input, target, weight):
        return L.NLL_LOSS(LOG_SOFTMAX(input, dim=1), target=target, weight=None, reduction=red,
                          ignore_index=ignore_index)
    logp, _ = _class_dim_log_softmax(input)
    return nll_loss_nd(logp, target, weight, red, ignore_index)


def _plain_class_targets(input: Tensor, target: Tensor, weight: Tensor | None) -> bool:
    """(N, C) floating logits, N int64 class indices, no weight: every check of log_softmax(1) and
    nll_loss passes, so cross_entropy can run their two ops directly (a fifth of its time)."""
    return (weight is None and input._data.ndim == 2 and target._data.ndim == 1 and target._dtype is dt.int64
            and input._dtype.is_floating_point and input._data.shape[0] == target._data.shape[0])


# ---- regression losses -------------------------------------------------------------------------
def _apply_reduction(loss: Tensor, reduction: str) -> Tensor:
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    if reduction == "mean":
        return loss.mean()
    raise ValueError(messages.INVALID_REDUCTION_MODE.format(reduction=reduction))


def _weighted_loss(loss: Tensor, weight: Tensor, input: Tensor, reduction: str, mean_by_weight: bool):
    if weight.shape != input.shape:
        raise ValueError(messages.WEIGHT_SIZE)
    loss = loss * weight
    if reduction == "mean" and mean_by_weight:
        return loss.sum() / weight.sum()
    return _apply_reduction(loss, reduction)


def mse_loss(input: Tensor, target: Tensor, size_average=None, reduce=None, reduction: str = "mean",
             weight: Tensor | None = None) -> Tensor:
    _warn_target_size(input, target)
    if size_average is not None or reduce is not None:
        reduction = _reduction.legacy_get_string(size_average, reduce)
    a, b = _broadcast_tensors(input, target)
    if weight is not None:
        return _weighted_loss((a - b).pow(2), weight, input, reduction, True)
    kind = dt.result_type(a, b)
    if not (kind.is_floating_point or kind.is_complex):  # the mse kernel dispatches on floats
        raise NotImplementedError(messages.NOT_IMPLEMENTED_DTYPE.format(kernel="mse_cpu",
                                                                        dtype=kind.short_name))
    return L.MSE_LOSS(a, b, reduction=_reduction.get_enum(reduction))


def l1_loss(input: Tensor, target: Tensor, size_average=None, reduce=None, reduction: str = "mean",
            weight: Tensor | None = None) -> Tensor:
    _warn_target_size(input, target)
    if size_average is not None or reduce is not None:
        reduction = _reduction.legacy_get_string(size_average, reduce)
    a, b = _broadcast_tensors(input, target)
    if weight is not None:
        return _weighted_loss((a - b).abs(), weight, input, reduction, True)
    _reduction.get_enum(reduction)
    return _apply_reduction((a - b).abs(), reduction)


def smooth_l1_loss(input: Tensor, target: Tensor, size_average=None, reduce=None,
                   reduction: str = "mean", beta: float = 1.0) -> Tensor:
    _warn_target_size(input, target)
    if size_average is not None or reduce is not None:
        reduction = _reduction.legacy_get_string(size_average, reduce)
    a, b = _broadcast_tensors(input, target)
    if beta == 0.0:
        red = _reduction.get_enum(reduction)
        return _apply_reduction((a - b).abs(), ("none", "mean", "sum")[red])
    if beta < 0:
        raise RuntimeError(messages.SMOOTH_L1_BETA)
    _float_kernel(a, b, "smooth_l1_cpu")
    return L.SMOOTH_L1_LOSS(a, b, reduction=_reduction.get_enum(reduction), beta=beta)


def huber_loss(input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0,
               weight: Tensor | None = None) -> Tensor:
    _warn_target_size(input, target)
    a, b = _broadcast_tensors(input, target)
    if delta <= 0:
        raise RuntimeError(messages.HUBER_DELTA)
    _float_kernel(a, b, "huber_cpu", out=input._dtype)  # (its result is empty_like(input))
    if weight is None:
        return L.HUBER_LOSS(a, b, reduction=_reduction.get_enum(reduction), delta=delta)
    loss = L.HUBER_LOSS(a, b, reduction=L.NONE, delta=delta)
    return _weighted_loss(loss, weight, input, reduction, False)


# ---- binary cross entropy ----------------------------------------------------------------------
def binary_cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None,
                         size_average=None, reduce=None, reduction: str = "mean") -> Tensor:
    red = _reduction_enum(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(messages.BCE_TARGET_SIZE.format(target=target.shape, input=input.shape))
    if weight is not None:
        weight = expand(weight, np.broadcast_shapes(target._data.shape, weight._data.shape))
    _not_differentiable(weight, "binary_cross_entropy", "weight")
    if target._dtype is not input._dtype:  # TensorIterator's all-same-dtype check, then dispatch
        raise RuntimeError(messages.ITER_SAME_DTYPE.format(got=target._dtype.short_name,
                                                           expected=input._dtype.short_name))
    if not input._dtype.is_floating_point:
        raise NotImplementedError(messages.NOT_IMPLEMENTED_DTYPE.format(kernel="binary_cross_entropy",
                                                                        dtype=input._dtype.short_name))
    return L.BCE(input, target, weight=weight, reduction=red)


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor, weight: Tensor | None = None,
                                     size_average=None, reduce=None, reduction: str = "mean",
                                     pos_weight: Tensor | None = None) -> Tensor:
    red = _reduction_enum(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(messages.BCE_LOGITS_TARGET_SIZE.format(target=target.shape, input=input.shape))
    _not_differentiable(weight, "binary_cross_entropy_with_logits", "weight")
    _not_differentiable(pos_weight, "binary_cross_entropy_with_logits", "pos_weight")
    if not (input._dtype.is_floating_point and target._dtype.is_floating_point):
        # ATen: log_sigmoid(input), then (1 - target).mul_(input)
        if not input._dtype.is_floating_point:
            raise NotImplementedError(messages.NOT_IMPLEMENTED_DTYPE.format(
                kernel="log_sigmoid_cpu", dtype=input._dtype.short_name))
        if target._dtype is dt.bool_:
            raise RuntimeError(messages.SUB_TWO_BOOLS)
        if target._dtype.category == 1:
            raise RuntimeError(messages.CAST_RESULT.format(got=input._dtype.short_name,
                                                           expected=target._dtype.short_name))
    return L.BCE_WITH_LOGITS(input, target, weight=weight, pos_weight=pos_weight, reduction=red)


# ---- kl_div (issue 4) --------------------------------------------------------------------------
def _reduce_enum(loss: Tensor, reduction: int) -> Tensor:
    """ATen's apply_loss_reduction: mean() (MeanBackward0), sum() (SumBackward0) or the loss."""
    if reduction == L.MEAN:
        return loss.mean()
    if reduction == L.SUM:
        return loss.sum()
    return loss


def torch_kl_div(input: Tensor, target: Tensor, reduction: int = L.NONE, *,
                 log_target: bool = False) -> Tensor:
    """at::kl_div (torch.kl_div): the reduction is ATen's enum, log_target keyword-only."""
    if input._dtype.is_complex or target._dtype.is_complex:
        raise RuntimeError(messages.KL_COMPLEX)
    if not (input._dtype.is_floating_point and target._dtype.is_floating_point):
        raise RuntimeError(messages.KL_INTEGRAL)
    if log_target:
        loss = target.exp() * (target - input)
    else:
        loss = L.XLOGY(target, target) - target * input
    return _reduce_enum(loss, reduction)


torch_kl_div.__name__ = torch_kl_div.__qualname__ = "kl_div"  # as torch.kl_div names itself in errors


@late_binding_check
def kl_div(input: Tensor, target: Tensor, size_average=None, reduce=None, reduction: str = "mean",
           log_target: bool = False) -> Tensor:
    """F.kl_div: at::kl_div (xlogy(t, t) - t * input, or exp(t) * (t - input) for log targets)
    reduced by sum for 'batchmean', then divided by the batch size (DivBackward0)."""
    if size_average is not None or reduce is not None:
        red = _reduction.legacy_get_enum(size_average, reduce)
    else:
        if reduction == "mean":
            warnings.warn(messages.W_KL_DIV_MEAN, stacklevel=2)
        red = _reduction.get_enum("sum" if reduction == "batchmean" else reduction)
    binding_check(kl_div, input=input, target=target, log_target=log_target)
    out = torch_kl_div(input, target, red, log_target=log_target)
    if reduction == "batchmean" and input.dim() != 0:
        out = out / input.shape[0]
    return out


# ---- cosine_embedding, margin_ranking, hinge_embedding, soft_margin, multilabel_soft_margin, poisson_nll,
# gaussian_nll and triplet_margin losses (issue 4). The torch_* functions are ATen's (torch.*, the
# reduction an enum), composed as ATen composes them; C++ `scalar - t` is empty_like(t).fill_(scalar)
# .sub_(t) (SubBackward0 with no edge for the scalar), `t + double` is add.Scalar (AddBackward1).
_EPSILON = 1e-12


def _scalar_minus(value: float, t: Tensor) -> Tensor:
    return full_like(t, value) - t


def torch_cosine_embedding_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0.0,
                                reduction: int = L.NONE) -> Tensor:
    targ_dim = target.dim()
    if targ_dim not in (0, 1):
        raise RuntimeError(messages.COSINE_EMB_TARGET)
    want = 2 if targ_dim == 1 else 1
    if input1.dim() != want or input2.dim() != want:
        raise RuntimeError(messages.COSINE_EMB_INPUTS.format(t=targ_dim, i=want, a=list(input1.shape),
                                                             b=list(input2.shape)))
    prod_sum = (input1 * input2).sum(targ_dim)
    mag_square1 = L.ADD_SCALAR((input1 * input1).sum(targ_dim), other=_EPSILON)
    mag_square2 = L.ADD_SCALAR((input2 * input2).sum(targ_dim), other=_EPSILON)
    denom = (mag_square1 * mag_square2).sqrt_()
    cos = prod_sum / denom
    zeros = zeros_like(cos)
    pos = _scalar_minus(1, cos)
    neg = L.SUB_SCALAR(cos, other=margin).clamp_min_(0)
    output = where(target == 1, pos, zeros) + where(target == -1, neg, zeros)
    return _reduce_enum(output, reduction)


def cosine_embedding_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0,
                          size_average=None, reduce=None, reduction: str = "mean") -> Tensor:
    return torch_cosine_embedding_loss(input1, input2, target, margin,
                                       _reduction_enum(size_average, reduce, reduction))


def torch_margin_ranking_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0.0,
                              reduction: int = L.NONE) -> Tensor:
    output = L.ADD_SCALAR(-target * (input1 - input2), other=margin).clamp_min_(0)
    return _reduce_enum(output, reduction)


def margin_ranking_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0,
                        size_average=None, reduce=None, reduction: str = "mean") -> Tensor:
    red = _reduction_enum(size_average, reduce, reduction)
    if input1.dim() != input2.dim() or input1.dim() != target.dim():
        raise RuntimeError(messages.MARGIN_RANKING_DIMS.format(a=input1.size(), b=input2.size(),
                                                               t=target.size()))
    return torch_margin_ranking_loss(input1, input2, target, margin, red)


def torch_hinge_embedding_loss(input: Tensor, target: Tensor, margin: float = 1.0,
                               reduction: int = L.NONE) -> Tensor:
    # (torch.*'s loss bindings default to no reduction at run time, whatever their stubs say)
    zeros = zeros_like(input)
    margin_clamp = _scalar_minus(margin, input).clamp_min_(0)
    output = where(target != 1, margin_clamp, zeros) + where(target != -1, input, zeros)
    return _reduce_enum(output, reduction)


def hinge_embedding_loss(input: Tensor, target: Tensor, margin: float = 1.0, size_average=None,
                         reduce=None, reduction: str = "mean") -> Tensor:
    return torch_hinge_embedding_loss(input, target, margin, _reduction_enum(size_average, reduce, reduction))


@late_binding_check
def soft_margin_loss(input: Tensor, target: Tensor, size_average=None, reduce=None,
                     reduction: str = "mean") -> Tensor:
    red = _reduction_enum(size_average, reduce, reduction)
    binding_check(soft_margin_loss, input=input, target=target)
    _not_differentiable(target, "soft_margin_loss", "target")
    if input._dtype is dt.bool_:  # ATen: neg(input).mul_(target).exp_().log1p_()
        raise RuntimeError(messages.NEG_BOOL)
    if input.shape != target.shape:
        _broadcast_tensors(input, target)  # torch's message when they do not broadcast
    if input._dtype.category == 1:  # mul_ or exp_ writes a floating result into the integer tensor
        common = dt.promote_types(input._dtype, target._dtype)
        got = common if common.category >= 2 else dt.get_default_dtype()
        raise RuntimeError(messages.CAST_RESULT.format(got=got.short_name, expected=input._dtype.short_name))
    return L.SOFT_MARGIN(input, target=target, reduction=red)


def multilabel_soft_margin_loss(input: Tensor, target: Tensor, weight: Tensor | None = None,
                                size_average=None, reduce=None, reduction: str = "mean") -> Tensor:
    if size_average is not None or reduce is not None:
        reduction = _reduction.legacy_get_string(size_average, reduce)
    from .functional import logsigmoid
    loss = -(target * logsigmoid(input) + (1 - target) * logsigmoid(-input))
    if weight is not None:
        loss = loss * weight
    class_dim = input.dim() - 1
    loss = loss.sum(dim=class_dim) / input.size(class_dim)
    if reduction == "none":
        return loss
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    raise ValueError(messages.REDUCTION_NOT_VALID.format(reduction=reduction))


def torch_poisson_nll_loss(input: Tensor, target: Tensor, log_input: bool, full: bool, eps: float,
                           reduction: int) -> Tensor:
    if log_input:
        # ATen's `at::exp(input) - target * input`: the compiler evaluates the right operand
        # first, so target * input is recorded before exp (the backward runs exp's node first)
        scaled = target * input
        loss = input.exp() - scaled
    else:
        loss = input - target * L.ADD_SCALAR(input, other=eps).log()
    if full:
        stirling = target * target.log() - target + \
            nn_ops.MUL_SCALAR(nn_ops.MUL_SCALAR(target, other=2 * math.pi).log(), other=0.5)
        loss += stirling.masked_fill(target <= 1, 0)
    return _reduce_enum(loss, reduction)


def poisson_nll_loss(input: Tensor, target: Tensor, log_input: bool = True, full: bool = False,
                     size_average=None, eps: float = 1e-8, reduce=None, reduction: str = "mean") -> Tensor:
    if size_average is not None or reduce is not None:
        reduction = _reduction.legacy_get_string(size_average, reduce)
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(messages.INVALID_REDUCTION.format(reduction=reduction))
    return torch_poisson_nll_loss(input, target, log_input, full, eps, _reduction.get_enum(reduction))


def gaussian_nll_loss(input: Tensor, target: Tensor, var, full: bool = False, eps: float = 1e-6,
                      reduction: str = "mean") -> Tensor:
    if isinstance(var, float):
        if var < 0:
            raise ValueError(messages.GAUSSIAN_VAR_NEGATIVE)
        var = var * ones_like(input)
    elif (var < 0).any():
        raise ValueError(messages.GAUSSIAN_VAR_NEGATIVE)
    if var.size() != input.size():
        if input.size()[:-1] == var.size():
            var = var.unsqueeze(-1)
        elif input.dim() == var.dim() and \
                sum(v for i, v in zip(input.size(), var.size(), strict=True) if i != v) == 1:
            pass
        else:
            raise ValueError(messages.GAUSSIAN_VAR_SIZE)
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(messages.REDUCTION_NOT_VALID.format(reduction=reduction))
    var = var.clone()
    with no_grad():
        var.clamp_(min=eps)
    loss = 0.5 * (var.log() + (input - target) ** 2 / var)
    if full:
        loss += 0.5 * math.log(2 * math.pi)
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def torch_triplet_margin_loss(anchor: Tensor, positive: Tensor, negative: Tensor, margin: float = 1.0,
                              p: float = 2, eps: float = 1e-6, swap: bool = False,
                              reduction: int = L.NONE) -> Tensor:
    from .functional import pairwise_distance
    a, pd, nd = anchor.dim(), positive.dim(), negative.dim()
    if not a == pd == nd:
        raise RuntimeError(messages.TRIPLET_DIMS.format(a=a, p=pd, n=nd))
    dist_pos = pairwise_distance(anchor, positive, p, eps)
    dist_neg = pairwise_distance(anchor, negative, p, eps)
    if swap:
        dist_neg = minimum(dist_neg, pairwise_distance(positive, negative, p, eps))
    output = (L.ADD_SCALAR(dist_pos, other=margin) - dist_neg).clamp_min(0)
    return _reduce_enum(output, reduction)


def triplet_margin_loss(anchor: Tensor, positive: Tensor, negative: Tensor, margin: float = 1.0,
                        p: float = 2, eps: float = 1e-6, swap: bool = False, size_average=None,
                        reduce=None, reduction: str = "mean") -> Tensor:
    red = _reduction_enum(size_average, reduce, reduction)
    if margin <= 0:
        raise ValueError(messages.TRIPLET_MARGIN.format(margin=margin))
    return torch_triplet_margin_loss(anchor, positive, negative, margin, p, eps, swap, red)


# ---- multi_margin_loss, multilabel_margin_loss, triplet_margin_with_distance_loss (more of torch.nn) ----
def _sizes_of(shape) -> str:
    return "[" + ", ".join(str(s) for s in shape) + "]"


def _margin_frames(input: Tensor) -> tuple[int, int]:
    """multi(label)_margin_loss_shape_check's first check; (frames, classes)."""
    nd = input.dim()
    if not ((nd == 2 and input.shape[1] != 0) or (nd == 1 and input.shape[0] != 0) or nd == 0):
        raise RuntimeError(messages.MARGIN_INPUT.format(size=_sizes_of(input.shape)))
    if nd <= 1:
        return 1, 1 if nd == 0 else input.shape[0]
    return input.shape[0], input.shape[1]


def torch_multi_margin_loss(input: Tensor, target: Tensor, p=1, margin=1.0, weight: Tensor | None = None,
                            reduction: int = L.MEAN) -> Tensor:
    from .._ops import margin_ops
    frames, classes = _margin_frames(input)
    if not (target.dim() <= 1 and target.numel() == frames):
        raise RuntimeError(messages.MULTI_MARGIN_TARGET.format(n=frames, got=_sizes_of(target.shape),
                                                               input=_sizes_of(input.shape)))
    if weight is not None and not (weight.dim() <= 1 and weight.numel() == classes):
        raise RuntimeError(messages.MULTI_MARGIN_WEIGHT_SIZE.format(dim=classes, got=_sizes_of(weight.shape)))
    if input._dtype not in (dt.float32, dt.float64):
        raise NotImplementedError(messages.NOT_IMPLEMENTED_FOR.format(op="multi_margin_loss_cpu_kernel",
                                                                      dtype=input._dtype.short_name))
    if target._dtype is not dt.int64:
        raise RuntimeError(messages.SCALAR_TYPE.format(expected="Long", got=target._dtype.short_name))
    if weight is not None and weight._dtype is not input._dtype:
        raise RuntimeError(messages.SCALAR_TYPE.format(expected=input._dtype.short_name,
                                                       got=weight._dtype.short_name))
    t = target._data
    if t.size and (t.min() < 0 or t.max() >= classes):
        raise RuntimeError(messages.MARGIN_TARGET_RANGE)
    return margin_ops.MULTI_MARGIN(input, target=target, p=int(p), margin=float(margin), reduction=reduction,
                                   weight=weight)


@late_binding_check
def multi_margin_loss(input: Tensor, target: Tensor, p: int = 1, margin: float = 1.0,
                      weight: Tensor | None = None, size_average=None, reduce=None,
                      reduction: str = "mean") -> Tensor:
    red = _reduction_enum(size_average, reduce, reduction)
    if p != 1 and p != 2:
        raise ValueError(messages.MULTI_MARGIN_P)
    if weight is not None and weight.dim() != 1:
        raise ValueError(messages.MULTI_MARGIN_WEIGHT_DIM)
    binding_check(multi_margin_loss, input=input, target=target, p=p, margin=margin, weight=weight)
    return torch_multi_margin_loss(input, target, p, margin, weight, red)


# attributes set after recording (NOTE [Saved attributes])
expose_saved("is_target")


def torch_multilabel_margin_loss(input: Tensor, target: Tensor, reduction: int = L.MEAN) -> Tensor:
    from .._ops import margin_ops
    frames, classes = _margin_frames(input)
    if input.dim() <= 1:
        ok = target.dim() <= 1 and target.numel() == classes
    else:
        ok = target.dim() == 2 and target.shape[0] == frames and target.shape[1] == classes
    if not ok:
        raise RuntimeError(messages.MULTILABEL_TARGET_SIZE.format(target=_sizes_of(target.shape),
                                                                  input=_sizes_of(input.shape)))
    t = target._data
    if t.size and (t.min() < -1 or t.max() >= classes):
        raise RuntimeError(messages.MULTILABEL_TARGET_RANGE)
    if input._dtype not in (dt.float32, dt.float64):
        raise NotImplementedError(messages.NOT_IMPLEMENTED_FOR.format(
            op="multilabel_margin_loss_forward_out_frame", dtype=input._dtype.short_name))
    if target._dtype is not dt.int64:
        raise RuntimeError(messages.SCALAR_TYPE.format(expected="Long", got=target._dtype.short_name))
    out, is_target = margin_ops.MULTILABEL_MARGIN(input, target=target, reduction=reduction)
    fn = out._grad_fn
    if fn is not None:
        fn._attrs["is_target"] = is_target
    return out


@late_binding_check
def multilabel_margin_loss(input: Tensor, target: Tensor, size_average=None, reduce=None,
                           reduction: str = "mean") -> Tensor:
    red = _reduction_enum(size_average, reduce, reduction)
    binding_check(multilabel_margin_loss, input=input, target=target)
    return torch_multilabel_margin_loss(input, target, red)


def triplet_margin_with_distance_loss(anchor: Tensor, positive: Tensor, negative: Tensor, *,
                                      distance_function=None, margin: float = 1.0, swap: bool = False,
                                      reduction: str = "mean") -> Tensor:
    """torch's Python composite: clamp_min(margin + d(a, p) - d(a, n), 0), reduced."""
    from .functional import pairwise_distance
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(messages.TRIPLET_DISTANCE_REDUCTION.format(reduction=reduction))
    if margin <= 0:
        raise ValueError(messages.TRIPLET_MARGIN.format(margin=margin))
    a, pd, nd = anchor.dim(), positive.dim(), negative.dim()
    if not (a == pd and pd == nd):
        raise RuntimeError(messages.TRIPLET_DIMS.format(a=a, p=pd, n=nd))
    if distance_function is None:
        distance_function = pairwise_distance
    dist_pos = distance_function(anchor, positive)
    dist_neg = distance_function(anchor, negative)
    if swap:
        dist_neg = minimum(dist_neg, distance_function(positive, negative))
    loss = (margin + dist_pos - dist_neg).clamp_min(0)
    if reduction == "sum":
        return loss.sum()
    if reduction == "mean":
        return loss.mean()
    return loss
