"""Stage 3: loss functions (Deep Learning from Scratch, ch. 4)."""
import numpy as np

# Keeps log finite when the network gives a correct class probability 0.
LOG_GUARD = 1e-7


def mean_squared_error(y, t):
    """0.5 * sum((y - t)^2), averaged over the batch for 2-D input.

    y, t: (C,) or (N, C) float -> Python float.
    """
    ### BEGIN SOLUTION
    y = np.asarray(y, dtype=np.float64)
    t = np.asarray(t, dtype=np.float64)
    batch_size = y.shape[0] if y.ndim == 2 else 1
    return float(0.5 * np.sum((y - t) ** 2) / batch_size)
    ### END SOLUTION


def cross_entropy_error(y, t):
    """-sum(t * log(y + 1e-7)), averaged over the batch.

    y: (C,) or (N, C) probabilities; t: one-hot of y's shape, or int labels () / (N,).
    -> Python float (finite even when a correct class has probability 0).
    """
    ### BEGIN SOLUTION
    y = np.asarray(y, dtype=np.float64)
    t = np.asarray(t)
    if y.ndim == 1:
        y = y.reshape(1, -1)
        t = t.reshape(1, -1) if t.size == y.size else t.reshape(1)
    if t.size == y.size:
        t = t.argmax(axis=1)
    batch_size = y.shape[0]
    return float(-np.sum(np.log(y[np.arange(batch_size), t] + LOG_GUARD)) / batch_size)
    ### END SOLUTION
