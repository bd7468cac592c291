"""The stage 3 hidden suite end to end: exact scores for realistic mistakes (the reference and the stubs
of every stage: test_suites.py).

Each wrong submission is the reference with a few functions redefined; mistakes that touch different
tests share a submission, so that every `grade` call (a second or two) checks several of them.
"""
import pytest

from .conftest import expect_result, grade, output_of
from .mistakes import ACCURACY_FOR_ONE_HOT_ONLY, CROSS_ENTROPY_WITHOUT_GUARD, LOOP_CROSS_ENTROPY

pytestmark = pytest.mark.slow

STAGE = "stage3"

# The book's first version: no average over the batch.
MEAN_SQUARED_ERROR_SUMMED = """
def mean_squared_error(y, t):
    return 0.5 * np.sum((y - t) ** 2)
"""
# The book's `x = init_x`: the updates land in the caller's array.
GRADIENT_DESCENT_IN_PLACE = """
def gradient_descent(f, init_x, lr=0.01, step_num=100):
    x = init_x
    for _ in range(step_num):
        x -= lr * numerical_gradient(f, x)
    return x
"""
NUMERICAL_GRADIENT_WITHOUT_RESTORE = """
def numerical_gradient(f, x):
    grad = np.zeros(x.shape)
    for idx in np.ndindex(x.shape):
        tmp = x[idx]
        x[idx] = tmp + H
        f_plus = f(x)
        x[idx] = tmp - H
        f_minus = f(x)
        grad[idx] = (f_plus - f_minus) / (2 * H)
    return grad
"""
# Keeps log finite by clipping y in place, which changes the caller's array.
CROSS_ENTROPY_CLIPPING_Y_IN_PLACE = """
def cross_entropy_error(y, t):
    y = np.asarray(y, dtype=np.float64)
    np.maximum(y, 1e-7, out=y)
    rows = y.reshape(-1, y.shape[-1])
    t = np.asarray(t)
    t = t.reshape(len(rows), -1).argmax(axis=1) if t.size == rows.size else t.reshape(-1)
    return float(-np.sum(np.log(rows[np.arange(len(rows)), t])) / len(rows))
"""
FORWARD_DIFFERENCE = """
def numerical_diff(f, x):
    return (f(x + H) - f(x)) / H
"""
# Right for functions of their argument; TwoLayerNet's loss ignores it and reads self.params.
NUMERICAL_GRADIENT_ON_A_COPY = """
def numerical_gradient(f, x):
    x = x.copy()
    grad = np.zeros(x.shape)
    for idx in np.ndindex(x.shape):
        tmp = x[idx]
        x[idx] = tmp + H
        f_plus = f(x)
        x[idx] = tmp - H
        f_minus = f(x)
        x[idx] = tmp
        grad[idx] = (f_plus - f_minus) / (2 * H)
    return grad
"""


def test_log_of_zero_batch_average_and_init_x(make_submission):
    report = grade(make_submission(append={"losses": CROSS_ENTROPY_WITHOUT_GUARD + MEAN_SQUARED_ERROR_SUMMED,
                                           "gradients": GRADIENT_DESCENT_IN_PLACE}), STAGE)
    # The summed loss also loses "leaves its inputs alone": that pays only with the right value.
    expect_result(report, STAGE, {
        "test_cross_entropy_of_a_zero_probability",
        "test_mean_squared_error[batch]",
        "test_loss_leaves_its_inputs_alone[mean_squared_error]",
        "test_gradient_descent_leaves_init_x_alone",
    })
    assert "1e-7" in output_of(report, STAGE, "test_cross_entropy_of_a_zero_probability")
    assert "expected a finite number" in output_of(report, STAGE, "test_cross_entropy_of_a_zero_probability")
    assert "divided by the batch size" in output_of(report, STAGE, "test_mean_squared_error[batch]")
    assert "modified its input in place" in output_of(report, STAGE, "test_gradient_descent_leaves_init_x_alone")


