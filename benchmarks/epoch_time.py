"""One training epoch of the reference TwoLayerNet against the bare matrix-multiply bound.

    python benchmarks/epoch_time.py [--repeats 5]

Shapes: 784-100-10, batch 100, 60,000 synthetic samples (600 steps). The bound is exactly the matrix
products one step needs: the two forward products, dW1, dW2 and the hidden-layer gradient dout @ W2.T,
same shapes and dtype, timed the same way. The book's Affine also computes the first layer's
dx = dout @ W1.T, which nothing uses; the reference skips it (Affine.needs_input_grad), and the cost it
would add is printed for comparison.
"""
import argparse

import numpy as np

from solutions.memory import reuse_freed_memory
from solutions.networks import TwoLayerNet
from solutions.optimizers import SGD
from solutions.train import train_epoch
from timing import best_of

N, D, H, C, BATCH = 60000, 784, 100, 10, 100


def matmul_bound(x, W1, W2, dout, dh):
    """The five products of one step, for every batch of an epoch."""
    for start in range(0, N, BATCH):
        batch = x[start:start + BATCH]
        h = batch @ W1
        h @ W2
        h.T @ dout
        dout @ W2.T
        batch.T @ dh


def first_layer_dx(dh, W1):
    for _ in range(0, N, BATCH):
        dh @ W1.T


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    # As training does; it speeds up the bound's allocations as much as the epoch's.
    memory = reuse_freed_memory()
    rng = np.random.default_rng(0)
    x, t = rng.random((N, D)), rng.integers(0, C, N)
    W1, W2 = rng.standard_normal((D, H)) * 0.01, rng.standard_normal((H, C)) * 0.01
    dout, dh = rng.standard_normal((BATCH, C)), rng.standard_normal((BATCH, H))
    np.random.seed(0)
    network, optimizer = TwoLayerNet(D, H, C), SGD(lr=0.1)
    train_epoch(network, optimizer, x, t, BATCH, rng)  # warm-up: the heap grows to its working size once
    epoch = best_of(args.repeats, lambda: train_epoch(network, optimizer, x, t, BATCH, rng))[0]
    bound = best_of(args.repeats, lambda: matmul_bound(x, W1, W2, dout, dh))[0]
    extra = best_of(args.repeats, lambda: first_layer_dx(dh, W1))[0]
    print(f"numpy {np.__version__}; float64; {N} samples, {D}-{H}-{C}, batch {BATCH}, {N // BATCH} steps; "
          f"freed memory reused: {memory}")
    print(f"reference epoch (train_epoch: permutation, gradient, SGD update): {epoch:.3f} s")
    print(f"matrix-multiply bound (5 products per step):                    {bound:.3f} s")
    print(f"ratio epoch / bound: {epoch / bound:.2f}x  (done at <= 2x, goal <= 1.5x)")
    print(f"the first layer's dx, skipped by the reference, would add {extra:.3f} s "
          f"(ratio {(epoch + extra) / bound:.2f}x)")


if __name__ == "__main__":
    main()
