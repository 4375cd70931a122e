"""Same seed, same numbers: every sampler, bit for bit against torch's CPU generator, for the
seeds {0, 1, 42, 2**31 - 1} and sizes {0, 1, 15, 16, 17, 1000} (10**5 for a few), plus the
generator's state round trips, Generator objects, fork_rng, errors and the in-place machinery."""
from __future__ import annotations

import os
import pickle
from fractions import Fraction

import numpy as np
import pytest

import numtorch
from numtorch._core import generator as engine

torch = pytest.importorskip("torch")

SEEDS = [0, 1, 42, 2**31 - 1]
SIZES = [0, 1, 15, 16, 17, 1000]
FLOATS = ["float32", "float64"]


def assert_bits(expected, got) -> None:
    """Same dtype, shape and bytes (so -0.0 != 0.0 and NaN payloads count)."""
    a = np.ascontiguousarray(expected.detach().numpy())
    b = np.ascontiguousarray(got.detach().numpy())
    assert str(got.dtype) == str(expected.dtype)
    assert b.shape == a.shape
    width = a.dtype.itemsize
    mismatch = a.view(np.uint8).reshape(a.size, width) != b.view(np.uint8).reshape(b.size, width)
    bad = np.flatnonzero(mismatch.any(axis=1))
    assert bad.size == 0, f"{bad.size} of {a.size} differ, first at {bad[0]}: " \
                          f"torch {a.reshape(-1)[bad[0]]!r}, numtorch {b.reshape(-1)[bad[0]]!r}"


def run_both(program, seed):
    """program(lib) -> tensor or tuple of tensors, run after lib.manual_seed(seed)."""
    torch.manual_seed(seed)
    expected = program(torch)
    numtorch.manual_seed(seed)
    got = program(numtorch)
    if not isinstance(expected, tuple):
        expected, got = (expected,), (got,)
    assert len(expected) == len(got)
    for e, g in zip(expected, got):
        assert_bits(e, g)


def dtype(lib, name):
    return getattr(lib, name)


# ---- factories --------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("size", SIZES + [10**5])
@pytest.mark.parametrize("dt", FLOATS)
def test_rand_and_randn_match_torch(seed, size, dt):
    run_both(lambda lib: (lib.rand(size, dtype=dtype(lib, dt)), lib.randn(size, dtype=dtype(lib, dt))),
             seed)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("dt", FLOATS + ["float16", "complex64", "complex128"])
def test_rand_and_randn_shapes_and_other_float_dtypes_match_torch(seed, dt):
    run_both(lambda lib: (lib.rand(3, 7, dtype=dtype(lib, dt)), lib.randn((2, 9), dtype=dtype(lib, dt)),
                          lib.randn(5, dtype=dtype(lib, dt)), lib.rand([], dtype=dtype(lib, dt))), seed)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("dt", FLOATS)
def test_like_factories_match_torch(seed, size, dt):
    def program(lib):
        x = lib.zeros(size, dtype=dtype(lib, dt))
        return (lib.rand_like(x), lib.randn_like(x), lib.randint_like(x, 7), lib.randint_like(x, -3, 9))
    run_both(program, seed)


@pytest.mark.parametrize("seed", SEEDS)
def test_like_factories_keep_the_input_layout(seed):
    """empty_like keeps a transposed layout, so randn_like takes the element-at-a-time path."""
    def program(lib):
        x = lib.zeros(10, 20).t()
        a, b = lib.randn_like(x), lib.rand_like(lib.zeros(4, 6)[:, ::2])
        return a, b, lib.tensor(a.stride()), lib.tensor(b.stride())
    run_both(program, seed)


INT_DTYPES = ["int64", "int32", "int16", "int8", "uint8"]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("size", SIZES + [10**5])
def test_randint_int64_small_and_wide_ranges_match_torch(seed, size):
    run_both(lambda lib: (lib.randint(10, (size,)), lib.randint(-(2**40), 2**41, (size,)),
                          lib.randint(3, 2**32 + 5, (size,))), seed)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("dt", INT_DTYPES + FLOATS)
