"""Regression programs: minimised divergences between torch and numtorch found by the program
fuzzer (program.py), each fixed in numtorch. `REGRESSIONS` holds the reviewed ones with a note;
the campaign saves new finds as JSON under regressions_found/ (also replayed by the test)."""
from __future__ import annotations

import glob
import json
import os

_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "regressions_found")

# name -> program (see program.py for the step format)
REGRESSIONS: dict[str, list] = {
}


def all_regressions() -> dict[str, list]:
    out = dict(REGRESSIONS)
    for path in sorted(glob.glob(os.path.join(_DIR, "*.json"))):
        with open(path) as f:
            out["found/" + os.path.basename(path)[:-5]] = json.load(f)["program"]
    return out
