"""The four examples of the write-up numtorch grew from, verbatim, plus .data and detach_()."""
import subprocess
import sys
from pathlib import Path

import numpy as np

import numtorch as torch

ROOT = Path(__file__).resolve().parents[1]


def test_example1_sigmoid_grad():
    a = torch.tensor([1.2, 3.4, 5.6], requires_grad=True)
    assert a.grad is None
    a.sigmoid().sum().backward()
    assert repr(a.grad) == "tensor([0.1779, 0.0313, 0.0037])"
    s = 1 / (1 + np.exp(-np.array([1.2, 3.4, 5.6], dtype=np.float32)))
    np.testing.assert_allclose(a.grad.numpy(), s * (1 - s), rtol=1e-6)


def test_example2_detach_shares_memory_and_version(same):
    def prog(torch, see):
        a = torch.tensor([1.2, 3.4, 5.6], requires_grad=True)
        out = a.sigmoid()
        c = out.detach()
        see(c, c.requires_grad, c.data_ptr() == out.data_ptr(), c._version, out._version)
        out.sum().backward()
        see(a.grad)
        see(out.grad)  # non-leaf: warns, returns None
    same(prog)


def test_example3_backward_on_detached_raises(same):
    def prog(torch, see):
        a = torch.tensor([1.2, 3.4, 5.6], requires_grad=True)
        c = a.sigmoid().detach()
        c.sum().backward()
    got = same(prog)
    assert got[-1] == ("raised", "RuntimeError",
                       "element 0 of tensors does not require grad and does not have a grad_fn")


def test_example4_zero_detached_is_caught(same):
    def prog(torch, see):
        a = torch.tensor([1.2, 3.4, 5.6], requires_grad=True)
        out = a.sigmoid()
        c = out.detach()
        c.zero_()
        see(c, out, out._version)
        out.sum().backward()
    got = same(prog)
    assert got[-1][0] == "raised" and "output 0 of Sigmoid, is at version 1" in got[-1][2]


def test_data_change_goes_unnoticed(same):
    def prog(torch, see):
        a = torch.tensor([1.2, 3.4, 5.6], requires_grad=True)
        out = a.sigmoid()
        c = out.data
        c.zero_()
        see(out, out._version, c._version)
        out.sum().backward()
        see(a.grad)
    same(prog)


def test_detach_inplace_and_view_refusal(same):
    def prog(torch, see):
        a = torch.tensor([1.2, 3.4, 5.6], requires_grad=True)
        out = a.sigmoid()
        see(out.detach_() is out, out, out.is_leaf, out.grad_fn is None)
        (a * 2)[:2].detach_()
    same(prog)


def test_demo_prints_what_pytorch_prints(tmp_path):
    demo = ROOT / "examples" / "detach_writeup.py"
    ours = subprocess.run([sys.executable, str(demo)], capture_output=True, text=True, check=True)
    oracle_src = demo.read_text().replace("import numtorch as torch", "import torch")
    oracle = tmp_path / "oracle.py"
    oracle.write_text(oracle_src)
    theirs = subprocess.run([sys.executable, str(oracle)], capture_output=True, text=True, check=True)
    assert ours.stdout == theirs.stdout
    assert "RuntimeError" in ours.stdout


def test_import_does_not_import_torch():
    code = "import sys, numtorch; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_import_leaves_the_large_modules_for_first_use():
    """`import numtorch` stays fast: nn, optim, utils load when first touched (torch.conv2d too)."""
    code = ("import sys, numtorch; print(sorted(m for m in ('numtorch.nn', 'numtorch.optim', "
            "'numtorch.utils', 'numtorch.serialization') if m in sys.modules)); numtorch.conv2d; "
            "print('numtorch.nn' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:2] == ["[]", "True"]
