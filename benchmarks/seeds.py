"""Test accuracy of `python -m dlscratch.train` on the bundled digits over 5 seeds, and the median.

    python benchmarks/seeds.py [--book]

--book also runs the book's settings (SGD, lr 0.1, hidden 50, batch 100, weight std 0.01) for the same
number of epochs, the evidence for tuning the defaults.
"""
import argparse
import statistics
import time

from solutions.train import TrainConfig, train

SEEDS = (0, 1, 2, 3, 4)
BOOK = {"optimizer": "sgd", "lr": 0.1, "hidden": 50, "batch_size": 100, "weight_init_std": 0.01}


def accuracies(**settings):
    results = []
    for seed in SEEDS:
        started = time.perf_counter()
        history = train(TrainConfig(dataset="digits", seed=seed, **settings), log=lambda line: None)
        results.append((history["test_accuracy"], time.perf_counter() - started))
    return results


def report(label, results):
    values = [accuracy for accuracy, _ in results]
    print(f"{label}: " + "  ".join(f"{accuracy:.4f} ({seconds:.1f} s)" for accuracy, seconds in results)
          + f"  median {statistics.median(values):.4f}, {sum(v >= 0.97 for v in values)}/5 at >= 0.97")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--book", action="store_true", help="also run the book's settings")
    args = parser.parse_args()
    report(f"defaults {TrainConfig()}", accuracies())
    if args.book:
        report(f"book settings {BOOK}", accuracies(**BOOK))


if __name__ == "__main__":
    main()
