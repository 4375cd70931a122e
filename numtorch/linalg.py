"""torch.linalg: the norms and matmul (the ops and their derivatives live in _ops/linalg.py)."""
from __future__ import annotations

from ._ops.linalg import linalg_norm as norm
from ._ops.linalg import matmul, matrix_norm, svdvals, vector_norm

__all__ = ["matmul", "matrix_norm", "norm", "svdvals", "vector_norm"]
