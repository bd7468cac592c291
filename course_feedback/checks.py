"""Checks of a function's result against the expected one: type, shape, finiteness, then values as float64.

Shared by the public tests (this package ships in every release as course_feedback) and the grader's hidden
suites, so the same mistake gets the same words on both sides. Every check raises GradingFailure with a
summary that names the function and the case, a detail that never shows expected values, and a hint;
`diagnose(actual) -> hint or ""` lets a caller say what the observed wrong values look like.
"""
import numpy as np

from course.language import _
from .failure import GradingFailure

NUMERIC_KINDS = "biuf"
# Losses are compared to 1e-4: the 1e-7 guard inside the log (or a student's slightly different guard)
# moves a loss by about 1e-7 / y relative, while real mistakes (sum instead of mean, wrong class) move
# it by far more.
LOSS_RTOL = 1e-4


def describe(value):
    """A short, safe description of a reply value ("a list", "an int", "an array of shape (2, 3)")."""
    if isinstance(value, np.ndarray):
        return _("an array of shape {shape} and dtype {dtype}").format(shape=value.shape, dtype=value.dtype)
    name = type(value).__name__
    if name == "ObjectProxy":
        return _("an object ({type})").format(type=getattr(value, "_type_name", name))
    return _("a {type}").format(type=name)


def as_array(value, what, shape=None, hint="", diagnose=None):
    """The reply as a float64 array after checking it is a numeric ndarray of `shape` with finite entries.

    For NaN or inf entries the hint is diagnose(result) when that names the cause, else `hint`.
    """
    if not isinstance(value, np.ndarray):
        summary = (_("{what}: returned {value}, expected a NumPy array") if shape is None
                   else _("{what}: returned {value}, expected a NumPy array of shape {shape}"))
        raise GradingFailure(summary.format(what=what, value=describe(value), shape=shape), hint=hint, what=what,
                             kind=_("returned the wrong type"))
    if value.dtype.kind not in NUMERIC_KINDS:
        raise GradingFailure(_("{what}: returned an array of dtype {dtype}, expected numbers").format(
            what=what, dtype=value.dtype), hint=hint, what=what, kind=_("returned the wrong dtype"))
    if shape is not None and value.shape != tuple(shape):
        raise GradingFailure(_("{what}: wrong shape {shape}, expected {expected}").format(
            what=what, shape=value.shape, expected=tuple(shape)),
            hint=hint or _("check which axis you sum or reduce over, and keepdims"), what=what, kind=_("wrong shape"))
    result = value.astype(np.float64)
    if not np.all(np.isfinite(result)):
        observed = diagnose(result) if diagnose else ""
        raise GradingFailure(_("{what}: the result contains NaN or inf").format(what=what), hint=observed or hint,
                             what=what, observed=bool(observed), kind=_("the result contains NaN or inf"))
    return result


def expect_dtype(value, dtype, what, hint=None):
    """value must be an ndarray of exactly `dtype` (check its values first: a dtype alone pays nothing)."""
    found = value.dtype if isinstance(value, np.ndarray) else type(value).__name__
    if found != np.dtype(dtype):
        hint = _("convert first with np.asarray(x, dtype=np.float64)") if hint is None else hint
        raise GradingFailure(_("{what}: returned dtype {found}, expected {dtype}").format(
            what=what, found=found, dtype=np.dtype(dtype)), hint=hint, what=what, kind=_("returned the wrong dtype"))


def _worst(actual, expected, atol):
    error = np.abs(actual - expected) / np.maximum(np.abs(expected), atol)
    index = np.unravel_index(int(np.argmax(error)), error.shape) if error.ndim else ()
    return float(error[index]), index


def expect_array(value, expected, what, rtol=1e-7, atol=1e-9, hint="", diagnose=None):
    """value must be a finite numeric array of expected's shape, equal to it within rtol/atol.

    On wrong values the hint is diagnose(actual as float64) when that names the mistake, else `hint`.
    """
    expected = np.asarray(expected, dtype=np.float64)
    actual = as_array(value, what, expected.shape, hint, diagnose)
    if not np.allclose(actual, expected, rtol=rtol, atol=atol):
        error, index = _worst(actual, expected, atol)
        detail = (_("largest relative error {error} at index {index}") if index
                  else _("largest relative error {error}")).format(error=f"{error:.1e}",
                                                                     index=tuple(int(i) for i in index))
        observed = diagnose(actual) if diagnose else ""
        raise GradingFailure(_("{what}: wrong values").format(what=what), detail, observed or hint,
                             what=what, observed=bool(observed), kind=_("wrong values"))


def as_scalar(value, what, hint=""):
    """A real scalar reply (int, float, or a 0-d numeric array) as a finite Python float."""
    if isinstance(value, np.ndarray) and value.shape == () and value.dtype.kind in NUMERIC_KINDS:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise GradingFailure(_("{what}: returned {value}, expected a real number").format(
            what=what, value=describe(value)), hint=hint, what=what, kind=_("returned the wrong type"))
    if not np.isfinite(value):
        raise GradingFailure(_("{what}: returned {value}, expected a finite number").format(what=what, value=value),
                             hint=hint, what=what, kind=_("returned NaN or inf"))
    return float(value)


def expect_scalar(value, expected, what, rtol=1e-7, atol=1e-9, hint="", diagnose=None):
    """value must be a finite real number equal to `expected` within rtol/atol; diagnose as in expect_array."""
    actual = as_scalar(value, what, hint)
    if not np.isclose(actual, expected, rtol=rtol, atol=atol):
        error = abs(actual - expected) / max(abs(expected), atol)
        observed = diagnose(actual) if diagnose else ""
        raise GradingFailure(_("{what}: wrong value").format(what=what),
                             _("relative error {error}").format(error=f"{error:.1e}"), observed or hint, what=what,
                             observed=bool(observed), kind=_("wrong value"))


def expect_gate(value, expected, what):
    """The 0/1 output of a logic gate: any integer or bool (or 0-d integer array) equal to `expected`."""
    if isinstance(value, np.ndarray) and value.shape == () and value.dtype.kind in "biu":
        value = value.item()
    if not isinstance(value, (bool, int)):
        raise GradingFailure(_("{what}: returned {value}, expected the int 0 or 1").format(
            what=what, value=describe(value)), what=what, kind=_("returned the wrong type"))
    if int(value) != expected:
        raise GradingFailure(_("{what}: wrong output").format(what=what), what=what, kind=_("wrong output"))


def expect_unchanged(before, after, what):
    """An input fetched back from the worker after a call must be as the scorer sent it."""
    if not (isinstance(after, np.ndarray) and after.shape == before.shape and np.array_equal(after, before)):
        raise GradingFailure(_("{what}: modified its input in place").format(what=what),
                             hint=_("work on a copy (x.copy()) instead"), what=what,
                             kind=_("modified its input in place"))


def expect_gradient(value, numerical, what, hint="", rtol=1e-5, diagnose=None):
    """A backward-pass result against a numerical gradient: relative rtol, absolute 1e-7 of the largest entry.

    Central differences with h = 1e-4 are good to about 1e-7; a wrong backward pass is off by far more.
    """
    numerical = np.asarray(numerical, dtype=np.float64)
    scale = max(1.0, float(np.max(np.abs(numerical), initial=0.0)))
    expect_array(value, numerical, what, rtol=rtol, atol=1e-7 * scale, hint=hint, diagnose=diagnose)
