"""A grade in Chinese (`--lang zh`): the same points and verdicts as in English, Chinese in the text table,
the markdown and the Gradescope JSON (UTF-8, no escapes left, round-tripping through json), the language
recorded in the report and in grade-all's reuse key."""
import json
import re

import pytest

from tests.batch.conftest import grade_all, result

from .conftest import _submission_maker, grade, run_grade, verdicts
from .pinned_scores import SEED, SUBMISSIONS

pytestmark = pytest.mark.slow

STAGE = "stage2"
# Two of the pinned submissions: carried-forward credit, likely causes, NaN diagnoses and timing tests.
COMPARED = ("wrong-axis softmax, MaxGate always to x, rebinding SGD",
            "softmax without the maximum, cross-entropy without its guard")
# The stage 2 softmax of the three cases a Chinese grade is read in.
SOFTMAXES = {
    "stub": "def softmax(x):\n    raise NotImplementedError('Stage 2: softmax')\n",
    "wrong-axis": "def softmax(x):\n    e = np.exp(x - np.max(x))\n    return e / np.sum(e, axis=0, keepdims=True)\n",
    "raising": "def softmax(x):\n    raise ValueError('the student gave up')\n",
}
# What each case's feedback says in Chinese, in the grader's own words: {student: {test name: phrase}}.
PHRASES = {
    "stub": {"test_softmax_three_dimensional": "尚未实现"},
    "wrong-axis": {"test_softmax_batch[4x3]": "softmax 作用于形状为 (4, 3) 的批处理",
                   "test_network_on_a_sample_and_a_batch[predict]": "错误沿用自你的 softmax：保留本测试 75% 的分数"},
    "raising": {"test_softmax_three_dimensional": "你的代码抛出了 ValueError"},
}
ISOLATION = "隔离："


@pytest.mark.parametrize("name", COMPARED)
def test_points_and_verdicts_are_the_same_in_both_languages(tmp_path, solved_package, name):
    base, append = SUBMISSIONS[name]
    assert base == "solved"
    submission = _submission_maker(tmp_path, solved_package)(append=append)
    english, chinese = (grade(submission, extra=("--seed", str(SEED), "--lang", language)) for language in ("en", "zh"))
    assert verdicts(chinese) == verdicts(english)
    assert (english["extra_data"]["grader"]["language"], chinese["extra_data"]["grader"]["language"]) == ("en", "zh")
    assert chinese["output"] != english["output"]
    # A hidden test names the same function in both (course_feedback.failure: the call's leading name).
    hidden = [test["name"] for test in english["tests"] if "(hidden test" in test["output"]]
    assert all(_function(chinese, name) == _function(english, name) is not None for name in hidden)


def _function(report, test_id):
    """The name a test's feedback starts with ("softmax" in "softmax: wrong values ..."), or None."""
    output = next(test["output"] for test in report["tests"] if test["name"] == test_id)
    named = re.match(r"[A-Za-z_][\w.]*", output, re.ASCII)
    return named.group() if named else None


def _output(report, name):
    return next(test["output"] for test in report["tests"] if test["name"] == f"test_{STAGE}.py::{name}")


def test_a_chinese_grade_reads_in_chinese_and_a_grade_in_another_language_is_not_reused(tmp_path, solved_package):
    make = _submission_maker(tmp_path / "submissions", solved_package)
    for student, softmax in SOFTMAXES.items():
        make(append={"activations": softmax}, name=student)
    output = tmp_path / "out"
    completed = grade_all(tmp_path / "submissions", "--output", output, "--stage", STAGE, "--jobs", "2", "--lang", "zh")
    assert completed.returncode == 0, completed.stderr[-2000:]
    for student, phrases in PHRASES.items():
        stored = (output / "results" / f"{student}.json").read_bytes().decode("utf-8")
        report = json.loads(stored)
        assert json.loads(json.dumps(report, ensure_ascii=False)) == report
        assert report["extra_data"]["grader"]["language"] == report["batch"]["key"]["language"] == "zh"
        assert ISOLATION in report["output"]
        markdown = (output / "feedback" / f"{student}.md").read_bytes().decode("utf-8")
        assert "\\u" not in markdown and ISOLATION in markdown
        for name, phrase in phrases.items():
            assert phrase in _output(report, name)
            assert phrase in markdown
    text = run_grade(tmp_path / "submissions" / "wrong-axis", "--stage", STAGE, "--lang", "zh", "--format", "text")
    assert text.returncode == 0, text.stderr[-2000:]
    assert PHRASES["wrong-axis"]["test_softmax_batch[4x3]"] in text.stdout and ISOLATION in text.stdout
    # The same class in English: every result graded again, none reused from the Chinese run.
    again = grade_all(tmp_path / "submissions", "--output", output, "--stage", STAGE, "--jobs", "2", "--lang", "en")
    assert again.returncode == 0 and again.stdout.startswith(f"{len(SOFTMAXES)} graded"), again.stdout
    english = result(output, "wrong-axis")
    assert english["extra_data"]["grader"]["language"] == "en"
    assert "softmax on a (4, 3) batch" in _output(english, "test_softmax_batch[4x3]")
    assert ISOLATION not in (output / "feedback" / "wrong-axis.md").read_text(encoding="utf-8")
