"""Layer 1, the counterpart of torch/csrc/autograd: graph nodes, saved tensors, the engine, views
and custom Functions. Knows Tensor only through its attributes; creates tensors via _tensor."""
