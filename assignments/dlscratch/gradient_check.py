# Stage 4 (Backpropagation): generated from the course's reference solutions.
# Your work goes in the function bodies that raise NotImplementedError; keep the names and
# signatures, the grader calls them.
"""Stage 4: gradient checking, backprop against central differences (CS231n's rel_error)."""
import numpy as np


def rel_error(x, y):
    """max |x - y| / max(1e-8, |x| + |y|) over all elements. x, y: same shape -> float."""
    raise NotImplementedError("Stage 4: implement rel_error")


def gradient_check(network, x, t):
    """Relative error between network.gradient and network.numerical_gradient for each parameter.

    network: has params, gradient(x, t) and numerical_gradient(x, t); x: (N, D); t: labels or one-hot.
    -> dict mapping each parameter name to a float (below about 1e-7 when backprop is right).
    """
    raise NotImplementedError("Stage 4: implement gradient_check")
