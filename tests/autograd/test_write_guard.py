"""numtorch's guard for untracked writes (issue 7, item 2): writes through .data, .numpy() arrays or
the array given to from_numpy, to memory a live graph saved for backward. Off (the default), the
behaviour is PyTorch's: a silently wrong gradient. On (anomaly mode, or guard_writes()), the write
raises at its line when it can, else backward raises; the arrays the guard locked are unlocked
when the graph is released."""
import gc
import inspect
import warnings

import numpy as np
import pytest

import numtorch as torch
from numtorch._autograd import write_guard


def _line_of(marker: str) -> int:
    src, start = inspect.getsourcelines(inspect.currentframe().f_back.f_code)
    return start + next(i for i, line in enumerate(src) if marker in line and "_line_of" not in line)


def _raising_line(excinfo) -> int:
    """The line of this test file where the exception was raised from."""
    tb, line = excinfo.tb, None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == __file__:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


@pytest.fixture(autouse=True)
def _guard_off_after():
    yield
    assert not write_guard.ACTIVE, "a test left the guard on"


# ---- off: PyTorch's behaviour, a silently wrong gradient ------------------------------------------
def test_off_write_through_data_gives_torchs_silently_wrong_grad(same):
    def prog(torch, see):
        a = torch.tensor([1.2, 3.4, 5.6], requires_grad=True)
        out = a.sigmoid()
        out.data.zero_()  # SigmoidBackward0 saved `out`: its gradient formula now reads zeros
        out.sum().backward()
        see(a.grad, out, out._version)
    same(prog)


def test_off_write_through_numpy_alias_gives_torchs_silently_wrong_grad(same):
    def prog(torch, see):
        a = torch.tensor([1.2, 3.4, 5.6], requires_grad=True)
        out = a.exp()
        n = out.detach().numpy()
        n[:] = 1.0
        out.sum().backward()
        see(a.grad, out._version)
    same(prog)


def test_off_write_to_from_numpy_source_gives_torchs_silently_wrong_grad(same):
    def prog(torch, see):
        arr = np.array([1.0, 2.0, 3.0])
        x = torch.from_numpy(arr)
        w = torch.tensor([0.5, 0.5, 0.5], dtype=torch.float64, requires_grad=True)
        y = (w * x).sum()  # MulBackward0 saves x for w's gradient
        arr[:] = 5.0
        y.backward()
        see(w.grad, x._version)
    same(prog)


def test_off_data_aliases_the_same_memory(same):
    def prog(torch, see):
        a = torch.arange(6.0).reshape(2, 3).t()
        d = a.data
        see(d.data_ptr() == a.data_ptr(), d.stride(), d.storage_offset(), d._version)
        d.add_(1)
        see(a, a._version, d._version)
    same(prog)


def test_off_numpy_is_the_tensors_array():
    a = torch.ones(3)
    assert a.numpy() is a._data and a.data._data is a._data


# ---- on: the write raises at its line ----------------------------------------------------------------
def test_acceptance_guard_catches_data_zero_before_backward():
    with torch.autograd.guard_writes():
        a = torch.tensor([1.2, 3.4, 5.6], requires_grad=True)
        out = a.sigmoid()  # forward-here
        with pytest.raises(RuntimeError) as info:
            out.data.zero_()  # write-here
    msg = str(info.value)
    assert msg.startswith(f"zero_() at {__file__}:{_line_of('write-here')} writes in place to memory "
                          f"that SigmoidBackward0 saved for backward in the forward call at "
                          f"{__file__}:{_line_of('forward-here')}, through the tensor .data returned at "
                          f"{__file__}:{_line_of('write-here')}.")
    assert "bypasses the saved tensor's version counter" in msg
    assert any("write guard" in n for n in info.value.__notes__)
    assert _raising_line(info) == _line_of("write-here")
    # nothing was written: backward gives the right gradient, and frees the lock
    out.sum().backward()
    s = 1 / (1 + np.exp(-np.array([1.2, 3.4, 5.6], dtype=np.float32)))
    np.testing.assert_allclose(a.grad.numpy(), s * (1 - s), rtol=1e-6)
    d = out.data
    d.zero_()  # the graph is freed: writes are allowed again


