"""NOTE [malloc thresholds]: on glibc, importing numtorch keeps numpy's megabyte temporaries in
the heap (no page faults when a step makes and drops them again), unless the user chose."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from numtorch._core import malloc_tuning

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux")
                                or os.confstr("CS_GNU_LIBC_VERSION") is None, reason="glibc only")

# a step that makes and drops three 2 MiB temporaries, run 50 times after a warm-up: the page
# faults it costs
_PROGRAM = """
import resource, numpy as np, numtorch
x = np.ones(1 << 18)
def step():
    a = x * 2.0; b = a + 1.0; c = np.square(b); return float(c[0])
for _ in range(5): step()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(50): step()
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _faults(**env) -> int:
    environ = {k: v for k, v in os.environ.items() if k not in malloc_tuning._USER_SETTINGS}
    out = subprocess.run([sys.executable, "-c", _PROGRAM], env={**environ, **env}, capture_output=True,
                         text=True, check=True)
    return int(out.stdout)


def test_temporaries_stop_faulting_after_import():
    faulting = 50 * 3 * 512  # every 2 MiB block mapped and faulted in again, page by page
    assert _faults() < faulting / 100
    # glibc's own thresholds (2.36 here) fault at every step: the setting is what changes it
    untuned = _faults(NUMTORCH_MALLOC_TUNING="0")
    if untuned < faulting / 2:
        pytest.skip(f"this glibc keeps the blocks by itself ({untuned} faults)")


def test_the_users_choice_wins():
    assert not malloc_tuning.tune({"NUMTORCH_MALLOC_TUNING": "0"})
    for name in malloc_tuning._USER_SETTINGS:
        assert not malloc_tuning.tune({name: "1"})
    assert malloc_tuning.tune({})
