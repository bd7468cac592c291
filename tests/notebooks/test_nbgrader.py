"""nbgrader round trip of every stage in a temporary course directory: generate, autograde, feedback."""
import nbformat
import pytest

from course.stages import STAGES
from autograder.jupyter.roundtrip import RELEASED, SOLVED

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("stage", STAGES, ids=lambda stage: stage.name)
def test_solved_gets_full_points_released_gets_none(course, stage):
    _, outcomes = course
    solved, released = outcomes[stage.name][SOLVED], outcomes[stage.name][RELEASED]
    assert solved.max_score > 0
    assert solved.score == solved.max_score
    assert released.score == 0 and released.max_score == solved.max_score


@pytest.mark.parametrize("stage", STAGES, ids=lambda stage: stage.name)
def test_feedback_html_shows_the_score(course, stage):
    _, outcomes = course
    for outcome in outcomes[stage.name].values():
        html = outcome.feedback.read_text()
        assert f"Score: {outcome.score:.1f} / {outcome.max_score:.1f})</h4>" in html


@pytest.mark.parametrize("stage", STAGES, ids=lambda stage: stage.name)
def test_hidden_tests_run_at_autograde_and_never_reach_the_release(course, stage):
    course_dir, outcomes = course
    released = (course_dir / "release" / stage.folder / f"{stage.folder}.ipynb").read_text()
    assert "HIDDEN TESTS" not in released and "from solutions" not in released
    autograded = nbformat.read(outcomes[stage.name][SOLVED].autograded, as_version=4)
    test_cells = [cell for cell in autograded.cells if cell.metadata.get("nbgrader", {}).get("grade")]
    # nbgrader puts the hidden tests back at autograde; they use the hidden suites' checks (expect_*).
    assert test_cells and all("### BEGIN HIDDEN TESTS" in cell.source and "expect_" in cell.source
                              for cell in test_cells)
    assert not any(output.get("output_type") == "error" for cell in test_cells for output in cell.outputs)


def test_the_course_directory_is_ignored_by_git():
    from course.paths import REPO_ROOT
    from autograder.jupyter.nbgrader_source import COURSE_DIR

    assert COURSE_DIR.relative_to(REPO_ROOT).parts[0] + "/" in (REPO_ROOT / ".gitignore").read_text().split()
    config = (REPO_ROOT / "nbgrader_config.py").read_text()
    assert '"build", "nbgrader"' in config and "CourseDirectory.root" in config
