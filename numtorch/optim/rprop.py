"""optim.Rprop (torch/optim/rprop.py), single-tensor path (torch's CPU default): etas, step_sizes,
maximize. State per parameter: step (a 0-d float tensor), prev (the last gradient used) and
step_size (starts at lr). Only sign tests, products by etas, clamps and adds: bit for bit."""
from __future__ import annotations

import numpy as np

from .._core import messages
from .._ops.creation import full_like, zeros, zeros_like
from .._tensor import Tensor
from ._functional import as_real, cast, fma_rn, quiet, set_
from .optimizer import (Optimizer, _check_hyperparameters, _get_value, _run_closure, _scalar_dtype,
                        _to_scalar, _use_grad_for_differentiable)

__all__ = ["Rprop", "rprop"]


class Rprop(Optimizer):
    def __init__(self, params, lr: float | Tensor = 1e-2, etas: tuple[float, float] = (0.5, 1.2),
                 step_sizes: tuple[float, float] = (1e-6, 50), *, capturable: bool = False,
                 foreach: bool | None = None, maximize: bool = False, differentiable: bool = False) -> None:
        _check_hyperparameters(lr)
        if not 0.0 < etas[0] < 1.0 < etas[1]:
            raise ValueError(messages.INVALID_ETAS.format(eta0=etas[0], eta1=etas[1]))
        defaults = {"lr": lr, "etas": etas, "step_sizes": step_sizes, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable, "capturable": capturable}
        super().__init__(params, defaults)

    def __setstate__(self, state) -> None:
        super().__setstate__(state)
        self._setstate_groups({"foreach": None, "maximize": False, "differentiable": False,
                               "capturable": False}, step_to_tensor=True)

    @staticmethod
    def _fresh_state(p, group) -> dict:
        lr = complex(group["lr"], group["lr"]) if p.is_complex() else _get_value(_to_scalar(group["lr"]))
        return {"step": zeros((), dtype=_scalar_dtype()), "prev": zeros_like(p),
                "step_size": full_like(p.grad, lr)}

    @_use_grad_for_differentiable
    def step(self, closure=None):
        loss = _run_closure(closure)
        for group in self.param_groups:
            etaminus, etaplus = group["etas"]
            step_size_min, step_size_max = group["step_sizes"]
            params, grads, state = self._collect(group, self._fresh_state)
            prevs, step_sizes, state_steps = state["prev"], state["step_size"], state["step"]
            rprop(params, grads, prevs, step_sizes, state_steps, step_size_min=step_size_min,
                  step_size_max=step_size_max, etaminus=etaminus, etaplus=etaplus, maximize=group["maximize"],
                  capturable=group["capturable"])
        return loss


def _sign(a: np.ndarray) -> np.ndarray:
    """Tensor.sign() as ATen's CPU kernel computes it: (0 < a) - (a < 0), so NaN and -0.0 give +0."""
    return (a > 0).astype(a.dtype) - (a < 0).astype(a.dtype)


@quiet
def rprop(params: list[Tensor], grads: list[Tensor], prevs: list[Tensor], step_sizes: list[Tensor],
          state_steps: list[Tensor], *, step_size_min: float, step_size_max: float, etaminus: float,
          etaplus: float, maximize: bool, capturable: bool = False) -> None:
    """torch's _single_tensor_rprop, op for op."""
    for param, grad, prev, step_size, step in zip(params, grads, prevs, step_sizes, state_steps):
        g = grad._data if not maximize else -grad._data
        if capturable:  # CUDA graphs: never on the CPU
            raise AssertionError(messages.CAPTURABLE_DEVICES)
        set_(step, step._data + 1)
        p, g, pv, ss = (as_real(x) for x in (param._data, g, prev._data, step_size._data))
        sign = _sign(g * pv)
        eta_minus = cast(sign, etaminus)
        sign = np.where(sign > 0, cast(sign, etaplus), sign)  # sign[sign.gt(0)] = etaplus
        sign = np.where(sign < 0, eta_minus, sign)            # sign[sign.lt(0)] = etaminus
        sign = np.where(sign == 0, cast(sign, 1), sign)       # sign[sign.eq(0)] = 1
        ss_new = ss * sign
        set_(step_size, np.minimum(np.maximum(ss_new, cast(ss, step_size_min)), cast(ss, step_size_max)))
        g = np.where(sign == eta_minus, cast(g, 0), g)       # grad[sign.eq(etaminus)] = 0
        # param.addcmul_(grad.sign(), step_size, value=-1)
        set_(param, fma_rn(cast(g, -1) * _sign(g), ss, p))
        set_(prev, g)
