"""The class report page (report/index.html): the scores of grades.csv, student text rendered as text, a merge
of shards equal to one run, and sorting, search and feedback in a real browser (headless Chromium)."""
import base64
import os
from dataclasses import dataclass, replace

import pytest

from autograder.batch import store
from autograder.batch.entries import RosterRow, in_shard, parse_deadline
from autograder.batch.outputs import write_class_files
from autograder.batch.page import PAGE, render_page
from autograder.grading.verdicts import verdict
from autograder.identity import grader_identity
from course_points.report import Report
from tests.grader.conftest import RUBRIC

from .conftest import Node, merge, parse, read_csv

DEADLINE = "2026-03-01T23:59:00+00:00"
EXTENDED = "2026-03-05T23:59:00+00:00"
NOT_IMPLEMENTED = "{name} is not implemented yet"
EXITED = "activations.py exited during import\nhint: run `python -c 'import dlscratch.activations'`"
HOSTILE_NAME = "<img src=x onerror=alert(1)>\"><svg onload=alert(2)>"  # a folder name: no "/"
HOSTILE_TEXT = "</script><script>alert(3)</script><b onmouseover=alert(4)>"


def _verdicts(lost=lambda entry: None, status="failed"):
    """[Verdict] of every rubric test: full points, except where `lost(entry)` gives a feedback text."""
    verdicts = []
    for entry in RUBRIC.values():
        feedback = lost(entry)
        verdicts.append(verdict(entry, "passed", score=entry.points) if feedback is None
                        else verdict(entry, status, feedback))
    return verdicts


def _stub(entry):
    return NOT_IMPLEMENTED.format(name=entry.test_id.split("::")[1])


# The 8 students of the synthetic class: their verdicts, and what the batch recorded besides the default.
CLASS = {
    "correct": (lambda: _verdicts(), {}),
    "partial": (lambda: _verdicts(lambda e: None if e.stage == "stage1" else _stub(e)), {}),
    "stub": (lambda: _verdicts(_stub), {}),
    "broken-import": (lambda: _verdicts(lambda e: EXITED if e.stage == "stage2" else None), {}),
    "grader-error": (lambda: _verdicts(lambda e: "the sandbox would not start" if e.stage == "stage3" else None,
                                       "grader-error"), {}),
    "late": (lambda: _verdicts(lambda e: None if e.stage != "stage7" else _stub(e)), {"later_commits": True}),
    "extended": (lambda: _verdicts(lambda e: None if e.stage in ("stage1", "stage2") else _stub(e)),
                 {"deadline": EXTENDED}),
    "tampered": (lambda: _verdicts(),
                 {"integrity": {"checked": True, "changed": ["tests/test_stage1.py"], "missing": ["conftest.py"]}}),
}
ROSTER = {"extended": RosterRow("extended", "7", deadline=parse_deadline(EXTENDED))}


def _batch(extra):
    return {"key": {}, "source": "the last commit before the deadline", "commit": "0123abcd", "duration": 1.0,
            "deadline": DEADLINE, "later_commits": False,
            "integrity": {"checked": False, "changed": [], "missing": []}, **extra}


def save_class(output, students=CLASS, names=None):
    """Store the results of `students` (CLASS entries) in `output`, renamed by `names` {student: name}."""
    for student, (verdicts, extra) in students.items():
        report = Report(tests=verdicts(), notes=["isolation: sandbox"], grader=grader_identity())
        store.save(output, (names or {}).get(student, student), report, _batch(extra))


def section(document, title):
    """The <section> of the page headed `title`."""
    return next(node for node in document.find_all("section") if node.find_all("h2")[0].text() == title)


def table_of(document):
    """{student: {column: the cell's data-sort}} of the page's student table."""
    table = document.find_all("table", id="students")[0]
    columns = [header.text() for header in table.find_all("thead")[0].find_all("th")]
    rows = {}
    for body in table.find_all("tbody", class_="student"):
        cells = [node for node in body.children if isinstance(node, Node)][0].children
        cells = [cell for cell in cells if isinstance(cell, Node)]
        rows[body.attrs["data-student"]] = dict(zip(columns, (cell.attrs["data-sort"] for cell in cells)))
    return rows


