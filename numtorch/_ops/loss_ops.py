"""Loss ops with their own ATen nodes: nll_loss (NllLossBackward0 / NllLoss2DBackward0), mse_loss,
smooth_l1_loss, huber_loss, binary_cross_entropy and binary_cross_entropy_with_logits.

`reduction` is ATen's enum (0 none, 1 mean, 2 sum). Targets of nll_loss and all weights are
attributes, not inputs: PyTorch refuses to differentiate through them and gives them no edge."""
from __future__ import annotations

import numpy as np

from .._core import messages
from .creation import zeros_like
from .dispatch import Op
from .pointwise import abs as _abs, clamp_max, exp, log, log1p, sigmoid, where

NONE, MEAN, SUM = 0, 1, 2


def reduce(loss: np.ndarray, reduction: int) -> np.ndarray:
    if reduction == MEAN:
        return np.asarray(np.mean(loss, dtype=loss.dtype) if loss.size else np.nan, loss.dtype)
    if reduction == SUM:
        return np.asarray(np.sum(loss, dtype=loss.dtype), loss.dtype)
    return loss


def _scale(g, reduction: int, numel: int):
    """The gradient of the reduction: g broadcasts against the elementwise gradient."""
    return _div_numel(g, numel) if reduction == MEAN else g


def _div_numel(t, numel):
    # C++ `grad_input.div_(input.sym_numel())`: div by a Scalar (DivBackward1)
    from .nn_ops import DIV_SCALAR
    return DIV_SCALAR(t, other=numel)


# ---- nll_loss --------------------------------------------------------------------------------------
def _nll_prepare(x, target, weight, ignore_index):
    """Views x as (N, C, *) and target as (N, *); returns (x, target, per-element weights, valid),
    valid None when every target counts."""
    if x.ndim == 1:
        x, target = x[None], target.reshape(1)
    n_classes = x.shape[1]
    t = target.astype(np.int64, copy=False)
    if _all_counted(t, n_classes, ignore_index):  # the common case: no mask to build or apply
        w = weight[t].astype(x.dtype, copy=False) if weight is not None else np.ones(t.shape, x.dtype)
        return x, t, w, None
    valid = t != ignore_index
    bad = valid & ((t < 0) | (t >= n_classes))
    if bad.any():
        raise IndexError(messages.NLL_TARGET_BOUNDS.format(target=int(t[bad][0])))
    safe = np.where(valid, t, 0)
    w = weight[safe] if weight is not None else np.ones(safe.shape, x.dtype)
    w = np.where(valid, w, 0).astype(x.dtype)
    return x, safe, w, valid


def _all_counted(t, n_classes, ignore_index) -> bool:
    """Every target is a class index and none is ignore_index (two reductions, no masks)."""
    if not t.size:
        return False
    low, high = t.min(), t.max()
    return 0 <= low and high < n_classes and not low <= ignore_index <= high


def _pick(x, t):
    """x[n, t[n], ...]: fancy indexing on (N, C) (take_along_axis costs more on small arrays)."""
    if x.ndim == 2:
        return x[np.arange(x.shape[0]), t]
    return np.take_along_axis(x, t[:, None], axis=1)[:, 0]


def _plain_targets(x, t, weight, ignore_index) -> bool:
    """(N, C) float32/float64 input, no weight, int64 targets all class indices and ignore_index no
    class: every weight is 1 and the mean's divisor is exactly N (one reduction, no masks)."""
    if weight is not None or x.ndim != 2 or t.dtype != np.int64 or not 0 < t.size < 1 << 24:
        return False
    n_classes = x.shape[1]
    return (x.dtype.itemsize >= 4 and not 0 <= ignore_index < n_classes
            and np.maximum.reduce(t.view(np.uint64)) < n_classes)  # (a negative index wraps to huge)


def _nll_plain_kernel(x, t, reduction):
    """_nll_kernel's values without the ones: -x * 1 is -x and the ones sum to N."""
    losses = -x[np.arange(t.shape[0]), t]
    if reduction == NONE:
        return losses
    total = np.add.reduce(losses, axis=None, dtype=x.dtype)
    return np.asarray(total if reduction == SUM else total / x.dtype.type(t.shape[0]), x.dtype)


