"""numtorch._tensor_str.tensor_repr must equal repr() of the same torch tensor exactly."""

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

torch = pytest.importorskip("torch")

from numtorch._tensor_str import (  # noqa: E402
    get_printoptions,
    printoptions,
    set_printoptions,
    tensor_repr,
)

nan, inf = math.nan, math.inf


@pytest.fixture(autouse=True)
def default_printoptions():
    set_printoptions(profile="default")
    torch.set_printoptions(profile="default")
    yield
    set_printoptions(profile="default")
    torch.set_printoptions(profile="default")


def ours(t, prefix="tensor("):
    """tensor_repr of a torch tensor, fed only with what numtorch would have."""
    d = t.detach()
    values = d.float().numpy() if d.dtype == torch.bfloat16 else d.numpy()
    return tensor_repr(
        values,
        dtype_name=str(t.dtype).removeprefix("torch."),
        grad_fn_name=type(t.grad_fn).__name__ if t.grad_fn is not None else None,
        requires_grad=t.requires_grad,
        prefix=prefix,
    )


def check(t):
    assert ours(t) == repr(t)


def T(data, dtype=None):
    return torch.tensor(data, dtype=dtype)


f64, f16, bf16 = torch.float64, torch.float16, torch.bfloat16
i8, i16, i32, u8 = torch.int8, torch.int16, torch.int32, torch.uint8

