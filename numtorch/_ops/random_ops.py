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
from .._core.state import STATE
from .._tensor import Tensor
from .creation import zeros, zeros_like
from .dispatch import Op



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
            raise RuntimeError(messages.MANUAL_SEED_TYPE.format(type=type(seed).__name__))
        seed = int(seed)
        if not -(1 << 63) <= seed < (1 << 64):
            raise ValueError(messages.SEED_OVERFLOW)
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
            raise TypeError(messages.STATE_TYPE.format(type=type(new_state).__name__))
        _set_state(self._impl, new_state)
        return self

    def clone_state(self) -> "Generator":
        with self._impl.mutex:
            return Generator._wrap(self._impl.clone())

    def get_offset(self) -> int:
        raise RuntimeError(messages.NO_OFFSET)

    def set_offset(self, offset) -> "Generator":
        raise RuntimeError(messages.NO_OFFSET)

    def __reduce__(self):
        return (Generator, (CPU,), (self.initial_seed(), None, self.get_state()))

    def __setstate__(self, state) -> None:
        self.manual_seed(state[0])
        self.set_state(state[2])

    def __repr__(self) -> str:
        return f"<torch._C.Generator object at {hex(id(self))}>"


def _set_state(impl: engine.CPUGeneratorImpl, new_state: Tensor) -> None:
    if new_state._dtype is not dt.uint8:
        raise TypeError(messages.STATE_NOT_BYTE)
    if new_state._data.size != engine.STATE_SIZE:
        raise RuntimeError(messages.STATE_SIZE.format(size=new_state._data.size))
    with impl.mutex:
        try:
            impl.set_state(np.ascontiguousarray(new_state._data).tobytes())
        except ValueError:
            raise RuntimeError(messages.STATE_INVALID) from None


default_generator = Generator._wrap(engine.default_generator())


def _impl(generator) -> engine.CPUGeneratorImpl:
    if generator is None:
        return engine.default_generator()
    if not isinstance(generator, Generator):
        raise TypeError(messages.GENERATOR_TYPE.format(type=type(generator).__name__))
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


def _contiguous(a: np.ndarray) -> bool:
    return a.flags.c_contiguous or a.size <= 1


# ---- in-place samplers ----------------------------------------------------------------------
# Each kernel runs after Op.inplace's checks (as ATen's run after VariableType's), so argument
# errors come after the leaf error E9, as in torch.
def _dtype_of(a: np.ndarray) -> dt.dtype:
    return dt._BY_NP[a.dtype]


def _not_implemented(kernel: str, d: dt.dtype) -> NotImplementedError:
    return NotImplementedError(messages.NOT_IMPLEMENTED_DTYPE.format(kernel=kernel, dtype=d.short_name))


def _real_view(a: np.ndarray) -> np.ndarray:
    """view_as_real of a complex target: (..., 2) real parts and imaginary parts."""
    return np.ascontiguousarray(a).view(a.real.dtype).reshape(a.shape + (2,))


