"""Arguments of the wrong type for the activations, dropout, layer_norm, one_hot, pdist,
gumbel_softmax and Tensor.split_with_sizes (issue 9): torch's Python functions hand them to C++
bindings whose parser raises TypeError before any kernel runs. Each call is compared with torch:
the exception type and text, or the result where torch accepts the call."""
import numpy as np  # noqa: F401 (used by eval(expr))
import pytest

import numtorch.nn  # noqa: F401

CALLS = [
    # the dropout family: `training` goes to the binding's bool `train`
    "F.dropout(x, 0, None)", "F.dropout(x, 0.5, 'abc')", "F.dropout(x, 0, idx)",
    "F.dropout(x, 0.5, False, 'abc')", "F.alpha_dropout(x, 0, 1.5)", "F.alpha_dropout(x, 0.5, None)",
    "F.feature_alpha_dropout(x, 0, idx)", "F.feature_alpha_dropout(x, 0.5, 'abc')",
    "F.dropout1d(x, 0, None)", "F.dropout2d(x, 0, None)", "F.dropout3d(x, 0.2, 'abc')",
    "F.dropout(x, 0.5, torch.tensor(True))", "F.dropout(x, 0.5, np.False_)",
    "F.feature_alpha_dropout(x, 0.5, np.True_)", "F.rrelu(x, 0.1, 0.3, np.True_)", "F.glu(x4, True)",
    # Scalar arguments: a tensor passes only 0-d and without grad
    "F.elu(x, x)", "F.elu(x, torch.zeros(0))", "F.elu(x, torch.tensor(0.5))", "F.elu(x, idx)",
    "F.elu(x, torch.tensor(0.5, requires_grad=True))", "F.elu(x.long(), x.long())",
    "F.elu(x.clone(), x, True)",
    "F.celu(x, x)", "F.celu(x, torch.tensor(0.0))", "F.celu(x, torch.tensor(0.5))",
    "F.celu(x, 0, idx)", "F.celu(x.clone(), x, True)",
    "F.leaky_relu(x, x)", "F.leaky_relu(x, torch.zeros(0))", "F.leaky_relu(x, idx)",
    "F.leaky_relu(x, torch.tensor(0.2))", "F.leaky_relu(x.long(), x.long())",
    "F.threshold(x, 0, idx)", "F.threshold(x, 99, x)", "F.threshold(x, torch.tensor(0.5), 2.0)",
    "F.threshold()", "F.threshold(x, 0.5)", "F.threshold(x, 0.5, 1.0, False, 1)",
    "F.rrelu(x, x)", "F.rrelu(x, 0, idx)", "F.rrelu(x, 0.1, 0.3, None)", "F.rrelu(x, 0.1, 0.3, idx)",
    "F.rrelu(x, torch.tensor(0.5), 0.1)", "F.rrelu(x, torch.zeros(0))",
    # glu's int dim
    "F.glu(x, x)", "F.glu(x, idx)", "F.glu(x, 1.5)", "F.glu(x4, torch.tensor(1))",
    # gelu's approximate is keyword-only
    "F.gelu(x, 'tanh')", "F.gelu(x, None)", "F.gelu(x.long(), 0)", "F.gelu(x, approximate='tanh')",
    "F.gelu(x, approximate=None)",
    # layer_norm's int list
    "F.layer_norm(x, x)", "F.layer_norm(x, torch.zeros(0))", "F.layer_norm(x, torch.tensor(3))",
    "F.layer_norm(x, idx)", "F.layer_norm(x, [3])",
    # gumbel_softmax: empty_like is the first to see the logits
    "F.gumbel_softmax(None)", "F.gumbel_softmax('abc')", "F.gumbel_softmax([1, 2])",
    "F.gumbel_softmax(1.5)",
    # bindings without out=
    "F.elu_(x.clone(), out=None)", "F.celu_(x.clone(), out=None)", "F.hardtanh_(x.clone(), out=None)",
    "F.leaky_relu_(x.clone(), out=None)", "F.relu_(x.clone(), out=None)", "F.rrelu_(x.clone(), out=None)",
    "F.selu_(x.clone(), out=None)", "F.one_hot(torch.tensor([1, 2]), out=None)", "F.pdist(x, out=None)",
    "F.softplus(x, out=None)",
    # elu_'s scale and input_scale
    "F.elu_(x.clone(), 0, 1.5)", "F.elu_(x.clone(), 0.5, 1.5, 2.0)", "F.elu_(x.clone(), 0.5, 2, 3)",
    "F.elu_(x.clone(), 0, 1.5, 2.0, 3)", "F.elu_(x.clone(), 0, 'abc')", "F.elu_(x.clone(), 0, 1.0, x)",
    # split_with_sizes' int list is parsed before the 0-d check
    "torch.tensor(1.5).split_with_sizes(99)", "x.split_with_sizes(1)", "x.split_with_sizes(0, None)",
    "x.split_with_sizes(99, x)", "x.split_with_sizes(torch.tensor([1, 1]))", "x.split_with_sizes([1, 1])",
    "x.split_with_sizes((2, 1), 1)",
]


@pytest.mark.parametrize("expr", CALLS)
def test_bad_argument_types_match_torch(same, expr):
    def prog(torch, see):
        F = torch.nn.functional  # noqa: F841 (used by eval(expr))
        x = torch.tensor([[0.5, -1.25, 2.0], [0.0, 3.5, -0.75]])  # noqa: F841
        x4 = torch.arange(8.0).reshape(2, 4) / 4 - 1  # noqa: F841
        idx = torch.tensor([0, 5])  # noqa: F841
        see(eval(expr))
    same(prog)


def test_elu_inplace_scale_values_and_gradients(same):
    """torch._C._nn.elu_(input, alpha, scale, input_scale): the extra Scalars reach the kernel
    and its derivative."""
    def prog(torch, see):
        x = torch.tensor([[-2.0, -0.5, 0.0], [0.25, 1.5, -3.0]], dtype=torch.float64, requires_grad=True)
        y = x.clone()
        torch.nn.functional.elu_(y, 0.7, 1.5, 2.0)
        see(y.detach(), type(y.grad_fn).__name__)
        g, = torch.autograd.grad(y.sum(), x)
        see(g)
    same(prog)
