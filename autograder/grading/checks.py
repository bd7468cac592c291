"""Checks that need the worker or the grader's own state: arguments kept in the worker and fetched back,
CPU time, the grader's own central difference, carried-forward runs. The value checks themselves are shared
with the public tests (course_feedback/checks.py); expect_array, expect_scalar and expect_gradient here are those,
made strict (or skipped) while a failure is being carried forward.
"""
import contextlib
import contextvars
import functools

import numpy as np

from course_feedback import checks as shared
from course_feedback.checks import LOSS_RTOL, NUMERIC_KINDS, describe
from course.language import _
from .errors import GraderError, GradingFailure, StudentCodeError, WorkerFailure

__all__ = ["LOSS_RTOL", "NUMERIC_KINDS", "as_array", "as_scalar", "describe", "expect_gate", "expect_unchanged",
           "expect_array", "expect_scalar", "expect_gradient", "carrying_forward", "left_changed", "call_and_fetch",
           "param_arrays", "reference_gradient", "exact_softmax_loss", "compute_time", "NotTimed", "expect_fast", "DIFFERENCE_STEP",
           "part_of", "numerically"]

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


def student_values(check):
    """`check`, with anything it raises other than a check's own failure made the student's: it was raised
    while looking at a value that came from the worker, so it fails the test with a one-line reason and is
    never a grader error."""
    @functools.wraps(check)
    def checked(*args, **kwargs):
        try:
            return check(*args, **kwargs)
        except AssertionError:
            raise
        except Exception as error:  # noqa: BLE001 - whatever a worker's value makes a check raise
            what = kwargs.get("what") or next((arg for arg in args[1:] if isinstance(arg, str)), check.__name__)
            raise GradingFailure(_("{what}: the returned value could not be checked ({error})").format(
                what=what, error=type(error).__name__), what=what) from None
    return checked


as_array, as_scalar = student_values(shared.as_array), student_values(shared.as_scalar)
expect_gate, expect_unchanged = student_values(shared.expect_gate), student_values(shared.expect_unchanged)


def _rtol(rtol):
    return min(rtol, CARRIED_RTOL) if _CARRYING.get() else rtol


@student_values
def expect_array(value, expected, what, rtol=1e-7, atol=1e-9, hint="", diagnose=None):
    """course_feedback.checks.expect_array, to rounding in a carried-forward run."""
    shared.expect_array(value, expected, what, _rtol(rtol), atol, hint, diagnose)


@student_values
def expect_scalar(value, expected, what, rtol=1e-7, atol=1e-9, hint="", diagnose=None):
    """course_feedback.checks.expect_scalar, to rounding in a carried-forward run."""
    shared.expect_scalar(value, expected, what, _rtol(rtol), atol, hint, diagnose)


@student_values
def expect_gradient(value, numerical, what, hint="", rtol=1e-5, diagnose=None):
    """course_feedback.checks.expect_gradient; nothing to check in a carried-forward run."""
    if not _CARRYING.get():
        shared.expect_gradient(value, numerical, what, hint, rtol, diagnose)


def part_of(what, part):
    """What a check says of one part of a call's result: "Affine.backward on a (7, 5) input: dW"."""
    return _("{what}: {part}").format(what=what, part=part)


def numerically(what):
    """What a check says of a result it compares with the grader's central difference."""
    return _("{what} against a numerical gradient").format(what=what)


def param_arrays(value, params, what):
    """A network's reply that should be a dict like `params` (gradients, parameters) -> {name: float64 array
    of the shape of params[name]}; a GradingFailure for another type, other keys or a wrong shape."""
    if not isinstance(value, dict) or set(value) != set(params):
        raise GradingFailure(_("{what}: returned {value}, expected a dict with keys {keys}").format(
            what=what, value=describe(value), keys=sorted(params)))
    hint = _("each entry has the shape of the parameter of the same name (dW has W's shape)")
    return {name: as_array(value[name], part_of(what, name), param.shape, hint=hint) for name, param in params.items()}


