"""The CPU random engine: ATen's mt19937 and CPUGeneratorImpl (seed, normal-sample caches, the
5056-byte state layout of torch.get_rng_state), and the transformations of ATen's
DistributionsHelper.h / cpu/DistributionTemplates.h on numpy arrays.

Invariant: for the same seed and call sequence, every kernel here consumes the same 32-bit words
and returns the same bits as torch 2.13's CPU kernels (AVX2 build; see NOTE [Box-Muller on 16]).
Kernels return flat values in TensorIterator order; placing them in a tensor is the caller's job."""
from __future__ import annotations

import os
import threading

import numpy as np

DEFAULT_RNG_SEED = 67280421310721  # at::default_rng_seed_val: torch.Generator()'s seed
STATE_SIZE = 5056                  # sizeof(CPUGeneratorImplState)
_N = 624                           # MERSENNE_STATE_N
_U64 = (1 << 64) - 1

# NOTE [The engine]
# numpy's MT19937 bit generator runs the same recurrence and tempering as at::mt19937; only the
# seeding differs. ATen seeds with init_genrand(seed & 0xffffffff) and keeps the 64-bit seed for
# initial_seed(), so we compute that key ourselves and load it with pos=624, numpy's "twist before
# the next word", which is ATen's left_ == 1. ATen's (next_, left_) after k words since a twist
# are (k, 625 - k); a freshly seeded engine reports (0, 1), which `_pending_next` remembers.
# random_raw and full-range uint32 `integers` both hand out each 32-bit word unchanged, in order.


class CPUGeneratorImpl:
    """One mt19937 stream with ATen's normal-sample caches. `mutex` is held by a kernel for its
    whole run, as ATen's kernels hold the generator's mutex."""

    def __init__(self, seed: int = DEFAULT_RNG_SEED) -> None:
        self._bitgen = np.random.MT19937(0)
        self._words = np.random.Generator(self._bitgen)
        self.mutex = threading.RLock()
        self.set_current_seed(seed)

    # ---- seeding ---------------------------------------------------------------------------
    def set_current_seed(self, seed: int) -> None:
        seed &= _U64
        key = np.empty(_N, np.uint32)
        x = seed & 0xFFFFFFFF
        key[0] = x
        for j in range(1, _N):
            x = (1812433253 * (x ^ (x >> 30)) + j) & 0xFFFFFFFF
            key[j] = x
        self._load(key, _N)
        self._seed = seed
        self._pending_next: int | None = 0
        self.next_float_normal_sample: float | None = None
        self.next_double_normal_sample: float | None = None

    def current_seed(self) -> int:
        return self._seed

    def seed(self) -> int:
        """Reseed from /dev/urandom (c10's getNonDeterministicRandom) and return the seed."""
        value = int.from_bytes(os.urandom(8), "little")
        self.set_current_seed(value)
        return value

    def _load(self, key: np.ndarray, pos: int) -> None:
        self._bitgen.state = {"bit_generator": "MT19937", "state": {"key": key, "pos": pos}}

    # ---- words -----------------------------------------------------------------------------
    def random(self, n: int) -> np.ndarray:
        """n consecutive 32-bit words (CPUGeneratorImpl::random)."""
        if n:
            self._pending_next = None
        if n < 4096:  # random_raw has less overhead per call, integers more speed per word
            return self._bitgen.random_raw(n).astype(np.uint32)
        return self._words.integers(0, 1 << 32, n, dtype=np.uint32)

    def random64(self, n: int) -> np.ndarray:
        """n 64-bit values, each from two words, the first one high (CPUGeneratorImpl::random64)."""
        w = self.random(2 * n).astype(np.uint64)
        return (w[0::2] << np.uint64(32)) | w[1::2]

    # ---- state -----------------------------------------------------------------------------
    def get_state(self) -> bytes:
        st = self._bitgen.state["state"]
        pos = int(st["pos"])
        if pos == _N and self._pending_next is not None:
            nxt, left = self._pending_next, 1
        else:
            nxt, left = pos, _N + 1 - pos
        buf = np.zeros(STATE_SIZE, np.uint8)
        buf[0:8].view(np.uint64)[0] = self._seed
        buf[8:16].view(np.int32)[:] = (left, 1)
        buf[16:24].view(np.uint64)[0] = nxt
        buf[24:5016].view(np.uint64)[:] = np.asarray(st["key"], np.uint32)
        if self.next_double_normal_sample is not None:
            buf[5024:5032].view(np.float64)[0] = self.next_double_normal_sample
            buf[5040:5044].view(np.int32)[0] = 1
        if self.next_float_normal_sample is not None:
            buf[5048:5052].view(np.float32)[0] = self.next_float_normal_sample
            buf[5052] = 1
        return buf.tobytes()

    def set_state(self, data: bytes) -> None:
        """Load torch's layout; raises ValueError("invalid") when ATen's is_valid() would fail."""
        buf = np.frombuffer(data, np.uint8)
        seed = int(buf[0:8].view(np.uint64)[0])
        left, seeded = (int(v) for v in buf[8:16].view(np.int32))
        nxt = int(buf[16:24].view(np.uint64)[0]) & 0xFFFFFFFF
        if not (seeded and 0 < left <= _N and nxt <= _N):
            raise ValueError("invalid")
        key = (buf[24:5016].view(np.uint64) & np.uint64(0xFFFFFFFF)).astype(np.uint32)
        # left == 1: the next word twists first, whatever next_ says (a fresh engine has 0).
        # Otherwise torch's states have next_ + left_ == 625; a hand-made state breaking that
        # would twist at another word in ATen and is read here as if it held.
        self._load(key, _N if left == 1 else nxt)
        self._pending_next = nxt if left == 1 else None
        self._seed = seed
        self.next_double_normal_sample = (float(buf[5024:5032].view(np.float64)[0])
                                          if buf[5040:5044].view(np.int32)[0] else None)
        self.next_float_normal_sample = (float(buf[5048:5052].view(np.float32)[0])
                                         if buf[5052] else None)

    def clone(self) -> "CPUGeneratorImpl":
        new = CPUGeneratorImpl()
        new.set_state(self.get_state())
        return new