def test_anomaly_mode_turns_the_guard_on_and_restores_it():
    with torch.autograd.set_detect_anomaly(True):
        assert write_guard.ACTIVE
        a = torch.tensor([1.0, 2.0], requires_grad=True)
        out = a.exp()
        with pytest.raises(RuntimeError, match=r"^mul_\(\) at .* ExpBackward0 saved"):
            out.data.mul_(2)
    assert not write_guard.ACTIVE
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with torch.autograd.detect_anomaly():
            assert write_guard.ACTIVE
    assert not write_guard.ACTIVE


def test_guard_writes_as_decorator():
    @torch.autograd.guard_writes()
    def step():
        assert write_guard.ACTIVE
        a = torch.tensor([1.0, 2.0], requires_grad=True)
        out = a.sigmoid()
        out.data.fill_(0.0)

    with pytest.raises(RuntimeError, match="fill_"):
        step()
    assert not write_guard.ACTIVE


def test_numpy_alias_write_raises_numpys_error_at_the_line():
    with torch.autograd.guard_writes():
        a = torch.tensor([1.2, 3.4, 5.6], requires_grad=True)
        out = a.sigmoid()
        n = out.detach().numpy()
        with pytest.raises(ValueError, match="assignment destination is read-only") as info:
            n[0] = 0.0  # numpy-write
        assert _raising_line(info) == _line_of("numpy-write")
        m = np.asarray(out.detach())  # __array__ hands out a guarded alias too
        with pytest.raises(ValueError, match="read-only"):
            m += 1
        out.sum().backward()
    assert n.flags.writeable and m.flags.writeable  # unlocked once backward freed the graph
    n[0] = 0.0
    assert out.detach()[0].item() == 0.0  # the alias still shares the tensor's memory


def test_from_numpy_source_write_raises_at_the_line_and_is_unlocked_after_backward():
    arr = np.array([1.0, 2.0, 3.0])
    x = torch.from_numpy(arr)  # made before the guard: the source is found from the storage
    with torch.autograd.guard_writes():
        w = torch.tensor([0.5, 0.5, 0.5], dtype=torch.float64, requires_grad=True)
        y = (w * x).sum()
        with pytest.raises(ValueError, match="read-only") as info:
            arr[1] = 7.0  # source-write
        assert _raising_line(info) == _line_of("source-write")
        y.backward()
    assert arr.flags.writeable
    np.testing.assert_array_equal(w.grad.numpy(), [1.0, 2.0, 3.0])
    arr[1] = 7.0
    assert x[1].item() == 7.0


def test_from_numpy_under_the_guard_names_its_line_in_the_backward_report():
    with torch.autograd.guard_writes():
        arr = np.array([1.0, 2.0, 3.0])
        x = torch.from_numpy(arr)  # from-numpy-here
        w = torch.ones(3, dtype=torch.float64, requires_grad=True)
        y = (w * x).sum()
        raw = x._data  # not an alias the guard knows: only the snapshot sees this write
        raw[0] = 9.0
        with pytest.raises(RuntimeError) as info:
            y.backward()
    notes = "\n".join(info.value.__notes__)
    assert f"the NumPy array given to from_numpy() at {__file__}:{_line_of('from-numpy-here')}" in notes


def test_views_of_a_data_tensor_are_guarded():
    with torch.autograd.guard_writes():
        a = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
        out = a.exp()
        d = out.data
        with pytest.raises(RuntimeError, match=r"^zero_\(\) at .*through a view of the tensor \.data returned"):
            d[1:3].zero_()
        with pytest.raises(RuntimeError, match=r"^__setitem__\(\) at .*ExpBackward0"):
            d[0] = 5.0
        v = d.view(2, 2)
        with pytest.raises(RuntimeError, match="add_"):
            v.add_(1)
        out.sum().backward()
        np.testing.assert_allclose(a.grad.numpy(), np.exp([1.0, 2.0, 3.0, 4.0]), rtol=1e-6)
        v.add_(1)  # freed: fine, and the view sees the tensor's memory
        d[1:3].zero_()
    np.testing.assert_allclose(out.detach().numpy(), [np.exp(1) + 1, 0, 0, np.exp(4) + 1], rtol=1e-6)


