"""Public tests, stage 5: one and two steps of each optimizer on fixed arrays, updated in place."""
import numpy as np
import pytest

from dlscratch.optimizers import SGD, AdaGrad, Adam, Momentum, RMSprop

W0 = np.array([[1.0, -2.0], [0.5, 0.0]])
GRAD = np.array([[0.1, -0.2], [0.3, 0.0]])


def two_steps(optimizer):
    params = {"W": W0.copy()}
    array = params["W"]
    for _ in range(2):
        optimizer.update(params, {"W": GRAD.copy()})
    assert params["W"] is array, "update must change the parameter arrays in place"
    return params["W"]


@pytest.mark.points(1)
def test_sgd():
    np.testing.assert_allclose(two_steps(SGD(lr=0.1)), W0 - 0.2 * GRAD, rtol=1e-12)


@pytest.mark.points(1)
def test_momentum_keeps_velocity_between_calls():
    # v1 = -lr g; v2 = 0.9 v1 - lr g = -1.9 lr g
    np.testing.assert_allclose(two_steps(Momentum(lr=0.1, momentum=0.9)), W0 - 0.29 * GRAD, rtol=1e-12)


@pytest.mark.points(1)
def test_adagrad():
    h1, h2 = GRAD ** 2, 2 * GRAD ** 2
    expected = W0 - 0.1 * GRAD / (np.sqrt(h1) + 1e-7) - 0.1 * GRAD / (np.sqrt(h2) + 1e-7)
    np.testing.assert_allclose(two_steps(AdaGrad(lr=0.1)), expected, rtol=1e-12)


@pytest.mark.points(1)
def test_rmsprop():
    h1 = 0.01 * GRAD ** 2
    h2 = 0.99 * h1 + 0.01 * GRAD ** 2
    expected = W0 - 0.1 * GRAD / (np.sqrt(h1) + 1e-7) - 0.1 * GRAD / (np.sqrt(h2) + 1e-7)
    np.testing.assert_allclose(two_steps(RMSprop(lr=0.1, decay_rate=0.99)), expected, rtol=1e-12)


@pytest.mark.points(2)
def test_adam_bias_corrected_steps():
    lr, b1, b2 = 0.01, 0.9, 0.999
    W = W0.copy()
    m = v = np.zeros_like(W)
    for step in (1, 2):
        m = b1 * m + (1 - b1) * GRAD
        v = b2 * v + (1 - b2) * GRAD ** 2
        W = W - lr * np.sqrt(1 - b2 ** step) / (1 - b1 ** step) * m / (np.sqrt(v) + 1e-7)
    np.testing.assert_allclose(two_steps(Adam(lr=lr, beta1=b1, beta2=b2)), W, rtol=1e-10)
