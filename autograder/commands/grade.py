"""`python -m autograder grade SUBMISSION [--stage NAME]... [--format text|json|markdown] [--output FILE]
[--lang en|zh]`

Grades a student's repository (the layout of a release: SUBMISSION/dlscratch/*.py; also found one folder
down, or inside a .zip) against the hidden suites. --format json writes Gradescope's results.json
(per-stage totals under extra_data.stages). Exit code 0 when graded, whatever the score; 3 when the
grader itself failed on some tests (status grader-error: grade again); 2 for a usage error.
"""
import argparse
import sys
from pathlib import Path

from course.usage import user_path
from course_points.report import RENDERERS

from ..grading.grade import grade
from ..grading.language import speaking
from ..grading.options import GradeOptions, add_arguments as add_grading_options


def add_arguments(parser):
    parser.add_argument("submission", type=Path, help="the student's repository (a folder or a .zip)")
    parser.add_argument("--format", choices=sorted(RENDERERS), default="text")
    parser.add_argument("--output", type=Path, metavar="FILE", help="write the report here instead of stdout")
    add_grading_options(parser)
    parser.add_argument("--seed", type=_seed, metavar="N",
                        help="draw the hidden inputs from seed N, to grade again as a report's extra_data.seed "
                             "says (default: a fresh secret seed per grade)")
    parser.add_argument("--verbose", action="store_true", help="show pytest's own output on stderr")


def _seed(text):
    seed = int(text)
    if seed < 0:
        raise argparse.ArgumentTypeError(f"a seed is a non-negative integer, not {text}")
    return seed


def run(args):
    options = GradeOptions.from_args(args)
    settings = options.settings()
    if settings.isolation.refused:
        print(f"not graded: {settings.isolation.describe()}", file=sys.stderr)
    with speaking(options.language):
        report = grade(args.submission, options.stage, settings, args.verbose, args.seed)
        text = RENDERERS[args.format](report)
    if args.output:
        with user_path(args.output):
            args.output.parent.mkdir(parents=True, exist_ok=True)
            args.output.write_text(text, encoding="utf-8")
    else:
        print(text, end="")
    return 3 if report.status == "grader-error" else 0
