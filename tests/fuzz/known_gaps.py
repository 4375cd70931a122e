"""Reviewed differences from torch that the fuzzers tolerate, each with its reason.

Keep these lists short: a difference belongs here only when fixing it needs more than a local
change (argument validation, a message), and the reason says what the larger change is.

- PROGRAMS: divergences of the program fuzzer (program.py), matched on the first differing
  observation (a `Divergence`).
- SWEEP: bad-input sweep records (sweep.py), keyed by "target|torch outcome|numtorch outcome"
  (targets "Tensor.name", "numtorch.name", "F.name", "linalg.name"; outcomes are exception
  type names or "ok")."""
from __future__ import annotations

import re


def _torch_raised(d, text: str) -> bool:
    t = d.torch
    return isinstance(t, tuple) and len(t) == 3 and t[0] == "raise" and text in str(t[2])


def _int_requires_grad(d) -> bool:
    """numtorch shows an integer/bool tensor that requires grad where torch's does not."""
    def tensors(v):
        if isinstance(v, tuple) and v and v[0] == "T":
            yield v
        elif isinstance(v, tuple):
            for x in v:
                yield from tensors(x)
    for t, n in zip(tensors(d.torch), tensors(d.numtorch)):
        if n[1] in ("int64", "bool") and n[6] is True and t[6] is False:
            return True
    return False


_NO_GRAD_VIEW = "A view was created in no_grad mode and its base or another view of its base"


# (reason, predicate on a Divergence)
PROGRAMS: list = [
    ("torch refuses to record a differentiable op whose output is an integer tensor "
     "(set_history: 'Autograd not support dtype: Long'), e.g. sum(dtype=torch.int64) of a float "
     "tensor that requires grad, or any op on an integer tensor that an in-place write with a "
     "grad-requiring value made require grad; numtorch records the node. The check belongs in "
     "the dispatcher's history recording (_ops/dispatch.py), which is being reworked by the "
     "write-guard work: follow-up.",
     lambda d: _torch_raised(d, "Autograd not support dtype")),
    ("same cause: an in-place write of a grad-requiring value into an integer tensor makes it a "
     "non-leaf that requires grad in numtorch; torch leaves it a leaf, so requires_grad_() on it "
     "raises 'only Tensors of floating point dtype can require gradients'.",
     lambda d: _torch_raised(d, "only Tensors of floating point dtype can require gradients")
     and isinstance(d.numtorch, tuple) and d.numtorch and isinstance(d.numtorch[0], tuple)
     and d.numtorch[0][0] == "T" and d.numtorch[0][1] in ("int64", "bool")),
    ("same cause: backward through an integer tensor that numtorch let require grad; torch fails "
     "with an internal assert ('isDifferentiableType(grad.scalar_type()) INTERNAL ASSERT FAILED').",
     lambda d: _torch_raised(d, "isDifferentiableType")),
    ("CopySlices (the node of an in-place write through a view) keeps its wrapped node after a "
     "backward without retain_graph, so a second backward through it succeeds where torch's "
     "CopySlices::apply raises 'Trying to backward through the graph a second time'. The fix is "
     "in _autograd/views.py (CopySlices.release_variables), owned by the write-guard work.",
     lambda d: _torch_raised(d, "Trying to backward through the graph a second time")
     and not (isinstance(d.numtorch, tuple) and d.numtorch and d.numtorch[0] == "raise")),
    ("index_fill_ on an expanded tensor: torch warns that this is deprecated and writes; numtorch "
     "refuses the overlapping write (the MemOverlap check all in-place kernels share, dispatch.py).",
     lambda d: isinstance(d.torch, tuple) and d.torch[:1] == ("UserWarning",)
     and "index_fill_ on expanded tensors is deprecated" in d.torch[1]),
    ("`.data = integer tensor` on a view made under no_grad of a base that requires grad: the view "
     "requires grad, so torch refuses the integer data; numtorch's .data setter reads the view's "
     "own flag. The setter is in _tensor.py's .data lines, owned by the write-guard work.",
     lambda d: _torch_raised(d, "data set to a tensor that requires gradients must be floating")),
    ("same cause as the first entry, seen on the tensor itself: an integer or bool tensor that "
     "numtorch let require grad (through an in-place write of a grad-requiring value) and the "
     "results computed from it carry a grad_fn.",
     _int_requires_grad),
    ("a no_grad view whose base was then written in place under grad mode: torch raises the "
     "'view was created in no_grad mode' error lazily, wherever grad_fn is first read (repr, "
     "requires_grad, detach, hooks); numtorch regenerates/raises at other points. Which reads "
     "trigger the error is views.py's business, owned by the write-guard work.",
     lambda d: _NO_GRAD_VIEW in repr(d.torch) or _NO_GRAD_VIEW in repr(d.numtorch)),
    ("F.linear checks the dtypes up front ('expected m1 and m2 to have the same dtype'); torch's "
     "linear dispatches to addmm/mm/mv/dot/matmul first and the error (shape or dtype, with that "
     "kernel's text) comes from whichever runs. Mirroring linear's dispatch exactly is a rewrite "
     "of F.linear's error paths: follow-up.",
     lambda d: isinstance(d.numtorch, tuple) and d.numtorch[:1] == ("raise",)
     and str(d.numtorch[2]).startswith("expected m1 and m2 to have the same dtype")
     and _torch_raised(d, "")),
    ("double backward through derivatives numtorch composes from other ops (elu, softplus, "
     "softmax, cumprod, ...): the gradients agree, but torch records a node of the derivative op "
     "itself (EluBackwardBackward0, SoftmaxBackwardDataBackward0, CopySlices) where numtorch "
     "records the last composing op. Each needs its backward declared as an op of its own, as "
     "this change does for tanh and sigmoid.",
     lambda d: _only_grad_fn_differs(d)),
    ("memory layout of results computed from non-contiguous inputs: torch's TensorIterator lays "
     "an elementwise or reduction result out like its input (strides permuted), numpy's loops "
     "follow their own rule, so a later view() or reshape() is a view in one library and a copy "
     "(or an error) in the other. Needs ATen's output-layout rule in the dispatcher "
     "(_ops/dispatch.py, owned by the write-guard work).",
     lambda d: "view size is not compatible with input tensor's size and stride" in repr(d.torch)
     + repr(d.numtorch) or _only_is_view_differs(d)),
]


