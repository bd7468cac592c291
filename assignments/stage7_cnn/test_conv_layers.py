"""Public tests, stage 7: col2im, Convolution and Pooling against direct loops and numerical gradients."""
import numpy as np
import pytest

from course.language import _
from course_feedback.checks import expect_array, expect_gradient, expect_scalar
from dlscratch.conv_layers import Convolution, Pooling, col2im
from dlscratch.conv_util import im2col
from dlscratch.gradients import numerical_gradient

rng = np.random.default_rng(7)


def direct_convolution(x, W, b, stride, pad):
    """The definition, one output value at a time."""
    FH, FW = W.shape[2:]
    padded = np.pad(x, [(0, 0), (0, 0), (pad, pad), (pad, pad)])
    out = np.zeros((x.shape[0], W.shape[0], (x.shape[2] + 2 * pad - FH) // stride + 1,
                    (x.shape[3] + 2 * pad - FW) // stride + 1))
    for n, f, r, s in np.ndindex(out.shape):
        out[n, f, r, s] = np.sum(padded[n, :, r * stride:r * stride + FH, s * stride:s * stride + FW] * W[f]) + b[f]
    return out


@pytest.mark.points(1)
def test_col2im_adds_overlapping_patches():
    # Every patch of a 1x1x3x3 image under a 2x2 filter, stride 1: the centre is in all four patches.
    col = np.ones((4, 4))
    expect_array(col2im(col, (1, 1, 3, 3), 2, 2), [[[[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]]]],
                 _("col2im of all-ones patches"), rtol=0, atol=0,
                 hint=_("where patches overlap their gradients add up: img[...] += col[...], not ="))
    x = rng.standard_normal((2, 3, 5, 4))
    patches = rng.standard_normal(im2col(x, 3, 2, 2, 1).shape)
    # col2im is im2col's transpose: <im2col(x), patches> = <x, col2im(patches)>
    back, forth = x * col2im(patches, x.shape, 3, 2, 2, 1), im2col(x, 3, 2, 2, 1) * patches
    expect_scalar(float(np.sum(back)), float(np.sum(forth)), _("<x, col2im(patches)> with stride 2 and pad 1"), rtol=1e-10,
                  hint=_("cut the padding off at the end: img[:, :, pad:H + pad, pad:W + pad]"))


@pytest.mark.points(2)
@pytest.mark.parametrize("stride, pad", [(1, 0), (2, 1)], ids=["plain", "strided-padded"])
def test_convolution_forward_and_backward(stride, pad):
    x, W, b = rng.standard_normal((2, 3, 6, 5)), rng.standard_normal((4, 3, 3, 2)), rng.standard_normal(4)
    layer = Convolution(W, b, stride, pad)
    out = layer.forward(x)
    what = _("Convolution (stride {stride}, pad {pad})").format(stride=stride, pad=pad)
    expect_array(out, direct_convolution(x, W, b, stride, pad), f"{what}.forward", rtol=1e-10,
                 hint=_("the filter is not flipped: sum(x_patch * W[f]) + b[f]; out_h = (H + 2 * pad - FH) // stride + 1"))
    dout = rng.standard_normal(out.shape)
    dx = layer.backward(dout)
    loss = lambda _: float(np.sum(Convolution(W, b, stride, pad).forward(x) * dout))
    expect_gradient(dx, numerical_gradient(loss, x), f"{what}.backward: dx",
                    hint=_("dx = col2im(dout @ col_W.T, x.shape, FH, FW, stride, pad)"))
    expect_gradient(layer.dW, numerical_gradient(loss, W), f"{what}.backward: dW",
                    hint=_("dW = col.T @ dout, transposed and reshaped to W's shape"))
    expect_gradient(layer.db, numerical_gradient(loss, b), f"{what}.backward: db", hint=_("db sums dout per filter"))


@pytest.mark.points(1)
def test_max_pooling_forward_and_backward_routes_a_tie_to_one_element():
    x = np.array([[[[1.0, 3.0, 0.0, 0.0], [2.0, 3.0, 0.0, 0.0], [5.0, 1.0, 2.0, 7.0], [0.0, 4.0, 6.0, 1.0]]]])
    layer = Pooling(2, 2, stride=2)
    expect_array(layer.forward(x), [[[[3.0, 0.0], [5.0, 7.0]]]], "Pooling(2, 2, stride=2).forward", rtol=0, atol=0)
    expect_array(layer.backward(np.array([[[[1.0, 2.0], [3.0, 4.0]]]])),
                 [[[[0.0, 1.0, 2.0, 0.0], [0.0, 0.0, 0.0, 0.0], [3.0, 0.0, 0.0, 4.0], [0.0, 0.0, 0.0, 0.0]]]],
                 "Pooling.backward", rtol=0, atol=0,
                 hint=_("each window's gradient goes to its maximum only, the first one where several tie (np.argmax)"))
