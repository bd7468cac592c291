"""The book's optimizer comparison (ch. 6): SGD, Momentum, AdaGrad, RMSprop and Adam on
f(x, y) = x^2/20 + y^2, and the same five training the two-layer net on the digits. Saves
optimizers_bowl.png and optimizers_digits.png.

    python -m dlscratch.compare_optimizers --out runs/optimizers
"""
import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 - the backend must be chosen first
import numpy as np  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from .optimizers import SGD, AdaGrad, Adam, Momentum, RMSprop  # noqa: E402
from .train import TrainConfig, stops_at_a_stub, train  # noqa: E402

# The book's learning rates for the bowl (figure 6-8; RMSprop's is ours: 0.1 ends at a tenth of the start's
# distance, 0.2 already at the minimum); for the digits, rates that suit each method.
BOWL = {"SGD": (SGD, 0.95), "Momentum": (Momentum, 0.1), "AdaGrad": (AdaGrad, 1.5), "RMSprop": (RMSprop, 0.1),
        "Adam": (Adam, 0.3)}
DIGITS = {"sgd": 0.1, "momentum": 0.05, "adagrad": 0.05, "rmsprop": 0.001, "adam": 0.01}
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


def bowl_figure():
    """Figure 6-8: each optimizer's 30 steps over the contour lines of f, one panel each -> the figure."""
    xs, ys = np.meshgrid(np.linspace(-10, 10, 200), np.linspace(-5, 5, 100))
    figure, axes = plt.subplots(2, 3, figsize=(12, 6.5))
    for ax, (name, (optimizer, lr)) in zip(axes.flat, BOWL.items()):
        path = bowl_path(optimizer(lr=lr))
        ax.contour(xs, ys, xs ** 2 / 20 + ys ** 2, levels=12, colors="0.75", linewidths=0.8)
        ax.plot(path[:, 0], path[:, 1], "o-", color="tab:red", markersize=3, label=f"{STEPS} steps")
        ax.plot(*START, "s", color="tab:blue", label="start")
        ax.plot(0, 0, "+", color="black", markersize=10, label="minimum")
        ax.set_title(f"{name} (lr {lr}): ends at ({path[-1, 0]:.2f}, {path[-1, 1]:.2f})", fontsize=10)
        # five ticks a side: the default's every 2.5 collide at this panel width
        ax.set(xlabel="x", ylabel="y", xlim=(-10, 10), ylim=(-5, 5), xticks=range(-10, 11, 5), yticks=range(-4, 5, 2))
    legend = axes.flat[len(BOWL)]
    legend.legend(*axes.flat[0].get_legend_handles_labels(), loc="center")
    legend.axis("off")
    figure.suptitle(f"f(x, y) = x²/20 + y², {STEPS} steps from {START}")
    return figure


def plot_bowl(out_dir):
    """Draw bowl_figure() into out_dir -> the PNG's path."""
    return _save(bowl_figure(), out_dir / "optimizers_bowl.png")


def plot_digits(out_dir, epochs=20):
    """Training loss per epoch of the default two-layer net under each optimizer -> the PNG's path."""
    figure, axes = plt.subplots(figsize=(6, 4))
    for name, lr in DIGITS.items():
        config = TrainConfig(dataset="digits", optimizer=name, lr=lr, epochs=epochs)
        records = train(config, log=lambda line: None)["epochs"]
        axes.plot([record["epoch"] for record in records], [record["loss"] for record in records],
                  label=f"{name} (lr {lr})")
    axes.set(xlabel="epoch", ylabel="training loss (mean batch loss)", yscale="log",
             title=f"64-{config.hidden}-10 net on the digits, batch {config.batch_size}")
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.grid(alpha=0.3)
    axes.legend()
    return _save(figure, out_dir / "optimizers_digits.png")


def _save(figure, path):
    """Write figure to path as PNG and free it -> path."""
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return path


def main(argv=None):
    """Draw both figures into --out and print their paths."""
    parser = argparse.ArgumentParser(prog=f"python -m {__package__}.compare_optimizers",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("runs/optimizers"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with stops_at_a_stub(parser.prog):
        for path in (plot_bowl(args.out), plot_digits(args.out)):
            print(f"saved {path}")


if __name__ == "__main__":
    main()
