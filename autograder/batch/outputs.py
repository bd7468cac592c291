"""Every class-level file of an output folder, written from its stored results (grade-all and merge)."""
from pathlib import Path

from . import gradebook, integrity, similarity, similarity_report, store, summary
from .page import write_page
from .entries import roster_row


def write_class_files(output, roster, assignment):
    """grades.csv, nbgrader_grades.csv, lms_grades.csv, summary.md, histogram.png, integrity.md, similarity.md
    (from the sources/ of those students) and report/index.html in `output` from results/*.json
    -> {student: result}."""
    output = Path(output)
    results = store.load_all(output)
    unmatched = [student for student in sorted(results) if roster and roster_row(roster, student) is None]
    pairs = similarity.class_pairs(output, results)
    files = {"grades.csv": gradebook.grades_csv(results),
             "nbgrader_grades.csv": gradebook.nbgrader_csv(results, roster, assignment),
             "lms_grades.csv": gradebook.lms_csv(results, roster, assignment),
             "summary.md": summary.render(results, unmatched),
             "integrity.md": integrity.render(results),
             "similarity.md": similarity_report.render(pairs, results)}
    for name, text in files.items():
        store.atomic_write(output / name, text)
    summary.histogram(results, output / "histogram.png")
    write_page(output, results, roster, pairs)
    return results
