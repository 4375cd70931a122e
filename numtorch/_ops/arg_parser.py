"""PyTorch's argument parser for its C++ bindings (torch/csrc/utils/python_arg_parser.cpp), over the
signatures of _core/signatures.py: an argument of the wrong type, a missing or extra argument or
an unknown keyword raises TypeError with torch's text before the op runs, instead of failing (or
being accepted) somewhere inside numtorch's kernels.

`install()` wraps numtorch's public functions and Tensor methods that are C++ bindings in torch.
The checks are permissive where numtorch cannot tell (ANY), so they only ever reject calls torch
rejects."""
from __future__ import annotations

import functools
import numbers

import numpy as np

from .._core import messages
from .._core import signatures
from .._core.autograd_first import AUTOGRAD_FIRST
from .._core.dtypes import dtype as _dtype

TYPE_NAMES = {"T": "Tensor", "N": "Number", "I": "int", "F": "float", "B": "bool",
              "S": "tuple of ints", "D": "torch.dtype", "STR": "str", "TL": "tuple of Tensors",
              "FL": "tuple of floats", "Z": "None"}
_Tensor = None


def _is_int(v) -> bool:
    if isinstance(v, (int, np.integer)):
        return True
    if isinstance(v, _Tensor):
        return v.numel() == 1 and not v.is_floating_point() and not v.is_complex()
    return hasattr(type(v), "__index__") and not isinstance(v, (float, np.floating))


def _ok(code: str, v) -> bool:
    if code == "ANY":
        return True
    for c in code.split("|"):
        if c == "T":
            if isinstance(v, (_Tensor, np.ndarray)):
                return True
        elif c == "Z":
            if v is None:
                return True
        elif c == "I":
            if _is_int(v) and not isinstance(v, (bool, np.bool_)):  # (THPUtils_checkLong refuses bool)
                return True
        elif c == "F":
            if isinstance(v, (int, float, np.integer, np.floating)) or (
                    isinstance(v, _Tensor) and v.numel() == 1):
                return True
        elif c == "N":
            if isinstance(v, (numbers.Number, np.number, np.bool_)) or (
                    isinstance(v, _Tensor) and v.dim() == 0):
                return True
        elif c == "B":
            if isinstance(v, (bool, np.bool_)):
                return True
        elif c == "S":  # an int list: a bare int is refused (torch.reshape(x, 6))
            if isinstance(v, (list, tuple)) and all(_is_int(x) and not isinstance(x, bool) for x in v):
                return True
        elif c == "D":
            if isinstance(v, _dtype) or any(v is t for t in (int, float, bool, complex)):
                return True
        elif c == "STR":
            if isinstance(v, str):
                return True
        elif c == "TL":
            if isinstance(v, (list, tuple)) and all(isinstance(x, _Tensor) for x in v):
                return True
        elif c == "FL":
            if isinstance(v, (list, tuple)) and all(isinstance(x, (int, float, np.number)) for x in v):
                return True
    return False


def _type_name(code: str) -> str:
    parts = [c for c in code.split("|") if c != "Z"]
    if "S" in parts:
        return TYPE_NAMES["S"]
    return TYPE_NAMES.get(parts[0], parts[0]) if parts else "None"


def _got(v) -> str:
    if isinstance(v, _Tensor):
        return "Tensor"
    t = type(v)
    return t.__name__ if t.__module__ == "builtins" else f"{t.__module__.split('.')[0]}.{t.__name__}"


def _none_ok(v, code, required) -> bool:
    """torch accepts None for an int list that has a default (amax's dim=[])."""
    return v is None and not required and "S" in code.split("|")


