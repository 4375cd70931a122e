"""glibc malloc thresholds for numpy's temporaries, set once at import (NOTE [malloc thresholds]).

NOTE [malloc thresholds]
numpy takes every array's memory from malloc. glibc serves blocks above its mmap threshold with
fresh mappings and gives the free top of its heap back to the system beyond the trim threshold.
Both start small (128 KiB, 256 KiB) and rise only to the largest mapped block freed so far (the
trim threshold to twice that), so a training step whose kernels make and drop megabyte
temporaries keeps mapping, faulting in and returning the same pages: a page fault per 4 KiB
touched, on every call. In bench/'s W4 (a small GPT) that is about 8 ms of a 85 ms step; torch's
own allocations are not affected. numtorch therefore sets, at import:
- the mmap threshold to 32 MiB, glibc's own ceiling for it: smaller blocks come from the heap;
- the trim threshold to 64 MiB: at most that much free heap top stays with the process.
A process thus keeps up to 64 MiB it no longer uses, instead of paying the faults again.
Nothing changes where the user chose: glibc's MALLOC_MMAP_THRESHOLD_ / MALLOC_TRIM_THRESHOLD_
or GLIBC_TUNABLES in the environment, or NUMTORCH_MALLOC_TUNING=0. Other C libraries are left
alone."""
from __future__ import annotations

import ctypes
import os
import sys

_M_TRIM_THRESHOLD = -1  # malloc.h
_M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 32 << 20
TRIM_THRESHOLD = 64 << 20
_USER_SETTINGS = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "GLIBC_TUNABLES")


def tune(environ=os.environ) -> bool:
    """Set the thresholds (NOTE [malloc thresholds]); whether they were set."""
    if not sys.platform.startswith("linux") or environ.get("NUMTORCH_MALLOC_TUNING") == "0" \
            or any(name in environ for name in _USER_SETTINGS):
        return False
    try:
        if os.confstr("CS_GNU_LIBC_VERSION") is None:  # glibc only (elsewhere: None or ValueError)
            return False
        mallopt = ctypes.CDLL(None).mallopt
    except (ValueError, OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) \
        and bool(mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD))