def _from_real(values: np.ndarray, like: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(values).view(like.dtype).reshape(like.shape)


def _zeros_formula(c, g):
    return zeros_like(g)


def _uniform_kernel(a: np.ndarray, gen, low: float, high: float) -> np.ndarray:
    if a.dtype.kind == "c":
        return _from_real(_uniform_kernel(_real_view(a), gen, low, high), a)
    d = _dtype_of(a)
    if d.category < 2:
        raise _not_implemented("check_uniform_bounds", d)
    info = np.finfo(a.dtype)
    lowest, highest = float(info.min), float(info.max)
    if not lowest <= low <= highest:
        raise RuntimeError(messages.OUT_OF_BOUNDS.format(name="from", dtype=d.cpp_name))
    if not lowest <= high <= highest:
        raise RuntimeError(messages.OUT_OF_BOUNDS.format(name="to", dtype=d.cpp_name))
    if low > high:
        raise RuntimeError(messages.UNIFORM_RANGE.format(low=_fmt(low), high=_fmt(high)))
    if high - low > highest:
        raise RuntimeError(messages.UNIFORM_SPAN.format(dtype=d.cpp_name, low=_fmt(low), high=_fmt(high)))
    with gen.mutex:
        return _place(engine.uniform(gen, a.size, a.dtype, low, high), a)


def _normal_kernel(a: np.ndarray, gen, mean: float, std: float) -> np.ndarray:
    if std < 0:
        raise RuntimeError(messages.NORMAL_STD.format(std=_fmt(std)))
    if a.dtype.kind == "c":
        return _from_real(_normal_kernel(_real_view(a), gen, mean, std / math.sqrt(2)), a)
    if a.dtype.kind != "f":
        raise _not_implemented("normal_kernel_cpu", _dtype_of(a))
    with gen.mutex:
        if a.size >= 16 and _contiguous(a):  # normal_fill, else the one-at-a-time path
            return engine.normal_fill(gen, a.size, a.dtype, mean, std).reshape(a.shape)
        return _place(engine.normal_scalar(gen, a.size, mean, std).astype(a.dtype), a)


def _random_kernel(a: np.ndarray, gen, low=None, high=None) -> np.ndarray:
    """random_(), random_(to), random_(from, to): ATen's random_from_to_impl."""
    d = _dtype_of(a)
    if d.category == 3:
        raise _not_implemented("random_kernel_cpu" if low is None else "random_from_to_kernel_cpu", d)
    with gen.mutex:
        if low is None:
            values = engine.random_default(gen, a.size, a.dtype)
        elif low == -(1 << 63) and high is None:
            values = engine.random_full_range(gen, a.size, a.dtype)
        else:
            span, base = _random_range(d, low, high)
            values = engine.random_from_to(gen, a.size, a.dtype, span, base)
    return _place(values, a)


def _random_range(d: dt.dtype, low: int, high) -> tuple:
    if high is not None:
        if low >= high:
            raise RuntimeError(messages.RANDOM_FROM_TO.format(low=low, high=high))
        if d.category == 2:
            low, high = _update_from(d, low), _update_to(d, high)
            if low >= high:
                raise RuntimeError(messages.RANDOM_CAST_FROM_TO.format(low=low, high=high))
        _check_in_range(d, low, high - 1)
        return high - low, low
    if d.category == 2:
        digits = np.finfo(d.np).nmant + 1
        high = min(1 << digits, (1 << 63) - 1)
        low = _update_from(d, low)
        if low >= high:
            raise RuntimeError(messages.RANDOM_CAST_TO_INC.format(low=low, high=high))
    else:
        high = 1 if d is dt.bool_ else int(np.iinfo(d.np).max)
    _check_in_range(d, low, high)
    return high - low + 1, low


def _update_from(d: dt.dtype, low: int) -> int:
    """Move `from` right until it survives the cast to a floating dtype (ATen's update_from)."""
    plus_one = int(d.np.type(low + 1))
    if plus_one < low:
        n = abs(low + 1).bit_length() - 1
        low = plus_one + (1 << (n - np.finfo(d.np).nmant))
    return low


def _update_to(d: dt.dtype, high: int) -> int:
    minus_one = int(d.np.type(high - 1))
    if minus_one >= high:
        n = abs(high - 1).bit_length() - 1
        high = minus_one - (1 << (n - np.finfo(d.np).nmant))
    return high


def _check_in_range(d: dt.dtype, low: int, to_inc: int) -> None:
    if d.category == 2:
        info = np.finfo(d.np)
        lowest, highest = float(info.min), float(info.max)
    else:
        info = np.iinfo(d.np) if d is not dt.bool_ else None
        lowest, highest = (0, 1) if info is None else (int(info.min), int(info.max))
    for name, value in (("from", low), ("to - 1", to_inc)):
        if not lowest <= value <= highest:
            raise RuntimeError(messages.OUT_OF_BOUNDS.format(name=name, dtype=d.cpp_name))
    if d.category == 2:
        digits = np.finfo(d.np).nmant + 1
        for name, value in (("from", low), ("to - 1", to_inc)):
            if value < -(1 << digits) or value > (1 << digits):
                text = messages.FLOAT_BOUNDS_WARNING.format(name=name, digits=digits, dtype=d.cpp_name)
                warnings.warn(text, UserWarning, stacklevel=4)


def _exponential_kernel(a: np.ndarray, gen, lambd: float) -> np.ndarray:
    if not lambd > 0:
        raise RuntimeError(messages.EXPONENTIAL_LAMBDA.format(lambd=_fmt(lambd)))
    if a.dtype.kind != "f":
        raise RuntimeError(messages.EXPONENTIAL_DTYPE.format(dtype=_dtype_of(a).short_name))
    with gen.mutex:
        return _place(engine.exponential(gen, a.size, lambd).astype(a.dtype), a)


def _bernoulli_scalar_kernel(a: np.ndarray, gen, p: float) -> np.ndarray:
    if not 0 <= p <= 1:
        raise RuntimeError(messages.BERNOULLI_RANGE.format(p=_fmt(p)))
    if a.dtype.kind == "c":
        raise _not_implemented("bernoulli_scalar_cpu_", _dtype_of(a))
    with gen.mutex:
        return _place(engine.bernoulli_scalar(gen, a.size, p).astype(a.dtype), a)


def _bernoulli_tensor_kernel(a: np.ndarray, p: np.ndarray, gen) -> np.ndarray:
    if a.size == 0:  # ATen returns before looking at p
        return a.copy()
    _check_expand(p.shape, a.shape)
    if a.dtype.kind == "c":
        raise _not_implemented("bernoulli_tensor_cpu_self_", _dtype_of(a))
    if p.dtype.kind != "f":
        raise _not_implemented("bernoulli_tensor_cpu_p_", _dtype_of(p))
    probs = np.broadcast_to(p, a.shape).transpose(_iteration_order(a)).reshape(-1)
    if ((probs < 0) | (probs > 1)).any():  # ATen checks each p as it reaches it
        raise RuntimeError(messages.BERNOULLI_P_TENSOR)
    with gen.mutex:
        return _place(engine.bernoulli_tensor(gen, probs).astype(a.dtype), a)


def _check_expand(shape: tuple, target: tuple) -> None:
    if len(shape) > len(target):
        raise RuntimeError(messages.EXPAND_TOO_FEW.format(given=len(target), dims=len(shape)))
    for i in range(1, len(shape) + 1):
        if shape[-i] != 1 and shape[-i] != target[-i]:
            raise RuntimeError(messages.EXPAND.format(target=target[-i], size=shape[-i], dim=len(target) - i,
                                             targets=list(target), sizes=list(shape)))


UNIFORM = Op("uniform_", _uniform_kernel, node="UniformBackward0", promote=None,
             grads={"self": _zeros_formula})
NORMAL = Op("normal_", _normal_kernel, node="NormalBackward0", promote=None,
            grads={"self": _zeros_formula})
# random_(from, to), random_(to), random_(): RandomBackward0, 1, 2
RANDOM = tuple(Op("random_", _random_kernel, node=f"RandomBackward{k}", promote=None,
                  grads={"self": _zeros_formula}) for k in range(3))
EXPONENTIAL = Op("exponential_", _exponential_kernel, node="ExponentialBackward0", promote=None,
                 grads={"self": _zeros_formula})
BERNOULLI_SCALAR = Op("bernoulli_", _bernoulli_scalar_kernel, node="BernoulliBackward2",
                      promote=None, grads={"self": _zeros_formula})
BERNOULLI_TENSOR = Op("bernoulli_", _bernoulli_tensor_kernel, node="BernoulliBackward1",
                      inputs=("self", "p"), promote=None,
                      grads={"self": _zeros_formula, "p": lambda c, g: zeros_like(c.p)})


def _fmt(x) -> str:
    """A double as C++'s ostream prints it (6 significant digits)."""
    return f"{x:g}" if isinstance(x, float) else str(x)


def uniform_(self: Tensor, from_: float = 0, to: float = 1, *, generator=None, **kwargs) -> Tensor:
    from_, to = float(kwargs.pop("from", from_)), float(to)
    return UNIFORM.inplace(self, low=from_, high=to, gen=_impl(generator))


def normal_(self: Tensor, mean: float = 0, std: float = 1, *, generator=None) -> Tensor:
    return NORMAL.inplace(self, mean=float(mean), std=float(std), gen=_impl(generator))


def random_(self: Tensor, *args, generator=None, **kwargs) -> Tensor:
    """random_(), random_(to), random_(from, to=None); `from` and `to` also by keyword."""
    gen = _impl(generator)
    if len(args) == 2:
        low, high = args
    elif "from" in kwargs:
        low, high = kwargs["from"], args[0] if args else kwargs.get("to")
    elif args and "to" in kwargs:
        low, high = args[0], kwargs["to"]
    elif args or "to" in kwargs:
        return RANDOM[1].inplace(self, gen=gen, low=0, high=int(args[0] if args else kwargs["to"]))
    else:
        return RANDOM[2].inplace(self, gen=gen)
    return RANDOM[0].inplace(self, gen=gen, low=int(low), high=None if high is None else int(high))


def exponential_(self: Tensor, lambd: float = 1, *, generator=None) -> Tensor:
    return EXPONENTIAL.inplace(self, lambd=float(lambd), gen=_impl(generator))


def bernoulli_(self: Tensor, p=0.5, *, generator=None) -> Tensor:
    if isinstance(p, Tensor):
        return BERNOULLI_TENSOR.inplace(self, p, gen=_impl(generator))
    return BERNOULLI_SCALAR.inplace(self, p=float(p), gen=_impl(generator))


# ---- factories ------------------------------------------------------------------------------
def _size(fn: str, size: tuple) -> tuple:
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    out = []
    for s in size:
        if isinstance(s, Tensor):
            s = int(s)
        if isinstance(s, bool) or not isinstance(s, (int, np.integer)):
            raise TypeError(messages.SIZE_TYPE.format(fn=fn, position=" (position 1)", type=type(s).__name__))
        out.append(int(s))
    for s in out:
        if s < 0:
            raise RuntimeError(messages.NEGATIVE_DIM.format(dim=s, size=out))
    return tuple(out)


def _empty_like(a: np.ndarray, dtype: np.dtype, memory_format=None) -> np.ndarray:
    """at::empty_like with preserve_format: dense strides in the order of the input's strides
    (contiguous_format, compared by name as clone does, gives C order)."""
    if memory_format is not None and str(memory_format) == "torch.contiguous_format" \
            or (a.flags.c_contiguous and 1 not in a.shape):
        return np.empty(a.shape, dtype)
    from . import layout
    return layout.strided_empty(a.shape, layout.like_strides(a), dtype)  # NOTE [Output layout]


def _result(fn: str, data: np.ndarray, requires_grad: bool, out) -> Tensor:
    if out is not None:
        if out._requires_grad and STATE.grad_enabled:
            raise RuntimeError(messages.OUT_WITH_GRAD.format(op="aten::" + fn))
        if out._data.shape != data.shape:
            out._data = np.empty(data.shape, out._dtype.np)
        np.copyto(out._data, data, casting="unsafe")
        out._bump_version()
        return out
    if requires_grad and data.dtype.kind not in "fc":
        raise RuntimeError(messages.FACTORY_INT_GRAD)
    return Tensor._make(data, bool(requires_grad))


def _fill(kernel, target: np.ndarray, **attrs) -> np.ndarray:
    """Run an in-place kernel on a fresh array, keeping the array's own strides."""
    values = kernel(target, **attrs)
    if values.strides == target.strides and values.dtype == target.dtype:
        return values  # the kernel's own array already has the layout: no copy
    np.copyto(target, values)
    return target


def _target(shape: tuple, dtype, out) -> np.ndarray:
    d = dtype or (out._dtype if out is not None else dt.get_default_dtype())
    return np.empty(shape, d.np)


def _sizes(fn: str, size: tuple, keyword) -> tuple:
    if keyword is not None:
        size = (keyword,)
    if not size:
        raise TypeError(messages.SIZE_MISSING.format(fn=fn))
    return _size(fn, size)


def rand(*size, generator=None, out=None, dtype=None, layout=None, device=None, pin_memory=False,
         requires_grad=False, **kwargs) -> Tensor:
    check_device(device)
    data = _fill(_uniform_kernel, _target(_sizes("rand", size, kwargs.get("size")), dtype, out),
                 gen=_impl(generator), low=0.0, high=1.0)
    return _result("rand", data, requires_grad, out)


def randn(*size, generator=None, out=None, dtype=None, layout=None, device=None, pin_memory=False,
          requires_grad=False, **kwargs) -> Tensor:
    check_device(device)
    data = _fill(_normal_kernel, _target(_sizes("randn", size, kwargs.get("size")), dtype, out),
                 gen=_impl(generator), mean=0.0, std=1.0)
    return _result("randn", data, requires_grad, out)


def randint(*args, size=None, generator=None, out=None, dtype=None, layout=None, device=None,
            pin_memory=False, requires_grad=False, low=None, high=None) -> Tensor:
    """randint(high, size) or randint(low, high, size); any of them also by keyword."""
    check_device(device)
    position = ""
    if size is None:
        if not args:
            raise TypeError(messages.RANDINT_NO_SIZE)
        args, size = args[:-1], args[-1]
        position = f" (position {len(args) + 1})"
    if not isinstance(size, (tuple, list)):
        raise TypeError(messages.SIZE_TYPE.format(fn="randint", position=position, type=type(size).__name__))
    if len(args) == 2:
        low, high = args
    elif len(args) == 1:
        low, high = (args[0], high) if high is not None else (low or 0, args[0])
    low = 0 if low is None else low
    target = _target(_size("randint", (size,)), dtype or dt.int64, out)
    data = _fill(_random_kernel, target, gen=_impl(generator), low=int(low), high=int(high))
    return _result("randint", data, requires_grad, out)


def randperm(n, *, generator=None, out=None, dtype=None, layout=None, device=None, pin_memory=False,
             requires_grad=False) -> Tensor:
    check_device(device)
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer, Tensor)):  # (and bool)
        raise TypeError(messages.ARG_TYPE.format(name="randperm", arg="n", pos=1, type="int",
                                                 got=type(n).__name__))
    n = int(n)
    if n < 0:
        raise RuntimeError(messages.NEGATIVE_DIM.format(dim=n, size=[n]))
    d = dtype or (out._dtype if out is not None else dt.int64)
    if d.category == 0 or d.category == 3:
        raise _not_implemented("randperm", d)
    if d.category == 2:
        limit = (1 << (np.finfo(d.np).nmant + 1)) + 1
        if n > limit:
            raise RuntimeError(messages.RANDPERM_TOO_LARGE.format(limit=limit, dtype=d.short_name))
    gen = _impl(generator)
    with gen.mutex:
        data = engine.randperm(gen, n).astype(d.np)
    return _result("randperm", data, requires_grad, out)


