"""Submitted notebooks -> DEST/dlscratch/, for the grader (`python -m autograder export SUBMISSION DEST`).

SUBMISSION is a notebook or a folder searched for the stage notebooks (an nbgrader submitted/<student>/).
DEST gets the stub package with every exercise definition a notebook's solution cells hold spliced in,
so `python -m autograder grade DEST` grades nbgrader submissions in the sandbox like any other.
A definition carried over into a later stage's notebook is used only when its own stage's notebook
doesn't define it. From a solution cell, definitions of the stub's names replace them; the cell's other
imports, functions, classes and assignments are appended to the module (helpers students wrote); bare
expressions (a cell's experiments and displays) are dropped.

A cell's module name is the student's text: only the stage table's exercise modules are written, anything
else is refused with one line for that cell, every write stays inside DEST/dlscratch/ and goes through no
symbolic link, and a notebook that is a symbolic link is not read.
"""
import ast
import json
import os
from pathlib import Path

from course.names import STUDENT_PACKAGE, module_file
from course.stages import STAGES, exercise_modules, stage_of_module
from course.student_package import student_data_files, student_package_files, write_student_package
from course.usage import UsageError

from .definitions import _top_level
from .render import notebook_name

EXERCISE_MODULES = exercise_modules()
KEPT_EXTRAS = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef, ast.Assign, ast.AnnAssign)


def find_notebooks(submission):
    """[(stage, path)] of the stage notebooks in `submission` (a notebook file or a folder)."""
    by_name = {notebook_name(stage): stage for stage in STAGES}
    paths = [submission] if submission.is_file() else sorted(submission.rglob("*.ipynb"))
    # A linked notebook could be anyone's on this machine (the instructors' solved source notebooks).
    found = [(by_name[path.name], path) for path in paths
             if path.name in by_name and ".ipynb_checkpoints" not in path.parts and not path.is_symlink()]
    if not found:
        raise UsageError(f"export: no stage notebook ({', '.join(sorted(by_name))}) in {submission}")
    return found


def solution_cells(stage, path):
    """[(own stage?, module, cell number, source)] of the notebook's solution cells; a cell naming a module
    that is not an exercise module has None for own stage (it is refused)."""
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise UsageError(f"export: {path} is not a readable notebook: {error}") from error
    cells = []
    for number, cell in enumerate(notebook.get("cells", []), start=1):
        meta = cell.get("metadata", {})
        module = meta.get("dlscratch", {}).get("module")
        if cell.get("cell_type") == "code" and meta.get("nbgrader", {}).get("solution") and module:
            source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            known = isinstance(module, str) and module in EXERCISE_MODULES
            cells.append((stage_of_module(module) is stage if known else None, module, number, source))
    return cells


def _parse(source, where):
    try:
        return ast.parse(source)
    except SyntaxError as error:
        raise UsageError(f"export: {where} does not parse: line {error.lineno}: {error.msg}") from None


def _segment(source, node):
    lines = source.splitlines()
    first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
    return "\n".join(lines[first - 1:node.end_lineno])


def splice(stub, cells, module):
    """The stub module with the cells' definitions spliced in -> module text."""
    stub_nodes = _top_level(ast.parse(stub))
    replacements, extras = {}, []
    for where, source in cells:
        for node in _parse(source, where).body:
            names = list(_top_level(ast.Module(body=[node], type_ignores=[])))
            if names and all(name in stub_nodes for name in names):
                replacements.update({name: _segment(source, node) for name in names})
            elif isinstance(node, KEPT_EXTRAS):
                extras.append(_segment(source, node))
    lines = stub.splitlines()
    for name, node in sorted(stub_nodes.items(), key=lambda item: -item[1].lineno):
        if name in replacements:
            first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
            lines[first - 1:node.end_lineno] = replacements[name].splitlines()
    text = "\n".join(lines) + "\n"
    if extras:
        text += "\n\n# Also defined in your notebook's solution cells.\n" + "\n\n".join(extras) + "\n"
    _parse(text, f"the exported {module}.py")
    return text


def _check_destination(package):
    """Refuse a DEST/dlscratch/ that is, or holds in a place export writes, a symbolic link."""
    names = [*student_package_files(), *(path.name for path in student_data_files())]
    for path in [package, *(package / name for name in names)]:
        if path.is_symlink():
            raise UsageError(f"export: {path} is a symbolic link; export into a fresh folder")


def _write_module(package, module, text):
    """Write package/<module>.py, an exercise module's file: inside the package, never through a link."""
    target = package / module_file(module)
    if target.resolve().parent != package.resolve():
        raise UsageError(f"export: {target} is outside {package}")
    descriptor = os.open(target, os.O_WRONLY | os.O_TRUNC | os.O_NOFOLLOW)
    with os.fdopen(descriptor, "w", encoding="utf-8") as sink:
        sink.write(text)


def refusal(notebook, number, module):
    """The one line for a cell whose module is not an exercise module (the cell is not exported)."""
    return (f"export: {notebook}, cell {number}: module {str(module)[:80]!r} is not an exercise module "
            f"({', '.join(sorted(EXERCISE_MODULES))}); cell skipped")


def export(submission, dest):
    """Write DEST/dlscratch/ from the notebooks in `submission` -> ({module: number of cells used},
    [one line per refused cell])."""
    package = Path(dest).resolve() / STUDENT_PACKAGE
    _check_destination(package)
    write_student_package(package)
    found, refused = [], []
    for stage, path in find_notebooks(submission):
        for own, module, number, source in solution_cells(stage, path):
            if own is None:
                refused.append(refusal(path.name, number, module))
            else:
                found.append((own, module, f"{path.name}, cell {number} ({module})", source))
    by_module = {}
    # Carried-over cells first, so that a definition from its own stage's notebook replaces them.
    for _, module, where, source in sorted(found, key=lambda cell: cell[0]):
        by_module.setdefault(module, []).append((where, source))
    for module, cells in by_module.items():
        stub = (package / module_file(module)).read_text(encoding="utf-8")
        _write_module(package, module, splice(stub, cells, module))
    return {module: len(cells) for module, cells in by_module.items()}, refused


def grade_command(dest, submission):
    """The command grading the stages whose notebooks `submission` holds. The earlier functions a notebook
    carries over for its own tests are exported (where their own stage's notebook is absent) so those tests
    can run, but are not graded as their stage: a lone stage 4 notebook is graded out of stage 4's points."""
    stages = sorted({stage.name for stage, _ in find_notebooks(submission)})
    only = "".join(f" --stage {name}" for name in stages) if len(stages) < len(STAGES) else ""
    return f"python -m autograder grade {dest}{only}"
