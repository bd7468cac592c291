"""Public tests, stage 3: mean squared error and cross-entropy, the book's worked examples."""
import numpy as np
import pytest

from course.language import _
from course_feedback.checks import expect_scalar
from course_feedback.diagnoses import cross_entropy_mistake
from course_feedback.failure import GradingFailure
from dlscratch.losses import cross_entropy_error, mean_squared_error

T = np.array([0, 0, 1, 0, 0, 0, 0, 0, 0, 0], dtype=np.float64)
Y_GOOD = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])
Y_BAD = np.array([0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0])
GOOD_LOSS, BAD_LOSS = 0.510825457099338, 2.302584092994546


def expect_loss(y, t, expected, what):
    expect_scalar(cross_entropy_error(y, t), expected, what, rtol=1e-6,
                  diagnose=lambda value: cross_entropy_mistake(y, t, expected, value))


@pytest.mark.points(1)
def test_mean_squared_error_book_example():
    expect_scalar(mean_squared_error(Y_GOOD, T), 0.0975, _("mean_squared_error of the book's good guess"), rtol=1e-6,
                  hint="0.5 * np.sum((y - t) ** 2)")
    expect_scalar(mean_squared_error(Y_BAD, T), 0.5975, _("mean_squared_error of the book's bad guess"), rtol=1e-6,
                  hint="0.5 * np.sum((y - t) ** 2)")


@pytest.mark.points(1)
def test_cross_entropy_book_example():
    expect_loss(Y_GOOD, T, GOOD_LOSS, _("cross_entropy_error of the book's good guess"))
    expect_loss(Y_BAD, T, BAD_LOSS, _("cross_entropy_error of the book's bad guess"))
    loss = cross_entropy_error(Y_GOOD, T)
    if not isinstance(loss, float):
        raise GradingFailure(_("cross_entropy_error: returned a {type}, expected a float").format(
                             type=type(loss).__name__),
                             hint=_("return float(...) of the mean"))


@pytest.mark.points(1)
def test_cross_entropy_labels_equal_one_hot_in_a_batch():
    y = np.stack([Y_GOOD, Y_BAD])
    expected = (GOOD_LOSS + BAD_LOSS) / 2
    expect_loss(y, np.stack([T, T]), expected, _("cross_entropy_error on a batch of 2 with one-hot t"))
    expect_loss(y, np.array([2, 2]), expected, _("cross_entropy_error on a batch of 2 with labels t"))


@pytest.mark.points(1)
def test_cross_entropy_of_zero_probability_is_finite():
    with np.errstate(divide="ignore", invalid="ignore"):
        loss = cross_entropy_error(np.array([1.0, 0.0]), np.array([0.0, 1.0]))
    expect_scalar(loss, -np.log(1e-7), _("cross_entropy_error when the right class has probability 0"), rtol=1e-6,
                  hint=_("add a small delta (1e-7) inside the log: np.log(0) is -inf"))
