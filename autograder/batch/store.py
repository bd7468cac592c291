"""The result store of a batch run: results/<student>.json and feedback/<student>.md in the output folder.

Every file is written to a temporary name in its folder and renamed into place (os.replace), so a kill at
any moment leaves each result whole or absent. The result is renamed last: it marks the student done.
"""
import json
import os
import tempfile
from pathlib import Path

from course.rubric import load_rubric
from ..identity import grader_identity
from course_points.report import Report, TestResult, escape_markdown, render_json, render_markdown

RESULTS = "results"
FEEDBACK = "feedback"


def atomic_write(path, text):
    """Write `text` to `path` so that readers see the old file or the new one, never a part."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def result_path(output, student):
    return Path(output) / RESULTS / f"{student}.json"


def feedback_path(output, student):
    return Path(output) / FEEDBACK / f"{student}.md"


def save(output, student, report, batch):
    """Store one graded submission: the Gradescope JSON of `report` plus `batch` metadata under "batch"."""
    result = json.loads(render_json(report))
    result["batch"] = {**batch, "student": student, "grader": grader_identity()}
    header = f"# {escape_markdown(student)}\n\n{batch['source']}" + (f" (commit `{batch['commit']}`)" if batch.get("commit") else "")
    atomic_write(feedback_path(output, student), header + "\n\n" + render_markdown(report))
    atomic_write(result_path(output, student), json.dumps(result, indent=2) + "\n")
    return result


def load(output, student):
    """The stored result of `student` (a dict), or None when absent or unreadable."""
    try:
        return json.loads(result_path(output, student).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def load_all(output):
    """{student: result} of every stored result in `output`."""
    results = {}
    for path in sorted((Path(output) / RESULTS).glob("*.json")):
        result = load(output, path.stem)
        if result is not None:
            results[path.stem] = result
    return results


def reusable(result, key):
    """Whether a stored result stands: same grader code and rubric, same `key` (stages, deadline), graded."""
    if not result or "batch" not in result:
        return False
    batch = result["batch"]
    return (batch.get("grader") == grader_identity() and batch.get("key") == key
            and result.get("extra_data", {}).get("status") == "graded")


def grader_error_report(stages, reason):
    """A Report whose every test (of `stages`) is a grader-error with `reason`: scored neither way."""
    tests = [TestResult(entry.test_id, entry.stage, entry.points, 0.0, "grader-error", reason, entry.visibility)
             for entry in load_rubric().values() if entry.stage in stages]
    return Report(tests=tests, notes=[f"grader error: {reason}"], grader=grader_identity())
