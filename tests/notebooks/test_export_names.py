"""`export` writes only the stage table's exercise modules, only inside DEST/dlscratch/, through no link: a
cell's module name is the student's text."""
import json

import pytest

from autograder.jupyter.export import export
from autograder.jupyter.render import notebook_name
from course.stages import STAGES, exercise_modules
from course.usage import UsageError

GATES = "def AND(x1, x2):\n    return 'student'\n"
BAIT = "def AND(x1, x2):\n    return 'original'\n"


def write_notebook(folder, cells, stage=STAGES[0]):
    """A stage notebook in `folder` with solution cells [(module, source)] -> its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / notebook_name(stage)
    path.write_text(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "code", "metadata": {"nbgrader": {"solution": True}, "dlscratch": {"module": module}},
         "source": source, "outputs": [], "execution_count": None} for module, source in cells]}))
    return path


def tree(folder):
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def test_a_module_name_outside_the_stage_table_writes_nothing_and_is_refused_by_cell(tmp_path):
    # Bait files where a module name with ../ or an absolute path would land; DEST's package is the only output.
    outside = tmp_path / "course" / "autograder"
    outside.mkdir(parents=True)
    (outside / "grade.py").write_text(BAIT)
    (tmp_path / "absolute.py").write_text(BAIT)
    before = tree(tmp_path)
    names = ["../../course/autograder/grade", str(tmp_path / "absolute"), "conftest", "gates/../gates", 7]
    write_notebook(tmp_path / "submission", [(name, GATES) for name in names] + [("gates", GATES)])
    used, refused = export(tmp_path / "submission", tmp_path / "dest")
    assert used == {"gates": 1}
    assert refused == [f"export: {notebook_name(STAGES[0])}, cell {number}: module {str(name)[:80]!r} is not an exercise "
                       f"module ({', '.join(sorted(exercise_modules()))}); cell skipped"
                       for number, name in enumerate(names, start=1)]
    after = {path: data for path, data in tree(tmp_path).items() if not path.startswith("dest/")}
    assert after == before | {f"submission/{notebook_name(STAGES[0])}": after[f"submission/{notebook_name(STAGES[0])}"]}
    assert "return 'student'" in (tmp_path / "dest" / "dlscratch" / "gates.py").read_text()


@pytest.mark.parametrize("link", ["dlscratch", "dlscratch/gates.py"])
def test_a_link_in_dest_is_not_followed(tmp_path, link):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "gates.py").write_text(BAIT)
    dest = tmp_path / "dest"
    (dest / link).parent.mkdir(parents=True, exist_ok=True)
    (dest / link).symlink_to(elsewhere / link.removeprefix("dlscratch").lstrip("/"))
    write_notebook(tmp_path / "submission", [("gates", GATES)])
    with pytest.raises(UsageError, match="is a symbolic link; export into a fresh folder"):
        export(tmp_path / "submission", dest)
    assert tree(elsewhere) == {"gates.py": BAIT.encode()}


def test_a_linked_notebook_is_not_read(tmp_path):
    # The instructors' solved notebook, linked into a submission, would export the answers.
    solved = write_notebook(tmp_path / "instructors", [("gates", GATES)])
    (tmp_path / "submission").mkdir()
    (tmp_path / "submission" / solved.name).symlink_to(solved)
    with pytest.raises(UsageError, match="no stage notebook"):
        export(tmp_path / "submission", tmp_path / "dest")
