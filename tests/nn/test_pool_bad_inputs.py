"""Arguments of the wrong type for the pooling functions, fold/unfold, pad and normalize (issue 9):
torch's Python functions hand them (after a _pair() or a None -> [] for stride) to C++ bindings
whose parser raises TypeError before any kernel runs, and F.max_pool2d and the like pick their
_with_indices form on bool(return_indices) first. Each call is compared with torch: the exception
type and text, or the result where torch accepts the call."""
import pytest

import numtorch.nn  # noqa: F401

CALLS = [
    # int[N] parameters: a multi-element or float tensor is not an int, a str/float/None is not a list
    "F.max_pool1d(x, x)", "F.max_pool1d(x, idx)", "F.max_pool1d(x, torch.zeros(0))", "F.max_pool1d(x, 'abc')",
    "F.max_pool1d(x, 0, 'abc')", "F.max_pool1d(x, 0, idx)", "F.max_pool1d(x, 99, x)",
    "F.max_pool1d(x.long(), x.long())", "F.max_pool1d(torch.tensor(1.5), torch.tensor(1.5))",
    "F.max_pool1d_with_indices(x, x)", "F.max_pool1d_with_indices(x, 99, x)",
    "F.max_pool2d(x, x)", "F.max_pool2d(x, idx)", "F.max_pool2d(x, 0, 'abc')", "F.max_pool2d(x, 99, x)",
    "F.max_pool2d(x3, torch.tensor(1.5))", "F.max_pool2d(x3, 2, 2, None)", "F.max_pool2d(x3, 1.5)",
    "F.max_pool2d_with_indices(x, x)", "F.max_pool2d_with_indices(x, 0, idx)",
    "F.max_pool3d(x, x)", "F.max_pool3d(x, idx)", "F.max_pool3d(x, 0, 'abc')", "F.max_pool3d(x, 99, x)",
    "F.max_pool3d_with_indices(x, torch.zeros(0))", "F.max_pool3d_with_indices(x, 0, idx)",
    "F.adaptive_max_pool1d(x, x)", "F.adaptive_max_pool1d(x, 'abc')", "F.adaptive_max_pool1d(x, idx)",
    "F.adaptive_max_pool1d_with_indices(x, torch.zeros(0))",
    "F.adaptive_max_pool1d(x, torch.tensor([1.0]))",
    # list elements: the first is type-checked, the later ones fail when the binding unpacks them
    "F.max_pool2d(x3, [2.0])", "F.max_pool2d(x3, [None])", "F.max_pool2d(x3, [2, 'a'])",
    "F.max_pool2d(x3, [2, 2.0])", "F.max_pool2d(x3, [True, 2])", "F.max_pool2d(x3, (2, 2), [2, idx])",
    "F.max_pool1d(x, [1.5])", "F.max_pool3d(x4, [2, 2, None])",
    # ceil_mode is a bool
    "F.max_pool2d(x3, 2, ceil_mode=1)", "F.max_pool1d(x, 2, ceil_mode=torch.tensor(True))",
    # return_indices is read first (boolean_dispatch)
    "F.max_pool1d(x, x, x, x, x, x, x, x)", "F.max_pool2d(x, x, x, x, x, x, x, x)",
    "F.max_pool3d(x, x, x, x, x, x, x, x)", "F.adaptive_max_pool1d(x, x, x, x, x, x, x, x)",
    "F.adaptive_max_pool2d(x, x, x, x, x, x, x, x)", "F.adaptive_max_pool2d()", "F.max_pool2d(x, bogus=1)",
    # lp_pool: _pair/_triple of the kernel first, then the average pool's binding
    "F.lp_pool1d(x, 0, 'abc')", "F.lp_pool1d(x, 0, idx)", "F.lp_pool1d(x, 99, x)",
    "F.lp_pool2d(x, 0, 'abc')", "F.lp_pool2d(x, 0, idx)", "F.lp_pool2d(x, 99, x)", "F.lp_pool2d(x, 0, None)",
    "F.lp_pool3d(x, 0, idx)", "F.lp_pool3d(x, 0, 'abc')", "F.lp_pool3d(x, 0, None)",
    # fold / unfold: _pair() of a tensor is the tuple of its rows
    "F.unfold(x, 'abc')", "F.unfold(x, 1.5)", "F.unfold(x, x)", "F.unfold(x, idx)",
    "F.unfold(x, torch.zeros(0))",
    "F.unfold(x, 0, 'abc')", "F.unfold(x, 0, idx)", "F.unfold(x, 99, x)", "F.unfold(x, 0, 1.5)",
    "F.unfold(torch.tensor(1.5), torch.tensor(1.5))", "F.unfold(x3, (2, 'a'))",
    "F.fold(x, 0, 'abc')", "F.fold(x, 0, idx)", "F.fold(x, 99, x)", "F.fold(x, 0, 1.5)",
    # pad's int[] takes no tensor (nor a bare int)
    "F.pad(x, x)", "F.pad(x, idx)", "F.pad(x, torch.zeros(0))", "F.pad(x, torch.tensor([1.0, 2.0, 3.0]))",
    "F.pad(x, torch.tensor(1))", "F.pad(x, [1, 'a'])", "F.pad(x, (1, 1), torch.tensor(1.0))",
    "F.pad(x, (1, 1), value=1j)", "F.pad(x, (1, 1), 'constant', torch.tensor([2.0]))", "F.pad(x, 1)",
    "F.pad(x, (1, 1), value=torch.tensor(1.5, requires_grad=True))", "F.pad(None, (1, 1))",
    # the tensor argument
    "F.max_pool2d(None, 2)", "F.max_pool2d_with_indices([1.0], 2)", "F.unfold([1], 2)", "F.fold(1.5, 2, 2)",
    "F.max_pool2d_with_indices(x3, [2, 'a'])", "F.adaptive_max_pool1d_with_indices(x, [1, 2.0])",
    # normalize: torch.norm hands p and [dim] to linalg_vector_norm
    "F.normalize(x, 0, idx)", "F.normalize(x, 99, x)", "F.normalize(torch.tensor(1.5), torch.tensor(1.5))",
    "F.normalize(x, 2, 1.5)", "F.normalize(x, 2, [0.5])", "F.normalize(x, 2, True)", "F.normalize(x, x)",
]

