"""torch.autograd.gradcheck: gradcheck and gradgradcheck (torch/autograd/gradcheck.py).

Slow mode compares the full Jacobians: numerical by central differences, perturbing one input
element at a time in place through `.data`; analytical one row per output element, by
autograd.grad with one-hot grad_outputs (run twice, for the reentrancy check). Fast mode compares
v^T J u for random unit vectors drawn from a fresh Generator, as torch's does. Then, as torch,
backward must be linear in grad_output (zeros in, zeros out) and must accept undefined output
gradients. Complex outputs are checked through their real and imaginary parts; there is no
forward-mode AD, no batched-grad (vmap) check and no sparse input."""
from __future__ import annotations

import collections
import functools
import warnings
from collections.abc import Callable, Iterable
from itertools import product

import numpy as np

from .._core import dtypes as _dt
from .._ops.creation import empty, zeros, zeros_like
from .._ops.random_ops import Generator, rand
from .._tensor import Tensor
from .function import Function

__all__ = ["gradcheck", "gradgradcheck", "GradcheckError", "get_numerical_jacobian",
           "get_analytical_jacobian", "get_numerical_jacobian_wrt_specific_input"]


class GradcheckError(RuntimeError):
    """Error raised by gradcheck and gradgradcheck."""


def _autograd_grad(*args, **kwargs):
    from . import grad  # the package imports this module; grad is defined there first
    return grad(*args, **kwargs)


def _is_float_or_complex_tensor(obj) -> bool:
    return isinstance(obj, Tensor) and (obj.is_floating_point() or obj.is_complex())


def _allocate_jacobians_with_inputs(input_tensors: tuple, numel_output) -> tuple[Tensor, ...]:
    return tuple(t.new_zeros((t.numel(), numel_output)) for t in input_tensors
                 if _is_float_or_complex_tensor(t) and t.requires_grad)


def _allocate_jacobians_with_outputs(output_tensors: tuple, numel_input, dtype=None) -> tuple[Tensor, ...]:
    return tuple(t.new_zeros((numel_input, t.numel()), dtype=dtype) for t in output_tensors
                 if _is_float_or_complex_tensor(t))


def _iter_tensors(x, only_requiring_grad: bool = False) -> Iterable[Tensor]:
    if isinstance(x, Tensor):
        if x.requires_grad or not only_requiring_grad:
            yield x
    elif isinstance(x, collections.abc.Iterable) and not isinstance(x, str):
        for elem in x:
            yield from _iter_tensors(elem, only_requiring_grad)


def _iter_tensor(x_tensor: Tensor):
    """Yields (x, index, flat index) for every element; x is x_tensor.data, so writes to x[index]
    perturb the input without a version bump on it."""
    x_tensor = x_tensor.data
    for d_idx, x_idx in enumerate(product(*[range(m) for m in x_tensor.size()])):
        yield x_tensor, x_idx, d_idx


def _as_tuple(x) -> tuple:
    if isinstance(x, tuple):
        return x
    if isinstance(x, list):
        return tuple(x)
    return (x,)


def _differentiable_outputs(x) -> tuple:
    return tuple(o for o in _as_tuple(x) if o.requires_grad)


# ---- numerical Jacobian --------------------------------------------------------------------------
def _get_numerical_jacobian(fn, inputs, outputs=None, target=None, eps=1e-3,
                            is_forward_ad=False) -> list[tuple[Tensor, ...]]:
    """For each input requiring grad, the Jacobians of every float output, (numel_in, numel_out)."""
    jacobians: list[tuple[Tensor, ...]] = []
    if outputs is None:
        outputs = _as_tuple(fn(*_as_tuple(inputs)))
    if not is_forward_ad and any(o.is_complex() for o in outputs):
        raise ValueError("Expected output to be non-complex. get_numerical_jacobian no longer supports "
                         "functions that return complex outputs.")
    if target is None:
        target = inputs
    inp_indices = [i for i, a in enumerate(target) if isinstance(a, Tensor) and a.requires_grad]
    for inp, inp_idx in zip(_iter_tensors(target, True), inp_indices):
        jacobians += [get_numerical_jacobian_wrt_specific_input(fn, inp_idx, inputs, outputs, eps,
                                                                input=inp, is_forward_ad=is_forward_ad)]
    return jacobians


def get_numerical_jacobian(fn, inputs, target=None, eps=1e-3, grad_out=1.0):
    """Deprecated in torch: the numerical Jacobians of fn's first output (fn takes a tuple)."""
    warnings.warn("`get_numerical_jacobian` was part of PyTorch's private API and not meant to be "
                  "exposed. We are deprecating it and it will be removed in a future version of PyTorch. "
                  "If you have a specific use for this or feature request for this to be a stable API, "
                  "please file us an issue at https://github.com/pytorch/pytorch/issues/new",
                  FutureWarning, stacklevel=2)
    if grad_out != 1.0:
        raise ValueError("Expected grad_out to be 1.0. get_numerical_jacobian no longer supports values "
                         "of grad_out != 1.0.")

    def fn_pack_inps(*inps):
        return fn(inps)

    jacobians = _get_numerical_jacobian(fn_pack_inps, inputs, None, target, eps)
    return tuple(jacobian_for_each_output[0] for jacobian_for_each_output in jacobians)


