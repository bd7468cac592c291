"""The worker's filesystem as an allow-list: what a worker may read, and the bubblewrap arguments that
build a root holding only that.

The worker needs the interpreter (its executable, standard library and the shared libraries it loads),
NumPy, the graded package and the course helpers. In the bubblewrap sandbox nothing else exists: not the
rest of the interpreter's prefix or site-packages, not the project, not /proc (whose command lines and
mount table would name host folders). The same allow-list is what the container tier hands Landlock.
"""
import concurrent.futures
import functools
import os
import re
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SANDBOX_HOME = "/sandbox"
# NumPy is bound here, away from the site-packages it came from, which the sandbox does not hold.
SANDBOX_SITE = "/sandbox-site"
# Python, NumPy and OpenBLAS find their libraries through the loader cache; nothing else under /etc.
LOADER_FILES = ("/etc/ld.so.cache",)
# Writable private mounts, made before any bind: no interpreter location (a venv under /tmp) is hidden.
PRIVATE_MOUNTS = (("/tmp", "1777"), ("/dev/shm", "1777"), (SANDBOX_HOME, "0777"))
SITE_DIR_NAMES = ("site-packages", "dist-packages")


def _real(path):
    return Path(os.path.realpath(path))


def _within(path, root):
    return path == root or root in path.parents


@dataclass(frozen=True)
class Interpreter:
    """What a worker's interpreter reads, as host paths.

    executable: the real binary (a venv's python resolves to its base: the venv itself is not needed);
    stdlib: standard library folders (lib-dynload included); site_dirs: site-packages folders inside
    them, which must look empty; numpy: NumPy's folder and its bundled libraries' (numpy.libs);
    library_dirs: folders of the shared libraries the executable and NumPy load (the sandbox binds
    these); libraries: those files themselves, as named and as they really are (Landlock's rules: a
    folder such as a prefix's lib/ may hold site-packages too); loader: the program interpreter that
    runs the executable (ld.so), as named and real.
    """

    executable: Path
    stdlib: tuple
    site_dirs: tuple
    numpy: tuple
    library_dirs: tuple
    libraries: tuple
    loader: tuple

    @property
    def numpy_parent(self):
        return self.numpy[0].parent


# ldd runs the loader once per object: the objects are split among this many ldd processes.
LDD_PROCESSES = 4


@functools.lru_cache(maxsize=None)
def interpreter():
    """The running interpreter's allow-list (an Interpreter), found once per process."""
    executable = _real(getattr(sys, "_base_executable", "") or sys.executable)
    dynload = Path(sysconfig.get_path("platstdlib")) / "lib-dynload"
    stdlib = tuple(sorted({_real(Path(os.__file__).parent), *([_real(dynload)] if dynload.is_dir() else [])}))
    stdlib = tuple(path for path in stdlib if not any(other != path and _within(path, other) for other in stdlib))
    site_dirs = tuple(sorted(path for root in stdlib for name in SITE_DIR_NAMES
                             for path in [root / name] if path.is_dir()))
    numpy_dir = _real(Path(np.__file__).parent)
    numpy = (numpy_dir, *[path for path in [numpy_dir.with_name("numpy.libs")] if path.is_dir()])
    return Interpreter(executable, stdlib, site_dirs, numpy, *_libraries(executable, numpy_dir, stdlib))


def _libraries(executable, numpy_dir, stdlib):
    """(directories, as the loader names them, of the shared libraries the interpreter and NumPy load;
    the libraries, as named and real; the program interpreter, as named and real) from ldd."""
    objects = [executable, *numpy_dir.rglob("*.so"), *(path for root in stdlib for path in root.glob("lib-dynload/*.so"))]
    # About a hundred objects at some 4 ms each: in parallel, a grade's first worker waits half as long.
    chunks = [objects[start::LDD_PROCESSES] for start in range(LDD_PROCESSES)]
    with concurrent.futures.ThreadPoolExecutor(LDD_PROCESSES) as pool:
        output = "".join(pool.map(_ldd, chunks))
    found = {Path(os.path.normpath(match)) for match in re.findall(r"(?:=> )?(/\S+) \(0x", output)}
    loaders = {Path(match) for match in re.findall(r"^\s+(/\S+) \(0x", output, re.MULTILINE)}
    dirs = tuple(sorted({path.parent for path in found} - {numpy_dir.with_name("numpy.libs")}))
    return dirs, tuple(sorted({*found, *map(_real, found)})), tuple(sorted({*loaders, *map(_real, loaders)}))


def _ldd(objects):
    """ldd's output for `objects` (paths), or "" where it cannot run."""
    try:
        return subprocess.run(["ldd", *map(str, objects)], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        return ""


def worker_python(in_sandbox):
    """(command prefix that runs the worker's interpreter, folders to put first on its sys.path).

    The interpreter runs isolated and without site (-I -S): nothing of any site-packages is on its path
    but NumPy's folder, named explicitly."""
    found = interpreter()
    return [str(found.executable), "-I", "-S", "-B"], [SANDBOX_SITE if in_sandbox else str(found.numpy_parent)]


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
    found = interpreter()
    args = ["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
            "--die-with-parent", "--new-session"]
    if uid is None:
        args += ["--unshare-user", "--uid", "65534", "--gid", "65534", "--cap-drop", "ALL", "--disable-userns"]
    if seccomp_fd is not None:
        args += ["--seccomp", str(seccomp_fd)]
    args += ["--dev", "/dev"]
    for target, mode in PRIVATE_MOUNTS:
        args += ["--perms", mode, "--size", str(tmpfs_bytes), "--tmpfs", target]
    # bwrap makes missing parents of a mount point mode 0700, which a worker uid could not pass.
    targets = [_real(d) for d in found.library_dirs] + [Path(path) for path in LOADER_FILES] + [
        found.executable, *found.stdlib]
    for parent in sorted({parent for target in targets for parent in target.parents if parent != Path("/")},
                         key=lambda path: len(path.parts)):
        args += ["--dir", str(parent)]
    done = set()
    for directory in found.library_dirs:
        args += _bind_with_symlinks(directory, done)
    for path in LOADER_FILES:
        if os.path.exists(path):
            args += ["--ro-bind", path, path]
    args += ["--ro-bind", str(found.executable), str(found.executable)]
    for directory in found.stdlib:
        args += ["--ro-bind", str(directory), str(directory)]
    for directory in found.site_dirs:
        args += ["--tmpfs", str(directory), "--remount-ro", str(directory)]
    args += ["--dir", SANDBOX_SITE]
    for directory in found.numpy:
        args += ["--ro-bind", str(directory), f"{SANDBOX_SITE}/{directory.name}"]
    for name, source in binds.items():
        args += ["--ro-bind", str(source), f"{SANDBOX_HOME}/{name}"]
    return args + ["--remount-ro", "/", "--chdir", SANDBOX_HOME]