def assert_page_has_the_grades(output):
    """Every student of grades.csv is in the page with its total and stage scores, and no one else."""
    page = table_of(parse((output / PAGE).read_text(encoding="utf-8")))
    grades = read_csv(output / "grades.csv")
    assert sorted(page) == [row["student"] for row in grades]
    stages = [column for column in grades[0] if column.startswith("stage")]
    assert stages
    for row in grades:
        for column in ("total", *stages):
            assert _number(page[row["student"]][column]) == _number(row[column]), (row["student"], column)


def _number(text):
    return float(text) if text else None


def test_the_page_lists_every_student_with_the_scores_of_grades_csv(tmp_path):
    save_class(tmp_path)
    write_class_files(tmp_path, ROSTER, "dlscratch")
    assert_page_has_the_grades(tmp_path)
    rows = table_of(parse((tmp_path / PAGE).read_text(encoding="utf-8")))
    assert rows["grader-error"]["status"] == "grader-error" and rows["correct"]["status"] == "graded"
    assert int(rows["grader-error"]["grader errors"]) == sum(e.stage == "stage3" for e in RUBRIC.values())
    assert rows["late"]["late commits"] == "yes" and rows["correct"]["late commits"] == "no"
    assert rows["extended"]["own deadline"] == EXTENDED and rows["correct"]["own deadline"] == ""
    assert rows["tampered"]["integrity (protected files)"] == "changed: tests/test_stage1.py; missing: conftest.py"


def test_pass_rates_name_the_most_common_reason_worst_first(tmp_path):
    save_class(tmp_path)
    document = parse(render_page(store.load_all(tmp_path), ROSTER))
    rates = section(document, "Pass rate per test (worst first)").find_all("tbody")[0].find_all("tr")
    cells = {row.find_all("code")[0].text(): [cell.text() for cell in row.find_all("td")] for row in rates}
    # stage 7 is lost by partial, stub, late and extended (4 of the 7 graded); stage 2 by partial, stub and
    # broken-import, two of them for not being implemented.
    stage7 = next(entry for entry in RUBRIC.values() if entry.stage == "stage7")
    assert cells[stage7.test_id][1:] == ["3/7", "43%", _stub(stage7), "4 of 4"]
    stage2 = next(entry for entry in RUBRIC.values() if entry.stage == "stage2")
    assert cells[stage2.test_id][1:] == ["4/7", "57%", _stub(stage2), "2 of 3"]
    rates = [int(cell[1].split("/")[0]) for cell in cells.values()]
    assert rates == sorted(rates)


@dataclass(frozen=True)
class SimilarPair:
    """What the page takes from the similarity report (render_page's `similar_pairs`)."""

    function: str
    student_a: str
    student_b: str
    score: float
    source_a: str
    source_b: str


def _hostile(test):
    return test if test.status == "passed" else replace(test, feedback=HOSTILE_TEXT)


def test_student_text_renders_as_text(tmp_path):
    """Hostile names, feedback, file paths and source text: the page has exactly the elements and attributes
    of the same class with plain text, and shows the hostile text literally."""
    hostile = {student: (lambda verdicts=verdicts: [_hostile(test) for test in verdicts()],
                         {**extra, "integrity": {"checked": True, "changed": [HOSTILE_TEXT], "missing": []}})
               for student, (verdicts, extra) in CLASS.items()}
    plain = {student: (verdicts, {**extra, "integrity": {"checked": True, "changed": ["x.py"], "missing": []}})
             for student, (verdicts, extra) in CLASS.items()}
    save_class(tmp_path / "hostile", hostile, names={"stub": HOSTILE_NAME, "late": "x&quot;<b>"})
    save_class(tmp_path / "plain", plain, names={"stub": "a-stub", "late": "x-late"})  # sorted alike
    pages = {}
    for name, pair_text in (("hostile", HOSTILE_TEXT), ("plain", "plain")):
        pair = SimilarPair("layers.Affine.backward", HOSTILE_NAME if name == "hostile" else "a", "correct", 0.9,
                           pair_text, pair_text)
        pages[name] = parse(render_page(store.load_all(tmp_path / name), {}, [pair]))
    shape = {name: [(node.tag, sorted(node.attrs)) for node in document.iter()] for name, document in pages.items()}
    assert shape["hostile"] == shape["plain"]
    text = pages["hostile"].text()
    assert HOSTILE_NAME in text and "x&quot;<b>" in text and HOSTILE_TEXT in text
    assert sorted(table_of(pages["hostile"]))[0] == HOSTILE_NAME