def test_alias_taken_before_the_save_is_locked_by_the_save_and_unlocked_after():
    with torch.autograd.guard_writes():
        w = torch.tensor([1.0, 2.0], requires_grad=True)
        wd = w.data  # before any graph saved w
        n = w.detach().numpy()
        wd.add_(1)  # nothing saved w yet: allowed
        y = (w * w).sum()  # MulBackward0 saves w
        assert not n.flags.writeable and not wd._data.flags.writeable
        with pytest.raises(RuntimeError, match=r"^add_\(\) at .*MulBackward0 saved"):
            wd.add_(1)
        y.backward()
        assert n.flags.writeable and wd._data.flags.writeable
        wd.add_(1)
    np.testing.assert_array_equal(w.grad.numpy(), [4.0, 6.0])
    np.testing.assert_array_equal(w.detach().numpy(), [3.0, 4.0])


def test_arrays_are_unlocked_when_the_graph_is_dropped():
    with torch.autograd.guard_writes():
        a = torch.tensor([1.0, 2.0], requires_grad=True)
        out = a.sigmoid()
        n = out.detach().numpy()
        assert not n.flags.writeable
        del out  # the node and its saved tensor die with the last reference
    assert n.flags.writeable
    with torch.autograd.guard_writes():
        b = torch.tensor([1.0, 2.0], requires_grad=True)
        y = b.exp()
        m = y.detach().numpy()
        y.grad_fn.metadata["self"] = y.grad_fn  # a reference cycle through the node
        del y
    gc.collect()
    assert m.flags.writeable


def test_locks_outlive_the_guard_block_until_the_graph_is_released():
    with torch.autograd.guard_writes():
        a = torch.tensor([1.0, 2.0], requires_grad=True)
        out = a.sigmoid()
        n = out.detach().numpy()
    assert not write_guard.ACTIVE and not n.flags.writeable
    d = out.data  # taken with the guard off: the tensor's own array, as in torch
    assert d._data is out._data
    out.sum().backward()
    assert n.flags.writeable


def test_read_only_arrays_stay_read_only():
    with torch.autograd.guard_writes():
        a = torch.tensor([1.0, 2.0], requires_grad=True)
        n = a.detach().numpy()
        n.flags.writeable = False  # the user's choice
        y = (a * a).sum()
        y.backward()
    assert not n.flags.writeable


# ---- on: writes the guard could not lock are reported at backward -----------------------------------
def test_alias_made_before_the_guard_is_caught_at_backward():
    x = torch.tensor([1.0, 2.0, 3.0])
    n = x.numpy()  # before the guard: the tensor's own array
    with torch.autograd.guard_writes():
        w = torch.tensor([1.0, 1.0, 1.0], requires_grad=True)
        y = (w * x).sum()  # forward-here
        n[0] = 10.0  # unseen by the version counter and not lockable
        with pytest.raises(RuntimeError) as info:
            y.backward()
    msg = str(info.value)
    assert msg.startswith("a tensor saved for backward by MulBackward0 was modified by a write that "
                          "bypassed the version counter (.data, .numpy() or a NumPy alias)")
    assert "its version is still 0" in msg
    notes = info.value.__notes__
    assert notes[0] == (f"numtorch: saved for backward by MulBackward0 in the forward call at "
                        f"{__file__}:{_line_of('forward-here')}")
    assert "handed out no alias" in notes[1]


def test_data_taken_before_the_guard_is_caught_at_backward():
    x = torch.tensor([1.0, 2.0, 3.0])
    early = x.data  # before the guard: shares x's own array, as in torch
    with torch.autograd.guard_writes():
        w = torch.tensor([1.0, 1.0, 1.0], requires_grad=True)
        y = (w * x).sum()
        late = x.data  # under the guard: locked while MulBackward0 holds x
        early.add_(1)  # not lockable: seen at backward
        with pytest.raises(RuntimeError, match="saved for backward by MulBackward0 was modified") as info:
            y.backward()
        assert any("the tensor .data returned at" in n for n in info.value.__notes__)
        assert not late._data.flags.writeable
        del y, info
    gc.collect()
    assert late._data.flags.writeable


