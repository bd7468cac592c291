"""Checksums, atomic writes and the cache location shared by the loaders."""
import contextlib
import hashlib
import os
import tempfile
from pathlib import Path

from .errors import DatasetCorrupt

CACHE_ENV = "DLSCRATCH_DATA_DIR"


def default_cache_dir():
    """$DLSCRATCH_DATA_DIR if set, else ~/.cache/dlscratch (read at call time, so tests can redirect it)."""
    env = os.environ.get(CACHE_ENV)
    return Path(env) if env else Path.home() / ".cache" / "dlscratch"


def sha256_hex(data):
    """SHA-256 of `data` (bytes) as 64 lowercase hex digits."""
    return hashlib.sha256(data).hexdigest()


def checksum_problem(data, expected):
    """None if sha256(data) == expected, else a one-line description of the mismatch."""
    actual = sha256_hex(data)
    return None if actual == expected else f"checksum mismatch expected {expected}, got {actual}"


def check_sha256(data, expected, source):
    """Raise DatasetCorrupt naming `source` unless sha256(data) == expected."""
    problem = checksum_problem(data, expected)
    if problem:
        raise DatasetCorrupt(f"{source}: {problem}")


@contextlib.contextmanager
def atomic_open(path):
    """Yield a binary file that replaces `path` only once fully written.

    A crash or a concurrent reader then sees the old file or the new one, never half of one.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def atomic_write_bytes(path, data):
    """Write `data` to `path` atomically."""
    with atomic_open(path) as handle:
        handle.write(data)
