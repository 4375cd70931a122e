"""tools/compare_with_torch.py: unmodified scripts run under `python -m numtorch --seed N` and
under PyTorch seeded the same way print the same thing."""
import importlib.util
import sys
from pathlib import Path

import pytest

TOOL = Path(__file__).resolve().parents[1] / "tools" / "compare_with_torch.py"
spec = importlib.util.spec_from_file_location("compare_with_torch", TOOL)
compare = importlib.util.module_from_spec(spec)
sys.modules["compare_with_torch"] = compare
spec.loader.exec_module(compare)

# Never seeded by the script itself: the tool's --seed must make both runs draw the same numbers.
UNSEEDED_FIT = """
import random
import torch

class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return 3 * x ** 2 * g

x = torch.linspace(-1, 1, 50)
target = torch.tanh(2 * x)
w = torch.randn(3, requires_grad=True)
for step in range(200):
    pred = w[0] + w[1] * x + w[2] * Cube.apply(x)
    loss = (pred - target).pow(2).mean()
    loss.backward()
    with torch.no_grad():
        w -= 0.1 * w.grad
        w.grad = None
    if step % 50 == 49:
        print(step, loss.item(), random.randint(0, 9))
print(w)
"""

MODULE_TRAINING = """
import torch
from torch import nn

model = nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 3))
data = torch.randn(64, 4)
labels = torch.randint(0, 3, (64,))
opt = torch.optim.Adam(model.parameters(), lr=0.01)
for epoch in range(30):
    opt.zero_grad()
    loss = nn.functional.cross_entropy(model(data), labels)
    loss.backward()
    opt.step()
print(loss.item(), model(data[:2]))
"""


@pytest.mark.parametrize("program", [UNSEEDED_FIT, MODULE_TRAINING], ids=["fit", "module"])
def test_scripts_print_the_same_under_both(tmp_path, program, capsys):
    script = tmp_path / "program.py"
    script.write_text(program)
    assert compare.main(["--seed", "3", str(script)]) == 0, capsys.readouterr().out
    assert "same output" in capsys.readouterr().out


def test_differences_are_found_in_words_and_numbers():
    assert compare.first_difference("loss 1.0\n", "loss 1.0000001\n", 1e-5, 0) is None
    assert "numbers" in compare.first_difference("loss 1.0\n", "loss 1.1\n", 1e-5, 0)
    assert "line 2" in compare.first_difference("a\nb\n", "a\nc\n", 1e-5, 0)
    assert "lines" in compare.first_difference("a\n", "a\nb\n", 1e-5, 0)
    assert compare.first_difference("w 1e-10\n", "w -2e-10\n", 1e-5, 1e-8) is None
