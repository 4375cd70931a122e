"""Bad-input sweep: every public callable numtorch shares with torch, called with a fixed set of bad
arguments in both libraries; the outcomes (success, or exception type and text) are compared.

Targets are `numtorch.<f>` (functions, not classes), `numtorch.Tensor.<method>`,
`numtorch.nn.functional.<f>` and `numtorch.linalg.<f>` that torch also has. Arguments are symbolic
(`ARG` tokens) and built fresh for every call in each library (in-place methods may write them).

Outcome classes, per call:
- "match": both succeeded, or both raised the same exception type ("message" counts those whose
  texts differ too);
- "internal": numtorch raised AttributeError/KeyError/TypeError/IndexError/ValueError/
  ZeroDivisionError (or anything else) from Python or NumPy machinery, not from one of numtorch's
  own `raise` statements, where torch raised another type or nothing;
- "mismatch": the exception types differ otherwise (or only one library raised);
- "hang": a call ran past the per-call alarm.
`known_gaps.py` lists reviewed exceptions; `run_sweep` reports them separately."""
from __future__ import annotations

import inspect
import linecache
import os
import signal
import traceback
import warnings
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

import numtorch

import torch  # noqa: E402  (the oracle)

LIBS = {"torch": torch, "numtorch": numtorch}
INTERNAL_TYPES = ("AttributeError", "KeyError", "TypeError", "IndexError", "ValueError",
                  "ZeroDivisionError", "UnboundLocalError", "NameError", "AssertionError",
                  "RecursionError", "OverflowError", "MemoryError", "FloatingPointError")
TIMEOUT = 2  # seconds per call

# callables whose bad inputs could touch process-wide state or files, or that only report state
EXCLUDE = {
    "save", "load", "manual_seed", "seed", "set_rng_state", "get_rng_state", "initial_seed",
    "set_default_dtype", "set_default_device", "set_num_threads", "set_num_interop_threads",
    "set_printoptions", "set_anomaly_enabled", "set_grad_enabled", "use_deterministic_algorithms",
    "set_flush_denormal", "get_default_device", "get_default_dtype", "get_num_threads",
    "get_num_interop_threads", "is_grad_enabled", "is_inference_mode_enabled", "is_anomaly_enabled",
    "is_anomaly_check_nan_enabled", "compile",
    # Tensor methods that hand out memory or Python objects without checking anything
    "numpy", "tolist", "data_ptr", "untyped_storage", "cpu", "cuda", "storage_offset",
    "element_size", "dim", "ndimension", "numel", "nelement", "is_complex", "is_floating_point",
    "is_contiguous", "is_inference", "size", "stride", "backward", "register_hook",
    "register_post_accumulate_grad_hook", "retain_grad", "detach", "detach_", "requires_grad_",
}


# ---- arguments ----------------------------------------------------------------------------------
def _arr(kind):
    base = np.array([[0.5, -1.25, 2.0], [0.0, 3.5, -0.75]])
    if kind == "X":
        return base.astype(np.float32)
    if kind == "D":
        return base
    if kind == "I":
        return np.array([[1, 0, 2], [2, 1, 0]], dtype=np.int64)
    if kind == "B":
        return base > 0.1
    if kind == "E":
        return np.zeros((0,), dtype=np.float32)
    if kind == "Z":
        return np.array(1.5, dtype=np.float32)
    if kind == "N":
        return np.array([[np.nan, np.inf, -np.inf], [0.0, -0.0, 1.0]], dtype=np.float32)
    if kind == "V":
        return np.array([1.0, -2.0, 0.5], dtype=np.float32)
    if kind == "M":
        return np.arange(20, dtype=np.float32).reshape(4, 5) / 4
    if kind == "IDX":
        return np.array([0, 5], dtype=np.int64)
    if kind == "S":  # square
        return np.array([[2.0, 1.0], [0.5, 3.0]], dtype=np.float32)
    raise KeyError(kind)


