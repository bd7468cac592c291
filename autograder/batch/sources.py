"""sources/<student>.json of a batch output folder: the text of each exercise function a submission holds.

The job stores them right after grading (the scratch checkout is deleted then), `merge` copies them like
feedback, and the similarity report compares them for the whole class. Only read, never imported or run.
"""
import json
from pathlib import Path

from course.names import module_file
from course.student_package import exercise_functions

from ..grading.shared_worker import MAX_MODULE_BYTES
from ..grading.submission import locate
from .fingerprints import function_sources
from .store import atomic_write

SOURCES = "sources"


def sources_path(output, student):
    return Path(output) / SOURCES / f"{student}.json"


def _module_text(package, module):
    """The text of one exercise module of a submission's package, or None: only a regular file (not a
    link) under the size the grader copies, decoded leniently (a stray byte must not hide the rest)."""
    path = package / module_file(module)
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_MODULE_BYTES:
            return None
        return path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return None


def collect(submission, scratch):
    """{"module.qualname": source text} of every exercise function in `submission` (a path, folder or .zip,
    found as `grade` finds it; a .zip is unpacked below `scratch`). A module that is missing or does not
    parse contributes nothing."""
    package = locate(submission, scratch).package
    found = {}
    for module, names in exercise_functions().items():
        text = None if package is None else _module_text(package, module)
        if text is not None:
            found.update({f"{module}.{name}": source for name, source in function_sources(text, names).items()})
    return found


def save(output, student, sources):
    """Store {function: source text} of one student (atomically)."""
    atomic_write(sources_path(output, student), json.dumps(sources, indent=1, sort_keys=True) + "\n")


def load(output, student):
    """{function: source text} stored for `student`; {} when absent or unreadable."""
    try:
        stored = json.loads(sources_path(output, student).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(stored, dict):
        return {}
    return {name: text for name, text in stored.items() if isinstance(name, str) and isinstance(text, str)}
