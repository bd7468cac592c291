"""One stage's conversation with the sandbox: a worker started on demand and restarted after a crash,
a deadline per call, a time budget per stage, and a memory of what already timed out or crashed."""
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..points.stages import STAGES
from ..sandbox.launcher import WORKER_PACKAGE, WORKER_PACKAGE_DIR, Limits, WorkerGone, WorkerProcess, WorkerTimeout
from .errors import WorkerFailure

STUDENT_PACKAGE = "dlscratch"
MAX_MODULE_BYTES = 1 << 20
STARTUP_SECONDS = 20.0


class SubmissionError(Exception):
    """The submission cannot be graded at all (no package); one line for the user."""


@dataclass
class Settings:
    """How workers run: isolation, limits, the deadline of one call and the time budget of a stage."""

    isolation: object
    limits: Limits = field(default_factory=Limits)
    call_timeout: float = 3.0
    stage_budget: float = 10.0
    hide_roots: tuple = ()


def find_package(submission):
    """The submission's dlscratch/ directory; SubmissionError (one line) when there is none."""
    submission = Path(submission)
    if not submission.is_dir():
        raise SubmissionError(f"{submission}: no such directory")
    package = submission / STUDENT_PACKAGE
    if package.is_symlink() or not package.is_dir():
        raise SubmissionError(f"{submission}: no {STUDENT_PACKAGE}/ package directory in the submission")
    return package


def copy_stage_modules(package, destination):
    """Copy only the known stage modules, as regular files; -> {module: why it was not copied}."""
    destination.mkdir(parents=True)
    (destination / "__init__.py").write_text('"""The submission\'s stage modules, as graded."""\n')
    problems = {}
    for module in (module for stage in STAGES for module in stage.modules):
        source = package / f"{module}.py"
        if source.is_symlink():
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
        self.worker = None
        self.ready = False
        self.generation = 0
        self.spent = 0.0
        self.timed_out = {}
        self.broken_modules = {}
        self.module_problems = {}
        self.notes = []
        self.last_cpu_seconds = 0.0

    def prestart(self):
        """Spawn the worker now, without waiting for it: stages start their workers side by side."""
        if self.worker is None:
            self._spawn()

    def _spawn(self):
        workdir = self.scratch / f"work{self.generation + 1}"
        workdir.mkdir()
        self.module_problems = copy_stage_modules(self.package, workdir / STUDENT_PACKAGE)
        shutil.copytree(WORKER_PACKAGE_DIR, workdir / WORKER_PACKAGE,
                        ignore=shutil.ignore_patterns("__pycache__"))
        self.worker = WorkerProcess.start(
            self.settings.isolation, workdir, self.scratch / f"output{self.generation + 1}.txt",
            [*self.settings.hide_roots, self.package.parent], self.settings.limits, STUDENT_PACKAGE)
        self.generation += 1
        self.ready = False

    def _await_ready(self):
        try:
            header, _ = self._receive(time.monotonic() + STARTUP_SECONDS)
        except WorkerTimeout:
            raise WorkerFailure(f"the worker did not start within {STARTUP_SECONDS:g} s") from None
        except WorkerGone as gone:
            raise WorkerFailure(f"the worker {gone.reason} while starting", gone.output) from None
        if header.get("event") != "ready":
            self.stop()
            raise WorkerFailure("the worker did not start properly")
        self.ready = True

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
            return self._exchange(header, blobs, label, timeout or self.settings.call_timeout)
        finally:
            self.spent += time.monotonic() - started

    def _exchange(self, header, blobs, label, timeout):
        try:
            self.worker.send(header, blobs)
        except WorkerGone as gone:
            self.stop()
            raise WorkerFailure(f"the worker {gone.reason} before running {label}") from None
        deadline, importing = time.monotonic() + timeout, None
        started = time.perf_counter()
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
            self.last_cpu_seconds = time.perf_counter() - started
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
        shutil.rmtree(self.scratch, ignore_errors=True)
