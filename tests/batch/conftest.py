"""A class folder of mixed submissions, grade-all runs over it, and the single grades to compare with."""
import csv
import io
import json
import os
import shutil
import subprocess
import zipfile
from concurrent.futures import ThreadPoolExecutor

import pytest

from autograder.identity import grader_identity
from autograder.release.manifest import build_manifest
from autograder.release.write import release
from tests.conftest import run_python
from course_points.report import Report
from course_points.verdict import Verdict
from tests.grader.conftest import _submission_maker, grade

# Module-level state a batch job must not carry from one grade into the next: the hidden suites are
# imported afresh for every grade (see batch/job.py), so this wrong relu costs the same points wherever
# it comes in the order.
WRONG_RELU = "def relu(x):\n    return np.maximum(x, 0.1 * x)\n"
EXITS_AT_IMPORT = "import sys\nsys.exit(3)\n"


def stage1_report(score):
    """A Report of one stage-1 test worth 10 points that scored `score`, as a store holds it."""
    return Report(tests=[Verdict("test_stage1.py::test_a", "stage1", 10, score, "passed" if score == 10 else "failed")],
                  grader=grader_identity())


def grade_all(*args, timeout=600):
    """`python -m autograder grade-all ARGS...` -> the CompletedProcess (text output captured)."""
    return run_python("-m", "autograder", "grade-all", *args, timeout=timeout)


def git(repo, *args, date=None):
    """`git -C repo ARGS...` as a student with a fixed identity (and both dates `date`) -> its stdout, stripped."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "s", "GIT_AUTHOR_EMAIL": "s@example.org", "GIT_COMMITTER_NAME": "s",
           "GIT_COMMITTER_EMAIL": "s@example.org"}
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    return subprocess.run(["git", "-C", str(repo), *args], env=env, check=True, capture_output=True,
                          text=True).stdout.strip()


def merge(*args):
    """`python -m autograder merge ARGS...` -> the CompletedProcess (text output captured)."""
    return run_python("-m", "autograder", "merge", *args)


def read_csv(path):
    """[{column: value}] of a CSV file."""
    return list(csv.DictReader(io.StringIO(path.read_text())))


def without_duration(path):
    """The rows of a grades.csv without its duration column (the one value that differs run to run)."""
    return [{key: value for key, value in row.items() if key != "duration"} for row in read_csv(path)]


def result(output, student):
    return json.loads((output / "results" / f"{student}.json").read_text())


def zip_folder(folder, archive):
    with zipfile.ZipFile(archive, "w") as bundle:
        for path in sorted(folder.rglob("*")):
            bundle.write(path, path.relative_to(folder.parent).as_posix())
    return archive


@pytest.fixture(scope="session")
def class_folder(tmp_path_factory, solved_package, stub_package):
    """SUBMISSIONS with 8 students: full (a solved release whose conftest.py was edited), good, partial,
    broken, empty, zipped, nested and hostile."""
    root = tmp_path_factory.mktemp("class")
    submissions = root / "submissions"
    submissions.mkdir()
    release(submissions / "full", solved=True)
    (submissions / "full" / "conftest.py").write_text("# the student silenced the public tests\n")
    solved = _submission_maker(submissions, solved_package)
    stubs = _submission_maker(submissions, stub_package)
    solved(name="good")
    stubs(replace={"gates": (solved_package / "gates.py").read_text()}, name="partial")
    solved(append={"activations": WRONG_RELU}, name="broken")
    (submissions / "empty").mkdir()
    zip_folder(stubs(replace={"gates": (solved_package / "gates.py").read_text()}, name="zipped-src") / "dlscratch",
               submissions / "zipped.zip")
    shutil.rmtree(submissions / "zipped-src")
    nested = _submission_maker(submissions / "nested", solved_package)
    nested(name="repo-main")
    solved(replace={"gates": EXITS_AT_IMPORT}, name="hostile")
    return submissions


@pytest.fixture(scope="session")
def manifest_file(tmp_path_factory):
    """The manifest of a stub release, for --manifest (grade-all otherwise builds it again every run)."""
    root = tmp_path_factory.mktemp("manifest")
    release(root / "release")
    path = root / "manifest.json"
    path.write_text(json.dumps(build_manifest(root / "release")))
    return path


@pytest.fixture(scope="session")
def single_grades(class_folder):
    """{student: results.json} of `python -m autograder grade` on every entry, two at a time."""
    entries = sorted(class_folder.iterdir())
    with ThreadPoolExecutor(2) as pool:
        reports = list(pool.map(grade, entries))
    return {entry.name.removesuffix(".zip"): report for entry, report in zip(entries, reports)}


@pytest.fixture(scope="session")
def class_run(class_folder, tmp_path_factory):
    """The output folder of one grade-all run over the class, 2 jobs."""
    output = tmp_path_factory.mktemp("run") / "out"
    completed = grade_all(class_folder, "--output", output, "--jobs", 2)
    assert completed.returncode == 0, completed.stderr[-3000:]
    return output
