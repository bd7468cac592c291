"""The result store of a batch run: results/<student>.json and feedback/<student>.md in the output folder.

Every file is written to a temporary name in its folder and renamed into place (os.replace), so a kill at
any moment leaves each result whole or absent. The result is renamed last: it marks the student done.
"""
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from course.rubric import stage_of_test
from course_points.report import Report, escape_markdown, render_json, render_markdown, report_from_json

from ..grading.language import graded_by
from ..grading.verdicts import unscored
from ..identity import grader_identity

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


@dataclass(frozen=True)
class Result:
    """One stored grade: its Report, and `batch`, what the batch recorded of it (a dict: key, commit,
    later_commits, source, deadline_source, entry, deadline, duration, integrity, student, grader)."""

    report: Report
    batch: dict


def result_path(output, student):
    return Path(output) / RESULTS / f"{student}.json"


def feedback_path(output, student):
    return Path(output) / FEEDBACK / f"{student}.md"


def save(output, student, report, batch):
    """Store one graded submission -> its Result: the Gradescope JSON of `report` plus `batch` metadata
    under "batch"."""
    result = Result(report, {**batch, "student": student, "grader": grader_identity()})
    stored = {**json.loads(render_json(report)), "batch": result.batch}
    header = f"# {escape_markdown(student)}\n\n{batch['source']}" + (f" (commit `{batch['commit']}`)" if batch.get("commit") else "")
    atomic_write(feedback_path(output, student), header + "\n\n" + render_markdown(report))
    atomic_write(result_path(output, student), json.dumps(stored, indent=2) + "\n")
    return result


def load(output, student):
    """The stored Result of `student`, or None when absent or unreadable."""
    try:
        stored = json.loads(result_path(output, student).read_text(encoding="utf-8"))
        return Result(report_from_json(stored, stage_of_test), stored.get("batch", {}))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def load_all(output):
    """{student: Result} of every stored result in `output`."""
    results = {}
    for path in sorted((Path(output) / RESULTS).glob("*.json")):
        result = load(output, path.stem)
        if result is not None:
            results[path.stem] = result
    return results


def reusable(result, key):
    """Whether a stored Result stands: same grader code and rubric, same `key` (stages, deadline), graded."""
    return (result is not None and result.batch.get("grader") == grader_identity()
            and result.batch.get("key") == key and result.report.status == "graded")


def grader_error_report(stages, reason):
    """A Report whose every test (of `stages`) is a grader-error with `reason`: scored neither way."""
    return Report(tests=unscored(stages, "grader-error", reason), notes=[f"grader error: {reason}"],
                  grader=graded_by())
