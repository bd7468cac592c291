"""Stage 7 support: im2col (Deep Learning from Scratch, ch. 7.4.3), given course code.

A convolution slides a filter over an image; im2col lays every patch the filter meets out as one row, so
that the whole convolution becomes one matrix product (a BLAS call) instead of a loop over positions. It is
given: gathering the patches is index bookkeeping. Its backward, col2im, is an exercise of conv_layers.py.
"""
import numpy as np


def conv_output_size(size, filter_size, stride=1, pad=0):
    """The number of positions a filter of `filter_size` takes along an input of `size` -> int."""
    return (size + 2 * pad - filter_size) // stride + 1


def im2col(input_data, filter_h, filter_w, stride=1, pad=0):
    """Every (C, filter_h, filter_w) patch of the zero-padded input as a row.

    input_data: (N, C, H, W) -> (N * out_h * out_w, C * filter_h * filter_w) float64, rows ordered by sample,
    then output row, then output column; each row's entries by channel, then filter row, then filter column.
    """
    N, C, H, W = input_data.shape
    out_h, out_w = conv_output_size(H, filter_h, stride, pad), conv_output_size(W, filter_w, stride, pad)
    # Zeros and one assignment: np.pad's generic path costs more than the whole gather on small batches.
    img = np.zeros((N, C, H + 2 * pad, W + 2 * pad))
    img[:, :, pad:pad + H, pad:pad + W] = input_data
    col = np.zeros((N, C, filter_h, filter_w, out_h, out_w))
    for y in range(filter_h):
        y_max = y + stride * out_h
        for x in range(filter_w):
            x_max = x + stride * out_w
            col[:, :, y, x, :, :] = img[:, :, y:y_max:stride, x:x_max:stride]
    return col.transpose(0, 4, 5, 1, 2, 3).reshape(N * out_h * out_w, -1)
