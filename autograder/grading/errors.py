"""Failures only the grader raises; GradingFailure itself is shared with the public tests (points/failure.py)."""
from ..points.failure import GradingFailure


class StudentCodeError(GradingFailure):
    """The student's code raised an exception. `headline` is the summary without the exception's message,
    all a hidden test shows: the message can give its inputs away (the shapes in a broadcasting error)."""

    def __init__(self, summary, headline):
        super().__init__(summary)
        self.headline = headline

    def hidden_summary(self):
        return self.headline


class WorkerFailure(GradingFailure):
    """The worker crashed, hung, broke the protocol or ran out of its stage's time."""


class GraderError(GradingFailure):
    """The grader itself failed (the sandbox would not start): the test is scored neither way."""
