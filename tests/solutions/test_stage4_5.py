"""Solutions, stages 4-5: layers against numerical gradients, the layered net, optimizers."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from solutions import optimizers
from solutions.gradient_check import gradient_check
from solutions.gradients import numerical_gradient
from solutions.layers import Affine, Relu, Sigmoid, SoftmaxWithLoss
from solutions.networks import TwoLayerNet
from solutions.training import minibatch_sgd
from tests.strategies import affine_problems, assert_gradients_close, float_arrays, moderate



def weighted_sum(forward, x, dout):
    return lambda _: float(np.sum(forward(x) * dout))


@given(problem=affine_problems())
def test_affine_backward_equals_numerical_gradient(problem):
    x, W, b, dout = problem
    layer = Affine(W, b)
    out = layer.forward(x)
    assert out.shape == dout.shape
    dx = layer.backward(dout)
    assert dx.shape == x.shape
    for analytic, wrt in ((dx, x), (layer.dW, W), (layer.db, b)):
        assert_gradients_close(analytic, numerical_gradient(weighted_sum(Affine(W, b).forward, x, dout), wrt))


@given(x=float_arrays(elements=moderate), data=st.data())
def test_sigmoid_and_relu_backward(x, data):
    dout = data.draw(float_arrays(st.just(x.shape), moderate))
    sigmoid = Sigmoid()
    sigmoid.forward(x)
    assert_gradients_close(sigmoid.backward(dout), numerical_gradient(weighted_sum(Sigmoid().forward, x, dout), x))
    relu, before, dout_before = Relu(), x.copy(), dout.copy()
    relu.forward(x)
    np.testing.assert_array_equal(relu.backward(dout), np.where(x > 0, dout, 0.0))
    np.testing.assert_array_equal(x, before)
    np.testing.assert_array_equal(dout, dout_before)


@pytest.mark.parametrize("one_hot", [False, True])
def test_softmax_with_loss_single_sample_and_scaled_dout(one_hot):
    x = np.array([0.3, 2.9, 4.0])
    t = np.array([0.0, 1.0, 0.0]) if one_hot else np.array(1)
    layer = SoftmaxWithLoss()
    loss = layer.forward(x, t)
    assert loss == pytest.approx(-np.log(0.24519181), rel=1e-6)
    dx = layer.backward(2.0)
    numerical = numerical_gradient(lambda _: 2.0 * SoftmaxWithLoss().forward(x, t), x)
    assert dx.shape == x.shape
    assert_gradients_close(dx, numerical)


def test_two_layer_net_gradient_check_and_shared_parameters():
    np.random.seed(5)
    net = TwoLayerNet(6, 5, 4, weight_init_std=0.1)
    x, t = np.random.randn(7, 6), np.random.randint(0, 4, size=7)
    # Measured about 1e-7 (central-difference truncation); a wrong backward pass gives 1e-2 or more.
    assert max(gradient_check(net, x, t).values()) < 1e-5
    optimizers.SGD(lr=0.1).update(net.params, net.gradient(x, t))
    assert net.layers["Affine1"].W is net.params["W1"], "layers and params share the same arrays"


def test_minibatch_sgd_is_reproducible_for_a_seed():
    x = np.random.default_rng(0).standard_normal((50, 4))
    t = (x[:, 1] > 0).astype(int)
    runs = []
    for _ in range(2):
        np.random.seed(0)
        runs.append(minibatch_sgd(TwoLayerNet(4, 6, 2, 0.3), x, t, lr=0.2, batch_size=10, iters_num=30, seed=7))
    assert runs[0] == runs[1]


def _minimise_bowl(optimizer, steps=300):
    """f(x, y) = x^2 / 20 + y^2 from (-7, 2), the book's comparison problem."""
    params = {"xy": np.array([-7.0, 2.0])}
    for _ in range(steps):
        x, y = params["xy"]
        optimizer.update(params, {"xy": np.array([x / 10.0, 2.0 * y])})
    return params["xy"]


@pytest.mark.parametrize("optimizer", [
    optimizers.SGD(lr=0.95), optimizers.Momentum(lr=0.1), optimizers.AdaGrad(lr=1.5),
    optimizers.RMSprop(lr=0.1), optimizers.Adam(lr=0.3),
], ids=lambda optimizer: type(optimizer).__name__)
def test_every_optimizer_reaches_the_minimum_of_the_book_bowl(optimizer):
    np.testing.assert_allclose(_minimise_bowl(optimizer), [0.0, 0.0], atol=0.1)
