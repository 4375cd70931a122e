"""torch.testing.assert_close / assert_allclose / make_tensor: every case runs through torch and
numtorch, and the outcome (passing, or the exception type and message text) must be the same.

Messages name the input classes in a few cases ("<class 'torch.Tensor'>"); numtorch's classes live
in numtorch's modules, so those names are mapped back before comparing."""
from __future__ import annotations

import collections
import warnings

import numpy as np
import pytest
import torch

import numtorch

LIBS = {"torch": torch, "numtorch": numtorch}
NAN, INF = float("nan"), float("inf")


def _normalise(text: str) -> str:
    return text.replace("numtorch._tensor.Tensor", "torch.Tensor").replace("numtorch.", "torch.")


def _outcome(fn, L):
    try:
        fn(L)
    except Exception as e:  # noqa: BLE001 - the exception is the observation
        return type(e).__name__, _normalise(str(e))
    return "passed"


def _arrays(seed: int, *shape, dtype="float32"):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


def close(*args, **kwargs):
    """A case: assert_close over arguments built per library (callables of L)."""
    def run(L):
        built = [a(L) if callable(a) else a for a in args]
        return L.testing.assert_close(*built, **kwargs)
    return run


def t(values, dtype=None, **kw):
    return lambda L: L.tensor(values, dtype=None if dtype is None else getattr(L, dtype), **kw)


def nested(structure):
    """Builds lists/tuples/dicts whose leaves may be callables of L."""
    def build(L):
        def walk(x):
            if callable(x):
                return x(L)
            if isinstance(x, list):
                return [walk(v) for v in x]
            if isinstance(x, tuple):
                return tuple(walk(v) for v in x)
            if isinstance(x, dict):
                return type(x)((k, walk(v)) for k, v in x.items())
            return x
        return walk(structure)
    return build


A = _arrays(0, 3, 4)
B = A.copy()
B[1, 2] += 1e-3
B[2, 0] -= 0.5
B64 = A.astype("float64") + np.random.default_rng(1).standard_normal((3, 4)) * 1e-9

