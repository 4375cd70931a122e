"""Generate numtorch/_core/signatures.py from an installed torch's type stubs (dev-time only).

PyTorch's C++ bindings check argument types with a generated parser before an op runs (TypeError:
"add(): argument 'other' (position 1) must be Tensor, not str"). Its signatures are in the stubs
torch/_C/_VariableFunctions.pyi (torch.<f>) and torch/_C/__init__.pyi (class TensorBase:
Tensor.<method>). This script reduces each overload to (name, type codes, required, kind) for the
bindings numtorch has, so numtorch._ops.arg_parser can check arguments the same way without torch.

    .venv/bin/python tools/gen_signatures.py   # rewrites numtorch/_core/signatures.py
"""
from __future__ import annotations

import ast
import os
import pprint

import torch

import numtorch

ATOMS = {"Tensor": "T", "Number": "N", "_complex": "N", "_int": "I", "SymInt": "I", "_float": "F",
         "_bool": "B", "_size": "S", "_dtype": "D", "None": "Z", "str": "STR",
         "float": "N", "int": "I", "bool": "B"}  # (_nn.pyi spells Scalars as float)


def _codes(node) -> set:
    if node is None:
        return {"ANY"}
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _codes(node.left) | _codes(node.right)
    if isinstance(node, ast.Constant) and node.value is None:
        return {"Z"}
    if isinstance(node, ast.Name):
        return {ATOMS.get(node.id, "ANY")}
    if isinstance(node, ast.Subscript):
        outer = ast.unparse(node.value)
        inner = node.slice
        if outer == "Optional":
            return _codes(inner) | {"Z"}
        if outer in ("Sequence", "tuple", "list"):
            el = inner.elts[0] if isinstance(inner, ast.Tuple) else inner
            codes = _codes(el)
            if codes <= {"I"}:
                return {"S"}
            if codes <= {"T"}:
                return {"TL"}
            if codes <= {"F", "I"}:
                return {"FL"}
        return {"ANY"}
    return {"ANY"}


def _overload(fn: ast.FunctionDef, method: bool):
    a = fn.args
    params = []
    pos = a.posonlyargs + a.args
    if method:
        pos = pos[1:]  # self
    defaults = [None] * (len(pos) - len(a.defaults)) + list(a.defaults)
    for p, d in zip(pos, defaults):
        params.append((p.arg, _codes(p.annotation), d is None, "p"))
    if a.vararg is not None:
        params.append((a.vararg.arg, _codes(a.vararg.annotation), False, "v"))
    for p, d in zip(a.kwonlyargs, a.kw_defaults):
        params.append((p.arg, _codes(p.annotation), d is None, "k"))
    if a.kwarg is not None:
        return None
    out = []
    for name, codes, req, kind in params:
        if name in KWONLY.get(fn.name, ()):
            kind = "k"
        code = "ANY" if "ANY" in codes else "|".join(sorted(codes))
        out.append((name, code, req, kind))
    return tuple(out)


# bindings with hand-written parsing or deprecated overloads the stubs do not list
SKIP = {"copy_", "add", "add_", "sub", "sub_", "item", "tolist", "numpy", "size", "stride",
        "backward", "requires_grad_", "set_"}


# parameters the stubs list as positional that torch's parser takes by keyword only
KWONLY = {"contiguous": ("memory_format",), "gelu": ("approximate",)}


def _collect(tree_body, method: bool) -> dict:
    table: dict = {}
    for node in tree_body:
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            ov = _overload(node, method)
            if ov is None:
                table[node.name] = None
            elif table.get(node.name, []) is not None:
                table.setdefault(node.name, []).append(ov)
    return {k: v for k, v in table.items() if v}


def _python_level(nn: dict, allfuncs: dict) -> dict:
    """nn.functional functions torch implements in Python that pass (some of) their arguments
    unchanged to a C++ binding named like them: which parameters the binding's parser checks."""
    import inspect
    import re
    out = {}
    for name in sorted(dir(numtorch.nn.functional)):
        tf = getattr(torch.nn.functional, name, None)
        if name.startswith("_") or name in SKIP_PYTHON_LEVEL or type(tf).__name__ != "function":
            continue
        try:
            src = inspect.getsource(tf)
            params = inspect.signature(tf).parameters
        except (OSError, TypeError, ValueError):
            continue
        calls = re.findall(r"(?:torch\._C\._nn|torch|_VF|torch\._C\._VariableFunctions)\.(\w+)\(", src)
        related = [c for c in calls if c == name] + [
            c for c in calls if c != name and (c.rstrip("_").startswith(name) or name.startswith(c.rstrip("_")))]
        related.sort(key=lambda c: (c != name, c.endswith("_")))
        for binding in related:
            overloads = nn.get(binding) or allfuncs.get(binding)
            if not overloads or len(overloads) != 1:
                continue
            checked = []
            for pos, (pname, code, required, kind) in enumerate(overloads[0], 1):
                p = params.get(pname)
                if p is None or code == "ANY" or kind == "v" or pname in CONVERTED:
                    continue
                default = p.default
                if default is not inspect.Parameter.empty and default is not None and \
                        not _default_fits(code, default):
                    continue  # torch's Python code converts this one (reduction="mean" -> enum)
                checked.append((pname, code, pos if kind == "p" else None))
            if checked:
                out[name] = (binding, tuple(checked))
            break
    return out