@student_values
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


def reference_gradient(f, x, step=DIFFERENCE_STEP):
    """Central-difference gradient of the scalar f() at x, a float64 array f reads: x is perturbed in place
    by `step`, one element at a time, and restored. The grader's own, so no student exercise (nor its reference
    solution) measures the students.
    """
    grad = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + step
        above = f()
        x[index] = original - step
        below = f()
        x[index] = original
        grad[index] = (above - below) / (2 * step)
    return grad


def exact_softmax_loss(scores, t):
    """scores: (N, C) or (C,) float64, t: labels or one-hot -> float: the reference's softmax cross-entropy
    without the 1e-7 guard inside the log, as a log-softmax.

    (y - t) / N is the exact gradient of this loss; the guard would move central differences by about
    1e-7 / y, as much as 1e-5 relative for probabilities near 0.01. The forward passes are still
    compared with the reference's guarded loss.
    """
    scores = scores.reshape(-1, scores.shape[-1])
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_y = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    t = np.asarray(t)
    one_hot = t.reshape(log_y.shape) if t.size == log_y.size else np.eye(log_y.shape[1])[t.reshape(-1)]
    return -np.sum(one_hot * log_y) / len(log_y)


def compute_time(student, protocol, make_case, expect, repeats):
    """The fastest of `repeats` rounds, as a session.Stopwatch (worker CPU time measured from outside).

    A round is protocol(case): every call a test makes on one case (a forward and the backward after it,
    and the attributes the backward sets), timed as one window, so no work escapes into an untimed call.
    Every round gets a fresh case from make_case(), drawn from the grade's secret seed, which the worker
    can neither have seen nor compute beforehand; make it with the expected values, before the window
    opens. Every round's value must pass expect(value, case), so only right answers are timed. A wrong
    answer or an exception fails as NotTimed: the tests of the values charge that mistake, with their
    hint; the timing test only says why it timed nothing.
    """
    fastest = None
    for _round in range(repeats):
        case = make_case()
        try:
            with student._session.timed() as watch:
                value = protocol(case)
            expect(value, case)
        except (WorkerFailure, GraderError):
            raise
        except GradingFailure as failure:
            if isinstance(failure, StudentCodeError) and failure.not_implemented:
                raise
            raise NotTimed(failure) from None
        if fastest is None or watch.seconds < fastest.seconds:
            fastest = watch
    return fastest


def _not_timed(summary):
    return _("{summary}: not timed (the tests of its values say what is wrong)").format(summary=summary)


class NotTimed(GradingFailure):
    """A timing test's call gave a wrong answer or raised: nothing was timed, and no second hint is given."""

    def __init__(self, failure):
        super().__init__(_not_timed(failure.summary), what=failure.what, kind=failure.kind)
        self.failure = failure

    def hidden_summary(self):
        return _not_timed(self.failure.hidden_summary())


def expect_fast(watch, limit, what, hint=None):
    """A round's compute time (a session.Stopwatch) must stay under `limit` seconds (chosen from
    measurement); the feedback names the call that took longest when a round makes several. `hint`: the
    test's advice (default: one NumPy expression over the whole batch)."""
    if watch.seconds > limit:
        label, seconds = watch.slowest()
        milliseconds = {"what": what, "ms": f"{watch.seconds * 1e3:.0f}", "limit": f"{limit * 1e3:.0f}"}
        summary = (_("{what}: too slow ({ms} ms, limit {limit} ms; {label} took {slowest} ms)").format(
            label=label, slowest=f"{seconds * 1e3:.0f}", **milliseconds) if len(watch.calls) > 1
            else _("{what}: too slow ({ms} ms, limit {limit} ms)").format(**milliseconds))
        hint = hint or _("one NumPy expression over the whole batch; no Python loop over rows")
        raise GradingFailure(summary, hint=hint, what=what, kind=_("too slow"))