class ARG:
    """A symbolic tensor argument, built fresh per call in each library."""
    __slots__ = ("kind",)

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def build(self, L):
        if self.kind == "NC":  # a non-contiguous (2, 3) float tensor
            return L.tensor(np.ascontiguousarray(_arr("X").T).tolist()).t()
        if self.kind == "XR":
            return L.tensor(_arr("X").tolist(), requires_grad=True)
        a = _arr(self.kind)
        return L.tensor(a.tolist(), dtype=getattr(L, str(a.dtype)))

    def __repr__(self) -> str:
        return self.kind


X, XR, I, B, E, Z, N, NC, D, V, M, IDX, S = (ARG(k) for k in
                                              ("X", "XR", "I", "B", "E", "Z", "N", "NC", "D", "V", "M", "IDX", "S"))


def _build(v, L):
    if isinstance(v, ARG):
        return v.build(L)
    if isinstance(v, list):
        return [_build(x, L) for x in v]
    if isinstance(v, tuple):
        return tuple(_build(x, L) for x in v)
    return v


@dataclass(frozen=True)
class Args:
    args: tuple
    kwargs: tuple = ()  # (name, value) pairs

    def ident(self) -> str:
        parts = [repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs]
        return "(" + ", ".join(parts) + ")"


def _a(*args, **kwargs) -> Args:
    return Args(args, tuple(kwargs.items()))


# arguments after the tensor (or after self, for methods)
TAILS = [
    _a(), _a(None), _a("abc"), _a(1.5), _a(99), _a(-99), _a([1, 2]), _a(X), _a(M), _a(I), _a(IDX),
    _a(E), _a(V), _a(0, None), _a(0, "abc"), _a(0, IDX), _a(99, X), _a(X, X, X, X, X, X, X),
    _a(dim=99), _a(dim="a"), _a(bogus=1),
]
FUNCTION_ARGS = (
    [_a(), _a(None), _a("abc"), _a([1, 2]), _a(1.5), _a(True)]
    + [Args((first,) + t.args, t.kwargs) for first in (X,) for t in TAILS[1:]]
    + [_a(first) for first in (X, I, B, E, Z, N, NC, XR, D, S)]
    + [_a(first, first) for first in (I, B, E, Z, N, NC)]
    + [_a(first, 0) for first in (I, B, E, Z, N, NC)]
    + [_a(X, dtype="float"), _a(X, 0, 1.5), _a(X, out=None)]
)
SELVES = (X, I, B, E, Z, NC, XR)


def cases(L=numtorch):
    """(target, self spec or None, Args) for every call the sweep makes."""
    out = []
    for ns, tmod, nmod in (("numtorch", torch, numtorch), ("F", torch.nn.functional, numtorch.nn.functional),
                           ("linalg", torch.linalg, numtorch.linalg)):
        for name in sorted(dir(nmod)):
            if name.startswith("_") or name in EXCLUDE or not hasattr(tmod, name):
                continue
            obj = getattr(nmod, name)
            if not callable(obj) or inspect.isclass(obj) or not callable(getattr(tmod, name)):
                continue
            for args in FUNCTION_ARGS:
                out.append((f"{ns}.{name}", None, args))
    for name in sorted(dir(numtorch.Tensor)):
        if name.startswith("_") or name in EXCLUDE or not hasattr(torch.Tensor, name):
            continue
        if not callable(getattr(numtorch.Tensor, name, None)) or isinstance(
                inspect.getattr_static(numtorch.Tensor, name), property):
            continue
        for self_ in SELVES:
            for args in TAILS:
                out.append((f"Tensor.{name}", self_, args))
    return out


def resolve(target: str, L):
    ns, name = target.split(".", 1)
    mod = {"numtorch": L, "F": L.nn.functional, "linalg": L.linalg, "Tensor": None}[ns]
    return name if mod is None else getattr(mod, name)


# ---- running -----------------------------------------------------------------------------------
class Hang(BaseException):
    pass


def _alarm(signum, frame):
    raise Hang()


@dataclass
class Outcome:
    error: tuple | None  # (type name, message) or None when the call returned
    internal: bool = False  # numtorch: raised by machinery, not by one of its raise statements
    where: str = ""


_ROOT = os.path.dirname(os.path.abspath(numtorch.__file__))


