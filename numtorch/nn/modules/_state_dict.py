"""nn.Module's state_dict / load_state_dict, as methods bound into Module's class body.

state_dict() is an OrderedDict of detached tensors (sharing storage) with a `_metadata`
attribute; load_state_dict copies in place under no_grad, collecting every error before raising
torch's "Error(s) in loading state_dict" message, and returns (missing_keys, unexpected_keys)."""
from __future__ import annotations

import itertools
import warnings
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from ..._autograd.hooks import RemovableHandle
from ..._core import messages
from ..._tensor import Tensor
from ...autograd.grad_mode import no_grad
from ..parameter import Parameter

_EXTRA_STATE_KEY_SUFFIX = "_extra_state"


def get_extra_state(self) -> Any:
    raise RuntimeError(
        "Reached a code path in Module.get_extra_state() that should never be called. Please file an "
        "issue at https://github.com/pytorch/pytorch/issues/new?template=bug-report.yml to report "
        "this bug.")


def set_extra_state(self, state: Any) -> None:
    raise RuntimeError(
        "Reached a code path in Module.set_extra_state() that should never be called. Please file an "
        "issue at https://github.com/pytorch/pytorch/issues/new?template=bug-report.yml to report "
        "this bug.")


def _has_extra_state(self, name: str) -> bool:
    default = get_extra_state if name == "get" else set_extra_state
    return getattr(type(self), name + "_extra_state") is not default


def _save_to_state_dict(self, destination, prefix: str, keep_vars: bool) -> None:
    for name, param in self._parameters.items():
        if param is not None:
            destination[prefix + name] = param if keep_vars else param.detach()
    for name, buf in self._buffers.items():
        if buf is not None and name not in self._non_persistent_buffers_set:
            destination[prefix + name] = buf if keep_vars else buf.detach()
    if _has_extra_state(self, "get"):
        destination[prefix + _EXTRA_STATE_KEY_SUFFIX] = self.get_extra_state()


def state_dict(self, *args, destination=None, prefix: str = "", keep_vars: bool = False):
    if args:
        warnings.warn(messages.W_POSITIONAL_STATE_DICT, FutureWarning, stacklevel=2)
        if destination is None:
            destination = args[0]
        if len(args) > 1 and prefix == "":
            prefix = args[1]
        if len(args) > 2 and keep_vars is False:
            keep_vars = args[2]
    if destination is None:
        destination = OrderedDict()
        destination._metadata = OrderedDict()
    local_metadata = dict(version=self._version)
    if hasattr(destination, "_metadata"):
        destination._metadata[prefix[:-1]] = local_metadata
    for hook in self._state_dict_pre_hooks.values():
        hook(self, prefix, keep_vars)
    self._save_to_state_dict(destination, prefix, keep_vars)
    for name, module in self._modules.items():
        if module is not None:
            module.state_dict(destination=destination, prefix=prefix + name + ".", keep_vars=keep_vars)
    for hook in self._state_dict_hooks.values():
        hook_result = hook(self, destination, prefix, local_metadata)
        if hook_result is not None:
            destination = hook_result
    return destination


def register_state_dict_pre_hook(self, hook) -> RemovableHandle:
    handle = RemovableHandle(self._state_dict_pre_hooks)
    self._state_dict_pre_hooks[handle.id] = hook
    return handle


def register_state_dict_post_hook(self, hook) -> RemovableHandle:
    handle = RemovableHandle(self._state_dict_hooks)
    self._state_dict_hooks[handle.id] = hook
    return handle


def register_load_state_dict_pre_hook(self, hook) -> RemovableHandle:
    handle = RemovableHandle(self._load_state_dict_pre_hooks)
    self._load_state_dict_pre_hooks[handle.id] = lambda *args: hook(self, *args)
    return handle


def register_load_state_dict_post_hook(self, hook) -> RemovableHandle:
    handle = RemovableHandle(self._load_state_dict_post_hooks)
    self._load_state_dict_post_hooks[handle.id] = hook
    return handle


