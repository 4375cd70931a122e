"""numtorch.optim.lr_scheduler (placeholder, filled below)."""
