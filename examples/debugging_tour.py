"""numtorch's autograd diagnostics on the write-up's four examples (docs/debugging.md).

Every error and warning text is PyTorch's; what numtorch adds arrives as notes on the exception
(Python's add_note), as numtorch.autograd.explain reports, and as pictures (numtorch.viz).
Pass a folder to also render the graphs as SVG there (needs Graphviz's `dot`)."""
import shutil
import sys
import warnings

import numtorch as torch
from numtorch import viz

OUT = sys.argv[1] if len(sys.argv) > 1 else None


def show(error: Exception) -> None:
    print(f"{type(error).__name__}: {error}")
    for note in getattr(error, "__notes__", ()):
        print("   ", note)


def picture(graph, name: str) -> None:
    if OUT and shutil.which("dot"):
        graph.render(f"{OUT}/{name}.svg")
        print(f"    (picture: {OUT}/{name}.svg)")


# anomaly mode switches on numtorch's records: where tensors leave the graph, the write guard
torch.autograd.set_detect_anomaly(True)

print("1. a.sigmoid().sum().backward(): which inputs get a gradient, and by which path")
a = torch.tensor([1.2, 3.4, 5.6], requires_grad=True)
loss = a.sigmoid().sum()
print(torch.autograd.explain(loss))
picture(viz.draw(loss, params={"a": a}), "example1")
loss.backward()
print("a.grad:", a.grad)

print("\n2. c = out.detach(): the cut is drawn; out.grad stays None because out is not a leaf")
a = torch.tensor([1.2, 3.4, 5.6], requires_grad=True)
out = a.sigmoid()
c = out.detach()
loss = out.sum()
print(torch.autograd.explain(loss, [a, out]))
picture(viz.draw(loss, params={"a": a}, cuts={"c": c}), "example2")

print("\n3. c.sum().backward(): why there is no graph, and where it was cut")
print(torch.autograd.explain(c.sum(), [a]))
try:
    c.sum().backward()
except RuntimeError as e:
    show(e)

print("\n4. c.zero_() changes out; backward names the write and the save")
a = torch.tensor([1.2, 3.4, 5.6], requires_grad=True)
out = a.sigmoid()
c = out.detach()
c.zero_()
picture(viz.draw(out.sum(), params={"a": a}, cuts={"c": c}), "example4")
try:
    out.sum().backward()
except RuntimeError as e:
    show(e)

print("\n4b. the same write through .data: PyTorch would compute a wrong gradient; the guard stops it")
a = torch.tensor([1.2, 3.4, 5.6], requires_grad=True)
out = a.sigmoid()
try:
    out.data.zero_()
except RuntimeError as e:
    show(e)

print("\n5. total_loss += loss across iterations keeps every graph alive")
w = torch.ones(3, requires_grad=True)
total_loss = 0
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    for step in range(3):
        loss = (w * step).sum()
        loss.backward()
        total_loss += loss
for warning in caught:
    print(f"{warning.category.__name__}: {warning.message}")
