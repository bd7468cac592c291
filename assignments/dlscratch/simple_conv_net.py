# Stage 7 (Convolutional networks): generated from the course's reference solutions.
# Your work goes in the function bodies that raise NotImplementedError; keep the names and
# signatures, the grader calls them.
"""Stage 7: a small convolutional network (Deep Learning from Scratch, ch. 7.5; the book's SimpleConvNet).

    Conv1 -> Relu1 -> Pool1 -> Affine1 -> Relu2 -> Affine2 -> SoftmaxWithLoss

The convolution keeps the image's 2-D structure: each filter sees a small neighbourhood and the same filter
is used at every position, so a 3x3 filter has 9 weights however large the image.
"""
import numpy as np

from .conv_layers import Convolution, Pooling
from .conv_util import conv_output_size
from .gradients import numerical_gradient
from .layers import Affine, Relu, SoftmaxWithLoss

# The digits are 8x8: 3x3 filters padded by 1 keep 8x8, and 2x2 pooling halves it to 4x4.
DIGITS_CONV_PARAM = {"filter_num": 16, "filter_size": 3, "pad": 1, "stride": 1}


class SimpleConvNet:
    """input_dim: (C, H, W) of one image. conv_param: filter_num, filter_size (square filters), pad, stride.
    The pooling layer is 2x2 with stride 2. params: W1 (filter_num, C, filter_size, filter_size), b1
    (filter_num,), W2 (filter_num * pool_h * pool_w, hidden_size), b2, W3 (hidden_size, output_size), b3, all
    float64; the layers hold these same arrays. Weights are weight_init_std times standard normal draws from
    rng (a numpy.random.Generator, a fresh one by default), biases zero."""

    def __init__(self, input_dim=(1, 8, 8), conv_param=None, hidden_size=100, output_size=10, weight_init_std=0.01,
                 rng=None):
        conv_param = {**DIGITS_CONV_PARAM, **(conv_param or {})}
        rng = rng if rng is not None else np.random.default_rng()
        channels, height, width = input_dim
        filter_num, filter_size = conv_param["filter_num"], conv_param["filter_size"]
        stride, pad = conv_param["stride"], conv_param["pad"]
        conv_h = conv_output_size(height, filter_size, stride, pad)
        conv_w = conv_output_size(width, filter_size, stride, pad)
        pool_output_size = filter_num * (conv_h // 2) * (conv_w // 2)
        shapes = {"W1": (filter_num, channels, filter_size, filter_size), "W2": (pool_output_size, hidden_size),
                  "W3": (hidden_size, output_size)}
        self.params = {}
        for idx, shape in enumerate(shapes.values(), start=1):
            self.params[f"W{idx}"] = weight_init_std * rng.standard_normal(shape)
            self.params[f"b{idx}"] = np.zeros(shape[0] if idx == 1 else shape[1])
        self.layers = {
            "Conv1": Convolution(self.params["W1"], self.params["b1"], stride, pad),
            "Relu1": Relu(),
            "Pool1": Pooling(pool_h=2, pool_w=2, stride=2),
            "Affine1": Affine(self.params["W2"], self.params["b2"]),
            "Relu2": Relu(),
            "Affine2": Affine(self.params["W3"], self.params["b3"]),
        }
        self.last_layer = SoftmaxWithLoss()

    def predict(self, x):
        """Class scores before softmax. x: (N, C, H, W) -> (N, output_size) float64."""
        raise NotImplementedError("Stage 7: implement SimpleConvNet.predict")

    def loss(self, x, t):
        """Softmax cross-entropy of predict(x) against t ((N,) labels or one-hot) -> float."""
        raise NotImplementedError("Stage 7: implement SimpleConvNet.loss")

    def accuracy(self, x, t, batch_size=100):
        """Fraction of images whose highest score matches t (labels or one-hot), in batches -> float in [0, 1]."""
        if t.ndim != 1:
            t = np.argmax(t, axis=1)
        right = sum(int(np.sum(np.argmax(self.predict(x[i:i + batch_size]), axis=1) == t[i:i + batch_size]))
                    for i in range(0, len(x), batch_size))
        return right / len(x)

    def numerical_gradient(self, x, t):
        """Central differences of loss(x, t) for every parameter -> dict like params (slow: for checks only)."""
        loss_of_params = lambda _: self.loss(x, t)
        return {name: numerical_gradient(loss_of_params, param) for name, param in self.params.items()}

    def gradient(self, x, t):
        """Backprop of loss(x, t) -> dict like params: each layer's dW and db."""
        raise NotImplementedError("Stage 7: implement SimpleConvNet.gradient")
