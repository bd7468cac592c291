"""`python -m autograder stubs [--check]`: regenerate assignments/dlscratch/, assignments/notebooks/, the
README's stage table and the message catalogues (course/locale/<lang>/LC_MESSAGES/dlscratch.po and .mo).

The stubs come from solutions/, the student notebooks from teaching/*.py (the teaching sources) and
solutions/, the table from course/stages.py, the catalogues from every `_()` message of the Python sources
(Babel: extract, update each language's .po keeping its translations, compile the .mo). --check writes nothing and fails (exit 1) if a
committed file differs from what would be generated.
"""
from course.language import LOCALE_DIR
from course.paths import ASSIGNMENTS_DIR
from ..sources.generated import rewrite, stale_files


def add_arguments(parser):
    parser.add_argument("--check", action="store_true", help="only report generated files that are out of date")


def run(args):
    if args.check:
        stale = stale_files()
        for path in stale:
            print(f"out of date: {path}")
        return 1 if stale else 0
    stale = rewrite()
    print(f"{len(stale)} generated file(s) rewritten under {ASSIGNMENTS_DIR}, {LOCALE_DIR} and the README")
    return 0