_DEFAULT = CPUGeneratorImpl(int.from_bytes(os.urandom(8), "little"))


def default_generator() -> CPUGeneratorImpl:
    """at::detail::getDefaultCPUGenerator(): seeded from /dev/urandom at start-up, as torch's."""
    return _DEFAULT


# ---- exact fused multiply-add ---------------------------------------------------------------
# GCC contracts ATen's `a * b + c` into one FMA instruction in the AVX2 build; numpy has no fma.
_MID32 = np.uint64(0x10000000)
_LOW29 = np.uint64(0x1FFFFFFF)


def _exact_fma(a, b, c, dtype) -> np.ndarray:
    """Correctly rounded a*b + c element by element, through exact rationals (the slow path)."""
    from fractions import Fraction
    out = []
    for x, y, z in zip(*np.broadcast_arrays(a, b, c)):
        exact = Fraction(float(x)) * Fraction(float(y)) + Fraction(float(z))
        if dtype == np.float32:  # round once, straight to float32
            out.append(_fraction_to_float32(exact))
        else:
            try:
                out.append(float(exact))
            except OverflowError:
                out.append(float("inf") if exact > 0 else float("-inf"))
    return np.array(out, dtype)


def _fraction_to_float32(x) -> np.float32:
    """Round an exact rational to the nearest float32 (ties to even)."""
    from fractions import Fraction
    if x == 0:
        return np.float32(0.0)
    sign, x = (-1, -x) if x < 0 else (1, x)
    exp = max(x.numerator.bit_length() - x.denominator.bit_length(), -149 + 23)
    while Fraction(2) ** exp > x:
        exp -= 1
    while Fraction(2) ** (exp + 1) <= x:
        exp += 1
    quantum = Fraction(2) ** (max(exp, -126) - 23)  # float32 spacing at x (subnormals below -126)
    q = x / quantum
    n = q.numerator // q.denominator
    rem = q - n
    if rem > Fraction(1, 2) or (rem == Fraction(1, 2) and n % 2):
        n += 1
    return np.float32(sign * float(n * quantum))


