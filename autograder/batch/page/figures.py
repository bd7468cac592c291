"""The page's figures as inline SVG text: the histogram of totals and the score distribution of each stage.

Deterministic: no date in the metadata, ids from a fixed salt per figure; every id and reference is
prefixed with the figure's name, since matplotlib numbers its ids per figure ("axes_1") and two figures share
one page; text as <text> elements (no glyph definitions, and the page's font draws them).
"""
import io
import math
import re

from ..gradebook import stage_names
from ..summary import graded, histogram_figure

COLUMNS = 4
# Where matplotlib's SVG names an id: the id itself, an xlink:href and a url() reference.
_IDS = re.compile(r'(id="|href="#|url\(#)')


def svg(figure, salt):
    """A matplotlib Figure -> its SVG element as text, without the XML prolog, ids prefixed with `salt`."""
    import matplotlib  # here, as summary.histogram_figure explains
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": salt, "svg.fonttype": "none"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    return _IDS.sub(lambda match: f"{match.group(1)}{salt}-", text[text.index("<svg"):])


def stage_figure(results):
    """A Figure with one histogram per stage graded: each graded student's stage score, 0 to its maximum."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator
    stages = stage_names(results)
    columns = min(COLUMNS, len(stages)) or 1
    rows = math.ceil(len(stages) / columns) or 1
    figure = Figure(figsize=(2.6 * columns, 2.2 * rows))
    axes = figure.subplots(rows, columns, squeeze=False).ravel()
    totals = [result.report.stage_totals() for result in graded(results).values()]
    for stage, plot in zip(stages, axes):
        scores = [total[stage]["score"] for total in totals if stage in total]
        top = max((total[stage]["max_score"] for total in totals if stage in total), default=0) or 1
        plot.hist(scores, bins=10, range=(0, top), color="tab:green")
        plot.set_title(stage, fontsize=10)
        plot.set_xlabel(f"points (of {top:g})", fontsize=8)
        plot.tick_params(labelsize=8)
        plot.yaxis.set_major_locator(MaxNLocator(integer=True))
    for plot in axes[len(stages):]:
        plot.set_visible(False)
    figure.tight_layout()
    return figure


def figures(results):
    """{"histogram": svg text, "stages": svg text} of the results (stages empty when none was graded)."""
    return {"histogram": svg(histogram_figure(results), "histogram"),
            "stages": svg(stage_figure(results), "stages") if stage_names(results) else ""}
