"""optim.Optimizer: param_groups, per-parameter state, zero_grad, state_dict round trip, step hooks.

Every subclass's `step` runs with grad mode set to `defaults["differentiable"]` (False: updates are
untracked in-place writes, so parameters stay leaves and their versions bump) between the step
pre- and post-hooks, as torch's profile_hook_step and _use_grad_for_differentiable arrange."""
from __future__ import annotations

import functools
import warnings
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from copy import deepcopy
from itertools import chain
from typing import Any

from .._autograd.hooks import RemovableHandle
from .._core import dtypes as dt
from .._core import messages
from .._core.state import STATE
from .._ops.creation import tensor
from .._tensor import Tensor
from ..autograd.grad_mode import enable_grad
from ..nn._utils import typename

__all__ = ["Optimizer", "required", "register_optimizer_step_pre_hook", "register_optimizer_step_post_hook"]


class _RequiredParameter:
    """Marks a hyper-parameter every param group must give."""

    def __repr__(self) -> str:
        return "<required parameter>"


required = _RequiredParameter()
_global_optimizer_pre_hooks: dict = OrderedDict()
_global_optimizer_post_hooks: dict = OrderedDict()


def register_optimizer_step_pre_hook(hook) -> RemovableHandle:
    handle = RemovableHandle(_global_optimizer_pre_hooks)
    _global_optimizer_pre_hooks[handle.id] = hook
    return handle


def register_optimizer_step_post_hook(hook) -> RemovableHandle:
    handle = RemovableHandle(_global_optimizer_post_hooks)
    _global_optimizer_post_hooks[handle.id] = hook
    return handle


def _wrap_step(func):
    """Runs the step pre- and post-hooks around every subclass's step (torch's profile_hook_step)."""
    @functools.wraps(func)
    def step(*args, **kwargs):
        self = args[0]
        for pre_hook in chain(_global_optimizer_pre_hooks.values(), self._optimizer_step_pre_hooks.values()):
            result = pre_hook(self, args, kwargs)
            if result is not None:
                if isinstance(result, tuple) and len(result) == 2:
                    args, kwargs = result
                else:
                    raise RuntimeError(messages.OPTIM_STEP_HOOK_RESULT.format(fn=func, result=result))
        out = func(*args, **kwargs)
        post_hooks = chain(self._optimizer_step_post_hooks.values(), _global_optimizer_post_hooks.values())
        for post_hook in post_hooks:
            post_hook(self, args, kwargs)
        return out
    step._hooked = True
    return step


def _use_grad_for_differentiable(func):
    """Runs a built-in optimizer's step with grad mode set to defaults["differentiable"] (False:
    the updates are untracked in-place writes, so parameters stay leaves)."""
    @functools.wraps(func)
    def use_grad(*args, **kwargs):
        self = args[0]
        prev = STATE.grad_enabled
        STATE.grad_enabled = bool(self.defaults["differentiable"])
        try:
            return func(*args, **kwargs)
        finally:
            STATE.grad_enabled = prev
    return use_grad


# torch's constructors check each hyper-parameter with `if not 0.0 <= value` and these texts
_INVALID = {"lr": messages.INVALID_LR, "lr_decay": messages.INVALID_LR_DECAY, "eps": messages.INVALID_EPS,
            "momentum": messages.INVALID_MOMENTUM, "weight_decay": messages.INVALID_WEIGHT_DECAY,
            "initial_accumulator_value": messages.INVALID_INITIAL_ACCUMULATOR,
            "alpha": messages.INVALID_ALPHA}


def _check_hyperparameters(lr, *, nan_ok: bool = False, **values) -> None:
    """A constructor's checks in torch's order: a Tensor lr has one element, then lr and each of
    `values` (in the order given) is >= 0. nan_ok: `value < 0.0` lets NaN through, as SGD's does."""
    if isinstance(lr, Tensor) and lr.numel() != 1:
        raise ValueError(messages.TENSOR_LR)
    for name, value in {"lr": lr, **values}.items():
        if (value < 0.0) if nan_ok else not 0.0 <= value:
            raise ValueError(_INVALID[name].format(value=value))


