"""Stage 3: numerical differentiation and gradient descent (Deep Learning from Scratch, ch. 4)."""
import numpy as np

# Central differences with h = 1e-4 balance truncation error against float64 rounding.
H = 1e-4


def numerical_diff(f, x):
    """Central difference (f(x + h) - f(x - h)) / 2h with h = 1e-4. f: float -> float; x: float -> float."""
    ### BEGIN SOLUTION
    return float((f(x + H) - f(x - H)) / (2 * H))
    ### END SOLUTION


def numerical_gradient(f, x):
    """Gradient of f at x by central differences, one element at a time.

    f: takes x (it may ignore its argument and close over x) -> real scalar.
    x: float64 array of any shape; each element is perturbed in place and restored exactly.
    -> float64 array of x's shape.
    """
    ### BEGIN SOLUTION
    grad = np.zeros(x.shape, dtype=np.float64)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        idx = it.multi_index
        original = x[idx]
        x[idx] = original + H
        f_plus = f(x)
        x[idx] = original - H
        f_minus = f(x)
        x[idx] = original
        grad[idx] = (f_plus - f_minus) / (2 * H)
        it.iternext()
    return grad
    ### END SOLUTION


def gradient_descent(f, init_x, lr=0.01, step_num=100):
    """x <- x - lr * grad f(x), step_num times, from a copy of init_x.

    f: array -> real scalar; init_x: array of any shape (not modified) -> float64 array of its shape.
    """
    ### BEGIN SOLUTION
    x = np.array(init_x, dtype=np.float64)
    for _ in range(step_num):
        x -= lr * numerical_gradient(f, x)
    return x
    ### END SOLUTION
