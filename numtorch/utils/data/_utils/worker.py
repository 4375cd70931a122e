"""DataLoader workers, run in-process (torch/utils/data/_utils/worker.py runs them as processes).

Each emulated worker owns what a worker process would: a copy of the dataset, its fetcher, and its
own global RNG states (numtorch, `random`, numpy), seeded as torch seeds a worker (base_seed +
worker_id; numpy from _generate_state). The states are swapped in around every call into the
worker, so dataset code that draws random numbers sees what it would see in torch's worker."""
from __future__ import annotations

import copy
import random
import sys
import traceback
from dataclasses import dataclass
from typing import Any

import numpy as np

from ...._ops import random_ops

__all__ = ["WorkerInfo", "get_worker_info"]


@dataclass(frozen=True, slots=True)
class WorkerInfo:
    """What get_worker_info() returns inside a worker: id, num_workers, seed, dataset (its copy)."""
    id: int
    num_workers: int
    seed: int
    dataset: Any
    rng: Any = None
    worker_method: str | None = "multiprocessing"


_worker_info: WorkerInfo | None = None


def get_worker_info() -> WorkerInfo | None:
    """The current worker's WorkerInfo; None in the main process."""
    return _worker_info


def _generate_state(base_seed: int, worker_id: int) -> list[int]:
    """torch's numpy seed for a worker: a SeedSequence-like hash of (worker_id, base_seed)."""
    INIT_A, MULT_A, INIT_B, MULT_B = 0x43B0D7E5, 0x931E8875, 0x8B51F9DD, 0x58F38DED
    MIX_MULT_L, MIX_MULT_R = 0xCA01F9DD, 0x4973F715
    XSHIFT = 4 * 8 // 2
    MASK32 = 0xFFFFFFFF
    entropy = [worker_id, base_seed & MASK32, base_seed >> 32, 0]
    pool = [0] * 4
    hash_const_A = INIT_A

    def hash(value: int) -> int:
        nonlocal hash_const_A
        value = (value ^ hash_const_A) & MASK32
        hash_const_A = (hash_const_A * MULT_A) & MASK32
        value = (value * hash_const_A) & MASK32
        return (value ^ (value >> XSHIFT)) & MASK32

    def mix(x: int, y: int) -> int:
        result_x = (MIX_MULT_L * x) & MASK32
        result_y = (MIX_MULT_R * y) & MASK32
        result = (result_x - result_y) & MASK32
        return (result ^ (result >> XSHIFT)) & MASK32

    for i in range(len(pool)):
        pool[i] = hash(entropy[i])
    for i_src in range(len(pool)):
        for i_dst in range(len(pool)):
            if i_src != i_dst:
                pool[i_dst] = mix(pool[i_dst], hash(pool[i_src]))
    hash_const_B = INIT_B
    state = []
    for i_dst in range(4):
        data_val = pool[i_dst]
        data_val = (data_val ^ hash_const_B) & MASK32
        hash_const_B = (hash_const_B * MULT_B) & MASK32
        data_val = (data_val * hash_const_B) & MASK32
        data_val = (data_val ^ (data_val >> XSHIFT)) & MASK32
        state.append(data_val)
    return state


class KeyErrorMessage(str):
    """A str whose repr is itself, so a KeyError prints the worker's traceback readably."""

    def __repr__(self) -> str:
        return self


class ExceptionWrapper:
    """An exception raised in a worker, re-raised in the main process as torch does:
    "Caught <Type> in DataLoader worker process <id>.\\nOriginal Traceback ..."."""

    def __init__(self, exc_info=None, where: str = "in background") -> None:
        if exc_info is None:
            exc_info = sys.exc_info()
        self.exc_type = exc_info[0]
        self.exc_msg = "".join(traceback.format_exception(*exc_info))
        self.where = where

    def reraise(self):
        msg = f"Caught {self.exc_type.__name__} {self.where}.\nOriginal {self.exc_msg}"
        if self.exc_type is KeyError:
            msg = KeyErrorMessage(msg)
        elif getattr(self.exc_type, "message", None):
            raise self.exc_type(message=msg)
        try:
            exception = self.exc_type(msg)
        except Exception:
            raise RuntimeError(msg) from None
        raise exception


def _get_rng_states() -> tuple:
    return random_ops.default_generator.get_state(), random.getstate(), np.random.get_state()


def _set_rng_states(states: tuple) -> None:
    random_ops.default_generator.set_state(states[0])
    random.setstate(states[1])
    np.random.set_state(states[2])


class _Worker:
    """One emulated worker process: its dataset copy, fetcher, WorkerInfo and RNG states."""

    def __init__(self, dataset_kind, dataset, auto_collation, collate_fn, drop_last, base_seed: int,
                 init_fn, worker_id: int, num_workers: int) -> None:
        self.worker_id = worker_id
        self.dataset_kind = dataset_kind
        self.args = (auto_collation, collate_fn, drop_last)
        # a forked worker process owns a copy of the dataset; one that cannot be deep-copied (it
        # holds a module, a lock, ...) is shared with the main process instead
        try:
            self.dataset = copy.deepcopy(dataset)
        except Exception:
            self.dataset = dataset
        self.seed = base_seed + worker_id
        self.info = WorkerInfo(id=worker_id, num_workers=num_workers, seed=self.seed, dataset=self.dataset)
        self.fetcher = None
        self.init_exception: ExceptionWrapper | None = None
        self.iteration_end = False
        main = _get_rng_states()
        try:
            random.seed(self.seed)
            random_ops.default_generator.manual_seed(self.seed)
            np.random.seed(_generate_state(base_seed, worker_id))
            self.rng_states = _get_rng_states()
        finally:
            _set_rng_states(main)
        self._run(self._init, init_fn)

    def _init(self, init_fn) -> None:
        try:
            if init_fn is not None:
                init_fn(self.worker_id)
            self._make_fetcher()
        except Exception:
            self.init_exception = ExceptionWrapper(where=f"in DataLoader worker process {self.worker_id}")

    def _make_fetcher(self) -> None:
        from ..dataloader import _DatasetKind
        self.fetcher = _DatasetKind.create_fetcher(self.dataset_kind, self.dataset, *self.args)

    def _run(self, fn, *args):
        """Calls fn inside this worker: its WorkerInfo and RNG states in place, the main's restored."""
        global _worker_info
        main, previous_info = _get_rng_states(), _worker_info
        _set_rng_states(self.rng_states)
        _worker_info = self.info
        try:
            return fn(*args)
        finally:
            _worker_info = previous_info
            self.rng_states = _get_rng_states()
            _set_rng_states(main)

    def resume(self) -> None:
        """A persistent worker's new epoch (torch's _ResumeIteration): a fresh fetcher."""
        self.iteration_end = False
        self._run(self._make_fetcher)

    def fetch(self, index):
        """The batch for `index`, an ExceptionWrapper, or StopIteration's marker `None`."""
        if self.init_exception is not None:
            data, self.init_exception = self.init_exception, None
            return data
        return self._run(self._fetch, index)

    def _fetch(self, index):
        from ..dataloader import _DatasetKind
        try:
            return self.fetcher.fetch(index)
        except Exception as e:
            if isinstance(e, StopIteration) and self.dataset_kind == _DatasetKind.Iterable:
                self.iteration_end = True
                return None
            return ExceptionWrapper(where=f"in DataLoader worker process {self.worker_id}")
