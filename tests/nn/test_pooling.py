"""Pooling, padding modes and interpolation against torch: F.max_pool1d/2d (indices, ties, NaN,
-inf windows), F.avg_pool1d/2d (ceil_mode, count_include_pad, divisor_override),
F.adaptive_avg_pool1d/2d, F.pad in every mode, F.interpolate (nearest, linear, bilinear with and
without align_corners, area); values, gradients, double backward, graphs, saved attributes,
errors; and the pooling, upsampling and padding modules."""
from __future__ import annotations

import numpy as np
import pytest

import numtorch  # noqa: F401
import numtorch.nn  # noqa: F401  (binds numtorch.nn for programs written against `torch.nn`)

torch = pytest.importorskip("torch")


def data(shape, seed=0, dtype=np.float64):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


def _weights(torch, t):
    return torch.tensor(np.cos(np.arange(t.numel())).reshape(tuple(t.shape)), dtype=t.dtype)


def check_op(close, graph, fn, x0, double=True, inputs_grad=True):
    """fn(F, x) -> tensor or (tensor, indices): values, graph, gradient and (optionally) the
    gradient of a function of the gradient."""
    def prog(torch, see):
        x = torch.tensor(x0, requires_grad=inputs_grad)
        out = fn(torch.nn.functional, x)
        y = out[0] if isinstance(out, tuple) else out
        see(out, graph(y))
        if not inputs_grad:
            return
        gx, = torch.autograd.grad(y, (x,), _weights(torch, y), create_graph=double)
        see(gx, graph(gx) if double else None)
        if double:
            see(*torch.autograd.grad((gx * _weights(torch, x)).sum() + (y * y).sum(), (x,)))
    close(prog)


X4 = data((2, 3, 9, 8), 1)
X3 = data((3, 9, 8), 2)

MAX_POOL = [  # kernel, stride, padding, dilation, ceil_mode
    (2, None, 0, 1, False), (3, 2, 1, 1, False), (3, 2, 1, 2, True), ((2, 3), (1, 2), (1, 1), (2, 1), True),
    (3, 1, 1, 1, False), (4, 3, 2, 1, True), ((1, 3), 2, (0, 1), 1, False),
]


@pytest.mark.parametrize("kernel, stride, padding, dilation, ceil_mode", MAX_POOL)
def test_max_pool2d(close, graph, kernel, stride, padding, dilation, ceil_mode):
    check_op(close, graph, lambda F, x: F.max_pool2d(x, kernel, stride, padding, dilation, ceil_mode,
                                                     return_indices=True), X4)
    check_op(close, graph, lambda F, x: F.max_pool2d(x, kernel, stride, padding, dilation, ceil_mode),
             X3.astype(np.float32), double=False)


@pytest.mark.parametrize("kernel, stride, padding, dilation, ceil_mode",
                         [(2, None, 0, 1, False), (3, 2, 1, 2, True), (4, 3, 2, 1, True)])
def test_max_pool1d(close, graph, kernel, stride, padding, dilation, ceil_mode):
    for indices in (False, True):
        check_op(close, graph, lambda F, x, indices=indices: F.max_pool1d(
            x, kernel, stride, padding, dilation, ceil_mode, return_indices=indices), X3)
    check_op(close, graph, lambda F, x: F.max_pool1d(x, kernel, stride, padding, dilation, ceil_mode),
             X3[0], inputs_grad=False)


def test_max_pool_ties_nan_inf_and_integers(close):
    def prog(torch, see):
        F = torch.nn.functional
        nan, inf = float("nan"), float("inf")
        see(F.max_pool2d(torch.tensor([[[[nan, 1.0, nan, 2.0]]]]), (1, 4), return_indices=True))
        out, idx = F.max_pool2d(torch.tensor([[[[-inf, -inf, 3.0, -inf]]]]), (1, 2), padding=(0, 1),
                                return_indices=True)
        see(out.clamp(-100, 100), out == -inf, idx)
        see(F.max_pool2d(torch.tensor([[[[1.0, 5.0, 5.0, 2.0], [5.0, 0.0, 1.0, 1.0]]]]), 2, 1,
                         return_indices=True))
        see(F.max_pool2d(-5 * torch.ones(1, 1, 2, 2, dtype=torch.long), 2, return_indices=True))
        x = torch.tensor([[[[1.0, 3.0, 3.0], [0.0, 3.0, 2.0]]]], requires_grad=True)
        F.max_pool2d(x, 2, 1).sum().backward()  # overlapping windows add up at a shared maximum
        see(x.grad)
    close(prog)


