"""torch.utils.data.DataLoader (torch/utils/data/dataloader.py): the same argument checks, default
samplers, auto-collation, len() and iterators. The RNG is drawn as torch draws it (a base seed per
iterator, then RandomSampler's seed on the first batch), so seeded shuffles match torch's order.

num_workers > 0 runs the workers in-process (see _utils/worker.py) with torch's task scheduling:
batch i goes to worker i % num_workers, results come back in order, and an IterableDataset is
replicated per worker and interleaved round-robin, as torch's worker processes deliver it."""
from __future__ import annotations

import multiprocessing as python_multiprocessing
import os
import warnings
from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar

from ..._core import dtypes as _dt
from ..._core import messages
from ..._ops.creation import empty
from . import _utils
from ._utils.worker import ExceptionWrapper, _Worker
from .dataset import Dataset, IterableDataset
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler

__all__ = ["DataLoader", "get_worker_info", "default_collate", "default_convert"]

_T_co = TypeVar("_T_co", covariant=True)

default_collate = _utils.collate.default_collate
default_convert = _utils.collate.default_convert
get_worker_info = _utils.worker.get_worker_info


class _DatasetKind:
    Map = 0
    Iterable = 1

    @staticmethod
    def create_fetcher(kind, dataset, auto_collation, collate_fn, drop_last):
        if kind == _DatasetKind.Map:
            return _utils.fetch._MapDatasetFetcher(dataset, auto_collation, collate_fn, drop_last)
        return _utils.fetch._IterableDatasetFetcher(dataset, auto_collation, collate_fn, drop_last)


class _InfiniteConstantSampler(Sampler):
    """itertools.repeat(None): the sampler of an IterableDataset."""

    def __iter__(self):
        while True:
            yield None


