"""Graph nodes: Node (the base), FormulaNode (the generated `<Op>Backward<k>` classes) and
AccumulateGrad (one per leaf that requires grad).

`next_functions` holds one `(node or None, output_nr)` edge per tensor argument of the forward op.
`_out_meta` holds (shape, dtype) of each forward output, which the engine uses to reduce broadcast
gradients and cast dtypes in one place."""
from __future__ import annotations

import weakref

from .._core import messages
from .._core.fp_state import quiet as fp_quiet, restore as fp_restore
from .._core.state import STATE
from .accumulate_grad import accumulate_grad, run_post_accumulate_hooks
from .hooks import add_hook
from .saved_tensor import SavedTensor


class Node:
    __slots__ = ("next_functions", "_sequence_nr", "_out_meta", "_pre_hooks", "_post_hooks",
                 "_tensor_pre_hooks", "_retain_grad",
                 "metadata_", "__weakref__")

    def __init__(self) -> None:
        self.next_functions = ()
        st = STATE
        self._sequence_nr = st.sequence = st.sequence + 1
        self._pre_hooks = self._post_hooks = self._tensor_pre_hooks = self._retain_grad = None
        self.metadata_ = None
        if st.anomaly:
            from .anomaly import record_forward_trace
            record_forward_trace(self)

    def name(self) -> str:
        return type(self).__name__

    def __repr__(self) -> str:
        return f"<{type(self).__name__} object at {hex(id(self))}>"

    @property
    def metadata(self) -> dict:
        if self.metadata_ is None:
            self.metadata_ = {}
        return self.metadata_

    def _sequence_number(self) -> int:
        return self._sequence_nr

    def __call__(self, *grads):
        out = self.apply(grads)
        return out

    def apply(self, grads):  # pragma: no cover - overridden
        raise NotImplementedError

    def release(self) -> None:
        """Free saved tensors after a backward without retain_graph."""

    # hooks -----------------------------------------------------------------------------------
    def register_prehook(self, fn):
        if self._pre_hooks is None:
            self._pre_hooks = {}
        return add_hook(self._pre_hooks, fn)

    def register_hook(self, fn):
        if self._post_hooks is None:
            self._post_hooks = {}
        return add_hook(self._post_hooks, fn)

    def _add_tensor_pre_hook(self, output_nr: int, fn):
        if self._tensor_pre_hooks is None:
            self._tensor_pre_hooks = {}
        return add_hook(self._tensor_pre_hooks.setdefault(output_nr, {}), fn)

    def _set_retain_grad(self, output_nr: int, tensor) -> None:
        if self._retain_grad is None:
            self._retain_grad = {}
        self._retain_grad[output_nr] = weakref.ref(tensor)


# node._attrs[KEPT]: what an op's forward computed and keeps for its backward to reuse (gelu's
# derivative, attention's probabilities). Not one of torch's `_saved_` attributes (the leading
# underscore keeps it unexposed); released with the saved tensors, so the backward must be able
# to do without it.
KEPT = "_kept"


class FormulaNode(Node):
    """A generated backward node. Class attributes: `_formula(ctx, grads) -> tuple` and `_op`.
    `grad_fn._saved_<name>` reads a saved tensor or an attribute: see NOTE [Saved attributes]."""
    __slots__ = ("_saved", "_attrs")
    _formula = None
    _multi_output = False
    _declared_saves: tuple = ()  # read as None when not saved (a guarded save, an absent optional)

    def __init__(self) -> None:
        # Node.__init__'s body inlined: one node per recorded op, a second frame costs 10% of this
        self.next_functions = ()
        st = STATE
        self._sequence_nr = st.sequence = st.sequence + 1
        self._pre_hooks = self._post_hooks = self._tensor_pre_hooks = self._retain_grad = None
        self.metadata_ = self._saved = self._attrs = None
        if st.anomaly:
            from .anomaly import record_forward_trace
            record_forward_trace(self)

    def save(self, name: str, tensor, is_output: bool = False, output_nr: int = 0) -> None:
        if name not in _EXPOSED:
            expose_saved(name)
        if self._saved is None:
            self._saved = {}
        self._saved[name] = SavedTensor(tensor, is_output, output_nr) if tensor is not None else None

    def release(self) -> None:
        if self._saved:
            for s in self._saved.values():
                if s is not None:
                    s.release()
        attrs = self._attrs
        if attrs and KEPT in attrs:
            del attrs[KEPT]

    def apply(self, grads):
        ctx = _Ctx()
        d = ctx.__dict__
        attrs = self._attrs
        if attrs:
            d.update(attrs)
        saved = self._saved
        if saved:
            for name, s in saved.items():
                t = d[name] = None if s is None else s.unpack(self)
                if t is not None and attrs and name + "arr" in attrs:
                    # an index/mask kernel attribute `<name>arr` is the saved tensor's data at
                    # forward time; torch's formula reads the saved tensor itself, so a later
                    # `index.data = ...` is what backward sees (and what its checks reject)
                    d[name + "arr"] = t._data
        nf = self.next_functions
        n = len(nf)  # (one and two inputs, the common nodes, without _has_edges' frame)
        d["needs_input_grad"] = (nf[0][0] is not None,) if n == 1 else \
            (nf[0][0] is not None, nf[1][0] is not None) if n == 2 else _has_edges(nf)
        # the formula's own numpy work (helpers beside the ops) is as silent as torch's
        token = fp_quiet()
        try:
            out = self._formula(ctx, grads if self._multi_output else grads[0])
        finally:
            fp_restore(token)
        return out if type(out) is tuple else (out,)


