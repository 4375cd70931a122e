"""Layer 2, the counterpart of ATen + derivatives.yaml: one declaration per op (kernel and
derivative formulas side by side), grouped by family. dispatch.py is the only module that knows
both kernels and the graph; methods.py binds ops onto Tensor."""
