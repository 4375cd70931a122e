"""AccumulateGrad steals a first gradient nobody else holds (torch's is_tensor_stealable): `.grad`
is then new_grad.detach(), sharing its data and version counter, so a view of the gradient taken
earlier sees later writes to `.grad`'s memory; any other first gradient is copied
(clone_obey_contract: copy_ into a new tensor, version 1 when the leaf is dense)."""
import pytest
import torch

import numtorch


def _functions(L):
    buf = {}

    def fn(backward):
        return type("F", (L.autograd.Function,), {
            "forward": staticmethod(lambda ctx, x: x * 1),
            "backward": staticmethod(lambda ctx, g: backward(g))})

    def bumped(g):
        r = g.clone()
        r.add_(1)
        r.mul_(2)
        return r
    return buf, {"view_of_buf": fn(lambda g: buf["b"][:]), "buf_itself": fn(lambda g: buf["b"]),
                 "bumped": fn(bumped), "buf_t": fn(lambda g: buf["b"].t())}


def _custom(name, shape=(3,), bshape=(3,), **kw):
    def run(L):
        buf, fns = _functions(L)
        buf["b"] = L.zeros(*bshape)
        x = L.ones(*shape, requires_grad=True)
        fns[name].apply(x).sum().backward(**kw)
        return x, buf["b"]
    return run


def _leaf_hook(make_hook):
    def run(L):
        keep = []
        x = L.ones(3, requires_grad=True)
        x.register_hook(make_hook(keep))
        (x * 2).sum().backward()
        return x, keep[0] if keep else None
    return run


def _keep_returned(keep):
    def hook(g):
        r = g * 2
        keep.append(r)
        return r
    return hook


def _keep_view_of_returned(keep):
    def hook(g):
        r = g * 2
        keep.append(r[:])
        return r
    return hook


def _nonleaf_hook(op):
    def run(L):
        keep = []
        x = L.ones(3, requires_grad=True)
        y = op(x, L.ones(3))
        y.register_hook(keep.append)
        y.backward(L.ones(y.shape) * 2)
        return x, keep[0]
    return run


def _acc_hook(kind):
    def run(L):
        buf, fns = _functions(L)
        buf["b"] = L.zeros(3)
        x = L.ones(3, requires_grad=True)
        y = fns["view_of_buf"].apply(x)
        acc = y.grad_fn.next_functions[0][0]
        kept = []
        if kind == "post":
            acc.register_hook(lambda gi, go: None)
        elif kind == "pre":
            acc.register_prehook(lambda go: None)
        elif kind == "pre_keeps":
            acc.register_prehook(kept.append)
        else:
            x.register_post_accumulate_grad_hook(lambda p: None)
        y.sum().backward()
        return x, buf["b"]
    return run


def _user_gradient(through):
    def run(L):
        g0 = L.ones(3) * 5
        x = L.ones(3, requires_grad=True)
        through(x).backward(g0)
        return x, g0
    return run


def _second_input(L):
    buf, fns = _functions(L)
    buf["b"] = L.zeros(3)
    x, w = L.ones(3, requires_grad=True), L.ones(3, requires_grad=True)
    fns["view_of_buf"].apply(x * w).sum().backward(inputs=[x])
    return x, buf["b"]


def _two_leaves(which):
    def run(L):
        keep = []
        x, w = L.ones(3, requires_grad=True), L.ones(3, requires_grad=True)
        y = x + w
        y.register_hook(lambda g: keep.append(g.view(3)))
        y.backward(L.ones(3) * 2)
        return (x if which == 0 else w), keep[0]
    return run


def _twice(L):
    buf, fns = _functions(L)
    buf["b"] = L.zeros(3)
    x = L.ones(3, requires_grad=True)
    fns["view_of_buf"].apply(x).sum().backward()
    fns["view_of_buf"].apply(x).sum().backward()
    return x, buf["b"]


def _custom_inputs(L):
    buf, fns = _functions(L)
    buf["b"] = L.zeros(3)
    x = L.ones(3, requires_grad=True)
    fns["view_of_buf"].apply(x).sum().backward(inputs=[x])
    return x, buf["b"]


def _leaf_layout(make_leaf, bshape):
    """A leaf of a given layout receiving a contiguous gradient of its shape (C-contiguous pairs
    take AccumulateGrad's quick layout answer)."""
    def run(L):
        buf, fns = _functions(L)
        buf["b"] = L.zeros(bshape)
        x = make_leaf(L).requires_grad_()
        fns["view_of_buf"].apply(x).sum().backward()
        return x, buf["b"]
    return run


