# Stage 2 (Neural network forward pass): generated from the course's reference solutions.
# Your work goes in the function bodies that raise NotImplementedError; keep the names and
# signatures, the grader calls them.
"""Stage 2: activation functions and softmax (Deep Learning from Scratch, ch. 3)."""
import numpy as np


def step_function(x):
    """Step: 1 where x > 0, else 0. x: array of any shape -> float64 array of the same shape."""
    raise NotImplementedError("Stage 2: implement step_function")


def sigmoid(x):
    """Sigmoid 1 / (1 + exp(-x)). x: array of any shape -> float64 array of the same shape in [0, 1]."""
    raise NotImplementedError("Stage 2: implement sigmoid")


def relu(x):
    """ReLU max(0, x). x: array of any shape -> float64 array of the same shape."""
    raise NotImplementedError("Stage 2: implement relu")


def identity_function(x):
    """Identity (the output activation for regression). x: any shape -> float64 copy of the same shape."""
    raise NotImplementedError("Stage 2: implement identity_function")


def softmax(x):
    """Softmax exp(x_i) / sum_j exp(x_j) along the last axis, numerically stable.

    x: (C,) or (N, C) (any rank: the last axis holds the classes) -> float64 array of the same
    shape whose entries along the last axis are positive and sum to 1.
    """
    raise NotImplementedError("Stage 2: implement softmax")
