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
from .adadelta import Adadelta  # noqa: E402
from .adamax import Adamax  # noqa: E402
from .asgd import ASGD  # noqa: E402
from .lbfgs import LBFGS  # noqa: E402
from .nadam import NAdam  # noqa: E402
from .radam import RAdam  # noqa: E402
from .rprop import Rprop  # noqa: E402
from .sparse_adam import SparseAdam  # noqa: E402

__all__ += ["Adadelta", "Adamax", "ASGD", "LBFGS", "NAdam", "RAdam", "Rprop", "SparseAdam"]
