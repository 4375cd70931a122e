"""What a node's pre-hook or post-hook (grad_fn.register_prehook / register_hook) and a tensor hook
may return, compared with torch: None or the same tuple keeps the gradients; otherwise a tuple of
as many entries, each None or a tensor of the type and size it replaces (python_hook.cpp's
check_result). Hooks still run when every incoming gradient is undefined, and the node then gives
undefined gradients."""
import pytest
import torch

import numtorch


class _Unnamed:
    """A callable without __name__: torch names it '<unknown>' in its messages."""

    def __init__(self, make):
        self.make = make

    def __call__(self, *args):
        return self.make()


def _pre_hook_program(L, make):
    x = L.ones(2, 3, requires_grad=True)
    y = (x * 2).sum(0)
    y.grad_fn.register_prehook(make(L))
    y.sum().backward()
    return None if x.grad is None else x.grad.tolist()


def _post_hook_program(L, make):
    x = L.ones(2, 3, requires_grad=True)
    y = (x * 2).sum(0)
    y.grad_fn.register_hook(lambda grad_inputs, grad_outputs: make(L)(grad_inputs))
    y.sum().backward()
    return None if x.grad is None else x.grad.tolist()


def _tensor_hook_program(L, make):
    x = L.ones(3, requires_grad=True)
    y = x * 2
    y.register_hook(make(L))
    y.sum().backward()
    return x.grad.tolist()


def myhook(L):
    def myhook(grads):
        return (L.ones(3, dtype=L.float64),)
    return myhook


PRE_HOOK_RESULTS = {
    "none": lambda L: lambda g: None,
    "same tuple": lambda L: lambda g: g,
    "scaled": lambda L: lambda g: (g[0] * 5,),
    "undefined": lambda L: lambda g: (None,),
    "wrong size": lambda L: lambda g: (L.ones(5),),
    "broadcastable size": lambda L: lambda g: (L.ones(1, 3),),
    "wrong dtype (named)": myhook,
    "integer dtype": lambda L: lambda g: (L.ones(3, dtype=L.int64),),
    "not a tensor": lambda L: lambda g: (1.0,),
    "two values": lambda L: lambda g: (L.ones(3), L.ones(3)),
    "no values": lambda L: lambda g: (),
    "a list": lambda L: lambda g: [L.ones(3)],
    "a bare tensor": lambda L: lambda g: L.ones(3),
    "unnamed callable": lambda L: _Unnamed(lambda: (L.ones(7),)),
}


def _outcome(program, L, make):
    try:
        return ("ok", program(L, make))
    except Exception as e:  # the exception type and message are compared
        return (type(e).__name__, str(e))


@pytest.mark.parametrize("case", sorted(PRE_HOOK_RESULTS))
@pytest.mark.parametrize("program", [_pre_hook_program, _post_hook_program])
def test_node_hook_result_is_checked_as_torch_checks_it(program, case):
    make = PRE_HOOK_RESULTS[case]
    got = _outcome(program, numtorch, make)
    assert got == _outcome(program, torch, make)


@pytest.mark.parametrize("case", ["wrong size", "wrong dtype", "not a tensor", "unnamed callable"])
def test_tensor_hook_result_is_checked_as_torch_checks_it(case):
    make = {"wrong size": lambda L: lambda g: L.ones(5),
            "wrong dtype": lambda L: lambda g: g.double(),
            "not a tensor": lambda L: lambda g: 2.0,
            "unnamed callable": lambda L: _Unnamed(lambda: L.ones(5))}[case]
    assert _outcome(_tensor_hook_program, numtorch, make) == _outcome(_tensor_hook_program, torch, make)


def _undefined_flow(L):
    seen = []
    x = L.ones(2, 3, requires_grad=True)
    y = (x * 2).sum(0)
    y.grad_fn.register_prehook(lambda g: (None,))
    y.grad_fn.register_hook(lambda gi, go: seen.append(("sum post", gi, go)))
    mul = y.grad_fn.next_functions[0][0]
    mul.register_prehook(lambda g: seen.append(("mul pre", g)))
    mul.register_hook(lambda gi, go: seen.append(("mul post", gi, go)))
    y.sum().backward()
    return seen, x.grad


def test_hooks_run_on_undefined_gradients_and_the_node_gives_undefined_ones():
    got, expected = _undefined_flow(numtorch), _undefined_flow(torch)
    assert got == expected  # every entry is None: equal as tuples
    assert got[1] is None
