"""torch.utils.data against torch: every program runs under both libraries and what it observes
(batches as structures of tensors with dtype, shape and values, sampler orders, lengths, warnings,
errors and their messages) must be identical. Shuffles and splits are seeded, so orders agree bit
for bit with torch's RNG; torch's multi-worker loaders run real processes, numtorch's in-process."""
from __future__ import annotations

import collections
import warnings

import numpy as np
import pytest

import numtorch as nt
import numtorch.utils.data  # noqa: F401

torch = pytest.importorskip("torch")
torch_data = pytest.importorskip("torch.utils.data")

Point = collections.namedtuple("Point", ["x", "y"])


def freeze(x, lib):
    """A comparable picture of x: containers keep their type names, tensors their dtype and shape."""
    if isinstance(x, lib.Tensor):
        return ("tensor", str(x.dtype), tuple(x.shape), x.requires_grad, x.tolist())
    if isinstance(x, np.ndarray):
        return ("ndarray", str(x.dtype), x.tolist())
    if isinstance(x, dict):
        return (type(x).__name__, [(k, freeze(v, lib)) for k, v in x.items()])
    if isinstance(x, (list, tuple)):
        return (type(x).__name__, [freeze(v, lib) for v in x])
    if isinstance(x, (int, float, str, bytes, bool, type(None))):
        return x
    return type(x).__name__


def observe(prog, lib) -> list:
    seen: list = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            prog(lib, lambda *xs: seen.extend(freeze(x, lib) for x in xs))
        except Exception as e:  # the observed behaviour
            seen.append(("raised", type(e).__name__, str(e)))
        seen.extend(("warned", w.category.__name__, str(w.message)) for w in caught)
    return seen


def same(prog) -> list:
    expected, got = observe(prog, torch), observe(prog, nt)
    for i, (e, g) in enumerate(zip(expected, got)):
        assert e == g, f"observation {i} differs:\n torch:    {e!r}\n numtorch: {g!r}"
    assert len(expected) == len(got), \
        f"torch saw {expected[len(got):]!r}, numtorch saw {got[len(expected):]!r}"
    assert expected, "the program observed nothing"
    return got


def tensor_dataset(lib, n=10):
    return lib.utils.data.TensorDataset(lib.arange(n * 2.0).reshape(n, 2), lib.arange(n))


# ---- DataLoader: batches, order, len ------------------------------------------------------------
@pytest.mark.parametrize("kwargs", [
    {}, {"batch_size": 3}, {"batch_size": 3, "drop_last": True}, {"batch_size": 4, "shuffle": False},
    {"batch_size": None}, {"batch_size": 10}, {"batch_size": 25},
])
def test_sequential_batches(kwargs):
    def prog(lib, see):
        loader = lib.utils.data.DataLoader(tensor_dataset(lib), **kwargs)
        see(len(loader), list(loader), list(loader))
    same(prog)


@pytest.mark.parametrize("batch_size,drop_last", [(3, False), (4, True), (1, False), (None, False)])
def test_shuffled_order_follows_the_global_seed_across_epochs(batch_size, drop_last):
    def prog(lib, see):
        lib.manual_seed(1234)
        loader = lib.utils.data.DataLoader(tensor_dataset(lib, 23), batch_size=batch_size, shuffle=True,
                                           drop_last=drop_last)
        see(len(loader))
        for _ in range(3):
            see([b[1] for b in loader])
        see(lib.rand(3))  # the global RNG advanced exactly as torch's did
    same(prog)


def test_shuffle_with_a_generator_leaves_the_global_rng_alone():
    def prog(lib, see):
        lib.manual_seed(0)
        g = lib.Generator().manual_seed(7)
        loader = lib.utils.data.DataLoader(lib.arange(100), batch_size=16, shuffle=True, generator=g)
        see(list(loader), list(loader), lib.rand(2), g.initial_seed())
    same(prog)


def test_iterator_draws_its_base_seed_at_creation():
    def prog(lib, see):
        lib.manual_seed(3)
        loader = lib.utils.data.DataLoader(lib.arange(12), batch_size=5, shuffle=True)
        it = iter(loader)
        see(lib.rand(1))  # between the base seed and the sampler's seed
        see(list(it), len(it))
        see(lib.randint(0, 1000, (3,)))
    same(prog)


