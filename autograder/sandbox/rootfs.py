"""The worker's filesystem as an allow-list: the bubblewrap arguments that build it from nothing.

Inside the sandbox exist only: the shared libraries the interpreter and NumPy load, the interpreter
prefix read-only with its site-packages emptied but for NumPy, the graded package and the course
helpers read-only under the work folder, private size-limited tmpfs mounts for the work folder, /tmp
and /dev/shm, a fresh /proc and a minimal /dev. Every other host path is absent, so files, sockets
and other grades' folders cannot be named, whenever they were created.
"""
import functools
import os
import re
import site
import subprocess
import sys
from pathlib import Path

import numpy as np

SANDBOX_HOME = "/sandbox"
# Python, NumPy and OpenBLAS find their libraries through the loader cache; nothing else under /etc.
LOADER_FILES = ("/etc/ld.so.cache",)


def _real(path):
    return Path(os.path.realpath(path))


def _within(path, root):
    return path == root or root in path.parents


@functools.lru_cache(maxsize=None)
def interpreter_mounts():
    """(prefixes to bind, site-packages dirs to empty, dirs to bind back into them, library dirs)."""
    prefixes = sorted({_real(sys.prefix), _real(sys.base_prefix)})
    prefixes = [p for p in prefixes if not any(other != p and _within(p, other) for other in prefixes)]
    executable = _real(sys.executable)
    if not any(_within(executable, prefix) for prefix in prefixes):
        prefixes.append(executable)
    sites = sorted({_real(path) for path in [*site.getsitepackages(), site.getusersitepackages()]
                    if os.path.isdir(path) and any(_within(_real(path), prefix) for prefix in prefixes)})
    numpy_dir = _real(Path(np.__file__).parent)
    keep = [numpy_dir] + [path for path in [numpy_dir.with_name("numpy.libs")] if path.is_dir()]
    return prefixes, sites, keep, _library_dirs(executable, numpy_dir, prefixes)


def _library_dirs(executable, numpy_dir, prefixes):
    """Directories (as named by the loader) holding the shared libraries the interpreter and NumPy load."""
    stdlib = Path(os.__file__).parent
    objects = [executable, *numpy_dir.rglob("*.so"), *(stdlib / "lib-dynload").glob("*.so")]
    try:
        output = subprocess.run(["ldd", *map(str, objects)], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        output = ""
    found = {Path(match) for match in re.findall(r"(?:=> )?(/\S+) \(0x", output)}
    dirs = {path.parent for path in found}
    return sorted(d for d in dirs if not any(_within(_real(d), prefix) for prefix in prefixes))


def _bind_with_symlinks(path, done):
    """--ro-bind the real directory behind `path`, and recreate the host's symlinks on the way to it."""
    args, real = [], _real(path)
    if real not in done:
        done.add(real)
        args += ["--ro-bind", str(real), str(real)]
    current = Path("/")
    for part in Path(path).parts[1:]:
        current = current / part
        if current.is_symlink() and current not in done:
            done.add(current)
            args += ["--symlink", os.readlink(current), str(current)]
            break
    return args


def bwrap_arguments(binds, tmpfs_bytes, uid=None, seccomp_fd=None):
    """bwrap options (before `--` and the command) for a worker.

    binds: {name under SANDBOX_HOME: host directory} mounted read-only (the graded package, the worker
    code, course helpers). uid: a host-namespace uid the worker switches to itself (bwrap keeps root
    here), or None to map the user into a user namespace as 65534 (a name inside it only).
    seccomp_fd: a descriptor holding a compiled seccomp program (sandbox.seccomp), or None.
    """
    prefixes, sites, keep, library_dirs = interpreter_mounts()
    args = ["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
            "--die-with-parent", "--new-session"]
    if uid is None:
        args += ["--unshare-user", "--uid", "65534", "--gid", "65534", "--cap-drop", "ALL"]
    if seccomp_fd is not None:
        args += ["--seccomp", str(seccomp_fd)]
    # bwrap makes missing parents of a mount point mode 0700, which a worker uid could not pass.
    targets = [_real(d) for d in library_dirs] + [Path(path) for path in LOADER_FILES] + list(prefixes)
    for parent in sorted({parent for target in targets for parent in target.parents if parent != Path("/")},
                         key=lambda path: len(path.parts)):
        args += ["--dir", str(parent)]
    done = set()
    for directory in library_dirs:
        args += _bind_with_symlinks(directory, done)
    for path in LOADER_FILES:
        if os.path.exists(path):
            args += ["--ro-bind", path, path]
    for prefix in prefixes:
        args += ["--ro-bind", str(prefix), str(prefix)]
    for directory in sites:
        args += ["--tmpfs", str(directory)]
        for kept in keep:
            if kept.parent == directory:
                args += ["--ro-bind", str(kept), str(kept)]
        args += ["--remount-ro", str(directory)]
    args += ["--proc", "/proc", "--dev", "/dev"]
    for target, mode in (("/tmp", "1777"), ("/dev/shm", "1777"), (SANDBOX_HOME, "0777")):
        args += ["--perms", mode, "--size", str(tmpfs_bytes), "--tmpfs", target]
    for name, source in binds.items():
        args += ["--ro-bind", str(source), f"{SANDBOX_HOME}/{name}"]
    return args + ["--remount-ro", "/", "--chdir", SANDBOX_HOME]
