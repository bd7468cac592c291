"""A git entry as of a deadline: the last commit before it is graded, later commits are recorded, the
student's hooks never run; a folder that is not a repository is graded as it is and says so."""
import shutil

import pytest

from autograder.grading.submission import MAX_SUBMISSION_BYTES, MAX_SUBMISSION_FILES
from tests.grader.conftest import stage_max

from .conftest import git, grade_all, read_csv, result

# A repository with only the gates done scores stage 1's points, as the CSVs write them.
STAGE1 = f"{stage_max('stage1'):g}"

pytestmark = pytest.mark.slow
DEADLINE = "2026-03-01T12:00:00+00:00"


@pytest.fixture(scope="module")
def deadline_class(tmp_path_factory, stub_package, solved_package):
    """alice: stubs committed before the deadline, solved gates committed after it, with a hook that would
    leave a mark; bob: a plain folder with solved gates."""
    root = tmp_path_factory.mktemp("deadline") / "submissions"
    alice = root / "alice"
    (alice / "dlscratch").mkdir(parents=True)
    for path in stub_package.iterdir():
        (alice / "dlscratch" / path.name).write_bytes(path.read_bytes())
    git(alice, "init", "-q")
    hook = alice / ".git" / "hooks" / "post-checkout"
    hook.write_text(f"#!/bin/sh\ntouch {root.parent / 'hook-ran'}\n")
    hook.chmod(0o755)
    git(alice, "add", "-A")
    git(alice, "commit", "-qm", "stubs", date="2026-02-20T10:00:00+00:00")
    before = git(alice, "rev-parse", "HEAD")
    (alice / "dlscratch" / "gates.py").write_bytes((solved_package / "gates.py").read_bytes())
    git(alice, "commit", "-qam", "gates, too late", date="2026-03-02T10:00:00+00:00")
    (root / "bob" / "dlscratch").mkdir(parents=True)
    for path in solved_package.iterdir():
        (root / "bob" / "dlscratch" / path.name).write_bytes(path.read_bytes())
    return root, before


def test_the_last_commit_before_the_deadline_is_graded(deadline_class, manifest_file, tmp_path):
    root, before = deadline_class
    completed = grade_all(root, "--output", tmp_path / "out", "--deadline", DEADLINE, "--stage", "stage1",
                          "--manifest", manifest_file)
    assert completed.returncode == 0, completed.stderr[-3000:]
    rows = {row["student"]: row for row in read_csv(tmp_path / "out" / "grades.csv")}
    assert (rows["alice"]["stage1"], rows["alice"]["commit"], rows["alice"]["later_commits"]) == ("0", before, "yes")
    assert rows["bob"]["stage1"] == STAGE1 and rows["bob"]["commit"] == ""
    assert "not a git repository" in result(tmp_path / "out", "bob")["batch"]["source"]
    assert result(tmp_path / "out", "alice")["batch"]["deadline_source"] == "committer-date (student-controlled)"
    assert ("- commit chosen by its committer date, which the student writes: alice (grade with --deadline-snapshot "
            "for a deadline students cannot move)") in (tmp_path / "out" / "summary.md").read_text()
    assert not (root.parent / "hook-ran").exists()
    assert git(root / "alice", "status", "--porcelain") == ""  # the entry itself is untouched


def test_a_roster_extension_moves_the_deadline(deadline_class, manifest_file, tmp_path):
    root, _ = deadline_class
    roster = tmp_path / "roster.csv"
    roster.write_text("github,lms_id,name,deadline\nalice,A-17,Alice Liddell,2026-03-03T00:00:00Z\n")
    completed = grade_all(root, "--output", tmp_path / "out", "--deadline", DEADLINE, "--stage", "stage1",
                          "--roster", roster, "--manifest", manifest_file)
    assert completed.returncode == 0, completed.stderr[-3000:]
    rows = {row["student"]: row for row in read_csv(tmp_path / "out" / "grades.csv")}
    assert (rows["alice"]["stage1"], rows["alice"]["later_commits"]) == (STAGE1, "no")
    lms = {row["SIS Login ID"]: row for row in read_csv(tmp_path / "out" / "lms_grades.csv")[1:]}
    assert (lms["alice"]["Student"], lms["alice"]["SIS User ID"], lms["alice"]["dlscratch"]) == ("Alice Liddell", "A-17", STAGE1)
    assert "not in the roster (no LMS id): bob" in (tmp_path / "out" / "summary.md").read_text()


def test_a_commit_over_the_size_limit_scores_zero_with_the_reason(solved_package, manifest_file, tmp_path):
    # Solved gates beside a file one byte over what a .zip may unpack to: git archive stops at its header,
    # so the grader's disk never holds it; the student gets 0 and the reason, not a grader-error.
    carol = tmp_path / "class" / "carol"
    shutil.copytree(solved_package, carol / "dlscratch")
    with open(carol / "weights.bin", "wb") as big:
        big.truncate(MAX_SUBMISSION_BYTES + 1)
    git(carol, "init", "-q")
    git(carol, "add", "-A")
    git(carol, "commit", "-qm", "all", date="2026-02-20T10:00:00+00:00")
    completed = grade_all(carol.parent, "--output", tmp_path / "out", "--deadline", DEADLINE, "--stage", "stage1",
                          "--manifest", manifest_file)
    assert completed.returncode == 0, completed.stderr[-3000:]
    row = read_csv(tmp_path / "out" / "grades.csv")[0]
    assert (row["stage1"], row["status"], row["commit"]) == ("0", "graded", git(carol, "rev-parse", "HEAD"))
    outputs = {test["output"] for test in result(tmp_path / "out", "carol")["tests"]}
    assert outputs == {f"commit {row['commit'][:12]} holds more than {MAX_SUBMISSION_FILES} files or "
                       f"{MAX_SUBMISSION_BYTES >> 20} MiB; remove large files from the repository"}


def test_a_deadline_snapshot_grades_the_commit_the_remote_held(deadline_class, manifest_file, tmp_path):
    # The push record says the solved gates arrived before the deadline, whatever their committer date says.
    root, before = deadline_class
    head = git(root / "alice", "rev-parse", "HEAD")
    snapshot = tmp_path / "deadline-snapshot.csv"
    snapshot.write_text(f"student,sha,recorded_at\nalice,{head},2026-03-01T11:59:00+00:00 (GitHub push record)\n")
    completed = grade_all(root, "--output", tmp_path / "out", "--deadline", DEADLINE, "--deadline-snapshot", snapshot,
                          "--stage", "stage1", "--manifest", manifest_file)
    assert completed.returncode == 0, completed.stderr[-3000:]
    rows = {row["student"]: row for row in read_csv(tmp_path / "out" / "grades.csv")}
    assert (rows["alice"]["stage1"], rows["alice"]["commit"], rows["alice"]["later_commits"]) == (STAGE1, head, "no")
    batch = result(tmp_path / "out", "alice")["batch"]
    assert batch["deadline_source"] == "push record (deadline snapshot)" and batch["key"]["snapshot_sha"] == head
    assert result(tmp_path / "out", "bob")["batch"]["deadline_source"] is None  # not a repository: as it is
