"""How long grading takes: a full grade of the reference, per stage, and what isolation costs.

    python benchmarks/grade_speed.py [--repeats N]

Prints the wall time of `grade` for every stage alone and for all stages together (best of N, in this
process, so interpreter start-up is excluded and shown separately), the full grade in the sandbox and
in the rlimits fallback in interleaved rounds (what the sandbox adds), the start-up time of one
worker in each, and the per-call round trip. nbgrader's autograde of the same work is timed by
benchmarks/nbgrader_vs_grade.py.
"""
import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from autograder.grading.grade import grade
from autograder.grading.proxy import Student
from autograder.grading.session import Settings, StageSession
from course.stages import STAGES
from course.student_package import write_student_package
from autograder.sandbox.isolation import probe
from timing import best_of


def worker_costs(package, isolation, repeats):
    """(start-up seconds to the first answer, seconds per small call) of one stage-2 worker."""
    def start_and_call():
        with tempfile.TemporaryDirectory() as scratch:
            session = StageSession.alone("stage2", package, Settings(isolation=isolation), Path(scratch))
            Student(session).activations.relu(np.zeros(3))
            session.close()
    startup, _, _ = best_of(repeats, start_and_call)
    with tempfile.TemporaryDirectory() as scratch:
        session = StageSession.alone("stage2", package, Settings(isolation=isolation), Path(scratch))
        student = Student(session)
        student.activations.relu(np.zeros(3))
        x = np.zeros(3)
        per_call, _, _ = best_of(repeats, lambda: [student.activations.relu(x) for _ in range(200)])
        session.close()
    return startup, per_call / 200


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="grade-speed-"))
    write_student_package(root / "dlscratch", solved=True)
    sandbox, fallback = probe(), probe(("rlimits",))
    print(f"{sandbox.describe()}")
    for stage in STAGES:
        best, median, _ = best_of(args.repeats, lambda: grade(root, [stage.name], Settings(isolation=sandbox)))
        print(f"{stage.name}: best {best:.2f} s, median {median:.2f} s")
    full = {}
    for _ in range(args.repeats):  # interleaved rounds: load on the machine falls on both alike
        for isolation in (sandbox, fallback):
            seconds, _, report = best_of(1, lambda: grade(root, None, Settings(isolation=isolation)))
            full.setdefault(isolation.mode, []).append(seconds)
            assert report.score == report.max_score, f"{isolation.mode}: {report.score}/{report.max_score}"
    for mode, seconds in full.items():
        print(f"all stages ({len(report.tests)} tests, full marks), {mode}: best {min(seconds):.2f} s, "
              f"median {np.median(seconds):.2f} s (in process)")
    if sandbox.sandboxed:
        added = [np.min(full["sandbox"]) / np.min(full["rlimits"]) - 1,
                 np.median(full["sandbox"]) / np.median(full["rlimits"]) - 1]
        print(f"the sandbox adds {added[0]:+.1%} (best) / {added[1]:+.1%} (median) to a full grade")
    command = [sys.executable, "-m", "autograder", "grade", str(root)]
    cli, _, _ = best_of(args.repeats, lambda: subprocess.run(command, capture_output=True, check=True))
    print(f"`python -m autograder grade` end to end: best {cli:.2f} s")
    for isolation in (sandbox, fallback):
        startup, per_call = worker_costs(root / "dlscratch", isolation, args.repeats)
        print(f"worker ({isolation.mode}): start-up {startup * 1000:.0f} ms, round trip {per_call * 1e6:.0f} µs/call")
    print("nbgrader autograde of the same stages: python benchmarks/nbgrader_vs_grade.py")
    shutil.rmtree(root)


if __name__ == "__main__":
    main()
