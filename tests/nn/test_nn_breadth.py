"""More of torch.nn against torch: F.rms_norm / nn.RMSNorm, nn.Softmax2d, pixel (un)shuffle,
F.unfold / F.fold, adaptive max pooling, 3-d pooling, power-average pooling, local response norm,
the in-place activation forms, channel shuffle; values, gradients, double backward, graphs, saved
attributes, module reprs and torch's errors."""
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


def check_op(close, graph, fn, x0, double=True, inputs_grad=True, grad_graph=True):
    """fn(F, x) -> tensor or (tensor, indices): values, graph, gradient and (optionally) the
    gradient of a function of the gradient (and the gradient's graph, unless `grad_graph` is off:
    for torch's Python composites it is made of other ops' derivative formulas)."""
    def prog(torch, see):
        x = torch.tensor(x0, requires_grad=inputs_grad)
        out = fn(torch.nn.functional, x)
        y = out[0] if isinstance(out, tuple) else out
        see(out, graph(y))
        if not inputs_grad:
            return
        gx, = torch.autograd.grad(y, (x,), _weights(torch, y), create_graph=double)
        see(gx, graph(gx) if double and grad_graph else None)
        if double:
            see(*torch.autograd.grad((gx * _weights(torch, x)).sum() + (y * y).sum(), (x,)))
    close(prog)


def check_errors(close, cases: dict, case: str):
    def prog(torch, see):
        see(cases[case](torch.nn.functional, torch))
    close(prog)


X4 = data((2, 4, 7, 6), 1)
X3 = data((4, 7, 6), 2)
X5 = data((2, 3, 5, 6, 4), 3)


# ---- RMS norm --------------------------------------------------------------------------------------
RMS_CASES = [((6,), None, None), ((6,), True, None), ((7, 6), True, 1e-3), ((4, 7, 6), None, 0.5),
             ((6,), True, 1e-6)]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shape, weighted, eps", RMS_CASES)
def test_rms_norm(close, graph, shape, weighted, eps, dtype):
    x0 = X4.astype(dtype)
    w0 = data(shape, 5, dtype)

    def prog(torch, see):
        x = torch.tensor(x0, requires_grad=True)
        w = torch.tensor(w0, requires_grad=True) if weighted else None
        y = torch.nn.functional.rms_norm(x, shape, w, eps)
        see(y, graph(y))
        inputs = (x, w) if weighted else (x,)
        grads = torch.autograd.grad(y, inputs, _weights(torch, y), create_graph=True)
        see(*grads)
        see(*torch.autograd.grad(sum((g * g).sum() for g in grads), inputs))
    close(prog)


def test_rms_norm_module_and_layouts(close, graph):
    def prog(torch, see):
        nn = torch.nn
        for m in (nn.RMSNorm(6), nn.RMSNorm([7, 6], eps=1e-4), nn.RMSNorm(6, elementwise_affine=False),
                  nn.RMSNorm((6,), dtype=torch.float64)):
            see(repr(m), list(m.state_dict()), m.eps, m.normalized_shape)
            if m.weight is not None:
                see(m.weight)
        m = nn.RMSNorm(6)
        x = torch.tensor(X4.astype(np.float32), requires_grad=True)
        y = m(x)
        see(y, graph(y))
        y.sum().backward()
        see(x.grad, m.weight.grad)
        xt = torch.tensor(X4.astype(np.float32)).transpose(1, 3).requires_grad_()
        y = torch.nn.functional.rms_norm(xt, (4,))
        see(y, graph(y), y.stride(), y.is_contiguous())
        see(torch.nn.functional.rms_norm(torch.tensor(X4.astype(np.float16)), (6,)))
    close(prog)


RMS_ERRORS = {
    "input shape": lambda F, t: F.rms_norm(t.ones(2, 3), (4,)),
    "input shape 2": lambda F, t: F.rms_norm(t.ones(2, 5, 6), (3, 6)),
    "too few dims": lambda F, t: F.rms_norm(t.ones(2, 3), (2, 3, 4)),
    "weight": lambda F, t: F.rms_norm(t.ones(2, 3), (3,), t.ones(4)),
    "weight rank": lambda F, t: F.rms_norm(t.ones(2, 3), [3], t.ones(1, 3)),
    "weight before dims": lambda F, t: F.rms_norm(t.ones(2, 3), (2, 3, 4), t.ones(3)),
    "integer": lambda F, t: F.rms_norm(t.ones(2, 3, dtype=t.long), (3,)),
    "empty shape": lambda F, t: F.rms_norm(t.ones(2, 3), ()),
    "int shape": lambda F, t: F.rms_norm(t.ones(2, 3), 3),
}


@pytest.mark.parametrize("case", sorted(RMS_ERRORS))
def test_rms_norm_errors(close, case):
    check_errors(close, RMS_ERRORS, case)


# ---- Softmax2d -----------------------------------------------------------------------------------
def test_softmax2d(close, graph):
    def prog(torch, see):
        m = torch.nn.Softmax2d()
        see(repr(m))
        for x0 in (X4, X3):
            x = torch.tensor(x0, requires_grad=True)
            y = m(x)
            see(y, graph(y), *torch.autograd.grad(y, x, _weights(torch, y)))
        see(m(torch.ones(2, 3)))
    close(prog)


# ---- pixel shuffle, channel shuffle -------------------------------------------------------------------
@pytest.mark.parametrize("shape, r", [((2, 8, 3, 5), 2), ((9, 2, 3), 3), ((2, 1, 4, 2, 3), 2),
                                      ((3, 4, 4), 1)])
