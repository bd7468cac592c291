"""A git entry as of a deadline: the last commit before it (committer date), exported with `git archive`.

Student repositories are untrusted: git never runs their hooks or fsmonitor, never checks out into the
entry itself, and the archive is unpacked with tarfile's "data" filter (no links out, no devices) and
within the limits an uploaded .zip has, so a repository holding huge files never fills the grader's disk.
"""
import platform
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from ..submission import MAX_SUBMISSION_BYTES, MAX_SUBMISSION_FILES

# Configuration given on the command line wins over the repository's own .git/config.
SAFE_GIT = ("git", "-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false", "-c", "safe.directory=*",
            "-c", "protocol.allow=never")


class CheckoutError(Exception):
    """The entry is a git repository but no commit could be exported; one line for the report."""


class TooLarge(Exception):
    """The commit graded holds more than a submission may; one line for the report (the student's, graded 0)."""


@dataclass(frozen=True)
class AsOf:
    """The commit graded (None when the entry is not a git repository), whether later commits exist, and
    why the commit cannot be graded (empty when it can)."""

    commit: str | None
    later_commits: bool
    source: str
    problem: str = ""


def is_git_repository(path):
    return Path(path).is_dir() and (Path(path) / ".git").exists()


def _git(repo, *args):
    result = subprocess.run([*SAFE_GIT, "-C", str(repo), *args], capture_output=True, timeout=120,
                            stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        message = result.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
        raise CheckoutError(f"git {args[0]} failed: {message[0]}")
    return result.stdout


def last_commit_before(repo, deadline):
    """(sha of HEAD's last commit committed at or before `deadline` (aware datetime) or None,
    whether HEAD has commits after it)."""
    commit = _git(repo, "rev-list", "-1", f"--before={int(deadline.timestamp())}", "HEAD").decode().strip() or None
    head = _git(repo, "rev-parse", "HEAD").decode().strip()
    return commit, commit != head


def export(repo, commit, destination):
    """Unpack `commit`'s tree into `destination` (a fresh folder) with `git archive`."""
    if not hasattr(tarfile, "data_filter"):  # PEP 706; without it, filter= is a TypeError
        raise CheckoutError(f"Python {platform.python_version()} lacks tarfile's data filter, which unpacking "
                            "a commit needs: grade with Python 3.10.12+, 3.11.4+ or 3.12+")
    destination.mkdir(parents=True)
    process = subprocess.Popen([*SAFE_GIT, "-C", str(repo), "archive", "--format=tar", commit],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    try:
        with tarfile.open(fileobj=process.stdout, mode="r|") as archive:
            files = size = 0
            for member in archive:
                files, size = files + 1, size + member.size
                if files > MAX_SUBMISSION_FILES or size > MAX_SUBMISSION_BYTES:
                    process.kill()
                    raise TooLarge(f"commit {commit[:12]} holds more than {MAX_SUBMISSION_FILES} files or "
                                   f"{MAX_SUBMISSION_BYTES >> 20} MiB; remove large files from the repository")
                archive.extract(member, destination, filter="data")
    except (tarfile.TarError, OSError) as error:
        process.kill()
        raise CheckoutError(f"git archive {commit[:12]} could not be unpacked: {error}") from None
    finally:
        process.stdout.close()
        stderr = process.stderr.read().decode(errors="replace").strip()
        process.stderr.close()
        process.wait()
    if process.returncode != 0:
        raise CheckoutError(f"git archive {commit[:12]} failed: {(stderr.splitlines() or ['no output'])[-1]}")


def as_of(entry_path, deadline, scratch):
    """(path to grade (None when AsOf.problem says why not), AsOf) for an entry under `deadline` (None:
    graded as it is)."""
    if not is_git_repository(entry_path):
        source = "not a git repository: graded as it is" if deadline else "graded as it is"
        return entry_path, AsOf(None, False, source)
    if deadline is None:
        try:
            head = _git(entry_path, "rev-parse", "HEAD").decode().strip()
        except CheckoutError:
            head = None
        return entry_path, AsOf(head, False, "the working copy as it is (no deadline given)")
    commit, later = last_commit_before(entry_path, deadline)
    if commit is None:
        (scratch / "empty").mkdir()
        return scratch / "empty", AsOf(None, later, f"no commit before the deadline {deadline.isoformat()}")
    source = f"the last commit before {deadline.isoformat()}"
    try:
        export(entry_path, commit, scratch / "as-of")
    except TooLarge as error:
        return None, AsOf(commit, later, source, problem=str(error))
    return scratch / "as-of", AsOf(commit, later, source)
