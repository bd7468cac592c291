"""The figures behind the timing tests of stage 4: vectorised layers against loops over rows.

    python benchmarks/vectorisation_stage4.py [--repeats 10] [--busy N]

For Affine and SoftmaxWithLoss on batches of several shapes, it times the reference and versions that
loop over rows exactly as the hidden tests do (checks.compute_time): in a sandboxed worker, rounds of a
forward and the backward after it (and Affine's dW and db) on fresh inputs, each round one window of the
worker's CPU time measured by the scorer, the fastest of `repeats` rounds, with the time of its slowest
call. --busy N runs N CPU-bound processes meanwhile, to see what a loaded grading machine does to the
figures.
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
from autograder.sandbox.launcher import Limits
from tests.grader.conftest import AFFINE_FORWARD_ROW_LOOP, LOOP_SOFTMAX, SOFTMAX_WITH_LOSS_ROW_LOOP

# The loops a student may write, as the grading tests write them (tests/grader/conftest.py), and the
# backward of Affine with a loop over rows besides.
LOOP_AFFINE_BACKWARD = """
def _loop_backward(self, dout):
    self.dW = np.zeros_like(self.W)
    dx = np.empty(self.x.shape)
    for i in range(self.x.shape[0]):
        self.dW += np.outer(self.x[i], dout[i])
        dx[i] = np.dot(self.W, dout[i])
    self.db = np.sum(dout, axis=0)
    return dx.reshape(self.original_x_shape)
Affine.backward = _loop_backward
"""
# Only the subtraction at each label in a loop (0.4 us a row).
LABEL_LOOP_SOFTMAX_WITH_LOSS_BACKWARD = """
def _label_loop_backward(self, dout=1):
    batch_size = self.y.shape[0]
    dx = self.y.copy()
    for i in range(batch_size):
        dx[i, self.t[i]] -= 1
    return dout * dx / batch_size
SoftmaxWithLoss.backward = _label_loop_backward
"""
# The tests use (20000, 4) inputs: many rows and few features, where a loop over rows costs the most.
SHAPES = {"Affine": ((2000, 784, 50), (20000, 4, 3), (50000, 4, 3)),
          "SoftmaxWithLoss": ((2000, 10), (20000, 4), (50000, 4))}


def _burn():
    while True:
        pass


# Each variant of the reference: the (module, code) pairs appended to it.
VARIANTS = {
    "reference": (),
    "row loops": (("layers", AFFINE_FORWARD_ROW_LOOP + LOOP_AFFINE_BACKWARD + SOFTMAX_WITH_LOSS_ROW_LOOP),
                  ("activations", LOOP_SOFTMAX)),
    "label loop": (("layers", LABEL_LOOP_SOFTMAX_WITH_LOSS_BACKWARD),),
}


def _packages(root):
    """{variant name: a solved package with the variant's code appended}."""
    packages = {}
    for name, appended in VARIANTS.items():
        package = root / name.replace(" ", "_") / "dlscratch"
        write_student_package(package, solved=True)
        for module, code in appended:
            path = package / f"{module}.py"
            path.write_text(path.read_text() + "\n\n" + code)
        packages[name] = package
    return packages


def _any_value(value, case):
    """Benchmarks measure; the hidden tests check the values."""


def _cases(student, rng):
    """(label, protocol, make_case) of every timed round."""
    for n, d, m in SHAPES["Affine"]:
        layer = student.layers.Affine(rng.standard_normal((d, m)), rng.standard_normal(m))
        make_case = lambda n=n, d=d, m=m: (rng.standard_normal((n, d)), rng.standard_normal((n, m)))
        yield (f"Affine {(n, d)}", lambda case, layer=layer: (layer.forward(case[0]), layer.backward(case[1]),
                                                               layer.attr("dW"), layer.attr("db")), make_case)
    for n, c in SHAPES["SoftmaxWithLoss"]:
        layer = student.layers.SoftmaxWithLoss()
        make_case = lambda n=n, c=c: (rng.standard_normal((n, c)), rng.integers(0, c, n))
        yield f"SoftmaxWithLoss {(n, c)}", lambda case, layer=layer: (layer.forward(*case), layer.backward(1)), make_case


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=10, help="calls per figure (the tests make 10)")
    parser.add_argument("--busy", type=int, default=0, metavar="N", help="CPU-bound processes meanwhile")
    args = parser.parse_args()
    burners = [multiprocessing.Process(target=_burn, daemon=True) for _ in range(args.busy)]
    for burner in burners:
        burner.start()
    root = Path(tempfile.mkdtemp(prefix="vectorisation-"))
    # The loop versions take longer than a function's grading budget allows, and the MNIST-sized Affine's
    # dx (2000 x 784) is over a grade's reply limit: this is a measurement, not a grade.
    settings = Settings(isolation=probe(), function_budget=3600.0, limits=Limits(max_reply_bytes=64 << 20))
    try:
        packages = _packages(root)
        print(f"numpy {np.__version__}; {settings.isolation.mode}; best of {args.repeats}; "
              f"{args.busy} busy processes; worker CPU time in ms")
        for name, package in packages.items():
            session = StageSession.alone("stage4", package, settings, root)
            student = Student(session)
            for label, protocol, make_case in _cases(student, np.random.default_rng(0)):
                watch = compute_time(student, protocol, make_case, _any_value, args.repeats)
                slowest, seconds = watch.slowest()
                print(f"{label:28} {name:10} {watch.seconds * 1e3:7.2f}   slowest call {slowest} {seconds * 1e3:.2f}")
            session.close()
    finally:
        for burner in burners:
            burner.terminate()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
