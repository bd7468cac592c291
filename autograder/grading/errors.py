"""Why a graded test lost its points, worded for the student."""


class GradingFailure(AssertionError):
    """A test failed for a reason the student should read.

    summary: short and safe to show for hidden tests ("wrong values"); detail: which input and how it
    went wrong; hint: what usually causes it.
    """

    def __init__(self, summary, detail="", hint=""):
        super().__init__(summary)
        self.summary, self.detail, self.hint = summary, detail, hint

    def feedback(self, hidden=False):
        if hidden:
            return f"{self.summary} (hidden test: its inputs are not shown)"
        parts = [self.summary] + ([self.detail] if self.detail else []) + ([f"hint: {self.hint}"] if self.hint else [])
        return "\n".join(parts)


class StudentCodeError(GradingFailure):
    """The student's code raised an exception."""


class WorkerFailure(GradingFailure):
    """The worker crashed, hung, broke the protocol or ran out of its stage's time."""


class GraderError(GradingFailure):
    """The grader itself failed (the sandbox would not start): the test is scored neither way."""
