"""`python -m autograder demo`: the main job on the bundled data, start to finish.

1. trains the reference two-layer net on the bundled digits (`python -m solutions.train`), saving its
   history and plots under --out;
2. writes a solved release and runs its public tests, as a student who finished every stage would;
3. grades that release with the hidden suites in the sandbox and prints the points per stage.
Exit code 0 only if training reached its target, every public test passed and the grade is full marks.
"""
import subprocess
import sys
import tempfile
from pathlib import Path

from course_points.report import render_text
from ..grading.grade import grade
from ..release.write import release

TARGET_ACCURACY = 0.97


def _train(out):
    print(f"== 1. training the reference net on the bundled digits (plots in {out})", flush=True)
    result = subprocess.run([sys.executable, "-m", "solutions.train", "--out", str(out)],
                            stdout=subprocess.PIPE, text=True)
    print(result.stdout, end="", flush=True)
    last = (result.stdout.strip().splitlines() or [""])[-1]
    accuracy = float(last.split(":")[1]) if last.startswith("test accuracy:") else 0.0
    return result.returncode == 0 and accuracy >= TARGET_ACCURACY


def _public_tests(dest):
    print(f"== 2. public tests on a solved release ({dest})", flush=True)
    release(dest, solved=True)
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=dest).returncode == 0


def _grade(dest):
    print("== 3. grading the solved release with the hidden suites", flush=True)
    report = grade(dest)
    print(render_text(report), end="", flush=True)
    return report.score == report.max_score > 0


def add_arguments(parser):
    parser.add_argument("--out", type=Path, default=Path("runs/demo"), help="where training writes its plots")


def run(args):
    with tempfile.TemporaryDirectory(prefix="dlscratch-demo-") as scratch:
        results = [_train(args.out), _public_tests(Path(scratch) / "student"), _grade(Path(scratch) / "student")]
    print("demo: " + ("everything passed" if all(results) else "FAILED: see above"))
    return 0 if all(results) else 1