def _tensors(v):
    if isinstance(v, tuple) and v and v[0] == "T":
        yield v
    elif isinstance(v, tuple):
        for x in v:
            yield from _tensors(x)


def _only_grad_fn_differs(d) -> bool:
    """Same computed gradients (values, dtype, shape) but another grad_fn name."""
    t, n = list(_tensors(d.torch)), list(_tensors(d.numtorch))
    if not t or len(t) != len(n) or not re.search(r"Backward\w*Backward\d|CopySlices", repr(d.torch)):
        return False
    return all(a[:4] == b[:4] for a, b in zip(t, n)) and any(a != b for a, b in zip(t, n))


def _only_is_view_differs(d) -> bool:
    t, n = list(_tensors(d.torch)), list(_tensors(d.numtorch))
    return bool(t) and len(t) == len(n) and all(
        len(a) > 8 and a[:8] == b[:8] and a[9:] == b[9:] for a, b in zip(t, n)) and any(
        a[8] != b[8] for a, b in zip(t, n))


def program_gap(divergence) -> str | None:
    """The reason a program divergence is tolerated, or None."""
    for reason, predicate in PROGRAMS:
        try:
            if predicate(divergence):
                return reason
        except Exception:  # noqa: BLE001 - a predicate that does not apply
            continue
    return None


