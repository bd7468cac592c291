"""The class's gradebooks, from the stored results: grades.csv, nbgrader's export columns, and an LMS import.

Every file is a function of the results alone (sorted by student), so a merge of shards writes exactly the
files one run writes.
"""
from course.stages import STAGES
from .entries import roster_row
from .spreadsheet import csv_text

# The columns `nbgrader export` writes (nbgrader.plugins.export.CsvExportPlugin).
NBGRADER_COLUMNS = ("assignment", "duedate", "timestamp", "student_id", "last_name", "first_name", "email",
                    "raw_score", "late_submission_penalty", "score", "max_score")
# Canvas's gradebook import: identity columns, then one column per assignment; a "Points Possible" row.
CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")


def _number(value):
    return "" if value is None else f"{value:g}"


def stage_names(results):
    """The stages graded in any result, in the course's order."""
    graded = {test.stage for result in results.values() for test in result.report.tests}
    return [stage.name for stage in STAGES if stage.name in graded]


def grades_csv(results):
    """student, one score per stage, total, max_score, status, commit, later_commits, duration (seconds)."""
    stages = stage_names(results)
    rows = [["student", *stages, "total", "max_score", "status", "commit", "later_commits", "duration"]]
    for student, result in sorted(results.items()):
        batch, report, totals = result.batch, result.report, result.report.stage_totals()
        duration = batch.get("duration")
        rows.append([student, *(_number(totals[name]["score"]) if name in totals else "" for name in stages),
                     _number(report.score), _number(report.max_score), report.status,
                     batch.get("commit") or "", "yes" if batch.get("later_commits") else "no",
                     "" if duration is None else f"{duration:.1f}"])
    return csv_text(rows)


def nbgrader_csv(results, roster, assignment):
    """The columns of `nbgrader export`, one row per student (names from the roster where it has them)."""
    rows = [list(NBGRADER_COLUMNS)]
    for student, result in sorted(results.items()):
        row = roster_row(roster, student)
        first, _, last = (row.name if row else "").rpartition(" ")
        score = _number(result.report.score)
        rows.append([assignment, result.batch.get("deadline") or "", "", student, last, first, "",
                     score, "0.0", score, _number(result.report.max_score)])
    return csv_text(rows)


def lms_csv(results, roster, assignment):
    """A Canvas gradebook import: the roster's LMS id as SIS User ID, the GitHub user as SIS Login ID.

    Students the roster does not know keep an empty SIS User ID (Canvas skips them; see integrity of the
    roster in summary.md)."""
    max_score = max((result.report.max_score for result in results.values()), default=0)
    rows = [[*CANVAS_COLUMNS, assignment], ["Points Possible", "", "", "", "", _number(max_score)]]
    for student, result in sorted(results.items()):
        row = roster_row(roster, student)
        score = "" if result.report.status != "graded" else _number(result.report.score)
        rows.append([row.name if row and row.name else student, "", row.lms_id if row else "",
                     row.github if row else student, row.section if row else "", score])
    return csv_text(rows)
