"""The sandboxed worker one grade's stages share, started on demand and replaced when it is not clean.

One worker per grade, not per stage: a worker's start (bubblewrap, the interpreter, NumPy) costs a good
part of a stub's whole grade, and five of them side by side made a lone grade use more than one core, so
grades run in parallel scaled badly. The stages are one student's code (a stage's modules import the earlier stages'
anyway); what one stage's calls leave behind is cleared before the next test by replacing the worker:
threads or processes still running, or half its CPU-time or memory limit used up.
"""
import itertools
import tempfile
import time
from pathlib import Path

import dlscratch_data

from course.language import _
from course.names import STUDENT_PACKAGE, module_file
from course.stages import exercise_modules
from course.student_package import student_data_files, student_package_files
from ..sandbox.launcher import WORKER_PACKAGE, WORKER_PACKAGE_DIR, WorkerGone, WorkerProcess, WorkerTimeout
from ..cleanup import remove_tree
from .errors import GraderError

MAX_MODULE_BYTES = 1 << 20
STARTUP_SECONDS = 20.0
STAGE_MODULES = exercise_modules()


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
        source = package / module_file(module) if package is not None else None
        if source is None:
            problems[module] = _("there is no {package}/ package in the submission").format(package=STUDENT_PACKAGE)
        elif source.is_symlink():
            problems[module] = _("{file} is a symbolic link; submit the file itself").format(
                file=f"{STUDENT_PACKAGE}/{module_file(module)}")
        elif not source.exists():
            problems[module] = _("{file} is missing from the submission").format(
                file=f"{STUDENT_PACKAGE}/{module_file(module)}")
        elif not source.is_file() or source.stat().st_nlink != 1 or source.stat().st_size > MAX_MODULE_BYTES:
            problems[module] = _("{file} is not a regular file under 1 MiB").format(
                file=f"{STUDENT_PACKAGE}/{module_file(module)}")
        else:
            (destination / module_file(module)).write_bytes(source.read_bytes())
    return problems


class SharedWorker:
    """The running WorkerProcess (`process`, None when stopped) and its start-up; `generation` counts starts,
    so objects kept in an earlier worker are known to be lost."""

    def __init__(self, package, settings, scratch_root):
        self.settings = settings
        self.request_ids = itertools.count(1)
        self.scratch = Path(tempfile.mkdtemp(prefix="worker-", dir=scratch_root))
        self.module_problems = build_graded_package(package, self.scratch / STUDENT_PACKAGE)
        self.binds = {STUDENT_PACKAGE: self.scratch / STUDENT_PACKAGE, WORKER_PACKAGE: WORKER_PACKAGE_DIR,
                      "dlscratch_data": Path(dlscratch_data.__file__).parent}
        self.process = None
        self.ready = False
        self.ready_tasks = None
        self.generation = 0
        # {dotted name: the course's function} whose values the worker asks for in place of the student's
        # (grading/carry.py, standing_in), and the generation of the worker that has them rebound.
        self.stand_ins = {}
        self.stood_in = None

    def prestart(self):
        """Spawn the worker now, without waiting for it: it starts while pytest collects the tests."""
        if self.process is None:
            self._spawn()

    def ensure_ready(self):
        """A worker that has said it is ready. No student code has run in it yet, so a failure to start is
        the grader's: it is retried once, then raised as a GraderError, never charged to the student."""
        if self.process is None:
            self._spawn()
        if self.ready:
            return
        for attempt in (1, 2):
            problem = self._ready_problem()
            if not problem:
                self.ready, self.ready_tasks = True, self.process.tasks()
                return
            if attempt == 1:
                self._spawn()
        raise GraderError(f"the sandbox failed to start twice ({problem})")

    def _spawn(self):
        try:
            self.process = WorkerProcess.start(self.settings.isolation, self.binds, self.settings.limits,
                                               STUDENT_PACKAGE)
        except OSError as error:
            raise GraderError(f"the sandbox could not be started ({error})") from None
        self.generation += 1
        self.ready = False

    def _ready_problem(self):
        try:
            header, _blobs = self.receive(time.monotonic() + STARTUP_SECONDS)
        except WorkerTimeout:
            return f"the worker did not start within {STARTUP_SECONDS:g} s"
        except WorkerGone as gone:
            return f"the worker {gone.reason} while starting; {gone.output}".strip("; ")
        if header.get("event") != "ready":
            self.stop()
            return "the worker did not start properly"
        return ""

    def receive(self, deadline):
        """The worker's next message; on timeout or death the worker is stopped and the error re-raised."""
        try:
            return self.process.receive(deadline)
        except WorkerGone as gone:
            output = self.process.take_output(500).strip()
            gone.output = _("its last output: {output}").format(output=output) if output else ""
            self.stop()
            raise
        except WorkerTimeout:
            self.stop()
            raise

    def settle(self):
        """Before a test: replace a worker that student code left unclean (see the module's docstring), so
        work one function left behind never slows, or uses the limits of, another function's calls."""
        if self.process is None or not self.ready:
            return
        limits = self.settings.limits
        tasks, cpu, memory = self.process.tasks(), self.process.cpu_seconds(), self.process.memory_bytes()
        if ((None not in (tasks, self.ready_tasks) and tasks > self.ready_tasks)
                or (cpu is not None and cpu > limits.cpu_seconds / 2)
                or (memory is not None and memory > limits.memory_bytes / 2)):
            self.stop()

    def stop(self):
        if self.process is not None:
            self.process.kill()
            self.process = None

    def close(self):
        self.stop()
        remove_tree(self.scratch)
