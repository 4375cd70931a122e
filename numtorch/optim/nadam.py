"""optim.NAdam (torch/optim/nadam.py), single-tensor path (torch's CPU default): Adam with Nesterov
momentum and a momentum-decay schedule; weight decay as L2 or decoupled (NAdamW). State per
parameter: step and mu_product (0-d float tensors), exp_avg, exp_avg_sq. Every op rounds as ATen's
CPU kernel does; the only possible difference from torch is its (MKL) sqrt, see _functional.sqrt."""
from __future__ import annotations

from .._core import messages
from .._ops.creation import tensor, zeros_like
from .._tensor import Tensor
from . import _functional
from ._functional import add_rn, addcdiv_rn, addcmul_rn, as_real, cast, lerp_rn, quiet, set_
from .adamax import _check_betas
from .optimizer import (Optimizer, _check_hyperparameters, _get_value, _run_closure, _scalar_dtype,
                        _to_scalar, _use_grad_for_differentiable)

__all__ = ["NAdam", "nadam"]


class NAdam(Optimizer):
    def __init__(self, params, lr: float | Tensor = 2e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, momentum_decay: float = 4e-3,
                 decoupled_weight_decay: bool = False, *, foreach: bool | None = None, maximize: bool = False,
                 capturable: bool = False, differentiable: bool = False) -> None:
        _check_hyperparameters(lr, eps=eps)
        _check_betas(betas)
        if not 0.0 <= weight_decay:
            raise ValueError(messages.INVALID_WEIGHT_DECAY.format(value=weight_decay))
        if not 0.0 <= momentum_decay:
            raise ValueError(messages.INVALID_MOMENTUM_DECAY.format(value=momentum_decay))
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay,
                    "momentum_decay": momentum_decay, "decoupled_weight_decay": decoupled_weight_decay,
                    "maximize": maximize, "foreach": foreach, "capturable": capturable,
                    "differentiable": differentiable}
        super().__init__(params, defaults)

    def __setstate__(self, state) -> None:
        super().__setstate__(state)
        self._setstate_groups({"maximize": False, "foreach": None, "capturable": False,
                               "differentiable": False, "decoupled_weight_decay": False}, step_to_tensor=True)
        for group in self.param_groups:
            for p in group["params"]:
                p_state = self.state.get(p, [])
                if len(p_state) != 0 and not isinstance(p_state["mu_product"], Tensor):
                    p_state["mu_product"] = tensor(p_state["mu_product"], dtype=_scalar_dtype())

    @staticmethod
    def _fresh_state(p, group) -> dict:
        return {"step": tensor(0.0, dtype=_scalar_dtype()), "mu_product": tensor(1.0, dtype=_scalar_dtype()),
                "exp_avg": zeros_like(p), "exp_avg_sq": zeros_like(p)}

    @_use_grad_for_differentiable
    def step(self, closure=None):
        loss = _run_closure(closure)
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            params_with_grad, grads, state = self._collect(group, self._fresh_state)
            exp_avgs = state["exp_avg"]
            exp_avg_sqs = state["exp_avg_sq"]
            mu_products = state["mu_product"]
            state_steps = state["step"]
            nadam(params_with_grad, grads, exp_avgs, exp_avg_sqs, mu_products, state_steps, beta1=beta1,
                  beta2=beta2, lr=group["lr"], weight_decay=group["weight_decay"],
                  momentum_decay=group["momentum_decay"], eps=group["eps"],
                  decoupled_weight_decay=group["decoupled_weight_decay"], maximize=group["maximize"],
                  capturable=group["capturable"])
        return loss


@quiet
def nadam(params: list[Tensor], grads: list[Tensor], exp_avgs: list[Tensor], exp_avg_sqs: list[Tensor],
          mu_products: list[Tensor], state_steps: list[Tensor], *, beta1: float, beta2: float, lr,
          weight_decay: float, momentum_decay: float, eps: float, decoupled_weight_decay: bool = False,
          maximize: bool = False, capturable: bool = False) -> None:
    """torch's _single_tensor_nadam, op for op (a Tensor lr is kept as a tensor in the scalar
    expressions, which then round in its dtype, as in torch)."""
    lr = _to_scalar(lr)
    for param, grad, exp_avg, exp_avg_sq, mu_product, step_t in zip(params, grads, exp_avgs, exp_avg_sqs,
                                                                     mu_products, state_steps):
        g = grad._data if not maximize else -grad._data
        if capturable:  # CUDA graphs: never on the CPU
            raise AssertionError(messages.CAPTURABLE_DEVICES_NADAM)
        p, g, m, sq = (as_real(x) for x in (param._data, g, exp_avg._data, exp_avg_sq._data))
        set_(step_t, step_t._data + 1)
        step = _get_value(step_t)
        bias_correction2 = 1 - beta2 ** step
        if weight_decay != 0:
            if decoupled_weight_decay:
                set_(param, p * cast(p, 1 - lr * weight_decay))
            else:
                g = add_rn(g, p, alpha=weight_decay)
        mu = beta1 * (1.0 - 0.5 * (0.96 ** (step * momentum_decay)))
        mu_next = beta1 * (1.0 - 0.5 * (0.96 ** ((step + 1) * momentum_decay)))
        set_(mu_product, mu_product._data * cast(mu_product._data, mu))  # mu_product *= mu
        set_(exp_avg, lerp_rn(m, g, 1 - beta1))
        set_(exp_avg_sq, sq * cast(sq, beta2))
        set_(exp_avg_sq, addcmul_rn(sq, g, g, value=1 - beta2))
        denom = _functional.sqrt(sq / cast(sq, bias_correction2))
        mu_product_next = _get_value(mu_product) * mu_next
        denom = denom + cast(denom, eps)
        value = -lr * (1.0 - mu) / (1.0 - _get_value(mu_product))
        set_(param, addcdiv_rn(p, g, denom, value=value))
        value = (-lr * mu_next) / (1.0 - mu_product_next)
        set_(param, addcdiv_rn(p, m, denom, value=value))
