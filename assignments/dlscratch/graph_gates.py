# Stage 4 (Backpropagation): generated from the course's reference solutions.
# Your work goes in the function bodies that raise NotImplementedError; keep the names and
# signatures, the grader calls them.
"""Stage 4: CS231n's gate patterns on a computation graph, and the sigmoid circuit by staged computation.

The add gate distributes the upstream gradient, the multiply gate swaps its inputs (simple_layers), the
max gate routes it, and a value used by several branches (a copy, or fan-out) sums theirs.
"""
import numpy as np


class MaxGate:
    """z = max(x, y), elementwise; backward routes dz to the larger input and 0 to the other.

    Ties (x == y, where max has no derivative) send all of dz to x: a subgradient, the one a test of
    `x >= y` gives, and dx + dy = dz still. Works on scalars and same-shape arrays.
    """

    def __init__(self):
        self.x_wins = None

    def forward(self, x, y):
        """Remember which input won and return max(x, y)."""
        raise NotImplementedError("Stage 4: implement MaxGate.forward")

    def backward(self, dout):
        """dout: upstream gradient dL/dz -> (dL/dx, dL/dy)."""
        raise NotImplementedError("Stage 4: implement MaxGate.backward")


class CopyGate:
    """A value used by two branches: forward hands x to both, backward sums the branches' gradients."""

    def forward(self, x):
        """-> (x, x), one for each branch."""
        raise NotImplementedError("Stage 4: implement CopyGate.forward")

    def backward(self, dout1, dout2):
        """dout1, dout2: the gradients the two branches send back -> dL/dx = dout1 + dout2."""
        raise NotImplementedError("Stage 4: implement CopyGate.backward")


def sigmoid_circuit(w, x):
    """f(w, x) = 1 / (1 + exp(-(w0 x0 + w1 x1 + w2))), forward and backward stage by stage (CS231n).

    Forward through dot = w0 x0 + w1 x1 + w2, neg = -dot, e = exp(neg), d = 1 + e, f = 1 / d, keeping
    every stage; backward from df = 1 through each stage's local gradient in reverse.
    w: (3,), x: (2,) float -> (f: Python float, dw: (3,) float64, dx: (2,) float64).
    CS231n's example: w = (2, -3, -3), x = (-1, -2) gives f = 0.731, dw = (-0.197, -0.393, 0.197),
    dx = (0.393, -0.590).
    """
    raise NotImplementedError("Stage 4: implement sigmoid_circuit")
