"""Workflows: this repository's CI and the student's classroom.yml validate offline; the student workflow's
public-tests step, run here with fake GITHUB_* variables, reports the same points as pytest."""
import base64
import json
import os
import shlex
import shutil

import pytest
import yaml

from course.paths import REPO_ROOT
from course.student_package import student_package_files

from ..conftest import public_tests, run_python
from .helpers import classroom_points

pytestmark = pytest.mark.slow
REPORTER = "classroom-resources/autograding-grading-reporter@v1"
# Modules left as stubs in the partly solved release: stage 2's forward pass and all of stage 5.
UNSOLVED = ("neuralnet", "optimizers")


def student_workflow(release_dir):
    return yaml.safe_load((release_dir / ".github" / "workflows" / "classroom.yml").read_text())


def check_jsonschema(path):
    return run_python("-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", path, timeout=120)


@pytest.mark.parametrize("which", ["repository ci.yml", "student classroom.yml"])
def test_workflows_validate_offline(stub_release, which):
    path = (REPO_ROOT / ".github" / "workflows" / "ci.yml" if which.startswith("repository")
            else stub_release / ".github" / "workflows" / "classroom.yml")
    result = check_jsonschema(path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ci_runs_a_solved_releases_public_tests_on_macos_and_windows():
    job = yaml.safe_load((REPO_ROOT / ".github" / "workflows" / "ci.yml").read_text())["jobs"]["student-side"]
    assert job["strategy"]["matrix"]["os"] == ["macos-latest", "windows-latest"]
    assert job["runs-on"] == "${{ matrix.os }}"
    python = next(step for step in job["steps"] if step.get("uses", "").startswith("actions/setup-python"))
    assert python["with"]["python-version"] == "3.11"
    commands = [line.strip() for step in job["steps"] for line in step.get("run", "").splitlines()]
    assert "python -m pip install -e '.[student]'" in commands  # no sandbox, no Linux-only dependency
    release = commands.index('python -m autograder release "$RUNNER_TEMP/solved" --solved')
    assert commands.index("python -m pytest") > release


def test_the_validator_rejects_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  grade:\n    runs-on: ubuntu-latest\n    steps: run the tests\n")
    assert check_jsonschema(broken).returncode != 0


def test_classroom_job_is_what_classroom_reads_and_holds_no_secret(stub_release):
    text = (stub_release / ".github" / "workflows" / "classroom.yml").read_text()
    assert "secrets" not in text and "{{" not in text.replace("${{", "")
    job = student_workflow(stub_release)["jobs"]["run-autograding-tests"]
    assert job["permissions"] == {"checks": "write", "actions": "read", "contents": "read"}
    reporter = next(step for step in job["steps"] if step.get("uses") == REPORTER)
    runner = reporter["with"]["runners"]
    assert reporter["env"] == {f"{runner.upper()}_RESULTS": f"${{{{ steps.{runner}.outputs.result }}}}"}
    assert any(step.get("id") == runner for step in job["steps"])


@pytest.fixture(scope="module")
def partly_solved(solved_release, tmp_path_factory):
    dest = shutil.copytree(solved_release, tmp_path_factory.mktemp("partly") / "student")
    stubs = student_package_files()
    for module in UNSOLVED:
        (dest / "dlscratch" / f"{module}.py").write_text(stubs[f"{module}.py"])
    return dest


def run_public_tests_step(release_dir, tmp_path):
    """Run the workflow's public-tests step as Actions would -> (payload, job summary, stdout)."""
    job = student_workflow(release_dir)["jobs"]["run-autograding-tests"]
    reporter = next(step for step in job["steps"] if step.get("uses") == REPORTER)
    step = next(step for step in job["steps"] if step.get("id") == reporter["with"]["runners"])
    summary, output = tmp_path / "summary.md", tmp_path / "output.txt"
    fake = {"GITHUB_ACTIONS": "true", "CI": "true", "GITHUB_WORKSPACE": str(release_dir),
            "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(output),
            "GITHUB_REPOSITORY": "course/student-repo", "GITHUB_SHA": "0" * 40}
    args = shlex.split(step["run"])
    assert args[:3] == ["python", "-m", "course_points.classroom"]
    result = run_python(*args[1:], cwd=release_dir, env={**fake, "PYTHONPATH": os.pathsep.join(
        [str(release_dir), os.environ.get("PYTHONPATH", "")])})
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    key, encoded = output.read_text().strip().split("=", 1)
    assert key == "result"
    return json.loads(base64.b64decode(encoded)), summary.read_text(), result.stdout


def test_reported_points_equal_pytest_points_on_a_partly_solved_release(partly_solved, tmp_path):
    payload, summary, stdout = run_public_tests_step(partly_solved, tmp_path)
    assert "PytestAssertRewriteWarning" not in stdout
    _, report, _ = public_tests(partly_solved)
    assert 0 < report["score"] < report["max_score"]
    assert classroom_points([("public", payload)]) == f"Points {report['score']:g}/{report['max_score']:g}"
    assert payload["status"] == "fail" and payload["version"] == 1
    assert {test["name"] for test in payload["tests"]} == {test["name"] for test in report["tests"]}
    assert all(test["line_no"] > 0 and set(test) == {"name", "status", "score", "message", "line_no"}
               for test in payload["tests"])
    assert f"## Score: {report['score']:g} / {report['max_score']:g}" in summary
    assert "Adam.update is not implemented yet" in summary, "feedback of the failed tests reaches the job summary"


def test_a_module_that_does_not_import_still_counts_its_points(partly_solved, tmp_path):
    broken = shutil.copytree(partly_solved, tmp_path / "broken")
    (broken / "dlscratch" / "optimizers.py").write_text("def SGD(:\n")
    payload, summary, _ = run_public_tests_step(broken, tmp_path)
    _, full, _ = public_tests(partly_solved)
    assert payload["max_score"] == full["max_score"]
    assert classroom_points([("public", payload)]) == f"Points {full['score']:g}/{full['max_score']:g}"
    assert payload["tests"][-1]["name"] == "tests that could not be collected"
    assert "could not collect: stage5_optimizers/test_optimizers.py" in summary


def test_a_solved_release_passes(solved_release, tmp_path):
    payload, _, stdout = run_public_tests_step(solved_release, tmp_path)
    assert payload["status"] == "pass"
    assert classroom_points([("public", payload)]) == f"Points {payload['max_score']:g}/{payload['max_score']:g}"
