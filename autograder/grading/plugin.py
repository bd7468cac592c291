"""pytest plugin for the hidden suites: the `student` and `rng` fixtures, rubric points, feedback.

Loaded only by `python -m autograder grade`, in the trusted scorer process.
"""
import contextlib
import sys
import zlib
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pytest

from course.names import suite_stage
from course.stages import STAGE_BY_NAME
from course.language import _
from course_feedback.code_error import not_implemented_line
from course_feedback.failure import LIKELY_CAUSE, LIKELY_CAUSES
from course_feedback.text import shorten_lines
from course_points.plugin import MAX_OUTPUT_CHARS

from . import carry
from .errors import GraderError, GradingFailure, StudentCodeError, WorkerFailure
from .proxy import Student
from .session import GradeClock, StageSession
from .shared_worker import SharedWorker
from .verdicts import verdict

MAX_NOTES_CHARS = 1500


class Carried(NamedTuple):
    """The earlier functions a failed test's failure is carried forward from (carry.py), and those of them
    (or of the test's earlier functions) the course's stood in for."""

    names: tuple
    stood_in: tuple


NOT_CARRIED = Carried((), ())


class Probe(NamedTuple):
    """What is wrong with an earlier function by itself ("" for nothing), and whether it gave no values at all
    (it raised, or was too slow)."""

    problem: str
    silent: bool = False


CARRIED_FROM = pytest.StashKey[Carried]()


def _test_id(item):
    """The rubric's id of a hidden test: "test_stage2.py::test_softmax[batch]"."""
    return f"{Path(str(item.path)).name}::{item.name}"


def _stage_of(path):
    name = suite_stage(path)
    return name if name in STAGE_BY_NAME else None


def _is_hidden(item):
    marker = item.get_closest_marker("visibility")
    return bool(marker and marker.args[0] == "hidden")


