"""Start, talk to and kill one sandboxed worker process (the scorer's side of the pipe)."""
import importlib.util
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import sysconfig
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .cgroup import PidsCgroup
from .worker.protocol import ProtocolError, read_message, write_message

WORKER_PACKAGE_DIR = Path(__file__).with_name("worker")
WORKER_PACKAGE = "_dlscratch_worker"
CONFINE_SOURCE = (WORKER_PACKAGE_DIR / "confine.py").read_text(encoding="utf-8")
SERVE_CODE = ("import json, sys; sys.path.insert(0, json.loads(sys.argv[1])['workdir']); "
              f"from {WORKER_PACKAGE}.serve import main; main()")
# Libraries that would do an exercise for the student; hidden in the sandbox and refused on import.
BLOCKED_IMPORTS = {name: "write it with NumPy; libraries that do the exercise earn no points"
                   for name in ("scipy", "sklearn", "torch", "tensorflow", "jax", "jaxlib", "keras",
                                "autograd", "cupy", "numba", "theano", "mxnet", "chainer", "dezero")}
BLOCKED_IMPORTS.update({name: "the course's reference and grader are not available to submissions"
                        for name in ("solutions", "autograder", "tests", "course_points")})


# Where people and services keep files: hidden whole (but for the interpreter and NumPy), so that no
# other copy of the course, other submissions or anyone's home directory is readable by a worker.
PRIVATE_ROOTS = ("/home", "/root", "/work", "/srv", "/opt", "/mnt", "/media", "/var/tmp", "/tmp")


@dataclass
class Limits:
    """Resource limits of one worker."""

    memory_bytes: int = 2 << 30
    cpu_seconds: int = 120
    file_bytes: int = 64 << 20
    processes: int = 16
    max_reply_bytes: int = 512 << 20