def test_storage_replaced_with_data_setter_is_reported():
    with torch.autograd.guard_writes():
        x = torch.tensor([1.0, 2.0])
        w = torch.tensor([1.0, 1.0], requires_grad=True)
        y = (w * x).sum()
        x.data = torch.tensor([5.0, 6.0])
        with pytest.raises(RuntimeError) as info:
            y.backward()
    assert any("memory was replaced" in n for n in info.value.__notes__)


# ---- on: no false positives --------------------------------------------------------------------------
def _train(opt_name, anomaly, steps=4):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(5, 16), torch.nn.ReLU(), torch.nn.Linear(16, 3))
    opt = (torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9) if opt_name == "sgd"
           else torch.optim.Adam(model.parameters(), lr=0.01))
    x = torch.randn(32, 5)
    y = torch.randint(0, 3, (32,))
    losses = []
    with torch.autograd.set_detect_anomaly(anomaly):
        for _ in range(steps):
            opt.zero_grad()
            out = model(x)
            loss = torch.nn.functional.cross_entropy(out, y)
            loss.backward()
            opt.step()
            losses.append(loss.item())
            acc = (out.argmax(1) == y).float().mean().item()  # metrics after backward
            probs = out.softmax(1).detach().numpy()
            assert probs.shape == (32, 3) and 0 <= acc <= 1
            for p in model.parameters():  # clipping through .data after the step
                p.data.clamp_(-2.0, 2.0)
    return losses, [p.detach().numpy().copy() for p in model.parameters()]


@pytest.mark.parametrize("opt_name", ["sgd", "adam"])
def test_training_loop_under_anomaly_mode_raises_nothing_and_warns_nothing(opt_name):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        losses_on, params_on = _train(opt_name, anomaly=True)
    assert not caught, [str(w.message) for w in caught]
    losses_off, params_off = _train(opt_name, anomaly=False)
    assert losses_on == losses_off
    for a, b in zip(params_on, params_off):
        np.testing.assert_array_equal(a, b)


def test_optimizer_style_write_under_no_grad_goes_through_the_version_counter():
    """A write through the parameter itself is PyTorch's business: no guard error at the write,
    PyTorch's version error at backward (same text as with the guard off)."""
    def run():
        w = torch.tensor([1.0, 2.0], requires_grad=True)
        y = (w * w).sum()
        with torch.no_grad():
            w.sub_(0.1 * torch.ones(2))
        with pytest.raises(RuntimeError) as info:
            y.backward()
        return str(info.value)

    off = run()
    with torch.autograd.guard_writes():
        on = run()
    assert on == off
    assert off.startswith("one of the variables needed for gradient computation has been modified by "
                          "an inplace operation: [torch.FloatTensor [2]] is at version 1; expected version 0")


def test_version_error_text_unchanged_under_the_guard():
    """Tracked writes keep PyTorch's exact error (and numtorch's notes) with the guard on."""
    def run():
        a = torch.tensor([1.2, 3.4, 5.6], requires_grad=True)
        out = a.sigmoid()
        out.detach().zero_()
        with pytest.raises(RuntimeError) as info:
            out.sum().backward()
        return str(info.value)

    off = run()
    with torch.autograd.guard_writes():
        assert run() == off


def test_gradcheck_under_anomaly_mode():
    x = torch.randn(3, 4, dtype=torch.float64, requires_grad=True)
    w = torch.randn(4, 2, dtype=torch.float64, requires_grad=True)
    with torch.autograd.set_detect_anomaly(True):
        assert torch.autograd.gradcheck(lambda a, b: (a @ b).tanh(), (x, w))
        assert torch.autograd.gradgradcheck(lambda a, b: (a @ b).tanh(), (x, w))
        assert torch.autograd.gradcheck(lambda a, b: (a @ b).tanh(), (x, w), fast_mode=True)


