# Stage 7 (Convolutional networks): generated from the course's reference solutions.
# Your work goes in the function bodies that raise NotImplementedError; keep the names and
# signatures, the grader calls them.
"""Stage 7: convolution and max-pooling layers through im2col (Deep Learning from Scratch, ch. 7).

A convolution layer is an Affine layer applied to every patch: im2col makes the patches rows, one matrix
product with the filters as columns does the rest. Like every framework (and the book), "convolution" here is
cross-correlation: the filter is not flipped. The backward passes mirror the forward: a matrix product back to
the patch rows, then col2im puts every patch's gradient back where the patch came from.
"""
import numpy as np

from .conv_util import conv_output_size, im2col


def col2im(col, input_shape, filter_h, filter_w, stride=1, pad=0):
    """The backward of im2col: each row of `col` is the gradient of one patch; every entry goes back to the
    input position it was copied from, and where patches overlap the entries add up (one position feeds
    several patches, as a copy gate feeds several branches).

    col: (N * out_h * out_w, C * filter_h * filter_w), input_shape: (N, C, H, W) -> (N, C, H, W) float64,
    the padding cut off again.
    """
    raise NotImplementedError("Stage 7: implement col2im")


class Convolution:
    """out[n, f] = sum over c, i, j of x_padded[n, c, stride*r + i, stride*s + j] * W[f, c, i, j] + b[f].

    W: (FN, C, FH, FW) filters, b: (FN,), held by reference. After backward, dW (FN, C, FH, FW) and db (FN,).
    """

    def __init__(self, W, b, stride=1, pad=0):
        self.W = W
        self.b = b
        self.stride = stride
        self.pad = pad
        self.x = None
        self.col = None
        self.col_W = None
        self.dW = None
        self.db = None

    def forward(self, x):
        """x: (N, C, H, W) -> (N, FN, out_h, out_w) float64, out_h = (H + 2 * pad - FH) // stride + 1."""
        raise NotImplementedError("Stage 7: implement Convolution.forward")

    def backward(self, dout):
        """dout: (N, FN, out_h, out_w) -> dx (N, C, H, W); sets dW and db."""
        raise NotImplementedError("Stage 7: implement Convolution.backward")


class Pooling:
    """Max pooling: out[n, c, r, s] = the maximum of x over the pool_h x pool_w window at (stride*r, stride*s),
    each channel on its own; padding is zeros, as the book's."""

    def __init__(self, pool_h, pool_w, stride=1, pad=0):
        self.pool_h = pool_h
        self.pool_w = pool_w
        self.stride = stride
        self.pad = pad
        self.x = None
        self.arg_max = None

    def forward(self, x):
        """x: (N, C, H, W) -> (N, C, out_h, out_w) float64."""
        raise NotImplementedError("Stage 7: implement Pooling.forward")

    def backward(self, dout):
        """dout: (N, C, out_h, out_w) -> dx (N, C, H, W): each window's gradient goes to its maximum only (the
        first one where several tie, as np.argmax picks), as a max gate routes it."""
        raise NotImplementedError("Stage 7: implement Pooling.backward")
