"""The dispatcher's hot path (issue 6, NOTE [Hot path] in numtorch/_ops/dispatch.py): one- and
two-input ops take straight-line code for their arrays, dtype, edges and records, and a saved
tensor's call site is resolved only when a note reads it. Each gives torch's values bit for bit,
torch's dtypes, grads and graph, and the notes their exact lines."""
import numpy as np
import pytest
import torch

import numtorch

DTYPES = ["bool", "uint8", "int32", "int64", "float16", "float32", "float64", "complex64"]
SPECIAL = [1.5, -0.0, 0.0, float("nan"), float("inf"), -float("inf"), 3.0, -2.25]


def _bits(t) -> np.ndarray:
    """The values bit for bit (-0.0 included); a NaN only as NaN (torch's payloads and signs of
    complex NaNs are not numtorch's, a difference older than the hot path)."""
    a = np.ascontiguousarray(t.detach().numpy())
    if a.dtype.kind not in "fc":
        return a
    bits = a.view(f"u{a.itemsize}").copy()
    bits[np.isnan(a)] = 1
    return bits


def _pair(L, dtype, zero_dim, finite=False):
    x = L.tensor([v for v in SPECIAL if not finite or np.isfinite(v)]).to(getattr(L, dtype))
    return x[1] if zero_dim else x


def _binary_ops():
    return {"mul": lambda a, b: a * b, "add": lambda a, b: a + b, "sub": lambda a, b: a - b,
            "div": lambda a, b: a / b, "add_alpha": lambda a, b: a.add(b, alpha=2)}


@pytest.mark.parametrize("a_dtype", DTYPES)
@pytest.mark.parametrize("zero_dim", [False, True])
def test_two_tensor_operands_promote_and_compute_bitwise_as_torch(a_dtype, zero_dim):
    # same dtype (no promotion), other dtypes, and a 0-d second operand (a tensor, not a wrapped
    # number: it promotes by category only) all go through the two-input path
    for b_dtype in DTYPES:
        if {a_dtype, b_dtype} == {"float16", "complex64"}:
            continue  # complex32 (torch's result) is not in numtorch (docs/differences.md)
        for name, op in _binary_ops().items():
            outcomes = []
            for L in (torch, numtorch):
                # complex with nan/inf: a known difference of add/sub (not of the hot path)
                finite = "complex64" in (a_dtype, b_dtype)
                a, b = _pair(L, a_dtype, False, finite), _pair(L, b_dtype, zero_dim, finite)
                try:
                    r = op(a, b)
                    outcomes.append((str(r.dtype), r.shape, _bits(r)))
                except Exception as e:  # bool - bool and the like: the same error
                    outcomes.append((type(e).__name__, str(e)))
            t, n = outcomes
            assert t[:2] == n[:2], (name, a_dtype, b_dtype, t[:2], n[:2])
            if len(t) == 3:
                assert np.array_equal(t[2], n[2]), (name, a_dtype, b_dtype)


# (float16: torch computes a Scalar operand's op in float, a difference older than the hot path)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("scalar", [2.5, -0.0, 3, True, float("nan"), float("inf")])
def test_recorded_binary_with_a_wrapped_number_grads_and_saved_other(dtype, scalar):
    got = {}
    for L in (torch, numtorch):
        x = L.tensor(SPECIAL, dtype=getattr(L, dtype), requires_grad=True)
        y = x * scalar
        other = y.grad_fn._saved_other
        z = (y + scalar).sigmoid()
        z.sum().backward()
        got[L] = (str(y.dtype), y.grad_fn.name(), z.grad_fn.name(), str(other.dtype),
                  other.item() if other.item() == other.item() else "nan",
                  [f is None for f, _ in y.grad_fn.next_functions], _bits(y), _bits(z), _bits(x.grad))
    t, n = got[torch], got[numtorch]
    assert t[:6] == n[:6]
    for tb, nb in zip(t[6:], n[6:]):
        assert np.array_equal(tb, nb)


@pytest.mark.parametrize("dtype", DTYPES)
def test_unary_input_cast_to_the_floating_result(dtype):
    # promote="float": an integer or bool input is cast on the one-input path (the kernels' last
    # bits are theirs, not the path's: compared at a tolerance)
    for name in ("sigmoid", "exp", "sqrt", "neg"):
        if name == "neg" and dtype == "bool":
            continue
        t = getattr(_pair(torch, dtype, False), name)()
        n = getattr(_pair(numtorch, dtype, False), name)()
        assert str(t.dtype) == str(n.dtype)
        assert np.allclose(t.numpy(), n.numpy(), rtol=1e-3, equal_nan=True), (name, dtype)


def test_multi_output_and_partially_differentiable_outputs_record_as_torch():
    # the record path for more than one output (or an output without a gradient)
    for L in (torch, numtorch):
        x = L.tensor([[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]], requires_grad=True)
        values, indices = x.max(dim=1)
        assert values.grad_fn.name() == "MaxBackward0" and indices.grad_fn is None
        assert not indices.requires_grad and values._version == 0
        values.sum().backward()
        assert x.grad.tolist() == [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]


def test_deferred_call_sites_give_the_lines_of_a_long_module():
    # a saved tensor's and an in-place write's sites keep (code, f_lasti) and read the line
    # later: the lines are f_lineno's, also deep in a long module's code
    filler = "".join(f"v{i} = {i}\n" for i in range(400))
    src = ("x = torch.tensor([1.0, 2.0], requires_grad=True)\n" + filler
           + "y = x.sigmoid()\n" + filler + "y.add_(\n    1)\n")
    env = {"torch": numtorch}
    exec(compile(src, "<long module>", "exec"), env)
    with pytest.raises(RuntimeError) as info:
        env["y"].sum().backward()
    lines = src.splitlines()
    save_line = lines.index("y = x.sigmoid()") + 1
    write_line = lines.index("y.add_(") + 1
    assert info.value.__notes__ == [
        f"numtorch: modified in place by add_() at <long module>:{write_line} (version 0 -> 1)",
        f"numtorch: saved for backward by SigmoidBackward0 in the forward call at <long module>:"
        f"{save_line} (at version 0)"]


def test_input_casts_run_with_floating_point_errors_quiet():
    # an int64 operand cast to float16 overflows to inf: torch does not warn, nor does numtorch
    import warnings
    for L in (torch, numtorch):
        a = L.tensor([1.0, 2.0], dtype=L.float16)
        b = L.tensor([2 ** 40, 3])
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            r = a + b
        assert r.dtype == L.float16 and r[0].item() == float("inf") and r[1].item() == 5.0
