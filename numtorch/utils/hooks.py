"""torch.utils.hooks: RemovableHandle, unserializable_hook and BackwardHook, the machinery behind
nn.Module's full backward hooks and backward pre-hooks.

A hooked module call wraps the tensors of its positional arguments, and those of its output, in one
`BackwardHookFunction` each: an identity custom Function, so the caller sees outputs whose grad_fn is
`BackwardHookFunctionBackward`, and the module's forward sees views of its inputs. Two node
post-hooks tie the nodes together: the one on the outputs' node records grad_output (after the user
pre-hooks have had their say) and passes it on; the one on the inputs' node then calls the user
hooks with grad_input and that grad_output, and may replace grad_input."""
from __future__ import annotations

import os
import sys
import warnings

from .._autograd.hooks import RemovableHandle
from .._core import messages
from .._core.state import STATE
from .._tensor import Tensor
from ..autograd.function import Function

__all__ = ["RemovableHandle", "unserializable_hook", "BackwardHook"]


def unserializable_hook(f):
    """Mark a function as a hook that need not be serialized (as torch's decorator does)."""
    f.__torch_unserializable__ = True
    return f


class BackwardHookFunction(Function):
    """Identity on its tensor arguments; the arguments that do not require grad stay
    non-differentiable (torch.nn.modules._functions.BackwardHookFunction)."""

    @staticmethod
    def forward(ctx, *args):
        ctx.mark_non_differentiable(*[arg for arg in args if not arg.requires_grad])
        return args

    @staticmethod
    def backward(ctx, *args):
        return args


_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _user_stacklevel() -> int:
    """The stacklevel of the first frame outside numtorch: the line that ran the backward pass."""
    frame, level = sys._getframe(1), 1
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        frame, level = frame.f_back, level + 1
    return level


class BackwardHook:
    """Wires a module call's full backward hooks and backward pre-hooks into the graph.

    `setup_input_hook(args)` runs before forward, `setup_output_hook(result)` after it. Entries of
    grad_input and grad_output are None for the arguments (and outputs) that are not tensors."""

    def __init__(self, module, user_hooks, user_pre_hooks) -> None:
        self.user_hooks = user_hooks
        self.user_pre_hooks = user_pre_hooks
        self.module = module

        self.grad_outputs = None
        self.n_outputs = -1
        self.output_tensors_index = None
        self.n_inputs = -1
        self.input_tensors_index = None

    @staticmethod
    def _pack_with_none(indices, values, size) -> tuple:
        packed = [None] * size
        for i, value in zip(indices, values):
            packed[i] = value
        return tuple(packed)

    @staticmethod
    def _unpack_none(indices, values) -> tuple:
        return tuple(values[i] for i in indices)

    def _set_user_hook(self, grad_fn) -> None:
        def hook(grad_input, _):
            if self.grad_outputs is None:
                # the gradient reached the module's inputs without passing through its outputs
                # (double backward, for instance): there is no grad_output to show the hooks
                return None
            res = self._pack_with_none(self.input_tensors_index, grad_input, self.n_inputs)
            for user_hook in self.user_hooks:
                out = user_hook(self.module, res, self.grad_outputs)
                if out is None:
                    continue
                if len(out) != len(res):
                    raise RuntimeError(messages.BACKWARD_HOOK_GRAD_INPUT_COUNT.format(
                        got=len(out), expected=len(res)))
                res = out
            self.grad_outputs = None
            return self._unpack_none(self.input_tensors_index, res)

        grad_fn.register_hook(hook)  # the engine checks what it returns (hooks.check_result)

    def _apply_on_tensors(self, fn, args):
        """Pass the tensors of `args` through one BackwardHookFunction; `fn` receives its node.
        Returns the new args and the positions of the tensors (None when nothing was wrapped)."""
        tensors_idx = []
        tensors = []
        requires_grad = False
        for i, arg in enumerate(args):
            if isinstance(arg, Tensor):
                tensors_idx.append(i)
                tensors.append(arg)
                requires_grad |= arg.requires_grad

        if not (requires_grad and STATE.grad_enabled):
            return args, None

        new_tensors = BackwardHookFunction.apply(*tensors)
        if len(new_tensors) == 0:
            raise RuntimeError(messages.BACKWARD_HOOK_NO_INPUTS)
        grad_fns = [t.grad_fn for t in new_tensors
                    if t.grad_fn is not None and t.grad_fn.name() == "BackwardHookFunctionBackward"]
        if len(grad_fns) == 0:
            raise RuntimeError(messages.BACKWARD_HOOK_SETUP)
        fn(grad_fns[0])

        arg_list = list(args)
        for i, value in zip(tensors_idx, new_tensors):
            arg_list[i] = value
        out = tuple(arg_list) if type(args) is tuple else type(args)(*arg_list)
        return out, tensors_idx

    def setup_input_hook(self, args):
        res, input_idx = self._apply_on_tensors(self._set_user_hook, args)
        self.n_inputs = len(args)
        self.input_tensors_index = input_idx
        return res

    def setup_output_hook(self, args):
        def fn(grad_fn) -> None:
            def hook(_, grad_output):
                self.grad_outputs = self._pack_with_none(self.output_tensors_index, grad_output,
                                                         self.n_outputs)
                if self.user_pre_hooks:
                    expected = len(self.grad_outputs)
                    for user_pre_hook in self.user_pre_hooks:
                        new = user_pre_hook(self.module, self.grad_outputs)
                        if new is None:
                            continue
                        if len(new) != expected:
                            raise RuntimeError(messages.BACKWARD_PRE_HOOK_GRAD_OUTPUT_COUNT.format(
                                got=len(new), expected=expected))
                        self.grad_outputs = new

                local_grad_outputs = self.grad_outputs  # returned even when cleared below

                if self.input_tensors_index is None:
                    # no input requires grad: the hooks fire now, with an all-None grad_input
                    warnings.warn(messages.W_FULL_HOOK_NO_INPUT_GRAD, UserWarning,
                                  stacklevel=_user_stacklevel())
                    grad_inputs = self._pack_with_none([], [], self.n_inputs)
                    for user_hook in self.user_hooks:
                        res = user_hook(self.module, grad_inputs, self.grad_outputs)
                        if res is not None and not (isinstance(res, tuple)
                                                    and all(el is None for el in res)):
                            raise RuntimeError(messages.BACKWARD_HOOK_NO_INPUT_GRAD_RESULT)
                    self.grad_outputs = None

                if local_grad_outputs is not None:
                    return tuple(local_grad_outputs[i] for i in self.output_tensors_index)
                return None

            grad_fn.register_hook(hook)  # the engine checks what it returns (hooks.check_result)

        is_tuple = isinstance(args, tuple)
        if not is_tuple:
            args = (args,)
        res, output_idx = self._apply_on_tensors(fn, args)
        self.n_outputs = len(args)
        self.output_tensors_index = output_idx
        return res if is_tuple else res[0]

