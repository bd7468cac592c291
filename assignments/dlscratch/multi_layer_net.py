# Stage 6 (Training deep networks): generated from the course's reference solutions.
# Your work goes in the function bodies that raise NotImplementedError; keep the names and
# signatures, the grader calls them.
"""Stage 6: a fully connected net of any depth, with weight decay, Batch Normalization and Dropout
(Deep Learning from Scratch, ch. 6; the book's MultiLayerNetExtend).

    Affine1 [-> BatchNorm1] -> Activation_function1 [-> Dropout1] -> ... -> Affine(L+1) -> SoftmaxWithLoss

Weight decay adds 0.5 * lambda * sum(W ** 2) over every weight matrix to the loss, and so lambda * W to each
weight's gradient; biases, gamma and beta are exempt.
"""
import numpy as np

from .dropout import Dropout
from .gradients import numerical_gradient
from .layers import Affine, Relu, Sigmoid, SoftmaxWithLoss
from .normalization import BatchNormalization
from .weight_init import init_scale

ACTIVATION_LAYERS = {"relu": Relu, "sigmoid": Sigmoid}


class MultiLayerNet:
    """hidden_size_list: the width of each hidden layer. params: W1 .. W(L+1), b1 .. b(L+1) and, with
    use_batchnorm, gamma1 .. gammaL and beta1 .. betaL (ones and zeros), all float64; the layers hold these
    same arrays. weight_init_std: a number or "he"/"relu", "xavier"/"sigmoid" (weight_init.init_scale).
    rng: a numpy.random.Generator for the initial weights and the Dropout masks (a fresh one by default)."""

    def __init__(self, input_size, hidden_size_list, output_size, activation="relu", weight_init_std="relu",
                 weight_decay_lambda=0.0, use_batchnorm=False, use_dropout=False, dropout_ratio=0.5, rng=None):
        rng = rng if rng is not None else np.random.default_rng()
        self.hidden_layer_num = len(hidden_size_list)
        self.weight_decay_lambda = weight_decay_lambda
        sizes = [input_size, *hidden_size_list, output_size]
        self.params, self.layers = {}, {}
        for idx in range(1, len(sizes)):
            scale = init_scale(weight_init_std, sizes[idx - 1])
            self.params[f"W{idx}"] = scale * rng.standard_normal((sizes[idx - 1], sizes[idx]))
            self.params[f"b{idx}"] = np.zeros(sizes[idx])
            self.layers[f"Affine{idx}"] = Affine(self.params[f"W{idx}"], self.params[f"b{idx}"])
            if idx == len(sizes) - 1:
                break
            if use_batchnorm:
                self.params[f"gamma{idx}"], self.params[f"beta{idx}"] = np.ones(sizes[idx]), np.zeros(sizes[idx])
                self.layers[f"BatchNorm{idx}"] = BatchNormalization(self.params[f"gamma{idx}"],
                                                                    self.params[f"beta{idx}"])
            self.layers[f"Activation_function{idx}"] = ACTIVATION_LAYERS[activation]()
            if use_dropout:
                self.layers[f"Dropout{idx}"] = Dropout(dropout_ratio, rng)
        # Nothing uses the first layer's dx, and computing it costs as much as its dW.
        self.layers["Affine1"].needs_input_grad = False
        self.last_layer = SoftmaxWithLoss()

    def predict(self, x, train_flg=False):
        """Class scores before softmax. x: (N, input_size) -> (N, output_size) float64; train_flg selects
        the training behaviour of BatchNorm (batch statistics) and Dropout (a fresh mask)."""
        raise NotImplementedError("Stage 6: implement MultiLayerNet.predict")

    def loss(self, x, t, train_flg=False):
        """Softmax cross-entropy of predict(x, train_flg) against t ((N,) labels or one-hot), plus
        0.5 * weight_decay_lambda * the sum of every squared weight (biases, gamma, beta exempt) -> float."""
        raise NotImplementedError("Stage 6: implement MultiLayerNet.loss")

    def accuracy(self, x, t):
        """Fraction of rows whose highest score (test mode) matches t (labels or one-hot) -> float in [0, 1]."""
        y = np.argmax(self.predict(x, train_flg=False), axis=1)
        if t.ndim != 1:
            t = np.argmax(t, axis=1)
        return float(np.mean(y == t))

    def numerical_gradient(self, x, t):
        """Central differences of loss(x, t, train_flg=True) for every parameter -> dict like params. With
        Dropout each evaluation draws a new mask: check gradients with use_dropout=False."""
        loss_of_params = lambda _: self.loss(x, t, train_flg=True)
        return {name: numerical_gradient(loss_of_params, param) for name, param in self.params.items()}

    def gradient(self, x, t):
        """Backprop of loss(x, t, train_flg=True) -> dict like params: dW + weight_decay_lambda * W for the
        weights, db, and dgamma, dbeta for BatchNorm."""
        raise NotImplementedError("Stage 6: implement MultiLayerNet.gradient")
