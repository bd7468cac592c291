"""Bad input to any command is one line on stderr, `error: ...`, and exit code 2: never a traceback."""
import pytest

from autograder.__main__ import main


def _class_folder(tmp_path):
    (tmp_path / "class" / "ann").mkdir(parents=True)
    return tmp_path / "class"


@pytest.mark.parametrize("argv, named", [
    (lambda tmp: ["grade-all", tmp / "class", "--output", tmp / "out", "--roster", tmp / "absent.csv"], "absent.csv"),
    (lambda tmp: ["grade-all", tmp / "class", "--output", tmp / "out", "--roster", tmp / "latin1.csv"], "latin1.csv"),
    (lambda tmp: ["grade-all", tmp / "class", "--output", tmp / "out", "--manifest", tmp / "absent.json"],
     "absent.json"),
    (lambda tmp: ["grade", tmp / "class" / "ann", "--stage", "1", "--output", tmp / "file" / "report.txt"],
     "report.txt"),
    (lambda tmp: ["gradescope", tmp / "file" / "bundle.zip"], "bundle.zip"),
], ids=["absent roster", "roster not UTF-8", "absent manifest", "report under a file", "bundle under a file"])
def test_a_path_that_cannot_be_read_or_written_is_one_line_and_exit_2(argv, named, tmp_path, capsys):
    _class_folder(tmp_path)
    (tmp_path / "latin1.csv").write_bytes("github,lms_id\nzoë,1\n".encode("latin-1"))
    (tmp_path / "file").write_text("a file, not a folder")
    assert main([str(arg) for arg in argv(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and named in err
