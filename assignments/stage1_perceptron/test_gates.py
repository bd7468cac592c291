"""Public tests, stage 1: the truth tables of the perceptron gates."""
import pytest

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
    outputs = [gate(x1, x2) for x1, x2 in INPUTS]
    assert outputs == truth_table
    assert all(type(output) is int for output in outputs), "a gate returns the int 0 or 1"
