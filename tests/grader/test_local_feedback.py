"""Local feedback and the grader's say the same thing: public tests, `python -m dlscratch.check`, the job
summary, `grade`."""
import pytest

from course_feedback.code_error import too_slow_line
from course_feedback.diagnoses import SOFTMAX_AXIS_HINT, SOFTMAX_OVERFLOW_HINT
from course_points.report import escape_markdown
from course.stages import STAGE_BY_NAME
from autograder.release.write import release

from ..conftest import run_python
from .conftest import run_grade
from .mistakes import SOFTMAX_OVER_AXIS_0, SOFTMAX_THAT_RAISES

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wrong_axis_release(tmp_path_factory):
    dest = tmp_path_factory.mktemp("wrong-axis") / "repo"
    release(dest, solved=True)
    activations = dest / "dlscratch" / "activations.py"
    activations.write_text(activations.read_text() + "\n\n" + SOFTMAX_OVER_AXIS_0)
    return dest


def _line_of(output, test_name):
    return next(line for line in output.splitlines() if test_name in line)


def test_a_wrong_axis_softmax_gets_the_same_hint_locally_and_in_the_grader(wrong_axis_release):
    public = run_python("-m", "pytest", "-p", "no:cacheprovider", "stage2_neuralnet", cwd=wrong_axis_release)
    assert public.returncode == 1
    assert f"hint: {SOFTMAX_AXIS_HINT}" in public.stdout
    assert SOFTMAX_OVERFLOW_HINT not in public.stdout
    # The points table lists the lost test with its one-line reason, as the grader's text report does.
    local_line = _line_of(public.stdout, "test_softmax_batch_rows_are_independent (0/1):")
    assert local_line.endswith(f"(hint: {SOFTMAX_AXIS_HINT})")

    check = run_python("-m", "dlscratch.check", "2", cwd=wrong_axis_release)
    assert check.returncode == 1
    assert _line_of(check.stdout, "test_softmax_batch_rows_are_independent").endswith(f"(hint: {SOFTMAX_AXIS_HINT})")
    assert _line_of(check.stdout, "test_sigmoid").strip() == "ok    test_sigmoid"
    # The student README shows this very output.
    readme = (wrong_axis_release / "README.md").read_text()
    assert readme.split("python -m dlscratch.check 2` prints:\n\n```\n")[1].split("```")[0] == check.stdout

    graded = run_grade(wrong_axis_release, "--stage", "stage2")
    assert graded.returncode == 0, graded.stderr
    for test in ("test_softmax_batch[4x3]", "test_softmax_large_inputs"):
        line = _line_of(graded.stdout, f"::{test} (0/")
        assert line.endswith(f"(hint: {SOFTMAX_AXIS_HINT})"), line
    assert SOFTMAX_OVERFLOW_HINT not in graded.stdout


def test_untouched_stubs_say_one_line_per_test(tmp_path):
    release(tmp_path / "repo")
    public = run_python("-m", "pytest", "-p", "no:cacheprovider", "-q", cwd=tmp_path / "repo")
    # Every public test lost all its points, each with one line under the table; a few lines per test in all.
    tests = int(public.stdout.rstrip().splitlines()[-1].split()[0])
    lost_lines = [line for line in public.stdout.splitlines() if line.startswith("  ") and " (0/" in line]
    assert len(lost_lines) == tests and all(line.endswith(" is not implemented yet") for line in lost_lines)
    assert len(public.stdout.splitlines()) < 6 * tests, public.stdout[-3000:]
    assert "Traceback" not in public.stdout and "raise NotImplementedError" not in public.stdout

    check = run_python("-m", "dlscratch.check", cwd=tmp_path / "repo")
    assert check.returncode == 1
    fails = [line for line in check.stdout.splitlines() if line.startswith("  FAIL")]
    assert len(fails) == tests and all(line.endswith(" is not implemented yet") for line in fails)
    score, _, max_score = check.stdout.rstrip().splitlines()[-1].split()[-3:]
    assert score == "0" and float(max_score) > 0


LIMIT = STAGE_BY_NAME["stage2"].call_timeout
# {mistake: (code appended to activations.py, a public test, a hidden test, *the words every report has)}
MISTAKES = {
    "softmax that raises": (SOFTMAX_THAT_RAISES,
                            "test_softmax_batch_rows_are_independent", "test_softmax_batch[4x3]",
                            "softmax raised ValueError at activations.py:{line} in softmax: operands could not be "
                            "broadcast together with shapes"),
    "sigmoid that sleeps": ("def sigmoid(x):\n    import time\n    time.sleep(5)\n    return 1 / (1 + np.exp(-x))\n",
                            "test_sigmoid", "test_elementwise_activation[sigmoid]", too_slow_line("sigmoid", LIMIT)),
    "endless loop": ("def relu(x):\n    while True:\n        pass\n", "test_relu_and_identity",
                     "test_elementwise_activation[relu]", too_slow_line("relu", LIMIT)),
    "wrong-axis softmax": (SOFTMAX_OVER_AXIS_0, "test_softmax_batch_rows_are_independent", "test_softmax_batch[4x3]",
                           "batch: wrong values", SOFTMAX_AXIS_HINT),
}


@pytest.mark.parametrize("mistake", sorted(MISTAKES))
def test_a_mistake_reads_as_one_line_in_every_report(mistake, tmp_path):
    code, public_test, hidden_test, *words = MISTAKES[mistake]
    dest = tmp_path / "repo"
    release(dest, solved=True)
    module = dest / "dlscratch" / "activations.py"
    module.write_text(module.read_text() + "\n\n" + code)
    words = [text.format(line=len(module.read_text().splitlines())) for text in words]

    public = run_python("-m", "pytest", "-p", "no:cacheprovider", "stage2_neuralnet", cwd=dest)
    check = run_python("-m", "dlscratch.check", "2", cwd=dest)
    summary = tmp_path / "summary.md"
    run_python("-m", "course_points.classroom", "--max-score", "100", "stage2_neuralnet", cwd=dest,
               env={"GITHUB_STEP_SUMMARY": summary})
    graded = run_grade(dest, "--stage", "stage2")
    lines = {"points table": _line_of(public.stdout, f"::{public_test} (0/"),
             "check": _line_of(check.stdout, f"FAIL  {public_test}:"),
             "job summary": _line_of(summary.read_text(), f"{escape_markdown(public_test)}** (0/"),
             "grade": _line_of(graded.stdout, f"::{hidden_test} (0/")}
    for where, line in lines.items():
        assert all(text in line.replace("\\", "") for text in words), (where, line)
    for output in (public.stdout, check.stdout, summary.read_text(), graded.stdout):
        assert not [path for path in ("/_pytest/", "/pluggy/", "site-packages") if path in output]
