# Stage 6 (Training deep networks): generated from the course's reference solutions.
# Your work goes in the function bodies that raise NotImplementedError; keep the names and
# signatures, the grader calls them.
"""Stage 6: Dropout (Deep Learning from Scratch, ch. 6.4.3; Srivastava et al., 2014).

In training every unit is dropped with probability dropout_ratio, by a mask kept for backward; at test time
every unit is kept and scaled by (1 - dropout_ratio), the book's convention (not "inverted" dropout), so the
expected output is the same in both modes. The mask is drawn from the layer's own generator: seed it, and
the masks repeat.
"""
import numpy as np


class Dropout:
    """dropout_ratio: the probability of dropping a unit, in [0, 1). rng: a numpy.random.Generator (a fresh
    unseeded one by default); each training forward draws rng.random(x.shape) once."""

    def __init__(self, dropout_ratio=0.5, rng=None):
        self.dropout_ratio = dropout_ratio
        self.rng = rng if rng is not None else np.random.default_rng()
        self.mask = None

    def forward(self, x, train_flg=True):
        """x: any shape -> float64 of x's shape: x where the mask keeps a unit and 0 where it drops it
        (training), or x * (1 - dropout_ratio) (test mode, no mask drawn)."""
        raise NotImplementedError("Stage 6: implement Dropout.forward")

    def backward(self, dout):
        """dout: x's shape -> dx: dout where the last training forward kept a unit, 0 where it dropped it."""
        raise NotImplementedError("Stage 6: implement Dropout.backward")