def _compute_numerical_gradient(fn, entry: Tensor, v, norm_v, nbhd_checks_fn) -> tuple[Tensor, ...]:
    """Central difference of fn at `entry` (a view into an input) along v."""
    orig = entry.clone()
    entry.copy_(orig - v)
    outa = fn()
    entry.copy_(orig + v)
    outb = fn()
    entry.copy_(orig)

    def compute(a, b):
        nbhd_checks_fn(a, b)
        ret = (b - a) / (2 * norm_v)
        return ret.detach().reshape(-1)

    return tuple(compute(a, b) for (a, b) in zip(outa, outb))


def _compute_numerical_jvps_wrt_specific_input(jvp_fn, delta, input_is_complex: bool,
                                               is_forward_ad: bool = False) -> list[Tensor]:
    jvps: list[Tensor] = []
    ds_dx_tup = jvp_fn(delta[0] if isinstance(delta, tuple) else delta)
    if input_is_complex:  # C -> R: the conjugate Wirtinger derivative
        ds_dy_tup = jvp_fn(delta[1] * 1j) if isinstance(delta, tuple) else jvp_fn(delta * 1j)
        for ds_dx, ds_dy in zip(ds_dx_tup, ds_dy_tup):
            if ds_dx.is_complex():
                raise AssertionError("Expected ds_dx to be real-valued, not complex")
            jvps.append(ds_dx + ds_dy * 1j)
    else:
        for ds_dx in ds_dx_tup:
            if not is_forward_ad and ds_dx.is_complex():
                raise AssertionError("Expected ds_dx to be real-valued, not complex.")
            jvps.append(ds_dx)
    return jvps


def _combine_jacobian_cols(jacobians_cols: dict[int, list[Tensor]], outputs, input: Tensor,
                           numel: int) -> tuple[Tensor, ...]:
    jacobians = _allocate_jacobians_with_outputs(outputs, numel,
                                                 dtype=input.dtype if input.dtype.is_complex else None)
    for i, jacobian in enumerate(jacobians):
        for k, v in jacobians_cols.items():
            jacobian[k] = v[i]
    return jacobians


def _check_outputs_same_dtype_and_shape(output1, output2, eps, idx=None) -> None:
    on_index = f"on index {idx} " if idx is not None else ""
    if output1.shape != output2.shape:
        raise AssertionError(f"Expected `func` to return outputs with the same shape when inputs are "
                             f"perturbed {on_index}by {eps}, but got: shapes {output1.shape} and "
                             f"{output2.shape}.")
    if output1.dtype != output2.dtype:
        raise AssertionError(f"Expected `func` to return outputs with the same dtype when inputs are "
                             f"perturbed {on_index}by {eps}, but got: dtypes {output1.dtype} and "
                             f"{output2.dtype}.")


def get_numerical_jacobian_wrt_specific_input(fn, input_idx, inputs, outputs, eps, input=None,
                                              is_forward_ad=False) -> tuple[Tensor, ...]:
    """Column by column: perturbing one element gives one column of each output's Jacobian."""
    jacobian_cols: dict[int, list[Tensor]] = {}
    input = inputs[input_idx] if input is None else input
    if not input.requires_grad:
        raise AssertionError("Expected input to have requires_grad=True")
    for x, idx, d_idx in _iter_tensor(input):
        wrapped_fn = _with_prepare_inputs(fn, inputs, input_idx, x)
        input_to_perturb = x[idx]
        nbhd_checks_fn = functools.partial(_check_outputs_same_dtype_and_shape, idx=idx, eps=eps)
        jvp_fn = _get_numerical_jvp_fn(wrapped_fn, input_to_perturb, eps, nbhd_checks_fn)
        jacobian_cols[d_idx] = _compute_numerical_jvps_wrt_specific_input(jvp_fn, eps, x.is_complex(),
                                                                          is_forward_ad)
    return _combine_jacobian_cols(jacobian_cols, outputs, input, input.numel())


def _with_prepare_inputs(fn, inputs, input_idx, input_to_perturb, fast_mode=False):
    # the inputs themselves are passed (not input.data), so that fn can differentiate them (gradgrad)
    def wrapped_fn():
        inp = tuple(a for a in _as_tuple(inputs))
        return tuple(a.clone() for a in _as_tuple(fn(*inp)))
    return wrapped_fn


def _get_numerical_jvp_fn(wrapped_fn, input_to_perturb, eps, nbhd_checks_fn):
    def jvp_fn(delta):
        return _compute_numerical_gradient(wrapped_fn, input_to_perturb, delta, eps, nbhd_checks_fn)
    return jvp_fn


# ---- analytical Jacobian -------------------------------------------------------------------------
def _check_jacobians_equal(j1, j2, atol) -> bool:
    for j1_x, j2_x in zip(j1, j2):
        if j1_x.numel() != 0 and (j1_x - j2_x).abs().max() > atol:
            return False
    return True