FAST_POOL_VALUES = {  # inputs for max_pool2d's 2x2 fast path, by what they exercise
    "relu": lambda rng, shape: np.maximum(rng.standard_normal(shape), 0),
    "ties": lambda rng, shape: rng.integers(-2, 3, shape),
    "signed zeros": lambda rng, shape: rng.choice([-0.0, 0.0, -1.0], shape),
    "nan and inf": lambda rng, shape: rng.choice([np.nan, 1.0, np.inf, -np.inf], shape),
    "all -inf": lambda rng, shape: np.full(shape, -np.inf),
}


@pytest.mark.parametrize("shape", [(4, 8, 28, 28), (2, 3, 7, 9), (5, 6, 6), (1, 2, 182, 183)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16])
@pytest.mark.parametrize("values", list(FAST_POOL_VALUES))
@pytest.mark.parametrize("transposed", [False, True])
def test_max_pool2d_2x2_bitwise(shape, dtype, values, transposed):
    """2x2 windows with stride 2 take a fast path: values, indices and the input's gradient are
    bit-identical to torch's on ties (the first maximum in row-major order wins), (-0.0, 0.0)
    ties, NaN and infinities, odd sizes (the last row or column is dropped; 182 * 183 needs
    int64 offsets), and a non-contiguous input."""
    rng = np.random.default_rng(0)
    x0 = FAST_POOL_VALUES[values](rng, shape).astype(dtype)
    grad = None
    seen = []
    for lib in (torch, numtorch):
        leaf = lib.tensor(x0, requires_grad=True)
        x = leaf.transpose(-1, -2) if transposed else leaf
        out, indices = lib.nn.functional.max_pool2d(x, 2, return_indices=True)
        grad = rng.standard_normal(tuple(out.shape)).astype(dtype) if grad is None else grad
        out.backward(lib.tensor(grad))
        seen.append([a.view(np.uint8) for a in (out.detach().numpy(), indices.numpy(), leaf.grad.numpy())]
                    + [tuple(out.stride()), indices.dtype])
    (*expected, e_stride, e_dtype), (*got, g_stride, g_dtype) = seen
    assert all(np.array_equal(e, g) for e, g in zip(expected, got))
    assert (e_stride, str(e_dtype)) == (g_stride, str(g_dtype))


AVG_POOL = [  # kernel, stride, padding, ceil_mode, count_include_pad, divisor_override
    (2, None, 0, False, True, None), (3, 2, 1, True, True, None), (3, 2, 1, True, False, None),
    ((3, 2), (2, 1), (1, 1), True, False, 5), (4, 3, 2, True, True, None), (4, 3, 2, True, False, None),
    (3, 1, 0, False, True, 2),
]


@pytest.mark.parametrize("kernel, stride, padding, ceil_mode, count_include_pad, divisor", AVG_POOL)
def test_avg_pool2d(close, graph, kernel, stride, padding, ceil_mode, count_include_pad, divisor):
    check_op(close, graph, lambda F, x: F.avg_pool2d(x, kernel, stride, padding, ceil_mode,
                                                     count_include_pad, divisor), X4)
    check_op(close, graph, lambda F, x: F.avg_pool2d(x, kernel, stride, padding, ceil_mode,
                                                     count_include_pad, divisor),
             X3.astype(np.float32), double=False)


@pytest.mark.parametrize("kernel, stride, padding, ceil_mode, count_include_pad",
                         [(2, None, 0, False, True), (3, 2, 1, True, True), (3, 2, 1, True, False)])
def test_avg_pool1d(close, graph, kernel, stride, padding, ceil_mode, count_include_pad):
    check_op(close, graph, lambda F, x: F.avg_pool1d(x, kernel, stride, padding, ceil_mode,
                                                     count_include_pad), X3)


