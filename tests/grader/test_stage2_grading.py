"""The stage 2 hidden suite end to end: exact scores for realistic mistakes (the reference and the stubs
of every stage: test_suites.py).

Each wrong submission is the reference with a few functions redefined; mistakes that touch different
tests share a submission, so that every `grade` call (a second or two) checks several of them.
"""
import pytest

from autograder.grading import carry
from autograder.grading.carry import CARRIED_FORWARD_KEPT
from course_feedback.code_error import too_slow_line
from course_feedback.diagnoses import SOFTMAX_AXIS_HINT, SOFTMAX_OVERFLOW_HINT
from course.stages import STAGE_BY_NAME

from .conftest import expect_result, grade, lost, output_of, stage_max
from .mistakes import LOOP_SOFTMAX, SOFTMAX_OVER_AXIS_0, SOFTMAX_WITHOUT_MAX

pytestmark = pytest.mark.slow

STAGE = "stage2"
MAX_SCORE = stage_max(STAGE)

STEP_RETURNING_A_LIST = """
def step_function(x):
    return (np.asarray(x) > 0).astype(np.float64).tolist()
"""
# The book's relu: an int input gives an int result.
RELU_KEEPING_THE_DTYPE = """
def relu(x):
    return np.maximum(0, x)
"""
# Overflows (with a warning) at -1000 but returns the right 0.0.
PLAIN_SIGMOID = """
def sigmoid(x):
    return 1 / (1 + np.exp(-np.asarray(x, dtype=np.float64)))
"""
RELU_IN_PLACE = """
def relu(x):
    x = np.asarray(x, dtype=np.float64)
    x[x < 0] = 0.0
    return x
"""
# Fires at exactly 0: step(0) = 1.
STEP_WITH_GREATER_OR_EQUAL = """
def step_function(x):
    return (np.asarray(x) >= 0).astype(np.float64)
"""
ACCURACY_DROPPING_THE_LAST_BATCH = """
def accuracy(network, x, t, batch_size=100):
    correct = 0
    for start in range(0, len(x) - batch_size + 1, batch_size):
        y = predict(network, x[start:start + batch_size])
        correct += int(np.sum(np.argmax(y, axis=1) == t[start:start + batch_size]))
    return correct / len(x)
"""


def test_overflow_lists_and_dtypes(make_submission):
    report = grade(make_submission(append={"activations": SOFTMAX_WITHOUT_MAX + STEP_RETURNING_A_LIST
                                           + RELU_KEEPING_THE_DTYPE + PLAIN_SIGMOID}), STAGE)
    expect_result(report, STAGE, {
        "test_softmax_large_inputs",
        "test_elementwise_activation[step_function]",
        "test_activation_returns_float64[step_function]",
        "test_activation_leaves_its_input_alone[step_function]",
        "test_activation_returns_float64[relu]",
    })
    assert SOFTMAX_OVERFLOW_HINT in output_of(report, STAGE, "test_softmax_large_inputs")
    assert "expected a NumPy array" in output_of(report, STAGE, "test_elementwise_activation[step_function]")
    assert "returned dtype int64, expected float64" in output_of(report, STAGE, "test_activation_returns_float64[relu]")
    # The plain sigmoid keeps its points; its overflow warning is passed on as a hint.
    assert "overflow encountered in exp" in output_of(report, STAGE, "test_sigmoid_at_extreme_inputs")