def test_randint_every_dtype_matches_torch(seed, size, dt):
    low = 0 if dt == "uint8" else -5
    run_both(lambda lib: lib.randint(low, 100, (size,), dtype=dtype(lib, dt)), seed)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("n", SIZES + [10**5])
def test_randperm_matches_torch(seed, n):
    run_both(lambda lib: (lib.randperm(n), lib.randperm(n, dtype=lib.float64)), seed)


def test_large_float32_normals_match_torch_through_the_worker_pool():
    """Past 4 chunks of words, normal_fill<float> transforms chunks on a thread pool; below, one
    chunk after another."""
    n = 4 * engine._CHUNK + 17
    run_both(lambda lib: (lib.randn(n), lib.normal(0.5, 0.02, (n,)), lib.randn(5),
                          lib.randn(3 * engine._CHUNK + 5)), 42)


# ---- normal's four overloads ----------------------------------------------------------------
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("dt", FLOATS)
def test_normal_overloads_match_torch(seed, size, dt):
    def program(lib):
        d = dtype(lib, dt)
        mean = lib.tensor(np.linspace(-2, 2, size), dtype=d)
        std = lib.tensor(np.linspace(0.1, 3, size), dtype=d)
        return (lib.normal(0.25, 1.75, (size,), dtype=d), lib.normal(mean, 0.5), lib.normal(-1.5, std),
                lib.normal(mean, std), lib.normal(mean))
    run_both(program, seed)


@pytest.mark.parametrize("seed", SEEDS)
def test_normal_broadcasts_mean_and_std_in_mean_dtype(seed):
    run_both(lambda lib: (lib.normal(lib.zeros(2, 3), lib.ones(3)),
                          lib.normal(lib.zeros(3, dtype=lib.float64), lib.full((4, 1), 2.0)),
                          lib.normal(lib.zeros(()), lib.ones(20)),
                          lib.normal(lib.zeros(20), lib.ones(20, dtype=lib.float64))), seed)


@pytest.mark.parametrize("seed", SEEDS)
def test_normal_with_mean_and_std_on_large_tensors_matches_torch(seed):
    run_both(lambda lib: (lib.normal(0.5, 0.02, (10**5,)),
                          lib.normal(-3.0, 7.0, (10**5 + 3,), dtype=lib.float64)), seed)


# ---- in-place samplers ------------------------------------------------------------------------
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("dt", FLOATS)
def test_inplace_float_samplers_match_torch(seed, size, dt):
    def program(lib):
        x = lambda: lib.empty(size, dtype=dtype(lib, dt))
        return (x().uniform_(-2.5, 7.25), x().uniform_(), x().normal_(3.0, 0.5), x().normal_(),
                x().exponential_(), x().exponential_(2.5), x().bernoulli_(0.3), x().bernoulli_(),
                x().random_(), x().random_(50), x().random_(-7, 9), x().random_(3, None))
    run_both(program, seed)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("dt", INT_DTYPES + ["bool"])
def test_random_and_bernoulli_on_integer_tensors_match_torch(seed, size, dt):
    def program(lib):
        x = lambda: lib.zeros(size, dtype=dtype(lib, dt))
        out = (x().random_(), x().random_(2), x().bernoulli_(0.6), x().bernoulli_(lib.rand(size)))
        if dt not in ("bool", "uint8"):
            out += (x().random_(-3, 5), x().random_(-1, None))
        return out
    run_both(program, seed)


@pytest.mark.parametrize("seed", SEEDS)
def test_random_full_64_bit_range_matches_torch(seed):
    run_both(lambda lib: (lib.zeros(40, dtype=lib.int64).random_(-(2**63), None),
                          lib.zeros(40, dtype=lib.float64).random_(-(2**63), None),
                          lib.zeros(40, dtype=lib.int64).random_(0, 2**62)), seed)