def _cpu_count() -> int | None:
    """torch._utils.cpu_count: the CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count()


class DataLoader(Generic[_T_co]):
    dataset: Dataset[_T_co]
    batch_size: int | None
    num_workers: int
    pin_memory: bool
    drop_last: bool
    timeout: float
    sampler: Sampler | Iterable
    pin_memory_device: str
    prefetch_factor: int | None
    __initialized = False

    def __init__(self, dataset: Dataset[_T_co], batch_size: int | None = 1, shuffle: bool | None = None,
                 sampler: Sampler | Iterable | None = None,
                 batch_sampler: Sampler[list] | Iterable[list] | None = None, num_workers: int = 0,
                 collate_fn: Callable | None = None, pin_memory: bool = False, drop_last: bool = False,
                 timeout: float = 0, worker_init_fn: Callable[[int], None] | None = None,
                 multiprocessing_context=None, generator=None, *, prefetch_factor: int | None = None,
                 persistent_workers: bool = False, pin_memory_device: str = "",
                 in_order: bool = True) -> None:
        if num_workers < 0:
            raise ValueError(messages.LOADER_NUM_WORKERS)
        if timeout < 0:
            raise ValueError(messages.LOADER_TIMEOUT)
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError(messages.LOADER_PREFETCH_SINGLE)
        elif num_workers > 0 and prefetch_factor is None:
            prefetch_factor = 2
        elif prefetch_factor is not None and prefetch_factor < 0:
            raise ValueError(messages.LOADER_PREFETCH_NEGATIVE)
        if persistent_workers and num_workers == 0:
            raise ValueError(messages.LOADER_PERSISTENT)

        self.dataset = dataset
        self.num_workers = num_workers
        self.prefetch_factor = prefetch_factor
        self.pin_memory = pin_memory
        self.pin_memory_device = pin_memory_device
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.multiprocessing_context = multiprocessing_context
        self.in_order = in_order

        if isinstance(dataset, IterableDataset):
            self._dataset_kind = _DatasetKind.Iterable
            if shuffle not in {False, None}:
                raise ValueError(messages.LOADER_ITERABLE_OPTION.format(name="shuffle", value=shuffle))
            if sampler is not None:
                raise ValueError(messages.LOADER_ITERABLE_OPTION.format(name="sampler", value=sampler))
            elif batch_sampler is not None:
                raise ValueError(messages.LOADER_ITERABLE_OPTION.format(name="batch_sampler",
                                                                        value=batch_sampler))
        else:
            shuffle = bool(shuffle)
            self._dataset_kind = _DatasetKind.Map

        if sampler is not None and shuffle:
            raise ValueError(messages.LOADER_SAMPLER_SHUFFLE)
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError(messages.LOADER_BATCH_SAMPLER)
            batch_size = None
            drop_last = False
        elif batch_size is None:
            if drop_last:
                raise ValueError(messages.LOADER_NO_BATCH_DROP_LAST)

        if sampler is None:
            if self._dataset_kind == _DatasetKind.Iterable:
                sampler = _InfiniteConstantSampler()
            elif shuffle:
                sampler = RandomSampler(dataset, generator=generator)  # type: ignore[arg-type]
            else:
                sampler = SequentialSampler(dataset)  # type: ignore[arg-type]
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)

        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.generator = generator
        if collate_fn is None:
            collate_fn = _utils.collate.default_collate if self._auto_collation \
                else _utils.collate.default_convert
        self.collate_fn = collate_fn
        self.persistent_workers = persistent_workers
        self.__initialized = True
        # NOTE [ IterableDataset and __len__ ] in torch: len(dataset) as reported at len(loader)
        self._IterableDataset_len_called = None
        self._iterator = None
        self.check_worker_number_rationality()

    def _get_iterator(self) -> _BaseDataLoaderIter:
        if self.num_workers == 0:
            return _SingleProcessDataLoaderIter(self)
        self.check_worker_number_rationality()
        return _MultiProcessingDataLoaderIter(self)

    @property
    def multiprocessing_context(self):
        return self.__multiprocessing_context

    @multiprocessing_context.setter
    def multiprocessing_context(self, multiprocessing_context) -> None:
        if multiprocessing_context is not None:
            if self.num_workers > 0:
                if isinstance(multiprocessing_context, str):
                    valid_start_methods = python_multiprocessing.get_all_start_methods()
                    if multiprocessing_context not in valid_start_methods:
                        raise ValueError(messages.LOADER_START_METHOD.format(methods=valid_start_methods,
                                                                             context=multiprocessing_context))
                    multiprocessing_context = python_multiprocessing.get_context(multiprocessing_context)
                if not isinstance(multiprocessing_context, python_multiprocessing.context.BaseContext):
                    raise TypeError(messages.LOADER_CONTEXT_TYPE.format(context=multiprocessing_context))
            else:
                raise ValueError(messages.LOADER_CONTEXT_SINGLE.format(num_workers=self.num_workers))
        self.__multiprocessing_context = multiprocessing_context

    def __setattr__(self, attr, val) -> None:
        if self.__initialized and attr in ("batch_size", "batch_sampler", "sampler", "drop_last",
                                           "dataset", "persistent_workers"):
            raise ValueError(messages.LOADER_SETATTR.format(attr=attr, name=self.__class__.__name__))
        super().__setattr__(attr, val)

    def __iter__(self) -> _BaseDataLoaderIter:
        if self.persistent_workers and self.num_workers > 0:
            if self._iterator is None:
                self._iterator = self._get_iterator()
            else:
                self._iterator._reset(self)
            return self._iterator
        return self._get_iterator()

    @property
    def _auto_collation(self) -> bool:
        return self.batch_sampler is not None

    @property
    def _index_sampler(self):
        return self.batch_sampler if self._auto_collation else self.sampler

    def __len__(self) -> int:
        if self._dataset_kind == _DatasetKind.Iterable:
            length = self._IterableDataset_len_called = len(self.dataset)  # type: ignore[arg-type]
            if self.batch_size is not None:
                from math import ceil
                length = length // self.batch_size if self.drop_last else ceil(length / self.batch_size)
            return length
        return len(self._index_sampler)

    def check_worker_number_rationality(self) -> None:
        if not self.num_workers or self.num_workers == 0:
            return
        max_num_worker_suggest = _cpu_count()
        cpuset_checked = hasattr(os, "sched_getaffinity")
        if max_num_worker_suggest is None or self.num_workers > max_num_worker_suggest:
            if max_num_worker_suggest is not None:
                suggested = ("Our suggested max number of worker in current system is "
                             f"{max_num_worker_suggest}"
                             f"{'' if cpuset_checked else ' (`cpuset` is not taken into account)'}, "
                             "which is smaller than what this DataLoader is going to create.")
            else:
                suggested = ("DataLoader is not able to compute a suggested max number of worker in "
                             "current system.")
            warnings.warn(f"This DataLoader will create {self.num_workers} worker processes in total. "
                          f"{suggested} Please be aware that excessive worker creation might get "
                          "DataLoader running slow or even freeze, lower the worker number to avoid "
                          "potential slowness/freeze if necessary.", stacklevel=2)


class _BaseDataLoaderIter:
    def __init__(self, loader: DataLoader) -> None:
        self._dataset = loader.dataset
        self._shared_seed = None
        self._dataset_kind = loader._dataset_kind
        self._IterableDataset_len_called = loader._IterableDataset_len_called
        self._auto_collation = loader._auto_collation
        self._drop_last = loader.drop_last
        self._index_sampler = loader._index_sampler
        self._num_workers = loader.num_workers
        if loader.pin_memory and loader.pin_memory_device:
            warnings.warn(messages.W_LOADER_PIN_MEMORY_DEVICE.format(device=loader.pin_memory_device),
                          stacklevel=2)
        if loader.pin_memory:  # there is no accelerator
            warnings.warn(messages.W_LOADER_PIN_MEMORY, stacklevel=2)
        self._pin_memory = False
        self._timeout = loader.timeout
        self._collate_fn = loader.collate_fn
        self._sampler_iter = iter(self._index_sampler)
        # drawn even when unused, so the global RNG advances exactly as torch's does
        self._base_seed = empty((), dtype=_dt.int64).random_(generator=loader.generator).item()
        self._persistent_workers = loader.persistent_workers
        self._num_yielded = 0

    def __iter__(self):
        return self

    def _reset(self, loader, first_iter: bool = False) -> None:
        self._sampler_iter = iter(self._index_sampler)
        self._num_yielded = 0
        self._IterableDataset_len_called = loader._IterableDataset_len_called

    def _next_index(self):
        return next(self._sampler_iter)  # may raise StopIteration

    def _next_data(self):
        raise NotImplementedError

    def __next__(self) -> Any:
        data = self._next_data()
        self._num_yielded += 1
        if self._dataset_kind == _DatasetKind.Iterable and self._IterableDataset_len_called is not None \
                and self._num_yielded > self._IterableDataset_len_called:
            warn_msg = (f"Length of IterableDataset {self._dataset} was reported to be "
                        f"{self._IterableDataset_len_called}(when accessing len(dataloader)), but "
                        f"{self._num_yielded} samples have been fetched. ")
            if self._num_workers > 0:
                warn_msg += ("For multiprocessing data-loading, this could be caused by not properly "
                             "configuring the IterableDataset replica at each worker. Please see "
                             "https://pytorch.org/docs/stable/data.html#torch.utils.data.IterableDataset "
                             "for examples.")
            warnings.warn(warn_msg, stacklevel=2)
        return data

    def __len__(self) -> int:
        return len(self._index_sampler)

    def __getstate__(self):
        raise NotImplementedError(messages.LOADER_ITER_PICKLE, self.__class__.__name__)  # torch's args


class _SingleProcessDataLoaderIter(_BaseDataLoaderIter):
    def __init__(self, loader: DataLoader) -> None:
        super().__init__(loader)
        if self._timeout != 0:
            raise AssertionError(messages.LOADER_SINGLE_TIMEOUT)
        if self._num_workers != 0:
            raise AssertionError(messages.LOADER_SINGLE_WORKERS)
        self._dataset_fetcher = _DatasetKind.create_fetcher(
            self._dataset_kind, self._dataset, self._auto_collation, self._collate_fn, self._drop_last)

    def _next_data(self):
        index = self._next_index()  # may raise StopIteration
        return self._dataset_fetcher.fetch(index)  # may raise StopIteration


class _MultiProcessingDataLoaderIter(_BaseDataLoaderIter):
    """torch's multi-worker iterator with the workers run in-process, in task order (results are
    the same as torch's in_order delivery; see the module docstring)."""

    def __init__(self, loader: DataLoader) -> None:
        super().__init__(loader)
        self._prefetch_factor = loader.prefetch_factor
        self._in_order = loader.in_order
        if self._num_workers <= 0:
            raise AssertionError(messages.LOADER_MULTI_WORKERS)
        if self._prefetch_factor <= 0:
            raise AssertionError(messages.LOADER_MULTI_PREFETCH)
        self._worker_init_fn = loader.worker_init_fn
        self._workers = [_Worker(self._dataset_kind, self._dataset, self._auto_collation, self._collate_fn,
                                 self._drop_last, self._base_seed, self._worker_init_fn, i,
                                 self._num_workers) for i in range(self._num_workers)]
        self._reset(loader, first_iter=True)

    def _reset(self, loader, first_iter: bool = False) -> None:
        super()._reset(loader, first_iter)
        self._send_idx = 0
        self._rcvd_idx = 0
        self._task_info: dict[int, tuple] = {}
        self._workers_status = [True] * self._num_workers
        self._next_worker = 0
        if not first_iter:
            for w in self._workers:
                w.resume()
        # torch primes prefetch_factor batches per worker, pulling their indices from the sampler now
        for _ in range(self._prefetch_factor * self._num_workers):
            self._try_put_index()

    def _try_put_index(self) -> None:
        try:
            index = self._next_index()
        except StopIteration:
            return
        for _ in range(self._num_workers):  # the next active worker in the cycle, if any
            worker_id = self._next_worker
            self._next_worker = (self._next_worker + 1) % self._num_workers
            if self._workers_status[worker_id]:
                break
        else:
            return
        self._task_info[self._send_idx] = (worker_id, index)
        self._send_idx += 1

    def _next_data(self):
        while True:
            while self._rcvd_idx < self._send_idx:
                worker_id = self._task_info[self._rcvd_idx][0]
                if self._workers_status[worker_id]:
                    break
                del self._task_info[self._rcvd_idx]  # sent to a worker that has since ended
                self._rcvd_idx += 1
            else:
                raise StopIteration
            worker_id, index = self._task_info.pop(self._rcvd_idx)
            self._rcvd_idx += 1
            data = self._workers[worker_id].fetch(index)
            if data is None and self._workers[worker_id].iteration_end:
                self._workers_status[worker_id] = False
                self._try_put_index()
                continue
            self._try_put_index()
            if isinstance(data, ExceptionWrapper):
                data.reraise()
            return data