# NOTE [Saved attributes]
# torch's nodes answer `_saved_<name>` for each tensor and attribute their formula saved. Here the
# names are descriptors on FormulaNode, installed once per name by expose_saved: the op registry
# exposes what it saves and the attributes it is called with, code that adds an attribute after
# recording exposes it next to that code. A __getattr__ would be shorter, but on the class of every
# node it stops CPython from specialising any attribute access on nodes (forward and backward).
class _SavedAttribute:
    """`node._saved_<key>`: the saved tensor (unpacked, version-checked), else the attribute, else
    None for a declared save that was not made; AttributeError for a node without either."""
    __slots__ = ("key",)

    def __init__(self, key: str) -> None:
        self.key = key

    def __get__(self, node, owner=None):
        if node is None:
            return self
        key = self.key
        saved = node._saved
        if saved and key in saved:
            s = saved[key]
            return None if s is None else s.unpack(node)
        attrs = node._attrs
        if attrs and key in attrs:
            return attrs[key]
        if key in type(node)._declared_saves:
            return None
        raise AttributeError(f"'{type(node).__name__}' object has no attribute '_saved_{key}'")


_EXPOSED: set = set()


def expose_saved(*keys: str) -> None:
    """Make `node._saved_<key>` readable on every FormulaNode (idempotent)."""
    for key in keys:
        if key not in _EXPOSED:
            _EXPOSED.add(key)
            setattr(FormulaNode, "_saved_" + key, _SavedAttribute(key))


def exposes_all(keys) -> bool:
    """Whether every key (of an attribute dict) is already exposed: one C-level check."""
    return _EXPOSED.issuperset(keys)


def _has_edges(next_functions) -> tuple:
    """needs_input_grad: which inputs have a gradient edge (FormulaNode.apply answers one and two
    inputs itself)."""
    return tuple([nxt is not None for nxt, _ in next_functions])


class _Ctx:
    """The namespace a formula reads: saved tensors, op attributes, needs_input_grad."""


_node_classes: dict = {}


_CPP_NODE_NAMES = {"CopyBackwards": "torch::autograd::CopyBackwards"}


def node_class(name: str, formula, multi_output: bool = False, saved_names: tuple = ()) -> type:
    expose_saved(*saved_names)
    ns = {"__slots__": (), "_formula": staticmethod(formula), "_multi_output": multi_output,
          "_declared_saves": saved_names}
    if name in _CPP_NODE_NAMES:  # torch's handwritten C++ nodes: name() is the qualified C++ name
        ns["name"] = lambda self, _n=_CPP_NODE_NAMES[name]: _n
    cls = type(name, (FormulaNode,), ns)
    cls.__module__ = "torch.autograd.graph"
    cls.__qualname__ = name
    return cls


class AccumulateGrad(Node):
    """A leaf's gradient sink. The leaf's hooks live on the leaf, as in torch, so the leaf never
    has to keep this node alive: the node holds the leaf, the leaf only a weak reference back."""
    __slots__ = ("variable",)

    def __init__(self, variable) -> None:
        self.variable = variable  # first: Node.__init__ goes through the hook properties below
        super().__init__()
        self._sequence_nr = float("inf")  # run as soon as ready, as torch does (UINT64_MAX)
        # torch's input metadata, fixed when the node is made: a later `.data =` keeps them for
        # the graphs already built (one of another dtype gives the leaf a new node)
        self._out_meta = ((variable._data.shape, variable._dtype),)

    @property
    def _tensor_pre_hooks(self):
        return self.variable.__dict__.get("_leaf_pre_hooks")

    @_tensor_pre_hooks.setter
    def _tensor_pre_hooks(self, hooks) -> None:
        if hooks is not None:  # a new node for the same leaf must not drop its hooks
            self.variable.__dict__["_leaf_pre_hooks"] = hooks

    def name(self) -> str:
        return "torch::autograd::AccumulateGrad"

    def apply(self, grads):
        v = self.variable
        # checked first, as torch's AccumulateGrad::apply (grad_fn's property only for a view)
        if (v._grad_fn if v._view is None else v.grad_fn) is not None:
            raise RuntimeError(messages.LEAF_MOVED_INTO_GRAPH)
        if not self.variable._requires_grad:  # requires_grad_(False) after the graph was built:
            run_post_accumulate_hooks(self.variable)  # nothing accumulates, the hooks still run
            return ()
        accumulate_grad(self.variable, grads[0])
        return ()


def grad_accumulator(tensor) -> AccumulateGrad:
    """The leaf's AccumulateGrad, the same object while it is alive."""
    ref = tensor._accumulator
    acc = ref() if ref is not None else None
    if acc is None:
        acc = AccumulateGrad(tensor)
        tensor._accumulator = weakref.ref(acc)
    return acc

