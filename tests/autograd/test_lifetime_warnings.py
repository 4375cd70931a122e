"""numtorch's graph-lifetime warnings (issue 7, item 5): a graph that keeps growing across
iterations (the PyTorch FAQ's `total_loss += loss`), and the reference cycle that
backward(create_graph=True) leaves between a leaf and its .grad. Off by default (PyTorch says
nothing); on with anomaly mode or numtorch.autograd.warn_graph_lifetime()."""
import gc
import inspect
import warnings

import pytest

import numtorch as torch
from numtorch._autograd import lifetime
from numtorch.autograd import GraphLifetimeWarning


def _line_of(marker: str, code=None) -> int:
    src, start = inspect.getsourcelines(code or inspect.currentframe().f_back.f_code)
    return start + next(i for i, line in enumerate(src) if marker in line and "_line_of" not in line)


@pytest.fixture(autouse=True)
def _fresh():
    lifetime._warned.clear()  # once per line: each test starts afresh
    yield
    assert not lifetime.ACTIVE, "a test left the warnings on"


def _caught(fn):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fn()
    return [w for w in caught if issubclass(w.category, GraphLifetimeWarning)], caught


def _faq_loop(torch, iterations=4):
    model = torch.nn.Linear(3, 1)
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    x = torch.ones(4, 3)
    total_loss = 0
    for _ in range(iterations):
        opt.zero_grad()
        loss = model(x).pow(2).mean()
        loss.backward()
        opt.step()
        total_loss += loss  # faq-line
    return total_loss


# ---- off: PyTorch's behaviour ------------------------------------------------------------------------
def test_off_faq_pattern_is_silent_as_in_torch(same):
    def prog(torch, see):
        torch.manual_seed(0)
        total = _faq_loop(torch)
        see(total.requires_grad, type(total.grad_fn).__name__)
    same(prog)


def test_off_create_graph_warns_only_torchs_warning(same):
    def prog(torch, see):
        p = torch.tensor([1.0, 2.0], requires_grad=True)
        (p ** 3).sum().backward(create_graph=True)
        see(p.grad, type(p.grad.grad_fn).__name__)
        p.grad = None
    same(prog)


# ---- the FAQ pattern ---------------------------------------------------------------------------------
def test_faq_pattern_warns_once_at_the_accumulating_line_under_anomaly_mode():
    def run():
        with torch.autograd.set_detect_anomaly(True):
            _faq_loop(torch, iterations=5)
    ours, _ = _caught(run)
    assert len(ours) == 1
    w = ours[0]
    line = _line_of("faq-line", _faq_loop)
    assert (w.filename, w.lineno) == (__file__, line)
    text = str(w.message)
    assert text.startswith(f"__iadd__() at {__file__}:{line} extends a graph that a "
                           "backward() already ran through")
    assert "`loss.item()`" in text and "`loss.detach()`" in text


def test_faq_pattern_with_the_dedicated_context_manager_and_decorator():
    ours, _ = _caught(lambda: torch.autograd.warn_graph_lifetime()(_faq_loop)(torch))
    assert len(ours) == 1
    with torch.autograd.warn_graph_lifetime():
        assert lifetime.ACTIVE
    assert not lifetime.ACTIVE


def test_accumulating_item_or_detach_is_silent():
    def run():
        with torch.autograd.warn_graph_lifetime():
            model = torch.nn.Linear(3, 1)
            x = torch.ones(4, 3)
            total, total_t = 0.0, torch.zeros(())
            for _ in range(4):
                loss = model(x).pow(2).mean()
                loss.backward()
                total += loss.item()
                total_t += loss.detach()
    ours, _ = _caught(run)
    assert not ours


def test_using_the_freed_graph_within_its_iteration_is_silent():
    """Metrics computed from `output` after backward build on a freed graph, but only for that
    iteration: no growth, no warning."""
    def run():
        with torch.autograd.warn_graph_lifetime():
            model = torch.nn.Linear(3, 2)
            x = torch.ones(4, 3)
            for _ in range(4):
                out = model(x)
                out.sum().backward()
                probs = out.softmax(1)
                (probs * 2).max()
    ours, _ = _caught(run)
    assert not ours


def test_growth_through_an_ema_is_caught():
    def run():
        with torch.autograd.warn_graph_lifetime():
            w = torch.tensor([1.0, 2.0], requires_grad=True)
            ema = 0.0
            for _ in range(3):
                loss = (w * w).sum()
                loss.backward()
                ema = 0.9 * ema + 0.1 * loss  # ema-line
    ours, _ = _caught(run)
    assert [w.lineno for w in ours] == [_line_of("ema-line")]


def test_growth_without_backward_passes_the_depth_threshold():
    def run():
        with torch.autograd.warn_graph_lifetime(max_depth=60):
            w = torch.tensor([1.0, 2.0], requires_grad=True)
            total = torch.zeros(())
            for _ in range(100):
                total = total + (w * 2).sum()  # eval-line
            assert lifetime.MAX_DEPTH == 60
        assert lifetime.MAX_DEPTH == 20_000
    ours, _ = _caught(run)
    assert len(ours) == 1
    assert ours[0].lineno == _line_of("eval-line")
    assert "61 nodes deep" in str(ours[0].message)


def test_a_deep_graph_below_the_threshold_is_silent():
    def run():
        with torch.autograd.warn_graph_lifetime():
            y = torch.ones(3, requires_grad=True)
            for _ in range(300):
                y = (y * 1.0001 + 0.001).sigmoid()
            y.sum().backward()
    ours, _ = _caught(run)
    assert not ours


# ---- backward(create_graph=True) cycles --------------------------------------------------------------
def test_create_graph_cycle_warns_with_the_backward_line():
    def run():
        with torch.autograd.warn_graph_lifetime():
            p = torch.tensor([1.0, 2.0], requires_grad=True)
            (p ** 3).sum().backward(create_graph=True)  # cycle-line
            p.grad = None
    ours, caught = _caught(run)
    assert len(ours) == 1
    assert ours[0].lineno == _line_of("cycle-line")
    text = str(ours[0].message)
    assert text.startswith(f"backward(create_graph=True) at {__file__}:{_line_of('cycle-line')} left a "
                           "reference cycle: the .grad of the leaf of shape [2] (torch.float32)")
    assert "torch.autograd.grad" in text and ".grad = None" in text


def test_create_graph_without_cycle_or_with_autograd_grad_is_silent():
    def run():
        with torch.autograd.set_detect_anomaly(True):
            p = torch.tensor([1.0, 2.0], requires_grad=True)
            x = torch.tensor([3.0, 4.0])
            (p * x).sum().backward(create_graph=True)  # p.grad = x: no graph back to p
            q = torch.tensor([1.0, 2.0], requires_grad=True)
            (g,) = torch.autograd.grad((q ** 3).sum(), q, create_graph=True)
            g.sum().backward()
    ours, _ = _caught(run)
    assert not ours


def test_no_bookkeeping_survives_the_graph():
    with torch.autograd.warn_graph_lifetime():
        w = torch.tensor([1.0, 2.0], requires_grad=True)
        for _ in range(3):
            (w * w).sum().backward()
    gc.collect()
    assert len(lifetime._depth) == 0 and len(lifetime._stale) == 0 and len(lifetime._freed) == 0
