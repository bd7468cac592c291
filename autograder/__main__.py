"""`python -m autograder VERB ...`: one verb per module (demo, release, stubs, grade, grade-all, merge, nbgrader, export, gradescope, post)."""
import argparse
import sys

from . import demo, grade_cli, gradescope, release, sync_stubs
from .batch import grade_all, merge, post
from .batch.entries import BatchError
from .notebooks import course, export
from .manifest import ManifestError
from .release import ReleaseError
from course.stubs import MarkerError
from .submission import SubmissionError

VERBS = {"demo": demo, "release": release, "stubs": sync_stubs, "grade": grade_cli, "grade-all": grade_all, "merge": merge,
         "nbgrader": course, "export": export, "gradescope": gradescope,
         "post": post}


class OneLineParser(argparse.ArgumentParser):
    """Usage errors are one line on stderr and exit code 2."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser():
    parser = OneLineParser(prog="python -m autograder", description=__doc__)
    verbs = parser.add_subparsers(dest="verb", required=True, parser_class=OneLineParser)
    for name, module in VERBS.items():
        verb = verbs.add_parser(name, help=module.__doc__.splitlines()[0], description=module.__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
        module.add_arguments(verb)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        return VERBS[args.verb].run(args)
    except (ReleaseError, MarkerError, SubmissionError, BatchError, ManifestError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
