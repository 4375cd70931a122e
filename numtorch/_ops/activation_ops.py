"""Activations PyTorch implements as kernels of their own (node names HardswishBackward0,
HardsigmoidBackward0, MishBackward0, LogSigmoidBackward0); formulas from derivatives.yaml, written
with numtorch ops so double backward works."""
from __future__ import annotations

import numpy as np

from .._core import dtypes as dt
from .._core import messages
from .comparison import where
from .dispatch import Op
from .nn_ops import _floats, nan_in_vector_blocks


def _relu6_shift(a):
    return np.clip(a + np.asarray(3, a.dtype), 0, 6)


HARDSWISH = Op("hardswish", _floats("hardswish_cpu", lambda a: a * _relu6_shift(a) / np.asarray(6, a.dtype)), node="HardswishBackward0",
               promote=None,
               grads={"self": lambda c, g: HARDSWISH_BACKWARD(g, c.self)})


def _no_derivative(c, g):
    raise RuntimeError(messages.DERIVATIVE_NOT_IMPLEMENTED.format(name="aten::hardsigmoid_backward"))


# PyTorch's hardsigmoid_backward has no derivative: its node is a NotImplemented that raises
HARDSIGMOID_BACKWARD = Op("hardsigmoid_backward",
                          lambda g, a: np.where((a > -3) & (a < 3), g / np.asarray(6, g.dtype), 0).astype(g.dtype),
                          node="NotImplemented", inputs=("grad_output", "self"), promote=None,
                          grads={"grad_output": _no_derivative, "self": _no_derivative})
HARDSIGMOID_BACKWARD.node_cls.name = lambda self: "torch::autograd::NotImplemented"
HARDSIGMOID = Op("hardsigmoid", _floats("hardsigmoid_cpu", lambda a: _relu6_shift(a) / np.asarray(6, a.dtype)), node="HardsigmoidBackward0",
                 promote=None, grads={"self": lambda c, g: HARDSIGMOID_BACKWARD(g, c.self)})


def _softplus(a):
    return np.logaddexp(np.zeros((), a.dtype), a)


MISH = Op("mish", _floats("mish_cpu", lambda a: a * np.tanh(_softplus(a))), node="MishBackward0", promote=None,
          grads={"self": lambda c, g: _mish_grad(g, c.self)})


def _mish_grad(g, x):
    t = x.exp().log1p().tanh()
    return g * (t + x * x.sigmoid() * (1 - t * t))


LOG_SIGMOID = Op("log_sigmoid", _floats("log_sigmoid_cpu", lambda a: -_softplus(-a)), node="LogSigmoidBackward0", promote=None,
                 grads={"self": lambda c, g: LOG_SIGMOID_BACKWARD(g, c.self)})


# ---- prelu, celu, softshrink, hardshrink, threshold, glu, rrelu (issue 4) ---------------------------
# Kernels of their own in ATen, with the node names PyTorch records. The backward of the piecewise
# ones is an op of its own (SoftshrinkBackwardBackward0, ...) whose derivative for self is zero,
# as for hardtanh in nn_ops.py.
from .creation import zeros_like as _zeros_like  # noqa: E402
from .joining import cat as _cat  # noqa: E402
from .nn_ops import _elu_kernel  # noqa: E402
from .shape import narrow as _narrow  # noqa: E402


def _floating_only(a: np.ndarray, kernel: str) -> None:
    if a.dtype.kind not in "fc":
        raise NotImplementedError(messages.NOT_IMPLEMENTED_DTYPE.format(
            kernel=kernel, dtype=dt._BY_NP[a.dtype].short_name))


def _scalar(a: np.ndarray, value) -> np.ndarray:
    """A Scalar argument as ATen's kernels see it: cast to the tensor's dtype."""
    return np.asarray(value, a.dtype)


def _prelu_kernel(x, w, **_):
    _floating_only(x, "prelu_cpu")
    return np.where(x > 0, x, w * x)