def _bind(overload, args, kwargs, offset, method=False):
    """None when the call matches this overload, else torch's error text."""
    positional = [p for p in overload if p[3] == "p"]
    if method and positional and positional[0][1] in ("S", "S|Z") and args and _is_int(args[0]) \
            and not isinstance(args[0], (bool, np.bool_)):
        # an int list as a method's first argument may be given as ints: x.view(2, 3), x.flip(0)
        k = 1
        while k < len(args) and _is_int(args[k]) and not isinstance(args[k], (bool, np.bool_)):
            k += 1
        args = (tuple(args[:k]),) + tuple(args[k:])
    vararg = next((p for p in overload if p[3] == "v"), None)
    n = len(args)
    if vararg is not None and vararg[1] in ("I", "I|Z") and n == len(positional) \
            and vararg[0] not in kwargs and not any(p[0] == vararg[0] for p in positional):
        return messages.ARG_MISSING.format(name="{name}", k=1, names=f'"{vararg[0]}"')
    if vararg is not None and n > len(positional):
        rest = args[len(positional):]
        if len(rest) == 1 and isinstance(rest[0], (list, tuple)) and vararg[1] in ("I", "I|Z"):
            rest = tuple(rest[0])
        for v in rest:
            if not _ok(vararg[1], v):
                return messages.ARG_TYPE.format(name="{name}", arg=vararg[0], pos=offset + len(positional) + 1,
                                                type=_type_name(vararg[1]), got=_got(v))
    elif n > len(positional):
        m = len(positional) + offset
        low = sum(1 for p in positional if p[2]) + offset
        count = f"from {low} to {m}" if low < m else f"{m}"
        return messages.ARG_TOO_MANY.format(name="{name}", n=count, s="" if count == "1" else "s",
                                            m=n + offset, were="was" if n + offset == 1 else "were")
    names = {p[0] for p in overload if p[3] != "v"}
    for k in kwargs:
        if k not in names:
            return messages.ARG_UNEXPECTED_KW.format(name="{name}", kw=k)
    missing = []
    for i, (name, code, required, kind) in enumerate(overload):
        if kind == "v":
            continue
        if kind == "p" and i < n:
            if name in kwargs:
                return messages.ARG_TYPE.format(name="{name}", arg=name, pos=i + 1 + offset,
                                                type=_type_name(code), got=_got(kwargs[name]))
            v = args[i]
            if not _none_ok(v, code, required) and not _ok(code, v):
                return messages.ARG_TYPE.format(name="{name}", arg=name, pos=i + 1 + offset,
                                                type=_type_name(code), got=_got(v))
        elif name in kwargs:
            if not _none_ok(kwargs[name], code, required) and not _ok(code, kwargs[name]):
                return messages.ARG_TYPE_KW.format(name="{name}", arg=name, type=_type_name(code),
                                                   got=_got(kwargs[name]))
        elif required and kind == "p":
            missing.append(name)
        elif required:
            missing.append(name)
    if missing:
        return messages.ARG_MISSING.format(name="{name}", k=len(missing),
                                           names=", ".join(f'"{m}"' for m in missing))
    return None


def _describe(overload) -> str:
    parts, star = [], False
    for name, code, required, kind in overload:
        if kind == "k" and not star:
            parts.append("*")
            star = True
        text = f"{_type_name(code)} {name}"
        if kind == "v":
            text = f"{_type_name(code)}... {name}"
        elif not required:
            text += " = None" if "Z" in code.split("|") else ""
        parts.append(text)
    return ", ".join(parts)


def _why(overload, args, kwargs) -> str:
    """torch's reason line under a signature whose arity fits but whose types do not."""
    positional = [p for p in overload if p[3] == "p"]
    required = [p for p in positional if p[2]]
    if kwargs or any(p[3] in ("v",) for p in overload) or any(p[0] == "out" for p in overload) \
            or not len(required) <= len(args) <= len(positional):
        return ""
    marks = [_got(v) if _ok(p[1], v) else f"!{_got(v)}!" for p, v in zip(positional, args)]
    if all(not m.startswith("!") for m in marks):
        return ""
    return f"      didn't match because some of the arguments have invalid types: ({', '.join(marks)})\n"


# Calls already accepted, by the shape of their arguments. Whether a call binds depends only on
# the argument count, the keyword names, each argument's type and, for tensors, on 0-d / one
# element / floating / complex (the int, float and Number slots accept such tensors); so a call
# whose key is here is accepted without binding it again. Keeps the parser off the hot path:
# W1's ops pay one dict lookup. Lists, tuples and other objects are not keyed (always bound).
_PASSED: dict = {}
_SCALARS = {int, float, bool, type(None), str, complex}


def _arg_key(v):
    if isinstance(v, _Tensor):
        d = v._dtype
        return (type(v), v._data.ndim == 0, v._data.size == 1, d.is_floating_point, d.is_complex)
    t = type(v)
    if t in _SCALARS or t is _dtype:
        return t
    if (t is tuple or t is list) and all([type(x) is int for x in v]):
        return (t, len(v))  # an int list (x.view((2, 3)), x.sum((0, 1))): its type and length decide
    return None


def _call_key(args, kwargs):
    key = [_arg_key(a) for a in args]
    for k, v in kwargs.items():
        key.append(k)
        key.append(_arg_key(v))
    return None if None in key else tuple(key)


