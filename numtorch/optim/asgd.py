"""optim.ASGD (torch/optim/asgd.py), single-tensor path (torch's CPU default): averaged SGD with
lambd, alpha, t0, weight decay, maximize. State per parameter: step, eta, mu (0-d float tensors)
and ax (the running average). eta and mu are recomputed in Python doubles and stored through a
default-dtype tensor, as torch.as_tensor does: bit for bit with a float lr."""
from __future__ import annotations

from .._core import messages
from .._ops.creation import as_tensor, ones, zeros, zeros_like
from .._tensor import Tensor
from ._functional import add_rn, as_real, cast, quiet, set_
from .optimizer import (Optimizer, _check_hyperparameters, _get_value, _run_closure, _scalar_dtype,
                        _to_scalar, _use_grad_for_differentiable)

__all__ = ["ASGD", "asgd"]


class ASGD(Optimizer):
    def __init__(self, params, lr: float | Tensor = 1e-2, lambd: float = 1e-4, alpha: float = 0.75,
                 t0: float = 1e6, weight_decay: float = 0, foreach: bool | None = None,
                 maximize: bool = False, differentiable: bool = False, capturable: bool = False) -> None:
        _check_hyperparameters(lr, weight_decay=weight_decay)
        defaults = {"lr": lr, "lambd": lambd, "alpha": alpha, "t0": t0, "weight_decay": weight_decay,
                    "foreach": foreach, "maximize": maximize, "differentiable": differentiable,
                    "capturable": capturable}
        super().__init__(params, defaults)

    def __setstate__(self, state) -> None:
        super().__setstate__(state)
        self._setstate_groups({"foreach": None, "maximize": False, "differentiable": False,
                               "capturable": False}, step_to_tensor=True)
        for group in self.param_groups:
            for p in group["params"]:
                p_state = self.state.get(p, [])
                for key in ("eta", "mu") if len(p_state) != 0 else ():
                    if not isinstance(p_state[key], Tensor):
                        p_state[key] = as_tensor(p_state[key], dtype=_scalar_dtype())

    @staticmethod
    def _fresh_state(p, group) -> dict:
        return {"step": zeros((), dtype=_scalar_dtype()),
                "eta": as_tensor(_to_scalar(group["lr"]), dtype=_scalar_dtype()).clone().detach(),
                "mu": ones((), dtype=_scalar_dtype()), "ax": zeros_like(p)}

    @_use_grad_for_differentiable
    def step(self, closure=None):
        loss = _run_closure(closure)
        for group in self.param_groups:
            params_with_grad, grads, state = self._collect(group, self._fresh_state)
            mus = state["mu"]
            axs = state["ax"]
            etas = state["eta"]
            state_steps = state["step"]
            asgd(params_with_grad, grads, axs, mus, etas, state_steps, lambd=group["lambd"], lr=group["lr"],
                 t0=group["t0"], alpha=group["alpha"], weight_decay=group["weight_decay"],
                 maximize=group["maximize"], capturable=group["capturable"])
        return loss


@quiet
def asgd(params: list[Tensor], grads: list[Tensor], axs: list[Tensor], mus: list[Tensor], etas: list[Tensor],
         state_steps: list[Tensor], *, lambd: float, lr, t0: float, alpha: float, weight_decay: float,
         maximize: bool, capturable: bool = False) -> None:
    """torch's _single_tensor_asgd, op for op. With a Tensor lr the new eta is tensor arithmetic in
    lr's dtype, as in torch."""
    lr = _to_scalar(lr)
    for param, grad, ax, mu, eta, step_t in zip(params, grads, axs, mus, etas, state_steps):
        g = grad._data if not maximize else -grad._data
        if capturable:  # CUDA graphs: never on the CPU
            raise AssertionError(messages.CAPTURABLE_DEVICES_ASGD)
        p, g, a = (as_real(x) for x in (param._data, g, ax._data))
        set_(step_t, step_t._data + 1)
        if weight_decay != 0:
            g = add_rn(g, p, alpha=weight_decay)
        eta_value = _get_value(eta)
        set_(param, p * cast(p, 1 - lambd * eta_value))  # decay term
        set_(param, add_rn(p, g, alpha=-eta_value))      # update parameter
        if _get_value(mu) != 1:  # averaging
            set_(ax, a + (p - a) * cast(p, mu))
        else:
            set_(ax, p)
        step = _get_value(step_t)
        set_(eta, as_tensor(lr / ((1 + lambd * lr * step) ** alpha))._data)
        set_(mu, as_tensor(1 / max(1, step - t0))._data)
