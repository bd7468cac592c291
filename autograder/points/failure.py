"""Why a test lost its points, worded for the student: the same class locally (public tests) and in the grader."""


class GradingFailure(AssertionError):
    """A test failed for a reason the student should read.

    summary: short and safe to show for hidden tests ("softmax on a (4, 3) batch: wrong values"); detail:
    how far off the result was and where; hint: the likely cause of what was observed.
    """

    def __init__(self, summary, detail="", hint=""):
        super().__init__(summary)
        self.summary, self.detail, self.hint = summary, detail, hint

    def feedback(self, hidden=False):
        """Summary, detail and hint on separate lines; a hidden test keeps its input values to itself."""
        parts = ([f"{self.summary} (hidden test: its input values are not shown)"] if hidden
                 else [self.summary] + ([self.detail] if self.detail else []))
        return "\n".join(parts + ([f"hint: {self.hint}"] if self.hint else []))
