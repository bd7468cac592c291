"""Fixtures and helpers for grading submissions end to end: variants of the solved and stub packages, the grade
command, and the rubric's points that expected scores are computed from."""
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from course.rubric import load_rubric
from autograder.sandbox.isolation import parse_tiers, probe

from ..conftest import run

RUBRIC = load_rubric()
# The tiers the grading tests grade under: the sandbox, unless DLSCRATCH_TEST_ISOLATION names others, to
# measure what another tier holds with the same hostile suites (autograder/README.md, "Isolation tiers").
TEST_TIERS = parse_tiers(os.environ.get("DLSCRATCH_TEST_ISOLATION", "sandbox"))
needs_isolation = pytest.mark.skipif(probe(TEST_TIERS).refused, reason=probe(TEST_TIERS).reason)


def points(stage, *names):
    """The rubric's points of `names` (test names without the file) in `stage`, summed."""
    return sum(RUBRIC[f"test_{stage}.py::{name}"].points for name in names)


def stage_max(stage):
    """The rubric's total for `stage`."""
    return sum(entry.points for entry in RUBRIC.values() if entry.stage == stage)


# The rubric's total over every stage: what a full grade scores.
COURSE_MAX = sum(entry.points for entry in RUBRIC.values())


def expected_losses(stage, lost_tests, kept=None):
    """{test id: points lost} when `lost_tests` (names without the file) of `stage` lose their rubric points
    but for kept[name] of them (a fraction: partial credit, default 0)."""
    kept = kept or {}
    return {f"test_{stage}.py::{name}": points(stage, name) * (1 - kept.get(name, 0.0)) for name in lost_tests}


def score_without(stage, lost_tests, kept=None):
    """`stage`'s rubric total less expected_losses(stage, lost_tests, kept): a rubric change moves it."""
    return stage_max(stage) - sum(expected_losses(stage, lost_tests, kept).values())


def expect_score(report, stage, score, lost_tests):
    """`stage` scored exactly `score` of its rubric total, and exactly `lost_tests` (names without the file)
    among its tests lost points."""
    assert stage_scores(report)[stage] == (pytest.approx(score), stage_max(stage))
    prefix = f"test_{stage}.py::"
    assert {name for name in lost(report) if name.startswith(prefix)} == {prefix + name for name in lost_tests}


def expect_result(report, stage, lost_tests, kept=None):
    """Exactly `lost_tests` (names without the file) of `stage` lost points, each all its rubric points but
    kept[name] of them (partial credit, default 0), and the stage scored its rubric total less those."""
    expect_score(report, stage, score_without(stage, lost_tests, kept), lost_tests)
    prefix = f"test_{stage}.py::"
    # A test's score is rounded to 6 decimals in the report.
    assert {name: value for name, value in losses(report).items() if name.startswith(prefix)} == pytest.approx(
        expected_losses(stage, lost_tests, kept), abs=1e-6)


def expect_results(report, lost_tests, kept=None):
    """expect_result for every stage the report graded: `lost_tests` and `kept` are {stage: ...}; a stage
    they leave out lost nothing."""
    for stage in stage_scores(report):
        expect_result(report, stage, (lost_tests or {}).get(stage, ()), (kept or {}).get(stage))


def output_of(report, stage, name):
    """The feedback of test `name` (without the file) of `stage` in a results.json dict."""
    return next(test["output"] for test in report["tests"] if test["name"] == f"test_{stage}.py::{name}")


def _submission_maker(root, base):
    """make(append, replace, name) -> a copy of the `base` package with code appended or modules replaced.

    Code appended to a module replaces earlier definitions of the same names (the later def wins), so
    a test can swap in one wrong or hostile function and keep everything else as it was. A value of None
    deletes the module; `replace={"layers": "full source"}` swaps a whole module.
    """
    def make(append=None, replace=None, name="submission"):
        submission = root / name
        shutil.copytree(base, submission / "dlscratch")
        for module, code in (append or {}).items():
            path = submission / "dlscratch" / f"{module}.py"
            path.write_text(path.read_text() + "\n\n" + textwrap.dedent(code))
        for module, source in (replace or {}).items():
            path = submission / "dlscratch" / f"{module}.py"
            if source is None:
                path.unlink()
            else:
                path.write_text(textwrap.dedent(source))
        return submission
    return make


@pytest.fixture
def make_submission(tmp_path, solved_package):
    """make_submission({"activations": "def softmax(x): ..."}) -> a solved submission with code appended."""
    return _submission_maker(tmp_path, solved_package)


@pytest.fixture
def make_stub_submission(tmp_path, stub_package):
    """make_stub_submission({...}) -> the stub release with code appended: a few lines on no work done."""
    return _submission_maker(tmp_path, stub_package)


def grade_command(*args):
    """The argv of `python -m autograder grade ARGS...` under the tests' isolation tiers."""
    return [sys.executable, "-m", "autograder", "grade", "--isolation", ",".join(TEST_TIERS), *map(str, args)]


def run_grade(*args):
    """`python -m autograder grade ARGS...` -> the CompletedProcess (text output captured)."""
    return run(grade_command(*args))


def _grade_args(submission, stages, extra):
    args = grade_command(submission, "--format", "json", *extra)
    for stage in stages:
        args += ["--stage", stage]
    return args


def grade(submission, *stages, extra=()):
    """Run `python -m autograder grade` on a submission; -> results.json as a dict (exit code 0 asserted)."""
    result = run(_grade_args(submission, stages, extra))
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    # Every grade draws its own inputs: a failing test's captured output says how to grade it again alike.
    print(f"graded {submission} with --seed {report['extra_data'].get('seed')}")
    return report


def grade_with_peak_memory(submission, *stages, output):
    """grade(), measuring memory: -> (results.json as a dict, the peak resident set in MiB of the grading
    process, or of the largest process it waited for: its workers). `output` is a file for the report."""
    with open(output, "w") as stdout:
        process = subprocess.Popen(_grade_args(submission, stages, ()), stdout=stdout, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    assert process.returncode == 0
    return json.loads(Path(output).read_text()), usage.ru_maxrss / 1024


def stage_scores(report):
    """{stage: (score, max_score)} from a results.json dict."""
    return {name: (total["score"], total["max_score"]) for name, total in report["extra_data"]["stages"].items()}


def lost(report):
    """{test name: output} of every test that lost points."""
    return {test["name"]: test["output"] for test in report["tests"] if test["score"] < test["max_score"]}


def losses(report):
    """{test id: points lost} of every test that lost points in a results.json dict."""
    return {test["name"]: test["max_score"] - test["score"] for test in report["tests"]
            if test["score"] < test["max_score"]}


def scores_by_test(report):
    """{test name without its file: score} of every test in a results.json dict."""
    return {test["name"].split("::")[1]: test["score"] for test in report["tests"]}


def verdicts(report):
    """{test id: (score, status)} of every test in a results.json dict: what must not depend on the language."""
    return {test["name"]: (test["score"], test["status"]) for test in report["tests"]}


def paid(report):
    """{test name without its file: score} of every test that earned anything."""
    return {name: score for name, score in scores_by_test(report).items() if score}
