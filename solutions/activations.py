"""Stage 2: activation functions and softmax (Deep Learning from Scratch, ch. 3)."""
import numpy as np


def step_function(x):
    """Step: 1 where x > 0, else 0. x: array of any shape -> float64 array of the same shape."""
    ### BEGIN SOLUTION
    return (np.asarray(x) > 0).astype(np.float64)
    ### END SOLUTION


def sigmoid(x):
    """Sigmoid 1 / (1 + exp(-x)). x: array of any shape -> float64 array of the same shape in [0, 1]."""
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=np.float64)
    # exp of a large positive argument overflows: use exp(x) / (1 + exp(x)) where x < 0.
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    ### END SOLUTION


def relu(x):
    """ReLU max(0, x). x: array of any shape -> float64 array of the same shape."""
    ### BEGIN SOLUTION
    return np.maximum(0.0, np.asarray(x, dtype=np.float64))
    ### END SOLUTION


def identity_function(x):
    """Identity (the output activation for regression). x: any shape -> float64 copy of the same shape."""
    ### BEGIN SOLUTION
    return np.array(x, dtype=np.float64)
    ### END SOLUTION


def softmax(x):
    """Softmax exp(x_i) / sum_j exp(x_j) along the last axis, numerically stable.

    x: (C,) or (N, C) (any rank: the last axis holds the classes) -> float64 array of the same
    shape whose entries along the last axis are positive and sum to 1.
    """
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=np.float64)
    # Subtracting the max leaves softmax unchanged and keeps exp from overflowing.
    e = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)
    ### END SOLUTION
