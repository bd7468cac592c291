"""Scores on a busy machine: N grades at once beside CPU hogs, round after round.

    python benchmarks/grades_under_load.py [--rounds 5] [--grades 4] [--hogs 4]

Each round grades, all at the same time, the solved release (N - 1 times) and a release whose four
vectorised functions are loops over rows, beside `--hogs` CPU-bound processes. Timing tests read the
worker's CPU time from its cgroup, so every solved grade must print exactly the maximum and the loop
release must lose exactly the four timing points, whatever the load. Prints one line per grade.
"""
import argparse
import json
import multiprocessing
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from course.student_package import write_student_package

TIMING_TESTS = {"test_stage2.py::test_softmax_is_vectorised", "test_stage3.py::test_cross_entropy_is_vectorised",
                "test_stage4.py::test_affine_is_vectorised", "test_stage4.py::test_softmax_with_loss_is_vectorised"}
# The same functions, right in value, one row (or one sample) at a time.
ROW_LOOPS = {
    "activations": """
def softmax(x):
    x = np.asarray(x, dtype=np.float64)
    rows = x.reshape(-1, x.shape[-1])
    out = np.empty_like(rows)
    for i, row in enumerate(rows):
        e = np.exp(row - row.max())
        out[i] = e / e.sum()
    return out.reshape(x.shape)
""",
    "losses": """
def cross_entropy_error(y, t):
    y, t = np.asarray(y, dtype=np.float64), np.asarray(t)
    if y.ndim == 1:
        y = y.reshape(1, -1)
        t = t.reshape(1, -1) if t.size == y.size else t.reshape(1)
    if t.size == y.size:
        t = t.argmax(axis=1)
    total = 0.0
    for i in range(y.shape[0]):
        total -= np.log(y[i, t[i]] + 1e-7)
    return total / y.shape[0]
""",
    "layers": """
class Affine(Affine):
    def forward(self, x):
        self.original_x_shape = x.shape
        x = x.reshape(x.shape[0], -1)
        self.x = x
        return np.array([row @ self.W + self.b for row in x])
""",
}


def hog(seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def grade(path, output):
    return subprocess.Popen([sys.executable, "-m", "autograder", "grade", str(path), "--format", "json",
                             "--output", str(output)], stdout=subprocess.DEVNULL)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--grades", type=int, default=4)
    parser.add_argument("--hogs", type=int, default=4)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="under-load-"))
    write_student_package(root / "solved" / "dlscratch", solved=True)
    write_student_package(root / "loops" / "dlscratch", solved=True)
    for module, code in ROW_LOOPS.items():
        path = root / "loops" / "dlscratch" / f"{module}.py"
        path.write_text(path.read_text() + "\n" + code)
    failures = 0
    for round_number in range(1, args.rounds + 1):
        hogs = [multiprocessing.Process(target=hog, args=(120,)) for _ in range(args.hogs)]
        for process in hogs:
            process.start()
        paths = [root / "solved"] * (args.grades - 1) + [root / "loops"]
        outputs = [root / f"round{round_number}-{index}.json" for index in range(len(paths))]
        started = time.monotonic()
        running = [grade(path, output) for path, output in zip(paths, outputs)]
        codes = [process.wait() for process in running]
        seconds = time.monotonic() - started
        for process in hogs:
            process.terminate()
        for path, output, code in zip(paths, outputs, codes):
            report = json.loads(output.read_text())
            lost = {test["name"] for test in report["tests"] if test["score"] < test["max_score"]}
            expected = TIMING_TESTS if path.name == "loops" else set()
            verdict = "as expected" if lost == expected and code == 0 else f"UNEXPECTED: lost {sorted(lost)}"
            failures += verdict != "as expected"
            print(f"round {round_number}: {path.name:6} {report['score']:g}/{report['max_score']:g} {verdict}")
        print(f"round {round_number}: {len(paths)} grades beside {args.hogs} hogs in {seconds:.1f} s")
    print(f"{failures} unexpected result(s) in {args.rounds * args.grades} grades")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
