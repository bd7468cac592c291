"""Every hidden test's score on a few fixed submissions, graded on the hidden inputs of one fixed seed, as
pinned in pinned_scores.json: test_pinned_scores.py grades them again and compares, test by test, so that a
change meant to move no score (a restructuring of the grader, the feedback, the report) shows every one it
moved.

Regenerate, from the repository root, with `python -m tests.grader.pinned_scores`, only in a change that is
meant to move scores (a rubric edit, a new or changed hidden test, a new grading rule such as how much a
carried-forward test keeps), and say so in its commit message; never to make a change that was meant to move
none pass.
"""
import json
import tempfile
from pathlib import Path

from course.student_package import write_student_package

from .conftest import _submission_maker, grade
from .mistakes import (ACCURACY_FOR_ONE_HOT_ONLY, ADAM_WITHOUT_BIAS_CORRECTION, AFFINE_WITHOUT_RESHAPE,
                       BATCHNORM_WRONG_AXIS, COL2IM_OVERWRITING, CROSS_ENTROPY_CRASHING_ON_LABELS,
                       CROSS_ENTROPY_WITHOUT_GUARD, DECAYING_BIASES, DROPOUT_IGNORING_THE_FLAG, FLIPPED_FILTERS,
                       MAX_GATE_ALWAYS_TO_X, MOMENTUM_WITHOUT_STATE, RELU_MUTATING_DOUT, SGD_REBINDING,
                       SOFTMAX_OVER_AXIS_0, SOFTMAX_WITHOUT_MAX)

PINNED = Path(__file__).with_name("pinned_scores.json")
SEED = 20
# {submission: (the package it starts from, code appended to its modules)}
SUBMISSIONS = {
    "solved": ("solved", {}),
    "stubs": ("stubs", {}),
    "wrong-axis softmax, MaxGate always to x, rebinding SGD": (
        "solved", {"activations": SOFTMAX_OVER_AXIS_0, "graph_gates": MAX_GATE_ALWAYS_TO_X,
                   "optimizers": SGD_REBINDING}),
    "one-hot-only cross-entropy and accuracy, Relu and Affine backward, stateless optimizers": (
        "solved", {"losses": CROSS_ENTROPY_CRASHING_ON_LABELS, "networks": ACCURACY_FOR_ONE_HOT_ONLY,
                   "layers": RELU_MUTATING_DOUT + AFFINE_WITHOUT_RESHAPE,
                   "optimizers": MOMENTUM_WITHOUT_STATE + ADAM_WITHOUT_BIAS_CORRECTION}),
    "softmax without the maximum, cross-entropy without its guard": (
        "solved", {"activations": SOFTMAX_WITHOUT_MAX, "losses": CROSS_ENTROPY_WITHOUT_GUARD}),
    "BatchNorm over the wrong axis, Dropout dropping at test time, decayed biases": (
        "solved", {"normalization": BATCHNORM_WRONG_AXIS, "dropout": DROPOUT_IGNORING_THE_FLAG,
                   "multi_layer_net": DECAYING_BIASES}),
    "flipped filters, a col2im that overwrites": ("solved", {"conv_layers": FLIPPED_FILTERS + COL2IM_OVERWRITING}),
}


def graded_scores(root, packages, name):
    """{test id: score} of submission `name` of SUBMISSIONS, written under `root` from packages[base] (a
    dlscratch/ folder) and graded once, every stage, with --seed SEED."""
    base, append = SUBMISSIONS[name]
    folder = f"submission{list(SUBMISSIONS).index(name)}"
    submission = _submission_maker(root, packages[base])(append=append, name=folder)
    return {test["name"]: test["score"] for test in grade(submission, extra=("--seed", str(SEED)))["tests"]}


def main():
    """Grade SUBMISSIONS with this checkout's grader and write pinned_scores.json."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        packages = {base: root / base / "dlscratch" for base in ("solved", "stubs")}
        for base, package in packages.items():
            write_student_package(package, solved=base == "solved")
        scores = {name: graded_scores(root, packages, name) for name in SUBMISSIONS}
    PINNED.write_text(json.dumps(scores, indent=1, sort_keys=True) + "\n")
    print(f"wrote {PINNED}: {sum(map(len, scores.values()))} scores of {len(scores)} submissions")


if __name__ == "__main__":
    main()
