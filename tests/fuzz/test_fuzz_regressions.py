"""Minimised divergences found by the program fuzzer, kept as explicit regression programs: each
must now behave identically in torch and numtorch."""
from __future__ import annotations

import pytest

pytest.importorskip("torch")

from tests.fuzz import program as P  # noqa: E402
from tests.fuzz.regressions import all_regressions  # noqa: E402

CASES = all_regressions()


@pytest.mark.parametrize("name", sorted(CASES))
def test_regression_program(name):
    program = CASES[name]
    d = P.compare(program)
    assert d is None, f"{name}: {P.dumps(program)} diverges at {d.summary()}"