# calls torch accepts: the results must agree
VALID = [
    "F.max_pool2d(x3, torch.tensor(2))", "F.max_pool2d(x3, 2, torch.tensor([2]))",
    "F.max_pool2d(x3, [torch.tensor(2), 2])", "F.max_pool2d(x3, [2, True])", "F.max_pool2d(x3, np.int64(2))",
    "F.max_pool2d(x3, 2, None)", "F.max_pool1d(x, torch.tensor(2), return_indices=True)",
    "F.max_pool2d(x3, 2, 1, 0, 1, False, True)", "F.max_pool3d(x4, 1, return_indices=True)",
    "F.adaptive_max_pool1d(x, torch.tensor(2))", "F.adaptive_max_pool2d(x3, (None, 2), True)",
    "F.lp_pool2d(x3, 2, (torch.tensor(1), 2))", "F.lp_pool1d(x, 2.0, 2)", "F.lp_pool3d(x4, 1, 1)",
    "F.unfold(x3.unsqueeze(0), idx.clamp(1, 2))", "F.unfold(x3, (torch.tensor(1), 2))",
    "F.fold(torch.ones(1, 4, 4), (3, 3), 2)", "F.pad(x, (torch.tensor(1), 1))",
    "F.pad(x, (1, 1), value=torch.tensor(2))", "F.pad(x, (1, 1), 'constant', True)",
    "F.pad(x, (1, 1), value=np.float32(2.5))", "F.pad(x3, (1, 1), 'reflect', torch.tensor(0))",
    "F.normalize(x, torch.tensor(3.0))", "F.normalize(x, 2, torch.tensor(0))", "F.normalize(x, 2, None)",
    "F.normalize(x, 1, [0, 1])",
    # an empty adaptive average pool returns before the dtype dispatch
    "F.adaptive_avg_pool1d(x.long(), 0)", "F.adaptive_avg_pool1d(x > 0, 0)",
    "torch.adaptive_avg_pool1d(x.long(), 0)",
    "F.adaptive_avg_pool2d(x3.long(), (0, 2))", "F.adaptive_avg_pool1d(x.long(), 2)",
    "F.adaptive_avg_pool1d(x.long(), 1)",
]


def _run(expr):
    def prog(torch, see):
        import numpy as np  # noqa: F401 (used by eval(expr))
        F = torch.nn.functional  # noqa: F841
        x = torch.tensor([[0.5, -1.25, 2.0], [0.0, 3.5, -0.75]])  # noqa: F841
        x3 = torch.arange(48.0).reshape(3, 4, 4) / 7 - 3  # noqa: F841
        x4 = torch.arange(54.0).reshape(2, 3, 3, 3) / 5 - 2  # noqa: F841
        idx = torch.tensor([0, 5])  # noqa: F841
        see(eval(expr))
    return prog


@pytest.mark.parametrize("expr", CALLS)
def test_bad_argument_types_match_torch(same, expr):
    same(_run(expr))


@pytest.mark.parametrize("expr", VALID)
def test_accepted_arguments_match_torch(same, expr):
    same(_run(expr))
