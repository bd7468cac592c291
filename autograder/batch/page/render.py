"""The class report page as one self-contained HTML document: inline CSS, SVG and a small script, nothing
loaded from anywhere (a Content-Security-Policy forbids it), so it opens from disk or a downloaded artifact.

Everything a student controls (names, feedback, reasons, file paths, source text) goes through `_text`
(html.escape, quotes included) and is never placed in the script: the script reads the table's cells and
data-* attributes.
"""
import html
import statistics
from pathlib import Path

from ..gradebook import stage_names
from ..summary import graded
from .data import class_deadline, student_rows, pass_rate_rows
from .figures import figures

ASSETS = Path(__file__).parent
POLICY = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"


def _text(value):
    return html.escape(str(value), quote=True)


def _points(value):
    return "" if value is None else f"{value:g}"


def _cell(text, sort=None, number=False):
    """A table cell showing `text`, sorted by `sort` (default: the text itself)."""
    kind = ' class="number"' if number else ""
    return f'<td{kind} data-sort="{_text(text if sort is None else sort)}">{_text(text)}</td>'


def _summary(results, roster):
    done = [result.report.score for result in graded(results).values()]
    top = max((result.report.max_score for result in results.values()), default=0)
    items = [f"submissions: {len(results)}, graded: {len(done)}, grader errors: {len(results) - len(done)}"]
    if done:
        items.append(f"mean {statistics.fmean(done):.2f} / {top:g}, median {statistics.median(done):g} / {top:g}")
    deadline = class_deadline(results, roster)
    if deadline:
        items.append(f"deadline {deadline} (a student's own deadline is shown in the table)")
    return "<ul>" + "".join(f"<li>{_text(item)}</li>" for item in items) + "</ul>"


def _figures(results):
    drawn = figures(results)
    stages = drawn["stages"] or "<p>No stage was graded.</p>"
    return (f'<section><h2>Scores</h2><div class="figures"><figure>{drawn["histogram"]}<figcaption>Totals'
            f'</figcaption></figure><figure>{stages}<figcaption>Points per stage</figcaption></figure></div>'
            "</section>")


def _tests(results):
    rows = "".join(
        f"<tr><td><code>{_text(row.name)}</code></td>{_cell(f'{row.passed}/{row.graded}', number=True)}"
        f"{_cell(f'{row.passed / row.graded:.0%}', number=True)}<td>{_text(row.reason)}</td>"
        f"{_cell(f'{row.reason_count} of {row.lost}' if row.lost else '', number=True)}</tr>"
        for row in pass_rate_rows(results))
    return ('<section><h2>Pass rate per test (worst first)</h2><div class="scroll"><table><thead><tr><th>test</th>'
            "<th>passed</th><th>rate</th><th>most common reason among those who lost points</th><th>students</th>"
            "</tr></thead>"
            f"<tbody>{rows}</tbody></table></div></section>")


def _feedback(result):
    """One student's report as HTML: what was graded, the stage table, every test that lost points (grader
    errors included, by their status) with its feedback, and the notes (isolation)."""
    batch, report = result.batch, result.report
    source = batch.get("source", "") + (f" (commit {batch['commit']})" if batch.get("commit") else "")
    stages = "".join(f"<tr><td>{_text(name)}</td><td>{_text(total['title'])}</td>"
                     f"<td>{total['passed']}/{total['total']}</td>"
                     f"<td>{_points(total['score'])} / {_points(total['max_score'])}</td></tr>"
                     for name, total in report.stage_totals().items())
    lost = "".join(f"<dt><code>{_text(test.name)}</code> ({_points(test.score)}/{_points(test.max_score)}, "
                   f"{_text(test.status)})</dt><dd><pre>{_text(test.feedback.strip() or test.status)}</pre></dd>"
                   for test in report.tests if test.score < test.max_score)
    notes = "\n".join(report.notes)
    return (f"<p>{_text(source)}</p><table><thead><tr><th>stage</th><th>title</th><th>tests passed</th>"
            f"<th>points</th></tr></thead><tbody>{stages}</tbody></table>"
            + (f"<h4>Tests that lost points</h4><dl>{lost}</dl>" if lost else "<p>No test lost points.</p>")
            + (f"<pre>{_text(notes)}</pre>" if notes else ""))