def test_avg_pool_integers(close):
    def prog(torch, see):
        F = torch.nn.functional
        see(F.avg_pool2d(torch.tensor([[[[1, 2, 3, 4]]]]), (1, 3), 2, ceil_mode=True))
        see(F.avg_pool2d(torch.tensor([[[[-1, -2, -3, -4]]]]), (1, 3), 2, ceil_mode=True))
    close(prog)


@pytest.mark.parametrize("size", [1, (1, 1), 3, (4, 5), (None, 3), (9, 8), (7, 11), (0, 2)])
def test_adaptive_avg_pool2d(close, graph, size):
    check_op(close, graph, lambda F, x: F.adaptive_avg_pool2d(x, size), X4)


@pytest.mark.parametrize("size", [1, 3, 5])
def test_adaptive_avg_pool1d(close, graph, size):
    check_op(close, graph, lambda F, x: F.adaptive_avg_pool1d(x, size), X3)


# ---- interpolation -------------------------------------------------------------------------------
SIZES_2D = [dict(scale_factor=2), dict(size=(5, 13)), dict(scale_factor=(1.7, 0.6)), dict(size=(18, 16)),
            dict(scale_factor=3), dict(size=7), dict(scale_factor=0.5, recompute_scale_factor=True)]


@pytest.mark.parametrize("kwargs", SIZES_2D)
@pytest.mark.parametrize("mode, align_corners", [("nearest", None), ("bilinear", False),
                                                 ("bilinear", True)])
def test_interpolate_2d(close, graph, kwargs, mode, align_corners):
    check_op(close, graph, lambda F, x: F.interpolate(x, mode=mode, align_corners=align_corners,
                                                      **kwargs), X4)
    check_op(close, graph, lambda F, x: F.interpolate(x, mode=mode, align_corners=align_corners,
                                                      **kwargs), X4.astype(np.float32), double=False)


@pytest.mark.parametrize("kwargs", [dict(scale_factor=2), dict(size=5), dict(scale_factor=1.3),
                                    dict(size=20)])
@pytest.mark.parametrize("mode", ["nearest", "linear"])
def test_interpolate_1d(close, graph, kwargs, mode):
    check_op(close, graph, lambda F, x: F.interpolate(x, mode=mode, **kwargs), X3)


def test_interpolate_area(close, graph):
    check_op(close, graph, lambda F, x: F.interpolate(x, size=(4, 3), mode="area"), X4)
    check_op(close, graph, lambda F, x: F.interpolate(x, scale_factor=0.5, mode="area"), X4)


def test_upsample_saved_attributes(close):
    def prog(torch, see):
        F = torch.nn.functional
        x = torch.ones(1, 1, 3, 4, requires_grad=True)
        for y in (F.interpolate(x, scale_factor=2), F.interpolate(x, size=(5, 6), mode="bilinear"),
                  F.interpolate(x, scale_factor=(2, 3), mode="bilinear", align_corners=True)):
            fn = y.grad_fn
            see(type(fn).__name__, fn._saved_output_size, fn._saved_scales_h, fn._saved_scales_w,
                fn._saved_self_sym_sizes)
    close(prog)


INTERPOLATE_ERRORS = {
    "align corners nearest": lambda F, x: F.interpolate(x, scale_factor=2, align_corners=True),
    "both": lambda F, x: F.interpolate(x, size=3, scale_factor=2),
    "neither": lambda F, x: F.interpolate(x),
    "size length": lambda F, x: F.interpolate(x, size=(2, 3, 4)),
    "size types": lambda F, x: F.interpolate(x, size=(2.0, 3)),
    "scale length": lambda F, x: F.interpolate(x, scale_factor=(2.0,)),
    "recompute with size": lambda F, x: F.interpolate(x, size=3, recompute_scale_factor=True),
    "bilinear 3d": lambda F, x: F.interpolate(x[0], scale_factor=2, mode="bilinear"),
    "linear 4d": lambda F, x: F.interpolate(x, scale_factor=2, mode="linear"),
    "2d input": lambda F, x: F.interpolate(x[0, 0], scale_factor=2),
    "zero output": lambda F, x: F.interpolate(x, scale_factor=0.1),
    "antialias nearest": lambda F, x: F.interpolate(x, scale_factor=2, antialias=True),
}


