"""pytest plugin for the hidden suites: the `student` and `rng` fixtures, rubric points, feedback.

Loaded only by `python -m autograder grade`, in the trusted scorer process.
"""
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest

from course.names import suite_stage
from course.stages import STAGE_BY_NAME
from . import carry
from .errors import GraderError, GradingFailure, StudentCodeError
from .proxy import Student
from .session import GradeClock, StageSession
from .shared_worker import SharedWorker

MAX_NOTES_CHARS = 1500
# The earlier functions a failed test's failure is carried forward from (carry.py).
CARRIED_FROM = pytest.StashKey[list]()


def _stage_of(path):
    name = suite_stage(path)
    return name if name in STAGE_BY_NAME else None


def _is_hidden(item):
    marker = item.get_closest_marker("visibility")
    return bool(marker and marker.args[0] == "hidden")


def _not_implemented(error):
    return isinstance(error, StudentCodeError) and error.summary.endswith(" is not implemented yet")


def _is_grader_error(call):
    """The grader's own fault: the sandbox failed, or the test raised something no check raises."""
    error = call.excinfo.value if call.excinfo else None
    return error is not None and (isinstance(error, GraderError) or not isinstance(error, AssertionError))


class Credit:
    """Partial credit: a test that checks several cases records how many passed before it fails."""

    def __init__(self):
        self.fraction = None

    def award(self, passed, total):
        self.fraction = passed / total if total else 0.0

    def run(self, checks):
        """Run every zero-argument check, award the fraction that passed, then raise the first failure."""
        failures = []
        for check in checks:
            try:
                check()
            except AssertionError as failure:
                failures.append(failure)
        self.award(len(checks) - len(failures), len(checks))
        if failures:
            raise failures[0]


PLUGIN = pytest.StashKey["GradingPlugin"]()


@pytest.fixture(scope="module")
def student(request):
    return Student(request.config.stash[PLUGIN].session(_stage_of(request.module.__file__)))


