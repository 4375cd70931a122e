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
    ("a gradient returned by autograd.grad that is a view in torch: as_strided_backward (the "
     "AsStridedBackward0 formula) returns an as_strided view of a flat buffer, made during the "
     "backward (grad mode off), so torch's result is a no_grad view and a later in-place write "
     "with a grad-requiring value raises 'A view was created in no_grad mode and is being "
     "modified inplace'; numtorch's formula (_scatter_flat) returns a fresh tensor. Needs the "
     "formula to build its result as that view without changing double-backward graphs: follow-up.",
     lambda d: _torch_raised(d, "A view was created in no_grad mode and is being modified inplace")
     and not (isinstance(d.numtorch, tuple) and d.numtorch[:1] == ("raise",))),
    ("a stale no_grad view passed to an op whose own argument or dtype check (in its Python "
     "wrapper or kernel: dot's '1D tensors expected', bitwise ops on floats) fires in numtorch "
     "before the view error; torch's autograd kernel collects the inputs' gradient edges first, "
     "so the view error wins. Each such wrapper needs views.touch_grad_fn on its inputs before "
     "its checks (the ops' own files): follow-up.",
     lambda d: _torch_raised(d, "A view was created in no_grad mode and its base or another view")
     and isinstance(d.numtorch, tuple) and d.numtorch[:1] == ("raise",)
     and "A view was created in no_grad mode" not in str(d.numtorch[2])),
    ("memory layout of results computed from non-contiguous inputs: torch's TensorIterator lays "
     "an elementwise or reduction result out like its input (strides permuted), numpy's loops "
     "follow their own rule, so a later view() or reshape() is a view in one library and a copy "
     "(or an error) in the other. Needs ATen's output-layout rule in the dispatcher "
     "(_ops/dispatch.py, owned by the write-guard work).",
     lambda d: "view size is not compatible with input tensor's size and stride" in repr(d.torch)
     + repr(d.numtorch) or _only_is_view_differs(d)),
]


def _tensors(v):
    if isinstance(v, tuple) and v and v[0] == "T":
        yield v
    elif isinstance(v, tuple):
        for x in v:
            yield from _tensors(x)


def _only_is_view_differs(d) -> bool:
    t, n = list(_tensors(d.torch)), list(_tensors(d.numtorch))
    return bool(t) and len(t) == len(n) and all(
        len(a) > 8 and a[:8] == b[:8] and a[9:] == b[9:] for a, b in zip(t, n)) and any(
        a[8] != b[8] for a, b in zip(t, n))


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
