"""torch.einsum, composed from numtorch ops the way ATen's einsum (Linear.cpp) composes it, so the
graph it records is PyTorch's: each operand is brought to one common dimension order (diagonal +
movedim for a repeated label, unsqueeze for a missing one, then one permute), the operands are
contracted left to right (torch without opt_einsum) by sumproduct_pair — mul when nothing is summed,
otherwise permute/reshape/bmm/view/permute — and the summed dims are finally dropped with a view
(or, for a single operand, summed). Gradients and double gradients come from those ops."""
from __future__ import annotations

from .._core import messages
from .._tensor import Tensor
from .linalg import bmm
from .pointwise import mul
from .reduction import sum as _sum

_LETTERS = 26
_TOTAL_LABELS = 2 * _LETTERS
_ELLIPSIS = _TOTAL_LABELS  # the code ATen gives "..." among the labels


def _is_subscript(ch: str) -> bool:
    return ("a" <= ch <= "z") or ("A" <= ch <= "Z")


def _label_index(ch: str) -> int:
    """A-Z -> 0..25, a-z -> 26..51: the order of implicit output and contraction dims."""
    return ord(ch) - ord("A") if ch <= "Z" else _LETTERS + ord(ch) - ord("a")


def _label_char(index: int) -> str:
    return chr(ord("A") + index) if index < _LETTERS else chr(ord("a") + index - _LETTERS)


def _sublist_label(n) -> str:
    if n is Ellipsis:
        return "..."
    if 0 <= n < 26:
        return chr(ord("A") + n)
    if 26 <= n < 52:
        return chr(ord("a") + n - 26)
    raise ValueError(messages.EINSUM_SUBLIST_RANGE)


def einsum(*args):
    """torch.functional.einsum: an equation and operands (varargs or one list), or the sublist format
    `einsum(op1, [0, 1], op2, [1, 2], [0, 2])`."""
    if len(args) < 2:
        raise ValueError(messages.EINSUM_NO_ARGS)
    if isinstance(args[0], Tensor):
        equation = ",".join("".join(_sublist_label(s) for s in sub) for sub in args[1::2])
        if len(args) % 2 == 1:
            equation += "->" + "".join(_sublist_label(s) for s in args[-1])
            operands = args[:-1:2]
        else:
            operands = args[::2]
    else:
        equation, operands = args[0], args[1:]
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        return einsum(equation, *operands[0])
    if not isinstance(equation, str):
        raise TypeError(messages.EINSUM_EQUATION_TYPE.format(type=type(equation).__name__))
    for i, op in enumerate(operands):
        if not isinstance(op, Tensor):
            raise TypeError(messages.EINSUM_OPERAND_TYPE.format(index=i, type=type(op).__name__))
    return _einsum(equation, list(operands))


def _parse_inputs(lhs: str, num_ops: int) -> list:
    op_labels: list = [[] for _ in range(num_ops)]
    ell_in_input = False
    curr = 0
    i = 0
    while i < len(lhs):
        ch = lhs[i]
        if ch == " ":
            pass
        elif ch == ".":
            if ell_in_input:
                raise RuntimeError(messages.EINSUM_ELLIPSIS_TWICE.format(op=curr))
            if not (i + 2 < len(lhs) and lhs[i + 1] == "." and lhs[i + 2] == "."):
                raise RuntimeError(messages.EINSUM_BAD_ELLIPSIS.format(op=curr))
            i += 2
            op_labels[curr].append(_ELLIPSIS)
            ell_in_input = True
        elif ch == ",":
            curr += 1
            if curr >= num_ops:
                raise RuntimeError(messages.EINSUM_FEWER_OPERANDS)
            ell_in_input = False
        else:
            if not _is_subscript(ch):
                raise RuntimeError(messages.EINSUM_INVALID_SUBSCRIPT.format(index=i))
            op_labels[curr].append(_label_index(ch))
        i += 1
    if curr != num_ops - 1:
        raise RuntimeError(messages.EINSUM_MORE_OPERANDS)
    return op_labels


