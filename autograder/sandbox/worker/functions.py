"""Functions the scorer can pass to student code by name (a lambda cannot cross the process boundary),
and random generators by their seed.

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


class SeededGenerator:
    """A numpy.random.Generator the scorer passes by its seed: the worker gets np.random.default_rng(seed), so
    a function drawing from it (Dropout's masks) draws exactly what the scorer's default_rng(seed) does."""

    def __init__(self, seed):
        if not (isinstance(seed, int) and 0 <= seed < 2 ** 62):
            raise ValueError(f"a generator's seed is an int in [0, 2**62), not {seed!r}")
        self.seed = seed

    def generator(self):
        """The generator the receiving side gets -> numpy.random.Generator."""
        return np.random.default_rng(self.seed)
