"""pytest plugin: `@pytest.mark.points(n)` per test, a stage marker from the test's folder, a points table.

A test earns its points only by passing in every phase; a test that errors in setup earns nothing.
"""
from pathlib import Path

import pytest

from .failure import GradingFailure
from .report import RENDERERS, Report, TestResult
from .stages import STAGES, stage_of_path

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
def pytest_runtest_makereport(item, call):
    """A failed check reads as its feedback (summary, detail, hint), an untouched stub as one line; other
    errors in the student's code keep a short traceback, which is what they need to find them."""
    report = (yield).get_result()
    if not report.failed or call.excinfo is None:
        return
    error = call.excinfo.value
    if isinstance(error, GradingFailure):
        report.longrepr = error.feedback()
    elif isinstance(error, NotImplementedError):
        report.longrepr = f"not implemented yet: {error}"
    elif not isinstance(error, AssertionError):
        report.longrepr = call.excinfo.getrepr(style="short")


def _stage_name(item):
    return next((stage.name for stage in STAGES if item.get_closest_marker(stage.name)), "unstaged")


def _feedback(report):
    """The grader's own feedback where it gave one, else (public tests) the tail of pytest's report."""
    if hasattr(report, "feedback"):
        return report.feedback[:MAX_OUTPUT_CHARS]
    if report.passed:
        return ""
    text = getattr(report, "longreprtext", "") or str(report.longrepr or "")
    return text[-MAX_OUTPUT_CHARS:]


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
