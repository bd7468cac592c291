"""Fixtures for grading submissions end to end: solved and stub submissions, and variants of them."""
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from course.rubric import load_rubric
from course.student_package import write_student_package
from autograder.sandbox.isolation import parse_tiers, probe

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



@pytest.fixture(scope="session")
def solved_package(tmp_path_factory):
    """A dlscratch/ package with the reference bodies (the --solved release's package)."""
    package = tmp_path_factory.mktemp("solved") / "dlscratch"
    write_student_package(package, solved=True)
    return package


@pytest.fixture(scope="session")
def stub_package(tmp_path_factory):
    package = tmp_path_factory.mktemp("stubs") / "dlscratch"
    write_student_package(package, solved=False)
    return package


# Functions right in value that loop over rows: what the vectorisation tests must catch (the
# vectorisation benchmarks time the same code).
LOOP_SOFTMAX = """
def softmax(x):
    x = np.asarray(x, dtype=np.float64)
    rows = x.reshape(-1, x.shape[-1])
    out = np.empty_like(rows)
    for i in range(len(rows)):
        e = np.exp(rows[i] - rows[i].max())
        out[i] = e / e.sum()
    return out.reshape(x.shape)
"""
LOOP_CROSS_ENTROPY = """
def cross_entropy_error(y, t):
    y = np.asarray(y, dtype=np.float64).reshape(-1, np.shape(y)[-1])
    t = np.asarray(t)
    t = t.reshape(len(y), -1).argmax(axis=1) if t.size == y.size else t.reshape(-1)
    total = 0.0
    for i in range(len(y)):
        total -= np.log(y[i, t[i]] + 1e-7)
    return float(total / len(y))
"""
# Builds each row of SoftmaxWithLoss's gradient in a Python loop: 2.6 us a row.
SOFTMAX_WITH_LOSS_ROW_LOOP = """
def _row_loop_backward(self, dout=1):
    y = self.y.reshape(-1, self.y.shape[-1])
    t = np.asarray(self.t)
    labels = t.reshape(len(y), -1).argmax(axis=1) if t.size == y.size else t.reshape(-1)
    dx = np.empty_like(y)
    for i in range(len(y)):
        one_hot = np.zeros(y.shape[1])
        one_hot[labels[i]] = 1
        dx[i] = (y[i] - one_hot) / len(y)
    return (dout * dx).reshape(self.y.shape)
SoftmaxWithLoss.backward = _row_loop_backward
"""
AFFINE_FORWARD_ROW_LOOP = """
def _row_loop_forward(self, x):
    self.original_x_shape = x.shape
    self.x = x.reshape(x.shape[0], -1)
    out = np.empty((self.x.shape[0], self.W.shape[1]))
    for i in range(self.x.shape[0]):
        out[i] = np.dot(self.x[i], self.W) + self.b
    return out
Affine.forward = _row_loop_forward
"""

# Softmax over the batch axis: right on a single sample, wrong on every batch (and stage 4 calls it).
SOFTMAX_OVER_AXIS_0 = """
def softmax(x):
    e = np.exp(x - np.max(x))
    return e / np.sum(e, axis=0, keepdims=True)
"""


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
    return subprocess.run(grade_command(*args),
                          capture_output=True, text=True, timeout=300)


def _grade_args(submission, stages, extra):
    args = grade_command(submission, "--format", "json", *extra)
    for stage in stages:
        args += ["--stage", stage]
    return args


def grade(submission, *stages, extra=()):
    """Run `python -m autograder grade` on a submission; -> results.json as a dict (exit code 0 asserted)."""
    result = subprocess.run(_grade_args(submission, stages, extra), capture_output=True, text=True, timeout=300)
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


def scores_by_test(report):
    """{test name without its file: score} of every test in a results.json dict."""
    return {test["name"].split("::")[1]: test["score"] for test in report["tests"]}
