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
    ### BEGIN SOLUTION
    p = np.asarray(p, dtype=np.float64)
    h = -np.sum(p * np.log(np.where(p > 0, p, 1.0)), axis=-1)
    return float(h) if h.ndim == 0 else h
    ### END SOLUTION


def cross_entropy(p, q):
    """H(p, q) = -sum_k p_k log q_k, with 0 log 0 = 0; inf where q_k = 0 < p_k.

    p, q: (K,) or (N, K) probabilities over the last axis, of one shape -> Python float, or (N,) float64.
    """
    ### BEGIN SOLUTION
    p = np.asarray(p, dtype=np.float64)
    q = np.asarray(q, dtype=np.float64)
    with np.errstate(divide="ignore"):
        h = -np.sum(p * np.where(p > 0, np.log(q), 0.0), axis=-1)
    return float(h) if h.ndim == 0 else h
    ### END SOLUTION


def kl_divergence(p, q):
    """KL(p || q) = sum_k p_k log(p_k / q_k) >= 0, with 0 log 0 = 0; inf where q_k = 0 < p_k.

    p, q: (K,) or (N, K) probabilities over the last axis, of one shape -> Python float, or (N,) float64.
    """
    ### BEGIN SOLUTION
    p = np.asarray(p, dtype=np.float64)
    q = np.asarray(q, dtype=np.float64)
    with np.errstate(divide="ignore"):
        kl = np.sum(p * (np.log(np.where(p > 0, p, 1.0)) - np.log(np.where(p > 0, q, 1.0))), axis=-1)
    return float(kl) if kl.ndim == 0 else kl
    ### END SOLUTION
