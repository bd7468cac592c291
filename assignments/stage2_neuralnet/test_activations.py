"""Public tests, stage 2: activation functions and softmax."""
import numpy as np
import pytest

from course.language import _
from course_feedback.checks import expect_array, expect_dtype
from course_feedback.diagnoses import softmax_mistake
from dlscratch.activations import identity_function, relu, sigmoid, softmax, step_function

X = np.array([-1.0, 0.0, 2.0])


@pytest.mark.points(1)
def test_step_function():
    y = step_function(X)
    expect_array(y, [0.0, 0.0, 1.0], "step_function([-1, 0, 2])", hint=_("1 where x > 0, else 0"))
    expect_dtype(y, np.float64, "step_function([-1, 0, 2])")


@pytest.mark.points(1)
def test_sigmoid():
    expect_array(sigmoid(X), [0.26894142, 0.5, 0.88079708], "sigmoid([-1, 0, 2])", rtol=1e-7)
    expect_array(sigmoid(np.zeros((2, 3))), np.full((2, 3), 0.5), _("sigmoid on a (2, 3) array of zeros"))


@pytest.mark.points(1)
def test_relu_and_identity():
    expect_array(relu(X), [0.0, 0.0, 2.0], "relu([-1, 0, 2])")
    expect_array(identity_function(X), X, "identity_function([-1, 0, 2])")


@pytest.mark.points(1)
def test_softmax_book_example():
    x = np.array([0.3, 2.9, 4.0])
    expect_array(softmax(x), [0.01821127, 0.24519181, 0.73659691], "softmax([0.3, 2.9, 4.0])", rtol=1e-6,
                 diagnose=lambda y: softmax_mistake(x, y))


@pytest.mark.points(1)
def test_softmax_large_inputs_do_not_overflow():
    x = np.array([1010.0, 1000.0, 990.0])
    with np.errstate(over="ignore", invalid="ignore"):
        y = softmax(x)
    expect_array(y, [9.99954600e-01, 4.53978686e-05, 2.06106005e-09], "softmax([1010, 1000, 990])", rtol=1e-6,
                 diagnose=lambda y: softmax_mistake(x, y))


@pytest.mark.points(1)
def test_softmax_batch_rows_are_independent():
    x = np.array([[0.3, 2.9, 4.0], [1.0, 1.0, 1.0]])
    expected = [[0.01821127, 0.24519181, 0.73659691], [1 / 3] * 3]
    expect_array(softmax(x), expected, _("softmax on a (2, 3) batch"), rtol=1e-6,
                 diagnose=lambda y: softmax_mistake(x, y))
