"""A git entry as of a deadline: the commit on the remote at the deadline (a deadline snapshot, from the
push record) or, without one, the last commit committed before it; its files written by the grader itself.

Nothing the repository holds runs or is interpreted on the host: git is only asked for objects (see
git.py), and the blobs are written here, regular files only (no symbolic link, submodule or `.git` path
is written; symbolic links and submodules are listed in the result's source), within the limits an
uploaded .zip has, checked from the tree's sizes before anything is written and again while streaming.
"""
import errno
import os
from dataclasses import dataclass
from pathlib import PurePosixPath

from ..grading.submission import MAX_SUBMISSION_BYTES, MAX_SUBMISSION_FILES
from .git import GitUnavailable, Refused, Repository, is_git_repository, shown

REGULAR_MODES = {b"100644", b"100755"}
SKIPPED_KINDS = {b"120000": "a symbolic link", b"160000": "a submodule"}
COMMITTER_DATE = "committer-date (student-controlled)"
PUSH_RECORD = "push record (deadline snapshot)"
CHUNK = 1 << 16
# A tree naming one path twice (as a file and a folder) or a name too long: the commit's fault.
TREE_ERRORS = {errno.EEXIST, errno.ENOTDIR, errno.EISDIR, errno.ENAMETOOLONG}


class CheckoutError(Exception):
    """The grader could not read the entry (git missing, a snapshot commit absent from the clone, its own
    disk failing): a grader-error, one line."""


@dataclass(frozen=True)
class AsOf:
    """The commit graded (None when none), whether later commits exist, what was graded (`source`), which
    record chose the commit (`deadline_source`), and why the commit cannot be graded (empty when it can)."""

    commit: str | None
    later_commits: bool
    source: str
    problem: str = ""
    deadline_source: str | None = None


def last_commit_before(repository, deadline):
    """(sha of HEAD's last commit committed at or before `deadline` (aware datetime) or None,
    whether HEAD has commits after it)."""
    head = repository.commit_of("HEAD")
    if head is None:
        return None, False
    commit = repository.run("rev-list", "-1", f"--before={int(deadline.timestamp())}", head).decode().strip() or None
    return commit, commit != head


def _too_large(commit):
    return Refused(f"commit {commit[:12]} holds more than {MAX_SUBMISSION_FILES} files or "
                   f"{MAX_SUBMISSION_BYTES >> 20} MiB; remove large files from the repository")


def _safe_path(raw):
    """The relative path of a tree entry (bytes) as a PurePosixPath, or None when it must not be written."""
    path = PurePosixPath(os.fsdecode(raw))
    if path.is_absolute() or not path.parts or any(part in ("", ".", "..") or part.casefold() == ".git"
                                                   for part in path.parts):
        return None
    return path


def list_files(repository, commit):
    """([(sha, size, path, raw path)] of the regular files of `commit`'s tree, [skipped "path (why)"]). Refused when the
    tree is over the limits or holds a path that cannot be written."""
    files, skipped, total = [], [], 0
    for line in repository.run("ls-tree", "-r", "-z", "-l", "--full-tree", commit).split(b"\0"):
        if not line:
            continue
        meta, _, raw_path = line.partition(b"\t")
        mode, _, sha, size = meta.split(maxsplit=3)
        if mode not in REGULAR_MODES:
            skipped.append(f"{shown(raw_path)} ({SKIPPED_KINDS.get(mode, 'an unknown kind of entry')})")
            continue
        path = _safe_path(raw_path)
        if path is None:
            raise Refused(f"commit {commit[:12]} holds a path that cannot be written: {shown(raw_path)}")
        if not size.isdigit():  # git's "BAD": the object is not in the repository (never fetched from elsewhere)
            raise Refused(f"commit {commit[:12]}: {shown(raw_path)} is missing from the repository "
                          f"(object {sha[:12].decode()})")
        total += int(size)
        files.append((sha.decode(), int(size), path, raw_path))
        if len(files) > MAX_SUBMISSION_FILES or total > MAX_SUBMISSION_BYTES:
            raise _too_large(commit)
    return files, skipped


