"""First code in the worker process: confine it, then exec the serving loop.

Namespace mode (run under `unshare --mount --net --pid`): hide the course, the submission and
libraries that would do the exercise behind empty tmpfs mounts, give the worker a private writable
directory, make every other mount read-only, set resource limits, then drop every capability and
set no_new_privs (via util-linux setpriv) so none of it can be undone by student code.
Rlimits mode (no namespaces): resource limits only.
"""
import ctypes
import json
import os
import re
import resource
import sys

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT, MS_BIND = 1, 2, 4, 8, 32, 4096
MS_NOATIME, MS_NODIRATIME, MS_RELATIME = 1024, 2048, 1 << 21
# statvfs f_flag bits -> the mount flags a bind remount must repeat (locked in a user namespace).
KEPT_FLAGS = {1: MS_RDONLY, 2: MS_NOSUID, 4: MS_NODEV, 8: MS_NOEXEC, 1024: MS_NOATIME,
              2048: MS_NODIRATIME, 4096: MS_RELATIME}
WORK = "work"
SETUP_FAILED = 97

_libc = ctypes.CDLL(None, use_errno=True)


def _mount(source, target, fstype, flags, data=None):
    encode = lambda text: text.encode() if text is not None else None
    if _libc.mount(encode(source), encode(target), encode(fstype), flags, encode(data)) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"mount {target}: {os.strerror(errno)}")


def _mount_points():
    """Mount points from /proc/self/mounts, whose octal escapes (\\040 for a space) are undone."""
    with open("/proc/self/mounts", encoding="utf-8", errors="surrogateescape") as mounts:
        fields = [line.split() for line in mounts]
    unescape = lambda path: re.sub(r"\\([0-7]{3})", lambda match: chr(int(match.group(1), 8)), path)
    return [unescape(field[1]) for field in fields if len(field) > 1]


def _remount_read_only(target):
    flags = os.statvfs(target).f_flag
    kept = sum(flag for bit, flag in KEPT_FLAGS.items() if flags & bit)
    _mount(None, target, None, MS_REMOUNT | MS_BIND | MS_RDONLY | kept)


def hide_and_isolate(config):
    """Mount the private work directory, hide what the worker must not see, make the rest read-only."""
    work_fd = os.open(config["workdir"], os.O_RDONLY | os.O_DIRECTORY)
    for path in config["hide_dirs"]:
        _mount("tmpfs", path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=4k,mode=0555")
    for path in config["hide_files"]:
        _mount("/dev/null", path, None, MS_BIND)
    scratch = config["scratch_mount"]
    _mount("tmpfs", scratch, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0755")
    work = os.path.join(scratch, WORK)
    os.mkdir(work)
    _mount(f"/proc/self/fd/{work_fd}", work, None, MS_BIND)
    os.close(work_fd)
    # The overlays just mounted are read-only (tmpfs) or harmless (/dev/null) already.
    skip = {work, "/proc", *config["hide_dirs"], *config["hide_files"]}
    for target in _mount_points():
        if target in skip or target.startswith("/proc/"):
            continue
        try:
            _remount_read_only(target)
        except OSError:
            if target == "/":
                raise
    os.chdir(work)
    return work


def set_limits(config):
    """Hard resource limits; without CAP_SYS_RESOURCE the worker cannot raise them again."""
    limits = {
        resource.RLIMIT_AS: config["memory_bytes"],
        resource.RLIMIT_CPU: config["cpu_seconds"],
        resource.RLIMIT_FSIZE: config["file_bytes"],
        resource.RLIMIT_NPROC: config["processes"],
        resource.RLIMIT_CORE: 0,
    }
    for kind, value in limits.items():
        resource.setrlimit(kind, (value, value))


def main():
    config = json.loads(sys.argv[1])
    try:
        if config["mode"] == "namespace":
            config["workdir"] = hide_and_isolate(config)
        else:
            os.chdir(config["workdir"])
        set_limits(config)
    except OSError as error:
        print(f"sandbox setup failed: {error}", file=sys.stderr, flush=True)
        os._exit(SETUP_FAILED)
    os.environ["HOME"] = config["workdir"]
    serve = [config["python"], "-I", "-B", "-c", config["serve_code"], json.dumps(config)]
    if config["mode"] == "namespace":
        drop = ["--no-new-privs", "--bounding-set", "-all", "--inh-caps", "-all"]
        os.execv(config["setpriv"], [config["setpriv"], *drop, "--", *serve])
    os.execv(config["python"], serve)


if __name__ == "__main__":
    main()
