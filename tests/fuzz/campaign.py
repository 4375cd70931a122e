"""Fuzzing campaign outside pytest:

    python -m tests.fuzz.campaign --programs 100000 --workers 2 [--seed S] [--out DIR] [--no-sweep]

Runs N generated programs (program.py) in worker processes, counts programs by feature, groups the
divergences by signature, minimises one program per signature and saves it as JSON under --out
(default fuzz-findings/; a fixed one is moved to tests/fuzz/regressions_found/ to be replayed by
the tests), then runs the bad-input sweep (sweep.py) sharded over the workers and prints totals."""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import pickle
import random
import sys
import time
import traceback
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

from tests.fuzz import program as P  # noqa: E402
from tests.fuzz.known_gaps import program_gap  # noqa: E402


def _program(seed: int, k: int, max_steps: int):
    return P.generate(random.Random(seed * 1_000_003 + k).randint, max_steps)


def _programs(args, mark=None):
    seed, start, stop, max_steps = args
    features: Counter = Counter()
    divergences: dict = {}  # signature -> (count, first program, summary)
    crashes = []
    for k in range(start, stop):
        if mark is not None:
            mark(k)
        prog = _program(seed, k, max_steps)
        try:
            tlog = P.run(prog, P.torch)
            nlog = P.run(prog, P.numtorch)
            d = P.diff_logs(tlog, nlog, prog)
        except Exception:  # noqa: BLE001 - a bug of the interpreter, reported separately
            crashes.append((prog, traceback.format_exc(limit=3)))
            continue
        f = P.features(prog, tlog)
        features.update(f)
        features["programs"] += 1
        if d is not None and d.fork:
            features["rounding fork (tolerated)"] += 1
        elif d is not None and program_gap(d):
            features["known gap (known_gaps.PROGRAMS)"] += 1
        elif d is not None:
            features["diverged"] += 1
            sig = d.signature() + "|" + _message_key(d)
            count, first, summary = divergences.get(sig, (0, prog, d.summary()))
            divergences[sig] = (count + 1, first, summary)
    return features, divergences, crashes


# NOTE [Programs that kill the process]
# A program can crash the interpreter itself (torch 2.13 segfaults on some in-place writes to the
# ZeroTensor gradient of sgn), which would leave a pool waiting forever for the lost chunk. Each
# chunk therefore runs in a forked child that announces every program before running it; when
# the child dies, the announced program is reported, the programs before it are run again, and
# the chunk continues after it.
def _run_child(seed: int, start: int, stop: int, max_steps: int):
    """_programs over [start, stop) in a forked child: (results, None), or (None, the index of
    the program the child died in)."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(r)
        with os.fdopen(w, "wb") as out:
            def mark(k):
                out.write(b"%d\n" % k)
                out.flush()
            result = _programs((seed, start, stop, max_steps), mark)
            out.write(b"R" + pickle.dumps(result))
        os._exit(0)
    os.close(w)
    with os.fdopen(r, "rb") as inp:
        data = inp.read()
    os.waitpid(pid, 0)
    if b"R" in data:  # markers are digits and newlines: the first R starts the results
        return pickle.loads(data[data.index(b"R") + 1:]), None
    return None, int(data.split()[-1])


def _merge(total, part) -> None:
    features, divergences, crashes, died = total
    f, d, c = part
    features.update(f)
    crashes += c
    for sig, (count, prog, summary) in d.items():
        old = divergences.get(sig)
        divergences[sig] = (count + (old[0] if old else 0), old[1] if old else prog,
                            old[2] if old else summary)


def _guarded_programs(args):
    """_programs for one chunk, surviving programs that kill the process (NOTE above)."""
    seed, start, stop, max_steps = args
    total = (Counter(), {}, [], [])
    k = start
    while k < stop:
        result, died = _run_child(seed, k, stop, max_steps)
        if result is not None:
            _merge(total, result)
            break
        if died > k:
            _merge(total, _run_child(seed, k, died, max_steps)[0])
        total[3].append(_program(seed, died, max_steps))
        k = died + 1
    return total


def _message_key(d) -> str:
    """The exception texts' first words, so distinct errors of one op land in distinct groups."""
    def key(v):
        if isinstance(v, tuple) and v and v[0] == "raise":
            return " ".join(str(v[2]).split()[:6])
        return ""
    return key(d.torch) + "/" + key(d.numtorch)


