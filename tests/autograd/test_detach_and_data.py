"""detach(), detach_(), .data and `x.data = y` (SEMANTICS section 2)."""


def test_detach_shares_version_counter(same):
    def prog(torch, see):
        a = torch.zeros(3)
        v, d, dd = a[:2], a.detach(), a.data
        v.mul_(2)
        d.sub_(1)
        see(a._version, v._version, d._version, dd._version)
        dd.add_(1)
        see(a._version, dd._version, a)
    same(prog)


def test_detach_flags(same):
    def prog(torch, see):
        a = torch.tensor([1.2, 3.4, 5.6], requires_grad=True)
        out = a.sigmoid()
        c = out.detach()
        see(c.requires_grad, c.is_leaf, c._is_view(), c.grad_fn is None, c._base is None)
        see(a.detach().requires_grad, a.detach().is_leaf)
    same(prog)


def test_detach_inplace_on_saved_input_raises(same):
    def prog(torch, see):
        a = torch.tensor([1.2, 3.4, 5.6], requires_grad=True)
        b = a * 1
        z = b * b
        see(b.detach_())
        z.sum().backward()
    same(prog)


def test_detach_inplace_on_saved_output_is_fine(same):
    def prog(torch, see):
        a = torch.tensor([1.2, 3.4, 5.6], requires_grad=True)
        out = a.exp()
        s = out.sum()
        out.detach_()
        s.backward()
        see(a.grad, out._version)
    same(prog)


def test_detach_inplace_on_leaf(same):
    def prog(torch, see):
        w = torch.tensor([1.0, 2.0], requires_grad=True)
        see(w.detach_(), w.requires_grad, w.is_leaf)
    same(prog)


def test_data_is_new_object_each_time(same):
    def prog(torch, see):
        a = torch.tensor([1.0, 2.0], requires_grad=True)
        see(a.data is a.data, a.data.requires_grad, a.data.data_ptr() == a.data_ptr())
    same(prog)


def test_data_assignment_rebinds_storage(same):
    def prog(torch, see):
        a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = torch.tensor([10.0, 20.0])
        a.data = y
        y.add_(1)
        see(a, a.is_leaf, a._version, y._version)
        a.data = torch.tensor([1.0, 2.0], dtype=torch.float64)
        (a * 2).sum().backward()
        see(a.grad)
        h = torch.tensor([1.0, 2.0], requires_grad=True) * 2
        h.data = torch.tensor([5.0, 5.0])
        see(h)
    same(prog)


def test_data_assignment_of_another_dtype_keeps_built_graphs_dtype(same):
    # AccumulateGrad's input dtype is fixed when it is made; a .data = of another dtype gives the
    # leaf a new one for graphs built afterwards (torch's set_data resets the accumulator)
    def prog(torch, see):
        x = torch.tensor(1.0, dtype=torch.float64, requires_grad=True)
        y = x.neg()
        x.data = torch.tensor(2.0)
        y.backward()
        see(x.grad, x.grad.dtype)
        x.grad = None
        (x * 3).backward()
        see(x.grad, x.grad.dtype)
    same(prog)


def test_data_assignment_errors(same):
    def prog(torch, see):
        a = torch.tensor([1.0, 2.0], requires_grad=True)
        try:
            a.data = torch.tensor([1, 2])
        except RuntimeError as e:
            see(str(e))
        a.data = [1.0, 2.0]
    same(prog)


def test_data_sgd_update_pattern(same):
    def prog(torch, see):
        w = torch.tensor([1.0, -2.0], requires_grad=True)
        for _ in range(2):
            loss = (w * w).sum()
            loss.backward()
            w.data -= 0.1 * w.grad.data
            w.grad.zero_()
        see(w, w._version, w.grad)
    same(prog)


def test_data_setter_integer_on_no_grad_view(same):
    """`.data = integer tensor` checks requires_grad(), which a view made under no_grad reads
    from its base."""
    def prog(torch, see):
        x = torch.tensor([1.0, 2.0, 3.0])
        with torch.no_grad():
            v3 = x[1:]
        x.requires_grad_()
        for base in (torch.tensor([1.0, 2.0, 3.0], requires_grad=True), torch.tensor([1.0, 2.0, 3.0])):
            with torch.no_grad():
                v = base[1:]
            try:
                v.data = torch.arange(2)
            except RuntimeError as e:
                see(str(e))
            see(v, v.dtype, v.requires_grad)
        try:
            v3.data = torch.arange(2)
        except RuntimeError as e:
            see(str(e))
        see(v3.requires_grad)
    same(prog)


def test_data_assignment_of_other_shape_backward_create_graph(same):
    """Under create_graph AccumulateGrad clones the gradient into an empty of the parameter's
    (new) sizes: broadcast when it can, else copy_'s shape error (fuzz divergence_2027_003)."""
    def prog(torch, see):
        for shape in [(), (3,), (3, 2)]:
            x = torch.tensor([1.0, 2.0], requires_grad=True)
            y = x * 2
            x.data = torch.zeros(shape)
            try:
                y.backward(torch.tensor([1.0, 3.0]), create_graph=True)
                see(x.grad)
            except RuntimeError as e:
                see(str(e))
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        x.data = torch.zeros(2, 4)[:, ::2]  # not dense: a contiguous clone of the gradient's shape
        y.sum().backward(create_graph=True)
        see(x.grad)
    same(prog)
