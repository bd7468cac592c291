"""Fetching one file from a list of mirrors, verifying it before it is kept."""
import http.client
import logging
import urllib.error
import urllib.request

from .fileio import atomic_write_bytes, checksum_problem

logger = logging.getLogger(__name__)

TIMEOUT = 10  # seconds per request: a dead mirror should cost seconds, not minutes


class MirrorsFailed(Exception):
    """Every mirror failed for one file; `attempts` holds (url, reason) pairs."""

    def __init__(self, attempts):
        super().__init__("; ".join(f"{url} -> {reason}" for url, reason in attempts))
        self.attempts = attempts


def download_verified(filename, sha256, dest_dir, mirrors):
    """Download `filename` from the first mirror serving it with the right SHA-256 -> its bytes.

    The verified file is also written (atomically) to dest_dir/filename. A mirror that errors,
    is unreachable or serves wrong bytes is logged and skipped; MirrorsFailed when none is left.
    """
    attempts = []
    for base in mirrors:
        url = base.rstrip("/") + "/" + filename
        data, problem = _try_mirror(url, sha256)
        if problem is None:
            atomic_write_bytes(dest_dir / filename, data)
            return data
        logger.warning("mirror failed: %s: %s", url, problem)
        attempts.append((url, problem))
    raise MirrorsFailed(attempts)


def _try_mirror(url, sha256):
    """-> (bytes, None) when the mirror serves the right file, else (None, what went wrong)."""
    try:
        data = _get(url)
    except (OSError, http.client.HTTPException, ValueError) as exc:
        return None, _reason(exc)
    problem = checksum_problem(data, sha256)
    return (None, problem) if problem else (data, None)


def _get(url):
    with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
        return response.read()


def _reason(exc):
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code}"
    if isinstance(exc, urllib.error.URLError):
        exc = exc.reason
    # messages are joined into a one-line error, so collapse any newlines
    return " ".join(f"{type(exc).__name__}: {exc}".split())