HAND_CASES = {
    # integers and bools
    "int": lambda: T([1, -20, 300]),
    "int_2d": lambda: T([[1, -20], [300, 4]]),
    "int_big": lambda: T([0, 100000, -7, 2**62]),
    "int_0d": lambda: T(7),
    "int32": lambda: T([1, 2], i32),
    "int16": lambda: T([-3, 2], i16),
    "int8": lambda: T([-128, 127, 0], i8),
    "uint8": lambda: T([0, 255, 7], u8),
    "bool": lambda: T([True, False, True]),
    "bool_2d": lambda: T([[True], [False]]),
    "bool_0d": lambda: T(False),
    # float regimes
    "float_int_mode": lambda: T([1.0, 2.0, 3.0]),
    "float_neg_int_mode": lambda: T([1.0, -2.0, 3.0]),
    "float_fixed": lambda: T([1.5, 2.0, 3.0]),
    "float_fixed_wide": lambda: T([-1.5, 22.25, 333.125]),
    "ratio_1000": lambda: T([1000.0, 1.0]),
    "ratio_1001": lambda: T([1001.0, 1.0]),
    "ratio_frac": lambda: T([1001.5, 1.0]),
    "min_1e-4": lambda: T([1e-4, 1.0]),
    "small": lambda: T([1e-3]),
    "just_above_1e-4": lambda: T([0.00012345]),
    "1e7": lambda: T([1e7, 2e7]),
    "1e8": lambda: T([1e8, 2e8]),
    "1e8_exact": lambda: T([1e8, 3e7]),
    "neg_big": lambda: T([-1e5, 1.5]),
    "rounding": lambda: T([2.00005, 1.00005, 0.12345, 0.12355]),
    "tiny": lambda: T([1e-8, 1e-9]),
    "huge": lambda: T([1e20, -3e30]),
    "float_0d": lambda: T(3.0),
    "float_0d_frac": lambda: T(-0.5),
    "float_0d_tiny": lambda: T(1e-8),
    "float_0d_huge": lambda: T(1e20),
    "third": lambda: torch.arange(20.0) / 3,
    # nan / inf / -0.
    "nan_int": lambda: T([nan, 1.0]),
    "nan_frac": lambda: T([nan, 1.5]),
    "nan_0d": lambda: T(nan),
    "inf_0d": lambda: T(-inf),
    "inf_mix": lambda: T([inf, -inf, 1.0]),
    "inf_sci": lambda: T([inf, 1e-5]),
    "inf_big": lambda: T([inf, 1e8]),
    "nan_sci": lambda: T([nan, 1e-8, 1.0]),
    "all_nonfinite": lambda: T([nan, inf, -inf]),
    "nonfinite_zero": lambda: T([nan, 0.0, -0.0]),
    "negzero": lambda: T([-0.0, 0.0]),
    "negzero_frac": lambda: T([-0.0, 1.5]),
    "zero_negfrac": lambda: T([0.0, -1.5]),
    "negzero_0d": lambda: T(-0.0),
    "zeros": lambda: T([0.0, 0.0]),
    "zero_sci": lambda: T([1e-5, 0.0]),
    # other float dtypes
    "f64": lambda: T([1.0, 2.0], f64),
    "f64_frac": lambda: T([1.0 / 3, 2.0 / 3], f64),
    "f64_0d": lambda: T(2.5, f64),
    "f64_extreme": lambda: T([1e-300, 1e300], f64),
    "f64_denormal": lambda: T([5e-324, 1.0], f64),
    "f16": lambda: T([1.0, 2.5, 65504.0], f16),
    "f16_frac": lambda: T([0.1, 0.2, 0.3], f16),
    "f16_tiny": lambda: T([6e-8, 1.0], f16),
    "f16_inf": lambda: T([70000.0, 1.0], f16),
    "bf16": lambda: T([0.1, 1e10, -3.0], bf16),
    "bf16_int": lambda: T([1.0, 2.0], bf16),
    "bf16_0d": lambda: T(0.1, bf16),
    # complex
    "c64": lambda: T([1 + 2j, -0.5 - 1j]),
    "c64_negzero_imag": lambda: torch.complex(T([1.0]), T([-0.0])),
    "c64_0d": lambda: T(1.5 - 2j),
    "c128": lambda: T([1e-5 + 1j, 3 + 0j], torch.complex128),
    "c_nan": lambda: T([complex(nan, inf), 1 + 1j]),
    # empty
    "empty": lambda: T([]),
    "empty_0_3": lambda: torch.zeros(0, 3),
    "empty_2_0": lambda: torch.zeros(2, 0),
    "empty_3d": lambda: torch.zeros(2, 0, 4),
    "empty_int64": lambda: T([], torch.int64),
    "empty_int64_2d": lambda: torch.zeros(0, 3, dtype=torch.int64),
    "empty_bool": lambda: T([], torch.bool),
    "empty_f64": lambda: T([], f64),
    "empty_c64": lambda: T([], torch.complex64),
    "empty_u8": lambda: torch.zeros(0, 1, dtype=u8),
    "empty_requires_grad": lambda: torch.ones(0, requires_grad=True),
    "empty_2d_requires_grad": lambda: torch.zeros(3, 0, dtype=f64, requires_grad=True),
    # wrapping and nesting
    "long_1d_ints": lambda: torch.arange(1000),
    "long_1d_floats": lambda: torch.arange(100.0) / 7,
    "long_rows": lambda: torch.arange(60.0).reshape(2, 30) * 1.5,
    "3d": lambda: torch.arange(8.0).reshape(2, 2, 2),
    "4d": lambda: torch.arange(36).reshape(3, 1, 4, 3),
    "4d_float": lambda: torch.arange(48.0).reshape(2, 3, 2, 4) / 3,
    "3d_long_rows": lambda: torch.arange(96.0).reshape(2, 2, 24) / 9,
    "noncontiguous": lambda: torch.arange(12.0).reshape(3, 4).t() / 3,
    "strided": lambda: torch.arange(30)[::4],
    # summarised
    "summ_1d_int": lambda: torch.arange(1001),
    "summ_1d_float": lambda: torch.arange(1001) * 1.5,
    "summ_1d_sci": lambda: torch.arange(2000.0),
    "summ_2d": lambda: torch.arange(3000).reshape(30, 100),
    "summ_2d_zeros": lambda: torch.zeros(2, 1000),
    "summ_2d_wrap": lambda: torch.arange(1200.0).reshape(4, 300) / 7,
    "summ_2d_square": lambda: torch.arange(2000.0).reshape(40, 50),
    "summ_3d": lambda: torch.arange(1331.0).reshape(11, 11, 11) - 600,
    "summ_4d": lambda: torch.arange(2 * 7 * 8 * 10).reshape(2, 7, 8, 10),
    "summ_hidden_extreme": lambda: torch.cat(
        [T([1.0] * 3), T([1e-9] * 1000), T([2.0] * 3)]
    ),
    "summ_bool": lambda: torch.arange(1500) % 3 == 0,
    "summ_c64": lambda: torch.complex(torch.arange(1100.0), -torch.arange(1100.0) / 3),
    # dtype + autograd suffixes
    "f64_requires_grad": lambda: T([1.0, 2.0], f64).requires_grad_(),
    "f64_grad_fn": lambda: T([1.5], f64).requires_grad_() * 2,
    "0d_requires_grad": lambda: T(2.0).requires_grad_(),
    "0d_grad_fn": lambda: T(2.0).requires_grad_() * 2,
    "sum_grad_fn": lambda: T([1.0, 2.0]).requires_grad_().sum(),
    "view_grad_fn": lambda: T([1.0, 2.0]).requires_grad_().view(2, 1),
    "suffix_wrap": lambda: (
        torch.arange(12.0, dtype=f64).requires_grad_().reshape(2, 6) / 7
    ),
    "suffix_wrap_1d": lambda: torch.arange(9.0, dtype=f64).requires_grad_() / 7,
    "suffix_wrap_f16": lambda: (torch.arange(20.0).requires_grad_() / 3).half(),
    "suffix_near_edge": lambda: T([123456.0] * 5, f64).requires_grad_() + 1,
    "suffix_long_name": lambda: (
        torch.arange(8.0, dtype=f64).requires_grad_().unsqueeze(0).expand(1, 8) * 1.5
    ),
    "summ_grad_fn": lambda: torch.arange(1001.0).requires_grad_() * 2,
}


