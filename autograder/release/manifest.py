"""The release manifest: every file a release wrote, with its sha256 and its role.

`release` writes it as `.release-manifest.json` at the root of the student repository. It tells an update
which files the student has not touched (safe to refresh), and a batch grade which course files a
submission changed that students must not change (integrity report).

Roles:
- "exercise": students edit it (the stage modules they fill in, the stage notebooks);
- "protected": students must not change it (public tests, conftest, pyproject, workflow, the points
  plugin, the datasets package, the course's non-exercise modules and data);
- "other": course files students may change harmlessly (README, .gitignore).
"""
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from course.names import STUDENT_PACKAGE, module_file
from course.stages import exercise_modules
from course.usage import UsageError

MANIFEST_NAME = ".release-manifest.json"
FORMAT = 1
ROLES = ("exercise", "protected", "other")
OTHER_FILES = frozenset({"README.md", ".gitignore"})


@dataclass(frozen=True)
class Entry:
    path: str
    sha256: str
    role: str


@dataclass(frozen=True)
class Change:
    """A released file as found in a working copy: state is "changed" or "missing"."""

    path: str
    role: str
    state: str


def file_digest(path):
    """sha256 hex digest of the file at `path` (bytes as stored: no newline translation)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def role_of(relative_path):
    """The role of a released file, from its POSIX path relative to the release root."""
    parts = PurePosixPath(relative_path).parts
    if len(parts) == 2 and parts[0] == STUDENT_PACKAGE and parts[1] in {module_file(module) for module in exercise_modules()}:
        return "exercise"
    if len(parts) == 2 and parts[0] == "notebooks" and parts[1].endswith(".ipynb"):
        return "exercise"
    if relative_path in OTHER_FILES:
        return "other"
    return "protected"


def build_manifest(root):
    """{"format", "files": {path: {"sha256", "role"}}} for every file under `root` (the manifest excluded)."""
    root = Path(root)
    files = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        relative = path.relative_to(root).as_posix()
        if relative == MANIFEST_NAME or "__pycache__" in path.parts:
            continue
        files[relative] = {"sha256": file_digest(path), "role": role_of(relative)}
    return {"format": FORMAT, "files": files}


def write_manifest(root):
    """Write the manifest of `root` into `root`/.release-manifest.json."""
    text = json.dumps(build_manifest(root), indent=1, sort_keys=True) + "\n"
    (Path(root) / MANIFEST_NAME).write_text(text, encoding="utf-8")


def parse_manifest(text):
    """{path: Entry} from a manifest's JSON text; UsageError for anything malformed."""
    try:
        data = json.loads(text)
    except ValueError as error:
        raise UsageError(f"{MANIFEST_NAME} is not valid JSON ({error})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("files"), dict):
        raise UsageError(f"{MANIFEST_NAME} is not a format-{FORMAT} release manifest")
    entries = {}
    for path, entry in data["files"].items():
        if (not isinstance(entry, dict) or entry.get("role") not in ROLES or not isinstance(entry.get("sha256"), str)
                or PurePosixPath(path).is_absolute() or ".." in PurePosixPath(path).parts):
            raise UsageError(f"{MANIFEST_NAME}: bad entry for {path!r}")
        entries[path] = Entry(path, entry["sha256"], entry["role"])
    return entries


def read_manifest(root):
    """{path: Entry} from `root`/.release-manifest.json; UsageError if absent or malformed."""
    path = Path(root) / MANIFEST_NAME
    if not path.is_file():
        raise UsageError(f"{root} has no {MANIFEST_NAME} (not a release, or from before manifests)")
    return parse_manifest(path.read_text(encoding="utf-8"))


def changes(root, entries):
    """[Change] for every file of `entries` that `root` holds with other contents, or not at all."""
    root = Path(root)
    found = []
    for entry in entries.values():
        path = root / entry.path
        if not path.is_file():
            found.append(Change(entry.path, entry.role, "missing"))
        elif file_digest(path) != entry.sha256:
            found.append(Change(entry.path, entry.role, "changed"))
    return found
