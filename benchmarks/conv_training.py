"""Stage 7's training claim on the bundled digits: SimpleConvNet against the two-layer net, per seed and median.

    python benchmarks/conv_training.py [--seeds 5] [--notebook]
    OPENBLAS_NUM_THREADS=1 python benchmarks/conv_training.py     # much faster on a busy machine

Both nets are trained alike (solutions/conv_experiments.py's constants, the course's tuned two-layer
training); prints each seed's final test accuracy of both and the medians. --notebook runs the notebook's
single seed and shorter run instead. Prints the wall time (on a shared machine it depends on the load: with two
BLAS threads SimpleConvNet's small products wait for a busy CPU, and one thread is several times faster).
"""
import argparse
import inspect
import statistics
import time

from dlscratch_data import load_digits

from solutions import conv_experiments
from solutions.simple_conv_net import DIGITS_CONV_PARAM, SimpleConvNet


def report(data, seeds, epochs):
    """Print per seed each net's final test accuracy and which leads, then the medians."""
    hidden = inspect.signature(SimpleConvNet).parameters["hidden_size"].default
    print(f"two-layer 64-{conv_experiments.TWO_LAYER_HIDDEN}-10 vs SimpleConvNet ({DIGITS_CONV_PARAM['filter_num']} "
          f"{DIGITS_CONV_PARAM['filter_size']}x{DIGITS_CONV_PARAM['filter_size']} filters, pad "
          f"{DIGITS_CONV_PARAM['pad']}, 2x2 pooling, hidden {hidden}); both "
          f"{conv_experiments.OPTIMIZER.__name__} lr {conv_experiments.LR}, batch {conv_experiments.BATCH_SIZE}, "
          f"{epochs} epochs, weight std {conv_experiments.WEIGHT_INIT_STD}, {len(data[0][0])} training and "
          f"{len(data[1][0])} test images")
    finals = {}
    for seed in seeds:
        started = time.perf_counter()
        for label, history in conv_experiments.conv_comparison(*data, seed, epochs).items():
            finals.setdefault(label, []).append(history[-1]["test_accuracy"])
        two_layer, conv = finals["two-layer"][-1], finals["SimpleConvNet"][-1]
        lead = "SimpleConvNet" if conv > two_layer else "two-layer" if two_layer > conv else "tie"
        print(f"  seed {seed}: " + ", ".join(f"{label} {values[-1]:.4f}" for label, values in finals.items())
              + f"  ({lead}; {time.perf_counter() - started:.1f} s)", flush=True)
    print("  median final test accuracy: " + ", ".join(f"{label} {statistics.median(values):.4f}"
                                                      for label, values in finals.items()))


def main():
    """Load the digits as images, then print the comparison and how long it took."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5, help="seeds 0..N-1 (default 5)")
    parser.add_argument("--notebook", action="store_true", help="the notebook's single seed and epochs")
    args = parser.parse_args()
    data = load_digits(flatten=False)
    if args.notebook:
        seeds, epochs = [conv_experiments.NOTEBOOK_SEED], conv_experiments.NOTEBOOK_EPOCHS
    else:
        seeds, epochs = range(args.seeds), conv_experiments.EPOCHS
    started = time.perf_counter()
    report(data, seeds, epochs)
    print(f"  ({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
