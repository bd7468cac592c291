"""`python -m autograder nbgrader [--course DIR]`: write the nbgrader source notebooks of every stage.

They go into the course directory that nbgrader_config.py names (build/nbgrader/, ignored by git), as
source/<stage folder>/<stage folder>.ipynb with the data the notebook reads. Answers and hidden tests
live only there and in this repository's solutions/ and notebooks/; never in assignments/.
Then, from the repository root: nbgrader generate_assignment stage2_neuralnet, and so on.
"""
import os
import shutil
import sys
from pathlib import Path

from course.paths import DATASETS_DIR, REPO_ROOT, SOLUTIONS_DIR
from course.stages import STAGES
from ..release.write import IGNORED
from ..jupyter.render import notebook_name, render

COURSE_DIR = REPO_ROOT / "build" / "nbgrader"


def write_source(course_dir, stages=STAGES):
    """Write source/<assignment>/ for each stage: the nbgrader source notebook, dlscratch_data, sample weights."""
    import nbformat

    for stage in stages:
        folder = Path(course_dir) / "source" / stage.folder
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        nbformat.write(render(stage, "nbgrader"), folder / notebook_name(stage))
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


def add_arguments(parser):
    parser.add_argument("--course", type=Path, default=COURSE_DIR,
                        help=f"nbgrader course directory (default: {COURSE_DIR.relative_to(REPO_ROOT)})")


def run(args):
    write_source(args.course)
    print(f"nbgrader source notebooks of {len(STAGES)} stages written to {args.course / 'source'}")
    return 0
