"""The bad-input sweep in CI (sweep.py): every public callable numtorch shares with torch, called
with wrong shapes, dtypes, argument types, out-of-range dims and indices, empty/NaN/non-contiguous
tensors and wrong arities. Each call must raise the exception type torch raises (or succeed when
torch does), never an internal error and never hang, unless known_gaps.py lists the difference
with its reason."""
from __future__ import annotations

import pytest

pytest.importorskip("torch")

from tests.fuzz import known_gaps  # noqa: E402
from tests.fuzz import sweep as S  # noqa: E402


def test_bad_input_sweep_matches_torch():
    hit: set = set()
    all_cases = S.cases()
    report = S.Report()
    for case in all_cases:
        rec = S.run_one(case)
        report.calls += 1
        report.counts[rec.kind] += 1
        if rec.kind in ("mismatch", "internal", "hang"):
            if known_gaps.reason_for(rec) is not None:
                report.known[rec.kind] += 1
                hit.add(known_gaps.sweep_key(rec))
            else:
                report.failures.append(rec)
    stale = sorted(set(known_gaps.SWEEP) - hit)
    print("\n" + report.summary())
    if stale:
        print(f"{len(stale)} known_gaps.SWEEP entries are no longer needed: {stale}")
    assert report.calls > 40000, report.calls
    assert not report.failures, f"{len(report.failures)} calls differ from torch:\n" + "\n".join(
        r.line() for r in report.failures[:40])
