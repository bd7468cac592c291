"""Stage 3: entropy, cross-entropy and KL divergence between discrete distributions (in nats).

H(p, q) = H(p) + KL(p || q) and KL(p || q) >= 0, with equality only for q = p: cross-entropy is never below
the entropy, and minimising it over q is minimising the KL divergence. For a one-hot p (a label), H(p) = 0,
so H(p, q) = KL(p || q) = -log q[label]: the book's cross_entropy_error, without its 1e-7 guard.
By convention 0 log 0 = 0: an outcome p never produces adds nothing, whatever q says about it.
"""
import numpy as np


def _per_distribution(values):
    """A Python float for one distribution, a float64 array of one value per distribution for a batch."""
    return float(values) if np.ndim(values) == 0 else values


def entropy(p):
    """H(p) = -sum_k p_k log p_k, with 0 log 0 = 0.

    p: (K,) or (N, K) probabilities over the last axis -> Python float, or (N,) float64.
    """
    ### BEGIN SOLUTION
    p = np.asarray(p, dtype=np.float64)
    logs = np.log(np.where(p > 0, p, 1.0))
    return _per_distribution(-np.sum(p * logs, axis=-1))
    ### END SOLUTION


def cross_entropy(p, q):
    """H(p, q) = -sum_k p_k log q_k, with 0 log 0 = 0; inf where q_k = 0 < p_k.

    p, q: (K,) or (N, K) probabilities over the last axis, of one shape -> Python float, or (N,) float64.
    """
    ### BEGIN SOLUTION
    p = np.asarray(p, dtype=np.float64)
    q = np.asarray(q, dtype=np.float64)
    with np.errstate(divide="ignore"):
        logs = np.where(p > 0, np.log(q), 0.0)
    return _per_distribution(-np.sum(p * logs, axis=-1))
    ### END SOLUTION


def kl_divergence(p, q):
    """KL(p || q) = sum_k p_k log(p_k / q_k) >= 0, with 0 log 0 = 0; inf where q_k = 0 < p_k.

    p, q: (K,) or (N, K) probabilities over the last axis, of one shape -> Python float, or (N,) float64.
    """
    ### BEGIN SOLUTION
    p = np.asarray(p, dtype=np.float64)
    q = np.asarray(q, dtype=np.float64)
    with np.errstate(divide="ignore"):
        logs = np.log(np.where(p > 0, p, 1.0)) - np.log(np.where(p > 0, q, 1.0))
    return _per_distribution(np.sum(p * logs, axis=-1))
    ### END SOLUTION