def test_samplers_and_batch_samplers_in_the_loader():
    def prog(lib, see):
        D = lib.utils.data
        lib.manual_seed(5)
        ds = tensor_dataset(lib, 12)
        see(list(D.DataLoader(ds, batch_size=4, sampler=D.SubsetRandomSampler([1, 3, 5, 7, 9]))))
        see(list(D.DataLoader(ds, sampler=D.RandomSampler(ds, replacement=True, num_samples=40),
                              batch_size=7)))
        see(list(D.DataLoader(ds, sampler=D.RandomSampler(ds, num_samples=30), batch_size=8)))
        see(list(D.DataLoader(ds, sampler=[5, 1, 4])))
        see(list(D.DataLoader(ds, batch_sampler=[[0, 1], [11], [2, 3, 4]])))
        bs = D.BatchSampler(D.SequentialSampler(ds), batch_size=5, drop_last=False)
        loader = D.DataLoader(ds, batch_sampler=bs)
        see(len(loader), list(loader), loader.batch_size, loader.drop_last)
        see(list(D.DataLoader(ds, batch_size=5, sampler=D.WeightedRandomSampler([0.1, 5, 0, 1] * 3, 9))))
        see(lib.rand(2))
    same(prog)


def test_collate_fn_and_auto_collation_flags():
    def prog(lib, see):
        D = lib.utils.data
        ds = tensor_dataset(lib, 5)
        see(list(D.DataLoader(ds, batch_size=2, collate_fn=lambda batch: len(batch))))
        see(list(D.DataLoader(ds, batch_size=None, collate_fn=lambda sample: sample[1] * 10)))
        see(list(D.DataLoader([np.arange(2), np.ones(3)], batch_size=None)))
        see(list(D.DataLoader([{"a": np.float32(1.5)}, {"a": np.float32(2)}], batch_size=None)))
        loader = D.DataLoader(ds, batch_size=2)
        see(loader._auto_collation, loader.collate_fn is D.default_collate)
        see(type(loader.sampler).__name__, type(loader.batch_sampler).__name__)
        see(D.DataLoader(ds, batch_size=None).collate_fn is D.default_convert)
    same(prog)


class _MapDataset:
    """A plain map-style dataset (no Dataset base) with __getitems__ batching."""

    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        return {"index": i, "square": float(i * i), "tag": f"s{i}"}

    def __getitems__(self, indices):
        return [{"index": i, "square": float(i * i), "tag": f"b{i}"} for i in indices]


def test_getitems_is_used_for_batches():
    def prog(lib, see):
        see(list(lib.utils.data.DataLoader(_MapDataset(5), batch_size=2)))
        see(list(lib.utils.data.DataLoader(_MapDataset(2), batch_size=None)))
    same(prog)


def _iterable(lib, start, stop, with_len=True):
    class Stream(lib.utils.data.IterableDataset):
        def __init__(self):
            self.start, self.stop = start, stop

        def __iter__(self):
            info = lib.utils.data.get_worker_info()
            if info is None:
                return iter(range(self.start, self.stop))
            return iter(range(self.start + info.id, self.stop, info.num_workers))

        def __repr__(self):
            return f"Stream({self.start}, {self.stop})"

    if with_len:
        Stream.__len__ = lambda self: (self.stop - self.start) // 2
    return Stream()


def test_iterable_dataset_batches_len_and_length_warning():
    def prog(lib, see):
        D = lib.utils.data
        ds = _iterable(lib, 3, 14)
        see(list(D.DataLoader(ds)), list(D.DataLoader(ds, batch_size=4)),
            list(D.DataLoader(ds, batch_size=4, drop_last=True)), list(D.DataLoader(ds, batch_size=None)))
        loader = D.DataLoader(ds, batch_size=2)
        see(len(loader), len(D.DataLoader(ds, batch_size=2, drop_last=True)))
        see(list(loader))  # more batches than len() promised: torch warns from the 4th on
        see(list(D.DataLoader(D.ChainDataset([_iterable(lib, 0, 3), _iterable(lib, 10, 12)]), batch_size=2)))
    same(prog)


@pytest.mark.parametrize("num_workers", [1, 2, 3])
def test_workers_give_the_same_batches_as_torch(num_workers):
    def prog(lib, see):
        D = lib.utils.data
        lib.manual_seed(11)
        see(list(D.DataLoader(tensor_dataset(lib, 11), batch_size=3, shuffle=True, num_workers=num_workers)))
        # an IterableDataset is replicated per worker; its batches interleave worker by worker
        see(list(D.DataLoader(_iterable(lib, 0, 11, with_len=False), batch_size=2, num_workers=num_workers)))
        see(list(D.DataLoader(_iterable(lib, 0, 5, with_len=False), num_workers=num_workers)))
        see(lib.rand(2))
    same(prog)