def _prelu_backward_kernel(g, x, w, **_):
    """(grad_self, grad_weight), both of self's shape: the engine sums grad_weight to weight's."""
    positive = x > 0
    return np.where(positive, g, w * g), np.where(positive, np.zeros((), g.dtype), x * g)


def _prelu_double(g_out, x, w, gg, i):
    """derivatives.yaml's formulas for _prelu_kernel_backward (note `self >= 0` there, `> 0` in the
    first derivative, as in torch): i = 0 grad_output, 1 self, 2 weight."""
    gg_self, gg_weight = gg
    nonneg = x >= 0
    if i == 0:
        if gg_self is None:
            return where(nonneg, 0.0, gg_weight * x)
        neg = gg_self * w if gg_weight is None else gg_self * w + gg_weight * x
        return where(nonneg, gg_self, neg)
    other = gg_weight if i == 1 else gg_self
    return _zeros_like(x) if other is None else where(nonneg, 0.0, g_out * other)


def _prelu_grads(c, g, x, w):
    done = c.__dict__.get("_grads")
    if done is None:
        done = c.__dict__["_grads"] = PRELU_BACKWARD(g, x, w)
    return done


def _prelu_double_formula(i: int):
    return lambda c, g: _prelu_double(c.grad_output, c.self, c.weight, g, i)


PRELU_BACKWARD = Op("_prelu_kernel_backward", _prelu_backward_kernel, node="PreluKernelBackwardBackward0",
                    inputs=("grad_output", "self", "weight"), promote=None, multi_output=True,
                    grads={name: _prelu_double_formula(i)
                           for i, name in enumerate(("grad_output", "self", "weight"))})
# _prelu_kernel(self, weight): weight already has self's rank (F.prelu reshapes it, ViewBackward0)
PRELU = Op("_prelu_kernel", _prelu_kernel, node="PreluKernelBackward0", inputs=("self", "weight"),
           promote=None,
           grads={"self": lambda c, g: _prelu_grads(c, g, c.self, c.weight)[0],
                  "weight": lambda c, g: _prelu_grads(c, g, c.self, c.weight)[1]})


def _celu_kernel(a, alpha, **_):
    _floating_only(a, "elu_cpu")
    return _elu_kernel(a, alpha, 1.0, 1.0 / alpha)


def _elu_backward_kernel(g, x, alpha, scale, input_scale, is_result, **_):
    neg_coef, pos_coef, neg_input = _scalar(g, alpha * scale), _scalar(g, scale), _scalar(g, input_scale)
    if is_result:
        neg = g * neg_input * (x + neg_coef)
    else:
        neg = g * neg_input * neg_coef * np.exp(x * neg_input)
    # ATen's vectorized loop picks by `x > 0`, its scalar loop by `x <= 0`: NaN x goes opposite ways
    return nan_in_vector_blocks(np.where(x <= 0, neg, g * pos_coef), neg, g, x)


def _elu_double(gg, g_out, x, alpha, scale, input_scale, is_result):
    """ATen's elu_double_backward (its mask is `< 0`, the first derivative's `<= 0`)."""
    negative = (x < 0).to(gg.dtype)
    if is_result:
        return gg * g_out * input_scale * negative
    return ELU_BACKWARD(gg * g_out * input_scale, x, alpha=alpha, scale=scale, input_scale=input_scale,
                        is_result=False) * negative


ELU_BACKWARD = Op("elu_backward", _elu_backward_kernel, node="EluBackwardBackward0",
                  inputs=("grad_output", "self_or_result"), promote=None,
                  grads={"grad_output": lambda c, g: ELU_BACKWARD(
                             g, c.self_or_result, alpha=c.alpha, scale=c.scale, input_scale=c.input_scale,
                             is_result=c.is_result),
                         "self_or_result": lambda c, g: _elu_double(
                             g, c.grad_output, c.self_or_result, c.alpha, c.scale, c.input_scale,
                             c.is_result)})


def _celu_backward(g, x, alpha, is_result):
    # derivatives.yaml: elu_backward(grad, alpha, 1, 1.0 / alpha.toFloat(), is_result, self or result)
    return ELU_BACKWARD(g, x, alpha=alpha, scale=1.0, input_scale=1.0 / float(np.float32(alpha)),
                        is_result=is_result)


