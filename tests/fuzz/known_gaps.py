"""Reviewed differences from torch that the fuzzers tolerate, each with its reason.

Keep this list short: a difference belongs here only when fixing it needs more than a local
argument check. Keys are sweep targets ("Tensor.name", "numtorch.name", "F.name",
"linalg.name"), optionally with the self tensor and arguments of one call (`Record.key()`)."""
from __future__ import annotations

# target or full call key -> reason
SWEEP: dict[str, str] = {
}


def reason_for(record) -> str | None:
    return SWEEP.get(record.key()) or SWEEP.get(record.target)
