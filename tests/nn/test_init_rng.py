"""nn.init, default module parameters and dropout draw from the generator exactly as torch does.

After the same manual_seed, numtorch and torch must produce bitwise-equal tensors, bump versions
alike, warn alike and leave the generator in the same state (so the next draw agrees too). Modules
other engineers are still adding are tested when they exist (getattr guards). orthogonal_ is the
one tolerance: its QR is numpy's float64 Householder, torch's is LAPACK's in float32."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

import numtorch
import numtorch.nn  # noqa: F401

torch = pytest.importorskip("torch")

X = np.random.default_rng(0).standard_normal((4, 6, 5)).astype(np.float32)


def rng_state(lib) -> bytes:
    return lib.get_rng_state().numpy().tobytes()


def bits(t) -> tuple:
    a = t.detach().numpy()
    return str(a.dtype), a.shape, a.tobytes()


def node_chain(t) -> list:
    """grad_fn names along the first input of each node, down to the leaf."""
    names, fn = [], t.grad_fn
    while fn is not None:
        names.append(type(fn).__name__)
        following = [f for f, _ in fn.next_functions if f is not None]
        fn = following[0] if following else None
    return names


def observe(lib, prog, seed: int = 5) -> tuple:
    """What a seeded program does: its result's bits and graph (or its error), its warnings and
    the default generator's state afterwards."""
    lib.manual_seed(seed)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            y = prog(lib)
            result = (bits(y), node_chain(y), y.requires_grad)
        except Exception as e:  # the observed behaviour, compared below
            result = (type(e).__name__, str(e))
    return result, [(w.category.__name__, str(w.message)) for w in caught], rng_state(lib)


def assert_same(prog, seed: int = 5) -> None:
    expected, got = observe(torch, prog, seed), observe(numtorch, prog, seed)
    assert got[0] == expected[0], "results differ"
    assert got[1] == expected[1], f"warnings differ:\n torch:    {expected[1]}\n numtorch: {got[1]}"
    assert got[2] == expected[2], "the generator ended in a different state"


# ---- nn.init ----------------------------------------------------------------------------------
def _init(name, *args, **kwargs):
    def apply(lib, t, generator):
        extra = {"generator": generator} if generator is not None else {}
        return getattr(lib.nn.init, name)(t, *args, **kwargs, **extra)
    return apply


SAMPLERS = {
    "uniform_": _init("uniform_", -2.0, 3.0),
    "normal_": _init("normal_", 1.0, 2.0),
    "xavier_uniform_": _init("xavier_uniform_", gain=2.0),
    "xavier_normal_": _init("xavier_normal_"),
    "kaiming_uniform_": _init("kaiming_uniform_", a=0.2, mode="fan_out"),
    "kaiming_uniform_ sqrt5": _init("kaiming_uniform_", a=5 ** 0.5),
    "kaiming_normal_": _init("kaiming_normal_", nonlinearity="relu"),
    "trunc_normal_ rejection": _init("trunc_normal_"),
    "trunc_normal_ tail": _init("trunc_normal_", mean=0.0, std=1.0, a=1.5, b=2.5),
    "trunc_normal_ narrow": _init("trunc_normal_", mean=0.0, std=0.02, a=-0.04, b=0.04),
    "trunc_normal_ far mean": _init("trunc_normal_", mean=5.0, std=1.0, a=-1.0, b=1.0),
    "sparse_": _init("sparse_", 0.4),
    "constant_": lambda lib, t, g: lib.nn.init.constant_(t, 0.3),
    "ones_": lambda lib, t, g: lib.nn.init.ones_(t),
    "zeros_": lambda lib, t, g: lib.nn.init.zeros_(t),
    "eye_": lambda lib, t, g: lib.nn.init.eye_(t),
}
LAYOUTS = {
    "2d": dict(shape=(5, 7)),
    "large": dict(shape=(40, 33)),
    "float64": dict(shape=(5, 7), dtype="float64"),
    "transposed": dict(shape=(6, 20), transpose=True),
    "3d": dict(shape=(3, 4, 5)),
    "generator": dict(shape=(5, 7), generator=True),
}


def _run_init(lib, apply, shape, dtype="float32", transpose=False, generator=False):
    t = lib.empty(*shape, dtype=getattr(lib, dtype))
    if transpose:
        t = t.t()
    t.requires_grad_()
    g = lib.Generator().manual_seed(11) if generator else None
    before = t._version
    out = apply(lib, t, g)
    return out is t, t.is_leaf, t._version - before, bits(t), None if g is None else bits(g.get_state())


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("name", SAMPLERS)
def test_init_functions_are_bitwise_torchs(name, layout):
    kwargs = LAYOUTS[layout]
    if name in ("eye_", "sparse_") and len(kwargs["shape"]) != 2:
        pytest.skip("2-D only")
    results = []
    for lib in (torch, numtorch):
        lib.manual_seed(3)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out = _run_init(lib, SAMPLERS[name], **kwargs)
        results.append((out, [str(w.message) for w in caught], rng_state(lib)))
    assert results[1] == results[0]


