"""The top-level README's table of stages, generated from course/stages.py by
`python -m autograder stubs` between two marker comments (a test fails while it is out of date)."""
from .paths import REPO_ROOT

README = REPO_ROOT / "README.md"
BEGIN = "<!-- BEGIN STAGE TABLE: generated from course/stages.py by python -m autograder stubs -->"
END = "<!-- END STAGE TABLE -->"
HEADER = ("| stage | topic | modules (in `solutions/`, and as stubs in `assignments/dlscratch/`) |\n"
          "|---|---|---|")


def stage_rows(stages):
    """The table's rows, one per stage: name, summary, exercise modules, then given support modules."""
    rows = []
    for stage in stages:
        modules = ", ".join(f"`{module}`" for module in stage.modules)
        if stage.support:
            modules += "; given: " + ", ".join(f"`{module}`" for module in stage.support)
        rows.append(f"| `{stage.name}` | {stage.summary} | {modules} |")
    return rows


def with_stage_table(text, stages):
    """`text` (the README) with the region between the markers replaced by the generated table."""
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"README.md: the stage table markers are missing ({BEGIN!r} ... {END!r})")
    table = "\n".join([BEGIN, HEADER, *stage_rows(stages), END])
    return text[:start] + table + text[end + len(END):]