# celu is elu(alpha, scale=1, input_scale=1/alpha); celu_ saves its result (CeluBackward1)
CELU = Op("celu", _floats("elu_cpu", _celu_kernel), node="CeluBackward0", promote=None,
          grads={"self": lambda c, g: _celu_backward(g, c.self, c.alpha, False)})
CELU_ = Op("celu_", _floats("elu_cpu", _celu_kernel), node="CeluBackward1", promote=None,
           grads={"self": lambda c, g: _celu_backward(g, c.result, c.alpha, True)})


def _piecewise_backward(name: str, node: str, kernel, attrs: tuple):
    """The backward op of a piecewise-linear activation: kernel(g, self, **attrs) -> gradient."""
    def grad_output(c, g):
        return op(g, c.self, **{k: getattr(c, k) for k in attrs})
    op = Op(name, kernel, node=node, inputs=("grad_output", "self"), promote=None,
            grads={"grad_output": grad_output, "self": lambda c, g: _zeros_like(g)})
    return op


def _inside(a, lambd):
    return (a >= _scalar(a, -lambd)) & (a <= _scalar(a, lambd))


def _softshrink_kernel(a, lambd, **_):
    _floating_only(a, "softshrink_check")
    info = np.finfo(a.dtype)
    if not 0 <= lambd <= float(info.max):
        raise RuntimeError(messages.SOFTSHRINK_LAMBDA.format(
            max=f"{float(info.max):g}", dtype=dt._BY_NP[a.dtype].short_name, lambd=f"{lambd:g}"))
    low, high = _scalar(a, -lambd), _scalar(a, lambd)
    return np.where(a > high, a - high, np.where(a < low, a + high, a * 0))


SOFTSHRINK_BACKWARD = _piecewise_backward(
    "softshrink_backward", "SoftshrinkBackwardBackward0",
    lambda g, a, lambd, **_: np.where(_inside(a, lambd), 0, g).astype(g.dtype), ("lambd",))
SOFTSHRINK = Op("softshrink", _softshrink_kernel, node="SoftshrinkBackward0", promote=None,
                grads={"self": lambda c, g: SOFTSHRINK_BACKWARD(g, c.self, lambd=c.lambd)})


def _hardshrink_kernel(a, lambd, **_):
    _floating_only(a, "hardshrink_cpu")
    return np.where(_inside(a, lambd), 0, a).astype(a.dtype)


HARDSHRINK_BACKWARD = _piecewise_backward(
    "hardshrink_backward", "HardshrinkBackwardBackward0",
    lambda g, a, lambd, **_: np.where(_inside(a, lambd), 0, g).astype(g.dtype), ("lambd",))
HARDSHRINK = Op("hardshrink", _hardshrink_kernel, node="HardshrinkBackward0", promote=None,
                grads={"self": lambda c, g: HARDSHRINK_BACKWARD(g, c.self, lambd=c.lambd)})


def _threshold_kernel(a, threshold, value, **_):
    if a.dtype == np.bool_:
        raise NotImplementedError(messages.NOT_IMPLEMENTED_DTYPE.format(kernel="threshold_cpu", dtype="Bool"))
    return np.where(a <= _scalar(a, threshold), _scalar(a, value), a)


THRESHOLD_BACKWARD = _piecewise_backward(
    "threshold_backward", "ThresholdBackwardBackward0",
    lambda g, a, threshold, **_: np.where(a <= _scalar(a, threshold), 0, g).astype(g.dtype),
    ("threshold",))
# threshold_ differentiates through the input before the write (Op.inplace saves a clone)
THRESHOLD = Op("threshold", _threshold_kernel, node="ThresholdBackward0", promote=None,
               grads={"self": lambda c, g: THRESHOLD_BACKWARD(g, c.self, threshold=c.threshold)})
THRESHOLD_ = Op("threshold_", _threshold_kernel, node="ThresholdBackward1", promote=None,
                grads={"self": lambda c, g: THRESHOLD_BACKWARD(g, c.self, threshold=c.threshold)})