def _stack_and_check_tensors(list_of_list_of_tensors, inputs, numel_outputs):
    out_jacobians = _allocate_jacobians_with_inputs(inputs, numel_outputs)
    diff_input_list = list(_iter_tensors(inputs, True))
    correct_grad_sizes = True
    correct_grad_types = True
    for i, tensor_list in enumerate(list_of_list_of_tensors):
        inp = diff_input_list[i]
        out_jacobian = out_jacobians[i]
        for j, tensor in enumerate(tensor_list):
            if tensor is not None and tensor.size() != inp.size():
                correct_grad_sizes = False
            elif tensor is not None and tensor.dtype != inp.dtype:
                correct_grad_types = False
            if tensor is None:
                out_jacobian[:, j].zero_()
            else:
                if out_jacobian[:, j].numel() != tensor.numel():
                    raise AssertionError(f"Expected out_jacobian column to have {tensor.numel()} "
                                         f"elements, but got {out_jacobian[:, j].numel()}")
                out_jacobian[:, j] = tensor.reshape(-1)
    return out_jacobians, correct_grad_sizes, correct_grad_types


FAILED_NONDET_MSG = """\n
NOTE: If your op relies on non-deterministic operations i.e., it is listed here:
https://pytorch.org/docs/stable/generated/torch.use_deterministic_algorithms.html
this failure might be expected.

If you are adding a new operator, please file an issue and then use one of the
workarounds. The workaround depends on how your test invokes gradcheck/gradgradcheck.
If the test
- manually invokes gradcheck/gradgradcheck, then call gradcheck/gradgradcheck
  with `nondet_tol=<tol>` as a keyword argument.
- is OpInfo-based (e.g., in test_ops_gradients.py), then modify the OpInfo for the test
  to have `gradcheck_nondet_tol=<tol>`.
- is a Module test (e.g., in common_nn.py), then modify the corresponding
  module_test entry to have `gradcheck_nondet_tol=<tol>`
"""


def _check_analytical_jacobian_attributes(inputs, output, nondet_tol, check_grad_dtypes, fast_mode=False,
                                          v=None) -> tuple[Tensor, ...]:
    diff_input_list = list(_iter_tensors(inputs, True))

    def vjp_fn(grad_output):
        return _autograd_grad(output, diff_input_list, grad_output, retain_graph=True,
                              allow_unused=True)

    # everything twice, to check that backward is deterministic ("reentrant")
    if fast_mode:
        vjps1 = _get_analytical_vjps_wrt_specific_output(vjp_fn, output.clone(), v)
        vjps2 = _get_analytical_vjps_wrt_specific_output(vjp_fn, output.clone(), v)
    else:
        vjps1 = _compute_analytical_jacobian_rows(vjp_fn, output.clone())
        vjps2 = _compute_analytical_jacobian_rows(vjp_fn, output.clone())
    output_numel = output.numel() if not fast_mode else 1
    # torch unpacks (sizes, types) into (types_ok, sizes_ok); its messages follow that order
    jacobians1, types_ok, sizes_ok = _stack_and_check_tensors(vjps1, inputs, output_numel)
    jacobians2, _, _ = _stack_and_check_tensors(vjps2, inputs, output_numel)
    reentrant = _check_jacobians_equal(jacobians1, jacobians2, nondet_tol)
    if not types_ok and check_grad_dtypes:
        raise GradcheckError("Gradient has dtype mismatch")
    if not sizes_ok:
        raise GradcheckError("Analytical gradient has incorrect size")
    if not reentrant:
        raise GradcheckError("Backward is not reentrant, i.e., running backward with same input and "
                             "grad_output multiple times gives different values, although analytical "
                             "gradient matches numerical gradient."
                             f"The tolerance for nondeterminism was {nondet_tol}." + FAILED_NONDET_MSG)
    return jacobians1


def get_analytical_jacobian(inputs, output, nondet_tol=0.0, grad_out=1.0):
    """Deprecated in torch: (jacobians, reentrant, sizes_ok, types_ok) of one output."""
    warnings.warn("`get_analytical_jacobian` was part of PyTorch's private API and not meant to be "
                  "exposed. We are deprecating it and it will be removed in a future version of PyTorch. "
                  "If you have a specific use for this or feature request for this to be a stable API, "
                  "please file us an issue at https://github.com/pytorch/pytorch/issues/new",
                  FutureWarning, stacklevel=2)
    if grad_out != 1.0:
        raise ValueError("Expected grad_out to be 1.0. get_analytical_jacobian no longer supports values "
                         "of grad_out != 1.0.")
    if output.is_complex():
        raise ValueError("Expected output to be non-complex. get_analytical_jacobian no longer supports "
                         "functions that return complex outputs.")
    diff_input_list = list(_iter_tensors(inputs, True))

    def vjp_fn(grad_output):
        return _autograd_grad(output, diff_input_list, grad_output, retain_graph=True,
                              allow_unused=True)

    vjps1 = _compute_analytical_jacobian_rows(vjp_fn, output.clone())
    vjps2 = _compute_analytical_jacobian_rows(vjp_fn, output.clone())
    jacobians1, types_ok, sizes_ok = _stack_and_check_tensors(vjps1, inputs, output.numel())
    jacobians2, _, _ = _stack_and_check_tensors(vjps2, inputs, output.numel())
    reentrant = _check_jacobians_equal(jacobians1, jacobians2, nondet_tol)
    return jacobians1, reentrant, sizes_ok, types_ok


def _get_analytical_jacobian(inputs, outputs, input_idx, output_idx):
    jacobians = _check_analytical_jacobian_attributes(inputs, outputs[output_idx],
                                                      nondet_tol=float("inf"), check_grad_dtypes=False)
    return jacobians[input_idx]