@pytest.mark.parametrize("case", sorted(INTERPOLATE_ERRORS))
def test_interpolate_errors(close, case):
    def prog(torch, see):
        see(INTERPOLATE_ERRORS[case](torch.nn.functional, torch.ones(1, 2, 3, 4)))
    close(prog)


# ---- padding modes -------------------------------------------------------------------------------
PADS = [(1, 2), (2, 1, 3, 0), (-1, 2, 1, -2), (0, 0, 1, 1), (1, 1, 2, 2, 1, 0)]


@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular", "constant"])
@pytest.mark.parametrize("pad", PADS)
@pytest.mark.parametrize("rank", [3, 4, 5])
def test_pad_modes(close, graph, mode, pad, rank):
    n = len(pad) // 2
    if mode != "constant" and rank not in (n + 1, n + 2):
        pytest.skip("not a supported non-constant padding")
    x0 = data((2, 3, 4, 5, 6)[5 - rank:], 3)
    check_op(close, graph, lambda F, x: F.pad(x, pad, mode=mode), x0, double=True)


PAD_ERRORS = {
    "mode": lambda F, x: F.pad(x, (1, 1), mode="wrap"),
    "odd": lambda F, x: F.pad(x, (1, 1, 1), mode="reflect"),
    "too long": lambda F, x: F.pad(x, (1,) * 10, mode="replicate"),
    "value": lambda F, x: F.pad(x, (1, 1), mode="reflect", value=1.0),
    "unsupported size": lambda F, x: F.pad(x, (1, 1), mode="reflect"),
    "unsupported 1d": lambda F, x: F.pad(x[0, 0, 0], (1, 1), mode="circular"),
    "reflect too big": lambda F, x: F.pad(x, (1, 1, 1, 4), mode="reflect"),
    "reflect too big 1d": lambda F, x: F.pad(x[0, 0], (1, 5), mode="reflect"),
    "reflect too small 1d": lambda F, x: F.pad(x[0, 0], (-3, -3), mode="reflect"),
    "replicate empty": lambda F, x: F.pad(x[:, :0], (1, 1, 1, 1), mode="replicate"),
    "circular wrap": lambda F, x: F.pad(x, (1, 1, 5, 1), mode="circular"),
    "reflect bool": lambda F, x: F.pad(x > 0, (1, 1, 1, 1), mode="reflect"),
}


@pytest.mark.parametrize("case", sorted(PAD_ERRORS))
def test_pad_errors(close, case):
    def prog(torch, see):
        see(PAD_ERRORS[case](torch.nn.functional, torch.ones(2, 3, 4, 5)))
    close(prog)


def test_reflect_and_replicate_integers(close):
    def prog(torch, see):
        x = torch.arange(10).reshape(1, 2, 5)
        for mode in ("reflect", "replicate", "circular"):
            see(torch.nn.functional.pad(x, (2, 1), mode=mode))
    close(prog)


