"""Scores stay put: the solved release, the stubs and a few buggy releases score, test by test, exactly what
pinned_scores.json says (see pinned_scores.py for when to regenerate it). A hidden test added since (a new
stage's) is compared once the file is regenerated; one removed or renamed fails until then."""
import json

import pytest

from .conftest import RUBRIC
from .pinned_scores import PINNED, SUBMISSIONS, graded_scores

pytestmark = pytest.mark.slow


def test_every_submission_is_pinned_and_the_reference_and_stubs_as_the_rubric_says():
    pinned = json.loads(PINNED.read_text())
    assert set(pinned) == set(SUBMISSIONS)
    assert pinned["solved"] == {name: RUBRIC[name].points for name in pinned["solved"]}
    assert set(pinned["stubs"].values()) == {0.0}


@pytest.mark.parametrize("name", SUBMISSIONS)
def test_every_hidden_test_scores_as_pinned(tmp_path, solved_package, stub_package, name):
    pinned = json.loads(PINNED.read_text())[name]
    scores = graded_scores(tmp_path, {"solved": solved_package, "stubs": stub_package}, name)
    assert {test: scores.get(test) for test in pinned} == pytest.approx(pinned)