def input_generator(seed, nodeid):
    """The generator of one test's inputs in one grade: a stream of the grade's secret seed per test id."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(zlib.crc32(nodeid.encode()),)))


@pytest.fixture
def rng(request):
    """The test's inputs, drawn afresh in every grade (input_generator): nothing a submission printed or remembered
    in one grade is of use in the next, and nothing it computed beforehand meets them."""
    return input_generator(request.config.stash[PLUGIN].seed, request.node.nodeid)


@pytest.fixture
def credit(request):
    request.node.credit = Credit()
    return request.node.credit


class GradingPlugin:
    """Owns the grade's worker and one StageSession per stage on it, and turns each test's outcome into
    feedback for the report."""

    def __init__(self, package, settings, rubric, scratch_root, probes, seed, clock=None):
        self.settings, self.rubric, self.probes, self.seed = settings, rubric, probes, seed
        self.clock = clock or GradeClock()
        self.worker = SharedWorker(package, settings, scratch_root)
        self.sessions = {}
        self.probe_results = {}
        self.config = None

    def pytest_configure(self, config):
        self.config = config
        config.stash[PLUGIN] = self
        # The fixtures are this module's functions: pytest deprecates higher-scoped fixtures defined as
        # methods of an instance (PytestRemovedIn10Warning from pytest 9.1 on).
        config.pluginmanager.register(sys.modules[__name__], "grading-fixtures")

    def session(self, stage):
        if stage not in self.sessions:
            self.sessions[stage] = StageSession(stage, self.worker, self.settings, self.clock)
        return self.sessions[stage]

    def close(self):
        self.worker.close()

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(self, config, items):
        # Only the rubric's tests run (all of a stage, or the few a retry asks for).
        dropped = [item for item in items if f"{Path(str(item.path)).name}::{item.name}" not in self.rubric]
        if dropped:
            config.hook.pytest_deselected(items=dropped)
            items[:] = [item for item in items if item not in dropped]
        for item in items:
            stage = _stage_of(item.path)
            if stage:
                item.add_marker(stage)
            entry = self.rubric.get(f"{Path(str(item.path)).name}::{item.name}")
            if entry is not None:
                item.add_marker(pytest.mark.points(entry.points))
                item.add_marker(pytest.mark.visibility(entry.visibility))
        # The worker outlives a test, so what it saw in one test it can print, raise or return in the next;
        # after a hidden test comes only another hidden test, whose feedback shows none of that.
        items.sort(key=_is_hidden)

    def pytest_runtest_setup(self, item):
        stage = _stage_of(item.path)
        if stage:
            self.session(stage).settle()
            self.session(stage).notes = []

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_call(self, item):
        outcome = yield
        error = outcome.excinfo[1] if outcome.excinfo else None
        if isinstance(error, GradingFailure) and not isinstance(error, GraderError) and not _not_implemented(error):
            try:
                item.stash[CARRIED_FROM] = self._carried_from(item)
            except GraderError as grader_error:
                # Whether the failure is carried forward could not be decided: graded again, not charged.
                outcome.force_exception(grader_error)

    def _carried_from(self, item):
        """The wrong earlier functions this test's failure comes from (carry.py), or []. GraderError when
        the second run failed by the grader's fault."""
        wrong = {name: self.probes.SUBSTITUTABLE[name] for name in self._wrong_dependencies(item)
                 if name in self.probes.SUBSTITUTABLE}
        if not wrong:
            return []
        credit = getattr(item, "credit", None)
        kept = credit.fraction if credit else None
        try:
            carried = carry.judge(item.runtest, Student(self.session(_stage_of(item.path))),
                                  item.funcargs["student"], wrong)
        finally:
            if credit:
                credit.fraction = kept
        return list(wrong) if carried else []

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        report = (yield).get_result()
        if report.when != "call" and not report.failed:
            return
        hidden = _is_hidden(item)
        report.grader_error = report.failed and _is_grader_error(call)
        carried = item.stash.get(CARRIED_FROM, []) if report.failed and not report.grader_error else []
        cause = ""
        if carried:
            cause = carry.feedback(carried)
        elif report.failed and not hidden and not _not_implemented(call.excinfo.value):
            cause = self._dependency_note(item)
        # A failure put down to an earlier function: the test's fixed hint would point at the wrong code (a
        # diagnosis of the result itself stays).
        parts = [self._failure_text(item, call, hidden, fixed_hint=not cause), cause] if report.failed else []
        notes = self.session(_stage_of(item.path)).notes if _stage_of(item.path) else []
        printed = "\n".join(note for note in notes if note.strip())
        if printed and not hidden:
            parts.append("your code printed or warned:\n" + printed[:MAX_NOTES_CHARS])
        report.feedback = "\n".join(part for part in parts if part)
        credit = getattr(item, "credit", None)
        fraction = (credit.fraction if credit is not None else None) or 0.0
        if carried:
            fraction = max(fraction, carry.CARRIED_FORWARD_KEPT)
        if report.failed and not report.grader_error and fraction:
            report.credit_fraction = fraction

    @staticmethod
    def _failure_text(item, call, hidden, fixed_hint=True):
        if _is_grader_error(call):
            # What the grader tripped over can hold a hidden test's inputs, or values the submission chose.
            detail = "" if hidden else f" ({call.excinfo.value})"
            return ("the grader failed on this test, not your code; it is scored neither way and will be "
                    f"graded again{detail}")
        error = call.excinfo.value if call.excinfo else None
        if isinstance(error, GradingFailure):
            return error.feedback(hidden, hint=fixed_hint or error.observed)
        return "wrong result" if hidden else f"wrong result: {error}".strip()

    def _wrong_dependencies(self, item):
        """{name: what is wrong} for the earlier functions the test uses that fail their probes, in order."""
        marker = item.get_closest_marker("uses")
        if marker is None:
            return {}
        student = Student(self.session(_stage_of(item.path)))
        return {name: problem for name in marker.args if (problem := self._probe(name, student))}

    def _probe(self, name, student):
        """What is wrong with the student's `name` by itself, or "". A function that is wrong only through
        wrong earlier functions it calls (a SoftmaxWithLoss through a wrong softmax) is not: its probe
        passes with the reference calling those too (carry.py). A crash in that run (or the grader's failure)
        says nothing of it either, so it is not named."""
        if name not in self.probe_results:
            problem = self.probes.check(name, student)
            substitutable = self.probes.SUBSTITUTABLE
            wrong = {} if not problem or name in substitutable else {
                earlier: adapter for earlier, adapter in substitutable.items() if self._probe(earlier, student)}
            if wrong:
                try:
                    with carry.through_student(student, wrong):
                        self.probes.PROBES[name](student)
                    problem = ""
                except (StudentCodeError, GraderError):
                    problem = ""
                except GradingFailure as failure:
                    problem = failure.summary
            self.probe_results[name] = problem
        return self.probe_results[name]

    def _dependency_note(self, item):
        """One "likely cause" line: the first wrong earlier function, naming any others."""
        wrong = self._wrong_dependencies(item)
        if not wrong:
            return ""
        (first, problem), others = next(iter(wrong.items())), list(wrong)[1:]
        also = f" (and your {', '.join(others)})" if others else ""
        return f"likely cause: this relies on your {first}, which is wrong ({problem}){also}; fix that first"
