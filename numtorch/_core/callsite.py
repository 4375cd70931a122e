"""Where user code called into numtorch: the diagnostics that PyTorch's version error lacks.

`call_site()` walks up from numtorch's own frames to the first frame outside the package and
returns (numtorch function the user called, filename, line). It costs a few frame hops, so it is
used only where the answer is worth it: in-place writes and saved tensors."""
from __future__ import annotations

import os
import sys

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
_getframe = sys._getframe


# id(code object) -> for a frame of numtorch's own, the name users call it by (PUBLIC_NAMES, else
# the function's name); False for any other frame. Keyed by id, not by the code object: hashing a
# code object hashes its bytecode and constants (half a microsecond a frame on this hot path).
# _KEPT holds every keyed code object, so none is freed and its id reused for another.
_frames: dict = {}
_KEPT: list = []
# code object -> the Tensor method name users call it by: filled by methods.bind while numtorch is
# imported, before any user call can reach call_site (whose cache reads it once per code object)
PUBLIC_NAMES: dict = {}


def _classify(code):
    """The cache entry of a code object seen for the first time (see _frames)."""
    _KEPT.append(code)
    entry = PUBLIC_NAMES.get(code, code.co_name) if code.co_filename.startswith(_PACKAGE) else False
    _frames[id(code)] = entry
    return entry


def call_site(skip: int = 0, deferred: bool = False):
    """`skip`: how many frames, from the caller outwards, are numtorch's own for certain. They are
    not looked at: each frame reached through f_back becomes a frame object (a fifth of a
    microsecond), sys._getframe(n) makes only the one it returns.

    `deferred`: return (name, code, f_lasti) of the user's frame, which `resolve` turns into the
    same (name, filename, line) later: the line number costs a scan of the code's line table, and a
    saved tensor's site is read only when its version check fails."""
    f = _getframe(1 + skip)
    frames = _frames
    name = None
    while f is not None:
        code = f.f_code
        try:  # (a subscript costs less than dict.get; a miss happens once per code object)
            inside = frames[id(code)]
        except KeyError:
            inside = _classify(code)
        if inside is False:
            if name is None:  # the first frame looked at is the user's: the one below names the call
                name = _name_of(_getframe(skip).f_code) if skip else "?"
            if deferred:
                return (name, code, f.f_lasti)
            return (name, code.co_filename, f.f_lineno)
        name = inside
        f = f.f_back
    return None


def resolve(site):
    """A deferred call site (see call_site) as (name, filename, line): the line is f_lineno's,
    which is the line table's entry for the instruction at f_lasti."""
    if site is None:
        return None
    name, code, lasti = site
    line = code.co_firstlineno if lasti < 0 else None
    for start, end, number in code.co_lines():
        if start <= lasti < end:
            line = number
            break
    return (name, code.co_filename, line)


def _name_of(code) -> str:
    inside = _frames.get(id(code))
    return _classify(code) if inside is None else inside


def describe(site) -> str:
    fn, filename, line = site
    return f"{fn}() at {filename}:{line}"
