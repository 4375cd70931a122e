"""nn.Module: the registry of parameters, buffers and submodules, with torch's attribute rules,
state_dict round trip, train/eval, dtype conversion, forward and backward hooks and repr.

Invariants: `_parameters`, `_buffers`, `_modules` are insertion-ordered dicts and the only place a
Parameter, buffer or child lives (never also in `__dict__`); iteration deduplicates by identity."""
from __future__ import annotations

from collections import OrderedDict, namedtuple
from collections.abc import Callable, Iterator
from typing import Any

from ..._autograd.hooks import RemovableHandle
from ..._core import dtypes as dt
from ..._core import messages
from ..._core.device import check_device, device as _device
from ..._tensor import Tensor
from ...autograd.grad_mode import no_grad
from .._utils import addindent, typename
from ..parameter import Buffer, Parameter
from . import _hooks
from ._hooks import _HookHandle, register_module_forward_hook, register_module_forward_pre_hook

__all__ = ["register_module_forward_pre_hook", "register_module_forward_hook",
           "register_module_full_backward_pre_hook", "register_module_backward_hook",
           "register_module_full_backward_hook", "Module"]

# the global hooks (shared with _hooks.py, which runs them), under torch's names
_global_backward_pre_hooks = _hooks._global_backward_pre_hooks
_global_backward_hooks = _hooks._global_backward_hooks
_global_forward_pre_hooks = _hooks._global_forward_pre_hooks
_global_forward_hooks = _hooks._global_forward_hooks
_global_forward_hooks_always_called = _hooks._global_forward_hooks_always_called
_global_forward_hooks_with_kwargs = _hooks._global_forward_hooks_with_kwargs
# whether the global backward hooks are full ones (None until one is registered), as in torch
_global_is_full_backward_hook: bool | None = None


def register_module_backward_hook(hook: Callable) -> RemovableHandle:
    """Deprecated global "non-full" backward hook (see Module.register_backward_hook)."""
    global _global_is_full_backward_hook
    if _global_is_full_backward_hook is True:
        raise RuntimeError(messages.MIXED_GLOBAL_BACKWARD_HOOKS)
    _global_is_full_backward_hook = False
    handle = _HookHandle(_global_backward_hooks)
    _global_backward_hooks[handle.id] = hook
    return handle


def register_module_full_backward_pre_hook(hook: Callable) -> RemovableHandle:
    """A backward pre-hook of every module; runs before the modules' own."""
    handle = _HookHandle(_global_backward_pre_hooks)
    _global_backward_pre_hooks[handle.id] = hook
    return handle


def register_module_full_backward_hook(hook: Callable) -> RemovableHandle:
    """A full backward hook of every module; runs before the modules' own."""
    global _global_is_full_backward_hook
    if _global_is_full_backward_hook is False:
        raise RuntimeError(messages.MIXED_GLOBAL_BACKWARD_HOOKS)
    _global_is_full_backward_hook = True
    handle = _HookHandle(_global_backward_hooks)
    _global_backward_hooks[handle.id] = hook
    return handle


