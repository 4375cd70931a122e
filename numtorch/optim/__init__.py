"""numtorch.optim: torch.optim's optimizers (single-tensor update rules) and LR schedulers."""
from . import lr_scheduler
from .adam import Adam
from .adamw import AdamW
from .optimizer import Optimizer
from .sgd import SGD

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "lr_scheduler"]
from .adagrad import Adagrad  # noqa: E402  (issue 4)
from .rmsprop import RMSprop  # noqa: E402  (issue 4)

__all__ += ["Adagrad", "RMSprop"]