def check(name, overloads, args, kwargs, offset, method=False) -> None:
    key = _call_key(args, kwargs) if args or kwargs else ()
    if key is not None:
        key = (id(overloads), method, key)
        if key in _PASSED:
            return
    errors = []
    for ov in overloads:
        err = _bind(ov, args, kwargs, offset, method)
        if err is None:
            if key is not None:
                _PASSED[key] = True
            return
        errors.append(err)
    if len(overloads) == 1:
        raise TypeError(errors[0].replace("{name}", name))
    widest = max(overloads, key=lambda ov: sum(1 for p in ov if p[3] == "p"))
    if not any(p[3] == "v" for ov in overloads for p in ov) \
            and len(args) > sum(1 for p in widest if p[3] == "p"):
        # too many for every signature: torch reports it against the widest one
        raise TypeError(_bind(widest, args, {}, offset, method).replace("{name}", name))
    got = ", ".join([_got(a) for a in args] + [f"{k}={_got(v)}" for k, v in kwargs.items()])
    lines = "".join(f" * ({_describe(ov)})\n" + _why(ov, args, kwargs) for ov in overloads)
    raise TypeError(messages.ARG_COMBINATION.format(name=name, got=got, signatures=lines))


# The wrappers' frames carry this file name: Python's warnings machinery skips frames whose file
# names contain "importlib" and "_bootstrap" when counting `stacklevel`, so a warning numtorch
# issues with stacklevel=2 still points at the user's line, not at the wrapper; and the name
# starts with the package path, so _core/callsite.py still sees the frame as numtorch's own.
_HIDDEN_FILE = __file__ + " (wrapper frame: hidden from warnings like importlib._bootstrap's)"


def _hide(parsed, name):
    parsed.__code__ = parsed.__code__.replace(co_name=name, co_filename=_HIDDEN_FILE)
    return parsed


def _own_type_error(fn, args, kwargs, error):
    """numtorch's functions that already reproduce torch's parser message for some calls (the
    creation functions, cat, einsum, ...) keep theirs: a rejected out-of-place call runs the
    function, and a TypeError it raises is the one reported. Otherwise the parser's."""
    try:
        fn(*args, **kwargs)
    except TypeError as own:
        text = str(own)
        return own if "invalid combination" in text or "argument '" in text else error
    except Exception:  # noqa: BLE001 - another failure: the parser's error stands
        return error
    return error


def _edges_first(args, kwargs) -> None:
    """The op failed its own checks. torch's autograd kernel for it (AUTOGRAD_FIRST) would have
    collected the inputs' gradient edges before those checks, so a stale no_grad view among the
    inputs raises its view error instead (views.touch_grad_fn); otherwise the op's error stands.
    Only failing calls pay for this."""
    from .._autograd.views import touch_grad_fn
    for v in (*args, *kwargs.values()):
        for t in (v if isinstance(v, (list, tuple)) else (v,)):
            if getattr(t, "_view", None) is not None:
                touch_grad_fn(t)


def _wrap_function(name, fn, overloads, out_always=False):
    def parsed(*args, **kwargs):
        if out_always and "out" in kwargs and kwargs["out"] is None:
            del kwargs["out"]  # (nn bindings take out=None; their stubs do not say so)
        try:
            check(name, overloads, args, kwargs, 0)  # a rejected call never reaches the kernel
        except TypeError as e:
            if name.endswith("_"):
                raise
            raise _own_type_error(fn, args, kwargs, e) from None
        if "out" in kwargs and kwargs["out"] is None:  # accepted by the signature; numtorch has no out=
            del kwargs["out"]
        try:
            return fn(*args, **kwargs)
        except TypeError:  # numtorch's own binding errors: the parser's, before any kernel
            raise
        except Exception:
            if name in AUTOGRAD_FIRST:
                _edges_first(args, kwargs)
            raise
    functools.update_wrapper(parsed, fn)
    parsed.__wrapped_by_arg_parser__ = True
    return _hide(parsed, name)


_MUTATING = {"copy_", "set_", "requires_grad_", "resize_", "resize_as_", "share_memory_",
             "retain_grad", "register_hook", "backward"}


