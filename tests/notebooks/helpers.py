"""Helpers shared by the notebook, nbgrader, export, leak and workflow tests."""
import json

from course.language import DEFAULT_LANGUAGE, LANGUAGES
from course.stages import STAGES

PLOT_CALL = "plt.show()"
# The languages the course is translated into, and the stages whose translated notebooks are executed and
# autograded as well (a few seconds each; test_languages keeps every stage's code and tests in step).
TRANSLATIONS = [language for language in LANGUAGES if language != DEFAULT_LANGUAGE]
TRANSLATED_RUNS = STAGES[:2]


def js_number(value):
    """A number as JavaScript's template literals print it (3 -> "3", 2.5 -> "2.5")."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def classroom_points(runner_results):
    """'Points X/Y' as the reporter's notify-classroom.js computes it from [(runner, payload)], or None."""
    total = maximum = 0
    for _, results in runner_results:
        if not results.get("max_score"):
            continue
        maximum += results["max_score"]
        total += sum(test["score"] for test in results["tests"])
    return f"Points {js_number(total)}/{js_number(maximum)}" if maximum else None


def plot_outputs(notebook):
    """[(cell index, [PNG bytes])] for every code cell that calls plt.show()."""
    import base64

    return [(index, [base64.b64decode(output["data"]["image/png"]) for output in cell.get("outputs", [])
                     if "image/png" in output.get("data", {})])
            for index, cell in enumerate(notebook.cells) if cell.cell_type == "code" and PLOT_CALL in cell.source]


def plant_in_notebook(path, line):
    """Append `line` to the notebook's last code cell (as a student-visible edit would)."""
    notebook = json.loads(path.read_text())
    cell = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"][-1]
    source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
    cell["source"] = source + "\n" + line
    path.write_text(json.dumps(notebook))
