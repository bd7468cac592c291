"""Which isolation this machine allows, probed once: namespaces (Linux unshare + setpriv) or rlimits only."""
import functools
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass

from .cgroup import PidsCgroup


@dataclass(frozen=True)
class Isolation:
    """How workers are confined here; `describe()` is the line the report prints."""

    mode: str
    unshare_prefix: tuple = ()
    setpriv: str = ""
    reason: str = ""
    cgroup_pids: bool = False

    def describe(self):
        if self.mode == "namespace":
            limit = ("pids cgroup" if self.cgroup_pids else
                     "RLIMIT_NPROC" if os.geteuid() else "none (root without a writable pids cgroup)")
            return ("isolation: namespaces (no network, own PID space, course and submission hidden, "
                    f"read-only filesystem, no capabilities); process limit: {limit}")
        return f"isolation: resource limits and a process group only ({self.reason})"


def _unshare_prefix():
    prefix = ["--mount", "--net", "--pid", "--fork", "--kill-child", "--mount-proc"]
    if os.geteuid() != 0:
        prefix = ["--user", "--map-root-user", *prefix]
    return (shutil.which("unshare"), *prefix, "--")


@functools.lru_cache(maxsize=None)
def probe(allow_namespaces=True):
    """The strongest isolation that works here; falls back with the reason when namespaces are refused."""
    if not allow_namespaces:
        return Isolation("rlimits", reason="namespaces disabled by --isolation rlimits")
    if not sys.platform.startswith("linux"):
        return Isolation("rlimits", reason=f"namespaces need Linux, this is {sys.platform}")
    unshare, setpriv = shutil.which("unshare"), shutil.which("setpriv")
    if not unshare or not setpriv:
        return Isolation("rlimits", reason="util-linux unshare/setpriv not found")
    prefix = _unshare_prefix()
    check = [*prefix, setpriv, "--no-new-privs", "--bounding-set", "-all", "--", sys.executable, "-c", "pass"]
    try:
        result = subprocess.run(check, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as error:
        return Isolation("rlimits", reason=f"unshare failed: {error}")
    if result.returncode != 0:
        detail = (result.stderr.strip().splitlines() or ["exit code %d" % result.returncode])[-1]
        return Isolation("rlimits", reason=f"unshare refused: {detail}")
    cgroup = PidsCgroup.create(1)
    if cgroup is not None:
        cgroup.kill_all()
    return Isolation("namespace", unshare_prefix=prefix, setpriv=setpriv, cgroup_pids=cgroup is not None)