def test_pixel_shuffle(close, graph, shape, r):
    check_op(close, graph, lambda F, x: F.pixel_shuffle(x, r), data(shape, 6))
    unshuffled = tuple(shape[:-3]) + (shape[-3] // (r * r), shape[-2] * r, shape[-1] * r)
    check_op(close, graph, lambda F, x: F.pixel_unshuffle(x, r), data(unshuffled, 7))


@pytest.mark.parametrize("shape, groups", [((2, 6, 3, 2), 2), ((2, 6, 3, 2), 3), ((1, 4, 5), 4),
                                           ((2, 6, 1, 2, 2), 6), ((2, 5, 3), 1)])
def test_channel_shuffle(close, graph, shape, groups):
    check_op(close, graph, lambda F, x: F.channel_shuffle(x, groups), data(shape, 8))


def test_shuffle_modules_and_dtypes(close, graph):
    def prog(torch, see):
        nn = torch.nn
        mods = [nn.PixelShuffle(2), nn.PixelUnshuffle(3), nn.ChannelShuffle(2)]
        see(repr(nn.Sequential(*mods)), [m.__dict__.get("groups") for m in mods])
        x = torch.arange(2 * 36 * 6).reshape(2, 36, 6, 1 * 6)
        see(mods[0](x), mods[1](x), mods[2](x))
        b = x % 3 == 0
        see(mods[0](b), mods[2](b), torch.nn.functional.pixel_unshuffle(b, 2))
        xf = torch.tensor(data((2, 4, 3, 3), 9), requires_grad=True)
        y = mods[2](mods[0](xf).repeat(1, 4, 1, 1))
        see(y, graph(y))
        y = mods[0](xf)
        see(y.grad_fn._saved_upscale_factor, mods[2](xf).grad_fn._saved_groups, y.is_contiguous())
    close(prog)


SHUFFLE_ERRORS = {
    "ps channels": lambda F, t: F.pixel_shuffle(t.ones(1, 3, 2, 2), 2),
    "ps dims": lambda F, t: F.pixel_shuffle(t.ones(4, 2), 2),
    "ps zero": lambda F, t: F.pixel_shuffle(t.ones(1, 4, 2, 2), 0),
    "ps negative": lambda F, t: F.pixel_shuffle(t.ones(1, 4, 2, 2), -2),
    "ps dims first": lambda F, t: F.pixel_shuffle(t.ones(4), 0),
    "pus dims": lambda F, t: F.pixel_unshuffle(t.ones(4, 2), 2),
    "pus height": lambda F, t: F.pixel_unshuffle(t.ones(1, 1, 3, 4), 2),
    "pus width": lambda F, t: F.pixel_unshuffle(t.ones(1, 1, 4, 3), 2),
    "pus zero": lambda F, t: F.pixel_unshuffle(t.ones(1, 1, 3, 5), 0),
    "cs dims": lambda F, t: F.channel_shuffle(t.ones(4, 2), 0),
    "cs divisible": lambda F, t: F.channel_shuffle(t.ones(1, 3, 2), 2),
    "cs zero": lambda F, t: F.channel_shuffle(t.ones(1, 4, 2), 0),
    "cs negative": lambda F, t: F.channel_shuffle(t.ones(1, 4, 2), -2),
    "cs module": lambda F, t: t.nn.ChannelShuffle(2)(t.ones(1, 3, 2)),
    "softmax2d": lambda F, t: t.nn.Softmax2d()(t.ones(2, 3)),
    "softmax2d 5d": lambda F, t: t.nn.Softmax2d()(t.ones(1, 2, 3, 4, 5)),
}


@pytest.mark.parametrize("case", sorted(SHUFFLE_ERRORS))
def test_shuffle_errors(close, case):
    check_errors(close, SHUFFLE_ERRORS, case)


# ---- unfold / fold -------------------------------------------------------------------------------
UNFOLD = [  # kernel, dilation, padding, stride
    (2, 1, 0, 1), (3, 1, 1, 2), ((2, 3), (2, 1), (1, 0), (1, 2)), (1, 1, 0, 1), ((3, 2), 1, (1, 1), (3, 1)),
    (2, 2, 1, 3),
]


@pytest.mark.parametrize("kernel, dilation, padding, stride", UNFOLD)
def test_unfold(close, graph, kernel, dilation, padding, stride):
    check_op(close, graph, lambda F, x: F.unfold(x, kernel, dilation, padding, stride), X4)
    check_op(close, graph, lambda F, x: F.unfold(x, kernel, dilation, padding, stride),
             X3.astype(np.float32), double=False)


@pytest.mark.parametrize("kernel, dilation, padding, stride", UNFOLD)
def test_fold(close, graph, kernel, dilation, padding, stride):
    out_size = (7, 6)

    def blocks(size, k, d, p, s):
        return (size + 2 * p - d * (k - 1) - 1) // s + 1

    def pair(v):
        return tuple(v) if isinstance(v, tuple) else (v, v)

    k, d, p, s = pair(kernel), pair(dilation), pair(padding), pair(stride)
    length = blocks(7, k[0], d[0], p[0], s[0]) * blocks(6, k[1], d[1], p[1], s[1])
    check_op(close, graph, lambda F, x: F.fold(x, out_size, kernel, dilation, padding, stride),
             data((2, 3 * k[0] * k[1], length), 11))
    check_op(close, graph, lambda F, x: F.fold(x, out_size, kernel, dilation, padding, stride),
             data((3 * k[0] * k[1], length), 12, np.float32), double=False)


def test_fold_unfold_modules_and_attributes(close, graph):
    def prog(torch, see):
        nn = torch.nn
        mods = [nn.Unfold(2), nn.Unfold((2, 3), dilation=2, padding=1, stride=(1, 2)), nn.Fold((4, 5), 2),
                nn.Fold(output_size=6, kernel_size=(2, 3), stride=2)]
        see(repr(nn.Sequential(*mods)))
        for m in mods:
            see(m.kernel_size, m.dilation, m.padding, m.stride, getattr(m, "output_size", None))
        x = torch.tensor(X4, requires_grad=True)
        cols = mods[0](x)
        back = nn.Fold((7, 6), 2)(cols)
        see(cols, back, graph(back))
        fn = cols.grad_fn
        see(fn._saved_kernel_size, fn._saved_dilation, fn._saved_padding, fn._saved_stride,
            fn._saved_self_sym_argsize_minus_1, fn._saved_self_sym_argsize_minus_2)
        fn = back.grad_fn
        see(fn._saved_kernel_size, fn._saved_dilation, fn._saved_padding, fn._saved_stride)
        b = torch.ones(1, 1, 3, 4, dtype=torch.bool)
        see(torch.nn.functional.unfold(b, 2), torch.nn.functional.fold(torch.ones(1, 4, 4) > 0, (3, 3), 2))
        see(torch.nn.functional.fold(torch.ones(0, 4, 4), (3, 3), 2))
        see(torch.nn.functional.unfold(torch.ones(0, 2, 3, 3), 2))
    close(prog)


FOLD_ERRORS = {
    "unfold 2d": lambda F, t: F.unfold(t.ones(3, 4), 2),
    "unfold 1d": lambda F, t: F.unfold(t.ones(3), 2),
    "unfold 0d": lambda F, t: F.unfold(t.ones(()), 2),
    "unfold 5d": lambda F, t: F.unfold(t.ones(1, 1, 3, 4, 5), 2),
    "unfold too big": lambda F, t: F.unfold(t.ones(1, 1, 3, 4), 5),
    "unfold kernel": lambda F, t: F.unfold(t.ones(1, 1, 3, 4), 0),
    "unfold stride": lambda F, t: F.unfold(t.ones(1, 1, 3, 4), 2, stride=0),
    "unfold dilation": lambda F, t: F.unfold(t.ones(1, 1, 3, 4), 2, dilation=0),
    "unfold padding": lambda F, t: F.unfold(t.ones(1, 1, 3, 4), 2, padding=-1),
    "unfold dilation before padding": lambda F, t: F.unfold(t.ones(1, 1, 3, 4), 2, padding=-1, dilation=0),
    "unfold padding before stride": lambda F, t: F.unfold(t.ones(1, 1, 3, 4), 2, padding=-1, stride=0),
    "unfold kernel length": lambda F, t: F.unfold(t.ones(1, 1, 3, 4), (2, 2, 2)),
    "unfold stride length": lambda F, t: F.unfold(t.ones(1, 1, 3, 4), 2, stride=(1,)),
    "unfold empty": lambda F, t: F.unfold(t.ones(1, 0, 3, 4), 2),
    "unfold long": lambda F, t: F.unfold(t.ones(1, 1, 3, 4, dtype=t.long), 2),
    "unfold int": lambda F, t: F.unfold(t.ones(1, 1, 3, 4, dtype=t.int32), 2),
    "fold 1d": lambda F, t: F.fold(t.ones(4), (3, 3), 2),
    "fold 4d": lambda F, t: F.fold(t.ones(1, 4, 4, 1), (3, 3), 2),
    "fold divisible": lambda F, t: F.fold(t.ones(1, 5, 4), (3, 3), 2),
    "fold blocks": lambda F, t: F.fold(t.ones(1, 4, 5), (3, 3), 2),
    "fold kernel": lambda F, t: F.fold(t.ones(1, 4, 4), (3, 3), 0),
    "fold output small": lambda F, t: F.fold(t.ones(1, 4, 4), (1, 1), 2),
    "fold stride": lambda F, t: F.fold(t.ones(1, 4, 4), (3, 3), 2, stride=0),
    "fold stride before dilation": lambda F, t: F.fold(t.ones(1, 4, 4), (3, 3), 2, stride=0, dilation=0),
    "fold dilation before padding": lambda F, t: F.fold(t.ones(1, 4, 4), (3, 3), 2, padding=-1, dilation=0),
    "fold long": lambda F, t: F.fold(t.ones(1, 4, 4, dtype=t.long), (3, 3), 2),
    "fold output length": lambda F, t: F.fold(t.ones(1, 4, 4), (3, 3, 3), 2),
    "fold zero output": lambda F, t: F.fold(t.ones(1, 4, 4), (0, 3), 2),
    "fold non-positive blocks": lambda F, t: F.fold(t.ones(1, 4, 1), (0, 0), 2),
    "fold negative output": lambda F, t: F.fold(t.ones(1, 4, 1), (-1, -1), 1),
    "fold zero blocks": lambda F, t: F.fold(t.ones(1, 4, 0), (1, 1), 2),
}


@pytest.mark.parametrize("case", sorted(FOLD_ERRORS))
def test_fold_errors(close, case):
    check_errors(close, FOLD_ERRORS, case)


# ---- adaptive max pooling ------------------------------------------------------------------------
@pytest.mark.parametrize("size", [1, 3, (2, 4), (None, 3), (7, 6), (5, 4), (4, None)])
def test_adaptive_max_pool2d(close, graph, size):
    check_op(close, graph, lambda F, x: F.adaptive_max_pool2d(x, size, return_indices=True), X4)
    check_op(close, graph, lambda F, x: F.adaptive_max_pool2d(x, size), X3.astype(np.float32), double=False)


@pytest.mark.parametrize("size", [1, 2, 4, 6])
def test_adaptive_max_pool1d(close, graph, size):
    check_op(close, graph, lambda F, x: F.adaptive_max_pool1d(x, size, return_indices=True), X3)
    check_op(close, graph, lambda F, x: F.adaptive_max_pool1d(x, size), X3[0])


def test_adaptive_max_ties_nan_inf(close):
    def prog(torch, see):
        F = torch.nn.functional
        nan, inf = float("nan"), float("inf")
        x = torch.tensor([[[nan, 1.0, nan, 2.0, 2.0], [1.0, 5.0, 5.0, 2.0, -inf],
                           [-inf, -inf, -inf, -inf, -inf]]])
        for out, idx in (F.adaptive_max_pool2d(x, (3, 2), return_indices=True),
                         F.adaptive_max_pool1d(x[0], 2, return_indices=True)):
            see(out.clamp(-100, 100), out == -inf, idx)  # (an infinite value would widen the tolerance)
        y = torch.tensor([[[1.0, 3.0, 3.0], [0.0, 3.0, 2.0]]], requires_grad=True)
        F.adaptive_max_pool2d(y, (2, 2)).sum().backward()  # overlapping windows add up
        see(y.grad)
        out = F.adaptive_max_pool2d(y, 2)
        see(out.grad_fn._saved_result1, out.grad_fn._saved_self)
    close(prog)


# ---- 3-d pooling ---------------------------------------------------------------------------------
MAX_POOL3D = [  # kernel, stride, padding, dilation, ceil_mode
    (2, None, 0, 1, False), (3, 2, 1, 1, False), (3, 2, 1, 2, True),
    ((2, 3, 1), (1, 2, 1), (1, 1, 0), (2, 1, 1), True),
    ((3, 1, 2), 1, (1, 0, 1), 1, False), (4, 3, 2, 1, True),
]


@pytest.mark.parametrize("kernel, stride, padding, dilation, ceil_mode", MAX_POOL3D)
def test_max_pool3d(close, graph, kernel, stride, padding, dilation, ceil_mode):
    check_op(close, graph, lambda F, x: F.max_pool3d(x, kernel, stride, padding, dilation, ceil_mode,
                                                     return_indices=True), X5)
    check_op(close, graph, lambda F, x: F.max_pool3d(x, kernel, stride, padding, dilation, ceil_mode),
             X5[0].astype(np.float32), double=False)


def test_max_pool3d_ties_nan_integers(close):
    def prog(torch, see):
        F = torch.nn.functional
        nan, inf = float("nan"), float("inf")
        see(F.max_pool3d(torch.tensor([[[[nan, 1.0, nan, 2.0]]]]), (1, 1, 4), return_indices=True))
        out, idx = F.max_pool3d(torch.tensor([[[[-inf, -inf, 3.0, -inf]]]]), (1, 1, 2), padding=(0, 0, 1),
                                return_indices=True)
        see(out.clamp(-100, 100), out == -inf, idx)
        see(F.max_pool3d(-5 * torch.ones(1, 1, 2, 2, 2, dtype=torch.long), 2, return_indices=True))
        see(F.max_pool3d(torch.arange(64, dtype=torch.uint8).reshape(1, 4, 4, 4), 2, 1))
        x = torch.tensor([[[[[1.0, 3.0, 3.0], [0.0, 3.0, 2.0]]]]], requires_grad=True)
        F.max_pool3d(x, (1, 2, 2), 1).sum().backward()
        see(x.grad)
        out = F.max_pool3d(x, (1, 2, 2), 1)
        fn = out.grad_fn
        see(fn._saved_kernel_size, fn._saved_stride, fn._saved_padding, fn._saved_dilation,
            fn._saved_ceil_mode, fn._saved_result1)
    close(prog)


AVG_POOL3D = [  # kernel, stride, padding, ceil_mode, count_include_pad, divisor_override
    (2, None, 0, False, True, None), (3, 2, 1, True, True, None), (3, 2, 1, True, False, None),
    ((3, 2, 2), (2, 1, 1), (1, 1, 0), True, False, 5), (4, 3, 2, True, True, None), (3, 1, 0, False, True, 2),
]


@pytest.mark.parametrize("kernel, stride, padding, ceil_mode, count_include_pad, divisor", AVG_POOL3D)
def test_avg_pool3d(close, graph, kernel, stride, padding, ceil_mode, count_include_pad, divisor):
    check_op(close, graph, lambda F, x: F.avg_pool3d(x, kernel, stride, padding, ceil_mode, count_include_pad,
                                                     divisor), X5)
    check_op(close, graph, lambda F, x: F.avg_pool3d(x, kernel, stride, padding, ceil_mode, count_include_pad,
                                                     divisor), X5[1].astype(np.float32), double=False)


def test_avg_pool3d_integers(close):
    def prog(torch, see):
        F = torch.nn.functional
        x = torch.arange(64).reshape(1, 4, 4, 4) - 30
        see(F.avg_pool3d(x, (2, 3, 2), 1, ceil_mode=True), F.avg_pool3d(x, 3, 2, 1, count_include_pad=False))
    close(prog)


@pytest.mark.parametrize("size", [1, (1, 1, 1), 2, (3, 4, 2), (None, 2, None), (5, 6, 4), (4, 7, 3),
                                  (0, 2, 2)])
def test_adaptive_avg_pool3d(close, graph, size):
    check_op(close, graph, lambda F, x: F.adaptive_avg_pool3d(x, size), X5)


def test_adaptive_avg_pool3d_empty_backward(close):
    def prog(torch, see):
        x = torch.ones(1, 2, 4, 4, 4, requires_grad=True)
        torch.nn.functional.adaptive_avg_pool3d(x, (0, 2, 2)).sum().backward()
    close(prog)


POOL3D_ERRORS = {
    "max rank": lambda F, t: F.max_pool3d(t.ones(4, 4, 4), 2),
    "max kernel length": lambda F, t: F.max_pool3d(t.ones(1, 4, 4, 4), (2, 2)),
    "max stride length": lambda F, t: F.max_pool3d(t.ones(1, 4, 4, 4), 2, (1, 1)),
    "max padding length": lambda F, t: F.max_pool3d(t.ones(1, 4, 4, 4), 2, 2, (1, 1)),
    "max dilation length": lambda F, t: F.max_pool3d(t.ones(1, 4, 4, 4), 2, 2, 0, (1, 1)),
    "max stride zero": lambda F, t: F.max_pool3d(t.ones(1, 4, 4, 4), 2, 0),
    "max kernel zero": lambda F, t: F.max_pool3d(t.ones(1, 4, 4, 4), 0),
    "max kernel zero stride": lambda F, t: F.max_pool3d(t.ones(2, 4, 4, 4), (0, 2, 2), 1),
    "max negative stride": lambda F, t: F.max_pool3d(t.ones(2, 4, 4, 4), 2, -1),
    "max pad": lambda F, t: F.max_pool3d(t.ones(1, 4, 4, 4), 2, padding=2),
    "max pad 3": lambda F, t: F.max_pool3d(t.ones(2, 4, 4, 4), 3, 2, padding=(1, 0, 2)),
    "max negative pad": lambda F, t: F.max_pool3d(t.ones(2, 4, 4, 4), 2, padding=-1),
    "max small": lambda F, t: F.max_pool3d(t.ones(1, 1, 1, 1), 2),
    "max dilation": lambda F, t: F.max_pool3d(t.ones(1, 4, 4, 4), 2, dilation=0),
    "max empty": lambda F, t: F.max_pool3d(t.ones(1, 0, 4, 4), 2),
    "max bool": lambda F, t: F.max_pool3d(t.ones(1, 4, 4, 4, dtype=t.bool), 2),
    "avg rank": lambda F, t: F.avg_pool3d(t.ones(4, 4, 4), 2),
    "avg kernel length": lambda F, t: F.avg_pool3d(t.ones(1, 4, 4, 4), (2, 2)),
    "avg stride length": lambda F, t: F.avg_pool3d(t.ones(1, 4, 4, 4), 2, (2, 2)),
    "avg padding length": lambda F, t: F.avg_pool3d(t.ones(1, 4, 4, 4), 2, 2, (0, 0)),
    "avg pad": lambda F, t: F.avg_pool3d(t.ones(1, 4, 4, 4), 2, padding=2),
    "avg divisor": lambda F, t: F.avg_pool3d(t.ones(1, 4, 4, 4), 2, divisor_override=0),
    "avg small": lambda F, t: F.avg_pool3d(t.ones(1, 1, 1, 1), 2),
    "avg empty": lambda F, t: F.avg_pool3d(t.ones(1, 0, 4, 4), 2),
    "avg bool": lambda F, t: F.avg_pool3d(t.ones(1, 4, 4, 4, dtype=t.bool), 2),
    "avg int": lambda F, t: F.avg_pool3d(t.ones(1, 4, 4, 4, dtype=t.int32), 2),
    "adaptive rank": lambda F, t: F.adaptive_avg_pool3d(t.ones(4, 4), 2),
    "adaptive negative": lambda F, t: F.adaptive_avg_pool3d(t.ones(1, 4, 4, 4), -1),
    "adaptive length": lambda F, t: F.adaptive_avg_pool3d(t.ones(1, 4, 4, 4), (1, 2)),
    "adaptive empty": lambda F, t: F.adaptive_avg_pool3d(t.ones(1, 0, 4, 4), 2),
    "adaptive long": lambda F, t: F.adaptive_avg_pool3d(t.ones(1, 4, 4, 4, dtype=t.long), 2),
    "adaptive default": lambda F, t: F.adaptive_avg_pool3d(t.ones(4, 4, 4), (None, 2, 2)),
    "amax rank": lambda F, t: F.adaptive_max_pool2d(t.ones(4, 4), 2),
    "amax negative": lambda F, t: F.adaptive_max_pool2d(t.ones(1, 4, 4), -1),
    "amax length": lambda F, t: F.adaptive_max_pool2d(t.ones(1, 4, 4), (1, 2, 3)),
    "amax length 4d": lambda F, t: F.adaptive_max_pool2d(t.ones(1, 1, 4, 4), (1, 2, 3)),
    "amax empty": lambda F, t: F.adaptive_max_pool2d(t.ones(1, 0, 4), 2),
    "amax long": lambda F, t: F.adaptive_max_pool2d(t.ones(1, 4, 4, dtype=t.long), 2),
    "amax1d rank": lambda F, t: F.adaptive_max_pool1d(t.ones(4), 2),
    "amax1d length": lambda F, t: F.adaptive_max_pool1d(t.ones(1, 4), (2, 2)),
    "amax1d empty": lambda F, t: F.adaptive_max_pool1d(t.ones(1, 0), 2),
    "amax1d zero": lambda F, t: F.adaptive_max_pool1d(t.ones(1, 4), 0),
    "amax zero": lambda F, t: F.adaptive_max_pool2d(t.ones(1, 4, 4), (0, 2)),
    "amax batch zero": lambda F, t: F.adaptive_max_pool2d(t.ones(0, 1, 4, 4), 2),
    "max batch zero": lambda F, t: F.max_pool3d(t.ones(0, 1, 4, 4, 4), 2),
}


@pytest.mark.parametrize("case", sorted(POOL3D_ERRORS))
def test_pool3d_errors(close, case):
    check_errors(close, POOL3D_ERRORS, case)


# ---- power-average pooling, local response norm ------------------------------------------------------
LP_POOL = [(2, 3, None, False), (3.0, 2, 1, False), (1.5, (2, 3), (1, 2), True), (float("inf"), 2, 1, False),
           (-float("inf"), 3, 2, True), (1, 2, None, True)]


@pytest.mark.parametrize("norm_type, kernel, stride, ceil_mode", LP_POOL)
def test_lp_pool(close, graph, norm_type, kernel, stride, ceil_mode):
    positive = np.abs(X4) + 0.1  # fractional powers of negatives are NaN, in both libraries
    check_op(close, graph, lambda F, x: F.lp_pool2d(x, norm_type, kernel, stride, ceil_mode), positive,
             grad_graph=False)
    k1 = kernel if isinstance(kernel, int) else kernel[0]
    s1 = stride if stride is None or isinstance(stride, int) else stride[0]
    check_op(close, graph, lambda F, x: F.lp_pool1d(x, norm_type, k1, s1, ceil_mode), positive[0],
             grad_graph=False)
    k3 = kernel if isinstance(kernel, int) else kernel + (1,)
    s3 = stride if stride is None or isinstance(stride, int) else stride + (1,)
    check_op(close, graph, lambda F, x: F.lp_pool3d(x, norm_type, k3, s3, ceil_mode), np.abs(X5) + 0.1,
             double=False)


def test_lp_pool_signed_inputs(close):
    def prog(torch, see):
        F = torch.nn.functional
        x = torch.tensor(X4)
        see(F.lp_pool2d(x, 2, 2), F.lp_pool2d(x, 3, 2), F.lp_pool1d(x[0], 1, 3))
    close(prog)


@pytest.mark.parametrize("size, alpha, beta, k", [(3, 1e-4, 0.75, 1.0), (2, 0.5, 0.3, 2.0),
                                                  (5, 1.0, 1.5, 0.5), (1, 1e-2, 0.75, 1.0)])
def test_local_response_norm(close, graph, size, alpha, beta, k):
    for x0 in (X4, X3, X5):
        check_op(close, graph, lambda F, x: F.local_response_norm(x, size, alpha, beta, k), x0,
                 grad_graph=False)


def test_pool_norm_modules(close, graph):
    x0 = data((2, 3, 6, 5, 4), 13, np.float32)

    def prog(torch, see):
        nn = torch.nn
        mods = [nn.MaxPool3d(2),
                nn.MaxPool3d((2, 3, 1), stride=1, padding=(1, 1, 0), dilation=2, ceil_mode=True),
                nn.AvgPool3d(2), nn.AvgPool3d(3, 2, 1, True, False, 4), nn.AdaptiveAvgPool3d((None, 3, 2)),
                nn.AdaptiveAvgPool3d(1), nn.AdaptiveMaxPool2d((2, None)), nn.AdaptiveMaxPool2d(3, True),
                nn.AdaptiveMaxPool1d(4), nn.LPPool1d(2, 3),
                nn.LPPool2d(1.5, (2, 3), stride=1, ceil_mode=True),
                nn.LPPool3d(3, 2), nn.LocalResponseNorm(3), nn.LocalResponseNorm(2, 0.1, 0.5, 2)]
        see(repr(nn.Sequential(*mods)))
        for m in mods:
            see(m.__dict__.get("kernel_size"), m.__dict__.get("stride"), m.__dict__.get("output_size"),
                list(m.state_dict()))
        x = torch.tensor(x0, requires_grad=True)
        for m in mods[:6] + [nn.LPPool3d(3, 2), nn.LocalResponseNorm(3)]:
            out = m(x)
            see(out, graph(out))
        for m in (nn.AdaptiveMaxPool2d((2, None)), nn.AdaptiveMaxPool2d(3, True), nn.LPPool2d(2, 2)):
            out = m(x[0])
            y = out[0] if isinstance(out, tuple) else out
            see(out, graph(y))
        for m in (nn.AdaptiveMaxPool1d(4), nn.LPPool1d(2, 3)):
            out = m(x[0, 0])
            see(out, graph(out))
    close(prog)


MISC_ERRORS = {
    "lrn rank": lambda F, t: F.local_response_norm(t.ones(4, 4), 2),
    "lrn empty": lambda F, t: F.local_response_norm(t.ones(0, 3, 4), 2),
    "lp zero norm": lambda F, t: F.lp_pool2d(t.ones(1, 4, 4), 0, 2),
}


@pytest.mark.parametrize("case", sorted(MISC_ERRORS))
def test_misc_errors(close, case):
    check_errors(close, MISC_ERRORS, case)


# ---- in-place activation forms -------------------------------------------------------------------
INPLACE = ["F.elu_(y)", "F.elu_(y, 0.5)", "F.hardtanh_(y)", "F.hardtanh_(y, -0.5, 0.3)",
           "F.hardtanh_(y, 2.0, 1.0)",
           "F.leaky_relu_(y)", "F.leaky_relu_(y, 0.2)", "F.selu_(y)", "F.elu(y, inplace=True)",
           "F.selu(y, inplace=True)", "F.leaky_relu(y, 0.1, True)", "F.hardtanh(y, inplace=True)",
           "F.relu6(y, inplace=True)", "nn.ELU(inplace=True)(y)", "nn.SELU(inplace=True)(y)",
           "nn.LeakyReLU(0.3, inplace=True)(y)", "nn.Hardtanh(inplace=True)(y)", "nn.ReLU6(inplace=True)(y)",
           "nn.ELU(2.0, True)(y)"]


@pytest.mark.parametrize("expr", INPLACE)
def test_inplace_activation_forms(close, graph, expr):
    x0 = data((3, 5), 14) * 2

    def prog(torch, see):
        x = torch.tensor(x0, requires_grad=True)
        y = x * 1.5
        r = eval(expr, {"F": torch.nn.functional, "nn": torch.nn, "y": y})
        see(r is y, r, graph(r), y._version)
        g, = torch.autograd.grad(r, x, _weights(torch, r), create_graph=True)
        see(g, *torch.autograd.grad((g * g).sum(), x))
        z = torch.tensor(x0)
        see(eval(expr, {"F": torch.nn.functional, "nn": torch.nn, "y": z}), z)
    close(prog)


def test_inplace_forms_on_leaf(close):
    def prog(torch, see):
        F = torch.nn.functional
        for f in (F.elu_, F.hardtanh_, F.leaky_relu_, F.selu_):
            see(f(torch.ones(2, requires_grad=True)))
    close(prog)


# ---- lazy modules --------------------------------------------------------------------------------
def test_lazy_linear(close, graph):
    def prog(torch, see):
        torch.manual_seed(0)
        m = torch.nn.LazyLinear(3)
        see(repr(m), repr(m.weight), repr(m.bias), type(m.weight).__name__, type(m).__name__,
            [(k, repr(v)) for k, v in m.state_dict().items()], len(list(m.parameters())))
        see(isinstance(m.weight, torch.nn.Parameter), isinstance(m.weight, torch.nn.UninitializedParameter))
        try:
            see(m.weight.shape)
        except RuntimeError as e:
            see(str(e))
        x = torch.randn(2, 5)
        y = m(x)
        see(y, graph(y), type(m).__name__, repr(m), m.weight, m.bias, type(m.weight).__name__, m.in_features)
        see(m(torch.randn(4, 5)), len(m._forward_pre_hooks))
        m2 = torch.nn.LazyLinear(2, bias=False, dtype=torch.float64)
        see(repr(m2), m2(torch.randn(3, 4, dtype=torch.float64)), m2.weight, m2.bias)
        see(torch.randn(3))  # the generator after the materialisation draws
    close(prog)


def test_lazy_linear_load_state_dict(close):
    def prog(torch, see):
        torch.manual_seed(1)
        src = torch.nn.Linear(4, 2)
        m = torch.nn.LazyLinear(2)
        m.load_state_dict(src.state_dict())
        see(type(m).__name__, repr(m), m.weight, m.bias)
        see(m(torch.ones(1, 4)), type(m).__name__, repr(m))
    close(prog)


@pytest.mark.parametrize("name, args, shape", [("LazyConv1d", (4, 3), (2, 3, 7)),
                                               ("LazyConv1d", (4, 3), (3, 7)),
                                               ("LazyConv2d", (4, 3, 1, 1, 1, 2), (2, 2, 5, 5)),
                                               ("LazyConv2d", (6, (2, 3)), (1, 3, 5, 4)),
                                               ("LazyConv3d", (2, 2), (1, 1, 3, 3, 3))])
def test_lazy_conv(close, graph, name, args, shape):
    def prog(torch, see):
        torch.manual_seed(2)
        m = getattr(torch.nn, name)(*args)
        see(repr(m), repr(m.weight), type(m).__name__)
        y = m(torch.randn(*shape))
        see(y, graph(y), repr(m), type(m).__name__, m.weight, m.bias, m.in_channels)
    close(prog)


def test_lazy_errors(close):
    def prog(torch, see):
        try:
            torch.nn.LazyConv1d(4, 3)(torch.randn(2, 2, 5, 5))
        except RuntimeError as e:
            see(str(e))
        try:
            torch.nn.LazyConv2d(4, 3, groups=2)(torch.randn(1, 3, 5, 5))
        except ValueError as e:
            see(str(e))
    close(prog)


# ---- embedding bag -------------------------------------------------------------------------------
W6 = data((6, 3), 15)
BAG_INPUT = np.array([1, 2, 4, 5, 4, 3, 2, 0])
BAG_CASES = [  # offsets, mode, psw, include_last_offset, padding_idx, scale_grad_by_freq
    ([0, 2, 2, 5], "sum", False, False, None, False), ([0, 2, 2, 5], "mean", False, False, None, False),
    ([0, 2, 2, 5], "max", False, False, None, False), ([0, 2, 2, 5], "sum", True, False, None, False),
    ([0, 3, 8], "sum", True, True, None, False), ([0, 3, 3, 8], "mean", False, True, None, False),
    ([0, 2, 2, 5], "mean", False, False, 2, False), ([0, 2, 2, 5], "max", False, False, -2, False),
    ([0, 2, 2, 5], "sum", True, False, 4, False), ([0, 1, 4], "sum", False, False, None, True),
    ([0, 1, 4], "mean", False, False, 4, True), ([0], "mean", False, False, None, False),
    ([0, 8], "max", False, True, None, False),
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("offsets, mode, psw, last, padding_idx, freq", BAG_CASES)
def test_embedding_bag(close, graph, offsets, mode, psw, last, padding_idx, freq, dtype):
    w0 = W6.astype(dtype)
    p0 = data(8, 16, dtype)

    def prog(torch, see):
        w = torch.tensor(w0, requires_grad=True)
        p = torch.tensor(p0, requires_grad=True) if psw else None
        y = torch.nn.functional.embedding_bag(torch.tensor(BAG_INPUT), w,
                                              torch.tensor(offsets, dtype=torch.long),
                                              mode=mode, per_sample_weights=p, include_last_offset=last,
                                              padding_idx=padding_idx, scale_grad_by_freq=freq)
        see(y, graph(y))
        inputs = (w, p) if psw else (w,)
        see(*torch.autograd.grad(y, inputs, _weights(torch, y)))
    close(prog)


def test_embedding_bag_2d_and_module(close, graph):
    def prog(torch, see):
        F, nn = torch.nn.functional, torch.nn
        w = torch.tensor(W6, requires_grad=True)
        idx = torch.tensor([[1, 2, 0], [4, 4, 3]])
        for mode in ("sum", "mean", "max"):
            y = F.embedding_bag(idx, w, mode=mode)
            see(y, *torch.autograd.grad(y, w, _weights(torch, y)))
        y = F.embedding_bag(idx, w, mode="sum", per_sample_weights=torch.tensor(data((2, 3), 17)))
        see(y)
        see(F.embedding_bag(idx.int(), w, padding_idx=0),
            F.embedding_bag(idx[0], w, torch.tensor([0, 1]).int()))
        torch.manual_seed(3)
        mods = [nn.EmbeddingBag(10, 3), nn.EmbeddingBag(10, 4, mode="sum", padding_idx=-2, max_norm=1.5),
                nn.EmbeddingBag(5, 2, 1.0, 3.0, True, "mean", include_last_offset=True, padding_idx=0),
                nn.EmbeddingBag.from_pretrained(torch.tensor(W6), mode="max")]
        see(repr(nn.Sequential(*mods)))
        for m in mods:
            see(m.weight, m.padding_idx, list(m.state_dict()), m.weight.requires_grad)
        m = mods[1]
        out = m(torch.tensor([1, 8, 9, 3, 3]), torch.tensor([0, 2]))
        see(out, graph(out), m.weight)
        out.sum().backward()
        see(m.weight.grad)
        see(mods[0](torch.tensor([[1, 2], [3, 4]])))
    close(prog)


BAG_ERRORS = {
    "float indices": lambda F, t, w: F.embedding_bag(t.tensor([1.0, 2.0]), w, t.tensor([0])),
    "offsets 0": lambda F, t, w: F.embedding_bag(t.tensor([1, 2]), w, t.tensor([1, 2])),
    "offsets 0 int": lambda F, t, w: F.embedding_bag(t.tensor([1, 2]).int(), w, t.tensor([1, 2]).int()),
    "offsets last": lambda F, t, w: F.embedding_bag(t.tensor([1, 2]), w, t.tensor([0, 3])),
    "index range": lambda F, t, w: F.embedding_bag(t.tensor([0, 7]), w, t.tensor([0])),
    "index negative": lambda F, t, w: F.embedding_bag(t.tensor([0, -1]), w, t.tensor([0])),
    "offsets before index": lambda F, t, w: F.embedding_bag(t.tensor([7, 1]), w, t.tensor([1, 2])),
    "padding": lambda F, t, w: F.embedding_bag(t.tensor([1]), w, t.tensor([0]), padding_idx=6),
    "padding negative": lambda F, t, w: F.embedding_bag(t.tensor([1]), w, t.tensor([0]), padding_idx=-7),
    "psw mean": lambda F, t, w: F.embedding_bag(t.tensor([1, 2]), w, t.tensor([0]),
                                                per_sample_weights=t.ones(2)),
    "psw shape": lambda F, t, w: F.embedding_bag(t.tensor([1, 2]), w, t.tensor([0]), mode="sum",
                                                 per_sample_weights=t.ones(3)),
    "psw dtype": lambda F, t, w: F.embedding_bag(t.tensor([1, 2]), w, t.tensor([0]), mode="sum",
                                                 per_sample_weights=t.ones(2, dtype=t.float64)),
    "weight 1d": lambda F, t, w: F.embedding_bag(t.tensor([1, 2]), w[0], t.tensor([0])),
    "2d with offsets": lambda F, t, w: F.embedding_bag(t.tensor([[1, 2]]), w, t.tensor([0])),
    "1d without offsets": lambda F, t, w: F.embedding_bag(t.tensor([1, 2]), w),
    "offsets 2d": lambda F, t, w: F.embedding_bag(t.tensor([1, 2]), w, t.tensor([[0]])),
    "input 3d": lambda F, t, w: F.embedding_bag(t.ones(1, 1, 1, dtype=t.long), w),
    "mode": lambda F, t, w: F.embedding_bag(t.tensor([1, 2]), w, t.tensor([0]), mode="min"),
    "max freq": lambda F, t, w: F.embedding_bag(t.tensor([1, 2]), w, t.tensor([0]), mode="max",
                                                scale_grad_by_freq=True),
    "max sparse": lambda F, t, w: F.embedding_bag(t.tensor([1, 2]), w, t.tensor([0]), mode="max",
                                                  sparse=True),
    "swapped": lambda F, t, w: F.embedding_bag(w, t.tensor([1, 2]), t.tensor([0])),
    "last offset empty": lambda F, t, w: F.embedding_bag(t.tensor([1, 2]), w, t.tensor([], dtype=t.long),
                                                         include_last_offset=True),
    "integer weight": lambda F, t, w: F.embedding_bag(t.tensor([1, 2]), w.long(), t.tensor([0])),
    "float offsets": lambda F, t, w: F.embedding_bag(t.tensor([1, 2]), w, t.tensor([0.0])),
    "module padding": lambda F, t, w: t.nn.EmbeddingBag(3, 2, padding_idx=3),
    "module weight": lambda F, t, w: t.nn.EmbeddingBag(3, 2, _weight=t.ones(2, 2)),
    "pretrained": lambda F, t, w: t.nn.EmbeddingBag.from_pretrained(t.ones(2)),
}


@pytest.mark.parametrize("case", sorted(BAG_ERRORS))
def test_embedding_bag_errors(close, case):
    def prog(torch, see):
        see(BAG_ERRORS[case](torch.nn.functional, torch, torch.tensor(W6.astype(np.float32))))
    close(prog)


# ---- gumbel_softmax, pdist -------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs", [{}, dict(tau=0.5), dict(hard=True), dict(dim=0, tau=2.0),
                                    dict(hard=True, dim=1)])