def _is_internal(e: BaseException) -> tuple[bool, str]:
    """True unless the innermost numtorch frame of the traceback is a `raise` statement of
    numtorch itself (a deliberate error)."""
    tb = traceback.extract_tb(e.__traceback__)
    frames = [f for f in tb if f.filename.startswith(_ROOT)]
    if not frames:  # the call itself did not bind: a signature difference, not an internal error
        return False, "call"
    last = tb[-1]
    where = f"{os.path.relpath(last.filename, os.path.dirname(_ROOT))}:{last.lineno}"
    if last.filename.startswith(_ROOT):
        line = (linecache.getline(last.filename, last.lineno) or "").strip()
        # a deliberate error: `raise ...`, or a multi-line raise whose first line is above
        if line.startswith("raise") or "raise " in line:
            return False, where
        for back in range(1, 6):
            prev = (linecache.getline(last.filename, last.lineno - back) or "").strip()
            if prev.startswith("raise "):
                return False, where
            if prev.endswith((":", ")")) and not prev.endswith("("):
                break
    return True, where


def call(target: str, self_, args: Args, L) -> Outcome:
    fn = resolve(target, L)
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(TIMEOUT)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            built = _build(args.args, L)
            kwargs = {k: _build(v, L) for k, v in args.kwargs}
            if self_ is not None:
                obj = self_.build(L)
                getattr(obj, fn)(*built, **kwargs)
            else:
                fn(*built, **kwargs)
        return Outcome(None)
    except Hang:
        return Outcome(("Hang", f"more than {TIMEOUT} s"))
    except Exception as e:  # noqa: BLE001 - the exception is the outcome
        msg = str(e).split(" (Triggered internally at")[0].split("\nException raised from")[0]
        internal, where = (False, "")
        if L is numtorch:
            internal, where = _is_internal(e)
        return Outcome((type(e).__name__, msg), internal, where)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@dataclass
class Record:
    target: str
    self_: object
    args: Args
    kind: str  # match / message / mismatch / internal / hang
    torch: tuple | None
    numtorch: tuple | None
    where: str = ""

    def key(self) -> str:
        s = "" if self.self_ is None else f"[{self.self_!r}]"
        return f"{self.target}{s}{self.args.ident()}"

    def line(self) -> str:
        return (f"{self.kind:9} {self.key()}\n    torch:    {self.torch}\n    numtorch: {self.numtorch}"
                + (f"  at {self.where}" if self.where else ""))


def classify(t: Outcome, n: Outcome) -> str:
    if n.error and n.error[0] == "Hang":
        return "hang"
    if t.error is None and n.error is None:
        return "match"
    if t.error and n.error and t.error[0] == n.error[0]:
        return "match" if t.error[1] == n.error[1] else "message"
    if n.error and n.internal and n.error[0] in INTERNAL_TYPES:
        return "internal"
    return "mismatch"


def run_one(case) -> Record:
    target, self_, args = case
    t = call(target, self_, args, torch)
    n = call(target, self_, args, numtorch)
    return Record(target, self_, args, classify(t, n), t.error, n.error, n.where)


@dataclass
class Report:
    calls: int = 0
    counts: Counter = field(default_factory=Counter)
    known: Counter = field(default_factory=Counter)
    failures: list = field(default_factory=list)  # records not covered by known_gaps

    def summary(self) -> str:
        c = self.counts
        return (f"calls={self.calls} matches={c['match'] + c['message']} "
                f"(message differs: {c['message']}) mismatched types={c['mismatch']} "
                f"internal errors={c['internal']} hangs={c['hang']} "
                f"(known gaps: {dict(self.known)})")


def run_sweep(selected=None, progress=None) -> Report:
    from . import known_gaps
    all_cases = cases()
    if selected is not None:
        all_cases = [c for c in all_cases if selected(c)]
    rep = Report()
    for k, case in enumerate(all_cases):
        rec = run_one(case)
        rep.calls += 1
        rep.counts[rec.kind] += 1
        if rec.kind in ("mismatch", "internal", "hang"):
            reason = known_gaps.reason_for(rec)
            if reason is not None:
                rep.known[rec.kind] += 1
            else:
                rep.failures.append(rec)
        if progress and k % 5000 == 0:
            progress(k, len(all_cases))
    return rep


def _shard(case, index: int, count: int) -> bool:
    import zlib
    return zlib.crc32(case[0].encode()) % count == index
