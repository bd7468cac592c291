# Stage 2 (Neural network forward pass): generated from the course's reference solutions.
# Your work goes in the function bodies that raise NotImplementedError; keep the names and
# signatures, the grader calls them.
"""Stage 2: a 3-layer network's forward pass, batched inference and accuracy (ch. 3)."""
from pathlib import Path

import numpy as np

from .activations import identity_function, sigmoid, softmax

SAMPLE_WEIGHTS = Path(__file__).with_name("sample_weight.npz")


def init_network():
    """The book's toy 2-3-2-2 network: dict of W1 (2, 3), b1 (3,), W2 (3, 2), b2 (2,), W3 (2, 2), b3 (2,)."""
    return {
        "W1": np.array([[0.1, 0.3, 0.5], [0.2, 0.4, 0.6]]),
        "b1": np.array([0.1, 0.2, 0.3]),
        "W2": np.array([[0.1, 0.4], [0.2, 0.5], [0.3, 0.6]]),
        "b2": np.array([0.1, 0.2]),
        "W3": np.array([[0.1, 0.3], [0.2, 0.4]]),
        "b3": np.array([0.1, 0.2]),
    }


def load_sample_network(path=SAMPLE_WEIGHTS):
    """Trained weights for the bundled 8x8 digits: W1 (64, 50), W2 (50, 100), W3 (100, 10) and biases."""
    with np.load(path, allow_pickle=False) as weights:
        return {name: weights[name].astype(np.float64) for name in weights.files}


def forward(network, x):
    """Three affine layers, sigmoid between them, identity output.

    network: dict W1 (D, H1), b1 (H1,), W2 (H1, H2), b2 (H2,), W3 (H2, M), b3 (M,).
    x: (D,) or (N, D) -> float64 (M,) or (N, M).
    """
    raise NotImplementedError("Stage 2: implement forward")


def predict(network, x):
    """Class probabilities: the forward pass with softmax output. x: (D,) or (N, D) -> (M,) or (N, M)."""
    raise NotImplementedError("Stage 2: implement predict")


def accuracy(network, x, t, batch_size=100):
    """Fraction of rows of x whose most probable class equals t, predicted batch_size rows at a time.

    x: (N, D), t: (N,) int labels -> Python float in [0, 1].
    """
    raise NotImplementedError("Stage 2: implement accuracy")
