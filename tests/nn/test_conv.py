"""Convolutions against torch: F.conv1d/2d/3d and F.conv_transpose1d/2d over strides, paddings
('same'/'valid' too), dilations, groups and bias; values, gradients of input, weight and bias,
double backward, graphs, saved attributes, errors; the Conv/ConvTranspose modules (reprs,
state_dict, padding modes, output_size); and the benchmark CNN trained for 5 SGD steps."""
from __future__ import annotations

import ast
import subprocess
import sys
import warnings

import numpy as np
import pytest

import numtorch as nt
import numtorch.nn  # noqa: F401  (binds numtorch.nn for programs written against `torch.nn`)

torch = pytest.importorskip("torch")


def data(shape, seed=0, dtype=np.float64):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


def _cos_like(torch, y):
    return torch.tensor(np.cos(np.arange(y.numel())).reshape(tuple(y.shape)), dtype=y.dtype)


CONV2D = [  # stride, padding, dilation, groups, bias
    (1, 0, 1, 1, True), (2, 1, 1, 1, False), ((2, 1), (1, 2), (1, 2), 1, True),
    (1, 1, 2, 2, True), (3, (0, 2), 1, 4, True), (1, 2, 1, 1, False), ((1, 2), 0, (2, 1), 2, False),
]


@pytest.mark.parametrize("stride, padding, dilation, groups, bias", CONV2D)
def test_conv2d_values_grads_and_graph(close, graph, stride, padding, dilation, groups, bias):
    x0, w0, b0 = data((2, 4, 9, 8)), data((8, 4 // groups, 3, 2), 1), data(8, 2)

    def prog(torch, see):
        x = torch.tensor(x0, requires_grad=True)
        w = torch.tensor(w0, requires_grad=True)
        b = torch.tensor(b0, requires_grad=True) if bias else None
        y = torch.nn.functional.conv2d(x, w, b, stride, padding, dilation, groups)
        see(y, graph(y))
        y.backward(_cos_like(torch, y))
        see(x.grad, w.grad, b.grad if bias else None)
    close(prog)


@pytest.mark.parametrize("stride, padding, dilation, groups", [(1, 0, 1, 1), (2, 1, 2, 3), (3, 2, 1, 1)])
def test_conv1d_and_float32(close, graph, stride, padding, dilation, groups):
    x0, w0, b0 = data((3, 6, 11), 3, np.float32), data((3, 6 // groups, 3), 4, np.float32), data(3, 5,
                                                                                               np.float32)

    def prog(torch, see):
        x, w, b = (torch.tensor(a, requires_grad=True) for a in (x0, w0, b0))
        y = torch.nn.functional.conv1d(x, w, b, stride, padding, dilation, groups)
        see(y, graph(y))
        y.backward(_cos_like(torch, y))
        see(x.grad, w.grad, b.grad)
    close(prog)


def test_conv3d(close, graph):
    x0, w0 = data((2, 2, 5, 4, 6), 6), data((4, 1, 2, 3, 2), 7)

    def prog(torch, see):
        x, w = torch.tensor(x0, requires_grad=True), torch.tensor(w0, requires_grad=True)
        y = torch.nn.functional.conv3d(x, w, None, (1, 2, 1), 1, (2, 1, 1), 2)
        see(y, graph(y))
        y.backward(_cos_like(torch, y))
        see(x.grad, w.grad)
    close(prog)


CONV_T = [  # stride, padding, output_padding, groups, dilation
    (1, 0, 0, 1, 1), (2, 1, 1, 1, 1), ((2, 3), (1, 0), (1, 2), 2, 1), (1, 1, 0, 2, 2), (2, 0, 1, 1, 2),
    (1, 0, 1, 1, 2),
]


@pytest.mark.parametrize("stride, padding, output_padding, groups, dilation", CONV_T)
def test_conv_transpose2d(close, graph, stride, padding, output_padding, groups, dilation):
    x0, w0, b0 = data((2, 4, 5, 6), 8), data((4, 6 // groups, 3, 2), 9), data(6, 10)

    def prog(torch, see):
        x, w, b = (torch.tensor(a, requires_grad=True) for a in (x0, w0, b0))
        y = torch.nn.functional.conv_transpose2d(x, w, b, stride, padding, output_padding, groups,
                                                 dilation)
        see(y, graph(y))
        y.backward(_cos_like(torch, y))
        see(x.grad, w.grad, b.grad)
    close(prog)


def test_conv_transpose1d_and_unbatched(close, graph):
    x0, w0 = data((4, 7), 11), data((4, 3, 3), 12)

    def prog(torch, see):
        x, w = torch.tensor(x0, requires_grad=True), torch.tensor(w0, requires_grad=True)
        y = torch.nn.functional.conv_transpose1d(x, w, None, 2, 1, 1)
        see(y, graph(y))
        y.backward(_cos_like(torch, y))
        see(x.grad, w.grad)
    close(prog)


@pytest.mark.parametrize("fn, rank", [("conv1d", 2), ("conv2d", 3)])
def test_unbatched_input_is_unsqueezed_and_squeezed(close, graph, fn, rank):
    x0 = data((3,) + (7,) * (rank - 1), 13)
    w0 = data((2, 3) + (3,) * (rank - 1), 14)

    def prog(torch, see):
        x, w = torch.tensor(x0, requires_grad=True), torch.tensor(w0, requires_grad=True)
        y = getattr(torch.nn.functional, fn)(x, w, torch.tensor(np.ones(2)), padding=1)
        see(y, graph(y))
        y.sum().backward()
        see(x.grad, w.grad)
    close(prog)


@pytest.mark.parametrize("kernel, dilation", [((3, 3), 1), ((4, 3), 1), ((2, 2), (1, 2)), ((3, 4), 2)])
def test_padding_strings(close, graph, kernel, dilation):
    x0, w0 = data((2, 2, 7, 8), 15), data((3, 2) + kernel, 16)

    def prog(torch, see):
        F = torch.nn.functional
        x, w = torch.tensor(x0, requires_grad=True), torch.tensor(w0, requires_grad=True)
        for padding in ("same", "valid"):
            with warnings.catch_warnings():  # warned once per process: see the test below
                warnings.simplefilter("ignore")
                y = F.conv2d(x, w, None, 1, padding, dilation)
            see(y, graph(y))
            y.backward(_cos_like(torch, y))
            see(x.grad, w.grad)
    close(prog)


@pytest.mark.parametrize("transposed", [False, True])
def test_double_backward(close, graph, transposed):
    x0, b0 = data((2, 4, 6, 5), 17), data(6, 19)
    w0 = data((4, 3, 3, 2), 18) if transposed else data((6, 2, 3, 2), 18)

    def prog(torch, see):
        F = torch.nn.functional
        x, w, b = (torch.tensor(a, requires_grad=True) for a in (x0, w0, b0))
        if transposed:
            y = F.conv_transpose2d(x, w, b, 2, 1, 1, 2)
        else:
            y = F.conv2d(x, w, b, (2, 1), 1, 1, 2)
        gx, gw, gb = torch.autograd.grad((y * y).sum(), (x, w, b), create_graph=True)
        see(gx, gw, gb, graph(gx), type(gx.grad_fn).__name__, gx.grad_fn is gw.grad_fn)
        s = (gx * gx).sum() + (gw ** 3).sum() + (gb * gb).sum()
        see(*torch.autograd.grad(s, (x, w, b)))
        gx, = torch.autograd.grad(y.sum(), (x,), create_graph=True)
        see(gx, gx.requires_grad, graph(gx))
        see(*torch.autograd.grad(gx.sum(), (w,)))
    close(prog)


def test_saved_attributes_and_version_check(close):
    x0, w0 = data((1, 2, 5, 5), 20), data((3, 2, 3, 3), 21)

    def prog(torch, see):
        x = torch.tensor(x0, requires_grad=True)
        w = torch.tensor(w0, requires_grad=True)
        for y in (torch.nn.functional.conv2d(x, w, torch.tensor(np.ones(3)), 2, 1),
                  torch.nn.functional.conv_transpose2d(x, w.transpose(0, 1), None, 1, 1, 0, 1, 2)):
            fn = y.grad_fn
            see(fn._saved_stride, fn._saved_padding, fn._saved_dilation, fn._saved_transposed,
                fn._saved_output_padding, fn._saved_groups, fn._saved_bias_sym_sizes_opt)
            see(fn._saved_input.shape, fn._saved_weight.shape)
        h = x * 1
        y = torch.nn.functional.conv2d(h, w)
        h.mul_(2)
        y.sum().backward()
    close(prog)


def test_integer_and_empty_inputs(close):
    def prog(torch, see):
        F = torch.nn.functional
        see(F.conv2d(torch.arange(50).reshape(1, 2, 5, 5), torch.ones(3, 2, 2, 2, dtype=torch.long)))
        see(F.conv2d(torch.zeros(0, 2, 5, 5), torch.ones(3, 2, 2, 2)))
        see(F.conv_transpose2d(torch.zeros(0, 2, 5, 5), torch.ones(2, 3, 2, 2)))
    close(prog)


def _spiked(shape, seed, spikes):
    """data() with inf / -inf / nan written at the given flat positions."""
    a = data(shape, seed)
    for position, value in spikes:
        a.reshape(-1)[position] = value
    return a


WIDE_GRID = [  # stride-1 shapes that take the widened-grid kernels (NOTE [Convolution kernels])
    dict(x=(2, 3, 6, 5), w=(4, 3, 3, 3), padding=1),
    dict(x=(2, 4, 7, 6), w=(4, 2, 2, 3), padding=(0, 2), dilation=(1, 2), groups=2),
    dict(x=(1, 2, 4, 5, 6), w=(2, 2, 2, 3, 3), padding=1),
]


@pytest.mark.parametrize("geometry", WIDE_GRID)
@pytest.mark.parametrize("spiked", ["none", "input", "weight", "grad"])
def test_widened_grid_non_finite_values(close, geometry, spiked):
    """A non-finite input or weight must not reach the garbage columns (0 * inf is nan there);
    the last row of each plane is spiked, as the garbage columns read it."""
    spikes = [(-1, np.inf), (-3, -np.inf), (-7, np.nan)]
    x0 = _spiked(geometry["x"], 22, spikes if spiked == "input" else [])
    w0 = _spiked(geometry["w"], 23, spikes if spiked == "weight" else [])
    nd = len(geometry["x"]) - 2
    kwargs = {k: v for k, v in geometry.items() if k not in ("x", "w")}

    def prog(torch, see):
        F = torch.nn.functional
        x, w = torch.tensor(x0, requires_grad=True), torch.tensor(w0, requires_grad=True)
        b = torch.tensor(np.arange(4.0), requires_grad=True)
        y = getattr(F, f"conv{nd}d")(x, w, b, **kwargs)
        g = torch.ones_like(y)
        if spiked == "grad":
            g.view(-1)[-1] = float("inf")
        y.backward(g)
        for t in (y.detach(), x.grad, w.grad, b.grad):  # close() compares inf-scaled values loosely
            see(t.isnan(), t == float("inf"), t == -float("inf"), t.nan_to_num(0.0, 0.0, 0.0))
    close(prog)


def test_widened_grid_transposed_non_contiguous_float32(close, graph):
    x0, w0, b0 = data((3, 5, 4, 6), 24, np.float32), data((4, 6, 3, 3), 25, np.float32), data(6, 26)

    def prog(torch, see):
        F = torch.nn.functional
        x = torch.tensor(x0).transpose(1, 3).requires_grad_()
        w, b = torch.tensor(w0, requires_grad=True), torch.tensor(b0.astype(np.float32), requires_grad=True)
        y = F.conv_transpose2d(x, w, b, 1, 1)
        see(y, graph(y))
        y.backward(_cos_like(torch, y))
        see(x.grad, w.grad, b.grad)
        z = F.conv2d(x.detach().transpose(2, 3), w.detach().transpose(0, 1)[:, :4], None, 1, "same")
        see(z)
    close(prog)


CONV_ERRORS = {
    "channels": lambda t, F: F.conv2d(t.ones(32, 2, 28, 28), t.ones(8, 1, 3, 3)),
    "input rank": lambda t, F: F.conv2d(t.ones(2, 28), t.ones(8, 1, 3, 3)),
    "input rank 1d": lambda t, F: F.conv1d(t.ones(1, 1, 5, 5), t.ones(2, 1, 3)),
    "weight rank": lambda t, F: F.conv2d(t.ones(1, 1, 5, 5), t.ones(8, 1)),
    "weight input dims": lambda t, F: F.conv1d(t.ones(1, 1, 5), t.ones(2, 1, 3, 3)),
    "param length": lambda t, F: F.conv2d(t.ones(1, 1, 5, 5), t.ones(8, 1, 3, 3), stride=(1, 2, 3)),
    "kernel too big": lambda t, F: F.conv2d(t.ones(1, 1, 2, 2), t.ones(8, 1, 3, 3)),
    "kernel too big 1d": lambda t, F: F.conv1d(t.ones(1, 1, 2), t.ones(8, 1, 3)),
    "groups divisible": lambda t, F: F.conv2d(t.ones(1, 4, 5, 5), t.ones(6, 2, 3, 3), groups=4),
    "groups at least": lambda t, F: F.conv2d(t.ones(1, 16, 5, 5), t.ones(8, 1, 3, 3), groups=16),
    "groups zero": lambda t, F: F.conv2d(t.ones(1, 4, 5, 5), t.ones(4, 2, 3, 3), groups=0),
    "bias size": lambda t, F: F.conv2d(t.ones(1, 1, 5, 5), t.ones(8, 1, 3, 3), t.ones(3)),
    "bias dtype": lambda t, F: F.conv2d(t.ones(5, 5), t.ones(8, 1, 3, 3), t.ones(8, dtype=t.float64)),
    "weight dtype": lambda t, F: F.conv2d(t.ones(1, 1, 5, 5, dtype=t.float64), t.ones(8, 1, 3, 3)),
    "stride zero": lambda t, F: F.conv2d(t.ones(1, 1, 5, 5), t.ones(8, 1, 3, 3), stride=0),
    "negative padding": lambda t, F: F.conv2d(t.ones(1, 1, 5, 5), t.ones(8, 1, 3, 3), padding=-1),
    "dilation zero": lambda t, F: F.conv2d(t.ones(1, 1, 5, 5), t.ones(8, 1, 3, 3), dilation=(0, 1)),
    "dilation zero 1d": lambda t, F: F.conv1d(t.ones(1, 1, 5), t.ones(8, 1, 3), dilation=0),
    "dilation negative": lambda t, F: F.conv2d(t.ones(1, 1, 5, 5), t.ones(8, 1, 3, 3), dilation=-1),
    "same strided": lambda t, F: F.conv2d(t.ones(1, 1, 5, 5), t.ones(8, 1, 3, 3), stride=2, padding="same"),
    "bad padding string": lambda t, F: F.conv2d(t.ones(1, 1, 5, 5), t.ones(8, 1, 3, 3), padding="foo"),
    "same weight dims": lambda t, F: F.conv2d(t.ones(1, 1, 5, 5), t.ones(8, 1, 3, 3, 3), padding="same"),
    "bool": lambda t, F: F.conv2d(t.ones(1, 1, 5, 5).bool(), t.ones(8, 1, 3, 3).bool()),
    "T channels": lambda t, F: F.conv_transpose2d(t.ones(1, 3, 5, 5), t.ones(2, 4, 3, 3)),
    "T bias": lambda t, F: F.conv_transpose2d(t.ones(1, 2, 5, 5), t.ones(2, 4, 3, 3), t.ones(3)),
    "T output padding": lambda t, F: F.conv_transpose2d(t.ones(1, 2, 5, 5), t.ones(2, 4, 3, 3),
                                                        output_padding=1),
    "T output padding 1d": lambda t, F: F.conv_transpose1d(t.ones(1, 8, 5), t.ones(8, 2, 3),
                                                           output_padding=1),
    "T negative output padding": lambda t, F: F.conv_transpose2d(t.ones(1, 2, 5, 5), t.ones(2, 4, 3, 3),
                                                                 output_padding=-1),
    "T output too small": lambda t, F: F.conv_transpose2d(t.ones(1, 2, 1, 1), t.ones(2, 4, 1, 1), padding=2),
    "T dilation zero": lambda t, F: F.conv_transpose2d(t.ones(1, 2, 5, 5), t.ones(2, 4, 3, 3), dilation=0),
    "T input rank": lambda t, F: F.conv_transpose2d(t.ones(5, 5), t.ones(2, 4, 3, 3)),
}


@pytest.mark.parametrize("case", sorted(CONV_ERRORS))
def test_errors(close, case):
    def prog(torch, see):
        see(CONV_ERRORS[case](torch, torch.nn.functional))
    close(prog)


def test_same_padding_even_kernel_warns_once_per_process():
    """TORCH_WARN_ONCE: the first even-kernel 'same' convolution of a process warns, later ones not."""
    code = """if True:
        import warnings, sys
        lib = __import__(sys.argv[1])
        w = lib.ones(1, 1, 4, 4)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for _ in range(2):
                lib.nn.functional.conv2d(lib.ones(1, 1, 5, 5), w, padding="same")
        print([str(c.message).split(" (Triggered internally at")[0] for c in caught])
    """
    out = [subprocess.run([sys.executable, "-c", code, name], capture_output=True, text=True,
                          check=True).stdout for name in ("torch", "numtorch")]
    assert out[0] == out[1] and "zero-padded copy" in out[0]


# ---- modules -------------------------------------------------------------------------------------
def test_module_reprs_and_state_dict(close):
    def prog(torch, see):
        nn = torch.nn
        mods = [nn.Conv2d(1, 8, 3, padding=1), nn.Conv2d(2, 4, (3, 2), padding="same", bias=False),
                nn.Conv1d(4, 6, 3, stride=2, dilation=2, groups=2, padding_mode="reflect"),
                nn.Conv3d(2, 2, 2, padding="valid"),
                nn.ConvTranspose2d(3, 6, 3, stride=2, padding=1, output_padding=1, groups=3),
                nn.ConvTranspose1d(2, 2, 2, dilation=3)]
        for m in mods:
            see(repr(m), list(m.state_dict()), [tuple(p.shape) for p in m.parameters()],
                m._reversed_padding_repeated_twice)
        see(repr(nn.Sequential(*mods)))
    close(prog)


MODULE_ERRORS = {
    "groups": lambda nn: nn.Conv2d(4, 4, 3, groups=0),
    "in channels": lambda nn: nn.Conv2d(3, 4, 3, groups=2),
    "out channels": lambda nn: nn.Conv2d(4, 3, 3, groups=2),
    "same strided": lambda nn: nn.Conv2d(1, 1, 3, stride=2, padding="same"),
    "transposed padding mode": lambda nn: nn.ConvTranspose2d(1, 1, 3, padding_mode="reflect"),
}


@pytest.mark.parametrize("case", sorted(MODULE_ERRORS))
def test_module_errors(close, case):
    def prog(torch, see):
        see(MODULE_ERRORS[case](torch.nn))
    close(prog)


@pytest.mark.parametrize("kwargs", [dict(padding="full"), dict(padding_mode="wrap")])
def test_module_errors_listing_a_set(kwargs):
    """The message shows a Python set, whose order depends on hashing and on how each file's set
    constant was compiled: compare the text around it and the set's members."""
    texts = []
    for lib in (torch, nt):
        with pytest.raises(ValueError) as info:
            lib.nn.Conv2d(1, 1, 3, **kwargs)
        text = str(info.value)
        start, end = text.index("{"), text.index("}") + 1
        texts.append((text[:start], text[end:], sorted(ast.literal_eval(text[start:end]))))
    assert texts[0] == texts[1]


def _copy_params(module, torch, seed):
    rng = np.random.default_rng(seed)
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.tensor(rng.standard_normal(tuple(p.shape)).astype(np.float32)))


@pytest.mark.parametrize("mode", ["zeros", "reflect", "replicate", "circular"])
def test_padding_modes(close, graph, mode):
    x0 = data((2, 3, 6, 7), 24, np.float32)

    def prog(torch, see):
        m = torch.nn.Conv2d(3, 4, (3, 2), padding=(2, 1), padding_mode=mode)
        _copy_params(m, torch, 25)
        x = torch.tensor(x0, requires_grad=True)
        y = m(x)
        see(y, graph(y, 3))
        y.backward(_cos_like(torch, y))
        see(x.grad, m.weight.grad, m.bias.grad)
    close(prog)


def test_conv_transpose_output_size(close):
    x0 = data((1, 4, 5, 5), 26, np.float32)

    def prog(torch, see):
        m = torch.nn.ConvTranspose2d(4, 2, 3, stride=2, padding=1)
        _copy_params(m, torch, 27)
        x = torch.tensor(x0)
        for size in ([9, 9], [10, 10], [1, 2, 10, 9], [11, 11]):
            see(m(x, output_size=size))
    close(prog)


def test_conv_transpose_output_size_length(close):
    def prog(torch, see):
        see(torch.nn.ConvTranspose2d(4, 2, 3)(torch.ones(1, 4, 5, 5), output_size=[7]))
    close(prog)


def test_default_initialisation_is_torchs_stream():
    for make in (lambda nn: nn.Conv2d(3, 8, 3), lambda nn: nn.ConvTranspose2d(4, 6, (2, 3), groups=2)):
        weights = []
        for lib in (torch, nt):
            lib.manual_seed(3)
            m = make(lib.nn)
            weights.append([p.detach().numpy() for p in m.parameters()])
        for a, b in zip(*weights):
            np.testing.assert_array_equal(a, b)


# ---- the benchmark network -----------------------------------------------------------------------
def _cnn(lib):
    nn = lib.nn
    model = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Linear(16 * 7 * 7, 10))
    _copy_params(model, lib, 28)
    return model


def test_cnn_training_matches_torch():
    """The CNN benchmark's network, identical initial weights, 5 SGD steps: equal losses."""
    rng = np.random.default_rng(29)
    x0 = rng.standard_normal((32, 1, 28, 28)).astype(np.float32)
    y0 = rng.integers(0, 10, 32)
    losses, grads = {}, {}
    for lib in (torch, nt):
        model = _cnn(lib)
        opt = lib.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
        x, y = lib.tensor(x0), lib.tensor(y0)
        losses[lib], grads[lib] = [], []
        for _ in range(5):
            opt.zero_grad()
            loss = lib.nn.functional.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
            losses[lib].append(loss.item())
        grads[lib] = [p.grad.numpy() for p in model.parameters()]
    np.testing.assert_allclose(losses[nt], losses[torch], rtol=1e-5)
    for a, b in zip(grads[nt], grads[torch]):
        np.testing.assert_allclose(a, b, rtol=1e-3, atol=1e-5 * np.abs(b).max())


def test_cnn_graph(close, graph):
    x0 = data((2, 1, 28, 28), 30, np.float32)

    def prog(torch, see):
        model = _cnn(torch)
        y = model(torch.tensor(x0))
        see(y, graph(y, 20))
    close(prog)
