"""Sampling ops: torch.Generator, the factories (rand, randn, randint, randperm, normal and the
*_like forms), the in-place samplers (uniform_, normal_, random_, bernoulli_, exponential_),
bernoulli and multinomial.

The engine and ATen's kernels are in _core.generator; this module checks arguments with torch's
messages, picks ATen's code path (dtype, size, contiguity), places values in TensorIterator order
(memory order) and writes in-place results through Op.inplace (version bump, E9, autograd node).
A kernel holds its generator's mutex while it draws, as ATen's kernels do."""
from __future__ import annotations

import math
import warnings

import numpy as np

from .._core import dtypes as dt
from .._core import generator as engine
from .._core import messages
from .._core.device import CPU, check_device, device as _device
from .._tensor import Tensor
from .dispatch import Op

# Not yet in messages.py (owned elsewhere): the texts of ATen's distribution checks.
MANUAL_SEED_TYPE = "manual_seed expected a long, but got {type}"
SEED_OVERFLOW = "Overflow when unpacking long long"
STATE_TYPE = "expected a torch.ByteTensor, but got {type}"
STATE_NOT_BYTE = "RNG state must be a torch.ByteTensor"
STATE_SIZE = ("Expected a CPUGeneratorImplState of size 5056 but found the input RNG state size to "
              "be {size}")
STATE_INVALID = "Invalid mt19937 state"
NO_OFFSET = "CPU Generator does not use offset"
NOT_IMPLEMENTED = '"{kernel}" not implemented for \'{dtype}\''
NORMAL_STD = "normal expects std >= 0.0, but found std {std}"
NORMAL_STD_TENSOR = "normal expects all elements of std >= 0.0"
UNIFORM_RANGE = "uniform_ expects to return a [from, to) range, but found from={low} > to={high}"
UNIFORM_SPAN = ("uniform_ expects to-from <= std::numeric_limits<{dtype}>::max(), but found to={high} "
                "and from={low} which result in to-from to exceed the limit")
OUT_OF_BOUNDS = "{name} is out of bounds for {dtype}"
FLOAT_BOUNDS_WARNING = (
    "{name} is out of bounds [-(2^{digits}), 2^{digits}]. Due to precision limitations {dtype} can "
    "support discrete uniform distribution only within this range. This warning will become an "
    "error in version 1.7 release, please fix the code in advance")
RANDOM_FROM_TO = "random_ expects 'from' to be less than 'to', but got from={low} >= to={high}"
RANDOM_CAST_FROM_TO = ("random_ expects 'from' casted to dtype to be less than 'to' casted to dtype, "
                       "but got from={low} >= to={high}")
RANDOM_CAST_TO_INC = ("random_ expects 'from' casted to dtype to be less than or equal to 'to_inc' "
                      "casted to dtype, but got from={low} > to_inc={high}")
EXPONENTIAL_LAMBDA = "exponential_ expects lambda > 0.0, but found lambda={lambd}"
EXPONENTIAL_DTYPE = ("Exponential distribution is a continuous probability distribution. dtype must "
                     "be a floating point but you specified {dtype}")
BERNOULLI_P = "bernoulli_ expects p to be in [0, 1], but got p={p}"
BERNOULLI_P_TENSOR = ("Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error "
                      "message be improved?  If so, please report an enhancement request to PyTorch.)")
EXPAND = ("The expanded size of the tensor ({target}) must match the existing size ({size}) at "
          "non-singleton dimension {dim}.  Target sizes: {targets}.  Tensor sizes: {sizes}")
MULTINOMIAL_DIM = "prob_dist must be 1 or 2 dim"
MULTINOMIAL_DTYPE = "multinomial only supports floating-point dtypes for input, got: {dtype}"
MULTINOMIAL_ZERO = "cannot sample n_sample <= 0 samples"
MULTINOMIAL_TOO_MANY = "cannot sample n_sample > prob_dist.size(-1) samples without replacement"
MULTINOMIAL_CATEGORIES = "number of categories cannot exceed 2^24"
MULTINOMIAL_INVALID = "probability tensor contains either `inf`, `nan` or element < 0"
MULTINOMIAL_SUM = "invalid multinomial distribution (sum of probabilities <= 0)"
MULTINOMIAL_NEGATIVE = "invalid multinomial distribution (encountering probability entry < 0)"
MULTINOMIAL_NONFINITE = ("invalid multinomial distribution (encountering probability entry = "
                         "infinity or NaN)")
