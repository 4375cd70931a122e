"""erf / erfc: values (float32 and float64), gradients, double gradients, in-place, node names."""
import math

import numpy as np
import pytest

from numtorch._ops.special import erf, erfc


@pytest.mark.parametrize("name", ["erf", "erfc"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_erf_family_matches_torch(same, name, dtype):
    def prog(torch, see):
        x = torch.tensor([-7.0, -2.0, -1.0, -0.5, 0.0, 0.3, 0.9, 1.1, 2.0, 3.5, 6.5, 30.0],
                         dtype=getattr(torch, dtype), requires_grad=True)
        y = getattr(x, name)()
        g, = torch.autograd.grad(y.sum(), x, create_graph=True)
        see(y, type(y.grad_fn).__name__, g, torch.autograd.grad(g.sum(), x))
        z = x.detach().clone()
        see(getattr(z, name + "_")(), z._version, getattr(torch, name)(torch.tensor([1, 2])))
    same(prog)


def test_kernels_are_within_a_few_ulp_of_the_c_library():
    x = np.concatenate([np.linspace(-30, 30, 20001), [0.0, -0.0, 1e-300, np.inf, -np.inf]])
    for fn, ref_fn, ulps in ((erf, math.erf, 1), (erfc, math.erfc, 8)):
        got = fn(x)
        ref = np.array([ref_fn(v) for v in x])
        tiny = np.abs(ref) < 1e-290
        err = np.abs(got - ref)[~tiny] / np.spacing(np.abs(ref[~tiny]))
        assert err.max() <= ulps, (fn.__name__, err.max())
    assert np.isnan(erf(np.array([np.nan])))[0] and np.isnan(erfc(np.array([np.nan])))[0]


def test_relu_backward_drops_inf_and_nan_gradients_where_the_input_was_negative(same):
    def prog(torch, see):
        x = torch.tensor([-1.0, 0.0, 2.0, float("nan"), 3.0], requires_grad=True)
        y = x.relu()
        y.backward(torch.tensor([float("inf"), float("nan"), 1.0, 5.0, float("-inf")]))
        see(y, x.grad)
    same(prog)