def test_softmax_over_the_wrong_axis_and_a_mutating_relu(make_submission):
    report = grade(make_submission(append={"activations": SOFTMAX_OVER_AXIS_0 + RELU_IN_PLACE}), STAGE)
    # Right on one sample, wrong on every batch. Leaving the input alone pays only with right values. predict
    # and accuracy agree with the reference run through this softmax: carried forward, they keep 75%, but
    # for batches of one, where this softmax returns ones whatever the scores (no work to carry forward:
    # accuracy is then the share of label 0, as with a softmax returning zeros).
    carried = {"test_network_on_a_sample_and_a_batch[predict]", "test_accuracy_on_the_digits[7]",
               "test_accuracy_on_the_digits[100]", "test_accuracy_on_the_digits[1000]"}
    expect_result(report, STAGE, {*carried,
        "test_softmax_batch[4x3]",
        "test_softmax_batch[64x10]",
        "test_softmax_batch[1x5]",
        "test_softmax_large_inputs",
        "test_softmax_three_dimensional",
        "test_activation_returns_float64[softmax]",
        "test_accuracy_on_the_digits[1]",
        "test_softmax_is_vectorised",
        "test_activation_leaves_its_input_alone[relu]",
        "test_activation_leaves_its_input_alone[softmax]",
    }, kept=dict.fromkeys(carried, CARRIED_FORWARD_KEPT))
    assert "axis=-1" in output_of(report, STAGE, "test_softmax_batch[64x10]")
    assert "modified its input in place" in output_of(report, STAGE, "test_activation_leaves_its_input_alone[relu]")
    # Carried forward instead of a likely cause; the large-input test tells the axis, not "subtract the
    # maximum"; a hidden test shows the function and the kind of failure only.
    predict = output_of(report, STAGE, "test_network_on_a_sample_and_a_batch[predict]").splitlines()
    assert predict[-1] == "carried forward from your softmax: 75% of this test's points kept"
    assert not [line for line in predict if "likely cause" in line]
    assert "carried forward" not in output_of(report, STAGE, "test_accuracy_on_the_digits[1]")
    large = output_of(report, STAGE, "test_softmax_large_inputs")
    assert [line for line in large.splitlines() if line.startswith("hint: ")] == [
        f"hint: {SOFTMAX_AXIS_HINT}"]
    assert "maximum" not in large
    assert output_of(report, STAGE, "test_softmax_three_dimensional") == (
        "softmax: wrong values (hidden test: its inputs, details and hint are not shown)")
    # The accuracy hint ("count every batch") would blame right code: a carried-forward test has none.
    assert not [line for line in predict if line.startswith("hint:")]
    # The timing test loses its point without charging the wrong values a second time.
    assert output_of(report, STAGE, "test_softmax_is_vectorised") == (
        "softmax on a (20000, 4) batch: wrong values: not timed (the tests of its values say what is wrong)")


def test_a_loop_softmax_loses_only_the_timing_test(make_submission):
    # Also a wrong accuracy, in another module: it costs the accuracy tests and nothing of softmax's.
    report = grade(make_submission(append={"activations": LOOP_SOFTMAX,
                                           "neuralnet": ACCURACY_DROPPING_THE_LAST_BATCH}), STAGE)
    expect_result(report, STAGE, {
        "test_softmax_is_vectorised",
        "test_accuracy_on_the_digits[7]",
        "test_accuracy_on_the_digits[100]",
        "test_accuracy_on_the_digits[1000]",
    })
    assert "too slow" in output_of(report, STAGE, "test_softmax_is_vectorised")
    assert "no Python loop over rows" in output_of(report, STAGE, "test_softmax_is_vectorised")
    assert "last, shorter one" in output_of(report, STAGE, "test_accuracy_on_the_digits[7]")


def test_a_step_function_firing_at_zero_loses_its_tests(make_submission):
    # Every input of the step_function tests has exact zeros.
    report = grade(make_submission(append={"activations": STEP_WITH_GREATER_OR_EQUAL}), STAGE)
    expect_result(report, STAGE, {
        "test_elementwise_activation[step_function]",
        "test_activation_returns_float64[step_function]",
        "test_activation_leaves_its_input_alone[step_function]",
    })


SIGMOID_OWN_TESTS = {
    "test_elementwise_activation[sigmoid]",
    "test_activation_returns_float64[sigmoid]",
    "test_activation_leaves_its_input_alone[sigmoid]",
    "test_sigmoid_at_extreme_inputs",
}
# The network functions built on sigmoid.
SIGMOID_DEPENDENTS = {
    "test_forward_book_network",
    "test_network_on_a_sample_and_a_batch[forward]",
    "test_network_on_a_sample_and_a_batch[predict]",
    "test_accuracy_on_the_digits[1]",
    "test_accuracy_on_the_digits[7]",
    "test_accuracy_on_the_digits[100]",
    "test_accuracy_on_the_digits[1000]",
}
SIGMOID_TESTS = SIGMOID_OWN_TESTS | SIGMOID_DEPENDENTS
SLOW_SIGMOIDS = {
    "sleeping": "import time\ndef sigmoid(x):\n    time.sleep(5)\n    return 1 / (1 + np.exp(-x))\n",
    "burning the CPU": "import time\ndef sigmoid(x):\n    end = time.monotonic() + 5\n"
                       "    while time.monotonic() < end:\n        pass\n    return 1 / (1 + np.exp(-x))\n",
}