def _glu_kernel(a, dim, **_):
    _floating_only(a, "glu_cpu")
    first, second = np.split(a, 2, axis=dim)
    return first * (1 / (1 + np.exp(-second)))


def _glu_backward_kernel(g, x, dim, **_):
    first, second = np.split(x, 2, axis=dim)
    sig = 1 / (1 + np.exp(-second))
    return np.concatenate([g * sig, g * first * sig * (1 - sig)], axis=dim)


def _halves(t, dim):
    n = t.shape[dim] // 2
    return _narrow(t, dim, 0, n), _narrow(t, dim, n, n)


def _glu_double_grad_output(gg, x, dim):
    (gg_first, gg_second), (first, second) = _halves(gg, dim), _halves(x, dim)
    sig = second.sigmoid()
    return gg_first * sig + gg_second * first * sig * (1 - sig)


def _glu_double_self(gg, g_out, x, dim):
    (gg_first, gg_second), (first, second) = _halves(gg, dim), _halves(x, dim)
    sig = second.sigmoid()
    slope = sig * (1 - sig)
    return _cat([gg_second * g_out * slope,
                 gg_first * g_out * slope + gg_second * g_out * first * slope * (1 - 2 * sig)], dim)


GLU_BACKWARD = Op("glu_backward", _glu_backward_kernel, node="GluBackwardBackward0",
                  inputs=("grad_output", "self"), promote=None,
                  grads={"grad_output": lambda c, g: _glu_double_grad_output(g, c.self, c.dim),
                         "self": lambda c, g: _glu_double_self(g, c.grad_output, c.self, c.dim)})
GLU = Op("glu", _glu_kernel, node="GluBackward0", promote=None,
         grads={"self": lambda c, g: GLU_BACKWARD(g, c.self, dim=c.dim)})


def _rrelu_slope(lower: float, upper: float) -> float:
    return (lower + upper) / 2


def _rrelu_kernel(a, noise, lower, upper, training, **_):
    if training:
        _floating_only(a, "rrelu_with_noise_out_cpu")
        noise._data[...] = rrelu_noise(a, lower, upper)  # the drawn slope where a <= 0, one elsewhere
        return a * noise._data
    _floating_only(a, "leaky_relu_cpu")
    return np.where(a > 0, a, a * _scalar(a, _rrelu_slope(lower, upper)))


def _rrelu_backward_kernel(g, a, noise, lower, upper, training, **_):
    if training and float(np.float32(upper)) - float(np.float32(lower)) > 1e-6:
        return g * noise._data
    return np.where(a > 0, g, g * _scalar(g, _rrelu_slope(lower, upper)))


RRELU_BACKWARD = _piecewise_backward("rrelu_with_noise_backward", "RreluWithNoiseBackwardBackward0",
                                     _rrelu_backward_kernel, ("noise", "lower", "upper", "training"))


def _rrelu_grad(c, g, x):
    return RRELU_BACKWARD(g, x, noise=c.noise, lower=c.lower, upper=c.upper, training=c.training)


# rrelu_with_noise(self, noise, ...): noise is written by the kernel and has no edge
RRELU = Op("rrelu_with_noise", _rrelu_kernel, node="RreluWithNoiseBackward0", promote=None,
           grads={"self": lambda c, g: _rrelu_grad(c, g, c.self)})
RRELU_ = Op("rrelu_with_noise_", _rrelu_kernel, node="RreluWithNoiseBackward1", promote=None,
            grads={"self": lambda c, g: _rrelu_grad(c, g, c.result)})


