"""Train the two-layer net (Affine-ReLU-Affine-SoftmaxWithLoss) by backprop, with any stage-5 optimizer.

    python -m dlscratch.train                      # the bundled digits, tuned defaults, ~1 s
    python -m dlscratch.train --optimizer sgd --lr 0.1 --epochs 50 --out runs/sgd

Prints which dataset it used and one line per epoch; writes history.json and loss/accuracy plots
(drawn from that file) to --out. The last line printed is `test accuracy: 0.xxxx`.

The book's MNIST run, to reproduce where MNIST is available (about 0.97 test accuracy):
    python -m dlscratch.train --dataset mnist --optimizer sgd --lr 0.1 --hidden 50 --batch-size 100 \\
        --epochs 17 --weight-init-std 0.01      # 10,000 iterations of batch 100 over 60,000 images
"""
import argparse
import json
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from dlscratch_data import load_dataset

from .memory import reuse_freed_memory
from .networks import TwoLayerNet
from .optimizers import SGD, AdaGrad, Adam, Momentum, RMSprop
from .plots import plot_history
from .progress import ProgressBar

OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "adagrad": AdaGrad, "rmsprop": RMSprop, "adam": Adam}


@dataclass
class TrainConfig:
    """Everything a run depends on; the defaults are tuned for the bundled digits (see benchmarks/seeds.py)."""

    dataset: str = "auto"
    optimizer: str = "adam"
    lr: float = 0.005
    hidden: int = 100
    epochs: int = 30
    batch_size: int = 32
    weight_init_std: float = 0.1
    seed: int = 0


def _accuracy(network, x, t, batch_size=1000):
    correct = sum(int(np.sum(np.argmax(network.predict(x[i:i + batch_size]), axis=1) == t[i:i + batch_size]))
                  for i in range(0, len(x), batch_size))
    return correct / len(x)


def train_epoch(network, optimizer, x, t, batch_size, rng, progress=None):
    """One pass over a fresh permutation, batch by batch -> mean batch loss (float).

    Each batch is gathered on its own: permuting all of x at once costs a copy of the whole data set
    per epoch (0.7 s of a 1.1 s MNIST-sized epoch, measured in benchmarks/epoch_time.py).
    """
    order = rng.permutation(len(x))
    losses = []
    for start in range(0, len(x), batch_size):
        batch = order[start:start + batch_size]
        grads = network.gradient(x[batch], t[batch])
        optimizer.update(network.params, grads)
        losses.append(network.lastLayer.loss)
        if progress:
            progress.advance()
    return float(np.mean(losses))


def train(config, log=print, show_progress=False):
    """Train as `config` says -> history dict (dataset, config, per-epoch loss and accuracies, test_accuracy)."""
    reuse_freed_memory()
    name, ((x_train, t_train), (x_test, t_test)) = load_dataset(config.dataset, normalize=True)
    x_train, x_test = x_train.astype(np.float64), x_test.astype(np.float64)
    log(f"dataset: {name} ({len(x_train)} training, {len(x_test)} test images of {x_train.shape[1]} pixels)")
    np.random.seed(config.seed)
    network = TwoLayerNet(x_train.shape[1], config.hidden, int(t_train.max()) + 1, config.weight_init_std)
    optimizer = OPTIMIZERS[config.optimizer](lr=config.lr)
    rng = np.random.default_rng(config.seed)
    steps = -(-len(x_train) // config.batch_size)
    history = {"dataset": name, "config": asdict(config), "epochs": []}
    for epoch in range(1, config.epochs + 1):
        progress = ProgressBar(steps, f"epoch {epoch}/{config.epochs}") if show_progress else None
        loss = train_epoch(network, optimizer, x_train, t_train, config.batch_size, rng, progress)
        record = {"epoch": epoch, "loss": loss, "train_accuracy": _accuracy(network, x_train, t_train),
                  "test_accuracy": _accuracy(network, x_test, t_test)}
        history["epochs"].append(record)
        log(f"epoch {epoch:3d}  loss {loss:.4f}  train {record['train_accuracy']:.4f}  "
            f"test {record['test_accuracy']:.4f}")
    history["test_accuracy"] = history["epochs"][-1]["test_accuracy"]
    return history


def parse_args(argv=None):
    defaults = TrainConfig()
    parser = argparse.ArgumentParser(prog="train", description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", choices=("auto", "digits", "mnist"), default=defaults.dataset)
    parser.add_argument("--optimizer", choices=sorted(OPTIMIZERS), default=defaults.optimizer)
    for name in ("lr", "weight_init_std"):
        parser.add_argument(f"--{name.replace('_', '-')}", type=float, default=getattr(defaults, name))
    for name in ("hidden", "epochs", "batch_size", "seed"):
        parser.add_argument(f"--{name.replace('_', '-')}", type=int, default=getattr(defaults, name))
    parser.add_argument("--out", type=Path, default=Path("runs/train"), help="where history and plots go")
    parser.add_argument("--progress", action="store_true", help="show a progress bar even when not on a terminal")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    config = TrainConfig(**{name: getattr(args, name) for name in asdict(TrainConfig())})
    started = time.perf_counter()
    history = train(config, show_progress=args.progress or sys.stderr.isatty())
    args.out.mkdir(parents=True, exist_ok=True)
    history_path = args.out / "history.json"
    history_path.write_text(json.dumps(history, indent=1), encoding="utf-8")
    plots = plot_history(history_path, args.out)
    print(f"trained in {time.perf_counter() - started:.1f} s; history and plots in {args.out}: "
          + ", ".join(path.name for path in [history_path, *plots]))
    print(f"test accuracy: {history['test_accuracy']:.4f}")


if __name__ == "__main__":
    main()