@pytest.mark.parametrize("name", sorted(HAND_CASES))
def test_hand_cases(name):
    check(HAND_CASES[name]())


def test_subclass_prefix():
    class MyTensor(torch.Tensor):
        pass

    t = (torch.arange(30.0) / 7).as_subclass(MyTensor)
    assert ours(t, prefix="MyTensor(") == repr(t)


def test_many_fractional_digits_at_line_boundary():
    for n in range(1, 40):
        check(torch.arange(float(n)) / 3)
        check(torch.full((n,), -123.25, dtype=f64))


# ---------------------------------------------------------------- print options

OPTION_CASES = [
    T([1.12345, -2.5]),
    T([1.0, 2.0]),
    T([1e-8, 1.0]),
    T([0.0, -0.0]),
    T([nan, 3.0]),
    T([1e10, 1.0]),
    T(3.14159),
    torch.arange(10),
    torch.arange(10.0) / 3,
    torch.arange(24.0).reshape(2, 3, 4) / 7,
    torch.arange(100).reshape(10, 10),
    torch.arange(50.0, dtype=f64) * 1e5,
    T([1 + 2j, 3.25 - 1j]),
    torch.arange(12.0).requires_grad_() * 1.5,
    torch.zeros(0, 2),
]


@pytest.mark.parametrize(
    "opts",
    [
        dict(precision=2),
        dict(precision=0),
        dict(precision=8),
        dict(sci_mode=True),
        dict(sci_mode=False),
        dict(linewidth=40),
        dict(linewidth=10),
        dict(threshold=5),
        dict(threshold=5, edgeitems=1),
        dict(threshold=5, edgeitems=0),
        dict(edgeitems=0),
        dict(threshold=20, edgeitems=5),
        dict(profile="short"),
        dict(profile="full"),
        dict(profile="full", precision=2),
        dict(profile="default"),
        dict(precision=2, sci_mode=True, linewidth=60),
    ],
    ids=repr,
)
def test_printoptions_match_torch(opts):
    set_printoptions(**opts)
    torch.set_printoptions(**opts)
    assert get_printoptions() == torch._tensor_str.get_printoptions()
    for t in OPTION_CASES:
        check(t)


def test_full_profile_prints_everything():
    t = torch.arange(1500)
    set_printoptions(profile="full")
    torch.set_printoptions(profile="full")
    check(t)
    assert "..." not in ours(t)


def test_each_call_resets_sci_mode():
    set_printoptions(sci_mode=True)
    set_printoptions(precision=3)
    assert get_printoptions()["sci_mode"] is None
    torch.set_printoptions(precision=3)
    check(T([1.5, 2.0]))


def test_get_printoptions_defaults():
    assert get_printoptions() == torch._tensor_str.get_printoptions()
    assert get_printoptions() == dict(
        precision=4, threshold=1000, edgeitems=3, linewidth=80, sci_mode=None
    )


def test_printoptions_context_manager():
    with printoptions(precision=1, sci_mode=True):
        with torch._tensor_str.printoptions(precision=1, sci_mode=True):
            check(T([1.25, 2.0]))
    assert get_printoptions()["precision"] == 4
    check(T([1.25, 2.0]))


# ---------------------------------------------------------------- property tests