class _RandomDataset:
    """__getitem__ draws from the global RNG: in a worker, from the worker's own seeded RNG."""

    def __init__(self, lib):
        self.lib = lib

    def __len__(self):
        return 8

    def __getitem__(self, i):
        info = self.lib.utils.data.get_worker_info()
        return self.lib.rand(2), i, (info.id, info.num_workers) if info is not None else -1


def test_worker_rng_seeding_and_worker_init_fn():
    def prog(lib, see):
        lib.manual_seed(21)
        see(list(lib.utils.data.DataLoader(_RandomDataset(lib), batch_size=3, num_workers=2)))
        see(lib.rand(2))
        # worker_init_fn runs inside the worker: reseeding there changes only the worker's draws
        loader = lib.utils.data.DataLoader(_RandomDataset(lib), batch_size=3, num_workers=2,
                                           worker_init_fn=lambda wid: lib.manual_seed(100 + wid))
        see(list(loader), lib.rand(2))
        lib.manual_seed(22)
        see(list(lib.utils.data.DataLoader(_RandomDataset(lib), batch_size=3)))
    same(prog)


def test_persistent_workers_keep_their_state_across_epochs():
    def prog(lib, see):
        lib.manual_seed(9)
        loader = lib.utils.data.DataLoader(_RandomDataset(lib), batch_size=4, num_workers=2,
                                           persistent_workers=True)
        it1 = iter(loader)
        see(list(it1))
        it2 = iter(loader)
        see(it1 is it2, list(it2))
        getattr(it2, "_shutdown_workers", lambda: None)()  # torch's worker processes: end them now
    same(prog)


def test_worker_exception_is_reraised_with_torch_prefix():
    class Failing:
        def __len__(self):
            return 4

        def __getitem__(self, i):
            if i == 2:
                raise ValueError("bad sample 2")
            return i

    def prog(lib, see):
        it = iter(lib.utils.data.DataLoader(Failing(), num_workers=2))
        try:
            for batch in it:
                see(batch)
        except ValueError as e:
            see(str(e).split("\n")[0], str(e).rstrip().split("\n")[-1])
        finally:
            getattr(it, "_shutdown_workers", lambda: None)()  # torch's worker processes: end them now
    same(prog)


def test_loader_attribute_guard_and_iterator_pickling():
    def prog(lib, see):
        import pickle
        loader = lib.utils.data.DataLoader(lib.arange(4), batch_size=2)
        loader.num_workers = 0  # allowed
        for attr in ("batch_size", "sampler", "drop_last", "dataset", "batch_sampler", "persistent_workers"):
            try:
                setattr(loader, attr, None)
            except ValueError as e:
                see(str(e))
        try:
            pickle.dumps(iter(loader))
        except NotImplementedError as e:
            see(e.args[0], e.args[1])
    same(prog)


@pytest.mark.parametrize("make", [
    lambda D, ds: D.DataLoader(ds, num_workers=-1), lambda D, ds: D.DataLoader(ds, timeout=-1),
    lambda D, ds: D.DataLoader(ds, prefetch_factor=2),
    lambda D, ds: D.DataLoader(ds, persistent_workers=True),
    lambda D, ds: D.DataLoader(ds, num_workers=1, prefetch_factor=-1),
    lambda D, ds: D.DataLoader(ds, sampler=[0, 1], shuffle=True),
    lambda D, ds: D.DataLoader(ds, batch_sampler=[[0]], batch_size=2),
    lambda D, ds: D.DataLoader(ds, batch_sampler=[[0]], drop_last=True),
    lambda D, ds: D.DataLoader(ds, batch_sampler=[[0]], shuffle=True),
    lambda D, ds: D.DataLoader(ds, batch_size=None, drop_last=True),
    lambda D, ds: D.DataLoader(ds, multiprocessing_context="spawn"),
    lambda D, ds: D.DataLoader(ds, num_workers=1, multiprocessing_context="nonsense"),
    lambda D, ds: D.DataLoader(ds, num_workers=1, multiprocessing_context=3),
    lambda D, ds: D.DataLoader(ds, batch_size=0), lambda D, ds: D.DataLoader(ds, batch_size=True),
    lambda D, ds: D.DataLoader(ds, drop_last=1),
    lambda D, ds: iter(D.DataLoader(ds, timeout=1.0)),
    lambda D, ds: D.DataLoader(ds, pin_memory=True).__iter__().__next__(),
])
def test_loader_argument_errors(make):
    def prog(lib, see):
        see(make(lib.utils.data, tensor_dataset(lib, 4)) is not None)
    same(prog)


