"""The release manifest: roles, digests, change detection and malformed input."""
import json

import pytest

from autograder.release.manifest import (MANIFEST_NAME, Change, build_manifest, changes, parse_manifest,
                                         read_manifest, role_of, write_manifest)
from course.usage import UsageError


@pytest.mark.parametrize("path, role", [
    ("dlscratch/layers.py", "exercise"),
    ("notebooks/stage4_backprop.ipynb", "exercise"),
    ("dlscratch/progress.py", "protected"),
    ("dlscratch/sample_weight.npz", "protected"),
    ("stage4_backprop/test_layers.py", "protected"),
    ("conftest.py", "protected"),
    (".github/workflows/classroom.yml", "protected"),
    ("README.md", "other"),
    ("sub/dlscratch/layers.py", "protected"),
])
def test_roles(path, role):
    assert role_of(path) == role


def _tree(root):
    (root / "dlscratch").mkdir(parents=True)
    (root / "dlscratch" / "layers.py").write_text("def f():\n    raise NotImplementedError\n")
    (root / "conftest.py").write_text("pytest_plugins = []\n")
    (root / "README.md").write_text("# hi\n")
    write_manifest(root)
    return read_manifest(root)


def test_untouched_tree_has_no_changes(tmp_path):
    entries = _tree(tmp_path)
    assert sorted(entries) == ["README.md", "conftest.py", "dlscratch/layers.py"]
    assert changes(tmp_path, entries) == []


def test_changed_and_missing_files_are_reported_with_their_role(tmp_path):
    entries = _tree(tmp_path)
    (tmp_path / "dlscratch" / "layers.py").write_text("def f():\n    return 1\n")
    (tmp_path / "conftest.py").unlink()
    assert sorted(changes(tmp_path, entries), key=lambda c: c.path) == [
        Change("conftest.py", "protected", "missing"), Change("dlscratch/layers.py", "exercise", "changed")]


def test_manifest_does_not_list_itself(tmp_path):
    _tree(tmp_path)
    assert MANIFEST_NAME not in build_manifest(tmp_path)["files"]


@pytest.mark.parametrize("text", [
    "not json", "[]", json.dumps({"format": 2, "files": {}}), json.dumps({"format": 1, "files": []}),
    json.dumps({"format": 1, "files": {"a.py": {"sha256": "x", "role": "secret"}}}),
    json.dumps({"format": 1, "files": {"../a.py": {"sha256": "x", "role": "other"}}}),
    json.dumps({"format": 1, "files": {"/etc/passwd": {"sha256": "x", "role": "other"}}}),
])
def test_malformed_manifests_are_one_line_errors(text):
    with pytest.raises(UsageError) as error:
        parse_manifest(text)
    assert "\n" not in str(error.value)


def test_missing_manifest_is_an_error(tmp_path):
    with pytest.raises(UsageError, match="has no"):
        read_manifest(tmp_path)
