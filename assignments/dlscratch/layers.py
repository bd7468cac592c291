# Stage 4 (Backpropagation): generated from the course's reference solutions.
# Your work goes in the function bodies that raise NotImplementedError; keep the names and
# signatures, the grader calls them.
"""Stage 4: layers with forward and backward passes (Deep Learning from Scratch, ch. 5).

Each layer's forward caches what its backward needs; backward takes dL/dout and returns dL/dx.
"""
import numpy as np

from .activations import sigmoid, softmax
from .losses import cross_entropy_error


class Relu:
    """y = max(0, x) element-wise; the gradient flows only where x > 0."""

    def __init__(self):
        self.mask = None

    def forward(self, x):
        """x: any shape -> float64 array of the same shape (x itself is not modified)."""
        raise NotImplementedError("Stage 4: implement Relu.forward")

    def backward(self, dout):
        """dout: shape of x -> dx of the same shape (dout itself is not modified)."""
        raise NotImplementedError("Stage 4: implement Relu.backward")


class Sigmoid:
    """y = 1 / (1 + exp(-x)); dy/dx = y (1 - y)."""

    def __init__(self):
        self.out = None

    def forward(self, x):
        """x: any shape -> float64 array of the same shape in [0, 1]."""
        raise NotImplementedError("Stage 4: implement Sigmoid.forward")

    def backward(self, dout):
        """dout: shape of x -> dx = dout * y * (1 - y)."""
        raise NotImplementedError("Stage 4: implement Sigmoid.backward")


class Affine:
    """out = x W + b for a batch; an input of shape (N, d_1, ..., d_k) is flattened to (N, D).

    W: (D, M), b: (M,). After backward, dW (D, M) and db (M,) hold the parameter gradients.
    A network sets needs_input_grad = False on its first layer: nothing uses that dx, and its
    product costs as much as dW.
    """

    def __init__(self, W, b):
        self.W = W
        self.b = b
        self.x = None
        self.original_x_shape = None
        self.dW = None
        self.db = None
        self.needs_input_grad = True

    def forward(self, x):
        """x: (N, d_1, ..., d_k) with d_1 * ... * d_k = D -> (N, M) float64."""
        raise NotImplementedError("Stage 4: implement Affine.forward")

    def backward(self, dout):
        """dout: (N, M) -> dx of x's original shape (None if not needs_input_grad);
        sets dW = x^T dout and db = sum of dout over N."""
        raise NotImplementedError("Stage 4: implement Affine.backward")


class SoftmaxWithLoss:
    """Softmax followed by cross-entropy; backward gives (y - t) / N, the simple gradient of the pair."""

    def __init__(self):
        self.loss = None
        self.y = None
        self.t = None

    def forward(self, x, t):
        """x: (N, C) scores (or (C,) for one sample); t: one-hot of x's shape or int labels -> loss float."""
        raise NotImplementedError("Stage 4: implement SoftmaxWithLoss.forward")

    def backward(self, dout=1):
        """dout: dL/dloss (a scalar) -> dx of x's shape, dout * (softmax(x) - t) / N."""
        raise NotImplementedError("Stage 4: implement SoftmaxWithLoss.backward")
