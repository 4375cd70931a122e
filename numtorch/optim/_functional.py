"""The single-tensor (foreach=False) update rules of SGD and Adam/AdamW, line for line as
torch/optim/sgd.py and adam.py write them, over numpy kernels that round like ATen's CPU kernels:
`add(alpha=...)` and `lerp` are fused multiply-adds there, emulated here by computing in float64
and rounding once. Every in-place update bumps the tensor's version, as the torch op would."""
from __future__ import annotations

import numpy as np

from .._tensor import Tensor

_make = Tensor._make


def _fma(x: np.ndarray, y, z: np.ndarray) -> np.ndarray:
    """x * y + z rounded once (exact for float32/float16 through float64)."""
    if x.dtype in (np.float32, np.float16):
        return (x.astype(np.float64) * np.float64(np.asarray(y, x.dtype)) + z).astype(x.dtype)
    return x * y + z


def _set(t: Tensor, value: np.ndarray) -> Tensor:
    np.copyto(t._data, value, casting="unsafe")
    t._bump_version()
    return t


def _scalar(a: np.ndarray, s) -> np.ndarray:
    return np.asarray(s, a.dtype)


def add(a: Tensor, b: Tensor, alpha: float = 1) -> Tensor:
    """a.add(b, alpha=alpha) (out of place)."""
    return _make(_fma(b._data, alpha, a._data) if alpha != 1 else a._data + b._data)


def add_(a: Tensor, b: Tensor, alpha: float = 1) -> Tensor:
    return _set(a, _fma(b._data, alpha, a._data) if alpha != 1 else a._data + b._data)


def mul_(a: Tensor, s: float) -> Tensor:
    return _set(a, a._data * _scalar(a._data, s))


def lerp_(a: Tensor, end: Tensor, weight: float) -> Tensor:
    x, y = a._data, end._data
    w = float(_scalar(x, weight))
    if abs(w) < 0.5:
        return _set(a, _fma(y - x, w, x))
    return _set(a, _fma(y - x, w - 1, y))


def addcmul_(a: Tensor, t1: Tensor, t2: Tensor, value: float = 1) -> Tensor:
    """a.addcmul_(t1, t2, value=value) as ATen's CPU kernel rounds it: fma(value * t1, t2, a)
    (the float32 product is exact in float64, so one rounding remains)."""
    x = _scalar(a._data, value) * t1._data
    if x.dtype in (np.float32, np.float16):
        return _set(a, (x.astype(np.float64) * t2._data + a._data).astype(x.dtype))
    return _set(a, x * t2._data + a._data)


def addcdiv_(a: Tensor, t1: Tensor, t2: Tensor, value: float = 1) -> Tensor:
    return _set(a, a._data + _scalar(a._data, value) * t1._data / t2._data)


def sgd(params: list[Tensor], grads: list[Tensor], momentum_buffer_list: list[Tensor | None], *,
        weight_decay: float, momentum: float, lr: float, dampening: float, nesterov: bool,
        maximize: bool) -> None:
    for i, param in enumerate(params):
        grad = grads[i] if not maximize else _make(-grads[i]._data)
        if weight_decay != 0:
            grad = add(grad, param, alpha=weight_decay)
        if momentum != 0:
            buf = momentum_buffer_list[i]
            if buf is None:
                buf = _make(grad._data.copy())
                momentum_buffer_list[i] = buf
            else:
                add_(mul_(buf, momentum), grad, alpha=1 - dampening)
            grad = add(grad, buf, alpha=momentum) if nesterov else buf
        add_(param, grad, alpha=-lr)


def adam(params: list[Tensor], grads: list[Tensor], exp_avgs: list[Tensor], exp_avg_sqs: list[Tensor],
         max_exp_avg_sqs: list[Tensor], state_steps: list[Tensor], *, amsgrad: bool, beta1: float,
         beta2: float, lr: float, weight_decay: float, eps: float, maximize: bool,
         decoupled_weight_decay: bool) -> None:
    for i, param in enumerate(params):
        grad = grads[i] if not maximize else _make(-grads[i]._data)
        exp_avg, exp_avg_sq, step_t = exp_avgs[i], exp_avg_sqs[i], state_steps[i]
        _set(step_t, step_t._data + 1)
        if weight_decay != 0:
            if decoupled_weight_decay:
                mul_(param, 1 - lr * weight_decay)
            else:
                grad = add(grad, param, alpha=weight_decay)
        lerp_(exp_avg, grad, 1 - beta1)
        addcmul_(mul_(exp_avg_sq, beta2), grad, grad, value=1 - beta2)
        step = step_t.item()
        bias_correction1 = 1 - beta1 ** step
        bias_correction2 = 1 - beta2 ** step
        step_size = lr / bias_correction1
        bias_correction2_sqrt = bias_correction2 ** 0.5
        if amsgrad:
            _set(max_exp_avg_sqs[i], np.maximum(max_exp_avg_sqs[i]._data, exp_avg_sq._data))
            second = max_exp_avg_sqs[i]._data
        else:
            second = exp_avg_sq._data
        denom = np.sqrt(second) / _scalar(second, bias_correction2_sqrt) + _scalar(second, eps)
        addcdiv_(param, exp_avg, _make(denom), value=-step_size)