def _like(kernel, input: Tensor, dtype, memory_format, generator, **attrs) -> np.ndarray:
    target = _empty_like(input._data, (dtype or input._dtype).np, memory_format)
    return _fill(kernel, target, gen=_impl(generator), **attrs)


def rand_like(input: Tensor, *, generator=None, dtype=None, layout=None, device=None,
              requires_grad=False, memory_format=None) -> Tensor:
    check_device(device)
    data = _like(_uniform_kernel, input, dtype, memory_format, generator, low=0.0, high=1.0)
    return _result("rand_like", data, requires_grad, None)


def randn_like(input: Tensor, *, generator=None, dtype=None, layout=None, device=None,
               requires_grad=False, memory_format=None) -> Tensor:
    check_device(device)
    data = _like(_normal_kernel, input, dtype, memory_format, generator, mean=0.0, std=1.0)
    return _result("randn_like", data, requires_grad, None)


def randint_like(input: Tensor, *args, low=None, high=None, generator=None, dtype=None, layout=None,
                 device=None, requires_grad=False, memory_format=None) -> Tensor:
    """randint_like(input, high) or randint_like(input, low, high)."""
    check_device(device)
    if len(args) == 2:
        low, high = args
    elif len(args) == 1:
        if isinstance(args[0], Tensor) and args[0].dim() != 0:  # the (input, Tensor high) form
            raise RuntimeError(messages.RANDINT_LIKE_HIGH)
        low, high = (args[0], high) if high is not None else (low or 0, args[0])
    low = 0 if low is None else low
    data = _like(_random_kernel, input, dtype, memory_format, generator,
                 low=int(low), high=int(high))
    return _result("randint_like", data, requires_grad, None)


