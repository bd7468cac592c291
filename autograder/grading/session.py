"""One stage's conversation with the sandbox: a worker started on demand and restarted after a crash,
a deadline per call, a time budget per stage, a memory of what already timed out or crashed, and the
worker's CPU time per call measured from outside."""
import time
from dataclasses import dataclass, field
from pathlib import Path
import tempfile

import dlscratch_data

from ..points.stages import STAGE_BY_NAME, exercise_modules
from ..release import student_data_files, student_package_files
from ..sandbox.launcher import WORKER_PACKAGE, WORKER_PACKAGE_DIR, Limits, WorkerGone, WorkerProcess, WorkerTimeout
from ..cleanup import remove_tree
from .errors import GraderError, WorkerFailure

STUDENT_PACKAGE = "dlscratch"
MAX_MODULE_BYTES = 1 << 20
STARTUP_SECONDS = 20.0
STAGE_MODULES = exercise_modules()


@dataclass
class Settings:
    """How workers run: isolation, limits, the deadline of one call and the time budget of a stage.
    call_timeout None: each stage's own (Stage.call_timeout); a number overrides it for every stage."""

    isolation: object
    limits: Limits = field(default_factory=Limits)
    call_timeout: float | None = None
    stage_budget: float = 10.0


def build_graded_package(package, destination):
    """The package a worker imports: the student's stage modules (regular files only) and, for everything
    else, the course's own trusted copies as released. -> {module: why it was not copied}."""
    destination.mkdir(parents=True)
    problems = {}
    for name, text in student_package_files().items():
        if Path(name).stem not in STAGE_MODULES:
            (destination / name).write_text(text, encoding="utf-8")
    for data_file in student_data_files():
        (destination / data_file.name).write_bytes(data_file.read_bytes())
    for module in sorted(STAGE_MODULES):
        source = package / f"{module}.py" if package is not None else None
        if source is None:
            problems[module] = f"there is no {STUDENT_PACKAGE}/ package in the submission"
        elif source.is_symlink():
            problems[module] = f"{STUDENT_PACKAGE}/{module}.py is a symbolic link; submit the file itself"
        elif not source.exists():
            problems[module] = f"{STUDENT_PACKAGE}/{module}.py is missing from the submission"
        elif not source.is_file() or source.stat().st_nlink != 1 or source.stat().st_size > MAX_MODULE_BYTES:
            problems[module] = f"{STUDENT_PACKAGE}/{module}.py is not a regular file under 1 MiB"
        else:
            (destination / f"{module}.py").write_bytes(source.read_bytes())
    return problems


