"""Resuming, sharding and reuse: a SIGKILLed run completes on rerun, shards merge into one run's gradebook,
results from the same grader are kept unless --regrade, grader-errors are always graded again."""
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from .conftest import grade_all, merge, result, without_duration

pytestmark = pytest.mark.slow
@pytest.fixture(scope="module")
def STAGE1(manifest_file):
    """Options of the runs here: stage 1 only (fast), and a manifest built once."""
    return ("--stage", "stage1", "--manifest", manifest_file)


@pytest.fixture(scope="module")
def stage1_run(class_folder, tmp_path_factory, STAGE1):
    output = tmp_path_factory.mktemp("stage1") / "out"
    completed = grade_all(class_folder, "--output", output, "--jobs", 2, *STAGE1)
    assert completed.returncode == 0, completed.stderr[-3000:]
    return output


def test_a_sigkilled_run_completes_on_rerun_with_the_same_grades(class_folder, stage1_run, tmp_path, STAGE1):
    output = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "autograder", "grade-all", str(class_folder), "--output",
                                str(output), "--jobs", "1", *map(str, STAGE1)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        while len(list((output / "results").glob("*.json"))) < 3 and process.poll() is None:
            time.sleep(0.05)
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    done = {path.name: path.read_bytes() for path in (output / "results").glob("*.json")}
    assert 3 <= len(done) < 8 and not (output / "grades.csv").exists()
    for text in done.values():
        assert json.loads(text)["extra_data"]["status"] == "graded"
    rerun = grade_all(class_folder, "--output", output, "--jobs", 2, *STAGE1)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert rerun.stdout.startswith(f"{8 - len(done)} graded, 8 results")
    assert {name: (output / "results" / name).read_bytes() for name in done} == done  # kept as they were
    assert without_duration(output / "grades.csv") == without_duration(stage1_run / "grades.csv")


def test_two_shards_merged_equal_one_run(class_folder, stage1_run, tmp_path, STAGE1):
    shards = [tmp_path / "shard1", tmp_path / "shard2"]
    for number, shard in enumerate(shards, start=1):
        completed = grade_all(class_folder, "--output", shard, "--jobs", 1, "--shard", f"{number}/2", *STAGE1)
        assert completed.returncode == 0, completed.stderr[-3000:]
    sizes = [len(list((shard / "results").glob("*.json"))) for shard in shards]
    assert sum(sizes) == 8 and 0 not in sizes
    merged = merge(*shards, "--output", tmp_path / "merged")
    assert merged.returncode == 0, merged.stderr
    assert without_duration(tmp_path / "merged" / "grades.csv") == without_duration(stage1_run / "grades.csv")
    # The gradebook grade-all writes from the same results is the merged one, byte for byte.
    shutil.copytree(tmp_path / "merged" / "results", tmp_path / "one" / "results")
    rerun = grade_all(class_folder, "--output", tmp_path / "one", *STAGE1)
    assert rerun.stdout.startswith("0 graded")
    for name in ("grades.csv", "summary.md", "integrity.md", "lms_grades.csv", "nbgrader_grades.csv",
                 "report/index.html"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "merged" / name).read_bytes(), name


def test_merge_refuses_a_student_in_two_shards(stage1_run, tmp_path):
    completed = merge(stage1_run, stage1_run.parent, "--output", tmp_path / "merged")
    assert completed.returncode == 2 and completed.stderr.count("\n") == 1


def test_results_are_kept_unless_regrade_and_grader_errors_are_redone(class_folder, stage1_run, tmp_path, STAGE1):
    output = tmp_path / "out"
    shutil.copytree(stage1_run, output)
    broken = result(output, "broken")
    broken["tests"][0]["status"] = "grader-error"  # as a grade the grader failed on stores it
    (output / "results" / "broken.json").write_text(json.dumps(broken))
    before = {path.name: path.stat().st_mtime_ns for path in (output / "results").glob("*.json")}
    rerun = grade_all(class_folder, "--output", output, *STAGE1)
    assert rerun.stdout.startswith("1 graded, 8 results"), rerun.stdout
    after = {path.name: path.stat().st_mtime_ns for path in (output / "results").glob("*.json")}
    assert {name for name in before if before[name] != after[name]} == {"broken.json"}
    assert result(output, "broken")["extra_data"]["status"] == "graded"
    # Other stages are another grading: nothing stored is reused for them.
    assert grade_all(class_folder, "--output", output, *STAGE1[2:], "--stage", "stage5").stdout.startswith("8 graded")
    regrade = grade_all(class_folder, "--output", output, "--regrade", *STAGE1)
    assert regrade.stdout.startswith("8 graded"), regrade.stdout
    assert without_duration(output / "grades.csv") == without_duration(stage1_run / "grades.csv")


def test_the_grader_identity_covers_the_compiled_catalogues():
    # A corrected translation is new feedback: results graded before it are not reused.
    from autograder.identity import GRADER_CODE
    from autograder.release.catalogue import mo_path, translated_languages
    from course.paths import REPO_ROOT
    covered = {path for pattern in GRADER_CODE for path in REPO_ROOT.glob(pattern)}
    assert {mo_path(language) for language in translated_languages()} <= covered
