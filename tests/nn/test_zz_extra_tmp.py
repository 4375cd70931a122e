import numpy as np, pytest
RNG = np.random.default_rng(5)
CASES = [((4,), ()), ((2, 4, 3), (2, 3)), ((2, 4, 3, 2), (2, 3, 2))]
@pytest.mark.parametrize("shape,tshape", CASES)
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("prob", [False, True])
def test_x(close, graph, shape, tshape, reduction, prob):
    x0 = RNG.standard_normal(shape).astype(np.float32)
    t0 = RNG.integers(0, 4, tshape)
    p0 = RNG.random(shape).astype(np.float32)
    def prog(torch, see):
        x = torch.tensor(x0, requires_grad=True)
        t = torch.tensor(p0) if prob else torch.tensor(t0)
        loss = torch.nn.functional.cross_entropy(x, t, reduction=reduction, label_smoothing=0.2,
                                                 weight=torch.tensor([1., 2., 3., 4.]),
                                                 ignore_index=-100 if prob else 1)
        see(loss, graph(loss))
        (loss * 2).sum().backward()
        see(x.grad)
    close(prog)