@pytest.mark.parametrize("seed", SEEDS)
def test_inplace_samplers_walk_non_contiguous_tensors_in_memory_order(seed):
    def program(lib):
        base = lib.zeros(6, 40)
        return (lib.zeros(40, 6).t().normal_(), lib.zeros(20, 5).t().uniform_(), base[:, ::3].exponential_(),
                lib.zeros(8, 5).t().bernoulli_(lib.rand(5, 8)), lib.zeros(9, 4).t().random_(0, 10), base)
    run_both(program, seed)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("size", SIZES)
def test_bernoulli_functional_forms_match_torch(seed, size):
    def program(lib):
        p32 = lib.rand(size)
        p64 = lib.rand(size, dtype=lib.float64)
        return (lib.bernoulli(p32), lib.bernoulli(p64), lib.bernoulli(p32, 0.7), p32.bernoulli(),
                p64.bernoulli(0.2), lib.zeros(size).bernoulli_(p64))
    run_both(program, seed)


@pytest.mark.parametrize("seed", SEEDS)
def test_bernoulli_broadcasts_tensor_p(seed):
    run_both(lambda lib: lib.zeros(6, 5).bernoulli_(lib.rand(5)), seed)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("dt", FLOATS)
def test_multinomial_matches_torch(seed, dt):
    def program(lib):
        d = dtype(lib, dt)
        p = lib.rand(4, 50, dtype=d)
        v = lib.tensor([0.1, 0.0, 0.3, 0.6], dtype=d)
        return (lib.multinomial(v, 1), lib.multinomial(v, 3), lib.multinomial(v, 17, replacement=True),
                lib.multinomial(p, 1), lib.multinomial(p, 10), lib.multinomial(p, 1000, True),
                p.multinomial(5), lib.multinomial(lib.rand(1000, dtype=d), 1000))
    run_both(program, seed)


# ---- sequences, state and generators ----------------------------------------------------------
def mixed_program(lib, generator=None):
    """One of everything, interleaved, so cached normals and partly used word blocks carry over."""
    g = {"generator": generator}
    out = [lib.randn(3, **g), lib.rand(5, **g), lib.randn(1, **g), lib.randn(20, **g),
           lib.randn(17, dtype=lib.float64, **g), lib.randint(0, 7, (9,), **g), lib.randperm(11, **g)]
    x = lib.empty(15)
    out += [x.normal_(generator=generator).clone(), lib.randn(2, **g),
            lib.empty(33).uniform_(-1, 1, generator=generator), lib.normal(0.0, 1.0, (3,), **g),
            lib.bernoulli(lib.full((7,), 0.5), **g), lib.multinomial(lib.ones(5), 2, **g),
            lib.empty(9, dtype=lib.float64).exponential_(generator=generator), lib.randn(1, **g)]
    return tuple(out)


@pytest.mark.parametrize("seed", SEEDS)
def test_interleaved_calls_match_torch(seed):
    run_both(mixed_program, seed)


@pytest.mark.parametrize("seed", SEEDS)
def test_rng_state_bytes_match_torch_after_any_sequence(seed):
    def program(lib):
        states = [lib.get_rng_state()]
        for step in (lambda: lib.randn(1), lambda: lib.randn(5), lambda: lib.rand(700),
                     lambda: lib.randn(15, dtype=lib.float64)):
            step()
            states.append(lib.get_rng_state())
        return tuple(states)
    run_both(program, seed)


def test_rng_state_layout_fields():
    numtorch.manual_seed(2**40 + 3)
    numtorch.randn(1)  # two random64 draws, and a cached sample
    state = numtorch.get_rng_state().numpy()
    assert state.dtype == np.uint8 and state.shape == (5056,)
    assert int(state[0:8].view(np.uint64)[0]) == 2**40 + 3
    assert tuple(state[8:16].view(np.int32)) == (621, 1)  # left_, seeded_
    assert int(state[16:24].view(np.uint64)[0]) == 4      # next_
    assert int(state[5040:5044].view(np.int32)[0]) == 1   # the cached double normal is valid