def _nll_kernel(x, target, weight, reduction, ignore_index, **_):
    if _plain_targets(x, target._data, weight, ignore_index):
        return _nll_plain_kernel(x, target._data, reduction)
    one_d = x.ndim == 1
    x2, safe, w, valid = _nll_prepare(x, target._data, None if weight is None else weight._data,
                                      ignore_index)
    losses = -_pick(x2, safe) * w
    if valid is not None:  # an ignored row counts +0.0 whatever its logits (inf and nan included)
        losses = np.where(valid, losses, np.zeros((), losses.dtype))
    if reduction == NONE:
        return losses.reshape(()) if one_d else losses
    total = np.add.reduce(losses, axis=None, dtype=x.dtype)  # (np.sum's reduction, unwrapped)
    if reduction == SUM:
        return np.asarray(total, x.dtype)
    return np.asarray(total / np.add.reduce(w, axis=None, dtype=x.dtype), x.dtype)


def _nll_backward_kernel(grad, self, target, weight, reduction, ignore_index, **_):
    if grad.dtype == self.dtype and _plain_targets(self, target._data, weight, ignore_index):
        return _nll_plain_backward_kernel(grad, self, target._data, reduction)
    one_d = self.ndim == 1
    x = np.zeros(self.shape if not one_d else (1,) + self.shape, grad.dtype)
    t = target._data.reshape(1) if one_d else target._data
    _, safe, w, valid = _nll_prepare(x, t, None if weight is None else weight._data, ignore_index)
    g = grad.reshape(safe.shape) if reduction == NONE else grad
    coef = -w * g
    if reduction == MEAN:
        coef = coef / np.add.reduce(w, axis=None, dtype=grad.dtype)
    if valid is not None:
        coef = np.where(valid, coef, 0)
    coef = coef.astype(grad.dtype, copy=False)
    if x.ndim == 2:
        x[np.arange(x.shape[0]), safe] = coef
    else:
        np.put_along_axis(x, safe[:, None], coef[:, None], axis=1)
    return x.reshape(self.shape)


def _nll_plain_backward_kernel(grad, self, t, reduction):
    """_nll_backward_kernel's values without the ones: -1 * grad (/ N for the mean) at each target
    (a product, not a negation: -1 * nan keeps the nan's sign)."""
    x = np.zeros(self.shape, grad.dtype)
    coef = grad.dtype.type(-1) * (grad.reshape(t.shape) if reduction == NONE else grad)
    if reduction == MEAN:
        coef = coef / grad.dtype.type(t.shape[0])
    x[np.arange(t.shape[0]), t] = coef
    return x


def _nll_ops(node: str) -> Op:
    # the backward takes self (unused but for its shape) and has a zero derivative for it, as
    # derivatives.yaml declares: a create_graph gradient then requires grad, as in torch
    backward = Op("nll_loss_backward", _nll_backward_kernel,
                  node=node.replace("Backward0", "BackwardBackward0"),
                  inputs=("grad_output", "self"), promote=None,
                  grads={"grad_output": lambda c, g: forward(g, target=c.target, weight=c.weight,
                                                             reduction=c.reduction,
                                                             ignore_index=c.ignore_index),
                         "self": lambda c, g: zeros_like(g)})
    forward = Op("nll_loss", _nll_kernel, node=node, promote=None,
                 grads={"self": lambda c, g: backward(g, c.self, target=c.target, weight=c.weight,
                                                      reduction=c.reduction, ignore_index=c.ignore_index)})
    return forward


NLL_LOSS = _nll_ops("NllLossBackward0")
NLL_LOSS2D = _nll_ops("NllLoss2DBackward0")


# ---- regression losses -----------------------------------------------------------------------------
def _mse_backward_kernel(g, a, b, reduction, **_):
    """ATen's mse_loss_backward: norm * (self - target) * grad_output, norm = 2 (/ numel for mean),
    computed in the common dtype and written in self's (grad_input is empty_like(self))."""
    diff = a - b
    # C++'s 2. / numel() is inf for an empty input (the result is empty anyway); Python would raise
    norm = np.asarray((2.0 / a.size if a.size else np.inf) if reduction == MEAN else 2.0, diff.dtype)
    return (norm * diff * g).astype(a.dtype, copy=False)


