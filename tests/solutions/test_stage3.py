"""Solutions, stage 3: losses, numerical gradients, gradient descent, the numerically trained net."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from solutions import activations, gradients, losses
from solutions.numerical_net import TwoLayerNet
from tests.strategies import float_arrays, moderate


@given(scores=float_arrays(st.tuples(st.integers(1, 6), st.integers(2, 6)), moderate), data=st.data())
def test_cross_entropy_labels_equal_one_hot_and_rows_average(scores, data):
    y = activations.softmax(scores)
    labels = np.array(data.draw(st.lists(st.integers(0, y.shape[1] - 1), min_size=len(y), max_size=len(y))))
    one_hot = np.eye(y.shape[1])[labels]
    loss = losses.cross_entropy_error(y, labels)
    assert isinstance(loss, float)
    assert loss == pytest.approx(losses.cross_entropy_error(y, one_hot), rel=1e-12)
    per_row = [losses.cross_entropy_error(row, label) for row, label in zip(y, labels)]
    assert loss == pytest.approx(np.mean(per_row), rel=1e-12)


@given(x=float_arrays(elements=moderate))
def test_numerical_gradient_of_a_quadratic_restores_every_element(x):
    before = x.copy()
    grad = gradients.numerical_gradient(lambda z: np.sum(z ** 2), x)
    np.testing.assert_allclose(grad, 2 * before, atol=1e-5)
    np.testing.assert_array_equal(x, before)


def test_numerical_gradient_when_f_closes_over_x():
    W = np.array([[0.5, -1.0], [2.0, 0.25]])
    grad = gradients.numerical_gradient(lambda _: float(np.sum(np.sin(W))), W)
    np.testing.assert_allclose(grad, np.cos(W), rtol=1e-7)


def test_gradient_descent_converges_to_the_minimum():
    x = gradients.gradient_descent(lambda z: np.sum((z - 1.5) ** 2), np.zeros((2, 2)), lr=0.1, step_num=200)
    np.testing.assert_allclose(x, 1.5, atol=1e-9)


def test_numerical_net_gradient_matches_finite_difference_of_its_loss():
    np.random.seed(4)
    net = TwoLayerNet(3, 4, 2, weight_init_std=1.0)
    x, t = np.random.randn(5, 3), np.array([0, 1, 1, 0, 1])
    grads = net.numerical_gradient(x, t)
    h = 1e-5
    net.params["W2"][1, 0] += h
    up = net.loss(x, t)
    net.params["W2"][1, 0] -= 2 * h
    down = net.loss(x, t)
    assert grads["W2"][1, 0] == pytest.approx((up - down) / (2 * h), rel=1e-5)
