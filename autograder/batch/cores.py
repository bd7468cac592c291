"""The cores a batch run may keep busy: its CPU affinity, narrowed by a cgroup CPU quota where one is set.

A container started with `docker run --cpus 2` on a 64-core host sees all 64 cores in its affinity and is
throttled to 2 by the quota; 64 jobs there would each run at a thirty-second of a core and meet their caps.
"""
import math
import os
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")


def _affinity():
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return getattr(os, "process_cpu_count", os.cpu_count)() or 1


def _read(path):
    try:
        return path.read_text(encoding="ascii").split()
    except (OSError, UnicodeDecodeError):
        return []


def _v2_group(proc_cgroup):
    """The cgroup v2 path of this process ("0::/a/b" in /proc/self/cgroup), or None."""
    for line in _read(proc_cgroup):
        if line.startswith("0::"):
            return line[3:].lstrip("/")
    return None


def cpu_quota(root=CGROUP_ROOT, proc_cgroup=Path("/proc/self/cgroup")):
    """The CPU quota over this process's cgroup in cores (a float), or None where none is set.

    cgroup v2: cpu.max ("max 100000" or "200000 100000") of the process's group and each group above it
    (the smallest wins); cgroup v1: cpu/cpu.cfs_quota_us over cpu.cfs_period_us (-1: none)."""
    quotas = []
    group = _v2_group(proc_cgroup)
    if group is not None:
        parts = Path(group).parts
        for depth in range(len(parts), -1, -1):
            fields = _read(root.joinpath(*parts[:depth], "cpu.max"))
            if len(fields) == 2 and fields[0] != "max":
                quotas.append(int(fields[0]) / int(fields[1]))
    quota, period = _read(root / "cpu" / "cpu.cfs_quota_us"), _read(root / "cpu" / "cpu.cfs_period_us")
    if quota and period and int(quota[0]) > 0 and int(period[0]) > 0:
        quotas.append(int(quota[0]) / int(period[0]))
    return min(quotas, default=None)


def available_cores():
    """The cores this process may keep busy (-> int >= 1): its CPU affinity (which a container's CPU set
    or `taskset` narrows), and no more than a cgroup CPU quota rounded up."""
    cores = _affinity()
    quota = cpu_quota()
    return max(1, min(cores, math.ceil(quota)) if quota else cores)
