"""Start, talk to and kill one sandboxed worker process (the scorer's side of the pipes).

Every read and write has a deadline, and the worker's printed output is drained while waiting, so a
worker that stops reading, floods its output or answers garbage costs the call it was on, never the
scorer: the grade always finishes with a report.
"""
import errno
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from ..cleanup import remove_tree
from .cgroups import WorkerCgroup
from .output import OutputCapture
from .rootfs import SANDBOX_HOME, bwrap_arguments
from .seccomp import filter_fd
from .worker.protocol import ProtocolError, encode_message, read_message

WORKER_PACKAGE_DIR = Path(__file__).with_name("worker")
WORKER_PACKAGE = "_dlscratch_worker"
CONFINE_SOURCE = (WORKER_PACKAGE_DIR / "confine.py").read_text(encoding="utf-8")
# Libraries that would do an exercise for the student: absent from the sandbox and refused on import.
BLOCKED_IMPORTS = {name: "write it with NumPy; libraries that do the exercise earn no points"
                   for name in ("scipy", "sklearn", "torch", "tensorflow", "jax", "jaxlib", "keras",
                                "autograd", "cupy", "numba", "theano", "mxnet", "chainer", "dezero")}
BLOCKED_IMPORTS.update({name: "the course's reference and grader are not available to submissions"
                        for name in ("solutions", "autograder", "tests", "course_points")})


@dataclass(frozen=True)
class Limits:
    """Resource limits of one worker. The largest legitimate reply is under 1 MiB; 8 MiB leaves room."""

    memory_bytes: int = 2 << 30
    cpu_seconds: int = 120
    file_bytes: int = 64 << 20
    tmpfs_bytes: int = 64 << 20
    processes: int = 16
    open_files: int = 64
    max_reply_bytes: int = 8 << 20
    max_header_bytes: int = 1 << 20


