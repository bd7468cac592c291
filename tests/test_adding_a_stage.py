"""A throwaway stage added by the documented path alone ("Adding a stage" in autograder/README.md), in a copy
of the repository: a stage row, a solution module and a given support module, a public test, a hidden
suite, rubric entries, a notebook source, then `stubs`, the stage-table checks, a release and a grade."""
import fnmatch
import json
import re
import textwrap

import pytest

from course.language import LANGUAGES
from course.paths import REPO_ROOT, student_notebooks_dir
from course.stages import STAGES

from .conftest import SCRATCH, copy_repository, run_in_copy

pytestmark = pytest.mark.slow

# What `python -m autograder stubs` writes (the doc's step after the table): the notebooks of every language.
GENERATED = ("README.md", "assignments/dlscratch/*.py",
             *(f"{student_notebooks_dir(language).relative_to(REPO_ROOT).as_posix()}/*.ipynb" for language in LANGUAGES))
# The throwaway stage is the next after the course's own; its texts below are written for stage 6.
THROWAWAY = len(STAGES) + 1


def _numbered(text):
    return text.replace("stage6", f"stage{THROWAWAY}").replace("Stage 6", f"Stage {THROWAWAY}")


ROW = _numbered('    Stage("stage6", "Throwaway: a scaled sum", "stage6_throwaway", ("scaled",),\n'
                '          "`scaled_sum`", support=("flat",), call_timeout=5.0),\n')
NEW_FILES = {
    "solutions/flat.py": '''
        """Stage 6 support: given course code students use and never edit."""
        import numpy as np


        def flatten(x):
            """x: any shape -> (x.size,) float64."""
            return np.asarray(x, dtype=np.float64).reshape(-1)
        ''',
    "solutions/scaled.py": '''
        """Stage 6: a scaled sum through the given flatten."""
        from .flat import flatten


        def scaled_sum(x, k):
            """k * sum of every element. x: any shape, k: float -> Python float."""
            ### BEGIN SOLUTION
            return float(k * flatten(x).sum())
            ### END SOLUTION
        ''',
    "assignments/stage6_throwaway/test_scaled.py": '''
        """Public tests, stage 6."""
        import pytest

        from dlscratch.scaled import scaled_sum


        @pytest.mark.points(1)
        def test_scaled_sum():
            assert scaled_sum([[1.0, 2.0], [3.0, 4.0]], 0.5) == 5.0
        ''',
    "autograder/hidden/test_stage6.py": '''
        """Hidden suite, stage 6."""
        from autograder.grading.checks import expect_scalar
        from solutions import scaled


        def test_scaled_sum(student, rng):
            x, k = rng.standard_normal((3, 4)), float(rng.uniform(1, 2))
            expect_scalar(student.scaled.scaled_sum(x, k), scaled.scaled_sum(x, k), "scaled_sum on a (3, 4) array")


        def test_scaled_sum_of_a_cube(student, rng):
            x = rng.standard_normal((2, 3, 4))
            expect_scalar(student.scaled.scaled_sum(x, -2.0), scaled.scaled_sum(x, -2.0), "scaled_sum on a (2, 3, 4) array")
        ''',
    "teaching/stage6_throwaway.py": '''
        # %% [markdown]
        # # Stage 6: a scaled sum

        # %%
        import numpy as np

        # %% module="flat" names=["flatten"]

        # %% module="scaled" names=["scaled_sum"]

        # %% tests="scaled" points=1
        assert scaled_sum(np.ones((2, 2)), 2.0) == 8.0
        ### BEGIN HIDDEN TESTS
        assert scaled_sum(np.arange(3.0), -1.0) == -3.0
        ### END HIDDEN TESTS
        ''',
    "teaching/zh/stage6_throwaway.py": '''
        # %% [markdown]
        # # 临时阶段：缩放求和

        # %%
        import numpy as np

        # %% module="flat" names=["flatten"]

        # %% module="scaled" names=["scaled_sum"]

        # %% tests="scaled" points=1
        assert scaled_sum(np.ones((2, 2)), 2.0) == 8.0
        ### BEGIN HIDDEN TESTS
        assert scaled_sum(np.arange(3.0), -1.0) == -3.0
        ### END HIDDEN TESTS
        ''',
}
NEW_FILES = {_numbered(name): _numbered(source) for name, source in NEW_FILES.items()}
RUBRIC = _numbered('\n[stage6]\n"test_scaled_sum" = 1\n"test_scaled_sum_of_a_cube" = 0.5\n')
STAGE, FOLDER = f"stage{THROWAWAY}", f"stage{THROWAWAY}_throwaway"
# A submission's own copy of a support module never reaches the worker: this one would lose both tests.
TAMPERED_FLAT = "import numpy as np\n\ndef flatten(x):\n    return np.zeros(np.size(x))\n"


