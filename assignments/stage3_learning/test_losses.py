"""Public tests, stage 3: mean squared error and cross-entropy, the book's worked examples."""
import numpy as np
import pytest

from dlscratch.losses import cross_entropy_error, mean_squared_error

T = np.array([0, 0, 1, 0, 0, 0, 0, 0, 0, 0], dtype=np.float64)
Y_GOOD = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])
Y_BAD = np.array([0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0])


@pytest.mark.points(1)
def test_mean_squared_error_book_example():
    assert mean_squared_error(Y_GOOD, T) == pytest.approx(0.0975)
    assert mean_squared_error(Y_BAD, T) == pytest.approx(0.5975)


@pytest.mark.points(1)
def test_cross_entropy_book_example():
    assert cross_entropy_error(Y_GOOD, T) == pytest.approx(0.510825457099338)
    assert cross_entropy_error(Y_BAD, T) == pytest.approx(2.302584092994546)
    assert isinstance(cross_entropy_error(Y_GOOD, T), float)


@pytest.mark.points(1)
def test_cross_entropy_labels_equal_one_hot_in_a_batch():
    y = np.stack([Y_GOOD, Y_BAD])
    one_hot = np.stack([T, T])
    expected = (0.510825457099338 + 2.302584092994546) / 2
    assert cross_entropy_error(y, one_hot) == pytest.approx(expected)
    assert cross_entropy_error(y, np.array([2, 2])) == pytest.approx(expected)


@pytest.mark.points(1)
def test_cross_entropy_of_zero_probability_is_finite():
    loss = cross_entropy_error(np.array([1.0, 0.0]), np.array([0.0, 1.0]))
    assert loss == pytest.approx(-np.log(1e-7))