# ---- the bad-input sweep -------------------------------------------------------------------------
# Grouped by reason. Generated from a sweep run (tests/fuzz/sweep.py), then reviewed; an entry the
# sweep no longer needs is reported as stale by test_bad_inputs.py and should be deleted.
SWEEP_REASONS: dict[str, str] = {
    "PYTHON_LEVEL": (
        "torch implements this callable in Python and hands the arguments to a C++ binding whose "
        "parser rejects them (TypeError), or touches them first (AttributeError); numtorch's "
        "implementation has no such check and fails later (RuntimeError/ValueError/AttributeError "
        "from its kernels) or accepts the value. Fix: map each Python wrapper's arguments onto "
        "its binding's signature in _core/signatures.py (done generically for the functions "
        "of signatures.PYTHON_LEVEL and by hand for split, unique and unflatten); these are the "
        "ones whose torch code reads or converts the argument first - a per-function follow-up."),
    "PARSER": (
        "torch's argument parser rejects the call (TypeError) but the stub-derived signature "
        "table (tools/gen_signatures.py) cannot tell: the stubs type the parameter as Any or "
        "float where the binding has Scalar/IntArrayRef semantics, or the binding parses by hand. "
        "Fix: per-binding overrides in the generator."),
    "DEPRECATED": (
        "torch still accepts the deprecated positional-alpha overloads add(input, alpha, other) "
        "and sub(...) (with a warning), and their in-place and rsub forms; numtorch implements "
        "only the keyword form, so these calls fail with a TypeError or a different error."),
    "FACTORY": (
        "device/dtype/size grammar of factories and conversions (Tensor.to(99) is a device index "
        "in torch: 'Cannot access accelerator device'; new_* and tensor/as_tensor accept argument "
        "forms numtorch does not): needs torch's full to()/factory argument grammar."),
    "CHECK_ORDER": (
        "both raise, but a different check fires first (e.g. numtorch checks the dtype before "
        "broadcasting the shapes), or an internal error where torch raises another type: each "
        "needs the kernel's validation reordered to ATen's."),
    "MISSING_CHECK": (
        "torch rejects these inputs (its kernel's dtype dispatch or shape validation), numtorch "
        "computes a result: the kernels need the missing validation."),
    "REJECTS_VALID": (
        "torch accepts these calls and numtorch raises: an argument form or dtype numtorch's "
        "implementation does not support yet."),
}

