"""A cgroup per worker: memory and process limits that bind even for root, and a CPU-time counter.

The memory limit counts what RLIMIT_AS cannot see (memfd and tmpfs pages); the pids limit binds for any
uid (RLIMIT_NPROC does not bind for root and is shared by every process of a uid); the CPU counter
covers every thread and child of the worker, including ones that already exited, so the scorer can
time a call from outside. cgroup v2 (one unified hierarchy) and v1 (one hierarchy per controller) are
both handled; whatever cannot be set here is left out and `in_force` says what was.
"""
import os
import signal
import time
import uuid
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")
GROUP_PREFIX = "dlscratch-worker-"


def _mounts():
    """[(mount point, fstype, options)] of the cgroup file systems."""
    try:
        with open("/proc/self/mounts", encoding="utf-8", errors="surrogateescape") as mounts:
            fields = [line.split() for line in mounts]
    except OSError:
        return []
    return [(Path(f[1]), f[2], f[3].split(",")) for f in fields if len(f) > 3 and f[2] in ("cgroup", "cgroup2")]


def _write(path, text):
    with open(path, "w") as target:
        target.write(text)


def _remove(path):
    try:
        path.rmdir()
    except OSError:
        pass


class WorkerCgroup:
    """One worker's groups (one per v1 hierarchy, or one v2 group); every method is safe to call twice."""

    def __init__(self, groups, cpu_file, cpu_scale, in_force):
        self.groups = groups
        self.cpu_file, self.cpu_scale = cpu_file, cpu_scale
        self.in_force = in_force
        # The counter is read around every call, hundreds of times a grade: one pread on a kept
        # descriptor costs a fraction of opening the file each time.
        self._cpu_fd = None

    @classmethod
    def create(cls, memory_bytes, processes, mounts=None):
        """Groups with the limits set, or None where this process may not create any.

        mounts: [(mount point, fstype, options)] of the cgroup file systems (default: this machine's).
        """
        mounts = _mounts() if mounts is None else mounts
        name = GROUP_PREFIX + uuid.uuid4().hex[:16]
        v2 = next((point for point, fstype, _ in mounts if fstype == "cgroup2"), None)
        controllers = _read(v2 / "cgroup.controllers").split() if v2 else []
        if {"memory", "pids", "cpu"} <= set(controllers):
            return _create_v2(v2, name, memory_bytes, processes)
        return _create_v1(_v1_hierarchies(mounts), name, memory_bytes, processes)

    def join_self(self):
        """Move the calling process into the groups (call between fork and exec)."""
        for group in self.groups:
            _write(group / "cgroup.procs", "0")

    def cpu_seconds(self):
        """CPU time used by every process that was ever in the group; None if it cannot be read."""
        try:
            if self._cpu_fd is None:
                self._cpu_fd = os.open(self.cpu_file, os.O_RDONLY | os.O_CLOEXEC)
            raw = os.pread(self._cpu_fd, 4096, 0).decode()
            if self.cpu_scale == 1e-6:
                raw = next(line.split()[1] for line in raw.splitlines() if line.startswith("usage_usec"))
            return int(raw) * self.cpu_scale
        except (OSError, ValueError, StopIteration, IndexError):
            return None

    def memory_bytes(self):
        """Memory the group's processes use now, tmpfs pages included; None if it cannot be read."""
        for group in self.groups:
            for file in ("memory.current", "memory.usage_in_bytes"):
                raw = _read(group / file).strip()
                if raw.isdigit():
                    return int(raw)
        return None

    def tasks(self):
        """Threads and processes now in the group (pids.current); None if it cannot be read."""
        for group in self.groups:
            count = _read(group / "pids.current").strip()
            if count.isdigit():
                return int(count)
        return None

    def kill_all(self):
        """SIGKILL whatever is left in the groups, then remove them; never raises."""
        if self._cpu_fd is not None:
            os.close(self._cpu_fd)
            self._cpu_fd = None
        for group in self.groups:
            if (group / "cgroup.kill").exists():
                try:
                    _write(group / "cgroup.kill", "1")
                except OSError:
                    pass
            for _ in range(100):
                pids = _read(group / "cgroup.procs").split()
                if not pids:
                    break
                for pid in pids:
                    try:
                        os.kill(int(pid), signal.SIGKILL)
                    except (ProcessLookupError, ValueError, PermissionError):
                        pass
                time.sleep(0.01)
            _remove(group)


def _read(path):
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def _create_v2(root, name, memory_bytes, processes):
    # Root's own cgroup is exempt from "no processes in inner groups", so the parent lives right under it.
    parent = root / "dlscratch-grader"
    try:
        parent.mkdir(exist_ok=True)
        _write(parent / "cgroup.subtree_control", "+memory +pids +cpu")
        group = parent / name
        group.mkdir()
    except OSError:
        return None
    try:
        _write(group / "memory.max", str(memory_bytes))
        if (group / "memory.swap.max").exists():
            _write(group / "memory.swap.max", "0")
        _write(group / "pids.max", str(processes))
    except OSError:
        _remove(group)
        return None
    return WorkerCgroup([group], group / "cpu.stat", 1e-6,
                        ["memory cgroup (v2)", "pids cgroup (v2)", "CPU time from the cgroup (v2)"])


def _v1_hierarchies(mounts):
    """{controller: mount point} of the v1 hierarchies we can write to."""
    found = {}
    for point, fstype, options in mounts:
        if fstype != "cgroup" or not os.access(point, os.W_OK):
            continue
        for controller in ("memory", "pids", "cpuacct"):
            if controller in options:
                found.setdefault(controller, point)
    return found


def _create_v1(hierarchies, name, memory_bytes, processes):
    settings = {
        "memory": [("memory.limit_in_bytes", memory_bytes), ("memory.memsw.limit_in_bytes", memory_bytes)],
        "pids": [("pids.max", processes)],
        "cpuacct": [],
    }
    labels = {"memory": "memory cgroup (v1)", "pids": "pids cgroup (v1)", "cpuacct": "CPU time from the cgroup (v1)"}
    groups, in_force = [], []
    for controller, point in hierarchies.items():
        group = point / name
        if group in groups:  # co-mounted controllers (cpu,cpuacct) share one directory
            in_force.append(labels[controller])
            continue
        try:
            group.mkdir()
            for file, value in settings[controller]:
                if file == "memory.memsw.limit_in_bytes" and not (group / file).exists():
                    continue  # no swap accounting on this kernel: the plain limit is all there is
                _write(group / file, str(value))
        except OSError:
            _remove(group)
            continue
        groups.append(group)
        in_force.append(labels[controller])
    if not groups:
        return None
    cpu_point = hierarchies.get("cpuacct")
    cpu_file = cpu_point / name / "cpuacct.usage" if cpu_point and labels["cpuacct"] in in_force else Path("/nonexistent")
    return WorkerCgroup(groups, cpu_file, 1e-9, in_force)
