"""nn.Module, nn.Parameter and the module classes against torch: registration rules and their
errors, iteration order, state_dict round trips, modes, dtype conversion, hooks, reprs (exact
strings), default initialisation bounds, and a small training loop from identical weights."""
from __future__ import annotations

import copy
import math
import pickle
from collections import OrderedDict

import numpy as np
import pytest

import numtorch as nt
import numtorch.nn  # noqa: F401

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(2)
X = RNG.standard_normal((4, 3)).astype(np.float32)


def _set_weights(torch, module, seed: int = 0) -> None:
    """Give every parameter of `module` the same values in both libraries."""
    rng = np.random.default_rng(seed)
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.tensor(rng.standard_normal(tuple(p.shape)).astype(np.float32)))


# ---- Parameter ---------------------------------------------------------------------------------
def test_parameter_basics(close):
    def prog(torch, see):
        src = torch.tensor([1.0, 2.0])
        p = torch.nn.Parameter(src)
        see(repr(p), str(p), p.requires_grad, p.is_leaf, p.grad_fn, type(p).__name__)
        see(type(p * 2).__name__, type(p.detach()).__name__, type(p.data).__name__, type(p[0]).__name__)
        see(isinstance(p, torch.Tensor), isinstance(src, torch.nn.Parameter))
        src.add_(1)
        see(p, p._version)  # shares storage and version counter with the tensor it wraps
        q = torch.nn.Parameter(torch.tensor([[0.5], [-0.5]]), requires_grad=False)
        see(repr(q), repr(torch.nn.Parameter()), repr(torch.nn.Parameter(torch.tensor([1, 2]), False)))
        y = torch.tensor([1.0], requires_grad=True) * 2
        see(torch.nn.Parameter(y).is_leaf)
        torch.nn.Parameter(torch.tensor([1, 2]))
    close(prog)


def test_parameter_copy_and_pickle():
    p = nt.nn.Parameter(nt.tensor([1.0, 2.0]))
    p.grad = nt.tensor([3.0, 4.0])
    for q in (copy.deepcopy(p), pickle.loads(pickle.dumps(p))):
        assert type(q) is nt.nn.Parameter and q.requires_grad and q.is_leaf
        assert q.tolist() == [1.0, 2.0] and q.data_ptr() != p.data_ptr()
    t = torch.nn.Parameter(torch.tensor([1.0, 2.0]))
    t.grad = torch.tensor([3.0, 4.0])
    assert (copy.deepcopy(t).grad is None) == (copy.deepcopy(p).grad is None)


# ---- registration and attribute rules ------------------------------------------------------------
def test_attribute_rules_and_errors(close):
    def prog(torch, see):
        nn = torch.nn
        m = nn.Linear(3, 2)
        for thunk in (lambda: setattr(m, "weight", torch.zeros(2, 3)), lambda: m.nonexistent,
                      lambda: m.register_buffer("b", 3), lambda: m.register_buffer("a.b", None),
                      lambda: m.register_buffer("", None), lambda: m.register_buffer("weight", None),
                      lambda: m.register_parameter("p", torch.zeros(2)),
                      lambda: m.register_parameter(1, None),
                      lambda: m.register_parameter("q", nn.Parameter(torch.ones(1)) * 2),
                      lambda: m.add_module("c", 3), lambda: m.add_module("a.b", None),
                      lambda: m.add_module("weight", nn.ReLU()),
                      lambda: setattr(nn.Sequential(nn.ReLU()), "0", 5), lambda: nn.Module()(1),
                      lambda: nn.Module(3), lambda: nn.Module(foo=3), lambda: m.train(1),
                      lambda: m.to(torch.int64), lambda: m.get_submodule("x"),
                      lambda: m.get_parameter("bias.x"),
                      lambda: m.get_buffer("weight")):
            try:
                thunk()
            except (TypeError, KeyError, AttributeError, ValueError, RuntimeError, NotImplementedError) as e:
                see(type(e).__name__, str(e))
    close(prog)