@pytest.mark.parametrize("seed", SEEDS)
def test_states_exchange_between_torch_and_numtorch(seed):
    torch.manual_seed(seed)
    torch.randn(3)
    torch.rand(1000)
    state = torch.get_rng_state()
    numtorch.set_rng_state(numtorch.tensor(state.numpy()))
    assert_bits(torch.randn(50), numtorch.randn(50))
    assert_bits(torch.randn(3), numtorch.randn(3))
    assert_bits(torch.get_rng_state(), numtorch.get_rng_state())
    torch.set_rng_state(torch.tensor(numtorch.get_rng_state().numpy()))
    assert_bits(torch.randint(0, 100, (64,)), numtorch.randint(0, 100, (64,)))


@pytest.mark.parametrize("seed", SEEDS)
def test_set_rng_state_restores_the_stream(seed):
    numtorch.manual_seed(seed)
    numtorch.randn(3)
    saved = numtorch.get_rng_state()
    first = mixed_program(numtorch)
    numtorch.set_rng_state(saved)
    for a, b in zip(first, mixed_program(numtorch)):
        assert_bits(a, b)


def test_get_rng_state_returns_a_copy():
    state = numtorch.get_rng_state()
    first = state[0].item()
    state[0] = (first + 1) % 256
    assert numtorch.get_rng_state()[0].item() == first
    assert not numtorch.get_rng_state().requires_grad


@pytest.mark.parametrize("seed", SEEDS)
def test_generator_objects_match_torch_and_leave_the_default_alone(seed):
    gt, gn = torch.Generator().manual_seed(seed), numtorch.Generator().manual_seed(seed)
    torch.manual_seed(123)
    numtorch.manual_seed(123)
    for a, b in zip(mixed_program(torch, gt), mixed_program(numtorch, gn)):
        assert_bits(a, b)
    assert_bits(gt.get_state(), gn.get_state())
    assert_bits(torch.get_rng_state(), numtorch.get_rng_state())  # the default never moved
    assert_bits(torch.randn(20), numtorch.randn(20))


def test_generator_defaults_and_methods_match_torch():
    gt, gn = torch.Generator(), numtorch.Generator()
    assert gn.initial_seed() == gt.initial_seed() == engine.DEFAULT_RNG_SEED
    assert_bits(gt.get_state(), gn.get_state())
    assert gn.manual_seed(5) is gn
    assert gn.manual_seed(-1).initial_seed() == gt.manual_seed(-1).initial_seed() == 2**64 - 1
    assert repr(gn).startswith("<torch._C.Generator object at 0x")
    assert gn.device == numtorch.device("cpu") and str(gn.device) == str(gt.device)
    assert numtorch.manual_seed(7) is numtorch.default_generator
    assert numtorch.random.default_generator is numtorch.default_generator
    assert numtorch.initial_seed() == 7


def test_seed_reseeds_with_a_fresh_64_bit_value():
    s = numtorch.seed()
    assert isinstance(s, int) and 0 <= s < 2**64 and numtorch.initial_seed() == s
    g = numtorch.Generator()
    s2 = g.seed()
    assert g.initial_seed() == s2
    gt = torch.Generator().manual_seed(s2)
    assert_bits(torch.randn(20, generator=gt), numtorch.randn(20, generator=g))


def test_generator_set_state_clone_state_and_pickle():
    g = numtorch.Generator().manual_seed(9)
    numtorch.randn(5, generator=g)
    copy = g.clone_state()
    again = pickle.loads(pickle.dumps(g))
    state = g.get_state()
    a = numtorch.randn(40, generator=g)
    assert g.set_state(state) is g
    for other in (g, copy, again):
        assert_bits(a, numtorch.randn(40, generator=other))
    assert copy.initial_seed() == again.initial_seed() == 9


