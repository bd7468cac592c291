# Stage 1 (Perceptron logic gates): generated from the course's reference solutions.
# Your work goes in the function bodies that raise NotImplementedError; keep the names and
# signatures, the grader calls them.
"""Stage 1: perceptron logic gates (Deep Learning from Scratch, ch. 2)."""
import numpy as np


def _perceptron(x1, x2, w, b):
    """Fire when w . (x1, x2) + b > 0: scalars -> int 0 or 1."""
    x = np.array([x1, x2], dtype=np.float64)
    return int(np.sum(w * x) + b > 0)


def AND(x1, x2):
    """AND gate as a perceptron: x1, x2 in {0, 1} -> int 0 or 1 (1 only for (1, 1))."""
    raise NotImplementedError("Stage 1: implement AND")


def NAND(x1, x2):
    """NAND gate as a perceptron: x1, x2 in {0, 1} -> int 0 or 1 (0 only for (1, 1))."""
    raise NotImplementedError("Stage 1: implement NAND")


def OR(x1, x2):
    """OR gate as a perceptron: x1, x2 in {0, 1} -> int 0 or 1 (0 only for (0, 0))."""
    raise NotImplementedError("Stage 1: implement OR")


def XOR(x1, x2):
    """XOR as a two-layer perceptron, AND(NAND(x1, x2), OR(x1, x2)): x1, x2 in {0, 1} -> int 0 or 1."""
    raise NotImplementedError("Stage 1: implement XOR")