def _mse_double(gg, x, reduction):
    """FunctionsManual mse_loss_double_backward(grad * grad_output, self or target, reduction)."""
    from .nn_ops import DIV_SCALAR, MUL_SCALAR  # C++ `tensor * Scalar`: MulBackward1, DivBackward1
    out = MUL_SCALAR(gg, other=2)
    return DIV_SCALAR(out, other=x.numel()) if reduction == MEAN else out


def _mse_double_grad_output(gg, g_out, x, target, reduction):
    """FunctionsManual mse_loss_double_backward_grad_output."""
    if reduction == NONE:
        return MSE_LOSS_BACKWARD(gg, x, target, reduction=reduction)
    return (MSE_LOSS_BACKWARD(g_out.new_ones(()).expand(g_out.shape), x, target, reduction=reduction)
            * gg).sum()


# derivatives.yaml: mse_loss's derivative is the op mse_loss_backward (MseLossBackwardBackward0
# under create_graph), with derivatives of its own
MSE_LOSS_BACKWARD = Op(
    "mse_loss_backward", _mse_backward_kernel, node="MseLossBackwardBackward0",
    inputs=("grad_output", "self", "target"), promote=None,
    grads={"grad_output": lambda c, g: _mse_double_grad_output(g, c.grad_output, c.self, c.target,
                                                               c.reduction),
           "self": lambda c, g: _mse_double(g * c.grad_output, c.self, c.reduction),
           "target": lambda c, g: -_mse_double(g * c.grad_output, c.target, c.reduction)})
MSE_LOSS = Op("mse_loss", lambda a, b, reduction, **_: reduce((a - b) * (a - b), reduction),
              node="MseLossBackward0", inputs=("self", "target"),
              grads={"self": lambda c, g: MSE_LOSS_BACKWARD(g, c.self, c.target, reduction=c.reduction),
                     "target": lambda c, g: MSE_LOSS_BACKWARD(g, c.target, c.self, reduction=c.reduction)})


def _smooth_l1_kernel(a, b, reduction, beta, **_):
    z = np.abs(a - b)
    b = np.asarray(beta, a.dtype)
    return reduce(np.where(z < beta, 0.5 * z * z / b, z - np.asarray(0.5 * beta, a.dtype)), reduction)


def _smooth_l1_grad(g, self, target, reduction, beta):
    x = self - target
    gs = _scale(g, reduction, self.numel())
    return where(x <= -beta, -gs, where(x >= beta, gs, x * gs / beta))


SMOOTH_L1_LOSS = Op("smooth_l1_loss", _smooth_l1_kernel, node="SmoothL1LossBackward0",
                    inputs=("self", "target"),
                    grads={"self": lambda c, g: _smooth_l1_grad(g, c.self, c.target, c.reduction, c.beta),
                           "target": lambda c, g: -_smooth_l1_grad(g, c.self, c.target, c.reduction, c.beta)})


def _huber_kernel(a, b, reduction, delta, **_):
    z = np.abs(a - b)
    d = np.asarray(delta, a.dtype)
    return reduce(np.where(z < delta, 0.5 * z * z, d * (z - 0.5 * d)), reduction)


def _huber_grad(g, self, target, reduction, delta):
    x = self - target
    gs = _scale(g, reduction, self.numel())
    return where(x <= -delta, -gs * delta, where(x >= delta, gs * delta, x * gs))


HUBER_LOSS = Op("huber_loss", _huber_kernel, node="HuberLossBackward0", inputs=("self", "target"),
                grads={"self": lambda c, g: _huber_grad(g, c.self, c.target, c.reduction, c.delta),
                       "target": lambda c, g: -_huber_grad(g, c.self, c.target, c.reduction, c.delta)})


