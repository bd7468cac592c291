"""A Chinese release end to end: its public tests, `python -m dlscratch.check` and the Classroom job summary
speak Chinese about a stub, a wrong-axis softmax and a softmax that raises, and every point and status is
the one the same release gives in English (DLSCRATCH_LANG=en)."""
import base64
import json
import shutil

import pytest

from course.names import stub_message

from .conftest import append_code, public_tests, release_in, run_python
from .grader.mistakes import SOFTMAX_OVER_AXIS_0, SOFTMAX_THAT_RAISES

pytestmark = pytest.mark.slow

ENGLISH = {"DLSCRATCH_LANG": "en"}
AXIS_HINT_ZH = "提示：softmax 对每一行分别归一化：沿最后一个轴求和（axis=-1, keepdims=True）"
# {mistake: (code appended to activations.py, the public test it fails, words in Chinese, the same in English)}
MISTAKES = {
    "stub softmax": (f'def softmax(x):\n    raise NotImplementedError("{stub_message(2, "softmax", "zh")}")\n',
                     "test_softmax_book_example", ["softmax 尚未实现"], ["softmax is not implemented yet"]),
    "wrong-axis softmax": (SOFTMAX_OVER_AXIS_0, "test_softmax_batch_rows_are_independent",
                           ["softmax 作用于形状为 (2, 3) 的批处理：数值错误", AXIS_HINT_ZH],
                           ["softmax on a (2, 3) batch: wrong values", "hint: softmax normalises each row"]),
    "softmax that raises": (SOFTMAX_THAT_RAISES, "test_softmax_batch_rows_are_independent",
                            ["softmax 在 activations.py:{line} 的 softmax 中 抛出了 ValueError：operands could not be "
                             "broadcast together"],
                            ["softmax raised ValueError at activations.py:{line} in softmax: operands could not"]),
}


@pytest.fixture(scope="module")
def solved_chinese_release(tmp_path_factory):
    dest = tmp_path_factory.mktemp("zh") / "repo"
    release_in("zh", dest, solved=True)
    return dest


def _with_mistake(release_dir, tmp_path, mistake):
    """A copy of the release with `mistake` appended to activations.py -> (its folder, the mistake's words in
    Chinese and in English, its line filled in)."""
    dest = tmp_path / "repo"
    shutil.copytree(release_dir, dest)
    code, _test, chinese, english = MISTAKES[mistake]
    line = append_code(dest, "activations", code)
    return dest, [text.format(line=line) for text in chinese], [text.format(line=line) for text in english]


def _verdicts(report):
    return {test["name"]: (test["score"], test["status"]) for test in report["tests"]}


def _line_of(output, text):
    return next(line for line in output.splitlines() if text in line)


@pytest.mark.parametrize("mistake", sorted(MISTAKES))
def test_public_tests_and_check_speak_chinese_with_the_english_points(solved_chinese_release, tmp_path, mistake):
    dest, chinese, english = _with_mistake(solved_chinese_release, tmp_path, mistake)
    failed_test = MISTAKES[mistake][1]
    code, report, stdout = public_tests(dest, "stage2_neuralnet")
    english_code, english_report, english_stdout = public_tests(dest, "stage2_neuralnet", env=ENGLISH)
    assert (code, _verdicts(report)) == (english_code, _verdicts(english_report))
    assert _verdicts(report)[f"stage2_neuralnet/test_activations.py::{failed_test}"] == (0.0, "failed")
    assert report["score"] < report["max_score"]
    lost = _line_of(stdout, f"::{failed_test}（0/")
    assert all(text in lost for text in chinese), lost
    assert "各阶段得分" in stdout and "失分的测试：" in stdout
    assert all(text in _line_of(english_stdout, f"::{failed_test} (0/") for text in english)

    check = run_python("-m", "dlscratch.check", "2", cwd=dest)
    english_check = run_python("-m", "dlscratch.check", "2", cwd=dest, env=ENGLISH)
    assert check.returncode == english_check.returncode == 1
    assert all(text in _line_of(check.stdout, f"失败  {failed_test}：") for text in chinese), check.stdout
    assert check.stdout.rstrip().splitlines()[-1].split()[-3:] == english_check.stdout.rstrip().splitlines()[-1].split()[-3:]


def test_the_job_summary_and_classroom_message_are_utf8_chinese(solved_chinese_release, tmp_path):
    dest, chinese, _english = _with_mistake(solved_chinese_release, tmp_path, "wrong-axis softmax")
    outputs = {}
    for lang in ("zh", "en"):
        summary, output = tmp_path / f"summary-{lang}.md", tmp_path / f"output-{lang}"
        run_python("-m", "course_points.classroom", "--max-score", "100", "stage2_neuralnet", cwd=dest,
                   env={"GITHUB_STEP_SUMMARY": summary, "GITHUB_OUTPUT": output, "DLSCRATCH_LANG": lang})
        encoded = output.read_text(encoding="ascii").strip().removeprefix("result=")
        outputs[lang] = (summary.read_bytes().decode("utf-8"), json.loads(base64.b64decode(encoded).decode("utf-8")))
    markdown, result = outputs["zh"]
    assert markdown.startswith("## 得分：") and "### 失分的测试" in markdown
    assert "| 阶段 | 标题 | 通过的测试 | 分数 |" in markdown and "神经网络的前向传播" in markdown
    assert AXIS_HINT_ZH in markdown.replace("\\", "")
    message = next(test["message"] for test in result["tests"] if test["name"].endswith(MISTAKES["wrong-axis softmax"][1]))
    assert all(text in message for text in chinese)
    english = outputs["en"][1]
    assert [(test["name"], test["status"], test["score"]) for test in result["tests"]] == [
        (test["name"], test["status"], test["score"]) for test in english["tests"]]
    assert (result["status"], result["max_score"]) == (english["status"], english["max_score"])


def test_the_chinese_readme_shows_check_s_very_output(solved_chinese_release, tmp_path):
    dest, _chinese, _english = _with_mistake(solved_chinese_release, tmp_path, "wrong-axis softmax")
    check = run_python("-m", "dlscratch.check", "2", cwd=dest)
    readme = (dest / "README.md").read_text(encoding="utf-8")
    assert readme.split("```\nstage2: ", 1)[1].split("```")[0] == check.stdout.removeprefix("stage2: ")
    assert "| | **合计** |" in readme and "{{" not in readme