def fma32(a, b, c) -> np.ndarray:
    """float32 fma. a*b is exact in float64; the sum rounds twice only when the float64 sum lands
    on a float32 midpoint, and those (rare) lanes are redone exactly."""
    a, b, c = np.broadcast_arrays(np.asarray(a, np.float32), np.asarray(b, np.float32),
                                  np.asarray(c, np.float32))
    s = np.multiply(a, b, dtype=np.float64)
    s += c
    out = s.astype(np.float32)
    # below float32's normal range the rounding point moves: redo those lanes too
    mid = ((s.view(np.uint64) & _LOW29) == _MID32) | ((np.abs(s) < 2.0 ** -126) & (s != 0))
    if mid.any():
        out[mid] = _exact_fma(a[mid], b[mid], c[mid], np.float32)
    return out


def fma64(a, b, c) -> np.ndarray:
    """float64 fma: Dekker's exact product and a two-sum give a*b + c = s + w (+ a tiny rest);
    lanes where the rest could change the rounding are redone exactly."""
    a, b, c = np.broadcast_arrays(np.asarray(a, np.float64), np.asarray(b, np.float64),
                                  np.asarray(c, np.float64))
    with np.errstate(all="ignore"):
        if a.ndim == 0:  # 0-d arithmetic gives numpy scalars, which the lane repairs cannot index
            return _fma64(a.reshape(1), b.reshape(1), c.reshape(1)).reshape(())
        return _fma64(a, b, c)


def _fma64(a, b, c) -> np.ndarray:
    p = a * b
    split = 134217729.0  # 2**27 + 1
    ah = a * split
    ah = ah - (ah - a)
    bh = b * split
    bh = bh - (bh - b)
    e = ((ah * bh - p) + ah * (b - bh) + (a - ah) * bh) + (a - ah) * (b - bh)  # p + e == a*b
    s = p + c
    v = s - p
    t = (p - (s - v)) + (c - v)  # s + t == p + c
    w = t + e
    out = s + w
    # a*b + c - out == rest + O(2**-104 |out|): out is the rounded value unless rest sits next
    # to a rounding boundary (half the gap above, or below a power of two a quarter of it)
    rest = np.abs((s - out) + w)
    ulp = np.spacing(np.abs(out))
    margin = ulp * 2.0 ** -40
    unsafe = ~np.isfinite(out) | (np.abs(rest - ulp / 2) <= margin) | (np.abs(rest - ulp / 4) <= margin)
    unsafe |= (np.abs(out) < 2.0 ** -969) & (out != 0)  # Dekker's split loses bits near underflow
    finite = np.isfinite(a) & np.isfinite(b) & np.isfinite(c)
    if not finite.all():  # IEEE: a finite product never overflows inside an fma
        x, y, z = a[~finite], b[~finite], c[~finite]
        out[~finite] = np.where(np.isinf(z) & np.isfinite(x) & np.isfinite(y), z, x * y + z)
        unsafe &= finite
    if unsafe.any():
        out[unsafe] = _exact_fma(a[unsafe], b[unsafe], c[unsafe], np.float64)
    return out


# ---- uniform and integer draws (TransformationHelper.h) -------------------------------------
_MASK24 = np.uint32((1 << 24) - 1)
_MASK53 = np.uint64((1 << 53) - 1)


def uniform_float(gen: CPUGeneratorImpl, n: int) -> np.ndarray:
    """uniform_real_distribution<float>(0, 1): the low 24 bits of one word, times 2**-24."""
    x = (gen.random(n) & _MASK24).astype(np.float32)
    x *= np.float32(2.0 ** -24)
    return x


def uniform_double(gen: CPUGeneratorImpl, n: int) -> np.ndarray:
    """uniform_real_distribution<double>(0, 1): the low 53 bits of random64(), times 2**-53."""
    x = (gen.random64(n) & _MASK53).astype(np.float64)
    x *= 2.0 ** -53
    return x


