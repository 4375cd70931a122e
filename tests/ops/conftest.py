"""tests/ops: the harness and op table are plain modules next to the tests."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
