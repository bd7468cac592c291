"""The Gradescope bundle: its run_autograder grades a fake /autograder tree into results/results.json."""
import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile

import pytest

from autograder.gradescope import build_bundle
from autograder.grading.rubric import load_rubric

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    path = tmp_path_factory.mktemp("gradescope") / "autograder.zip"
    build_bundle(path)
    return path


def test_the_bundle_holds_the_scripts_the_hidden_suites_and_the_reference(bundle, tmp_path):
    with zipfile.ZipFile(bundle) as archive:
        names = set(archive.namelist())
        modes = {info.filename: stat.S_IMODE(info.external_attr >> 16) for info in archive.infolist()}
    assert {"setup.sh", "run_autograder", "pyproject.toml", "autograder/hidden/rubric.toml",
            "autograder/hidden/test_stage4.py", "solutions/layers.py", "datasets/digits.py"} <= names
    assert modes["run_autograder"] == modes["setup.sh"] == 0o755
    assert not any("__pycache__" in name for name in names)
    build_bundle(tmp_path / "again.zip")
    assert (tmp_path / "again.zip").read_bytes() == bundle.read_bytes()


@pytest.mark.parametrize("solved, score", [(True, 100), (False, 0)])
def test_run_autograder_grades_the_submission(bundle, tmp_path, solved_package, stub_package, solved, score):
    root = tmp_path / "autograder"
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(root / "source")
    shutil.copy2(root / "source" / "run_autograder", root / "run_autograder")
    shutil.copytree(solved_package if solved else stub_package, root / "submission" / "dlscratch")
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": sys.executable}
    completed = subprocess.run(["bash", str(root / "run_autograder")], env=env, capture_output=True, text=True,
                               timeout=300)
    assert completed.returncode == 0, completed.stderr[-3000:]
    results = json.loads((root / "results" / "results.json").read_text())
    assert (results["score"], results["max_score"], results["extra_data"]["status"]) == (score, 100, "graded")
    assert len(results["tests"]) == len(load_rubric())
