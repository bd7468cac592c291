"""`python -m autograder grade`: full marks when solved, zero on stubs, every format, usage errors."""
import json

import pytest

from course.stages import STAGES

from ..conftest import run_python
from .conftest import expect_result, grade, run_grade, stage_scores
from .mistakes import XOR_EXITING

pytestmark = pytest.mark.slow


def test_reference_scores_exactly_the_maximum(solved_package):
    report = grade(solved_package.parent)
    assert report["score"] == report["max_score"] > 0
    assert set(stage_scores(report)) == {stage.name for stage in STAGES}
    assert all(test["status"] == "passed" for test in report["tests"])


def test_stubs_score_exactly_zero_and_say_not_implemented(stub_package):
    report = grade(stub_package.parent)
    assert report["score"] == 0 and report["max_score"] > 0
    for test in report["tests"]:
        assert "not implemented" in test["output"], test


def test_one_stage_and_the_text_and_markdown_formats(solved_package, tmp_path):
    text = run_grade(solved_package.parent, "--stage", "stage1")
    assert text.returncode == 0 and "stage1" in text.stdout and "stage2" not in text.stdout
    assert "isolation:" in text.stdout
    out = tmp_path / "summary.md"
    markdown = run_grade(solved_package.parent, "--stage", "stage1", "--format", "markdown", "--output", out)
    assert markdown.returncode == 0 and markdown.stdout == ""
    assert out.read_text().startswith("## Score: ")


@pytest.mark.parametrize("args, words", [
    (["/no/such/dir"], "no such file or directory"),
    ([".", "--stage", "stage9"], "unknown stage"),
    ([".", "--format", "xml"], "invalid choice"),
])
def test_usage_errors_are_one_line_and_exit_2(args, words, tmp_path):
    result = run_python("-m", "autograder", "grade", *args, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and words in result.stderr
    assert result.stdout == ""


def test_json_follows_the_gradescope_schema(solved_package):
    report = grade(solved_package.parent, "stage1")
    assert set(report) >= {"score", "max_score", "tests", "output", "extra_data"}
    for test in report["tests"]:
        assert set(test) >= {"name", "score", "max_score", "output", "visibility"}
        assert test["visibility"] in ("visible", "hidden", "after_due_date", "after_published")
    json.dumps(report)


def test_rlimits_fallback_grades_the_same_and_says_so(solved_package, make_submission):
    report = grade(solved_package.parent, "stage1", extra=["--isolation", "rlimits"])
    assert report["score"] == report["max_score"] > 0
    assert "resource limits and a process group only" in report["output"]
    crashing = make_submission(append={"gates": XOR_EXITING})
    report = grade(crashing, "stage1", extra=["--isolation", "rlimits"])
    expect_result(report, "stage1", {"test_truth_table[XOR]", "test_numpy_and_float_inputs[XOR]"})