class StageSession:
    """Sends requests for one stage to its worker and turns every way of failing into a WorkerFailure."""

    def __init__(self, stage_name, package, settings, scratch_root):
        self.stage_name = stage_name
        self.package = package
        self.settings = settings
        self.scratch = Path(tempfile.mkdtemp(prefix=f"{stage_name}-", dir=scratch_root))
        self.module_problems = build_graded_package(package, self.scratch / STUDENT_PACKAGE)
        self.binds = {STUDENT_PACKAGE: self.scratch / STUDENT_PACKAGE, WORKER_PACKAGE: WORKER_PACKAGE_DIR,
                      "dlscratch_data": Path(dlscratch_data.__file__).parent}
        self.worker = None
        self.ready = False
        self.generation = 0
        self.spent = 0.0
        self.timed_out = {}
        self.broken_modules = {}
        self.notes = []
        self.last_cpu_seconds = 0.0

    @property
    def call_timeout(self):
        """The deadline of one call: the grader's override, else the stage's own."""
        return self.settings.call_timeout or STAGE_BY_NAME[self.stage_name].call_timeout

    def prestart(self):
        """Spawn the worker now, without waiting for it: stages start their workers side by side."""
        if self.worker is None:
            self._spawn()

    def _spawn(self):
        try:
            self.worker = WorkerProcess.start(self.settings.isolation, self.binds, self.settings.limits,
                                              STUDENT_PACKAGE)
        except OSError as error:
            raise GraderError(f"the sandbox could not be started ({error})") from None
        self.generation += 1
        self.ready = False

    def _await_ready(self):
        """Wait for the worker's first message. No student code has run yet, so a failure here is the
        grader's: it is retried once, then reported as a grader error, never charged to the student."""
        for attempt in (1, 2):
            problem = self._ready_problem()
            if not problem:
                self.ready = True
                return
            if attempt == 1:
                self._spawn()
        raise GraderError(f"the sandbox failed to start twice ({problem})")

    def _ready_problem(self):
        try:
            header, _ = self._receive(time.monotonic() + STARTUP_SECONDS)
        except WorkerTimeout:
            return f"the worker did not start within {STARTUP_SECONDS:g} s"
        except WorkerGone as gone:
            return f"the worker {gone.reason} while starting; {gone.output}".strip("; ")
        if header.get("event") != "ready":
            self.stop()
            return "the worker did not start properly"
        return ""

    def _receive(self, deadline):
        """The worker's next message; on timeout or death the worker is stopped and the error re-raised."""
        try:
            return self.worker.receive(deadline)
        except WorkerGone as gone:
            output = self.worker.take_output(500).strip()
            gone.output = f"its last output: {output}" if output else ""
            self.stop()
            raise
        except WorkerTimeout:
            self.stop()
            raise

    def _check_allowed(self, label, module):
        if label in self.timed_out:
            raise WorkerFailure(f"{label} timed out earlier (after {self.timed_out[label]:g} s); not called again")
        for problems in (self.broken_modules, self.module_problems):
            if module in problems:
                raise WorkerFailure(problems[module])
        if self.spent > self.settings.stage_budget:
            raise WorkerFailure(f"the time budget of {self.settings.stage_budget:g} s for {self.stage_name} "
                                "is used up (earlier calls were too slow or hung)")

    def request(self, header, blobs, label, module, timeout=None):
        """Send one request; -> (reply header, reply blobs). Raises WorkerFailure on any failure."""
        self._check_allowed(label, module)
        started = time.monotonic()
        try:
            if self.worker is None:
                self._spawn()
            if not self.ready:
                self._await_ready()
                self._check_allowed(label, module)
            return self._exchange(header, blobs, label, timeout or self.call_timeout)
        finally:
            self.spent += time.monotonic() - started

    def _exchange(self, header, blobs, label, timeout):
        deadline, importing = time.monotonic() + timeout, None
        started, cpu_before = time.perf_counter(), self.worker.cpu_seconds()
        try:
            self.worker.send(header, blobs, deadline)
        except WorkerTimeout:
            return self._timed_out(label, None, timeout)
        except WorkerGone as gone:
            self.stop()
            raise WorkerFailure(f"the worker {gone.reason} before running {label}") from None
        while True:
            try:
                reply, reply_blobs = self._receive(deadline)
            except WorkerTimeout:
                return self._timed_out(label, importing, timeout)
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
            self.notes.append(self.worker.take_output())
            cpu_after = self.worker.cpu_seconds()
            self.last_cpu_seconds = (cpu_after - cpu_before if None not in (cpu_before, cpu_after)
                                     else time.perf_counter() - started)
            return reply, reply_blobs

    def _timed_out(self, label, importing, timeout):
        if importing:
            self.broken_modules[importing] = (f"importing {STUDENT_PACKAGE}.{importing} did not finish "
                                              f"within {timeout:g} s")
            raise WorkerFailure(self.broken_modules[importing], "", "is there an endless loop at module level?")
        self.timed_out[label] = timeout
        raise WorkerFailure(f"{label} timed out after {timeout:g} s", "",
                            "look for an endless loop, or a loop over elements where one NumPy operation would do")

    def stop(self):
        if self.worker is not None:
            self.worker.kill()
            self.worker = None

    def close(self):
        self.stop()
        remove_tree(self.scratch)
