"""Anomaly mode (torch/csrc/autograd/python_anomaly_mode.cpp): a node created while it is on keeps
the user's forward stack in `node.metadata["traceback_"]` (numtorch's own frames left out) and the
node whose backward created it in `metadata["parent_"]`. When evaluating a node fails, one warning
names it with its stack (W5), then one per ancestor (W6); NaN gradients raise (E44)."""
from __future__ import annotations

import os
import traceback
import warnings

import numpy as np

from .._core import messages
from .._core.state import STATE

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def _user_frame(frame: traceback.FrameSummary) -> bool:
    return not os.path.abspath(frame.filename).startswith(_PACKAGE_DIR)


def record_forward_trace(node) -> None:
    """torch.fx.traceback.format_stack(): traceback.format_stack() lines of the creating call."""
    frames = [f for f in traceback.extract_stack() if _user_frame(f)]
    meta = node.metadata
    meta["traceback_"] = traceback.format_list(frames)
    parent = STATE.evaluating[0]
    if parent is not None:
        meta["parent_"] = parent


def _warn_stack(node, is_parent: bool) -> None:
    name = node.name()
    stack = node.metadata.get("traceback_")
    if stack is None:  # created while anomaly mode was off
        text = messages.W_ANOMALY_NO_STACK.format(node=name)
    elif is_parent:
        text = messages.W_ANOMALY_PARENT.format(node=name) + "".join(stack)
    else:
        text = messages.W_ANOMALY_ERROR.format(node=name) + "".join(stack)
    # stacklevel 4 points at the engine's caller, near where torch attributes it (graph.py)
    warnings.warn(text, UserWarning, stacklevel=4)


def warn_failed_node(node) -> None:
    """PyAnomalyMetadata::print_stack: the failing node, then each parent in turn."""
    _warn_stack(node, is_parent=False)
    parent = node.metadata.get("parent_")
    while parent is not None:
        _warn_stack(parent, is_parent=True)
        parent = parent.metadata.get("parent_")


def check_nan(node, outputs) -> None:
    """E44 for the first gradient output containing a NaN (K = its index in next_functions)."""
    for i, g in enumerate(outputs):
        if g is not None and g._dtype.category >= 2 and np.isnan(g._data).any():
            raise RuntimeError(messages.NAN_IN_GRAD.format(node=node.name(), index=i))
