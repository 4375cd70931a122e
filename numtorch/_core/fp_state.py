"""numpy's floating-point error state as torch behaves: silent. `token = quiet()` ... `restore(token)`
around numtorch's own numpy work (kernels, backward formulas); user code keeps numpy's settings."""
from __future__ import annotations

import functools

import numpy as np


def _quiet_and_restore():
    """PyTorch never warns about floating-point exceptions (0/0, log(0), overflow); numpy does.
    Kernels run with numpy's error state set to ignore, through its context variable when
    available (a tenth of np.errstate's cost on this hot path)."""
    try:
        from numpy._core._multiarray_umath import _extobj_contextvar as var
        with np.errstate(all="ignore"):
            quiet = var.get()
        return functools.partial(var.set, quiet), var.reset
    except ImportError:  # pragma: no cover - other numpy layouts
        def enter():
            state = np.errstate(all="ignore")
            state.__enter__()
            return state
        return enter, (lambda state: state.__exit__(None, None, None))


quiet, restore = _quiet_and_restore()