@pytest.mark.parametrize("seed", SEEDS)
def test_fork_rng_restores_the_default_generator(seed):
    numtorch.manual_seed(seed)
    torch.manual_seed(seed)
    with numtorch.random.fork_rng():
        inside = numtorch.randn(10)
    with torch.random.fork_rng():
        assert_bits(torch.randn(10), inside)
    assert_bits(torch.randn(10), numtorch.randn(10))
    with numtorch.random.fork_rng(enabled=False):
        numtorch.randn(3)
    torch.randn(3)
    assert_bits(torch.get_rng_state(), numtorch.get_rng_state())


def test_fork_rng_restores_even_after_an_exception():
    numtorch.manual_seed(1)
    before = numtorch.get_rng_state()
    with pytest.raises(ValueError):
        with numtorch.random.fork_rng(devices=[]):
            numtorch.rand(100)
            raise ValueError
    assert_bits(before, numtorch.get_rng_state())


# ---- errors ----------------------------------------------------------------------------------
ERROR_PROGRAMS = {
    "seed type": lambda lib: lib.Generator().manual_seed(1.5),
    "seed bool": lambda lib: lib.Generator().manual_seed(True),
    "seed overflow": lambda lib: lib.manual_seed(2**64),
    "seed underflow": lambda lib: lib.Generator().manual_seed(-(2**63) - 1),
    "state size": lambda lib: lib.set_rng_state(lib.zeros(10, dtype=lib.uint8)),
    "state dtype": lambda lib: lib.set_rng_state(lib.zeros(5056)),
    "state invalid": lambda lib: lib.Generator().set_state(lib.zeros(5056, dtype=lib.uint8)),
    "state list": lambda lib: lib.Generator().set_state([1, 2]),
    "offset": lambda lib: lib.Generator().get_offset(),
    "rand int": lambda lib: lib.rand(3, dtype=lib.int64),
    "randn int": lambda lib: lib.randn(3, dtype=lib.int32),
    "rand int grad": lambda lib: lib.rand(2, dtype=lib.int64, requires_grad=True),
    "randint grad": lambda lib: lib.randint(5, (2,), requires_grad=True),
    "randperm grad": lambda lib: lib.randperm(5, requires_grad=True),
    "randint empty range": lambda lib: lib.randint(5, 5, (3,)),
    "randint bool bounds": lambda lib: lib.randint(10, (2,), dtype=lib.bool),
    "randint uint8 bounds": lambda lib: lib.randint(-5, 5, (3,), dtype=lib.uint8),
    "randint int32 bounds": lambda lib: lib.randint(2**40, (3,), dtype=lib.int32),
    "randint size int": lambda lib: lib.randint(5, 2),
    "randperm negative": lambda lib: lib.randperm(-1),
    "randperm half": lambda lib: lib.randperm(3000, dtype=lib.float16),
    "randperm bool": lambda lib: lib.randperm(3, dtype=lib.bool),
    "uniform range": lambda lib: lib.zeros(3).uniform_(2, 1),
    "uniform int": lambda lib: lib.zeros(3, dtype=lib.int32).uniform_(),
    "normal std": lambda lib: lib.zeros(3).normal_(std=-1),
    "normal std size": lambda lib: lib.normal(0.0, -1.0, (2,)),
    "normal std tensor": lambda lib: lib.normal(0.0, -lib.ones(3)),
    "normal int mean": lambda lib: lib.normal(lib.zeros(3, dtype=lib.int64), 1.0),
    "normal shapes": lambda lib: lib.normal(lib.zeros(2, 3), lib.ones(4)),
    "exponential lambda": lambda lib: lib.zeros(3).exponential_(0),
    "exponential int": lambda lib: lib.zeros(3, dtype=lib.int64).exponential_(),
    "bernoulli p": lambda lib: lib.zeros(3).bernoulli_(1.5),
    "bernoulli p tensor": lambda lib: lib.bernoulli(lib.tensor([0.1, 1.5])),
    "bernoulli int p": lambda lib: lib.bernoulli(lib.tensor([1, 0])),
    "bernoulli expand": lambda lib: lib.zeros(3).bernoulli_(lib.tensor([0.1, 0.2])),
    "random_ from >= to": lambda lib: lib.zeros(3).random_(5, 2),
    "random_ to <= 0": lambda lib: lib.zeros(3).random_(-1),
    "random_ uint8 bounds": lambda lib: lib.zeros(3, dtype=lib.uint8).random_(0, 300),
    "multinomial too many": lambda lib: lib.multinomial(lib.tensor([0.1, 0.9]), 3),
    "multinomial negative": lambda lib: lib.multinomial(lib.tensor([0.1, -0.9]), 1),
    "multinomial zero sum": lambda lib: lib.multinomial(lib.tensor([0.0, 0.0]), 2, True),
    "multinomial no samples": lambda lib: lib.multinomial(lib.tensor([[0.1, 0.9]]), 0),
    "multinomial 0-d": lambda lib: lib.multinomial(lib.tensor(0.5), 1),
    "multinomial int": lambda lib: lib.multinomial(lib.tensor([1, 2]), 1),
    "multinomial nan": lambda lib: lib.multinomial(lib.tensor([1.0, float("nan")]), 1),
    "multinomial inf": lambda lib: lib.multinomial(lib.tensor([1.0, float("inf")]), 2, True),
}


