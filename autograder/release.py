"""`python -m autograder release DEST [--solved]`: write the student repository.

DEST gets the stub package (or, with --solved, the reference bodies), the public tests of every stage,
the notebook of every stage, the datasets package, the points plugin, a student README listing the
stages and their points, and the GitHub workflow that runs the public tests on every push.
"""
import functools
import json
import shutil
import subprocess
import sys
from pathlib import Path

from . import ASSIGNMENTS_DIR, DATASETS_DIR, SOLUTIONS_DIR, STUDENT_PACKAGE
from .grading.rubric import load_rubric
from .points.stages import STAGES
from .stubs import make_stub, strip_markers

TEMPLATES = Path(__file__).with_name("templates")
POINTS_DIR = Path(__file__).with_name("points")
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache", ".hypothesis")


class ReleaseError(Exception):
    """The release cannot be written; the message is one line for the instructor."""


@functools.lru_cache(maxsize=None)
def student_package_files(solved=False):
    """{file name: text} of the student package, generated from every module in solutions/."""
    transform = strip_markers if solved else make_stub
    return {path.name: transform(path.read_text(encoding="utf-8"), path.stem)
            for path in sorted(SOLUTIONS_DIR.glob("*.py"))}


def student_data_files():
    """The data files shipped inside the student package (the stage 2 sample weights)."""
    return sorted(SOLUTIONS_DIR.glob("*.npz"))


def write_student_package(destination, solved=False):
    """Write the student package (stubs, or solved) and its data files into `destination`."""
    destination.mkdir(parents=True, exist_ok=True)
    for name, text in student_package_files(solved).items():
        (destination / name).write_text(text, encoding="utf-8")
    for data_file in student_data_files():
        shutil.copy2(data_file, destination / data_file.name)


def _check_destination(dest, force):
    if dest.exists() and not dest.is_dir():
        raise ReleaseError(f"release: {dest} exists and is not a directory")
    if dest.exists() and any(dest.iterdir()) and not force:
        raise ReleaseError(f"release: {dest} is not empty (pass --force to overwrite it)")


def _stage_points(dest):
    """Collect the public tests in DEST and return the per-stage totals the points plugin reports."""
    report_path = dest / ".points.json"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         "--points-report", str(report_path)],
        cwd=dest, capture_output=True, text=True)
    if result.returncode != 0 or not report_path.exists():
        tail = (result.stdout + result.stderr).strip().splitlines()[-1:] or ["no output"]
        raise ReleaseError(f"release: collecting the public tests failed: {tail[0]}")
    stages = json.loads(report_path.read_text())["extra_data"]["stages"]
    report_path.unlink()
    return stages


def _student_readme(stage_points):
    graded = graded_points()
    rows = []
    for stage in STAGES:
        points = stage_points.get(stage.name, {"max_score": 0, "total": 0})
        modules = ", ".join(f"`{STUDENT_PACKAGE}/{module}.py`" for module in stage.modules)
        rows.append(f"| `{stage.name}` | {stage.title} | {modules} | `{stage.folder}/` | "
                    f"{points['total']} | {points['max_score']:g} | {graded.get(stage.name, 0):g} |")
    template = (TEMPLATES / "student_README.md").read_text(encoding="utf-8")
    return template.replace("{{STAGE_TABLE}}", "\n".join(rows))


def graded_points():
    """{stage name: the points of its hidden tests} from the rubric (the grade is out of their sum)."""
    totals = {}
    for entry in load_rubric().values():
        totals[entry.stage] = totals.get(entry.stage, 0.0) + entry.points
    return totals


def _write_workflow(dest, stage_points):
    """.github/workflows/classroom.yml, told the public total so that uncollectable tests still count."""
    total = sum(points["max_score"] for points in stage_points.values())
    workflow = (TEMPLATES / "classroom.yml").read_text(encoding="utf-8").replace("{{PUBLIC_MAX_SCORE}}", f"{total:g}")
    (dest / ".github" / "workflows").mkdir(parents=True, exist_ok=True)
    (dest / ".github" / "workflows" / "classroom.yml").write_text(workflow, encoding="utf-8")


def release(dest, solved=False, force=False):
    """Write the student repository into `dest` (a pathlib.Path)."""
    _check_destination(dest, force)
    dest.mkdir(parents=True, exist_ok=True)
    write_student_package(dest / STUDENT_PACKAGE, solved)
    shutil.copytree(DATASETS_DIR, dest / "dlscratch_data", ignore=IGNORED, dirs_exist_ok=True)
    shutil.copytree(POINTS_DIR, dest / "course_points", ignore=IGNORED, dirs_exist_ok=True)
    for stage in STAGES:
        shutil.copytree(ASSIGNMENTS_DIR / stage.folder, dest / stage.folder, ignore=IGNORED,
                        dirs_exist_ok=True)
    shutil.copytree(ASSIGNMENTS_DIR / "notebooks", dest / "notebooks", ignore=IGNORED, dirs_exist_ok=True)
    for template, target in (("student_pyproject.toml", "pyproject.toml"),
                             ("student_conftest.py", "conftest.py"), ("student_gitignore", ".gitignore"),
                             ("student_check.py", f"{STUDENT_PACKAGE}/check.py")):
        shutil.copy2(TEMPLATES / template, dest / target)
    stage_points = _stage_points(dest)
    (dest / "README.md").write_text(_student_readme(stage_points), encoding="utf-8")
    _write_workflow(dest, stage_points)


def add_arguments(parser):
    parser.add_argument("dest", type=Path, help="directory to write the student repository into")
    parser.add_argument("--solved", action="store_true", help="fill in the reference bodies (for testing)")
    parser.add_argument("--force", action="store_true", help="write into a non-empty DEST")


def run(args):
    release(args.dest, solved=args.solved, force=args.force)
    kind = "solved release" if args.solved else "student release"
    print(f"{kind} written to {args.dest}")
    return 0
