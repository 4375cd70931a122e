"""optim.SparseAdam (torch/optim/sparse_adam.py): its constructor, checks, defaults and repr.
numtorch has no sparse layout, so no gradient is ever sparse: step() raises torch's error for a
dense gradient (after a closure, if any, has run), as torch does for one."""
from __future__ import annotations

from .._core import messages
from .._tensor import Tensor
from ..autograd.grad_mode import no_grad
from .adamax import _check_betas
from .optimizer import Optimizer, _run_closure

__all__ = ["SparseAdam"]


class SparseAdam(Optimizer):
    def __init__(self, params, lr: float | Tensor = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, maximize: bool = False) -> None:
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError(messages.TENSOR_LR)
        if not 0.0 < lr:
            raise ValueError(messages.INVALID_LR.format(value=lr))
        if not 0.0 < eps:
            raise ValueError(messages.INVALID_EPS.format(value=eps))
        _check_betas(betas)
        defaults = {"lr": lr, "betas": betas, "eps": eps, "maximize": maximize}
        super().__init__(params, defaults)
        sparse_params, complex_params = [], []
        for index, param_group in enumerate(self.param_groups):
            for d_index, d_param in enumerate(param_group["params"]):
                if getattr(d_param, "is_sparse", False):
                    sparse_params.append([index, d_index])
                if d_param.is_complex():
                    complex_params.append([index, d_index])
        if sparse_params:
            raise ValueError(messages.SPARSE_ADAM_SPARSE_PARAMS.format(indices=sparse_params))
        if complex_params:
            raise ValueError(messages.SPARSE_ADAM_COMPLEX_PARAMS.format(indices=complex_params))

    def step(self, closure=None):
        with no_grad():
            loss = _run_closure(closure)
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is not None and not getattr(p.grad, "is_sparse", False):
                        raise RuntimeError(messages.SPARSE_ADAM_DENSE_GRAD)
        return loss
