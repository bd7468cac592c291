"""Public tests, stage 2: activation functions and softmax."""
import numpy as np
import pytest

from dlscratch.activations import identity_function, relu, sigmoid, softmax, step_function

X = np.array([-1.0, 0.0, 2.0])


@pytest.mark.points(1)
def test_step_function():
    y = step_function(X)
    assert y.dtype == np.float64 and y.shape == (3,)
    np.testing.assert_array_equal(y, [0.0, 0.0, 1.0])


@pytest.mark.points(1)
def test_sigmoid():
    np.testing.assert_allclose(sigmoid(X), [0.26894142, 0.5, 0.88079708], rtol=1e-7)
    assert sigmoid(np.zeros((2, 3))).shape == (2, 3)


@pytest.mark.points(1)
def test_relu_and_identity():
    np.testing.assert_array_equal(relu(X), [0.0, 0.0, 2.0])
    np.testing.assert_array_equal(identity_function(X), X)


@pytest.mark.points(1)
def test_softmax_book_example():
    y = softmax(np.array([0.3, 2.9, 4.0]))
    np.testing.assert_allclose(y, [0.01821127, 0.24519181, 0.73659691], rtol=1e-6)


@pytest.mark.points(1)
def test_softmax_large_inputs_do_not_overflow():
    with np.errstate(over="raise", invalid="raise"):
        y = softmax(np.array([1010.0, 1000.0, 990.0]))
    np.testing.assert_allclose(y, [9.99954600e-01, 4.53978686e-05, 2.06106005e-09], rtol=1e-6)


@pytest.mark.points(1)
def test_softmax_batch_rows_are_independent():
    x = np.array([[0.3, 2.9, 4.0], [1.0, 1.0, 1.0]])
    y = softmax(x)
    assert y.shape == (2, 3)
    np.testing.assert_allclose(y[0], softmax(x[0]), rtol=1e-12)
    np.testing.assert_allclose(y[1], [1 / 3] * 3, rtol=1e-12)
