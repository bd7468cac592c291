"""Public tests, stage 6: MultiLayerNet's loss with weight decay, and its gradient against numerical
gradients, with and without Batch Normalization."""
import numpy as np
import pytest

from course.language import _
from course_feedback.checks import expect_gradient, expect_scalar
from dlscratch.multi_layer_net import MultiLayerNet

rng = np.random.default_rng(60)
X, T = rng.standard_normal((5, 4)), np.array([0, 2, 1, 2, 0])


@pytest.mark.points(1)
def test_loss_adds_weight_decay():
    plain = MultiLayerNet(4, [6, 5], 3, rng=np.random.default_rng(1))
    decayed = MultiLayerNet(4, [6, 5], 3, weight_decay_lambda=0.1, rng=np.random.default_rng(1))
    squares = sum(np.sum(plain.params[f"W{i}"] ** 2) for i in (1, 2, 3))
    expect_scalar(decayed.loss(X, T), plain.loss(X, T) + 0.05 * squares, _("MultiLayerNet.loss with weight_decay_lambda=0.1"),
                  rtol=1e-6, hint=_("add 0.5 * lambda * sum(W ** 2) over every weight matrix W1..W3, not the biases"))


@pytest.mark.points(2)
@pytest.mark.parametrize("options", [{"activation": "sigmoid", "weight_decay_lambda": 0.1},
                                     {"activation": "relu", "use_batchnorm": True}], ids=["decay", "batchnorm"])
def test_gradient_matches_numerical(options):
    net = MultiLayerNet(4, [6, 5], 3, weight_init_std=0.5, rng=np.random.default_rng(2), **options)
    if options.get("use_batchnorm"):
        for name, param in net.params.items():
            if name.startswith(("gamma", "beta")):
                param[...] = rng.standard_normal(param.shape)
    grads, numerical = net.gradient(X, T), net.numerical_gradient(X, T)
    for name, expected in numerical.items():
        expect_gradient(grads.get(name) if isinstance(grads, dict) else grads, expected, f"MultiLayerNet.gradient: {name}",
                        hint=_("backward through every layer in reverse; add lambda * W to each dW (not to the biases); "
                               "gamma and beta come from the BatchNorm layers' dgamma and dbeta"))
