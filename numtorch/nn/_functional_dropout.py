"""The dropout family of torch.nn.functional (dropout, dropout1d/2d/3d, alpha_dropout,
feature_alpha_dropout), re-exported by functional.py.

ATen's CPU _dropout_impl (aten/src/ATen/native/Dropout.cpp), op for op: the noise is
empty_like(input) (or new_empty(N, C, 1, ...) for feature dropout) filled by bernoulli_(1 - p) from
the default generator, then div_(1 - p) (alpha: an affine pair), then input.mul(noise)
(MulBackward0; alpha adds AddBackward0). So masks are bitwise torch's after the same manual_seed."""
from __future__ import annotations

import math
import warnings

import numpy as np

from .._core import messages
from .._ops import arg_parser
from .._ops.creation import zeros
from .._ops.random_ops import _empty_like as _empty_like_array
from .._tensor import Tensor

__all__ = ["dropout", "dropout1d", "dropout2d", "dropout3d", "alpha_dropout", "feature_alpha_dropout"]

_ALPHA = 1.7580993408473766  # SELU's alpha * scale, as in Dropout.cpp


def _noise(input: Tensor, feature: bool) -> Tensor:
    if feature:
        if input.dim() < 2:
            raise RuntimeError(messages.FEATURE_DROPOUT_DIM)
        return input.new_empty((input.size(0), input.size(1)) + (1,) * (input.dim() - 2))
    # at::empty_like keeps the input's strides, so bernoulli_ fills it in the same memory order
    return Tensor._make(_empty_like_array(input._data, input._data.dtype))


def _check_train(binding: str, input: Tensor, p: float, train) -> None:
    """The binding's parser (torch.dropout(input, p, train) and its siblings): `train` must be a
    bool. Only called when it is not a Python bool."""
    arg_parser.check_python_args(binding, (("input", "T", True, "p"), ("p", "F", True, "p"),
                                           ("train", "B", True, "p")), (input, p, train))
    if isinstance(train, np.bool_):  # the parser's bool refuses a NumPy bool
        raise TypeError(messages.ARG_TYPE.format(name=binding, arg="train", pos=3, type="bool",
                                                 got=arg_parser._got(train)))


def _dropout_impl(input: Tensor, p: float, train: bool, *, feature: bool, alpha: bool,
                  inplace: bool) -> Tensor:
    if train is not True and train is not False:
        binding = ("feature_" if feature else "") + ("alpha_dropout" if alpha else "dropout")
        _check_train(binding, input, p, train)
    if not (p >= 0 and p <= 1):
        raise RuntimeError(messages.DROPOUT_P.format(p=p))
    if p == 0 or not train or input.numel() == 0:
        return input
    if p == 1:
        zero = zeros((), dtype=input.dtype)
        return input.mul_(zero) if inplace else input.mul(zero)
    noise = _noise(input, feature)
    noise.bernoulli_(1 - p)
    if not alpha:
        noise.div_(1 - p)
        return input.mul_(noise) if inplace else input.mul(noise)
    a = 1.0 / math.sqrt((_ALPHA * _ALPHA * p + 1) * (1 - p))
    b = noise.add(-1).mul_(_ALPHA * a).add_(_ALPHA * a * p)
    noise.mul_(a)
    return (input.mul_(noise) if inplace else input.mul(noise)).add_(b)


def _check_p(p: float) -> None:
    if p < 0.0 or p > 1.0:
        raise ValueError(messages.DROPOUT_P.format(p=p))


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    _check_p(p)
    return _dropout_impl(input, p, training, feature=False, alpha=False, inplace=inplace)


def alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False) -> Tensor:
    _check_p(p)
    return _dropout_impl(input, p, training, feature=False, alpha=True, inplace=inplace)


def feature_alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False,
                          inplace: bool = False) -> Tensor:
    _check_p(p)
    return _dropout_impl(input, p, training, feature=True, alpha=True, inplace=inplace)


def _feature_dropout_unbatched(input: Tensor, p: float, training: bool, inplace: bool,
                               is_batched: bool) -> Tensor:
    """torch unsqueezes an unbatched input (in place when inplace=True), drops, and squeezes back."""
    if not is_batched:
        input = input.unsqueeze_(0) if inplace else input.unsqueeze(0)
    result = _dropout_impl(input, p, training, feature=True, alpha=False, inplace=inplace)
    if not is_batched:
        result = result.squeeze_(0) if inplace else result.squeeze(0)
    return result


def dropout1d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    _check_p(p)
    inp_dim = input.dim()
    if inp_dim not in (2, 3):
        raise RuntimeError(messages.DROPOUT1D_DIM.format(dim=inp_dim))
    return _feature_dropout_unbatched(input, p, training, inplace, inp_dim == 3)


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    _check_p(p)
    inp_dim = input.dim()
    if inp_dim not in (3, 4):
        warnings.warn(messages.W_DROPOUT_ND_DIM.format(n=2, dim=inp_dim, shapes="3D or 4D"),
                      stacklevel=2)
    if inp_dim == 3:  # torch keeps the historical (N, C, L) reading of 3-D input (pytorch#77081)
        warnings.warn(messages.W_DROPOUT2D_3D, stacklevel=2)
    return _dropout_impl(input, p, training, feature=True, alpha=False, inplace=inplace)


def dropout3d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    _check_p(p)
    inp_dim = input.dim()
    if inp_dim not in (4, 5):
        warnings.warn(messages.W_DROPOUT_ND_DIM.format(n=3, dim=inp_dim, shapes="4D or 5D"),
                      stacklevel=2)
    return _feature_dropout_unbatched(input, p, training, inplace, inp_dim == 5)
