"""torch.cuda on a machine without CUDA, as a CPU-only PyTorch build reports it: scripts that ask
`torch.cuda.is_available()` take their CPU branch, seeding calls are accepted and do nothing, and
anything that needs a device fails with PyTorch's AssertionError."""
from __future__ import annotations

from ._core import messages


def is_available() -> bool:
    return False


def device_count() -> int:
    return 0


def is_initialized() -> bool:
    return False


def manual_seed(seed: int) -> None:
    """Accepted and ignored, as PyTorch defers CUDA seeding until CUDA exists."""


def manual_seed_all(seed: int) -> None:
    """Accepted and ignored (see manual_seed)."""


def seed() -> None:
    """Accepted and ignored (see manual_seed)."""


def seed_all() -> None:
    """Accepted and ignored (see manual_seed)."""


def empty_cache() -> None:
    """Nothing is cached without a device."""


def _no_cuda(*args, **kwargs):
    raise AssertionError(messages.NO_CUDA)


synchronize = current_device = get_device_name = get_device_properties = set_device = _no_cuda
memory_allocated = max_memory_allocated = memory_reserved = init = _no_cuda
