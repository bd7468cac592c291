"""`python -m autograder export`: submitted notebooks become dlscratch/ modules the sandboxed grader grades."""
import json
import shutil

import nbformat
import pytest

from autograder.sources.leaks import scan
from autograder.jupyter.roundtrip import RELEASED, SOLVED
from course.stages import STAGES
from autograder.release.write import graded_points

from ..conftest import run_python

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def exported(course, tmp_path_factory):
    course_dir, _ = course
    dest = tmp_path_factory.mktemp("exported")
    for student in (SOLVED, RELEASED):
        result = run_python("-m", "autograder", "export", course_dir / "submitted" / student, dest / student)
        assert result.returncode == 0, result.stderr
    return dest


def test_a_solved_submission_exports_to_full_marks_in_the_sandboxed_grader(exported, tmp_path):
    output = tmp_path / "results.json"
    result = run_python("-m", "autograder", "grade", exported / SOLVED, "--format", "json", "--output", output)
    assert result.returncode == 0, result.stderr
    results = json.loads(output.read_text())
    assert results["score"] == results["max_score"] > 0
    assert set(results["extra_data"]["stages"]) == {stage.name for stage in STAGES}
    assert all(total["score"] == total["max_score"] for total in results["extra_data"]["stages"].values())


def test_a_released_submission_exports_to_nbgrader_stubs_and_no_answer(exported):
    for stage in STAGES:
        for module in stage.modules:
            assert "raise NotImplementedError()" in (exported / RELEASED / "dlscratch" / f"{module}.py").read_text()
    assert scan(exported / RELEASED / "dlscratch") == []


def _edit_cell(path, module, edit):
    notebook = nbformat.read(path, as_version=4)
    cell = next(cell for cell in notebook.cells if cell.metadata.get("dlscratch", {}).get("module") == module
                and cell.metadata.get("nbgrader", {}).get("solution"))
    cell.source = edit(cell.source)
    nbformat.write(notebook, path)
    return notebook.cells.index(cell) + 1


def test_a_cell_that_does_not_parse_is_a_one_line_error(course, tmp_path):
    course_dir, _ = course
    submission = shutil.copytree(course_dir / "submitted" / SOLVED / "stage2_neuralnet", tmp_path / "submission")
    number = _edit_cell(submission / "stage2_neuralnet.ipynb", "activations", lambda s: s + "\ndef broken(:\n    pass\n")
    result = run_python("-m", "autograder", "export", str(submission), str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert f"stage2_neuralnet.ipynb, cell {number} (activations) does not parse: line" in result.stderr


def test_a_carried_over_cell_yields_to_its_own_stage_and_helpers_are_kept(course, tmp_path):
    course_dir, _ = course
    submission = tmp_path / "submission"
    for stage in ("stage2_neuralnet", "stage3_learning"):
        shutil.copytree(course_dir / "submitted" / SOLVED / stage, submission / stage)
    _edit_cell(submission / "stage3_learning" / "stage3_learning.ipynb", "activations",
               lambda s: s.replace("def softmax(x):", "def softmax(x):\n    return 'carried'"))
    _edit_cell(submission / "stage2_neuralnet" / "stage2_neuralnet.ipynb", "activations",
               lambda s: "import math\n\n\ndef _helper():\n    return math.pi\n\n\n" + s + "\n\nsigmoid(3.0)\n")
    result = run_python("-m", "autograder", "export", str(submission), str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    activations = (tmp_path / "out" / "dlscratch" / "activations.py").read_text()
    assert "'carried'" not in activations and "def _helper():" in activations and "import math" in activations
    assert "sigmoid(3.0)" not in activations, "a cell's bare expressions are not exported"


def test_one_stage_s_notebook_is_graded_as_that_stage(course, tmp_path):
    # Its copies of softmax, cross_entropy_error and numerical_gradient serve its own tests only.
    course_dir, _ = course
    stage = STAGES[3]
    result = run_python("-m", "autograder", "export", str(course_dir / "submitted" / SOLVED / stage.folder),
                  str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    command = result.stdout.strip().splitlines()[-1].split(": ", 1)[1]
    assert command == f"python -m autograder grade {tmp_path / 'out'} --stage {stage.name}"
    output = tmp_path / "results.json"
    graded = run_python(*command.split()[1:], "--format", "json", "--output", str(output))
    assert graded.returncode == 0, graded.stderr
    results = json.loads(output.read_text())
    assert set(results["extra_data"]["stages"]) == {stage.name}
    assert results["score"] == results["max_score"] == graded_points()[stage.name]
