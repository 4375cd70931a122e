"""`python -m numtorch SCRIPT.py`: an unmodified PyTorch script runs on numtorch."""
import subprocess
import sys

SCRIPT = """
import sys
import torch
import torch.autograd
from torch.autograd import grad
x = torch.tensor([1.0, 2.0], requires_grad=True)
(x.sigmoid() * x).sum().backward()
print(x.grad, sys.argv[1:])
print(grad((x ** 3).sum(), x))
print(sys.modules['torch.autograd'] is sys.modules['numtorch.autograd'], 'numtorch' in torch.__name__)
"""


def test_script_runs_with_torch_resolved_to_numtorch(tmp_path):
    script = tmp_path / "train.py"
    script.write_text(SCRIPT)
    ours = subprocess.run([sys.executable, "-m", "numtorch", str(script), "a", "b"],
                          capture_output=True, text=True)
    assert ours.returncode == 0, ours.stderr
    oracle = subprocess.run([sys.executable, str(script), "a", "b"], capture_output=True, text=True)
    expected = oracle.stdout.splitlines()
    got = ours.stdout.splitlines()
    assert got[:2] == expected[:2]
    assert got[2] == "True True"


def test_missing_feature_is_named_with_the_script_line(tmp_path):
    script = tmp_path / "uses_missing.py"
    script.write_text("import torch\nx = torch.ones(2)\ny = torch.not_a_real_function(x)\n")
    out = subprocess.run([sys.executable, "-m", "numtorch", str(script)], capture_output=True, text=True)
    assert out.returncode == 1
    assert f"{script}:3" in out.stderr and "not_a_real_function" in out.stderr
