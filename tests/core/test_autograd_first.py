"""numtorch/_core/autograd_first.py is generated from torch's torchgen data
(tools/gen_autograd_first.py): it must match what the script derives from the installed torch."""
from __future__ import annotations

import importlib.util
import os

import pytest

pytest.importorskip("yaml")
pytest.importorskip("torchgen")

from numtorch._core.autograd_first import AUTOGRAD_FIRST  # noqa: E402

_TOOL = os.path.join(os.path.dirname(__file__), "..", "..", "tools", "gen_autograd_first.py")


def _tool():
    spec = importlib.util.spec_from_file_location("gen_autograd_first", _TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_table_is_current():
    assert sorted(AUTOGRAD_FIRST) == _tool().autograd_first()


def test_table_separates_native_autograd_ops_from_composite_and_nondifferentiable_ones():
    for name in ("sum", "dot", "mm", "gather", "cumsum", "bitwise_and", "add_", "softmax"):
        assert name in AUTOGRAD_FIRST, name
    for name in ("matmul", "outer", "flatten", "narrow", "argmax", "eq", "isnan", "logical_and"):
        assert name not in AUTOGRAD_FIRST, name
