"""The rubric is the manifest: it names exactly the hidden tests, every stage has a suite with points."""
from course.paths import HIDDEN_DIR
from autograder.release.write import graded_points
from course.rubric import load_rubric
from course.stages import STAGES

from ..conftest import run_python


def collected_hidden_tests():
    result = run_python("-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
                        "-p", "course_points.plugin", "-c", HIDDEN_DIR / "pytest.ini", "--rootdir", HIDDEN_DIR,
                        HIDDEN_DIR, cwd=HIDDEN_DIR)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return {line.strip() for line in result.stdout.splitlines() if "::" in line}


def test_rubric_names_exactly_the_hidden_tests():
    assert collected_hidden_tests() == set(load_rubric())


def test_every_stage_has_a_suite_with_points():
    rubric = load_rubric()
    for stage in STAGES:
        assert (HIDDEN_DIR / f"test_{stage.name}.py").exists()
        assert sum(entry.points for entry in rubric.values() if entry.stage == stage.name) > 0


def test_points_are_quarter_points_and_an_added_stage_never_rescales_the_first_five():
    assert all((4 * entry.points).is_integer() for entry in load_rubric().values())
    # The first five stages' 100 points stay as students earned them: a stage added later brings its own.
    totals = graded_points()
    assert sum(totals[stage.name] for stage in STAGES[:5]) == 100
