"""The rubric is the manifest: it names exactly the hidden tests, every stage has a suite with points."""
from course.paths import HIDDEN_DIR
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


def test_the_grade_is_out_of_100_in_quarter_points():
    points = [entry.points for entry in load_rubric().values()]
    assert sum(points) == 100
    assert all((4 * value).is_integer() for value in points)
