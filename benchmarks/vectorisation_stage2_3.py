"""The figures behind the timing tests of stages 2 and 3: a vectorised function against a loop over rows.

    python benchmarks/vectorisation_stage2_3.py [--repeats 10] [--busy N]

For softmax (stage 2) and cross_entropy_error with labels (stage 3), on batches of several shapes, it
times the reference and a per-row loop version exactly as the hidden tests do (checks.compute_time): in a
sandboxed worker, fresh inputs on every call, the fastest of `repeats` calls' worker CPU time
(measured by the scorer around each call). --busy N runs N CPU-bound processes meanwhile, to see what
a loaded grading machine does to the figures.
"""
import argparse
import multiprocessing
import shutil
import tempfile
from pathlib import Path

import numpy as np

from autograder.grading.checks import compute_time
from autograder.grading.proxy import Student
from autograder.grading.session import Settings, StageSession
from course.student_package import write_student_package
from autograder.sandbox.isolation import probe
from tests.grader.conftest import LOOP_CROSS_ENTROPY, LOOP_SOFTMAX

# The tests use softmax on (20000, 4) and cross_entropy_error on (200000, 4): many rows, few classes.
SHAPES = {"softmax": ((2000, 10), (20000, 4), (50000, 4)),
          "cross_entropy_error": ((20000, 4), (100000, 4), (200000, 4))}


def _burn():
    while True:
        pass


def _packages(root):
    """{"reference": package, "loop": package with both loop versions appended}."""
    packages = {}
    for name in ("reference", "loop"):
        package = root / name / "dlscratch"
        write_student_package(package, solved=True)
        packages[name] = package
    for module, code in (("activations", LOOP_SOFTMAX), ("losses", LOOP_CROSS_ENTROPY)):
        path = packages["loop"] / f"{module}.py"
        path.write_text(path.read_text() + "\n\n" + code)
    return packages


def _make_args(function, shape, rng):
    """Fresh arguments of `shape` for each call, as the tests draw them."""
    if function == "softmax":
        return lambda: (rng.standard_normal(shape),)

    def probabilities_and_labels():
        e = np.exp(rng.standard_normal(shape))
        return e / e.sum(axis=1, keepdims=True), rng.integers(0, shape[1], shape[0])
    return probabilities_and_labels


def _any_value(value, case):
    """Benchmarks measure; the hidden tests check the values."""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--busy", type=int, default=0, metavar="N", help="CPU-bound processes meanwhile")
    args = parser.parse_args()
    burners = [multiprocessing.Process(target=_burn, daemon=True) for _ in range(args.busy)]
    for burner in burners:
        burner.start()
    root = Path(tempfile.mkdtemp(prefix="vectorisation-"))
    # The loop versions take far longer than a function's grading budget allows; this is a measurement.
    settings = Settings(isolation=probe(), function_budget=3600.0)
    rng = np.random.default_rng(0)
    try:
        packages = _packages(root)
        print(f"numpy {np.__version__}; {settings.isolation.mode}; best of {args.repeats}; "
              f"{args.busy} busy processes; worker CPU time in ms")
        for stage, function in (("stage2", "softmax"), ("stage3", "cross_entropy_error")):
            for name, package in packages.items():
                session = StageSession.alone(stage, package, settings, root)
                student = Student(session)
                module = student.activations if function == "softmax" else student.losses
                call = getattr(module, function)
                for shape in SHAPES[function]:
                    watch = compute_time(student, lambda case: call(*case), _make_args(function, shape, rng),
                                         _any_value, args.repeats)
                    print(f"{function:20} {name:9} {str(shape):12} {watch.seconds * 1e3:7.2f}")
                session.close()
    finally:
        for burner in burners:
            burner.terminate()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