def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys,
                          unexpected_keys, error_msgs) -> None:
    for hook in self._load_state_dict_pre_hooks.values():
        hook(state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys, error_msgs)
    persistent_buffers = {k: v for k, v in self._buffers.items()
                          if k not in self._non_persistent_buffers_set}
    local_state = {k: v for k, v in itertools.chain(self._parameters.items(), persistent_buffers.items())
                   if v is not None}
    assign = local_metadata.get("assign_to_params_buffers", False)
    for name, param in local_state.items():
        key = prefix + name
        if key not in state_dict:
            if strict:
                missing_keys.append(key)
            continue
        input_param = state_dict[key]
        if not isinstance(input_param, Tensor):
            error_msgs.append(messages.STATE_DICT_NOT_TENSOR.format(key=key, type=type(input_param)))
            continue
        if len(param.shape) == 0 and len(input_param.shape) == 1 and input_param.shape[0] == 1:
            input_param = input_param[0]
        if input_param.shape != param.shape:
            error_msgs.append(messages.STATE_DICT_SIZE.format(key=key, got=input_param.shape,
                                                              expected=param.shape))
            continue
        try:
            with no_grad():
                if assign:
                    if isinstance(param, Parameter) and not isinstance(input_param, Parameter):
                        input_param = Parameter(input_param, requires_grad=param.requires_grad)
                    elif isinstance(param, Parameter):
                        input_param.requires_grad_(param.requires_grad)
                    setattr(self, name, input_param)
                else:
                    param.copy_(input_param)
        except Exception as ex:
            error_msgs.append(messages.STATE_DICT_COPY.format(key=key, expected=param.size(),
                                                              got=input_param.size(), args=ex.args))
    extra_state_key = prefix + _EXTRA_STATE_KEY_SUFFIX
    if _has_extra_state(self, "set"):
        if extra_state_key in state_dict:
            self.set_extra_state(state_dict[extra_state_key])
        elif strict:
            missing_keys.append(extra_state_key)
    elif strict and extra_state_key in state_dict:
        unexpected_keys.append(extra_state_key)
    if strict:
        for key in state_dict:
            if key.startswith(prefix) and key != extra_state_key:
                input_name = key[len(prefix):].split(".", 1)
                if len(input_name) > 1:
                    if input_name[0] not in self._modules:
                        unexpected_keys.append(key)
                elif input_name[0] not in local_state:
                    unexpected_keys.append(key)


def load_state_dict(self, state_dict: Mapping[str, Any], strict: bool = True, assign: bool = False):
    from .module import _IncompatibleKeys
    if not isinstance(state_dict, Mapping):
        raise TypeError(messages.STATE_DICT_TYPE.format(type=type(state_dict)))
    missing_keys: list[str] = []
    unexpected_keys: list[str] = []
    error_msgs: list[str] = []
    metadata = getattr(state_dict, "_metadata", None)
    state_dict = OrderedDict(state_dict)
    if metadata is not None:
        state_dict._metadata = metadata

    def load(module, local_state_dict, prefix: str = "") -> None:
        local_metadata = {} if metadata is None else dict(metadata.get(prefix[:-1], {}))
        if assign:
            local_metadata["assign_to_params_buffers"] = assign
        module._load_from_state_dict(local_state_dict, prefix, local_metadata, True, missing_keys,
                                     unexpected_keys, error_msgs)
        for name, child in module._modules.items():
            if child is not None:
                child_prefix = prefix + name + "."
                load(child, {k: v for k, v in local_state_dict.items() if k.startswith(child_prefix)},
                     child_prefix)
        incompatible_keys = _IncompatibleKeys(missing_keys, unexpected_keys)
        for hook in module._load_state_dict_post_hooks.values():
            hook(module, incompatible_keys)

    load(self, state_dict)
    if strict:
        if unexpected_keys:
            error_msgs.insert(0, messages.STATE_DICT_UNEXPECTED.format(
                keys=", ".join(f'"{k}"' for k in unexpected_keys)))
        if missing_keys:
            error_msgs.insert(0, messages.STATE_DICT_MISSING.format(
                keys=", ".join(f'"{k}"' for k in missing_keys)))
    if error_msgs:
        raise RuntimeError(messages.STATE_DICT_ERRORS.format(name=self.__class__.__name__,
                                                            errors="\n\t".join(error_msgs)))
    return _IncompatibleKeys(missing_keys, unexpected_keys)
