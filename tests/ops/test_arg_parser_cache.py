"""The argument parser remembers accepted call shapes (arg_parser._PASSED) so that ordinary calls
skip binding; a remembered shape must never let through a call torch rejects."""
import pytest
import torch

import numtorch

# (accepted call, rejected call of the same argument types) pairs, differing only in what the key
# keeps of a tensor argument (0-d, one element, floating) or in a keyword's name
PAIRS = [
    (lambda L, x: x.sum(dim=0), lambda L, x: x.sum(dim=0.5)),
    (lambda L, x: L.sum(x, dim=0), lambda L, x: L.sum(x, dim="a")),
    (lambda L, x: x.clamp(min=0.0), lambda L, x: x.clamp(min="a")),
    (lambda L, x: x.pow(2), lambda L, x: x.pow("2")),
    (lambda L, x: x.topk(1), lambda L, x: x.topk(1.5)),
    # same types, the tensor's shape decides: a one-element integer tensor is an int, others not
    (lambda L, x: x.topk(L.tensor(1)), lambda L, x: x.topk(L.tensor([1, 2]))),
    (lambda L, x: x.transpose(0, 1), lambda L, x: x.transpose(0, 1.0)),
    (lambda L, x: x.unsqueeze(L.tensor(0)), lambda L, x: x.unsqueeze(L.tensor(0.5))),
    (lambda L, x: x.unsqueeze(L.tensor(0)), lambda L, x: x.unsqueeze(L.tensor([0, 1]))),
]


@pytest.mark.parametrize("ok,bad", PAIRS)
def test_remembered_shapes_do_not_admit_rejected_calls(ok, bad):
    for _ in range(2):  # the second round runs with the accepted shape remembered
        ok(numtorch, numtorch.ones(2, 3))
        with pytest.raises(TypeError) as theirs:
            bad(torch, torch.ones(2, 3))
        with pytest.raises(TypeError) as ours:
            bad(numtorch, numtorch.ones(2, 3))
        # the head of the message (which check refused it); the full signature listing is the
        # parser's own business (tests/fuzz)
        assert str(ours.value).split(" - got")[0] == str(theirs.value).split(" - got")[0]
