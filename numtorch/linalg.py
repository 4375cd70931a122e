"""torch.linalg: the norms and matmul (the ops and their derivatives live in _ops/linalg.py)."""
from __future__ import annotations

from ._ops.linalg import _LinAlgError as LinAlgError
from ._ops.linalg import linalg_norm as norm
from ._ops.linalg import matmul, matrix_norm, svdvals, vector_norm

__all__ = ["LinAlgError", "matmul", "matrix_norm", "norm", "svdvals", "vector_norm"]

# The bindings' argument check for the tensor arguments (issue 9): torch.linalg's functions are
# C++ bindings whose parser rejects a non-tensor before the op runs. (The norms check all of their
# arguments against their bindings' signatures themselves: _ops/linalg.py.)
from ._ops import arg_parser as _arg_parser  # noqa: E402

_TENSOR_ARGS = {"svdvals": ("A",)}  # (matmul is numtorch.matmul itself, as in torch)
for _name, _params in _TENSOR_ARGS.items():
    globals()[_name] = _arg_parser.with_tensor_args(f"linalg_{_name}", globals()[_name], _params)
del _name, _params
