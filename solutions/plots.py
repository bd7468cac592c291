"""Loss and accuracy curves drawn from a saved training history (history.json), as PNG files."""
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 - the backend must be chosen first


def plot_history(history_path, out_dir):
    """Read history.json, write loss.png and accuracy.png into out_dir -> [their paths]."""
    history = json.loads(Path(history_path).read_text(encoding="utf-8"))
    epochs = [record["epoch"] for record in history["epochs"]]
    title = f"{history['config']['optimizer']} on {history['dataset']}"
    out_dir = Path(out_dir)
    paths = []
    for name, series, ylabel in (
        ("loss.png", {"training loss": "loss"}, "cross-entropy loss"),
        ("accuracy.png", {"train": "train_accuracy", "test": "test_accuracy"}, "accuracy"),
    ):
        figure, axes = plt.subplots(figsize=(6, 4))
        for label, key in series.items():
            axes.plot(epochs, [record[key] for record in history["epochs"]], marker="o", markersize=3, label=label)
        axes.set(xlabel="epoch", ylabel=ylabel, title=title)
        axes.grid(alpha=0.3)
        axes.legend()
        figure.tight_layout()
        figure.savefig(out_dir / name, dpi=100)
        plt.close(figure)
        paths.append(out_dir / name)
    return paths
