"""Helpers of torch.utils.data's DataLoader: collation, fetchers, (in-process) workers."""
from . import collate, fetch, worker

__all__ = ["collate", "fetch", "worker"]
