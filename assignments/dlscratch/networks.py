# Stage 4 (Backpropagation): generated from the course's reference solutions.
# Your work goes in the function bodies that raise NotImplementedError; keep the names and
# signatures, the grader calls them.
"""Stage 4: a two-layer net built from layers and trained by backprop (Deep Learning from Scratch, ch. 5)."""
import numpy as np

from .gradients import numerical_gradient
from .layers import Affine, Relu, SoftmaxWithLoss


class TwoLayerNet:
    """Affine1 -> Relu1 -> Affine2 -> SoftmaxWithLoss, parameters in the dict `params`.

    params: W1 (input_size, hidden_size), b1 (hidden_size,), W2 (hidden_size, output_size), b2 (output_size,).
    The layers hold these same arrays, so an optimizer that updates params in place trains the layers.
    """

    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01):
        self.params = {
            "W1": weight_init_std * np.random.randn(input_size, hidden_size),
            "b1": np.zeros(hidden_size),
            "W2": weight_init_std * np.random.randn(hidden_size, output_size),
            "b2": np.zeros(output_size),
        }
        self.layers = {
            "Affine1": Affine(self.params["W1"], self.params["b1"]),
            "Relu1": Relu(),
            "Affine2": Affine(self.params["W2"], self.params["b2"]),
        }
        self.layers["Affine1"].needs_input_grad = False
        self.lastLayer = SoftmaxWithLoss()

    def predict(self, x):
        """Class scores before softmax. x: (N, input_size) -> (N, output_size) float64."""
        raise NotImplementedError("Stage 4: implement TwoLayerNet.predict")

    def loss(self, x, t):
        """Softmax cross-entropy of predict(x) against t ((N,) labels or (N, output_size) one-hot) -> float."""
        raise NotImplementedError("Stage 4: implement TwoLayerNet.loss")

    def accuracy(self, x, t):
        """Fraction of rows whose highest score matches t (labels or one-hot) -> float in [0, 1]."""
        raise NotImplementedError("Stage 4: implement TwoLayerNet.accuracy")

    def numerical_gradient(self, x, t):
        """Numerical gradient of loss(x, t) for every parameter -> dict with the keys and shapes of params."""
        raise NotImplementedError("Stage 4: implement TwoLayerNet.numerical_gradient")

    def gradient(self, x, t):
        """Backprop gradient of loss(x, t) -> dict with the keys and shapes of params.

        Leaves the batch loss of this forward pass in self.lastLayer.loss.
        """
        raise NotImplementedError("Stage 4: implement TwoLayerNet.gradient")
