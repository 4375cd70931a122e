"""numtorch: PyTorch's tensors and autograd on NumPy. `import numtorch as torch`.

This module only re-exports; the layers are _core -> _autograd -> _tensor -> _ops -> public."""
from __future__ import annotations

import builtins as _builtins

from ._core import malloc_tuning as _malloc_tuning
from ._core import dtypes as _dt
from ._core.device import device
from ._core.device import device as _device
from ._core.dtypes import dtype, get_default_dtype, promote_types, set_default_dtype
from ._tensor import Size, Tensor
from ._ops import methods as _methods
from ._ops.dispatch import can_cast as _can_cast
from ._ops.creation import (arange, as_tensor, empty, empty_like, eye, from_numpy, full, full_like,
                            linspace, logspace, ones, ones_like, tensor, zeros, zeros_like)
from ._ops.indexing import (gather, index_select, masked_fill, masked_select, nonzero)
from ._ops.joining import cat, concat, concatenate, hstack, stack, vstack
from ._ops.linalg import bmm, dot, matmul, mm, mv, outer
from ._ops.pointwise import (abs, acos, add, asin, atan, bitwise_and, bitwise_not, bitwise_or,
                             bitwise_xor, ceil, clamp, clamp_max, clamp_min, clone, cos, cosh, div,
                             eq, exp, exp2, expm1, floor, floor_divide, fmod, frac, ge, gt, isfinite,
                             isinf, isnan, le, log, log1p, log2, log10, logical_and, logical_not,
                             logical_or, logical_xor, lt, maximum, minimum, mul, ne, neg, pow,
                             reciprocal, relu, remainder, round, rsqrt, rsub, sigmoid, sign, sin,
                             sinh, sqrt, square, sub, tan, tanh, trunc, where)
from ._ops.reduction import (all, amax, amin, aminmax, any, argmax, argmin, count_nonzero, cumprod,
                             cumsum, logsumexp, log_softmax, max, mean, min, nanmean, nansum, norm, prod,
                             softmax, std, sum, var)
from ._ops.shape import (broadcast_to, chunk, diagonal, flatten, flip, movedim, narrow, permute,
                         reshape, select, split, squeeze, swapaxes, t, tensor_split, transpose,
                         unbind, unflatten, unsqueeze)
from ._tensor_str import set_printoptions
from . import autograd
from .autograd.grad_mode import (enable_grad, inference_mode, is_grad_enabled,
                                 is_inference_mode_enabled, no_grad, set_grad_enabled)
from .autograd.anomaly_mode import is_anomaly_check_nan_enabled, is_anomaly_enabled

_methods.bind()
_malloc_tuning.tune()

bool = _dt.bool_
uint8, int8, int16, int32, int64 = _dt.uint8, _dt.int8, _dt.int16, _dt.int32, _dt.int64
float16, float32, float64 = _dt.float16, _dt.float32, _dt.float64
complex64, complex128 = _dt.complex64, _dt.complex128
half, float, double = float16, float32, float64
short, int, long = int16, int32, int64
cfloat, cdouble = complex64, complex128

true_divide = divide = div
multiply = mul
from ._ops.arithmetic import subtract  # noqa: E402  (sub without the deprecated overload)
negative = neg
absolute = abs
clip = clamp
arcsin, arccos, arctan = asin, acos, atan
swapdims = swapaxes
moveaxis = movedim
__version__ = "2.13.0"


def is_tensor(obj) -> _builtins.bool:
    return isinstance(obj, Tensor)


def is_floating_point(input) -> _builtins.bool:
    return input.is_floating_point()


def numel(input) -> _builtins.int:
    return input.numel()


def result_type(tensor1, tensor2) -> dtype:
    return _dt.result_type(tensor1, tensor2)


def can_cast(from_, to) -> _builtins.bool:
    return _can_cast(from_, to)


def is_nonzero(input) -> _builtins.bool:
    return _builtins.bool(input)

from ._ops.sorting import argsort, msort, sort, topk

# random sampling: the generator, factories and the torch.random module
from . import random
from ._ops.random_ops import (Generator, bernoulli, default_generator, multinomial, normal, rand,
                              rand_like, randint, randint_like, randn, randn_like, randperm)
from .random import get_rng_state, initial_seed, manual_seed, seed, set_rng_state

# The larger public modules load on first use (`torch.nn` after a plain `import numtorch as torch`
# works, as in PyTorch), which keeps `import numtorch` fast.
_LAZY_MODULES = {"nn", "optim", "utils", "serialization", "cuda", "accelerator", "backends", "viz",
                 "testing"}
_LAZY_NAMES = {"save": "serialization", "load": "serialization", "from_dlpack": "utils.dlpack"}
# torch.conv2d, torch.prelu, torch.kl_div, ...: the torch-namespace forms of functions that live
# with torch.nn.functional, loaded with it on first use ("module:attribute" when named otherwise)
_LAZY_NAMES.update(dict.fromkeys(
    ("adaptive_avg_pool1d", "avg_pool1d", "conv1d", "conv2d", "conv3d", "conv_transpose1d",
     "conv_transpose2d", "conv_transpose3d", "max_pool1d", "max_pool1d_with_indices", "max_pool2d"),
    "nn._functional_conv"))
