"""pytest plugin: `@pytest.mark.points(n)` per test, a stage marker from the test's folder, a points table.

A test earns its points only by passing in every phase; a test that errors in setup earns nothing.
"""
from dataclasses import replace
from pathlib import Path

import pytest

from course.language import _
from course.stages import STAGES, stage_of_path
from course_feedback.code_error import describe_exception, student_module
from course_feedback.failure import GradingFailure
from course_feedback.text import shorten
from .clock import CallTooSlow, CallClock
from .report import RENDERERS, Report
from .verdict import Verdict

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
    """A failure's one line (the points table's reason), else pytest's own text for it."""
    if report.passed:
        return ""
    return getattr(report, "points_reason", "") or shorten(str(report.longrepr or ""), MAX_OUTPUT_CHARS)


def tally_of(config):
    """The PointsTally of a pytest run (`config`), found by its type."""
    return next(plugin for plugin in config.pluginmanager.get_plugins() if isinstance(plugin, PointsTally))


class PointsTally:
    """Declares one Verdict per pointed public test and prints or writes the report at the end."""

    def __init__(self, config):
        self.config = config
        self.results = {}  # {node id: Verdict}

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items):
        for item in items:
            marker = item.get_closest_marker("points")
            if marker is not None:
                visibility = item.get_closest_marker("visibility")
                self.results[item.nodeid] = Verdict(
                    name=item.nodeid, stage=_stage_name(item), max_score=float(marker.args[0]),
                    status="not run", visibility=visibility.args[0] if visibility else "visible")

    def pytest_runtest_logreport(self, report):
        """The first phase that fails decides a test's verdict, else its call."""
        result = self.results.get(report.nodeid)
        if result is None or result.status == "failed":
            return
        if report.failed or (report.when == "call" and report.skipped):
            status = "failed" if report.failed else "skipped"
            self.results[report.nodeid] = replace(result, status=status, score=0.0, feedback=_feedback(report))
        elif report.when == "call" and report.passed:
            self.results[report.nodeid] = replace(result, status="passed", score=result.max_score, feedback="")

    def report(self):
        return Report(tests=list(self.results.values()))

    def pytest_terminal_summary(self, terminalreporter):
        if not self.results or self.config.option.collectonly:
            return
        terminalreporter.write_sep("=", _("points per stage"))
        terminalreporter.write(RENDERERS["text"](self.report()))

    def pytest_sessionfinish(self):
        path = self.config.getoption("points_report")
        if path:
            renderer = RENDERERS[self.config.getoption("points_format")]
            Path(path).write_text(renderer(self.report()), encoding="utf-8")
