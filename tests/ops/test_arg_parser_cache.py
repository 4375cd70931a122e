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


# torch's parser refuses bool where it wants an int (THPUtils_checkLong), and reads
# cross_entropy's label_smoothing as a float
BOOL_AS_INT = [
    lambda L, x: x.unsqueeze(True),
    lambda L, x: L.nn.functional.embedding(L.tensor([0]), x, padding_idx=True),
    lambda L, x: L.nn.functional.max_pool1d(x[None], True),
    lambda L, x: L.nn.functional.cross_entropy(x, L.tensor([0, 1]), ignore_index=True),
    lambda L, x: L.nn.functional.nll_loss(x, L.tensor([0, 1]), ignore_index=False),
    lambda L, x: L.nn.functional.cross_entropy(x, L.tensor([0, 1]), label_smoothing="a"),
]


@pytest.mark.parametrize("call", BOOL_AS_INT)
def test_bool_for_an_int_and_a_str_for_a_float_are_refused_as_in_torch(call):
    with pytest.raises(TypeError) as theirs:
        call(torch, torch.ones(2, 3))
    with pytest.raises(TypeError) as ours:
        call(numtorch, numtorch.ones(2, 3))
    assert str(ours.value) == str(theirs.value)