# ---- binary cross entropy ----------------------------------------------------------------------------
def _bce_kernel(x, t, weight, reduction, **_):
    if ((x < 0) | (x > 1)).any() or np.isnan(x).any():
        raise RuntimeError(messages.BCE_INPUT_RANGE)
    if ((t < 0) | (t > 1)).any():
        raise RuntimeError(messages.BCE_TARGET_RANGE)
    loss = (t - 1) * np.maximum(np.log1p(-x), -100) - t * np.maximum(np.log(x), -100)
    if weight is not None:
        loss = loss * weight._data
    return reduce(loss.astype(x.dtype, copy=False), reduction)


def _weighted(r, weight, reduction, numel):
    if weight is not None:
        r = r * weight
    return _div_numel(r, numel) if reduction == MEAN else r


def _bce_grad_self(g, x, t, weight, reduction):
    r = g * (x - t) / ((1 - x) * x).clamp_min(1e-12)
    return _weighted(r, weight, reduction, x.numel())


def _bce_grad_target(g, x, weight, reduction):
    r = (log1p(-x) - log(x)) * g  # -logit(x)
    return _weighted(r, weight, reduction, x.numel())


BCE = Op("binary_cross_entropy", _bce_kernel, node="BinaryCrossEntropyBackward0", inputs=("self", "target"),
         grads={"self": lambda c, g: _bce_grad_self(g, c.self, c.target, c.weight, c.reduction),
                "target": lambda c, g: _bce_grad_target(g, c.self, c.weight, c.reduction)})


def _log_sigmoid_np(x):
    return np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x)))


def _log_sigmoid(x):
    return clamp_max(x, 0) - log1p(exp(-_abs(x)))


def _bce_logits_kernel(x, t, weight, pos_weight, reduction, **_):
    log_sig = _log_sigmoid_np(x)
    if pos_weight is not None:
        log_sig = log_sig * ((pos_weight._data - 1) * t + 1)
    loss = (1 - t) * x - log_sig
    if weight is not None:
        loss = loss * weight._data
    return reduce(loss.astype(x.dtype, copy=False), reduction)


def _bce_logits_grad_self(g, x, t, weight, pos_weight, reduction):
    if pos_weight is not None:
        tp = pos_weight * t
        r = (ADD_SCALAR(tp, other=1) - t) * sigmoid(x) - tp  # t.add(1): add.Scalar
    else:
        r = sigmoid(x) - t
    return _weighted(r * g, weight, reduction, x.numel())


def _bce_logits_grad_target(g, x, weight, pos_weight, reduction):
    r = _log_sigmoid(-x) - _log_sigmoid(x) * pos_weight if pos_weight is not None else -x
    return _weighted(r * g, weight, reduction, x.numel())


BCE_WITH_LOGITS = Op("binary_cross_entropy_with_logits", _bce_logits_kernel,
                     node="BinaryCrossEntropyWithLogitsBackward0", inputs=("self", "target"),
                     grads={"self": lambda c, g: _bce_logits_grad_self(g, c.self, c.target, c.weight,
                                                                      c.pos_weight, c.reduction),
                            "target": lambda c, g: _bce_logits_grad_target(g, c.self, c.weight,
                                                                          c.pos_weight, c.reduction)})


# ---- issue 4: the ATen ops behind kl_div, pairwise_distance, bilinear and soft_margin_loss -----------
from .._core import dtypes as _dt  # noqa: E402
from .reduction import _norm_kernel  # noqa: E402


def _xlogy_kernel(x, y, **_):
    out = np.where(x == 0, np.zeros((), x.dtype), x * np.log(y))
    return np.where(np.isnan(y), y, out).astype(x.dtype, copy=False)


XLOGY = Op("xlogy", _xlogy_kernel, node="XlogyBackward0", inputs=("self", "other"), promote="float",
           grads={"self": lambda c, g: _masked_fill(XLOGY(g, c.other), (c.self == 0) & (c.other <= 0), 0.0),
                  "other": lambda c, g: g * c.self / c.other})


def _masked_fill(t, mask, value):
    from .scatter import masked_fill
    return masked_fill(t, mask, value)


def _xlogy_scalar_other_grad(g, self, other):
    # derivatives.yaml: other > 0 ? xlogy(grad, other) : xlogy(grad, other).masked_fill(self == 0, 0)
    out = XLOGY_SCALAR_OTHER(g, other=other)
    return out if other > 0 else _masked_fill(out, self == 0, 0.0)


