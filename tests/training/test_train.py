"""Training the reference net: history, reproducibility, plots from the saved history, the CLI's output,
the optimizer comparison's figures, and what students see when they train on stubs."""
import contextlib
import io
import itertools
import json
import re

import matplotlib.image
import matplotlib.pyplot as plt
import numpy as np
import pytest

from course.paths import ASSIGNMENTS_DIR
from solutions.compare_optimizers import BOWL, DIGITS, START, bowl_figure, bowl_path, main as compare_main
from solutions.plots import plot_history
from solutions.train import OPTIMIZERS, TrainConfig, main, parse_args, train

from ..conftest import run_python

QUICK = TrainConfig(dataset="digits", epochs=4)
LAST_LINE = r"test accuracy: 0\.\d{4}"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """A 4-epoch CLI run on the digits -> (its --out folder, its stdout lines, its stderr)."""
    out = tmp_path_factory.mktemp("run")
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        main(["--dataset", "digits", "--epochs", "4", "--out", str(out)])
    return out, stdout.getvalue().splitlines(), stderr.getvalue()


def saved_history(run):
    return json.loads((run[0] / "history.json").read_text(encoding="utf-8"))


def assert_png(path):
    assert path.stat().st_size > 0
    image = matplotlib.image.imread(path)
    assert image.ndim == 3 and image.shape[0] > 100 and image.shape[1] > 100 and image.std() > 0


def test_saved_history_records_loss_and_accuracies_per_epoch(run):
    history = saved_history(run)
    assert history["dataset"] == "digits" and history["config"]["epochs"] == 4
    assert [record["epoch"] for record in history["epochs"]] == [1, 2, 3, 4]
    for record in history["epochs"]:
        assert record["loss"] > 0
        assert 0.0 <= record["train_accuracy"] <= 1.0 and 0.0 <= record["test_accuracy"] <= 1.0
    assert history["test_accuracy"] == history["epochs"][-1]["test_accuracy"]


def test_loss_falls_on_the_saved_history(run):
    losses = [record["loss"] for record in saved_history(run)["epochs"]]
    assert losses[-1] < 0.3 * losses[0]  # about 0.9 to 0.1 in 4 epochs
    assert saved_history(run)["test_accuracy"] > 0.9


def test_cli_prints_the_dataset_first_and_the_test_accuracy_last(run):
    _, lines, _ = run
    assert lines[0].startswith("dataset: digits (1437 training, 360 test")
    assert re.fullmatch(LAST_LINE, lines[-1])
    assert lines[-1] == f"test accuracy: {saved_history(run)['test_accuracy']:.4f}"


def test_cli_writes_the_plots(run):
    for name in ("loss.png", "accuracy.png"):
        assert_png(run[0] / name)


def test_plots_are_drawn_from_the_history_file_alone(tmp_path):
    history = {"dataset": "digits", "config": {"optimizer": "sgd", "lr": 0.1}, "test_accuracy": 0.9,
               "epochs": [{"epoch": e, "loss": 1.0 / e, "train_accuracy": 0.8 + e / 100, "test_accuracy": 0.9}
                          for e in (1, 2, 3)]}
    path = tmp_path / "history.json"
    path.write_text(json.dumps(history), encoding="utf-8")
    pngs = plot_history(path, tmp_path)
    assert [png.name for png in pngs] == ["loss.png", "accuracy.png"]
    for png in pngs:
        assert_png(png)


def test_same_seed_same_history_other_seed_differs():
    first = train(QUICK, log=lambda line: None)
    assert train(QUICK, log=lambda line: None) == first
    other = train(TrainConfig(dataset="digits", epochs=4, seed=1), log=lambda line: None)
    assert other["epochs"][0]["loss"] != first["epochs"][0]["loss"]


def test_progress_bar_goes_to_stderr(capsys):
    train(TrainConfig(dataset="digits", epochs=1), log=print, show_progress=True)
    captured = capsys.readouterr()
    assert captured.err.endswith("epoch 1/1 [" + "#" * 30 + "] 45/45\n") and "#" not in captured.out


def test_no_progress_bar_unless_stderr_is_a_terminal(run):
    assert run[2] == ""  # the fixture's stderr is a StringIO, and --progress was not given


@pytest.mark.parametrize("argv, message", [(["--optimizer", "lbfgs"], "invalid choice: 'lbfgs'"),
                                           (["--epochs", "0"], "must be at least 1")])
def test_bad_options_are_usage_errors(argv, message, capsys):
    with pytest.raises(SystemExit) as error:
        parse_args(argv)
    err = capsys.readouterr().err
    assert error.value.code == 2 and err.startswith("usage: python -m solutions.train") and message in err


@pytest.mark.slow
def test_default_cli_run_reaches_the_digits_target(tmp_path):
    result = run_python("-m", "solutions.train", "--dataset", "digits", "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    last = result.stdout.strip().splitlines()[-1]
    assert re.fullmatch(LAST_LINE, last)
    assert float(last.split(": ")[1]) >= 0.97


@pytest.mark.parametrize("module", ["train", "compare_optimizers"])
def test_on_stubs_training_ends_with_one_line_naming_the_function_to_write(module, tmp_path):
    result = run_python("-B", "-m", f"dlscratch.{module}", "--out", tmp_path, cwd=ASSIGNMENTS_DIR)
    assert result.returncode == 1
    assert re.fullmatch(rf"python -m dlscratch\.{module}: [\w.]+ is not implemented yet "
                        r"\(this runs your code from stages 2 to 5\)\n", result.stderr), result.stderr


def test_both_comparisons_cover_every_optimizer_training_offers():
    assert {name.lower() for name in BOWL} == set(DIGITS) == set(OPTIMIZERS)


@pytest.mark.parametrize("name", list(BOWL))
def test_every_optimizer_approaches_the_bowl_minimum(name):
    optimizer, lr = BOWL[name]
    path = bowl_path(optimizer(lr=lr))
    assert np.linalg.norm(path[-1]) < 0.25 * np.linalg.norm(START)


def test_bowl_panels_have_axis_labels_and_tick_labels_that_do_not_collide():
    figure = bowl_figure()
    figure.canvas.draw()
    panels = [ax for ax in figure.axes if ax.axison]
    assert len(panels) == len(BOWL)
    for ax in panels:
        assert (ax.get_xlabel(), ax.get_ylabel()) == ("x", "y")
        for labels in (ax.get_xticklabels(), ax.get_yticklabels()):
            boxes = [label.get_window_extent() for label in labels if label.get_text()]
            assert len(boxes) >= 3
            assert not any(a.overlaps(b) for a, b in itertools.combinations(boxes, 2))
    plt.close(figure)


@pytest.mark.slow
def test_optimizer_comparison_writes_both_figures(tmp_path):
    compare_main(["--out", str(tmp_path)])
    for name in ("optimizers_bowl.png", "optimizers_digits.png"):
        assert_png(tmp_path / name)
