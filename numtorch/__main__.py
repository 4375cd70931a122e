"""`python -m numtorch SCRIPT.py [args]`: run an unmodified PyTorch script on numtorch.

`import torch` and `import torch.x.y` resolve to numtorch's own modules (sys.modules['torch.nn'] is
sys.modules['numtorch.nn']; nothing is imported twice). A script that uses something numtorch lacks
gets a message naming the missing module or attribute and the script line that asked for it."""
from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import runpy
import sys
import traceback


class _TorchAlias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path=None, target=None):
        if fullname == "torch" or fullname.startswith("torch."):
            real = "numtorch" + fullname[len("torch"):]
            if importlib.util.find_spec(real) is None:
                raise ModuleNotFoundError(f"numtorch has no module '{real}' (the script imports "
                                          f"'{fullname}')", name=fullname)
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec):
        return importlib.import_module("numtorch" + spec.name[len("torch"):])

    def exec_module(self, module) -> None:
        pass  # the real module is already initialised


def install() -> None:
    if not any(isinstance(f, _TorchAlias) for f in sys.meta_path):
        sys.meta_path.insert(0, _TorchAlias())


def _seed_everything(seed: int) -> None:
    import random

    import numtorch
    numtorch.manual_seed(seed)
    random.seed(seed)


def _script_frame(tb, script: str):
    frames = [f for f in traceback.extract_tb(tb) if f.filename == script]
    return frames[-1] if frames else None


USAGE = """usage: python -m numtorch [--seed N] SCRIPT.py [args...]

  --seed N   call torch.manual_seed(N) and random.seed(N) before the script starts, so that a
             script which never seeds draws the same numbers as under PyTorch seeded the same way"""


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(USAGE)
        return 0 if argv else 2
    seed = None
    if argv[0] == "--seed":
        if len(argv) < 3 or not argv[1].lstrip("-").isdigit():
            print(USAGE, file=sys.stderr)
            return 2
        seed, argv = int(argv[1]), argv[2:]
    script = argv[0]
    install()
    if seed is not None:
        _seed_everything(seed)
    sys.argv = list(argv)
    try:
        runpy.run_path(script, run_name="__main__")
    except (AttributeError, ModuleNotFoundError) as e:
        where = _script_frame(e.__traceback__, script)
        if "numtorch" in str(e) or "'torch" in str(e):
            at = f" at {where.filename}:{where.lineno} ({where.line})" if where else ""
            print(f"numtorch: the script uses something numtorch lacks{at}: {e}", file=sys.stderr)
            return 1
        raise
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
