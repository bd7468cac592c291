# Course support code: generated from the reference solutions (python -m autograder stubs).
# Instructors edit solutions/compare_optimizers.py, never this file. Students: fill in every body that
# raises NotImplementedError; keep the names and signatures, the grader calls them.
"""The book's optimizer comparison (ch. 6): SGD, Momentum, AdaGrad and Adam on f(x, y) = x^2/20 + y^2,
and the same four training the two-layer net on the digits. Saves optimizers_bowl.png and
optimizers_digits.png.

    python -m dlscratch.compare_optimizers --out runs/optimizers
"""
import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 - the backend must be chosen first
import numpy as np  # noqa: E402

from .optimizers import SGD, AdaGrad, Adam, Momentum  # noqa: E402
from .train import TrainConfig, train  # noqa: E402

# The book's learning rates for the bowl (figure 6-8); for the digits, rates that suit each method.
BOWL = {"SGD": (SGD, 0.95), "Momentum": (Momentum, 0.1), "AdaGrad": (AdaGrad, 1.5), "Adam": (Adam, 0.3)}
DIGITS = {"sgd": 0.1, "momentum": 0.05, "adagrad": 0.05, "adam": 0.005}
START, STEPS = (-7.0, 2.0), 30


def bowl_gradient(x, y):
    """Gradient of f(x, y) = x^2 / 20 + y^2."""
    return np.array([x / 10.0, 2.0 * y])


def bowl_path(optimizer, start=START, steps=STEPS):
    """(steps + 1, 2) positions visited from `start`."""
    params = {"xy": np.array(start, dtype=np.float64)}
    path = [params["xy"].copy()]
    for _ in range(steps):
        optimizer.update(params, {"xy": bowl_gradient(*params["xy"])})
        path.append(params["xy"].copy())
    return np.array(path)


def plot_bowl(out_dir):
    xs, ys = np.meshgrid(np.linspace(-10, 10, 200), np.linspace(-5, 5, 100))
    figure, axes = plt.subplots(2, 2, figsize=(9, 6), sharex=True, sharey=True)
    for ax, (name, (optimizer, lr)) in zip(axes.flat, BOWL.items()):
        path = bowl_path(optimizer(lr=lr))
        ax.contour(xs, ys, xs ** 2 / 20 + ys ** 2, levels=12, colors="0.75", linewidths=0.8)
        ax.plot(path[:, 0], path[:, 1], "o-", color="tab:red", markersize=3)
        ax.plot(0, 0, "+", color="black", markersize=10)
        ax.set_title(f"{name} ({STEPS} steps)")
    figure.suptitle("f(x, y) = x²/20 + y² from (-7, 2)")
    figure.tight_layout()
    figure.savefig(out_dir / "optimizers_bowl.png", dpi=100)
    plt.close(figure)
    return out_dir / "optimizers_bowl.png"


def plot_digits(out_dir, epochs=20):
    figure, axes = plt.subplots(figsize=(6, 4))
    for name, lr in DIGITS.items():
        history = train(TrainConfig(dataset="digits", optimizer=name, lr=lr, epochs=epochs), log=lambda line: None)
        axes.plot([record["epoch"] for record in history["epochs"]], [record["loss"] for record in history["epochs"]],
                  label=f"{name} (lr {lr})")
    axes.set(xlabel="epoch", ylabel="training loss", yscale="log", title="two-layer net on the digits")
    axes.legend()
    figure.tight_layout()
    figure.savefig(out_dir / "optimizers_digits.png", dpi=100)
    plt.close(figure)
    return out_dir / "optimizers_digits.png"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="compare_optimizers", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("runs/optimizers"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for path in (plot_bowl(args.out), plot_digits(args.out)):
        print(f"saved {path}")


if __name__ == "__main__":
    main()
