"""An exception or a slow call in the student's code, as one line: the same words locally and in the grade.

The grader builds the line from what its worker reports (the call's label, the exception's type and
message, where in the student's package it was raised); the public tests build it from the traceback
itself (`describe_exception`). Either way: "softmax raised ValueError at activations.py:42 in softmax:
operands could not be broadcast together with shapes (2,3) (2,)", "AND is not implemented yet",
"sigmoid took longer than 3 s (the limit for one call)".
"""
import os

from course.language import N_, _
from course.names import STUDENT_PACKAGE, stub_function
from course.stages import exercise_modules, function_label
from .text import shorten

MAX_MESSAGE_CHARS = 300
SLOW_HINT = N_("look for an endless loop, or a loop over elements where one NumPy operation would do")
# Where an exception was raised: the innermost line of the student's code.
WHERE = N_("{file}:{line} in {function}")


def where_line(file, line, function):
    """Where in the student's package an exception was raised: "activations.py:42 in softmax"."""
    return _(WHERE).format(file=file, line=line, function=function)


def not_implemented_line(label, message):
    """A NotImplementedError: a stub names the function it stands for, which may be one `label` calls."""
    return _("{function} is not implemented yet").format(function=stub_function(message) or label)


def raised_line(label, kind, message, where=""):
    """Any other exception: "<label> raised <kind> at <file:line in function>: <message>"."""
    if kind == "NotImplementedError":
        return not_implemented_line(label, message)
    message = shorten(message, MAX_MESSAGE_CHARS)
    kind = kind or _("an error")
    if where and message:
        return _("{function} raised {error} at {where}: {message}").format(
            function=label, error=kind, where=where, message=message)
    if where:
        return _("{function} raised {error} at {where}").format(function=label, error=kind, where=where)
    if message:
        return _("{function} raised {error}: {message}").format(function=label, error=kind, message=message)
    return _("{function} raised {error}").format(function=label, error=kind)


def too_slow_line(label, seconds):
    """A call stopped at its deadline."""
    return _("{function} took longer than {seconds} s (the limit for one call)").format(
        function=label, seconds=f"{seconds:g}")


def student_module(frame):
    """The exercise module (bare name) a frame's code belongs to, or None for any other code."""
    package, _dot, module = frame.f_globals.get("__name__", "").rpartition(".")
    return module if package == STUDENT_PACKAGE and module in exercise_modules() else None


def student_frames(tb):
    """The frames of a traceback that run the student's exercise modules, outermost first."""
    frames = []
    while tb is not None:
        if student_module(tb.tb_frame):
            frames.append((tb.tb_frame, tb.tb_lineno))
        tb = tb.tb_next
    return frames


def frame_label(frame):
    """The label of a student frame's function, as the grader labels the call ("Affine.backward")."""
    return function_label(student_module(frame), frame.f_code.co_qualname)


def describe_exception(error):
    """One line for an exception from the student's code (None when no student frame raised it): labelled by
    the outermost student call, placed at the innermost student line, as the grader's worker reports it."""
    frames = student_frames(error.__traceback__)
    if not frames:
        return None
    (outer, _line), (inner, line) = frames[0], frames[-1]
    where = where_line(os.path.basename(inner.f_code.co_filename), line, inner.f_code.co_name)
    try:
        message = str(error)
    except Exception:  # noqa: BLE001 - a hostile __str__
        message = _("<unprintable>")
    return raised_line(frame_label(outer), type(error).__name__, message, where)
