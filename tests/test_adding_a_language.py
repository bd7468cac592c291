"""A third language added by the documented path alone ("Languages" in README.md), in a copy of the
repository: one catalogue and one notebook rendering. Step 2's `stubs` writes the new catalogue with every
message to translate and stops, in one line, at the teaching sources step 4 adds."""
import shutil

import pytest
from babel.messages.pofile import read_po

from course.language import LANGUAGES

from .conftest import copy_repository, run_in_copy

pytestmark = pytest.mark.slow
NEW = "fr"


def _catalogue(root, language):
    with open(root / "course" / "locale" / language / "LC_MESSAGES" / "dlscratch.po", "rb") as handle:
        return {message.id: message.string for message in read_po(handle) if message.id}


def test_a_third_language_is_one_catalogue_and_one_notebook_rendering(tmp_path):
    root = copy_repository(tmp_path / "repo")
    language_module = root / "course" / "language.py"
    declared = "LANGUAGES = (" + ", ".join(f'"{code}"' for code in LANGUAGES) + ")"
    assert declared in language_module.read_text()
    language_module.write_text(language_module.read_text().replace(declared, f'{declared[:-1]}, "{NEW}")'))
    # Step 2: the catalogue, every message of the course untranslated; the missing teaching sources named.
    stopped = run_in_copy(root, "-m", "autograder", "stubs")
    assert stopped.returncode != 0
    assert stopped.stderr.strip().splitlines()[-1].endswith(
        f"teaching/{NEW}/stage1_perceptron.py is missing: every stage has a teaching source in every language of "
        f"the course ({', '.join((*LANGUAGES, NEW))})")
    new, chinese = _catalogue(root, NEW), _catalogue(root, "zh")
    assert set(new) == set(chinese) and not any(new.values())
    # Step 4: the teaching sources (here the English ones, untranslated) and the student README.
    shutil.copytree(root / "teaching", root / "teaching" / NEW, ignore=shutil.ignore_patterns("zh", NEW))
    templates = root / "autograder" / "templates"
    shutil.copy2(templates / "student_README.md", templates / f"student_README.{NEW}.md")
    done = run_in_copy(root, "-m", "autograder", "stubs")
    assert done.returncode == 0, done.stderr[-2000:]
    notebooks = {path.name for path in (root / "assignments" / "notebooks").glob("*.ipynb")}
    assert {path.name for path in (root / "assignments" / f"notebooks-{NEW}").glob("*.ipynb")} == notebooks
    assert run_in_copy(root, "-m", "autograder", "stubs", "--check").returncode == 0