def test_forgetting_to_restore_x_and_mutating_y(make_submission):
    report = grade(make_submission(append={"gradients": NUMERICAL_GRADIENT_WITHOUT_RESTORE,
                                           "losses": CROSS_ENTROPY_CLIPPING_Y_IN_PLACE,
                                           "numerical_net": ACCURACY_FOR_ONE_HOT_ONLY}), STAGE)
    # Each perturbed element is left h off: the direct gradients stay right (the test functions are
    # sums of one-variable terms), but gradient descent drifts (so leaving init_x alone earns nothing
    # either) and the net's gradient is off.
    expect_result(report, STAGE, {
        "test_numerical_gradient_restores_x",
        "test_gradient_descent[book]",
        "test_gradient_descent[2d]",
        "test_gradient_descent_leaves_init_x_alone",
        "test_two_layer_net_numerical_gradient",
        "test_two_layer_net_numerical_gradient_keeps_params",
        "test_loss_leaves_its_inputs_alone[cross_entropy_error]",
        "test_two_layer_net_accuracy[labels]",
    })
    assert "put it back" in output_of(report, STAGE, "test_numerical_gradient_restores_x")
    assert "likely cause: this relies on your gradients.numerical_gradient" in output_of(
        report, STAGE, "test_gradient_descent[book]")
    assert "put it back" in output_of(report, STAGE, "test_two_layer_net_numerical_gradient_keeps_params")
    # The net's gradient is wrong because x was not restored, and the hint says that, not "a copy".
    gradient = output_of(report, STAGE, "test_two_layer_net_numerical_gradient")
    assert "hint: numerical_gradient left the parameters changed: keep the original value" in gradient
    assert "not a copy" not in gradient
    assert sum("likely cause" in line for line in gradient.splitlines()) == 1
    assert "modified its input in place" in output_of(
        report, STAGE, "test_loss_leaves_its_inputs_alone[cross_entropy_error]")
    assert "AxisError" in output_of(report, STAGE, "test_two_layer_net_accuracy[labels]")


def test_a_loop_cross_entropy_loses_only_the_timing_test(make_submission):
    # Also two gradient mistakes, in another module: they cost their own tests only.
    report = grade(make_submission(append={"losses": LOOP_CROSS_ENTROPY,
                                           "gradients": FORWARD_DIFFERENCE + NUMERICAL_GRADIENT_ON_A_COPY}),
                   STAGE)
    # The copy leaves the net's parameters alone, but keeping them pays only with right gradients.
    expect_result(report, STAGE, {
        "test_cross_entropy_is_vectorised",
        "test_numerical_diff_book_example[5.0]",
        "test_numerical_diff_book_example[10.0]",
        "test_two_layer_net_numerical_gradient",
        "test_two_layer_net_numerical_gradient_keeps_params",
    })
    assert "too slow" in output_of(report, STAGE, "test_cross_entropy_is_vectorised")
    assert "central difference" in output_of(report, STAGE, "test_numerical_diff_book_example[5.0]")
    assert "not a copy" in output_of(report, STAGE, "test_two_layer_net_numerical_gradient")


# log(0) where p has a zero: 0 * -inf is NaN.
ENTROPY_WITHOUT_ZERO_LOG_ZERO = """
def entropy(p):
    p = np.asarray(p, dtype=np.float64)
    h = -np.sum(p * np.log(p), axis=-1)
    return float(h) if h.ndim == 0 else h
"""
# Sums over the whole batch: one number where each row needs its own.
CROSS_ENTROPY_OVER_EVERY_AXIS = """
def cross_entropy(p, q):
    p, q = np.asarray(p, dtype=np.float64), np.asarray(q, dtype=np.float64)
    return float(-np.sum(np.where(p > 0, p * np.log(q), 0.0)))
"""
# The reverse divergence, KL(q || p).
KL_THE_OTHER_WAY_ROUND = """
def kl_divergence(p, q):
    p, q = np.asarray(p, dtype=np.float64), np.asarray(q, dtype=np.float64)
    kl = np.sum(q * np.log(q / p), axis=-1)
    return float(kl) if kl.ndim == 0 else kl
"""


def test_entropy_without_0_log_0_and_cross_entropy_over_the_batch(make_submission):
    report = grade(make_submission(append={"entropy": ENTROPY_WITHOUT_ZERO_LOG_ZERO + CROSS_ENTROPY_OVER_EVERY_AXIS}),
                   STAGE)
    # A single distribution has one axis: its cross-entropy is still right.
    expect_result(report, STAGE, {
        "test_information_measures[single-entropy]",
        "test_information_measures[batch-entropy]",
        "test_information_measures[batch-cross_entropy]",
        "test_one_hot_p_gives_the_cross_entropy_loss",
    })
    assert "NaN" in output_of(report, STAGE, "test_information_measures[single-entropy]")
    assert "0 log 0 counts as 0" in output_of(report, STAGE, "test_information_measures[batch-entropy]")
    assert "expected a NumPy array of shape (5,)" in output_of(
        report, STAGE, "test_information_measures[batch-cross_entropy]")


def test_the_reverse_kl_divergence_loses_the_kl_tests(make_submission):
    report = grade(make_submission(append={"entropy": KL_THE_OTHER_WAY_ROUND}), STAGE)
    expect_result(report, STAGE, {
        "test_information_measures[single-kl_divergence]",
        "test_information_measures[batch-kl_divergence]",
        "test_one_hot_p_gives_the_cross_entropy_loss",
    })
    assert "it is H(p, q) - H(p)" in output_of(report, STAGE, "test_information_measures[single-kl_divergence]")