DTYPES = ["float32", "float64", "float16", "bfloat16", "int8", "int16", "int32",
          "int64", "uint8", "bool", "complex64", "complex128"]
REGIMES = ["unit", "tiny", "huge", "integral", "mixed", "nonfinite", "zeros", "rounding"]

shapes = st.one_of(
    st.lists(st.integers(0, 8), min_size=0, max_size=4).map(tuple),
    st.sampled_from([(1001,), (1500,), (40, 30), (3, 400), (11, 10, 10), (2, 3, 13, 13),
                     (7, 200), (1, 1, 1200)]),
)


def random_values(rng, shape, regime):
    n = int(np.prod(shape))
    if regime == "unit":
        v = rng.standard_normal(n)
    elif regime == "tiny":
        v = rng.standard_normal(n) * 10.0 ** rng.integers(-12, -4)
    elif regime == "huge":
        v = rng.standard_normal(n) * 10.0 ** rng.integers(5, 40)
    elif regime == "integral":
        v = rng.integers(-10 ** rng.integers(1, 10), 10 ** rng.integers(1, 10), n) * 1.0
    elif regime == "mixed":
        v = rng.choice([-1, 1], n) * 10.0 ** rng.uniform(-7, 10, n)
    elif regime == "nonfinite":
        v = rng.standard_normal(n) * 10.0 ** rng.integers(-6, 6)
        v[rng.random(n) < 0.3] = rng.choice([nan, inf, -inf, 0.0, -0.0])
    elif regime == "zeros":
        v = rng.choice([0.0, -0.0, 1.0, -2.0, 0.5], n)
    else:  # values near the rounding boundary of 4 decimals
        v = np.round(rng.uniform(-10, 10, n), 4) + rng.choice([-5e-5, 5e-5, 0.0], n)
    return v.reshape(shape)


def to_torch(v, dtype_name, rng):
    dtype = getattr(torch, dtype_name)
    if dtype_name.startswith("complex"):
        im = random_values(rng, v.shape, "unit")
        return torch.from_numpy(np.asarray(v + 1j * im)).to(dtype)
    if dtype_name == "bool":
        return torch.from_numpy(np.asarray(v > 0))
    if not dtype.is_floating_point:
        info = torch.iinfo(dtype)
        v = np.nan_to_num(v, nan=0.0, posinf=info.max, neginf=info.min)
        return torch.from_numpy(np.asarray(np.clip(np.trunc(v), info.min, info.max))).to(dtype)
    return torch.from_numpy(np.asarray(v)).to(dtype)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    shape=shapes,
    dtype_name=st.sampled_from(DTYPES),
    regime=st.sampled_from(REGIMES),
    seed=st.integers(0, 2**32 - 1),
    grad=st.sampled_from([None, "requires_grad", "grad_fn"]),
)
def test_property_matches_torch(shape, dtype_name, regime, seed, grad):
    rng = np.random.default_rng(seed)
    with np.errstate(all="ignore"):
        t = to_torch(random_values(rng, shape, regime), dtype_name, rng)
    if grad and (t.dtype.is_floating_point or t.dtype.is_complex):
        t = t.requires_grad_()
        if grad == "grad_fn":
            t = t * 1
    check(t)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    shape=shapes,
    dtype_name=st.sampled_from(["float32", "float64", "int64", "complex64", "bool"]),
    regime=st.sampled_from(REGIMES),
    seed=st.integers(0, 2**32 - 1),
    precision=st.integers(0, 8),
    threshold=st.sampled_from([None, 0, 5, 50, 10**6]),
    edgeitems=st.sampled_from([None, 0, 1, 2, 4]),
    linewidth=st.sampled_from([None, 1, 30, 57, 120]),
    sci_mode=st.sampled_from([None, True, False]),
)
def test_property_printoptions_match_torch(
    shape, dtype_name, regime, seed, precision, threshold, edgeitems, linewidth, sci_mode
):
    rng = np.random.default_rng(seed)
    with np.errstate(all="ignore"):
        t = to_torch(random_values(rng, shape, regime), dtype_name, rng)
    opts = dict(precision=precision, threshold=threshold, edgeitems=edgeitems,
                linewidth=linewidth, sci_mode=sci_mode)
    try:
        set_printoptions(**opts)
        torch.set_printoptions(**opts)
        check(t)
    finally:
        set_printoptions(profile="default")
        torch.set_printoptions(profile="default")
