# Stage 5 (Optimizers): generated from the course's reference solutions.
# Your work goes in the function bodies that raise NotImplementedError; keep the names and
# signatures, the grader calls them.
"""Stage 5: optimizers; each update(params, grads) changes the parameter arrays in place (ch. 6)."""
import numpy as np

# Keeps the adaptive step finite while a parameter's squared-gradient history is still zero.
EPS = 1e-7


class SGD:
    """W <- W - lr * dW."""

    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        """params, grads: dicts of same-shape float64 arrays; params are updated in place."""
        raise NotImplementedError("Stage 5: implement SGD.update")


class Momentum:
    """v <- momentum * v - lr * dW; W <- W + v (v starts at zero, one per parameter)."""

    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = None

    def update(self, params, grads):
        """params, grads: dicts of same-shape float64 arrays; params are updated in place."""
        raise NotImplementedError("Stage 5: implement Momentum.update")


class AdaGrad:
    """h <- h + dW^2; W <- W - lr * dW / (sqrt(h) + 1e-7)."""

    def __init__(self, lr=0.01):
        self.lr = lr
        self.h = None

    def update(self, params, grads):
        """params, grads: dicts of same-shape float64 arrays; params are updated in place."""
        raise NotImplementedError("Stage 5: implement AdaGrad.update")


class RMSprop:
    """h <- decay_rate * h + (1 - decay_rate) * dW^2; W <- W - lr * dW / (sqrt(h) + 1e-7)."""

    def __init__(self, lr=0.01, decay_rate=0.99):
        self.lr = lr
        self.decay_rate = decay_rate
        self.h = None

    def update(self, params, grads):
        """params, grads: dicts of same-shape float64 arrays; params are updated in place."""
        raise NotImplementedError("Stage 5: implement RMSprop.update")


class Adam:
    """Adam (Kingma and Ba): bias-corrected moment estimates m, v; step t counts from 1.

    m <- beta1 m + (1 - beta1) dW;  v <- beta2 v + (1 - beta2) dW^2;
    W <- W - lr * sqrt(1 - beta2^t) / (1 - beta1^t) * m / (sqrt(v) + 1e-7).
    """

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr = lr
        self.beta1 = beta1
        self.beta2 = beta2
        self.iter = 0
        self.m = None
        self.v = None

    def update(self, params, grads):
        """params, grads: dicts of same-shape float64 arrays; params are updated in place."""
        raise NotImplementedError("Stage 5: implement Adam.update")
