"""First code in the worker process: set hard limits, give up root and every capability, then serve.

In the sandbox, bubblewrap has already built the namespaces and the allow-list root; when it runs as
root (no user namespace) this code switches to the worker's own host uid, so host `ps` shows that uid
and nothing of root's is left. In the container tier it does the same, then restricts the files the
worker may touch with Landlock (where the kernel has it) and installs the seccomp filter itself. In the
rlimits tier only the limits apply.
"""
import ctypes
import json
import os
import resource
import signal
import sys

SETUP_FAILED = 97
PR_SET_PDEATHSIG, PR_SET_SECCOMP, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS = 1, 22, 24, 38
SECCOMP_MODE_FILTER = 2
LAST_CAPABILITY = 63
# Landlock's system calls have these numbers on every architecture (the generic syscall table).
LANDLOCK_CREATE_RULESET, LANDLOCK_ADD_RULE, LANDLOCK_RESTRICT_SELF = 444, 445, 446
LANDLOCK_CREATE_RULESET_VERSION, LANDLOCK_RULE_PATH_BENEATH = 1, 1
# Access rights: execute, write, read file, read dir, then the ones that change a folder, refer, truncate, ioctl.
FS_EXECUTE, FS_WRITE_FILE, FS_READ_FILE, FS_READ_DIR = 1, 2, 4, 8
FS_FILE_RIGHTS = FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE | (1 << 14) | (1 << 15)
# How many access rights each ABI knows (index: ABI version); rights it does not know are not handled.
FS_RIGHTS_BY_ABI = {1: 13, 2: 14, 3: 15, 4: 15, 5: 16}
NET_BIND_TCP, NET_CONNECT_TCP = 1, 2
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1, 2

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _prctl(option, value):
    if _libc.prctl(option, ctypes.c_ulong(value), 0, 0, 0) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"prctl({option}): {os.strerror(errno)}")


def set_limits(config):
    """Hard resource limits; without CAP_SYS_RESOURCE the worker cannot raise them again."""
    limits = {
        resource.RLIMIT_AS: config["memory_bytes"],
        resource.RLIMIT_CPU: config["cpu_seconds"],
        resource.RLIMIT_FSIZE: config["file_bytes"],
        resource.RLIMIT_NOFILE: config["open_files"],
        resource.RLIMIT_CORE: 0,
    }
    if config["nproc_rlimit"]:
        limits[resource.RLIMIT_NPROC] = config["processes"]
    for kind, value in limits.items():
        resource.setrlimit(kind, (value, value))


def drop_root(uid):
    """Empty the capability bounding set, then become `uid` with no groups (which clears every capability)."""
    for capability in range(LAST_CAPABILITY + 1):
        if _libc.prctl(PR_CAPBSET_DROP, ctypes.c_ulong(capability), 0, 0, 0) != 0 and ctypes.get_errno() != 22:
            raise OSError(ctypes.get_errno(), f"dropping capability {capability} failed")
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    if os.getuid() != uid or os.geteuid() != uid:
        raise OSError(1, "the uid switch did not take")


def landlock_abi():
    """The Landlock ABI version this kernel offers, 0 where it has none (or a filter refuses the call)."""
    version = _libc.syscall(LANDLOCK_CREATE_RULESET, None, ctypes.c_size_t(0),
                            ctypes.c_uint32(LANDLOCK_CREATE_RULESET_VERSION))
    return max(int(version), 0)


def _handled_fs(abi):
    return (1 << FS_RIGHTS_BY_ABI.get(abi, 16)) - 1


def restrict_files(abi, rules):
    """Landlock: from now on this process and its children touch only what `rules` allow.

    rules: [[path, "read" | "list" | "run" | "write"]]: read is reading files and listing folders beneath
    path, list is listing only, run is reading and executing, write is everything but executing. Every other path is refused, /proc and /tmp
    too; with ABI 4 and later TCP is refused, with 6 and later signals and abstract sockets outside."""
    handled = _handled_fs(abi)
    attr = [handled] + ([NET_BIND_TCP | NET_CONNECT_TCP] if abi >= 4 else []) + (
        [SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL] if abi >= 6 else [])
    buffer = (ctypes.c_uint64 * len(attr))(*attr)
    ruleset = _libc.syscall(LANDLOCK_CREATE_RULESET, buffer, ctypes.c_size_t(ctypes.sizeof(buffer)),
                            ctypes.c_uint32(0))
    if ruleset < 0:
        raise OSError(ctypes.get_errno(), "landlock_create_ruleset failed")
    rights = {"read": FS_READ_FILE | FS_READ_DIR, "list": FS_READ_DIR, "run": FS_READ_FILE | FS_EXECUTE,
              "write": handled & ~FS_EXECUTE}
    try:
        for path, kind in rules:
            try:
                fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except OSError:  # absent, or out of this uid's reach anyway: no rule needed
                continue
            try:
                allowed = rights[kind] & handled & (~0 if os.path.isdir(path) else FS_FILE_RIGHTS)
                rule = _PathBeneath(allowed, fd)
                if _libc.syscall(LANDLOCK_ADD_RULE, ctypes.c_int(ruleset), ctypes.c_int(LANDLOCK_RULE_PATH_BENEATH),
                                 ctypes.byref(rule), ctypes.c_uint32(0)) != 0:
                    raise OSError(ctypes.get_errno(), f"landlock_add_rule({path}) failed")
            finally:
                os.close(fd)
        if _libc.syscall(LANDLOCK_RESTRICT_SELF, ctypes.c_int(ruleset), ctypes.c_uint32(0)) != 0:
            raise OSError(ctypes.get_errno(), "landlock_restrict_self failed")
    finally:
        os.close(ruleset)


def install_seccomp(program):
    """Install a compiled BPF program (bytes; see sandbox.seccomp) for this process and its children."""
    buffer = ctypes.create_string_buffer(program, len(program))
    fprog = _SockFprog(len(program) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    if _libc.prctl(PR_SET_SECCOMP, ctypes.c_ulong(SECCOMP_MODE_FILTER), ctypes.byref(fprog), 0, 0) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"installing the seccomp filter failed: {os.strerror(errno)}")


def readable(paths):
    """Those of `paths` this process can open for reading (files) or list (folders)."""
    found = []
    for path in paths:
        try:
            if os.path.isdir(path):
                os.listdir(path)
            else:
                with open(path, "rb") as handle:
                    handle.read(1)
            found.append(path)
        except OSError:
            pass
    return found


def main():
    config = json.loads(sys.argv[1])
    try:
        set_limits(config)
        if config["uid"] is not None:
            drop_root(config["uid"])
        _prctl(PR_SET_NO_NEW_PRIVS, 1)
        if config.get("landlock"):
            restrict_files(config["landlock"]["abi"], config["landlock"]["rules"])
        if config.get("seccomp"):
            install_seccomp(bytes.fromhex(config["seccomp"]))
        # A change of uid clears the parent-death signal; the worker must not outlive the scorer.
        _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        os.chdir(config["workdir"])
    except OSError as error:
        print(f"sandbox setup failed: {error}", file=sys.stderr, flush=True)
        os._exit(SETUP_FAILED)
    if config.get("probe_paths"):
        print(json.dumps(readable(config["probe_paths"])), flush=True)
        os._exit(0)
    os.environ["HOME"] = config["workdir"]
    sys.path[:0] = [config["workdir"], *config["sys_path"]]
    from _dlscratch_worker.serve import serve  # noqa: PLC0415 - importable only once the path is set
    serve(config)


if __name__ == "__main__":
    main()
