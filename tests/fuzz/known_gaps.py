"""Reviewed differences from torch that the fuzzers tolerate, each with its reason.

Keep these lists short: a difference belongs here only when fixing it needs more than a local
change (argument validation, a message), and the reason says what the larger change is.

- PROGRAMS: divergences of the program fuzzer (program.py), matched on the first differing
  observation (a `Divergence`).
- SWEEP: bad-input sweep records (sweep.py), keyed by "target|torch outcome|numtorch outcome"
  (targets "Tensor.name", "numtorch.name", "F.name", "linalg.name"; outcomes are exception
  type names or "ok")."""
from __future__ import annotations


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
]


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
        "its binding's signature in _core/signatures.py (as this change does for split, unique "
        "and unflatten) - a follow-up across ~100 functions, mostly nn.functional losses, pooling "
        "and norms."),
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
        "F.batch_norm|TypeError|AttributeError",
        "F.celu|TypeError|NotImplementedError",
        "F.celu|TypeError|RuntimeError",
        "F.celu|TypeError|ok",
        "F.cosine_embedding_loss|TypeError|AttributeError",
        "F.cosine_embedding_loss|TypeError|RuntimeError",
        "F.cross_entropy|TypeError|AttributeError",
        "F.dropout1d|TypeError|ok",
        "F.dropout2d|TypeError|ok",
        "F.dropout3d|TypeError|ok",
        "F.dropout|TypeError|AttributeError",
        "F.dropout|TypeError|ok",
        "F.elu|TypeError|NotImplementedError",
        "F.elu|TypeError|ValueError",
        "F.elu|TypeError|ok",
        "F.embedding|TypeError|AttributeError",
        "F.embedding|TypeError|RuntimeError",
        "F.feature_alpha_dropout|TypeError|ok",
        "F.fold|TypeError|RuntimeError",
        "F.fold|TypeError|ValueError",
        "F.glu|TypeError|RuntimeError",
        "F.gumbel_softmax|TypeError|AttributeError",
        "F.hardsigmoid|TypeError|NotImplementedError",
        "F.hardsigmoid|TypeError|ok",
        "F.hardswish|TypeError|NotImplementedError",
        "F.hardswish|TypeError|ok",
        "F.hardtanh|TypeError|RuntimeError",
        "F.hardtanh|TypeError|ok",
        "F.hinge_embedding_loss|TypeError|AttributeError",
        "F.hinge_embedding_loss|TypeError|RuntimeError",
        "F.hinge_embedding_loss|TypeError|ValueError",
        "F.kl_div|TypeError|AttributeError",
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
        "F.mish|TypeError|NotImplementedError",
        "F.mish|TypeError|ok",
        "F.multi_margin_loss|TypeError|AttributeError",
        "F.multi_margin_loss|TypeError|RuntimeError",
        "F.multilabel_margin_loss|TypeError|AttributeError",
        "F.multilabel_margin_loss|TypeError|RuntimeError",
        "F.nll_loss|TypeError|AttributeError",
        "F.nll_loss|TypeError|ValueError",
        "F.normalize|TypeError|IndexError",
        "F.normalize|TypeError|RuntimeError",
        "F.pad|TypeError|NotImplementedError",
        "F.pad|TypeError|RuntimeError",
        "F.pad|TypeError|ValueError",
        "F.pad|TypeError|ok",
        "F.poisson_nll_loss|TypeError|RuntimeError",
        "F.poisson_nll_loss|TypeError|ok",
        "F.relu6|TypeError|RuntimeError",
        "F.relu6|TypeError|ok",
        "F.relu|TypeError|RuntimeError",
        "F.relu|TypeError|ok",
        "F.rrelu|TypeError|AttributeError",
        "F.rrelu|TypeError|RuntimeError",
        "F.selu|TypeError|NotImplementedError",
        "F.selu|TypeError|ok",
        "F.silu|TypeError|NotImplementedError",
        "F.silu|TypeError|ok",
        "F.soft_margin_loss|TypeError|AttributeError",
        "F.threshold|TypeError|ValueError",
        "F.threshold|TypeError|ok",
        "F.triplet_margin_loss|TypeError|AttributeError",
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
        "linalg.svdvals|TypeError|AttributeError",
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
        "F.hardtanh_|TypeError|ok",
        "F.leaky_relu_|TypeError|ok",
        "F.one_hot|TypeError|RuntimeError",
        "F.pdist|TypeError|ok",
        "F.relu_|TypeError|ok",
        "F.rrelu_|TypeError|ok",
        "F.selu_|TypeError|ok",
        "Tensor.split_with_sizes|TypeError|RuntimeError",
        "numtorch.argsort|TypeError|ok",
        "numtorch.bincount|TypeError|NotImplementedError",
        "numtorch.celu_|TypeError|ok",
        "numtorch.celu|TypeError|ok",
        "numtorch.clone|TypeError|ok",
        "numtorch.count_nonzero|TypeError|ok",
        "numtorch.diagonal|TypeError|ok",
        "numtorch.empty_like|TypeError|ok",
        "numtorch.flatten|TypeError|ok",
        "numtorch.is_nonzero|TypeError|RuntimeError",
        "numtorch.isfinite|TypeError|ok",
        "numtorch.isinf|TypeError|ok",
        "numtorch.isnan|TypeError|ok",
        "numtorch.ones_like|TypeError|ok",
        "numtorch.prod|TypeError|ok",
        "numtorch.rand_like|TypeError|ok",
        "numtorch.randn_like|TypeError|ok",
        "numtorch.relu|TypeError|ok",
        "numtorch.repeat_interleave|TypeError|RuntimeError",
        "numtorch.rrelu_|TypeError|ok",
        "numtorch.rrelu|TypeError|ok",
        "numtorch.squeeze|TypeError|ok",
        "numtorch.sum|TypeError|ok",
        "numtorch.t|TypeError|ok",
        "numtorch.unbind|TypeError|ok",
        "numtorch.where|TypeError|ok",
        "numtorch.zeros_like|TypeError|ok",
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
        "F.fold|RuntimeError|ValueError",
        "F.huber_loss|NotImplementedError|TypeError",
        "F.lp_pool2d|ValueError|TypeError",
        "F.lp_pool3d|ValueError|RuntimeError",
        "F.max_pool1d|RuntimeError|TypeError",
        "F.max_pool2d|RuntimeError|TypeError",
        "F.max_pool3d|RuntimeError|TypeError",
        "F.nll_loss|RuntimeError|ValueError",
        "F.normalize|IndexError|TypeError",
        "F.smooth_l1_loss|NotImplementedError|TypeError",
        "F.soft_margin_loss|RuntimeError|TypeError",
        "F.unfold|RuntimeError|ValueError",
        "Tensor.argmax|RuntimeError|IndexError",
        "Tensor.argmin|RuntimeError|IndexError",
        "Tensor.bitwise_and|RuntimeError|NotImplementedError",
        "Tensor.bitwise_not|NotImplementedError|RuntimeError",
        "Tensor.bitwise_or|RuntimeError|NotImplementedError",
        "Tensor.bitwise_xor|RuntimeError|NotImplementedError",
        "Tensor.hypot_|RuntimeError|NotImplementedError",
        "Tensor.hypot|RuntimeError|NotImplementedError",
        "Tensor.squeeze_|RuntimeError|IndexError",
        "Tensor.sum_to_size|RuntimeError|IndexError",
        "Tensor.tensor_split|RuntimeError|ValueError",
        "Tensor.unique|RuntimeError|TypeError",
        "Tensor.unsqueeze_|RuntimeError|IndexError",
        "linalg.svdvals|_LinAlgError|LinAlgError",
        "numtorch.bitwise_and|RuntimeError|NotImplementedError",
        "numtorch.bitwise_not|NotImplementedError|RuntimeError",
        "numtorch.bitwise_or|RuntimeError|NotImplementedError",
        "numtorch.bitwise_xor|RuntimeError|NotImplementedError",
        "numtorch.group_norm|RuntimeError|ZeroDivisionError",
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
        "Tensor.sum_to_size|RuntimeError|ok",
        "Tensor.tensor_split|RuntimeError|ok",
        "numtorch.tensor_split|RuntimeError|ok",
        "numtorch.topk|RuntimeError|ok",
    ),
    "REJECTS_VALID": (
        "F.adaptive_avg_pool1d|ok|NotImplementedError",
        "F.cross_entropy|ok|ZeroDivisionError",
        "F.elu_|ok|TypeError",
        "Tensor.bernoulli_|ok|RuntimeError",
        "Tensor.erfc_|ok|TypeError",
        "Tensor.erfc|ok|TypeError",
        "Tensor.inner|ok|RuntimeError",
        "Tensor.take_along_dim|ok|RuntimeError",
        "linalg.vector_norm|ok|TypeError",
        "numtorch.adaptive_avg_pool1d|ok|NotImplementedError",
        "numtorch.erfc|ok|TypeError",
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