def _compute_analytical_jacobian_rows(vjp_fn, sample_output) -> list[list[Tensor | None]]:
    """Row j of each input's Jacobian is vjp_fn(e_j)."""
    grad_out_base = zeros(tuple(sample_output.shape), dtype=sample_output.dtype)  # legacy_contiguous_format
    flat_grad_out = grad_out_base.view(-1)
    jacobians_rows: list[list[Tensor | None]] = []
    for j in range(flat_grad_out.numel()):
        flat_grad_out.zero_()
        flat_grad_out[j] = 1.0
        grad_inputs = vjp_fn(grad_out_base)
        for i, d_x in enumerate(grad_inputs):
            if j == 0:
                jacobians_rows.append([])
            jacobians_rows[i] += [d_x.clone() if isinstance(d_x, Tensor) else None]
    return jacobians_rows


def _get_analytical_vjps_wrt_specific_output(vjp_fn, sample_output, v) -> list[list[Tensor | None]]:
    grad_inputs = vjp_fn(v.reshape(sample_output.shape))
    return [[vjp.clone() if isinstance(vjp, Tensor) else None] for vjp in grad_inputs]


# ---- argument and output checks ------------------------------------------------------------------
def _check_inputs(tupled_inputs) -> bool:
    any_input_requiring_grad = False
    for idx, inp in enumerate(tupled_inputs):
        if isinstance(inp, Tensor) and inp.requires_grad:
            if not (inp.dtype == _dt.float64 or inp.dtype == _dt.complex128):
                warnings.warn(f"Input #{idx} requires gradient and is not a double precision floating "
                              "point or complex. This check will likely fail if all the inputs are not "
                              "of double precision floating point or complex. ", stacklevel=2)
            if not all(st > 0 or sz <= 1 for st, sz in zip(inp.stride(), inp.size())):
                raise RuntimeError(f"The {idx}th input has a dimension with stride 0. gradcheck only "
                                   "supports inputs that are non-overlapping to be able to compute the "
                                   "numerical gradients correctly. You should call .contiguous on the "
                                   "input before passing it to gradcheck.")
            any_input_requiring_grad = True
    if not any_input_requiring_grad:
        raise ValueError("gradcheck expects at least one input tensor to require gradient, but none of "
                         "them have requires_grad=True.")
    return True


def _check_no_differentiable_outputs(func, inputs, func_out, eps, *, is_forward_ad) -> bool:
    """Without differentiable outputs the numerical gradient must be zero."""
    jacobians_all_inputs_outputs = _get_numerical_jacobian(func, inputs, func_out, eps=eps,
                                                           is_forward_ad=is_forward_ad)
    for jacobians_all_outputs_and_fixed_input in jacobians_all_inputs_outputs:
        for jacobian in jacobians_all_outputs_and_fixed_input:
            if jacobian.ne(0).sum() > 0:
                raise GradcheckError("Numerical gradient for function expected to be zero")
    return True


def _check_no_differentiable_outputs_fast(func, func_out, all_inputs, inputs_indices, all_u, eps,
                                          nondet_tol) -> bool:
    for inp_idx, u in zip(inputs_indices, all_u):
        jvps = _get_numerical_jvp_wrt_specific_input(func, inp_idx, all_inputs, u, eps)
        for jvp in jvps:
            if jvp.numel() == 0:
                continue
            if (jvp - zeros_like(jvp)).abs().max() > nondet_tol:
                raise GradcheckError("Numerical gradient for function expected to be zero")
    return True


def _test_backward_mul_by_grad_output(outputs, inputs, masked) -> bool:
    """Zero grad_outputs must give zero input gradients of the inputs' dtype and size."""
    diff_input_list: list[Tensor] = list(_iter_tensors(inputs, True))
    if not diff_input_list:
        raise GradcheckError("no Tensors requiring grad found in input")
    grads_input = _autograd_grad(outputs, diff_input_list, [zeros_like(o) for o in outputs],
                                 allow_unused=True)
    for gi, di in zip(grads_input, diff_input_list):
        if gi is None:
            continue
        if masked:
            if not _allclose(gi, zeros_like(gi), 1e-05, 1e-08):
                raise GradcheckError("backward not multiplied by grad_output")
        elif not gi.eq(0).all():
            raise GradcheckError("backward not multiplied by grad_output")
        if gi.dtype != di.dtype:
            raise GradcheckError("grad is incorrect type")
        if gi.device != di.device:
            raise GradcheckError("grad is incorrect device")
        if gi.size() != di.size():
            raise GradcheckError("grad is incorrect size")
    return True


class _UndefinedGrad(Function):
    """torch._C._functions.UndefinedGrad: the identity whose backward passes an undefined gradient."""

    @staticmethod
    def forward(ctx, x):
        return x.clone()

    @staticmethod
    def backward(ctx, grad):
        return None


