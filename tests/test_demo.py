"""The README's main job, `python -m autograder demo`, end to end on the bundled data."""
import pytest

from .conftest import run_python

pytestmark = pytest.mark.slow


def test_demo_trains_runs_public_tests_and_grades_full_marks(tmp_path):
    result = run_python("-m", "autograder", "demo", "--out", tmp_path / "run", timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert result.stdout.strip().splitlines()[-1] == "demo: everything passed"
    assert "test accuracy: 0.9" in result.stdout
    assert any(path.suffix == ".png" for path in (tmp_path / "run").rglob("*"))
