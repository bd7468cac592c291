"""The deadline snapshot from GitHub's push record: the commit a branch held after its last push at or before
the deadline, whatever the commits' own dates say; read back exactly as written."""
import json

import pytest

from autograder.batch.entries import parse_deadline
from autograder.batch.snapshot import main, pushes, read_snapshot, sha_at
from course.usage import UsageError

DEADLINE = parse_deadline("2026-03-01T12:00:00Z")
A, B, C = "a" * 40, "b" * 40, "c" * 40


def push(after, timestamp, ref="refs/heads/main"):
    return {"before": "0" * 40, "after": after, "ref": ref, "timestamp": timestamp, "activity_type": "push"}


def test_the_last_push_before_the_deadline_wins_on_its_branch():
    activities = [push(C, "2026-03-01T12:00:01Z"), push(B, "2026-03-01T11:59:59Z"), push(A, "2026-02-01T10:00:00Z"),
                  push(C, "2026-03-01T11:59:58Z", ref="refs/heads/other")]
    assert sha_at(activities, DEADLINE, "main") == (B, "2026-03-01T11:59:59+00:00 (GitHub push record)")
    assert sha_at(activities, parse_deadline("2026-01-01T00:00:00Z"), "main") == (
        "", "no push to main before 2026-01-01T00:00:00+00:00")
    assert sha_at([push("0" * 40, "2026-03-01T11:00:00Z")], DEADLINE, "main")[0] == ""  # the branch was deleted


def test_paginated_and_slurped_pages_read_alike():
    pages = [[push(A, "2026-02-01T10:00:00Z")], [push(B, "2026-02-02T10:00:00Z")]]
    concatenated = "".join(json.dumps(page) for page in pages)
    assert pushes(concatenated) == pushes(json.dumps(pages)) == pages[0] + pages[1]


def test_the_snapshot_command_writes_what_grade_all_reads(tmp_path):
    activity = tmp_path / "activity"
    activity.mkdir()
    (activity / "backprop-2026-alice.json").write_text(json.dumps([push(A, "2026-03-01T11:00:00Z"),
                                                                   push(B, "2026-03-02T11:00:00Z")]))
    (activity / "-bob.json").write_text("[]")
    roster = tmp_path / "roster.csv"
    roster.write_text("github,lms_id,deadline\nalice,1,2026-03-03T00:00:00Z\n")  # alice's extension
    assert main([str(activity), "--deadline", "2026-03-01T12:00:00Z", "--roster", str(roster),
                 "--output", str(tmp_path / "snapshot.csv")]) == 0
    assert read_snapshot(tmp_path / "snapshot.csv") == {
        "backprop-2026-alice": {"sha": B, "recorded_at": "2026-03-02T11:00:00+00:00 (GitHub push record)"},
        "-bob": {"sha": "", "recorded_at": "no push to main before 2026-03-01T12:00:00+00:00"}}


@pytest.mark.parametrize("text, message", [
    ("student,sha\n", "needs the columns student, sha, recorded_at"),
    ("student,sha,recorded_at\nann,HEAD~1,x\n", "'head~1' is not a full commit sha")])
def test_a_bad_snapshot_is_one_line(tmp_path, text, message):
    (tmp_path / "s.csv").write_text(text)
    with pytest.raises(UsageError, match=message):
        read_snapshot(tmp_path / "s.csv")
