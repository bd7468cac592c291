# Course support code: generated from the course's reference solutions.
# Nothing to fill in here: course code given as it is (the grader uses the course's own copy).
"""Loss and accuracy curves drawn from a saved training history (history.json), as PNG files.

Plotting reads only the file, so a run's plots can be redrawn later:
    plot_history("runs/train/history.json", "runs/train")
"""
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only: no display needed (CI, ssh)
import matplotlib.pyplot as plt  # noqa: E402 - the backend must be chosen first
from matplotlib.ticker import MaxNLocator  # noqa: E402


def plot_history(history_path, out_dir):
    """Read history.json, write loss.png and accuracy.png into out_dir -> [their paths]."""
    history = json.loads(Path(history_path).read_text(encoding="utf-8"))
    config = history["config"]
    title = f"{config['optimizer']} (lr {config['lr']}) on {history['dataset']}"
    out_dir = Path(out_dir)
    loss = _plot(history["epochs"], {"training (mean batch loss)": "loss"}, "cross-entropy loss", title,
                 out_dir / "loss.png", log_scale=True)
    accuracy = _plot(history["epochs"], {"train": "train_accuracy", "test": "test_accuracy"}, "accuracy",
                     f"{title}: test {history['test_accuracy']:.4f}", out_dir / "accuracy.png")
    return [loss, accuracy]


def _plot(records, series, ylabel, title, path, log_scale=False):
    """One figure: for each label -> key of `series`, record[key] against record["epoch"]; saved to path."""
    figure, axes = plt.subplots(figsize=(6, 4))
    epochs = [record["epoch"] for record in records]
    for label, key in series.items():
        axes.plot(epochs, [record[key] for record in records], marker="o", markersize=3, label=label)
    # the loss falls by orders of magnitude; on a linear axis the later epochs look flat
    axes.set(xlabel="epoch", ylabel=ylabel, title=title, yscale="log" if log_scale else "linear")
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.grid(alpha=0.3)
    axes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return path
