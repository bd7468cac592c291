"""One stage's conversation with the sandbox: requests through the grade's shared worker, a deadline per
call, a time budget per function, a memory of what already timed out or crashed, and the worker's CPU
time per call measured from outside."""
import contextlib
import time
import warnings
from dataclasses import dataclass, field

import numpy as np

from course.language import _
from course.names import STUDENT_PACKAGE
from course.stages import STAGE_BY_NAME
from course_feedback.code_error import SLOW_HINT, too_slow_line
from ..sandbox.launcher import Limits, WorkerGone, WorkerTimeout
from ..sandbox.worker.protocol import ProtocolError, decode_value, encode_value
from .errors import StudentCodeError, WorkerFailure
from .shared_worker import SharedWorker



# What a hidden test shows of a failed call (errors.GradingFailure.kind): the summaries hold exit codes,
# sizes and tags of the worker's choosing. Functions, since a message is worded in the grade's language.
def timed_out():
    return _("timed out")


def not_imported():
    return _("its module could not be imported")


def gone():
    return _("the worker crashed, exited or broke the grading protocol")


@dataclass
class Settings:
    """How workers run: isolation, limits, the deadline of one call, the time budget of one function (the
    wall-clock seconds all calls of that function may take, so a slow function costs only its own tests) and
    of one grade (the seconds student code may have over all its calls, worker restarts it caused included,
    so a grade ends in bounded time whatever the submission does: batch/grade_all.py derives its cap from it).
    call_timeout None: each stage's own (Stage.call_timeout); a number overrides it for every stage."""

    isolation: object
    limits: Limits = field(default_factory=Limits)
    call_timeout: float | None = None
    function_budget: float = 10.0
    grade_budget: float = 120.0


def _no_handles(*ignored):
    raise ProtocolError("an object where only arrays and numbers may be")


@dataclass
class GradeClock:
    """The wall-clock seconds student code has had so far in one grade, over every stage and retry."""

    spent: float = 0.0


@dataclass
class Stopwatch:
    """What the worker spent on a window of calls: `seconds` over the whole window, gaps between calls
    included, and (label, seconds) per call in `calls`, for feedback."""

    seconds: float = 0.0
    calls: list = field(default_factory=list)

    def slowest(self):
        """(label, seconds) of the call that took longest, or ("", 0.0) for an empty window."""
        return max(self.calls, key=lambda call: call[1], default=("", 0.0))


def function_key(label, module):
    """What a budget and a timeout are kept per: "activations.sigmoid", "layers.Affine.forward"."""
    return f"{module}.{label}" if module else label


