"""The stage 6 hidden suite end to end: exact scores for realistic mistakes (the reference and the stubs of
every stage: test_suites.py).

Each mistake is the reference with one function replaced; mistakes in different functions touch disjoint
tests, so one `grade` call can check several of them.
"""
import pytest

from .conftest import RUBRIC, expect_result, grade, output_of
from .mistakes import BATCHNORM_WRONG_AXIS, DECAYING_BIASES, DROPOUT_IGNORING_THE_FLAG

pytestmark = pytest.mark.slow

STAGE = "stage6"
# Test mode moves the running statistics towards the test batch's before using them.
BATCHNORM_UPDATING_IN_TEST_MODE = """
_train_forward = BatchNormalization.forward
def _forward_updating(self, x, train_flg=True):
    if train_flg or self.running_mean is None:
        return _train_forward(self, x, train_flg)
    flat = x.reshape(x.shape[0], -1)
    self.running_mean = self.momentum * self.running_mean + (1 - self.momentum) * flat.mean(axis=0)
    self.running_var = self.momentum * self.running_var + (1 - self.momentum) * flat.var(axis=0)
    return _train_forward(self, x, False)
BatchNormalization.forward = _forward_updating
"""
# He's scale for Xavier's names too.
INIT_SCALE_ALWAYS_HE = """
def init_scale(weight_init_std, fan_in):
    if isinstance(weight_init_std, str):
        return float(np.sqrt(2.0 / fan_in))
    return float(weight_init_std)
"""
# Every layer in training mode, whatever train_flg says (the layers' own default).
PREDICT_IGNORING_THE_FLAG = """
def _predict_always_training(self, x, train_flg=False):
    for layer in self.layers.values():
        x = layer.forward(x)
    return x
MultiLayerNet.predict = _predict_always_training
"""


def test_each_layer_mistake_costs_exactly_its_tests(make_submission):
    report = grade(make_submission(append={"normalization": BATCHNORM_UPDATING_IN_TEST_MODE,
                                           "dropout": DROPOUT_IGNORING_THE_FLAG,
                                           "weight_init": INIT_SCALE_ALWAYS_HE}), STAGE)
    # Test mode that updates the running statistics costs the layer's test-mode test and the network's
    # prediction after training; a Dropout dropping in test mode its test-mode tests and the network's;
    # Xavier's names given He's scale their two init_scale tests.
    expect_result(report, STAGE, {"test_batchnorm_test_mode", "test_multi_layer_net_batchnorm_test_mode",
                                  "test_dropout_test_mode[default]", "test_dropout_test_mode[custom]",
                                  "test_multi_layer_net_dropout_test_mode",
                                  "test_init_scale[xavier]", "test_init_scale[sigmoid]"})
    assert "BatchNormalization.forward in test mode, call 1: wrong values" in output_of(report, STAGE,
                                                                                      "test_batchnorm_test_mode")
    assert "likely cause: this relies on your normalization.BatchNormalization" in output_of(
        report, STAGE, "test_multi_layer_net_batchnorm_test_mode")
    assert "x * (1.0 - self.dropout_ratio)" in output_of(report, STAGE, "test_dropout_test_mode[default]")


def test_batchnorm_over_the_wrong_axis_costs_the_layer_and_the_network_using_it(make_submission):
    report = grade(make_submission(append={"normalization": BATCHNORM_WRONG_AXIS}), STAGE)
    # Every BatchNormalization test (its backward keeps dbeta, the sum of dout whatever the axis) and the
    # network's tests with BatchNorm, whose gradient keeps nothing: the only parameters it gets right are
    # the biases right before BatchNorm, whose gradient is 0 either way.
    batchnorm_tests = {name.split("::")[1] for name, entry in RUBRIC.items()
                       if entry.stage == STAGE and "batchnorm" in name}
    expect_result(report, STAGE, batchnorm_tests,
                  kept={"test_batchnorm_backward[2d]": 1 / 3, "test_batchnorm_backward[4d]": 1 / 3})
    assert "axis=0" in output_of(report, STAGE, "test_batchnorm_forward_in_training[2d]")
    assert "likely cause: this relies on your normalization.BatchNormalization" in output_of(
        report, STAGE, "test_multi_layer_net_batchnorm_gradient")


def test_each_network_mistake_costs_exactly_its_tests(make_submission):
    report = grade(make_submission(append={"multi_layer_net": DECAYING_BIASES + PREDICT_IGNORING_THE_FLAG}), STAGE)
    # Decayed biases: the bias half of the decayed gradient's parameters. Training mode in predict: the
    # two networks that behave differently at test time.
    expect_result(report, STAGE, {"test_multi_layer_net_gradient[decay]", "test_multi_layer_net_batchnorm_test_mode",
                                  "test_multi_layer_net_dropout_test_mode"},
                  kept={"test_multi_layer_net_gradient[decay]": 0.5})
    assert "biases exempt" in output_of(report, STAGE, "test_multi_layer_net_gradient[decay]")