# ---- normal ---------------------------------------------------------------------------------
def _check_std_tensor(std: Tensor) -> None:
    if std._dtype.is_complex:
        raise RuntimeError(messages.NORMAL_STD_COMPLEX)
    if std._data.size and not (std._data >= 0).all():
        raise RuntimeError(messages.NORMAL_STD_TENSOR)


def _standard(shape: tuple, dtype: np.dtype, gen, std: float = 1.0) -> np.ndarray:
    return _fill(_normal_kernel, np.empty(shape, dtype), gen=gen, mean=0.0, std=std)


def _normal_tensor_float(mean: np.ndarray, gen, std: float) -> np.ndarray:
    """normal(Tensor mean, float std): normal_(0, std) on empty_like(mean), then add_(mean)."""
    out = _standard(mean.shape, mean.dtype, gen, std)
    out += mean
    return out


def _normal_float_tensor(std: np.ndarray, gen, mean: float) -> np.ndarray:
    """normal(float mean, Tensor std): normal_(0, 1), then mul_(std), add_(mean)."""
    out = _standard(std.shape, std.dtype, gen)
    np.multiply(out, std, out=out, casting="unsafe")
    out += std.dtype.type(mean)
    return out


def _normal_tensor_tensor(mean: np.ndarray, std: np.ndarray, gen) -> np.ndarray:
    """normal(Tensor mean, Tensor std): normal_(0, 1) on empty(broadcast shape, mean's dtype),
    then mul_(std), add_(mean), each rounded to mean's dtype."""
    out = _standard(np.broadcast_shapes(mean.shape, std.shape), mean.dtype, gen)
    np.multiply(out, std, out=out, casting="unsafe")
    np.add(out, mean, out=out, casting="unsafe")
    return out


