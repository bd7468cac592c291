"""Hidden suite, stage 7: col2im, Convolution and max Pooling, SimpleConvNet.

Every shape, stride and padding is drawn from the test's seeded generator within its case: overlapping
patches (stride below the filter size), padding, strides that leave a remainder, non-square inputs and
filters, several channels. Forward passes are compared with the reference and with the grader's own direct
loop over output positions (the definition); backward passes with the reference and with central
differences of the reference forward (which the forward tests hold to the loop). Pooling inputs hold ties
(ReLU outputs are often 0 in a whole window): the gradient goes to one maximum, the first, as np.argmax
picks it. Networks get every parameter from the test. Only test_convolution_is_vectorised measures time.
"""
import numpy as np
import pytest

from autograder.grading.checks import (LOSS_RTOL, as_array, compute_time, expect_array, expect_fast, expect_gradient,
                                       expect_scalar, numerically, param_arrays, part_of, reference_gradient)
from course.language import _
from solutions import conv_layers, simple_conv_net
from solutions.conv_util import conv_output_size, im2col

# Worded when the suite is imported: every grade imports it afresh, in its own language (grading/grade.py).
OUTPUT_SIZE_HINT = _("out_h = (H + 2 * pad - FH) // stride + 1, and the same for the width with FW")
CROSS_CORRELATION_HINT = _("do not flip the filter: like the book and every framework, a convolution layer computes "
                           "sum(x_patch * W[f]) (cross-correlation); im2col(x, FH, FW, stride, pad) @ W.reshape(FN, "
                           "-1).T + b, reshaped to (N, out_h, out_w, FN) and transposed to (N, FN, out_h, out_w)")
COL2IM_HINT = _("where patches overlap, their gradients add up: img[:, :, y:y_max:stride, x:x_max:stride] += ..., "
                "not =; then cut the padding off")
CONV_BACKWARD_HINT = _("dout to (N * out_h * out_w, FN); db = its column sums; dW = col.T @ dout, transposed and "
                       "reshaped to W's shape; dx = col2im(dout @ col_W.T, x.shape, FH, FW, stride, pad)")
POOL_BACKWARD_HINT = _("route each window's gradient to its maximum only, the first one where several tie (keep "
                       "np.argmax of each window in forward), then col2im")
NET_HINT = _("run x through every layer in self.layers in order (no softmax: the scores before it)")
NET_GRADIENT_HINT = _("loss(x, t), then last_layer.backward(1) and every layer's backward in reverse; the gradients "
                      "are Conv1's, Affine1's and Affine2's dW and db")
# The earlier functions SimpleConvNet relies on besides its own layers.
NET_USES = ("activations.softmax", "losses.cross_entropy_error", "layers.Affine", "layers.Relu",
            "layers.SoftmaxWithLoss", "conv_layers.col2im", "conv_layers.Convolution", "conv_layers.Pooling")
# The worker's CPU time of Convolution.forward and backward on a (16, 3, 12, 12) batch with eight 3x3x3 filters
# and padding 1 (checks.compute_time: a forward and the backward after it as one window, fresh inputs per
# round, fastest of 10), measured in one process on a loaded 2-core machine: the reference 0.6 ms (plus about
# 2 ms to decode the request and encode the reply), a loop over output positions vectorised over the batch
# and the filters 4 ms, a loop over every output value 70 ms for the forward alone. 20 ms leaves the first
# two room and fails the third by 3x.
CONVOLUTION_SECONDS = 0.020
TIMING_SHAPE, TIMING_FILTERS = (16, 3, 12, 12), (8, 3, 3, 3)
TIMING_REPEATS = 10


def direct_convolution(x, W, b, stride, pad):
    """The definition, one output value at a time: (N, C, H, W), (FN, C, FH, FW), (FN,) -> (N, FN, out_h, out_w)."""
    FH, FW = W.shape[2:]
    padded = np.pad(x, [(0, 0), (0, 0), (pad, pad), (pad, pad)])
    out = np.zeros((x.shape[0], W.shape[0], conv_output_size(x.shape[2], FH, stride, pad),
                    conv_output_size(x.shape[3], FW, stride, pad)))
    for n, f, r, s in np.ndindex(out.shape):
        out[n, f, r, s] = np.sum(padded[n, :, r * stride:r * stride + FH, s * stride:s * stride + FW] * W[f]) + b[f]
    return out


