"""Every CSV cell a person may open: text a spreadsheet would run as a formula starts with `'`, numbers stay
numbers, and the gradebooks write roster fields and student names through it."""
import csv
import io

import pytest

from autograder.batch import gradebook, store
from autograder.batch.entries import RosterRow
from autograder.batch.spreadsheet import safe_cell

from .conftest import stage1_report

HOSTILE = ["=HYPERLINK(\"http://x\",\"y\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1",
           "\uff1d1+1", "-", "=", "-inf"]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_formula_becomes_text(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value, cell", [(-2.5, "-2.5"), ("-2.5", "-2.5"), ("+3", "+3"), ("1e-3", "1e-3"),
                                         (7, "7"), (None, ""), ("Alice Liddell", "Alice Liddell"),
                                         ("a=b", "a=b"), ("'=x", "'=x")])
def test_numbers_and_plain_text_are_kept(value, cell):
    assert safe_cell(value) == cell


def _cells(text):
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def test_no_gradebook_cell_starts_a_formula(tmp_path):
    # Every roster field and the student's own name (the entry's) is hostile; the scores stay numbers.
    student = "=cmd|'calc'!A0"
    store.save(tmp_path, student, stage1_report(10), {"key": {}, "source": "", "commit": "@ab12", "duration": 1.0,
                                                "deadline": "-1+1"})
    roster = {student: RosterRow(student, "+SIS-1", "=Alice -Liddell", "@section")}
    results = store.load_all(tmp_path)
    texts = [gradebook.grades_csv(results), gradebook.nbgrader_csv(results, roster, "=assignment"),
             gradebook.lms_csv(results, roster, "=assignment")]
    cells = [cell for text in texts for cell in _cells(text)]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r")) and safe_cell(cell) != cell]
    lms = list(csv.DictReader(io.StringIO(texts[2])))
    row = lms[1]
    assert (row["Student"], row["SIS User ID"], row["SIS Login ID"], row["Section"], row["'=assignment"]) == (
        "'=Alice -Liddell", "'+SIS-1", "'" + student, "'@section", "10")
