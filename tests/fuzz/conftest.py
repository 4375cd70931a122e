"""tests/fuzz: the program generator, the bad-input sweep and their reviewed gaps (see README.md)."""
import os
import sys

# `tests.fuzz.*` imports (the campaign runs as `python -m tests.fuzz.campaign` from the repo root)
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