def test_gumbel_softmax(close, graph, kwargs):
    x0 = data((3, 5), 18)

    def prog(torch, see):
        torch.manual_seed(4)
        x = torch.tensor(x0, requires_grad=True)
        y = torch.nn.functional.gumbel_softmax(x, **kwargs)
        see(y, graph(y), *torch.autograd.grad(y, x, _weights(torch, y)))
        y = torch.nn.functional.gumbel_softmax(torch.tensor(x0.astype(np.float32)), **kwargs)
        see(y, torch.rand(2))
    close(prog)


def test_gumbel_softmax_warning_and_errors(close):
    def prog(torch, see):
        torch.manual_seed(5)
        see(torch.nn.functional.gumbel_softmax(torch.ones(3), eps=1e-3))
        see(torch.nn.functional.gumbel_softmax(torch.ones(3, dtype=torch.long)))
    close(prog)


@pytest.mark.parametrize("p", [2, 1, 0, 0.5, 1.5, 3, float("inf")])
def test_pdist(close, graph, p):
    x0 = data((5, 3), 19)
    x0[3] = x0[1]  # a zero distance
    x0[4, 0] = x0[0, 0]  # a zero difference

    def prog(torch, see):
        x = torch.tensor(x0, requires_grad=True)
        y = torch.nn.functional.pdist(x, p)
        see(y, graph(y), y.grad_fn._saved_p)
        g, = torch.autograd.grad(y, x, _weights(torch, y), create_graph=True)
        see(g, graph(g))
        xf = torch.tensor(x0.astype(np.float32), requires_grad=True)
        y = torch.nn.functional.pdist(xf.t().t(), p)
        see(y, *torch.autograd.grad(y, xf, _weights(torch, y)))
        g.sum().backward()
    close(prog)


