"""examples/debugging_tour.py (docs/debugging.md): every tool on the write-up's four examples.
The lines it must name are found in the script's own source, not hard-coded."""
import subprocess
import sys
from pathlib import Path

TOUR = Path(__file__).resolve().parents[1] / "examples" / "debugging_tour.py"


def line_of(text: str, nth: int = 1) -> int:
    hits = [i for i, line in enumerate(TOUR.read_text().splitlines(), 1) if line.strip() == text]
    return hits[nth - 1]


def test_tour_names_the_lines_that_matter():
    out = subprocess.run([sys.executable, str(TOUR)], capture_output=True, text=True, check=True).stdout
    detach = line_of("c = out.detach()", 1)
    assert f"the path was cut by detach() (it came from SigmoidBackward0) at {TOUR}:{detach}" in out
    assert f"numtorch: detach() cut it from the graph at {TOUR}:{detach}" in out
    zero = line_of("c.zero_()")
    assert f"modified in place by zero_() at {TOUR}:{zero} (version 0 -> 1)" in out
    saved = line_of("out = a.sigmoid()", 2)
    assert f"saved for backward by SigmoidBackward0 in the forward call at {TOUR}:{saved}" in out
    assert f"zero_() at {TOUR}:{line_of('out.data.zero_()')} writes in place" in out
    assert "GraphLifetimeWarning" in out and f"{TOUR}:{line_of('total_loss += loss')}" in out
    assert "a.grad: tensor([0.1779, 0.0313, 0.0037])" in out
