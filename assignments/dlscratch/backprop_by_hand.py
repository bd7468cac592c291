# Stage 4 (Backpropagation): generated from the course's reference solutions.
# Your work goes in the function bodies that raise NotImplementedError; keep the names and
# signatures, the grader calls them.
"""Stage 4: backpropagation by hand, the classic worked example of a 2-2-2 network.

Sigmoid hidden and output units, squared error E = 1/2 sum (t - o)^2 (losses.mean_squared_error), one
step of gradient descent on the weights, biases fixed. The example: x = (0.05, 0.10), t = (0.01, 0.99),
weights w1..w4 = 0.15, 0.20, 0.25, 0.30 into the hidden units (w1, w2 from x1, x2 to h1; w3, w4 to h2),
w5..w8 = 0.40, 0.45, 0.50, 0.55 into the outputs (w5, w6 from h1, h2 to o1; w7, w8 to o2), biases 0.35
and 0.60, learning rate 0.5. The book's layout, h = sigmoid(x W1 + b1), puts w1 at W1[0, 0], w2 at
W1[1, 0], w3 at W1[0, 1] and w4 at W1[1, 1], and likewise w5..w8 in W2. E before the step is 0.298371109.
"""
import numpy as np


def _sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def forward(x, W1, b1, W2, b2):
    """h = sigmoid(x W1 + b1), o = sigmoid(h W2 + b2).

    x: (D,) float; W1: (D, H); b1: float or (H,); W2: (H, K); b2: float or (K,) -> (h: (H,), o: (K,)) float64.
    """
    raise NotImplementedError("Stage 4: implement backprop_by_hand.forward")


def backprop_step(x, t, W1, b1, W2, b2, lr=0.5):
    """One gradient-descent step on E = 1/2 sum (t - o)^2 for W1 and W2 (biases stay).

    Every gradient is taken at the weights before the step: W1's goes back through the old W2.
    x: (D,); t: (K,); W1: (D, H); b1: float or (H,); W2: (H, K); b2: float or (K,); lr: float
    -> (new W1: (D, H), new W2: (H, K)) float64, new arrays (the arguments are left alone).
    """
    raise NotImplementedError("Stage 4: implement backprop_by_hand.backprop_step")