PDIST_ERRORS = {
    "1d": lambda F, t: F.pdist(t.ones(3)),
    "negative p": lambda F, t: F.pdist(t.ones(3, 2), -1),
    "integer": lambda F, t: F.pdist(t.ones(3, 2, dtype=t.long)),
    "one row": lambda F, t: F.pdist(t.ones(1, 3)),
    "no rows": lambda F, t: F.pdist(t.ones(0, 3)),
    "no columns": lambda F, t: F.pdist(t.ones(3, 0)),
    "no columns inf": lambda F, t: F.pdist(t.ones(3, 0), float("inf")),
}


@pytest.mark.parametrize("case", sorted(PDIST_ERRORS))
def test_pdist_errors(close, case):
    check_errors(close, PDIST_ERRORS, case)


# ---- margin losses -------------------------------------------------------------------------------
X_MARGIN = data((4, 5), 20)
MULTI_TARGET = np.array([1, 0, 4, 2])
MULTILABEL_TARGET = np.array([[1, 2, -1, 0, 3], [0, -1, 1, 1, 2], [4, 3, 2, 1, 0], [-1, 2, 3, 0, 0]])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("kwargs", [{}, dict(p=2), dict(margin=0.3), dict(reduction="sum"),
                                    dict(reduction="none"), dict(weighted=True),
                                    dict(p=2, weighted=True, reduction="none", margin=2.0),
                                    dict(size_average=False)])