CASES = {
    # passing comparisons
    "equal_tensors": close(t([1.0, 2.0, 3.0]), t([1.0, 2.0, 3.0])),
    "within_default_tolerance": close(t([1.0, 2.0]), t([1.000001, 2.0])),
    "float64_within": close(lambda L: L.tensor(B64), lambda L: L.tensor(A.astype("float64"))),
    "empty": close(t([]), t([])),
    "empty_2d": close(lambda L: L.ones(0, 3), lambda L: L.ones(0, 3)),
    "nan_equal_nan": close(t([1.0, NAN]), t([1.0, NAN]), equal_nan=True),
    "inf_equal": close(t([INF, -INF]), t([INF, -INF])),
    "ints_equal": close(t([1, 2, 3]), t([1, 2, 3])),
    "bools_equal": close(t([True, False]), t([True, False])),
    "requires_grad": close(lambda L: L.ones(2, requires_grad=True) * 2, lambda L: L.full((2,), 2.0)),
    "noncontiguous": close(lambda L: L.tensor(A).t(), lambda L: L.tensor(A.T.copy())),
    "numbers": close(1.0, 1.0 + 1e-9),
    "ints": close(3, 3),
    "complex_numbers": close(1 + 2j, 1 + 2j),
    "bool_numbers": close(True, True),
    "numpy_scalars": close(np.float32(1.5), np.float32(1.5)),
    "numpy_bool": close(np.bool_(True), True),
    "none_none": close(None, None),
    "list_vs_tuple": close(nested([t([1.0]), 2.0]), nested((t([1.0]), 2.0))),
    "dicts_any_order": close(nested({"a": t([1.0]), "b": 2}),
                             nested(collections.OrderedDict([("b", 2), ("a", t([1.0]))]))),
    "numpy_arrays": close(np.array([1.0, 2.0]), np.array([1.0, 2.0])),
    "check_dtype_false": close(t([1.0, 2.0]), t([1, 2]), check_dtype=False),
    "number_check_dtype_false": close(1, 1.0, check_dtype=False),
    "explicit_tolerances": close(t([1.0, 2.0]), t([1.0, 2.1]), rtol=0.1, atol=0.0),
    "atol_only_large": close(t([1.0, 2.0]), t([1.5, 2.0]), rtol=0.0, atol=0.5),
    "ints_with_tolerance": close(t([10, 20]), t([11, 20]), rtol=0.1, atol=0),
    "stride_equal": close(lambda L: L.ones(2, 3), lambda L: L.zeros(2, 3) + 1, check_stride=True),
    "parameter_vs_tensor": close(lambda L: L.nn.Parameter(L.ones(2)), lambda L: L.ones(2)),
    # failing comparisons: values
    "float32_mismatch": close(t([1.0, 2.0, 3.0]), t([1.0, 2.5, 3.0])),
    "random_mismatch": close(lambda L: L.tensor(B), lambda L: L.tensor(A)),
    "float64_mismatch": close(t([1.0, 2.0], "float64"), t([1.0, 3.0], "float64")),
    "float16_mismatch": close(t([1.0, 2.0, 3.0], "float16"), t([1.0, 2.01, 3.0], "float16")),
    "int_mismatch": close(t([1, 2, 3]), t([1, 5, 4])),
    "int8_mismatch": close(t([-128, 127], "int8"), t([127, -128], "int8")),
    "uint8_mismatch": close(t([0, 255], "uint8"), t([255, 0], "uint8")),
    "bool_mismatch": close(t([True, False]), t([True, True])),
    "complex_mismatch": close(t([1 + 1j, 2]), t([1 + 1j, 2.5])),
    "zero_d": close(t(1.1), t(1.0)),
    "zero_d_int": close(t(3), t(4)),
    "zero_d_bool": close(t(True), t(False)),
    "two_d_index": close(t([[1.0, 2.0], [3.0, 4.0]]), t([[1.0, 2.0], [3.0, 0.0]])),
    "three_d_index": close(lambda L: L.zeros(2, 3, 4),
                           lambda L: L.zeros(2, 3, 4).index_fill(2, L.tensor([3]), 1.0)),
    "one_of_seven": close(lambda L: L.arange(7.0), lambda L: L.arange(7.0) + (L.arange(7) == 3)),
    "nan_mismatch": close(t([1.0, NAN]), t([1.0, NAN])),
    "nan_vs_number": close(t([NAN, 1.0]), t([2.0, 1.0]), equal_nan=True),
    "inf_vs_number": close(t([1.0, INF]), t([1.0, 3.0])),
    "expected_zero": close(t([0.0, 1.0]), t([1.0, 0.0])),
    "ties_first_index": close(t([1.0, 2.0, 3.0]), t([2.0, 3.0, 4.0])),
    "explicit_tolerance_fail": close(t([1, 2]), t([1, 4]), rtol=0.1, atol=1),
    "equality_fail": close(t([1.0, 2.0]), t([1.0, 2.0000001]), rtol=0, atol=0),
    "promoted_mismatch": close(t([1.0, 2.5]), t([1, 2]), check_dtype=False),
    "promoted_int_float64": close(t([1, 2]), t([1.0, 2.5], "float64"), check_dtype=False),
    "numpy_mismatch": close(np.array([1.0, 2.0]), np.array([1.0, 3.0])),
    # failing comparisons: attributes and structure
    "dtype": close(t([1.0, 2.0]), t([1.0, 2.0], "float64")),
    "dtype_int": close(t([1, 2]), t([1, 2], "int32")),
    "shape": close(t([1.0, 2.0, 3.0]), t([1.0, 2.0])),
    "shape_before_dtype": close(t([1.0, 2.0]), t([1.0], "float64")),
    "stride": close(lambda L: L.ones(2, 3).t(), lambda L: L.ones(3, 2), check_stride=True),
    "sequence_item": close(nested([t([1.0]), t([2.0])]), nested([t([1.0]), t([3.0])])),
    "sequence_nested_item": close(nested([1, [2.0, t([1.0, 2.0])]]), nested([1, [2.0, t([1.0, 5.0])]])),
    "sequence_length": close([1, 2], [1, 2, 3]),
    "mapping_item": close(nested({"a": t([1.0]), "b": 2.0}), nested({"a": t([1.5]), "b": 2.0})),
    "mapping_keys": close({"a": 1, "c": 2}, {"b": 1, "c": 2}),
    "mapping_in_sequence": close(nested([{"x": t([1.0])}]), nested([{"x": t([2.0])}])),
    "first_failure_reported": close(nested([t([1.0]), t([2.0])]), nested([t([5.0]), t([2.0], "float64")])),
    "number_types": close(1, 1.0),
    "float_numbers": close(1.0, 1.1),
    "int_numbers": close(1, 2),
    "complex_number_mismatch": close(1 + 1j, 1 + 2j),
    "number_nan": close(NAN, NAN),
    "number_nan_equal": close(NAN, NAN, equal_nan=True),
    "number_inf": close(INF, 1.0),
    "number_zero_expected": close(1.0, 0.0),
    "numpy_scalar_mismatch": close(np.float32(1.5), np.float32(1.6)),
    "number_with_tolerance": close(1.0, 1.2, rtol=0.0, atol=0.1),
    "booleans": close(True, False),
    "none_vs_tensor": close(None, t(1.0)),
    "tensor_vs_none": close(t([1.0]), None),
    "tensor_vs_number": close(t([1.0]), 1.0),
    "number_vs_tensor": close(1.0, t(1.0)),
    "tensor_vs_numpy": close(t([1.0]), np.array([1.0])),
    "strings": close("a", "b"),
    "parameter_no_subclasses": close(lambda L: L.nn.Parameter(L.ones(2)), lambda L: L.ones(2),
                                     allow_subclasses=False),
    "rtol_without_atol": close(t([1.0]), t([1.0]), rtol=0.1),
    "atol_without_rtol": close(1.0, 1.0, atol=0.1),
    "tolerance_error_in_sequence": close(nested([t([1.0])]), nested([t([1.0])]), atol=0.1, msg="ignored"),
    "msg_string": close(t([1.0, 2.0]), t([1.0, 2.1]), msg="custom message"),
    "msg_callable": close(t([1.0, 2.0]), t([1.0, 2.1]), msg=lambda m: "prefix: " + m),
    "msg_callable_item": close(nested([t([1.0, 2.0])]), nested([t([1.0, 2.1])]), msg=lambda m: m.upper()),
    "msg_string_dtype": close(t([1.0]), t([1.0], "float64"), msg="dtypes differ"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_assert_close_matches_torch(name):
    fn = CASES[name]
    expected, got = _outcome(fn, torch), _outcome(fn, numtorch)
    assert got == expected


def _allclose(*args, **kwargs):
    def run(L):
        built = [a(L) if callable(a) else a for a in args]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            L.testing.assert_allclose(*built, **kwargs)
        return [(w.category.__name__, str(w.message)) for w in caught]
    return run


ALLCLOSE = {
    "pass_loose": _allclose(t([1.0, 2.0]), t([1.0, 2.0001])),
    "fail": _allclose(t([1.0, 2.0]), t([1.0, 2.1])),
    "list_vs_tensor": _allclose([1.0, 2.0], t([1.0, 2.0])),
    "dtypes_not_checked": _allclose(t([1.0, 2.0]), t([1, 2])),
    "nan_equal_by_default": _allclose(t([NAN]), t([NAN])),
    "msg": _allclose(t([1.0]), t([2.0]), msg="boom"),
}


@pytest.mark.parametrize("name", list(ALLCLOSE))
def test_assert_allclose_matches_torch(name):
    fn = ALLCLOSE[name]

    def outcome(L):
        try:
            return ("passed", fn(L))
        except Exception as e:  # noqa: BLE001
            return type(e).__name__, _normalise(str(e))

    assert outcome(numtorch) == outcome(torch)


MAKE_TENSOR = {
    "float32": dict(shape=(3, 4), dtype="float32"),
    "float64_range": dict(shape=(5,), dtype="float64", low=-1, high=1),
    "float16": dict(shape=(2, 3), dtype="float16"),
    "int64": dict(shape=(6,), dtype="int64"),
    "int8_clamped": dict(shape=(6,), dtype="int8", low=-1000, high=1000),
    "uint8": dict(shape=(2, 2), dtype="uint8"),
    "bool": dict(shape=(5,), dtype="bool"),
    "complex64": dict(shape=(3,), dtype="complex64"),
    "noncontiguous": dict(shape=(2, 3), dtype="float32", noncontiguous=True),
    "exclude_zero_int": dict(shape=(20,), dtype="int64", low=-1, high=2, exclude_zero=True),
    "exclude_zero_bool": dict(shape=(6,), dtype="bool", exclude_zero=True),
    "requires_grad": dict(shape=(2,), dtype="float32", requires_grad=True),
    "shape_as_list": dict(shape=([2, 3],), dtype="float32"),
    "scalar": dict(shape=(), dtype="float64"),
    "huge_range": dict(shape=(4,), dtype="float32", low=-3e38, high=3e38),
    "low_eq_high_float": dict(shape=(2,), dtype="float32", low=1.0, high=1.0),
    "low_ge_high": dict(shape=(2,), dtype="int64", low=3, high=1),
    "nan_bound": dict(shape=(2,), dtype="float32", low=NAN),
    "outside_dtype": dict(shape=(2,), dtype="uint8", low=300, high=400),
    "grad_int": dict(shape=(2,), dtype="int64", requires_grad=True),
}


@pytest.mark.parametrize("name", list(MAKE_TENSOR))
def test_make_tensor_matches_torch(same, name):
    spec = dict(MAKE_TENSOR[name])
    shape = spec.pop("shape")

    def prog(L, see):
        L.manual_seed(123)
        kwargs = {k: getattr(L, v) if k == "dtype" else v for k, v in spec.items()}
        x = L.testing.make_tensor(*shape, device="cpu", **kwargs)
        see(x, x.stride(), x.requires_grad, x.is_contiguous())

    same(prog)