def _xlogy_scalar_other_kernel(x, other, **_):
    if x.dtype.kind in "biu":
        x = x.astype(_dt.get_default_dtype().np)
    return _xlogy_kernel(x, np.asarray(other, x.dtype))


# xlogy.Scalar_Other: a Python number as `other` is an attribute, the node XlogyBackward2
XLOGY_SCALAR_OTHER = Op("xlogy", _xlogy_scalar_other_kernel, node="XlogyBackward2", promote=None,
                        grads={"self": lambda c, g: _xlogy_scalar_other_grad(g, c.self, c.other)})


def _with_scalar(a: np.ndarray, other) -> tuple[np.ndarray, np.ndarray]:
    """ATen's Scalar overloads: an integral tensor with a floating scalar computes in the default
    floating dtype; otherwise the scalar takes the tensor's dtype."""
    if a.dtype.kind in "biu" and isinstance(other, float):
        a = a.astype(_dt.get_default_dtype().np)
    return a, np.asarray(other, a.dtype)


# C++ `tensor + double` / `tensor - double`: add.Scalar / sub.Scalar, one edge
def _add_scalar_kernel(a, other, **_):
    x, s = _with_scalar(a, other)
    return x + s


def _sub_scalar_kernel(a, other, **_):
    x, s = _with_scalar(a, other)
    return x - s


ADD_SCALAR = Op("add", _add_scalar_kernel, node="AddBackward1", promote=None, grads={"self": lambda c, g: g})
SUB_SCALAR = Op("sub", _sub_scalar_kernel, node="SubBackward1", promote=None, grads={"self": lambda c, g: g})


def _norm_grad(g, x, result, p, dims, keepdim):
    """ATen's norm_backward (p = 0: an undefined gradient, as ATen's), declared once beside
    linalg_vector_norm."""
    from .linalg import _vector_norm_backward
    return _vector_norm_backward(g, x, result, p, dims, keepdim)


# at::norm(self, p, dim, keepdim) (NormBackward1), as pairwise_distance calls it
NORM_DIM = Op("norm", lambda a, p, dims, keepdim, **_: _norm_kernel(a, p, dims, keepdim),
              node="NormBackward1", promote=None,
              grads={"self": lambda c, g: _norm_grad(g, c.self, c.result, c.p, c.dims, c.keepdim)})


def _grad_spec(spec: str, k: int) -> str:
    """The einsum spec of the gradient of operand k: the output's and the other operands' indices."""
    ins, out = spec.split("->")
    parts = ins.split(",")
    return ",".join([out] + [s for j, s in enumerate(parts) if j != k]) + "->" + parts[k]


# at::_trilinear as bilinear uses it, written as one einsum; its gradients are _trilinear again
TRILINEAR = Op("_trilinear", lambda a, b, c, spec, **_: np.einsum(spec, a, b, c), node="TrilinearBackward0",
               inputs=("i1", "i2", "i3"), promote=None,
               grads={"i1": lambda c, g: TRILINEAR(g, c.i2, c.i3, spec=_grad_spec(c.spec, 0)),
                      "i2": lambda c, g: TRILINEAR(g, c.i1, c.i3, spec=_grad_spec(c.spec, 1)),
                      "i3": lambda c, g: TRILINEAR(g, c.i1, c.i2, spec=_grad_spec(c.spec, 2))})


def _soft_margin_kernel(x, target, reduction, **_):
    return reduce(np.log1p(np.exp(-x * target._data)).astype(x.dtype, copy=False), reduction)


def _soft_margin_grad(g, x, target, reduction):
    z = (-target * x).sigmoid()  # exp(-t x) / (1 + exp(-t x))
    return _scale(-target * z * g, reduction, x.numel())


# target is not differentiable (an attribute: no edge)
SOFT_MARGIN = Op("soft_margin_loss", _soft_margin_kernel, node="SoftMarginLossBackward0", promote=None,
                 grads={"self": lambda c, g: _soft_margin_grad(g, c.self, c.target, c.reduction)})
