"""The stage table drives every stage-dependent place: each stage has exactly its files, every reference
module belongs to one stage or to the shared course code, and the README's table is generated from it."""
import argparse

import pytest

from course.names import STUDENT_PACKAGE
from course.paths import ASSIGNMENTS_DIR, SOLUTIONS_DIR
from course.rubric import load_rubric
from course.paths import HIDDEN_DIR
from autograder.grading.session import Settings, StageSession
from autograder.commands.grade import add_arguments
from autograder.sources.generated import stale_readme
from course.language import LANGUAGES
from course.paths import student_notebooks_dir, teaching_dir
from course.readme_table import stage_rows
from course.stages import SHARED_MODULES, STAGES, Stage, stage_argument
from course.stubs import make_stub
from course.usage import UsageError

# What assignments/ holds besides the stage folders (the student notebooks of every language), and
# autograder/hidden/ besides the suites.
ASSIGNMENTS_OTHER = {STUDENT_PACKAGE} | {student_notebooks_dir(language).name for language in LANGUAGES}
HIDDEN_OTHER = {"probes.py", "pytest.ini", "rubric.toml"}


def test_every_stage_has_its_files_and_nothing_else_exists():
    names, folders = {stage.name for stage in STAGES}, {stage.folder for stage in STAGES}
    assert {path.name for path in ASSIGNMENTS_DIR.iterdir() if path.name != "__pycache__"} == folders | ASSIGNMENTS_OTHER
    for language in LANGUAGES:
        assert {path.stem for path in teaching_dir(language).glob("*.py")} == folders, language
        assert {path.stem for path in student_notebooks_dir(language).glob("*.ipynb")} == folders, language
    assert {path.name for path in HIDDEN_DIR.iterdir() if path.is_file()} == HIDDEN_OTHER | {
        f"test_{name}.py" for name in names}
    assert {entry.stage for entry in load_rubric().values()} == names
    for stage in STAGES:
        assert list((ASSIGNMENTS_DIR / stage.folder).glob("test_*.py")), f"{stage.folder} has no public test"


def test_every_reference_module_belongs_to_exactly_one_place():
    claims = [module for stage in STAGES for module in stage.modules + stage.support] + list(SHARED_MODULES)
    assert len(claims) == len(set(claims)), "a module is listed twice in course/stages.py"
    assert set(claims) == {path.stem for path in SOLUTIONS_DIR.glob("*.py")}


def test_stage_names_number_the_stages_in_order():
    assert [stage.number for stage in STAGES] == list(range(1, len(STAGES) + 1))
    assert all(stage.folder.startswith(f"{stage.name}_") for stage in STAGES)


def test_the_readme_stage_table_is_generated_from_the_stage_table():
    assert stale_readme() == [], "run `python -m autograder stubs` and commit README.md"


def test_a_stage_row_lists_exercise_then_given_modules():
    stage = Stage("stage9", "Convolutions", "stage9_cnn", ("convolution", "pooling"), "`Convolution`, `Pooling`",
                  support=("util",))
    assert stage_rows([stage]) == ["| `stage9` | `Convolution`, `Pooling` | `convolution`, `pooling`; given: `util` |"]


def test_a_solution_region_outside_a_stage_module_is_an_error():
    source = "def im2col(x):\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION\n"
    with pytest.raises(UsageError, match="solutions/util.py:2: a solution region in util, which is no stage"):
        make_stub(source, "util")


@pytest.mark.parametrize("override, expected", [(None, 3.0), (7.5, 7.5)])
def test_a_call_deadline_is_the_stage_s_own_unless_overridden(override, expected):
    session = StageSession("stage1", None, Settings(isolation=None, call_timeout=override))
    assert session.call_timeout == expected == (override or STAGES[0].call_timeout)


@pytest.mark.parametrize("text", ["stage2", "2"])
def test_every_command_names_a_stage_by_name_or_number(text):
    assert stage_argument(text) is STAGES[1]
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    assert parser.parse_args(["repo", "--stage", text]).stage == ["stage2"]


@pytest.mark.parametrize("text", ["stage9", "9", "two", ""])
def test_an_unknown_stage_names_the_choices(text):
    with pytest.raises(argparse.ArgumentTypeError, match=f"unknown stage {text!r} \\(choose from stage1, stage2"):
        stage_argument(text)
