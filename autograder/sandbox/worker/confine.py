"""First code in the worker process: set hard limits, give up root and every capability, then serve.

In the sandbox, bubblewrap has already built the namespaces and the allow-list root; when it runs as
root (no user namespace) this code switches to the worker's own host uid, so host `ps` shows that uid
and nothing of root's is left. In the rlimits fallback only the limits apply.
"""
import ctypes
import json
import os
import resource
import signal
import sys

SETUP_FAILED = 97
PR_SET_PDEATHSIG, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS = 1, 24, 38
LAST_CAPABILITY = 63

_libc = ctypes.CDLL(None, use_errno=True)


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


def main():
    config = json.loads(sys.argv[1])
    try:
        set_limits(config)
        if config["uid"] is not None:
            drop_root(config["uid"])
        _prctl(PR_SET_NO_NEW_PRIVS, 1)
        # A change of uid clears the parent-death signal; the worker must not outlive the scorer.
        _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        os.chdir(config["workdir"])
    except OSError as error:
        print(f"sandbox setup failed: {error}", file=sys.stderr, flush=True)
        os._exit(SETUP_FAILED)
    os.environ["HOME"] = config["workdir"]
    sys.path.insert(0, config["workdir"])
    from _dlscratch_worker.serve import serve  # noqa: PLC0415 - importable only once the path is set
    serve(config)


if __name__ == "__main__":
    main()
