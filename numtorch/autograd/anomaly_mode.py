"""torch.autograd.detect_anomaly / set_detect_anomaly: switch anomaly mode (forward stacks, a
warning naming the failing node, NaN checks; see numtorch._autograd.anomaly). Both restore the
previous mode and check_nan flag on exit. numtorch's extras ride on the same switch: provenance
records (explain()), the write guard (_autograd/write_guard.py) and the graph-lifetime warnings
(_autograd/lifetime.py)."""
from __future__ import annotations

import warnings

from .._autograd import lifetime, provenance, write_guard
from .._core import messages
from .._core.state import STATE


class detect_anomaly:
    """Context manager only (torch's is not a decorator); constructing it warns (W3)."""

    def __init__(self, check_nan: bool = True) -> None:
        self.prev = STATE.anomaly
        self.check_nan = check_nan
        self.prev_check_nan = STATE.anomaly_check_nan
        warnings.warn(messages.W_ANOMALY_ENABLED, UserWarning, stacklevel=2)

    def __enter__(self) -> None:
        STATE.anomaly, STATE.anomaly_check_nan = True, bool(self.check_nan)
        self.prev_tracking = provenance.set_tracking(True)
        # numtorch's extras (issue 7): the write guard and the graph-lifetime warnings
        self.prev_guard = write_guard.set_active(True)
        self.prev_lifetime = lifetime.set_active(True)

    def __exit__(self, *exc: object) -> None:
        STATE.anomaly, STATE.anomaly_check_nan = self.prev, self.prev_check_nan
        provenance.set_tracking(self.prev_tracking)
        write_guard.set_active(self.prev_guard)
        lifetime.set_active(self.prev_lifetime)


class set_detect_anomaly:
    """Takes effect on construction (a plain call works); as a context manager restores the
    previous state on exit. No warning."""

    def __init__(self, mode: bool, check_nan: bool = True) -> None:
        self.prev = STATE.anomaly
        self.prev_check_nan = STATE.anomaly_check_nan
        STATE.anomaly, STATE.anomaly_check_nan = bool(mode), bool(check_nan)
        # numtorch's extra: anomaly mode also records where tensors leave the graph (explain())
        self.prev_tracking = provenance.set_tracking(bool(mode))
        # numtorch's extras (issue 7): the write guard and the graph-lifetime warnings
        self.prev_guard = write_guard.set_active(bool(mode))
        self.prev_lifetime = lifetime.set_active(bool(mode))

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc: object) -> None:
        STATE.anomaly, STATE.anomaly_check_nan = self.prev, self.prev_check_nan
        provenance.set_tracking(self.prev_tracking)
        write_guard.set_active(self.prev_guard)
        lifetime.set_active(self.prev_lifetime)


def is_anomaly_enabled() -> bool:
    return STATE.anomaly


def is_anomaly_check_nan_enabled() -> bool:
    return STATE.anomaly_check_nan
