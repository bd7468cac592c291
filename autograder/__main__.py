"""`python -m autograder VERB ...`: one verb per module (demo, release, stubs, grade, grade-all, merge, nbgrader, export, gradescope, post)."""
import argparse
import sys

from .commands import demo, grade, gradescope, nbgrader
from .commands import grade_all, merge, post
from .batch.entries import BatchError
from .jupyter import export
from .release.manifest import ManifestError
from .release import generated, write
from .release.write import ReleaseError
from course.stubs import MarkerError
from .grading.submission import SubmissionError

VERBS = {"demo": demo, "release": write, "stubs": generated, "grade": grade, "grade-all": grade_all, "merge": merge,
         "nbgrader": nbgrader, "export": export, "gradescope": gradescope,
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
