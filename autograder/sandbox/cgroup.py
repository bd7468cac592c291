"""A pids cgroup per worker: a process-count limit that binds even for root (RLIMIT_NPROC does not)."""
import os
import signal
import time
import uuid
from pathlib import Path

V1_PIDS_ROOT = Path("/sys/fs/cgroup/pids")


class PidsCgroup:
    """A cgroup-v1 pids group with pids.max set; processes join it by writing 0 to cgroup.procs."""

    def __init__(self, path):
        self.path = path

    @classmethod
    def create(cls, limit):
        """A new group limited to `limit` processes, or None where no writable pids hierarchy exists."""
        if not (V1_PIDS_ROOT / "cgroup.procs").exists() or not os.access(V1_PIDS_ROOT, os.W_OK):
            return None
        path = V1_PIDS_ROOT / f"dlscratch-worker-{uuid.uuid4().hex[:12]}"
        try:
            path.mkdir()
            (path / "pids.max").write_text(str(limit))
        except OSError:
            return None
        return cls(path)

    def join_self(self):
        """Move the calling process into the group (call between fork and exec)."""
        with open(self.path / "cgroup.procs", "w") as procs:
            procs.write("0")

    def kill_all(self):
        """SIGKILL every process left in the group, then remove it."""
        for _ in range(50):
            try:
                pids = [int(pid) for pid in (self.path / "cgroup.procs").read_text().split()]
            except OSError:
                return
            if not pids:
                break
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.01)
        try:
            self.path.rmdir()
        except OSError:
            pass
