"""Scores stay put: the solved release, the stubs and a few buggy releases score, test by test, exactly what
pinned_scores.json says (see pinned_scores.py for when to regenerate it)."""
import json

import pytest

from .pinned_scores import PINNED, SUBMISSIONS, graded_scores

pytestmark = pytest.mark.slow


def test_every_submission_is_pinned():
    assert set(json.loads(PINNED.read_text())) == set(SUBMISSIONS)


@pytest.mark.parametrize("name", SUBMISSIONS)
def test_every_hidden_test_scores_as_pinned(tmp_path, solved_package, stub_package, name):
    scores = graded_scores(tmp_path, {"solved": solved_package, "stubs": stub_package}, name)
    assert scores == pytest.approx(json.loads(PINNED.read_text())[name])