def direct_max_pool(x, pool_h, pool_w, stride, pad):
    """The definition: each window's maximum over the zero-padded input."""
    padded = np.pad(x, [(0, 0), (0, 0), (pad, pad), (pad, pad)])
    out = np.zeros((*x.shape[:2], conv_output_size(x.shape[2], pool_h, stride, pad),
                    conv_output_size(x.shape[3], pool_w, stride, pad)))
    for n, c, r, s in np.ndindex(out.shape):
        out[n, c, r, s] = padded[n, c, r * stride:r * stride + pool_h, s * stride:s * stride + pool_w].max()
    return out


# Each case's stride, padding and filter, drawn afresh. Every case has overlapping patches (a stride below the
# filter's size in at least one direction) and at least two positions each way, so a col2im that overwrites
# instead of adding fails each one. "strided" pads and fits its stride exactly, "non-square" leaves a
# remainder: an output size that counts the padding once fails "padded" and "strided" on every draw.
CASES = ("plain", "padded", "strided", "non-square")


def _case(rng, case):
    """(x shape, filter shape (FN, C, FH, FW), stride, pad) for a case, drawn afresh."""
    stride, pad = 1, 0
    fh = fw = int(rng.integers(2, 4))
    height = int(rng.integers(4, 9))
    if case == "padded":
        pad = int(rng.integers(1, 3))
    elif case == "strided":
        stride, pad = int(rng.integers(2, 4)), 1
        fh = fw = stride + 1
        height = fh - 2 * pad + stride * int(rng.integers(2, 4))
    elif case == "non-square":
        stride = int(rng.integers(1, 3))
        fh, fw = (int(size) for size in rng.permutation([2, 3]))
        height = int(rng.integers(5, 9))
    width = height + int(rng.integers(1, 3)) if case == "non-square" else height
    channels = int(rng.integers(2, 4))
    # Two samples and two or three filters: the numerical gradients cost two forward passes per input value
    # and weight.
    return (2, channels, height, width), (int(rng.integers(2, 4)), channels, fh, fw), stride, pad


def _what(name, x_shape, w_shape, stride, pad):
    return _("{call} on a {shape} input, {window} window, stride {stride}, pad {pad}").format(
        call=name, shape=x_shape, window=f"{w_shape[2]}x{w_shape[3]}", stride=stride, pad=pad)


# --- col2im ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("case", CASES)
def test_col2im(student, rng, case):
    x_shape, w_shape, stride, pad = _case(rng, case)
    rows = im2col(np.zeros(x_shape), *w_shape[2:], stride, pad).shape
    col = rng.standard_normal(rows)
    expected = conv_layers.col2im(col, x_shape, *w_shape[2:], stride, pad)
    expect_array(student.conv_layers.col2im(col, x_shape, *w_shape[2:], stride, pad), expected,
                 _what("col2im", x_shape, w_shape, stride, pad), hint=COL2IM_HINT)


# --- Convolution ----------------------------------------------------------------------------------------------

def _conv_case(student, rng, case):
    x_shape, w_shape, stride, pad = _case(rng, case)
    x, W, b = rng.standard_normal(x_shape), rng.standard_normal(w_shape), rng.standard_normal(w_shape[0])
    return (x, W, b, stride, pad, conv_layers.Convolution(W.copy(), b.copy(), stride, pad),
            student.conv_layers.Convolution(W.copy(), b.copy(), stride, pad))


@pytest.mark.parametrize("case", CASES)
def test_convolution_forward(student, rng, case):
    x, W, b, stride, pad, _ours, theirs = _conv_case(student, rng, case)
    what = _what("Convolution.forward", x.shape, W.shape, stride, pad)
    expected = direct_convolution(x, W, b, stride, pad)
    out = as_array(theirs.forward(x), what, expected.shape, hint=OUTPUT_SIZE_HINT)
    expect_array(out, expected, what, hint=CROSS_CORRELATION_HINT)


