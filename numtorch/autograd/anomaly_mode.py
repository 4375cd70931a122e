"""torch.autograd.detect_anomaly / set_detect_anomaly: switch anomaly mode (forward stacks, a
warning naming the failing node, NaN checks; see numtorch._autograd.anomaly). Both restore the
previous mode and check_nan flag on exit."""
from __future__ import annotations

import warnings

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

    def __exit__(self, *exc: object) -> None:
        STATE.anomaly, STATE.anomaly_check_nan = self.prev, self.prev_check_nan


class set_detect_anomaly:
    """Takes effect on construction (a plain call works); as a context manager restores the
    previous state on exit. No warning."""

    def __init__(self, mode: bool, check_nan: bool = True) -> None:
        self.prev = STATE.anomaly
        self.prev_check_nan = STATE.anomaly_check_nan
        STATE.anomaly, STATE.anomaly_check_nan = bool(mode), bool(check_nan)

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc: object) -> None:
        STATE.anomaly, STATE.anomaly_check_nan = self.prev, self.prev_check_nan


def is_anomaly_enabled() -> bool:
    return STATE.anomaly


def is_anomaly_check_nan_enabled() -> bool:
    return STATE.anomaly_check_nan
