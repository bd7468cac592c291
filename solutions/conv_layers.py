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
    ### BEGIN SOLUTION
    N, C, H, W = input_shape
    out_h, out_w = conv_output_size(H, filter_h, stride, pad), conv_output_size(W, filter_w, stride, pad)
    col = np.asarray(col, dtype=np.float64).reshape(N, out_h, out_w, C, filter_h, filter_w).transpose(0, 3, 4, 5, 1, 2)
    img = np.zeros((N, C, H + 2 * pad + stride - 1, W + 2 * pad + stride - 1))
    for y in range(filter_h):
        y_max = y + stride * out_h
        for x in range(filter_w):
            x_max = x + stride * out_w
            img[:, :, y:y_max:stride, x:x_max:stride] += col[:, :, y, x, :, :]
    return img[:, :, pad:H + pad, pad:W + pad]
    ### END SOLUTION


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
        ### BEGIN SOLUTION
        FN, C, FH, FW = self.W.shape
        N, _, H, W = x.shape
        out_h, out_w = conv_output_size(H, FH, self.stride, self.pad), conv_output_size(W, FW, self.stride, self.pad)
        col = im2col(x, FH, FW, self.stride, self.pad)
        col_W = self.W.reshape(FN, -1).T
        out = col @ col_W + self.b
        self.x, self.col, self.col_W = x, col, col_W
        return out.reshape(N, out_h, out_w, FN).transpose(0, 3, 1, 2)
        ### END SOLUTION

    def backward(self, dout):
        """dout: (N, FN, out_h, out_w) -> dx (N, C, H, W); sets dW and db."""
        ### BEGIN SOLUTION
        FN, C, FH, FW = self.W.shape
        dout = dout.transpose(0, 2, 3, 1).reshape(-1, FN)
        self.db = np.sum(dout, axis=0)
        self.dW = (self.col.T @ dout).T.reshape(FN, C, FH, FW)
        return col2im(dout @ self.col_W.T, self.x.shape, FH, FW, self.stride, self.pad)
        ### END SOLUTION


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
        ### BEGIN SOLUTION
        N, C, H, W = x.shape
        out_h = conv_output_size(H, self.pool_h, self.stride, self.pad)
        out_w = conv_output_size(W, self.pool_w, self.stride, self.pad)
        col = im2col(x, self.pool_h, self.pool_w, self.stride, self.pad).reshape(-1, self.pool_h * self.pool_w)
        self.x, self.arg_max = x, np.argmax(col, axis=1)
        return np.max(col, axis=1).reshape(N, out_h, out_w, C).transpose(0, 3, 1, 2)
        ### END SOLUTION

    def backward(self, dout):
        """dout: (N, C, out_h, out_w) -> dx (N, C, H, W): each window's gradient goes to its maximum only (the
        first one where several tie, as np.argmax picks), as a max gate routes it."""
        ### BEGIN SOLUTION
        dout = dout.transpose(0, 2, 3, 1)
        pool_size = self.pool_h * self.pool_w
        dmax = np.zeros((dout.size, pool_size))
        dmax[np.arange(self.arg_max.size), self.arg_max] = dout.reshape(-1)
        dcol = dmax.reshape(-1, dout.shape[3] * pool_size)
        return col2im(dcol, self.x.shape, self.pool_h, self.pool_w, self.stride, self.pad)
        ### END SOLUTION
