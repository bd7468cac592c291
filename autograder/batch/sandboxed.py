"""`python -m autograder.batch.sandboxed DIR [--accept TIERS]`: exit 1 unless every result in DIR was graded
under an accepted isolation tier (default: the bubblewrap sandbox only).

Reads each result's `extra_data.isolation.mode`, the tier the grade recorded as data; a result without
it (an older grader) does not count. Grades from a weaker tier than the workflow promises must not count
(see the instructor's workflow).
"""
import argparse
import sys
from pathlib import Path

from ..sandbox.isolation import DEFAULT_TIERS, parse_tiers
from . import store


def isolation_mode(result):
    """The tier a stored Result was graded under ('' if it does not say)."""
    isolation = result.report.isolation
    return str(isolation.get("mode", "")) if isinstance(isolation, dict) else ""


def outside(output, accepted=DEFAULT_TIERS):
    """[(student, tier)] of graded results in `output` whose tier is not one of `accepted`."""
    return [(student, isolation_mode(result) or "unrecorded")
            for student, result in sorted(store.load_all(output).items())
            if result.report.status == "graded" and isolation_mode(result) not in accepted]


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder.batch.sandboxed")
    parser.add_argument("output", type=Path)
    parser.add_argument("--accept", type=parse_tiers, default=DEFAULT_TIERS, metavar="TIERS",
                        help="comma-separated isolation tiers that count (default: sandbox)")
    args = parser.parse_args(argv)
    results = store.load_all(args.output)
    missing = outside(args.output, args.accept)
    if not results or missing:
        listed = ", ".join(f"{student} ({tier})" for student, tier in missing) or "no results at all"
        print(f"not graded under {','.join(args.accept)}: {listed}", file=sys.stderr)
        return 1
    print(f"all {len(results)} results were graded under {','.join(args.accept)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
