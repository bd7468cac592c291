"""What a new release may do to a student's working copy: find their changes, back them up, update beside them.

A file counts as the student's when its contents are neither what the previous release wrote (its hash in
DEST's manifest) nor what the new release writes. Such a file is never overwritten: `--force` refuses (or,
with --backup, moves it aside first) and `--update` writes the new version beside it (`beside_name`).
"""
import shutil
import time
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath

from .manifest import MANIFEST_NAME, file_digest

BACKUP_DIR = ".release-backup"
# Names a tool picks up by pattern: pytest collects test_*.py and *_test.py, GitHub runs every workflow file.
# Their new versions get ".new" appended (test_layers.py.new) so that nothing collects or runs them.
PICKED_UP = ("test_*.py", "*_test.py")
WORKFLOWS = PurePosixPath(".github/workflows")


def beside_name(path):
    """The name of a file's new version written beside it (POSIX relative path -> POSIX relative path).

    dlscratch/layers.py -> dlscratch/layers.new.py, notebooks/stage4_backprop.ipynb ->
    notebooks/stage4_backprop.new.ipynb; names pytest or GitHub would pick up get .new appended instead:
    stage4_backprop/test_layers.py -> stage4_backprop/test_layers.py.new.
    """
    path = PurePosixPath(path)
    if any(fnmatch(path.name, pattern) for pattern in PICKED_UP) or path.parent == WORKFLOWS or not path.suffix:
        return str(path.with_name(path.name + ".new"))
    return str(path.with_name(f"{path.stem}.new{path.suffix}"))


def _state(dest, path, new_entries, old_entries):
    """How DEST holds a released file: "absent", "current" (as the new release), "untouched" (as the
    previous release wrote it) or "student" (anything else, a directory in its place included)."""
    target = Path(dest) / path
    if not target.exists():
        return "absent"
    if not target.is_file():
        return "student"
    digest = file_digest(target)
    if digest == new_entries[path].sha256:
        return "current"
    old = old_entries.get(path)
    return "untouched" if old is not None and digest == old.sha256 else "student"


def student_changes(dest, new_entries, old_entries):
    """Sorted paths the new release would overwrite in DEST whose contents are the student's."""
    return sorted(path for path in new_entries if _state(dest, path, new_entries, old_entries) == "student")


def back_up(dest, paths):
    """Move `paths` (relative to DEST) into DEST/.release-backup/<UTC time>/, keeping their folders -> that folder."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    folder = Path(dest) / BACKUP_DIR / stamp
    suffix = 1
    while folder.exists():
        suffix += 1
        folder = Path(dest) / BACKUP_DIR / f"{stamp}-{suffix}"
    for path in paths:
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(Path(dest) / path), str(target))
    return folder


def _copy(source_root, dest, path, target_path=None):
    target = Path(dest) / (target_path or path)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(Path(source_root) / path, target)


def install(release_root, dest, entries):
    """Copy every released file and the manifest from release_root into DEST, overwriting what is there."""
    for path in entries:
        _copy(release_root, dest, path)
    _copy(release_root, dest, MANIFEST_NAME)


def update(release_root, dest, new_entries, old_entries):
    """Bring DEST to the new release without touching the student's files -> the report: a line per file
    written or kept aside, and one counting the released files with nothing new.

    Untouched files are refreshed, missing ones added; a file the student changed is kept and, where the
    release changed it too, its new version is written beside it. Files no longer released are left alone.
    The new manifest records the released hashes, so the next update still sees the student's changes.
    """
    lines, current = [], 0
    for path in sorted(new_entries):
        state = _state(dest, path, new_entries, old_entries)
        old = old_entries.get(path)
        if state == "current" or (state == "student" and old is not None and old.sha256 == new_entries[path].sha256):
            current += 1
        elif state in ("absent", "untouched"):
            _copy(release_root, dest, path)
            lines.append(f"  {'refreshed' if state == 'untouched' else 'added':<11}{path}")
        else:
            beside = beside_name(path)
            _copy(release_root, dest, path, beside)
            kind = "your work" if new_entries[path].role == "exercise" else "a course file you changed"
            lines.append(f"  {'kept':<11}{path} ({kind}); the new version is beside it: {beside}")
    for path in sorted(set(old_entries) - set(new_entries)):
        lines.append(f"  {'left alone':<11}{path} (no longer part of the release)")
    _copy(release_root, dest, MANIFEST_NAME)
    return lines + [f"  {current} other released files: nothing new for them in this release"]
