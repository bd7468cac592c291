"""The Gradescope bundle: its setup.sh installs the grader, and its run_autograder grades a fake
/autograder tree into results/results.json under every Python CI checks, or writes a grader error."""
import json
import os
import shutil
import stat
import subprocess
import sys
import uuid
import zipfile

import pytest

from course.paths import REPO_ROOT
from autograder.commands.gradescope import build_bundle
from course.rubric import load_rubric
from autograder.sandbox.launcher import WORKER_PACKAGE_DIR
from tests.conftest import PYPROJECT, ci_pythons, course_venv, installed_pythons, version_key
from tests.grader.conftest import COURSE_MAX

pytestmark = pytest.mark.slow

# CI's Pythons and Ubuntu 24.04's, Gradescope's newest base image.
GRADING_PYTHONS = sorted({*ci_pythons(), "3.12"}, key=version_key)


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    path = tmp_path_factory.mktemp("gradescope") / "autograder.zip"
    build_bundle(path)
    return path


def autograder_tree(bundle, root, package):
    """A fake /autograder at `root`: the bundle in source/, `package` submitted as submission/dlscratch."""
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(root / "source")
    for script in ("setup.sh", "run_autograder"):
        (root / "source" / script).chmod(0o755)
    shutil.copy2(root / "source" / "run_autograder", root / "run_autograder")
    shutil.copytree(package, root / "submission" / "dlscratch")
    return root


def link_installed_packages(root):
    """Link in source/ the packages an install takes from another folder (dlscratch_data from datasets/),
    so that run_autograder's PYTHONPATH finds them with a venv that lacks the course, as setup.sh's
    editable install maps them."""
    for name, folder in PYPROJECT["tool"]["setuptools"]["package-dir"].items():
        (root / "source" / name).symlink_to(folder)


def run_autograder(root, **env):
    """Run root/run_autograder with AUTOGRADER_ROOT=root and `env` -> (CompletedProcess, results.json)."""
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": sys.executable, **env}
    completed = subprocess.run(["bash", str(root / "run_autograder")], env=env, capture_output=True, text=True,
                               timeout=300)
    assert completed.returncode == 0, completed.stderr[-3000:]
    return completed, json.loads((root / "results" / "results.json").read_text())


def test_the_bundle_holds_the_scripts_the_hidden_suites_and_the_reference(bundle, tmp_path):
    with zipfile.ZipFile(bundle) as archive:
        names = set(archive.namelist())
        modes = {info.filename: stat.S_IMODE(info.external_attr >> 16) for info in archive.infolist()}
    assert {"setup.sh", "run_autograder", "pyproject.toml", "autograder/hidden/rubric.toml",
            "autograder/hidden/test_stage4.py", "solutions/layers.py", "datasets/dlscratch_data/digits.py",
            "course/stages.py", "course_feedback/checks.py", "course_points/report.py"} <= names
    assert modes["run_autograder"] == modes["setup.sh"] == 0o755
    assert not any("__pycache__" in name for name in names)
    build_bundle(tmp_path / "again.zip")
    assert (tmp_path / "again.zip").read_bytes() == bundle.read_bytes()


@pytest.mark.parametrize("solved, score", [(True, COURSE_MAX), (False, 0)])
def test_run_autograder_grades_the_submission(bundle, tmp_path, solved_package, stub_package, solved, score):
    root = autograder_tree(bundle, tmp_path / "autograder", solved_package if solved else stub_package)
    _, results = run_autograder(root)
    assert (results["score"], results["max_score"], results["extra_data"]["status"]) == (score, COURSE_MAX, "graded")
    assert len(results["tests"]) == len(load_rubric())
    assert stat.S_IMODE((root / "results").stat().st_mode) & 0o077 == 0


def test_a_chinese_bundle_grades_in_chinese(tmp_path, stub_package):
    bundle = tmp_path / "zh.zip"
    build_bundle(bundle, "zh")
    root = autograder_tree(bundle, tmp_path / "autograder", stub_package)
    _, results = run_autograder(root)
    assert (results["score"], results["extra_data"]["grader"]["language"]) == (0, "zh")
    # A hidden test of a stub: the kind of failure, in the grader's Chinese.
    assert "尚未实现" in next(test["output"] for test in results["tests"]
                           if test["name"] == "test_stage2.py::test_softmax_three_dimensional")


