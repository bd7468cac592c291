"""Public tests, stage 3: numerical differentiation, gradients and gradient descent."""
import numpy as np
import pytest

from course.language import _
from course_feedback.checks import as_array, expect_array, expect_scalar
from course_feedback.diagnoses import RESTORE_HINT
from course_feedback.failure import GradingFailure
from dlscratch.gradients import gradient_descent, numerical_diff, numerical_gradient
from dlscratch.numerical_net import TwoLayerNet

CENTRAL_HINT = _("the central difference (f(x + h) - f(x - h)) / (2 * h) with h = 1e-4")


def function_1(x):
    return 0.01 * x ** 2 + 0.1 * x


def function_2(x):
    return np.sum(x ** 2)


@pytest.mark.points(1)
def test_numerical_diff_book_example():
    for x, slope in ((5.0, 0.2), (10.0, 0.3)):
        expect_scalar(numerical_diff(function_1, x), slope, f"numerical_diff(function_1, {x})", rtol=0, atol=1e-9,
                      hint=CENTRAL_HINT)


@pytest.mark.points(2)
def test_numerical_gradient_on_a_matrix_restores_x():
    x = np.array([[3.0, 4.0], [0.0, -2.0]])
    before = x.copy()
    grad = numerical_gradient(function_2, x)
    expect_array(grad, 2 * before, "numerical_gradient(function_2, a (2, 2) matrix)", rtol=0, atol=1e-6,
                 hint=_("perturb one element of x at a time, for every index of a matrix (np.nditer or np.ndindex)"))
    expect_array(x, before, _("x after numerical_gradient"), rtol=0, atol=0, hint=RESTORE_HINT)


@pytest.mark.points(1)
def test_gradient_descent_book_example():
    init_x = np.array([-3.0, 4.0])
    x = gradient_descent(function_2, init_x, lr=0.1, step_num=100)
    expect_array(x, [-6.11110793e-10, 8.14814391e-10], "gradient_descent(function_2, [-3, 4], lr=0.1, step_num=100)",
                 rtol=1e-5, hint=_("step_num steps of x -= lr * numerical_gradient(f, x)"))
    expect_array(init_x, [-3.0, 4.0], _("init_x after gradient_descent"), rtol=0, atol=0,
                 hint=_("start from a copy: x = init_x.copy()"))


@pytest.mark.points(2)
def test_two_layer_net_numerical_gradient_shapes_and_loss():
    np.random.seed(0)
    net = TwoLayerNet(input_size=4, hidden_size=3, output_size=2)
    x = np.random.rand(5, 4)
    t = np.array([0, 1, 1, 0, 1])
    as_array(net.predict(x), _("TwoLayerNet.predict on a batch of 5"), shape=(5, 2))
    expect_scalar(net.loss(x, t), np.log(2), _("TwoLayerNet.loss with tiny weights"), rtol=1e-2,
                  hint=_("tiny weights give a near-uniform softmax, so the loss is close to log(2)"))
    grads = net.numerical_gradient(x, t)
    if not isinstance(grads, dict) or set(grads) != set(net.params):
        raise GradingFailure(_("TwoLayerNet.numerical_gradient: expected a dict with keys {keys}").format(
            keys=sorted(net.params)))
    for name, param in net.params.items():
        as_array(grads[name], f"TwoLayerNet.numerical_gradient: {name}", shape=param.shape)
    accuracy = net.accuracy(x, t)
    if not 0.0 <= accuracy <= 1.0:
        raise GradingFailure(_("TwoLayerNet.accuracy: {accuracy}, expected a fraction between 0 and 1").format(
            accuracy=repr(accuracy)))