class WorkerGone(Exception):
    """The worker exited, was killed, or broke the protocol; `reason` says which, for the report."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason
        self.output = ""


class WorkerTimeout(Exception):
    """No reply within the deadline; the worker has been killed."""


def _within(path, root):
    """Whether `path` is `root` or below it (both already resolved, as strings)."""
    return path == root or path.startswith(root.rstrip("/") + "/")


def hide_targets(roots, keep):
    """(dirs, files) covering every root except the parts that contain a path in `keep`.

    A root inside another root is covered by it and not listed again (mounting there would fail).
    """
    keep = [os.path.realpath(path) for path in keep]
    resolved = {os.path.realpath(root) for root in roots if os.path.lexists(root)}
    outermost = sorted(root for root in resolved if not any(other != root and _within(root, other)
                                                            for other in resolved))
    return _split(outermost, keep)


def _split(roots, keep):
    dirs, files = [], []
    for root in roots:
        if not any(_within(path, root) for path in keep):
            (dirs if os.path.isdir(root) else files).append(root)
        elif root not in keep and os.path.isdir(root):
            children = sorted(entry.path for entry in os.scandir(root) if not entry.is_symlink())
            more_dirs, more_files = _split(children, keep)
            dirs += more_dirs
            files += more_files
    return dirs, files


def blocked_library_dirs():
    """Installed locations of the blocked libraries (found without importing them)."""
    found = []
    for name in BLOCKED_IMPORTS:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            continue
        if spec is not None and spec.submodule_search_locations:
            found += list(spec.submodule_search_locations)
        elif spec is not None and spec.origin:
            found.append(spec.origin)
    return found


def keep_paths():
    """What the worker needs to run: the interpreter, its standard library, NumPy, setpriv."""
    paths = [sys.prefix, sys.base_prefix, Path(sys.executable).resolve().parent,
             sysconfig.get_paths()["stdlib"], Path(np.__file__).parent]
    setpriv = shutil.which("setpriv")
    return [str(path) for path in paths + ([setpriv] if setpriv else [])]


def _scratch_mount(keep):
    return next((candidate for candidate in ("/tmp", "/var/tmp", "/mnt", "/opt")
                 if Path(candidate).is_dir() and not any(_within(path, candidate) for path in keep)), "/tmp")


@dataclass
class WorkerProcess:
    """One running worker: requests go down its stdin, replies come up a pipe, output goes to a file."""

    process: subprocess.Popen
    reply_fd: int
    output_path: Path
    cgroup: PidsCgroup | None
    limits: Limits
    output_offset: int = 0
    events: list = field(default_factory=list)

    @classmethod
    def start(cls, isolation, workdir, output_path, hide_roots, limits, package):
        # The worker reaches its directory and output through descriptors opened before anything is
        # hidden, so the scratch area (other stages, other submissions) can be hidden with the rest.
        keep = keep_paths()
        hide_dirs, hide_files = hide_targets(
            [*hide_roots, workdir.parent, *blocked_library_dirs(), *PRIVATE_ROOTS], keep)
        read_end, write_end = os.pipe()
        config = {
            "mode": isolation.mode, "workdir": str(workdir), "hide_dirs": hide_dirs, "hide_files": hide_files,
            "scratch_mount": _scratch_mount(keep), "python": sys.executable, "setpriv": isolation.setpriv,
            "serve_code": SERVE_CODE, "reply_fd": write_end, "package": package,
            "blocked_imports": BLOCKED_IMPORTS, "memory_bytes": limits.memory_bytes,
            "cpu_seconds": limits.cpu_seconds, "file_bytes": limits.file_bytes, "processes": limits.processes,
        }
        command = [*isolation.unshare_prefix, sys.executable, "-I", "-B", "-c", CONFINE_SOURCE, json.dumps(config)]
        cgroup = PidsCgroup.create(limits.processes) if isolation.mode == "namespace" else None
        output = open(output_path, "ab")
        try:
            process = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=output, stderr=output, pass_fds=(write_end,),
                env=scrubbed_environment(workdir), cwd=workdir, start_new_session=True,
                preexec_fn=cgroup.join_self if cgroup else None)
        finally:
            output.close()
            os.close(write_end)
        return cls(process, read_end, output_path, cgroup, limits)

    def send(self, header, blobs=()):
        try:
            write_message(self.process.stdin, header, blobs)
        except (BrokenPipeError, OSError):
            raise WorkerGone(self.exit_reason()) from None

    def receive(self, deadline):
        """The next message; raises WorkerTimeout past `deadline` (time.monotonic()) or WorkerGone."""
        def read_exact(count):
            chunks, remaining = [], count
            while remaining:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([self.reply_fd], [], [], left)[0]:
                    raise WorkerTimeout()
                chunk = os.read(self.reply_fd, min(remaining, 1 << 20))
                if not chunk:
                    raise WorkerGone(self.exit_reason())
                chunks.append(chunk)
                remaining -= len(chunk)
            return b"".join(chunks)
        try:
            return read_message(read_exact, self.limits.max_reply_bytes)
        except (ProtocolError, RecursionError) as error:
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
                    "SIGXFSZ": " (wrote more than the output limit)", "SIGSEGV": " (crashed)"}.get(name, "")
            return f"was killed by {name}{hint}"
        return f"exited with code {code}"

    def take_output(self, limit=2000):
        """What the worker printed since the last call, cut to `limit` characters."""
        try:
            with open(self.output_path, "rb") as output:
                output.seek(self.output_offset)
                data = output.read(limit)
                end = output.seek(0, os.SEEK_END)
        except OSError:
            return ""
        total, self.output_offset = end - self.output_offset, end
        cut = f"\n[... {total - len(data)} more bytes not shown]" if total > len(data) else ""
        return data.decode("utf-8", "replace") + cut

    def kill(self):
        """Kill the worker and everything it started (its PID namespace, session and cgroup)."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        if self.cgroup is not None:
            self.cgroup.kill_all()
        for stream in (self.process.stdin,):
            try:
                stream.close()
            except OSError:
                pass
        try:
            os.close(self.reply_fd)
        except OSError:
            pass


def scrubbed_environment(workdir):
    """A minimal environment: nothing of the scorer's survives but the OpenBLAS workarounds."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(workdir), "LANG": "C.UTF-8", "PYTHONHASHSEED": "0",
           "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        if name in os.environ:
            env[name] = os.environ[name]
    return env