def _write_blob(stream, size, target):
    """Copy `size` bytes of `stream` into a new file `target` (never through a link, never over a file)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    with os.fdopen(descriptor, "wb") as sink:
        left = size
        while left:
            chunk = stream.read(min(CHUNK, left))
            if not chunk:
                raise Refused("git cat-file ended early")
            sink.write(chunk)
            left -= len(chunk)


def export(repository, commit, destination):
    """Write the regular files of `commit` into `destination` (a fresh folder) -> [skipped "path (why)"]."""
    files, skipped = list_files(repository, commit)
    destination.mkdir(parents=True)
    process = repository.popen("cat-file", "--batch")
    try:
        for sha, size, path, raw_path in files:
            process.stdin.write(f"{sha}\n".encode())
            process.stdin.flush()
            header = process.stdout.readline().split()
            # The tree's size is what the limits were checked against: a blob must be exactly that.
            if len(header) != 3 or header[1] != b"blob" or int(header[2]) != size:
                raise Refused(f"commit {commit[:12]}: object {sha[:12]} is not the blob its tree says")
            try:
                _write_blob(process.stdout, size, destination.joinpath(*path.parts))
            except OSError as error:
                if error.errno not in TREE_ERRORS:  # the grader's disk, not the student's tree
                    raise CheckoutError(f"writing the commit failed: {error}") from None
                raise Refused(f"commit {commit[:12]}: {shown(raw_path)} could not be written "
                              f"({error.strerror})") from None
            process.stdout.read(1)  # the newline after each object
    except OSError as error:  # a broken pipe: git stopped reading
        raise Refused(f"git cat-file failed on the repository: {error}") from None
    finally:
        process.kill()
        process.wait()
        process.stdin.close()
        process.stdout.close()
    return skipped


def _graded(repository, commit, later, source, deadline_source, scratch):
    """(path, AsOf) for an exported commit; a refused one (over the limits, unwritable) has AsOf.problem."""
    try:
        skipped = export(repository, commit, scratch / "as-of")
    except Refused as error:
        return None, AsOf(commit, later, source, str(error), deadline_source)
    if skipped:
        more = f" and {len(skipped) - 5} more" if len(skipped) > 5 else ""
        source += f"; not written: {', '.join(skipped[:5])}{more}"
    return scratch / "as-of", AsOf(commit, later, source, deadline_source=deadline_source)


def _nothing(scratch, later, source, deadline_source):
    (scratch / "empty").mkdir(parents=True)
    return scratch / "empty", AsOf(None, later, source, deadline_source=deadline_source)


def _pinned(repository, pinned, scratch):
    """The commit a deadline snapshot names (dict: sha, recorded_at), exported."""
    head = repository.commit_of("HEAD")
    if not pinned["sha"]:
        return _nothing(scratch, head is not None, f"no commit on the remote at the deadline ({pinned['recorded_at']})",
                        PUSH_RECORD)
    commit = repository.commit_of(pinned["sha"])
    if commit is None:
        # The snapshot is the grader's record: a clone without its commit is the grader's to fix (fetch it).
        raise CheckoutError(f"the deadline snapshot's commit {pinned['sha'][:12]} is not in the clone; fetch it")
    source = f"the commit on the remote at the deadline (push record, {pinned['recorded_at']})"
    return _graded(repository, commit, commit != head, source, PUSH_RECORD, scratch)


def as_of(entry_path, deadline, scratch, pinned=None):
    """(path to grade (None when AsOf.problem says why not), AsOf) for an entry under `deadline` (None:
    graded as it is) and, when a deadline snapshot is given, `pinned` (its row: sha, recorded_at)."""
    if not is_git_repository(entry_path):
        source = "not a git repository: graded as it is" if deadline or pinned else "graded as it is"
        return entry_path, AsOf(None, False, source)
    try:
        with Repository(entry_path) as repository:
            if pinned is not None:
                return _pinned(repository, pinned, scratch)
            if deadline is None:
                return entry_path, AsOf(repository.commit_of("HEAD"), False,
                                        "the working copy as it is (no deadline given)")
            commit, later = last_commit_before(repository, deadline)
            if commit is None:
                return _nothing(scratch, later, f"no commit before the deadline {deadline.isoformat()}", COMMITTER_DATE)
            return _graded(repository, commit, later, f"the last commit before {deadline.isoformat()} (committer date)",
                           COMMITTER_DATE, scratch)
    except Refused as error:
        if deadline is None and pinned is None:
            return entry_path, AsOf(None, False, f"the working copy as it is (its repository was not read: {error})")
        return None, AsOf(None, False, "the repository was refused", str(error))
    except GitUnavailable as error:
        raise CheckoutError(str(error)) from None
