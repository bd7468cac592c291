"""The hidden suites of every stage: the reference scores every point and the stubs none, and on realistic
wrong submissions each mistake loses exactly its tests' points.

Expected losses are test names; the points come from the rubric, so the scores asserted are exact.
"""
import re

import pytest

from course.stages import STAGES
from course_feedback.diagnoses import SOFTMAX_OVERFLOW_HINT

from .conftest import RUBRIC, expect_result, expect_results, grade, lost
from .mistakes import (ADAM_WITHOUT_BIAS_CORRECTION, AFFINE_WITHOUT_RESHAPE, CROSS_ENTROPY_WITHOUT_GUARD, LOOP_SOFTMAX,
                       MOMENTUM_WITHOUT_STATE, RELU_MUTATING_DOUT, SGD_REBINDING, SOFTMAX_OVER_AXIS_0,
                       SOFTMAX_WITHOUT_MAX)

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("stage", [stage.name for stage in STAGES])
def test_the_reference_scores_every_point_and_the_stubs_none(solved_package, stub_package, stage):
    expect_result(grade(solved_package.parent, stage), stage, set())
    stubs = grade(stub_package.parent, stage)
    expect_result(stubs, stage, [name.split("::")[1] for name, entry in RUBRIC.items() if entry.stage == stage])
    # A function that is not implemented is told only that, by name: no "likely cause" besides.
    for output in lost(stubs).values():
        assert re.fullmatch(r"[\w.]+(:| is) not implemented yet( \(hidden test[^\n]*\))?", output), output


def test_numerical_mistakes_cost_exactly_their_tests(make_submission):
    submission = make_submission(append={"activations": SOFTMAX_WITHOUT_MAX, "losses": CROSS_ENTROPY_WITHOUT_GUARD,
                                         "layers": RELU_MUTATING_DOUT, "optimizers": SGD_REBINDING})
    report = grade(submission)
    expect_results(report, {
        "stage2": {"test_softmax_large_inputs"},
        "stage3": {"test_cross_entropy_of_a_zero_probability"},
        "stage4": {"test_relu_leaves_its_input_alone[backward]"},
        "stage5": {"test_update_changes_params_in_place[SGD]", "test_the_network_learns[SGD]"},
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
    expect_results(report, {
        "stage2": {"test_softmax_is_vectorised"},
        "stage4": {"test_affine_backward[4d]", "test_softmax_with_loss_is_vectorised"},
        "stage5": {"test_consecutive_updates[default-Momentum]", "test_consecutive_updates[custom-Momentum]",
                   "test_consecutive_updates[default-Adam]", "test_consecutive_updates[custom-Adam]",
                   "test_update_changes_params_in_place[Momentum]", "test_update_changes_params_in_place[Adam]",
                   "test_the_network_learns[Momentum]", "test_the_network_learns[Adam]",
                   "test_update_leaves_grads_alone"},
        # SimpleConvNet's Affine1 takes the pooled (N, C, H, W) maps: its dx must get their shape back
        "stage7": {"test_simple_conv_net_gradient"},
    }, kept={"stage5": {  # without state, Momentum's first step is still right: 1 of 5 steps
        "test_consecutive_updates[default-Momentum]": 0.2,
        "test_consecutive_updates[custom-Momentum]": 0.2,
        # the other three optimizers' updates are right, and leave the gradients alone
        "test_update_leaves_grads_alone": 0.6,
    }})
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
