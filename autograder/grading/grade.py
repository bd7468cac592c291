"""`python -m autograder grade SUBMISSION`: grade a student's repository against the hidden suites.

Student code runs only in sandboxed worker processes; this process runs pytest on the hidden suites,
compares every reply with the reference, and writes the report. Every existing path gets a report.
"""
import contextlib
import importlib.util
import io
import os
import secrets
import sys
import tempfile
from pathlib import Path

import pytest

from course.language import _
from course.names import suite_file
from course.paths import HIDDEN_DIR
from course.rubric import load_rubric
from course.stages import STAGES
from course_points.report import Report

from ..cleanup import remove_tree
from ..sandbox.isolation import probe
from .language import graded_by, speaking
from .plugin import GradingPlugin
from .session import GradeClock, Settings
from .verdicts import unscored, verdict
from .submission import locate

# A grade's secret seed: far too many values to guess or to precompute inputs for.
SEED_BITS = 128


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


def grade(submission, stages=None, settings=None, verbose=False, seed=None, language=None):
    """Grade `submission` (a path: folder or .zip) on `stages` (names; default all) -> course_points.report.Report.

    The hidden tests draw their inputs from `seed` (an int; default a fresh secret one, so every grade
    has inputs of its own), recorded in the report to reproduce the grade. Tests the grader itself
    failed on are graded once more in fresh workers, on the same inputs; if they fail again the report's
    status is "grader-error". The feedback is in `language` (default: the current one, grading.language),
    recorded in the report's grader; points and statuses are the same in every language. UsageError only
    when the path does not exist.
    """
    with speaking(language):
        return _grade(submission, stages, settings, verbose, seed)


def _grade(submission, stages, settings, verbose, seed):
    stages = list(stages or [stage.name for stage in STAGES])
    settings = settings or Settings(isolation=probe())
    if settings.isolation.refused:
        return every_test(stages, "grader-error", settings.isolation.describe(), settings)
    seed = secrets.randbits(SEED_BITS) if seed is None else seed
    rubric = {test_id: entry for test_id, entry in load_rubric().items() if entry.stage in stages}
    scratch = Path(tempfile.mkdtemp(prefix="dlscratch-grade-"))
    try:
        located = locate(submission, scratch)
        if located.package is None:
            return not_graded(stages, located.problem, settings)
        # One clock for both runs: a retry of the grader's failures spends what is left of the grade's budget,
        # on the same inputs (the same seed).
        clock = GradeClock()
        results = _run_pytest(located.package, rubric, settings, clock, scratch / "first", verbose, seed)
        retry = {test_id: entry for test_id, entry in rubric.items() if results[test_id].status == "grader-error"}
        if retry:
            results.update(_run_pytest(located.package, retry, settings, clock, scratch / "retry", verbose, seed))
    finally:
        remove_tree(scratch)
    return _report([results[test_id] for test_id in rubric], settings, seed)


def not_graded(stages, reason, settings):
    """The report of a submission with nothing to grade: every test of `stages` 0 points, `reason` on each."""
    return every_test(stages, "not graded", reason, settings)


def every_test(stages, status, reason, settings):
    """A report whose every test of `stages` scores 0 with one `status` and `reason` (grader-error: neither way)."""
    return _report(unscored(stages, status, reason), settings)


def _report(tests, settings, seed=None):
    return Report(tests=tests, notes=[settings.isolation.describe()], grader=graded_by(),
                  isolation=settings.isolation.as_data(), seed=seed)


def _forget_hidden_modules():
    """pytest imports the hidden test modules by name and would reuse them from sys.modules in the next
    grade of this process, module-level state and all (messages worded in the language of the grade that
    imported them among it): every grade imports them afresh, as a lone grade does."""
    hidden = str(HIDDEN_DIR)
    for name, module in list(sys.modules.items()):
        if str(getattr(module, "__file__", "") or "").startswith(hidden):
            del sys.modules[name]


def _run_pytest(package, rubric, settings, clock, scratch, verbose, seed):
    """{test id: Verdict} for the rubric's tests, run in one pytest session with fresh workers; student
    time is counted on `clock` (a GradeClock), hidden inputs drawn from `seed`."""
    scratch.mkdir()
    _forget_hidden_modules()
    plugin = GradingPlugin(package, settings, rubric, scratch, _load_probes(), seed, clock)
    plugin.worker.prestart()
    stages = sorted({entry.stage for entry in rubric.values()})
    selected = [str(HIDDEN_DIR / suite_file(stage)) for stage in stages]
    # pytest's unraisable-exception check runs five full garbage collections per session, a tenth of a
    # stub's grade, to report exceptions raised where nothing could catch them (a __del__ in the scorer):
    # no grading matter.
    # The grading plugin declares every verdict itself: the public tests' tally has nothing to add.
    args = ["-q", "-p", "no:cacheprovider", "-p", "no:unraisableexception", "-p", "course_points.plugin",
            "-p", "no:points-tally",
            "--assert=plain", "--tb=no",
            "-c", str(HIDDEN_DIR / "pytest.ini"), "--rootdir", str(HIDDEN_DIR), *selected]
    pytest_output = io.StringIO()
    try:
        # Third-party pytest plugins have no business in grading, and hypothesis's alone costs ~1.5 s.
        with contextlib.redirect_stdout(pytest_output), _environment(PYTEST_DISABLE_PLUGIN_AUTOLOAD="1"):
            pytest.main(args, plugins=[plugin])
    finally:
        plugin.close()
    if verbose:
        print(pytest_output.getvalue(), file=sys.stderr)
    return {test_id: plugin.verdicts.get(test_id) or verdict(entry, "did not run", _("this test did not report a result"))
            for test_id, entry in rubric.items()}
