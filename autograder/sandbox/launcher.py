"""Start, talk to and kill one sandboxed worker process (the scorer's side of the pipes).

Every read and write has a deadline, and the worker's printed output is drained while waiting, so a
worker that stops reading, floods its output or answers garbage costs the call it was on, never the
scorer: the grade always finishes with a report.
"""
import errno
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from course.paths import SHIPPED_PACKAGES
from ..cleanup import remove_tree
from .worker.protocol import ProtocolError, encode_message, read_message
from .cgroups import WorkerCgroup
from .output import OutputCapture
from .rootfs import LOADER_FILES, SANDBOX_HOME, bwrap_arguments, interpreter, worker_python
from .seccomp import filter_fd, worker_filter

WORKER_PACKAGE_DIR = Path(__file__).with_name("worker")
WORKER_PACKAGE = "_dlscratch_worker"
CONFINE_SOURCE = (WORKER_PACKAGE_DIR / "confine.py").read_text(encoding="utf-8")
# Libraries that would do an exercise for the student: absent from the sandbox and refused on import.
BLOCKED_IMPORTS = {name: "write it with NumPy; libraries that do the exercise earn no points"
                   for name in ("scipy", "sklearn", "torch", "tensorflow", "jax", "jaxlib", "keras",
                                "autograd", "cupy", "numba", "theano", "mxnet", "chainer", "dezero")}
