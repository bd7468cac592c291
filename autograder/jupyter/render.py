"""Render a stage's teaching source as the nbgrader source notebook or as the student's notebook.

Cells of a teaching source (jupytext percent format, metadata on the `# %%` line):
- `# %% [markdown]`: teaching text, copied as is;
- `# %% module="layers" names=["Relu", "Affine"]` (empty body): those definitions of solutions/layers.py.
  In the nbgrader source they are the code itself, a solution cell when it holds a solution region
  (else a locked cell of given code); in the student notebook, an import from the student's dlscratch;
- `# %% tests="affine" points=2`: a graded, locked test cell; its `### BEGIN HIDDEN TESTS` region is
  kept for nbgrader (which strips it from its release) and dropped from the student notebook;
- `# %% only="nbgrader"` / `only="repo"`: a cell for one of the two renderings;
- any other code cell: teaching code and plots, the same in both.

Every language of the course has its own teaching sources (teaching_dir(language)), the same cells in
the same order (a test keeps them in step); the comments the renderer writes into exercise cells are
looked up in the language's gettext catalogue.
"""
from course.language import DEFAULT_LANGUAGE, LANGUAGES, translation
from course.names import STUDENT_PACKAGE, module_file
from course.paths import REPO_ROOT, SOLUTIONS_DIR, teaching_dir
from course.stages import STAGES, stage_of_module
from course.stubs import marker_regions, solution_regions
from course.usage import UsageError

from .definitions import definition_source

FLAVOURS = ("nbgrader", "repo")
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def teaching_source(stage, language=DEFAULT_LANGUAGE):
    """The path of a stage's teaching source in `language`: teaching/<stage folder>.py in English."""
    return teaching_dir(language) / f"{stage.folder}.py"


def notebook_name(stage):
    return f"{stage.folder}.ipynb"


def hidden_regions(source, where):
    """[(begin_line, end_line)] of the ### BEGIN/END HIDDEN TESTS regions, 1-based and inclusive of the markers;
    strict as solution regions are."""
    return marker_regions(source, "HIDDEN TESTS", where)


def strip_hidden(source, where):
    """The test cell as students see it: every hidden region removed."""
    lines = source.splitlines()
    for begin, end in reversed(hidden_regions(source, where)):
        del lines[begin - 1:end]
    return "\n".join(lines).strip("\n")


def _code(source, metadata=None):
    """A code cell as nbformat 4 JSON (plain dicts: `python -m autograder` must not need nbformat)."""
    return {"cell_type": "code", "execution_count": None, "metadata": metadata or {}, "outputs": [], "source": source}


def _nbgrader(grade_id, solution=False, grade=False, locked=False, points=None):
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def _definitions_cell(meta, flavour, stage, language):
    _ = translation(language).gettext
    module, names = meta["module"], list(meta["names"])
    reference = (SOLUTIONS_DIR / module_file(module)).read_text(encoding="utf-8")
    code = definition_source(reference, names, module)
    tag = {"dlscratch": {"module": module, "names": names}}
    owner = stage_of_module(module)
    exercise = bool(solution_regions(code, f"solutions/{module}.py"))
    if flavour == "repo":
        path = f"{STUDENT_PACKAGE}/{module}.py"
        note = (_("# Your code: {path} (stage {number}); edit it there, then re-run this cell.").format(
                    path=path, number=owner.number) if exercise else _("# Given: {path}.").format(path=path))
        return _code(f"{note}\nfrom {STUDENT_PACKAGE}.{module} import {', '.join(names)}", metadata=tag)
    grade_id = "__".join([module, *names])
    if exercise:
        if owner is not stage:
            code = _("# Carried over from stage {number}: paste your code from that notebook (it is graded "
                     "there).").format(number=owner.number) + "\n" + code
        return _code(code, metadata={**tag, **_nbgrader(grade_id, solution=True)})
    return _code(code, metadata={**tag, **_nbgrader("given__" + grade_id, locked=True)})


def _test_cell(meta, source, flavour, where):
    hidden_regions(source, where)
    if flavour == "repo":
        return _code(strip_hidden(source, where))
    grading = _nbgrader(f"test_{meta['tests']}", grade=True, locked=True, points=meta["points"])
    return _code(source, metadata=grading)


def _cell(cell, flavour, stage, where, language):
    meta = dict(cell.metadata)
    if cell.cell_type == "markdown":
        return {"cell_type": "markdown", "metadata": {}, "source": cell.source}
    if meta.get("only", flavour) != flavour:
        return None
    if "module" in meta:
        return _definitions_cell(meta, flavour, stage, language)
    if "tests" in meta:
        return _test_cell(meta, cell.source, flavour, where)
    return _code(cell.source)


def render(stage, flavour, language=DEFAULT_LANGUAGE):
    """The stage's notebook (an nbformat NotebookNode) in `flavour`, "nbgrader" or "repo", and `language`."""
    try:  # only regeneration needs these; releases copy the committed notebooks
        import jupytext
        import nbformat
    except ImportError as error:
        raise UsageError(f"generating notebooks needs {error.name}: python -m pip install -e '.[nbgrader]'") from None

    path = teaching_source(stage, language)
    if not path.is_file():
        raise UsageError(f"{path.relative_to(REPO_ROOT).as_posix()} is missing: every stage has a teaching source "
                         f"in every language of the course ({', '.join(LANGUAGES)})")
    cells = []
    for index, cell in enumerate(jupytext.read(path).cells):
        rendered = _cell(cell, flavour, stage, f"{path.relative_to(REPO_ROOT).as_posix()} cell {index + 1}", language)
        if rendered is not None:
            rendered["id"] = f"{stage.name}-{len(cells):02d}"
            cells.append(rendered)
    metadata = {"kernelspec": KERNELSPEC, "language_info": {"name": "python"},
                "dlscratch": {"stage": stage.name,
                              "generated": f"from {path.relative_to(REPO_ROOT).as_posix()} by python -m autograder stubs; edit that file"}}
    notebook = nbformat.from_dict({"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5})
    nbformat.validate(notebook)
    return notebook


def student_notebook_files(language=DEFAULT_LANGUAGE):
    """{file name: JSON text} of the student notebooks of every stage in `language` (the committed
    student_notebooks_dir(language))."""
    import nbformat

    return {notebook_name(stage): nbformat.writes(render(stage, "repo", language)) + "\n" for stage in STAGES}