def _default_fits(code: str, value) -> bool:
    kinds = {"T": (), "N": (int, float, bool), "F": (int, float), "I": (int,), "B": (bool,),
             "STR": (str,), "Z": ()}
    return any(isinstance(value, kinds.get(c, ())) for c in code.split("|"))


# Python-level functions whose torch code reads the arguments before the binding does
SKIP_PYTHON_LEVEL = {  # (their torch code reads input/target first: input.dim(), target.size())
    "adaptive_avg_pool2d", "adaptive_avg_pool3d", "adaptive_max_pool2d_with_indices",
    "binary_cross_entropy", "binary_cross_entropy_with_logits", "glu", "group_norm", "huber_loss",
    "instance_norm", "l1_loss", "margin_ranking_loss", "mse_loss", "smooth_l1_loss"}
# parameters torch's Python code converts before the binding sees them
CONVERTED = {"reduction", "size_average", "reduce"}


def main() -> None:
    root = os.path.join(os.path.dirname(torch.__file__), "_C")
    with open(os.path.join(root, "_VariableFunctions.pyi")) as f:
        funcs = _collect(ast.parse(f.read()).body, method=False)
    with open(os.path.join(root, "__init__.pyi")) as f:
        tree = ast.parse(f.read())
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "TensorBase")
    methods = _collect(cls.body, method=True)
    # only C++ bindings (functions torch defines in Python parse their own arguments) that
    # numtorch also has
    funcs = {k: v for k, v in sorted(funcs.items())
             if type(getattr(torch, k, None)).__name__ == "builtin_function_or_method"
             and callable(getattr(numtorch, k, None)) and not isinstance(getattr(numtorch, k), type)}
    methods = {k: v for k, v in sorted(methods.items())
               if k not in vars(torch.Tensor) and hasattr(numtorch.Tensor, k)
               and not isinstance(getattr(numtorch.Tensor, k), property)}
    for name in SKIP:
        funcs.pop(name, None)
        methods.pop(name, None)
    # torch.nn.functional's C++ bindings (torch._C._nn.* and torch.* ops re-exported there)
    with open(os.path.join(root, "_nn.pyi")) as f:
        nn = _collect(ast.parse(f.read()).body, method=False)
    allfuncs = _collect(ast.parse(open(os.path.join(root, "_VariableFunctions.pyi")).read()).body, False)
    functional = {}
    for name in sorted(dir(numtorch.nn.functional)):
        tf = getattr(torch.nn.functional, name, None)
        if name.startswith("_") or name in SKIP or type(tf).__name__ != "builtin_function_or_method":
            continue
        if not callable(getattr(numtorch.nn.functional, name)):
            continue
        sig = nn.get(tf.__name__) or allfuncs.get(tf.__name__)
        if sig:
            if tf.__name__ in nn:  # _nn.pyi leaves out trailing parameters (elu_'s scale, ...)
                sig = [ov + (("*rest", "ANY", False, "v"),) for ov in sig]
            functional[name] = sig
    partial = _python_level(nn, allfuncs)
    path = os.path.join(os.path.dirname(numtorch.__file__), "_core", "signatures.py")
    with open(path, "w") as f:
        f.write('"""PyTorch 2.13\'s argument signatures of the C++ bindings numtorch has, generated by\n'
                'tools/gen_signatures.py from torch\'s type stubs: name -> overloads, each a tuple of\n'
                '(parameter, type codes, required, kind) with kind p(ositional), v(ararg), k(eyword-only).\n'
                'Type codes: T Tensor, N Number, I int, F float, B bool, S int or ints, D dtype, Z None,\n'
                'STR str, TL Tensors, FL floats, ANY unchecked. Do not edit by hand."""\n'
                '# flake8: noqa\n\n')
        f.write("FUNCTIONS = " + pprint.pformat(funcs, width=100, compact=True) + "\n\n")
        f.write("METHODS = " + pprint.pformat(methods, width=100, compact=True) + "\n\n")
        f.write("FUNCTIONAL = " + pprint.pformat(functional, width=100, compact=True) + "\n\n")
        f.write("# nn.functional functions torch writes in Python: the binding they hand their arguments\n"
                "# to, and the parameters passed through unchanged (name, type codes, position or None\n"
                "# for keyword-only)\n")
        f.write("PYTHON_LEVEL = " + pprint.pformat(partial, width=100, compact=True) + "\n")
    print(f"{len(funcs)} functions, {len(methods)} methods, {len(functional)} nn.functional -> {path}")


if __name__ == "__main__":
    main()
