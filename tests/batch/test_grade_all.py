"""grade-all end to end on a class of mixed submissions: scores equal single grades, outputs, integrity."""
import pytest

from tests.grader.conftest import COURSE_MAX, stage_max

from .conftest import read_csv, result

pytestmark = pytest.mark.slow
STUDENTS = ["broken", "empty", "full", "good", "hostile", "nested", "partial", "zipped"]


def test_every_entry_has_a_result_and_feedback(class_run):
    assert sorted(path.stem for path in (class_run / "results").glob("*.json")) == STUDENTS
    assert sorted(path.stem for path in (class_run / "feedback").glob("*.md")) == STUDENTS
    assert [row["student"] for row in read_csv(class_run / "grades.csv")] == STUDENTS


def test_every_score_equals_the_single_grade(class_run, single_grades):
    rows = {row["student"]: row for row in read_csv(class_run / "grades.csv")}
    for student, single in single_grades.items():
        batch = result(class_run, student)
        assert [(t["name"], t["score"], t["status"]) for t in batch["tests"]] == \
               [(t["name"], t["score"], t["status"]) for t in single["tests"]], student
        for stage, total in single["extra_data"]["stages"].items():
            assert float(rows[student][stage]) == total["score"], (student, stage)
        assert float(rows[student]["total"]) == single["score"]
        assert rows[student]["status"] == "graded"


def test_the_class_scores_are_the_expected_ones(class_run):
    totals = {row["student"]: float(row["total"]) for row in read_csv(class_run / "grades.csv")}
    assert totals["good"] == totals["full"] == totals["nested"] == COURSE_MAX
    assert totals["empty"] == 0
    assert totals["partial"] == totals["zipped"] == stage_max("stage1")  # stage 1 only
    assert totals["hostile"] == COURSE_MAX - stage_max("stage1")  # a stage module that exits at import costs its stage only
    assert 0 < totals["broken"] < COURSE_MAX
    assert "empty" in result(class_run, "empty")["tests"][0]["output"]


def test_the_integrity_report_names_the_changed_protected_file(class_run):
    assert "conftest.py" in result(class_run, "full")["batch"]["integrity"]["changed"]
    text = (class_run / "integrity.md").read_text()
    assert "| full |" in text and "conftest.py" in text
    assert result(class_run, "good")["batch"]["integrity"]["checked"] is False  # the package alone


def test_summary_lists_the_worst_test_first_and_the_mean(class_run):
    text = (class_run / "summary.md").read_text()
    totals = [float(row["total"]) for row in read_csv(class_run / "grades.csv")]
    assert f"- mean: {sum(totals) / len(totals):.2f} / {COURSE_MAX:g}" in text
    rates = [line for line in text.splitlines() if line.startswith("| test\\_")]
    # Only "broken" (a wrong relu) fails a test that good, full, nested and hostile pass: relu's are worst.
    assert "relu" in rates[0] and rates[0].endswith("| 4/8 | 50% |")
    fractions = [int(line.split("|")[2].split("/")[0]) for line in rates]
    assert fractions == sorted(fractions)
    assert (class_run / "histogram.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_nbgrader_and_lms_csvs(class_run):
    nbgrader = read_csv(class_run / "nbgrader_grades.csv")
    assert list(nbgrader[0]) == ["assignment", "duedate", "timestamp", "student_id", "last_name", "first_name",
                                 "email", "raw_score", "late_submission_penalty", "score", "max_score"]
    assert {row["student_id"]: row["score"] for row in nbgrader}["good"] == f"{COURSE_MAX:g}"
    lms = read_csv(class_run / "lms_grades.csv")
    assert lms[0]["Student"] == "Points Possible" and lms[0]["dlscratch"] == f"{COURSE_MAX:g}"
    assert {row["SIS Login ID"]: row["dlscratch"] for row in lms[1:]}["partial"] == f"{stage_max('stage1'):g}"
