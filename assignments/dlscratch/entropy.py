# Stage 3 (Learning: losses and numerical gradients): generated from the course's reference solutions.
# Your work goes in the function bodies that raise NotImplementedError; keep the names and
# signatures, the grader calls them.
"""Stage 3: entropy, cross-entropy and KL divergence between discrete distributions (in nats).

H(p, q) = H(p) + KL(p || q) and KL(p || q) >= 0, with equality only for q = p: cross-entropy is never below
the entropy, and minimising it over q is minimising the KL divergence. For a one-hot p (a label), H(p) = 0,
so H(p, q) = KL(p || q) = -log q[label]: the book's cross_entropy_error, without its 1e-7 guard.
By convention 0 log 0 = 0: an outcome p never produces adds nothing, whatever q says about it.
"""
import numpy as np


def entropy(p):
    """H(p) = -sum_k p_k log p_k, with 0 log 0 = 0.

    p: (K,) or (N, K) probabilities over the last axis -> Python float, or (N,) float64.
    """
    raise NotImplementedError("Stage 3: implement entropy")


def cross_entropy(p, q):
    """H(p, q) = -sum_k p_k log q_k, with 0 log 0 = 0; inf where q_k = 0 < p_k.

    p, q: (K,) or (N, K) probabilities over the last axis, of one shape -> Python float, or (N,) float64.
    """
    raise NotImplementedError("Stage 3: implement cross_entropy")


def kl_divergence(p, q):
    """KL(p || q) = sum_k p_k log(p_k / q_k) >= 0, with 0 log 0 = 0; inf where q_k = 0 < p_k.

    p, q: (K,) or (N, K) probabilities over the last axis, of one shape -> Python float, or (N,) float64.
    """
    raise NotImplementedError("Stage 3: implement kl_divergence")
