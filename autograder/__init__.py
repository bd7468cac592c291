"""The course's instructor tools: stub generation, releases and the isolated autograder."""
from pathlib import Path

from course.stages import STUDENT_PACKAGE  # noqa: F401 - one name, defined with the stage table

REPO_ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS_DIR = REPO_ROOT / "solutions"
ASSIGNMENTS_DIR = REPO_ROOT / "assignments"
DATASETS_DIR = REPO_ROOT / "datasets" / "dlscratch_data"
