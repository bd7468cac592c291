"""One training epoch of the reference TwoLayerNet against the bare matrix-multiply bound.

    python benchmarks/epoch_time.py [--repeats 7]
    OPENBLAS_NUM_THREADS=1 python benchmarks/epoch_time.py     # the same with one BLAS thread

Shapes: 784-100-10, batch 100, 60,000 synthetic float64 samples (600 steps of gradient + SGD update,
as solutions.train.train_epoch does them). The bound is exactly the matrix products one step needs: the
two forward products, dW1, dW2 and the hidden-layer gradient dout @ W2.T, same shapes and dtype, timed the
same way (best of --repeats rounds after a warm-up round). The book's Affine also computes the first layer's
dx = dout @ W1.T, which nothing uses; the epoch is timed without it (Affine.needs_input_grad, where the
reference has it) and with it. Then the rest of the epoch is taken apart: each non-matmul piece of a
step, run 600 times on its own, and what no piece accounts for. Measured on a shared 2-CPU machine: with
2 BLAS threads the epoch was 1.7-2.0x the bound and the left-over its largest part (the threads sleep
between products interleaved with other work, and wait for each other when another process holds a CPU);
with OPENBLAS_NUM_THREADS=1 it was 1.2-1.4x when the machine was quiet, up to 1.9x under others' load.
"""
import argparse
import ctypes
import glob
import os

import numpy as np

from solutions.layers import Relu, SoftmaxWithLoss
from solutions.memory import reuse_freed_memory
from solutions.networks import TwoLayerNet
from solutions.optimizers import SGD
from solutions.train import train_epoch
from timing import best_of

N, D, H, C, BATCH = 60000, 784, 100, 10, 100
STEPS = N // BATCH


def openblas_threads():
    """The thread count of the OpenBLAS numpy loaded (from a wheel's numpy.libs) -> int, or "?"."""
    for path in glob.glob(os.path.dirname(np.__file__) + ".libs/*openblas*"):
        lib = ctypes.CDLL(path)  # the library already loaded: dlopen hands back the same instance
        for name in ("scipy_openblas_get_num_threads64_", "openblas_get_num_threads64_", "openblas_get_num_threads"):
            if hasattr(lib, name):
                return getattr(lib, name)()
    return "?"


def blas_context():
    """One line of context: numpy, its BLAS and thread count, CPUs, load average, thread variables."""
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        library = f"{blas['name']} {blas.get('version', '')}"
    except (TypeError, KeyError):  # numpy < 1.25 prints its config instead
        library = "BLAS unknown"
    variables = {name: os.environ[name] for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_CORETYPE")
                 if name in os.environ}
    return (f"numpy {np.__version__}, {library}, {openblas_threads()} BLAS threads, {os.cpu_count()} CPUs, "
            f"load average {os.getloadavg()[0]:.1f}, {variables or 'no thread variables set'}")


def matmul_bound(x, W1, W2, dout, dh):
    """The five products of one step, for every batch of an epoch."""
    for start in range(0, N, BATCH):
        batch = x[start:start + BATCH]
        h = batch @ W1
        h @ W2
        h.T @ dout
        dout @ W2.T
        batch.T @ dh


def the_rest(x, t, rng):
    """Each non-matmul piece of a step, as a callable running it for a whole epoch -> {label: callable}."""
    h, dh, scores = rng.standard_normal((BATCH, H)), rng.standard_normal((BATCH, H)), rng.standard_normal((BATCH, C))
    dout, labels, b1, b2 = rng.standard_normal((BATCH, C)), t[:BATCH], np.zeros(H), np.zeros(C)
    params = {"W1": np.zeros((D, H)), "b1": b1.copy(), "W2": np.zeros((H, C)), "b2": b2.copy()}
    grads = {key: np.ones_like(value) for key, value in params.items()}
    relu, softmax, sgd = Relu(), SoftmaxWithLoss(), SGD(lr=0.1)
    return {
        "batches: permutation, x[rows], t[rows]": lambda: _gather(x, t, rng),
        "bias adds and db sums": _repeat(lambda: (h + b1, scores + b2, dout.sum(axis=0), dh.sum(axis=0))),
        "Relu forward + backward": _repeat(lambda: (relu.forward(h), relu.backward(dh))),
        "SoftmaxWithLoss forward + backward": _repeat(lambda: (softmax.forward(scores, labels), softmax.backward(1))),
        "SGD update of the 4 parameters": _repeat(lambda: sgd.update(params, grads)),
    }


