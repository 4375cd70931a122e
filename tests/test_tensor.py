"""Tensor basics: storage and strides, conversions, Size, len/iter, comparisons, numpy()."""
import numpy as np
import pytest

import numtorch


def test_storage_sharing_and_offsets(same):
    def prog(torch, see):
        a = torch.tensor([1.0, 2.0, 3.0, 4.0])
        v = a[1:]
        see(v.data_ptr() - a.data_ptr(), v.storage_offset(), v.stride())
        see(a.untyped_storage().data_ptr() == v.untyped_storage().data_ptr())
        see(a.detach().data_ptr() == a.data_ptr(), a.clone().data_ptr() == a.data_ptr())
        m = torch.arange(12.0).reshape(3, 4)
        for t in (m, m.t(), m[:, 1:], m[1], m[::2, ::3], m[:, None], m.unsqueeze(0), m.expand(2, 3, 4)):
            see(t.stride(), t.storage_offset(), t.is_contiguous(), t.shape, t.size(), t.dim(), t.numel())
        see(m.stride(1), m.size(-1), m.element_size(), m.t().contiguous().stride())
    same(prog)


def test_conversions(same):
    def prog(torch, see):
        t = torch.tensor([[1.5, 2.0], [3.0, 4.0]])
        see(t.tolist(), torch.tensor(2.5).item(), float(torch.tensor([2.5])), int(torch.tensor(3.7)),
            bool(torch.tensor([1])), torch.tensor(7).item(), type(torch.tensor(7).item()).__name__)
        see(f"{torch.tensor(1.5):.2f}", format(torch.tensor([1.0, 2.0])))
        for f in (lambda: t.item(), lambda: float(t), lambda: f"{t:.2f}", lambda: bool(t),
                  lambda: torch.tensor([1.0], requires_grad=True).numpy(), lambda: len(torch.tensor(1.0))):
            try:
                see(f())
            except (RuntimeError, ValueError, TypeError) as e:
                see(type(e).__name__, str(e))
    same(prog)


def test_size_len_iter(same):
    def prog(torch, see):
        t = torch.arange(6).reshape(2, 3)
        see(t.shape, str(t.shape), t.shape[1:], t.shape == (2, 3), len(t), t.shape.numel())
        see(list(t), [r.tolist() for r in t])
        see(torch.Size([2, 3]), torch.zeros(0).shape, torch.tensor(1.0).shape)
    same(prog)


def test_comparisons(same):
    def prog(torch, see):
        a = torch.tensor([1.0, 2.0, 3.0])
        b = torch.tensor([3.0, 2.0, 1.0])
        see(a == b, a != b, a < b, a <= b, a > 2, a >= 2, 2 < a, a == 2.0)
        see((a > 1) & (b > 1), (a > 1) | (b > 1), (a > 1) ^ (b > 1), ~(a > 1), a.equal(a.clone()))
        see(a.eq(b).dtype, (a < b).requires_grad)
    same(prog)


def test_numpy_shares_memory():
    t = numtorch.tensor([1.0, 2.0])
    n = t.numpy()
    n[0] = 5.0
    assert t.tolist() == [5.0, 2.0]
    a = np.arange(3.0)
    f = numtorch.from_numpy(a)
    f.add_(1)
    assert a.tolist() == [1.0, 2.0, 3.0]
    assert f.dtype is numtorch.float64


def test_printing_through_tensor(same):
    def prog(torch, see):
        see(repr(torch.tensor([1.0, 2.0], requires_grad=True)), str(torch.tensor(2.0, requires_grad=True) * 2))
        see(repr(torch.arange(12.0, dtype=torch.float64, requires_grad=True).reshape(2, 6) / 7))
        see(repr(torch.tensor([], requires_grad=True)), repr(torch.zeros(2, 0)), repr(torch.arange(1001) * 1.5))
        torch.set_printoptions(precision=2)
        see(repr(torch.tensor([1.23456, 2.0])))
        torch.set_printoptions(profile="default")
        see(repr(torch.tensor([1.23456, 2.0])))
    same(prog)


@pytest.mark.parametrize("name", ["float32", "float64", "float16", "int64", "int32", "int16", "int8",
                                  "uint8", "bool", "complex64", "complex128", "half", "double", "long",
                                  "int", "float", "short", "cfloat"])
def test_dtype_objects(same, name):
    def prog(torch, see):
        d = getattr(torch, name)
        see(repr(d), str(d), d.is_floating_point, d.is_complex, torch.zeros(1, dtype=d).type(),
            torch.zeros(1, dtype=d).element_size())
    same(prog)
