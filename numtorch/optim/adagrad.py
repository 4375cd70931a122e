"""optim.Adagrad (torch/optim/adagrad.py), single-tensor path (torch's CPU default): lr_decay,
weight decay, initial_accumulator_value, eps, maximize. State (created at construction, as torch
does): step (a 0-d float tensor) and sum, for every parameter."""
from __future__ import annotations

import numpy as np

from .._core import messages
from .._ops.creation import full_like, tensor
from .._tensor import Tensor
from ._functional import _make, _scalar, _set, quiet, add, addcdiv_
from ._functional import addcmul_
from .optimizer import (Optimizer, _check_hyperparameters, _get_value, _run_closure, _scalar_dtype,
                        _to_scalar, _use_grad_for_differentiable)

__all__ = ["Adagrad", "adagrad"]


class Adagrad(Optimizer):
    def __init__(self, params, lr: float | Tensor = 1e-2, lr_decay: float = 0, weight_decay: float = 0,
                 initial_accumulator_value: float = 0, eps: float = 1e-10, foreach: bool | None = None, *,
                 maximize: bool = False, differentiable: bool = False, fused: bool | None = None) -> None:
        _check_hyperparameters(lr, lr_decay=lr_decay, weight_decay=weight_decay,
                               initial_accumulator_value=initial_accumulator_value, eps=eps)
        defaults = {"lr": lr, "lr_decay": lr_decay, "eps": eps, "weight_decay": weight_decay,
                    "initial_accumulator_value": initial_accumulator_value, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable, "fused": fused}
        super().__init__(params, defaults)
        if fused:
            if differentiable:
                raise RuntimeError(messages.FUSED_DIFFERENTIABLE)
            if foreach:
                raise RuntimeError(messages.FUSED_FOREACH)
        for group in self.param_groups:
            for p in group["params"]:
                self._init_state(p, initial_accumulator_value)

    def __setstate__(self, state) -> None:
        super().__setstate__(state)
        self._setstate_groups({"foreach": None, "maximize": False, "differentiable": False, "fused": None},
                              step_to_tensor=True)
        state_values = list(self.state.values())
        step_is_tensor = len(state_values) != 0 and isinstance(state_values[0]["step"], Tensor)
        if not step_is_tensor:
            for s in state_values:
                s["step"] = tensor(float(s["step"]), dtype=_scalar_dtype())

    def _init_state(self, p: Tensor, initial_accumulator_value: float) -> None:
        state = self.state[p]
        state["step"] = tensor(0.0, dtype=_scalar_dtype())
        init_value = complex(initial_accumulator_value, initial_accumulator_value) \
            if p.is_complex() else initial_accumulator_value
        state["sum"] = full_like(p, init_value)

    def share_memory(self) -> None:
        """torch puts the sums in shared memory for Hogwild; numtorch has one process: a no-op."""

    def _init_group(self, group, params_with_grad, grads, state_sums, state_steps):
        has_sparse_grad, has_complex = False, False
        for p in group["params"]:
            if p.grad is not None:
                has_complex |= p.is_complex()
                params_with_grad.append(p)
                grads.append(p.grad)
                state = self.state[p]
                if len(state) == 0:
                    self._init_state(p, self.defaults["initial_accumulator_value"])
                state_sums.append(state["sum"])
                state_steps.append(state["step"])
        return has_sparse_grad, has_complex

    @_use_grad_for_differentiable
    def step(self, closure=None):
        loss = _run_closure(closure)
        for group in self.param_groups:
            params_with_grad: list[Tensor] = []
            grads: list[Tensor] = []
            state_sums: list[Tensor] = []
            state_steps: list[Tensor] = []
            self._init_group(group, params_with_grad, grads, state_sums, state_steps)
            adagrad(params_with_grad, grads, state_sums, state_steps, lr=group["lr"],
                    weight_decay=group["weight_decay"], lr_decay=group["lr_decay"], eps=group["eps"],
                    maximize=group["maximize"])
        return loss


@quiet
def adagrad(params: list[Tensor], grads: list[Tensor], state_sums: list[Tensor], state_steps: list[Tensor],
            *, lr, weight_decay: float, lr_decay: float, eps: float, maximize: bool) -> None:
    """torch's _single_tensor_adagrad (dense gradients), op for op."""
    lr = float(_to_scalar(lr))
    for param, grad, state_sum, step_t in zip(params, grads, state_sums, state_steps):
        _set(step_t, step_t._data + 1)
        step = _get_value(step_t)
        grad = grad if not maximize else _make(-grad._data)
        if weight_decay != 0:
            grad = add(grad, param, alpha=weight_decay)
        clr = lr / (1 + (step - 1) * lr_decay)
        addcmul_(state_sum, grad, grad, value=1)
        s = state_sum._data
        std = _make(np.sqrt(s) + _scalar(s, eps))  # state_sum.sqrt().add_(eps)
        addcdiv_(param, grad, std, value=-clr)
