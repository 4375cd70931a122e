"""optim.Adamax (torch/optim/adamax.py), single-tensor path (torch's CPU default): Adam with an
infinity-norm second moment. State per parameter: step (a 0-d float tensor), exp_avg, exp_inf.
Every in-place op rounds as ATen's CPU kernel does (no sqrt here: bit for bit with torch)."""
from __future__ import annotations

import numpy as np

from .._core import messages
from .._ops.creation import tensor, zeros_like
from .._tensor import Tensor
from ._functional import add_complex, add_rn, addcdiv_rn, as_real, cast, lerp_rn, quiet, set_
from .optimizer import (Optimizer, _check_hyperparameters, _get_value, _run_closure, _scalar_dtype,
                        _to_scalar, _use_grad_for_differentiable)

__all__ = ["Adamax", "adamax"]


def _check_betas(betas) -> None:
    for index in (0, 1):
        if not 0.0 <= betas[index] < 1.0:
            raise ValueError(messages.INVALID_BETA.format(index=index, value=betas[index]))


class Adamax(Optimizer):
    def __init__(self, params, lr: float | Tensor = 2e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, foreach: bool | None = None, *,
                 maximize: bool = False, differentiable: bool = False, capturable: bool = False) -> None:
        _check_hyperparameters(lr, eps=eps)
        _check_betas(betas)
        if not 0.0 <= weight_decay:
            raise ValueError(messages.INVALID_WEIGHT_DECAY.format(value=weight_decay))
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable, "capturable": capturable}
        super().__init__(params, defaults)

    def __setstate__(self, state) -> None:
        super().__setstate__(state)
        self._setstate_groups({"foreach": None, "maximize": False, "differentiable": False,
                               "capturable": False}, step_to_tensor=True)

    @staticmethod
    def _fresh_state(p, group) -> dict:
        return {"step": tensor(0.0, dtype=_scalar_dtype()), "exp_avg": zeros_like(p),
                "exp_inf": zeros_like(p)}

    @_use_grad_for_differentiable
    def step(self, closure=None):
        loss = _run_closure(closure)
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            params_with_grad, grads, state = self._collect(group, self._fresh_state)
            exp_avgs = state["exp_avg"]
            exp_infs = state["exp_inf"]
            state_steps = state["step"]
            adamax(params_with_grad, grads, exp_avgs, exp_infs, state_steps, eps=group["eps"], beta1=beta1,
                   beta2=beta2, lr=group["lr"], weight_decay=group["weight_decay"],
                   maximize=group["maximize"], capturable=group["capturable"])
        return loss


@quiet
def adamax(params: list[Tensor], grads: list[Tensor], exp_avgs: list[Tensor], exp_infs: list[Tensor],
           state_steps: list[Tensor], *, eps: float, beta1: float, beta2: float, lr, weight_decay: float,
           maximize: bool, capturable: bool = False) -> None:
    """torch's _single_tensor_adamax, op for op. A Tensor lr stays a tensor in `lr / bias_correction`
    (rounded in its dtype), as in torch."""
    lr = _to_scalar(lr)
    for param, grad, exp_avg, exp_inf, step_t in zip(params, grads, exp_avgs, exp_infs, state_steps):
        g = grad._data if not maximize else -grad._data
        if capturable:  # CUDA graphs: never on the CPU
            raise AssertionError(messages.CAPTURABLE_DEVICES)
        set_(step_t, step_t._data + 1)
        p, g, m, u = (as_real(x) for x in (param._data, g, exp_avg._data, exp_inf._data))
        if weight_decay != 0:  # on the complex tensors in torch: no fused multiply-add then
            g = (add_complex if param.is_complex() else add_rn)(g, p, alpha=weight_decay)
        set_(exp_avg, lerp_rn(m, g, 1 - beta1))
        set_(exp_inf, u * cast(u, beta2))
        set_(exp_inf, np.maximum(u, np.abs(g) + cast(g, eps)))
        bias_correction = 1 - beta1 ** _get_value(step_t)
        clr = lr / bias_correction
        set_(param, addcdiv_rn(p, m, u, value=-_get_value(clr)))
