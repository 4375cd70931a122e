"""The backward paths a node takes without calls it does not need, compared with torch: a view
leaf whose base was written in place (AccumulateGrad reads grad_fn's property only for a view),
add/sub's `other` gradient with alpha 1 and otherwise (the multiplying import only for alpha != 1),
and needs_input_grad for one, two and three inputs, any of them without a gradient edge."""
import numpy as np
import pytest
import torch

import numtorch


def _outcome(fn):
    try:
        return ("ok", fn())
    except Exception as e:  # the exception type and message are compared too
        return (type(e).__name__, str(e))


def _leaf_view_moved_into_graph(L):
    base = L.zeros(4)
    v = base[:2]
    v.requires_grad_()
    y = (v * 2).sum()
    base.add_(L.ones(4, requires_grad=True))
    y.backward()
    return v.grad.tolist()


def _leaf_view_untouched(L):
    base = L.zeros(4)
    v = base[1:3]
    v.requires_grad_()
    (v * 3).sum().backward()
    return v.grad.tolist(), v.is_leaf, v.grad.stride()


def test_view_leaf_accumulates_or_raises_as_torch():
    for case in (_leaf_view_moved_into_graph, _leaf_view_untouched):
        assert _outcome(lambda: case(numtorch)) == _outcome(lambda: case(torch))


@pytest.mark.parametrize("op", ["add", "sub"])
@pytest.mark.parametrize("alpha", [1, 2.5, -1])
@pytest.mark.parametrize("create_graph", [False, True])
def test_add_sub_other_gradient_with_alpha(op, alpha, create_graph):
    def run(L):
        x = L.tensor([1.0, -0.0, float("nan")], requires_grad=True)
        w = L.tensor([2.0, float("inf"), -3.0], requires_grad=True)
        out = getattr(L, op)(x, w, alpha=alpha)
        gx, gw = L.autograd.grad(out, (x, w), L.tensor([1.0, -2.0, 0.5]), create_graph=create_graph)
        names = [None if g.grad_fn is None else g.grad_fn.name() for g in (gx, gw)]
        return (gx.detach().numpy().view(np.uint32).tolist(), gw.detach().numpy().view(np.uint32).tolist(),
                str(gw.dtype).replace("torch.", ""), names)
    assert run(numtorch) == run(torch)


@pytest.mark.parametrize("needs", [(True, False), (False, True), (True, True),
                                   (True, False, True), (False, True, False), (False, False, True)])
def test_needs_input_grad_one_two_three_inputs(needs):
    def run(L):
        ts = [L.tensor([0.5, -1.5, 2.0], requires_grad=r) for r in needs]
        if len(ts) == 2:
            out = ts[0] * ts[1]
        else:
            out = L.clamp(ts[0], ts[1] - 1.0, ts[2])  # ClampBackward1: three tensor inputs
        unary = (ts[0] if needs[0] else ts[-1]).exp()  # a one-input node
        (out.sum() + unary.sum()).backward()
        return [None if t.grad is None else t.grad.numpy().view(np.uint32).tolist() for t in ts]
    assert run(numtorch) == run(torch)