@pytest.mark.uses("conv_layers.col2im")
@pytest.mark.parametrize("case", CASES)
def test_convolution_backward(student, rng, credit, case):
    x, W, b, stride, pad, ours, theirs = _conv_case(student, rng, case)
    what = _what("Convolution.backward", x.shape, W.shape, stride, pad)
    dout = rng.standard_normal(ours.forward(x.copy()).shape)
    theirs.forward(x)
    dx, expected_dx = theirs.backward(dout), ours.backward(dout.copy())
    # The reference's forward (checked against the direct loop by the forward tests) is fast enough to
    # differentiate numerically; the loop, called twice per input and weight, would take seconds.
    loss = lambda: float(np.sum(conv_layers.Convolution(W, b, stride, pad).forward(x) * dout))

    def check(name, value, expected, wrt):
        expect_array(value, expected, part_of(what, name), hint=CONV_BACKWARD_HINT)
        expect_gradient(value, reference_gradient(loss, wrt), numerically(part_of(what, name)))
    credit.run([lambda: check("dx", dx, expected_dx, x), lambda: check("dW", theirs.attr("dW"), ours.dW, W),
                lambda: check("db", theirs.attr("db"), ours.db, b)])


# --- Pooling --------------------------------------------------------------------------------------------------

def _pool_input(rng, shape, pool_h, pool_w):
    """ReLU-like values on a coarse grid, so that many windows hold ties, and surely two: the first window
    of the first sample is all 0, that of the last sample has its maximum twice."""
    x = np.maximum(rng.integers(-3, 4, shape), 0) * 0.5
    x[0, 0, :pool_h, :pool_w] = 0.0
    x[-1, 0, 0, :2] = 2.0
    return x


# Pooling does not pad here: with zero padding a window of ReLU zeros ties with the padding, and which of them
# takes the gradient is a convention of the book's, not of max pooling.
POOL_CASES = ("plain", "strided", "non-square")


def _pool_case(student, rng, case):
    x_shape, (_filters, _channels, pool_h, pool_w), stride, _pad = _case(rng, case)
    pad = 0
    return (_pool_input(rng, x_shape, pool_h, pool_w), pool_h, pool_w, stride, pad,
            conv_layers.Pooling(pool_h, pool_w, stride, pad), student.conv_layers.Pooling(pool_h, pool_w, stride, pad))


@pytest.mark.parametrize("case", POOL_CASES)
def test_pooling_forward(student, rng, case):
    x, pool_h, pool_w, stride, pad, _ours, theirs = _pool_case(student, rng, case)
    expected = direct_max_pool(x, pool_h, pool_w, stride, pad)
    what = _what("Pooling.forward", x.shape, (0, 0, pool_h, pool_w), stride, pad)
    out = as_array(theirs.forward(x), what, expected.shape, hint=OUTPUT_SIZE_HINT)
    expect_array(out, expected, what, hint=_("the maximum of each window, channel by channel"))


@pytest.mark.uses("conv_layers.col2im")
@pytest.mark.parametrize("case", POOL_CASES)
def test_pooling_backward(student, rng, case):
    x, pool_h, pool_w, stride, pad, ours, theirs = _pool_case(student, rng, case)
    dout = rng.standard_normal(ours.forward(x.copy()).shape)
    theirs.forward(x)
    expect_array(theirs.backward(dout), ours.backward(dout.copy()),
                 _what("Pooling.backward", x.shape, (0, 0, pool_h, pool_w), stride, pad), hint=POOL_BACKWARD_HINT)


@pytest.mark.uses("conv_layers.col2im")
def test_pooling_backward_against_a_numerical_gradient(student, rng):
    # Distinct values: away from ties the gradient is defined, and central differences give it.
    x_shape, (_filters, _channels, pool_h, pool_w), stride, _pad = _case(rng, "non-square")
    pad = 0
    x = rng.permutation(int(np.prod(x_shape))).reshape(x_shape) * 0.1 + 0.05
    theirs = student.conv_layers.Pooling(pool_h, pool_w, stride, pad)
    dout = rng.standard_normal(conv_layers.Pooling(pool_h, pool_w, stride, pad).forward(x).shape)
    theirs.forward(x)
    forward = lambda: float(np.sum(conv_layers.Pooling(pool_h, pool_w, stride, pad).forward(x) * dout))
    expect_gradient(theirs.backward(dout), reference_gradient(forward, x),
                    numerically(_what("Pooling.backward", x_shape, (0, 0, pool_h, pool_w), stride, pad)),
                    hint=POOL_BACKWARD_HINT)


# --- speed ----------------------------------------------------------------------------------------------------

