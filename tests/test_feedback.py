"""The shared feedback engine: diagnoses of common mistakes, one-line reasons, the text and JSON reports."""
import json
import time

import numpy as np
import pytest
from hypothesis import given
from hypothesis.extra.numpy import array_shapes

from autograder.grading.errors import StudentCodeError
from course_feedback.checks import expect_array, expect_dtype
from course_points.clock import CallClock, CallTooSlow
from course_feedback.code_error import describe_exception, too_slow_line
from course_feedback.diagnoses import (BATCH_MEAN_HINT, LABELS_HINT, SOFTMAX_AXIS_HINT, SOFTMAX_OVERFLOW_HINT,
                                         SOFTMAX_ROW_MAX_HINT, batch_scale_mistake, cross_entropy_mistake,
                                         softmax_mistake)
from course.names import STUDENT_PACKAGE
from course_feedback.failure import GradingFailure
from course_points.report import Report, render_json, render_text
from course_points.verdict import Verdict as Result
from solutions.activations import softmax
from solutions.losses import cross_entropy_error

from .strategies import finite, float_arrays, moderate


def _wrong_axis(x):
    e = np.exp(x - np.max(x, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)


@given(x=float_arrays(array_shapes(min_dims=2, max_dims=2, min_side=2, max_side=6), moderate))
def test_a_wrong_axis_softmax_is_named_when_its_rows_do_not_sum_to_one(x):
    # Where every row happens to sum to 1 (equal rows) the result alone cannot show the axis.
    y = _wrong_axis(x)
    if not np.allclose(y.sum(axis=-1), 1.0, rtol=1e-6):
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


def test_visible_feedback_has_summary_detail_and_hint_on_their_lines():
    failure = GradingFailure("softmax on a (4, 3) batch: wrong values", "largest relative error 1e+00", "axis")
    assert failure.feedback() == "softmax on a (4, 3) batch: wrong values\nlargest relative error 1e+00\nhint: axis"


CAUSE = "likely cause: this relies on your softmax, which is wrong (wrong values); fix that first"
REPORT = Report(tests=[
    Result("test_stage2.py::test_softmax_batch[4x3]", "stage2", 1.0, 0.0, "failed",
           "softmax on a (4, 3) batch: wrong values\nlargest relative error 2e-01\nhint: use axis=-1"),
    Result("test_stage2.py::test_sigmoid", "stage2", 2.0, 2.0, "passed"),
    Result("test_stage3.py::test_loss", "stage3", 1.0, 0.25, "failed", "loss: wrong value\n" + CAUSE),
], notes=["isolation: sandbox"])


def test_one_line_reasons():
    assert REPORT.tests[0].reason == "softmax on a (4, 3) batch: wrong values (hint: use axis=-1)"
    assert REPORT.tests[2].reason == f"loss: wrong value ({CAUSE})"
    carried = Result("t", "stage2", 1.0, 0.75, "failed", "predict: wrong values\nhint: sigmoid\n"
                     "carried forward from your softmax: 75% of this test's points kept")
    assert carried.reason == ("predict: wrong values (carried forward from your softmax: 75% of this "
                              "test's points kept)")
    assert Result("t", "stage1", 1.0, feedback="").reason == "failed"
    assert len(Result("t", "stage1", 1.0, feedback="x" * 1000).reason) == 240
    # Cut at a word, never inside one.
    words = Result("t", "stage1", 1.0, feedback="wrong values " * 40).reason
    assert words.endswith("values...") and len(words) <= 240


def _student_function(source, module="activations"):
    """A function compiled as if it were the student's `dlscratch.<module>` (the plugin knows it by that)."""
    namespace = {"__name__": f"{STUDENT_PACKAGE}.{module}"}
    exec(compile(source, f"/repo/{STUDENT_PACKAGE}/{module}.py", "exec"), namespace)
    return namespace


def test_an_exception_reads_as_the_grader_words_it():
    functions = _student_function("def softmax(x):\n    return x / x.sum(axis=1)\n\n"
                                  "def predict(x):\n    return softmax(x)\n")
    with pytest.raises(ValueError) as raised:
        functions["predict"](np.ones(3))
    line = describe_exception(raised.value)
    # The worker reports the innermost student line as "file:line in function"; the proxy words it.
    worker_error = {"type": type(raised.value).__name__, "message": str(raised.value),
                    "where": "activations.py:2 in softmax"}
    assert line == StudentCodeError.from_reply(worker_error, "predict").summary
    assert line.startswith("predict raised AxisError at activations.py:2 in softmax: axis 1 is out of bounds")


def test_a_stub_reads_the_same_whoever_calls_it():
    stub = _student_function('def forward(x):\n    raise NotImplementedError("Stage 4: implement '
                             'backprop_by_hand.forward")\n', "backprop_by_hand")
    with pytest.raises(NotImplementedError) as raised:
        stub["forward"](1)
    assert describe_exception(raised.value) == "backprop_by_hand.forward is not implemented yet"
    assert StudentCodeError.from_reply({"type": "NotImplementedError", "message": str(raised.value)},
                                  "predict").summary == "backprop_by_hand.forward is not implemented yet"


@pytest.mark.parametrize("body", ["while True:\n        pass", "import time\n    time.sleep(30)"])
def test_a_call_past_its_limit_is_stopped_with_the_grades_words(body):
    functions = _student_function(f"def sigmoid(x):\n    {body}\n\ndef relu(x):\n    return x\n")
    started = time.monotonic()
    with pytest.raises(CallTooSlow) as slow, CallClock(0.3):
        functions["relu"](1)
        functions["sigmoid"](1)
    assert slow.value.summary == too_slow_line("sigmoid", 0.3)
    assert slow.value.summary == "sigmoid took longer than 0.3 s (the limit for one call)"
    assert time.monotonic() - started < 5


def test_the_clock_times_each_call_not_the_test():
    functions = _student_function("import time\ndef sigmoid(x):\n    time.sleep(0.2)\n    return x\n")
    with CallClock(0.5):
        assert [functions["sigmoid"](i) for i in range(5)] == list(range(5))


def test_the_text_report_lists_every_lost_test_under_the_table():
    lines = render_text(REPORT).splitlines()
    assert lines[lines.index("lost points:") + 1:-1] == [
        "  test_stage2.py::test_softmax_batch[4x3] (0/1): softmax on a (4, 3) batch: wrong values (hint: use axis=-1)",
        f"  test_stage3.py::test_loss (0.25/1): loss: wrong value ({CAUSE})",
    ]
    assert lines[-1] == "isolation: sandbox"


def test_gradescope_output_is_the_stage_summary():
    output = json.loads(render_json(REPORT))["output"].splitlines()
    assert output[1].split()[:2] == ["stage2", "Neural"] and output[1].endswith("2 / 3")
    assert output[2].endswith("0.25 / 1") and output[3].endswith("2.25 / 4")
    assert output[-1] == "isolation: sandbox"
