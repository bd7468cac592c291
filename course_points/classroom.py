"""`python -m course_points.classroom --runner NAME --max-score N`: the public tests of a push, for CI.

Runs the public tests with the points plugin, then
- appends the points table, and the feedback of every test that lost points, to the job summary
  ($GITHUB_STEP_SUMMARY);
- sets the step output `result` ($GITHUB_OUTPUT): base64 JSON as GitHub Classroom's
  autograding-grading-reporter reads it from the env var <RUNNER>_RESULTS: version, status,
  max_score, tests[] (name, status, score, message, line_no).
max_score is the release's public total, so tests that could not even be collected (a syntax error in a
module) still count, as one failed entry. Exit code 0 whenever the tests ran: the reporter fails the job.
Standard library and pytest only: this module ships in every student release as course_points.classroom.
"""
import argparse
import base64
import json
import os
import sys

import pytest

from course.language import _
from course_feedback.text import shorten_lines
from .report import render_markdown

MAX_MESSAGE_CHARS = 1000


class _Collector:
    """Remembers each test's line and, at the end, the points plugin's report and collection errors."""

    def __init__(self):
        self.lines, self.report, self.errors = {}, None, []

    def pytest_collection_modifyitems(self, items):
        self.lines.update({item.nodeid: item.location[1] + 1 for item in items})

    def pytest_collectreport(self, report):
        if report.failed:
            self.errors.append(f"{report.nodeid}: {str(report.longrepr).strip().splitlines()[-1]}")

    def pytest_sessionfinish(self, session):
        # Imported only now that pytest has loaded the plugin (the release's conftest names it): imported
        # before, pytest could not rewrite it and warned on every run.
        from .plugin import tally_of

        self.report = tally_of(session.config).report()


def classroom_result(report, lines, errors, max_score):
    """The reporter's payload (a dict) for a points Report; uncollected points become one failed entry."""
    tests = [{"name": test.name, "status": "pass" if test.status == "passed" else "fail", "score": test.score,
              "message": shorten_lines(test.feedback, MAX_MESSAGE_CHARS), "line_no": lines.get(test.name, 0)}
             for test in report.tests]
    missing = round(max_score - report.max_score, 6)
    if missing > 0 or errors:
        # The entry's name is a test id, the same in every language; its message is for reading.
        tests.append({"name": "tests that could not be collected", "status": "fail", "score": 0,
                      "message": shorten_lines("\n".join(errors) or _("some public tests are missing"),
                                               MAX_MESSAGE_CHARS),
                      "line_no": 0})
    passed = all(test["status"] == "pass" for test in tests)
    return {"version": 1, "status": "pass" if passed else "fail", "max_score": max(max_score, report.max_score),
            "tests": tests}


def _append(variable, text):
    path = os.environ.get(variable)
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(text)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m course_points.classroom", description=__doc__.splitlines()[0])
    parser.add_argument("--runner", default="public", help="the reporter's runner id (its env var is <RUNNER>_RESULTS)")
    parser.add_argument("--max-score", type=float, required=True, help="the public tests' total points")
    args, pytest_args = parser.parse_known_args(argv)
    collector = _Collector()
    code = pytest.main(["-p", "no:cacheprovider", "--continue-on-collection-errors", *pytest_args], plugins=[collector])
    if collector.report is None:
        print(_("error: pytest stopped before the points were tallied (exit code {code})").format(code=code),
              file=sys.stderr)
        return 2
    result = classroom_result(collector.report, collector.lines, collector.errors, args.max_score)
    _append("GITHUB_STEP_SUMMARY", render_markdown(collector.report) + "".join(
        "\n> " + _("could not collect: {error}").format(error=error) for error in collector.errors) + "\n")
    encoded = base64.b64encode(json.dumps(result).encode("utf-8")).decode("ascii")
    _append("GITHUB_OUTPUT", f"result={encoded}\n")
    total = sum(test["score"] for test in result["tests"])
    print(_("public points: {score}/{max_score} ({runner}: {status})").format(
        score=f"{total:g}", max_score=f"{result['max_score']:g}", runner=args.runner, status=result["status"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
