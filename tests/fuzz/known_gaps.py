"""Reviewed differences from torch that the fuzzers tolerate, each with its reason.

Keep these lists short: a difference belongs here only when fixing it needs more than a local
change (argument validation, a message), and the reason says what the larger change is.

- PROGRAMS: divergences of the program fuzzer (program.py), matched on the first differing
  observation (a `Divergence`).
- SWEEP: bad-input sweep records (sweep.py), keyed by "target|torch outcome|numtorch outcome"
  (targets "Tensor.name", "numtorch.name", "F.name", "linalg.name"; outcomes are exception
  type names or "ok")."""
from __future__ import annotations

import os


def _torch_raised(d, text: str) -> bool:
    t = d.torch
    return isinstance(t, tuple) and len(t) == 3 and t[0] == "raise" and text in str(t[2])


# (reason, predicate on a Divergence)
PROGRAMS: list = [
    ("torch's own internal assertion ('please report a bug to PyTorch'; seed 2067: add_ on a "
     "retain_grad non-leaf after t_()): a torch bug, not reproduced",
     lambda d: _torch_raised(d, "INTERNAL ASSERT FAILED")),
]


def program_gap(divergence) -> str | None:
    """The reason a program divergence is tolerated, or None (always None when the environment
    sets NUMTORCH_FUZZ_STRICT: the campaign's --strict, to collect the tolerated ones too)."""
    if os.environ.get("NUMTORCH_FUZZ_STRICT"):
        return None
    for reason, predicate in PROGRAMS:
        try:
            if predicate(divergence):
                return reason
        except Exception:  # noqa: BLE001 - a predicate that does not apply
            continue
    return None


# ---- the bad-input sweep -------------------------------------------------------------------------
# "target|torch outcome|numtorch outcome" -> reason, for a difference that needs more than a local
# fix. Empty: every call of the sweep raises torch's exception type (or succeeds where torch does).
# test_bad_inputs.py reports entries the sweep no longer needs.
SWEEP: dict[str, str] = {}


def sweep_key(record) -> str:
    def name(outcome):
        return "ok" if outcome is None else outcome[0]
    return f"{record.target}|{name(record.torch)}|{name(record.numtorch)}"


def reason_for(record) -> str | None:
    return SWEEP.get(sweep_key(record))
