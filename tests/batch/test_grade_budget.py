"""A submission slow everywhere gets its score, never a grader-error: every call finishing just under the
per-call deadline spends the grade's own budget, after which the remaining calls fail at once as the
student's, and the batch cap is derived from that budget so no submission can reach it."""
import json

import pytest

from autograder.batch.grade_all import grade_cap
from autograder.grading.session import Settings
from autograder.points.stages import STAGES
from tests.grader.conftest import _submission_maker

from .conftest import grade_all, result

pytestmark = pytest.mark.slow
# Every function and method of the module sleeps, then answers right: each call is slow, none times out.
SLOW = """
import functools as _functools, inspect as _inspect, time as _time


def _slow(function):
    @_functools.wraps(function)
    def slowly(*args, **kwargs):
        _time.sleep({sleep})
        return function(*args, **kwargs)
    return slowly


for _name, _value in list(globals().items()):
    if _inspect.isfunction(_value) and _value.__module__ == __name__ and _name != "_slow":
        globals()[_name] = _slow(_value)
    elif _inspect.isclass(_value) and _value.__module__ == __name__:
        for _method, _function in list(vars(_value).items()):
            if _inspect.isfunction(_function):
                setattr(_value, _method, _slow(_function))
"""
BUDGET, TIMEOUT = 1.5, 0.6


def test_a_submission_slow_everywhere_is_graded_with_its_slow_tests_lost(tmp_path, solved_package, manifest_file):
    modules = [module for stage in STAGES[:2] for module in stage.modules]
    make = _submission_maker(tmp_path / "class", solved_package)
    make(append={module: SLOW.format(sleep=TIMEOUT / 3) for module in modules}, name="slowpoke")
    completed = grade_all(tmp_path / "class", "--output", tmp_path / "out", "--stage", "1", "--stage", "2",
                          "--grade-budget", BUDGET, "--timeout", TIMEOUT, "--function-budget", 100,
                          "--manifest", manifest_file, "--jobs", 1)
    assert completed.returncode == 0, completed.stderr[-3000:]
    graded = result(tmp_path / "out", "slowpoke")
    assert graded["extra_data"]["status"] == "graded" and 0 < graded["score"] < graded["max_score"]
    budget_spent = [test for test in graded["tests"]
                    if f"the grade's time budget of {BUDGET:g} s is used up" in test["output"]]
    assert budget_spent and all(test["score"] == 0 for test in budget_spent)


def test_the_cap_covers_the_whole_budget_and_the_graders_own_work():
    options = {"stage": ["stage1"], "timeout": None, "grade_budget": Settings.grade_budget}
    own, call = 30.0, STAGES[0].call_timeout
    assert grade_cap(options, own, jobs=1) == Settings.grade_budget + call + own
    assert grade_cap({**options, "grade_budget": 1000.0, "timeout": 7.0}, own, jobs=1) == 1000.0 + 7.0 + own


def test_a_grade_past_the_derived_cap_is_a_grader_error(tmp_path, solved_package, manifest_file):
    # Only a grader fault reaches the cap; one is simulated with a cap below the grader's own work.
    _submission_maker(tmp_path / "class", solved_package)(name="good")
    completed = grade_all(tmp_path / "class", "--output", tmp_path / "out", "--stage", "stage1", "--grader-seconds",
                          0.01, "--grade-budget", 0.01, "--timeout", 0.01, "--manifest", manifest_file, "--jobs", 1)
    assert completed.returncode == 3 and "grader errors (run again)" in completed.stdout
    stored = result(tmp_path / "out", "good")
    assert stored["extra_data"]["status"] == "grader-error" and stored["score"] == 0
    assert "the grade did not finish within 0.03 s" in json.dumps(stored)