def test_multi_margin_loss(close, graph, kwargs, dtype):
    kwargs = dict(kwargs)
    weighted = kwargs.pop("weighted", False)
    w0 = np.abs(data(5, 21, dtype)) + 0.1

    def prog(torch, see):
        x = torch.tensor(X_MARGIN.astype(dtype), requires_grad=True)
        w = torch.tensor(w0) if weighted else None
        y = torch.nn.functional.multi_margin_loss(x, torch.tensor(MULTI_TARGET), weight=w, **kwargs)
        see(y, graph(y))
        g, = torch.autograd.grad(y, x, _weights(torch, y), create_graph=True)
        see(g, graph(g))
        see(torch.nn.functional.multi_margin_loss(x[1], torch.tensor([3]), weight=w, **kwargs),
            torch.nn.functional.multi_margin_loss(x[1], torch.tensor(3), weight=w, **kwargs))
        g.sum().backward()
    close(prog)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_multilabel_margin_loss(close, graph, reduction, dtype):
    def prog(torch, see):
        x = torch.tensor(X_MARGIN.astype(dtype), requires_grad=True)
        F = torch.nn.functional
        y = F.multilabel_margin_loss(x, torch.tensor(MULTILABEL_TARGET), reduction=reduction)
        see(y, graph(y), y.grad_fn._saved_is_target)
        g, = torch.autograd.grad(y, x, _weights(torch, y), create_graph=True)
        see(g, graph(g))
        y1 = F.multilabel_margin_loss(x[2], torch.tensor(MULTILABEL_TARGET[2]), reduction=reduction)
        see(y1, *torch.autograd.grad(y1, x, _weights(torch, y1)))
        g.sum().backward()
    close(prog)


