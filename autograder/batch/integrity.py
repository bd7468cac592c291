"""Integrity: which files students must not change (public tests, conftest, workflow, grader config) a
submission changed, compared with the release manifest. Reported to the instructor, never scored."""
import json
import tempfile
from pathlib import Path

from course.names import STUDENT_PACKAGE
from ..cleanup import remove_tree
from course.usage import read_user_text
from course_points.report import escape_markdown

from ..grading.submission import locate
from ..release.manifest import build_manifest, changes, parse_manifest
from ..release.write import release


def default_manifest():
    """{path: manifest.Entry} of a fresh stub release of this grader (written to a temporary folder)."""
    scratch = Path(tempfile.mkdtemp(prefix="dlscratch-manifest-"))
    try:
        release(scratch / "release")
        return parse_manifest(json.dumps(build_manifest(scratch / "release")))
    finally:
        remove_tree(scratch)


def load_manifest(path):
    """{path: manifest.Entry} from a manifest file (`--manifest`), or the default one when `path` is None."""
    return default_manifest() if path is None else parse_manifest(read_user_text(path))


def check(submission, manifest, scratch):
    """{"checked", "changed": [paths], "missing": [paths]} for the protected files of `submission` (as
    graded: a folder or .zip); "checked" is False when there is no repository around the package to compare."""
    located = locate(submission, scratch)
    if located.package is None or located.package.resolve() == Path(submission).resolve():
        return {"checked": False, "changed": [], "missing": []}
    protected = {path: entry for path, entry in manifest.items() if entry.role == "protected"}
    found = changes(located.package.parent, protected)
    missing = {change.path for change in found if change.state == "missing"}
    if all(path in missing for path in protected if not path.startswith(f"{STUDENT_PACKAGE}/")):
        return {"checked": False, "changed": [], "missing": []}  # the package alone was submitted
    return {"checked": True, "changed": sorted(c.path for c in found if c.state == "changed"),
            "missing": sorted(c.path for c in found if c.state == "missing")}


def render(results):
    """integrity.md from {student: store.Result}: the students who changed or removed protected files."""
    lines = ["# Integrity report", "",
             "Protected files (public tests, conftest, pyproject, workflow, course modules) compared with the "
             "release manifest. Reported only: scores are not affected.", ""]
    flagged, unchecked = [], []
    for student, result in sorted(results.items()):
        integrity = result.batch.get("integrity", {})
        if not integrity.get("checked"):
            unchecked.append(student)
        elif integrity["changed"] or integrity["missing"]:
            flagged.append((student, integrity))
    if flagged:
        lines += ["| student | changed | missing |", "|---|---|---|"]
        lines += [f"| {escape_markdown(student)} | {_paths(i['changed'])} | {_paths(i['missing'])} |"
                  for student, i in flagged]
    else:
        lines.append("No submission changed a protected file.")
    if unchecked:
        lines += ["", f"Not checked (no repository around the package): {', '.join(map(escape_markdown, unchecked))}"]
    return "\n".join(lines) + "\n"


def _paths(paths):
    """A table cell of file paths, which the student's repository names: escaped, '-' for none."""
    return ", ".join(map(escape_markdown, paths)) or "-"
