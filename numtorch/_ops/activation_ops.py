"""Activations PyTorch implements as kernels of their own (node names HardswishBackward0,
HardsigmoidBackward0, MishBackward0, LogSigmoidBackward0); formulas from derivatives.yaml, written
with numtorch ops so double backward works."""
from __future__ import annotations

import numpy as np

from .._core import messages
from .comparison import where
from .dispatch import Op


def _relu6_shift(a):
    return np.clip(a + np.asarray(3, a.dtype), 0, 6)


HARDSWISH = Op("hardswish", lambda a: a * _relu6_shift(a) / np.asarray(6, a.dtype), node="HardswishBackward0",
               promote="float",
               grads={"self": lambda c, g: where(c.self <= -3, 0.0, where(c.self < 3, g * (c.self / 3 + 0.5), g))})


def _no_derivative(c, g):
    raise RuntimeError(messages.DERIVATIVE_NOT_IMPLEMENTED.format(name="aten::hardsigmoid_backward"))


# PyTorch's hardsigmoid_backward has no derivative: its node is a NotImplemented that raises
HARDSIGMOID_BACKWARD = Op("hardsigmoid_backward",
                          lambda g, a: np.where((a > -3) & (a < 3), g / np.asarray(6, g.dtype), 0).astype(g.dtype),
                          node="NotImplemented", inputs=("grad_output", "self"), promote=None,
                          grads={"grad_output": _no_derivative, "self": _no_derivative})
HARDSIGMOID_BACKWARD.node_cls.name = lambda self: "torch::autograd::NotImplemented"
HARDSIGMOID = Op("hardsigmoid", lambda a: _relu6_shift(a) / np.asarray(6, a.dtype), node="HardsigmoidBackward0",
                 promote="float", grads={"self": lambda c, g: HARDSIGMOID_BACKWARD(g, c.self)})


def _softplus(a):
    return np.logaddexp(np.zeros((), a.dtype), a)


MISH = Op("mish", lambda a: a * np.tanh(_softplus(a)), node="MishBackward0", promote="float",
          grads={"self": lambda c, g: _mish_grad(g, c.self)})


def _mish_grad(g, x):
    t = x.exp().log1p().tanh()
    return g * (t + x * x.sigmoid() * (1 - t * t))


LOG_SIGMOID = Op("log_sigmoid", lambda a: -_softplus(-a), node="LogSigmoidBackward0", promote="float",
                 grads={"self": lambda c, g: g * (-c.self).sigmoid()})
