"""Why a test lost its points, worded for the student: the same class locally (public tests) and in the grader."""
import re

from course.language import N_, _

# The function a check's `what` names: "softmax" in "softmax on a (2, 3, 4) array", "AND" in "AND(0, 1)";
# ASCII, so that a translation that puts no space after the name ("softmax的输出") still names it alone.
_FUNCTION = re.compile(r"[A-Za-z_][\w.]*", re.ASCII)
# The lines of a failure's feedback that explain a loss, best first: credit carried forward from an earlier
# function (the grader's), a likely cause (the grader's probes), the check's hint. Their text up to the first
# placeholder, in any language, marks such a line (course_points/verdict.py).
CARRIED_FORWARD = N_("carried forward from your {functions}: {kept} of this test's points kept")
CARRIED_FORWARD_STOOD_IN = N_("carried forward from your {functions}, right with the course's {stood_in} in place "
                              "of yours: {kept} of this test's points kept")
LIKELY_CAUSE = N_("likely cause: this relies on your {function}, which is wrong ({problem}); fix that first")
LIKELY_CAUSES = N_("likely cause: this relies on your {function}, which is wrong ({problem}) (and your {others}); "
                   "fix that first")
HINT_LINE = N_("hint: {hint}")
EXPLAINING_LINES = ((CARRIED_FORWARD, CARRIED_FORWARD_STOOD_IN), (LIKELY_CAUSE, LIKELY_CAUSES), (HINT_LINE,))


class GradingFailure(AssertionError):
    """A test failed for a reason the student should read.

    summary: what failed ("softmax on a (4, 3) batch: wrong values"); detail: how far off the result was and
    where; hint: the likely cause of what was observed; what: the part of the summary that describes the
    inputs, which a hidden test replaces by the function's name alone; kind: the kind of failure in fixed
    words ("wrong values"), all a hidden test shows besides the function's name; observed: the hint is a
    diagnosis of this very result, not the test's fixed advice.
    """

    DEFAULT_KIND = N_("wrong result")

    def __init__(self, summary, detail="", hint="", what="", kind=None, observed=False):
        super().__init__(summary)
        # A hint may arrive as a message constant (N_) that a check passed on as it is: worded here, once.
        hint = _(hint) if hint else hint
        self.summary, self.detail, self.hint, self.what, self.observed = summary, detail, hint, what, observed
        self.kind = kind or _(self.DEFAULT_KIND)

    def feedback(self, hidden=False, hint=True):
        """Summary, detail and hint on separate lines; a hidden test shows only the function and the failure.
        hint=False leaves the hint out (the failure comes from an earlier function, which a fixed hint is not
        about)."""
        if hidden:
            return _("{summary} (hidden test: its inputs, details and hint are not shown)").format(
                summary=self.hidden_summary())
        return "\n".join([self.summary] + ([self.detail] if self.detail else [])
                         + ([_(HINT_LINE).format(hint=self.hint)] if self.hint and hint else []))

    def hidden_summary(self):
        """The function the test names and the kind of failure: "softmax: wrong values". Nothing the
        submission chose (a shape, a dtype, a type's name, an exception's text) can carry a hidden test's
        inputs out this way."""
        function = _FUNCTION.match(self.what)
        return _("{function}: {kind}").format(function=function.group(), kind=self.kind) if function else self.kind