def _run(root, *args):
    """`python ARGS...` in the copy of the repository at `root`, its code first on the path -> stdout (success
    asserted)."""
    result = run_in_copy(root, *args)
    assert result.returncode == 0, (args, result.stdout[-3000:], result.stderr[-3000:])
    return result.stdout


def _add_the_stage(root):
    stages = root / "course" / "stages.py"
    text = stages.read_text()
    end = text.index("\n)\n", text.index("STAGES = ("))
    stages.write_text(text[:end + 1] + ROW + text[end + 1:])
    for name, source in NEW_FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(source).lstrip())
    with open(root / "autograder" / "hidden" / "rubric.toml", "a") as rubric:
        rubric.write(RUBRIC)


def _graded(root, submission):
    report = json.loads(_run(root, "-m", "autograder", "grade", submission, "--stage", STAGE, "--format", "json"))
    total = report["extra_data"]["stages"][STAGE]
    return total["score"], total["max_score"]


@pytest.fixture(scope="module")
def repository(tmp_path_factory):
    """A copy of the repository with the throwaway stage added by the documented steps."""
    root = copy_repository(tmp_path_factory.mktemp("course") / "repo")
    _add_the_stage(root)
    _run(root, "-m", "autograder", "stubs")
    return root


def _documented_files():
    """The files "Adding a stage" in autograder/README.md says a stage touches, as glob patterns for the
    throwaway stage."""
    text = (REPO_ROOT / "autograder" / "README.md").read_text()
    table = text[text.index("## Adding a stage"):text.index("Nothing else is edited by hand")]
    return [path.replace("stageN", STAGE).replace("FOLDER", FOLDER).replace("<module>", "*")
            for path in re.findall(r"^\| `([^`]+)` \|", table, re.MULTILINE)]


def _changed_files(root):
    """Paths (POSIX, relative) of the files under `root` that are new or differ from the repository's."""
    changed = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.is_file() and not any(fnmatch.fnmatch(part, pattern) for part in relative.parts for pattern in SCRATCH):
            original = REPO_ROOT / relative
            if not original.is_file() or original.read_bytes() != path.read_bytes():
                changed.append(relative.as_posix())
    return changed


def test_a_stage_touches_only_the_course_row_its_own_files_and_its_rubric_section(repository):
    documented, allowed = _documented_files(), _documented_files() + list(GENERATED)
    assert documented[:1] == ["course/stages.py"] and "autograder/hidden/rubric.toml" in documented
    for path in (*NEW_FILES, "course/stages.py", "autograder/hidden/rubric.toml"):
        assert any(fnmatch.fnmatch(path, pattern) for pattern in documented), f"{path} is not in the doc's table"
    assert [path for path in _changed_files(repository)
            if not any(fnmatch.fnmatch(path, pattern) for pattern in allowed)] == []
    # The course layer gets one row and the rubric one section; nothing in them is rewritten.
    for name, added in (("course/stages.py", ROW), ("autograder/hidden/rubric.toml", RUBRIC)):
        assert (repository / name).read_text().replace(added, "", 1) == (REPO_ROOT / name).read_text()


def test_the_documented_steps_pass_the_stage_table_checks(repository):
    _run(repository, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_stage_table.py", "tests/test_stubs.py",
         "tests/grader/test_rubric.py")
    assert f"| `{STAGE}` | `scaled_sum` | `scaled`; given: `flat` |" in (repository / "README.md").read_text()
    stub = (repository / "assignments" / "dlscratch" / "scaled.py").read_text()
    assert _numbered('raise NotImplementedError("Stage 6: implement scaled_sum")') in stub
    assert (repository / "assignments" / "dlscratch" / "flat.py").read_text().startswith(
        _numbered("# Stage 6 support code"))
    for language in LANGUAGES:
        assert (repository / student_notebooks_dir(language).relative_to(REPO_ROOT) / f"{FOLDER}.ipynb").exists()


def test_the_new_stage_is_released_and_graded(repository, tmp_path):
    solved, stubs = tmp_path / "solved", tmp_path / "stubs"
    _run(repository, "-m", "autograder", "release", solved, "--solved")
    _run(repository, "-m", "autograder", "release", stubs)
    assert f"| `{STAGE}` | Throwaway: a scaled sum |" in (solved / "README.md").read_text()
    public = _run(solved, "-m", "pytest", "-q", "-p", "no:cacheprovider", FOLDER)
    assert "1 passed" in public
    assert _graded(repository, solved) == (1.5, 1.5)
    assert _graded(repository, stubs) == (0.0, 1.5)
    (solved / "dlscratch" / "flat.py").write_text(TAMPERED_FLAT)
    assert _graded(repository, solved) == (1.5, 1.5)
