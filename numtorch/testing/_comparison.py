"""torch.testing.assert_close: the inputs are paired up (recursing through sequences and mappings),
each pair is compared, and the first failure is raised with torch's message, character for
character (the statistics are computed in the same dtypes torch computes them in, so the printed
differences are the same floats).

A pair is None/None, bool/bool, number/number or tensor-like/tensor-like, tried in that order as
torch does. Numbers and tensors get default tolerances from their dtypes when neither rtol nor
atol is given."""
from __future__ import annotations

import cmath
import collections.abc
from typing import Any, Callable

import numpy as np

from .._core import dtypes as dt
from .._core import messages
from .._tensor import Tensor

# {dtype: (rtol, atol)}; dtypes not listed compare exactly
_DTYPE_PRECISIONS = {
    dt.float16: (0.001, 1e-5),
    dt.float32: (1.3e-6, 1e-5),
    dt.float64: (1e-7, 1e-7),
    dt.complex64: (1.3e-6, 1e-5),
    dt.complex128: (1e-7, 1e-7),
}
_NUMBER_DTYPES = {int: dt.int64, float: dt.float64, complex: dt.complex128}


class _Failure(Exception):
    """A comparison failure: the exception type and message to raise, and the item it occurred for
    (the path of indices and keys into nested inputs)."""

    def __init__(self, type_: type, msg: str, id_: tuple = ()) -> None:
        super().__init__(msg)
        self.type = type_
        self.msg = msg
        self.id = id_

    def to_error(self, msg: str | Callable[[str], str] | None = None) -> Exception:
        if not isinstance(msg, str):
            generated = self.msg
            if self.id:
                generated += messages.CLOSE_FAILED_ITEM.format(item="".join(str([item]) for item in self.id))
            msg = msg(generated) if callable(msg) else generated
        return self.type(msg)


class _Unsupported(Exception):
    """The pair type cannot handle these inputs: try the next one."""


def default_tolerances(*dtypes) -> tuple[float, float]:
    rtols, atols = zip(*[_DTYPE_PRECISIONS.get(d, (0.0, 0.0)) for d in dtypes])
    return max(rtols), max(atols)


def _tolerances(dtypes, rtol, atol, id_):
    if (rtol is None) ^ (atol is None):
        # both or neither: atol=0 alone would still pass through rtol, which surprises
        missing = "rtol" if rtol is None else "atol"
        raise _Failure(ValueError, messages.CLOSE_TOLERANCE_PAIR.format(missing=missing), id_)
    if rtol is not None:
        return rtol, atol
    return default_tolerances(*dtypes)


# ---- messages ------------------------------------------------------------------------------------
def _mismatch_msg(identifier, extra, abs_diff, abs_idx, atol, rel_diff, rel_idx, rtol) -> str:
    equality = rtol == 0 and atol == 0

    def line(kind, diff, idx, tol):
        text = f"{kind.title()} difference: {diff}" if idx is None else \
            f"Greatest {kind} difference: {diff} at index {idx}"
        return text + ("" if equality else f" (up to {tol} allowed)") + "\n"

    msg = f"{identifier} are not {'equal' if equality else 'close'}!\n\n"
    if extra:
        msg += f"{extra.strip()}\n"
    msg += line("absolute", abs_diff, abs_idx, atol) + line("relative", rel_diff, rel_idx, rtol)
    return msg.strip()


def _identifier(identifier, default):
    if identifier is None:
        return default
    return identifier(default) if callable(identifier) else identifier


def _scalar_mismatch_msg(actual, expected, rtol, atol, identifier=None) -> str:
    abs_diff = abs(actual - expected)
    rel_diff = float("inf") if expected == 0 else abs_diff / abs(expected)
    return _mismatch_msg(_identifier(identifier, "Scalars"), f"Expected {expected} but got {actual}.",
                         abs_diff, None, atol, rel_diff, None, rtol)


