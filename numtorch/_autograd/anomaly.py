"""Anomaly mode: each node keeps the stack of its forward call; a failing backward node warns with
it (W5, and W6 for nodes created by a create_graph backward); NaN gradients raise (E44)."""
from __future__ import annotations

import traceback
import warnings

from .._core import messages
from .._core.state import STATE

_INTERNAL = ("/numtorch/",)


def record_forward_trace(node) -> None:
    frames = [f for f in traceback.extract_stack()[:-1]
              if not any(p in f.filename for p in _INTERNAL)]
    node._anomaly_trace = "".join(traceback.format_list(frames))
    node._anomaly_parent = STATE.parent_node


def warn_failed_node(node) -> None:
    text = messages.W_ANOMALY_ERROR.format(node=node.name()) + (node._anomaly_trace or "")
    parent = node._anomaly_parent
    if parent is not None:
        text += messages.W_ANOMALY_PARENT.format(node=parent.name()) + (parent._anomaly_trace or "")
    warnings.warn(text, UserWarning, stacklevel=2)


def check_nan(node, outputs) -> None:
    import numpy as np
    for i, g in enumerate(outputs):
        if g is not None and g._dtype.category >= 2 and np.isnan(g._data).any():
            raise RuntimeError(messages.NAN_IN_GRAD.format(node=node.name(), index=i))