def test_data_stride_and_pointer_are_torchs_under_the_guard():
    a = torch.zeros(3).expand(1, 3)  # torch strides (0, 1)
    t = torch.arange(12.0).reshape(3, 4)[:, 1:3]
    with torch.autograd.guard_writes():
        for x in (a, t):
            d = x.data
            assert d._data is not x._data
            assert (d.stride(), d.storage_offset(), d.data_ptr(), d.shape) == \
                (x.stride(), x.storage_offset(), x.data_ptr(), x.shape)


def test_custom_function_saves_are_guarded():
    class Square(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * x * g

    with torch.autograd.guard_writes():
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = Square.apply(x)
        with pytest.raises(RuntimeError, match=r"^mul_\(\) at .* SquareBackward saved"):
            x.data.mul_(3)
        y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 4.0])


def test_saved_tensor_hooks_bypass_the_guard():
    """Tensors packed by saved_tensors_hooks are never checked, as in PyTorch."""
    with torch.autograd.guard_writes():
        a = torch.tensor([1.0, 2.0], requires_grad=True)
        with torch.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t):
            out = a.exp()
        out.data.zero_()
        out.sum().backward()
    np.testing.assert_array_equal(a.grad.numpy(), [0.0, 0.0])


def test_no_registry_leak():
    with torch.autograd.guard_writes():
        for _ in range(50):
            a = torch.tensor([1.0, 2.0], requires_grad=True)
            out = a.exp()
            out.data.numpy()
            out.sum().backward()
        del a, out
    gc.collect()
    assert not any(rec.locks for rec in write_guard._aliases.values())
    assert len(write_guard._aliases) < 10


def test_data_setter_makes_the_array_the_tensors_own():
    """`w.data = src.data`: the array becomes w's own; writes through w are PyTorch's business
    (its version counter), not the guard's."""
    with torch.autograd.guard_writes():
        w = torch.ones(2, requires_grad=True)
        w.data = torch.zeros(2).data
        y = (w * w).sum()
        with torch.no_grad():
            w.add_(1)  # no guard error: PyTorch's version error at backward
        with pytest.raises(RuntimeError, match="is at version 1; expected version 0"):
            y.backward()


_WRITES = {
    "normal_": lambda d: d.normal_(),
    "copy_": lambda d: d.copy_(torch.zeros(4)),
    "__iadd__": lambda d: d.__iadd__(1),
    "clamp_": lambda d: d.clamp_(0, 1),
    "masked_fill_": lambda d: d.masked_fill_(torch.tensor([True, False, True, False]), 0.0),
    "index_fill_": lambda d: d.index_fill_(0, torch.tensor([1]), 0.0),
    "zeros_": lambda d: torch.nn.init.zeros_(d),
    "scatter_": lambda d: d.scatter_(0, torch.tensor([0]), torch.tensor([9.0])),
    "index_put_": lambda d: d.index_put_((torch.tensor([0]),), torch.tensor(5.0)),
    "__setitem__": lambda d: d.__setitem__(torch.tensor([0, 2]), 0.0),
}


@pytest.mark.parametrize("name", list(_WRITES))
def test_every_in_place_entry_point_is_guarded(name):
    with torch.autograd.guard_writes():
        a = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
        out = a.exp()
        with pytest.raises(RuntimeError, match=rf"^{name}\(\) at {__file__}:\d+ writes in place"):
            _WRITES[name](out.data)
        out.sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), np.exp([1.0, 2.0, 3.0, 4.0]), rtol=1e-6)


def test_out_argument_into_a_locked_data_tensor_is_refused_by_numpy():
    with torch.autograd.guard_writes():
        a = torch.tensor([1.0, 2.0], requires_grad=True)
        out = a.exp()
        with pytest.raises(ValueError, match="read-only"):
            torch.add(torch.ones(2), 1, out=out.data)
        out.sum().backward()


def test_shape_only_in_place_ops_on_a_data_tensor_are_not_writes():
    with torch.autograd.guard_writes():
        a = torch.tensor([1.0, 2.0], requires_grad=True)
        out = a.exp()
        d = out.data
        d.unsqueeze_(0)
        d.t_()
        assert d.shape == (2, 1)
        out.sum().backward()
