"""Checks hidden tests use on the student's replies: type, shape, finiteness, then values as float64.

Every check raises GradingFailure with feedback that names the function and the case, says what went
wrong, and never shows the reference's values. All comparisons run here, in the scorer.
"""
import contextlib
import contextvars

import numpy as np

from .errors import GradingFailure

NUMERIC_KINDS = "biuf"
# Losses are compared to 1e-4: the 1e-7 guard inside the log (or a student's slightly different guard)
# moves a loss by about 1e-7 / y relative, while real mistakes (sum instead of mean, wrong class) move
# it by far more.
LOSS_RTOL = 1e-4
# The grader's own central difference: 1e-4 balances truncation (h^2) against rounding (eps / h).
DIFFERENCE_STEP = 1e-4
# In a carried-forward run (grading/carry.py) the reference calls the student's own earlier function, so
# replies must agree with it to rounding.
CARRIED_RTOL = 1e-6
_CARRYING = contextvars.ContextVar("carrying_forward", default=False)


@contextlib.contextmanager
def carrying_forward():
    """Within: expect_array and expect_scalar compare with rtol at most CARRIED_RTOL, and expect_gradient
    checks nothing: a numerical gradient of the true function says nothing about agreeing with the
    reference run through the student's earlier function, which is what such a run asks."""
    token = _CARRYING.set(True)
    try:
        yield
    finally:
        _CARRYING.reset(token)


def _rtol(rtol):
    return min(rtol, CARRIED_RTOL) if _CARRYING.get() else rtol


def describe(value):
    """A short, safe description of a reply value ("a list", "an int", "an array of shape (2, 3)")."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    name = type(value).__name__
    return f"an object ({getattr(value, '_type_name', name)})" if name == "ObjectProxy" else f"a {name}"


def as_array(value, what, shape=None, hint=""):
    """The reply as a float64 array after checking it is a numeric ndarray of `shape` with finite entries."""
    expected = f" of shape {shape}" if shape is not None else ""
    if not isinstance(value, np.ndarray):
        raise GradingFailure(f"{what}: returned {describe(value)}, expected a NumPy array{expected}", hint=hint,
                             what=what)
    if value.dtype.kind not in NUMERIC_KINDS:
        raise GradingFailure(f"{what}: returned an array of dtype {value.dtype}, expected numbers", hint=hint,
                             what=what)
    if shape is not None and value.shape != tuple(shape):
        raise GradingFailure(f"{what}: wrong shape {value.shape}, expected {tuple(shape)}",
                             hint=hint or "check which axis you sum or reduce over, and keepdims", what=what)
    result = value.astype(np.float64)
    if not np.all(np.isfinite(result)):
        raise GradingFailure(f"{what}: the result contains NaN or inf", hint=hint, what=what)
    return result


def _worst(actual, expected, atol):
    error = np.abs(actual - expected) / np.maximum(np.abs(expected), atol)
    index = np.unravel_index(int(np.argmax(error)), error.shape) if error.ndim else ()
    return float(error[index]), index


def expect_array(value, expected, what, rtol=1e-7, atol=1e-9, hint=""):
    """value must be a finite numeric array of expected's shape, equal to it within rtol/atol."""
    _expect_close(value, expected, what, _rtol(rtol), atol, hint)


def _expect_close(value, expected, what, rtol, atol, hint):
    expected = np.asarray(expected, dtype=np.float64)
    actual = as_array(value, what, expected.shape, hint)
    if not np.allclose(actual, expected, rtol=rtol, atol=atol):
        error, index = _worst(actual, expected, atol)
        where = f" at index {tuple(int(i) for i in index)}" if index else ""
        raise GradingFailure(f"{what}: wrong values", f"largest relative error {error:.1e}{where}", hint, what=what)


def as_scalar(value, what, hint=""):
    """A real scalar reply (int, float, or a 0-d numeric array) as a finite Python float."""
    if isinstance(value, np.ndarray) and value.shape == () and value.dtype.kind in NUMERIC_KINDS:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise GradingFailure(f"{what}: returned {describe(value)}, expected a real number", hint=hint, what=what)
    if not np.isfinite(value):
        raise GradingFailure(f"{what}: returned {value}, expected a finite number", hint=hint, what=what)
    return float(value)


def expect_scalar(value, expected, what, rtol=1e-7, atol=1e-9, hint=""):
    actual, rtol = as_scalar(value, what, hint), _rtol(rtol)
    if not np.isclose(actual, expected, rtol=rtol, atol=atol):
        error = abs(actual - expected) / max(abs(expected), atol)
        raise GradingFailure(f"{what}: wrong value", f"relative error {error:.1e}", hint, what=what)


def expect_gate(value, expected, what):
    """The 0/1 output of a logic gate: any integer or bool (or 0-d integer array) equal to `expected`."""
    if isinstance(value, np.ndarray) and value.shape == () and value.dtype.kind in "biu":
        value = value.item()
    if not isinstance(value, (bool, int)):
        raise GradingFailure(f"{what}: returned {describe(value)}, expected the int 0 or 1", what=what)
    if int(value) != expected:
        raise GradingFailure(f"{what}: wrong output", what=what)


def expect_unchanged(before, after, what):
    """An input fetched back from the worker after a call must be as the scorer sent it."""
    if not (isinstance(after, np.ndarray) and after.shape == before.shape and np.array_equal(after, before)):
        raise GradingFailure(f"{what}: modified its input in place", hint="work on a copy (x.copy()) instead",
                             what=what)


def left_changed(after, before):
    """Whether a dict of arrays fetched back after a call (`after`) differs from the arrays sent (`before`) by
    more than rounding (x[idx] += h, then x[idx] -= h, restores x to rounding only)."""
    return not (isinstance(after, dict) and set(after) == set(before) and all(
        isinstance(after[key], np.ndarray) and after[key].shape == value.shape
        and np.allclose(after[key], value, rtol=1e-12, atol=0) for key, value in before.items()))


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


def expect_gradient(value, numerical, what, hint="", rtol=1e-5):
    """A backward-pass result against a numerical gradient: relative rtol, absolute 1e-7 of the largest entry.

    Central differences with h = 1e-4 are good to about 1e-7; a wrong backward pass is off by far more.
    """
    if _CARRYING.get():
        return
    numerical = np.asarray(numerical, dtype=np.float64)
    scale = max(1.0, float(np.max(np.abs(numerical), initial=0.0)))
    _expect_close(value, numerical, what, rtol, 1e-7 * scale, hint)


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
        raise GradingFailure(f"{what}: too slow ({seconds * 1e3:.0f} ms, limit {limit * 1e3:.0f} ms)", hint=hint,
                             what=what)
