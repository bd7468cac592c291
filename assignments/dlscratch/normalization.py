# Stage 6 (Training deep networks): generated from the course's reference solutions.
# Your work goes in the function bodies that raise NotImplementedError; keep the names and
# signatures, the grader calls them.
"""Stage 6: Batch Normalization (Deep Learning from Scratch, ch. 6.3; Ioffe and Szegedy, 2015).

Each feature is normalised over the batch in training, and by running averages of the batch statistics at
test time; gamma and beta then scale and shift it. A 4-D input (N, C, H, W) is flattened to (N, C*H*W), as
the book does, so gamma and beta have one entry per value of a sample.
"""
import numpy as np

# Added to the variance before its square root: the book's value.
EPSILON = 10e-7


class BatchNormalization:
    """out = gamma * (x - mean) / sqrt(var + EPSILON) + beta, per feature.

    gamma, beta: (D,) float64, held by reference (an optimizer updating them in place trains the layer).
    running_mean, running_var: (D,) float64, None until the first training batch sets them to zeros first;
    each training forward moves them to momentum * old + (1 - momentum) * the batch's; test mode only reads
    them. After backward, dgamma and dbeta (D,) hold the parameter gradients.
    """

    def __init__(self, gamma, beta, momentum=0.9, running_mean=None, running_var=None):
        self.gamma = gamma
        self.beta = beta
        self.momentum = momentum
        self.running_mean = running_mean
        self.running_var = running_var
        self.input_shape = None
        self.batch_size = None
        self.xc = None
        self.std = None
        self.xn = None
        self.dgamma = None
        self.dbeta = None

    def forward(self, x, train_flg=True):
        """x: (N, D) or (N, C, H, W) with C*H*W = D -> float64 of x's shape. Training normalises with the
        batch's mean and (biased) variance and updates the running statistics; test mode uses those."""
        raise NotImplementedError("Stage 6: implement BatchNormalization.forward")

    def backward(self, dout):
        """dout: x's shape -> dx of x's shape, through the batch's mean and variance; sets dgamma, dbeta (D,)."""
        raise NotImplementedError("Stage 6: implement BatchNormalization.backward")