@pytest.mark.parametrize("kwargs", [{}, dict(margin=0.5, swap=True), dict(reduction="sum"),
                                    dict(reduction="none"), dict(distance="cosine"),
                                    dict(distance="cosine", swap=True, reduction="none")])
def test_triplet_margin_with_distance_loss(close, graph, kwargs):
    kwargs = dict(kwargs)
    distance = kwargs.pop("distance", None)
    a0, p0, n0 = data((4, 3), 22), data((4, 3), 23), data((4, 3), 24)

    def prog(torch, see):
        a, p, n = (torch.tensor(v, requires_grad=True) for v in (a0, p0, n0))
        fn = None
        if distance == "cosine":
            def fn(x, y):
                return 1.0 - torch.nn.functional.cosine_similarity(x, y)
        y = torch.nn.functional.triplet_margin_with_distance_loss(a, p, n, distance_function=fn, **kwargs)
        see(y, graph(y), *torch.autograd.grad(y, (a, p, n), _weights(torch, y)))
        m = torch.nn.TripletMarginWithDistanceLoss(distance_function=fn, **kwargs)
        see(repr(m), m(a, p, n))
    close(prog)


def test_loss_modules(close, graph):
    def prog(torch, see):
        nn = torch.nn
        mods = [nn.MultiMarginLoss(), nn.MultiMarginLoss(2, 0.5, torch.ones(5), reduction="sum"),
                nn.MultiLabelMarginLoss(reduction="none"), nn.TripletMarginWithDistanceLoss(),
                nn.TripletMarginWithDistanceLoss(distance_function=nn.CosineSimilarity(), margin=2.0,
                                                 swap=True),
                nn.MultiLabelMarginLoss(size_average=False)]
        see(repr(nn.ModuleList(mods)), [list(m.state_dict()) for m in mods], [m.reduction for m in mods])
        x = torch.tensor(X_MARGIN, requires_grad=True)
        for m in mods[:2]:
            out = m(x, torch.tensor(MULTI_TARGET))
            see(out, graph(out))
        for m in (mods[2], mods[5]):
            out = m(x, torch.tensor(MULTILABEL_TARGET))
            see(out, graph(out))
        for m in mods[3:5]:
            out = m(x, x.flip(0), x * 2)
            see(out, graph(out))
    close(prog)


