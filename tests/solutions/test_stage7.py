"""Solutions, stage 7: im2col and col2im, Convolution and Pooling against direct loops and numerical
gradients, SimpleConvNet's gradient, the comparison with the two-layer net."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlscratch_data import load_digits
from solutions import conv_experiments
from solutions.conv_layers import Convolution, Pooling, col2im
from solutions.conv_util import conv_output_size, im2col
from solutions.experiments import fit
from solutions.gradients import numerical_gradient
from solutions.simple_conv_net import SimpleConvNet
from solutions.train import OPTIMIZERS, TrainConfig, train
from tests.strategies import assert_gradients_close


def direct_convolution(x, W, b, stride, pad):
    """The definition, one output at a time: (N, C, H, W), (FN, C, FH, FW), (FN,) -> (N, FN, out_h, out_w)."""
    N, _, H, width = x.shape
    FN, _, FH, FW = W.shape
    padded = np.pad(x, [(0, 0), (0, 0), (pad, pad), (pad, pad)])
    out = np.zeros((N, FN, conv_output_size(H, FH, stride, pad), conv_output_size(width, FW, stride, pad)))
    for n, f, r, s in np.ndindex(out.shape):
        out[n, f, r, s] = np.sum(padded[n, :, r * stride:r * stride + FH, s * stride:s * stride + FW] * W[f]) + b[f]
    return out


def direct_max_pool(x, pool_h, pool_w, stride, pad):
    N, C, H, width = x.shape
    padded = np.pad(x, [(0, 0), (0, 0), (pad, pad), (pad, pad)])
    out = np.zeros((N, C, conv_output_size(H, pool_h, stride, pad), conv_output_size(width, pool_w, stride, pad)))
    for n, c, r, s in np.ndindex(out.shape):
        out[n, c, r, s] = padded[n, c, r * stride:r * stride + pool_h, s * stride:s * stride + pool_w].max()
    return out


@st.composite
def conv_problems(draw):
    """(seed, x shape, W shape, stride, pad) with non-square inputs and filters, several channels."""
    n, c, fn = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    fh, fw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    stride, pad = draw(st.integers(1, 3)), draw(st.integers(0, 2))
    h, w = draw(st.integers(max(1, fh - 2 * pad), 7)), draw(st.integers(max(1, fw - 2 * pad), 7))
    return draw(st.integers(0, 2 ** 32 - 1)), (n, c, h, w), (fn, c, fh, fw), stride, pad


@settings(max_examples=40, deadline=None)
@given(problem=conv_problems())
def test_convolution_forward_is_the_direct_loop_and_backward_the_numerical_gradient(problem):
    seed, x_shape, w_shape, stride, pad = problem
    rng = np.random.default_rng(seed)
    x, W, b = rng.standard_normal(x_shape), rng.standard_normal(w_shape), rng.standard_normal(w_shape[0])
    layer = Convolution(W, b, stride, pad)
    out = layer.forward(x)
    np.testing.assert_allclose(out, direct_convolution(x, W, b, stride, pad), rtol=1e-10, atol=1e-12)
    dout = rng.standard_normal(out.shape)
    dx = layer.backward(dout)
    loss = lambda _: float(np.sum(Convolution(W, b, stride, pad).forward(x) * dout))
    for analytic, wrt in ((dx, x), (layer.dW, W), (layer.db, b)):
        assert_gradients_close(analytic, numerical_gradient(loss, wrt))


@settings(max_examples=40, deadline=None)
@given(problem=conv_problems())
def test_max_pooling_is_the_direct_loop_and_its_backward_the_numerical_gradient(problem):
    seed, x_shape, (_, _, pool_h, pool_w), stride, pad = problem
    rng = np.random.default_rng(seed)
    # distinct values: central differences are defined only away from ties
    x = rng.permutation(np.prod(x_shape)).reshape(x_shape) * 0.1 + 0.05
    layer = Pooling(pool_h, pool_w, stride, pad)
    out = layer.forward(x)
    np.testing.assert_array_equal(out, direct_max_pool(x, pool_h, pool_w, stride, pad))
    dout = rng.standard_normal(out.shape)
    dx = layer.backward(dout)
    loss = lambda _: float(np.sum(Pooling(pool_h, pool_w, stride, pad).forward(x) * dout))
    assert_gradients_close(dx, numerical_gradient(loss, x))


def test_max_pooling_routes_a_tie_to_the_first_maximum_only():
    x = np.zeros((1, 1, 2, 2))
    layer = Pooling(2, 2, stride=2)
    assert layer.forward(x).shape == (1, 1, 1, 1)
    np.testing.assert_array_equal(layer.backward(np.ones((1, 1, 1, 1))), [[[[1.0, 0.0], [0.0, 0.0]]]])


@pytest.mark.parametrize("stride, pad", [(1, 0), (1, 1), (2, 1), (3, 2)])
def test_col2im_adds_overlapping_patches_back_the_transpose_of_im2col(stride, pad):
    # <im2col(x), c> = <x, col2im(c)> for every x and c: col2im is im2col's transpose, overlaps summed.
    rng = np.random.default_rng(stride * 10 + pad)
    x = rng.standard_normal((2, 3, 7, 6))
    col = rng.standard_normal(im2col(x, 3, 2, stride, pad).shape)
    assert np.isclose(np.sum(im2col(x, 3, 2, stride, pad) * col), np.sum(x * col2im(col, x.shape, 3, 2, stride, pad)))


def test_simple_conv_net_gradient_check():
    rng = np.random.default_rng(7)
    net = SimpleConvNet(input_dim=(2, 6, 5), conv_param={"filter_num": 3, "filter_size": 3, "pad": 1, "stride": 1},
                        hidden_size=7, output_size=3, weight_init_std=0.3, rng=rng)
    x, t = rng.standard_normal((4, 2, 6, 5)), rng.integers(0, 3, 4)
    grads = net.gradient(x, t)
    assert set(grads) == set(net.params) == {"W1", "b1", "W2", "b2", "W3", "b3"}
    for name, param in net.params.items():
        # 1e-5: ReLU and max pooling have kinks, and the loss's 1e-7 guard moves central differences a little
        assert_gradients_close(grads[name], numerical_gradient(lambda _: net.loss(x, t), param), rtol=1e-5)


@pytest.fixture(scope="module")
def digit_images():
    return load_digits(flatten=False)


def test_conv_comparison_is_seeded_and_trains_simple_conv_net_from_the_module_s_settings(digit_images):
    # 400 training images keep it fast; the same run built by hand from the module's settings and the seed
    (x_train, t_train), (x_test, t_test) = digit_images
    train_set, test_set = (x_train[:400], t_train[:400]), (x_test, t_test)
    histories = conv_experiments.conv_comparison(train_set, test_set, seed=2, epochs=2)
    assert list(histories) == ["two-layer", "SimpleConvNet"]
    assert all([record["epoch"] for record in history] == [1, 2] for history in histories.values())
    network = SimpleConvNet(weight_init_std=conv_experiments.WEIGHT_INIT_STD, rng=np.random.default_rng(2))
    expected = fit(network, conv_experiments.OPTIMIZER(lr=conv_experiments.LR),
                   (train_set[0].astype(np.float64), train_set[1]), (x_test.astype(np.float64), t_test), 2,
                   conv_experiments.BATCH_SIZE, np.random.default_rng(2))
    assert histories["SimpleConvNet"] == expected


def test_conv_comparison_s_two_layer_net_is_the_course_s_tuned_training(digit_images):
    defaults = TrainConfig()
    assert OPTIMIZERS[defaults.optimizer] is conv_experiments.OPTIMIZER
    assert (defaults.lr, defaults.batch_size, defaults.epochs, defaults.weight_init_std, defaults.hidden) == (
        conv_experiments.LR, conv_experiments.BATCH_SIZE, conv_experiments.EPOCHS, conv_experiments.WEIGHT_INIT_STD,
        conv_experiments.TWO_LAYER_HIDDEN)
    two_layer = conv_experiments.conv_comparison(*digit_images, seed=4, epochs=2)["two-layer"]
    reference = train(TrainConfig(dataset="digits", seed=4, epochs=2), log=lambda line: None)["epochs"]
    assert two_layer == [{key: record[key] for key in ("epoch", "train_accuracy", "test_accuracy")}
                         for record in reference]


def test_conv_comparison_says_it_needs_images_when_given_flattened_digits():
    train_set, test_set = load_digits()
    with pytest.raises(ValueError, match=r"needs images \(N, C, H, W\).*got x of shape \(1437, 64\)"):
        conv_experiments.conv_comparison(train_set, test_set, seed=0, epochs=1)