class WorkerGone(Exception):
    """The worker exited, was killed, or broke the protocol; `reason` says which, for the report."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason
        self.output = ""


class WorkerTimeout(Exception):
    """No reply (or no room to send) within the deadline; the worker has been killed."""


class WorkerProcess:
    """One running worker: requests go down a pipe, replies come up another, output up a third."""

    def __init__(self, process, request_fd, reply_fd, output_fd, cgroup, limits, fallback_dir=None):
        self.process, self.cgroup, self.limits, self.fallback_dir = process, cgroup, limits, fallback_dir
        self.request_fd, self.reply_fd, self.output_fd = request_fd, reply_fd, output_fd
        self.output = OutputCapture()

    @classmethod
    def start(cls, isolation, binds, limits, package):
        """Start a worker that serves `package`; binds: {name: host dir} it may read under its work folder."""
        request_read, request_write = os.pipe()
        reply_read, reply_write = os.pipe()
        output_read, output_write = os.pipe()
        cgroup = WorkerCgroup.create(limits.memory_bytes, limits.processes) if isolation.cgroups else None
        fallback_dir = None if isolation.sandboxed else _linked_workdir(binds)
        config = {
            "workdir": SANDBOX_HOME if isolation.sandboxed else str(fallback_dir),
            "uid": isolation.worker_uid(), "reply_fd": reply_write, "package": package,
            "blocked_imports": BLOCKED_IMPORTS, "memory_bytes": limits.memory_bytes,
            "cpu_seconds": limits.cpu_seconds, "file_bytes": limits.file_bytes, "open_files": limits.open_files,
            "processes": limits.processes, "nproc_rlimit": cgroup is None and os.geteuid() != 0,
        }
        python = [sys.executable, "-I", "-B", "-c", CONFINE_SOURCE, json.dumps(config)]
        seccomp_fd = filter_fd() if isolation.sandboxed and isolation.seccomp else None
        command = ([isolation.bwrap, *bwrap_arguments(binds, limits.tmpfs_bytes, config["uid"], seccomp_fd), "--",
                    *python] if isolation.sandboxed else python)
        inherited = (reply_write,) + ((seccomp_fd,) if seccomp_fd is not None else ())
        try:
            process = subprocess.Popen(
                command, stdin=request_read, stdout=output_write, stderr=output_write, pass_fds=inherited,
                env=scrubbed_environment(config["workdir"]), cwd="/", start_new_session=True,
                preexec_fn=cgroup.join_self if cgroup else None)
        except BaseException:
            for fd in (request_write, reply_read, output_read):
                os.close(fd)
            if cgroup:
                cgroup.kill_all()
            if fallback_dir:
                remove_tree(fallback_dir)
            raise
        finally:
            for fd in (request_read, *inherited, output_write):
                os.close(fd)
        for fd in (request_write, output_read):
            os.set_blocking(fd, False)
        return cls(process, request_write, reply_read, output_read, cgroup, limits, fallback_dir)

    def cpu_seconds(self):
        """CPU time of every process the worker ever ran, from its cgroup; None without one."""
        return self.cgroup.cpu_seconds() if self.cgroup else None

    def memory_bytes(self):
        """Memory the worker uses now, from its cgroup; None without one."""
        return self.cgroup.memory_bytes() if self.cgroup else None

    def tasks(self):
        """Threads and processes the worker has now, from its cgroup; None without one."""
        return self.cgroup.tasks() if self.cgroup else None

    def _wait(self, deadline, want_reply=False, want_write=False):
        """Drain output until the reply pipe is readable or the request pipe writable; WorkerTimeout past deadline."""
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                self.kill()
                raise WorkerTimeout()
            readers = [fd for fd in (self.output_fd, self.reply_fd if want_reply else None) if fd is not None]
            ready_read, ready_write, _ = select.select(readers, [self.request_fd] if want_write else [], [], left)
            if self.output_fd is not None and self.output_fd in ready_read:
                self._drain_output()
            if self.reply_fd in ready_read or self.request_fd in ready_write:
                return

    def _drain_output(self):
        try:
            data = os.read(self.output_fd, 1 << 16)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if data:
            self.output.add(data)
        else:  # every writer is gone: stop watching the pipe
            os.close(self.output_fd)
            self.output_fd = None

    def send(self, header, blobs, deadline):
        data = memoryview(encode_message(header, blobs))
        while data:
            self._wait(deadline, want_write=True)
            try:
                written = os.write(self.request_fd, data[:1 << 16])
            except BlockingIOError:
                continue
            except OSError as error:
                if error.errno in (errno.EPIPE, errno.EBADF):
                    raise WorkerGone(self.exit_reason()) from None
                raise
            data = data[written:]

    def receive(self, deadline):
        """The next message; raises WorkerTimeout past `deadline` (time.monotonic()) or WorkerGone."""
        def read_exact(count):
            chunks, remaining = [], count
            while remaining:
                self._wait(deadline, want_reply=True)
                chunk = os.read(self.reply_fd, min(remaining, 1 << 20))
                if not chunk:
                    raise WorkerGone(self.exit_reason())
                chunks.append(chunk)
                remaining -= len(chunk)
            return b"".join(chunks)
        try:
            return read_message(read_exact, self.limits.max_reply_bytes, self.limits.max_header_bytes)
        except ProtocolError as error:
            self.kill()
            raise WorkerGone(f"broke the grading protocol ({error})") from None

    def exit_reason(self):
        """Why the worker is gone, in words: exit code, signal, or the limit it probably hit."""
        try:
            code = self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.kill()
            return "stopped answering"
        if code < 0 or code > 128:
            number = -code if code < 0 else code - 128
            name = signal.Signals(number).name if number in signal.valid_signals() else str(number)
            hint = {"SIGKILL": " (killed: memory, CPU or a limit)", "SIGXCPU": " (CPU time limit)",
                    "SIGXFSZ": " (wrote a file over the size limit)", "SIGSEGV": " (crashed)"}.get(name, "")
            return f"was killed by {name}{hint}"
        return f"exited with code {code}"

    def take_output(self, limit=2000):
        """What the worker printed since the last call: its first and last `limit // 2` characters."""
        self._drain_available()
        return self.output.take(limit)

    def _drain_available(self):
        while self.output_fd is not None and select.select([self.output_fd], [], [], 0)[0]:
            self._drain_output()

    def kill(self):
        """Kill the worker and everything it started (its PID namespace, session and cgroup); never raises."""
        try:
            if self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        if self.cgroup is not None:
            self.cgroup.kill_all()
        try:
            self._drain_available()  # what it printed last is kept for the report
        except OSError:
            pass
        for fd in (self.request_fd, self.reply_fd, self.output_fd):
            try:
                if fd is not None:
                    os.close(fd)
            except OSError:
                pass
        self.request_fd = self.reply_fd = self.output_fd = None
        if self.fallback_dir:
            remove_tree(self.fallback_dir)


def _linked_workdir(binds):
    """The rlimits fallback's work folder: a host temporary folder linking to what the sandbox would mount."""
    workdir = Path(tempfile.mkdtemp(prefix="dlscratch-worker-"))
    for name, source in binds.items():
        (workdir / name).symlink_to(source, target_is_directory=True)
    return workdir


def scrubbed_environment(workdir):
    """A minimal environment: nothing of the scorer's survives but the OpenBLAS workarounds."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(workdir), "LANG": "C.UTF-8", "PYTHONHASHSEED": "0",
           "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        if name in os.environ:
            env[name] = os.environ[name]
    return env
