"""The rubric: every hidden test's points and visibility, per stage, in autograder/hidden/rubric.toml.

It is also the manifest: the score counts exactly these tests, and one that did not report is a zero.
"""
from dataclasses import dataclass

from .names import suite_file, suite_stage
from .paths import HIDDEN_DIR
from .toml_compat import tomllib

RUBRIC_PATH = HIDDEN_DIR / "rubric.toml"
VISIBILITIES = ("visible", "hidden", "after_due_date", "after_published")


@dataclass(frozen=True)
class RubricEntry:
    """One graded test: `test_id` is "test_stage2.py::test_softmax[batch]"."""

    stage: str
    test_id: str
    points: float
    visibility: str = "visible"


def load_rubric(path=RUBRIC_PATH):
    """{test id: RubricEntry} for every stage; ValueError names a malformed entry."""
    with open(path, "rb") as rubric_file:
        table = tomllib.load(rubric_file)
    entries = {}
    for stage, tests in table.items():
        for name, spec in tests.items():
            spec = spec if isinstance(spec, dict) else {"points": spec}
            points, visibility = spec.get("points"), spec.get("visibility", "visible")
            if not isinstance(points, (int, float)) or points <= 0 or visibility not in VISIBILITIES:
                raise ValueError(f"{path.name}: bad entry [{stage}] {name} = {spec!r}")
            test_id = f"{suite_file(stage)}::{name}"
            entries[test_id] = RubricEntry(stage, test_id, float(points), visibility)
    return entries


def stage_of_test(test_id):
    """The stage of a hidden test by its id ("test_stage2.py::test_softmax[batch]" -> "stage2"), as
    load_rubric names them."""
    return suite_stage(test_id.split("::", 1)[0])
