"""torch.backends: the flags scripts set for reproducibility (`torch.backends.cudnn.deterministic =
True`) exist and are kept; there is no backend behind them on a NumPy CPU build."""
from __future__ import annotations

from types import SimpleNamespace


def _unavailable() -> bool:
    return False


cudnn = SimpleNamespace(enabled=True, benchmark=False, deterministic=False, allow_tf32=True,
                        is_available=_unavailable, version=lambda: None)
mps = SimpleNamespace(is_available=_unavailable, is_built=_unavailable)
cuda = SimpleNamespace(is_built=_unavailable,
                       matmul=SimpleNamespace(allow_tf32=False, allow_fp16_reduced_precision_reduction=True))