def test_setattr_moves_names_between_registries(close):
    def prog(torch, see):
        nn = torch.nn
        m = nn.Module()
        m.a = nn.Parameter(torch.ones(1))
        m.register_buffer("b", torch.zeros(2))
        m.c = nn.ReLU()
        m.d = 5
        see(list(m._parameters), list(m._buffers), list(m._modules), "d" in m.__dict__)
        m.b = torch.ones(3)               # stays a buffer
        m.c = None                         # child slot kept, set to None
        m.a = None                         # parameter slot kept, set to None
        see(list(m._parameters), m.b, list(m._modules), m.c, m.a)
        m.b = nn.Parameter(torch.ones(2))  # a Parameter replaces the buffer
        m.c = nn.Tanh()
        see(list(m._parameters), list(m._buffers), type(m.c).__name__)
        m.e = nn.Buffer(torch.ones(1), persistent=False)
        see(list(m._buffers), list(m.state_dict()))
        del m.a, m.c, m.e, m.d
        see(list(m._parameters), list(m._modules), list(m._buffers), hasattr(m, "d"))
        see("weight" in dir(nn.Linear(1, 1)), [k for k in dir(nn.Sequential(nn.ReLU())) if k.isdigit()])
    close(prog)


def test_iteration_order_and_deduplication(close):
    def prog(torch, see):
        nn = torch.nn
        shared = nn.Linear(2, 2)
        net = nn.Sequential(OrderedDict([("first", shared), ("act", nn.ReLU()), ("again", shared),
                                         ("block", nn.Sequential(nn.Linear(2, 3), nn.LayerNorm(3)))]))
        net.register_buffer("scale", torch.ones(1))
        net.block.register_buffer("tmp", torch.zeros(1), persistent=False)
        see([n for n, _ in net.named_parameters()], [n for n, _ in net.named_buffers()])
        see([n for n, _ in net.named_modules()], [n for n, _ in net.named_children()])
        see([n for n, _ in net.named_parameters(remove_duplicate=False)],
            [n for n, _ in net.named_modules(remove_duplicate=False)])
        see([n for n, _ in net.named_parameters(prefix="model", recurse=False)],
            [n for n, _ in net.block.named_parameters(prefix="b")])
        see(sum(p.numel() for p in net.parameters()), len(list(net.modules())), len(list(net.children())))
        see(list(net.state_dict()), net.get_submodule("block.0") is net.block[0],
            net.get_parameter("block.1.weight") is net.block[1].weight, net.get_buffer("scale"))
    close(prog)


# ---- state dict --------------------------------------------------------------------------------
def test_state_dict_round_trip(close):
    def prog(torch, see):
        nn = torch.nn
        a = nn.Sequential(nn.Linear(3, 2), nn.LayerNorm(2))
        _set_weights(torch, a)
        sd = a.state_dict()
        see(list(sd.items()), dict(sd._metadata), type(sd).__name__)
        see(sd["0.weight"].requires_grad, sd["0.weight"].data_ptr() == a[0].weight.data_ptr())
        see([type(v).__name__ for v in a.state_dict(keep_vars=True).values()])
        b = nn.Sequential(nn.Linear(3, 2), nn.LayerNorm(2))
        w = b[0].weight
        result = b.load_state_dict(sd)
        see(repr(result), str(result), b[0].weight is w, w._version, b[0].weight, b[0].weight.requires_grad)
        see(b.load_state_dict({"0.weight": torch.zeros(2, 3), "zzz": torch.zeros(1)}, strict=False))
        for bad in ({"0.weight": torch.zeros(2, 2)}, {**sd, "extra": torch.zeros(1), "1.junk": torch.ones(1)},
                    {**sd, "0.bias": 3}):
            try:
                b.load_state_dict(bad)
            except RuntimeError as e:
                see(str(e))
        try:
            b.load_state_dict([1])
        except TypeError as e:
            see(str(e))
        c = nn.Linear(3, 2)
        c.load_state_dict({"weight": torch.ones(2, 3), "bias": torch.ones(2)}, assign=True)
        see(type(c.weight).__name__, c.weight.requires_grad, c.weight)
    close(prog)


