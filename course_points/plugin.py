"""pytest plugin: `@pytest.mark.points(n)` per test, a stage marker from the test's folder, a points table.

A test earns its points only by passing in every phase; a test that errors in setup earns nothing.
"""
from pathlib import Path

import pytest

from course.stages import STAGES, stage_of_path
from course_feedback.code_error import describe_exception, student_module
from course_feedback.failure import GradingFailure
from course_feedback.text import shorten, shorten_lines
from .clock import CallTooSlow, CallClock
from .report import RENDERERS, Report, TestResult

# Feedback is for reading, not for dumping a whole traceback into a report.
MAX_OUTPUT_CHARS = 2000


def pytest_addoption(parser):
    group = parser.getgroup("points", "points per stage")
    group.addoption("--points-report", metavar="FILE", help="also write the points report to FILE")
    group.addoption("--points-format", choices=sorted(RENDERERS), default="json",
                    help="format of --points-report (default: json)")


def pytest_configure(config):
    config.addinivalue_line("markers", "points(n): the points a test is worth")
    config.addinivalue_line("markers", "visibility(v): visible, hidden, after_due_date or after_published")
    config.addinivalue_line("markers", "uses(*names): earlier-stage functions a test relies on")
    for stage in STAGES:
        config.addinivalue_line("markers", f"{stage.name}: {stage.title}")
    config.pluginmanager.register(PointsTally(config), "points-tally")


def pytest_collection_modifyitems(items):
    for item in items:
        stage = stage_of_path(Path(str(item.path)))
        if stage is not None:
            item.add_marker(stage.name)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    """Each call into the student's code gets its stage's call_timeout, as in the grade (clock.py)."""
    stage = stage_of_path(Path(str(item.path)))
    if stage is None:
        yield
        return
    with CallClock(stage.call_timeout):
        yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failure reads as one line (`report.points_reason`, what the points table and every report show):
    a failed check its feedback (summary, detail, hint), an exception in the student's code the grader's
    line for it. pytest's own section keeps a traceback of the test's and the student's lines only."""
    report = (yield).get_result()
    if not report.failed or call.excinfo is None:
        return
    error = call.excinfo.value
    code_line = None if isinstance(error, GradingFailure) else describe_exception(error)
    if isinstance(error, GradingFailure):
        report.points_reason = error.feedback()
    else:
        report.points_reason = code_line or shorten(call.excinfo.exconly(), MAX_OUTPUT_CHARS)
    if isinstance(error, NotImplementedError) or (isinstance(error, GradingFailure)
                                                  and not isinstance(error, CallTooSlow)):
        report.longrepr = report.points_reason
    elif code_line or isinstance(error, CallTooSlow):
        report.longrepr = f"{report.points_reason}\n\n{_own_traceback(item, call.excinfo)}"


def _own_traceback(item, excinfo):
    """pytest's short traceback cut to the test's own lines and the student's: no pytest, pluggy or NumPy."""
    test_file = Path(str(item.path))
    excinfo.traceback = excinfo.traceback.filter(
        lambda entry: Path(str(entry.path)) == test_file or student_module(entry.frame.raw) is not None)
    return str(excinfo.getrepr(style="short", chain=False))


def _stage_name(item):
    return next((stage.name for stage in STAGES if item.get_closest_marker(stage.name)), "unstaged")


def _feedback(report):
    """The grader's own feedback where it gave one, else (public tests) the failure's one line."""
    if hasattr(report, "feedback"):
        return shorten_lines(report.feedback, MAX_OUTPUT_CHARS)
    if report.passed:
        return ""
    return getattr(report, "points_reason", "") or shorten(str(report.longrepr or ""), MAX_OUTPUT_CHARS)


class PointsTally:
    """Collects one TestResult per pointed test and prints or writes the report at the end."""

    def __init__(self, config):
        self.config = config
        self.results = {}

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items):
        for item in items:
            marker = item.get_closest_marker("points")
            if marker is not None:
                visibility = item.get_closest_marker("visibility")
                self.results[item.nodeid] = TestResult(
                    name=item.nodeid, stage=_stage_name(item), max_score=float(marker.args[0]),
                    status="not run", visibility=visibility.args[0] if visibility else "visible")

    def pytest_runtest_logreport(self, report):
        result = self.results.get(report.nodeid)
        if result is None or result.status in ("failed", "grader-error"):
            return
        if report.failed or (report.when == "call" and report.skipped):
            fraction = getattr(report, "credit_fraction", 0.0)
            result.status = ("grader-error" if getattr(report, "grader_error", False)
                             else "failed" if report.failed else "skipped")
            result.score = round(fraction * result.max_score, 6)
            result.output = _feedback(report)
        elif report.when == "call" and report.passed:
            result.status, result.score = "passed", result.max_score
            result.output = _feedback(report)

    def report(self):
        return Report(tests=list(self.results.values()))

    def pytest_terminal_summary(self, terminalreporter):
        if not self.results or self.config.option.collectonly:
            return
        terminalreporter.write_sep("=", "points per stage")
        terminalreporter.write(RENDERERS["text"](self.report()))

    def pytest_sessionfinish(self):
        path = self.config.getoption("points_report")
        if path:
            renderer = RENDERERS[self.config.getoption("points_format")]
            Path(path).write_text(renderer(self.report()), encoding="utf-8")