class _IncompatibleKeys(namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    __slots__ = ()

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return super().__repr__()

    __str__ = __repr__


def _forward_unimplemented(self, *input: Any) -> None:
    raise NotImplementedError(messages.MODULE_NO_FORWARD.format(name=type(self).__name__))


def _parse_to(*args, **kwargs):
    """torch._C._nn._parse_to, reduced to what a CPU-only library needs: (device, dtype)."""
    device, dtype = kwargs.get("device"), kwargs.get("dtype")
    if "tensor" in kwargs:
        dtype = kwargs["tensor"].dtype
    for a in args:
        if isinstance(a, dt.dtype):
            dtype = a
        elif isinstance(a, Tensor):
            dtype = a.dtype
        elif isinstance(a, (str, _device)):
            device = _device(a)
    return device, dtype


class Module:
    dump_patches: bool = False
    _version: int = 1
    training: bool
    call_super_init: bool = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if self.call_super_init is False and kwargs:
            raise TypeError(messages.MODULE_INIT_KWARG.format(name=type(self).__name__,
                                                              key=next(iter(kwargs))))
        if self.call_super_init is False and args:
            raise TypeError(messages.MODULE_INIT_ARGS.format(name=type(self).__name__, n=len(args) + 1))
        setattr_ = super().__setattr__
        setattr_("training", True)
        setattr_("_parameters", {})
        setattr_("_buffers", {})
        setattr_("_non_persistent_buffers_set", set())
        setattr_("_backward_pre_hooks", OrderedDict())
        setattr_("_backward_hooks", OrderedDict())
        setattr_("_is_full_backward_hook", None)
        for name in ("_forward_hooks", "_forward_hooks_with_kwargs", "_forward_hooks_always_called",
                     "_forward_pre_hooks", "_forward_pre_hooks_with_kwargs", "_state_dict_hooks",
                     "_state_dict_pre_hooks", "_load_state_dict_pre_hooks", "_load_state_dict_post_hooks"):
            setattr_(name, OrderedDict())
        setattr_("_modules", {})
        if self.call_super_init:
            super().__init__(*args, **kwargs)

    forward: Callable[..., Any] = _forward_unimplemented

    # ---- registration --------------------------------------------------------------------------
    def _check_name(self, kind: str, name, registry: str) -> None:
        if not isinstance(name, str):
            raise TypeError(messages.NAME_NOT_STR.format(kind=kind, type=typename(name)))
        if "." in name:
            raise KeyError(messages.NAME_HAS_DOT.format(kind=kind))
        if name == "":
            raise KeyError(messages.NAME_EMPTY.format(kind=kind))
        if hasattr(self, name) and name not in self.__dict__[registry]:
            raise KeyError(messages.ATTRIBUTE_EXISTS.format(name=name))

    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True) -> None:
        if "_buffers" not in self.__dict__:
            raise AttributeError(messages.BUFFER_BEFORE_INIT)
        self._check_name("buffer", name, "_buffers")
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(messages.BUFFER_TYPE.format(type=typename(tensor), name=name))
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent_buffers_set.discard(name)
        else:
            self._non_persistent_buffers_set.add(name)

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        if "_parameters" not in self.__dict__:
            raise AttributeError(messages.PARAMETER_BEFORE_INIT)
        self._check_name("parameter", name, "_parameters")
        if param is None:
            self._parameters[name] = None
        elif not isinstance(param, Parameter):
            raise TypeError(messages.PARAMETER_TYPE.format(type=typename(param), name=name))
        elif param.grad_fn is not None:
            raise ValueError(messages.PARAMETER_NONLEAF.format(name=name))
        else:
            self._parameters[name] = param

    def add_module(self, name: str, module: "Module | None") -> None:
        if not isinstance(module, Module) and module is not None:
            raise TypeError(messages.MODULE_TYPE.format(type=typename(module)))
        if not isinstance(name, str):
            raise TypeError(messages.NAME_NOT_STR.format(kind="module", type=typename(name)))
        if hasattr(self, name) and name not in self._modules:
            raise KeyError(messages.ATTRIBUTE_EXISTS.format(name=name))
        if "." in name:
            raise KeyError(messages.MODULE_NAME_HAS_DOT.format(name=name))
        if name == "":
            raise KeyError(messages.NAME_EMPTY.format(kind="module"))
        self._modules[name] = module

    register_module = add_module

    def get_submodule(self, target: str) -> "Module":
        mod = self
        for item in target.split(".") if target else ():
            if not hasattr(mod, item):
                raise AttributeError(messages.SUBMODULE_MISSING.format(module=mod._get_name(), name=item))
            mod = getattr(mod, item)
            if not isinstance(mod, Module):
                raise AttributeError(messages.NOT_A_MODULE.format(name=item))
        return mod

    def get_parameter(self, target: str) -> Parameter:
        module_path, _, name = target.rpartition(".")
        mod = self.get_submodule(module_path)
        if not hasattr(mod, name):
            raise AttributeError(messages.SUBMODULE_MISSING.format(module=mod._get_name(), name=name))
        param = getattr(mod, name)
        if not isinstance(param, Parameter):
            raise AttributeError(messages.NOT_A_PARAMETER.format(name=name))
        return param

    def get_buffer(self, target: str) -> Tensor:
        module_path, _, name = target.rpartition(".")
        mod = self.get_submodule(module_path)
        if not hasattr(mod, name):
            raise AttributeError(messages.SUBMODULE_MISSING.format(module=mod._get_name(), name=name))
        if name not in mod._buffers:
            raise AttributeError(messages.NOT_A_BUFFER.format(name=name))
        return getattr(mod, name)

    # ---- attribute protocol --------------------------------------------------------------------
    def __getattr__(self, name: str) -> Any:
        d = self.__dict__
        for registry in ("_parameters", "_buffers", "_modules"):
            if registry in d and name in d[registry]:
                return d[registry][name]
        raise AttributeError(messages.MODULE_NO_ATTRIBUTE.format(type=type(self).__name__, name=name))

    def __setattr__(self, name: str, value: Any) -> None:
        d = self.__dict__

        def remove_from(*registries) -> None:
            for r in registries:
                if name in r:
                    if isinstance(r, dict):
                        del r[name]
                    else:
                        r.discard(name)

        params = d.get("_parameters")
        if isinstance(value, Parameter):
            if params is None:
                raise AttributeError(messages.PARAMETERS_BEFORE_INIT)
            remove_from(d, self._buffers, self._modules, self._non_persistent_buffers_set)
            self.register_parameter(name, value)
            return
        if params is not None and name in params:
            if value is not None:
                raise TypeError(messages.PARAMETER_ASSIGN_TYPE.format(type=typename(value), name=name))
            self.register_parameter(name, value)
            return
        modules = d.get("_modules")
        if isinstance(value, Module):
            if modules is None:
                raise AttributeError(messages.MODULE_BEFORE_INIT)
            remove_from(d, self._parameters, self._buffers, self._non_persistent_buffers_set)
            modules[name] = value
            return
        if modules is not None and name in modules:
            if value is not None:
                raise TypeError(messages.CHILD_ASSIGN_TYPE.format(type=typename(value), name=name))
            modules[name] = value
            return
        buffers = d.get("_buffers")
        if isinstance(value, Buffer) or (buffers is not None and name in buffers):
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(messages.BUFFER_ASSIGN_TYPE.format(type=typename(value), name=name))
            persistent = value.persistent if isinstance(value, Buffer) else \
                name not in self._non_persistent_buffers_set
            self.register_buffer(name, value, persistent)
            return
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        if name in self._parameters:
            del self._parameters[name]
        elif name in self._buffers:
            del self._buffers[name]
            self._non_persistent_buffers_set.discard(name)
        elif name in self._modules:
            del self._modules[name]
        else:
            super().__delattr__(name)

    def __dir__(self):
        keys = (dir(self.__class__) + list(self.__dict__) + list(self._parameters) + list(self._modules)
                + list(self._buffers))
        return sorted(k for k in keys if not k[0].isdigit())

    def __getstate__(self):
        return self.__dict__.copy()

    def __setstate__(self, state) -> None:
        self.__dict__.update(state)
        # modules pickled before backward hooks existed
        self.__dict__.setdefault("_backward_pre_hooks", OrderedDict())
        self.__dict__.setdefault("_backward_hooks", OrderedDict())
        self.__dict__.setdefault("_is_full_backward_hook", None)

    # ---- iteration -----------------------------------------------------------------------------
    def _named_members(self, get_members_fn, prefix: str = "", recurse: bool = True,
                       remove_duplicate: bool = True):
        memo = set()
        modules = self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate) if recurse \
            else [(prefix, self)]
        for module_prefix, module in modules:
            for k, v in get_members_fn(module):
                if v is None or v in memo:
                    continue
                if remove_duplicate:
                    memo.add(v)
                yield module_prefix + ("." if module_prefix else "") + k, v

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        for _, param in self.named_parameters(recurse=recurse):
            yield param

    def named_parameters(self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True):
        yield from self._named_members(lambda m: m._parameters.items(), prefix, recurse, remove_duplicate)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        for _, buf in self.named_buffers(recurse=recurse):
            yield buf

    def named_buffers(self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True):
        yield from self._named_members(lambda m: m._buffers.items(), prefix, recurse, remove_duplicate)

    def children(self) -> Iterator["Module"]:
        for _, module in self.named_children():
            yield module

    def named_children(self):
        memo = set()
        for name, module in self._modules.items():
            if module is not None and module not in memo:
                memo.add(module)
                yield name, module

    def modules(self, remove_duplicate: bool = True) -> Iterator["Module"]:
        for _, module in self.named_modules(remove_duplicate=remove_duplicate):
            yield module

    def named_modules(self, memo: set | None = None, prefix: str = "", remove_duplicate: bool = True):
        if memo is None:
            memo = set()
        if self in memo:
            return
        if remove_duplicate:
            memo.add(self)
        yield prefix, self
        for name, module in self._modules.items():
            if module is None:
                continue
            yield from module.named_modules(memo, prefix + ("." if prefix else "") + name, remove_duplicate)

    # ---- modes and gradients -------------------------------------------------------------------
    def train(self, mode: bool = True) -> "Module":
        if not isinstance(mode, bool):
            raise ValueError(messages.TRAIN_MODE_BOOL)
        self.training = mode
        for module in self.children():
            module.train(mode)
        return self

    def eval(self) -> "Module":
        return self.train(False)

    def requires_grad_(self, requires_grad: bool = True) -> "Module":
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        for p in self.parameters():
            if p.grad is not None:
                if set_to_none:
                    p.grad = None
                else:
                    if p.grad.grad_fn is not None:
                        p.grad.detach_()
                    else:
                        p.grad.requires_grad_(False)
                    p.grad.zero_()

    def share_memory(self) -> "Module":
        return self

    # ---- conversions ---------------------------------------------------------------------------
    def _apply(self, fn, recurse: bool = True) -> "Module":
        """Convert every parameter (in place through .data, so the Parameter objects and any
        optimizer references to them survive), its grad, and every buffer."""
        if recurse:
            for module in self.children():
                module._apply(fn)
        for param in self._parameters.values():
            if param is None:
                continue
            with no_grad():
                param_applied = fn(param)
            param.data = param_applied
            grad = param._grad
            if grad is not None:
                with no_grad():
                    grad_applied = fn(grad)
                grad.data = grad_applied
        for key, buf in self._buffers.items():
            if buf is not None:
                self._buffers[key] = fn(buf)
        return self

    def apply(self, fn: Callable[["Module"], None]) -> "Module":
        for module in self.children():
            module.apply(fn)
        fn(self)
        return self

    def to(self, *args, **kwargs) -> "Module":
        device, dtype = _parse_to(*args, **kwargs)
        if dtype is not None and not (dtype.is_floating_point or dtype.is_complex):
            raise TypeError(messages.MODULE_TO_DTYPE.format(dtype=dtype))
        def convert(t):
            check_device(device)  # fails, as in torch, only once there is a tensor to move
            return t.to(dtype) if dtype is not None and (t.is_floating_point() or t.is_complex()) else t
        return self._apply(convert)

    def float(self) -> "Module":
        return self._apply(lambda t: t.float() if t.is_floating_point() else t)

    def double(self) -> "Module":
        return self._apply(lambda t: t.double() if t.is_floating_point() else t)

    def half(self) -> "Module":
        return self._apply(lambda t: t.half() if t.is_floating_point() else t)

    def type(self, dst_type) -> "Module":
        return self._apply(lambda t: t.type(dst_type))

    def cpu(self) -> "Module":
        return self

    def cuda(self, device=None) -> "Module":
        return self._apply(lambda t: t.cuda(device))

    # ---- calling (see _hooks.py) ----------------------------------------------------------------
    from ._hooks import _call_impl, register_forward_hook, register_forward_pre_hook
    from ._hooks import (_get_backward_pre_hooks, _maybe_warn_non_full_backward_hook,
                         register_backward_hook, register_full_backward_hook,
                         register_full_backward_pre_hook)

    def _get_backward_hooks(self) -> tuple[list, list]:
        """(full hooks, non-full hooks): the global ones first, each kind by its registration flag."""
        full_backward_hooks: list = []
        if _global_is_full_backward_hook is True:
            full_backward_hooks += _global_backward_hooks.values()
        if self._is_full_backward_hook is True:
            full_backward_hooks += self._backward_hooks.values()
        non_full_backward_hooks: list = []
        if _global_is_full_backward_hook is False:
            non_full_backward_hooks += _global_backward_hooks.values()
        if self._is_full_backward_hook is False:
            non_full_backward_hooks += self._backward_hooks.values()
        return full_backward_hooks, non_full_backward_hooks

    __call__: Callable[..., Any] = _call_impl

    # ---- state dict (see _state_dict.py) --------------------------------------------------------
    from ._state_dict import (_load_from_state_dict, _save_to_state_dict, get_extra_state,
                              load_state_dict, register_load_state_dict_post_hook,
                              register_load_state_dict_pre_hook, register_state_dict_post_hook,
                              register_state_dict_pre_hook, set_extra_state, state_dict)

    # ---- printing ------------------------------------------------------------------------------
    def _get_name(self) -> str:
        return self.__class__.__name__

    def extra_repr(self) -> str:
        return ""

    def __repr__(self) -> str:
        extra_lines = []
        extra_repr = self.extra_repr()
        if extra_repr:
            extra_lines = extra_repr.split("\n")
        child_lines = ["(" + key + "): " + addindent(repr(module), 2)
                       for key, module in self._modules.items()]
        lines = extra_lines + child_lines
        main_str = self._get_name() + "("
        if lines:
            if len(extra_lines) == 1 and not child_lines:
                main_str += extra_lines[0]
            else:
                main_str += "\n  " + "\n  ".join(lines) + "\n"
        return main_str + ")"