def rrelu_noise(x: np.ndarray, lower: float, upper: float) -> np.ndarray:
    """The noise of rrelu in training: ATen's loop over the contiguous input draws, for each element
    <= 0 in order, uniform_real_distribution<double>(lower, upper) (53 bits of one random64, the
    bounds first rounded to the op-math type); the slope is then cast to that type. 1 elsewhere."""
    from .._core import generator as engine
    opmath = np.float64 if x.dtype == np.float64 else np.float32
    lo, hi = float(opmath(lower)), float(opmath(upper))
    flat = np.ascontiguousarray(x).reshape(-1)
    neg = flat <= 0
    gen = engine.default_generator()
    with gen.mutex:
        bits = gen.random64(int(neg.sum()))
    u = (bits & np.uint64((1 << 53) - 1)).astype(np.float64) * 2.0 ** -53
    noise = np.ones(flat.shape, x.dtype)
    noise[neg] = (u * (hi - lo) + lo).astype(opmath)
    return noise.reshape(x.shape)


# ---- backward ops of softplus, hardswish, log_sigmoid ----------------------------------------------
# derivatives.yaml declares each derivative as an op of its own (softplus_backward, ...), with its
# own derivative formulas, so a double backward records SoftplusBackwardBackward0 and so on.
from .nn_ops import DIV_SCALAR as _DIV_SCALAR, MUL_SCALAR as _MUL_SCALAR  # noqa: E402
from .unary import SIGMOID_BACKWARD as _SIGMOID_BACKWARD  # noqa: E402


def _softplus_backward_kernel(g, a, beta, threshold, **_):
    z = a * _scalar(a, beta)
    e = np.exp(z)
    return np.where(z > _scalar(a, threshold), g, g * e / (e + 1))


def _softplus_double(gg, x, beta, threshold):
    """FunctionsManual softplus_double_backward(grad * grad_output, self, beta, threshold)."""
    z = _MUL_SCALAR(x, other=beta)  # C++ `tensor * Scalar`: MulBackward1 nodes
    return _MUL_SCALAR(_SIGMOID_BACKWARD(gg, z.sigmoid()) * (z < threshold).to(gg.dtype), other=beta)


SOFTPLUS_BACKWARD = Op("softplus_backward", _softplus_backward_kernel, node="SoftplusBackwardBackward0",
                       inputs=("grad_output", "self"), promote=None,
                       grads={"grad_output": lambda c, g: SOFTPLUS_BACKWARD(g, c.self, beta=c.beta,
                                                                            threshold=c.threshold),
                              "self": lambda c, g: _softplus_double(g * c.grad_output, c.self, c.beta,
                                                                    c.threshold)})


def _hardswish_backward_kernel(g, a, **_):
    three = np.asarray(3, a.dtype)
    inside = g * (a / three + np.asarray(0.5, a.dtype))
    return np.where(a <= -three, np.zeros((), g.dtype), np.where(a < three, inside, g))


HARDSWISH_BACKWARD = Op("hardswish_backward", _hardswish_backward_kernel, node="HardswishBackwardBackward0",
                        inputs=("grad_output", "self"), promote=None,
                        grads={"grad_output": lambda c, g: HARDSWISH_BACKWARD(g, c.self),
                               "self": lambda c, g: where((c.self > -3) & (c.self < 3),
                                                          _DIV_SCALAR(g * c.grad_output, other=3.0), 0.0)})


def _log_sigmoid_backward_kernel(g, a, **_):
    """ATen's log_sigmoid_backward: grad * (max_deriv - sign * z / (1 + z)), z = exp(-|a|)."""
    negative = a < 0
    z = np.exp(-np.abs(a))
    one = np.ones((), a.dtype)
    return g * (np.where(negative, one, 0 * one) - np.where(negative, one, -one) * (z / (1 + z)))


def _log_sigmoid_double(gg, x):
    """FunctionsManual log_sigmoid_double_backward(grad * grad_output, self)."""
    z = x.sigmoid()
    return gg * (z - 1) * z


LOG_SIGMOID_BACKWARD = Op("log_sigmoid_backward", _log_sigmoid_backward_kernel,
                          node="LogSigmoidBackwardBackward0", inputs=("grad_output", "self"), promote=None,
                          grads={"grad_output": lambda c, g: LOG_SIGMOID_BACKWARD(g, c.self),
                                 "self": lambda c, g: _log_sigmoid_double(g * c.grad_output, c.self)})
