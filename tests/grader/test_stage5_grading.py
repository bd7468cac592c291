"""The stage 5 hidden suite end to end: exact scores for the reference, the stubs and realistic mistakes.

The wrong submission is the reference with one mistake in each optimizer; each mistake touches its own
tests, so one `grade` call checks all of them.
"""
import pytest

from .conftest import grade, lost, stage_scores

pytestmark = pytest.mark.slow

MAX_SCORE = 11.0
STEPS = 5

SGD_REBINDING = """
def _update_rebinding(self, params, grads):
    for key in params:
        params[key] = params[key] - self.lr * grads[key]
SGD.update = _update_rebinding
"""
# v starts from zero on every call: the first step is right, the momentum never builds up.
MOMENTUM_WITHOUT_STATE = """
def _update_without_state(self, params, grads):
    v = {key: np.zeros_like(value) for key, value in params.items()}
    for key in params:
        v[key] = self.momentum * v[key] - self.lr * grads[key]
        params[key] += v[key]
Momentum.update = _update_without_state
"""
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
ADAM_WITHOUT_BIAS_CORRECTION = """
def _update_without_bias_correction(self, params, grads):
    if self.m is None:
        self.m = {key: np.zeros_like(value) for key, value in params.items()}
        self.v = {key: np.zeros_like(value) for key, value in params.items()}
    for key in params:
        self.m[key] = self.beta1 * self.m[key] + (1 - self.beta1) * grads[key]
        self.v[key] = self.beta2 * self.v[key] + (1 - self.beta2) * grads[key] ** 2
        params[key] -= self.lr * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)
Adam.update = _update_without_bias_correction
"""


def expect_result(report, score, lost_tests):
    """Stage 5 scored exactly `score`, and exactly `lost_tests` (names without the file) lost points."""
    assert stage_scores(report) == {"stage5": (pytest.approx(score), MAX_SCORE)}
    assert set(lost(report)) == {f"test_stage5.py::{name}" for name in lost_tests}


def feedback_of(report, name):
    return lost(report)[f"test_stage5.py::{name}"]


def test_the_reference_scores_the_maximum(solved_package):
    expect_result(grade(solved_package.parent, "stage5"), MAX_SCORE, set())


def test_the_stubs_score_zero(stub_package):
    report = grade(stub_package.parent, "stage5")
    assert stage_scores(report) == {"stage5": (0.0, MAX_SCORE)}
    assert "Adam.update is not implemented yet" in feedback_of(report, "test_consecutive_updates[default-Adam]")


def test_one_mistake_in_each_optimizer_costs_exactly_its_tests(make_submission):
    mistakes = (SGD_REBINDING + MOMENTUM_WITHOUT_STATE + ADAGRAD_SCALING_GRADS + RMSPROP_IGNORING_DECAY_RATE
                + ADAM_WITHOUT_BIAS_CORRECTION)
    report = grade(make_submission(append={"optimizers": mistakes}), "stage5")
    # Momentum keeps the credit of its first step. Updating in place and leaving grads alone pay only with
    # right parameters: Momentum and Adam lose those too, and the grads test keeps SGD and RMSprop (at
    # its default settings), 2 optimizers out of 5.
    expect_result(report, MAX_SCORE - (1.5 + 0.5) * (1 - 1 / STEPS) - 0.5 - 2 - 0.5 - 3 * 0.5 - 3 / 5, {
        "test_consecutive_updates[default-Momentum]",
        "test_consecutive_updates[custom-Momentum]",
        "test_consecutive_updates[custom-RMSprop]",
        "test_consecutive_updates[default-Adam]",
        "test_consecutive_updates[custom-Adam]",
        "test_update_changes_params_in_place[SGD]",
        "test_update_changes_params_in_place[Momentum]",
        "test_update_changes_params_in_place[Adam]",
        "test_update_leaves_grads_alone",
    })
    momentum = feedback_of(report, "test_consecutive_updates[default-Momentum]")
    assert "Momentum.update with default settings, call 2 of 5: params['W1']: wrong values" in momentum
    assert "keep v between calls" in momentum
    adam = feedback_of(report, "test_consecutive_updates[default-Adam]")
    assert "Adam.update with default settings, call 1 of 5" in adam
    assert "sqrt(1 - beta2**iter) / (1 - beta1**iter)" in adam
    # A hidden test says what failed, not on which inputs.
    assert "hidden test" in feedback_of(report, "test_consecutive_updates[custom-RMSprop]")
    assert "decay_rate" not in feedback_of(report, "test_consecutive_updates[custom-RMSprop]")
    in_place = feedback_of(report, "test_update_changes_params_in_place[SGD]")
    assert "SGD.update, call 1: the arrays params held before the call: params['W1']: wrong values" in in_place
    assert "params[key] -= ... (in place)" in in_place