def _zeros_of(index: int):
    """derivatives.yaml's at::zeros(<input>.sizes(), grad.options()) for input `index`."""
    def formula(c, g):
        return zeros(c.shapes[index], dtype=g.dtype)
    return formula


NORMAL_TENSOR_FLOAT = Op("normal", _normal_tensor_float, node="NormalBackward1", inputs=("mean",),
                         promote=None, grads={"mean": _zeros_of(0)})
NORMAL_FLOAT_TENSOR = Op("normal", _normal_float_tensor, node="NormalBackward2", inputs=("std",),
                         promote=None, grads={"std": _zeros_of(0)})
NORMAL_TENSOR_TENSOR = Op("normal", _normal_tensor_tensor, node="NormalBackward3",
                          inputs=("mean", "std"), promote=None,
                          grads={"mean": _zeros_of(0), "std": _zeros_of(1)})


def normal(*args, generator=None, out=None, dtype=None, layout=None, device=None, pin_memory=False,
           requires_grad=False, **kwargs) -> Tensor:
    """normal(Tensor mean, Tensor std), normal(Tensor mean, float std=1),
    normal(float mean, Tensor std), normal(float mean, float std, size)."""
    names = ("mean", "std", "size")
    given = dict(zip(names, args))
    given.update(kwargs)
    mean, std, size = given.get("mean"), given.get("std"), given.get("size")
    gen = _impl(generator)
    if isinstance(mean, Tensor) or isinstance(std, Tensor):
        if isinstance(std, Tensor):
            _check_std_tensor(std)
        elif float(1.0 if std is None else std) < 0:
            raise RuntimeError(messages.NORMAL_STD.format(std=_fmt(float(std))))
        if isinstance(mean, Tensor) and isinstance(std, Tensor):
            result = NORMAL_TENSOR_TENSOR(mean, std, gen=gen)
        elif isinstance(mean, Tensor):
            result = NORMAL_TENSOR_FLOAT(mean, gen=gen, std=float(1.0 if std is None else std))
        else:
            result = NORMAL_FLOAT_TENSOR(std, gen=gen, mean=float(mean))
        return _result("normal", result._data, False, out) if out is not None else result
    if size is None:
        raise TypeError(messages.NORMAL_INVALID_ARGS.format(got=", ".join(type(a).__name__ for a in args)))
    check_device(device)
    data = _fill(_normal_kernel, _target(_size("normal", (size,)), dtype, out), gen=gen,
                 mean=float(mean), std=float(std))
    return _result("normal", data, requires_grad, out)


