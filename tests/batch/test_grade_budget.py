"""A submission slow everywhere gets its score, never a grader-error: every call finishing just under the
per-call deadline spends the grade's own budget, after which the remaining calls fail at once as the
student's, and the batch cap is derived from that budget so no submission can reach it."""
import argparse
import json
import time
from dataclasses import replace

import pytest

from autograder.batch import cores
from autograder.commands import grade_all as grade_all_command
from autograder.commands.grade_all import grade_cap
from autograder.grading.options import GradeOptions
from autograder.grading.errors import WorkerFailure
from autograder.grading.session import GradeClock, Settings, StageSession
from course.stages import STAGES
from tests.grader.conftest import _submission_maker

from .conftest import grade_all, result

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


@pytest.mark.slow
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
    options = GradeOptions(stage=("stage1",))
    own, call = 30.0, STAGES[0].call_timeout
    assert grade_cap(options, own, jobs=1) == Settings.grade_budget + call + own
    assert grade_cap(replace(options, grade_budget=1000.0, timeout=7.0), own, jobs=1) == 1000.0 + 7.0 + own


def test_jobs_and_the_cap_follow_the_cores_this_process_may_run_on(monkeypatch):
    # One core of the machine's granted (a container's CPU set, taskset): one job by default, and two jobs
    # on it get twice the grader's own time.
    monkeypatch.setattr(cores.os, "sched_getaffinity", lambda pid: {3}, raising=False)
    monkeypatch.setattr(cores, "cpu_quota", lambda: None)
    parser = argparse.ArgumentParser()
    grade_all_command.add_arguments(parser)
    assert parser.parse_args(["class", "--output", "out"]).jobs == 1
    options, own = GradeOptions(stage=("stage1",)), 30.0
    assert grade_cap(options, own, jobs=2) == Settings.grade_budget + STAGES[0].call_timeout + 2 * own


def _cgroup(root, files, own="0::/course/grader"):
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    (root / "self_cgroup").write_text(own + "\n")
    return {"root": root, "proc_cgroup": root / "self_cgroup"}


def test_a_cgroup_cpu_quota_caps_the_cores(tmp_path, monkeypatch):
    # `docker run --cpus 1.5` on a machine of many cores: two jobs, not one per core of the host.
    v2 = _cgroup(tmp_path / "v2", {"cpu.max": "max 100000", "course/cpu.max": "150000 100000",
                                   "course/grader/cpu.max": "max 100000"})
    v1 = _cgroup(tmp_path / "v1", {"cpu/cpu.cfs_quota_us": "300000", "cpu/cpu.cfs_period_us": "100000"}, "0::/")
    unlimited = _cgroup(tmp_path / "none", {"cpu/cpu.cfs_quota_us": "-1", "cpu/cpu.cfs_period_us": "100000",
                                            "cpu.max": "max 100000"})
    assert (cores.cpu_quota(**v2), cores.cpu_quota(**v1), cores.cpu_quota(**unlimited)) == (1.5, 3.0, None)
    monkeypatch.setattr(cores.os, "sched_getaffinity", lambda pid: set(range(64)), raising=False)
    monkeypatch.setattr(cores, "cpu_quota", lambda: 1.5)
    assert cores.available_cores() == 2
    monkeypatch.setattr(cores, "cpu_quota", lambda: None)
    assert cores.available_cores() == 64


@pytest.mark.slow
def test_a_grade_past_the_derived_cap_is_a_grader_error(tmp_path, solved_package, manifest_file):
    # Only a grader fault reaches the cap; one is simulated with a cap below the grader's own work.
    _submission_maker(tmp_path / "class", solved_package)(name="good")
    completed = grade_all(tmp_path / "class", "--output", tmp_path / "out", "--stage", "stage1", "--grader-seconds",
                          0.01, "--grade-budget", 0.01, "--timeout", 0.01, "--manifest", manifest_file, "--jobs", 1)
    assert completed.returncode == 3 and "grader errors (run again)" in completed.stdout
    stored = result(tmp_path / "out", "good")
    assert stored["extra_data"]["status"] == "grader-error" and stored["score"] == 0
    assert "the grade did not finish within 0.03 s" in json.dumps(stored)


class FakeWorker:
    """A worker whose (re)start takes `start` seconds: generation 0 and a process means the grade's first start."""

    def __init__(self, start, generation, process):
        self.start, self.generation, self.process, self.module_problems = start, generation, process, {}
        self.stand_ins, self.stood_in = {}, None

    def ensure_ready(self):
        time.sleep(self.start)


def _session(worker, clock, budget):
    """A stage session on `worker` whose every exchange answers at once."""
    session = StageSession("stage1", worker, Settings(isolation=None, grade_budget=budget), clock)
    session._exchange = lambda *args: ({"value": None}, [])
    return session


def test_restarts_student_code_caused_count_against_the_grade_and_the_first_start_does_not():
    clock = GradeClock()
    _session(FakeWorker(0.05, generation=1, process=object()), clock, 10.0).request({}, [], "AND", "gates")
    first = clock.spent
    _session(FakeWorker(0.05, generation=1, process=None), clock, 10.0).request({}, [], "AND", "gates")
    assert first < 0.05 <= clock.spent - first


def test_past_the_grade_budget_every_call_fails_at_once_in_every_stage():
    clock = GradeClock(spent=2.0)
    session = _session(FakeWorker(0.0, generation=1, process=object()), clock, 1.5)
    with pytest.raises(WorkerFailure, match=r"the grade's time budget of 1.5 s is used up \(earlier calls were too "
                                            r"slow\); OR not called"):
        session.request({}, [], "OR", "gates")
