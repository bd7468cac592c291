"""Where the course's parts live in its repository: one definition of each folder every layer reads."""
from pathlib import Path

from .language import DEFAULT_LANGUAGE

REPO_ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS_DIR = REPO_ROOT / "solutions"
# What a student repository is made of: the generated stubs and notebooks, the public tests per stage.
ASSIGNMENTS_DIR = REPO_ROOT / "assignments"
STUDENT_NOTEBOOKS_DIR = ASSIGNMENTS_DIR / "notebooks"
# The teaching sources: one jupytext percent script per stage, rendered into the stage notebooks.
TEACHING_DIR = REPO_ROOT / "teaching"


def teaching_dir(language):
    """The teaching sources in `language`: teaching/ in English, teaching/<language>/ in another."""
    return TEACHING_DIR if language == DEFAULT_LANGUAGE else TEACHING_DIR / language


def student_notebooks_dir(language):
    """The generated notebooks in `language`: assignments/notebooks/ in English, notebooks-<language>/ else."""
    return STUDENT_NOTEBOOKS_DIR if language == DEFAULT_LANGUAGE else ASSIGNMENTS_DIR / f"notebooks-{language}"
DATASETS_DIR = REPO_ROOT / "datasets" / "dlscratch_data"
# The hidden suites, their rubric and the grader's probes; never shipped to students.
HIDDEN_DIR = REPO_ROOT / "autograder" / "hidden"
# The files a release and the Gradescope bundle write from (READMEs, workflows, pyproject, scripts).
TEMPLATES = REPO_ROOT / "autograder" / "templates"
# The packages of this repository a student release ships whole, next to `course`'s student-side modules.
SHIPPED_PACKAGES = ("course_feedback", "course_points")
# The modules of `course` the shipped packages import (the rest is instructor code: stubs, rubric, paths).
STUDENT_SIDE_MODULES = ("__init__", "language", "names", "stages")
