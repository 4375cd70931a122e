"""Regression programs: minimised divergences between torch and numtorch found by the program
fuzzer (program.py) and fixed in numtorch, replayed by test_fuzz_regressions.py. `REGRESSIONS` holds
the reviewed ones (name -> (what was wrong, program)); the campaign saves new finds as JSON, and a
fixed one can be kept by copying its file to regressions_found/ (replayed as well)."""
from __future__ import annotations

import glob
import json
import os

_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "regressions_found")

# step format: see program.py ([kind, i, j, a, b, c, m], or ["new", dtype, rg, variant, seed,
# special, m, shape]); op indices are into program.py's op tables, so keep those append-only
REGRESSIONS: dict[str, tuple[str, list]] = {
    "grad_empty_inputs": (
        "autograd.grad with no inputs: torch's own message",
        [["new", 0, 0, 0, 0, 0, 0, []], ["grad", 0, 0, 0, 0, 0, 0]]),
    "gelu_long": (
        'float-only activation kernels raise NotImplementedError for integer input',
        [["new", 5, 0, 0, 0, 0, 0, []], ["unary", 0, 42, 0, 0, 0, 0]]),
    "outer_not_1d": (
        'outer checks both arguments are 1-D',
        [["new", 0, 0, 0, 0, 0, 0, []], ["matmul", 0, 19, 0, 0, 0, 0]]),
    "nansum_node": (
        'nansum records NansumBackward0',
        [["new", 0, 1, 0, 0, 0, 0, []], ["reduce", 0, 17, 0, 0, 0, 0]]),
    "sort_stable_node": (
        'sort(stable=...) records SortBackward1',
        [["new", 0, 1, 0, 0, 0, 0, []], ["index", 0, 48, 0, 0, 0, 0]]),
    "std_dof_warning": (
        'std/var warn when degrees of freedom <= 0',
        [["new", 0, 0, 0, 0, 0, 0, []], ["reduce", 0, 49, 0, 25, 0, 0]]),
    "nonzero_0d": (
        'nonzero of a 0-d tensor',
        [["new", 0, 0, 0, 0, 0, 0, []], ["index", 0, 60, 0, 0, 0, 0]]),
    "index_select_dim1_bounds": (
        "index_select along dim 1: the dim1 kernel's RuntimeError",
        [["new", 0, 0, 0, 0, 0, 0, [0, 0]], ["index", 0, 29, 1, 0, 4, 0]]),
    "argmax_empty_dim": (
        "max/argmax over an empty dim: IndexError with torch's text",
        [["new", 0, 0, 0, 0, 0, 0, [2, 2, 1]], ["view", 0, 25, 29, 9, 0, 0], ["reduce", 0, 50, 14, 0, 0, 0]]),
    "mv_dims_message": (
        "mv's shape message counts the result as 1-D",
        [["new", 0, 0, 0, 0, 0, 0, [3, 1]], ["matmul", 0, 17, 0, 0, 4, 0]]),
    "relu_bool": (
        'relu of a bool tensor raises',
        [["new", 0, 0, 0, 0, 0, 0, []], ["unary", 0, 31, 0, 0, 0, 0], ["inplace2", 0, 51, 0, 0, 0, 0]]),
    "pow_bool_bool": (
        'bool ** bool raises NotImplementedError',
        [["new", 6, 0, 0, 0, 0, 0, []], ["binary", 0, 47, 12, 15, 0, 0]]),
    "hook_on_no_grad_view": (
        'register_hook on a no_grad view of a leaf that requires grad',
        [["new", 0, 1, 0, 0, 0, 0, []], ["view", 0, 0, 0, 0, 0, 5], ["hook", 0, 0, 0, 0, 0, 0]]),
    "sgn_node": (
        'sgn records SgnBackward0 (also 0-d)',
        [["new", 0, 1, 0, 0, 0, 0, []], ["unary", 0, 51, 0, 0, 0, 0]]),
    "hook_changes_dtype": (
        'a tensor hook returning another dtype raises',
        [["new", 0, 1, 0, 0, 0, 0, []], ["hook", 0, 0, 4, 0, 0, 0], ["backward", 0, 0, 0, 0, 0, 0]]),
    "int_remainder_by_zero": (
        'integer remainder by zero raises ZeroDivisionError',
        [["new", 5, 0, 0, 29, 0, 0, [3, 3]], ["binary", 0, 9, 0, 5, 0, 0]]),
    "linear_0d": (
        "F.linear of a 0-d input: linear's own message",
        [["new", 0, 0, 0, 0, 0, 0, []], ["matmul", 0, 44, 0, 0, 0, 0]]),
    "mse_long": (
        'mse_loss of integer tensors raises NotImplementedError',
        [["new", 5, 0, 0, 0, 0, 0, []], ["binary", 0, 29, 0, 3, 0, 0]]),
    "positive_bool": (
        'unary + of a bool tensor raises',
        [["new", 6, 0, 0, 0, 0, 0, []], ["unary", 0, 52, 0, 0, 0, 0]]),
    "retain_grad_no_grad_view": (
        'retain_grad on a no_grad view that requires grad',
        [["new", 0, 1, 0, 0, 0, 0, []], ["view", 0, 0, 0, 0, 0, 5], ["detach", 0, 0, 25, 0, 0, 0]]),
    "index_empty_dim": (
        "advanced indexing of an empty dim: torch's size-0 text",
        [["new", 0, 0, 0, 0, 0, 0, [-1]], ["index", 0, 0, 0, 0, 0, 0]]),
    "mm_checks_shape_before_dtype": (
        "mm: 'self must be a matrix' before the dtype check",
        [["new", 0, 0, 0, 0, 0, 0, []], ["view", 0, 0, 0, 0, 0, 0], ["index", 0, 0, 0, 0, 0, 0], ["view", 0, 0, 0, 0, 0, 0], ["matmul", 0, 63, 0, 7, 14, 0]]),
    "softmax_empty_int": (
        'softmax of an empty integer tensor does not dispatch',
        [["new", 5, 0, 0, 0, 0, 0, [-1]], ["unary", 0, 40, 0, 0, 0, 0]]),
    "softmax_contiguous_output": (
        'softmax of a non-contiguous input is contiguous (view() works)',
        [["new", 0, 0, 3, 0, 0, 0, [0, 0]], ["unary", 0, 40, 0, 0, 0, 0], ["view", 0, 0, 0, 0, 0, 0]]),
    "xlogy_scalar_other": (
        'x.xlogy(number) records XlogyBackward2',
        [["new", 0, 1, 0, 0, 0, 0, []], ["binary", 0, 32, 19, 0, 0, 0]]),
    "mean_empty_no_numpy_warning": (
        "mean of an empty tensor: NaN without numpy's RuntimeWarning",
        [["new", 0, 0, 1, 29, 0, 0, []], ["index", 0, 28, 0, 0, 0, 0], ["matmul", 0, 0, 0, 0, 0, 0], ["reduce", 1, 58, 21, 16, 17, 0]]),
    "unbind_0d_dim_range": (
        'unbind of a 0-d tensor reports an out-of-range dim first',
        [["new", 0, 0, 0, 0, 0, 0, []], ["shape", 0, 29, 12, 0, 0, 0]]),
    "amax_reports_given_dim": (
        'amax over an empty dim names the dim as given',
        [["new", 0, 0, 0, 0, 0, 0, []], ["index", 0, 2, 0, 0, 0, 0], ["new", 0, 0, 0, 0, 0, 0, []], ["matmul", 2, 0, 0, 0, 0, 0], ["index", 0, 47, 0, 0, 6, 4], ["reduce", 0, 22, 30, 22, 31, 7]]),
    "linear_1d_weight_with_bias": (
        "F.linear with a 1-D weight and a bias: addmm's mat2 message",
        [["new", 0, 0, 0, 0, 0, 0, [1]], ["matmul", 0, 44, 0, 0, 14, 0]]),
    "tanh_double_backward_node": (
        "tanh's derivative is tanh_backward: TanhBackwardBackward0 under create_graph",
        [["new", 0, 1, 0, 0, 0, 0, []], ["unary", 0, 7, 0, 0, 0, 0], ["grad", 0, 0, 0, 2, 0, 0]]),
    "int_pow_tensor_negative_exponent": (
        'integer pow with a (0-d) tensor exponent < 0 computes, as ATen',
        [["new", 5, 0, 0, 0, 0, 0, []], ["binary", 0, 47, 2, 11, 2, 0]]),
    "int_pow_negative_exponents": (
        'integer pow with negative tensor exponents: 0 unless the base is 1 or -1',
        [["new", 5, 0, 0, 2, 0, 0, [2]], ["binary", 0, 11, 0, 3, 0, 0]]),
    "sort_output_contiguous": (
        "sort's values are contiguous (a reshape of them is a view)",
        [["new", 0, 0, 0, 0, 0, 0, [3, 3]], ["index", 0, 35, 0, 0, 0, 0], ["view", 0, 62, 0, 0, 0, 0]]),
    "nonzero_column_major": (
        "nonzero's result is column-major (a reshape of it copies)",
        [["new", 0, 0, 0, 0, 0, 0, [3, 3]], ["index", 0, 34, 0, 0, 0, 0], ["view", 0, 2, 0, 0, 0, 0]]),
    "post_acc_hook_on_no_grad_view": (
        'post-accumulate hook on a no_grad view that requires grad',
        [["new", 0, 1, 3, 0, 0, 7, []], ["hook", 0, 0, 22, 0, 0, 0]]),
    "no_accumulation_after_requires_grad_false": (
        'AccumulateGrad skips a leaf whose requires_grad was switched off after the graph was built',
        [["new", 0, 1, 0, 0, 0, 0, [0]], ["shape", 0, 27, 0, 0, 0, 0], ["detach", 2, 0, 14, 0, 0, 0], ["backward", 0, 0, 0, 0, 0, 0]]),
    "mm_shapes_before_dtype": (
        'mm: the shape message before the dtype check',
        [["new", 0, 0, 0, 0, 0, 0, [3, 2]], ["reduce", 0, 25, 0, 0, 0, 0], ["matmul", 0, 0, 0, 9, 14, 0]]),
    "index_add_bool": (
        'index_add on bool tensors (an internal numpy error before)',
        [["new", 6, 0, 0, 0, 0, 0, []], ["index", 0, 38, 0, 0, 0, 0]]),
    "index_select_empty_dim": (
        'index_select along an empty dim of a 2-D tensor',
        [["new", 0, 0, 0, 0, 0, 0, [1, -1]], ["index", 0, 55, 9, 0, 0, 0]]),
    "index_select_empty_tensor_bounds": (
        "index_select of an empty tensor: the dim1 kernel's message",
        [["new", 0, 0, 0, 0, 0, 0, [2, -1]], ["index", 0, 12, 0, 0, 13, 0]]),
    "linear_3d_weight": (
        "F.linear with a 3-D weight: weight.t()'s message first",
        [["new", 0, 0, 0, 0, 0, 0, [3, 3, 1]], ["matmul", 0, 8, 0, 0, 4, 0]]),
    "dot_dims_before_dtype": (
        'dot checks 1-D before dtypes',
        [["new", 0, 0, 0, 0, 0, 0, [1, 2]], ["binary", 0, 15, 0, 0, 0, 0], ["matmul", 1, 54, 0, 0, 4, 0]]),
    "zero_tensor_gradient": (
        "sgn's zero gradient (torch's ZeroTensor) compares as zeros",
        [["new", 0, 1, 0, 0, 0, 0, []], ["unary", 0, 51, 0, 0, 0, 0], ["backward", 0, 0, 0, 0, 0, 0]]),
    "elu_double_backward_node": (
        "elu's derivative is elu_backward: EluBackwardBackward0 under create_graph",
        [["new", 0, 1, 0, 0, 0, 0, [2]], ["unary", 0, 46, 0, 0, 0, 0], ["grad", 0, 0, 0, 2, 0, 0]]),
    "softplus_double_backward_node": (
        "softplus's derivative is softplus_backward: SoftplusBackwardBackward0 under create_graph",
        [["new", 0, 1, 0, 0, 0, 0, [2]], ["unary", 0, 44, 0, 0, 0, 0], ["grad", 0, 0, 0, 2, 0, 0]]),
    "softmax_double_backward_node": (
        "softmax's derivative is _softmax_backward_data: SoftmaxBackwardDataBackward0",
        [["new", 0, 1, 0, 0, 0, 0, [2]], ["unary", 0, 40, 0, 0, 0, 0], ["grad", 0, 0, 2, 2, 0, 0]]),
    "log_softmax_double_backward_node": (
        "log_softmax's derivative is _log_softmax_backward_data: LogSoftmaxBackwardDataBackward0",
        [["new", 0, 1, 0, 0, 0, 0, [2]], ["unary", 0, 41, 0, 0, 0, 0], ["grad", 0, 0, 2, 2, 0, 0]]),
    "cumprod_zeros_double_backward_node": (
        "cumprod's derivative with zeros in the input copies slices into zeros: CopySlices",
        [["new", 0, 1, 0, 0, 0, 0, [2]], ["unary", 0, 49, 0, 0, 0, 0], ["grad", 0, 0, 2, 2, 0, 0]]),
    "mse_double_backward_node": (
        "mse_loss's derivative is mse_loss_backward: MseLossBackwardBackward0 under create_graph",
        [["new", 0, 1, 0, 0, 0, 0, [2]], ["new", 0, 1, 0, 1, 0, 0, [2]], ["binary", 0, 29, 1, 3, 0, 0], ["grad", 0, 0, 0, 2, 0, 0]]),
    "linear_mixed_dtypes_addmm_order": (
        "F.linear with mixed dtypes: the error of the kernel linear dispatches to (addmm's checks)",
        [["new", 0, 0, 0, 0, 0, 0, [2]], ["new", 1, 0, 0, 0, 0, 0, [2]], ["matmul", 1, 8, 0, 0, 4, 0]]),
    "linear_squeezable_bias_takes_addmm": (
        "F.linear of contiguous 3-D input with a (1, n) bias: addmm path (its expand error), as ATen",
        [["new", 0, 0, 0, 0, 0, 0, [1, 1, 2]], ["view", 0, 16, 0, 0, 0, 0], ["matmul", 1, 44, 0, 0, 4, 0]]),
    "int_output_no_history": (
        "a recorded op with an integer output raises 'Autograd not support dtype' (set_history)",
        [["new", 5, 0, 0, 0, 0, 0, [1]], ["setitem", 0, 26, 0, 13, 0, 0], ["view", 0, 0, 0, 0, 0, 0]]),
    "int_in_graph_backward": (
        "backward into an integer tensor in the graph: validate_outputs' isDifferentiableType assert",
        [["new", 5, 0, 0, 0, 0, 0, []], ["inplace", 0, 22, 1, 0, 0, 0], ["backward", 0, 0, 2, 0, 0, 0]]),
    "int_implicit_grad": (
        "backward() of an integer scalar in the graph: the implicit gradient needs a float output",
        [["new", 5, 0, 0, 0, 0, 0, []], ["inplace", 0, 22, 1, 0, 0, 0], ["backward", 0, 0, 0, 0, 0, 0]]),
    "int_clamp_clones_self_first": (
        "clamp_ of an integer tensor that requires grad: the clone of self fails before the cast check",
        [["new", 5, 0, 0, 0, 0, 0, []], ["inplace", 0, 39, 28, 0, 0, 0], ["inplace", 0, 7, 0, 0, 0, 0]]),
    "single_input_saves_unguarded": (
        "a one-input op saves self even when its edge is empty (a no_grad view of a leaf): E5 later",
        [["new", 0, 1, 3, 0, 0, 5, []], ["unary", 0, 61, 0, 0, 0, 0], ["unary", 0, 0, 0, 0, 0, 0], ["backward", 0, 0, 0, 0, 0, 0], ["new", 0, 0, 7, 52, 30, 0, [2]], ["unary", 2, 10, 7, 21, 5, 4], ["reduce", 0, 62, 16, 6, 24, 2], ["view", 2, 29, 1, 1, 11, 3], ["backward", 2, 5, 30, 7, 28, 4]]),
    "grad_read_stale_no_grad_view": (
        ".grad of a stale no_grad view reads the stored grad_fn (is_leaf), not the regenerated one",
        [["new", 0, 1, 3, 0, 0, 5, []], ["setitem", 0, 0, 0, 0, 0, 5], ["zero_grad", 0, 0, 19, 0, 0, 0]]),
    "grad_read_stale_multi_output_view": (
        ".grad of a stale unbind output: the non-leaf warning, not the multi-output view error",
        [["new", 0, 1, 0, 0, 0, 0, [1]], ["view", 0, 50, 0, 0, 0, 0], ["inplace2", 0, 27, 0, 0, 0, 5], ["zero_grad", 1, 0, 17, 0, 0, 0]]),
    "hook_stale_no_grad_view": (
        "register_hook reads grad_fn (first hook): a stale no_grad view raises there",
        [["new", 0, 0, 0, 0, 0, 0, []], ["view", 0, 0, 0, 0, 0, 7], ["inplace", 1, 0, 31, 0, 0, 3], ["hook", 0, 7, 11, 7, 17, 7]]),
    "index_fill_expanded": (
        "index_fill_ on an expanded tensor warns (deprecated) and writes through the aliases",
        [["new", 0, 0, 0, 0, 0, 0, []], ["view", 0, 14, 0, 5, 0, 0], ["inplace2", 0, 44, 0, 0, 0, 0]]),
    "copy_self_expanded_int": (
        "copy_ of an expanded integer tensor onto itself returns at once (no overlap check, no history)",
        [["new", 5, 0, 0, 0, 0, 0, []], ["shape", 0, 26, 0, 0, 0, 0], ["shape", 0, 0, 0, 0, 0, 0], ["binary", 0, 0, 0, 0, 0, 0], ["inplace", 2, 55, 13, 21, 0, 0]]),
    "data_replaced_view_inplace_grad": (
        "an in-place write through a view whose .data was replaced: CopySlices maps the view's geometry onto its base",
        [["new", 0, 1, 3, 0, 0, 0, []], ["detach", 0, 0, 13, 0, 0, 0], ["inplace", 0, 0, 0, 0, 0, 5], ["grad", 0, 0, 0, 0, 0, 0]]),
    "index_oob_empty_result": (
        "an out-of-range advanced index whose result is empty is not bounds-checked (ATen checks per element)",
        [["new", 0, 0, 0, 0, 0, 0, [0, -1]], ["index", 0, 0, 0, 0, 10, 0]]),
    "index_oob_negative_empty_result": (
        "a negative out-of-range index into a tensor with a 0-size trailing dim: an empty result, no error",
        [["new", 0, 0, 0, 0, 0, 0, [1, 3, -1]], ["index", 0, 0, 4, 0, 16, 0]]),
    "index_two_oob_empty_result": (
        "two advanced indices, out of range, on a tensor whose result is empty: no bounds check",
        [["new", 0, 0, 0, 0, 0, 0, [3, 1, -1]], ["index", 0, 33, 0, 0, 4, 0]]),
    "index_size0_dim_nonempty_index": (
        "a non-empty index into a size-0 dim: AdvancedIndex's 'index is out of bounds for dimension with size 0'",
        [["new", 0, 0, 0, 0, 0, 0, [0, -1]], ["index", 0, 20, 0, 0, 10, 0]]),
    "cat_legacy_empty_dim_unchecked": (
        "cat of only legacy 1-D empty tensors does not wrap or check dim (legacy_cat_wrap_dim)",
        [["new", 0, 0, 0, 30, 0, 0, []], ["index", 0, 54, 0, 0, 0, 0], ["shape", 0, 0, 12, 0, 0, 0]]),
    "cat_result_contiguous": (
        "cat of transposed inputs is contiguous (numpy's concatenate kept their layout): reshape is then a view",
        [["new", 0, 0, 3, 0, 0, 0, [0, 3]], ["view", 0, 2, 0, 0, 0, 0], ["shape", 1, 0, 0, 0, 0, 0], ["inplace", 0, 6, 28, 12, 10, 4], ["reduce", 1, 3, 27, 15, 23, 4], ["unary", 2, 35, 28, 27, 28, 1], ["view", 2, 32, 10, 18, 9, 3]]),
    "cat_stale_multi_output_view_first": (
        "cat collects its inputs' grad_fns (a stale multi-output view raises) before its own shape checks",
        [["new", 0, 1, 3, 0, 0, 0, [1]], ["view", 0, 50, 0, 0, 0, 0], ["shape", 0, 33, 0, 0, 0, 5], ["detach", 2, 27, 0, 26, 25, 5], ["shape", 2, 46, 6, 12, 30, 2], ["inplace2", 2, 47, 10, 1, 3, 7], ["shape", 3, 3, 12, 25, 21, 5], ["shape", 3, 0, 14, 29, 1, 0]]),
    "cumsum_result_contiguous": (
        "cumsum of a transposed input is contiguous: reshape of its .mT copies (UnsafeViewBackward0)",
        [["new", 0, 1, 3, 0, 0, 0, [3, 3]], ["unary", 0, 48, 0, 0, 0, 0], ["shape", 0, 33, 0, 0, 0, 0]]),
    "isfinite_stale_no_grad_view": (
        "isfinite of a float no_grad view modified in place raises (ATen's isfinite calls abs)",
        [["new", 0, 1, 0, 0, 0, 0, [2, 2]], ["shape", 0, 44, 0, 0, 0, 5], ["setitem", 0, 0, 0, 0, 0, 5], ["unary", 0, 39, 0, 0, 0, 0]]),
    "as_strided_grad_no_grad_view_inplace": (
        "AsStridedBackward0's gradient is a view made in no_grad mode: add_ after requires_grad_() raises the view error",
        [["new", 0, 1, 3, 0, 0, 0, []], ["setitem", 0, 0, 0, 0, 0, 7], ["grad", 0, 0, 0, 0, 0, 0], ["detach", 0, 0, 14, 17, 0, 0], ["inplace", 0, 0, 0, 0, 0, 4]]),
    "gelu_float32_one_element_std_erf": (
        "float32 gelu of a one-element tensor runs ATen's scalar loop with std::erf, not the vectorized "
        "approximation (value off by an ulp, visible once added to a float64)",
        [["new", 0, 0, 0, 0, 0, 0, []], ["unary", 0, 42, 0, 0, 0, 0], ["binary", 0, 0, 21, 8, 0, 0]]),
    "gelu_float32_one_element_to_double": (
        "float32 gelu of a 0-d tensor (std::erf), then .to(float64)",
        [["new", 0, 0, 0, 0, 0, 0, []], ["unary", 0, 42, 0, 0, 0, 0], ["unary", 0, 32, 25, 0, 0, 0]]),
    "add_alpha_int_broadcast_first": (
        "add with a float alpha on integers: the broadcast error comes before alpha_check",
        [["new", 5, 0, 3, 0, 0, 0, [0, 2]], ["binary", 0, 37, 1, 31, 0, 0]]),
    "linear_int_bias_requiring_grad_squeezed": (
        "F.linear squeezes a non-1-D bias first: autograd's dtype error on an integer bias that "
        "requires grad comes before weight.t()'s dimension error",
        [["new", 5, 0, 0, 0, 0, 0, [3, 0, 2]], ["setitem", 0, 26, 0, 8, 0, 0], ["matmul", 0, 44, 0, 0, 14, 0]]),
    "div_floor_bool_broadcast_first": (
        "div(rounding_mode='floor') on bool: the broadcast error comes before the kernel's dtype error",
        [["new", 6, 0, 3, 0, 0, 0, [0, 2]], ["binary", 1, 6, 0, 10, 0, 0]]),
    "as_strided_backward_double_name": (
        "AsStridedBackward0's gradient under create_graph is an as_strided view of a fresh storage (AsStridedBackward0)",
        [["new", 0, 1, 0, 0, 0, 0, []], ["view", 0, 0, 0, 0, 0, 0], ["inplace", 0, 0, 0, 0, 0, 5], ["binary", 0, 31, 0, 0, 0, 0], ["grad", 0, 0, 0, 26, 0, 0]]),
    "hook_called_with_undefined_grad": (
        "a tensor hook on a multi-output node's output that gets no gradient is called with None",
        [["new", 0, 1, 0, 0, 0, 0, [2]], ["shape", 0, 7, 0, 0, 0, 0], ["hook", 0, 0, 0, 0, 0, 0], ["unary", 1, 0, 0, 0, 0, 0], ["grad", 0, 0, 0, 0, 0, 0]]),
    "accumulate_grad_meta_fixed_at_creation_grad": (
        "AccumulateGrad's input shape is fixed when made: autograd.grad after .data = of another shape",
        [["new", 0, 1, 0, 0, 0, 0, []], ["shape", 0, 1, 0, 0, 0, 0], ["grad", 0, 0, 0, 0, 0, 0], ["detach", 2, 0, 13, 19, 0, 0], ["grad", 1, 0, 0, 0, 0, 0]]),
    "ones_like_preserves_transposed_layout": (
        "ones_like (grad_outputs) keeps a transposed layout: the gradient through TBackward0 is contiguous",
        [["new", 0, 1, 3, 0, 0, 0, [3, 2]], ["grad", 0, 0, 0, 0, 0, 0], ["index", 0, 0, 0, 0, 0, 0], ["unary", 2, 53, 0, 0, 0, 0]]),
    "repeat_backward_returns_grad_when_all_ones": (
        "repeat_backward with all repeats 1 returns the incoming gradient itself (shared by two outputs)",
        [["new", 0, 1, 0, 0, 0, 0, [3]], ["shape", 0, 55, 0, 0, 0, 0], ["grad", 0, 0, 31, 0, 11, 0], ["inplace2", 0, 0, 0, 0, 0, 0]]),
    "copy_backwards_cpp_name_in_version_error": (
        "CopyBackwards.name() is torch::autograd::CopyBackwards (version-error text)",
        [["new", 0, 1, 0, 0, 0, 0, []], ["binary", 0, 47, 0, 1, 3, 0], ["setitem", 1, 0, 0, 25, 0, 0], ["new", 0, 0, 0, 0, 0, 1, [1, 2]], ["grad", 1, 41, 12, 7, 25, 4]]),
    "as_strided_grad_is_view_add_": (
        "AsStridedBackward0's gradient is a view: add_ into it rebases it (AsStridedBackward0)",
        [["new", 0, 1, 3, 0, 0, 0, []], ["setitem", 0, 0, 0, 0, 0, 5], ["grad", 0, 0, 0, 2, 0, 0], ["index", 0, 28, 0, 0, 0, 0], ["view", 1, 43, 17, 16, 9, 0], ["inplace2", 3, 50, 13, 22, 26, 6]]),
    "root_grad_not_expandable_to_fewer_dims": (
        "root gradient [1] for an AccumulateGrad made at [1, 1]: is_expandable_to never drops dims",
        [["new", 0, 0, 0, 0, 0, 0, [1]], ["matmul", 0, 0, 0, 0, 0, 0], ["hook", 1, 0, 0, 0, 0, 0], ["detach", 1, 0, 22, 8, 0, 0], ["backward", 1, 0, 0, 0, 0, 0]]),
    "accumulate_grad_meta_fixed_at_creation_backward": (
        "AccumulateGrad's input shape is fixed when made: backward after .data = of another shape",
        [["new", 0, 1, 0, 0, 0, 0, []], ["shape", 0, 1, 0, 0, 0, 0], ["detach", 1, 0, 31, 10, 0, 0], ["backward", 0, 0, 15, 11, 30, 1]]),
    "repeat_backward_0d_not_a_view": (
        "repeat_backward of a 0-d input sums (no reshape view): setitem gives CopyBackwards",
        [["new", 0, 1, 0, 0, 0, 0, []], ["shape", 0, 55, 0, 0, 0, 0], ["grad", 0, 0, 0, 26, 0, 0], ["setitem", 0, 0, 0, 1, 0, 0]]),
    "accumulate_grad_create_graph_copies_into_new_data_shape": (
        "under create_graph AccumulateGrad copies the gradient into the .data-replaced shape (copy_ error)",
        [["new", 0, 1, 0, 0, 0, 0, [0]], ["binary", 0, 0, 5, 1, 0, 0], ["detach", 2, 0, 4, 1, 0, 0], ["unary", 0, 0, 0, 0, 0, 0], ["unary", 0, 0, 0, 15, 11, 5], ["backward", 2, 37, 24, 30, 28, 1]]),
    "sum_to_0d_grad_is_not_a_view_detach_": (
        "sum_to a 0-d shape is a full sum, not a view: detach_ on the computed gradient is allowed",
        [["new", 0, 1, 0, 0, 0, 0, []], ["shape", 0, 6, 0, 0, 0, 0], ["new", 0, 0, 0, 0, 0, 0, []], ["grad", 1, 0, 0, 0, 0, 0], ["detach", 0, 0, 28, 0, 0, 6]]),
    "clamp_scalar_bool_not_implemented": (
        "clamp with Scalar bounds on a bool tensor: \"clamp_min_scalar_cpu\" not implemented for 'Bool'",
        [["new", 0, 0, 0, 0, 0, 0, []], ["binary", 0, 51, 0, 0, 0, 0], ["binary", 0, 28, 19, 0, 0, 0]]),
    "tril_result_contiguous_for_permuted_input": (
        "tril/triu allocate a contiguous result: matmul folds (mm) on it like torch (addmm bool error)",
        [["new", 0, 0, 3, 0, 0, 0, [0, 1, 3]], ["unary", 0, 55, 0, 0, 0, 0], ["binary", 0, 15, 0, 0, 0, 4], ["index", 0, 9, 21, 24, 4, 5], ["matmul", 3, 61, 19, 7, 8, 7]]),
    "ones_like_keeps_size1_dim_strides": (
        "ones_like of a dense view keeps the strides of size-1 dims: matmul does not fold (bmm dtype error)",
        [["new", 0, 0, 0, 0, 0, 0, [1, 2, 1]], ["view", 0, 8, 0, 0, 0, 0], ["index", 0, 0, 0, 0, 0, 0], ["matmul", 1, 6, 22, 1, 14, 1], ["detach", 3, 53, 24, 16, 16, 7], ["grad", 3, 49, 19, 24, 2, 7], ["matmul", 3, 62, 6, 0, 29, 6]]),
    "bmm_bool_self_mixed_dtype_not_implemented": (
        "bmm(bool, float): the dtype dispatch on self raises before any promotion",
        [["new", 0, 0, 0, 0, 0, 0, [1, 1, 1]], ["binary", 0, 15, 0, 0, 0, 0], ["matmul", 0, 0, 0, 1, 4, 0]]),
    "mm_stale_multi_output_view_before_shape_check": (
        "mm on a modified Split output: the view error comes before 'self must be a matrix'",
        [["new", 0, 1, 0, 0, 0, 0, [2, 0, 3]], ["shape", 0, 7, 0, 0, 0, 0], ["setitem", 0, 0, 0, 0, 0, 7], ["matmul", 0, 27, 0, 0, 0, 0]]),
    "sum_to_size_0d_is_full_sum": (
        "at::sum_to to shape () is a full sum: expand's gradient of a 0-d input records SumBackward0",
        [["new", 0, 1, 0, 0, 0, 0, []], ["view", 0, 44, 0, 0, 0, 0], ["reduce", 0, 2, 0, 0, 0, 0], ["grad", 0, 0, 0, 10, 0, 3]]),
    "sum_to_size_0d_is_full_sum_inplace": (
        "expand/repeat-style sum_to of a 0-d input records SumBackward0, so add_ on it gives AddBackward0",
        [["new", 0, 1, 0, 0, 0, 0, []], ["shape", 0, 46, 0, 0, 0, 0], ["grad", 0, 0, 0, 18, 0, 0], ["inplace", 0, 0, 11, 0, 0, 0]]),
    "std_float32_accumulates_in_double": (
        "float32 std/var accumulate in double and take the sqrt before the cast (last-bit value)",
        [["new", 0, 0, 0, 0, 0, 0, [2]], ["reduce", 0, 30, 0, 0, 0, 0], ["view", 1, 0, 0, 0, 0, 0], ["shape", 0, 7, 0, 9, 0, 0], ["binary", 3, 0, 21, 8, 28, 3]]),
    "accumulate_grad_dtype_fixed_at_creation": (
        "AccumulateGrad's input dtype is fixed when made: backward after .data = of another dtype",
        [["new", 0, 0, 0, 0, 0, 0, []], ["inplace2", 0, 7, 21, 0, 0, 0], ["unary", 0, 0, 0, 0, 0, 0], ["detach", 1, 0, 22, 20, 0, 0], ["backward", 0, 0, 0, 11, 25, 7]]),
    "xlogy_backward_masked_fill": (
        "xlogy's self gradient is xlogy(grad, other).masked_fill(...) (MaskedFillBackward0)",
        [["new", 0, 1, 0, 0, 0, 0, []], ["hook", 0, 0, 0, 0, 0, 0], ["binary", 0, 32, 0, 29, 0, 0], ["backward", 0, 0, 17, 7, 10, 0]]),
    "add_pool_partial_overlap_operand_cloned": (
        "t.add_(a partially overlapping view of t) is torch-loop-order dependent: the fuzzer clones it",
        [["new", 0, 0, 0, 0, 0, 0, [0, 2]], ["view", 0, 25, 16, 27, 3, 0], ["view", 0, 0, 1, 0, 0, 0], ["inplace2", 2, 0, 0, 0, 0, 5]]),
    "exp2_backward_mul_scalar": (
        "exp2's derivative is grad * result * M_LN2: the C++ double factor records MulBackward1",
        [["new", 0, 1, 0, 0, 0, 0, []], ["unary", 0, 25, 0, 0, 0, 0], ["grad", 0, 0, 0, 2, 0, 0]]),
    "silu_float32_glibc_expf": (
        "float32 silu below 16 elements calls glibc's expf, not always correctly rounded (last bit)",
        [["new", 0, 0, 0, 0, 0, 0, []], ["unary", 0, 43, 0, 0, 0, 0], ["binary", 0, 0, 6, 15, 0, 0]]),
    "silu_float32_glibc_expf_then_double": (
        "float32 silu's last bit, seen through .double()",
        [["new", 0, 0, 0, 0, 0, 0, []], ["unary", 0, 43, 0, 0, 0, 0], ["new", 0, 0, 0, 0, 0, 0, []], ["unary", 1, 29, 0, 0, 0, 0]]),
    "cumprod_backward_zeros_nan_linear_path": (
        "cumprod backward with zeros and no grad mode takes ATen's O(n) path: a NaN before the zero spreads",
        [["new", 0, 1, 0, 0, 7, 0, [2]], ["unary", 0, 49, 0, 0, 0, 0], ["backward", 0, 0, 15, 0, 0, 0]]),
    "linear_bool_empty_inner_addmm_mul_beta": (
        "addmm with an empty inner dim runs result.mul_(beta): F.linear's int beta on bool can't cast",
        [["new", 6, 0, 0, 0, 0, 0, [-1]], ["matmul", 0, 32, 0, 0, 0, 0]]),
    "mm_dtype_check_after_stale_view_error": (
        "mm's dtype check comes after the autograd edge collection (a stale view's error first)",
        [["new", 0, 1, 3, 0, 0, 5, [2, 2]], ["reduce", 0, 7, 0, 0, 0, 0], ["view", 2, 0, 19, 0, 0, 0], ["view", 0, 13, 26, 27, 27, 5], ["inplace", 0, 11, 4, 2, 22, 7], ["matmul", 2, 24, 17, 1, 24, 0]]),
    "index_add_scatter_path_bounds_in_backward": (
        "index_add_ (dim 0/last, int64 index, alpha 1) runs scatter_add_: its bounds error (in backward)",
        [["new", 0, 1, 0, 0, 0, 0, [3, 2]], ["index", 0, 3, 2, 28, 0, 0], ["view", 0, 0, 0, 0, 0, 0], ["inplace2", 2, 62, 0, 0, 0, 0], ["backward", 1, 56, 5, 28, 2, 4]]),
    "copy_slices_view_data_larger_than_base_storage": (
        "CopySlices applies the view's geometry (after a larger .data =) to the base's storage: setStorage",
        [["new", 0, 0, 0, 0, 0, 0, [3]], ["matmul", 0, 11, 0, 0, 0, 0], ["detach", 0, 0, 31, 1, 0, 0], ["grad", 1, 0, 0, 0, 2, 6], ["view", 1, 2, 14, 23, 19, 6], ["inplace", 0, 21, 29, 23, 4, 2], ["reduce", 2, 15, 17, 29, 18, 7], ["backward", 3, 56, 12, 18, 16, 3]]),
    "prod_dim_size1_zero_backward_is_grad": (
        "prod backward with a zero along a size-1 dim returns grad itself (no graph, create_graph)",
        [["new", 0, 1, 0, 0, 0, 0, [1, 2]], ["reduce", 0, 40, 0, 0, 0, 0], ["grad", 0, 0, 0, 10, 0, 0]]),
    "floor_divide_no_grad_view_edge_raises": (
        "floor_divide's NotImplemented node keeps an input's edge without node (a no_grad view) and raises",
        [["new", 0, 1, 0, 0, 0, 0, []], ["shape", 0, 3, 0, 0, 0, 5], ["binary", 0, 8, 9, 15, 10, 4], ["new", 3, 0, 0, 93, 26, 3, [0, 3, 1]], ["reduce", 1, 1, 13, 29, 22, 0], ["new", 3, 1, 4, 95, 9, 1, [2]], ["backward", 1, 63, 20, 19, 1, 2]]),
    "masked_fill_result_contiguous": (
        "masked_fill clones contiguous: reshape of its transpose copies (no view)",
        [["new", 0, 1, 3, 0, 0, 0, [3, 2]], ["index", 0, 10, 0, 0, 0, 0], ["shape", 0, 23, 0, 0, 0, 7]]),
    "cumsum_size1_backward_is_grad": (
        "cumsum backward along a size-1 dim returns grad itself: autograd.grad's results alias",
        [["new", 0, 1, 0, 0, 0, 0, [1]], ["unary", 0, 48, 0, 0, 0, 0], ["grad", 0, 0, 1, 0, 3, 0], ["setitem", 0, 0, 0, 0, 0, 0]]),
    "prod_dim_size1_zero_backward_create_graph": (
        "backward(create_graph=True) through prod with a zero along a size-1 dim: .grad has no graph",
        [["new", 0, 1, 1, 97, 0, 0, [1]], ["reduce", 0, 40, 0, 0, 0, 0], ["new", 0, 0, 0, 0, 0, 0, []], ["backward", 1, 0, 0, 18, 0, 0]]),
    "softmax_float32_exp_rounding": (
        "float32 softmax: exp rounded as ATen's, row scaled by 1 / sum (seen through .double())",
        [["new", 0, 0, 0, 0, 0, 0, [2]], ["unary", 0, 40, 0, 0, 0, 0], ["unary", 0, 29, 0, 0, 0, 0]]),
    "grad_layout_contract_warning_after_data_swap": (
        "accumulating into a .grad whose shape no longer matches the param (.data =): warn-once layout contract",
        [["new", 4, 2, 5, 46, 24, 2, [0, 3, 0]], ["new", 3, 1, 4, 87, 13, 6, [1]], ["inplace", 1, 41, 9, 21, 22, 7], ["backward", 1, 25, 2, 1, 22, 1], ["detach", 1, 56, 4, 28, 2, 5], ["backward", 1, 8, 24, 2, 5, 3], ["inplace", 3, 60, 29, 7, 7, 4]]),
    "index_stale_split_view_before_bounds": (
        "advanced indexing: the stale multi-output view error comes before the index bounds check",
        [["new", 0, 1, 0, 0, 0, 0, [1, 0]], ["view", 0, 21, 0, 0, 0, 0], ["inplace", 0, 0, 0, 0, 0, 5], ["unary", 1, 0, 0, 0, 0, 0], ["index", 1, 0, 17, 0, 2, 1]]),
    "relu_bool_before_overlap": (
        "relu_ refuses bool before the in-place overlap check",
        [["new", 6, 0, 0, 0, 0, 0, []], ["shape", 0, 26, 0, 0, 0, 0], ["binary", 0, 0, 0, 0, 0, 0], ["inplace2", 1, 61, 0, 0, 0, 0]]),
    "pow_scalar_bool_requires_grad_clone": (
        "pow_ on a bool tensor requiring grad: the clone for PowBackward0 raises before the cast check",
        [["new", 6, 0, 0, 0, 0, 0, [0]], ["setitem", 0, 54, 0, 1, 0, 0], ["inplace", 0, 11, 0, 0, 0, 0]]),
    "index_output_layout_follows_input": (
        "index output follows the input's stride order (TensorIterator), as matmul's folding sees",
        [["new", 0, 0, 3, 0, 0, 0, [0, 2, 3]], ["index", 0, 0, 0, 0, 0, 0], ["binary", 0, 0, 0, 0, 0, 0], ["binary", 0, 0, 0, 0, 0, 0], ["index", 0, 5, 8, 13, 10, 1], ["reduce", 3, 46, 30, 18, 28, 1], ["unary", 0, 7, 8, 11, 8, 3], ["matmul", 0, 50, 4, 29, 29, 3]]),
    "copy_same_data_expanded": (
        "copy_ from a view of exactly self's elements returns at once (no internal-overlap check)",
        [["new", 0, 0, 0, 0, 0, 0, []], ["shape", 0, 6, 0, 0, 0, 0], ["inplace", 0, 4, 24, 5, 0, 0]]),
    "erf_output_layout_follows_input": (
        "erf of a transposed tensor is laid out like its input, so contiguous() makes a new tensor",
        [["new", 0, 0, 0, 0, 0, 0, [2, 2]], ["view", 0, 7, 0, 0, 0, 0], ["unary", 0, 50, 0, 0, 0, 0], ["unary", 0, 53, 0, 0, 0, 0]]),
    "grad_capture_before_hooks_when_node_runs": (
        "autograd.grad of a hooked non-leaf whose node also runs (a leaf input below): the captured "
        "gradient is taken before the tensor hook",
        [["new", 0, 1, 0, 0, 0, 0, []], ["reduce", 0, 0, 0, 0, 0, 0], ["hook", 0, 0, 9, 0, 0, 0], ["grad", 0, 0, 1, 0, 19, 0]]),
    "max_all_backward_after_data_replaced": (
        "max() backward when .data no longer holds the result: zeros masked_fill'd, not 0 * inf = NaN",
        [["new", 0, 1, 0, 0, 0, 0, []], ["reduce", 0, 7, 0, 8, 0, 0], ["unary", 0, 0, 0, 0, 0, 0], ["unary", 0, 0, 0, 0, 0, 0], ["detach", 3, 0, 13, 0, 28, 3], ["backward", 2, 49, 19, 23, 5, 1]]),
    "lerp_long_broadcast_before_kernel": (
        "lerp on int64: the broadcast-shape error comes before the kernel's NotImplementedError",
        [["new", 0, 0, 0, 0, 0, 0, []], ["index", 0, 60, 0, 1, 0, 0], ["binary", 1, 30, 0, 31, 0, 0]]),
    "reduction_output_contiguous": (
        "reductions allocate a contiguous output (amax of a permuted input): F.linear takes its fused view path",
        [["new", 0, 0, 0, 0, 0, 0, [2, 1, 0]], ["view", 0, 10, 14, 0, 0, 0], ["view", 0, 36, 0, 0, 0, 0], ["reduce", 0, 60, 0, 20, 9, 3], ["matmul", 0, 44, 23, 26, 27, 3]]),
    "scatter_add_output_contiguous": (
        "scatter_add of a transposed zeros_like allocates a C-order result (NOTE [Output layout]), "
        "so .mT.reshape(-1) copies instead of being a view",
        [["new", 0, 0, 3, 0, 0, 0, [2, 2]], ["view", 0, 2, 0, 0, 0, 0], ["index", 1, 11, 0, 0, 0, 0], ["shape", 0, 63, 0, 21, 5, 6]]),
    "mm_inner_dim_one_keeps_negative_zero": (
        "mm of (m, 1) @ (1, n) with m, n > 1: torch's gemm writes the products (0 * -2 = -0.0), "
        "numpy's matmul summed from +0.0 (NOTE [Signed zeros of BLAS products])",
        [["new", 0, 0, 0, 0, 0, 0, [3, 1]], ["matmul", 0, 0, 1, 4, 0, 0], ["binary", 0, 35, 0, 0, 0, 0]]),
    "dot_stale_view_error_before_dim_check": (
        "dot of a stale no_grad view: the view error (autograd kernel) before dot's '1D tensors expected'",
        [["new", 0, 1, 3, 0, 0, 5, []], ["inplace", 0, 0, 0, 0, 0, 7], ["matmul", 0, 6, 0, 0, 0, 0]]),
    "index_result_size_one_dim_strides": (
        "x[:, idx] with one index: numpy left the size-1 dim a stride of 2, so matmul did not fold "
        "the bool 3-D @ 2-D product into mm ('bmm' instead of 'addmm_impl_cpu_' not implemented)",
        [["new", 6, 0, 0, 0, 0, 0, [0, 0]], ["index", 0, 58, 0, 0, 0, 0], ["view", 0, 19, 0, 0, 0, 0], ["matmul", 0, 0, 0, 0, 0, 1]]),
    "index_backward_is_index_put_impl": (
        "the gradient of x[int_tensor] under create_graph: torch's index_backward is an in-place "
        "_index_put_impl_ on zeros (IndexPutImplBackward0), numtorch recorded IndexPutBackward0",
        [["new", 0, 1, 0, 0, 0, 0, [3]], ["index", 0, 0, 0, 0, 0, 0], ["grad", 0, 0, 0, 2, 0, 0]]),
    "max_dim_0d_backward_scatters_saved_indices": (
        "max(0) of a 0-d tensor, its indices' .data replaced by a float tensor: torch's formula "
        "scatters with the saved indices even for 0-d (scatter's index dtype error), numtorch passed grad through",
        [["new", 0, 1, 0, 0, 0, 0, []], ["reduce", 0, 7, 0, 0, 0, 0], ["detach", 0, 0, 22, 7, 0, 0],
         ["backward", 1, 0, 0, 0, 0, 0]]),
    "tanh_float64_rounding": (
        "float64 tanh: numpy's is 1 ulp off where torch's is (nearly) correctly rounded, tanh(19) "
        "gave 1.0 (== True); its tanh_backward rounded 1 - y*y twice where torch's FMA rounds once",
        [["new", 3, 1, 5, 0, 0, 0, [3, 0, 2]], ["unary", 0, 7, 0, 0, 0, 0], ["binary", 0, 15, 3, 0, 0, 0]]),
    "tanh_grad_count_nonzero": (
        "count_nonzero of tanh's float64 gradient: 1 - tanh(19)**2 is 2.2e-16 in torch, 0 in numtorch",
        [["new", 3, 1, 5, 0, 0, 0, [3, 0, 2]], ["unary", 0, 0, 0, 0, 0, 0], ["unary", 0, 7, 0, 0, 0, 0],
         ["grad", 0, 0, 1, 0, 30, 6], ["reduce", 1, 63, 14, 15, 16, 2]]),
    "bool_with_history_clamp_scalar_promotes_in_kernel": (
        "a bool tensor with history clamped by an int: ATen promotes inside the kernel, so the Long "
        "result fails set_history; numtorch's unrecorded .to(long) dropped the history",
        [["new", 6, 0, 0, 0, 0, 0, []], ["inplace", 0, 22, 21, 0, 0, 0], ["binary", 0, 28, 0, 0, 0, 0]]),
    "bool_with_history_floordiv_fallback": (
        "floor_divide has no formula: torch's autograd fallback gives an integer result no history "
        "(no error); numtorch raised 'Autograd not support dtype: Long'",
        [["new", 6, 0, 0, 0, 0, 0, []], ["inplace", 0, 22, 21, 0, 0, 0], ["binary", 0, 8, 0, 0, 0, 0]]),
    "mse_loss_mean_of_empty_backward": (
        "mse_loss(x, x) of an empty x, then backward: mse_loss_backward's 2 / numel raised "
        "ZeroDivisionError in Python, where C++ divides to inf (and the gradient is empty)",
        [["new", 0, 1, 0, 0, 0, 0, [-1]], ["binary", 0, 29, 0, 5, 0, 0], ["backward", 0, 0, 0, 0, 0, 0]]),
    "zero_tensor_gradient_storage_has_no_data_pointer": (
        "sgn's gradient is torch's ZeroTensor: its untyped_storage().data_ptr() raises (the "
        "interpreter's alias check reads it); numtorch's was an ordinary tensor",
        [["new", 0, 1, 0, 0, 0, 0, []], ["unary", 0, 51, 0, 0, 0, 0], ["grad", 0, 0, 0, 0, 0, 0],
         ["inplace2", 0, 0, 0, 0, 0, 0]]),
    "zero_tensor_gradient_is_immutable": (
        "add_ on sgn's ZeroTensor gradient raises 'ZeroTensors are immutable'; numtorch wrote it",
        [["new", 0, 1, 0, 0, 0, 0, [0, 2]], ["unary", 0, 51, 0, 0, 0, 0], ["grad", 0, 0, 0, 0, 0, 0],
         ["inplace", 0, 0, 0, 0, 0, 0]]),
    "zero_tensor_gradient_copy_": (
        "copy_ into a ZeroTensor has its own text ('Please materialize the tensor using `.clone()`')",
        [["new", 0, 1, 0, 0, 0, 0, [0, 2]], ["unary", 0, 51, 0, 0, 0, 0], ["grad", 0, 0, 0, 0, 0, 0],
         ["inplace", 0, 4, 0, 0, 0, 0]]),
    "zero_tensor_times_number_is_a_zero_tensor": (
        "mul has a ZeroTensor kernel: ZeroTensor * 2 is one, so add_ on it raises",
        [["new", 0, 1, 0, 0, 0, 0, [0, 2]], ["unary", 0, 51, 0, 0, 0, 0], ["grad", 0, 0, 0, 0, 0, 0],
         ["binary", 0, 4, 0, 0, 0, 0], ["inplace", 0, 0, 0, 0, 0, 0]]),
    "zero_tensor_grad_accumulates_in_place": (
        "AccumulateGrad stores sgn's ZeroTensor gradient as .grad (exp's mul formula keeps it one); "
        "the next backward's in-place += into it raises",
        [["new", 0, 1, 0, 0, 0, 0, [0, 2]], ["unary", 0, 2, 0, 0, 0, 0], ["unary", 0, 51, 0, 0, 0, 0],
         ["backward", 0, 0, 1, 1, 0, 0], ["backward", 0, 0, 1, 0, 0, 0]]),
    "zero_tensor_grad_zero_": (
        "x.grad.zero_() on a ZeroTensor .grad raises 'ZeroTensors are immutable'",
        [["new", 0, 1, 0, 0, 0, 0, [0, 2]], ["unary", 0, 51, 0, 0, 0, 0], ["backward", 0, 0, 1, 0, 0, 0],
         ["zero_grad", 1, 0, 1, 0, 0, 0]]),
    "as_strided_backward_grad_is_no_grad_view": (
        "the gradient through a regenerated view's AsStridedBackward0 (a sibling view written in "
        "place) is torch's as_strided view of a fresh storage, made in no_grad mode: writing it "
        "with a grad-requiring operand raises the no_grad-view error (was a tolerated known gap)",
        [["new", 3, 1, 0, 0, 0, 0, [0, 0]], ["unary", 0, 0, 0, 0, 0, 0], ["view", 0, 16, 0, 0, 0, 0],
         ["view", 1, 16, 0, 1, 0, 0], ["inplace", 0, 1, 0, 0, 0, 0], ["grad", 1, 0, 1, 0, 2, 0],
         ["inplace", 0, 1, 1, 0, 0, 0]]),
    "as_strided_backward_grad_keeps_base_strides": (
        "AsStridedBackward0's gradient has its input's (the base's) strides: for a transposed base "
        "it is not contiguous and view(-1) raises; numtorch's was contiguous",
        [["new", 3, 1, 3, 0, 0, 0, [0, 0]], ["unary", 0, 0, 0, 0, 0, 0], ["view", 0, 16, 0, 0, 0, 0],
         ["view", 1, 16, 0, 1, 0, 0], ["inplace", 0, 1, 0, 0, 0, 0], ["grad", 1, 0, 1, 0, 4, 0],
         ["view", 0, 1, 0, 0, 0, 0]]),
    "zero_tensor_divisor_gives_inf": (
        "div's ZeroTensor kernel: x / ZeroTensor is +inf everywhere (also for x <= 0); numpy gave "
        "-inf and nan there",
        [["new", 0, 1, 0, 0, 0, 0, [0, 2]], ["unary", 0, 51, 0, 0, 0, 0], ["grad", 0, 0, 0, 0, 0, 0],
         ["binary", 0, 35, 1, 1, 0, 0]]),
    "root_grad_cast_to_graph_dtype": (
        "a root whose .data was replaced by another dtype: its gradient is cast to the dtype the "
        "graph recorded (validate_outputs on the roots)",
        [["new", 3, 0, 0, 0, 0, 0, []], ["binary", 0, 0, 0, 15, 0, 0], ["detach", 0, 0, 13, 10, 0, 0], ["grad", 0, 0, 4, 0, 2, 0]]),
    "pow_bool_broadcast_before_dtype": (
        "pow of two bool tensors checks broadcasting before the Bool kernel error",
        [["new", 6, 0, 0, 0, 0, 0, [3]], ["view", 0, 21, 0, 5, 0, 0], ["binary", 0, 11, 1, 10, 0, 0]]),
    "einsum_size1_strides_flatten_copies": (
        "einsum of a permuted (3,1,1) operand: its size-1 dims' strides steer the mul result's "
        "layout in torch (TensorIterator), so flatten is a copy (UnsafeViewBackward0); numtorch's "
        "dispatcher skipped the layout rules because NumPy called the operand C-contiguous",
        [["new", 0, 0, 3, 0, 0, 0, [2, 1, 1]], ["matmul", 0, 21, 1, 0, 0, 6], ["view", 0, 3, 20, 12, 10, 0]]),
    "index_backward_reads_replaced_index_data": (
        "x[idx] then idx.data = <float tensor>: IndexBackward0 reads the saved index at backward "
        "and raises IndexError; numtorch used the index arrays captured at forward",
        [["new", 0, 1, 0, 0, 0, 0, [0]], ["index", 0, 0, 0, 0, 0, 0], ["detach", 1, 0, 22, 2, 0, 0],
         ["backward", 0, 0, 0, 0, 0, 0]]),
    "pow_expanded_bool_overlap_before_cast": (
        "bool 0-d broadcast_to (2,) then pow_(2): TensorIterator's internal-overlap check comes before "
        "its result-type cast check; numtorch raised the cast error (Long -> Bool) first",
        [["new", 6, 0, 0, 0, 0, 0, []], ["shape", 0, 36, 0, 0, 0, 0], ["inplace", 0, 45, 0, 0, 0, 0]]),
    "accumulate_grad_leaf_moved_into_graph": (
        "a view given requires_grad_ is used in a graph, then its base is written in place with it: "
        "the view gets a grad_fn and AccumulateGrad::apply raises 'leaf variable has been moved into "
        "the graph interior'; numtorch accumulated into it",
        [["new", 0, 0, 0, 0, 0, 0, [1]], ["view", 0, 0, 0, 0, 0, 0], ["detach", 0, 0, 23, 25, 0, 0],
         ["shape", 0, 0, 0, 0, 0, 0], ["new", 0, 0, 1, 60, 13, 6, [3]], ["inplace", 3, 18, 13, 25, 0, 6],
         ["binary", 2, 26, 14, 31, 19, 3], ["unary", 1, 2, 6, 8, 17, 1], ["backward", 1, 0, 1, 19, 9, 1]]),
    "linear_empty_inner_dim_contiguous": (
        "F.linear with bias and an empty inner dim (2,0)x(0,2): torch's result is contiguous, so a "
        "later view is a view (ViewBackward0); numtorch's beta * bias copy was column-major",
        [["new", 0, 0, 0, 0, 0, 0, [0, -1]], ["matmul", 0, 44, 1, 0, 0, 0], ["view", 0, 62, 0, 0, 0, 0]]),
    "nansum_double_backward_graph_is_mul_by_not_nan": (
        "create_graph gradient of exp(x.nansum()): FunctionsManual nansum_backward is "
        "expand(grad) * self.isnan().logical_not() (MulBackward0); numtorch used where "
        "(WhereBackward0)",
        [["new", 3, 1, 0, 5, 0, 0, [2, 2]], ["reduce", 0, 17, 0, 2, 0, 0], ["unary", 0, 2, 0, 0, 0, 0],
         ["grad", 0, 0, 0, 2, 0, 0]]),
    "std_all_float32_mean_then_double_deviations": (
        "float32 std over every dim: ATen's std_var_all_cpu (float32 mean, deviations summed in "
        "double), so a constant tensor whose mean is inexact has a tiny std (log2 is finite)",
        [["new", 0, 0, 1, 0, 0, 0, [2, 0]], ["binary", 0, 1, 23, 0, 0, 0], ["reduce", 0, 49, 0, 20, 0, 0], ["unary", 0, 24, 0, 0, 0, 0]]),
    "post_accumulate_hook_runs_when_leaf_stopped_requiring_grad": (
        "AccumulateGrad for a leaf set to requires_grad_(False) after the graph was built: "
        "nothing accumulates, the post-accumulate-grad hook still runs",
        [["new", 0, 1, 0, 0, 0, 0, []], ["hook", 0, 0, 30, 0, 0, 0], ["view", 0, 0, 0, 0, 0, 0], ["detach", 1, 0, 14, 0, 0, 0], ["backward", 0, 0, 0, 0, 0, 0]]),
    "saved_input_detached_in_place_before_version_check": (
        "SavedVariable::unpack reports a saved input detached in place before its version",
        [["new", 0, 1, 0, 0, 0, 0, []], ["unary", 0, 0, 0, 0, 0, 0], ["unary", 0, 5, 0, 0, 0, 0], ["inplace", 1, 0, 0, 0, 0, 0], ["detach", 1, 0, 19, 0, 0, 0], ["reduce", 0, 0, 8, 20, 30, 3], ["backward", 1, 2, 29, 23, 9, 1]]),
    "gelu_float32_contiguous_is_onednn_bit_for_bit": (
        "float32 gelu of a contiguous tensor: oneDNN's gelu_erf (its own exp and fma order); the "
        "plain float32 emulation differed in the last bits near -3, which a later pow (tensor "
        "exponent) turned into -3015.3 instead of -3014.8",
        [["new", 0, 0, 0, 2, 0, 0, [2]], ["unary", 0, 37, 0, 0, 0, 0], ["binary", 0, 2, 0, 0, 0, 0],
         ["unary", 0, 42, 0, 0, 0, 0], ["inplace", 2, 0, 6, 16, 30, 4], ["binary", 0, 47, 18, 24, 5, 1]]),
    "accumulate_expanded_grad_into_smaller_data": (
        "AccumulateGrad after `.data =` of fewer dims: an expanded gradient does not obey the "
        "layout contract, so clone_obey_contract's copy_ raises the broadcast error",
        [["new", 0, 1, 0, 0, 0, 0, [0]], ["reduce", 0, 0, 0, 0, 0, 0], ["detach", 1, 0, 22, 2, 0, 0], ["backward", 0, 0, 0, 0, 0, 0]]),
    "tile_by_ones_is_contiguous": (
        "repeat/tile allocate a C-order result even when every count is 1",
        [["new", 0, 0, 3, 0, 0, 0, [2, 0]], ["shape", 0, 5, 0, 0, 0, 0], ["view", 0, 62, 0, 0, 0, 0]]),
    "pow_negative_infinity_non_integer_exponent": (
        "pow(-inf, 0.5 as a tensor) is +inf as C's pow gives it (numpy's power gives nan)",
        [["new", 0, 0, 0, 0, 23, 0, []], ["binary", 0, 47, 17, 15, 26, 0]]),
    "accumulate_into_empty_data_checks_the_layout_contract": (
        "AccumulateGrad after `.data =` of an empty tensor: torch's empty tensor has C strides, so "
        "the gradient does not obey the layout contract and copy_ raises the broadcast error",
        [["new", 0, 1, 0, 0, 0, 0, [2, 1]], ["view", 0, 0, 2, 0, 0, 0], ["view", 0, 24, 0, 13, 5, 0], ["binary", 0, 0, 0, 0, 0, 0], ["detach", 3, 46, 4, 20, 21, 6], ["backward", 2, 16, 27, 31, 26, 0]]),
    "rsub_bool_stale_view_error_first": (
        "sub/rsub's bool check runs in ATen's kernel, after the autograd kernel's stale-view error",
        [["new", 0, 0, 0, 0, 0, 0, []], ["binary", 0, 15, 0, 0, 0, 0], ["view", 1, 0, 0, 0, 0, 7], ["inplace", 2, 0, 26, 0, 0, 0], ["binary", 1, 38, 0, 24, 0, 1]]),
    "squeeze_backward_unsqueezes_size_one_dims": (
        "squeeze()'s backward is unsqueeze_to: one unsqueeze per size-1 dim, the gradient itself "
        "for a 0-d input (not a reshape view)",
        [["new", 0, 1, 0, 0, 0, 0, []], ["view", 0, 5, 0, 0, 0, 0], ["grad", 0, 0, 0, 26, 0, 0], ["inplace", 0, 0, 11, 0, 0, 0]]),
    "seed2044_silu_backward_0d_float64": (
        "silu's float64 fused backward on a 0-d tensor: the exact fma64's lane repair indexed a numpy "
        "scalar (TypeError) when a lane needed it",
        [["new", 3, 1, 0, 3, 0, 0, []], ["unary", 0, 43, 0, 0, 0, 0], ["backward", 0, 63, 8, 9, 29, 3]]),
    "seed2045_hardtanh_backward_nan_passes_gradient": (
        "hardtanh_backward is ATen's (self <= min or self >= max) ? 0 : grad, so a nan input passes "
        "its gradient (numtorch tested min < self < max and gave 0)",
        [["new", 0, 1, 0, 9, 0, 0, []], ["binary", 0, 47, 25, 0, 0, 0], ["unary", 0, 47, 0, 0, 0, 0], ["grad", 0, 0, 1, 0, 10, 6]]),
    "seed2045_data_of_another_shape_clones_a_held_root_gradient": (
        "after `.data =` of another shape AccumulateGrad steals only a gradient nobody else holds: "
        "the root gradient of backward() (kept by the engine) is cloned into the parameter's sizes",
        [["new", 0, 0, 0, 0, 0, 0, []], ["view", 0, 0, 0, 0, 0, 0], ["binary", 1, 0, 0, 1, 0, 0], ["view", 0, 0, 0, 0, 0, 0], ["detach", 2, 0, 4, 23, 0, 0], ["backward", 1, 0, 0, 21, 20, 5]]),
    "seed2047_std_backward_masked_fill_in_place": (
        "std's backward fills its quotient in place ((grad / (2 * result)).masked_fill_): a ZeroTensor "
        "gradient (sgn's) makes that quotient a ZeroTensor, and torch raises that it is immutable",
        [["new", 0, 1, 0, 0, 0, 0, []], ["reduce", 0, 30, 0, 0, 0, 0], ["unary", 0, 51, 0, 0, 0, 0], ["backward", 0, 0, 0, 0, 0, 0]]),
    "seed2046_tensordot_of_vectors_needing_a_copy": (
        "tensordot whose free sizes are all 1 calls dot only when both permuted operands are "
        "contiguous; otherwise it multiplies the squeezed operands and sums (a bool result, no error)",
        [["new", 6, 0, 0, 0, 0, 0, [3, 2]], ["view", 0, 20, 17, 0, 0, 0], ["matmul", 0, 11, 0, 0, 0, 0]]),
    "seed2050_tensordot_of_an_expanded_bool_vector": (
        "the same rule with a stride-0 first operand (broadcast_to of a 0-d bool)",
        [["new", 6, 0, 0, 0, 0, 0, []], ["shape", 0, 16, 0, 0, 0, 0], ["matmul", 0, 11, 0, 0, 0, 0]]),
    "seed2053_cumprod_backward_with_zeros_is_quiet": (
        "cumprod's backward over an input with zeros (ATen's O(n) path, no create_graph) multiplies "
        "an inf by 0: numpy warned 'invalid value encountered in multiply', torch never warns",
        [["new", 0, 1, 1, 93, 0, 0, [2]], ["unary", 0, 49, 0, 0, 0, 0], ["new", 0, 0, 0, 0, 0, 0, []], ["grad", 2, 18, 6, 19, 21, 0], ["unary", 2, 4, 8, 29, 16, 0], ["new", 1, 2, 1, 86, 26, 3, [2, 0]], ["unary", 3, 37, 26, 23, 5, 4], ["backward", 2, 57, 30, 1, 6, 4]]),
    "seed2055_copy_slices_of_an_expanded_base": (
        "setitem with a gradient into a detached expanded tensor (stride 0) gives it CopySlices; its "
        "backward first copies the gradient into a tensor with the base's strides, which torch's "
        "copy_ refuses (internal overlap); numtorch returned a gradient",
        [["new", 0, 0, 0, 0, 0, 0, []], ["shape", 0, 56, 0, 0, 0, 0], ["detach", 0, 0, 0, 0, 0, 0], ["setitem", 0, 0, 1, 20, 0, 0], ["unary", 0, 0, 0, 5, 29, 0], ["binary", 1, 34, 24, 25, 17, 1], ["backward", 3, 52, 24, 17, 15, 5]]),
    "seed2056_elu_backward_of_nan_in_vector_blocks": (
        "elu_backward takes the positive branch for a NaN input in ATen's scalar loop but the "
        "negative one (NaN) in its vectorized loop: the NaNs of 0/0 in the first 32 of 36 elements",
        [["new", 0, 0, 0, 0, 0, 0, [3, 2, 2]], ["binary", 0, 35, 0, 1, 0, 0], ["unary", 0, 46, 0, 0, 0, 0], ["grad", 0, 18, 25, 5, 27, 2]]),
    "seed2056_trunc_division_of_the_most_negative_int64": (
        "integer div(rounding_mode='trunc') took |a|, which overflows for INT64_MIN (the long of a "
        "NaN): the quotient's sign flipped",
        [["new", 0, 0, 0, 0, 7, 0, []], ["unary", 0, 30, 0, 0, 0, 0], ["binary", 0, 7, 0, 0, 0, 0]]),
    "seed2061_bitwise_op_on_a_stale_no_grad_view": (
        "torch's autograd fallback for bitwise ops collects the inputs' edges first: a no_grad view "
        "of an int64 base that fill_ with a grad value made require grad raises the view error",
        [["new", 5, 0, 3, 0, 0, 5, []], ["inplace", 1, 56, 21, 0, 0, 0], ["binary", 0, 23, 0, 0, 0, 0]]),
    "seed2062_hardtanh_backward_of_nan_in_vector_blocks": (
        "hardtanh_backward passes the gradient for a NaN input in ATen's scalar loop but gives 0 in "
        "its vectorized loop (min < x < max fails)",
        [["new", 0, 0, 0, 0, 7, 0, [0, 3]], ["binary", 0, 0, 6, 15, 0, 0], ["new", 0, 0, 0, 0, 0, 0, []], ["reduce", 1, 17, 19, 22, 31, 7], ["unary", 2, 47, 5, 31, 8, 2], ["unary", 0, 42, 10, 10, 6, 4], ["reduce", 2, 18, 22, 5, 10, 7], ["detach", 2, 55, 12, 10, 9, 7], ["backward", 3, 15, 25, 4, 24, 4]]),
    "seed2062_std_backward_without_degrees_of_freedom": (
        "var_backward with correction >= numel is (grad * where(..., nan, inf)).to(self's dtype), "
        "the where of the default dtype: a float64 input's gradient graph ends in ToCopyBackward0",
        [["new", 0, 0, 0, 0, 0, 0, [0]], ["binary", 0, 0, 6, 15, 17, 0], ["reduce", 1, 30, 0, 14, 0, 0], ["grad", 0, 0, 0, 10, 0, 0]]),

}


def all_regressions() -> dict[str, list]:
    out = {name: program for name, (_, program) in REGRESSIONS.items()}
    for path in sorted(glob.glob(os.path.join(_DIR, "*.json"))):
        with open(path) as f:
            out["found/" + os.path.basename(path)[:-5]] = json.load(f)["program"]
    return out
