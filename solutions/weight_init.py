"""Stage 6: weight initialisation (Deep Learning from Scratch, ch. 6.2), and the book's experiment.

A layer's weights are drawn from a normal distribution whose standard deviation decides whether the
activations of a deep net stay spread out: 0.01 makes them collapse towards one value, Xavier's 1/sqrt(n)
suits sigmoid and tanh, He's sqrt(2/n) suits ReLU (n: the number of inputs of the layer).
"""
import numpy as np

from .activations import relu, sigmoid

ACTIVATIONS = {"sigmoid": sigmoid, "relu": relu}
# The book's names: "relu" and "he" are He's, "sigmoid" and "xavier" are Xavier's.
SCALES = {"he": lambda n: np.sqrt(2.0 / n), "relu": lambda n: np.sqrt(2.0 / n),
          "xavier": lambda n: np.sqrt(1.0 / n), "sigmoid": lambda n: np.sqrt(1.0 / n)}


def init_scale(weight_init_std, fan_in):
    """The standard deviation of a layer's weights: weight_init_std itself (a number), or "he"/"relu"
    (sqrt(2 / fan_in)) or "xavier"/"sigmoid" (sqrt(1 / fan_in)) -> float."""
    ### BEGIN SOLUTION
    if isinstance(weight_init_std, str):
        if weight_init_std.lower() not in SCALES:
            raise ValueError(f"unknown weight_init_std {weight_init_std!r}: a number or one of {sorted(SCALES)}")
        return float(SCALES[weight_init_std.lower()](fan_in))
    return float(weight_init_std)
    ### END SOLUTION


def activation_histograms(activation, weight_init_std, rng, layers=5, nodes=100, samples=1000):
    """The book's experiment: `samples` random inputs (N(0, 1), (samples, nodes)) through `layers` layers of
    `nodes` units with no bias -> a list of the activations of each layer, (samples, nodes) float64 each."""
    x, outputs = rng.standard_normal((samples, nodes)), []
    for _ in range(layers):
        w = rng.standard_normal((nodes, nodes)) * init_scale(weight_init_std, nodes)
        x = ACTIVATIONS[activation](x @ w)
        outputs.append(x)
    return outputs
