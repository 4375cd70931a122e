"""optim.Adadelta (torch/optim/adadelta.py), single-tensor path (torch's CPU default): rho, eps,
weight decay, maximize, lr. State per parameter: step (a 0-d float tensor), square_avg, acc_delta.
Every op rounds as ATen's CPU kernel does; the only possible difference from torch is its (MKL)
sqrt, see _functional.sqrt."""
from __future__ import annotations

from .._core import messages
from .._ops.creation import zeros, zeros_like
from .._tensor import Tensor
from . import _functional
from ._functional import add_complex, add_rn, addcmul_rn, as_real, cast, quiet, set_
from .optimizer import (Optimizer, _check_hyperparameters, _get_value, _run_closure, _scalar_dtype,
                        _to_scalar, _use_grad_for_differentiable)

__all__ = ["Adadelta", "adadelta"]


class Adadelta(Optimizer):
    def __init__(self, params, lr: float | Tensor = 1.0, rho: float = 0.9, eps: float = 1e-6,
                 weight_decay: float = 0, foreach: bool | None = None, *, capturable: bool = False,
                 maximize: bool = False, differentiable: bool = False) -> None:
        _check_hyperparameters(lr)
        if not 0.0 <= rho <= 1.0:
            raise ValueError(messages.INVALID_RHO.format(value=rho))
        _check_hyperparameters(lr, eps=eps, weight_decay=weight_decay)
        defaults = {"lr": lr, "rho": rho, "eps": eps, "weight_decay": weight_decay, "maximize": maximize,
                    "capturable": capturable, "foreach": foreach, "differentiable": differentiable}
        super().__init__(params, defaults)

    def __setstate__(self, state) -> None:
        super().__setstate__(state)
        self._setstate_groups({"foreach": None, "maximize": False, "differentiable": False,
                               "capturable": False}, step_to_tensor=True)

    @staticmethod
    def _fresh_state(p, group) -> dict:
        return {"step": zeros((), dtype=_scalar_dtype()), "square_avg": zeros_like(p),
                "acc_delta": zeros_like(p)}

    @_use_grad_for_differentiable
    def step(self, closure=None):
        loss = _run_closure(closure)
        for group in self.param_groups:
            params_with_grad, grads, state = self._collect(group, self._fresh_state)
            square_avgs = state["square_avg"]
            acc_deltas = state["acc_delta"]
            state_steps = state["step"]
            adadelta(params_with_grad, grads, square_avgs, acc_deltas, state_steps, lr=group["lr"],
                     rho=group["rho"], eps=group["eps"], weight_decay=group["weight_decay"],
                     maximize=group["maximize"], capturable=group["capturable"])
        return loss


@quiet
def adadelta(params: list[Tensor], grads: list[Tensor], square_avgs: list[Tensor], acc_deltas: list[Tensor],
             state_steps: list[Tensor], *, lr, rho: float, eps: float, weight_decay: float, maximize: bool,
             capturable: bool = False) -> None:
    """torch's _single_tensor_adadelta, op for op."""
    if capturable and params:  # checked for all parameters before any update, as torch does
        raise AssertionError(messages.CAPTURABLE_DEVICES_NO_XLA)
    lr = _to_scalar(lr)
    for param, grad, square_avg, acc_delta, step in zip(params, grads, square_avgs, acc_deltas, state_steps):
        set_(step, step._data + 1)
        g = grad._data if not maximize else -grad._data
        p, g, sa, ad = (as_real(x) for x in (param._data, g, square_avg._data, acc_delta._data))
        if weight_decay != 0:  # on the complex tensors in torch: no fused multiply-add then
            g = (add_complex if param.is_complex() else add_rn)(g, p, alpha=weight_decay)
        set_(square_avg, sa * cast(sa, rho))
        set_(square_avg, addcmul_rn(sa, g, g, value=1 - rho))
        std = _functional.sqrt(sa + cast(sa, eps))
        delta = _functional.sqrt(ad + cast(ad, eps))
        delta = delta / std * g  # delta.div_(std).mul_(grad)
        set_(acc_delta, ad * cast(ad, rho))
        set_(acc_delta, addcmul_rn(ad, delta, delta, value=1 - rho))
        set_(param, add_rn(p, delta, alpha=-_get_value(lr)))
