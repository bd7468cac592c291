"""The nbgrader course: the source notebooks of every stage in the course directory, and nbgrader's API on it."""
import os
import shutil
import sys
from pathlib import Path

from course.language import DEFAULT_LANGUAGE
from course.paths import DATASETS_DIR, REPO_ROOT, SOLUTIONS_DIR
from course.stages import STAGES
from ..release.write import IGNORED
from .render import notebook_name, render

COURSE_DIR = REPO_ROOT / "build" / "nbgrader"


def write_source(course_dir, stages=STAGES, language=DEFAULT_LANGUAGE):
    """Write source/<assignment>/ for each stage: the nbgrader source notebook in `language`, dlscratch_data,
    sample weights."""
    import nbformat

    for stage in stages:
        folder = Path(course_dir) / "source" / stage.folder
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        nbformat.write(render(stage, "nbgrader", language), folder / notebook_name(stage))
        shutil.copytree(DATASETS_DIR, folder / "dlscratch_data", ignore=IGNORED)
        for data_file in SOLUTIONS_DIR.glob("*.npz"):
            shutil.copy2(data_file, folder / data_file.name)


def nbgrader_api(course_dir):
    """An NbGraderAPI on `course_dir`, so every nbgrader step runs in this process (imports paid once)."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config

    # The gradebook's first use runs the `alembic` command, installed next to this interpreter.
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
    config = Config()
    config.CourseDirectory.root = str(course_dir)
    config.Execute.timeout = 120
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