LOSS_ERRORS = {
    "mm target range": lambda F, t: F.multi_margin_loss(t.ones(3, 4), t.tensor([1, 0, 4])),
    "mm target negative": lambda F, t: F.multi_margin_loss(t.ones(3, 4), t.tensor([1, 0, -1])),
    "mm target size": lambda F, t: F.multi_margin_loss(t.ones(3, 4), t.tensor([1, 0])),
    "mm target 2d": lambda F, t: F.multi_margin_loss(t.ones(3, 4), t.tensor([[1], [0], [2]])),
    "mm p": lambda F, t: F.multi_margin_loss(t.ones(3, 4), t.tensor([1, 0, 2]), p=3),
    "mm weight 2d": lambda F, t: F.multi_margin_loss(t.ones(3, 4), t.tensor([1, 0, 2]), weight=t.ones(2, 2)),
    "mm weight size": lambda F, t: F.multi_margin_loss(t.ones(3, 4), t.tensor([1, 0, 2]), weight=t.ones(3)),
    "mm weight dtype": lambda F, t: F.multi_margin_loss(t.ones(3, 4), t.tensor([1, 0, 2]),
                                                        weight=t.ones(4, dtype=t.float64)),
    "mm empty classes": lambda F, t: F.multi_margin_loss(t.ones(3, 0), t.tensor([1, 0, 2])),
    "mm 3d": lambda F, t: F.multi_margin_loss(t.ones(2, 2, 2), t.tensor([1, 0])),
    "mm float target": lambda F, t: F.multi_margin_loss(t.ones(3, 4), t.tensor([1.0, 0, 2])),
    "mm int target": lambda F, t: F.multi_margin_loss(t.ones(3, 4), t.tensor([1, 0, 2]).int()),
    "mm long input": lambda F, t: F.multi_margin_loss(t.ones(3, 4, dtype=t.long), t.tensor([1, 0, 2])),
    "mm reduction": lambda F, t: F.multi_margin_loss(t.ones(3, 4), t.tensor([1, 0, 2]), reduction="foo"),
    "mm module p": lambda F, t: t.nn.MultiMarginLoss(p=3),
    "mm module weight": lambda F, t: t.nn.MultiMarginLoss(weight=t.ones(2, 2)),
    "ml target range": lambda F, t: F.multilabel_margin_loss(t.ones(3, 4),
                                                             t.tensor([[1, 2, -1, 0]] * 2 + [[3, 2, 1, 4]])),
    "ml target below": lambda F, t: F.multilabel_margin_loss(t.ones(3, 4), t.tensor([[1, 2, -2, 0]] * 3)),
    "ml range after end": lambda F, t: F.multilabel_margin_loss(t.ones(3, 4), t.tensor([[1, -1, 5, 0]] * 3)),
    "ml target size": lambda F, t: F.multilabel_margin_loss(t.ones(3, 4), t.tensor([1, 2, 3])),
    "ml target rows": lambda F, t: F.multilabel_margin_loss(t.ones(3, 4), t.tensor([[1, 2, -1, 0]])),
    "ml 1d target size": lambda F, t: F.multilabel_margin_loss(t.ones(4), t.tensor([1, 0])),
    "ml 3d": lambda F, t: F.multilabel_margin_loss(t.ones(2, 2, 2), t.tensor([1, 0])),
    "ml long input": lambda F, t: F.multilabel_margin_loss(t.ones(3, 4, dtype=t.long),
                                                           t.tensor([[1, 2, -1, 0]] * 3)),
    "ml float target": lambda F, t: F.multilabel_margin_loss(t.ones(3, 4), t.tensor([[1.0, 2, -1, 0]] * 3)),
    "tmd reduction": lambda F, t: F.triplet_margin_with_distance_loss(t.ones(2, 3), t.ones(2, 3),
                                                                      t.ones(2, 3), reduction="avg"),
    "tmd margin": lambda F, t: F.triplet_margin_with_distance_loss(t.ones(2, 3), t.ones(2, 3), t.ones(2, 3),
                                                                   margin=0),
    "tmd dims": lambda F, t: F.triplet_margin_with_distance_loss(t.ones(2, 3), t.ones(3), t.ones(2, 3)),
    "tmd module margin": lambda F, t: t.nn.TripletMarginWithDistanceLoss(margin=-1.0),
}