def _test_undefined_backward_mode(func, outputs, inputs) -> bool:
    diff_input_list: list[Tensor] = list(_iter_tensors(inputs, True))
    if not diff_input_list:
        raise GradcheckError("no Tensors requiring grad found in input")

    def warn_bc_breaking():
        warnings.warn("Backwards compatibility: New undefined gradient support checking feature is "
                      "enabled by default, but it may break existing callers of this function. If this "
                      "is true for you, you can call this function with \"check_undefined_grad=False\" to "
                      "disable the feature", stacklevel=2)

    def check_undefined_grad_support(output_to_check):
        grads_output = [zeros_like(o) for o in output_to_check]
        try:
            grads_input = _autograd_grad(output_to_check, diff_input_list, grads_output, allow_unused=True)
        except RuntimeError as e:
            warn_bc_breaking()
            raise GradcheckError("Expected backward function to handle undefined output grads. Please "
                                 "look at \"Notes about undefined output gradients\" in "
                                 "\"tools/autograd/derivatives.yaml\"") from e
        for gi in grads_input:
            if (gi is not None) and (not gi.eq(0).all()):
                warn_bc_breaking()
                raise GradcheckError("Expected all input grads to be undefined or zero when all output "
                                     "grads are undefined or zero. Please look at \"Notes about undefined "
                                     "output gradients\" in \"tools/autograd/derivatives.yaml\"")
        return True

    # every output undefined at once, then (with several outputs) one at a time
    outputs_to_check = [[_UndefinedGrad.apply(o) for o in _differentiable_outputs(func(*inputs))
                         if isinstance(o, Tensor)]]
    if len(outputs_to_check[0]) > 1:
        for undef_grad_idx in range(len(outputs)):
            output_to_check = _differentiable_outputs(func(*inputs))
            outputs_to_check.append([_UndefinedGrad.apply(o) if idx == undef_grad_idx else o
                                     for idx, o in enumerate(output_to_check)])
    return all(check_undefined_grad_support(output) for output in outputs_to_check)


# ---- comparison ----------------------------------------------------------------------------------
def _allclose(a: Tensor, b: Tensor, rtol: float, atol: float) -> bool:
    """torch.allclose(a, b, rtol, atol), computed in the tensors' dtype as its isclose kernel does."""
    x, y = np.asarray(a.detach().numpy()), np.asarray(b.detach().numpy())
    with np.errstate(all="ignore"):
        close = x == y
        real = x.real.dtype
        allowed = np.asarray(atol, real) + np.abs(np.asarray(rtol, real) * y)
        actual = np.abs(x - y)
        close = close | (np.isfinite(actual) & (actual <= allowed))
    return bool(np.all(close))


def _allclose_with_type_promotion(a: Tensor, b: Tensor, rtol, atol) -> bool:
    promoted_type = _dt.promote_types(a.dtype, b.dtype)
    return _allclose(a.to(dtype=promoted_type), b.to(dtype=promoted_type), rtol, atol)


def _get_notallclose_msg(analytical, numerical, output_idx, input_idx, complex_indices, test_imag=False,
                         is_forward_ad=False) -> str:
    out_is_complex = (not is_forward_ad) and complex_indices and output_idx in complex_indices
    inp_is_complex = is_forward_ad and complex_indices and input_idx in complex_indices
    part = "imaginary" if test_imag else "real"
    element = "inputs" if is_forward_ad else "outputs"
    prefix = "" if not (out_is_complex or inp_is_complex) else \
        f"While considering the {part} part of complex {element} only, "
    mode = "computed with forward mode " if is_forward_ad else ""
    return (prefix + f"Jacobian {mode}mismatch for output {output_idx:d} with respect to input "
            f"{input_idx:d},\nnumerical:{numerical}\nanalytical:{analytical}\n")


def _transpose(matrix_of_tensors):
    return list(zip(*matrix_of_tensors))


def _real_and_imag_output(fn):
    """real(fn) and imag(fn): fn with its complex outputs replaced by their real/imaginary parts."""
    def apply_to_c_outs(fn, fn_to_apply):
        def wrapped_fn(*inputs):
            outs = _as_tuple(fn(*inputs))
            return tuple(fn_to_apply(o) if o.is_complex() else o for o in outs)
        return wrapped_fn

    import numtorch
    real, imag = getattr(numtorch, "real", None), getattr(numtorch, "imag", None)
    if real is None or imag is None:
        raise NotImplementedError("gradcheck of complex outputs needs torch.real and torch.imag, which "
                                  "numtorch does not provide yet")
    return apply_to_c_outs(fn, real), apply_to_c_outs(fn, imag)


def _gradcheck_real_imag(gradcheck_fn, func, func_out, tupled_inputs, outputs, eps, rtol, atol,
                         check_grad_dtypes, check_forward_ad, check_backward_ad, nondet_tol,
                         check_undefined_grad) -> None:
    complex_out_indices = [i for i, o in enumerate(outputs) if o.is_complex()]
    has_any_complex_output = any(o.is_complex() for o in _as_tuple(func_out))
    if check_forward_ad:
        raise NotImplementedError("gradcheck: check_forward_ad=True needs forward-mode AD, which "
                                  "numtorch does not implement")
    if not check_backward_ad:
        return
    if has_any_complex_output:
        real_fn, imag_fn = _real_and_imag_output(func)
        imag_func_out = imag_fn(*tupled_inputs)
        imag_outputs = _differentiable_outputs(imag_func_out)
        gradcheck_fn(imag_fn, imag_func_out, tupled_inputs, imag_outputs, eps, rtol, atol,
                     check_grad_dtypes, nondet_tol, complex_indices=complex_out_indices, test_imag=True)
        real_func_out = real_fn(*tupled_inputs)
        real_outputs = _differentiable_outputs(real_func_out)
        gradcheck_fn(real_fn, real_func_out, tupled_inputs, real_outputs, eps, rtol, atol,
                     check_grad_dtypes, nondet_tol, complex_indices=complex_out_indices)
    else:
        gradcheck_fn(func, func_out, tupled_inputs, outputs, eps, rtol, atol, check_grad_dtypes,
                     nondet_tol)


