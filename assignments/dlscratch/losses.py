# Stage 3 (Learning: losses and numerical gradients): generated from the course's reference solutions.
# Your work goes in the function bodies that raise NotImplementedError; keep the names and
# signatures, the grader calls them.
"""Stage 3: loss functions (Deep Learning from Scratch, ch. 4)."""
import numpy as np

# Keeps log finite when the network gives a correct class probability 0.
LOG_GUARD = 1e-7


def mean_squared_error(y, t):
    """0.5 * sum((y - t)^2), averaged over the batch for 2-D input.

    y, t: (C,) or (N, C) float -> Python float.
    """
    raise NotImplementedError("Stage 3: implement mean_squared_error")


def cross_entropy_error(y, t):
    """-sum(t * log(y + 1e-7)), averaged over the batch.

    y: (C,) or (N, C) probabilities; t: one-hot of y's shape, or int labels () / (N,).
    -> Python float (finite even when a correct class has probability 0).
    """
    raise NotImplementedError("Stage 3: implement cross_entropy_error")
