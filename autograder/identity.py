"""Which grader produced a result: its version, a hash of its code and a hash of the rubric.

A batch run reuses a result only when both hashes match, so a changed hidden test or rubric is
never mixed with results from before the change.
"""
import functools
import hashlib
from importlib import metadata

from course.paths import REPO_ROOT
from course.rubric import RUBRIC_PATH

# What decides a score and its feedback: the grader, its hidden suites, the course and feedback code both
# share, and the compiled message catalogues (a corrected translation is new feedback).
GRADER_CODE = ("autograder/grading/*.py", "autograder/hidden/*.py", "autograder/hidden/*.ini", "autograder/sandbox/*.py",
               "autograder/sandbox/worker/*.py", "course/*.py", "course_feedback/*.py", "course_points/*.py",
               "course/locale/*/LC_MESSAGES/*.mo")


def _digest(paths):
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.relative_to(REPO_ROOT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@functools.lru_cache(maxsize=None)
def grader_identity():
    """{"version", "code_sha256", "rubric_sha256"} of this grader."""
    try:
        version = metadata.version("dlscratch-course")
    except metadata.PackageNotFoundError:
        version = "unknown"
    code = sorted(path for pattern in GRADER_CODE for path in REPO_ROOT.glob(pattern))
    return {"version": version, "code_sha256": _digest(code), "rubric_sha256": hashlib.sha256(RUBRIC_PATH.read_bytes()).hexdigest()}
