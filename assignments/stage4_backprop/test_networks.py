"""Public tests, stage 4: the layered two-layer net, gradient checking and the SGD loop."""
import numpy as np
import pytest

from dlscratch.gradient_check import gradient_check, rel_error
from dlscratch.networks import TwoLayerNet
from dlscratch.training import minibatch_sgd


def small_problem(seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((6, 5))
    return x, rng.integers(0, 3, size=6)


@pytest.mark.points(1)
def test_rel_error():
    assert rel_error(np.array([1.0, 2.0]), np.array([1.0, 2.0])) == 0.0
    assert rel_error(np.array([1.0]), np.array([3.0])) == pytest.approx(0.5)


@pytest.mark.points(2)
def test_backprop_agrees_with_numerical_gradient():
    np.random.seed(1)
    net = TwoLayerNet(input_size=5, hidden_size=4, output_size=3, weight_init_std=0.1)
    x, t = small_problem()
    errors = gradient_check(net, x, t)
    assert set(errors) == {"W1", "b1", "W2", "b2"}
    # Backprop is exact; what remains is the error of central differences (about 1e-7 here).
    assert max(errors.values()) < 1e-5


@pytest.mark.points(2)
def test_minibatch_sgd_lowers_the_loss():
    np.random.seed(2)
    rng = np.random.default_rng(3)
    x = rng.standard_normal((200, 5))
    t = (x[:, 0] > 0).astype(int)
    net = TwoLayerNet(input_size=5, hidden_size=8, output_size=2, weight_init_std=0.5)
    losses = minibatch_sgd(net, x, t, lr=0.5, batch_size=20, iters_num=200, seed=0)
    assert len(losses) == 200
    assert np.mean(losses[-20:]) < 0.5 * np.mean(losses[:20])
    assert net.accuracy(x, t) > 0.9