BLOCKED_IMPORTS.update({name: "the course's reference and grader are not available to submissions"
                        for name in ("solutions", "autograder", "tests", "course", *SHIPPED_PACKAGES)})


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

    def __init__(self, process, request_fd, reply_fd, output_fd, cgroup, limits, host_workdir=None, stray_uid=None):
        self.process, self.cgroup, self.limits, self.host_workdir = process, cgroup, limits, host_workdir
        self.stray_uid = stray_uid
        self.request_fd, self.reply_fd, self.output_fd = request_fd, reply_fd, output_fd
        self.output = OutputCapture()

    @classmethod
    def start(cls, isolation, binds, limits, package):
        """Start a worker that serves `package`; binds: {name: host dir} it may read under its work folder."""
        request_read, request_write = os.pipe()
        reply_read, reply_write = os.pipe()
        output_read, output_write = os.pipe()
        cgroup = WorkerCgroup.create(limits.memory_bytes, limits.processes) if isolation.cgroups else None
        uid = isolation.worker_uid()
        # The container tier without a cgroup: the processes of the worker's own uid are what it left behind.
        stray_uid = uid if isolation.mode == "uid" and cgroup is None else None
        try:
            command, config, workdir, inherited = worker_command(isolation, binds, limits, uid, cgroup is None)
        except BaseException:
            for fd in (request_read, request_write, reply_read, reply_write, output_read, output_write):
                os.close(fd)
            if cgroup:
                cgroup.kill_all()
            raise
        config.update(reply_fd=reply_write, package=package, blocked_imports=BLOCKED_IMPORTS)
        command[-1] = json.dumps(config)
        inherited = (reply_write, *inherited)
        try:
            process = subprocess.Popen(
                command, stdin=request_read, stdout=output_write, stderr=output_write, pass_fds=inherited,
                env=scrubbed_environment(config["workdir"]), cwd="/", start_new_session=True,
                preexec_fn=cgroup.join_self if cgroup else None)
        except BaseException:
            for fd in (request_write, reply_read, output_read):
                os.close(fd)
            clean_up(cgroup, stray_uid, workdir)
            raise
        finally:
            for fd in (request_read, *inherited, output_write):
                os.close(fd)
        for fd in (request_write, output_read):
            os.set_blocking(fd, False)
        return cls(process, request_write, reply_read, output_read, cgroup, limits, workdir, stray_uid)

    def cpu_seconds(self):
        """CPU time of every process the worker ever ran, from its cgroup; without one, of the worker's
        process (all its threads, and the children it waited for) from the host's /proc; None if neither."""
        if self.cgroup:
            return self.cgroup.cpu_seconds()
        try:
            with open(f"/proc/{self.process.pid}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
            return sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            return None

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
        clean_up(self.cgroup, self.stray_uid, None)
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
        if self.host_workdir:
            remove_tree(self.host_workdir)


def worker_command(isolation, binds, limits, uid, no_cgroup):
    """(command whose last item is the config's placeholder, config, host work folder or None, fds to pass)."""
    python, sys_path = worker_python(in_sandbox=isolation.sandboxed)
    config = {"uid": uid, "memory_bytes": limits.memory_bytes, "cpu_seconds": limits.cpu_seconds,
              "file_bytes": limits.file_bytes, "open_files": limits.open_files, "processes": limits.processes,
              # RLIMIT_NPROC counts a uid's processes, and binds for none of root's: only for a worker's own uid.
              "nproc_rlimit": no_cgroup and (uid is not None or os.geteuid() != 0), "sys_path": sys_path}
    command = [*python, "-c", CONFINE_SOURCE, ""]
    if isolation.sandboxed:
        seccomp_fd = filter_fd() if isolation.seccomp else None
        config["workdir"] = SANDBOX_HOME
        bwrap = [isolation.bwrap, *bwrap_arguments(binds, limits.tmpfs_bytes, uid, seccomp_fd), "--"]
        return bwrap + command, config, None, (() if seccomp_fd is None else (seccomp_fd,))
    if isolation.mode == "uid":
        workdir = private_workdir(binds, uid)
        config.update(workdir=str(workdir / "home"), seccomp=(worker_filter() or b"").hex(),
                      landlock=isolation.landlock and {"abi": isolation.landlock,
                                                       "rules": landlock_rules(workdir / "home")})
        return command, config, workdir, ()
    workdir = Path(tempfile.mkdtemp(prefix="dlscratch-worker-"))
    for name, source in binds.items():
        (workdir / name).symlink_to(source, target_is_directory=True)
    config["workdir"] = str(workdir)
    return command, config, workdir, ()


def private_workdir(binds, uid):
    """The container tier's work folder: copies of what the sandbox would mount, in a folder only `uid` (and
    root) can enter. -> the folder above it (what to remove), whose `home` is the work folder."""
    top = Path(tempfile.mkdtemp(prefix="dlscratch-worker-"))
    os.chmod(top, 0o711)  # the worker passes through to its own folder, and lists nothing
    home = top / "home"
    home.mkdir(mode=0o700)
    for name, source in binds.items():
        shutil.copytree(source, home / name, symlinks=False)
    for folder, _, files in os.walk(home):
        for name in [folder, *(os.path.join(folder, file) for file in files)]:
            os.chown(name, uid, uid)
    return top


def landlock_rules(home):
    """What a container-tier worker may touch: its own folder; read-only the interpreter's allow-list (its
    standard library folders listed, and every entry in them read but the site-packages: Landlock can
    only add, so no rule may cover them); and the executable, which it may also run, as in the sandbox."""
    found = interpreter()
    stdlib_entries = [entry for root in found.stdlib for entry in sorted(root.iterdir())
                      if entry not in found.site_dirs]
    read = [*stdlib_entries, *found.numpy, *found.libraries, *LOADER_FILES]
    return ([[str(path), "run"] for path in [found.executable, *found.loader]] + [[str(path), "read"] for path in read]
            + [[str(path), "list"] for path in [*found.stdlib, found.numpy_parent]]
            + [[path, "write"] for path in ("/dev/null", "/dev/zero", "/dev/urandom")]
            + [[str(home), "write"]])


def _kill_uid(uid):
    """Kill every process of `uid` (a worker's own host uid): the container tier's cgroup-less clean-up."""
    try:
        subprocess.run([sys.executable, "-I", "-S", "-c", "import os, signal; os.kill(-1, signal.SIGKILL)"],
                       user=uid, group=uid, extra_groups=[], timeout=10, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        pass


def clean_up(cgroup, stray_uid, workdir):
    """Kill what a worker left (its cgroup, or its uid's processes) and remove its host folder; never raises."""
    if cgroup is not None:
        cgroup.kill_all()
    if stray_uid is not None:
        _kill_uid(stray_uid)
    if workdir:
        remove_tree(workdir)


def scrubbed_environment(workdir):
    """A minimal environment: nothing of the scorer's survives but the OpenBLAS workarounds."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(workdir), "TMPDIR": str(workdir), "LANG": "C.UTF-8",
           "PYTHONHASHSEED": "0", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        if name in os.environ:
            env[name] = os.environ[name]
    return env