def uniform(gen: CPUGeneratorImpl, n: int, dtype: np.dtype, low: float, high: float) -> np.ndarray:
    """uniform_kernel: x * (to - from) + from in the op-math type (one fused multiply-add), then
    a value that rounded up to `to` in the storage type becomes `from`."""
    if dtype == np.float64:
        x = uniform_double(gen, n)
        return x if (low, high) == (0.0, 1.0) else fma64(x, high - low, low)
    lo, hi = np.float32(low), np.float32(high)
    x = uniform_float(gen, n)
    x = x if (lo, hi) == (0.0, 1.0) else fma32(x, hi - lo, lo)
    out = x.astype(dtype)
    out[out == dtype.type(high)] = dtype.type(low)
    return out


def _as_dtype(values: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """static_cast<scalar_t>(int64_t): wrap-around for narrow integers, rounding for floats."""
    return values.astype(dtype) if dtype.kind in "fb" else values.astype(np.int64).astype(dtype)


def random_from_to(gen: CPUGeneratorImpl, n: int, dtype: np.dtype, span: int, base: int) -> np.ndarray:
    """uniform_int_from_to_distribution: (word % span) + base, the word from random64() once the
    span reaches 2**28 ("allow approx 5% skew"), from random() below, whatever the dtype."""
    words = gen.random64(n) if span >= 1 << 28 else gen.random(n).astype(np.uint64)
    values = (words % np.uint64(span) + np.uint64(base & _U64)).view(np.int64)
    return values.astype(dtype) if dtype.kind == "f" else _as_dtype(values, dtype)


def random_full_range(gen: CPUGeneratorImpl, n: int, dtype: np.dtype) -> np.ndarray:
    """random_(from=-2**63, to=None): a whole random64() reinterpreted as int64."""
    return gen.random64(n).view(np.int64).astype(dtype)


def random_default(gen: CPUGeneratorImpl, n: int, dtype: np.dtype) -> np.ndarray:
    """uniform_int_distribution (random_() without bounds): [0, max] for integers, [0, 2**digits]
    for floats; 64-bit words for int64 and double only."""
    if dtype == np.bool_:
        return (gen.random(n) & np.uint32(1)).astype(np.bool_)
    if dtype in (np.dtype(np.int64), np.dtype(np.float64)):
        modulus = (1 << 63) if dtype == np.int64 else (1 << 53) + 1
        return (gen.random64(n) % np.uint64(modulus)).astype(dtype)
    words = gen.random(n).astype(np.uint64)
    if dtype.kind == "f":
        modulus = (1 << np.finfo(dtype).nmant + 1) + 1
    else:
        modulus = int(np.iinfo(dtype).max) + 1
    return (words % np.uint64(modulus)).astype(dtype)


def bernoulli_scalar(gen: CPUGeneratorImpl, n: int, p: float) -> np.ndarray:
    """bernoulli_distribution<double>(p): uniform double < p."""
    return uniform_double(gen, n) < p


def bernoulli_tensor(gen: CPUGeneratorImpl, p: np.ndarray) -> np.ndarray:
    """bernoulli_distribution<double> for double p, <float> (24-bit uniforms) otherwise."""
    if p.dtype == np.float64:
        return uniform_double(gen, p.size) < p
    return uniform_float(gen, p.size) < p.astype(np.float32)


def exponential(gen: CPUGeneratorImpl, n: int, lambd: float) -> np.ndarray:
    """exponential_distribution<double>: -1 / lambda * log1p(-u), u uniform double."""
    u = uniform_double(gen, n)
    with np.errstate(divide="ignore"):
        return (-1.0 / lambd) * np.log1p(-u)


def randperm(gen: CPUGeneratorImpl, n: int) -> np.ndarray:
    """randperm_cpu for n < 2**32 / 20: swap i with i + random() % (n - i), i = 0 .. n-2.
    Larger n takes the inside-out shuffle with random64() % (i + 1)."""
    if n >= (1 << 32) // 20:
        picks = gen.random64(n) % np.arange(1, n + 1, dtype=np.uint64)
        perm = np.empty(n, np.int64)
        for i, z in enumerate(picks.tolist()):
            perm[i] = perm[z]
            perm[z] = i
        return perm
    picks = (gen.random(max(n - 1, 0)).astype(np.int64) % np.arange(n, 1, -1, dtype=np.int64)).tolist()
    perm = list(range(n))
    for i, z in enumerate(picks):
        j = i + z
        perm[i], perm[j] = perm[j], perm[i]
    return np.array(perm, np.int64)


# ---- normal ---------------------------------------------------------------------------------
def normal_scalar(gen: CPUGeneratorImpl, n: int, mean: float, std: float) -> np.ndarray:
    """normal_distribution<double>, one value at a time (tensors under 16 elements or not
    contiguous): Box-Muller on two uniform doubles gives r*cos for this element and caches r*sin
    in the generator for the next one. Returns float64 (the caller casts)."""
    out = np.empty(n, np.float64)
    first = 0
    if n and gen.next_double_normal_sample is not None:
        out[0] = gen.next_double_normal_sample
        gen.next_double_normal_sample = None
        first = 1
    rest = n - first
    pairs = (rest + 1) // 2
    if pairs:
        u = uniform_double(gen, 2 * pairs).reshape(pairs, 2)
        radius = np.sqrt(-2.0 * np.log1p(-u[:, 1]))
        theta = 2.0 * np.pi * u[:, 0]
        both = np.empty((pairs, 2))
        np.multiply(radius, np.cos(theta), out=both[:, 0])
        np.multiply(radius, np.sin(theta), out=both[:, 1])
        out[first:] = both.reshape(-1)[:rest]
        if rest % 2:
            gen.next_double_normal_sample = float(both[-1, 1])
    return _scale(out, mean, std, fma64)


def _scale(values: np.ndarray, mean, std, fma) -> np.ndarray:
    """transformation::normal, value * std + mean as one fma (0 * 1 + 0 still turns -0 into +0)."""
    if std == 1 and mean == 0:
        values += values.dtype.type(0.0)
        return values
    return fma(values, std, mean)


def normal_fill(gen: CPUGeneratorImpl, n: int, dtype: np.dtype, mean: float, std: float) -> np.ndarray:
    """normal_fill (contiguous tensors of 16 or more elements): uniforms are drawn for the whole
    tensor, each block of 16 becomes 8 (r cos, r sin) pairs, and a ragged end is redone as one
    more block of 16 fresh uniforms over the last 16 elements. Half precision goes through the
    float kernel one block at a time, so it draws no uniforms for the ragged end."""
    if dtype == np.float32:
        return _normal_fill_float(gen, n, np.float32(mean), np.float32(std))
    blocks, ragged = divmod(n, 16)
    if dtype == np.float64:
        body = uniform_double(gen, n)[:16 * blocks]
        tail = uniform_double(gen, 16) if ragged else None
        def transform(u): return _fill16_double(u, mean, std)
    else:  # float16: op-math float, one block of words at a time
        body = gen.random(16 * blocks)
        tail = gen.random(16) if ragged else None
        def transform(w): return box_muller_avx2(w, np.float32(mean), np.float32(std))
    result = np.empty(n, dtype)
    result[:16 * blocks] = transform(body)
    if ragged:
        result[n - 16:] = transform(tail)
    return result


def _fill16_double(u: np.ndarray, mean: float, std: float) -> np.ndarray:
    """NormalFill16<double> on blocks of 16 uniforms: u1 = 1 - data[j], u2 = data[j + 8];
    fma(r cos, std, mean) goes to data[j], fma(r sin, std, mean) to data[j + 8]. log, sin and cos
    are libm's, as numpy calls them on x86-64 without AVX-512."""
    block = u.reshape(-1, 2, 8)
    radius = np.sqrt(-2.0 * np.log(1.0 - block[:, 0]))
    theta = 6.283185307179586 * block[:, 1]  # 2.0f * pi<double>
    out = np.empty_like(block)
    out[:, 0] = _scale(radius * np.cos(theta), mean, std, fma64)
    out[:, 1] = _scale(radius * np.sin(theta), mean, std, fma64)
    return out.reshape(-1)


# NOTE [Box-Muller on 16]
# torch's AVX2 build turns each block of 16 float uniforms into normals with avx_mathfun.h's
# log256_ps and sincos256_ps (Cephes polynomials in float32), and GCC fuses most `a * b + c` of
# those polynomials into FMA instructions. box_muller_avx2 replays that instruction sequence as
# disassembled from libtorch_cpu.so 2.13 (NormalFill16<float, true>::operator()): every float32
# rounding and every fusion. A fused a*b + c is computed as an exact float64 product plus one
# float64 add, rounded to float32 (`_fused`); that can differ from the fma only when the float64
# sum is inexact and lands exactly on a float32 midpoint. The log chain is a function of the 24
# low bits of one word and the sin/cos chain of another's, so both were checked on all 2**24
# inputs: no fused sum is ever an inexact midpoint (test_box_muller_fusions_are_exact, run with
# NUMTORCH_EXHAUSTIVE=1). Only the final fma with a caller's mean and std needs fma32.
# Lanes are 8 wide: u1 = 1 - data[j] feeds the log, u2 = data[j + 8] the angle.
def _f(bits: int) -> np.float32:
    return np.array(bits, np.uint32).view(np.float32)[()]


_LOG_P = tuple(_f(b) for b in (0x3D9021BB, 0xBDEBD1B8, 0x3DEF251A, 0xBDFE5D4F, 0x3E11E9BF,
                               0xBE2AAE50, 0x3E4CCEAC, 0xBE7FFFFC, 0x3EAAAAAA))
_LOG_Q1, _LOG_Q2 = _f(0xB95E8083), _f(0x3F318000)   # -2.12194440e-4, 0.693359375
_SQRTHF = 0x3F3504F3                                   # float bits of sqrt(0.5)
_DP1, _DP2, _DP3 = _f(0xBF490000), _f(0xB97DA000), _f(0xB3222169)
_SIN = (_f(0xB94CA1F9), _f(0x3C08839E), _f(0xBE2AAAA3))
_COS = (_f(0x37CCF5CE), _f(0xBAB6061A), _f(0x3D2AAAA5))
_FOPI = _f(0x3FA2F983)                                 # 4 / pi
_TWO_PI_2_24 = np.float32(_f(0x40C90FDB) * np.float32(2.0 ** -24))  # float(2 pi) / 2**24, exact
_ZERO, _ONE, _HALF, _MINUS_TWO = (np.float32(v) for v in (0.0, 1.0, 0.5, -2.0))


def _fused(a, b, c, out: np.ndarray, scratch: np.ndarray) -> np.ndarray:
    """float32 fma(a, b, c) into `out` for box_muller_avx2: an exact float64 product, one float64
    add, then float32. Double rounding would need a float64 sum exactly on a float32 midpoint;
    NOTE [Box-Muller on 16] says why that cannot happen on these inputs."""
    np.multiply(a, b, out=scratch, dtype=np.float64)  # the float64 loop even for float32 a, b
    scratch += c
    np.copyto(out, scratch, casting="unsafe")
    return out


_LANES8 = np.dtype((np.void, 32))  # 8 float32 or uint32 lanes moved as one element
# the cosine's and the sine's polynomials run stacked, row 0 and row 1
_COS_SIN = tuple(np.array([[c], [s]]) for c, s in zip(_COS, _SIN))
_CHORD = np.array([[-0.5], [1.0]])  # last step: fma(yc, z, -z/2) and fma(ys, x, x)
_scratch = threading.local()


def _buffers(m: int) -> tuple:
    """Per-thread work arrays for m lanes of each chain (see box_muller_avx2)."""
    cached = getattr(_scratch, "arrays", None)
    if cached is None or cached[0].shape[1] != m:
        cached = (np.empty((2, m), np.uint32), np.empty((2, m), np.float32), np.empty((2, m), np.float32),
                  np.empty((2, m), np.uint32), np.empty((2, m)), np.empty((2, m))) + \
            tuple(np.empty(m, np.float32) for _ in range(5)) + (np.empty(m, np.int32),)
        _scratch.arrays = cached
    return cached


def box_muller_avx2(words: np.ndarray, mean: np.float32, std: np.float32,
                    out: np.ndarray | None = None) -> np.ndarray:
    """NormalFill16<float> (AVX2) on blocks of 16 words: float32 normals, same layout (written
    into `out` when given). Row 0 of the stacked arrays holds the lanes of data[j] (the log's
    uniforms, then the cosines), row 1 those of data[j + 8] (the angles, then the sines): one
    numpy call serves both where the instruction sequences agree."""
    fma = _fused
    m = words.size // 2
    K, kf, Y, signs, M, A, x, e, t, jf, z, j = _buffers(m)
    np.copyto(K.view(_LANES8), words.view(_LANES8).reshape(-1, 2).T)
    K &= _MASK24
    np.copyto(kf, K)  # the low 24 bits, exact as float32
    s64, x64 = A  # float64 scratch until the sine and cosine need A (a smaller working set)
    # ---- log256_ps(1 - u): u1 = (2**24 - k) / 2**24 for k the word's low 24 bits; adding
    # 1.0 - sqrt(.5) to the bits moves the mantissa into [sqrt(.5), sqrt(2)) as log256's mask
    # does and carries into the exponent exactly when the mantissa is not below sqrt(.5)
    np.subtract(np.float32(1 << 24), kf[0], out=x)  # exact
    ix = x.view(np.uint32)
    ix += np.uint32(0x3F800000 - _SQRTHF)
    np.right_shift(ix, 23, out=e, casting="unsafe")
    e -= np.float32(127 + 24)
    ix &= np.uint32(0x7FFFFF)
    ix += np.uint32(_SQRTHF)
    x -= _ONE
    y = Y[0]
    np.copyto(x64, x)
    fma(x64, _LOG_P[0], _LOG_P[1], y, s64)
    for p in _LOG_P[2:]:
        fma(y, x64, p, y, s64)
    y *= x
    np.multiply(x, x, out=z)
    np.multiply(e, _LOG_Q1, out=t)
    fma(y, z, t, y, s64)
    z *= _HALF
    y -= z
    x += y
    e *= _LOG_Q2  # e * q2 is exact, so fma(e, q2, x) is a plain add
    e += x
    e *= _MINUS_TWO
    radius = np.sqrt(e, out=e)
    # ---- sincos256_ps(2 pi u2), u2 >= 0
    theta = t
    np.multiply(kf[1], _TWO_PI_2_24, out=theta)  # k * float(2 pi) / 2**24, rounded once
    np.multiply(theta, _FOPI, out=j, casting="unsafe")  # truncation, as cvttps2dq
    j += 1
    j &= ~1
    np.copyto(jf, j)
    np.multiply(jf, _DP1, out=x)  # j * DP1 and j * DP2 are exact: these two fmas are plain adds
    x += theta
    np.multiply(jf, _DP2, out=theta)
    x += theta
    fma(jf, _DP3, x, x, s64)
    np.multiply(x, x, out=z)
    np.copyto(M[0], z)
    np.copyto(M[1], x)
    z64 = M[0]
    fma(z64, _COS_SIN[0], _COS_SIN[1], Y, A)
    fma(Y, z64, _COS_SIN[2], Y, A)
    Y *= z
    np.multiply(M, _CHORD, out=A)  # -z/2 for the cosine, x for the sine
    fma(Y, M, A, Y, M)  # M is its own scratch: each lane reads its product's inputs first
    Y[0] += _ONE
    # where j & 2 the polynomials swap (the blend's y - y + 0 cannot make a -0 here); the sine's
    # sign is bit 2 of j, the cosine's bit 2 of ~(j - 2), that is of j + 2
    bits, shifted = Y.view(np.uint32), signs.view(np.int32)
    np.left_shift(j, 30, out=shifted[0])
    np.right_shift(shifted[0], 31, out=shifted[0])  # all ones where j & 2
    np.bitwise_xor(bits[0], bits[1], out=K[0])
    K[0] &= signs[0]
    bits ^= K[0]
    np.left_shift(j, 29, out=shifted[1])
    j += 2
    np.left_shift(j, 29, out=shifted[0])
    signs &= np.uint32(0x80000000)
    bits ^= signs
    Y *= radius
    if std == 1 and mean == 0:
        if not radius.all():  # fma(r cos, 1, 0) turns the -0 of r == 0 into +0
            Y += _ZERO
    if out is None:
        out = np.empty(words.size, np.float32)
    lanes = out.view(_LANES8)
    lanes[0::2] = Y[0].view(_LANES8)  # faster than one transposed copy
    lanes[1::2] = Y[1].view(_LANES8)
    if std != 1 or mean != 0:
        out[...] = fma32(out, std, mean)  # a caller's mean and std: the checked fma
    return out


# NOTE [Threads for large normal fills]
# The float32 transform costs about 100 numpy passes over the data, three times the word
# generation. Chunks of words are independent once drawn, so the calling thread draws chunk after
# chunk from the engine (in stream order) and hands each to a pool of cpu_count - 1 workers; once
# every word is drawn, it takes back the chunks no worker has started and transforms them itself,
# so all cores share the transform and none is oversubscribed. numpy releases the GIL inside its
# loops. A forked child gets a fresh pool.
_CHUNK = 1 << 17  # words per task
_PIECE = 1 << 20  # words per draw from the engine
_WORKERS = max(0, min(3, (os.cpu_count() or 1) - 1))
_pool = None  # a concurrent.futures.ThreadPoolExecutor, made on first large fill


def _drop_pool() -> None:
    global _pool
    _pool = None


os.register_at_fork(after_in_child=_drop_pool)


def _transform_into(out: np.ndarray, start: int, words: np.ndarray, mean, std) -> None:
    box_muller_avx2(words, mean, std, out[start:start + words.size])


def _normal_fill_float(gen: CPUGeneratorImpl, n: int, mean: np.float32, std: np.float32) -> np.ndarray:
    """normal_fill<float>: words for all n elements in stream order (ATen draws every uniform
    before transforming), blocks of 16 through box_muller_avx2, then 16 fresh words for a ragged
    end (NOTE [Threads for large normal fills])."""
    global _pool
    blocks, ragged = divmod(n, 16)
    body = 16 * blocks
    out = np.empty(n, np.float32)
    if body < 4 * _CHUNK or _WORKERS == 0:
        words = gen.random(n)
        for start in range(0, body, _CHUNK):
            _transform_into(out, start, words[start:min(start + _CHUNK, body)], mean, std)
    else:
        if _pool is None:
            from concurrent.futures import ThreadPoolExecutor  # only large fills need it
            _pool = ThreadPoolExecutor(_WORKERS, thread_name_prefix="numtorch-normal")
        tasks, first, size = [], 0, _CHUNK  # pieces grow from one chunk: the workers start early
        while first < body:
            piece = gen.random(min(size, body - first))
            for start in range(0, piece.size, _CHUNK):
                words = piece[start:start + _CHUNK]
                tasks.append((_pool.submit(_transform_into, out, first + start, words, mean, std),
                              first + start, words))
            first += piece.size
            size = min(2 * size, _PIECE)
        gen.random(n - body)  # the ragged end's uniforms: drawn, then overwritten below
        for task, start, words in reversed(tasks):
            if task.cancel():  # not started by a worker: this thread does it
                _transform_into(out, start, words, mean, std)
        for task, _, _ in tasks:
            if not task.cancelled():
                task.result()
    if ragged:
        out[n - 16:] = box_muller_avx2(gen.random(16), mean, std)
    return out