def _wrap_method(name, fn, overloads):
    bare = (id(overloads), True, ())  # check's _PASSED key of a call without arguments (x.sigmoid())
    # a method that only calls its Op on self (unary._make_unary: x.sigmoid(), whose signature takes
    # no argument, so an accepted call has none) calls the Op itself: a frame less on the hot path
    call = getattr(fn, "op", fn)

    def parsed(self, *args, **kwargs):
        try:
            if args or kwargs or bare not in _PASSED:
                check(name, overloads, args, kwargs, 0, method=True)
        except TypeError as e:
            if name in _MUTATING:
                raise
            if name.endswith("_"):  # ask the in-place method about a copy: nothing is written
                raise _own_type_error(lambda *a, **k: fn(self.detach().clone(), *a, **k), args,
                                      kwargs, e) from None
            raise _own_type_error(lambda *a, **k: fn(self, *a, **k), args, kwargs, e) from None
        try:
            return call(self, *args, **kwargs)
        except TypeError:  # numtorch's own binding errors: the parser's, before any kernel
            raise
        except Exception:
            if name in AUTOGRAD_FIRST:
                if name.endswith("_"):  # an in-place op's autograd kernel checks self first
                    from .._autograd.views import check_inplace_first
                    check_inplace_first(self)
                _edges_first((self,) + args, kwargs)
            raise
    functools.update_wrapper(parsed, fn)
    parsed.__wrapped_by_arg_parser__ = True
    return _hide(parsed, name)


def _merge_varargs(overloads):
    """The stubs spell an int-list parameter twice (`dims: _size` and `*dims: _int`); torch's
    parser has one signature that takes both forms (see _bind)."""
    lists = [ov for ov in overloads if any(p[3] == "p" and p[1] in ("S", "S|Z") for p in ov)]
    if not lists:
        return overloads
    return [ov for ov in overloads if not any(p[3] == "v" for p in ov)]


def install(module, tensor_cls, functional=None) -> None:
    global _Tensor
    _Tensor = tensor_cls
    wrap_functions(module, signatures.FUNCTIONS)
    if functional is not None:
        wrap_functions(functional, signatures.FUNCTIONAL, nn=True)
    for name, overloads in signatures.METHODS.items():
        fn = tensor_cls.__dict__.get(name)
        if fn is None or not callable(fn) or isinstance(fn, (property, staticmethod, classmethod)) \
                or getattr(fn, "__wrapped_by_arg_parser__", False):
            continue
        setattr(tensor_cls, name, _wrap_method(name, fn, _merge_varargs(overloads)))


WRAPPED: dict = {}  # original function -> its wrapper (aliases elsewhere are re-pointed)


# torch functions whose binding checks its arguments itself, with other errors than the parser's
# (torch.set_num_threads("a") is a RuntimeError): never wrapped
_OWN_CHECKS = {"set_num_threads", "set_num_interop_threads"}


def wrap_functions(module, table, nn=False) -> None:
    for name, overloads in table.items():
        if name in _OWN_CHECKS:
            continue
        fn = vars(module).get(name)  # not getattr: a lazily loaded name is wrapped when first used
        if fn is None or isinstance(fn, type) or getattr(fn, "__wrapped_by_arg_parser__", False):
            continue
        wrapped = WRAPPED.get(fn) if WRAPPED.get(fn) is not None and WRAPPED[fn].__name__ == name \
            else _wrap_function(name, fn, overloads, out_always=nn)
        WRAPPED.setdefault(fn, wrapped)
        setattr(module, name, wrapped)


def wrap_one(name, fn):
    """A torch-namespace function resolved lazily (numtorch.__getattr__): its own wrapper with
    torch.<name>'s binding signature, distinct from the nn.functional function it may share."""
    overloads = signatures.FUNCTIONS.get(name)
    if overloads is None or not callable(fn) or isinstance(fn, type):
        return fn
    inner = getattr(fn, "__wrapped__", fn) if getattr(fn, "__wrapped_by_arg_parser__", False) else fn
    return _wrap_function(name, inner, overloads)


def repoint_aliases(module) -> None:
    """An alias of a wrapped function in another module (numtorch.linalg.matmul is
    numtorch.matmul) becomes the wrapper too."""
    for name in dir(module):
        value = getattr(module, name)
        try:
            wrapped = WRAPPED.get(value)
        except TypeError:  # unhashable
            continue
        if wrapped is not None:
            setattr(module, name, wrapped)


def check_python_args(name, overload, args, kwargs=None, offset=0) -> None:
    """For numtorch's versions of torch functions written in Python that hand their arguments to a
    C++ binding (Tensor.split -> split_with_sizes, unique -> _unique2, ...): the binding's check."""
    err = _bind(overload, tuple(args), dict(kwargs or {}), offset)
    if err is not None:
        raise TypeError(err.replace("{name}", name))