# ---- modes, gradients and conversion ---------------------------------------------------------------
def test_train_eval_apply_zero_grad_requires_grad(close):
    def prog(torch, see):
        nn = torch.nn
        net = nn.Sequential(nn.Linear(3, 3), nn.Dropout(0.5), nn.Sequential(nn.Linear(3, 1)))
        _set_weights(torch, net)
        see(net.eval() is net, [m.training for m in net.modules()])
        see(net(torch.tensor(X)))
        net.train()
        see([m.training for m in net.modules()])
        names = []
        net.apply(lambda m: names.append(type(m).__name__))
        see(names)
        net.eval()(torch.tensor(X)).sum().backward()
        see([p.grad for p in net.parameters()])
        net.zero_grad(set_to_none=False)
        see([p.grad for p in net.parameters()])
        net.zero_grad()
        see([p.grad for p in net.parameters()])
        net.requires_grad_(False)
        see([p.requires_grad for p in net.parameters()], net(torch.tensor(X)).requires_grad)
    close(prog)


def test_dtype_conversion_keeps_parameter_objects(close):
    def prog(torch, see):
        nn = torch.nn
        m = nn.Linear(3, 2)
        m.register_buffer("steps", torch.tensor([1, 2]))
        m.register_buffer("f", torch.tensor([0.5]))
        _set_weights(torch, m)
        w = m.weight
        m(torch.tensor(X)).sum().backward()
        see(m.double() is m, m.weight is w, m.weight.dtype, m.weight.grad.dtype, m.steps.dtype, m.f.dtype,
            type(m.weight).__name__, m.weight.is_leaf)
        see(m(torch.tensor(X, dtype=torch.float64)))
        m.float()
        see(m.weight.dtype, m.bias.grad.dtype, m.to(torch.float64).bias.dtype,
            m.to(torch.tensor([1.0])).bias.dtype)
        see(m.to("cpu") is m, m.half().weight.dtype, m.to(dtype=torch.float32).weight.dtype)
    close(prog)


# ---- hooks -------------------------------------------------------------------------------------
def test_forward_hooks(close):
    def prog(torch, see):
        nn = torch.nn
        m = nn.Linear(3, 2)
        _set_weights(torch, m)
        calls = []
        h1 = m.register_forward_pre_hook(lambda mod, args: calls.append("pre1") or (args[0] * 2,))
        h2 = m.register_forward_pre_hook(lambda mod, args, kwargs: calls.append("pre_kw") or None,
                                         with_kwargs=True)
        m.register_forward_pre_hook(lambda mod, args: calls.append("pre0"), prepend=True)
        h3 = m.register_forward_hook(lambda mod, args, out: calls.append("post") or out + 1)
        m.register_forward_hook(lambda mod, args, kwargs, out: calls.append(("post_kw", kwargs)),
                                with_kwargs=True)
        see(m(torch.tensor(X)), calls)
        for h in (h1, h2, h3):
            h.remove()
        calls.clear()
        see(m(torch.tensor(X)), calls)
        bad = m.register_forward_pre_hook(lambda mod, args, kwargs: 5, with_kwargs=True)
        try:
            m(torch.tensor(X))
        except RuntimeError as e:
            see(str(e))
        bad.remove()
        m.register_forward_hook(lambda mod, args, out: calls.append("always"), always_call=True)
        try:
            m(torch.ones(5))
        except RuntimeError as e:
            see(str(e), calls[-1])
    close(prog)


