"""One stage's conversation with the sandbox: requests through the grade's shared worker, a deadline per
call, a time budget per function, a memory of what already timed out or crashed, and the worker's CPU
time per call measured from outside."""
import time
from dataclasses import dataclass, field

from .. import STUDENT_PACKAGE
from ..points.code_error import SLOW_HINT, too_slow_line
from ..points.stages import STAGE_BY_NAME
from ..sandbox.launcher import Limits, WorkerGone, WorkerTimeout
from .errors import WorkerFailure
from .shared_worker import SharedWorker


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


@dataclass
class GradeClock:
    """The wall-clock seconds student code has had so far in one grade, over every stage and retry."""

    spent: float = 0.0


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

    def _check_allowed(self, label, module):
        key = function_key(label, module)
        if key in self.timed_out:
            raise WorkerFailure(f"{too_slow_line(label, self.timed_out[key])} in an earlier test; not called again")
        for problems in (self.broken_modules, self.worker.module_problems):
            if module in problems:
                raise WorkerFailure(problems[module])
        if self.spent.get(key, 0.0) > self.settings.function_budget:
            raise WorkerFailure(f"the time budget of {self.settings.function_budget:g} s for {label} is used up "
                                "(earlier calls of it were too slow)")
        if self.clock.spent > self.settings.grade_budget:
            raise WorkerFailure(f"the grade's time budget of {self.settings.grade_budget:g} s is used up (earlier "
                                f"calls were too slow); {label} not called")

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
            return self._exchange(header, blobs, label, module, timeout or self.call_timeout)
        finally:
            elapsed = time.monotonic() - started
            self.spent[key] = self.spent.get(key, 0.0) + elapsed
            self.clock.spent += elapsed

    def _exchange(self, header, blobs, label, module, timeout):
        deadline, importing = time.monotonic() + timeout, None
        process = self.worker.process
        started, cpu_before = time.perf_counter(), process.cpu_seconds()
        try:
            process.send(header, blobs, deadline)
        except WorkerTimeout:
            return self._timed_out(label, module, None, timeout)
        except WorkerGone as gone:
            self.stop()
            raise WorkerFailure(f"the worker {gone.reason} before running {label}") from None
        while True:
            try:
                reply, reply_blobs = self.worker.receive(deadline)
            except WorkerTimeout:
                return self._timed_out(label, module, importing, timeout)
            except WorkerGone as gone:
                if importing:
                    self.broken_modules[importing] = (f"the worker {gone.reason} while importing "
                                                      f"{STUDENT_PACKAGE}.{importing}")
                    raise WorkerFailure(self.broken_modules[importing], gone.output) from None
                raise WorkerFailure(f"the worker {gone.reason} while running {label}", gone.output) from None
            if reply.get("event") == "importing":
                importing = str(reply.get("module", ""))[len(STUDENT_PACKAGE) + 1:][:100]
                continue
            if reply.get("event") == "imported":
                importing = None
                continue
            if reply.get("id") != header.get("id"):
                self.stop()
                raise WorkerFailure("the worker answered a different request (protocol broken)")
            self.notes.append(process.take_output())
            cpu_after = process.cpu_seconds()
            self.last_cpu_seconds = (cpu_after - cpu_before if None not in (cpu_before, cpu_after)
                                     else time.perf_counter() - started)
            return reply, reply_blobs

    def _timed_out(self, label, module, importing, timeout):
        if importing:
            self.broken_modules[importing] = (f"importing {STUDENT_PACKAGE}.{importing} did not finish "
                                              f"within {timeout:g} s")
            raise WorkerFailure(self.broken_modules[importing], "", "is there an endless loop at module level?")
        self.timed_out[function_key(label, module)] = timeout
        raise WorkerFailure(too_slow_line(label, timeout), hint=SLOW_HINT)

    def settle(self):
        self.worker.settle()

    def stop(self):
        self.worker.stop()

    def close(self):
        self.worker.close()