@pytest.mark.parametrize("name", list(ERROR_PROGRAMS))
def test_argument_errors_match_torch(same, name):
    same(lambda lib, see: see(ERROR_PROGRAMS[name](lib)))


def test_float_random_bounds_warn_like_torch(same):
    same(lambda lib, see: see(lib.zeros(2).random_(0, 2**25).shape))


# ---- in-place machinery and autograd -------------------------------------------------------
INPLACE = {
    "uniform_": lambda t, lib: t.uniform_(),
    "normal_": lambda t, lib: t.normal_(),
    "random_": lambda t, lib: t.random_(),
    "random_ to": lambda t, lib: t.random_(4),
    "random_ from to": lambda t, lib: t.random_(1, 4),
    "bernoulli_ p": lambda t, lib: t.bernoulli_(0.5),
    "bernoulli_ tensor": lambda t, lib: t.bernoulli_(lib.full((3,), 0.5)),
    "exponential_": lambda t, lib: t.exponential_(),
}


@pytest.mark.parametrize("name", list(INPLACE))
def test_inplace_samplers_go_through_the_inplace_machinery(same, name):
    def program(lib, see):
        leaf = lib.zeros(3, requires_grad=True)
        y = leaf * 1
        INPLACE[name](y, lib)
        see(y._version, type(y.grad_fn).__name__, y.grad_fn.next_functions[0][0].name())
        y.sum().backward()
        see(leaf.grad)
        with lib.no_grad():
            INPLACE[name](leaf, lib)
        see(leaf._version, leaf.grad_fn)
        INPLACE[name](leaf, lib)  # E9 on a leaf that requires grad
    same(program)


def test_out_of_place_samplers_record_torch_nodes(same):
    def program(lib, see):
        p = lib.full((3,), 0.5, requires_grad=True)
        for out in (lib.bernoulli(p), lib.normal(p, 1.0), lib.normal(1.0, p), lib.normal(p, p),
                    lib.bernoulli(p, 0.3)):
            see(type(out.grad_fn).__name__, out.grad_fn.name(), out.requires_grad)
        lib.normal(p, p).sum().backward()
        see(p.grad)
        see(lib.multinomial(p, 2).grad_fn, lib.rand(2, requires_grad=True).requires_grad)
        lib.bernoulli(p, 0.3).sum().backward()
    same(program)


def test_sampling_into_a_view_rewrites_the_base_history(same):
    def program(lib, see):
        base = lib.zeros(4, requires_grad=True).clone()
        base[1:3].normal_()
        see(type(base.grad_fn).__name__, base._version)
    same(program)