def _run_closure(closure):
    """step(closure): the closure re-evaluates the loss with grad enabled; None without one."""
    if closure is None:
        return None
    with enable_grad():
        return closure()


def _get_value(x):
    return x.item() if isinstance(x, Tensor) else x


def _to_scalar(x):
    if isinstance(x, Tensor) and x.dim() != 0:
        return x.squeeze()
    return x


class _NoState(dict):
    """The state lists of a group where no parameter has a gradient: every key is an empty list."""

    def __missing__(self, key):
        return []


class Optimizer:
    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        step = cls.__dict__.get("step")
        if step is not None and not getattr(step, "_hooked", False):
            cls.step = _wrap_step(step)

    def __init__(self, params, defaults: dict[str, Any]) -> None:
        self.defaults = defaults
        step = type(self).step
        if not getattr(step, "_hooked", False):  # a step assigned after class creation
            type(self).step = _wrap_step(step)
        self._optimizer_step_pre_hooks: dict = OrderedDict()
        self._optimizer_step_post_hooks: dict = OrderedDict()
        self._optimizer_state_dict_pre_hooks: dict = OrderedDict()
        self._optimizer_state_dict_post_hooks: dict = OrderedDict()
        self._optimizer_load_state_dict_pre_hooks: dict = OrderedDict()
        self._optimizer_load_state_dict_post_hooks: dict = OrderedDict()
        if isinstance(params, Tensor):
            raise TypeError(messages.OPTIM_PARAMS_TENSOR.format(type=typename(params)))
        self.state: defaultdict = defaultdict(dict)
        self.param_groups: list[dict[str, Any]] = []
        param_groups = list(params)
        if len(param_groups) == 0:
            raise ValueError(messages.OPTIM_EMPTY)
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for param_group in param_groups:
            self.add_param_group(param_group)

    def __getstate__(self) -> dict[str, Any]:
        return {"defaults": self.defaults, "state": self.state, "param_groups": self.param_groups}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        for name in ("_optimizer_step_pre_hooks", "_optimizer_step_post_hooks",
                     "_optimizer_state_dict_pre_hooks", "_optimizer_state_dict_post_hooks",
                     "_optimizer_load_state_dict_pre_hooks", "_optimizer_load_state_dict_post_hooks"):
            if name not in self.__dict__:
                setattr(self, name, OrderedDict())
        self.defaults.setdefault("differentiable", False)

    def __repr__(self) -> str:
        format_string = self.__class__.__name__ + " ("
        for i, group in enumerate(self.param_groups):
            format_string += "\n"
            format_string += f"Parameter Group {i}\n"
            for key in sorted(group.keys()):
                if key != "params":
                    format_string += f"    {key}: {group[key]}\n"
        return format_string + ")"

    def _setstate_groups(self, group_defaults: dict[str, Any], step_to_tensor: bool = False) -> None:
        """__setstate__ for a state dict saved by an older torch: each group gets the keys it lacks;
        with step_to_tensor, a float `step` becomes a 0-d tensor of _scalar_dtype()."""
        for group in self.param_groups:
            for key, value in group_defaults.items():
                group.setdefault(key, value)
            if step_to_tensor:
                for p in group["params"]:
                    p_state = self.state.get(p, [])
                    if len(p_state) != 0 and not isinstance(p_state["step"], Tensor):
                        p_state["step"] = tensor(float(p_state["step"]), dtype=_scalar_dtype())

    # ---- hooks ---------------------------------------------------------------------------------
    def register_step_pre_hook(self, hook) -> RemovableHandle:
        handle = RemovableHandle(self._optimizer_step_pre_hooks)
        self._optimizer_step_pre_hooks[handle.id] = hook
        return handle

    def register_step_post_hook(self, hook) -> RemovableHandle:
        handle = RemovableHandle(self._optimizer_step_post_hooks)
        self._optimizer_step_post_hooks[handle.id] = hook
        return handle

    def register_state_dict_pre_hook(self, hook) -> RemovableHandle:
        handle = RemovableHandle(self._optimizer_state_dict_pre_hooks)
        self._optimizer_state_dict_pre_hooks[handle.id] = hook
        return handle

    def register_state_dict_post_hook(self, hook) -> RemovableHandle:
        handle = RemovableHandle(self._optimizer_state_dict_post_hooks)
        self._optimizer_state_dict_post_hooks[handle.id] = hook
        return handle

    def register_load_state_dict_pre_hook(self, hook) -> RemovableHandle:
        handle = RemovableHandle(self._optimizer_load_state_dict_pre_hooks)
        self._optimizer_load_state_dict_pre_hooks[handle.id] = hook
        return handle

    def register_load_state_dict_post_hook(self, hook) -> RemovableHandle:
        handle = RemovableHandle(self._optimizer_load_state_dict_post_hooks)
        self._optimizer_load_state_dict_post_hooks[handle.id] = hook
        return handle

    # ---- state dict ----------------------------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        """Parameters are replaced by their index over all groups; state tensors are not copied."""
        for pre_hook in self._optimizer_state_dict_pre_hooks.values():
            pre_hook(self)
        param_mappings: dict[int, int] = {}
        start_index = 0

        def pack_group(group: dict[str, Any]) -> dict[str, Any]:
            nonlocal start_index
            packed = {k: v for k, v in group.items() if k != "params"}
            param_mappings.update({id(p): i for i, p in enumerate(group["params"], start_index)
                                   if id(p) not in param_mappings})
            packed["params"] = [param_mappings[id(p)] for p in group["params"]]
            start_index += len(packed["params"])
            return packed

        param_groups = [pack_group(g) for g in self.param_groups]
        packed_state = {(param_mappings[id(k)] if isinstance(k, Tensor) else k): v
                        for k, v in self.state.items()}
        state_dict = {"state": packed_state, "param_groups": param_groups}
        for post_hook in self._optimizer_state_dict_post_hooks.values():
            result = post_hook(self, state_dict)
            if result is not None:
                state_dict = result
        return state_dict

    @staticmethod
    def _process_value_according_to_param_policy(param: Tensor, value: Tensor, param_id, param_groups,
                                                 key=None) -> Tensor:
        fused = capturable = False
        for pg in param_groups:
            if param_id in pg["params"]:
                fused = pg.get("fused", False)
                capturable = pg.get("capturable", False)
                break
        if key == "step":
            return value.to(dtype=dt.float32) if capturable or fused else value
        return value.to(dtype=param.dtype) if param.is_floating_point() else value

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        state_dict = state_dict.copy()
        for pre_hook in self._optimizer_load_state_dict_pre_hooks.values():
            result = pre_hook(self, state_dict)
            if result is not None:
                state_dict = result
        groups = self.param_groups
        saved_groups = deepcopy(state_dict["param_groups"])
        if len(groups) != len(saved_groups):
            raise ValueError(messages.OPTIM_LOAD_GROUPS)
        if any(len(g["params"]) != len(s["params"]) for g, s in zip(groups, saved_groups)):
            raise ValueError(messages.OPTIM_LOAD_GROUP_SIZE)
        id_map = dict(zip(chain.from_iterable(g["params"] for g in saved_groups),
                          chain.from_iterable(g["params"] for g in groups)))

        def _cast(param, value, param_id=None, param_groups=None, key=None):
            if isinstance(value, Tensor):
                return Optimizer._process_value_according_to_param_policy(param, value, param_id,
                                                                          param_groups, key)
            if isinstance(value, dict):
                return {k: _cast(param, v, param_id=param_id, param_groups=param_groups, key=k)
                        for k, v in value.items()}
            if isinstance(value, Iterable) and not isinstance(value, str):
                return type(value)(_cast(param, v, param_id=param_id, param_groups=param_groups)
                                   for v in value)
            return value

        state: defaultdict = defaultdict(dict)
        for k, v in state_dict["state"].items():
            if k in id_map:
                param = id_map[k]
                state[param] = _cast(param, v, param_id=k, param_groups=state_dict["param_groups"])
            else:
                state[k] = v

        def update_group(group: dict[str, Any], new_group: dict[str, Any]) -> dict[str, Any]:
            new_group["params"] = group["params"]
            if "param_names" in group and "param_names" not in new_group:
                new_group["param_names"] = group["param_names"]
            return new_group

        param_groups = [update_group(g, ng) for g, ng in zip(groups, saved_groups)]
        self.__setstate__({"state": state, "param_groups": param_groups})
        for post_hook in self._optimizer_load_state_dict_post_hooks.values():
            post_hook(self)

    # ---- gradients and groups ------------------------------------------------------------------
    def _collect(self, group, fresh_state):
        """torch's `_init_group`, shared: the parameters of `group` that have a gradient, their
        gradients, and, for each key of a parameter's state, the list of those state tensors.
        `fresh_state(p, group)` gives a parameter's first state, keys in torch's order."""
        params, grads, states = [], [], None
        for p in group["params"]:
            if p.grad is None:
                continue
            params.append(p)
            grads.append(p.grad)
            state = self.state[p]
            if len(state) == 0:
                state.update(fresh_state(p, group))
            if states is None:
                states = {key: [] for key in state}
            for key, values in states.items():
                values.append(state[key])
        return params, grads, states if states is not None else _NoState()

    def zero_grad(self, set_to_none: bool = True) -> None:
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    if set_to_none:
                        p.grad = None
                    else:
                        if p.grad.grad_fn is not None:
                            p.grad.detach_()
                        else:
                            p.grad.requires_grad_(False)
                        p.grad.zero_()

    def step(self, closure=None):
        raise NotImplementedError

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        if not isinstance(param_group, dict):
            raise TypeError(messages.OPTIM_GROUP_DICT.format(type=type(param_group)))
        params = param_group["params"]
        if isinstance(params, Tensor):
            param_group["params"] = [params]
        elif isinstance(params, set):
            raise TypeError(messages.OPTIM_SET)
        else:
            param_group["params"] = list(params)
        tensors, names = [], []
        for param in param_group["params"]:
            if isinstance(param, tuple):
                names.append(param[0])
                tensors.append(param[1])
            else:
                tensors.append(param)
        param_group["params"] = tensors
        if names:
            if len(names) != len(tensors):
                raise ValueError(messages.OPTIM_NAMES_MISSING)
            param_group["param_names"] = names
        for param in param_group["params"]:
            if not isinstance(param, Tensor):
                raise TypeError(messages.OPTIM_NOT_TENSOR.format(type=typename(param)))
            if not self.defaults.get("differentiable", None) and not (param.is_leaf or param.retains_grad):
                raise ValueError(messages.OPTIM_NON_LEAF)
        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError(messages.OPTIM_REQUIRED.format(name=name))
            param_group.setdefault(name, default)
        params = param_group["params"]
        if len(params) != len(set(params)):
            warnings.warn(messages.W_OPTIM_DUPLICATE, stacklevel=3)
        param_set: set = set()
        for group in self.param_groups:
            param_set.update(set(group["params"]))
            if ("param_names" in param_group) != ("param_names" in group):
                txt = "with names" if "param_names" in param_group else "without names"
                raise ValueError(messages.OPTIM_GROUP_NAMES.format(txt=txt))
        if not param_set.isdisjoint(set(param_group["params"])):
            raise ValueError(messages.OPTIM_OVERLAP)
        self.param_groups.append(param_group)



def _scalar_dtype():
    """torch.optim's _get_scalar_dtype: the dtype of Adam's `step` counter."""
    return dt.float64 if dt.get_default_dtype() is dt.float64 else dt.float32