_LAZY_NAMES.update({n: "nn._functional_conv:torch_" + n for n in ("batch_norm", "group_norm", "instance_norm")})
_LAZY_NAMES.update(dict.fromkeys(
    ("bilinear", "celu", "celu_", "cosine_similarity", "hardshrink", "pairwise_distance", "prelu",
     "rrelu", "rrelu_", "threshold", "threshold_"), "nn.functional"))
_LAZY_NAMES.update(dict.fromkeys(
    ("pixel_shuffle", "pixel_unshuffle", "channel_shuffle", "max_pool3d", "rms_norm", "pdist", "selu"),
    "nn.functional"))
_LAZY_NAMES.update({n: "_torch_forms:" + n for n in (
    "adaptive_max_pool1d", "dropout", "embedding", "layer_norm")})
_LAZY_NAMES.update({n: "nn._losses:torch_" + n for n in (
    "kl_div", "cosine_embedding_loss", "hinge_embedding_loss", "margin_ranking_loss",
    "poisson_nll_loss", "triplet_margin_loss")})


def __getattr__(name: str):
    import importlib
    if name in _LAZY_MODULES:
        return importlib.import_module(f"{__name__}.{name}")
    if name in _LAZY_NAMES:
        module, _, attr = _LAZY_NAMES[name].partition(":")
        value = getattr(importlib.import_module(f"{__name__}.{module}"), attr or name)
        value = _arg_parser.wrap_one(name, value)  # torch.<name>'s binding signature (issue 9)
        globals()[name] = value  # later lookups skip __getattr__
        return value
    raise AttributeError(f"module 'numtorch' has no attribute '{name}'")


def set_default_device(device) -> None:  # noqa: F811 (torch.device stays the class)
    """torch.set_default_device: the CPU (or None) is the only device there is. PyTorch accepts
    "cuda" here and fails at the next tensor creation; numtorch fails at once, same error."""
    from ._core.device import check_device
    check_device(device)


def get_default_device() -> _device:
    return _device("cpu")


from ._threads import get_num_interop_threads, get_num_threads, set_num_threads  # noqa: E402
from ._legacy_types import (BoolTensor, ByteTensor, CharTensor, DoubleTensor, FloatTensor,  # noqa: E402
                            HalfTensor, IntTensor, LongTensor, ShortTensor)


def set_anomaly_enabled(enabled: _builtins.bool, check_nan: _builtins.bool = True) -> None:
    """torch.set_anomaly_enabled: switch anomaly mode on or off (no context manager)."""
    autograd.set_detect_anomaly(enabled, check_nan)


def erf(input) -> Tensor:
    return input.erf()


def erfc(input) -> Tensor:
    return input.erfc()


from ._ops.structure import (allclose, atan2, bincount, hypot, isclose, lerp, nan_to_num,  # noqa: E402
                             repeat_interleave, roll, take_along_dim, tile, tril, triu, unique)

arctan2 = atan2


def xlogy(input, other) -> Tensor:
    from ._ops.loss_ops import XLOGY
    return XLOGY(input, other)


# erfinv, logcumsumexp, hsplit/vsplit/dsplit, the scatter family, equal, torch.testing (issue 4)
from ._ops.joining import dsplit, hsplit, vsplit  # noqa: E402
from ._ops.reduction import logcumsumexp  # noqa: E402
from ._ops.take import take  # noqa: E402
from ._ops.pointwise import relu_  # noqa: E402
from ._ops.scatter import (index_add, index_copy, index_fill, masked_scatter, scatter,  # noqa: E402
                           scatter_add, scatter_reduce)



def erfinv(input) -> Tensor:
    return input.erfinv()


def equal(input, other) -> _builtins.bool:
    from ._core import messages as _messages
    for position, (name, value) in enumerate((("input", input), ("other", other)), 1):
        if not isinstance(value, Tensor):
            raise TypeError(_messages.ARG_MUST_BE_TENSOR.format(
                fname="equal", argname=name, position=position, type=type(value).__name__))
    return input.equal(other)


# linalg ops (issue 4): einsum, tensordot, addmm & co, torch.norm, the torch.linalg module
from ._ops.einsum import einsum  # noqa: E402
from ._ops.linalg import addbmm, addmm, addmv, baddbmm, norm, tensordot  # noqa: E402,F811
from . import linalg  # noqa: E402

# PyTorch's argument parser (issue 9): torch's C++ bindings reject arguments of the wrong type
# with a TypeError before the op runs; numtorch checks the same signatures (_core/signatures.py)
from ._ops import arg_parser as _arg_parser  # noqa: E402

import sys as _sys  # noqa: E402

_arg_parser.install(_sys.modules[__name__], Tensor)
_arg_parser.repoint_aliases(linalg)
