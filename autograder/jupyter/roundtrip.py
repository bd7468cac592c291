"""One nbgrader round trip of a stage in a course directory, through nbgrader's Python API.

generate_assignment, then two submissions (the released notebook as is, and the same notebook with the
reference answers typed into its solution cells), autograde and generate_feedback for each. Used by the
test suite and benchmarks/nbgrader_vs_grade.py; instructors can run it as a dry run before a release.
"""
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from course.stubs import BEGIN, END
from .render import notebook_name

SOLVED, RELEASED = "solved", "released"


class RoundTripError(RuntimeError):
    """An nbgrader step failed; the message carries its log."""


@dataclass
class Outcome:
    """What nbgrader made of one submission."""

    score: float
    max_score: float
    autograde_seconds: float
    feedback: Path
    autograded: Path


def _check(result, step):
    if not result.get("success"):
        raise RoundTripError(f"nbgrader {step} failed:\n{result.get('log', '')}\n{result.get('error', '')}")


def answered(released, source):
    """The released notebook with each solution cell holding the source's answer (markers removed)."""
    import nbformat

    answers = {cell.metadata["nbgrader"]["grade_id"]: cell.source for cell in source.cells
               if cell.metadata.get("nbgrader", {}).get("solution")}
    solved = nbformat.from_dict(released)
    for cell in solved.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = "\n".join(line for line in answers[grade_id].splitlines()
                                    if line.strip() not in (BEGIN, END))
    return solved


def _submit(course_dir, stage, student, notebook):
    import nbformat

    released = Path(course_dir) / "release" / stage.folder
    folder = Path(course_dir) / "submitted" / student / stage.folder
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(released, folder)
    nbformat.write(notebook, folder / notebook_name(stage))


def _score(course_dir, stage, student):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{Path(course_dir) / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission(stage.folder, student)
        return float(submission.score), float(submission.max_score)


def round_trip(api, stage):
    """Run the stage's round trip with `api` (course.nbgrader_api) -> {student id: Outcome}."""
    import nbformat

    course_dir = Path(api.coursedir.root)
    _check(api.generate_assignment(stage.folder), "generate_assignment")
    name = notebook_name(stage)
    released = nbformat.read(course_dir / "release" / stage.folder / name, as_version=4)
    source = nbformat.read(course_dir / "source" / stage.folder / name, as_version=4)
    outcomes = {}
    for student, notebook in ((SOLVED, answered(released, source)), (RELEASED, released)):
        _submit(course_dir, stage, student, notebook)
        started = time.perf_counter()
        _check(api.autograde(stage.folder, student), f"autograde of {student}")
        seconds = time.perf_counter() - started
        _check(api.generate_feedback(stage.folder, student), f"generate_feedback of {student}")
        feedback = course_dir / "feedback" / student / stage.folder / name.replace(".ipynb", ".html")
        autograded = course_dir / "autograded" / student / stage.folder / name
        outcomes[student] = Outcome(*_score(course_dir, stage, student), seconds, feedback, autograded)
    return outcomes
