"""Checks that need the worker: arguments kept there and fetched back, CPU time, the grader's own central
difference. The value checks themselves (expect_array, ...) are shared with the public tests: points/checks.py.
"""
import numpy as np

from ..points.checks import (LOSS_RTOL, NUMERIC_KINDS, as_array, as_scalar, describe, expect_array, expect_gate,
                             expect_gradient, expect_scalar, expect_unchanged)
from .errors import GradingFailure

__all__ = ["LOSS_RTOL", "NUMERIC_KINDS", "as_array", "as_scalar", "describe", "expect_array", "expect_gate",
           "expect_gradient", "expect_scalar", "expect_unchanged", "call_and_fetch", "reference_gradient",
           "compute_time", "expect_fast", "DIFFERENCE_STEP"]

# The grader's own central difference: 1e-4 balances truncation (h^2) against rounding (eps / h).
DIFFERENCE_STEP = 1e-4


def call_and_fetch(student, call, *args, **kwargs):
    """(value, args as the call left them). Array and dict arguments are kept in the worker and passed by
    handle, then fetched back here after the call, so whether the call changed them is decided by the
    scorer comparing values, not by anything the worker says about the call.
    """
    kept = [student._keep(arg) if isinstance(arg, (np.ndarray, dict)) else arg for arg in args]
    value = call(*kept, **kwargs)
    return value, [arg.attr() if arg is not original else arg for arg, original in zip(kept, args)]


def reference_gradient(f, x):
    """Central-difference gradient of the scalar f() at x, a float64 array f reads: x is perturbed in place,
    one element at a time, and restored. The grader's own, so no student exercise (nor its reference
    solution) measures the students.
    """
    grad = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + DIFFERENCE_STEP
        above = f()
        x[index] = original - DIFFERENCE_STEP
        below = f()
        x[index] = original
        grad[index] = (above - below) / (2 * DIFFERENCE_STEP)
    return grad


def compute_time(call, make_args, expect, repeats):
    """The fastest of `repeats` calls' worker CPU seconds (Reply.cpu_seconds, measured from outside).

    Every repeat gets fresh arguments from make_args(), so nothing can be remembered from one call to
    the next, and every repeat's value must pass expect(value, args), so only a right answer is timed.
    """
    fastest = float("inf")
    for _ in range(repeats):
        args = make_args()
        reply = call.reply(*args)
        expect(reply.value, args)
        fastest = min(fastest, reply.cpu_seconds)
    return fastest


def expect_fast(seconds, limit, what, hint="one NumPy expression over the whole batch; no Python loop over rows"):
    """A timed call's compute time must stay under `limit` seconds (chosen from measurement)."""
    if seconds > limit:
        raise GradingFailure(f"{what}: too slow ({seconds * 1e3:.0f} ms, limit {limit * 1e3:.0f} ms)", hint=hint)
