"""Train a small CNN on scikit-learn's bundled digits (1797 8x8 images, no download) with numtorch.

An ordinary PyTorch program: nn, optim, DataLoader/TensorDataset, manual_seed. `--backend torch`
runs the same code on PyTorch; with the same seed both print the same split, the same batches and
losses (numtorch's random numbers, initialisation and shuffling are PyTorch's), the same accuracy;
only the timing line differs. The loss curve goes to examples/out/digits_loss.png (or --out)."""
import argparse
import os
import sys
import time
from pathlib import Path

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--backend", choices=["numtorch", "torch"], default="numtorch")
parser.add_argument("--epochs", type=int, default=15)
parser.add_argument("--seed", type=int, default=0)
parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out" / "digits_loss.png",
                    help="where the loss-curve PNG goes (default: examples/out/digits_loss.png)")
args = parser.parse_args()

# a model this small trains fastest on one thread: left alone, numpy's BLAS and PyTorch's OpenMP
# start a thread per core and spend the run synchronising them (set before the first import)
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

if args.backend == "torch":
    import torch
else:
    import numtorch as torch
from sklearn.datasets import load_digits  # noqa: E402  (bundled with scikit-learn, never downloaded)

nn = torch.nn
DataLoader, TensorDataset = torch.utils.data.DataLoader, torch.utils.data.TensorDataset

BATCH_SIZE, TEST_SIZE, BAR = 32, 360, 20


def progress(epoch: int, done: int, total: int, loss: float) -> str:
    filled = BAR * done // total
    return (f"epoch {epoch:{len(str(args.epochs))}}/{args.epochs} [{'#' * filled}{'-' * (BAR - filled)}] "
            f"{100 * done // total:3}% loss {loss:#.7g}")


torch.manual_seed(args.seed)

# data: pixels are 0..16; a fixed split drawn from the seeded generator
digits = load_digits()
images = torch.tensor(digits.images, dtype=torch.float32).unsqueeze(1) / 16  # (1797, 1, 8, 8)
labels = torch.tensor(digits.target)
order = torch.randperm(len(labels))
test_idx, train_idx = order[:TEST_SIZE], order[TEST_SIZE:]
train_set = TensorDataset(images[train_idx], labels[train_idx])
test_images, test_labels = images[test_idx], labels[test_idx]
loader = DataLoader(train_set, batch_size=BATCH_SIZE, shuffle=True)

model = nn.Sequential(
    nn.Conv2d(1, 16, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(2),   # 16 x 4 x 4
    nn.Conv2d(16, 32, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(2),  # 32 x 2 x 2
    nn.Flatten(), nn.Linear(32 * 2 * 2, 10),
)
optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
loss_fn = nn.CrossEntropyLoss()
n_params = sum(p.numel() for p in model.parameters())
print(f"digits: {len(train_set)} train / {len(test_labels)} test images (8x8), "
      f"CNN with {n_params:,} parameters, batch {BATCH_SIZE}, Adam, seed {args.seed}")

tty = sys.stdout.isatty()
start = time.perf_counter()
batch_losses, epoch_losses = [], []
for epoch in range(1, args.epochs + 1):
    model.train()
    seen, total = 0, 0.0
    for x, y in loader:
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        batch_losses.append(loss.item())
        seen += len(y)
        total += batch_losses[-1] * len(y)
        if tty:
            print("\r" + progress(epoch, seen, len(train_set), total / seen), end="", flush=True)
    epoch_losses.append(total / seen)
    if tty:
        print()
    else:
        print(progress(epoch, seen, len(train_set), total / seen), flush=True)

model.eval()
with torch.no_grad():
    correct = (model(test_images).argmax(dim=1) == test_labels).sum().item()
elapsed = time.perf_counter() - start
print(f"test accuracy {100 * correct / len(test_labels):.2f}% ({correct}/{len(test_labels)})")

import matplotlib  # noqa: E402  (only needed at the end)

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

per_epoch = len(batch_losses) / args.epochs
fig, ax = plt.subplots(figsize=(6, 3.5), dpi=100)
ax.plot([(i + 1) / per_epoch for i in range(len(batch_losses))], batch_losses, lw=0.7, alpha=0.4,
        label="batch")
ax.plot(range(1, args.epochs + 1), epoch_losses, "o-", label="epoch mean")
ax.set(yscale="log", xlabel="epoch", ylabel="cross-entropy loss",
       title=f"digits CNN on {args.backend}: test accuracy {100 * correct / len(test_labels):.2f}%")
ax.legend()
fig.tight_layout()
args.out.parent.mkdir(parents=True, exist_ok=True)
fig.savefig(args.out)
shown = args.out.resolve()
print(f"loss curve: {shown.relative_to(Path.cwd()) if shown.is_relative_to(Path.cwd()) else shown}")
print(f"time: {elapsed:.1f} s training on {args.backend}")