@pytest.mark.parametrize("case", sorted(LOSS_ERRORS))
def test_margin_loss_errors(close, case):
    check_errors(close, LOSS_ERRORS, case)


# ---- saved attributes, warn-once -----------------------------------------------------------------
def test_pool3d_saved_attributes(close):
    def prog(torch, see):
        F = torch.nn.functional
        x = torch.tensor(X5, requires_grad=True)
        fn = F.avg_pool3d(x, (3, 2, 2), (2, 1, 1), 1, True, False).grad_fn
        see(type(fn).__name__, fn._saved_kernel_size, fn._saved_stride, fn._saved_padding,
            fn._saved_ceil_mode, fn._saved_count_include_pad, fn._saved_divisor_override, fn._saved_self)
        fn = F.adaptive_avg_pool3d(x, (2, 3, 2)).grad_fn
        see(type(fn).__name__, fn._saved_self)
        fn = F.fold(F.unfold(x[0], 2), (6, 4), 2).grad_fn
        see(type(fn).__name__, fn._saved_kernel_size, fn._saved_stride)
    close(prog)


RMS_WARN_PROGRAM = """
import warnings, sys
if sys.argv[1] == "numtorch":
    import numtorch as torch
    import numtorch.nn
else:
    import torch
warnings.simplefilter("always")
with warnings.catch_warnings(record=True) as caught:
    for _ in range(2):
        y = torch.nn.functional.rms_norm(torch.ones(2, 3, dtype=torch.float64), (3,), torch.ones(3) * 2)
        print(y.dtype, y.tolist())
print([(w.category.__name__, str(w.message).split(" (Triggered")[0]) for w in caught])
"""


def test_rms_norm_dtype_mismatch_warns_once():
    import subprocess
    import sys
    outputs = [subprocess.run([sys.executable, "-c", RMS_WARN_PROGRAM, lib], capture_output=True, text=True,
                              check=True).stdout for lib in ("torch", "numtorch")]
    assert outputs[0] == outputs[1]
    assert "Mismatch dtype" in outputs[0]


def test_uninitialized_tensors(close):
    def prog(torch, see):
        import copy
        b, p = torch.nn.UninitializedBuffer(), torch.nn.UninitializedParameter()
        see(repr(b), repr(p), type(b).__name__, isinstance(p, torch.nn.Parameter), p.requires_grad,
            b.requires_grad, p.dtype)
        p.materialize((2, 3))
        b.materialize((2,))
        see(type(p).__name__, p.shape, p.requires_grad, type(b).__name__, b.shape)
        m = copy.deepcopy(torch.nn.LazyLinear(3))
        see(repr(m), repr(m.weight), m.has_uninitialized_params())
    close(prog)
