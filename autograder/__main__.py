"""`python -m autograder VERB ...`: one verb per module (demo, release, stubs, grade)."""
import argparse
import sys

from . import demo, release, sync_stubs
from .release import ReleaseError
from .stubs import MarkerError

VERBS = {"demo": demo, "release": release, "stubs": sync_stubs}


def build_parser():
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__)
    verbs = parser.add_subparsers(dest="verb", required=True)
    for name, module in VERBS.items():
        verb = verbs.add_parser(name, help=module.__doc__.splitlines()[0], description=module.__doc__)
        module.add_arguments(verb)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        return VERBS[args.verb].run(args)
    except (ReleaseError, MarkerError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
