"""Tensor ``repr`` and print options, reproducing PyTorch's output character for character.

Role: ``tensor_repr`` turns a tensor's data (a numpy array) plus its dtype name and autograd
state into exactly the string ``repr(torch_tensor)`` would give under the current print
options (``set_printoptions``/``get_printoptions``/``printoptions``).

Invariants (all mirror torch/_tensor_str.py):
- Values are formatted as Python floats/ints/bools (``ndarray.tolist``), so float32 and
  float16 are formatted through their exact double value with Python's rounding.
- Width, int mode and sci mode of floats are decided from the *shown* elements only (after
  summarisation), counting only those that are finite and non-zero.
- Every line-wrapping decision uses the options in force at call time.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
from typing import Any, Callable, Iterator

import numpy as np

__all__ = ["set_printoptions", "get_printoptions", "printoptions", "tensor_repr"]


@dataclasses.dataclass
class _PrintOptions:
    precision: int = 4
    threshold: float = 1000
    edgeitems: int = 3
    linewidth: int = 80
    sci_mode: bool | None = None


PRINT_OPTS = _PrintOptions()

_PROFILES: dict[str, tuple[int, float, int, int]] = {
    # name: (precision, threshold, edgeitems, linewidth)
    "default": (4, 1000, 3, 80),
    "short": (2, 1000, 2, 80),
    "full": (4, math.inf, 3, 80),
}


def set_printoptions(
    precision: int | None = None,
    threshold: float | None = None,
    edgeitems: int | None = None,
    linewidth: int | None = None,
    profile: str | None = None,
    sci_mode: bool | None = None,
) -> None:
    """Same semantics as ``torch.set_printoptions``; ``sci_mode`` is always (re)set."""
    if profile in _PROFILES:
        (PRINT_OPTS.precision, PRINT_OPTS.threshold,
         PRINT_OPTS.edgeitems, PRINT_OPTS.linewidth) = _PROFILES[profile]
    if precision is not None:
        PRINT_OPTS.precision = precision
    if threshold is not None:
        PRINT_OPTS.threshold = threshold
    if edgeitems is not None:
        PRINT_OPTS.edgeitems = edgeitems
    if linewidth is not None:
        PRINT_OPTS.linewidth = linewidth
    PRINT_OPTS.sci_mode = sci_mode


def get_printoptions() -> dict[str, Any]:
    """The current options, usable as ``**kwargs`` for ``set_printoptions``."""
    return dataclasses.asdict(PRINT_OPTS)


@contextlib.contextmanager
def printoptions(**kwargs: Any) -> Iterator[None]:
    """Temporarily change the print options (arguments as for ``set_printoptions``)."""
    saved = get_printoptions()
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        set_printoptions(**saved)


_NP_DTYPES: dict[str, Any] = {
    "float16": np.float16, "bfloat16": np.float32, "float32": np.float32,
    "float64": np.float64, "int8": np.int8, "int16": np.int16, "int32": np.int32,
    "int64": np.int64, "uint8": np.uint8, "bool": np.bool_,
    "complex64": np.complex64, "complex128": np.complex128,
}


class _Formatter:
    """Decides the common width and notation of one (real) set of shown values."""

    def __init__(self, shown: np.ndarray) -> None:
        self.floating = shown.dtype.kind == "f"
        self.int_mode = True
        self.sci_mode = False
        self.width = 1
        flat = shown.reshape(-1)
        if not self.floating:
            self.width = max([1] + [len(str(v)) for v in flat.tolist()])
            return
        vals = flat[np.isfinite(flat) & (flat != 0)]
        if vals.size == 0:
            return  # nothing to measure: int mode, width 1, sci_mode option ignored
        absvals = np.abs(vals).astype(np.float64)
        lo, hi = absvals.min(), absvals.max()
        self.int_mode = bool(np.all(vals == np.ceil(vals)))
        if PRINT_OPTS.sci_mode is None:
            with np.errstate(over="ignore"):
                self.sci_mode = bool(hi / lo > 1000.0 or hi > 1.0e8 or lo < 1.0e-4)
        else:
            self.sci_mode = PRINT_OPTS.sci_mode
        p = PRINT_OPTS.precision
        if self.sci_mode:
            strs = [f"{v:.{p}e}" for v in vals.tolist()]
        elif self.int_mode:
            strs = [f"{v:.0f}." for v in vals.tolist()]
        else:
            strs = [f"{v:.{p}f}" for v in vals.tolist()]
        self.width = max(1, max(map(len, strs)))

    def format(self, value: Any) -> str:
        if not self.floating:
            s = str(value)
        elif self.sci_mode:
            s = f"{value:{self.width}.{PRINT_OPTS.precision}e}"
        elif self.int_mode:
            s = f"{value:.0f}" + ("" if math.isinf(value) or math.isnan(value) else ".")
        else:
            s = f"{value:.{PRINT_OPTS.precision}f}"
        return s.rjust(self.width)


def _shown_values(a: np.ndarray, edge: int) -> np.ndarray:
    """Flat array of the elements a summarised print shows (torch's get_summarized_data)."""
    if a.ndim == 0:
        return a.reshape(-1)
    n = a.shape[0]
    if a.ndim == 1:
        # a[-0:] is the whole vector, so edgeitems=0 measures everything, as torch does.
        return np.concatenate((a[:edge], a[-edge:])) if n > 2 * edge else a
    if not edge:
        return a[:0].reshape(-1)
    rows = [*range(edge), *range(n - edge, n)] if n > 2 * edge else range(n)
    return np.concatenate([_shown_values(a[i], edge).reshape(-1) for i in rows])


def _element_formatter(a: np.ndarray, summarize: bool) -> tuple[Callable[[Any], str], int]:
    """Return (format one element, room an element takes on a line including ', ')."""
    edge = PRINT_OPTS.edgeitems
    if a.dtype.kind != "c":
        fmt = _Formatter(_shown_values(a, edge) if summarize else a)
        return fmt.format, fmt.width + 2
    real = _Formatter(_shown_values(a.real, edge) if summarize else a.real)
    imag = _Formatter(_shown_values(a.imag, edge) if summarize else a.imag)

    def format_complex(value: complex) -> str:
        im = (imag.format(value.imag) + "j").lstrip()
        return real.format(value.real) + ("" if im[0] in "+-" else "+") + im

    return format_complex, real.width + 2 + imag.width + 1


def _body(a: np.ndarray, indent: int, summarize: bool,
          fmt: Callable[[Any], str], elem_len: int) -> str:
    if a.ndim == 0:
        return fmt(a.item())
    edge = PRINT_OPTS.edgeitems
    n = a.shape[0]
    cut = summarize and n > 2 * edge
    if a.ndim == 1:
        if summarize and not edge:
            items = ["..."]
        elif cut:
            items = ([fmt(v) for v in a[:edge].tolist()] + [" ..."]
                     + [fmt(v) for v in a[n - edge:].tolist()])
        else:
            items = [fmt(v) for v in a.tolist()]
        per_line = max(1, (PRINT_OPTS.linewidth - indent) // elem_len)
        lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
        return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"
    rows = [*range(edge), None, *range(n - edge, n)] if cut else range(n)
    parts = ["..." if i is None else _body(a[i], indent + 1, summarize, fmt, elem_len)
             for i in rows]
    return "[" + ("," + "\n" * (a.ndim - 1) + " " * (indent + 1)).join(parts) + "]"


def _add_suffixes(text: str, suffixes: list[str], indent: int) -> str:
    out = [text]
    line_len = len(text) - text.rfind("\n") + 1  # last line's length + 2
    for s in suffixes:
        if line_len + len(s) + 2 > PRINT_OPTS.linewidth:
            out.append(",\n" + " " * indent + s)
            line_len = indent + len(s)
        else:
            out.append(", " + s)
            line_len += len(s) + 2
    return "".join(out) + ")"


def tensor_repr(values: np.ndarray, *, dtype_name: str, grad_fn_name: str | None = None,
                requires_grad: bool = False, prefix: str = "tensor(",
                default_dtype: str = "float32") -> str:
    """``repr`` of a tensor holding ``values`` with torch dtype ``dtype_name`` (no ``torch.``).

    ``default_dtype`` is the current torch default float dtype (float32 or float64).
    """
    a = np.asarray(values, dtype=_NP_DTYPES.get(dtype_name))
    if a.dtype == np.float16:
        a = a.astype(np.float32)  # exact; avoids float16 overflow in the ratio test
    indent = len(prefix)
    default_complex = "complex128" if default_dtype == "float64" else "complex64"
    suffixes = []
    if a.size == 0:
        if a.ndim != 1:
            suffixes.append(f"size={tuple(a.shape)}")
        if dtype_name != default_dtype:
            suffixes.append(f"dtype=torch.{dtype_name}")
        body = "[]"
    else:
        if not PRINT_OPTS.edgeitems:
            suffixes.append(f"size={tuple(a.shape)}")
        if dtype_name not in (default_dtype, default_complex, "int64", "bool"):
            suffixes.append(f"dtype=torch.{dtype_name}")
        summarize = a.size > PRINT_OPTS.threshold
        fmt, elem_len = _element_formatter(a, summarize)
        body = _body(a, indent, summarize, fmt, elem_len)
    if grad_fn_name is not None:
        suffixes.append(f"grad_fn=<{grad_fn_name}>")
    elif requires_grad:
        suffixes.append("requires_grad=True")
    return _add_suffixes(prefix + body, suffixes, indent)
