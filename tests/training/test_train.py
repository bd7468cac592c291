"""Training the reference net: history, reproducibility, plots from the saved history, the CLI's last line."""
import json
import re
import subprocess
import sys

import matplotlib.image
import numpy as np
import pytest

from solutions.compare_optimizers import BOWL, START, bowl_path, main as compare_main
from solutions.plots import plot_history
from solutions.train import TrainConfig, parse_args, train

QUICK = TrainConfig(dataset="digits", epochs=4)


@pytest.fixture(scope="module")
def history():
    return train(QUICK, log=lambda line: None)


def test_history_records_every_epoch(history):
    assert history["dataset"] == "digits" and history["config"]["epochs"] == 4
    assert [record["epoch"] for record in history["epochs"]] == [1, 2, 3, 4]
    for record in history["epochs"]:
        assert 0.0 <= record["train_accuracy"] <= 1.0 and 0.0 <= record["test_accuracy"] <= 1.0
    assert history["test_accuracy"] == history["epochs"][-1]["test_accuracy"]


def test_loss_falls(history):
    losses = [record["loss"] for record in history["epochs"]]
    assert losses[-1] < 0.5 * losses[0]
    assert history["test_accuracy"] > 0.9


def test_same_seed_same_history_other_seed_differs(history):
    assert train(QUICK, log=lambda line: None) == history
    other = train(TrainConfig(dataset="digits", epochs=4, seed=1), log=lambda line: None)
    assert other["epochs"][0]["loss"] != history["epochs"][0]["loss"]


def test_plots_are_drawn_from_the_saved_history(history, tmp_path):
    path = tmp_path / "history.json"
    path.write_text(json.dumps(history))
    pngs = plot_history(path, tmp_path)
    assert [png.name for png in pngs] == ["loss.png", "accuracy.png"]
    for png in pngs:
        image = matplotlib.image.imread(png)
        assert image.shape[0] > 100 and image.shape[1] > 100 and image.std() > 0


@pytest.mark.slow
def test_default_cli_run_reaches_the_digits_target(tmp_path):
    result = subprocess.run([sys.executable, "-m", "solutions.train", "--out", str(tmp_path)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("dataset: digits")
    assert re.fullmatch(r"test accuracy: 0\.\d{4}", lines[-1])
    assert float(lines[-1].split(": ")[1]) >= 0.97
    assert {"history.json", "loss.png", "accuracy.png"} <= {path.name for path in tmp_path.iterdir()}


def test_unknown_optimizer_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as error:
        parse_args(["--optimizer", "lbfgs"])
    assert error.value.code == 2 and "invalid choice" in capsys.readouterr().err


@pytest.mark.parametrize("name", list(BOWL))
def test_every_optimizer_approaches_the_bowl_minimum(name):
    optimizer, lr = BOWL[name]
    path = bowl_path(optimizer(lr=lr))
    assert np.linalg.norm(path[-1]) < 0.25 * np.linalg.norm(START)


@pytest.mark.slow
def test_optimizer_comparison_writes_both_figures(tmp_path, capsys):
    compare_main(["--out", str(tmp_path)])
    for name in ("optimizers_bowl.png", "optimizers_digits.png"):
        assert matplotlib.image.imread(tmp_path / name).shape[0] > 100
