# Stage 3 (Learning: losses and numerical gradients): generated from the course's reference solutions.
# Your work goes in the function bodies that raise NotImplementedError; keep the names and
# signatures, the grader calls them.
"""Stage 3: numerical differentiation and gradient descent (Deep Learning from Scratch, ch. 4)."""
import numpy as np

# Central differences with h = 1e-4 balance truncation error against float64 rounding.
H = 1e-4


def numerical_diff(f, x):
    """Central difference (f(x + h) - f(x - h)) / 2h with h = 1e-4. f: float -> float; x: float -> float."""
    raise NotImplementedError("Stage 3: implement numerical_diff")


def numerical_gradient(f, x):
    """Gradient of f at x by central differences, one element at a time.

    f: takes x (it may ignore its argument and close over x) -> real scalar.
    x: float64 array of any shape; each element is perturbed in place and restored exactly.
    -> float64 array of x's shape.
    """
    raise NotImplementedError("Stage 3: implement numerical_gradient")


def gradient_descent(f, init_x, lr=0.01, step_num=100):
    """x <- x - lr * grad f(x), step_num times, from a copy of init_x.

    f: array -> real scalar; init_x: array of any shape (not modified) -> float64 array of its shape.
    """
    raise NotImplementedError("Stage 3: implement gradient_descent")
