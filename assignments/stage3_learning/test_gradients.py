"""Public tests, stage 3: numerical differentiation, gradients and gradient descent."""
import numpy as np
import pytest

from dlscratch.gradients import gradient_descent, numerical_diff, numerical_gradient
from dlscratch.numerical_net import TwoLayerNet


def function_1(x):
    return 0.01 * x ** 2 + 0.1 * x


def function_2(x):
    return np.sum(x ** 2)


@pytest.mark.points(1)
def test_numerical_diff_book_example():
    assert numerical_diff(function_1, 5.0) == pytest.approx(0.2, abs=1e-9)
    assert numerical_diff(function_1, 10.0) == pytest.approx(0.3, abs=1e-9)


@pytest.mark.points(2)
def test_numerical_gradient_on_a_matrix_restores_x():
    x = np.array([[3.0, 4.0], [0.0, -2.0]])
    before = x.copy()
    grad = numerical_gradient(function_2, x)
    np.testing.assert_allclose(grad, 2 * before, atol=1e-6)
    np.testing.assert_array_equal(x, before)


@pytest.mark.points(1)
def test_gradient_descent_book_example():
    init_x = np.array([-3.0, 4.0])
    x = gradient_descent(function_2, init_x, lr=0.1, step_num=100)
    np.testing.assert_allclose(x, [-6.11110793e-10, 8.14814391e-10], rtol=1e-5)
    np.testing.assert_array_equal(init_x, [-3.0, 4.0])


@pytest.mark.points(2)
def test_two_layer_net_numerical_gradient_shapes_and_loss():
    np.random.seed(0)
    net = TwoLayerNet(input_size=4, hidden_size=3, output_size=2)
    x = np.random.rand(5, 4)
    t = np.array([0, 1, 1, 0, 1])
    assert net.predict(x).shape == (5, 2)
    assert net.loss(x, t) == pytest.approx(np.log(2), rel=1e-2), "tiny weights give a near-uniform softmax"
    grads = net.numerical_gradient(x, t)
    assert {name: g.shape for name, g in grads.items()} == {name: p.shape for name, p in net.params.items()}
    assert 0.0 <= net.accuracy(x, t) <= 1.0