# ---- errors --------------------------------------------------------------------------------------
POOL_ERRORS = {
    "max rank": lambda F, t: F.max_pool2d(t.ones(5, 5), 2),
    "max stride zero": lambda F, t: F.max_pool2d(t.ones(2, 3, 5, 5), 2, 0),
    "max kernel zero": lambda F, t: F.max_pool2d(t.ones(2, 3, 5, 5), 0),
    "max kernel zero stride": lambda F, t: F.max_pool2d(t.ones(2, 3, 5, 5), 0, 1),
    "max negative stride": lambda F, t: F.max_pool2d(t.ones(2, 3, 5, 5), 2, -1),
    "max pad": lambda F, t: F.max_pool2d(t.ones(2, 3, 5, 5), 2, padding=2),
    "max negative pad": lambda F, t: F.max_pool2d(t.ones(2, 3, 5, 5), 2, padding=-1),
    "max dilation": lambda F, t: F.max_pool2d(t.ones(2, 3, 5, 5), 2, dilation=0),
    "max small": lambda F, t: F.max_pool2d(t.ones(1, 3, 1, 1), 2),
    "max small 3d": lambda F, t: F.max_pool2d(t.ones(3, 1, 1), 2),
    "max kernel length": lambda F, t: F.max_pool2d(t.ones(2, 3, 5, 5), (1, 2, 3)),
    "max stride length": lambda F, t: F.max_pool2d(t.ones(2, 3, 5, 5), 2, (1, 2, 3)),
    "max empty channels": lambda F, t: F.max_pool2d(t.ones(2, 0, 5, 5), 2),
    "max bool": lambda F, t: F.max_pool2d(t.ones(2, 3, 5, 5) > 0, 2),
    "max1d rank": lambda F, t: F.max_pool1d(t.ones(5), 2),
    "max1d small": lambda F, t: F.max_pool1d(t.ones(1, 1, 1), 2),
    "max1d pad": lambda F, t: F.max_pool1d(t.ones(1, 1, 5), 2, padding=2),
    "max1d kernel": lambda F, t: F.max_pool1d(t.ones(1, 1, 5), 0),
    "max1d stride": lambda F, t: F.max_pool1d(t.ones(1, 1, 5), 2, 0),
    "max1d dilation": lambda F, t: F.max_pool1d(t.ones(1, 1, 5), 2, dilation=0),
    "max1d kernel length": lambda F, t: F.max_pool1d(t.ones(1, 1, 5), (2, 2)),
    "max1d indices rank": lambda F, t: F.max_pool1d(t.ones(5), 2, return_indices=True),
    "avg rank": lambda F, t: F.avg_pool2d(t.ones(5, 5), 2),
    "avg stride zero": lambda F, t: F.avg_pool2d(t.ones(2, 3, 5, 5), 2, 0),
    "avg pad": lambda F, t: F.avg_pool2d(t.ones(2, 3, 5, 5), 2, padding=2),
    "avg small": lambda F, t: F.avg_pool2d(t.ones(1, 3, 1, 1), 2),
    "avg divisor": lambda F, t: F.avg_pool2d(t.ones(2, 3, 5, 5), 2, divisor_override=0),
    "avg kernel length": lambda F, t: F.avg_pool2d(t.ones(2, 3, 5, 5), (1, 2, 3)),
    "avg1d rank": lambda F, t: F.avg_pool1d(t.ones(5), 2),
    "avg1d small": lambda F, t: F.avg_pool1d(t.ones(1, 1, 1), 2),
    "avg1d kernel length": lambda F, t: F.avg_pool1d(t.ones(1, 1, 5), (2, 2)),
    "adaptive rank": lambda F, t: F.adaptive_avg_pool2d(t.ones(5, 5), 2),
    "adaptive negative": lambda F, t: F.adaptive_avg_pool2d(t.ones(1, 2, 5, 5), -1),
    "adaptive length": lambda F, t: F.adaptive_avg_pool2d(t.ones(1, 2, 5, 5), (1, 2, 3)),
    "adaptive empty": lambda F, t: F.adaptive_avg_pool2d(t.ones(1, 2, 0, 5), 2),
    "adaptive long": lambda F, t: F.adaptive_avg_pool2d(t.ones(1, 2, 5, 5, dtype=t.long), 2),
    "adaptive 1x1 long": lambda F, t: F.adaptive_avg_pool2d(t.ones(1, 2, 5, 5, dtype=t.long), 1),
    "adaptive1d rank": lambda F, t: F.adaptive_avg_pool1d(t.ones(5), 2),
}


@pytest.mark.parametrize("case", sorted(POOL_ERRORS))
def test_pool_errors(close, case):
    def prog(torch, see):
        see(POOL_ERRORS[case](torch.nn.functional, torch))
    close(prog)


