"""optim.Adam (torch/optim/adam.py), single-tensor path: amsgrad, weight decay (L2, or decoupled
for AdamW), maximize. State per parameter: step (a 0-d float tensor), exp_avg, exp_avg_sq
(and max_exp_avg_sq with amsgrad)."""
from __future__ import annotations

from .._core import messages
from .._ops.creation import tensor, zeros_like
from .._tensor import Tensor
from . import _functional
from .optimizer import (Optimizer, _check_hyperparameters, _run_closure, _scalar_dtype, _to_scalar,
                        _use_grad_for_differentiable)

__all__ = ["Adam"]


class Adam(Optimizer):
    def __init__(self, params, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, amsgrad: bool = False, *,
                 foreach: bool | None = None, maximize: bool = False, capturable: bool = False,
                 differentiable: bool = False, fused: bool | None = None,
                 decoupled_weight_decay: bool = False) -> None:
        _check_hyperparameters(lr, eps=eps)
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(messages.INVALID_BETA.format(index=0, value=betas[0]))
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(messages.INVALID_BETA.format(index=1, value=betas[1]))
        if not 0.0 <= weight_decay:
            raise ValueError(messages.INVALID_WEIGHT_DECAY.format(value=weight_decay))
        if not ((isinstance(betas[0], float) and isinstance(betas[1], float))
                or (isinstance(betas[0], Tensor) and isinstance(betas[1], Tensor))):
            raise ValueError(messages.BETAS_TYPES)
        betas = tuple(map(_to_scalar, betas))
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay,
                    "amsgrad": amsgrad, "maximize": maximize, "foreach": foreach,
                    "capturable": capturable, "differentiable": differentiable, "fused": fused,
                    "decoupled_weight_decay": decoupled_weight_decay}
        super().__init__(params, defaults)

    def __setstate__(self, state) -> None:
        super().__setstate__(state)
        self._setstate_groups({"amsgrad": False, "maximize": False, "foreach": None, "capturable": False,
                               "differentiable": False, "decoupled_weight_decay": False, "fused": None},
                              step_to_tensor=True)

    def _init_group(self, group, params, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, state_steps):
        for p in group["params"]:
            if p.grad is None:
                continue
            params.append(p)
            grads.append(p.grad)
            state = self.state[p]
            if len(state) == 0:
                state["step"] = tensor(0.0, dtype=_scalar_dtype())
                state["exp_avg"] = zeros_like(p)
                state["exp_avg_sq"] = zeros_like(p)
                if group["amsgrad"]:
                    state["max_exp_avg_sq"] = zeros_like(p)
            exp_avgs.append(state["exp_avg"])
            exp_avg_sqs.append(state["exp_avg_sq"])
            if group["amsgrad"]:
                max_exp_avg_sqs.append(state["max_exp_avg_sq"])
            state_steps.append(state["step"])

    @_use_grad_for_differentiable
    def step(self, closure=None):
        loss = _run_closure(closure)
        for group in self.param_groups:
            params: list[Tensor] = []
            grads: list[Tensor] = []
            exp_avgs: list[Tensor] = []
            exp_avg_sqs: list[Tensor] = []
            max_exp_avg_sqs: list[Tensor] = []
            state_steps: list[Tensor] = []
            beta1, beta2 = group["betas"]
            self._init_group(group, params, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, state_steps)
            _functional.adam(params, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, state_steps,
                             amsgrad=group["amsgrad"], beta1=float(beta1), beta2=float(beta2),
                             lr=float(_to_scalar(group["lr"])), weight_decay=group["weight_decay"],
                             eps=group["eps"], maximize=group["maximize"],
                             decoupled_weight_decay=group["decoupled_weight_decay"])
        return loss