class StageSession:
    """Sends requests for one stage to the shared worker and turns every way of failing into a WorkerFailure."""

    def __init__(self, stage_name, worker, settings, clock=None):
        self.stage_name = stage_name
        self.worker = worker
        self.settings = settings
        self.clock = clock or GradeClock()
        self.spent = {}
        self.timed_out = {}
        self.broken_modules = {}
        self.notes = []
        self.last_cpu_seconds = 0.0
        self.stopwatch = None

    @classmethod
    def alone(cls, stage_name, package, settings, scratch_root):
        """A session with a worker of its own (benchmarks and tests of one stage); close() ends both."""
        return cls(stage_name, SharedWorker(package, settings, scratch_root), settings)

    @property
    def call_timeout(self):
        """The deadline of one call: the grader's override, else the stage's own."""
        return self.settings.call_timeout or STAGE_BY_NAME[self.stage_name].call_timeout

    def next_request_id(self):
        """The id of the next request to the worker: one count per grade, whichever proxy sends it, so no
        request's id says which part of the grader made it."""
        return next(self.worker.request_ids)

    @property
    def max_reply_bytes(self):
        """The most array bytes one reply may hold, and decode to."""
        return self.settings.limits.max_reply_bytes

    @property
    def generation(self):
        return self.worker.generation

    @contextlib.contextmanager
    def timed(self):
        """Within: the calls made are timed as one window -> a Stopwatch, filled in when the window closes.

        The worker's CPU time from its cgroup (every thread and child), read from outside before the first
        call and after the last reply, so no part of the work escapes by moving from one call to another,
        into a thread, or between calls (wall-clock time where the worker has no cgroup). A worker is
        started before the window opens: starting one is the grader's time.
        """
        self.worker.ensure_ready()
        watch, started = Stopwatch(), self._clock()
        self.stopwatch = watch
        try:
            yield watch
        finally:
            self.stopwatch = None
        watch.seconds = self._clock() - started

    def _clock(self):
        cpu = self.worker.process.cpu_seconds()
        return cpu if cpu is not None else time.perf_counter()

    def refuses(self, dotted):
        """Whether calls of `dotted` ("activations.sigmoid") now fail at once: it timed out, or used up its budget."""
        return dotted in self.timed_out or self.spent.get(dotted, 0.0) > self.settings.function_budget

    def _check_allowed(self, label, module):
        key = function_key(label, module)
        if key in self.timed_out:
            raise WorkerFailure(_("{too_slow} in an earlier test; not called again").format(
                too_slow=too_slow_line(label, self.timed_out[key])), kind=timed_out())
        for problems in (self.broken_modules, self.worker.module_problems):
            if module in problems:
                raise WorkerFailure(problems[module], kind=not_imported())
        if self.spent.get(key, 0.0) > self.settings.function_budget:
            raise WorkerFailure(_("the time budget of {seconds} s for {label} is used up (earlier calls of it were "
                                  "too slow)").format(seconds=f"{self.settings.function_budget:g}", label=label),
                                kind=_("its time budget was used up"))
        if self.clock.spent > self.settings.grade_budget:
            raise WorkerFailure(_("the grade's time budget of {seconds} s is used up (earlier calls were too slow); "
                                  "{label} not called").format(seconds=f"{self.settings.grade_budget:g}", label=label),
                                kind=_("the grade's time budget was used up"))

    def request(self, header, blobs, label, module, timeout=None):
        """Send one request; -> (reply header, reply blobs). Raises WorkerFailure on any failure.

        Only the exchange itself counts against the function's budget: starting a worker is the grader's time.
        The grade's budget also counts restarting a worker that student code ended or left unclean.
        """
        self._check_allowed(label, module)
        restart, started = self.worker.generation > 0 and self.worker.process is None, time.monotonic()
        self.worker.ensure_ready()
        if restart:
            self.clock.spent += time.monotonic() - started
        started, key = time.monotonic(), function_key(label, module)
        try:
            self._stand_in(timeout or self.call_timeout)
            return self._exchange(header, blobs, label, module, timeout or self.call_timeout)
        finally:
            elapsed = time.monotonic() - started
            self.spent[key] = self.spent.get(key, 0.0) + elapsed
            self.clock.spent += elapsed

    def _stand_in(self, timeout):
        """Rebind the functions the course stands in for (SharedWorker.stand_ins) in a worker that has not got
        them yet: a worker started within a carried-forward run (after a crash) gets them too."""
        worker = self.worker
        if not worker.stand_ins or worker.stood_in == worker.generation:
            return
        for dotted in worker.stand_ins:
            module, _dot, name = dotted.rpartition(".")
            reply, _blobs = self._exchange({"id": self.next_request_id(), "op": "stand_in", "target": dotted}, [],
                                      name, module, timeout)
            if "error" in reply:
                raise StudentCodeError.from_reply(reply["error"], name)
        worker.stood_in = worker.generation

    def _answer(self, ask, ask_blobs, label, deadline):
        """Answer the worker's "ask": the course's function, standing in for the student's, on the arguments
        their code passed it. Only the function's value (or its exception's type) goes back."""
        reference = self.worker.stand_ins.get(ask.get("target"))
        if reference is None:
            self.stop()
            raise WorkerFailure(_("the worker asked for a function nothing stands in for while running {label} "
                                  "(protocol broken)").format(label=label), kind=gone())
        try:
            args, kwargs = decode_value(["t", [ask.get("args"), ask.get("kwargs")]], ask_blobs, _no_handles,
                                        self.max_reply_bytes)
            if not (isinstance(args, list) and isinstance(kwargs, dict)):
                raise ProtocolError("malformed arguments")
        except ProtocolError as error:
            self.stop()
            raise WorkerFailure(_("{label} sent the course's function arguments the grader cannot read ({error})")
                                .format(label=label, error=error), what=label,
                                kind=_("sent back a reply the grader cannot read")) from None
        answer, blobs = {}, []
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                answer["value"] = encode_value(reference(*args, **kwargs), blobs, _no_handles)
        except Exception as error:  # noqa: BLE001 - the student's arguments may make the reference raise anything
            answer, blobs = {"error": type(error).__name__}, []
        self.worker.process.send(answer, blobs, deadline)

    def _exchange(self, header, blobs, label, module, timeout):
        deadline, importing = time.monotonic() + timeout, None
        process = self.worker.process
        started, cpu_before = time.perf_counter(), process.cpu_seconds()
        try:
            process.send(header, blobs, deadline)
        except WorkerTimeout:
            return self._timed_out(label, module, None, timeout)
        except WorkerGone as ended:
            self.stop()
            raise WorkerFailure(_("the worker {reason} before running {label}").format(reason=ended.reason, label=label),
                                kind=gone()) from None
        while True:
            try:
                reply, reply_blobs = self.worker.receive(deadline)
            except WorkerTimeout:
                return self._timed_out(label, module, importing, timeout)
            except WorkerGone as ended:
                if importing:
                    self.broken_modules[importing] = _("the worker {reason} while importing {module}").format(
                        reason=ended.reason, module=f"{STUDENT_PACKAGE}.{importing}")
                    raise WorkerFailure(self.broken_modules[importing], ended.output, kind=not_imported()) from None
                raise WorkerFailure(_("the worker {reason} while running {label}").format(reason=ended.reason, label=label),
                                    ended.output, kind=gone()) from None
            if reply.get("event") == "importing":
                importing = str(reply.get("module", ""))[len(STUDENT_PACKAGE) + 1:][:100]
                continue
            if reply.get("event") == "imported":
                importing = None
                continue
            if reply.get("event") == "ask":
                try:
                    self._answer(reply, reply_blobs, label, deadline)
                except WorkerTimeout:
                    return self._timed_out(label, module, importing, timeout)
                except WorkerGone as ended:
                    self.stop()
                    raise WorkerFailure(_("the worker {reason} while running {label}").format(
                        reason=ended.reason, label=label), kind=gone()) from None
                continue
            if reply.get("id") != header.get("id"):
                self.stop()
                raise WorkerFailure(_("the worker answered a different request (protocol broken)"), kind=gone())
            self.notes.append(process.take_output())
            cpu_after = process.cpu_seconds()
            self.last_cpu_seconds = (cpu_after - cpu_before if None not in (cpu_before, cpu_after)
                                     else time.perf_counter() - started)
            if self.stopwatch is not None:
                self.stopwatch.calls.append((label, self.last_cpu_seconds))
            return reply, reply_blobs

    def _timed_out(self, label, module, importing, timeout):
        if importing:
            self.broken_modules[importing] = _("importing {module} did not finish within {seconds} s").format(
                module=f"{STUDENT_PACKAGE}.{importing}", seconds=f"{timeout:g}")
            raise WorkerFailure(self.broken_modules[importing], "", _("is there an endless loop at module level?"),
                                kind=not_imported())
        self.timed_out[function_key(label, module)] = timeout
        raise WorkerFailure(too_slow_line(label, timeout), hint=SLOW_HINT, kind=timed_out())

    def settle(self):
        self.worker.settle()

    def stop(self):
        self.worker.stop()

    def close(self):
        self.worker.close()
