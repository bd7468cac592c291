"""The pieces of grade-all on their own: entries and shards, deadlines, the roster, the result store."""
import threading
from dataclasses import replace

import pytest
from hypothesis import given, strategies as st

from autograder.batch import gradebook, integrity, store, summary
from autograder.batch.entries import RosterRow, discover, in_shard, parse_deadline, parse_shard, roster_row
from autograder.identity import grader_identity
from course.usage import UsageError
from course_points import report
from course_points.verdict import Verdict

from .conftest import stage1_report


@given(st.lists(st.text(min_size=1, max_size=12), unique=True, max_size=30), st.integers(1, 6))
def test_shards_partition_the_class(names, count):
    owners = [[index for index in range(1, count + 1) if in_shard(name, (index, count))] for name in names]
    assert all(len(owner) == 1 for owner in owners)


def test_shard_and_deadline_parsing():
    assert parse_shard("2/3") == (2, 3)
    for bad in ("0/3", "4/3", "x/3", "3"):
        with pytest.raises(ValueError):
            parse_shard(bad)
    assert parse_deadline("2026-03-01T12:00:00Z").timestamp() == 1772366400
    with pytest.raises(ValueError, match="time zone"):
        parse_deadline("2026-03-01T12:00:00")


def test_discover_names_students_and_refuses_two_entries_for_one(tmp_path):
    (tmp_path / "bob").mkdir()
    (tmp_path / "alice.zip").write_bytes(b"")
    (tmp_path / ".DS_Store").write_bytes(b"")
    assert [(entry.student, entry.path.name) for entry in discover(tmp_path)] == [("alice", "alice.zip"), ("bob", "bob")]
    (tmp_path / "bob.zip").write_bytes(b"")
    with pytest.raises(UsageError, match="two submissions for 'bob'"):
        discover(tmp_path)


def test_roster_rows_match_classroom_repository_names():
    roster = {"ann": RosterRow("ann", "1"), "joann": RosterRow("joann", "2")}
    assert roster_row(roster, "ann").lms_id == "1"
    assert roster_row(roster, "backprop-2026-joann").lms_id == "2"
    assert roster_row(roster, "backprop-2026-ann").lms_id == "1"
    assert roster_row(roster, "anne") is None


def test_atomic_write_never_shows_a_partial_file(tmp_path):
    path = tmp_path / "results" / "x.json"
    texts = ["a" * 100_000, "b" * 100_000]
    store.atomic_write(path, texts[0])
    seen, stop = set(), threading.Event()

    def read():
        while not stop.is_set():
            seen.add(path.read_text())
    reader = threading.Thread(target=read)
    reader.start()
    for round_ in range(50):
        store.atomic_write(path, texts[round_ % 2])
    stop.set()
    reader.join()
    assert seen <= set(texts) and list(path.parent.iterdir()) == [path]


def test_a_result_is_reused_only_from_the_same_grader_and_key(tmp_path):
    key = {"stages": ["stage1"], "deadline": None}
    batch = {"key": key, "source": "graded as it is", "duration": 1.0}
    stored = store.save(tmp_path, "ann", stage1_report(10), batch)
    assert store.reusable(store.load(tmp_path, "ann"), key)
    assert not store.reusable(stored, {**key, "deadline": "2026-03-01T12:00:00+00:00"})
    assert not store.reusable(replace(stored, batch={**stored.batch, "grader": {**grader_identity(), "rubric_sha256": "0"}}),
                              key)
    failed = store.save(tmp_path, "bob", store.grader_error_report(["stage1"], "the sandbox would not start"), batch)
    assert not store.reusable(failed, key)
    assert {test.status for test in failed.report.tests} == {"grader-error"}
    (tmp_path / "results" / "cut.json").write_text('{"score": 1')
    assert store.load(tmp_path, "cut") is None and sorted(store.load_all(tmp_path)) == ["ann", "bob"]


def test_a_stored_report_loads_back_as_the_report_saved(tmp_path):
    saved = report.Report(
        tests=[Verdict("test_stage1.py::test_a", "stage1", 2.0, 0.5, "failed", "wrong values\nhint: axis", "hidden"),
               Verdict("test_stage2.py::test_b", "stage2", 1.0, 0.0, "grader-error", "the grader failed")],
        notes=["isolation: sandbox", "second note"], grader=grader_identity(), isolation={"mode": "sandbox"},
        seed=2 ** 100 + 1)
    stored = store.save(tmp_path, "ann", saved, {"key": {}, "source": "graded"})
    loaded = store.load(tmp_path, "ann")
    assert loaded == stored and loaded.report == saved and loaded.report.status == "grader-error"


def test_grades_csv_columns_and_values(tmp_path):
    store.save(tmp_path, "ann", stage1_report(10), {"key": {}, "source": "", "commit": "ab12", "later_commits": True,
                                                   "duration": 2.345})
    store.save(tmp_path, "bob", stage1_report(0), {"key": {}, "source": "", "duration": 1.0})
    assert gradebook.grades_csv(store.load_all(tmp_path)) == (
        "student,stage1,total,max_score,status,commit,later_commits,duration\n"
        "ann,10,10,10,graded,ab12,yes,2.3\n"
        "bob,0,0,10,graded,,no,1.0\n")


def test_names_a_student_controls_render_as_text_in_the_class_markdown(tmp_path):
    # Entry folder names and the paths of changed files come from students: no table cell, link or HTML.
    hostile, path = "eve|<img src=x>[a](x)", "tests/|evil_*.py"  # a folder name holds no /
    batch = {"key": {}, "source": "", "duration": 1.0, "integrity": {"checked": True, "changed": [path], "missing": []}}
    store.save(tmp_path, hostile, stage1_report(10), batch)
    results = store.load_all(tmp_path)
    for text in (summary.render(results, unmatched=[hostile]), integrity.render(results)):
        assert "<img" not in text and "[a](" not in text and "eve|" not in text
        assert r"eve\|&lt;img src=x&gt;\[a\](x)" in text
    assert r"tests/\|evil\_\*.py" in integrity.render(results)
    assert (tmp_path / "feedback" / f"{hostile}.md").read_text().startswith(r"# eve\|&lt;img src=x&gt;\[a\](x)")
