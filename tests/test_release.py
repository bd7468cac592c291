"""`python -m autograder release`: the student repository fails on stubs and passes when solved, its public
tests run under a timeout, and a new release never overwrites a student's work (--force, --backup, --update)."""
import hashlib
import json
import os
import shutil
import sys

import pytest

from course.paths import REPO_ROOT
from autograder.release.manifest import MANIFEST_NAME, read_manifest
from course.stages import STAGES
from autograder.release.write import graded_points
from course.toml_compat import tomllib

from .conftest import ci_pythons, course_venv, public_tests, run_python
from .files import tree_hashes

pytestmark = pytest.mark.slow


def test_public_tests_fail_on_every_stub(stub_release):
    code, report, stdout = public_tests(stub_release)
    assert code == 1
    assert report["score"] == 0 and report["max_score"] > 0
    assert set(report["extra_data"]["stages"]) == {stage.name for stage in STAGES}
    assert all(test["status"] == "failed" for test in report["tests"])
    assert "AND is not implemented yet" in stdout and "points per stage" in stdout


@pytest.mark.parametrize("version", [None, *ci_pythons()], ids=lambda version: version or "this-python")
def test_public_tests_pass_on_the_solved_release(solved_release, version):
    python = course_venv(version) if version else sys.executable
    code, report, stdout = public_tests(solved_release, python=python)
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


def test_student_readme_totals_the_public_points_the_workflow_reports_and_states_the_call_limit(stub_release):
    readme = (stub_release / "README.md").read_text()
    total = next(line for line in readme.splitlines() if line.startswith("| | **total** |")).split("|")
    workflow = (stub_release / ".github" / "workflows" / "classroom.yml").read_text()
    assert f"--max-score {total[-3].strip()}\n" in workflow
    assert float(total[-2]) == sum(graded_points().values())
    assert f"may take {STAGES[0].call_timeout:g} s, the limit the grader gives one call" in " ".join(readme.split())


def test_release_ships_no_solution_and_no_instructor_files(stub_release):
    shipped = [path for path in stub_release.rglob("*") if path.is_file()]
    assert not any("BEGIN SOLUTION" in path.read_text(errors="ignore") for path in shipped)
    names = {path.name for path in shipped}
    assert "make_sample_weights.py" not in names and not any(name.startswith("test_stage") for name in names)
    assert not (stub_release / "solutions").exists() and not (stub_release / "autograder").exists()


def test_release_refuses_a_non_empty_destination(stub_release):
    result = release_into(stub_release)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "not empty" in result.stderr


# What CI's macOS and Windows job lacks: POSIX-only modules, and the test extras (it installs '.[student]').
ABSENT = ("pwd", "grp", "fcntl", "resource", "termios", "pty",
          "nbformat", "jupytext", "nbgrader", "nbclient", "ipykernel", "yaml", "check_jsonschema")
WITHOUT_THEM = f"""
import sys

class Absent:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {ABSENT!r}:
            raise ImportError("no module " + name + " here")

sys.meta_path.insert(0, Absent())
from autograder.__main__ import main
sys.exit(main(sys.argv[1:]))
"""


