"""Differential program fuzzing in CI: Hypothesis draws random small PyTorch programs (see
program.py) and every one must behave identically in torch and numtorch, step by step.

NUMTORCH_FUZZ_PROGRAMS sets the number of programs (default 6000, about 30 s on one core)."""
from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

pytest.importorskip("torch")

from tests.fuzz import program as P  # noqa: E402
from tests.fuzz.known_gaps import program_gap  # noqa: E402

EXAMPLES = int(os.environ.get("NUMTORCH_FUZZ_PROGRAMS", "6000"))


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(P.hypothesis_programs(max_steps=12))
def test_random_programs_match_torch(program):
    d = P.compare(program)
    assert d is None or d.fork or program_gap(d), f"program {P.dumps(program)} diverges at {d.summary()}"


def test_float64_values_that_are_float32_values_compare_at_float32_tolerance():
    Values = P.Values
    a = np.float32([1.5, 0.40546510]).astype(np.float64)
    b = a.copy()
    b[1] = np.nextafter(np.float32(a[1]), np.float32(1))  # one float32 ulp apart, cast up
    assert Values(a) == Values(b)
    c = a.copy()
    c[1] += 1e-8  # a float64 value off by more than 1e-9 relative: still a divergence
    assert Values(a) != Values(c)


def _log_of(program, lib):
    return dict(P.run(program, lib))


def test_float64_results_of_float32_data_compare_at_float32_tolerance():
    """NOTE [Precision provenance]: softplus(1.0) in float32 is one ulp apart between torch's
    scalar kernel and a correctly rounded one; added to a float64 leaf the difference lands in a
    float64 result, which must compare at float32's tolerance. The same arithmetic on float64
    data alone keeps float64's."""
    import numtorch
    f32 = [["new", 0, 0, 0, 47, 0, 0, [0]], ["unary", 0, 44, 0, 0, 0, 0], ["binary", 0, 0, 21, 22, 0, 0]]
    log = _log_of(f32, numtorch)
    out = log["2:binary"][0]
    assert out[1] == "float64" and out[3].loose
    f64 = [["new", 3, 0, 0, 47, 0, 0, [0]]] + f32[1:]
    out = _log_of(f64, numtorch)["2:binary"][0]
    assert out[1] == "float64" and not out[3].loose
    a = out[3].array
    nudged = P.Values(a * (1 + 1e-7))
    assert P.Values(a) != nudged and P.Values(a, loose=True) == nudged


def test_integer_results_of_float32_values_that_differ_in_their_last_bit_are_a_fork():
    """NOTE [Rounding forks]: torch's vectorised float32 atan2 rounds 16-element blocks
    differently from its scalar tail, so the values are equal within tolerance but not bitwise,
    and argmax over the tie picks another index; the same integer difference without an earlier
    bit difference is a divergence."""
    Values = P.Values
    same = Values(np.float32([1.5, 1.5]))
    close = (Values(np.float32([0.7853981, 0.7853982])), Values(np.float32([0.7853982, 0.7853982])))
    picked = (Values(np.int64(0).reshape(())), Values(np.int64(1).reshape(())))
    forked = P.diff_logs([("0:unary", (close[0],)), ("1:reduce", (picked[0],))],
                         [("0:unary", (close[1],)), ("1:reduce", (picked[1],))])
    assert forked is not None and forked.index == 1 and forked.fork
    real = P.diff_logs([("0:unary", (same,)), ("1:reduce", (picked[0],))],
                       [("0:unary", (same,)), ("1:reduce", (picked[1],))])
    assert real is not None and not real.fork


def test_float_results_of_discontinuous_ops_after_a_last_bit_difference_are_a_fork():
    """x % 2 keeps x's absolute error: a one-ulp difference in sinh(7) = 548.3161 between the
    libraries (torch's vectorised float32 sinh) becomes a 2e-4 relative difference of the result.
    After such a bit difference a remainder's values may differ; an add's may not."""
    Values = P.Values
    x = (Values(np.float32([548.3161])), Values(np.float32([548.31616])))
    r = (Values(np.float32([0.3161])), Values(np.float32([0.31616])))
    program = [["new", 0, 0, 0, 0, 0, 0, [1]], ["unary", 0, P.UNARY_NAMES.index("sinh"), 0, 0, 0, 0],
               ["binary", 0, P.BINARY_NAMES.index("remainder"), 0, 0, 0, 0]]
    logs = [[("1:unary", (x[k],)), ("2:binary", (r[k],))] for k in (0, 1)]
    assert P.diff_logs(*logs, program).fork
    program[2][2] = P.BINARY_NAMES.index("add")
    assert not P.diff_logs(*logs, program).fork