def _repeat(step):
    """A callable running step() once per step of an epoch."""
    return lambda: [step() for _ in range(STEPS)]


def _gather(x, t, rng):
    """The batches of one epoch as train_epoch takes them: rows of a fresh permutation, gathered."""
    order = rng.permutation(len(x))
    for start in range(0, len(x), BATCH):
        rows = order[start:start + BATCH]
        x[rows], t[rows]


def epoch_action(x, t, force_first_layer_dx=False):
    """A callable running one train_epoch of a fresh 784-100-10 net and SGD; force_first_layer_dx makes
    the first Affine compute its dx as the book's does."""
    np.random.seed(0)
    network, optimizer, rng = TwoLayerNet(D, H, C), SGD(lr=0.1), np.random.default_rng(0)
    if force_first_layer_dx:
        network.layers["Affine1"].needs_input_grad = True
    return lambda: train_epoch(network, optimizer, x, t, BATCH, rng)


def skips_first_layer_dx():
    """Whether the reference TwoLayerNet switches off its first Affine's dx (Affine.needs_input_grad)."""
    return getattr(TwoLayerNet(D, H, C).layers["Affine1"], "needs_input_grad", True) is False


def interleaved(repeats, actions):
    """Best seconds of each action over `repeats` rounds, each round running every action once -> {key: s}.

    Round by round rather than action by action, so a burst of load from elsewhere slows the epoch and the
    bound alike instead of only whichever was running. One untimed round first warms up the heap.
    """
    best = {key: float("inf") for key in actions}
    for round_ in range(repeats + 1):
        for key, action in actions.items():
            seconds = best_of(1, action)[0]
            if round_:  # round 0 is the warm-up
                best[key] = min(best[key], seconds)
    return best


def main():
    """Print the context, the epoch and bound times and ratios, and what the rest of the epoch is."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    memory = reuse_freed_memory()  # as train() does; it speeds up the bound's allocations as much as the epoch's
    rng = np.random.default_rng(0)
    x, t = rng.random((N, D)), rng.integers(0, C, N)
    W1, W2 = rng.standard_normal((D, H)) * 0.01, rng.standard_normal((H, C)) * 0.01
    dout, dh = rng.standard_normal((BATCH, C)), rng.standard_normal((BATCH, H))
    print(blas_context())
    print(f"float64, {N} samples, {D}-{H}-{C}, batch {BATCH}, {STEPS} steps; freed memory kept on the heap: {memory}")
    actions = {"bound": lambda: matmul_bound(x, W1, W2, dout, dh), "epoch": epoch_action(x, t)}
    if skips_first_layer_dx():
        actions["book"] = epoch_action(x, t, force_first_layer_dx=True)
    parts = the_rest(x, t, rng)
    best = interleaved(args.repeats, {**actions, **parts})
    report_epoch(best)
    report_the_rest(best["epoch"] - best["bound"], {label: best[label] for label in parts})


def report_epoch(best):
    """Print the bound, the reference epoch and (where it skips the first layer's dx) the book's, as ratios."""
    bound, epoch = best["bound"], best["epoch"]
    print(f"matrix-multiply bound (5 products a step): {bound:.3f} s ({bound / STEPS * 1e3:.2f} ms a step)")
    print(f"reference epoch ({'skips' if 'book' in best else 'computes'} the first layer's dx): "
          f"{epoch:.3f} s  ratio {epoch / bound:.2f}x  (done at <= 2x, goal <= 1.5x)")
    if "book" in best:
        print(f"epoch with the book's Affine (first layer's dx computed): {best['book']:.3f} s  "
              f"ratio {best['book'] / bound:.2f}x (a sixth product, which the bound leaves out)")


def report_the_rest(rest, parts):
    """Print each piece's seconds and share of rest (epoch less bound), then what none accounts for."""
    print(f"the rest of the epoch (reference epoch less bound): {rest:.3f} s, of which")
    for label, seconds in sorted(parts.items(), key=lambda item: -item[1]):
        print(f"  {label:<38} {seconds:.3f} s  {seconds / rest:4.0%}")
    unaccounted = rest - sum(parts.values())
    print(f"  {'left over':<38} {unaccounted:.3f} s  {unaccounted / rest:4.0%}  (Python calls, dicts, reshapes;"
          " with more than one BLAS thread, also waking them for each product after other work)")


if __name__ == "__main__":
    main()
