"""Issue 4 item 9: the demo trains a CNN on scikit-learn's bundled digits.

examples/train_digits.py is run as a script under numtorch and (`--backend torch`) under PyTorch
from the same seed: every printed line is the same apart from the last digits of the losses (equal
to 1e-5 relative) and the timing line; the loss-curve PNG is written. A full run reaches the issue's
95% test accuracy."""
from __future__ import annotations

import re
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("sklearn")
pytest.importorskip("matplotlib")

SCRIPT = Path(__file__).resolve().parents[1] / "examples" / "train_digits.py"
EPOCH = re.compile(r"^epoch +(\d+)/(\d+) \[([#-]{20})\] +(\d+)% loss (\S+)$")
ACCURACY = re.compile(r"^test accuracy ([\d.]+)% \((\d+)/(\d+)\)$")


def run(tmp_path: Path, backend: str, *flags: str) -> tuple[list[str], Path]:
    cwd = tmp_path / backend
    cwd.mkdir()
    command = [sys.executable, str(SCRIPT), "--backend", backend, "--out", "out/digits.png", *flags]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=cwd)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[-1].startswith("time: ") and lines[-1].endswith(f" s training on {backend}")
    return lines[:-1], cwd / "out" / "digits.png"  # the timing line is the only one allowed to differ


def losses(lines: list[str]) -> list[float]:
    found = [EPOCH.match(line) for line in lines]
    return [float(m.group(5)) for m in found if m]


def accuracy(lines: list[str]) -> tuple[float, int, int]:
    (m,) = [m for m in map(ACCURACY.match, lines) if m]
    return float(m.group(1)), int(m.group(2)), int(m.group(3))


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert (length, kind) == (13, b"IHDR")  # the first chunk
    (crc,) = struct.unpack(">I", data[29:33])
    assert crc == zlib.crc32(data[12:29])
    assert data[-12:] == b"\x00\x00\x00\x00IEND\xaeB`\x82"
    return struct.unpack(">II", data[16:24])


def test_short_run_prints_what_pytorch_prints(tmp_path):
    pytest.importorskip("torch")
    epochs = 3
    ours, our_png = run(tmp_path, "numtorch", "--epochs", str(epochs), "--seed", "1")
    theirs, their_png = run(tmp_path, "torch", "--epochs", str(epochs), "--seed", "1")

    got, expected = losses(ours), losses(theirs)
    assert len(got) == len(expected) == epochs
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=0)
    # every other line is the same text (the data split, the model, the progress bars, the PNG path);
    # the accuracy is the same up to one borderline image
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        if not (EPOCH.match(a) or ACCURACY.match(a)):
            assert a == b
        if EPOCH.match(a):
            assert a.rsplit(" ", 1)[0] == b.rsplit(" ", 1)[0]
    assert abs(accuracy(ours)[1] - accuracy(theirs)[1]) <= 1
    assert ours[-1] == "loss curve: out/digits.png"  # relative to the working directory

    width, height = png_size(our_png)
    assert (width, height) == png_size(their_png) and width > 100 and height > 100


def test_full_run_reaches_95_percent(tmp_path):
    lines, png = run(tmp_path, "numtorch")
    got = losses(lines)
    assert len(got) > 3 and got[-1] < got[0]
    bars = [m for m in map(EPOCH.match, lines) if m]  # without a TTY: one finished bar per epoch
    assert [int(m.group(1)) for m in bars] == list(range(1, len(bars) + 1))
    assert all(m.group(3) == "#" * 20 and m.group(4) == "100" for m in bars)
    percent, correct, total = accuracy(lines)
    assert correct / total >= 0.95, lines
    png_size(png)
