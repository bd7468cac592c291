"""Failures only the grader raises; GradingFailure itself is shared with the public tests (course_feedback/failure.py)."""
import builtins
import re

from course.language import _
from course_feedback.code_error import raised_line, where_line
from course_feedback.failure import GradingFailure

# Exception names a hidden test may show: the builtins only, since a submission names its own classes as it
# likes (a hidden test's inputs, say).
BUILTIN_EXCEPTIONS = frozenset(name for name, value in vars(builtins).items()
                               if isinstance(value, type) and issubclass(value, BaseException))


# How the worker, which speaks no language of the course, says where an exception was raised
# (sandbox/worker/serve.py): reworded in the grade's language.
WORKER_WHERE = re.compile(r"(?P<file>[^:\s]+):(?P<line>\d+) in (?P<function>\S+)")


class StudentCodeError(GradingFailure):
    """The student's code raised an exception: `summary` in the shared wording (course_feedback/code_error.py);
    `exception` is its type's name as the worker sent it, which a hidden test shows only for a builtin
    (a submission names its own classes as it likes, after a hidden test's inputs, say)."""

    def __init__(self, summary, exception="", what="", module=""):
        if exception == "NotImplementedError":
            kind = _("not implemented yet")
        elif exception in BUILTIN_EXCEPTIONS:
            kind = _("your code raised {exception}").format(exception=exception)
        else:
            kind = _("your code raised an exception")
        super().__init__(summary, what=what, kind=kind)
        # The module of the student's code the exception came from ("weight_init"), or "".
        self.module, self.exception = module, exception

    @property
    def not_implemented(self):
        """Whether the exception was a stub's NotImplementedError (of this function or one it calls)."""
        return self.exception == "NotImplementedError"

    @classmethod
    def from_reply(cls, error, label):
        """From the worker's error reply (a dict of type, message and where; anything else says nothing) of a
        call labelled `label`."""
        error = error if isinstance(error, dict) else {}
        kind, message, where = (worker_text(error.get(key)) for key in ("type", "message", "where"))
        filename = where.partition(":")[0]
        module = filename.removesuffix(".py") if filename.endswith(".py") else ""
        place = WORKER_WHERE.fullmatch(where)
        if place:
            where = where_line(place["file"], place["line"], place["function"])
        return cls(raised_line(label, kind, message, where), exception=kind, what=label, module=module)


def worker_text(value, limit=600):
    """A string the worker sent, cut to `limit` characters; anything else is ""."""
    return value[:limit] if isinstance(value, str) else ""


class WorkerFailure(GradingFailure):
    """The worker crashed, hung, broke the protocol or ran out of its stage's time."""

    def __init__(self, summary, detail="", hint="", what="", kind=None, observed=False):
        super().__init__(summary, detail, hint, what, kind or _("the call failed in the worker"), observed)


class GraderError(GradingFailure):
    """The grader itself failed (the sandbox would not start): the test is scored neither way."""
