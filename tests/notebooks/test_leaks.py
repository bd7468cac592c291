"""No release leaks an answer: our release and nbgrader's release/ hold no secret line; a planted one is found."""
import shutil

import pytest

from autograder.jupyter.render import teaching_source
from autograder.sources.leaks import hidden_test_cell_lines, normalise, scan, secret_lines
from course.language import LANGUAGES
from course.paths import REPO_ROOT, student_notebooks_dir
from course.stages import STAGES

from .helpers import plant_in_notebook

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def secrets():
    return secret_lines()


def _origins(found):
    return {origin.split(":")[0] for _, _, origin in found}


def test_secrets_cover_solutions_hidden_suites_and_hidden_test_cells(secrets):
    origins = {where.split(":")[0] for where in secrets.values()}
    assert {"solutions/layers.py", "solutions/optimizers.py", "autograder/hidden/probes.py",
            "teaching/stage4_backprop.py"} <= origins
    assert normalise("self.dW = np.dot(self.x.T, dout)") in secrets
    assert not any(len(line) < 14 for line in secrets), "short lines are syntax, not answers"


def test_every_language_s_hidden_test_cells_are_secrets():
    origins = {where.split(":")[0] for _, where in hidden_test_cell_lines()}
    assert origins == {teaching_source(stage, language).relative_to(REPO_ROOT).as_posix()
                       for language in LANGUAGES for stage in STAGES}


def test_translated_notebooks_and_their_nbgrader_release_leak_nothing(translated_courses, secrets):
    for language, (course_dir, _) in translated_courses.items():
        assert "solutions/gates.py" in _origins(scan(course_dir / "source", secrets)), "the scan reads them"
        assert scan(course_dir / "release", secrets) == []
        assert scan(student_notebooks_dir(language), secrets) == []


def test_the_scan_finds_the_answers_where_they_are(secrets, course):
    course_dir, _ = course
    assert "solutions/layers.py" in _origins(scan(course_dir / "source", secrets))


def test_our_release_leaks_nothing(stub_release, secrets):
    assert scan(stub_release, secrets) == []


def test_nbgrader_release_leaks_nothing(course, secrets):
    course_dir, _ = course
    assert (course_dir / "release").is_dir()
    assert scan(course_dir / "release", secrets) == []


@pytest.mark.parametrize("secret", ["self.dW = np.dot(self.x.T, dout)",
                                    "hidden_rng = np.random.default_rng(9091)"])
def test_a_planted_leak_is_found_in_either_release(stub_release, course, secrets, tmp_path, secret):
    course_dir, _ = course
    ours = shutil.copytree(stub_release, tmp_path / "ours")
    theirs = shutil.copytree(course_dir / "release", tmp_path / "nbgrader")
    plant_in_notebook(ours / "notebooks" / "stage4_backprop.ipynb", "    " + secret)
    plant_in_notebook(theirs / "stage4_backprop" / "stage4_backprop.ipynb", secret)
    (ours / "dlscratch" / "layers.py").write_text((ours / "dlscratch" / "layers.py").read_text() + f"\n# {secret}\n")
    for root in (ours, theirs):
        found = scan(root, secrets)
        assert found and all(secrets[normalise(secret)] == origin for _, _, origin in found)
    assert {path.name for path, _, _ in scan(ours, secrets)} == {"stage4_backprop.ipynb"}, \
        "a commented-out line is a different line"
