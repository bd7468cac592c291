"""Hidden suite, stage 1: perceptron logic gates."""
import numpy as np
import pytest

from autograder.grading.checks import expect_gate
from course.language import _
from solutions import gates

INPUTS = [(0, 0), (1, 0), (0, 1), (1, 1)]
GATES = ["AND", "NAND", "OR", "XOR"]


@pytest.mark.parametrize("gate", GATES)
def test_truth_table(student, gate):
    # All or nothing: with credit per row, a gate that always returns 0 would earn 3/4 of AND's points.
    for x1, x2 in INPUTS:
        expect_gate(getattr(student.gates, gate)(x1, x2), getattr(gates, gate)(x1, x2), f"{gate}({x1}, {x2})")


@pytest.mark.parametrize("gate", GATES)
def test_numpy_and_float_inputs(student, gate):
    for x1, x2 in INPUTS:
        for a, b in ((np.int64(x1), np.int64(x2)), (float(x1), float(x2))):
            expect_gate(getattr(student.gates, gate)(a, b), getattr(gates, gate)(x1, x2),
                        _("{call} with {type} inputs").format(call=f"{gate}({a!r}, {b!r})", type=type(a).__name__))