def _slow_gradcheck(func, func_out, tupled_inputs, outputs, eps, rtol, atol, check_grad_dtypes,
                    nondet_tol, *, use_forward_ad=False, complex_indices=None, test_imag=False,
                    masked=False) -> bool:
    func_out = _as_tuple(func_out)
    if not outputs:
        return _check_no_differentiable_outputs(func, tupled_inputs, func_out, eps=eps,
                                                is_forward_ad=use_forward_ad)
    numerical = _transpose(_get_numerical_jacobian(func, tupled_inputs, func_out, eps=eps,
                                                   is_forward_ad=use_forward_ad))
    # numerical Jacobians exist for every output; only differentiable ones are compared
    numerical = [nj for o, nj in zip(func_out, numerical) if o.requires_grad]
    for i, o in enumerate(outputs):
        analytical = _check_analytical_jacobian_attributes(tupled_inputs, o, nondet_tol, check_grad_dtypes)
        for j, (a, n) in enumerate(zip(analytical, numerical[i])):
            if not _allclose_with_type_promotion(a, n, rtol, atol):
                raise GradcheckError(_get_notallclose_msg(a, n, i, j, complex_indices, test_imag))
    return True


# ---- fast mode -----------------------------------------------------------------------------------
def _vec_from_tensor(x: Tensor, generator, downcast_complex: bool = False) -> Tensor:
    dtype = x.dtype
    if downcast_complex and dtype.is_complex:
        dtype = _dt.float64 if dtype == _dt.complex128 else _dt.float32
    vec = rand(x.numel(), generator=generator).to(dtype=dtype)
    vec /= vec.norm()
    return vec


def _get_inp_tensors(tupled_inputs):
    inp_idx_tup = [(i, t) for i, t in enumerate(tupled_inputs) if isinstance(t, Tensor) and t.requires_grad]
    return [tup[0] for tup in inp_idx_tup], [tup[1] for tup in inp_idx_tup]


def _adjusted_atol(atol, u, v) -> float:
    """|v^T (A - B) u| may reach atol * sum(u) * sum(v) when each |A - B| entry is within atol."""
    sum_v = 1.0 if v is None else v.sum()
    if isinstance(u, tuple):
        return atol * (float(u[0].sum()) + float(u[1].sum())) * float(sum_v)
    return atol * float(u.sum()) * float(sum_v)


FAST_FAIL_SLOW_OK_MSG = """
Fast gradcheck failed but element-wise differences are small. This means that the
test might've passed in slow_mode!

If you are adding a new operator, please file an issue and then use one of the
workarounds. The workaround depends on how your test invokes gradcheck/gradgradcheck:

If the test
- manually invokes gradcheck/gradgradcheck, then call gradcheck/gradgradcheck
  with `fast_mode=False` as a keyword argument.
- is OpInfo-based (e.g., in test_ops_gradients.py), then modify the OpInfo for the test
  to have `gradcheck_fast_mode=False`
- is a Module test (e.g., in common_nn.py), then modify the corresponding
  module_test entry to have `gradcheck_fast_mode=False`
""".strip()


def _run_slow_mode_and_get_error(func, tupled_inputs, outputs, input_idx, output_idx, rtol, atol, eps,
                                 is_forward_ad) -> str:
    slow_numerical = _get_numerical_jacobian(func, tupled_inputs, outputs, eps=eps,
                                             is_forward_ad=is_forward_ad)[input_idx][output_idx]
    slow_analytical = _get_analytical_jacobian(tupled_inputs, outputs, input_idx, output_idx)
    slow_max_diff = (slow_numerical - slow_analytical).abs().max()
    slow_allclose = _allclose(slow_analytical, slow_numerical, rtol, atol)
    msg = ("\nThe above quantities relating the numerical and analytical jacobians are computed \n"
           "in fast mode. See: https://github.com/pytorch/pytorch/issues/53876 for more background \n"
           "about fast mode. Below, we recompute numerical and analytical jacobians in slow mode:\n\n"
           f"Numerical:\n {slow_numerical}\n"
           f"Analytical:\n{slow_analytical}\n\n"
           f"The max per-element difference (slow mode) is: {slow_max_diff}.\n")
    if slow_allclose:
        msg += FAST_FAIL_SLOW_OK_MSG
    return msg


def _make_vectors(inp_tensors, outputs, *, use_forward_ad):
    g_cpu = Generator()  # its own generator: the user's RNG state is left alone
    all_u = []
    for inp in inp_tensors:
        ur = _vec_from_tensor(inp, g_cpu, True)
        if inp.is_complex():
            all_u.append((ur, _vec_from_tensor(inp, g_cpu, True)))
        else:
            all_u.append(ur)
    all_v = None if use_forward_ad else [_vec_from_tensor(out, g_cpu) for out in outputs]
    return all_v, all_u, all_u


