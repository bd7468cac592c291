"""`python -m dlscratch.check [STAGE ...]`: run the public tests of some stages and print a short report.

The counterpart of otter's `grader.check`: for every public test a line, passed or with the one-line reason
it lost points (the same words the grader uses for the same mistake), then the points per stage. STAGE is
a name (`stage2`) or a number (`2`); without one, every stage. Exit code 0 when every test passed, 1 if
not, 2 for a usage error. Runs in one process with pytest's own timeout settings from the release.
"""
import argparse
import contextlib
import io
import sys
from pathlib import Path

import pytest

from course.language import _
from course.stages import STAGES, stage_argument

from .report import render_table


def find_release_root(start):
    """The nearest folder at or above `start` that holds a stage's public tests, or None."""
    for folder in (start, *start.parents):
        if any((folder / stage.folder).is_dir() for stage in STAGES):
            return folder
    return None


class _Collector:
    def pytest_configure(self, config):
        self.config = config


def run_public_tests(root, stages):
    """Report of the public tests of `stages` (Stage objects) in the release at `root` (a Path)."""
    collector = _Collector()
    folders = [str(root / stage.folder) for stage in stages if (root / stage.folder).is_dir()]
    args = ["-q", "-p", "no:cacheprovider", "--tb=no", "--rootdir", str(root), *folders]
    with contextlib.redirect_stdout(io.StringIO()):
        pytest.main(args, plugins=[collector])
    # Imported only now that pytest has loaded the plugin (the release's conftest names it), as classroom.py does.
    from .plugin import tally_of

    return tally_of(collector.config).report()


def render_check(report):
    """Per stage, one line per public test (ok, or FAIL and why), then the points table."""
    lines = []
    for stage in STAGES:
        tests = [test for test in report.tests if test.stage == stage.name]
        if tests:
            lines.append(f"{stage.name}: {_(stage.title)}")
        for test in tests:
            name = test.name.split("::", 1)[-1]
            lines.append("  " + (_("ok    {test}").format(test=name) if test.status == "passed"
                                 else _("FAIL  {test}: {reason}").format(test=name, reason=test.reason)))
    return "\n".join(lines + [""]) + "\n" + render_table(report)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m dlscratch.check",
                                     description=_("run the public tests of some stages and print a short report"))
    parser.add_argument("stages", nargs="*", type=stage_argument, metavar="STAGE",
                        help=_("stage name or number (default: every stage)"))
    args = parser.parse_args(argv)
    root = find_release_root(Path.cwd()) or find_release_root(Path(__file__).resolve().parent)
    if root is None:
        print(_("check: no public tests found here; run it inside your course repository"), file=sys.stderr)
        return 2
    report = run_public_tests(root, args.stages or STAGES)
    if not report.tests:
        print(_("check: no public tests were collected (is the package installed? pip install -e .)"),
              file=sys.stderr)
        return 2
    print(render_check(report), end="")
    return 0 if all(test.status == "passed" for test in report.tests) else 1


if __name__ == "__main__":
    sys.exit(main())
