"""ZeroTensors: torch's at::_efficientzerotensor, what some backward formulas return (sgn's for
real inputs). NOTE [ZeroTensor storage]: in torch the ZeroTensor dispatch key travels with every
alias (views, detach(), .data); here the mark is the memory itself: a read-only zeros array
registered as a zero root. numpy keeps views of it read-only, so every alias is a ZeroTensor, and
copies (clone, contiguous of a non-contiguous view, casts) are writeable ordinary arrays.
Invariant: a registered root is never made writeable; ROOTS is empty unless one is alive."""
from __future__ import annotations

import weakref

import numpy as np

ROOTS: dict = {}  # id(root array) -> weakref to it; tested for emptiness on the hot paths


def _forget(key: int) -> None:
    ROOTS.pop(key, None)


def make(shape, dtype) -> np.ndarray:
    """The data of a new ZeroTensor: zeros that nothing may write."""
    a = np.zeros(shape, dtype=dtype)
    a.flags.writeable = False
    key = id(a)
    ROOTS[key] = weakref.ref(a, lambda _, key=key: _forget(key))
    return a


def is_zero(a: np.ndarray) -> bool:
    """Whether `a` is (a view of) a ZeroTensor's memory. Writeable arrays answer at once."""
    if a.flags.writeable or not ROOTS:
        return False
    while True:
        ref = ROOTS.get(id(a))
        if ref is not None and ref() is a:
            return True
        b = a.base
        if not isinstance(b, np.ndarray):
            b = getattr(b, "base", None)  # views.Window and numpy's as_strided wrappers
            if not isinstance(b, np.ndarray):
                return False
        a = b