def _einsum(equation: str, operands: list):
    num_ops = len(operands)
    arrow = equation.find("->")
    lhs = equation if arrow < 0 else equation[:arrow]
    op_labels = _parse_inputs(lhs, num_ops)

    # label frequencies, and the most dims any ellipsis covers
    label_count = [0] * _TOTAL_LABELS
    ell_num_dim = 0
    for i, (op, labels) in enumerate(zip(operands, op_labels)):
        ndims = op.dim()
        nlabels = len(labels)
        has_ellipsis = False
        for label in labels:
            if label == _ELLIPSIS:
                nlabels -= 1
                has_ellipsis = True
                ell_num_dim = max(ell_num_dim, ndims - nlabels)
            else:
                label_count[label] += 1
        if has_ellipsis and nlabels > ndims:
            raise RuntimeError(messages.EINSUM_TOO_MANY_SUBSCRIPTS.format(n=nlabels, d=ndims, op=i))
        if not has_ellipsis and nlabels != ndims:
            raise RuntimeError(messages.EINSUM_NUM_SUBSCRIPTS.format(n=nlabels, d=ndims, op=i))

    # every operand is aligned to: output dims, then contraction dims (ellipsis dims where they go)
    label_perm_index = [-1] * _TOTAL_LABELS
    perm_index = 0
    ell_index = 0
    ell_in_output = False
    if arrow < 0:
        # implicit output: the ellipsis dims, then the labels seen once, in label order
        perm_index = ell_num_dim
        ell_in_output = True
        for label in range(_TOTAL_LABELS):
            if label_count[label] == 1:
                label_perm_index[label] = perm_index
                perm_index += 1
    else:
        rhs = equation[arrow + 2:]
        i = 0
        while i < len(rhs):
            ch = rhs[i]
            if ch == " ":
                pass
            elif ch == ".":
                if ell_in_output:
                    raise RuntimeError(messages.EINSUM_OUTPUT_ELLIPSIS_TWICE)
                if not (i + 2 < len(rhs) and rhs[i + 1] == "." and rhs[i + 2] == "."):
                    raise RuntimeError(messages.EINSUM_OUTPUT_BAD_ELLIPSIS)
                i += 2
                ell_index = perm_index
                perm_index += ell_num_dim
                ell_in_output = True
            else:
                if not _is_subscript(ch):
                    raise RuntimeError(messages.EINSUM_INVALID_SUBSCRIPT.format(index=len(lhs) + 2 + i))
                label = _label_index(ch)
                if label_count[label] == 0:
                    raise RuntimeError(messages.EINSUM_OUTPUT_UNKNOWN.format(label=ch))
                if label_perm_index[label] != -1:
                    raise RuntimeError(messages.EINSUM_OUTPUT_REPEATED.format(label=ch))
                label_perm_index[label] = perm_index
                perm_index += 1
            i += 1
    out_num_dim = perm_index
    if not ell_in_output:  # ellipsis dims absent from the output are summed
        ell_index = perm_index
        perm_index += ell_num_dim
    for label in range(_TOTAL_LABELS):
        if label_count[label] > 0 and label_perm_index[label] == -1:
            label_perm_index[label] = perm_index
            perm_index += 1

    # size checks, diagonals for repeated labels, unsqueezes for missing dims, one permute each;
    # dim_counts counts, per aligned dim, the operands where it is not 1 (broadcast)
    label_size = [1] * _TOTAL_LABELS
    ell_sizes = [1] * ell_num_dim
    dim_counts = [0] * perm_index
    ops = []
    for i, (op, labels) in enumerate(zip(operands, op_labels)):
        original_ndim = op.dim()
        permutation = [-1] * perm_index
        dim = 0
        for s in labels:
            if s == _ELLIPSIS:
                ndim = original_ndim - (len(labels) - 1)
                for j in range(ell_num_dim - ndim, ell_num_dim):
                    size = op.shape[dim]
                    if size != 1:
                        if ell_sizes[j] != 1 and ell_sizes[j] != size:
                            raise RuntimeError(messages.EINSUM_ELLIPSIS_BROADCAST.format(
                                dim=dim, op=i, size=size, prev=ell_sizes[j]))
                        ell_sizes[j] = size
                        dim_counts[ell_index + j] += 1
                    permutation[ell_index + j] = dim
                    dim += 1
            elif permutation[label_perm_index[s]] == -1:
                size = op.shape[dim]
                if size != 1:
                    if label_size[s] != 1 and label_size[s] != size:
                        raise RuntimeError(messages.EINSUM_SUBSCRIPT_BROADCAST.format(
                            label=_label_char(s), size=size, op=i, prev=label_size[s]))
                    label_size[s] = size
                    dim_counts[label_perm_index[s]] += 1
                permutation[label_perm_index[s]] = dim
                dim += 1
            else:
                # a repeated label: its diagonal replaces both dims, at the first one's place
                prev = permutation[label_perm_index[s]]
                if op.shape[dim] != op.shape[prev]:
                    raise RuntimeError(messages.EINSUM_REPEATED_SIZES.format(
                        label=_label_char(s), op=i, a=op.shape[dim], b=op.shape[prev]))
                op = op.diagonal(0, prev, dim).movedim(-1, prev)
        for k, val in enumerate(permutation):
            if val == -1:
                op = op.unsqueeze(dim)
                permutation[k] = dim
                dim += 1
        ops.append(op.permute(permutation))

    # contract left to right: sum dims only one operand still has, bmm over the shared ones
    while len(ops) > 1:
        a, b = ops[0], ops[1]
        del ops[:2]
        sum_dims = []
        a_dims_to_sum, b_dims_to_sum = [], []
        for d in range(out_num_dim, perm_index):
            if a.shape[d] != 1 and b.shape[d] != 1:
                dim_counts[d] -= 1
                if dim_counts[d] == 1:
                    sum_dims.append(d)
                    dim_counts[d] = 0
            elif dim_counts[d] == 1:
                if a.shape[d] != 1:
                    a_dims_to_sum.append(d)
                    dim_counts[d] = 0
                elif b.shape[d] != 1:
                    b_dims_to_sum.append(d)
                    dim_counts[d] = 0
        if a_dims_to_sum:
            a = _sum(a, a_dims_to_sum, True)
        if b_dims_to_sum:
            b = _sum(b, b_dims_to_sum, True)
        ops.insert(0, _sumproduct_pair(a, b, sum_dims, True))

    result = ops[0]
    if perm_index - out_num_dim > 0:
        if num_ops > 1:
            # every contraction dim is 1 by now: drop them with a view
            return result.view(list(result.shape[:out_num_dim]))
        return _sum(result, list(range(out_num_dim, perm_index)))
    return result


