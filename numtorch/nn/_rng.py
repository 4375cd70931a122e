"""The numpy Generator behind nn.init and dropout until numtorch has torch's own RNG.

Streams differ from PyTorch's (bit-identical RNG is a later piece of work); distributions match.
`seed(n)` reseeds it; it is the one piece of global state nn keeps."""
from __future__ import annotations

import numpy as np

_GENERATOR = [np.random.default_rng()]


def generator() -> np.random.Generator:
    return _GENERATOR[0]


def seed(n: int) -> None:
    _GENERATOR[0] = np.random.default_rng(n)