def _not_implemented(error, stage):
    """The test's own function is a stub, or another function of its stage is (MultiLayerNet's given __init__
    calling a stub init_scale): this stage's work is not done. An earlier stage's function being one is that
    function's failure."""
    return (isinstance(error, StudentCodeError) and error.not_implemented
            and (error.summary == not_implemented_line(error.what, "")
                 or (stage in STAGE_BY_NAME and error.module in STAGE_BY_NAME[stage].modules)))


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
    """Owns the grade's worker and one StageSession per stage on it, and declares each test's Verdict
    (`verdicts`) for the report."""

    def __init__(self, package, settings, rubric, scratch_root, probes, seed, clock=None):
        self.settings, self.rubric, self.probes, self.seed = settings, rubric, probes, seed
        self.clock = clock or GradeClock()
        self.worker = SharedWorker(package, settings, scratch_root)
        self.sessions = {}
        self.probe_results = {}
        self.timed_out_before = {}
        self.verdicts = {}  # {test id: Verdict}, one per rubric test that reported
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
        dropped = [item for item in items if _test_id(item) not in self.rubric]
        if dropped:
            config.hook.pytest_deselected(items=dropped)
            items[:] = [item for item in items if item not in dropped]
        for item in items:
            stage = _stage_of(item.path)
            if stage:
                item.add_marker(stage)
            entry = self.rubric.get(_test_id(item))
            if entry is not None:
                item.add_marker(pytest.mark.visibility(entry.visibility))
        # The worker outlives a test, so what it saw in one test it can print, raise or return in the next;
        # after a hidden test comes only another hidden test, whose feedback shows none of that.
        items.sort(key=_is_hidden)

    def pytest_runtest_setup(self, item):
        stage = _stage_of(item.path)
        if stage:
            self.session(stage).settle()
            self.session(stage).notes = []
        self.timed_out_before = {session: set(session.timed_out) for session in self.sessions.values()}

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_call(self, item):
        # An earlier function already known to give no values (too slow) is not called again: the course's
        # stands in for it from the start, and the test is judged by its own work (carry.py, standing_in).
        standing = self._known_silent(item)
        with (carry.standing_in(self._student(item), standing) if standing else contextlib.nullcontext([])) as asked:
            outcome = yield
            error = outcome.excinfo[1] if outcome.excinfo else None
            credit = getattr(item, "credit", None)
            if asked and credit and credit.fraction:
                # Cases that passed with the course's functions in place of the student's are carried forward too.
                credit.fraction *= carry.CARRIED_FORWARD_KEPT
            carried, stood = NOT_CARRIED, standing if asked else ()
            if (isinstance(error, GradingFailure) and not isinstance(error, GraderError)
                    and not _not_implemented(error, _stage_of(item.path))):
                try:
                    carried = self._carried_from(item, standing)
                except GraderError as grader_error:
                    # Whether the failure is carried forward could not be decided: graded again, not charged.
                    outcome.force_exception(grader_error)
            elif error is None and asked:
                carried, stood = Carried(standing, standing), ()
                outcome.force_exception(GradingFailure(carry.right_with_stand_ins(standing),
                                                       kind=carry.right_with_stand_ins(standing)))
            # _carried_from names only earlier functions not standing in already.
            item.stash[CARRIED_FROM] = Carried((*stood, *carried.names) if carried.names else (),
                                               (*stood, *carried.stood_in))

    def _student(self, item):
        return Student(self.session(_stage_of(item.path)))

    def _known_silent(self, item):
        """The earlier functions the test uses whose calls are refused (timed out, time budget used up)."""
        marker = item.get_closest_marker("uses")
        return tuple(name for name in (marker.args if marker else ())
                     if name in self.probes.SUBSTITUTABLE and self._refused(name))

    def _refused(self, name):
        """Whether any stage's session now refuses calls of `name` (StageSession.refuses)."""
        return any(session.refuses(name) for session in self.sessions.values())

    def _carried_from(self, item, standing=()):
        """Carried(the earlier functions this test's failure comes from, those the course stood in for), besides
        those `standing` already (carry.py). Wrong earlier functions are judged through the student's own first
        (an adapter may ask of them only what they were written for); where that fails, those that give no
        values (they raise or time out) are taken out of the question, the course's standing in. GraderError
        when the second run failed by the grader's fault."""
        substitutable = self.probes.SUBSTITUTABLE
        wrong = [name for name in self._wrong_dependencies(item) if name in substitutable and name not in standing]
        silent = [name for name in wrong if self.probe_results[name].silent]
        refused = [name for name in silent if self._refused(name)]
        attempts = [refused] if len(refused) < len(wrong) else []
        if silent and (silent != refused or not attempts):
            attempts.append(silent)
        for stood_in in attempts:
            if stood_in:
                self._pardon(item, stood_in)
            valued = {name: substitutable[name] for name in wrong if name not in stood_in}
            if self._passes_with(item, stood_in, valued):
                return Carried(tuple(wrong), tuple(stood_in))
        return Carried((), tuple(attempts[-1]) if attempts else ())

    def _passes_with(self, item, stood_in, valued):
        """Whether the test passes with the course's `stood_in` in place of the student's and the reference
        computing through the student's `valued` earlier functions (carry.judge)."""
        student, credit = self._student(item), getattr(item, "credit", None)
        kept = credit.fraction if credit else None
        try:
            with carry.standing_in(student, stood_in) as asked:
                return (carry.judge(item.runtest, student, item.funcargs["student"], valued) if valued else
                        carry.passes_on_its_own(item.runtest, item.funcargs["student"]) and bool(asked))
        finally:
            if credit:
                credit.fraction = kept

    def _pardon(self, item, silent):
        """Forget the timeouts this test's first run left on functions other than the silent earlier ones:
        they called those, so they are judged again with the course's in their place."""
        for session in self.sessions.values():
            for key in set(session.timed_out) - self.timed_out_before.get(session, set()) - set(silent):
                del session.timed_out[key]

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        report = (yield).get_result()
        if report.when != "call" and not report.failed:
            return
        hidden = _is_hidden(item)
        grader_error = report.failed and _is_grader_error(call)
        carried = item.stash.get(CARRIED_FROM, NOT_CARRIED) if report.failed and not grader_error else NOT_CARRIED
        cause = ""
        if carried.names:
            cause = carry.feedback(carried.names, carried.stood_in)
        elif carried.stood_in:
            cause = carry.stood_in_note(carried.stood_in)
        elif report.failed and not hidden and not _not_implemented(call.excinfo.value, _stage_of(item.path)):
            cause = self._dependency_note(item)
        # A failure put down to an earlier function: the test's fixed hint would point at the wrong code (a
        # diagnosis of the result itself stays). With the course's functions standing in, the failure is the
        # test's own, and so is the hint.
        fixed_hint = not cause or (carried.stood_in and not carried.names)
        parts = [self._failure_text(item, call, hidden, fixed_hint=fixed_hint), cause] if report.failed else []
        notes = self.session(_stage_of(item.path)).notes if _stage_of(item.path) else []
        printed = "\n".join(note for note in notes if note.strip())
        if printed and not hidden:
            parts.append(_("your code printed or warned:\n{output}").format(output=printed[:MAX_NOTES_CHARS]))
        feedback = "\n".join(part for part in parts if part)
        credit = getattr(item, "credit", None)
        fraction = (credit.fraction if credit is not None else None) or 0.0
        if carried.names:
            fraction = max(fraction, carry.CARRIED_FORWARD_KEPT)
        self._declare(item, report, grader_error, feedback, fraction, carried)

    def _declare(self, item, report, grader_error, feedback, fraction, carried):
        """The test's Verdict from one phase's `report`: the first phase that fails decides it, else the call.
        `fraction` is the share of the points a failed test earns (partial or carried-forward credit)."""
        test_id = _test_id(item)
        entry, declared = self.rubric.get(test_id), self.verdicts.get(test_id)
        if entry is None or (declared and declared.status in ("failed", "grader-error")):
            return
        feedback = shorten_lines(feedback, MAX_OUTPUT_CHARS)
        if report.passed:
            self.verdicts[test_id] = verdict(entry, "passed", feedback, entry.points)
        else:
            status = "grader-error" if grader_error else "failed" if report.failed else "skipped"
            score = round(fraction * entry.points, 6) if status == "failed" else 0.0
            self.verdicts[test_id] = verdict(entry, status, feedback, score, carried.names)

    @staticmethod
    def _failure_text(item, call, hidden, fixed_hint=True):
        if _is_grader_error(call):
            # What the grader tripped over can hold a hidden test's inputs, or values the submission chose.
            failed = _("the grader failed on this test, not your code; it is scored neither way and will be graded "
                       "again")
            return failed if hidden else _("{failed} ({error})").format(failed=failed, error=call.excinfo.value)
        error = call.excinfo.value if call.excinfo else None
        if isinstance(error, GradingFailure):
            return error.feedback(hidden, hint=fixed_hint or error.observed)
        if hidden or not str(error).strip():
            return _("wrong result")
        return _("wrong result: {error}").format(error=error)

    def _wrong_dependencies(self, item):
        """{name: what is wrong} for the earlier functions the test uses that fail their probes, in order."""
        marker = item.get_closest_marker("uses")
        if marker is None:
            return {}
        student = Student(self.session(_stage_of(item.path)))
        return {name: problem for name in marker.args if (problem := self._probe(name, student))}

    def _probe(self, name, student):
        """What is wrong with the student's `name` by itself, or "" (probe_results keeps a Probe)."""
        if name not in self.probe_results:
            self.probe_results[name] = self._run_probe(name, student)
        return self.probe_results[name].problem

    def _run_probe(self, name, student):
        """A function that is wrong only through wrong earlier functions it calls (a SoftmaxWithLoss through a
        wrong softmax) is not wrong: its probe passes with the reference calling the student's earlier functions
        too, or the course's standing in for those that give no values (carry.py). A crash in that run (or the
        grader's failure) says nothing of it either, so it is not named."""
        failure = self.probes.failure(name, student)
        if failure is None:
            return Probe("")
        substitutable = self.probes.SUBSTITUTABLE
        wrong = [] if name in substitutable else [earlier for earlier in substitutable if self._probe(earlier, student)]
        if not wrong:
            return Probe(failure.summary, isinstance(failure, (StudentCodeError, WorkerFailure)))
        silent = [earlier for earlier in wrong if self.probe_results[earlier].silent]
        valued = {earlier: substitutable[earlier] for earlier in wrong if earlier not in silent}
        try:
            with carry.standing_in(student, silent), carry.through_student(student, valued):
                self.probes.PROBES[name](student)
        except (StudentCodeError, GraderError):
            return Probe("")
        except GradingFailure as failure_through_theirs:
            return Probe(failure_through_theirs.summary)
        return Probe("")

    def _dependency_note(self, item):
        """One "likely cause" line: the first wrong earlier function, naming any others."""
        wrong = self._wrong_dependencies(item)
        if not wrong:
            return ""
        (first, problem), others = next(iter(wrong.items())), list(wrong)[1:]
        if others:
            return _(LIKELY_CAUSES).format(function=first, problem=problem, others=", ".join(others))
        return _(LIKELY_CAUSE).format(function=first, problem=problem)