# ---- bernoulli and multinomial --------------------------------------------------------------
def _bernoulli_kernel(p: np.ndarray, gen) -> np.ndarray:
    """bernoulli(Tensor p): empty_like(p) (contiguous), then bernoulli_(p)."""
    return _bernoulli_tensor_kernel(np.empty(p.shape, p.dtype), p, gen)


def _bernoulli_p_kernel(a: np.ndarray, gen, p: float) -> np.ndarray:
    return _bernoulli_scalar_kernel(_empty_like(a, a.dtype), gen, p)


def _not_implemented_formula(c, g):
    raise RuntimeError(messages.DERIVATIVE_NOT_IMPLEMENTED.format(name="aten::bernoulli"))


BERNOULLI = Op("bernoulli", _bernoulli_kernel, node="BernoulliBackward0", promote=None,
               grads={"self": _zeros_formula})
BERNOULLI_P = Op("bernoulli", _bernoulli_p_kernel, node="NotImplemented", promote=None,
                 grads={"self": _not_implemented_formula})
BERNOULLI_P.node_cls.name = lambda self: "torch::autograd::NotImplemented"


def bernoulli(input: Tensor, p=None, *, generator=None, out=None) -> Tensor:
    if p is None:
        result = BERNOULLI(input, gen=_impl(generator))
    else:
        result = BERNOULLI_P(input, gen=_impl(generator), p=float(p))
    return _result("bernoulli", result._data, False, out) if out is not None else result


