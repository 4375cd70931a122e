"""detect_anomaly / set_detect_anomaly: record forward stacks, warn on failing nodes, check NaNs."""
from __future__ import annotations

import warnings

from .._core import messages
from .._core.state import STATE


class detect_anomaly:
    def __init__(self, check_nan: bool = True) -> None:
        self.prev = STATE.anomaly
        self.prev_check_nan = STATE.anomaly_check_nan
        self.check_nan = check_nan
        warnings.warn(messages.W_ANOMALY_ENABLED, UserWarning, stacklevel=2)

    def __enter__(self) -> None:
        STATE.anomaly, STATE.anomaly_check_nan = True, self.check_nan

    def __exit__(self, *exc) -> None:
        STATE.anomaly, STATE.anomaly_check_nan = self.prev, self.prev_check_nan

    def __call__(self, func):
        import functools

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with self.__class__(self.check_nan):
                return func(*args, **kwargs)
        return wrapper


class set_detect_anomaly:
    """Takes effect on construction; as a context manager restores the previous state on exit."""

    def __init__(self, mode: bool, check_nan: bool = True) -> None:
        self.prev = STATE.anomaly
        self.prev_check_nan = STATE.anomaly_check_nan
        STATE.anomaly, STATE.anomaly_check_nan = bool(mode), bool(check_nan)

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc) -> None:
        STATE.anomaly, STATE.anomaly_check_nan = self.prev, self.prev_check_nan


def is_anomaly_enabled() -> bool:
    return STATE.anomaly


def is_anomaly_check_nan_enabled() -> bool:
    return STATE.anomaly_check_nan