@pytest.mark.uses("conv_layers.col2im")
def test_convolution_is_vectorised(student, rng):
    W, b = rng.standard_normal(TIMING_FILTERS), rng.standard_normal(TIMING_FILTERS[0])
    ours, theirs = conv_layers.Convolution(W, b, 1, 1), student.conv_layers.Convolution(W.copy(), b.copy(), 1, 1)
    what = _("Convolution.forward and backward on a {shape} batch with {filters} 3x3 filters").format(
        shape=TIMING_SHAPE, filters=TIMING_FILTERS[0])

    def make_case():
        x = rng.standard_normal(TIMING_SHAPE)
        dout = rng.standard_normal((TIMING_SHAPE[0], TIMING_FILTERS[0], *TIMING_SHAPE[2:]))
        return (x, dout), (ours.forward(x), ours.backward(dout))

    def protocol(case):
        x, dout = case[0]
        return theirs.forward(x), theirs.backward(dout)

    def expect(values, case):
        for value, expected, name in zip(values, case[1], ("out", "dx")):
            expect_array(value, expected, part_of(what, name))
    watch = compute_time(student, protocol, make_case, expect, TIMING_REPEATS)
    expect_fast(watch, CONVOLUTION_SECONDS, what,
                hint=_("no Python loop over output values: im2col turns the convolution into one matrix product"))


# --- SimpleConvNet --------------------------------------------------------------------------------------------

def _nets(student, rng):
    """The reference and the student's SimpleConvNet of random (small) sizes with the same seeded parameters."""
    channels, height, width = int(rng.integers(1, 3)), int(rng.integers(4, 7)), int(rng.integers(4, 7))
    conv_param = {"filter_num": int(rng.integers(2, 5)), "filter_size": 3, "pad": 1, "stride": 1}
    sizes = {"input_dim": (channels, height, width), "conv_param": conv_param,
             "hidden_size": int(rng.integers(3, 7)), "output_size": int(rng.integers(2, 5))}
    reference = simple_conv_net.SimpleConvNet(**sizes, rng=np.random.default_rng(0))
    net = student.simple_conv_net.SimpleConvNet(**sizes)
    for name, param in reference.params.items():
        # Scores of order 1, as in training: with larger weights a class's probability can fall below 1e-5,
        # where the loss's 1e-7 guard moves it by more than LOSS_RTOL, and the loss test would judge the guard.
        fan_in = int(np.prod(param.shape[1:])) if name == "W1" else param.shape[0]
        param[...] = rng.standard_normal(param.shape) * (1 / np.sqrt(fan_in) if name.startswith("W") else 0.1)
        net.setitem(("params",), name, param)
    return reference, net, sizes


def _batch_of(call, shape):
    """What a check says of a network's call on a batch of `shape`."""
    return _("{function} on a {shape} batch").format(function=call, shape=shape)


def _batch(rng, sizes, n=5):
    return rng.standard_normal((n, *sizes["input_dim"])), rng.integers(0, sizes["output_size"], n)


@pytest.mark.uses("layers.Affine", "layers.Relu", "conv_layers.Convolution", "conv_layers.Pooling")
def test_simple_conv_net_predict(student, rng):
    reference, net, sizes = _nets(student, rng)
    x, _labels = _batch(rng, sizes)
    expect_array(net.predict(x), reference.predict(x.copy()), _batch_of("SimpleConvNet.predict", x.shape),
                 rtol=1e-6, hint=NET_HINT)


@pytest.mark.uses(*NET_USES)
def test_simple_conv_net_loss(student, rng):
    reference, net, sizes = _nets(student, rng)
    x, t = _batch(rng, sizes)
    expect_scalar(net.loss(x, t), reference.loss(x.copy(), t), _batch_of("SimpleConvNet.loss", x.shape),
                  rtol=LOSS_RTOL, hint="last_layer.forward(predict(x), t)")


@pytest.mark.uses(*NET_USES)
def test_simple_conv_net_gradient(student, rng, credit):
    reference, net, sizes = _nets(student, rng)
    x, t = _batch(rng, sizes)
    what = _batch_of("SimpleConvNet.gradient", x.shape)
    grads, expected = param_arrays(net.gradient(x, t), reference.params, what), reference.gradient(x.copy(), t)
    # Compared with the reference's backprop only: ReLU and max pooling have kinks a central difference may
    # straddle on random inputs (the reference's gradient check is in tests/solutions/test_stage7.py).
    credit.run([lambda name=name: expect_array(grads[name], expected[name], part_of(what, name), rtol=1e-6,
                                               hint=NET_GRADIENT_HINT) for name in expected])