def _sumproduct_pair(left, right, sum_dims, keepdim):
    """ATen's sumproduct_pair: both operands have the same rank (broadcast dims are 1); dims in
    both are batched (lro), dims in one are kept (lo, ro), sum_dims are contracted by one bmm."""
    dim = left.dim()
    if not sum_dims:
        return mul(left, right)
    summed = set(sum_dims)
    # torch 2.13 swaps the operands when every output dim of the right one (dims of size 1 in both
    # count as the right one's) comes before every output dim of the left one: the bmm result is
    # then already in output order (observed on its graphs: the bmm's first input is the right chain)
    lo = [i for i in range(dim) if i not in summed and left.shape[i] != 1 and right.shape[i] == 1]
    ro = [i for i in range(dim) if i not in summed and left.shape[i] == 1]
    if lo and ro and max(ro) < min(lo):
        left, right = right, left
    lro, lo, ro = [], [], []
    lro_size = lo_size = ro_size = sum_size = 1
    for i in range(dim):
        sl, sr = left.shape[i] != 1, right.shape[i] != 1
        if i in summed:
            if sl and sr:
                if left.shape[i] != right.shape[i]:
                    raise RuntimeError(messages.SUMPRODUCT_DIMS)
                sum_size *= left.shape[i]
            elif sl:
                left = _sum(left, i, True)
            elif sr:
                right = _sum(right, i, True)
        elif sl and sr:
            if left.shape[i] != right.shape[i]:
                raise RuntimeError(messages.SUMPRODUCT_DIMS)
            lro.append(i)
            lro_size *= left.shape[i]
        elif sl:
            lo.append(i)
            lo_size *= left.shape[i]
        else:
            ro.append(i)
            ro_size *= right.shape[i]
    out_size = ([left.shape[d] for d in lro] + [left.shape[d] for d in lo] + [1] * len(sum_dims)
                + [right.shape[d] for d in ro])
    lperm = lro + lo + list(sum_dims) + ro
    rperm = lro + list(sum_dims) + ro + lo
    operm = [-1] * len(out_size)
    for i, d in enumerate(lro + lo + list(sum_dims) + ro):
        operm[d] = i
    left = left.permute(lperm).reshape(lro_size, lo_size, sum_size)
    right = right.permute(rperm).reshape(lro_size, sum_size, ro_size)
    result = bmm(left, right).view(out_size).permute(operm)
    if not keepdim:
        result = result.view([s for i, s in enumerate(result.shape) if i not in summed])
    return result