NEGATIVE_DIM = "Trying to create tensor with negative dimension {dim}: {size}"
SIZE_TYPE = "{fn}(): argument 'size' must be tuple of ints, not {type}"


# ---- torch.Generator ------------------------------------------------------------------------
class Generator:
    """torch.Generator for the CPU: a handle on one CPUGeneratorImpl (torch.default_generator
    is the handle on the process-wide one)."""
    __slots__ = ("_impl", "__weakref__")

    def __init__(self, device="cpu") -> None:
        _device(device)
        self._impl = engine.CPUGeneratorImpl()

    @classmethod
    def _wrap(cls, impl: engine.CPUGeneratorImpl) -> "Generator":
        g = object.__new__(cls)
        g._impl = impl
        return g

    @property
    def device(self):
        return CPU

    def manual_seed(self, seed) -> "Generator":
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
            raise RuntimeError(MANUAL_SEED_TYPE.format(type=type(seed).__name__))
        seed = int(seed)
        if not -(1 << 63) <= seed < (1 << 64):
            raise ValueError(SEED_OVERFLOW)
        with self._impl.mutex:
            self._impl.set_current_seed(seed)
        return self

    def seed(self) -> int:
        with self._impl.mutex:
            return self._impl.seed()

    def initial_seed(self) -> int:
        return self._impl.current_seed()

    def get_state(self) -> Tensor:
        with self._impl.mutex:
            data = self._impl.get_state()
        return Tensor._make(np.frombuffer(data, np.uint8).copy())

    def set_state(self, new_state) -> "Generator":
        if not isinstance(new_state, Tensor):
            raise TypeError(STATE_TYPE.format(type=type(new_state).__name__))
        _set_state(self._impl, new_state)
        return self

    def clone_state(self) -> "Generator":
        with self._impl.mutex:
            return Generator._wrap(self._impl.clone())

    def get_offset(self) -> int:
        raise RuntimeError(NO_OFFSET)

    def set_offset(self, offset) -> "Generator":
        raise RuntimeError(NO_OFFSET)

    def __reduce__(self):
        return (Generator, (CPU,), (self.initial_seed(), None, self.get_state()))

    def __setstate__(self, state) -> None:
        self.manual_seed(state[0])
        self.set_state(state[2])

    def __repr__(self) -> str:
        return f"<torch._C.Generator object at {hex(id(self))}>"


def _set_state(impl: engine.CPUGeneratorImpl, new_state: Tensor) -> None:
    if new_state._dtype is not dt.uint8:
        raise TypeError(STATE_NOT_BYTE)
    if new_state._data.size != engine.STATE_SIZE:
        raise RuntimeError(STATE_SIZE.format(size=new_state._data.size))
    with impl.mutex:
        try:
            impl.set_state(np.ascontiguousarray(new_state._data).tobytes())
        except ValueError:
            raise RuntimeError(STATE_INVALID) from None


default_generator = Generator._wrap(engine.default_generator())


def _impl(generator) -> engine.CPUGeneratorImpl:
    if generator is None:
        return engine.default_generator()
    if not isinstance(generator, Generator):
        raise TypeError(f"expected a torch.Generator, but got {type(generator).__name__}")
    return generator._impl


# ---- placement: TensorIterator order --------------------------------------------------------
def _iteration_order(a: np.ndarray) -> tuple:
    """Dimensions from outermost to innermost as TensorIterator walks a tensor it writes: by
    decreasing stride, so values go to memory in increasing address."""
    return tuple(sorted(range(a.ndim), key=lambda d: -abs(a.strides[d]) if a.shape[d] > 1 else 0))


def _place(values: np.ndarray, like: np.ndarray) -> np.ndarray:
    """An array shaped like `like` whose elements, visited in `like`'s memory order, are values."""
    order = _iteration_order(like)
    if order == tuple(range(like.ndim)):
        return values.reshape(like.shape)
    walked = values.reshape(tuple(like.shape[d] for d in order))
    return walked.transpose(np.argsort(order))


def _walk(a: np.ndarray) -> np.ndarray:
    """The elements of `a` in TensorIterator order, flat."""
    order = _iteration_order(a)
    return a.transpose(order).reshape(-1)


def _contiguous(a: np.ndarray) -> bool:
    return a.flags.c_contiguous or a.size <= 1


