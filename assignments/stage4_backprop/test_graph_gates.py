"""Public tests, stage 4: CS231n's max and copy gates, and the sigmoid circuit backward stage by stage."""
import numpy as np
import pytest

from dlscratch.graph_gates import CopyGate, MaxGate, sigmoid_circuit


def circuit(w, x):
    return 1.0 / (1.0 + np.exp(-(w[0] * x[0] + w[1] * x[1] + w[2])))


def central_difference(f, x, h=1e-5):
    """df/dx by central differences, one element of x at a time."""
    grad = np.zeros_like(x)
    for i in range(len(x)):
        step = np.zeros_like(x)
        step[i] = h
        grad[i] = (f(x + step) - f(x - step)) / (2 * h)
    return grad


@pytest.mark.points(1)
def test_max_gate_routes_and_copy_gate_sums():
    gate = MaxGate()
    np.testing.assert_array_equal(gate.forward(np.array([1.0, 5.0]), np.array([3.0, 2.0])), [3.0, 5.0])
    dx, dy = gate.backward(np.array([10.0, 20.0]))
    np.testing.assert_array_equal(dx, [0.0, 20.0])
    np.testing.assert_array_equal(dy, [10.0, 0.0])
    copy = CopyGate()
    assert copy.forward(4.0) == (4.0, 4.0)
    assert copy.backward(1.5, -0.5) == 1.0


@pytest.mark.points(1)
def test_sigmoid_circuit_cs231n_example():
    f, dw, dx = sigmoid_circuit(np.array([2.0, -3.0, -3.0]), np.array([-1.0, -2.0]))
    assert f == pytest.approx(0.7310585786300049)
    np.testing.assert_allclose(dw, [-0.19661193, -0.39322387, 0.19661193], rtol=1e-7)
    np.testing.assert_allclose(dx, [0.39322387, -0.5898358], rtol=1e-7)


@pytest.mark.points(1)
def test_sigmoid_circuit_against_numerical_gradients():
    w, x = np.array([0.5, -1.2, 0.3]), np.array([1.5, 0.7])
    _, dw, dx = sigmoid_circuit(w, x)
    np.testing.assert_allclose(dw, central_difference(lambda v: circuit(v, x), w), rtol=1e-6)
    np.testing.assert_allclose(dx, central_difference(lambda v: circuit(w, v), x), rtol=1e-6)
