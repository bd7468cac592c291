"""Grading results and their renderings: a terminal table, GitHub-flavoured markdown, Gradescope JSON."""
import html
import json
import re
import unicodedata
from dataclasses import dataclass, field

from course.language import _
from course.stages import STAGES

from .verdict import Verdict


@dataclass
class Report:
    """The verdicts of one grading run (`tests`, one Verdict per test), with per-stage and overall totals,
    the isolation it ran under, the seed of its hidden inputs and the grader's identity."""

    tests: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    grader: dict = field(default_factory=dict)
    isolation: dict = field(default_factory=dict)  # sandbox.isolation.Isolation.as_data() of the grade
    seed: int | None = None

    @property
    def status(self):
        """"grader-error" when the grader failed on a test (rerun it), else "graded"."""
        return "grader-error" if self.grader_errors() else "graded"

    def grader_errors(self):
        return [test for test in self.tests if test.status == "grader-error"]

    @property
    def score(self):
        return round(sum(test.score for test in self.tests), 6)

    @property
    def max_score(self):
        return round(sum(test.max_score for test in self.tests), 6)

    def stage_totals(self):
        """{stage name: {title, score, max_score, passed, total}} for every stage that has tests."""
        totals = {}
        for stage in STAGES:
            tests = [test for test in self.tests if test.stage == stage.name]
            if tests:
                totals[stage.name] = {
                    "title": stage.title,
                    "score": round(sum(test.score for test in tests), 6),
                    "max_score": round(sum(test.max_score for test in tests), 6),
                    "passed": sum(test.status == "passed" for test in tests),
                    "total": len(tests),
                }
        return totals


def _points(value):
    return f"{value:g}"


def _width(text):
    """Columns `text` takes in a terminal: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _row(stage, title, tests, points):
    """One row of the table, its columns 8, 42, 7 and 13 terminal columns wide (left, left, right, right)."""
    cells = [(stage, 8, False), (title, 42, False), (tests, 7, True), (points, 13, True)]
    return " ".join((" " * (width - _width(text)) + text) if right else (text + " " * (width - _width(text)))
                    for text, width, right in cells)


def _table(report):
    rows = [_row(_("stage"), _("title"), _("tests"), _("points"))]
    for name, total in report.stage_totals().items():
        tests = f"{total['passed']:>3}/{total['total']:<3}"
        rows.append(_row(name, _(total["title"]), tests, f"{_points(total['score'])} / {_points(total['max_score'])}"))
    rows.append(_row(_("total"), "", "", f"{_points(report.score)} / {_points(report.max_score)}"))
    return rows


def _lost_lines(report):
    lost = [test for test in report.tests if test.score < test.max_score and test.status != "grader-error"]
    if not lost:
        return []
    return ["", _("lost points:")] + [
        "  " + _("{test} ({score}/{max_score}): {reason}").format(
            test=test.name, score=_points(test.score), max_score=_points(test.max_score), reason=test.reason)
        for test in lost]


def render_table(report):
    """The points table alone: one row per stage, the total, then grader errors and notes."""
    return "\n".join(_table(report) + _grader_error_lines(report) + report.notes) + "\n"


def render_text(report):
    """The points table with, under it, every test that lost points and its one-line reason."""
    return "\n".join(_table(report) + _lost_lines(report) + _grader_error_lines(report) + report.notes) + "\n"


def _grader_error_lines(report):
    errors = report.grader_errors()
    if not errors:
        return []
    return [_("GRADER ERROR: {count} test(s) could not be graded, through no fault of the submission; they are "
              "scored neither way: grade again").format(count=len(errors))] + [f"  {test.name}" for test in errors]


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_MARKDOWN = re.compile(r"([\\`*_\[\]#|~])")
_LIST_START = re.compile(r"^(\s*)([-+]|\d+(?=\.))", re.MULTILINE)


def escape_markdown(text):
    """Text that renders as itself in GitHub markdown: no HTML, no headings, links or tables of its own."""
    text = _CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _MARKDOWN.sub(r"\\\1", html.escape(text, quote=False))
    # A line that starts like a list item: escape its marker ("\\-", "1\\.").
    return _LIST_START.sub(lambda m: m.group(1) + (m.group(2) + "\\" if m.group(2)[0].isdigit() else "\\" + m.group(2)),
                           text)


def render_markdown(report):
    """A GitHub job summary: the stage table, then feedback for every test that lost points."""
    lines = ["## " + _("Score: {score} / {max_score}").format(score=_points(report.score),
                                                               max_score=_points(report.max_score)), "",
             "| " + " | ".join((_("stage"), _("title"), _("tests passed"), _("points"))) + " |", "|---|---|---|---|"]
    for name, total in report.stage_totals().items():
        lines.append(f"| {name} | {_(total['title'])} | {total['passed']}/{total['total']} | "
                     f"{_points(total['score'])} / {_points(total['max_score'])} |")
    lost = [test for test in report.tests if test.score < test.max_score]
    if lost:
        lines += ["", "### " + _("Tests that lost points"), ""]
        for test in lost:
            feedback = escape_markdown(test.feedback.strip() or test.status).replace("\n", "<br>")
            lines.append("- " + _("{test} ({score}/{max_score}): {reason}").format(
                test=f"**{escape_markdown(test.name)}**", score=_points(test.score),
                max_score=_points(test.max_score), reason=feedback))
    lines += [f"> {escape_markdown(line)}" for line in _grader_error_lines(report) + report.notes]
    return "\n".join(lines) + "\n"


def render_json(report):
    """Gradescope's results.json: score, max_score, tests[]; under extra_data the per-stage totals, the
    status, the grader's identity and the seed of the hidden inputs (never shown to students)."""
    payload = {
        "score": report.score,
        "max_score": report.max_score,
        "output": render_table(report),
        "tests": [
            {"name": test.name, "score": test.score, "max_score": test.max_score,
             "status": test.status, "output": test.feedback, "visibility": test.visibility}
            for test in report.tests
        ],
        "extra_data": {"stages": report.stage_totals(), "status": report.status, "grader": report.grader,
                       "isolation": report.isolation},
    }
    if report.seed is not None:
        # For instructors, to grade again on the same inputs (grade --seed); a string, since JSON readers
        # that hold numbers as doubles would round it.
        payload["extra_data"]["seed"] = str(report.seed)
    return json.dumps(payload, indent=2) + "\n"


def report_from_json(payload, stage_of):
    """The Report that render_json rendered as `payload` (its parsed dict): the inverse of render_json.
    `stage_of(name)` is the stage of a test by its name (Gradescope's tests carry none).

    Totals and status are derived from the verdicts again; the notes are the lines of `output` under the
    table and the grader-error lines, which the verdicts alone decide.
    """
    extra = payload.get("extra_data", {})
    tests = [Verdict(name=test["name"], stage=stage_of(test["name"]), max_score=test["max_score"],
                     score=test["score"], status=test["status"], feedback=test["output"],
                     visibility=test["visibility"]) for test in payload["tests"]]
    report = Report(tests=tests, grader=extra.get("grader", {}),
                    isolation=extra.get("isolation", {}),
                    seed=int(extra["seed"]) if "seed" in extra else None)
    report.notes = payload["output"].splitlines()[len(_table(report) + _grader_error_lines(report)):]
    return report


RENDERERS = {"text": render_text, "markdown": render_markdown, "json": render_json}