def _shrink(args):
    sig, prog = args
    try:
        small, d = P.shrink(prog, budget=300)
        return sig, small, (d.summary() if d else None)
    except Exception:  # noqa: BLE001
        return sig, prog, traceback.format_exc(limit=3)


def _sweep_shard(args):
    from tests.fuzz import sweep as S
    index, count = args
    rep = S.run_sweep(selected=lambda c: S._shard(c, index, count))
    return rep.calls, rep.counts, rep.known, [r.line() for r in rep.failures]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--programs", type=int, default=20000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--max-steps", type=int, default=12)
    ap.add_argument("--out", default="fuzz-findings")
    ap.add_argument("--no-sweep", action="store_true")
    ap.add_argument("--strict", action="store_true",
                    help="report the divergences known_gaps.PROGRAMS tolerates as well")
    opts = ap.parse_args(argv)
    if opts.strict:
        os.environ["NUMTORCH_FUZZ_STRICT"] = "1"  # read by known_gaps.program_gap in the workers
    t0 = time.time()
    chunk = 500
    jobs = [(opts.seed, s, min(s + chunk, opts.programs), opts.max_steps)
            for s in range(0, opts.programs, chunk)]
    features: Counter = Counter()
    divergences: dict = {}
    crashes: list = []
    ctx = mp.get_context("fork")
    died: list = []
    total = (features, divergences, crashes, died)
    with ctx.Pool(opts.workers) as pool:
        for done, (f, d, c, x) in enumerate(pool.imap_unordered(_guarded_programs, jobs), 1):
            _merge(total, (f, d, c))
            died += x
            if done % 20 == 0:
                print(f"  {done * chunk} programs, {len(divergences)} divergence kinds, "
                      f"{time.time() - t0:.0f} s", flush=True)
        shrunk = pool.map(_shrink, [(sig, v[1]) for sig, v in divergences.items()])
        sweep = None
        if not opts.no_sweep:
            parts = pool.map(_sweep_shard, [(i, opts.workers) for i in range(opts.workers)])
            sweep = (sum(p[0] for p in parts), sum((p[1] for p in parts), Counter()),
                     sum((p[2] for p in parts), Counter()), [x for p in parts for x in p[3]])
    os.makedirs(opts.out, exist_ok=True)
    print(f"\n== programs: {features['programs']} in {time.time() - t0:.0f} s "
          f"(seed {opts.seed}, {opts.workers} workers), diverged: {features['diverged']}, "
          f"interpreter crashes: {len(crashes)}, killed the process: {len(died)}")
    print("== programs by feature:")
    for name, n in sorted(features.items(), key=lambda kv: -kv[1]):
        if name not in ("programs", "diverged"):
            print(f"   {name:18} {n}")
    print(f"== divergence kinds: {len(divergences)}")
    for n, (sig, small, summary) in enumerate(sorted(shrunk, key=lambda s: -divergences[s[0]][0])):
        path = os.path.join(opts.out, f"divergence_{opts.seed}_{n:03d}.json")
        with open(path, "w") as f:
            json.dump({"signature": sig, "count": divergences[sig][0], "program": small,
                       "summary": summary}, f, indent=1)
        print(f"   {divergences[sig][0]:6} x {sig}\n          minimised: {json.dumps(small)}\n"
              f"          {summary}\n          saved: {path}")
    for prog, tb in crashes[:5]:
        print(f"== interpreter crash: {json.dumps(prog)}\n{tb}")
    for prog in died:  # torch's or numtorch's: replay it under each library to see which
        print(f"== killed the process (not counted in the totals): {json.dumps(prog)}")
    if sweep is not None:
        calls, counts, known, failures = sweep
        print(f"== sweep: calls={calls} matches={counts['match'] + counts['message']} "
              f"(message differs: {counts['message']}) mismatched types={counts['mismatch']} "
              f"internal errors={counts['internal']} hangs={counts['hang']}; "
              f"covered by known_gaps: {dict(known)}; not covered: {len(failures)}")
        for line in failures[:50]:
            print("   " + line.replace("\n", "\n   "))
    return 1 if divergences or crashes or (sweep and sweep[3]) else 0


if __name__ == "__main__":
    sys.exit(main())
