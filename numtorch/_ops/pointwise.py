"""Pointwise ops, by family: arithmetic, unary (math, activations, pow), clamp (and maximum/minimum),
comparison (logical, bitwise, where), conversion (clone, to, copy_); pointwise_common holds their
shared plumbing. This module re-exports their public names (and the helpers methods.py binds), so
`from .pointwise import ...` keeps working."""
from __future__ import annotations

from .pointwise_common import (  # noqa: F401
    _check_scalar_cast, inplace_pointwise)
from .comparison import (  # noqa: F401
    AND, bitwise_and, bitwise_not, bitwise_or, bitwise_xor, EQ, eq, eq_, GE, ge, ge_, GT, gt, gt_, isfinite,
    isinf, isnan, LE, le, le_, LOGICAL_AND, logical_and, logical_and_, logical_not, logical_not_, LOGICAL_OR,
    logical_or, logical_or_, LOGICAL_XOR, logical_xor, logical_xor_, LT, lt, lt_, NE, ne, ne_, OR, WHERE,
    where, where_method, XOR)
from .unary import (  # noqa: F401
    ABS, abs, ACOS, acos, ASIN, asin, ATAN, atan, CEIL, ceil, COS, cos, COSH, cosh, EXP, exp, EXP2, exp2,
    EXPM1, expm1, FLOOR, floor, FRAC, frac, LOG, log, LOG10, log10, LOG1P, log1p, LOG2, log2, NEG, neg, neg_,
    pow, POW_BASE, POW_SCALAR, POW_TENSOR, RECIPROCAL, reciprocal, RELU, relu, relu_, ROUND, round, ROUND_DECIMALS,
    RSQRT, rsqrt, SIGMOID, sigmoid, SIGN, sign, SIN, sin, SINH, sinh, SQRT, sqrt, square, TAN, tan, TANH,
    tanh, THRESHOLD_BACKWARD, TRUNC, trunc, UNARY_INPLACE)
from .arithmetic import (  # noqa: F401
    _div_op, ADD, add, add_, DIV, div, DIV_FLOOR, DIV_TRUNC, FLOOR_DIVIDE, floor_divide, floor_divide_,
    FLOOR_DIVIDE_INPLACE, FMOD, fmod, fmod_, FMOD_SCALAR, MUL, mul, rdiv, REMAINDER, remainder, remainder_,
    REMAINDER_SCALAR, REMAINDER_SCALAR_TENSOR, RSUB, rsub, RSUB_TENSOR, SUB, sub, sub_)
from .clamp import (  # noqa: F401
    CLAMP, clamp, clamp_, CLAMP_MAX, clamp_max, clamp_max_, CLAMP_MAX_T, clamp_method, CLAMP_MIN, clamp_min,
    clamp_min_, CLAMP_MIN_T, CLAMP_T, clip, clip_, clip_method, MAXIMUM, maximum, maximum_method, MINIMUM,
    minimum, minimum_method)
from .conversion import (  # noqa: F401
    _warn_at_user, CLONE, clone, COPY, copy_, COPY_SAME, full_like, TO_COPY, to_dtype)
