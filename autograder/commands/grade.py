"""`python -m autograder grade SUBMISSION [--stage NAME]... [--format text|json|markdown] [--output FILE]`

Grades a student's repository (the layout of a release: SUBMISSION/dlscratch/*.py; also found one folder
down, or inside a .zip) against the hidden suites. --format json writes Gradescope's results.json
(per-stage totals under extra_data.stages). Exit code 0 when graded, whatever the score; 3 when the
grader itself failed on some tests (status grader-error: grade again); 2 for a usage error.
"""
import argparse
import json
import sys
from pathlib import Path

from ..grading.grade import grade
from ..grading.session import Settings
from course_points.report import RENDERERS
from course.stages import stage_argument
from ..sandbox.isolation import DEFAULT_TIERS, parse_tiers, probe
from ..sandbox.launcher import Limits


def _stage(text):
    return stage_argument(text).name


def _tiers(text):
    try:
        return parse_tiers(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_settings_arguments(parser):
    """The options that decide how submissions are graded (shared with grade-all, so a batch grades alike)."""
    parser.add_argument("--stage", action="append", type=_stage, metavar="NAME",
                        help="grade only this stage, by name or number (stage2 or 2; repeatable; default: every stage)")
    parser.add_argument("--timeout", type=float, metavar="S",
                        help="seconds per call, for every stage (default: each stage's own, 3 s unless its "
                             "row in course/stages.py says otherwise)")
    parser.add_argument("--function-budget", type=float, default=Settings.function_budget, metavar="S",
                        help="seconds all calls of one function may take before its remaining calls fail "
                             f"(default {Settings.function_budget:g})")
    parser.add_argument("--grade-budget", type=float, default=Settings.grade_budget, metavar="S",
                        help="seconds all calls of one grade may take before its remaining calls fail "
                             f"(default {Settings.grade_budget:g})")
    parser.add_argument("--memory-mb", type=int, default=Limits.memory_bytes >> 20, metavar="MB",
                        help=f"worker memory limit (default {Limits.memory_bytes >> 20})")
    parser.add_argument("--cpu-seconds", type=int, default=Limits.cpu_seconds, metavar="S",
                        help=f"CPU time one worker may use (default {Limits.cpu_seconds}); a worker past half of "
                             "it is replaced before the next test")
    parser.add_argument("--isolation", type=_tiers, default=DEFAULT_TIERS, metavar="TIERS",
                        help="the isolation tiers a grade accepts, strongest first is used: sandbox (bubblewrap), "
                             "uid (containers: a worker uid, Landlock), rlimits (limits only, for debugging); "
                             "comma-separated (default: sandbox). Where none runs, nothing is scored: exit 3")


def settings_options(args):
    """{dest: value} of every option add_settings_arguments adds, as `args` has them, in JSON's types (a
    stored result's key is compared with them after a round trip through JSON)."""
    parser = argparse.ArgumentParser(add_help=False)
    add_settings_arguments(parser)
    return json.loads(json.dumps({action.dest: getattr(args, action.dest) for action in parser._actions}))


def settings_from(args):
    """grading.session.Settings from the options of add_settings_arguments."""
    limits = Limits(memory_bytes=args.memory_mb << 20, cpu_seconds=args.cpu_seconds)
    return Settings(isolation=probe(tuple(args.isolation)), limits=limits, call_timeout=args.timeout,
                    function_budget=args.function_budget, grade_budget=args.grade_budget)


def add_arguments(parser):
    parser.add_argument("submission", type=Path, help="the student's repository (a folder or a .zip)")
    parser.add_argument("--format", choices=sorted(RENDERERS), default="text")
    parser.add_argument("--output", type=Path, metavar="FILE", help="write the report here instead of stdout")
    add_settings_arguments(parser)
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
    settings = settings_from(args)
    if settings.isolation.refused:
        print(f"not graded: {settings.isolation.describe()}", file=sys.stderr)
    report = grade(args.submission, args.stage, settings, args.verbose, args.seed)
    text = RENDERERS[args.format](report)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
    else:
        print(text, end="")
    return 3 if report.status == "grader-error" else 0