def _fast_binder(sig):
    """`sig.bind(*args, **kwargs).arguments` (the arguments given, by name) for the calls that bind
    plainly, without inspect's generic machinery (about 25 us a call); None for anything else:
    too many positionals, an unknown, positional-only or repeated keyword, a missing required
    argument, or a signature with *args/**kwargs. The caller then binds with sig itself."""
    import inspect
    kinds = [p.kind for p in sig.parameters.values()]
    if inspect.Parameter.VAR_POSITIONAL in kinds or inspect.Parameter.VAR_KEYWORD in kinds:
        return lambda args, kwargs: None
    positional = tuple(p.name for p in sig.parameters.values()
                       if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD))
    keywords = frozenset(p.name for p in sig.parameters.values() if p.kind != p.POSITIONAL_ONLY)
    required = tuple(p.name for p in sig.parameters.values() if p.default is p.empty)

    def bind(args, kwargs):
        if len(args) > len(positional):
            return None
        bound = dict(zip(positional, args))
        for k in kwargs:
            if k not in keywords or k in bound:
                return None
        bound.update(kwargs)
        for r in required:
            if r not in bound:
                return None
        return bound
    return bind


def _wrap_python_level(name, fn, binding, checked):
    import inspect
    sig = inspect.signature(fn)
    fast_bind = _fast_binder(sig)
    none_ok = {p.name for p in sig.parameters.values() if p.default is None}
    # (name, code, position, whether None passes): a tensor always passes, either because the
    # code takes one or because torch's Python code tests it first (bool(tensor) and the like)
    plan = tuple((pname, code, pos, pname in none_ok or "Z" in code.split("|"))
                 for pname, code, pos in checked)
    # Every check passes a tensor, so a call whose positional arguments are all tensors and whose
    # keywords name no checked argument runs fn as it is, however it binds (a call that does not
    # bind runs fn too, for its own error). Not for *args/**kwargs: those bind as a tuple or dict.
    checked_names = frozenset(pname for pname, _, _ in checked)
    plain = not any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in sig.parameters.values())

    def parsed(*args, **kwargs):
        if plain and checked_names.isdisjoint(kwargs):
            for a in args:
                if not isinstance(a, _Tensor):
                    break
            else:
                return fn(*args, **kwargs)
        bound = fast_bind(args, kwargs)
        if bound is None:
            try:
                bound = sig.bind(*args, **kwargs).arguments
            except TypeError:
                return fn(*args, **kwargs)  # the function's own arity error
        for pname, code, pos, none_passes in plan:
            if pname in bound:
                v = bound[pname]
                if (v is None and none_passes) or isinstance(v, _Tensor):
                    continue
                if not _ok(code, v):
                    if pos is None:
                        raise TypeError(messages.ARG_TYPE_KW.format(name=binding, arg=pname,
                                                                    type=_type_name(code), got=_got(v)))
                    raise TypeError(messages.ARG_TYPE.format(name=binding, arg=pname, pos=pos,
                                                             type=_type_name(code), got=_got(v)))
        return fn(*args, **kwargs)
    functools.update_wrapper(parsed, fn)
    parsed.__wrapped_by_arg_parser__ = True
    return _hide(parsed, name)


def wrap_python_level(module, table) -> None:
    """nn.functional functions torch writes in Python: the argument check of the binding they
    call (signatures.PYTHON_LEVEL), before numtorch's implementation runs."""
    for name, (binding, checked) in table.items():
        fn = vars(module).get(name)  # not getattr: a lazily loaded name is wrapped when first used
        if fn is None or isinstance(fn, type) or getattr(fn, "__wrapped_by_arg_parser__", False):
            continue
        setattr(module, name, _wrap_python_level(name, fn, binding, checked))


def with_tensor_args(display, fn, params):
    """The leading positional parameters `params` must be tensors (torch.linalg's bindings)."""
    def parsed(*args, **kwargs):
        for pos, (pname, v) in enumerate(zip(params, args), 1):
            if not isinstance(v, _Tensor):
                raise TypeError(messages.ARG_TYPE.format(name=display, arg=pname, pos=pos,
                                                         type="Tensor", got=_got(v)))
        return fn(*args, **kwargs)
    functools.update_wrapper(parsed, fn)
    parsed.__wrapped_by_arg_parser__ = True
    return _hide(parsed, fn.__name__)
