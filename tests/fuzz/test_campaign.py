"""The long campaign survives programs that kill the process (NOTE [Programs that kill the
process] in campaign.py): the program is reported, the rest of its chunk still runs."""
from __future__ import annotations

import os
import signal

import pytest

pytest.importorskip("torch")

from tests.fuzz import campaign as C  # noqa: E402


def test_a_program_that_kills_the_process_is_reported_and_the_chunk_goes_on(monkeypatch):
    victim = C._program(7, 3, 12)
    real_run = C.P.run

    def run(prog, lib):
        if prog == victim:  # in the forked child only: the parent never runs programs
            os.kill(os.getpid(), signal.SIGKILL)
        return real_run(prog, lib)
    monkeypatch.setattr(C.P, "run", run)
    features, _, crashes, died = C._guarded_programs((7, 0, 6, 12))
    assert died == [victim]
    assert features["programs"] + len(crashes) == 5
