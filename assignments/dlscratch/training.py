# Stage 4 (Backpropagation): generated from the course's reference solutions.
# Your work goes in the function bodies that raise NotImplementedError; keep the names and
# signatures, the grader calls them.
"""Stage 4: the mini-batch SGD training loop (Deep Learning from Scratch, ch. 5)."""
import numpy as np


def sgd_step(network, x_batch, t_batch, lr):
    """One step of plain SGD: params[k] -= lr * grads[k] in place, grads from network.gradient.

    x_batch: (B, D); t_batch: (B,) labels or (B, C) one-hot -> the batch loss (float) before the step.
    """
    raise NotImplementedError("Stage 4: implement sgd_step")


def minibatch_sgd(network, x_train, t_train, lr=0.1, batch_size=100, iters_num=1000, seed=0):
    """Train by SGD on random mini-batches (drawn with np.random.default_rng(seed).choice, with replacement).

    x_train: (N, D); t_train: (N,) labels or (N, C) one-hot -> list of iters_num batch losses.
    """
    raise NotImplementedError("Stage 4: implement minibatch_sgd")