# ---- modules -------------------------------------------------------------------------------------
def test_module_reprs(close):
    def prog(torch, see):
        nn = torch.nn
        mods = [nn.MaxPool2d(2), nn.MaxPool2d((2, 3), stride=1, padding=1, dilation=2, ceil_mode=True),
                nn.MaxPool1d(3), nn.AvgPool2d(2), nn.AvgPool2d(3, 2, 1, True, False, 4), nn.AvgPool1d(3, 2),
                nn.AdaptiveAvgPool2d((None, 3)), nn.AdaptiveAvgPool1d(4), nn.Upsample(scale_factor=2),
                nn.Upsample(size=(3, 4), mode="bilinear", align_corners=True),
                nn.Upsample(scale_factor=(2, 3)), nn.UpsamplingNearest2d(size=5),
                nn.UpsamplingBilinear2d(scale_factor=2), nn.ZeroPad2d(2), nn.ZeroPad1d((1, 2)),
                nn.ConstantPad2d((1, 2, 3, 4), 3.5), nn.ConstantPad1d(1, -1), nn.ReflectionPad2d(1),
                nn.ReflectionPad1d((1, 2)), nn.ReplicationPad2d((1, 0, 2, 1)), nn.ReplicationPad1d(2),
                nn.CircularPad2d(1), nn.CircularPad1d((0, 2))]
        see(repr(nn.Sequential(*mods)))
        for m in mods:
            see(m.__dict__.get("kernel_size"), m.__dict__.get("stride"), m.__dict__.get("padding"),
                list(m.state_dict()))
    close(prog)


def test_modules_forward(close, graph):
    x0 = data((2, 3, 8, 7), 4, np.float32)

    def prog(torch, see):
        nn = torch.nn
        x = torch.tensor(x0, requires_grad=True)
        for m in (nn.MaxPool2d(3, 2, 1), nn.MaxPool2d(2, return_indices=True), nn.AvgPool2d(3, 2, 1),
                  nn.AdaptiveAvgPool2d((2, 3)), nn.AdaptiveAvgPool2d(1), nn.Upsample(scale_factor=2),
                  nn.UpsamplingBilinear2d(size=(5, 5)), nn.ZeroPad2d((1, 2, 0, 1)),
                  nn.ReflectionPad2d(2), nn.ReplicationPad2d(1), nn.CircularPad2d((1, 0, 2, 1)),
                  nn.ConstantPad2d(1, 2.5)):
            out = m(x)
            y = out[0] if isinstance(out, tuple) else out
            see(out, graph(y))
        for m in (nn.MaxPool1d(2), nn.AvgPool1d(3, 1, 1), nn.AdaptiveAvgPool1d(3), nn.ReflectionPad1d(2),
                  nn.ReplicationPad1d((0, 3)), nn.CircularPad1d(1), nn.ZeroPad1d(1)):
            see(m(x[0]), graph(m(x[0])))
        see(nn.CircularPad2d(1)(x[0, 0]))
    close(prog)


@pytest.mark.parametrize("kwargs", [dict(scale_factor=2), dict(size=(4, 7, 3)),
                                    dict(scale_factor=(1.5, 0.7, 2.2), mode="trilinear"),
                                    dict(size=(5, 5, 5), mode="trilinear", align_corners=True)])
def test_interpolate_3d(close, graph, kwargs):
    check_op(close, graph, lambda F, x: F.interpolate(x, **kwargs), data((2, 2, 3, 4, 5), 5))


def test_deprecated_upsample_functions_warn(close, graph):
    def prog(torch, see):
        F = torch.nn.functional
        x = torch.tensor(X4, requires_grad=True)
        for y in (F.upsample(x, scale_factor=2, mode="bilinear"), F.upsample_nearest(x, size=(4, 5)),
                  F.upsample_bilinear(x, scale_factor=2)):
            see(y, graph(y))
    close(prog)


def test_torch_namespace_entry_points(close, graph):
    def prog(torch, see):
        x = torch.tensor(X4, requires_grad=True)
        see(torch.max_pool2d(x, 2), torch.max_pool1d(x[0], 3, 2), torch.avg_pool1d(x[0], 2),
            torch.adaptive_avg_pool1d(x[0], 3), torch.max_pool1d_with_indices(x[0], 2))
        y = torch.conv2d(x, torch.ones(2, 3, 2, 2, dtype=torch.float64), None, 1, 1)
        see(y, graph(y), torch.conv_transpose2d(x, torch.ones(3, 2, 2, 2, dtype=torch.float64)))
    close(prog)
