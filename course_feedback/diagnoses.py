"""What common mistakes look like in a result, so feedback names the mistake that was observed.

Each diagnosis takes the inputs of a call and the student's result (as float64, possibly with NaN) and
returns a one-line hint when the result matches a known mistake, else "". They know nothing secret:
the public tests and the hidden suites pass them to the checks (`diagnose=`) alike.
"""
import numpy as np

from course.language import N_, _

# exp overflows float64 above about 709.78.
EXP_OVERFLOW = 709.0

# The hints are messages marked here and translated where they are returned (a caller translates the two
# the diagnoses below do not return: IN_PLACE_HINT and RESTORE_HINT).
SOFTMAX_AXIS_HINT = N_("softmax normalises each row: sum along the last axis (axis=-1, keepdims=True)")
SOFTMAX_OVERFLOW_HINT = N_("subtract each row's maximum before np.exp: np.exp of large scores overflows to inf")
SOFTMAX_ROW_MAX_HINT = N_("subtract each row's own maximum (np.max(x, axis=-1, keepdims=True)), not the maximum "
                          "of the whole batch: rows far below it underflow to 0/0")
LABELS_HINT = N_("t holds class labels here, not one-hot rows: take y[np.arange(batch_size), t], the "
                 "probability of each row's correct class")
BATCH_MEAN_HINT = N_("divide by the batch size: the loss is the mean over the rows of the batch, not their sum")
BATCH_TWICE_HINT = N_("divide by the batch size once: the result is smaller than expected by exactly the batch "
                      "size")
BATCH_SUM_HINT = N_("divide by the batch size: this is the sum of the rows' gradients, not their mean")
IN_PLACE_HINT = N_("update the parameter arrays in place (params[key] -= ...): the network's layers hold those "
                   "same arrays, so a new array bound to params[key] never reaches them")
RESTORE_HINT = N_("put x[idx] back to its original value after computing f(x+h) and f(x-h)")


def _close(a, b):
    return bool(np.allclose(a, b, rtol=1e-6, atol=1e-12))


def softmax_mistake(x, y):
    """x: (..., C) scores the student's softmax got; y: its result as float64 (NaN allowed) -> hint or ""."""
    if not np.all(np.isfinite(y)):
        # Rows that overflow score high themselves; rows that underflow (0/0) sit far below the batch's maximum.
        rows, results = np.atleast_2d(np.asarray(x, dtype=np.float64)), np.atleast_2d(y)
        row_maxima = np.max(rows.reshape(-1, rows.shape[-1]), axis=-1)
        broken = ~np.all(np.isfinite(results.reshape(-1, results.shape[-1])), axis=-1)
        if np.any(row_maxima[broken] > EXP_OVERFLOW):
            return _(SOFTMAX_OVERFLOW_HINT)
        return _(SOFTMAX_ROW_MAX_HINT if np.any(row_maxima.max() - row_maxima[broken] > EXP_OVERFLOW) else
                 SOFTMAX_OVERFLOW_HINT)
    if y.ndim >= 2 and y.shape[0] > 1:
        if not _close(y.sum(axis=-1), 1.0) and (_close(y.sum(axis=0), 1.0) or _close(y.sum(), 1.0)):
            return _(SOFTMAX_AXIS_HINT)
    return ""


def cross_entropy_mistake(y, t, expected, value):
    """y: (N, C) or (C,) probabilities, t: labels or one-hot; expected and value: the right loss and the
    student's -> hint or ""."""
    y, t = np.asarray(y), np.asarray(t)
    batch = y.shape[0] if y.ndim == 2 else 1
    if batch > 1 and _close(value, expected * batch):
        return _(BATCH_MEAN_HINT)
    if batch > 1 and _close(value, expected / batch):
        return _(BATCH_TWICE_HINT)
    if t.size != y.size:
        return _(LABELS_HINT)
    return ""


def batch_scale_mistake(expected, actual, batch):
    """expected, actual: a gradient over a batch of `batch` rows (float64) -> hint naming a missing or a
    doubled division by the batch size, or ""."""
    if batch > 1 and _close(actual, np.asarray(expected) * batch):
        return _(BATCH_SUM_HINT)
    if batch > 1 and _close(actual, np.asarray(expected) / batch):
        return _(BATCH_TWICE_HINT)
    return ""
