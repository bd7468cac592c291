"""What the class report page shows, read from the stored results: one row per student, one per hidden test.

Plain values only (strings, numbers, lists); escaping is the renderer's job. Every value is a function of the
results (and the roster), sorted, so a merge of shards gives the page one run gives.
"""
from collections import Counter
from dataclasses import dataclass

from ..entries import roster_row
from ..gradebook import stage_names
from ..summary import graded, pass_rates


@dataclass(frozen=True)
class PassRate:
    """A hidden test: `passed` of `graded` students earned all its points; `reason` is the most common
    one-line reason (Verdict.reason) among the `lost` graded students who did not ("" when none did)."""

    name: str
    passed: int
    graded: int
    reason: str
    reason_count: int
    lost: int


@dataclass(frozen=True)
class StudentRow:
    """A student: `stages` {stage name: score} for the stages graded, `deadline` their own deadline when it
    is not the class's (else ""), `integrity` what they changed of the protected files (text), `grader_errors`
    the names of the tests the grader failed on, and `result` (store.Result) for the feedback."""

    student: str
    stages: dict
    late_commits: bool
    deadline: str
    integrity: str
    grader_errors: list
    result: object


def pass_rate_rows(results):
    """[PassRate] of every hidden test, the lowest pass rate first (summary.pass_rates' order)."""
    reasons = {}
    for result in graded(results).values():
        for test in result.report.tests:
            if test.score < test.max_score:
                reasons.setdefault(test.name, Counter())[test.reason] += 1
    rows = []
    for name, passed, total in pass_rates(results):
        counts = reasons.get(name, Counter())
        # Most frequent first, ties by text, so the page does not depend on the order results were read in.
        reason, count = min(counts.items(), key=lambda item: (-item[1], item[0]), default=("", 0))
        rows.append(PassRate(name, passed, total, reason, count, sum(counts.values())))
    return rows


def class_deadline(results, roster):
    """The deadline (ISO text) of every student without a roster extension, or None when there is none or
    several (then each student's own deadline is shown)."""
    deadlines = {result.batch.get("deadline") for student, result in results.items()
                 if not _extended(roster, student)}
    return deadlines.pop() if len(deadlines) == 1 else None


def _extended(roster, student):
    row = roster_row(roster, student)
    return row is not None and row.deadline is not None


def integrity_text(integrity):
    """The protected files a student changed or removed, as one line; "not checked" without a repository."""
    if not integrity.get("checked"):
        return "not checked"
    parts = [f"{state}: {', '.join(integrity[state])}" for state in ("changed", "missing") if integrity[state]]
    return "; ".join(parts)


def student_rows(results, roster):
    """[StudentRow] sorted by student name."""
    deadline = class_deadline(results, roster)
    rows = []
    for student, result in sorted(results.items()):
        totals = result.report.stage_totals()
        own = result.batch.get("deadline")
        rows.append(StudentRow(
            student=student, stages={name: total["score"] for name, total in totals.items()},
            late_commits=bool(result.batch.get("later_commits")),
            deadline=own if own and own != deadline else "",
            integrity=integrity_text(result.batch.get("integrity", {})),
            grader_errors=[test.name for test in result.report.grader_errors()], result=result))
    return rows

