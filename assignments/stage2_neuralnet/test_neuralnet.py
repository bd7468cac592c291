"""Public tests, stage 2: the 3-layer forward pass and batched accuracy on the bundled digits."""
import numpy as np
import pytest

from dlscratch.neuralnet import accuracy, forward, init_network, load_sample_network, predict
from dlscratch_data import load_digits


@pytest.mark.points(2)
def test_forward_book_example():
    y = forward(init_network(), np.array([1.0, 0.5]))
    np.testing.assert_allclose(y, [0.31682708, 0.69627909], rtol=1e-7)


@pytest.mark.points(1)
def test_predict_batch_gives_probabilities():
    x = np.array([[1.0, 0.5], [0.0, 0.0], [-1.0, 2.0]])
    y = predict(init_network(), x)
    assert y.shape == (3, 2)
    np.testing.assert_allclose(y.sum(axis=1), 1.0, rtol=1e-12)


@pytest.mark.points(2)
def test_accuracy_of_the_sample_network_on_digits():
    _, (x_test, t_test) = load_digits(normalize=True)
    network = load_sample_network()
    acc = accuracy(network, x_test, t_test, batch_size=100)
    assert isinstance(acc, float)
    assert acc > 0.9
    assert acc == accuracy(network, x_test, t_test, batch_size=7), "batch size must not change the result"
