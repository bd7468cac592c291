"""A new release over a student's working copy: what counts as theirs, backups, and updates beside their files."""
import shutil

import pytest

from autograder.release.manifest import MANIFEST_NAME, read_manifest, write_manifest
from autograder.release.working_copy import back_up, beside_name, student_changes, update

from .files import tree_hashes

OLD = {"dlscratch/layers.py": "def affine():\n    raise NotImplementedError\n",
       "dlscratch/gates.py": "def AND():\n    raise NotImplementedError\n",
       "stage1_perceptron/test_gates.py": "def test_and():\n    assert False  # a bug in the public test\n",
       "notebooks/stage1_perceptron.ipynb": "{}\n",
       "README.md": "# course\n",
       "dlscratch/retired.py": "x = 1\n"}
NEW = {**{path: text for path, text in OLD.items() if path != "dlscratch/retired.py"},
       "dlscratch/layers.py": "def affine():\n    \"\"\"x: (N, D) -> (N, M).\"\"\"\n    raise NotImplementedError\n",
       "stage1_perceptron/test_gates.py": "def test_and():\n    assert True  # fixed\n",
       "dlscratch/check.py": "def main():\n    pass\n"}
STUDENT = {"dlscratch/layers.py": "def affine():\n    return 1\n",
           "dlscratch/gates.py": "def AND():\n    return 0\n"}


def write_tree(root, files):
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    write_manifest(root)
    return read_manifest(root)


@pytest.fixture
def trees(tmp_path):
    """(student copy of the old release with STUDENT's changes, old entries, new release root, new entries)."""
    old_entries = write_tree(tmp_path / "old", OLD)
    new_entries = write_tree(tmp_path / "new", NEW)
    shutil.copytree(tmp_path / "old", tmp_path / "copy")
    for path, text in STUDENT.items():
        (tmp_path / "copy" / path).write_text(text)
    (tmp_path / "copy" / "mine.txt").write_text("my notes\n")
    return tmp_path / "copy", old_entries, tmp_path / "new", new_entries


@pytest.mark.parametrize("path, beside", [
    ("dlscratch/layers.py", "dlscratch/layers.new.py"),
    ("notebooks/stage4_backprop.ipynb", "notebooks/stage4_backprop.new.ipynb"),
    ("stage4_backprop/test_layers.py", "stage4_backprop/test_layers.py.new"),
    ("stage4_backprop/layers_test.py", "stage4_backprop/layers_test.py.new"),
    (".github/workflows/classroom.yml", ".github/workflows/classroom.yml.new"),
    (".gitignore", ".gitignore.new"),
    ("pyproject.toml", "pyproject.new.toml"),
])
def test_new_versions_get_names_no_tool_picks_up(path, beside):
    assert beside_name(path) == beside


def test_student_changes_are_files_matching_neither_release(trees):
    copy, old_entries, _, new_entries = trees
    assert student_changes(copy, new_entries, old_entries) == ["dlscratch/gates.py", "dlscratch/layers.py"]


def test_without_a_manifest_every_file_differing_from_the_release_is_the_students(trees):
    copy, _, _, new_entries = trees
    assert student_changes(copy, new_entries, {}) == [
        "dlscratch/gates.py", "dlscratch/layers.py", "stage1_perceptron/test_gates.py"]


def test_back_up_moves_the_files_with_their_folders(trees):
    copy, *_ = trees
    folder = back_up(copy, ["dlscratch/layers.py"])
    assert folder.parent == copy / ".release-backup"
    assert (folder / "dlscratch" / "layers.py").read_text() == STUDENT["dlscratch/layers.py"]
    assert not (copy / "dlscratch" / "layers.py").exists()
    assert back_up(copy, ["dlscratch/gates.py"]) != folder  # a second backup in the same second gets its own folder


def test_update_refreshes_untouched_files_and_writes_new_versions_beside_the_students(trees):
    copy, old_entries, new_root, new_entries = trees
    lines = update(new_root, copy, new_entries, old_entries)
    assert (copy / "stage1_perceptron/test_gates.py").read_text() == NEW["stage1_perceptron/test_gates.py"]
    assert (copy / "dlscratch/layers.py").read_text() == STUDENT["dlscratch/layers.py"]
    assert (copy / "dlscratch/layers.new.py").read_text() == NEW["dlscratch/layers.py"]
    # the student changed gates.py but the release did not: nothing to put beside it
    assert (copy / "dlscratch/gates.py").read_text() == STUDENT["dlscratch/gates.py"]
    assert not (copy / "dlscratch/gates.new.py").exists()
    assert (copy / "dlscratch/check.py").read_text() == NEW["dlscratch/check.py"]
    assert (copy / "dlscratch/retired.py").read_text() == OLD["dlscratch/retired.py"]
    assert (copy / "mine.txt").read_text() == "my notes\n"
    assert lines == [
        "  added      dlscratch/check.py",
        "  kept       dlscratch/layers.py (your work); the new version is beside it: dlscratch/layers.new.py",
        "  refreshed  stage1_perceptron/test_gates.py",
        "  left alone dlscratch/retired.py (no longer part of the release)",
        "  3 other released files: nothing new for them in this release",
    ]


def test_after_an_update_the_manifest_is_the_new_release_so_the_students_change_still_shows(trees):
    copy, old_entries, new_root, new_entries = trees
    update(new_root, copy, new_entries, old_entries)
    assert (copy / MANIFEST_NAME).read_bytes() == (new_root / MANIFEST_NAME).read_bytes()
    assert student_changes(copy, new_entries, read_manifest(copy)) == ["dlscratch/gates.py", "dlscratch/layers.py"]


def test_a_protected_file_the_student_changed_is_kept_and_its_new_version_is_not_collected(trees):
    copy, old_entries, new_root, new_entries = trees
    (copy / "stage1_perceptron/test_gates.py").write_text("def test_and():\n    pass  # made to pass\n")
    lines = update(new_root, copy, new_entries, old_entries)
    assert (copy / "stage1_perceptron/test_gates.py").read_text().endswith("# made to pass\n")
    assert (copy / "stage1_perceptron/test_gates.py.new").read_text() == NEW["stage1_perceptron/test_gates.py"]
    assert ("  kept       stage1_perceptron/test_gates.py (a course file you changed); the new version is beside "
            "it: stage1_perceptron/test_gates.py.new") in lines


def test_updating_a_copy_that_is_already_current_changes_nothing(trees, tmp_path):
    _, _, new_root, new_entries = trees
    current = shutil.copytree(new_root, tmp_path / "current")
    before = tree_hashes(current)
    lines = update(new_root, current, new_entries, new_entries)
    assert tree_hashes(current) == before
    assert lines == [f"  {len(new_entries)} other released files: nothing new for them in this release"]