def _student(index, row, stages, width):
    """The <tbody> of one student: the row of the table, and under it the hidden feedback row."""
    report = row.result.report
    cells = [f'<th scope="row" data-sort="{_text(row.student)}"><button type="button" class="student" '
             f'aria-expanded="false" aria-controls="feedback-{index}">{_text(row.student)}</button></th>',
             _cell(f"{_points(report.score)} / {_points(report.max_score)}", report.score, number=True),
             *(_cell(_points(row.stages.get(stage)), row.stages.get(stage, ""), number=True) for stage in stages),
             _cell(report.status), _cell("yes" if row.late_commits else "no"), _cell(row.deadline),
             _cell(row.integrity), _cell(len(row.grader_errors) or "", len(row.grader_errors), number=True)]
    return (f'<tbody class="student" data-student="{_text(row.student)}"><tr>{"".join(cells)}</tr>'
            f'<tr class="feedback" id="feedback-{index}" hidden><td colspan="{width}"><div class="scroll">'
            f"{_feedback(row.result)}</div></td></tr></tbody>")


def _students(results, roster):
    stages = stage_names(results)
    columns = [("student", "text"), ("total", "number"), *((stage, "number") for stage in stages),
               ("status", "text"), ("late commits", "text"), ("own deadline", "text"),
               ("integrity (protected files)", "text"), ("grader errors", "number")]
    headers = "".join(f'<th scope="col" data-type="{kind}"><button type="button">{_text(name)}</button></th>'
                      for name, kind in columns)
    bodies = "".join(_student(index, row, stages, len(columns))
                     for index, row in enumerate(student_rows(results, roster)))
    return ('<section><h2>Students</h2><p><label>Search students <input type="search" id="search" '
            'autocomplete="off"></label> <span id="shown"></span></p><p class="hint">Click a column to sort '
            '(again to reverse), a student to open their feedback.</p><table id="students"><thead><tr>'
            f"{headers}</tr></thead>{bodies}</table></section>")


def _similarity(pairs):
    """Pairs of functions the similarity report found alike, the two sources side by side."""
    if not pairs:
        return "<section><h2>Similar code</h2><p>No two students share an exercise function beyond the stub and the reference (similarity.md).</p></section>"
    items = "".join(
        f"<article><h3><code>{_text(pair.function)}</code>: {_text(pair.student_a)} and {_text(pair.student_b)} "
        f"(similarity {pair.score:.2f})</h3><div class=\"side\"><div><h4>{_text(pair.student_a)}</h4>"
        f"<pre>{_text(pair.source_a)}</pre></div><div><h4>{_text(pair.student_b)}</h4>"
        f"<pre>{_text(pair.source_b)}</pre></div></div></article>" for pair in pairs)
    return ("<section><h2>Similar code</h2><p>Evidence for a person to read, never a score.</p>"
            f"{items}</section>")


def render_page(results, roster, similar_pairs=()):
    """The page (HTML text) of {student: store.Result}; `roster` {github: RosterRow} tells extensions apart;
    `similar_pairs` is a sequence of objects with function, student_a, student_b, score (0..1), source_a
    and source_b (str), shown in the order given."""
    style = (ASSETS / "page.css").read_text(encoding="utf-8")
    script = (ASSETS / "page.js").read_text(encoding="utf-8")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>Class report</title><style>{style}</style></head><body><h1>Class report</h1>"
            f"{_summary(results, roster)}{_figures(results)}{_students(results, roster)}{_tests(results)}"
            f"{_similarity(similar_pairs)}<script>{script}</script></body></html>\n")
