"""Public tests, stage 4: layers' backward passes against numerical gradients."""
import numpy as np
import pytest

from dlscratch.gradient_check import rel_error
from dlscratch.gradients import numerical_gradient
from dlscratch.layers import Affine, Relu, Sigmoid, SoftmaxWithLoss

rng = np.random.default_rng(0)


def numerical_input_gradient(forward, x, dout):
    """d sum(forward(x) * dout) / dx by central differences."""
    return numerical_gradient(lambda _: np.sum(forward(x) * dout), x)


@pytest.mark.points(1)
def test_relu_forward_backward_does_not_mutate():
    x = np.array([[1.0, -0.5], [-2.0, 3.0]])
    x_before = x.copy()
    layer = Relu()
    np.testing.assert_array_equal(layer.forward(x), [[1.0, 0.0], [0.0, 3.0]])
    dout = np.ones_like(x)
    np.testing.assert_array_equal(layer.backward(dout), [[1.0, 0.0], [0.0, 1.0]])
    np.testing.assert_array_equal(x, x_before)
    np.testing.assert_array_equal(dout, np.ones_like(x))


@pytest.mark.points(1)
def test_sigmoid_backward_matches_numerical():
    x, dout = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    layer = Sigmoid()
    layer.forward(x)
    dx = layer.backward(dout)
    assert rel_error(dx, numerical_input_gradient(Sigmoid().forward, x, dout)) < 1e-7


@pytest.mark.points(2)
def test_affine_on_4d_input():
    x = rng.standard_normal((2, 3, 2, 2))
    W, b = rng.standard_normal((12, 5)), rng.standard_normal(5)
    dout = rng.standard_normal((2, 5))
    layer = Affine(W, b)
    out = layer.forward(x)
    np.testing.assert_allclose(out, x.reshape(2, 12) @ W + b, rtol=1e-12)
    dx = layer.backward(dout)
    assert dx.shape == x.shape
    assert rel_error(dx, numerical_input_gradient(Affine(W, b).forward, x, dout)) < 1e-7
    assert rel_error(layer.dW, numerical_gradient(lambda _: np.sum(Affine(W, b).forward(x) * dout), W)) < 1e-7
    np.testing.assert_allclose(layer.db, dout.sum(axis=0), rtol=1e-12)


@pytest.mark.points(2)
def test_softmax_with_loss_labels_and_one_hot():
    x = rng.standard_normal((4, 3))
    labels = np.array([0, 2, 1, 2])
    one_hot = np.eye(3)[labels]
    for t in (labels, one_hot):
        layer = SoftmaxWithLoss()
        loss = layer.forward(x, t)
        assert isinstance(loss, float)
        dx = layer.backward(1)
        numerical = numerical_gradient(lambda _: SoftmaxWithLoss().forward(x, t), x)
        # Not 1e-7: the 1e-7 guard inside the log shifts the numerical gradient by about 1e-7 too.
        assert rel_error(dx, numerical) < 1e-5
