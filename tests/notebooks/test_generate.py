"""Notebook generation: committed student notebooks in sync, strict markers, code taken from solutions/."""
import json
import re

import pytest

from autograder.jupyter.definitions import definition_source
from autograder.jupyter.render import render, strip_hidden
from autograder.sources.generated import _stale, stale_files
from course.language import LANGUAGES
from course.paths import REPO_ROOT, SOLUTIONS_DIR, STUDENT_NOTEBOOKS_DIR, TEACHING_DIR, student_notebooks_dir
from course.stages import STAGES
from course.stubs import solution_regions
from course.usage import UsageError


def test_committed_notebooks_are_in_sync():
    assert stale_files() == [], "run `python -m autograder stubs` and commit the result"


def test_an_edited_notebook_is_reported_stale(tmp_path):
    files = {"stage1_perceptron.ipynb": (STUDENT_NOTEBOOKS_DIR / "stage1_perceptron.ipynb").read_text()}
    (tmp_path / "stage1_perceptron.ipynb").write_text(files["stage1_perceptron.ipynb"].replace("XOR", "X0R", 1))
    (tmp_path / "stage9_extra.ipynb").write_text("{}")
    assert {path.name for path in _stale(tmp_path, files, "*.ipynb")} == {"stage1_perceptron.ipynb", "stage9_extra.ipynb"}


@pytest.mark.parametrize("stage", STAGES, ids=lambda stage: stage.name)
def test_source_exercise_cells_are_the_solutions_code(stage):
    notebook = render(stage, "nbgrader")
    exercises = [cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("solution")]
    assert exercises, "every stage has exercises"
    own = set()
    for cell in exercises:
        module, names = cell.metadata["dlscratch"]["module"], cell.metadata["dlscratch"]["names"]
        code = definition_source((SOLUTIONS_DIR / f"{module}.py").read_text(), names, module)
        assert cell.source.endswith(code) and solution_regions(code, module)
        if module in stage.modules:
            own.update(names)
    tests = [cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("grade")]
    assert tests and all(cell.metadata["nbgrader"]["points"] > 0 for cell in tests)
    assert all("### BEGIN HIDDEN TESTS" in cell.source for cell in tests), "every test cell has hidden tests"
    assert own, f"{stage.name} exercises its own modules"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("stage", STAGES, ids=lambda stage: stage.name)
def test_student_notebook_imports_the_students_code_and_hides_the_tests(stage, language):
    notebook = json.loads((student_notebooks_dir(language) / f"{stage.folder}.ipynb").read_text(encoding="utf-8"))
    sources = ["".join(cell["source"]) for cell in notebook["cells"]]
    assert not any("SOLUTION" in source or "HIDDEN TESTS" in source or "solutions" in source for source in sources)
    for module in stage.modules:
        assert any(f"from dlscratch.{module} import" in source for source in sources), module
    assert notebook["metadata"]["dlscratch"]["stage"] == stage.name


def test_definition_source_keeps_the_closing_marker_and_names_a_missing_definition():
    text = "import numpy as np\nH = 1\n\n\ndef f(x):\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION\n"
    assert definition_source(text, ["f", "H"], "m") == "H = 1\n\n\ndef f(x):\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION"
    with pytest.raises(UsageError, match="m.py has no top-level definition g"):
        definition_source(text, ["g"], "m")


@pytest.mark.parametrize("source, problem", [
    ("a\n### BEGIN HIDDEN TESTS\nb\n", "never closed"),
    ("a\n### END HIDDEN TESTS\n", "unbalanced"),
    ("### BEGIN HIDDEN TESTS\n### BEGIN HIDDEN TESTS\n### END HIDDEN TESTS\n", "unbalanced"),
    ("## BEGIN HIDDEN TESTS\nb\n", "malformed"),
])
def test_hidden_test_markers_are_strict(source, problem):
    with pytest.raises(UsageError, match=problem):
        strip_hidden(source, "stage9.py cell 3")


def test_strip_hidden_keeps_the_public_part():
    assert strip_hidden("assert f(1) == 1\n### BEGIN HIDDEN TESTS\nassert f(2) == 7\n### END HIDDEN TESTS\n", "x") \
        == "assert f(1) == 1"


def test_a_missing_translation_is_a_one_line_error(monkeypatch):
    monkeypatch.setattr("autograder.jupyter.render.teaching_dir", lambda language: REPO_ROOT / "teaching" / "xx")
    expected = (f"teaching/xx/{STAGES[0].folder}.py is missing: every stage has a teaching source in every language "
                f"of the course ({', '.join(LANGUAGES)})")
    with pytest.raises(UsageError, match=f"^{re.escape(expected)}$"):
        render(STAGES[0], "repo", "zh")


def test_no_teaching_source_holds_a_tab():
    # A TAB in a teaching source was LaTeX's "\t" eaten by a string escape ("\text" -> TAB + "ext"); the
    # notebook then shows it broken.
    sources = sorted(TEACHING_DIR.rglob("*.py"))
    assert sources and [path.name for path in sources if "\t" in path.read_text(encoding="utf-8")] == []
