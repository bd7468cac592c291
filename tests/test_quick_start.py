"""The README's Quick start and CI run the same test command."""
import re

from course.paths import REPO_ROOT


def test_ci_runs_the_readme_test_command():
    readme = (REPO_ROOT / "README.md").read_text()
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    install, test = re.search(r"^(python -m pip install -e '\.\[test\]') && (python -m pytest.*)$",
                              quick_start.split("# 2.", 1)[1], re.MULTILINE).groups()
    commands = [line for line in (REPO_ROOT / ".ci" / "run").read_text().splitlines() if line.startswith("python")]
    assert commands[-1] == test
    assert commands[0].replace(" --disable-pip-version-check -q", "") == install