def test_no_similarity_report_is_said(tmp_path):
    save_class(tmp_path)
    document = parse(render_page(store.load_all(tmp_path), {}))
    assert "No two students share an exercise function" in section(document, "Similar code").text()


def test_a_merge_of_shards_writes_the_page_of_one_run(tmp_path):
    save_class(tmp_path / "one")
    write_class_files(tmp_path / "one", {}, "dlscratch")
    shards = [tmp_path / "shard1", tmp_path / "shard2"]
    for number, shard in enumerate(shards, start=1):
        save_class(shard, {student: entry for student, entry in CLASS.items() if in_shard(student, (number, 2))})
    assert all(0 < len(list((shard / store.RESULTS).iterdir())) < len(CLASS) for shard in shards)
    merged = merge(*shards, "--output", tmp_path / "merged")
    assert merged.returncode == 0, merged.stderr
    assert (tmp_path / "merged" / PAGE).read_bytes() == (tmp_path / "one" / PAGE).read_bytes()


@pytest.mark.slow
def test_the_page_of_a_real_run_has_the_scores_of_grades_csv(class_run):
    assert_page_has_the_grades(class_run)


VISIBLE_ROWS = ("Array.from(document.querySelectorAll('#students > tbody')).filter(b => !b.hidden)"
                ".map(b => [b.dataset.student, b.rows[0].cells[{column}].dataset.sort])")


def test_the_page_sorts_searches_and_opens_feedback_in_chromium(tmp_path, browser):
    """Real clicks and typing in headless Chromium (Debian's chromium; Google Chrome on GitHub's runners)."""
    save_class(tmp_path)
    write_class_files(tmp_path, ROSTER, "dlscratch")
    browser.open((tmp_path / PAGE).as_uri())
    assert browser.eval("performance.getEntriesByType('resource').length") == 0  # nothing loaded but the page
    headers = browser.eval("Array.from(document.querySelectorAll('#students > thead th')).map(h => h.textContent)")
    total = headers.index("total")
    assert [student for student, _ in browser.eval(VISIBLE_ROWS.format(column=total))] == sorted(CLASS)

    browser.click(f"#students > thead th:nth-child({total + 1}) button")
    ascending = [float(score) for _, score in browser.eval(VISIBLE_ROWS.format(column=total))]
    assert ascending == sorted(ascending) and len(set(ascending)) > 2
    browser.click(f"#students > thead th:nth-child({total + 1}) button")
    descending = [float(score) for _, score in browser.eval(VISIBLE_ROWS.format(column=total))]
    assert descending == sorted(ascending, reverse=True)

    browser.click("#search")
    browser.send("Input.insertText", text="ED")
    assert sorted(student for student, _ in browser.eval(VISIBLE_ROWS.format(column=0))) == ["extended", "tampered"]
    assert browser.eval("document.getElementById('shown').textContent") == f"2 of {len(CLASS)} students"

    feedback = "document.querySelector('tbody[data-student=\"extended\"] tr.feedback')"
    assert browser.eval(f"{feedback}.getBoundingClientRect().height") == 0
    browser.click('tbody[data-student="extended"] button.student')
    assert browser.eval(f"{feedback}.getBoundingClientRect().height") > 0
    stage3 = next(entry for entry in RUBRIC.values() if entry.stage == "stage3")
    assert _stub(stage3) in browser.eval(f"{feedback}.innerText")

    screenshot = os.environ.get("DLSCRATCH_PAGE_SCREENSHOT")
    if screenshot:
        image = browser.send("Page.captureScreenshot", format="png", captureBeyondViewport=True)["data"]
        with open(screenshot, "wb") as stream:
            stream.write(base64.b64decode(image))