def _mul_in_place(g):
    g.mul_(3)


def _anomaly(L):
    with L.autograd.detect_anomaly():
        return _custom("view_of_buf")(L)


PROGRAMS = {
    "view_of_buf": _custom("view_of_buf"),
    "buf_itself": _custom("buf_itself"),
    "bumped": _custom("bumped"),
    "buf_t": _custom("buf_t", (3, 3), (3, 3)),
    "buf_t_rect": _custom("buf_t", (3, 2), (2, 3)),
    "retain_graph": _custom("view_of_buf", retain_graph=True),
    "inputs": _custom_inputs,
    "second_input": _second_input,
    "hook_keeps": _leaf_hook(lambda keep: keep.append),
    "hook_keeps_view": _leaf_hook(lambda keep: lambda g: keep.append(g.view(3))),
    "hook_returns_kept": _leaf_hook(_keep_returned),
    "hook_keeps_view_of_returned": _leaf_hook(_keep_view_of_returned),
    "hook_in_place": _leaf_hook(lambda keep: _mul_in_place),
    "acc_post_hook": _acc_hook("post"),
    "acc_pre_hook": _acc_hook("pre"),
    "acc_pre_hook_keeps": _acc_hook("pre_keeps"),
    "post_accumulate_hook": _acc_hook("post_acc"),
    "user_gradient_add0": _user_gradient(lambda x: x + 0),
    "user_gradient_leaf": _user_gradient(lambda x: x),
    "two_leaves_x": _two_leaves(0),
    "two_leaves_w": _two_leaves(1),
    "twice": _twice,
    "anomaly": _anomaly,
    "leaf_1x3": _leaf_layout(lambda L: L.ones(1, 3), (1, 3)),
    "leaf_3x1": _leaf_layout(lambda L: L.ones(3, 1), (3, 1)),
    "leaf_2x1x3": _leaf_layout(lambda L: L.ones(2, 1, 3), (2, 1, 3)),
    "leaf_3x1_from_t": _leaf_layout(lambda L: L.ones(1, 3).t(), (3, 1)),
    "leaf_transposed": _leaf_layout(lambda L: L.ones(2, 3).t(), (3, 2)),
    "leaf_empty": _leaf_layout(lambda L: L.ones(2, 0), (2, 0)),
}


PASS_THROUGH = {"add": lambda x, z: x + z, "sub": lambda x, z: x - z, "clone": lambda x, z: x.clone(),
                "view": lambda x, z: x.view(3), "reshape": lambda x, z: x.reshape(3),
                "contiguous": lambda x, z: x.contiguous(), "unsqueeze": lambda x, z: x.unsqueeze(0),
                "t": lambda x, z: x.t(), "index": lambda x, z: x[:], "expand": lambda x, z: x.expand(3),
                "mul1": lambda x, z: x * 1, "add_detached": lambda x, z: x + z.detach()}
PROGRAMS.update({"nonleaf_hook_" + k: _nonleaf_hook(op) for k, op in PASS_THROUGH.items()})


def _observe(L, program):
    """.grad's version, and whether a write through the probe (memory of the incoming gradient)
    shows in .grad afterwards."""
    x, probe = program(L)
    version = x.grad._version
    before = x.grad.clone()
    if probe is not None:
        with L.no_grad():
            probe.add_(100)
    return version, not L.equal(before, x.grad), x.grad.stride()


@pytest.mark.parametrize("name", PROGRAMS)
def test_first_gradient_stolen_or_copied_as_torch(name):
    assert _observe(numtorch, PROGRAMS[name]) == _observe(torch, PROGRAMS[name])


@pytest.mark.parametrize("shape, make", [((0,), lambda L: L.ones(0)), ((0, 3), lambda L: L.ones(0, 3)),
                                         ((3, 2), lambda L: L.ones(3, 4)[:, ::2]),
                                         ((3, 4), lambda L: L.ones(3, 1).expand(3, 4)),
                                         ((3, 4), lambda L: L.ones(4, 3).t())])
def test_copied_gradient_version_follows_clone_obey_contract(shape, make):
    def run(L):
        keep = []
        x = make(L).detach().requires_grad_()
        x.register_hook(keep.append)  # a gradient the hook keeps is copied
        (x * 2).backward(L.ones(shape))
        return x.grad._version, x.grad.stride(), x.grad.tolist()
    assert run(numtorch) == run(torch)