# ---- reprs -------------------------------------------------------------------------------------
def test_module_reprs(close):
    def prog(torch, see):
        nn = torch.nn
        see(repr(nn.Sequential(
            nn.Linear(2, 2), nn.Linear(2, 3, bias=False), nn.Sequential(nn.ReLU(), nn.Dropout()),
            nn.LayerNorm(3), nn.LayerNorm([2, 3], eps=1e-3, elementwise_affine=False),
            nn.LayerNorm(4, bias=False), nn.Embedding(4, 5, padding_idx=0),
            nn.Embedding(4, 5, max_norm=1.0, norm_type=1.0, scale_grad_by_freq=True, sparse=True),
            nn.GELU("tanh"), nn.GELU(), nn.Unflatten(1, (2, 2)), nn.Flatten(), nn.Flatten(0, 2),
            nn.CrossEntropyLoss(), nn.MSELoss(), nn.LeakyReLU(0.2, True), nn.LeakyReLU(), nn.ELU(),
            nn.ELU(0.5, inplace=True), nn.Softmax(dim=1), nn.LogSoftmax(), nn.ReLU(inplace=True),
            nn.ReLU6(), nn.Hardtanh(-2, 2), nn.SiLU(), nn.Sigmoid(), nn.Tanh(), nn.Identity(),
            nn.Softplus(2.0), nn.Dropout(0.1, inplace=True),
            nn.ModuleDict({"a": nn.ReLU(), "b": nn.ModuleList()}), nn.Module())))
        see(repr(nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 2),
                                nn.Sequential(nn.ReLU()), nn.Sequential(nn.ReLU())])))
        see(repr(nn.ParameterList([nn.Parameter(torch.zeros(2, 3)), torch.zeros(2, dtype=torch.float64)])))
        see(repr(nn.ParameterDict({"b": nn.Parameter(torch.zeros(2)), "a": torch.ones(1, 1)})))

        class Custom(nn.Module):
            def __init__(self):
                super().__init__()
                self.body = nn.Linear(1, 1)

            def extra_repr(self):
                return "line one\nline two"
        see(repr(Custom()))
    close(prog)


# ---- containers --------------------------------------------------------------------------------
def test_sequential_container(close):
    def prog(torch, see):
        nn = torch.nn
        s = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
        _set_weights(torch, s)
        see(len(s), type(s[0]).__name__, type(s[-1]).__name__, repr(s[1:]), [type(m).__name__ for m in s])
        see(s(torch.tensor(X)))
        s.append(nn.Tanh())
        s[1] = nn.Sigmoid()
        see(repr(s), s(torch.tensor(X)))
        del s[0]
        see(list(s._modules), repr(s + nn.Sequential(nn.ReLU())), repr(s.insert(0, nn.Identity())))
        see(type(s.pop(0)).__name__, len(s.extend([nn.ReLU()])))
        for thunk in (lambda: s[10], lambda: s + 1):
            try:
                thunk()
            except (IndexError, ValueError) as e:
                see(type(e).__name__, str(e))
        see(repr(nn.Sequential(OrderedDict([("enc", nn.Linear(1, 1)), ("act", nn.ReLU())]))))
    close(prog)


def test_module_list_dict_parameter_list(close):
    def prog(torch, see):
        nn = torch.nn
        ml = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
        ml.append(nn.ReLU())
        ml.extend([nn.Tanh()])
        ml.insert(1, nn.Sigmoid())
        see(len(ml), [type(m).__name__ for m in ml], type(ml[-1]).__name__, len(ml[1:3]),
            [n for n, _ in ml.named_parameters()])
        del ml[0]
        see(list(ml._modules), len(list(ml.parameters())))
        md = nn.ModuleDict({"b": nn.ReLU(), "a": nn.Linear(1, 1)})
        md["c"] = nn.Tanh()
        see(list(md.keys()), list(md), "a" in md, len(md), type(md.pop("b")).__name__, list(md.items())[0][0])
        pl = nn.ParameterList([torch.ones(2), nn.Parameter(torch.zeros(1))])
        pl.append(torch.ones(3))
        see(len(pl), [type(p).__name__ for p in pl], [n for n, _ in pl.named_parameters()],
            pl[0].requires_grad)
        pd = nn.ParameterDict({"w": torch.ones(2)})
        see(list(pd.keys()), type(pd["w"]).__name__, [n for n, _ in pd.named_parameters()])
        for thunk in (lambda: ml[10], lambda: pl(1), lambda: ml.extend(3)):
            try:
                thunk()
            except (IndexError, RuntimeError, TypeError) as e:
                see(type(e).__name__, str(e))
    close(prog)