SWEEP_GAPS: dict[str, tuple] = {
    "PYTHON_LEVEL": (
        "F.adaptive_max_pool1d_with_indices|TypeError|RuntimeError",
        "F.adaptive_max_pool1d_with_indices|TypeError|ValueError",
        "F.adaptive_max_pool1d|TypeError|RuntimeError",
        "F.adaptive_max_pool1d|TypeError|ValueError",
        "F.alpha_dropout|TypeError|ok",
        "F.celu|TypeError|RuntimeError",
        "F.dropout1d|TypeError|ok",
        "F.dropout2d|TypeError|ok",
        "F.dropout3d|TypeError|ok",
        "F.dropout|TypeError|ok",
        "F.elu|TypeError|NotImplementedError",
        "F.elu|TypeError|ValueError",
        "F.elu|TypeError|ok",
        "F.feature_alpha_dropout|TypeError|ok",
        "F.fold|TypeError|RuntimeError",
        "F.fold|TypeError|ValueError",
        "F.glu|TypeError|RuntimeError",
        "F.gumbel_softmax|TypeError|AttributeError",
        "F.layer_norm|TypeError|RuntimeError",
        "F.layer_norm|TypeError|ok",
        "F.leaky_relu|TypeError|NotImplementedError",
        "F.leaky_relu|TypeError|ValueError",
        "F.leaky_relu|TypeError|ok",
        "F.lp_pool1d|TypeError|RuntimeError",
        "F.lp_pool1d|TypeError|ValueError",
        "F.lp_pool2d|TypeError|IndexError",
        "F.lp_pool2d|TypeError|ValueError",
        "F.max_pool1d_with_indices|TypeError|RuntimeError",
        "F.max_pool1d_with_indices|TypeError|ValueError",
        "F.max_pool1d|TypeError|RuntimeError",
        "F.max_pool1d|TypeError|ValueError",
        "F.max_pool2d_with_indices|TypeError|RuntimeError",
        "F.max_pool2d_with_indices|TypeError|ValueError",
        "F.max_pool2d|TypeError|RuntimeError",
        "F.max_pool2d|TypeError|ValueError",
        "F.max_pool3d_with_indices|TypeError|RuntimeError",
        "F.max_pool3d_with_indices|TypeError|ValueError",
        "F.max_pool3d|TypeError|RuntimeError",
        "F.max_pool3d|TypeError|ValueError",
        "F.normalize|TypeError|IndexError",
        "F.normalize|TypeError|RuntimeError",
        "F.pad|TypeError|RuntimeError",
        "F.pad|TypeError|ValueError",
        "F.pad|TypeError|ok",
        "F.rrelu|TypeError|RuntimeError",
        "F.threshold|TypeError|ValueError",
        "F.threshold|TypeError|ok",
        "F.unfold|TypeError|IndexError",
        "F.unfold|TypeError|RuntimeError",
        "F.unfold|TypeError|ValueError",
        "Tensor.copy_|TypeError|RuntimeError",
        "Tensor.copy_|TypeError|ok",
        "Tensor.norm|TypeError|IndexError",
        "Tensor.norm|TypeError|RuntimeError",
        "linalg.matrix_norm|TypeError|AttributeError",
        "linalg.matrix_norm|TypeError|RuntimeError",
        "linalg.matrix_norm|TypeError|ValueError",
        "linalg.norm|TypeError|AttributeError",
        "linalg.norm|TypeError|RuntimeError",
        "linalg.norm|TypeError|ValueError",
        "linalg.vector_norm|TypeError|AttributeError",
        "linalg.vector_norm|TypeError|IndexError",
        "linalg.vector_norm|TypeError|RuntimeError",
        "numtorch.norm|TypeError|AttributeError",
        "numtorch.norm|TypeError|IndexError",
        "numtorch.norm|TypeError|RuntimeError",
        "numtorch.tensordot|TypeError|AttributeError",
        "numtorch.unique|TypeError|ok",
    ),
    "PARSER": (
        "F.celu_|TypeError|ok",
        "F.elu_|TypeError|ok",
        "F.gelu|TypeError|RuntimeError",
        "F.hardtanh_|TypeError|ok",
        "F.leaky_relu_|TypeError|ok",
        "F.one_hot|TypeError|RuntimeError",
        "F.pdist|TypeError|ok",
        "F.relu_|TypeError|ok",
        "F.rrelu_|TypeError|ok",
        "F.selu_|TypeError|ok",
        "Tensor.split_with_sizes|TypeError|RuntimeError",
    ),
    "DEPRECATED": (
        "Tensor.add_|RuntimeError|TypeError",
        "Tensor.add_|ok|TypeError",
        "Tensor.add|RuntimeError|TypeError",
        "Tensor.add|ok|TypeError",
        "Tensor.sub_|RuntimeError|TypeError",
        "Tensor.sub_|TypeError|RuntimeError",
        "Tensor.sub_|ok|TypeError",
        "Tensor.sub|RuntimeError|TypeError",
        "Tensor.sub|TypeError|RuntimeError",
        "Tensor.sub|ok|TypeError",
        "numtorch.add|RuntimeError|TypeError",
        "numtorch.add|ok|TypeError",
        "numtorch.rsub|ok|TypeError",
        "numtorch.subtract|ok|TypeError",
        "numtorch.sub|RuntimeError|TypeError",
        "numtorch.sub|ok|TypeError",
    ),
    "FACTORY": (
        "Tensor.new_tensor|TypeError|RuntimeError",
        "Tensor.new_tensor|TypeError|ok",
        "Tensor.to|RuntimeError|ok",
        "Tensor.to|TypeError|ok",
        "numtorch.as_tensor|TypeError|ok",
        "numtorch.randint_like|RuntimeError|ValueError",
        "numtorch.randperm|TypeError|ok",
        "numtorch.tensor|TypeError|ok",
    ),
    "CHECK_ORDER": (
        "F.adaptive_max_pool1d|RuntimeError|TypeError",
        "F.adaptive_max_pool2d|RuntimeError|TypeError",
        "F.binary_cross_entropy_with_logits|NotImplementedError|TypeError",
        "F.binary_cross_entropy|NotImplementedError|RuntimeError",
        "F.binary_cross_entropy|NotImplementedError|TypeError",
        "F.embedding|AttributeError|TypeError",
        "F.embedding|RuntimeError|TypeError",
        "F.fold|RuntimeError|ValueError",
        "F.huber_loss|NotImplementedError|TypeError",
        "F.kl_div|RuntimeError|TypeError",
        "F.lp_pool2d|ValueError|TypeError",
        "F.lp_pool3d|ValueError|RuntimeError",
        "F.max_pool1d|RuntimeError|TypeError",
        "F.max_pool2d|RuntimeError|TypeError",
        "F.max_pool3d|RuntimeError|TypeError",
        "F.multi_margin_loss|RuntimeError|TypeError",
        "F.multi_margin_loss|ValueError|TypeError",
        "F.multilabel_margin_loss|RuntimeError|TypeError",
        "F.nll_loss|RuntimeError|ValueError",
        "F.normalize|IndexError|TypeError",
        "F.smooth_l1_loss|NotImplementedError|TypeError",
        "F.soft_margin_loss|RuntimeError|TypeError",
        "F.unfold|RuntimeError|ValueError",
        "Tensor.bitwise_not|NotImplementedError|RuntimeError",
        "Tensor.hypot_|RuntimeError|NotImplementedError",
        "Tensor.hypot|RuntimeError|NotImplementedError",
        "Tensor.squeeze_|RuntimeError|IndexError",
        "Tensor.tensor_split|RuntimeError|ValueError",
        "Tensor.unique|RuntimeError|TypeError",
        "Tensor.unsqueeze_|RuntimeError|IndexError",
        "linalg.svdvals|_LinAlgError|LinAlgError",
        "numtorch.bitwise_not|NotImplementedError|RuntimeError",
        "numtorch.repeat_interleave|NotImplementedError|RuntimeError",
        "numtorch.split|RuntimeError|TypeError",
        "numtorch.tensor_split|RuntimeError|ValueError",
        "numtorch.unique|RuntimeError|TypeError",
    ),
    "MISSING_CHECK": (
        "F.binary_cross_entropy_with_logits|NotImplementedError|ok",
        "F.binary_cross_entropy_with_logits|RuntimeError|ok",
        "F.huber_loss|NotImplementedError|ok",
        "F.smooth_l1_loss|NotImplementedError|ok",
        "F.soft_margin_loss|RuntimeError|ok",
        "Tensor.tensor_split|RuntimeError|ok",
        "numtorch.tensor_split|RuntimeError|ok",
        "numtorch.topk|RuntimeError|ok",
    ),
    "REJECTS_VALID": (
        "F.adaptive_avg_pool1d|ok|NotImplementedError",
        "F.cross_entropy|ok|ZeroDivisionError",
        "F.elu_|ok|TypeError",
        "Tensor.bernoulli_|ok|RuntimeError",
        "Tensor.inner|ok|RuntimeError",
        "Tensor.take_along_dim|ok|RuntimeError",
        "linalg.vector_norm|ok|TypeError",
        "numtorch.adaptive_avg_pool1d|ok|NotImplementedError",
        "numtorch.hinge_embedding_loss|ok|RuntimeError",
        "numtorch.norm|ok|TypeError",
        "numtorch.take_along_dim|ok|RuntimeError",
    ),
}
SWEEP = {key: SWEEP_REASONS[group] for group, keys in SWEEP_GAPS.items() for key in keys}


def sweep_key(record) -> str:
    def name(outcome):
        return "ok" if outcome is None else outcome[0]
    return f"{record.target}|{name(record.torch)}|{name(record.numtorch)}"


def reason_for(record) -> str | None:
    return SWEEP.get(sweep_key(record))