def test_out_argument_writes_in_place():
    out = numtorch.zeros(2)
    numtorch.manual_seed(3)
    torch.manual_seed(3)
    assert numtorch.rand(5, out=out) is out and out.shape == (5,)
    assert_bits(torch.rand(5), out)


# ---- exact arithmetic -----------------------------------------------------------------------
def exact(a, b, c, to):
    return np.array([float(Fraction(float(x)) * Fraction(float(y)) + Fraction(float(z)))
                     for x, y, z in zip(a, b, c)]).astype(to) if to == np.float64 else \
        np.array([engine._fraction_to_float32(Fraction(float(x)) * Fraction(float(y)) +
                                              Fraction(float(z))) for x, y, z in zip(a, b, c)])


def test_fma64_is_correctly_rounded():
    rng = np.random.default_rng(0)
    a, b, c = (rng.standard_normal(3000) * 10.0 ** rng.integers(-5, 5, 3000) for _ in range(3))
    a[:3], b[:3], c[:3] = [1 + 2**-52, 1 + 2**-30, 3.0], [1 - 2**-52, 1 - 2**-30, 1 / 3], [-1.0, -1.0, -1.0]
    np.testing.assert_array_equal(engine.fma64(a, b, c), exact(a, b, c, np.float64))


def test_fma32_is_correctly_rounded_including_double_rounding_cases():
    rng = np.random.default_rng(1)
    a, b, c = (rng.standard_normal(3000).astype(np.float32) for _ in range(3))
    # a*b = 1 - 2**-46 and c = 2**24: the float64 sum sits on a float32 midpoint
    a[0], b[0], c[0] = 1 + 2**-23, 1 - 2**-23, 2**24
    a[1], b[1], c[1] = 1 + 2**-23, 1 + 2**-23, 2**24  # and just above one
    np.testing.assert_array_equal(engine.fma32(a, b, c), exact(a, b, c, np.float32))


@pytest.mark.skipif(not os.environ.get("NUMTORCH_EXHAUSTIVE"), reason="about a minute; set "
                    "NUMTORCH_EXHAUSTIVE=1 to run")
def test_box_muller_fusions_are_exact(monkeypatch):
    """NOTE [Box-Muller on 16]: over all 2**24 inputs of each chain, no float64 sum in a fused
    step is an inexact float32 midpoint, so the fast fused steps equal real fmas."""
    found = []

    def checked(a, b, c, out, scratch):
        p = np.multiply(a, b, dtype=np.float64)
        c64 = np.broadcast_to(np.asarray(c, np.float64), p.shape)
        s = p + c64
        v = s - p
        err = (p - (s - v)) + (c64 - v)
        mid = (s.view(np.uint64) & np.uint64(0x1FFFFFFF)) == np.uint64(0x10000000)
        found.append(int((mid & (err != 0)).sum() + ((np.abs(s) < 2.0**-126) & (s != 0)).sum()))
        np.copyto(out, s, casting="unsafe")
        return out

    chunk = 1 << 20
    for start in range(0, 1 << 24, chunk):
        k = np.arange(start, start + chunk, dtype=np.uint32).reshape(-1, 8)
        words = np.stack([k, k], axis=1).reshape(-1)
        fast = engine.box_muller_avx2(words, np.float32(0), np.float32(1))
        with monkeypatch.context() as m:
            m.setattr(engine, "_fused", checked)
            slow = engine.box_muller_avx2(words, np.float32(0), np.float32(1))
        np.testing.assert_array_equal(fast.view(np.uint32), slow.view(np.uint32))
    assert sum(found) == 0


@pytest.mark.parametrize("p", ["torch.full((2, 3), 0.5)", "torch.ones(4, 5)",
                               "torch.ones(2, 3, dtype=torch.long)", "torch.tensor([1.0, -2.0, 0.5])",
                               "torch.tensor([0, 5])"])
def test_bernoulli_on_an_empty_tensor_ignores_p(same, p):
    def prog(torch, see):
        see(torch.zeros(0).bernoulli_(eval(p)))
    same(prog)
