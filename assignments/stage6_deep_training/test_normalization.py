"""Public tests, stage 6: Batch Normalization in training and test mode, its backward pass against
numerical gradients."""
import numpy as np
import pytest

from course.language import _
from course_feedback.checks import expect_array, expect_gradient
from dlscratch.gradients import numerical_gradient
from dlscratch.normalization import BatchNormalization

rng = np.random.default_rng(6)
X = np.array([[1.0, 10.0], [3.0, 20.0], [5.0, 60.0]])
AXIS_HINT = _("normalise each feature (column) over the batch: x.mean(axis=0), x.var(axis=0)")


def normalised(x, eps=10e-7):
    return (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + eps)


@pytest.mark.points(1)
def test_batchnorm_training_forward():
    gamma, beta = np.array([2.0, 0.5]), np.array([1.0, -1.0])
    layer = BatchNormalization(gamma, beta)
    expect_array(layer.forward(X.copy(), train_flg=True), gamma * normalised(X) + beta,
                 _("BatchNormalization.forward on a (3, 2) batch in training"), rtol=1e-6, hint=AXIS_HINT)


@pytest.mark.points(1)
def test_batchnorm_running_statistics_and_test_mode():
    layer = BatchNormalization(np.ones(2), np.zeros(2), momentum=0.9)
    layer.forward(X.copy(), train_flg=True)
    mean, var = 0.1 * X.mean(axis=0), 0.1 * X.var(axis=0)
    expect_array(layer.running_mean, mean, _("running_mean after one training batch"), rtol=1e-12,
                 hint=_("start from zeros; running_mean = momentum * running_mean + (1 - momentum) * the batch mean"))
    expect_array(layer.running_var, var, _("running_var after one training batch"), rtol=1e-12,
                 hint=_("the batch's variance, not its standard deviation"))
    x, kept_mean = np.array([[2.0, 30.0]]), np.array(layer.running_mean, dtype=np.float64)
    expect_array(layer.forward(x, train_flg=False), (x - mean) / np.sqrt(var + 10e-7),
                 _("BatchNormalization.forward in test mode"), rtol=1e-6,
                 hint=_("test mode normalises with running_mean and running_var, never with the batch's own"))
    expect_array(layer.running_mean, kept_mean, _("running_mean after a test-mode forward"), rtol=0, atol=0,
                 hint=_("test mode only reads the running statistics"))


@pytest.mark.points(2)
@pytest.mark.parametrize("shape", [(4, 3), (3, 2, 2, 2)], ids=["2d", "4d"])
def test_batchnorm_backward_matches_numerical(shape):
    features = int(np.prod(shape[1:]))
    x, dout = rng.standard_normal(shape), rng.standard_normal(shape)
    gamma, beta = rng.standard_normal(features), rng.standard_normal(features)
    layer = BatchNormalization(gamma.copy(), beta.copy())
    layer.forward(x.copy(), train_flg=True)
    dx = layer.backward(dout.copy())

    def loss(_):
        return np.sum(BatchNormalization(gamma, beta).forward(x, train_flg=True) * dout)
    what = _("BatchNormalization.backward on a {shape} batch").format(shape=shape)
    hint = _("dx flows through the batch mean and variance too: each input moves every output of its feature")
    expect_gradient(dx, numerical_gradient(loss, x), f"{what}: dx", hint=hint)
    expect_gradient(layer.dgamma, numerical_gradient(loss, gamma), f"{what}: dgamma",
                    hint=_("dgamma = sum over the batch of the normalised x times dout"))
    expect_gradient(layer.dbeta, numerical_gradient(loss, beta), f"{what}: dbeta",
                    hint=_("dbeta = dout summed over the batch"))
