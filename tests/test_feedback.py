"""The shared feedback engine: diagnoses of common mistakes, one-line reasons, the text and JSON reports."""
import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis.extra.numpy import array_shapes

from autograder.points.checks import expect_array, expect_dtype
from autograder.points.diagnoses import (BATCH_MEAN_HINT, LABELS_HINT, SOFTMAX_AXIS_HINT, SOFTMAX_OVERFLOW_HINT,
                                         SOFTMAX_ROW_MAX_HINT, batch_scale_mistake, cross_entropy_mistake,
                                         softmax_mistake)
from autograder.points.failure import GradingFailure
from autograder.points.report import Report, one_line_reason, render_json, render_text
from autograder.points.report import TestResult as Result
from solutions.activations import softmax
from solutions.losses import cross_entropy_error

from .strategies import finite, float_arrays, moderate


def _wrong_axis(x):
    e = np.exp(x - np.max(x, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)


@given(x=float_arrays(array_shapes(min_dims=2, max_dims=2, min_side=2, max_side=6), moderate))
def test_a_wrong_axis_softmax_is_named(x):
    y = _wrong_axis(x)
    if not np.allclose(y, softmax(x), rtol=1e-6):
        assert softmax_mistake(x, y) == SOFTMAX_AXIS_HINT


@given(x=float_arrays(array_shapes(min_dims=1, max_dims=3, max_side=6), finite))
def test_the_right_softmax_gets_no_diagnosis(x):
    assert softmax_mistake(x, softmax(x)) == ""


def test_overflow_and_a_batch_wide_maximum_are_told_apart():
    x = np.array([[1010.0, 1000.0, 990.0], [0.5, 0.0, -0.5]])
    with np.errstate(all="ignore"):
        no_max = np.exp(x) / np.sum(np.exp(x), axis=-1, keepdims=True)
        batch_max = np.exp(x - x.max()) / np.sum(np.exp(x - x.max()), axis=-1, keepdims=True)
    assert softmax_mistake(x, no_max) == SOFTMAX_OVERFLOW_HINT
    assert softmax_mistake(x, batch_max) == SOFTMAX_ROW_MAX_HINT


def test_cross_entropy_mistakes():
    y = softmax(np.array([[0.3, 2.9, 4.0], [1.0, 0.0, -1.0]]))
    labels = np.array([2, 0])
    expected = cross_entropy_error(y, labels)
    assert cross_entropy_mistake(y, labels, expected, 2 * expected) == BATCH_MEAN_HINT
    assert cross_entropy_mistake(y, labels, expected, expected + 0.3) == LABELS_HINT
    assert cross_entropy_mistake(y, np.eye(3)[labels], expected, expected + 0.3) == ""


def test_a_gradient_summed_over_the_batch_is_named():
    expected = np.array([[0.1, -0.2], [0.3, 0.4]])
    assert "divide by the batch size" in batch_scale_mistake(expected, 4 * expected, 4)
    assert batch_scale_mistake(expected, expected + 1, 4) == ""


def test_a_diagnosis_replaces_the_fixed_hint_only_when_it_names_something():
    x = np.array([[0.3, 2.9, 4.0], [1.0, 1.0, 1.0]])
    with pytest.raises(GradingFailure) as named:
        expect_array(_wrong_axis(x), softmax(x), "softmax", hint="fixed", diagnose=lambda y: softmax_mistake(x, y))
    assert named.value.hint == SOFTMAX_AXIS_HINT
    with pytest.raises(GradingFailure) as fixed:
        expect_array(softmax(x) + 0.1, softmax(x), "softmax", hint="fixed", diagnose=lambda y: softmax_mistake(x, y))
    assert fixed.value.hint == "fixed"


def test_a_dtype_check_names_both_dtypes():
    with pytest.raises(GradingFailure, match="returned dtype int64, expected float64"):
        expect_dtype(np.array([1, 2]), np.float64, "relu")
    expect_dtype(np.array([1.0]), np.float64, "relu")


def test_hidden_feedback_leaves_out_the_detail_but_keeps_the_hint():
    failure = GradingFailure("softmax on a (4, 3) batch: wrong values", "largest relative error 1e+00", "axis")
    assert failure.feedback() == "softmax on a (4, 3) batch: wrong values\nlargest relative error 1e+00\nhint: axis"
    assert failure.feedback(hidden=True) == ("softmax on a (4, 3) batch: wrong values (hidden test: its input "
                                             "values are not shown)\nhint: axis")


REPORT = Report(tests=[
    Result("test_stage2.py::test_softmax_batch[4x3]", "stage2", 1.0, 0.0, "failed",
               "softmax on a (4, 3) batch: wrong values\nlargest relative error 2e-01\nhint: use axis=-1"),
    Result("test_stage2.py::test_sigmoid", "stage2", 2.0, 2.0, "passed"),
    Result("test_stage3.py::test_loss", "stage3", 1.0, 0.25, "failed", "loss: wrong value\nlikely cause: x"),
], notes=["isolation: sandbox"])


def test_one_line_reasons():
    assert one_line_reason(REPORT.tests[0]) == "softmax on a (4, 3) batch: wrong values (hint: use axis=-1)"
    assert one_line_reason(REPORT.tests[2]) == "loss: wrong value (likely cause: x)"
    assert one_line_reason(Result("t", "stage1", 1.0, output="")) == "failed"
    assert len(one_line_reason(Result("t", "stage1", 1.0, output="x" * 1000))) == 240


def test_the_text_report_lists_every_lost_test_under_the_table():
    lines = render_text(REPORT).splitlines()
    assert lines[lines.index("lost points:") + 1:-1] == [
        "  test_stage2.py::test_softmax_batch[4x3] (0/1): softmax on a (4, 3) batch: wrong values (hint: use axis=-1)",
        "  test_stage3.py::test_loss (0.25/1): loss: wrong value (likely cause: x)",
    ]
    assert lines[-1] == "isolation: sandbox"


def test_gradescope_output_is_the_stage_summary():
    output = json.loads(render_json(REPORT))["output"].splitlines()
    assert output[1].split()[:2] == ["stage2", "Neural"] and output[1].endswith("2 / 3")
    assert output[2].endswith("0.25 / 1") and output[3].endswith("2.25 / 4")
    assert output[-1] == "isolation: sandbox"
