"""The hidden suites on realistic wrong submissions: each mistake loses exactly its tests' points.

Expected losses are test names; the points come from the rubric, so the scores asserted are exact.
"""
import pytest

from course.rubric import load_rubric
from course_feedback.diagnoses import SOFTMAX_OVERFLOW_HINT

from .conftest import LOOP_SOFTMAX, SOFTMAX_OVER_AXIS_0, grade, lost, stage_scores

pytestmark = pytest.mark.slow

SOFTMAX_WITHOUT_MAX = """
def softmax(x):
    e = np.exp(np.asarray(x, dtype=np.float64))
    return e / np.sum(e, axis=-1, keepdims=True)
"""
CROSS_ENTROPY_WITHOUT_GUARD = """
def cross_entropy_error(y, t):
    y = np.asarray(y, dtype=np.float64).reshape(-1, np.shape(y)[-1])
    t = np.asarray(t)
    t = t.reshape(len(y), -1).argmax(axis=1) if t.size == y.size else t.reshape(-1)
    return float(-np.sum(np.log(y[np.arange(len(y)), t])) / len(y))
"""
RELU_MUTATING_DOUT = """
def _backward(self, dout):
    dout[self.mask] = 0
    return dout
Relu.backward = _backward
"""
SGD_REBINDING = """
def _update(self, params, grads):
    for key in params:
        params[key] = params[key] - self.lr * grads[key]
SGD.update = _update
"""
AFFINE_WITHOUT_RESHAPE = """
def _backward(self, dout):
    self.dW = self.x.T @ dout
    self.db = dout.sum(axis=0)
    return dout @ self.W.T if self.needs_input_grad else None
Affine.backward = _backward
"""
MOMENTUM_WITHOUT_STATE = """
def _update(self, params, grads):
    for key in params:
        params[key] += -self.lr * grads[key]
Momentum.update = _update
"""
ADAM_WITHOUT_BIAS_CORRECTION = """
def _update(self, params, grads):
    if self.m is None:
        self.m = {k: np.zeros_like(v) for k, v in params.items()}
        self.v = {k: np.zeros_like(v) for k, v in params.items()}
    for key in params:
        self.m[key] = self.beta1 * self.m[key] + (1 - self.beta1) * grads[key]
        self.v[key] = self.beta2 * self.v[key] + (1 - self.beta2) * grads[key] ** 2
        params[key] -= self.lr * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)
Adam.update = _update
"""


def expect_losses(report, expected, kept=None):
    """Exactly the `expected` tests lost points, keeping kept[name] of them (partial credit, default 0),
    and every stage's score is its maximum less those points from the rubric."""
    rubric, kept = load_rubric(), kept or {}
    assert set(lost(report)) == set(expected)
    for stage, (score, max_score) in stage_scores(report).items():
        lost_points = sum(rubric[name].points * (1 - kept.get(name, 0.0))
                          for name in expected if rubric[name].stage == stage)
        assert score == pytest.approx(max_score - lost_points)


def test_numerical_mistakes_cost_exactly_their_tests(make_submission):
    submission = make_submission(append={"activations": SOFTMAX_WITHOUT_MAX, "losses": CROSS_ENTROPY_WITHOUT_GUARD,
                                         "layers": RELU_MUTATING_DOUT, "optimizers": SGD_REBINDING})
    report = grade(submission)
    expect_losses(report, {
        "test_stage2.py::test_softmax_large_inputs",
        "test_stage3.py::test_cross_entropy_of_a_zero_probability",
        "test_stage4.py::test_relu_leaves_its_input_alone[backward]",
        "test_stage5.py::test_update_changes_params_in_place[SGD]",
        "test_stage5.py::test_the_network_learns[SGD]",
    })
    feedback = lost(report)
    assert SOFTMAX_OVERFLOW_HINT in feedback["test_stage2.py::test_softmax_large_inputs"]
    assert "1e-7" in feedback["test_stage3.py::test_cross_entropy_of_a_zero_probability"]
    assert "modified its input" in feedback["test_stage4.py::test_relu_leaves_its_input_alone[backward]"]
    assert "in place" in feedback["test_stage5.py::test_update_changes_params_in_place[SGD]"]


def test_loops_shapes_and_state_cost_exactly_their_tests(make_submission):
    submission = make_submission(append={"activations": LOOP_SOFTMAX, "layers": AFFINE_WITHOUT_RESHAPE,
                                         "optimizers": MOMENTUM_WITHOUT_STATE + ADAM_WITHOUT_BIAS_CORRECTION})
    report = grade(submission)
    expect_losses(report, {
        "test_stage2.py::test_softmax_is_vectorised",
        "test_stage4.py::test_affine_backward[4d]",
        "test_stage4.py::test_softmax_with_loss_is_vectorised",
        "test_stage5.py::test_consecutive_updates[default-Momentum]",
        "test_stage5.py::test_consecutive_updates[custom-Momentum]",
        "test_stage5.py::test_consecutive_updates[default-Adam]",
        "test_stage5.py::test_consecutive_updates[custom-Adam]",
        "test_stage5.py::test_update_changes_params_in_place[Momentum]",
        "test_stage5.py::test_update_changes_params_in_place[Adam]",
        "test_stage5.py::test_the_network_learns[Momentum]",
        "test_stage5.py::test_the_network_learns[Adam]",
        "test_stage5.py::test_update_leaves_grads_alone",
    }, kept={  # without state, Momentum's first step is still right: 1 of 5 steps
        "test_stage5.py::test_consecutive_updates[default-Momentum]": 0.2,
        "test_stage5.py::test_consecutive_updates[custom-Momentum]": 0.2,
        # the other three optimizers' updates are right, and leave the gradients alone
        "test_stage5.py::test_update_leaves_grads_alone": 0.6,
    })
    feedback = lost(report)
    assert "too slow" in feedback["test_stage2.py::test_softmax_is_vectorised"]
    assert "wrong shape" in feedback["test_stage4.py::test_affine_backward[4d]"]
    assert "Momentum" in feedback["test_stage5.py::test_consecutive_updates[default-Momentum]"]


def test_an_earlier_stage_bug_is_named_as_the_cause(make_submission):
    report = grade(make_submission(append={"activations": SOFTMAX_OVER_AXIS_0}), "stage4")
    feedback = lost(report)
    assert "test_stage4.py::test_softmax_with_loss[labels]" in feedback
    assert "carried forward from your softmax" in feedback["test_stage4.py::test_softmax_with_loss[labels]"]
    assert "likely cause: this relies on your activations.softmax" in feedback["test_stage4.py::test_gradient_check"]
    assert "test_stage4.py::test_affine_forward[2d]" not in feedback
