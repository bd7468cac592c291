"""Solutions, stage 4: CS231n's max and copy gates, the staged sigmoid circuit, and the classic 2-2-2
network by hand with its exact numbers."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograder.grading.checks import reference_gradient as numerical_gradient
from solutions import backprop_by_hand, losses
from solutions.graph_gates import CopyGate, MaxGate, sigmoid_circuit
from tests.strategies import assert_gradients_close, float_arrays, moderate


@given(x=float_arrays(st.just((7,)), moderate), y=float_arrays(st.just((7,)), moderate),
       dout=float_arrays(st.just((7,)), moderate))
def test_max_gate_routes_the_gradient_to_the_larger_input(x, y, dout):
    gate = MaxGate()
    np.testing.assert_array_equal(gate.forward(x, y), np.maximum(x, y))
    dx, dy = gate.backward(dout)
    np.testing.assert_array_equal(dx, np.where(x >= y, dout, 0.0))
    np.testing.assert_array_equal(dx + dy, dout)


def test_max_gate_ties_go_to_x_and_scalars_work():
    gate = MaxGate()
    assert gate.forward(2.0, 2.0) == 2.0
    assert gate.backward(3.0) == (3.0, 0.0)
    assert MaxGate().forward(-1.0, 4.0) == 4.0


@given(x=float_arrays(st.just((2, 3)), moderate), d1=float_arrays(st.just((2, 3)), moderate),
       d2=float_arrays(st.just((2, 3)), moderate))
def test_copy_gate_sums_the_branch_gradients(x, d1, d2):
    gate = CopyGate()
    first, second = gate.forward(x)
    assert first is x and second is x
    np.testing.assert_array_equal(gate.backward(d1, d2), d1 + d2)


def _circuit(w, x):
    return 1.0 / (1.0 + np.exp(-(w[0] * x[0] + w[1] * x[1] + w[2])))


def test_sigmoid_circuit_cs231n_example():
    f, dw, dx = sigmoid_circuit(np.array([2.0, -3.0, -3.0]), np.array([-1.0, -2.0]))
    assert f == pytest.approx(0.7310585786300049, rel=1e-15)
    np.testing.assert_allclose(dw, [-0.19661193324148185, -0.3932238664829637, 0.19661193324148185], rtol=1e-14)
    np.testing.assert_allclose(dx, [0.3932238664829637, -0.5898357997244456], rtol=1e-14)


@given(w=float_arrays(st.just((3,)), moderate), x=float_arrays(st.just((2,)), moderate))
def test_sigmoid_circuit_against_numerical_gradients(w, x):
    f, dw, dx = sigmoid_circuit(w, x)
    assert f == pytest.approx(_circuit(w, x), rel=1e-14)
    assert_gradients_close(dw, numerical_gradient(lambda: _circuit(w, x), w))
    assert_gradients_close(dx, numerical_gradient(lambda: _circuit(w, x), x))


# The classic example (see solutions/backprop_by_hand.py); expected values computed in 40-digit arithmetic
# (mpmath) from the formulas, not rounded step by step as in the widely quoted walk-through.
X, T = np.array([0.05, 0.10]), np.array([0.01, 0.99])
W1 = np.array([[0.15, 0.25], [0.20, 0.30]])
W2 = np.array([[0.40, 0.50], [0.45, 0.55]])
B1, B2 = 0.35, 0.60
INITIAL_ERROR = 0.298371108760003
# w1, w2, w3, w4 and w5, w6, w7, w8 after one step, in the book's layout.
W1_AFTER = np.array([[0.149780716132763, 0.24975114363237], [0.199561432265526, 0.299502287264739]])
W2_AFTER = np.array([[0.358916479717885, 0.511301270238738], [0.408666186076233, 0.561370121107989]])


def test_the_classic_example_to_1e8():
    _, o = backprop_by_hand.forward(X, W1, B1, W2, B2)
    assert losses.mean_squared_error(o, T) == pytest.approx(INITIAL_ERROR, abs=1e-8)
    assert round(losses.mean_squared_error(o, T), 9) == 0.298371109
    new_W1, new_W2 = backprop_by_hand.backprop_step(X, T, W1, B1, W2, B2, lr=0.5)
    np.testing.assert_allclose(new_W1, W1_AFTER, rtol=0, atol=1e-8)
    np.testing.assert_allclose(new_W2, W2_AFTER, rtol=0, atol=1e-8)
    # The exact error after the step is 0.2910277737, not the quoted 0.291027924.
    _, o = backprop_by_hand.forward(X, new_W1, B1, new_W2, B2)
    assert losses.mean_squared_error(o, T) == pytest.approx(0.2910277737, abs=1e-10)


@given(data=st.data())
def test_backprop_step_is_gradient_descent_on_the_numerical_gradient(data):
    sizes = [data.draw(st.integers(1, 4)) for _ in range(3)]
    x, W1, W2, t = (data.draw(float_arrays(st.just(shape), moderate)) for shape in
                    ((sizes[0],), (sizes[0], sizes[1]), (sizes[1], sizes[2]), (sizes[2],)))
    b1, b2 = 0.1, -0.2
    before = [W1.copy(), W2.copy()]
    error = lambda: losses.mean_squared_error(backprop_by_hand.forward(x, W1, b1, W2, b2)[1], t)
    expected = [W - 0.5 * numerical_gradient(error, W) for W in (W1, W2)]
    for new, want, old, W in zip(backprop_by_hand.backprop_step(x, t, W1, b1, W2, b2), expected, before, (W1, W2)):
        np.testing.assert_allclose(new, want, rtol=1e-6, atol=1e-9)
        np.testing.assert_array_equal(W, old)
