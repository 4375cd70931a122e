"""torch.device: only the CPU exists here. `torch.device("cuda")` can still be named (scripts build
it before asking `torch.cuda.is_available()`), but putting a tensor there fails as in a CPU-only
PyTorch build."""
from __future__ import annotations

from . import messages


class device:
    __slots__ = ("type", "index")

    def __init__(self, type="cpu", index=None) -> None:
        if isinstance(type, device):
            type, index = type.type, type.index
        name, _, idx = str(type).partition(":")
        if name not in ("cpu", "cuda"):
            raise RuntimeError(f"numtorch runs on the CPU only; device '{type}' is not available")
        self.type = name
        self.index = int(idx) if idx else index

    def __repr__(self) -> str:
        return f"device(type='{self.type}')" if self.index is None else \
            f"device(type='{self.type}', index={self.index})"

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other) -> bool:
        if isinstance(other, str):
            other = device(other)
        return isinstance(other, device) and other.type == self.type

    def __hash__(self) -> int:
        return hash(self.type)


CPU = device("cpu")


def check_device(d) -> None:
    """Refuse any device but the CPU, with PyTorch's AssertionError for CUDA."""
    if d is not None and device(d).type == "cuda":
        raise AssertionError(messages.NO_CUDA)
