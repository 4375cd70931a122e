"""Layer 0: dtypes and promotion, grad-mode flags, version counters and every user-visible message.

Nothing here knows about Tensor or the autograd graph."""