def _tensor_mismatch_msg(actual: np.ndarray, expected: np.ndarray, matches: np.ndarray, rtol, atol,
                         identifier=None) -> str:
    total = matches.size
    mismatches = total - int(np.count_nonzero(matches))
    extra = f"Mismatched elements: {mismatches} / {total} ({mismatches / total:.1%})"
    a, e, m = actual.reshape(-1), expected.reshape(-1), matches.reshape(-1)
    if a.dtype.kind not in "fc":
        a, e = a.astype(np.int64), e.astype(np.int64)
    abs_diff = np.abs(a - e)
    abs_diff[m] = 0
    # integer differences divide in the default float dtype, as torch's true division of int64s
    num, den = (abs_diff, np.abs(e)) if a.dtype.kind in "fc" else \
        (abs_diff.astype(dt.get_default_dtype().np), np.abs(e).astype(dt.get_default_dtype().np))
    with np.errstate(all="ignore"):
        rel_diff = num / den
    rel_diff[m] = 0
    abs_at, rel_at = _argmax(abs_diff), _argmax(rel_diff)
    return _mismatch_msg(_identifier(identifier, "Tensor-likes"), extra, abs_diff[abs_at].item(),
                         _unravel(abs_at, matches.shape), atol, rel_diff[rel_at].item(),
                         _unravel(rel_at, matches.shape), rtol)


def _argmax(x: np.ndarray) -> int:
    # torch.max(x, 0): the first maximum, or the first NaN (NaN propagates); numpy's argmax agrees
    return int(np.argmax(x))


def _unravel(flat_index: int, shape) -> tuple:
    return tuple(int(i) for i in np.unravel_index(flat_index, shape)) if shape else ()


# ---- pairs ---------------------------------------------------------------------------------------
class _Pair:
    def __init__(self, actual, expected, id_) -> None:
        self.actual = actual
        self.expected = expected
        self.id = id_

    def fail(self, type_, msg):
        raise _Failure(type_, msg, self.id)


class _NonePair(_Pair):
    def __init__(self, actual, expected, *, id_, **options) -> None:
        if not (actual is None or expected is None):
            raise _Unsupported
        super().__init__(actual, expected, id_)

    def compare(self) -> None:
        if not (self.actual is None and self.expected is None):
            self.fail(AssertionError, messages.CLOSE_NONE.format(actual=self.actual, expected=self.expected))


class _BooleanPair(_Pair):
    def __init__(self, actual, expected, *, id_, **options) -> None:
        if not all(isinstance(x, (bool, np.bool_)) for x in (actual, expected)):
            raise _Unsupported
        super().__init__(bool(actual), bool(expected), id_)

    def compare(self) -> None:
        if self.actual is not self.expected:
            self.fail(AssertionError, messages.CLOSE_BOOLEANS.format(actual=self.actual,
                                                                     expected=self.expected))


class _NumberPair(_Pair):
    def __init__(self, actual, expected, *, id_, rtol=None, atol=None, equal_nan=False, check_dtype=False,
                 **options) -> None:
        if not all(isinstance(x, (int, float, complex, np.number)) for x in (actual, expected)):
            raise _Unsupported
        actual, expected = (x.item() if isinstance(x, np.number) else x for x in (actual, expected))
        super().__init__(actual, expected, id_)
        dtypes = [_NUMBER_DTYPES[type(x)] for x in (actual, expected)]
        self.rtol, self.atol = _tolerances(dtypes, rtol, atol, id_)
        self.equal_nan = equal_nan
        self.check_dtype = check_dtype

    def compare(self) -> None:
        a, e = self.actual, self.expected
        if self.check_dtype and type(a) is not type(e):
            self.fail(AssertionError, messages.CLOSE_NUMBER_TYPES.format(actual=type(a), expected=type(e)))
        if a == e:
            return
        if self.equal_nan and cmath.isnan(a) and cmath.isnan(e):
            return
        diff = abs(a - e)
        if cmath.isfinite(diff) and diff <= self.atol + self.rtol * abs(e):
            return
        self.fail(AssertionError, _scalar_mismatch_msg(a, e, self.rtol, self.atol))


