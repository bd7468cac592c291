"""`python -m autograder grade SUBMISSION`: grade a student's repository against the hidden suites.

Student code runs only in sandboxed worker processes; this process runs pytest on the hidden suites,
compares every reply with the reference, and writes the report. Exit code 0 whenever grading completed,
whatever the score; 2 for a usage error (one line on stderr).
"""
import contextlib
import dataclasses
import importlib.util
import io
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

import solutions

from .grading.plugin import GradingPlugin
from .grading.rubric import HIDDEN_DIR, load_rubric
from .grading.session import Settings, find_package
from .points.report import Report, TestResult
from .points.stages import STAGES
from .sandbox.isolation import probe
from . import REPO_ROOT


@contextlib.contextmanager
def _environment(**values):
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _load_probes():
    spec = importlib.util.spec_from_file_location("autograder_hidden_probes", HIDDEN_DIR / "probes.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _hide_roots():
    """Everything of the course a worker must not see: this repository and the installed packages."""
    return (REPO_ROOT, Path(solutions.__file__).parent, Path(__file__).parent)


def grade(submission, stages=None, settings=None, verbose=False):
    """Grade `submission` (a path) on `stages` (names; default all) -> points.report.Report."""
    package = find_package(submission)
    stages = list(stages or [stage.name for stage in STAGES])
    settings = settings or Settings(isolation=probe())
    settings = dataclasses.replace(settings, hide_roots=tuple(settings.hide_roots) + _hide_roots())
    rubric = {test_id: entry for test_id, entry in load_rubric().items() if entry.stage in stages}
    scratch = Path(tempfile.mkdtemp(prefix="dlscratch-grade-"))
    plugin = GradingPlugin(package, settings, rubric, scratch, _load_probes())
    for stage in stages:
        plugin.session(stage).prestart()
    files = [str(HIDDEN_DIR / f"test_{stage}.py") for stage in stages]
    args = ["-q", "-p", "no:cacheprovider", "-p", "autograder.points.plugin", "--assert=plain",
            "-c", str(HIDDEN_DIR / "pytest.ini"), "--rootdir", str(HIDDEN_DIR), *files]
    pytest_output = io.StringIO()
    try:
        # Third-party pytest plugins have no business in grading, and hypothesis's alone costs ~1.5 s.
        with contextlib.redirect_stdout(pytest_output), _environment(PYTEST_DISABLE_PLUGIN_AUTOLOAD="1"):
            pytest.main(args, plugins=[plugin])
    finally:
        plugin.close()
        shutil.rmtree(scratch, ignore_errors=True)
    if verbose:
        print(pytest_output.getvalue(), file=sys.stderr)
    return _report(plugin, rubric, settings)


def _report(plugin, rubric, settings):
    """One result per rubric entry: what the test reported, or a zero when it reported nothing."""
    tally = plugin.config.pluginmanager.get_plugin("points-tally") if plugin.config else None
    results = tally.results if tally else {}
    tests = []
    for test_id, entry in rubric.items():
        result = results.get(test_id)
        if result is None or result.status == "not run":
            result = TestResult(test_id, entry.stage, entry.points, 0.0, "did not run",
                                "this test did not report a result", entry.visibility)
        tests.append(result)
    return Report(tests=tests, notes=[settings.isolation.describe()])
