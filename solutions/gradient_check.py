"""Stage 4: gradient checking, backprop against central differences (CS231n's rel_error)."""
import numpy as np


def rel_error(x, y):
    """max |x - y| / max(1e-8, |x| + |y|) over all elements. x, y: same shape -> float."""
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    return float(np.max(np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y))))
    ### END SOLUTION


def gradient_check(network, x, t):
    """Relative error between network.gradient and network.numerical_gradient for each parameter.

    network: has params, gradient(x, t) and numerical_gradient(x, t); x: (N, D); t: labels or one-hot.
    -> dict mapping each parameter name to a float (below about 1e-7 when backprop is right).
    """
    ### BEGIN SOLUTION
    grad_numerical = network.numerical_gradient(x, t)
    grad_backprop = network.gradient(x, t)
    return {name: rel_error(grad_backprop[name], grad_numerical[name]) for name in network.params}
    ### END SOLUTION