def test_generator_argument_leaves_the_default_generator_alone():
    for lib in (torch, numtorch):
        lib.manual_seed(0)
    before = rng_state(numtorch)
    g = numtorch.Generator().manual_seed(1)
    w = numtorch.nn.init.kaiming_uniform_(numtorch.empty(4, 4), generator=g)
    assert rng_state(numtorch) == before
    expected = torch.nn.init.kaiming_uniform_(torch.empty(4, 4), generator=torch.Generator().manual_seed(1))
    assert bits(w) == bits(expected)


def test_sparse_draws_its_permutations_from_the_default_generator():
    """torch.nn.init.sparse_ calls torch.randperm(rows) without its generator: reproduce that."""
    def prog(lib):
        return lib.nn.init.sparse_(lib.empty(10, 4), 0.3, generator=lib.Generator().manual_seed(2))
    assert_same(prog)


def test_dirac_matches_torch_with_groups_and_versions():
    for shape, groups in [((4, 3, 3), 1), ((6, 4, 3, 3), 2), ((2, 2, 3, 3, 3), 1), ((4, 6, 3), 4)]:
        seen = []
        for lib in (torch, numtorch):
            t = lib.empty(*shape, requires_grad=True)
            before = t._version
            out = lib.nn.init.dirac_(t, groups)
            seen.append((out is t, bits(t), t._version - before, t.is_leaf))
        assert seen[0] == seen[1]


def test_orthogonal_matches_torch_to_rounding_and_draws_alike():
    for shape, gain in [((5, 7), 1.0), ((7, 5), 1.5), ((6, 2, 3), 1.0), ((50, 50), 2.0)]:
        seen = []
        for lib in (torch, numtorch):
            lib.manual_seed(0)
            t = lib.empty(*shape, requires_grad=True)
            before = t._version
            lib.nn.init.orthogonal_(t, gain=gain)
            seen.append((t.detach().numpy(), t._version - before, rng_state(lib)))
        np.testing.assert_allclose(seen[1][0], seen[0][0], rtol=0, atol=4e-6 * gain)
        assert seen[1][1:] == seen[0][1:]


def test_init_errors_and_warnings_match_torch():
    programs = [
        lambda lib: lib.nn.init.dirac_(lib.empty(3, 3)),
        lambda lib: lib.nn.init.dirac_(lib.empty(3, 3, 3), groups=2),
        lambda lib: lib.nn.init.sparse_(lib.empty(3), 0.1),
        lambda lib: lib.nn.init.eye_(lib.empty(3)),
        lambda lib: lib.nn.init.orthogonal_(lib.empty(3)),
        lambda lib: lib.nn.init.kaiming_normal_(lib.empty(0, 3)),
        lambda lib: lib.nn.init.uniform(lib.empty(2, 2)),
        lambda lib: lib.nn.init.xavier_normal(lib.empty(2, 2)),
        lambda lib: lib.nn.init.orthogonal_(lib.empty(0, 3)),
    ]
    for prog in programs:
        expected, got = observe(torch, prog), observe(numtorch, prog)
        assert got[0][0] == expected[0][0] and got[1:] == expected[1:]


