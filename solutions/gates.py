"""Stage 1: perceptron logic gates (Deep Learning from Scratch, ch. 2)."""
import numpy as np


def _perceptron(x1, x2, w, b):
    """Fire when w . (x1, x2) + b > 0: scalars -> int 0 or 1."""
    x = np.array([x1, x2], dtype=np.float64)
    return int(np.sum(w * x) + b > 0)


def AND(x1, x2):
    """AND gate as a perceptron: x1, x2 in {0, 1} -> int 0 or 1 (1 only for (1, 1))."""
    ### BEGIN SOLUTION
    return _perceptron(x1, x2, np.array([0.5, 0.5]), -0.7)
    ### END SOLUTION


def NAND(x1, x2):
    """NAND gate as a perceptron: x1, x2 in {0, 1} -> int 0 or 1 (0 only for (1, 1))."""
    ### BEGIN SOLUTION
    return _perceptron(x1, x2, np.array([-0.5, -0.5]), 0.7)
    ### END SOLUTION


def OR(x1, x2):
    """OR gate as a perceptron: x1, x2 in {0, 1} -> int 0 or 1 (0 only for (0, 0))."""
    ### BEGIN SOLUTION
    return _perceptron(x1, x2, np.array([0.5, 0.5]), -0.2)
    ### END SOLUTION


def XOR(x1, x2):
    """XOR as a two-layer perceptron, AND(NAND(x1, x2), OR(x1, x2)): x1, x2 in {0, 1} -> int 0 or 1."""
    ### BEGIN SOLUTION
    return AND(NAND(x1, x2), OR(x1, x2))
    ### END SOLUTION