@pytest.mark.parametrize("version", GRADING_PYTHONS)
def test_run_autograder_gives_full_marks_under_each_python(bundle, tmp_path, solved_package, version):
    python = course_venv(version)
    root = autograder_tree(bundle, tmp_path / "autograder", solved_package)
    link_installed_packages(root)
    _, results = run_autograder(root, AUTOGRADER_PYTHON=str(python))
    assert (results["score"], results["max_score"], results["extra_data"]["status"]) == (COURSE_MAX, COURSE_MAX, "graded")


@pytest.mark.parametrize("env, reason", [
    ({"AUTOGRADER_ISOLATION": 'no"such\\tier'}, "argument --isolation: unknown isolation no\"such\\tier"),
    ({"AUTOGRADER_PYTHON": "/nonexistent/python"}, "/nonexistent/python: No such file or directory"),
], ids=["usage-error", "no-interpreter"])
def test_run_autograder_leaves_a_grader_error_when_grading_fails(bundle, tmp_path, solved_package, env, reason):
    root = autograder_tree(bundle, tmp_path / "autograder", solved_package)
    completed, results = run_autograder(root, **env)
    assert (results["score"], results["tests"], results["extra_data"]["status"]) == (0, [], "grader-error")
    assert results["output"].startswith("Grader error, not a problem with your submission")
    assert reason in results["output"]
    assert reason in completed.stderr


def _fake_commands(folder, python):
    """A folder for PATH's front: an apt-get that does nothing and a python3 that runs `python`."""
    folder.mkdir()
    (folder / "apt-get").write_text("#!/bin/sh\nexit 0\n")
    (folder / "python3").write_text(f'#!/bin/sh\nexec "{python}" "$@"\n')
    for command in folder.iterdir():
        command.chmod(0o755)
    return folder


def _others_may(path, worker):
    """The group and other bits setup.sh leaves on `path`: the worker's code readable, the folders above it
    passable (not listable), nothing else."""
    if path == worker or worker in path.parents:
        return 0o055 if path.is_dir() else 0o044
    return 0o011 if path in worker.parents else 0


@pytest.fixture
def build_folder():
    """A fresh folder under the repository's ignored build/ (a venv under /tmp is hidden from the sandbox)."""
    folder = REPO_ROOT / "build" / "test-gradescope" / uuid.uuid4().hex
    folder.mkdir(parents=True)
    yield folder
    shutil.rmtree(folder)


def test_setup_installs_the_grader_and_closes_the_source_but_for_the_worker(bundle, tmp_path, solved_package,
                                                                            build_folder):
    oldest = ci_pythons()[0]
    if oldest not in installed_pythons():
        pytest.skip(f"no Python {oldest} on this machine (pyenv or PATH)")
    root = autograder_tree(bundle, tmp_path / "autograder", solved_package)
    fake = _fake_commands(tmp_path / "bin", installed_pythons()[oldest])
    env = {**os.environ, "PATH": f"{fake}{os.pathsep}{os.environ['PATH']}", "DLSCRATCH_PREFIX": str(build_folder)}
    setup = subprocess.run(["bash", str(root / "source" / "setup.sh")], env=env, capture_output=True, text=True,
                           timeout=900)
    assert setup.returncode == 0, setup.stderr[-3000:]
    python = build_folder / "venv" / "bin" / "python"
    assert f"Python {oldest}." in setup.stdout

    source = root / "source"
    worker = source / WORKER_PACKAGE_DIR.relative_to(REPO_ROOT)
    others = {path: stat.S_IMODE(path.stat().st_mode) & 0o077 for path in [source, *source.rglob("*")]}
    assert others == {path: _others_may(path, worker) for path in others}
    assert stat.S_IMODE(build_folder.joinpath("venv", "pyvenv.cfg").stat().st_mode) == 0o644

    _, results = run_autograder(root, AUTOGRADER_PYTHON=str(python))
    assert (results["score"], results["max_score"], results["extra_data"]["status"]) == (COURSE_MAX, COURSE_MAX, "graded")
    assert stat.S_IMODE((root / "results").stat().st_mode) & 0o077 == 0
