"""torch.random: the default CPU generator's seed and state, and fork_rng.

The generator itself is numtorch.Generator (_ops.random_ops); `default_generator` is the handle
on the process-wide engine every sampler uses when no `generator=` is given."""
from __future__ import annotations

import contextlib
from collections.abc import Iterator

from ._core import messages
from ._ops.random_ops import Generator, _set_state, default_generator
from ._tensor import Tensor

__all__ = ["set_rng_state", "get_rng_state", "manual_seed", "seed", "initial_seed", "fork_rng",
           "thread_safe_generator"]


def set_rng_state(new_state: Tensor) -> None:
    """Set the default generator's state from a uint8 tensor in torch's layout."""
    if not isinstance(new_state, Tensor):
        raise TypeError(messages.STATE_NOT_BYTE)
    _set_state(default_generator._impl, new_state)


def get_rng_state() -> Tensor:
    """The default generator's state as a uint8 tensor (5056 bytes, torch's layout)."""
    return default_generator.get_state()


def manual_seed(seed) -> Generator:
    """Seed the default generator; `int(seed)` first, as torch does, then its range checks."""
    return default_generator.manual_seed(int(seed))


def seed() -> int:
    """Seed the default generator from /dev/urandom and return the 64-bit seed."""
    return default_generator.seed()


def initial_seed() -> int:
    return default_generator.initial_seed()


@contextlib.contextmanager
def fork_rng(devices=None, enabled: bool = True, _caller: str = "fork_rng",
             _devices_kw: str = "devices", device_type: str | None = None) -> Iterator[None]:
    """Restore the CPU generator's state on exit (there are no accelerator generators here)."""
    if device_type == "meta" or not enabled:
        yield
        return
    state = get_rng_state()
    try:
        yield
    finally:
        set_rng_state(state)


def thread_safe_generator() -> Generator | None:
    """The calling DataLoader thread worker's generator; None elsewhere (the default generator).
    numtorch has no thread workers, so it is always None."""
    return None