def _get_numerical_jvp_wrt_specific_input(fn, input_idx, inputs, u, eps, is_forward_ad=False):
    input = inputs[input_idx]
    input_to_perturb = input.data
    wrapped_fn = _with_prepare_inputs(fn, inputs, input_idx, input_to_perturb, True)
    nbhd_checks_fn = functools.partial(_check_outputs_same_dtype_and_shape, eps=eps)
    jvp_fn = _get_numerical_jvp_fn(wrapped_fn, input_to_perturb, eps, nbhd_checks_fn)
    if isinstance(u, tuple):
        u = (u[0].reshape(input_to_perturb.shape) * eps, u[1].reshape(input_to_perturb.shape) * eps)
    else:
        u = u.reshape(input_to_perturb.shape) * eps
    return _compute_numerical_jvps_wrt_specific_input(jvp_fn, u, input.is_complex(), is_forward_ad)


def _get_numerical_vJu(fn, inputs, inp_indices, func_out, all_u, all_v, eps, is_forward_ad):
    reduced_jacobians: list[list[Tensor]] = []
    for inp_idx, u in zip(inp_indices, all_u):
        all_Ju = _get_numerical_jvp_wrt_specific_input(fn, inp_idx, inputs, u, eps, is_forward_ad)
        func_out = _as_tuple(func_out)
        if len(all_Ju) != len(func_out):
            raise AssertionError("Expected all_Ju and func_out to have the same length, but got "
                                 f"{len(all_Ju)} and {len(func_out)}")
        filtered_Ju = [Ju for Ju, output in zip(all_Ju, func_out) if _is_float_or_complex_tensor(output)]
        if all_v is not None:
            reduced_jacobians.append([(v * Ju).sum() for v, Ju in zip(all_v, filtered_Ju)])
        else:
            reduced_jacobians.append(filtered_Ju)
    return reduced_jacobians


def _get_analytical_vJu_backward_mode(inputs, outputs, nondet_tol, check_grad_dtypes, all_v, all_u):
    reduced_jacobians: list[list[Tensor]] = []
    for output, v in zip(outputs, all_v):
        all_vJ = _check_analytical_jacobian_attributes(inputs, output, nondet_tol, check_grad_dtypes,
                                                       fast_mode=True, v=v)
        jacobian_scalars: list[Tensor] = []
        for vJ, u in zip(all_vJ, all_u):
            vJ = vJ.T.squeeze(0)
            jacobian_scalars.append(vJ.dot(u))
        reduced_jacobians.append(jacobian_scalars)
    return reduced_jacobians


def _fast_gradcheck(func, func_out, inputs, outputs, eps, rtol, atol, check_grad_dtypes, nondet_tol, *,
                    use_forward_ad=False, complex_indices=None, test_imag=False, masked=False) -> bool:
    if any(t.is_complex() for t in _iter_tensors(inputs, True)):
        raise NotImplementedError("gradcheck: fast_mode=True with complex inputs is not implemented in "
                                  "numtorch; use fast_mode=False")
    inp_tensors_idx, inp_tensors = _get_inp_tensors(inputs)
    all_v, all_u, all_u_dense = _make_vectors(inp_tensors, outputs, use_forward_ad=use_forward_ad)
    numerical_vJu = _get_numerical_vJu(func, inputs, inp_tensors_idx, func_out, all_u, all_v, eps,
                                       is_forward_ad=use_forward_ad)
    if not outputs:
        _check_no_differentiable_outputs_fast(func, func_out, inputs, inp_tensors_idx, all_u, eps,
                                              nondet_tol)
    analytical_vJu = _get_analytical_vJu_backward_mode(inputs, outputs, nondet_tol, check_grad_dtypes,
                                                       all_v, all_u_dense)
    for i, all_numerical_for_input_i in enumerate(numerical_vJu):
        for j, n in enumerate(all_numerical_for_input_i):
            a = analytical_vJu[j][i]
            updated_atol = _adjusted_atol(atol, all_u[i], all_v[j] if all_v else None)
            if not _allclose_with_type_promotion(a, n, rtol, updated_atol):
                jacobians_str = _run_slow_mode_and_get_error(func, inputs, outputs, i, j, rtol, atol, eps,
                                                             use_forward_ad)
                raise GradcheckError(_get_notallclose_msg(a, n, j, i, complex_indices, test_imag,
                                                          use_forward_ad) + jacobians_str)
    return True


# ---- public entry points -------------------------------------------------------------------------
def gradcheck(func: Callable, inputs, *, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3,
              raise_exception: bool = True, nondet_tol: float = 0.0, check_undefined_grad: bool = True,
              check_grad_dtypes: bool = False, check_batched_grad: bool = False,
              check_batched_forward_grad: bool = False, check_forward_ad: bool = False,
              check_backward_ad: bool = True, fast_mode: bool = False, masked: bool | None = None) -> bool:
    """Checks analytical gradients of func at inputs against central finite differences (allclose
    with rtol, atol); raises GradcheckError, or returns False when raise_exception=False."""
    if not (check_forward_ad or check_backward_ad):
        raise AssertionError("Expected at least one of check_forward_ad or check_backward_ad to be True")
    if check_batched_grad and not check_backward_ad:
        raise AssertionError("Setting check_batched_grad=True requires check_backward_ad to be True")
    if check_batched_forward_grad and not check_forward_ad:
        raise AssertionError("Setting check_batched_forward_grad=True requires check_forward_ad to be True")
    args = locals().copy()
    args.pop("raise_exception")
    if not raise_exception:
        try:
            return _gradcheck_helper(**args)
        except GradcheckError:
            return False
    return _gradcheck_helper(**args)


