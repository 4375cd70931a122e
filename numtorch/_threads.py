"""torch.set_num_threads / get_num_threads. numtorch's only parallel code is NumPy's BLAS; when the
optional `threadpoolctl` package is installed the limit is applied to it, otherwise the number is
only remembered (the BLAS library then keeps the thread count it started with, which
OMP_NUM_THREADS / OPENBLAS_NUM_THREADS set before the process starts)."""
from __future__ import annotations

import os

from ._core import messages

_threads = {"intra": None}
_limiter = []  # the live threadpoolctl limit, kept so that it stays in force


def set_num_threads(n) -> None:
    if not isinstance(n, int) or isinstance(n, bool):
        raise RuntimeError(messages.SET_NUM_THREADS_TYPE.format(type=type(n).__name__))
    if n <= 0:
        raise RuntimeError(messages.SET_NUM_THREADS_POSITIVE)
    _threads["intra"] = n
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return
    _limiter[:] = [threadpool_limits(limits=n, user_api="blas")]


def get_num_threads() -> int:
    if _threads["intra"] is not None:
        return _threads["intra"]
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        if os.environ.get(var, "").isdigit():
            return int(os.environ[var])
    return os.cpu_count() or 1


def get_num_interop_threads() -> int:
    return os.cpu_count() or 1
