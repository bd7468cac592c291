"""The stage 5 hidden suite end to end: exact scores for realistic mistakes (the reference and the stubs
of every stage: test_suites.py).

The wrong submission is the reference with one mistake in each optimizer; each mistake touches its own
tests, so one `grade` call checks all of them.
"""
import pytest

from .conftest import RUBRIC, expect_result, grade, output_of, points
from .mistakes import ADAM_WITHOUT_BIAS_CORRECTION, MOMENTUM_WITHOUT_STATE, SGD_REBINDING

pytestmark = pytest.mark.slow

STAGE = "stage5"
STEPS = 5
# Scales the gradient array it was given, taking it for a copy: the parameters still come out right.
ADAGRAD_SCALING_GRADS = """
def _update_scaling_grads(self, params, grads):
    if self.h is None:
        self.h = {key: np.zeros_like(value) for key, value in params.items()}
    for key in params:
        self.h[key] += grads[key] * grads[key]
        step = grads[key]
        step *= self.lr / (np.sqrt(self.h[key]) + 1e-7)
        params[key] -= step
AdaGrad.update = _update_scaling_grads
"""
# The default decay rate written into the formula: right until someone passes another.
RMSPROP_IGNORING_DECAY_RATE = """
def _update_fixed_decay(self, params, grads):
    if self.h is None:
        self.h = {key: np.zeros_like(value) for key, value in params.items()}
    for key in params:
        self.h[key] = 0.99 * self.h[key] + 0.01 * grads[key] ** 2
        params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)
RMSprop.update = _update_fixed_decay
"""


def test_one_mistake_in_each_optimizer_costs_exactly_its_tests(make_submission):
    mistakes = (SGD_REBINDING + MOMENTUM_WITHOUT_STATE + ADAGRAD_SCALING_GRADS + RMSPROP_IGNORING_DECAY_RATE
                + ADAM_WITHOUT_BIAS_CORRECTION)
    report = grade(make_submission(append={"optimizers": mistakes}), STAGE)
    # Momentum keeps the credit of its first step. Updating in place and leaving grads alone pay only with
    # right parameters: Momentum and Adam lose those too, and the grads test keeps SGD and RMSprop (at
    # its default settings), 2 optimizers out of 5. A network trained with any of them but AdaGrad does
    # not follow the reference's.
    whole = ["test_the_network_learns[SGD]", "test_the_network_learns[Momentum]", "test_the_network_learns[RMSprop]",
             "test_the_network_learns[Adam]", "test_consecutive_updates[custom-RMSprop]",
             "test_consecutive_updates[default-Adam]", "test_consecutive_updates[custom-Adam]",
             "test_update_changes_params_in_place[SGD]", "test_update_changes_params_in_place[Momentum]",
             "test_update_changes_params_in_place[Adam]"]
    first_step_kept = ["test_consecutive_updates[default-Momentum]", "test_consecutive_updates[custom-Momentum]"]
    expect_result(report, STAGE, {*whole, *first_step_kept, "test_update_leaves_grads_alone"},
                  kept={**dict.fromkeys(first_step_kept, 1 / STEPS), "test_update_leaves_grads_alone": 2 / 5})
    momentum = output_of(report, STAGE, "test_consecutive_updates[default-Momentum]")
    assert "Momentum.update with default settings, call 2 of 5: params['W1']: wrong values" in momentum
    assert "keep v between calls" in momentum
    adam = output_of(report, STAGE, "test_consecutive_updates[default-Adam]")
    assert "Adam.update with default settings, call 1 of 5" in adam
    assert "sqrt(1 - beta2**iter) / (1 - beta1**iter)" in adam
    # A hidden test says what failed, not on which inputs.
    assert "hidden test" in output_of(report, STAGE, "test_consecutive_updates[custom-RMSprop]")
    assert "decay_rate" not in output_of(report, STAGE, "test_consecutive_updates[custom-RMSprop]")
    in_place = output_of(report, STAGE, "test_update_changes_params_in_place[SGD]")
    assert "SGD.update, call 1: the arrays params held before the call: params['W1']: wrong values" in in_place
    assert "params[key] -= ... (in place)" in in_place


# Right values in the dict, but new arrays: the network's layers keep the old ones and never learn.
MOMENTUM_REBINDING = """
def _rebinding(self, params, grads):
    if self.v is None:
        self.v = {key: np.zeros_like(value) for key, value in params.items()}
    for key in params:
        self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
        params[key] = params[key] + self.v[key]
Momentum.update = _rebinding
"""


def test_a_momentum_that_rebinds_params_loses_most_of_its_points(make_submission):
    report = grade(make_submission(append={"optimizers": MOMENTUM_REBINDING}), STAGE)
    # Most of Momentum's points: in place and a network that learns, not the step-by-step values.
    lost_tests = {"test_update_changes_params_in_place[Momentum]", "test_the_network_learns[Momentum]"}
    momentum = [name for name in RUBRIC if name.startswith("test_stage5.py::") and "Momentum" in name]
    assert points(STAGE, *lost_tests) > 0.5 * sum(RUBRIC[name].points for name in momentum)
    expect_result(report, STAGE, lost_tests)
    assert "the network did not learn" in output_of(report, STAGE, "test_the_network_learns[Momentum]")