def test_the_release_command_needs_no_posix_only_module_and_no_test_extra(tmp_path):
    result = run_python("-c", WITHOUT_THEM, "release", str(tmp_path / "student"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "student" / MANIFEST_NAME).is_file()


def test_a_release_without_the_student_extra_names_the_missing_module(tmp_path):
    # hypothesis, as if the course had been installed without its student extra.
    shadow = tmp_path / "shadow" / "hypothesis"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise ModuleNotFoundError(\"No module named 'hypothesis'\")\n")
    result = run_python("-m", "autograder", "release", tmp_path / "student",
                        env={"PYTHONPATH": os.pathsep.join([str(shadow.parent), str(REPO_ROOT)])})
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "no module named 'hypothesis'" in result.stderr and ".[student]" in result.stderr


def test_the_manifest_lists_no_cache_of_the_release_run(stub_release):
    caches = (".hypothesis/", ".pytest_cache/", "__pycache__/", ".points.json")
    assert not [path for path in read_manifest(stub_release) if any(cache in path for cache in caches)]


def test_student_pyproject_agrees_with_the_stage_table_and_the_course(stub_release):
    student = tomllib.loads((stub_release / "pyproject.toml").read_text())
    course = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    assert student["tool"]["pytest"]["ini_options"]["testpaths"] == [stage.folder for stage in STAGES]
    assert student["project"]["requires-python"] == course["requires-python"] == ">=3.10"
    assert student["project"]["dependencies"] == course["optional-dependencies"]["student"]
    assert any(dependency.startswith("pytest-timeout") for dependency in student["project"]["dependencies"])
    assert student["tool"]["pytest"]["ini_options"]["timeout"] == 60


def test_a_public_test_that_hangs_fails_with_a_timeout_and_the_others_still_report(solved_release, tmp_path):
    copy = shutil.copytree(solved_release, tmp_path / "student")
    with (copy / "dlscratch" / "gradients.py").open("a") as module:
        module.write("\n\nimport time\n_numerical_diff = numerical_diff\n\n\n"
                     "def numerical_diff(f, x):\n    time.sleep(30)\n    return _numerical_diff(f, x)\n")
    code, report, stdout = public_tests(copy, "-o", "timeout=2")
    assert code == 1 and "Failed: Timeout (>2.0s) from pytest-timeout" in stdout
    failed = {test["name"] for test in report["tests"] if test["status"] != "passed"}
    assert failed and all("numerical_diff" in name for name in failed)
    assert len(report["tests"]) - len(failed) > 0 and "points per stage" in stdout


def release_into(dest, *flags):
    """`python -m autograder release DEST FLAGS...` -> the CompletedProcess."""
    return run_python("-m", "autograder", "release", dest, *flags)


def fresh_release(tmp_path_factory):
    """A new student repository written by the release command, for a test to change."""
    dest = tmp_path_factory.mktemp("release") / "student"
    result = release_into(dest)
    assert result.returncode == 0, result.stderr
    return dest


def edit_as_a_student(dest):
    """Implement a function, touch a notebook and add a file of one's own."""
    with (dest / "dlscratch" / "layers.py").open("a") as module:
        module.write("\n\ndef my_helper(x):\n    return 2 * x\n")
    notebook = next((dest / "notebooks").glob("*.ipynb"))
    notebook.write_text(notebook.read_text().replace('"cells": [', '"cells": [ ', 1))
    (dest / "my_notes.md").write_text("notes\n")
    return notebook.relative_to(dest).as_posix()


def test_force_over_a_modified_copy_changes_none_of_the_students_files(tmp_path_factory):
    dest = fresh_release(tmp_path_factory)
    notebook = edit_as_a_student(dest)
    before = tree_hashes(dest)
    result = release_into(dest, "--force")
    assert result.returncode == 2 and result.stderr.strip().count("\n") == 0
    assert "2 file(s) changed since it was released" in result.stderr and "dlscratch/layers.py" in result.stderr
    assert tree_hashes(dest) == before

    result = release_into(dest, "--force", "--backup")
    assert result.returncode == 0, result.stderr
    backup = next((dest / ".release-backup").iterdir())
    assert str(backup) in result.stdout
    assert tree_hashes(backup) == {path: before[path] for path in ("dlscratch/layers.py", notebook)}
    assert "my_helper" not in (dest / "dlscratch" / "layers.py").read_text()
    assert (dest / "my_notes.md").read_text() == "notes\n"


def test_force_without_a_manifest_refuses_only_if_a_file_differs(tmp_path_factory):
    dest = fresh_release(tmp_path_factory)
    (dest / MANIFEST_NAME).unlink()
    assert release_into(dest, "--force").returncode == 0  # identical to what it would write
    (dest / MANIFEST_NAME).unlink()
    (dest / "conftest.py").write_text("# mine\n")
    before = tree_hashes(dest)
    result = release_into(dest, "--force")
    assert result.returncode == 2 and "1 file(s) changed since it was released (conftest.py)" in result.stderr
    assert tree_hashes(dest) == before


def pretend_released(dest, path, text):
    """Make DEST's manifest say the previous release wrote `text` at `path`."""
    manifest = json.loads((dest / MANIFEST_NAME).read_text())
    manifest["files"][path]["sha256"] = hashlib.sha256(text.encode()).hexdigest()
    (dest / MANIFEST_NAME).write_text(json.dumps(manifest))


def test_update_refreshes_a_fixed_public_test_and_puts_the_new_module_beside_the_students(tmp_path_factory):
    dest = fresh_release(tmp_path_factory)
    fresh = tree_hashes(dest)
    public_test = next(path for path in fresh if path.startswith("stage1_perceptron/test_"))
    (dest / public_test).write_text("def test_old():\n    assert False\n")  # as the previous release shipped it
    pretend_released(dest, public_test, "def test_old():\n    assert False\n")
    pretend_released(dest, "dlscratch/layers.py", "# an older stub\n")
    edit_as_a_student(dest)
    students = (dest / "dlscratch" / "layers.py").read_text()

    result = release_into(dest, "--update")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert f"  refreshed  {public_test}" in lines
    assert ("  kept       dlscratch/layers.py (your work); the new version is beside it: dlscratch/layers.new.py"
            in lines)
    assert tree_hashes(dest)[public_test] == fresh[public_test]
    assert (dest / "dlscratch" / "layers.py").read_text() == students
    assert tree_hashes(dest)["dlscratch/layers.new.py"] == fresh["dlscratch/layers.py"]
    assert read_manifest(dest)["dlscratch/layers.py"].sha256 == fresh["dlscratch/layers.py"]


def test_update_of_an_untouched_copy_changes_nothing(stub_release, tmp_path):
    copy = shutil.copytree(stub_release, tmp_path / "student")
    before = tree_hashes(copy)
    result = release_into(copy, "--update")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1:] == [
        f"  {len(read_manifest(copy))} other released files: nothing new for them in this release"]
    assert tree_hashes(copy) == before


def test_update_refuses_a_destination_without_a_manifest(tmp_path):
    (tmp_path / "work.py").write_text("x = 1\n")
    result = release_into(tmp_path, "--update")
    assert result.returncode == 2 and result.stderr.strip().count("\n") == 0
    assert f"has no {MANIFEST_NAME}" in result.stderr
    assert [path.name for path in tmp_path.iterdir()] == ["work.py"]
