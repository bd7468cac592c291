"""Adapters put around a student's own earlier function while a dependent test is graded again with the
error carried forward (grading/carry.py): the scorer's reference and the student's own later code then
both call the function the same way, asking of it only what it was written to do.

Shared by both sides: the scorer wraps its proxy of the function, the worker rebinds the function in the
student's modules (serve.py's "adapt" request) until the scorer restores it.
"""
import numpy as np


def labels_as_one_hot(function):
    """cross_entropy_error(y, t) for a version written for one-hot targets only (the book's first one):
    integer labels t, of shape y.shape[:-1], reach it as one-hot rows of y's shape."""
    def adapted(y, t):
        y_array, t_array = np.asarray(y), np.asarray(t)
        if t_array.shape != y_array.shape and np.issubdtype(t_array.dtype, np.integer) and y_array.ndim:
            t = np.eye(y_array.shape[-1])[t_array]
        return function(y, t)
    adapted.__name__ = getattr(function, "__name__", "adapted")
    return adapted


ADAPTERS = {"labels_as_one_hot": labels_as_one_hot}