@pytest.mark.parametrize("kwargs", [{"shuffle": True}, {"sampler": [0]}, {"batch_sampler": [[0]]}])
def test_iterable_dataset_rejects_sampling_options(kwargs):
    def prog(lib, see):
        lib.utils.data.DataLoader(_iterable(lib, 0, 3), **kwargs)
    same(prog)


# ---- default_collate / default_convert ------------------------------------------------------------
def _batches(lib):
    return [
        [lib.tensor([1.0, 2.0]), lib.tensor([3.0, 4.0])],
        [lib.tensor(1, dtype=lib.int16), lib.tensor(5, dtype=lib.int16)],
        [0, 1, 2], [0.5, 1.5], [True, False], [1, 2.5],
        ["a", "b"], [b"x", b"y"],
        [np.array([1, 2], dtype=np.int32), np.array([3, 4], dtype=np.int32)],
        [np.float32(1.5), np.float32(2.5)], [np.int64(3), np.int64(4)], [np.bool_(True), np.bool_(False)],
        [np.float64(1.0), np.float64(-1.0)], [np.array(2.0), np.array(3.0)],
        [{"a": 0, "b": 1.0}, {"a": 100, "b": 2.0}],
        [collections.OrderedDict(z=1, y=2), collections.OrderedDict(z=3, y=4)],
        [Point(0, 0.5), Point(1, 1.5)], [(0, 1), (2, 3)], [[0, 1], [2, 3]],
        [(lib.zeros(2), {"k": [1, 2]}), (lib.ones(2), {"k": [3, 4]})],
        [{"t": (np.array([1.0]), "s")}, {"t": (np.array([2.0]), "u")}],
        [Point(lib.tensor(1), [1, 2]), Point(lib.tensor(2), [3, 4])],
    ]


def test_default_collate_structures_and_types():
    def prog(lib, see):
        for batch in _batches(lib):
            see(lib.utils.data.default_collate(batch))
    same(prog)


def test_default_collate_namedtuple_type_is_kept():
    for lib in (torch, nt):
        out = lib.utils.data.default_collate([Point(0, 1), Point(2, 3)])
        assert type(out) is Point and out.x.tolist() == [0, 2]


@pytest.mark.parametrize("batch", [
    [[0, 1], [2]], [np.array(["a"]), np.array(["b"])], [object(), object()], [None, None],
    [np.array([1, 2]), np.array([1, 2, 3])], [{1, 2}, {3, 4}],
])
def test_default_collate_errors(batch):
    def prog(lib, see):
        out = lib.utils.data.default_collate(batch)
        see(out)
    got = same(prog)
    assert got[0][0] == "raised"


def test_default_collate_stack_size_mismatch_message():
    def prog(lib, see):
        lib.utils.data.default_collate([lib.zeros(2), lib.zeros(3)])
    same(prog)


def test_default_convert():
    def prog(lib, see):
        conv = lib.utils.data.default_convert
        for data in (0, np.array([0, 1]), Point(np.array(0), np.array(1.5)), [np.array([1, 2]), "s"],
                     (np.int8(3), 4.0), {"a": np.zeros(2, np.float32), "b": [np.array(1)]},
                     np.array(["str"]), np.str_("s"), lib.tensor([1, 2]), range(3), "abc"):
            see(conv(data))
    same(prog)


# ---- datasets and random_split --------------------------------------------------------------------
def test_dataset_classes():
    def prog(lib, see):
        D = lib.utils.data
        a, b = tensor_dataset(lib, 3), tensor_dataset(lib, 4)
        see(len(a), a[1], a[-1], a[lib.tensor([0, 2])])
        cat = a + b
        see(type(cat).__name__, len(cat), cat.cumulative_sizes, cat[2], cat[3], cat[-1], cat[-7])
        see(len(D.ConcatDataset([a, b, a])), D.ConcatDataset([a, b, a])[8])
        sub = D.Subset(b, [3, 0])
        see(len(sub), sub[0], sub[[1, 0]], sub.__getitems__([0, 1]))
        st = D.StackDataset(a, D.Subset(b, [0, 1, 2]))
        see(len(st), st[1], st.__getitems__([2, 0]))
        sd = D.StackDataset(x=a, y=list("pqr"))
        see(len(sd), sd[2], sd.__getitems__([0]))
        chain = _iterable(lib, 0, 4) + _iterable(lib, 7, 9)
        see(type(chain).__name__, list(chain), len(chain))
        for thunk in (lambda: cat[-8], lambda: cat[7], lambda: D.ConcatDataset([]),
                      lambda: D.ConcatDataset([_iterable(lib, 0, 2)]),
                      lambda: D.TensorDataset(lib.zeros(2), lib.zeros(3)),
                      lambda: D.StackDataset(a, b), lambda: D.StackDataset(a, x=b), lambda: D.StackDataset(),
                      lambda: D.StackDataset(x=a, y=b), lambda: D.Dataset()[0],
                      lambda: len(D.ChainDataset([a])), lambda: list(D.ChainDataset([a]))):
            try:
                see(thunk())
            except (AssertionError, ValueError, IndexError, NotImplementedError) as e:
                see(type(e).__name__, str(e))
        see(cat.cummulative_sizes)
    same(prog)


