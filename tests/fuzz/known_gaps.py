"""Reviewed differences from torch that the fuzzers tolerate, each with its reason.

Keep these lists short: a difference belongs here only when fixing it needs more than a local
change (argument validation, a message), and the reason says what the larger change is.

- PROGRAMS: divergences of the program fuzzer (program.py), matched on the first differing
  observation (a `Divergence`).
- SWEEP: bad-input sweep records (sweep.py), keyed by target ("Tensor.name", "numtorch.name",
  "F.name", "linalg.name") or by one call (`Record.key()`)."""
from __future__ import annotations


def _torch_raised(d, text: str) -> bool:
    t = d.torch
    return isinstance(t, tuple) and len(t) == 3 and t[0] == "raise" and text in str(t[2])


# (reason, predicate on a Divergence)
PROGRAMS: list = [
    ("torch refuses to record a differentiable op whose output is an integer tensor "
     "(set_history: 'Autograd not support dtype: Long'), e.g. sum(dtype=torch.int64) of a float "
     "tensor that requires grad, or any op on an integer tensor that an in-place write with a "
     "grad-requiring value made require grad; numtorch records the node. The check belongs in "
     "the dispatcher's history recording (_ops/dispatch.py), which is being reworked by the "
     "write-guard work: follow-up.",
     lambda d: _torch_raised(d, "Autograd not support dtype")),
    ("same cause: an in-place write of a grad-requiring value into an integer tensor makes it a "
     "non-leaf that requires grad in numtorch; torch leaves it a leaf, so requires_grad_() on it "
     "raises 'only Tensors of floating point dtype can require gradients'.",
     lambda d: _torch_raised(d, "only Tensors of floating point dtype can require gradients")
     and isinstance(d.numtorch, tuple) and d.numtorch and isinstance(d.numtorch[0], tuple)
     and d.numtorch[0][0] == "T" and d.numtorch[0][1] in ("int64", "bool")),
]


def program_gap(divergence) -> str | None:
    """The reason a program divergence is tolerated, or None."""
    for reason, predicate in PROGRAMS:
        try:
            if predicate(divergence):
                return reason
        except Exception:  # noqa: BLE001 - a predicate that does not apply
            continue
    return None


# target or full call key -> reason
SWEEP: dict[str, str] = {
}


def reason_for(record) -> str | None:
    return SWEEP.get(record.key()) or SWEEP.get(record.target)
