"""`python -m autograder VERB ...`: one verb per module of autograder/commands/, named after it (grade_all: grade-all)."""
import argparse
import sys

from .commands import demo, export, grade, grade_all, gradescope, merge, nbgrader, post, release, stubs
from course.usage import UsageError

COMMANDS = (demo, release, stubs, grade, grade_all, merge, nbgrader, export, gradescope, post)
VERBS = {module.__name__.rsplit(".", 1)[1].replace("_", "-"): module for module in COMMANDS}


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
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