# ---- kernels over a target array ------------------------------------------------------------
def _not_implemented(kernel: str, d: dt.dtype) -> NotImplementedError:
    return NotImplementedError(NOT_IMPLEMENTED.format(kernel=kernel, dtype=d.short_name))


def _real_view(a: np.ndarray) -> np.ndarray:
    """view_as_real for complex targets (numtorch's complex tensors hold contiguous arrays)."""
    real = np.ascontiguousarray(a).view(a.real.dtype)
    return real.reshape(a.shape + (2,))


def _uniform_kernel(a: np.ndarray, gen, low: float, high: float) -> np.ndarray:
    if a.dtype.kind == "c":
        return _uniform_kernel(_real_view(a), gen, low, high).view(a.dtype).reshape(a.shape)
    with gen.mutex:
        return _place(engine.uniform(gen, a.size, a.dtype, low, high), a)


def _normal_kernel(a: np.ndarray, gen, mean: float, std: float) -> np.ndarray:
    if a.dtype.kind == "c":
        out = _normal_kernel(_real_view(a), gen, mean, std / math.sqrt(2))
        return out.view(a.dtype).reshape(a.shape)
    with gen.mutex:
        if a.size >= 16 and _contiguous(a):
            return engine.normal_fill(gen, a.size, a.dtype, mean, std).reshape(a.shape)
        return _place(engine.normal_scalar(gen, a.size, mean, std).astype(a.dtype), a)


def _check_floating(a: np.ndarray, kernel: str) -> None:
    d = dt._BY_NP[a.dtype]
    if d.category < 2:
        raise _not_implemented(kernel, d)


def _zeros_formula(c, g):
    from .creation import zeros_like
    return zeros_like(g)


def _zeros_of(index: int):
    def formula(c, g):
        from .creation import zeros
        return zeros(c.shapes[index], dtype=g.dtype)
    return formula


UNIFORM = Op("uniform_", _uniform_kernel, node="UniformBackward0", promote=None,
             grads={"self": _zeros_formula})
NORMAL = Op("normal_", _normal_kernel, node="NormalBackward0", promote=None,
            grads={"self": _zeros_formula})


def _write_random(a: np.ndarray, gen, how: str, span: int = 0, base: int = 0) -> np.ndarray:
    with gen.mutex:
        if how == "full":
            values = engine.random_full_range(gen, a.size, a.dtype)
        elif how == "default":
            values = engine.random_default(gen, a.size, a.dtype)
        else:
            values = engine.random_from_to(gen, a.size, a.dtype, span, base)
    return _place(values, a)


RANDOM = {name: Op("random_", _write_random, node=name, promote=None, grads={"self": _zeros_formula})
          for name in ("RandomBackward0", "RandomBackward1", "RandomBackward2")}


def _exponential_kernel(a: np.ndarray, gen, lambd: float) -> np.ndarray:
    with gen.mutex:
        return _place(engine.exponential(gen, a.size, lambd).astype(a.dtype), a)


EXPONENTIAL = Op("exponential_", _exponential_kernel, node="ExponentialBackward0", promote=None,
                 grads={"self": _zeros_formula})


def _bernoulli_scalar_kernel(a: np.ndarray, gen, p: float) -> np.ndarray:
    with gen.mutex:
        return _place(engine.bernoulli_scalar(gen, a.size, p).astype(a.dtype), a)


def _bernoulli_tensor_kernel(a: np.ndarray, p: np.ndarray, gen) -> np.ndarray:
    probs = _walk(np.broadcast_to(p, a.shape).transpose(_iteration_order(a)).transpose(
        np.argsort(_iteration_order(a))))
    with gen.mutex:
        return _place(engine.bernoulli_tensor(gen, probs).astype(a.dtype), a)


BERNOULLI_SCALAR = Op("bernoulli_", _bernoulli_scalar_kernel, node="BernoulliBackward2",
                      promote=None, grads={"self": _zeros_formula})
BERNOULLI_TENSOR = Op("bernoulli_", _bernoulli_tensor_kernel, node="BernoulliBackward1",
                      inputs=("self", "p"), promote=None,
                      grads={"self": _zeros_formula, "p": lambda c, g: _zeros_like_input(c.p)})


def _zeros_like_input(t):
    from .creation import zeros_like
    return zeros_like(t)
