"""The import graph keeps its layers: the contracts in pyproject.toml's [tool.importlinter], checked here, so
a new upward arrow (a lower layer importing a higher one) or a worker module importing the scorer fails the suite."""
from importlinter.cli import EXIT_STATUS_SUCCESS, lint_imports

from course.paths import REPO_ROOT


def test_every_import_goes_down_the_layers_of_pyproject_toml(capsys):
    status = lint_imports(config_filename=str(REPO_ROOT / "pyproject.toml"), no_cache=True)
    assert status == EXIT_STATUS_SUCCESS, capsys.readouterr().out