# ---- default parameters of every module -------------------------------------------------------
MODULES = {
    "Linear": lambda nn: nn.Linear(20, 30),
    "Linear no bias": lambda nn: nn.Linear(5, 3, bias=False),
    "Bilinear": lambda nn: nn.Bilinear(3, 4, 5),
    "Conv1d": lambda nn: nn.Conv1d(3, 4, 3),
    "Conv2d": lambda nn: nn.Conv2d(3, 4, 3),
    "Conv2d groups": lambda nn: nn.Conv2d(4, 6, (3, 2), groups=2),
    "Conv3d": lambda nn: nn.Conv3d(2, 3, 2),
    "ConvTranspose1d": lambda nn: nn.ConvTranspose1d(3, 4, 3),
    "ConvTranspose2d": lambda nn: nn.ConvTranspose2d(3, 4, 3, groups=1),
    "ConvTranspose2d groups": lambda nn: nn.ConvTranspose2d(4, 6, 3, groups=2),
    "Embedding": lambda nn: nn.Embedding(10, 8, padding_idx=2),
    "LayerNorm": lambda nn: nn.LayerNorm(6),
    "BatchNorm1d": lambda nn: nn.BatchNorm1d(5),
    "BatchNorm2d": lambda nn: nn.BatchNorm2d(5),
    "GroupNorm": lambda nn: nn.GroupNorm(2, 4),
    "InstanceNorm2d": lambda nn: nn.InstanceNorm2d(4, affine=True),
    "PReLU": lambda nn: nn.PReLU(),
    "RNN": lambda nn: nn.RNN(4, 6, num_layers=2),
    "LSTM": lambda nn: nn.LSTM(4, 6, num_layers=2, bidirectional=True, proj_size=3),
    "GRU": lambda nn: nn.GRU(4, 6, bias=False),
    "RNNCell": lambda nn: nn.RNNCell(4, 6),
    "LSTMCell": lambda nn: nn.LSTMCell(4, 6),
    "GRUCell": lambda nn: nn.GRUCell(4, 6),
    "MultiheadAttention": lambda nn: nn.MultiheadAttention(8, 2),
    "MultiheadAttention kdim bias_kv": lambda nn: nn.MultiheadAttention(8, 2, kdim=5, vdim=3,
                                                                        add_bias_kv=True),
    "TransformerEncoderLayer": lambda nn: nn.TransformerEncoderLayer(8, 2, dim_feedforward=16),
    "TransformerDecoderLayer": lambda nn: nn.TransformerDecoderLayer(8, 2, dim_feedforward=16),
    "Transformer": lambda nn: nn.Transformer(8, 2, 2, 2, 16),
    "Sequential MLP": lambda nn: nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Dropout(0.2),
                                               nn.Linear(32, 3)),
}


@pytest.mark.parametrize("name", MODULES)
def test_default_parameters_are_bitwise_torchs(name):
    build = MODULES[name]
    if not hasattr(numtorch.nn, name.split()[0]):
        pytest.skip(f"numtorch.nn has no {name.split()[0]} yet")
    states = []
    for lib in (torch, numtorch):
        lib.manual_seed(7)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            module = build(lib.nn)
        states.append(([(k, bits(v)) for k, v in module.state_dict().items()], rng_state(lib)))
    assert [k for k, _ in states[1][0]] == [k for k, _ in states[0][0]]
    assert states[1] == states[0]


# ---- dropout ----------------------------------------------------------------------------------
def _x(lib, shape=None, grad=True, dtype="float32"):
    return lib.tensor(X if shape is None else X.reshape(shape), dtype=getattr(lib, dtype), requires_grad=grad)


DROPOUTS = {
    "dropout": lambda lib: lib.nn.functional.dropout(_x(lib), 0.3),
    "dropout float64": lambda lib: lib.nn.functional.dropout(_x(lib, dtype="float64"), 0.3),
    "dropout p=1": lambda lib: lib.nn.functional.dropout(_x(lib), 1.0),
    "dropout p=0": lambda lib: lib.nn.functional.dropout(_x(lib), 0.0),
    "dropout eval": lambda lib: lib.nn.functional.dropout(_x(lib), 0.5, False),
    "dropout transposed": lambda lib: lib.nn.functional.dropout(_x(lib).transpose(0, 2), 0.5),
    "dropout inplace": lambda lib: lib.nn.functional.dropout(_x(lib) * 1, 0.5, inplace=True),
    "dropout inplace leaf": lambda lib: lib.nn.functional.dropout(_x(lib), 0.5, inplace=True),
    "dropout inplace no grad": lambda lib: lib.nn.functional.dropout(_x(lib, grad=False), 0.5, inplace=True),
    "dropout bad p": lambda lib: lib.nn.functional.dropout(_x(lib), 1.5),
    "dropout empty": lambda lib: lib.nn.functional.dropout(lib.empty(0, 3, requires_grad=True), 0.5),
    "dropout large": lambda lib: lib.nn.functional.dropout(lib.ones(1000, 37), 0.1),
    "nn.Dropout": lambda lib: lib.nn.Dropout(0.25)(_x(lib)),
    "nn.Dropout eval": lambda lib: lib.nn.Dropout(0.25).eval()(_x(lib)),
    "dropout1d": lambda lib: lib.nn.functional.dropout1d(_x(lib), 0.5),
    "dropout1d unbatched": lambda lib: lib.nn.functional.dropout1d(_x(lib, (24, 5)), 0.5),
    "dropout1d unbatched inplace": lambda lib: lib.nn.functional.dropout1d(_x(lib, (24, 5), grad=False), 0.5,
                                                                         inplace=True),
    "dropout1d 4-D": lambda lib: lib.nn.functional.dropout1d(_x(lib, (2, 2, 6, 5)), 0.5),
    "dropout2d 3-D": lambda lib: lib.nn.functional.dropout2d(_x(lib), 0.5),
    "dropout2d 4-D": lambda lib: lib.nn.functional.dropout2d(_x(lib, (2, 2, 6, 5)), 0.5),
    "dropout2d 2-D": lambda lib: lib.nn.functional.dropout2d(_x(lib, (24, 5)), 0.5),
    "dropout3d 4-D": lambda lib: lib.nn.functional.dropout3d(_x(lib, (2, 2, 6, 5)), 0.5),
    "dropout3d 5-D": lambda lib: lib.nn.functional.dropout3d(_x(lib, (2, 2, 3, 2, 5)), 0.5),
    "dropout3d 1-D": lambda lib: lib.nn.functional.dropout3d(_x(lib, (120,)), 0.5),
    "alpha_dropout": lambda lib: lib.nn.functional.alpha_dropout(_x(lib), 0.2, True),
    "alpha_dropout eval": lambda lib: lib.nn.functional.alpha_dropout(_x(lib), 0.2),
    "alpha_dropout inplace": lambda lib: lib.nn.functional.alpha_dropout(_x(lib) * 1, 0.2, True, True),
    "feature_alpha_dropout": lambda lib: lib.nn.functional.feature_alpha_dropout(_x(lib), 0.2, True),
    "feature_alpha_dropout 1-D": lambda lib: lib.nn.functional.feature_alpha_dropout(_x(lib, (120,)), 0.2,
                                                                                     True),
    "nn.AlphaDropout": lambda lib: lib.nn.AlphaDropout(0.2)(_x(lib)),
    "nn.Dropout1d": lambda lib: lib.nn.Dropout1d(0.4)(_x(lib)),
    "nn.Dropout2d": lambda lib: lib.nn.Dropout2d(0.4)(_x(lib, (2, 2, 6, 5))),
    "nn.Dropout3d": lambda lib: lib.nn.Dropout3d(0.4)(_x(lib, (2, 2, 3, 2, 5))),
    "nn.FeatureAlphaDropout": lambda lib: lib.nn.FeatureAlphaDropout(0.4)(_x(lib, (2, 2, 6, 5))),
}


