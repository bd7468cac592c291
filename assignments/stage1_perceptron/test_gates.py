"""Public tests, stage 1: the truth tables of the perceptron gates."""
import pytest

from course_feedback.checks import expect_gate
from dlscratch.gates import AND, NAND, OR, XOR

INPUTS = [(0, 0), (1, 0), (0, 1), (1, 1)]


@pytest.mark.parametrize("gate, truth_table", [
    (AND, [0, 0, 0, 1]),
    (NAND, [1, 1, 1, 0]),
    (OR, [0, 1, 1, 1]),
    (XOR, [0, 1, 1, 0]),
], ids=["AND", "NAND", "OR", "XOR"])
@pytest.mark.points(1)
def test_truth_table(gate, truth_table):
    for (x1, x2), expected in zip(INPUTS, truth_table):
        expect_gate(gate(x1, x2), expected, f"{gate.__name__}({x1}, {x2})")