# ---- layers ------------------------------------------------------------------------------------
@pytest.mark.parametrize("make,shape", [
    (lambda nn: nn.Linear(3, 4), (5, 3)), (lambda nn: nn.Linear(3, 4, bias=False), (2, 5, 3)),
    (lambda nn: nn.LayerNorm(3), (5, 3)),
    (lambda nn: nn.LayerNorm([2, 3], elementwise_affine=False), (4, 2, 3)),
    (lambda nn: nn.Flatten(), (2, 3, 4)), (lambda nn: nn.Unflatten(1, (2, 6)), (2, 12)),
    (lambda nn: nn.Softmax(1), (2, 3)), (lambda nn: nn.LogSoftmax(-1), (2, 3)), (lambda nn: nn.GELU(), (4,)),
    (lambda nn: nn.SiLU(), (4,)), (lambda nn: nn.ELU(0.3), (4,)), (lambda nn: nn.LeakyReLU(0.3), (4,)),
    (lambda nn: nn.ReLU6(), (4,)), (lambda nn: nn.Softplus(), (4,)), (lambda nn: nn.Identity(5, k=2), (4,)),
])
def test_layer_forward_backward(close, graph, make, shape):
    x0 = (RNG.standard_normal(shape) * 4).astype(np.float32)

    def prog(torch, see):
        m = make(torch.nn)
        _set_weights(torch, m, seed=3)
        x = torch.tensor(x0, requires_grad=True)
        y = m(x)
        see(y, graph(y))
        (y * y * y).sum().backward()  # not (y * y): its layer-norm gradient is zero up to rounding
        see(x.grad, [p.grad for p in m.parameters()])
    close(prog)


def test_embedding_module(close, graph):
    def prog(torch, see):
        nn = torch.nn
        e = nn.Embedding(5, 3, padding_idx=2)
        see(e.weight[2], e.weight.requires_grad, e.weight._version)
        _set_weights(torch, e)
        y = e(torch.tensor([[0, 2], [4, 4]]))
        see(y, graph(y))
        y.sum().backward()
        see(e.weight.grad)
        pre = nn.Embedding.from_pretrained(torch.tensor([[1.0, 2.0], [3.0, 4.0]]))
        see(repr(pre), pre.weight.requires_grad, pre(torch.tensor([1])))
        see(repr(nn.Embedding.from_pretrained(torch.ones(2, 2), freeze=False, padding_idx=-1)))
        for thunk in (lambda: nn.Embedding(3, 2, padding_idx=3), lambda: nn.Embedding(3, 2, padding_idx=-4),
                      lambda: nn.Embedding(3, 2, _weight=torch.ones(2, 2))):
            try:
                thunk()
            except AssertionError as e:
                see(str(e))
    close(prog)