def multinomial(input: Tensor, num_samples: int, replacement: bool = False, *, generator=None,
                out=None) -> Tensor:
    """ATen's multinomial: without replacement (or one sample) the exponential trick,
    argmax / topk of p / q with q ~ Exp(1); otherwise inverse-CDF sampling row by row."""
    p = input._data
    n = int(num_samples)
    if not 1 <= p.ndim <= 2:
        raise RuntimeError(messages.MULTINOMIAL_DIM)
    if p.dtype.kind != "f":
        raise RuntimeError(messages.MULTINOMIAL_DTYPE.format(dtype=input._dtype.short_name))
    if n <= 0:
        raise RuntimeError(messages.MULTINOMIAL_ZERO)
    categories = p.shape[-1]
    if not replacement and n > categories:
        raise RuntimeError(messages.MULTINOMIAL_TOO_MANY)
    if categories > 1 << 24:
        raise RuntimeError(messages.MULTINOMIAL_CATEGORIES)
    shape = (n,) if p.ndim == 1 else (p.shape[0], n)
    gen = _impl(generator)
    if 0 in shape:
        data = np.empty(shape, np.int64)
    elif not replacement or n == 1:
        if not (np.isfinite(p).all() and (p >= 0).all()):
            raise RuntimeError(messages.MULTINOMIAL_INVALID)
        if (p.sum(-1) == 0).any():
            raise RuntimeError(messages.MULTINOMIAL_SUM)
        q = _fill(_exponential_kernel, np.empty(p.shape, p.dtype), gen=gen, lambd=1.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            q = p / q
        if n == 1:
            data = np.argmax(q, axis=-1, keepdims=True)
        else:  # topk: largest first
            data = np.argsort(-q, axis=-1, kind="stable")[..., :n]
    else:
        data = _multinomial_with_replacement(p.reshape(-1, categories), n, gen).reshape(shape)
    return _result("multinomial", data.astype(np.int64), False, out)


def _multinomial_with_replacement(p: np.ndarray, n: int, gen) -> np.ndarray:
    """multinomial_with_replacement_apply: per row, the running sum in the input's type,
    divided by the total, last bucket forced to 1; for each of n uniform doubles, the first
    bucket whose cumulative probability is not below it."""
    out = np.empty((p.shape[0], n), np.int64)
    with gen.mutex:
        for i, row in enumerate(p):
            if (row < 0).any():
                raise RuntimeError(messages.MULTINOMIAL_NEGATIVE)
            if not np.isfinite(row).all():
                raise RuntimeError(messages.MULTINOMIAL_NONFINITE)
            cum = np.cumsum(row, dtype=row.dtype)
            total = cum[-1]
            if not total > 0:
                raise RuntimeError(messages.MULTINOMIAL_SUM)
            cum /= total
            cum[-1] = 1
            u = engine.uniform_double(gen, n)
            out[i] = np.searchsorted(cum.astype(np.float64), u, side="left")
    return out


def tensor_bernoulli(self: Tensor, p=None, *, generator=None) -> Tensor:
    """Tensor.bernoulli(): self as probabilities; Tensor.bernoulli(p): self's shape and dtype."""
    return bernoulli(self, p, generator=generator)


def tensor_multinomial(self: Tensor, num_samples: int, replacement: bool = False, *,
                       generator=None) -> Tensor:
    return multinomial(self, num_samples, replacement, generator=generator)
