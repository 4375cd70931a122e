"""optim.RAdam (torch/optim/radam.py), single-tensor path (torch's CPU default): Adam with the
variance rectification term; weight decay as L2 or decoupled. State per parameter: step (a 0-d
float tensor), exp_avg, exp_avg_sq. Every op rounds as ATen's CPU kernel does; the only possible
difference from torch is its (MKL) sqrt, see _functional.sqrt."""
from __future__ import annotations

import numpy as np

from .._core import messages
from .._ops.creation import tensor, zeros_like
from .._tensor import Tensor
from . import _functional
from ._functional import add_rn, addcmul_rn, as_real, cast, lerp_rn, quiet, set_
from .adamax import _check_betas
from .optimizer import (Optimizer, _check_hyperparameters, _get_value, _run_closure, _scalar_dtype,
                        _to_scalar, _use_grad_for_differentiable)

__all__ = ["RAdam", "radam"]


class RAdam(Optimizer):
    def __init__(self, params, lr: float | Tensor = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, decoupled_weight_decay: bool = False, *,
                 foreach: bool | None = None, maximize: bool = False, capturable: bool = False,
                 differentiable: bool = False) -> None:
        _check_hyperparameters(lr, eps=eps)
        _check_betas(betas)
        if not 0.0 <= weight_decay:
            raise ValueError(messages.INVALID_WEIGHT_DECAY.format(value=weight_decay))
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay, "maximize": maximize,
                    "foreach": foreach, "capturable": capturable,
                    "decoupled_weight_decay": decoupled_weight_decay, "differentiable": differentiable}
        super().__init__(params, defaults)

    def __setstate__(self, state) -> None:
        super().__setstate__(state)
        self._setstate_groups({"foreach": None, "maximize": False, "differentiable": False,
                               "decoupled_weight_decay": False, "capturable": False}, step_to_tensor=True)

    @staticmethod
    def _fresh_state(p, group) -> dict:
        return {"step": tensor(0.0, dtype=_scalar_dtype()), "exp_avg": zeros_like(p),
                "exp_avg_sq": zeros_like(p)}

    @_use_grad_for_differentiable
    def step(self, closure=None):
        loss = _run_closure(closure)
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            params_with_grad, grads, state = self._collect(group, self._fresh_state)
            exp_avgs = state["exp_avg"]
            exp_avg_sqs = state["exp_avg_sq"]
            state_steps = state["step"]
            radam(params_with_grad, grads, exp_avgs, exp_avg_sqs, state_steps, beta1=beta1, beta2=beta2,
                  lr=group["lr"], weight_decay=group["weight_decay"], eps=group["eps"],
                  decoupled_weight_decay=group["decoupled_weight_decay"], maximize=group["maximize"],
                  capturable=group["capturable"])
        return loss


@quiet
def radam(params: list[Tensor], grads: list[Tensor], exp_avgs: list[Tensor], exp_avg_sqs: list[Tensor],
          state_steps: list[Tensor], *, beta1: float, beta2: float, lr, weight_decay: float, eps: float,
          decoupled_weight_decay: bool = False, maximize: bool = False, capturable: bool = False) -> None:
    """torch's _single_tensor_radam, op for op."""
    lr = _to_scalar(lr)
    for param, grad, exp_avg, exp_avg_sq, step_t in zip(params, grads, exp_avgs, exp_avg_sqs, state_steps):
        g = grad._data if not maximize else -grad._data
        if capturable:  # CUDA graphs: never on the CPU
            raise AssertionError(messages.CAPTURABLE_DEVICES)
        p, g, m, sq = (as_real(x) for x in (param._data, g, exp_avg._data, exp_avg_sq._data))
        set_(step_t, step_t._data + 1)
        step = _get_value(step_t)
        if weight_decay != 0:
            if decoupled_weight_decay:
                set_(param, p * cast(p, 1 - lr * weight_decay))
            else:
                g = add_rn(g, p, alpha=weight_decay)
        set_(exp_avg, lerp_rn(m, g, 1 - beta1))
        set_(exp_avg_sq, sq * cast(sq, beta2))
        set_(exp_avg_sq, addcmul_rn(sq, g, g, value=1 - beta2))
        bias_correction1 = 1 - beta1 ** step
        bias_correction2 = 1 - beta2 ** step
        bias_corrected_exp_avg = m / cast(m, bias_correction1)
        rho_inf = 2 / (1 - beta2) - 1
        rho_t = rho_inf - 2 * step * (beta2 ** step) / bias_correction2
        update = bias_corrected_exp_avg * cast(m, lr)
        if rho_t > 5.0:
            rect = ((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5
            exp_avg_sq_sqrt = _functional.sqrt(sq)
            exp_avg_sq_sqrt = exp_avg_sq_sqrt + cast(exp_avg_sq_sqrt, eps)
            # (bias_correction2 ** 0.5) / tensor is Tensor.__rtruediv__: reciprocal(), then a multiply
            adaptive_lr = (np.asarray(1, m.dtype) / exp_avg_sq_sqrt) * cast(m, bias_correction2 ** 0.5)
            update = update * adaptive_lr * cast(m, rect)
        set_(param, p - update)  # add_(update, alpha=-1.0): fma(update, -1, param)