@pytest.mark.parametrize("name", DROPOUTS)
def test_dropout_is_bitwise_torchs(name):
    assert_same(DROPOUTS[name])


def test_dropout_backward_is_the_mask():
    grads = []
    for lib in (torch, numtorch):
        lib.manual_seed(1)
        x = _x(lib)
        lib.nn.functional.dropout(x, 0.4).sum().backward()
        grads.append(bits(x.grad))
    assert grads[0] == grads[1]


def test_dropout_reads_the_stream_torch_reads():
    """Interleaving dropout with other draws keeps both libraries on the same stream."""
    def prog(lib):
        a = lib.nn.functional.dropout(lib.ones(7, 9), 0.5)
        b = lib.rand(3)
        c = lib.nn.functional.dropout2d(lib.ones(2, 3, 4, 4), 0.5)
        return lib.cat([a.reshape(-1), b, c.reshape(-1)])
    assert_same(prog)


def test_attention_dropout_masks_match_torch():
    """The masks (zero pattern of the per-head weights) are bitwise torch's; the values agree to
    float rounding, since the softmax and matmuls around them are not bitwise."""
    q = X.reshape(4, 5, 6)
    seen = []
    for lib in (torch, numtorch):
        lib.manual_seed(1)
        mha = lib.nn.MultiheadAttention(6, 2, dropout=0.5)
        t = lib.tensor(q)
        out, weights = mha(t, t, t, average_attn_weights=False)
        seen.append((out.detach().numpy(), weights.detach().numpy(), rng_state(lib)))
    np.testing.assert_array_equal(seen[1][1] == 0, seen[0][1] == 0)
    np.testing.assert_allclose(seen[1][1], seen[0][1], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(seen[1][0], seen[0][0], rtol=1e-5, atol=1e-6)
    assert seen[1][2] == seen[0][2]


@pytest.mark.parametrize("build", [
    lambda nn: nn.TransformerEncoderLayer(6, 2, 12, dropout=0.3),
    lambda nn: nn.TransformerEncoderLayer(6, 2, 12, dropout=0.3, batch_first=True, norm_first=True),
])
def test_transformer_dropout_draws_like_torch(build):
    outs = []
    for lib in (torch, numtorch):
        lib.manual_seed(1)
        layer = build(lib.nn)
        y = layer(lib.tensor(X.reshape(4, 5, 6)))
        outs.append((y.detach().numpy(), rng_state(lib)))
    np.testing.assert_allclose(outs[1][0], outs[0][0], rtol=1e-5, atol=1e-5)
    assert outs[1][1] == outs[0][1]
