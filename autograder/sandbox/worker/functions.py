"""Functions the scorer can pass to student code by name (a lambda cannot cross the process boundary).

Both sides import this table: the worker to call them, the scorer to compute the expected results.
"""
import numpy as np


def function_1(x):
    """The book's 0.01 x^2 + 0.1 x (ch. 4)."""
    return 0.01 * x ** 2 + 0.1 * x


def function_2(x):
    """The book's sum of squares, x0^2 + x1^2 + ... (ch. 4)."""
    return float(np.sum(x ** 2))


def sum_of_cubes(x):
    return float(np.sum(x ** 3))


def sin_sum(x):
    return float(np.sum(np.sin(x)))


def bowl(x):
    """The book's optimizer benchmark f(x, y) = x^2 / 20 + y^2, on the first two entries of x."""
    return float(x[0] ** 2 / 20.0 + x[1] ** 2)


FUNCTIONS = {function.__name__: function for function in (function_1, function_2, sum_of_cubes, sin_sum, bowl)}


class NamedFunction:
    """A reference to FUNCTIONS[name]; sent over the protocol as its name."""

    def __init__(self, name):
        if name not in FUNCTIONS:
            raise KeyError(f"no worker function {name!r}")
        self.name = name

    def __call__(self, x):
        return FUNCTIONS[self.name](x)
