"""`python -m autograder release`: the student repository fails on stubs and passes when solved."""
import json
import subprocess
import sys

import pytest

from autograder.points.stages import STAGES
from autograder.release import graded_points

pytestmark = pytest.mark.slow


def run(args, cwd):
    return subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def release(tmp_path_factory, *flags):
    dest = tmp_path_factory.mktemp("release") / "student"
    result = run(["-m", "autograder", "release", str(dest), *flags], cwd=None)
    assert result.returncode == 0, result.stderr
    return dest


def public_tests(dest, *args):
    """Run pytest in a release; -> (exit code, points report as a dict, stdout)."""
    result = run(["-m", "pytest", "-q", "-p", "no:cacheprovider", "--points-report", "points.json", *args], dest)
    return result.returncode, json.loads((dest / "points.json").read_text()), result.stdout


@pytest.fixture(scope="module")
def stub_release(tmp_path_factory):
    return release(tmp_path_factory)


@pytest.fixture(scope="module")
def solved_release(tmp_path_factory):
    return release(tmp_path_factory, "--solved")


def test_public_tests_fail_on_every_stub(stub_release):
    code, report, stdout = public_tests(stub_release)
    assert code == 1
    assert report["score"] == 0 and report["max_score"] > 0
    assert set(report["extra_data"]["stages"]) == {stage.name for stage in STAGES}
    assert all(test["status"] == "failed" for test in report["tests"])
    assert "NotImplementedError" in stdout and "points per stage" in stdout


def test_public_tests_pass_on_the_solved_release(solved_release):
    code, report, stdout = public_tests(solved_release)
    assert code == 0, stdout[-3000:]
    assert report["score"] == report["max_score"] > 0
    for total in report["extra_data"]["stages"].values():
        assert total["passed"] == total["total"] > 0


def test_one_stage_runs_alone_by_marker(solved_release):
    code, report, _ = public_tests(solved_release, "-m", "stage3")
    assert code == 0
    assert set(report["extra_data"]["stages"]) == {"stage3"}


def test_student_readme_lists_every_stage_with_points(stub_release):
    readme = (stub_release / "README.md").read_text()
    for stage in STAGES:
        assert f"| `{stage.name}` | {stage.title} |" in readme
    assert "{{" not in readme


def test_student_readme_gives_each_stage_s_share_of_the_grade(stub_release):
    rows = [line for line in (stub_release / "README.md").read_text().splitlines() if line.startswith("| `stage")]
    shares = [float(row.split("|")[-2]) for row in rows]
    assert shares == [graded_points()[stage.name] for stage in STAGES]
    assert all(share > 0 for share in shares)


def test_release_ships_no_solution_and_no_instructor_files(stub_release):
    shipped = [path for path in stub_release.rglob("*") if path.is_file()]
    assert not any("BEGIN SOLUTION" in path.read_text(errors="ignore") for path in shipped)
    names = {path.name for path in shipped}
    assert "make_sample_weights.py" not in names and not any(name.startswith("test_stage") for name in names)
    assert not (stub_release / "solutions").exists() and not (stub_release / "autograder").exists()


def test_release_refuses_a_non_empty_destination(stub_release):
    result = run(["-m", "autograder", "release", str(stub_release)], cwd=None)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "not empty" in result.stderr
