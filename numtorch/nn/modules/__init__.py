"""numtorch.nn.modules: the module classes, one file per family as in torch.nn.modules."""
from .activation import (ELU, GELU, Hardtanh, LeakyReLU, LogSoftmax, ReLU, ReLU6, Sigmoid, SiLU,
                         Softmax, Softplus, Tanh)
from .container import ModuleDict, ModuleList, ParameterDict, ParameterList, Sequential
from .dropout import Dropout
from .flatten import Flatten, Unflatten
from .linear import Identity, Linear
from .loss import (BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, HuberLoss, L1Loss, MSELoss, NLLLoss,
                   SmoothL1Loss)
from .module import Module
from .normalization import LayerNorm
from .sparse import Embedding

__all__ = ["Module", "Identity", "Linear", "ReLU", "ReLU6", "Hardtanh", "Sigmoid", "Tanh", "GELU",
           "SiLU", "LeakyReLU", "ELU", "Softplus", "Softmax", "LogSoftmax", "Dropout", "Flatten",
           "Unflatten", "Embedding", "LayerNorm", "Sequential", "ModuleList", "ModuleDict",
           "ParameterList", "ParameterDict", "L1Loss", "MSELoss", "NLLLoss", "CrossEntropyLoss",
           "BCELoss", "BCEWithLogitsLoss", "SmoothL1Loss", "HuberLoss"]
from .activation_attention import MultiheadAttention  # noqa: E402
from .rnn import GRU, LSTM, RNN, GRUCell, LSTMCell, RNNBase, RNNCell, RNNCellBase  # noqa: E402
from .transformer import (Transformer, TransformerDecoder, TransformerDecoderLayer,  # noqa: E402
                          TransformerEncoder, TransformerEncoderLayer)

__all__ += ["MultiheadAttention", "RNNBase", "RNN", "LSTM", "GRU", "RNNCellBase", "RNNCell", "LSTMCell",
            "GRUCell", "Transformer", "TransformerEncoder", "TransformerDecoder", "TransformerEncoderLayer",
            "TransformerDecoderLayer"]
from .dropout import AlphaDropout, Dropout1d, Dropout2d, Dropout3d, FeatureAlphaDropout  # noqa: E402

__all__ += ["Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout"]
# convolution, pooling, normalisation, upsampling and padding layers (issue 4)
from .conv import (Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d,  # noqa: E402
                   ConvTranspose3d)
from .pooling import (AdaptiveAvgPool1d, AdaptiveAvgPool2d, AvgPool1d, AvgPool2d,  # noqa: E402
                      MaxPool1d, MaxPool2d)
from .batchnorm import BatchNorm1d, BatchNorm2d, BatchNorm3d  # noqa: E402
from .groupnorm import GroupNorm, InstanceNorm1d, InstanceNorm2d, InstanceNorm3d  # noqa: E402
from .upsampling import Upsample, UpsamplingBilinear2d, UpsamplingNearest2d  # noqa: E402
from .padding import (CircularPad1d, CircularPad2d, CircularPad3d, ConstantPad1d,  # noqa: E402
                      ConstantPad2d, ConstantPad3d, ReflectionPad1d, ReflectionPad2d, ReflectionPad3d,
                      ReplicationPad1d, ReplicationPad2d, ReplicationPad3d, ZeroPad1d, ZeroPad2d,
                      ZeroPad3d)

__all__ += ["Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d",
            "MaxPool1d", "MaxPool2d", "AvgPool1d", "AvgPool2d", "AdaptiveAvgPool1d", "AdaptiveAvgPool2d",
            "BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "GroupNorm", "InstanceNorm1d", "InstanceNorm2d",
            "InstanceNorm3d", "Upsample", "UpsamplingNearest2d", "UpsamplingBilinear2d", "CircularPad1d",
            "CircularPad2d", "CircularPad3d", "ConstantPad1d", "ConstantPad2d", "ConstantPad3d",
            "ReflectionPad1d", "ReflectionPad2d", "ReflectionPad3d", "ReplicationPad1d",
            "ReplicationPad2d", "ReplicationPad3d", "ZeroPad1d", "ZeroPad2d", "ZeroPad3d"]
from .activation import (Hardsigmoid, Hardswish, LogSigmoid, Mish, SELU, Softmin, Softsign,  # noqa: E402
                         Tanhshrink)

__all__ += ["Hardsigmoid", "Hardswish", "LogSigmoid", "Mish", "SELU", "Softmin", "Softsign", "Tanhshrink"]
# PReLU, CELU, shrinks, Threshold, GLU, RReLU, Bilinear, distances, KLDivLoss (issue 4)
from .activation import CELU, GLU, Hardshrink, PReLU, RReLU, Softshrink, Threshold  # noqa: E402
from .distance import CosineSimilarity, PairwiseDistance  # noqa: E402
from .linear import Bilinear  # noqa: E402
from .loss import KLDivLoss  # noqa: E402

__all__ += ["CELU", "GLU", "Hardshrink", "PReLU", "RReLU", "Softshrink", "Threshold", "Bilinear",
            "CosineSimilarity", "PairwiseDistance", "KLDivLoss"]
from .loss import (CosineEmbeddingLoss, GaussianNLLLoss, HingeEmbeddingLoss,  # noqa: E402
                   MarginRankingLoss, MultiLabelSoftMarginLoss, PoissonNLLLoss, SoftMarginLoss,
                   TripletMarginLoss)

__all__ += ["CosineEmbeddingLoss", "MarginRankingLoss", "HingeEmbeddingLoss", "SoftMarginLoss",
            "MultiLabelSoftMarginLoss", "PoissonNLLLoss", "GaussianNLLLoss", "TripletMarginLoss"]
# more of torch.nn: RMSNorm, LocalResponseNorm, Softmax2d, pixel/channel shuffle, Fold/Unfold, 3-d,
# adaptive max and power-average pooling
from .activation import Softmax2d  # noqa: E402
from .channelshuffle import ChannelShuffle  # noqa: E402
from .fold import Fold, Unfold  # noqa: E402
from .normalization import LocalResponseNorm, RMSNorm  # noqa: E402
from .pixelshuffle import PixelShuffle, PixelUnshuffle  # noqa: E402
from .pooling import (AdaptiveAvgPool3d, AdaptiveMaxPool1d, AdaptiveMaxPool2d, AvgPool3d,  # noqa: E402
                      LPPool1d, LPPool2d, LPPool3d, MaxPool3d)

__all__ += ["Softmax2d", "ChannelShuffle", "Fold", "Unfold", "LocalResponseNorm", "RMSNorm", "PixelShuffle",
            "PixelUnshuffle", "AdaptiveAvgPool3d", "AdaptiveMaxPool1d", "AdaptiveMaxPool2d", "AvgPool3d",
            "LPPool1d", "LPPool2d", "LPPool3d", "MaxPool3d"]
from .lazy import LazyConv1d, LazyConv2d, LazyConv3d, LazyLinear  # noqa: E402

__all__ += ["LazyLinear", "LazyConv1d", "LazyConv2d", "LazyConv3d"]
from .sparse import EmbeddingBag  # noqa: E402

__all__ += ["EmbeddingBag"]
from .loss import MultiLabelMarginLoss, MultiMarginLoss, TripletMarginWithDistanceLoss  # noqa: E402

__all__ += ["MultiMarginLoss", "MultiLabelMarginLoss", "TripletMarginWithDistanceLoss"]
