"""Small helpers shared by nn and optim: torch.typename and the repr indentation of nn.Module."""
from __future__ import annotations

from .._tensor import Tensor


def typename(obj) -> str:
    """torch.typename: 'torch.FloatTensor' for tensors, the qualified class name otherwise
    (numtorch's own classes report the torch module path users would see)."""
    if isinstance(obj, Tensor):
        return obj.type()
    module = getattr(obj, "__module__", "") or ""
    if hasattr(obj, "__qualname__"):
        qualname = obj.__qualname__
    elif hasattr(obj, "__name__"):
        qualname = obj.__name__
    else:
        module = obj.__class__.__module__ or ""
        qualname = obj.__class__.__qualname__
    if module.startswith("numtorch"):
        module = "torch" + module[len("numtorch"):]
    if module in {"", "builtins"}:
        return qualname
    return f"{module}.{qualname}"


def addindent(s_: str, num_spaces: int) -> str:
    s = s_.split("\n")
    if len(s) == 1:
        return s_
    first = s.pop(0)
    s = [(num_spaces * " ") + line if line.strip() else "" for line in s]
    return first + "\n" + "\n".join(s)
