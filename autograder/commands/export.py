"""`python -m autograder export SUBMISSION DEST`: submitted notebooks -> DEST/dlscratch/, for the grader.

SUBMISSION is a notebook or a folder searched for the stage notebooks (an nbgrader submitted/<student>/).
DEST gets the stub package with every exercise definition a notebook's solution cells hold spliced in, so
`python -m autograder grade DEST` grades nbgrader submissions in the sandbox like any other; a cell whose
module is not an exercise module is skipped with one line (see autograder/jupyter/export.py).
"""
import sys
from pathlib import Path

from course.names import STUDENT_PACKAGE, module_file
from course.usage import UsageError

from ..jupyter.export import export, grade_command


def add_arguments(parser):
    parser.add_argument("submission", type=Path, help="a submitted stage notebook, or a folder of them")
    parser.add_argument("dest", type=Path, help=f"where to write {STUDENT_PACKAGE}/ (then: python -m autograder grade DEST)")


def run(args):
    if not args.submission.exists():
        raise UsageError(f"export: {args.submission} does not exist")
    used, refused = export(args.submission, args.dest)
    for line in refused:
        print(line, file=sys.stderr)
    print(f"{STUDENT_PACKAGE}/ written to {args.dest} from {sum(used.values())} solution cell(s): "
          + ", ".join(module_file(module) for module in sorted(used)))
    print(f"grade the stages it holds: {grade_command(args.dest, args.submission)}")
    return 0