class _TensorLikePair(_Pair):
    def __init__(self, actual, expected, *, id_, allow_subclasses=True, rtol=None, atol=None,
                 equal_nan=False, check_device=True, check_dtype=True, check_layout=True,
                 check_stride=False, **options) -> None:
        related = isinstance(actual, type(expected)) or isinstance(expected, type(actual))
        if not related or (not allow_subclasses and type(actual) is not type(expected)):
            raise _Unsupported
        actual, expected = (self._to_tensor(x) for x in (actual, expected))
        super().__init__(actual, expected, id_)
        self.rtol, self.atol = _tolerances([actual._dtype, expected._dtype], rtol, atol, id_)
        self.equal_nan = equal_nan
        self.check_dtype = check_dtype
        self.check_stride = check_stride

    @staticmethod
    def _to_tensor(x) -> Tensor:
        if isinstance(x, Tensor):
            return x
        from .._ops.creation import as_tensor
        try:
            return as_tensor(x)
        except Exception:  # noqa: BLE001 - anything as_tensor refuses is not tensor-like
            raise _Unsupported from None

    def _attribute_mismatch(self, name, actual, expected):
        self.fail(AssertionError, messages.CLOSE_ATTRIBUTE.format(name=name, actual=actual,
                                                                  expected=expected))

    def compare(self) -> None:
        a, e = self.actual, self.expected
        # every tensor here is strided, on the CPU and not quantized: shape, stride and dtype remain
        if a.shape != e.shape:
            self._attribute_mismatch("shape", a.shape, e.shape)
        if self.check_stride and a.stride() != e.stride():
            self._attribute_mismatch("stride()", a.stride(), e.stride())
        if self.check_dtype and a._dtype is not e._dtype:
            self._attribute_mismatch("dtype", a._dtype, e._dtype)
        actual, expected = a._data, e._data
        if a._dtype is not e._dtype:
            common = dt.promote_types(a._dtype, e._dtype).np
            actual, expected = actual.astype(common), expected.astype(common)
        matches = _isclose(actual, expected, self.rtol, self.atol, self.equal_nan)
        if matches.all():
            return
        if actual.shape == ():
            msg = _scalar_mismatch_msg(actual.item(), expected.item(), self.rtol, self.atol)
        else:
            msg = _tensor_mismatch_msg(actual, expected, matches, self.rtol, self.atol)
        self.fail(AssertionError, msg)


def _isclose(a: np.ndarray, e: np.ndarray, rtol: float, atol: float, equal_nan: bool) -> np.ndarray:
    """torch.isclose on two arrays of one dtype, computed in torch's dtypes: the tolerance in the
    floating type (bools become the default float dtype, integers promote to it)."""
    close = np.asarray(a == e)
    floating = a.dtype.kind in "fc"
    if equal_nan and floating:
        close = close | (np.isnan(a) & np.isnan(e))
    if rtol == 0 and atol == 0:  # the inequality degenerates to equality
        return close
    if a.dtype == np.bool_:
        a, e = a.astype(dt.get_default_dtype().np), e.astype(dt.get_default_dtype().np)
    ftype = a.dtype if a.dtype.kind in "fc" else dt.get_default_dtype().np
    with np.errstate(all="ignore"):
        allowed = atol + np.abs(rtol * e.astype(ftype))  # Python floats stay weak: ftype arithmetic
        actual = np.abs(a - e)
        if actual.dtype.kind not in "fc":
            actual = actual.astype(allowed.dtype)
        return close | (np.isfinite(actual) & (actual <= allowed))


_PAIR_TYPES = (_NonePair, _BooleanPair, _NumberPair, _TensorLikePair)


