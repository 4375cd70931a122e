"""optim.RMSprop (torch/optim/rmsprop.py), single-tensor path (torch's CPU default): alpha, eps,
weight decay, momentum, centered, maximize. State per parameter: step (a 0-d float tensor),
square_avg, and momentum_buffer / grad_avg when momentum > 0 / centered. Updates are in-place
writes rounded as ATen's CPU kernels round them, one version bump per in-place op; only float32
sqrt differs in the last bit now and then (torch's is MKL's, not correctly rounded)."""
from __future__ import annotations

import numpy as np

from .._core import messages
from .._ops.creation import zeros, zeros_like
from .._tensor import Tensor
from ._functional import _make, _scalar, _set, quiet, add, add_, addcdiv_, addcmul_, lerp_, mul_
from .optimizer import (Optimizer, _check_hyperparameters, _run_closure, _scalar_dtype, _to_scalar,
                        _use_grad_for_differentiable)

__all__ = ["RMSprop", "rmsprop"]


class RMSprop(Optimizer):
    def __init__(self, params, lr: float | Tensor = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0, momentum: float = 0, centered: bool = False,
                 capturable: bool = False, foreach: bool | None = None, maximize: bool = False,
                 differentiable: bool = False) -> None:
        _check_hyperparameters(lr, eps=eps, momentum=momentum, weight_decay=weight_decay, alpha=alpha)
        defaults = {"lr": lr, "momentum": momentum, "alpha": alpha, "eps": eps, "centered": centered,
                    "weight_decay": weight_decay, "capturable": capturable, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable}
        super().__init__(params, defaults)

    def __setstate__(self, state) -> None:
        super().__setstate__(state)
        self._setstate_groups({"momentum": 0, "centered": False, "foreach": None, "maximize": False,
                               "differentiable": False, "capturable": False}, step_to_tensor=True)

    def _init_group(self, group, params_with_grad, grads, square_avgs, momentum_buffer_list, grad_avgs,
                    state_steps) -> bool:
        has_complex = False
        for p in group["params"]:
            if p.grad is None:
                continue
            has_complex |= p.is_complex()
            params_with_grad.append(p)
            grads.append(p.grad)
            state = self.state[p]
            if len(state) == 0:
                state["step"] = zeros((), dtype=_scalar_dtype())
                state["square_avg"] = zeros_like(p)
                if group["momentum"] > 0:
                    state["momentum_buffer"] = zeros_like(p)
                if group["centered"]:
                    state["grad_avg"] = zeros_like(p)
            square_avgs.append(state["square_avg"])
            state_steps.append(state["step"])
            if group["momentum"] > 0:
                momentum_buffer_list.append(state["momentum_buffer"])
            if group["centered"]:
                grad_avgs.append(state["grad_avg"])
        return has_complex

    @_use_grad_for_differentiable
    def step(self, closure=None):
        loss = _run_closure(closure)
        for group in self.param_groups:
            params_with_grad: list[Tensor] = []
            grads: list[Tensor] = []
            square_avgs: list[Tensor] = []
            grad_avgs: list[Tensor] = []
            momentum_buffer_list: list[Tensor] = []
            state_steps: list[Tensor] = []
            self._init_group(group, params_with_grad, grads, square_avgs, momentum_buffer_list, grad_avgs,
                             state_steps)
            rmsprop(params_with_grad, grads, square_avgs, grad_avgs, momentum_buffer_list, state_steps,
                    lr=group["lr"], alpha=group["alpha"], eps=group["eps"],
                    weight_decay=group["weight_decay"], momentum=group["momentum"],
                    centered=group["centered"], maximize=group["maximize"], capturable=group["capturable"])
        return loss


@quiet
def rmsprop(params: list[Tensor], grads: list[Tensor], square_avgs: list[Tensor], grad_avgs: list[Tensor],
            momentum_buffer_list: list[Tensor], state_steps: list[Tensor], *, lr, alpha: float, eps: float,
            weight_decay: float, momentum: float, centered: bool, maximize: bool,
            capturable: bool = False) -> None:
    """torch's _single_tensor_rmsprop, op for op."""
    lr = float(_to_scalar(lr))
    for i, param in enumerate(params):
        if capturable:  # CUDA graphs: never on the CPU
            raise AssertionError(messages.CAPTURABLE_DEVICES)
        step = state_steps[i]
        grad = grads[i] if not maximize else _make(-grads[i]._data)
        square_avg = square_avgs[i]
        _set(step, step._data + 1)
        if weight_decay != 0:
            grad = add(grad, param, alpha=weight_decay)
        addcmul_(mul_(square_avg, alpha), grad, grad, value=1 - alpha)
        if centered:
            grad_avg = grad_avgs[i]
            lerp_(grad_avg, grad, 1 - alpha)
            # square_avg.addcmul(grad_avg, grad_avg, value=-1).sqrt_()
            avg = addcmul_(_make(square_avg._data.copy()), grad_avg, grad_avg, value=-1)
            avg = _make(np.sqrt(avg._data))
        else:
            avg = _make(np.sqrt(square_avg._data))
        avg = _make(avg._data + _scalar(avg._data, eps))  # avg.add_(eps)
        if momentum > 0:
            buf = momentum_buffer_list[i]
            addcdiv_(mul_(buf, momentum), grad, avg)
            add_(param, buf, alpha=-lr)
        else:
            addcdiv_(param, grad, avg, value=-lr)
