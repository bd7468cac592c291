"""Stage 6's training claims on the bundled digits, per seed and as the median over the seeds.

    python benchmarks/stage6_training.py [--seeds 5] [--notebook]

Initialisation: the final test accuracy of the 5-layer ReLU net with each weight scale. Batch Normalization: how many epochs the 5-layer net takes, without and with BatchNorm, to reach the test
accuracy the two-layer net ends with (each seed's own mark). Overfitting: final training and test accuracy
and their gap for the 5-layer net on a small training set, plain, with Dropout and with weight decay. The
settings are solutions/experiments.py's constants; --notebook runs the notebook's single seed and shorter
runs instead. Prints each part's wall time (on a shared machine it depends on the load).
"""
import argparse
import statistics
import time

from dlscratch_data import load_dataset

from solutions import experiments


def report_batchnorm(data, seeds, epochs):
    """Print per seed the two-layer net's final test accuracy and each deep net's epochs to reach it, then
    the medians; a net that never reaches it counts as epochs + 1 ("never")."""
    print(f"Batch Normalization: {_layers(experiments.BN_HIDDEN)} net (He) vs the two-layer "
          f"{_layers([experiments.TWO_LAYER_HIDDEN])}, SGD lr {experiments.BN_LR}, batch {experiments.BN_BATCH_SIZE}, "
          f"{epochs} epochs, {len(data[0][0])} training images")
    reached = {"without BatchNorm": [], "with BatchNorm": []}
    for seed in seeds:
        histories = experiments.batchnorm_comparison(*data, seed, epochs)
        target = histories["two-layer"][-1]["test_accuracy"]
        line = f"  seed {seed}: two-layer ends at {target:.4f}; epochs to reach it:"
        for label, values in reached.items():
            epoch = experiments.epochs_to_reach(histories[label], target)
            values.append(epoch if epoch is not None else epochs + 1)
            line += f" {label} {epoch or 'never'} (ends at {histories[label][-1]['test_accuracy']:.4f}),"
        print(line.rstrip(","), flush=True)
    print("  median epochs to reach: " + ", ".join(
        f"{label} {_epochs(statistics.median(values), epochs)}" for label, values in reached.items()))


def report_init(data, seeds, epochs):
    """Print per seed each weight scale's final test accuracy, then the medians."""
    print(f"Initialisation: {_layers(experiments.INIT_HIDDEN)} ReLU net, SGD lr {experiments.INIT_LR}, batch "
          f"{experiments.INIT_BATCH_SIZE}, {epochs} epochs")
    finals = {}
    for seed in seeds:
        for label, history in experiments.init_comparison(*data, seed, epochs).items():
            finals.setdefault(label, []).append(history[-1]["test_accuracy"])
        print(f"  seed {seed}: " + ", ".join(f"{label} {values[-1]:.4f}" for label, values in finals.items()),
              flush=True)
    print("  median final test accuracy: " + ", ".join(f"{label} {statistics.median(values):.4f}"
                                                      for label, values in finals.items()))


def report_regularization(data, seeds, epochs):
    """Print per seed and configuration the final training and test accuracy and their gap, then the medians."""
    print(f"Overfitting: {_layers(experiments.REG_HIDDEN)} net (He) on {experiments.REG_TRAIN_SIZE} "
          f"training images, SGD lr {experiments.REG_LR}, batch {experiments.REG_BATCH_SIZE}, {epochs} epochs; "
          f"dropout ratio {experiments.DROPOUT_RATIO}, weight decay lambda {experiments.WEIGHT_DECAY_LAMBDA}")
    finals = {label: [] for label in experiments.REGULARIZATIONS}
    for seed in seeds:
        for label, history in experiments.regularization_comparison(*data, seed, epochs).items():
            finals[label].append((history[-1]["train_accuracy"], history[-1]["test_accuracy"],
                                  experiments.generalization_gap(history)))
        print(f"  seed {seed}: " + ", ".join(f"{label} train {values[-1][0]:.4f} test {values[-1][1]:.4f} "
                                             f"gap {values[-1][2]:.4f}" for label, values in finals.items()),
              flush=True)
    for label, values in finals.items():
        train, test, gap = (statistics.median(column) for column in zip(*values))
        print(f"  median {label:<13} train {train:.4f}  test {test:.4f}  gap {gap:.4f}")


def _layers(hidden):
    """The widths of a net on the digits (64 pixels, 10 classes), as "64-100-10"."""
    return "-".join(map(str, [64, *hidden, 10]))


def _epochs(value, epochs):
    """A median of epochs to reach, where epochs + 1 stands for never."""
    return "never" if value > epochs else f"{value:g}"


def main():
    """Load the digits, then print the three comparisons and how long each took."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5, help="seeds 0..N-1 (default 5)")
    parser.add_argument("--notebook", action="store_true", help="the notebook's single seed and epochs")
    args = parser.parse_args()
    _, data = load_dataset("digits", normalize=True)
    if args.notebook:
        seeds = [experiments.NOTEBOOK_SEED]
        epochs = (experiments.INIT_EPOCHS, experiments.NOTEBOOK_BN_EPOCHS, experiments.NOTEBOOK_REG_EPOCHS)
    else:
        seeds, epochs = range(args.seeds), (experiments.INIT_EPOCHS, experiments.BN_EPOCHS, experiments.REG_EPOCHS)
    for report, epochs in zip((report_init, report_batchnorm, report_regularization), epochs):
        started = time.perf_counter()
        report(data, seeds, epochs)
        print(f"  ({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
