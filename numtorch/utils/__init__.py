"""torch.utils: the public helpers (dlpack; safetensors files, which torch leaves to a package)."""
from __future__ import annotations

from . import dlpack
from . import data  # torch.utils.data (issue 4)
from . import hooks  # torch.utils.hooks (issue 4: nn.Module backward hooks)