@pytest.mark.parametrize("kind", sorted(SLOW_SIGMOIDS))
def test_a_slow_sigmoid_costs_its_own_tests_and_a_quarter_of_what_calls_it(make_submission, kind):
    # sigmoid's first call times out (3 s) and it is not called again: the network functions are judged by
    # their own work with the course's sigmoid in its place, each keeping 75%; softmax, timing test
    # included, keeps every point.
    report = grade(make_submission(append={"activations": SLOW_SIGMOIDS[kind]}), STAGE)
    expect_result(report, STAGE, SIGMOID_TESTS, kept=dict.fromkeys(SIGMOID_DEPENDENTS, CARRIED_FORWARD_KEPT))
    limit = STAGE_BY_NAME[STAGE].call_timeout
    assert too_slow_line("sigmoid", limit) in output_of(report, STAGE, "test_sigmoid_at_extreme_inputs")
    for name in SIGMOID_DEPENDENTS:
        assert output_of(report, STAGE, name).endswith(
            carry.feedback(["activations.sigmoid"], ["activations.sigmoid"])), name
    assert "softmax" not in "".join(lost(report).values())


# Right values, but every call leaves a thread burning the CPU in the worker (until the pids limit).
SIGMOID_LEAVING_A_BURNING_THREAD = """
import threading
def _burn():
    while True:
        pass
_sigmoid = sigmoid
def sigmoid(x):
    threading.Thread(target=_burn, daemon=True).start()
    return _sigmoid(x)
"""


def test_threads_a_sigmoid_leaves_behind_never_slow_softmax(make_submission):
    # A worker left with threads running is replaced before the next test: softmax's calls, timed one
    # included, never share it with them. Only tests that call sigmoid (hundreds of times) may lose.
    report = grade(make_submission(append={"activations": SIGMOID_LEAVING_A_BURNING_THREAD}), STAGE)
    assert set(lost(report)) <= {f"test_stage2.py::{name}" for name in SIGMOID_TESTS}


# A softmax that raises until it holds the course's softmax, which predict keeps wherever it finds it standing
# in: a stand-in kept past its run answers nothing, so this scores what the raising softmax alone does.
SOFTMAX_RAISING = """
_kept = []
def softmax(x):
    if _kept:
        return _kept[0](x)
    raise ValueError("not yet")
"""
PREDICT_KEEPING_THE_STAND_IN = """
_predict = predict
def predict(network, x):
    from . import activations
    if getattr(softmax, "__module__", None) != activations.__name__:
        activations._kept.append(softmax)
    return _predict(network, x)
"""


SOFTMAX_OWN_TESTS = {"test_activation_returns_float64[softmax]", "test_activation_leaves_its_input_alone[softmax]",
                     "test_softmax_book_example", "test_softmax_batch[4x3]", "test_softmax_batch[64x10]",
                     "test_softmax_batch[1x5]", "test_softmax_large_inputs", "test_softmax_three_dimensional",
                     "test_softmax_is_vectorised"}
SOFTMAX_DEPENDENTS = {"test_network_on_a_sample_and_a_batch[predict]", "test_accuracy_on_the_digits[1]",
                      "test_accuracy_on_the_digits[7]", "test_accuracy_on_the_digits[100]",
                      "test_accuracy_on_the_digits[1000]"}


def test_the_course_s_function_kept_past_its_run_answers_nothing(make_submission):
    # What the raising softmax alone scores: its own tests lost, a quarter of each dependent's.
    report = grade(make_submission(append={"activations": SOFTMAX_RAISING, "neuralnet": PREDICT_KEEPING_THE_STAND_IN}),
                   STAGE)
    expect_result(report, STAGE, SOFTMAX_OWN_TESTS | SOFTMAX_DEPENDENTS,
                  kept=dict.fromkeys(SOFTMAX_DEPENDENTS, CARRIED_FORWARD_KEPT))
