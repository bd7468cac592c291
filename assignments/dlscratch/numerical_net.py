# Stage 3 (Learning: losses and numerical gradients): generated from the course's reference solutions.
# Your work goes in the function bodies that raise NotImplementedError; keep the names and
# signatures, the grader calls them.
"""Stage 3: a two-layer net trained by numerical gradients (Deep Learning from Scratch, ch. 4)."""
import numpy as np

from .activations import sigmoid, softmax
from .gradients import numerical_gradient
from .losses import cross_entropy_error


class TwoLayerNet:
    """Affine -> sigmoid -> Affine -> softmax, with parameters in the dict `params`.

    params: W1 (input_size, hidden_size), b1 (hidden_size,), W2 (hidden_size, output_size), b2 (output_size,).
    """

    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01):
        self.params = {
            "W1": weight_init_std * np.random.randn(input_size, hidden_size),
            "b1": np.zeros(hidden_size),
            "W2": weight_init_std * np.random.randn(hidden_size, output_size),
            "b2": np.zeros(output_size),
        }

    def predict(self, x):
        """Class probabilities. x: (N, input_size) -> (N, output_size) float64, rows summing to 1."""
        raise NotImplementedError("Stage 3: implement TwoLayerNet.predict")

    def loss(self, x, t):
        """Cross-entropy of predict(x) against t. x: (N, input_size); t: (N,) labels or (N, output_size) one-hot -> float."""
        raise NotImplementedError("Stage 3: implement TwoLayerNet.loss")

    def accuracy(self, x, t):
        """Fraction of rows whose most probable class matches t (labels or one-hot) -> float in [0, 1]."""
        raise NotImplementedError("Stage 3: implement TwoLayerNet.accuracy")

    def numerical_gradient(self, x, t):
        """Numerical gradient of loss(x, t) for every parameter -> dict with the keys and shapes of params."""
        raise NotImplementedError("Stage 3: implement TwoLayerNet.numerical_gradient")
