"""Where user code called into numtorch: the diagnostics that PyTorch's version error lacks.

`call_site()` walks up from numtorch's own frames to the first frame outside the package and
returns (numtorch function the user called, filename, line). It costs a few frame hops, so it is
used only where the answer is worth it: in-place writes and saved tensors."""
from __future__ import annotations

import os
import sys

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


_inside: dict = {}  # code object -> defined in numtorch? (a dict hit is cheaper than startswith)
PUBLIC_NAMES: dict = {}  # code object -> the Tensor method name users call it by (filled at bind)


def call_site():
    f = sys._getframe(1)
    inner = None
    while f is not None:
        code = f.f_code
        inside = _inside.get(code)
        if inside is None:
            inside = _inside[code] = code.co_filename.startswith(_PACKAGE)
        if not inside:
            break
        inner = f
        f = f.f_back
    if f is None:
        return None
    name = "?" if inner is None else PUBLIC_NAMES.get(inner.f_code, inner.f_code.co_name)
    return (name, f.f_code.co_filename, f.f_lineno)


def describe(site) -> str:
    fn, filename, line = site
    return f"{fn}() at {filename}:{line}"
