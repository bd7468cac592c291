"""Public tests, stage 4: the classic 2-2-2 worked example of backpropagation by hand, to 1e-8.

The expected numbers are computed exactly from the formulas; the walk-throughs that quote an error of
0.291027924 after the step round every intermediate value (exactly it is 0.2910277737).
"""
import numpy as np
import pytest

from dlscratch.backprop_by_hand import backprop_step, forward
from dlscratch.losses import mean_squared_error

X, T = np.array([0.05, 0.10]), np.array([0.01, 0.99])
# w1 (x1 -> h1) is W1[0, 0], w2 (x2 -> h1) W1[1, 0], w3 (x1 -> h2) W1[0, 1], w4 W1[1, 1]; W2 likewise.
W1 = np.array([[0.15, 0.25], [0.20, 0.30]])
W2 = np.array([[0.40, 0.50], [0.45, 0.55]])
B1, B2 = 0.35, 0.60


@pytest.mark.points(1)
def test_initial_error():
    _, o = forward(X, W1, B1, W2, B2)
    assert mean_squared_error(o, T) == pytest.approx(0.298371109, abs=1e-9)


@pytest.mark.points(2)
def test_the_eight_updated_weights():
    new_W1, new_W2 = backprop_step(X, T, W1, B1, W2, B2, lr=0.5)
    w1, w2, w3, w4 = new_W1[0, 0], new_W1[1, 0], new_W1[0, 1], new_W1[1, 1]
    w5, w6, w7, w8 = new_W2[0, 0], new_W2[1, 0], new_W2[0, 1], new_W2[1, 1]
    expected = [0.149780716, 0.199561432, 0.249751144, 0.299502287,
                0.358916480, 0.408666186, 0.511301270, 0.561370121]
    np.testing.assert_allclose([w1, w2, w3, w4, w5, w6, w7, w8], expected, rtol=0, atol=1e-8)
    assert W1[0, 0] == 0.15 and W2[0, 0] == 0.40, "backprop_step must leave its arguments alone"