def _originate(actual, expected, id_: tuple, options: dict) -> list:
    sequence, mapping = collections.abc.Sequence, collections.abc.Mapping
    if isinstance(actual, sequence) and not isinstance(actual, str) \
            and isinstance(expected, sequence) and not isinstance(expected, str):
        if len(actual) != len(expected):
            raise _Failure(AssertionError, messages.CLOSE_SEQUENCE_LENGTH.format(actual=len(actual),
                                                                                 expected=len(expected)), id_)
        pairs = []
        for i in range(len(actual)):
            pairs += _originate(actual[i], expected[i], (*id_, i), options)
        return pairs
    if isinstance(actual, mapping) and isinstance(expected, mapping):
        actual_keys, expected_keys = set(actual.keys()), set(expected.keys())
        if actual_keys != expected_keys:
            text = messages.CLOSE_MAPPING_KEYS.format(missing=sorted(expected_keys - actual_keys),
                                                      additional=sorted(actual_keys - expected_keys))
            raise _Failure(AssertionError, text, id_)
        keys = actual_keys
        try:  # a deterministic order where the keys allow one, as torch
            keys = sorted(keys)
        except Exception:  # noqa: BLE001
            pass
        pairs = []
        for key in keys:
            pairs += _originate(actual[key], expected[key], (*id_, key), options)
        return pairs
    for pair_type in _PAIR_TYPES:
        try:
            return [pair_type(actual, expected, id_=id_, **options)]
        except _Unsupported:
            continue
    raise _Failure(TypeError, messages.CLOSE_NO_PAIR.format(actual=type(actual), expected=type(expected)),
                   id_)


def assert_close(actual: Any, expected: Any, *, allow_subclasses: bool = True, rtol: float | None = None,
                 atol: float | None = None, equal_nan: bool = False, check_device: bool = True,
                 check_dtype: bool = True, check_layout: bool = True, check_stride: bool = False,
                 msg: str | Callable[[str], str] | None = None) -> None:
    """Asserts that actual and expected are close: |actual - expected| <= atol + rtol * |expected|
    elementwise (NaNs equal with equal_nan), after checking shapes, dtypes and (optionally)
    strides. Sequences and mappings are compared item by item."""
    __tracebackhide__ = True
    options = dict(allow_subclasses=allow_subclasses, rtol=rtol, atol=atol, equal_nan=equal_nan,
                   check_device=check_device, check_dtype=check_dtype, check_layout=check_layout,
                   check_stride=check_stride)
    try:
        pairs = _originate(actual, expected, (), options)
    except _Failure as failure:
        # a failure while pairing the inputs ignores msg, as torch's
        raise failure.to_error() from None
    failures = []
    for pair in pairs:
        try:
            pair.compare()
        except _Failure as failure:
            failures.append(failure)
    if failures:
        raise failures[0].to_error(msg)


def assert_allclose(actual: Any, expected: Any, rtol: float | None = None, atol: float | None = None,
                    equal_nan: bool = True, msg: str = "") -> None:
    """Deprecated since torch 1.12: assert_close with looser defaults, dtypes not checked."""
    import warnings
    warnings.warn(messages.W_ASSERT_ALLCLOSE_DEPRECATED, FutureWarning, stacklevel=2)
    from .._ops.creation import tensor
    if not isinstance(actual, Tensor):
        actual = tensor(actual)
    if not isinstance(expected, Tensor):
        expected = tensor(expected, dtype=actual.dtype)
    if rtol is None and atol is None:
        legacy = {dt.float16: (1e-3, 1e-3), dt.float32: (1e-4, 1e-5), dt.float64: (1e-5, 1e-8)}
        rtols, atols = zip(*[legacy.get(d, (0.0, 0.0)) for d in (actual._dtype, expected._dtype)])
        rtol, atol = max(rtols), max(atols)
    assert_close(actual, expected, rtol=rtol, atol=atol, equal_nan=equal_nan, check_device=True,
                 check_dtype=False, check_stride=False, msg=msg or None)
