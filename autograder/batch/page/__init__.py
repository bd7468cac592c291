"""The class report page, DIR/report/index.html: figures, pass rates with their commonest reason, a sortable
and searchable student table with each student's feedback, and the similarity report's pairs.

data.py reads the results, figures.py draws them as SVG, render.py writes the HTML (with page.css, page.js).
"""
from pathlib import Path

from .. import store
from .render import render_page

PAGE = Path("report") / "index.html"


def write_page(output, results, roster, similar_pairs=()):
    """Write the page of {student: store.Result} to `output`/report/index.html (see render.render_page)."""
    store.atomic_write(Path(output) / PAGE, render_page(results, roster, similar_pairs))
