"""numtorch's notes on PyTorch's version error: which in-place write moved the version and where the
saving forward call was made. The message itself stays PyTorch's, byte for byte."""
import inspect

import pytest

import numtorch as torch


def _line_of(marker: str) -> int:
    src, start = inspect.getsourcelines(inspect.currentframe().f_back.f_code)
    return start + next(i for i, line in enumerate(src) if marker in line)


def test_example4_notes_name_the_zero_line_and_the_forward_line():
    a = torch.tensor([1.2, 3.4, 5.6], requires_grad=True)
    out = a.sigmoid()  # forward-here
    c = out.detach()
    c.zero_()  # write-here
    with pytest.raises(RuntimeError) as info:
        out.sum().backward()
    notes = info.value.__notes__
    assert notes[0] == f"numtorch: modified in place by zero_() at {__file__}:{_line_of('write-here')} (version 0 -> 1)"
    assert notes[1] == (f"numtorch: saved for backward by SigmoidBackward0 in the forward call at "
                        f"{__file__}:{_line_of('forward-here')} (at version 0)")
    assert str(info.value).startswith("one of the variables needed for gradient computation has been "
                                      "modified by an inplace operation: [torch.FloatTensor [3]], which is output 0 of Sigmoid")


def test_every_write_after_the_save_is_listed_in_order():
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    b = w * 1
    y = b * b  # saves b (version 0)
    b.add_(1)  # first
    b[0] = 3.0  # second
    with pytest.raises(RuntimeError) as info:
        y.sum().backward()
    notes = info.value.__notes__
    assert [n.split(" at ")[0] for n in notes[:2]] == ["numtorch: modified in place by add_()",
                                                      "numtorch: modified in place by __setitem__()"]
    assert notes[0].endswith(f":{_line_of('# first')} (version 0 -> 1)")
    assert notes[1].endswith(f":{_line_of('# second')} (version 1 -> 2)")
    assert "saved for backward by MulBackward0" in notes[2]


def test_writes_before_the_save_are_not_blamed():
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    b = w * 1
    b.mul_(2)  # before the save: harmless
    e = b.exp()
    with torch.no_grad():
        e.add_(1)  # the culprit
    with pytest.raises(RuntimeError) as info:
        e.sum().backward()
    notes = info.value.__notes__
    assert len([n for n in notes if "modified in place" in n]) == 1
    assert notes[0].endswith(f":{_line_of('the culprit')} (version 0 -> 1)")


def test_no_notes_without_an_error():
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    assert w.grad.tolist() == [2.0, 4.0]
