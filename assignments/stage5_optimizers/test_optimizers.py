"""Public tests, stage 5: one and two steps of each optimizer on fixed arrays, updated in place."""
import numpy as np
import pytest

from course.language import _
from course_feedback.checks import expect_array
from course_feedback.diagnoses import IN_PLACE_HINT
from course_feedback.failure import GradingFailure
from dlscratch.optimizers import SGD, AdaGrad, Adam, Momentum, RMSprop

W0 = np.array([[1.0, -2.0], [0.5, 0.0]])
GRAD = np.array([[0.1, -0.2], [0.3, 0.0]])


def expect_two_steps(optimizer, expected, hint, rtol=1e-12):
    """Two updates of {"W": W0} with GRAD must change the very array params["W"] held, to `expected`."""
    name = type(optimizer).__name__
    params = {"W": W0.copy()}
    array = params["W"]
    for _step in range(2):
        optimizer.update(params, {"W": GRAD.copy()})
    expect_array(params.get("W"), expected, _("{optimizer}: params['W'] after two updates").format(optimizer=name), rtol=rtol, hint=hint)
    if params["W"] is not array:
        raise GradingFailure(_("{optimizer}.update: params['W'] is a new array, the original was not updated").format(
                             optimizer=name),
                             hint=IN_PLACE_HINT)


@pytest.mark.points(1)
def test_sgd():
    expect_two_steps(SGD(lr=0.1), W0 - 0.2 * GRAD, "params[key] -= lr * grads[key]")


@pytest.mark.points(1)
def test_momentum_keeps_velocity_between_calls():
    # v1 = -lr g; v2 = 0.9 v1 - lr g = -1.9 lr g
    expect_two_steps(Momentum(lr=0.1, momentum=0.9), W0 - 0.29 * GRAD,
                     _("keep the velocity v between calls (self.v), one array per parameter"))


@pytest.mark.points(1)
def test_adagrad():
    h1, h2 = GRAD ** 2, 2 * GRAD ** 2
    expected = W0 - 0.1 * GRAD / (np.sqrt(h1) + 1e-7) - 0.1 * GRAD / (np.sqrt(h2) + 1e-7)
    expect_two_steps(AdaGrad(lr=0.1), expected, _("accumulate h += g * g between calls; add 1e-7 to sqrt(h)"))


@pytest.mark.points(1)
def test_rmsprop():
    h1 = 0.01 * GRAD ** 2
    h2 = 0.99 * h1 + 0.01 * GRAD ** 2
    expected = W0 - 0.1 * GRAD / (np.sqrt(h1) + 1e-7) - 0.1 * GRAD / (np.sqrt(h2) + 1e-7)
    expect_two_steps(RMSprop(lr=0.1, decay_rate=0.99), expected,
                     _("h = decay_rate * h + (1 - decay_rate) * g * g, kept between calls"))


@pytest.mark.points(2)
def test_adam_bias_corrected_steps():
    lr, b1, b2 = 0.01, 0.9, 0.999
    W = W0.copy()
    m = v = np.zeros_like(W)
    for step in (1, 2):
        m = b1 * m + (1 - b1) * GRAD
        v = b2 * v + (1 - b2) * GRAD ** 2
        W = W - lr * np.sqrt(1 - b2 ** step) / (1 - b1 ** step) * m / (np.sqrt(v) + 1e-7)
    expect_two_steps(Adam(lr=lr, beta1=b1, beta2=b2), W, _("count the steps and correct the bias of m and v"),
                     rtol=1e-10)
