"""Solutions, stages 1-2: gates, activations, softmax properties, the sample network."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from solutions import activations, gates, neuralnet
from tests.strategies import float_arrays

XOR_TABLE = {(0, 0): 0, (1, 0): 1, (0, 1): 1, (1, 1): 0}


def test_xor_is_composed_of_the_other_gates():
    for (x1, x2), expected in XOR_TABLE.items():
        assert gates.XOR(x1, x2) == expected == gates.AND(gates.NAND(x1, x2), gates.OR(x1, x2))


@pytest.mark.parametrize("name", ["step_function", "sigmoid", "relu", "identity_function", "softmax"])
@given(x=float_arrays())
def test_activations_keep_shape_and_return_float64(name, x):
    y = getattr(activations, name)(x)
    assert y.shape == x.shape and y.dtype == np.float64
    assert np.all(np.isfinite(y))


@given(x=float_arrays(), shift=st.floats(-1e3, 1e3))
def test_softmax_rows_sum_to_one_and_ignore_shifts(x, shift):
    with np.errstate(over="raise", invalid="raise"):
        y = activations.softmax(x)
    np.testing.assert_allclose(y.sum(axis=-1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(activations.softmax(x + shift), y, atol=1e-9)


def test_sigmoid_saturates_without_overflow():
    with np.errstate(over="raise"):
        np.testing.assert_allclose(activations.sigmoid(np.array([-1e3, 1e3])), [0.0, 1.0])


def test_accuracy_is_independent_of_batch_size():
    from dlscratch_data import load_digits
    _, (x_test, t_test) = load_digits()
    network = neuralnet.load_sample_network()
    scores = {neuralnet.accuracy(network, x_test, t_test, batch_size=size) for size in (1, 33, 100, 1000)}
    assert len(scores) == 1 and scores.pop() > 0.9
