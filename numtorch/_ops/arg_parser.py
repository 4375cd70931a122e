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
            if _is_int(v) and not ("S" in code and isinstance(v, (bool, np.bool_))):
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
        elif c == "S":
            if _is_int(v) and not isinstance(v, (bool, np.bool_)):
                return True
            if isinstance(v, (list, tuple)) and all(_is_int(x) and not isinstance(x, bool) for x in v):
                return True
        elif c == "D":
            if isinstance(v, _dtype) or v in (int, float, bool, complex):
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


def _bind(overload, args, kwargs, offset):
    """None when the call matches this overload, else torch's error text."""
    positional = [p for p in overload if p[3] == "p"]
    vararg = next((p for p in overload if p[3] == "v"), None)
    n = len(args)
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
        return messages.ARG_TOO_MANY.format(name="{name}", n=m, s="" if m == 1 else "s",
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


def check(name, overloads, args, kwargs, offset) -> None:
    errors = []
    for ov in overloads:
        err = _bind(ov, args, kwargs, offset)
        if err is None:
            return
        errors.append(err)
    if len(overloads) == 1:
        raise TypeError(errors[0].replace("{name}", name))
    got = ", ".join([_got(a) for a in args] + [f"{k}={_got(v)}" for k, v in kwargs.items()])
    lines = "".join(f" * ({_describe(ov)})\n" for ov in overloads)
    raise TypeError(messages.ARG_COMBINATION.format(name=name, got=got, signatures=lines))


# The wrappers' frames carry this file name: Python's warnings machinery skips frames whose file
# names contain "importlib" and "_bootstrap" when counting `stacklevel`, so a warning numtorch
# issues with stacklevel=2 still points at the user's line, not at the wrapper; and the name
# starts with the package path, so _core/callsite.py still sees the frame as numtorch's own.
_HIDDEN_FILE = __file__ + " (wrapper frame: hidden from warnings like importlib._bootstrap's)"


def _hide(parsed, name):
    parsed.__code__ = parsed.__code__.replace(co_name=name, co_filename=_HIDDEN_FILE)
    return parsed


def _wrap_function(name, fn, overloads):
    def parsed(*args, **kwargs):
        check(name, overloads, args, kwargs, 0)  # a rejected call never reaches the kernel
        if "out" in kwargs and kwargs["out"] is None:
            del kwargs["out"]
        return fn(*args, **kwargs)
    functools.update_wrapper(parsed, fn)
    parsed.__wrapped_by_arg_parser__ = True
    return _hide(parsed, name)


def _wrap_method(name, fn, overloads):
    def parsed(self, *args, **kwargs):
        check(name, overloads, args, kwargs, 0)
        return fn(self, *args, **kwargs)
    functools.update_wrapper(parsed, fn)
    parsed.__wrapped_by_arg_parser__ = True
    return _hide(parsed, name)


def install(module, tensor_cls, functional=None) -> None:
    global _Tensor
    _Tensor = tensor_cls
    wrap_functions(module, signatures.FUNCTIONS)
    if functional is not None:
        wrap_functions(functional, signatures.FUNCTIONAL)
    for name, overloads in signatures.METHODS.items():
        fn = tensor_cls.__dict__.get(name)
        if fn is None or not callable(fn) or isinstance(fn, (property, staticmethod, classmethod)) \
                or getattr(fn, "__wrapped_by_arg_parser__", False):
            continue
        setattr(tensor_cls, name, _wrap_method(name, fn, overloads))


def wrap_functions(module, table) -> None:
    for name, overloads in table.items():
        fn = getattr(module, name, None)
        if fn is None or isinstance(fn, type) or getattr(fn, "__wrapped_by_arg_parser__", False):
            continue
        setattr(module, name, _wrap_function(name, fn, overloads))
