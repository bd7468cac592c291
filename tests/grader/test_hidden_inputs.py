"""Hidden inputs: drawn afresh in every grade, and never shown for a hidden test.

The worker serves every test of a grade and keeps its module-level state, so a submission can print what
it was given, in the call itself or in any later one. Printed inputs are of no use in the next grade (a
new secret seed), and after a hidden test no test whose feedback shows such things runs; a hidden test's
own feedback names the function and the kind of failure in fixed words.
"""
import base64
import io
import re

import numpy as np
import pytest

from autograder.grading.errors import GradingFailure
from autograder.grading.language import speaking
from course.language import LANGUAGES, _
from solutions import activations

from .conftest import grade, lost, scores_by_test, stage_scores

pytestmark = pytest.mark.slow

# step_function, with no earlier function, probe or fixed case: printing every input it is given, and
# answering from a table of answers worked out elsewhere before falling back to zeros.
HARVESTER = """
import base64, io

ANSWERS = {answers!r}

def step_function(x):
    x = np.asarray(x)
    saved = io.BytesIO()
    np.save(saved, x)
    print("HARVEST", base64.b64encode(saved.getvalue()).decode())
    answer = ANSWERS.get(base64.b64encode(x.tobytes()).decode())
    return np.array(answer) if answer is not None else np.zeros(x.shape)
"""
STEP_TESTS = ("test_elementwise_activation[step_function]", "test_activation_returns_float64[step_function]",
              "test_activation_leaves_its_input_alone[step_function]")


def _harvest(report):
    """The inputs the harvester printed into the report, as arrays."""
    printed = re.findall(r"HARVEST (\S+)", "\n".join(test["output"] for test in report["tests"]))
    return [np.load(io.BytesIO(base64.b64decode(text))) for text in printed]


def _keys(inputs):
    return {(x.dtype.str, x.shape, x.tobytes()) for x in inputs}


def test_each_grade_draws_its_own_inputs_and_a_harvested_table_earns_nothing(make_stub_submission):
    first = grade(make_stub_submission(append={"activations": HARVESTER.format(answers={})}, name="first"), "stage2")
    harvested = _harvest(first)
    assert len(harvested) >= 6 and sum(scores_by_test(first)[name] for name in STEP_TESTS) == 0
    # The seed in extra_data grades again on the same inputs.
    again = grade(make_stub_submission(append={"activations": HARVESTER.format(answers={})}, name="again"), "stage2",
                  extra=("--seed", first["extra_data"]["seed"]))
    assert again["extra_data"]["seed"] == first["extra_data"]["seed"]
    assert _keys(_harvest(again)) == _keys(harvested)
    # Every harvested input answered right, worked out outside the grader: a new grade has new inputs.
    answers = {base64.b64encode(x.tobytes()).decode(): activations.step_function(x).tolist() for x in harvested}
    replay = grade(make_stub_submission(append={"activations": HARVESTER.format(answers=answers)}, name="replay"),
                   "stage2")
    assert replay["extra_data"]["seed"] != first["extra_data"]["seed"]
    assert not _keys(_harvest(replay)) & _keys(harvested)
    assert stage_scores(replay)["stage2"][0] == 0.0


# Only the hidden test_softmax_three_dimensional gives softmax a 3-D input: what it was given, passed on.
SOFTMAX_SPY = """
import hashlib
_softmax, _sigmoid, _seen = softmax, sigmoid, []

def _tag(x):
    return "LEAK" + hashlib.sha256(np.asarray(x).tobytes()).hexdigest()[:16]

def softmax(x):
    if np.ndim(x) == 3:
        {channel}
    print(*_seen)
    return _softmax(x)

def sigmoid(x):
    print(*_seen)
    return _sigmoid(x)
"""
# {channel: (code, the kind of failure the hidden test shows, as a message)}
CHANNELS = {
    "printed in later tests": ("_seen.append(_tag(x))", ""),
    "an exception named by the inputs": ("raise type(_tag(x), (Exception,), dict())(_tag(x))",
                                         "your code raised an exception"),
    "a reply of a shape made from the inputs": ("return np.zeros((0, int(_tag(x)[4:15], 16)))", "wrong shape"),
}


def _hidden_line(kind, language):
    """What the hidden test shows in `language`: the function and the kind of failure, in the shared wording."""
    with speaking(language):
        return GradingFailure("", what="softmax", kind=_(kind)).feedback(hidden=True)


def test_a_hidden_test_shows_the_function_and_the_kind_in_each_language():
    assert _hidden_line("wrong shape", "en") == "softmax: wrong shape (hidden test: its inputs, details and hint are not shown)"
    assert _hidden_line("your code raised an exception", "zh").startswith("softmax")
    assert "你的代码抛出了异常" in _hidden_line("your code raised an exception", "zh")


# The same terse line in every language: a translation names nothing the submission chose either.
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("channel", sorted(CHANNELS))
def test_a_hidden_tests_inputs_reach_no_feedback(make_submission, channel, language):
    code, kind = CHANNELS[channel]
    report = grade(make_submission(append={"activations": SOFTMAX_SPY.format(channel=code)}), "stage2",
                   extra=("--lang", language))
    assert not [test["name"] for test in report["tests"] if "LEAK" in test["output"]]
    expected = {"test_stage2.py::test_softmax_three_dimensional": _hidden_line(kind, language)} if kind else {}
    assert lost(report) == expected
