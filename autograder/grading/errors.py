"""Why a graded test lost its points, worded for the student."""
import re

# The function a check's `what` names: "softmax" in "softmax on a (2, 3, 4) array", "AND" in "AND(0, 1)".
_FUNCTION = re.compile(r"[A-Za-z_][\w.]*")


class GradingFailure(AssertionError):
    """A test failed for a reason the student should read.

    summary: what failed ("softmax on a (4, 3) batch: wrong values"); detail: which input and how it went
    wrong; hint: what usually causes it; what: the part of the summary that describes the inputs, which a
    hidden test replaces by the function's name alone.
    """

    def __init__(self, summary, detail="", hint="", what=""):
        super().__init__(summary)
        self.summary, self.detail, self.hint, self.what = summary, detail, hint, what

    def feedback(self, hidden=False):
        if hidden:
            return f"{self.hidden_summary()} (hidden test: its inputs, details and hint are not shown)"
        parts = [self.summary] + ([self.detail] if self.detail else []) + ([f"hint: {self.hint}"] if self.hint else [])
        return "\n".join(parts)

    def hidden_summary(self):
        """The summary with the inputs left out: "softmax: wrong values"."""
        if not (self.what and self.summary.startswith(f"{self.what}: ")):
            return self.summary
        return f"{_FUNCTION.match(self.what).group()}: {self.summary[len(self.what) + 2:]}"


class StudentCodeError(GradingFailure):
    """The student's code raised an exception."""


class WorkerFailure(GradingFailure):
    """The worker crashed, hung, broke the protocol or ran out of its stage's time."""


class GraderError(GradingFailure):
    """The grader itself failed (the sandbox would not start): the test is scored neither way."""
