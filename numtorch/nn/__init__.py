"""numtorch.nn: torch.nn's public surface (modules, Parameter, functional, init)."""
from . import functional, init
from .modules import *  # noqa: F403
from .modules import __all__ as _modules_all
from .parameter import Buffer, Parameter

__all__ = ["functional", "init", "Parameter", "Buffer", *_modules_all]
from . import utils  # torch.nn.utils (issue 4)
__all__ += ["utils"]

from .modules.lazy import UninitializedBuffer, UninitializedParameter  # noqa: E402
__all__ += ["UninitializedParameter", "UninitializedBuffer"]