def test_subset_subclass_must_override_getitems():
    def prog(lib, see):
        class Bad(lib.utils.data.Subset):
            def __getitem__(self, idx):
                return 0
        Bad(tensor_dataset(lib), [0])
    same(prog)


@pytest.mark.parametrize("lengths", [[3, 7], [0.3, 0.7], [0.25, 0.25, 0.5], [0.5, 0.5, 0.0], [1, 0, 9],
                                     [1.0], [0.33, 0.33, 0.34], [4, 4], [0.5, 0.6], [1.2, -0.2], [11, -1]])
def test_random_split(lengths):
    def prog(lib, see):
        D = lib.utils.data
        lib.manual_seed(42)
        splits = D.random_split(range(10), lengths)
        see([list(s.indices) for s in splits], [len(s) for s in splits], lib.rand(1))
        g = lib.Generator().manual_seed(42)
        splits = D.random_split(tensor_dataset(lib), lengths, generator=g)
        see([s.indices for s in splits], [type(s).__name__ for s in splits], [s[0] for s in splits if len(s)])
    same(prog)


def test_random_split_of_a_large_range():
    def prog(lib, see):
        splits = lib.utils.data.random_split(range(3000), [0.1, 0.2, 0.7],
                                             generator=lib.Generator().manual_seed(0))
        see([s.indices for s in splits])
    same(prog)


# ---- samplers ---------------------------------------------------------------------------------------
def test_samplers():
    def prog(lib, see):
        D = lib.utils.data
        lib.manual_seed(8)
        data = list(range(10))
        see(list(D.SequentialSampler(data)), len(D.SequentialSampler(data)))
        rs = D.RandomSampler(data)
        see(list(rs), list(rs), len(rs), rs.num_samples, rs.replacement)
        see(list(D.RandomSampler(data, replacement=True, num_samples=70)))
        see(list(D.RandomSampler(data, num_samples=25, generator=lib.Generator().manual_seed(1))))
        see(list(D.SubsetRandomSampler([5, 6, 7, 8])), len(D.SubsetRandomSampler([5, 6])))
        w = D.WeightedRandomSampler([1.0, 0.0, 3.0, 0.5], 6)
        see(list(w), len(w), w.weights)
        see(list(D.WeightedRandomSampler([1.0, 2.0, 3.0], 3, replacement=False)))
        see(list(D.BatchSampler(range(10), 3, False)), list(D.BatchSampler(range(10), 3, True)),
            len(D.BatchSampler(range(10), 3, False)), len(D.BatchSampler(range(10), 3, True)))
        see(lib.rand(2))
        for thunk in (lambda: D.RandomSampler(data, replacement=1),
                      lambda: D.RandomSampler(data, num_samples=0),
                      lambda: D.RandomSampler([]), lambda: D.RandomSampler(data, num_samples=2.0),
                      lambda: D.BatchSampler(data, 0, False), lambda: D.BatchSampler(data, 2.0, False),
                      lambda: D.BatchSampler(data, 2, None), lambda: D.WeightedRandomSampler([1.0], 0),
                      lambda: D.WeightedRandomSampler([1.0], 1, replacement=0),
                      lambda: D.WeightedRandomSampler([[1.0]], 1), lambda: len(D.Sampler()),
                      lambda: iter(D.Sampler())):
            try:
                see(thunk())
            except (ValueError, TypeError, NotImplementedError) as e:
                see(type(e).__name__, str(e))
    same(prog)


def test_public_names():
    names = ["BatchSampler", "ChainDataset", "ConcatDataset", "DataLoader", "Dataset", "IterableDataset",
             "RandomSampler", "Sampler", "SequentialSampler", "StackDataset", "Subset", "SubsetRandomSampler",
             "TensorDataset", "WeightedRandomSampler", "default_collate", "default_convert",
             "get_worker_info", "random_split"]
    for name in names:
        assert hasattr(nt.utils.data, name) and hasattr(torch.utils.data, name)
    assert nt.utils.data.get_worker_info() is None
    assert issubclass(nt.utils.data.IterableDataset, nt.utils.data.Dataset)
