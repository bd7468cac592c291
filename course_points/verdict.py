"""A verdict: what one graded test earned and why, declared once by whoever graded it.

The grader's plugin (grading/plugin.py) and the public tests' tally (points/plugin.py) each produce one
per test; the report (points/report.py) only adds them up and renders them.
"""
from dataclasses import dataclass

from course.language import in_every_language
from course_feedback.failure import EXPLAINING_LINES
from course_feedback.text import shorten

MAX_REASON_CHARS = 240
# Feedback lines that explain a loss best, best first: credit carried forward, a likely cause, a hint; each
# kind by the text before its messages' first placeholder in any language of the course (a report is read
# back whatever language wrote it).
EXPLAINING_PREFIXES = tuple(tuple(dict.fromkeys(said.split("{")[0].strip() for message in kind
                                                for said in in_every_language(message)))
                            for kind in EXPLAINING_LINES)


@dataclass(frozen=True)
class Verdict:
    """One test's outcome: `score` of `max_score` points (floats), its `status` ("passed" earns
    them all; "grader-error" is scored neither way; "failed", "skipped", "did not run", "not graded" score
    what partial credit gave), `feedback`
    for the student (text, several lines), `visibility` (Gradescope's), and `carried_from`: the earlier
    functions a failure was put down to (a tuple of names; empty unless the grade carried it forward;
    Gradescope's JSON has no place for it, so a stored report loads it empty)."""

    name: str
    stage: str
    max_score: float
    score: float = 0.0
    status: str = "failed"
    feedback: str = ""
    visibility: str = "visible"
    carried_from: tuple = ()

    @property
    def reason(self):
        """Why the test lost points, on one line: the first line of its feedback and what explains it best."""
        lines = [line.strip() for line in self.feedback.strip().splitlines() if line.strip()]
        if not lines:
            return self.status
        extra = next((line for prefixes in EXPLAINING_PREFIXES for line in lines[1:] if line.startswith(prefixes)), "")
        return shorten(lines[0] + (f" ({extra})" if extra else ""), MAX_REASON_CHARS)