def test_default_initialisation_distributions():
    nt.manual_seed(0)
    lin = nt.nn.Linear(50, 40)
    bound = 1 / math.sqrt(50)  # kaiming_uniform_(a=sqrt(5)) gives the same bound as the bias
    w, b = lin.weight.detach().numpy(), lin.bias.detach().numpy()
    assert w.dtype == np.float32 and np.abs(w).max() <= bound and np.abs(w).max() > 0.9 * bound
    assert np.abs(b).max() <= bound and abs(w.std() - bound / math.sqrt(3)) < 0.01
    t = torch.nn.Linear(50, 40)  # torch's bounds are the same
    assert t.weight.abs().max().item() <= bound and t.bias.abs().max().item() <= bound
    assert lin.weight._version == 1 and lin.weight.is_leaf and lin.weight.requires_grad
    emb = nt.nn.Embedding(200, 50, padding_idx=3).weight.detach().numpy()
    assert abs(emb.std() - 1) < 0.02 and abs(emb.mean()) < 0.02 and not emb[3].any()
    ln = nt.nn.LayerNorm(4)
    assert ln.weight.tolist() == [1.0] * 4 and ln.bias.tolist() == [0.0] * 4


def test_init_functions(close):
    def prog(torch, see):
        init = torch.nn.init
        see(init.calculate_gain("relu"), init.calculate_gain("leaky_relu", 0.2), init.calculate_gain("tanh"),
            init.calculate_gain("selu"), init.calculate_gain("conv2d"))
        w = torch.empty(3, 4, requires_grad=True)
        for fn in (init.zeros_, init.ones_, lambda t: init.constant_(t, 0.25), init.eye_):
            see(fn(w) is w, w, w.is_leaf, w._version)
        see(init._calculate_fan_in_and_fan_out(torch.empty(3, 4, 5)))
        for fn in (init.uniform_, init.normal_, init.xavier_uniform_, init.xavier_normal_,
                   init.kaiming_uniform_, init.kaiming_normal_, init.trunc_normal_, init.orthogonal_):
            see(fn(w) is w, w.shape, w.is_leaf)
        init.kaiming_uniform_(torch.empty(0, 3))
        for thunk in (lambda: init.calculate_gain("foo"), lambda: init.kaiming_uniform_(w, mode="fan"),
                      lambda: init.xavier_uniform_(torch.empty(3)),
                      lambda: init.calculate_gain("leaky_relu", "x")):
            try:
                thunk()
            except ValueError as e:
                see(str(e))
    close(prog)


def test_init_statistics():
    w = nt.empty(300, 200)
    a = math.sqrt(3.0) * math.sqrt(2.0 / 500)
    vals = nt.nn.init.xavier_uniform_(w).numpy()
    assert np.abs(vals).max() <= a and abs(vals.std() - a / math.sqrt(3)) < 0.005
    vals = nt.nn.init.kaiming_normal_(w, mode="fan_out", nonlinearity="relu").numpy()
    assert abs(vals.std() - math.sqrt(2.0 / 300)) < 0.003
    vals = nt.nn.init.trunc_normal_(w, std=2.0, a=-1.0, b=1.5).numpy()
    assert vals.min() >= -1.0 and vals.max() <= 1.5
    q = nt.nn.init.orthogonal_(nt.empty(4, 6)).numpy()
    np.testing.assert_allclose(q @ q.T, np.eye(4), atol=1e-5)


# ---- an end-to-end training loop ---------------------------------------------------------------
def test_mlp_training_matches_torch(close):
    data = RNG.standard_normal((16, 3)).astype(np.float32)
    labels = RNG.integers(0, 3, 16)

    def prog(torch, see):
        nn = torch.nn
        net = nn.Sequential(nn.Linear(3, 8), nn.LayerNorm(8), nn.GELU(), nn.Linear(8, 8), nn.Tanh(),
                            nn.Linear(8, 3))
        _set_weights(torch, net, seed=5)
        opt = torch.optim.Adam(net.parameters(), lr=0.01)
        for _ in range(5):
            opt.zero_grad()
            loss = nn.functional.cross_entropy(net(torch.tensor(data)), torch.tensor(labels))
            loss.backward()
            opt.step()
            see(loss.detach())
        see(*[p.detach() for p in net.parameters()])
    close(prog)