def _gradcheck_helper(func, inputs, eps, atol, rtol, nondet_tol, check_undefined_grad, check_grad_dtypes,
                      check_batched_grad, check_batched_forward_grad, check_forward_ad, check_backward_ad,
                      fast_mode, masked) -> bool:
    if check_batched_forward_grad or check_batched_grad:
        raise NotImplementedError("gradcheck: batched gradient checks need vmap, which numtorch does "
                                  "not implement")
    tupled_inputs = _as_tuple(inputs)
    _check_inputs(tupled_inputs)
    func_out = func(*tupled_inputs)
    outputs = _differentiable_outputs(func_out)
    gradcheck_fn = functools.partial(_fast_gradcheck if fast_mode else _slow_gradcheck, masked=masked)
    _gradcheck_real_imag(gradcheck_fn, func, func_out, tupled_inputs, outputs, eps, rtol, atol,
                         check_grad_dtypes, check_forward_ad=check_forward_ad,
                         check_backward_ad=check_backward_ad, nondet_tol=nondet_tol,
                         check_undefined_grad=check_undefined_grad)
    if not check_backward_ad:
        return True
    _test_backward_mul_by_grad_output(outputs, tupled_inputs, masked)
    if check_undefined_grad and check_backward_ad:
        _test_undefined_backward_mode(func, outputs, tupled_inputs)
    return True


def _make_grad_output(x: Tensor, noncontiguous: bool) -> Tensor:
    """torch.testing.make_tensor(x.shape, low=-1, high=1, requires_grad=True) for a float x."""
    dtype = x.dtype if x.is_floating_point() or x.is_complex() else _dt.float64
    shape = tuple(x.shape)
    noncontiguous = noncontiguous and functools.reduce(lambda a, b: a * b, shape, 1) > 1
    if noncontiguous:
        shape = (*shape[:-1], 2 * shape[-1])
    result = empty(shape, dtype=dtype)
    if dtype.is_complex:
        raise NotImplementedError("gradgradcheck: random complex grad_outputs are not implemented in "
                                  "numtorch; pass grad_outputs")
    result.uniform_(-1, 1)
    if noncontiguous:
        result = result[..., 1::2]
    result.requires_grad = True
    return result


def gradgradcheck(func: Callable, inputs, grad_outputs=None, *, eps: float = 1e-6, atol: float = 1e-5,
                  rtol: float = 1e-3, gen_non_contig_grad_outputs: bool = False,
                  raise_exception: bool = True, nondet_tol: float = 0.0, check_undefined_grad: bool = True,
                  check_grad_dtypes: bool = False, check_batched_grad: bool = False,
                  check_fwd_over_rev: bool = False, check_rev_over_rev: bool = True,
                  fast_mode: bool = False, masked: bool = False) -> bool:
    """gradcheck of the function (inputs, grad_outputs) -> autograd.grad(func(inputs), inputs,
    grad_outputs, create_graph=True); grad_outputs default to uniform(-1, 1) from the global RNG."""
    if not (check_fwd_over_rev or check_rev_over_rev):
        raise AssertionError("Expected at least one of check_fwd_over_rev or check_rev_over_rev to be True")
    if check_undefined_grad and not check_rev_over_rev:
        raise AssertionError("Setting check_undefined_grad=True requires check_rev_over_rev to be True")
    if check_batched_grad and not check_rev_over_rev:
        raise AssertionError("Setting check_batched_grad=True requires check_rev_over_rev to be True")
    tupled_inputs = _as_tuple(inputs)
    if grad_outputs is None:
        outputs = _differentiable_outputs(func(*tupled_inputs))
        tupled_grad_outputs = tuple(_make_grad_output(x, gen_non_contig_grad_outputs) for x in outputs)
    else:
        tupled_grad_outputs = _as_tuple(grad_outputs)
    num_outputs = len(tupled_grad_outputs)
    # gradcheck detaches nothing here, but torch records requires_grad before it might
    diff_input_args_indices = {i for i, x in enumerate(tupled_inputs)
                               if isinstance(x, Tensor) and x.requires_grad}
    diff_grad_output_indices = {i for i, x in enumerate(tupled_grad_outputs) if x.requires_grad}

    def new_func(*args):
        input_args = tuple(x.requires_grad_() if i in diff_input_args_indices else x
                           for i, x in enumerate(args[:-num_outputs]))
        outputs = _differentiable_outputs(func(*input_args))
        grad_outputs = tuple(x.requires_grad_() if i in diff_grad_output_indices else x
                             for i, x in enumerate(args[-num_outputs:]))
        diff_input_args = tuple(x for i, x in enumerate(input_args) if i in diff_input_args_indices)
        grad_inputs = _autograd_grad(outputs, diff_input_args, grad_outputs, create_graph=True,
                                     allow_unused=True)
        return tuple(g for g in grad_inputs if g is not None)

    return gradcheck(new_func, tupled_inputs + tupled_grad_outputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception, nondet_tol=nondet_tol,
                     check_undefined_grad=check_undefined_grad, check_grad_dtypes=check_grad_dtypes,
                     check_batched_grad=check_batched_grad, fast_mode=fast_mode,
                     check_forward_ad=check_fwd_over_rev, check_backward_ad=check_rev_over_rev,
                     masked=masked)
