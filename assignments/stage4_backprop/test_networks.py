"""Public tests, stage 4: the layered two-layer net, gradient checking and the SGD loop."""
import numpy as np
import pytest

from course.language import _
from course_feedback.checks import expect_scalar
from course_feedback.failure import GradingFailure
from dlscratch.gradient_check import gradient_check, rel_error
from dlscratch.networks import TwoLayerNet
from dlscratch.training import minibatch_sgd


def small_problem(seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((6, 5))
    return x, rng.integers(0, 3, size=6)


@pytest.mark.points(1)
def test_rel_error():
    expect_scalar(rel_error(np.array([1.0, 2.0]), np.array([1.0, 2.0])), 0.0, _("rel_error of equal arrays"), atol=0)
    expect_scalar(rel_error(np.array([1.0]), np.array([3.0])), 0.5, "rel_error([1], [3])",
                  hint=_("max |x - y| / max(1e-8, |x| + |y|), elementwise"))


@pytest.mark.points(2)
def test_backprop_agrees_with_numerical_gradient():
    np.random.seed(1)
    net = TwoLayerNet(input_size=5, hidden_size=4, output_size=3, weight_init_std=0.1)
    x, t = small_problem()
    errors = gradient_check(net, x, t)
    if not isinstance(errors, dict) or set(errors) != {"W1", "b1", "W2", "b2"}:
        raise GradingFailure(_("gradient_check: expected a dict with keys ['W1', 'W2', 'b1', 'b2']"))
    # Backprop is exact; what remains is the error of central differences (about 1e-7 here).
    worst = max(errors, key=errors.get)
    if not errors[worst] < 1e-5:
        raise GradingFailure(_("TwoLayerNet.gradient disagrees with numerical_gradient: rel_error {error} for "
                               "{parameter}").format(error=f"{errors[worst]:.1e}", parameter=worst), hint=_("check each layer's backward on its own first (test_layers.py)"))


@pytest.mark.points(2)
def test_minibatch_sgd_lowers_the_loss():
    np.random.seed(2)
    rng = np.random.default_rng(3)
    x = rng.standard_normal((200, 5))
    t = (x[:, 0] > 0).astype(int)
    net = TwoLayerNet(input_size=5, hidden_size=8, output_size=2, weight_init_std=0.5)
    losses = minibatch_sgd(net, x, t, lr=0.5, batch_size=20, iters_num=200, seed=0)
    if not hasattr(losses, "__len__") or len(losses) != 200:
        raise GradingFailure(_("minibatch_sgd: expected a list of the 200 losses, one per iteration"))
    if not np.mean(losses[-20:]) < 0.5 * np.mean(losses[:20]):
        raise GradingFailure(_("minibatch_sgd: the loss did not halve over 200 iterations"),
                             hint=_("update every parameter in place: params[key] -= lr * grads[key]"))
    accuracy = net.accuracy(x, t)
    if not accuracy > 0.9:
        raise GradingFailure(_("minibatch_sgd: the trained network's accuracy is {accuracy}, expected above 0.9")
                             .format(accuracy=f"{accuracy:.2f}"))
