"""nbgrader autograde per stage next to `python -m autograder grade` on the same solved work, in one run.

    python benchmarks/nbgrader_vs_grade.py

Builds a temporary nbgrader course, runs each stage's round trip (autograde of the solved and of the
released notebook), exports the solved submissions with `python -m autograder export`, then times
`python -m autograder grade EXPORTED --stage NAME` for each stage and once for all stages. Each
autograde starts a kernel and runs the whole notebook (teaching cells and plots included); each grade is a
fresh interpreter that starts sandboxed workers and runs the hidden suite.
"""
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograder.jupyter.nbgrader_source import nbgrader_api, write_source
from autograder.jupyter.roundtrip import RELEASED, SOLVED, round_trip
from course.stages import STAGES


def timed_grade(submission, *args):
    """(seconds, results.json as a dict) of one `python -m autograder grade` run."""
    with tempfile.TemporaryDirectory() as scratch:
        output = Path(scratch) / "results.json"
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "autograder", "grade", str(submission), *args, "--format", "json",
                        "--output", str(output)], check=True, capture_output=True)
        return time.perf_counter() - started, json.loads(output.read_text())


def main():
    root = Path(tempfile.mkdtemp(prefix="nbgrader-vs-grade-"))
    write_source(root / "course")
    api = nbgrader_api(root / "course")
    outcomes = {stage.name: round_trip(api, stage) for stage in STAGES}
    subprocess.run([sys.executable, "-m", "autograder", "export", str(root / "course" / "submitted" / SOLVED),
                    str(root / "exported")], check=True, capture_output=True)
    print(f"{'stage':<8} {'autograde solved':>17} {'autograde released':>19} {'grade --stage':>14}  points (nbgrader | grade)")
    for stage in STAGES:
        solved, released = outcomes[stage.name][SOLVED], outcomes[stage.name][RELEASED]
        seconds, results = timed_grade(root / "exported", "--stage", stage.name)
        print(f"{stage.name:<8} {solved.autograde_seconds:>15.1f} s {released.autograde_seconds:>17.1f} s "
              f"{seconds:>12.1f} s  {solved.score:g}/{solved.max_score:g} | {results['score']:g}/{results['max_score']:g}")
    seconds, results = timed_grade(root / "exported")
    total = sum(outcome[SOLVED].autograde_seconds for outcome in outcomes.values())
    print(f"{'all':<8} {total:>15.1f} s {'':>19} {seconds:>12.1f} s  | {results['score']:g}/{results['max_score']:g}")
    print(f"(course and exports in {root})")


if __name__ == "__main__":
    main()
