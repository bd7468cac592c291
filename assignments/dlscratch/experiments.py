# Stage 6 support code (Training deep networks): generated from the course's reference solutions.
# Nothing to fill in here: course code given as it is (the grader uses the course's own copy).
"""Stage 6: the training runs behind the chapter's claims, for the notebook and benchmarks/stage6_training.py.

fit() trains any network of the course (params, gradient(x, t), accuracy(x, t)) with any stage-5 optimizer
and records its accuracies after every epoch; epochs_to_reach() reads how soon a run got somewhere.
init_comparison(), batchnorm_comparison() and regularization_comparison() train the networks of one comparison for one seed;
the settings below are the only copy of them (the benchmark runs them over 5 seeds, the notebook runs one).
"""
import numpy as np

from .multi_layer_net import MultiLayerNet
from .networks import TwoLayerNet
from .optimizers import SGD

# Initialisation (the book's figure 6-15): a 5-layer ReLU net with each weight scale, by SGD at the book's
# learning rate 0.01; std 0.01 does not learn at all, He's scale learns fastest.
INIT_STDS = (0.01, "xavier", "he")
INIT_HIDDEN = [100] * 4
INIT_LR = 0.01
INIT_BATCH_SIZE = 100
INIT_EPOCHS = 15

# Batch Normalization: a 5-layer net with He weights, with and without BatchNorm, and the two-layer net whose
# final test accuracy is the mark to reach, all trained alike on every training image.
BN_HIDDEN = [100] * 4
BN_LR = 0.1
BN_BATCH_SIZE = 100
BN_EPOCHS = 30
TWO_LAYER_HIDDEN = 100
# The course's tuned two-layer init (solutions.train's default); the book's 0.01 learns slowly with SGD.
TWO_LAYER_INIT_STD = 0.1

# Overfitting: a 5-layer net on the first REG_TRAIN_SIZE training images, plain, with Dropout, with weight
# decay. Chosen by sweeps over depth, width, images, optimizer and epochs: the digits barely overfit, and
# stronger dropout or decay lowered test accuracy along with training accuracy.
REG_TRAIN_SIZE = 100
REG_HIDDEN = [50] * 4
REG_LR = 0.05
REG_BATCH_SIZE = 20
REG_EPOCHS = 300
DROPOUT_RATIO = 0.1
WEIGHT_DECAY_LAMBDA = 0.01
REGULARIZATIONS = {"plain": {}, "dropout": {"use_dropout": True, "dropout_ratio": DROPOUT_RATIO},
                   "weight decay": {"weight_decay_lambda": WEIGHT_DECAY_LAMBDA}}

# The notebook's single run, a few seconds per comparison: a seed on which both regularizers narrow the gap
# (not every seed does; the benchmark prints the medians) and BatchNorm's lead shows (it does on every seed).
NOTEBOOK_SEED = 1
NOTEBOOK_BN_EPOCHS = 10
NOTEBOOK_REG_EPOCHS = 150


def fit_epoch(network, optimizer, train_set, batch_size, rng):
    """One pass over train_set = (x (N, ...) float64, t (N,) labels) in mini-batches of a fresh order drawn
    from rng, a gradient and an optimizer update each."""
    x_train, t_train = train_set
    order = rng.permutation(len(x_train))
    for start in range(0, len(x_train), batch_size):
        batch = order[start:start + batch_size]
        optimizer.update(network.params, network.gradient(x_train[batch], t_train[batch]))


def fit(network, optimizer, train_set, test_set, epochs, batch_size, rng):
    """Train on train_set = (x (N, D) float64, t (N,) labels) in shuffled mini-batches; -> a list of
    {"epoch", "train_accuracy", "test_accuracy"}, one per epoch (accuracies in test mode)."""
    history = []
    for epoch in range(1, epochs + 1):
        fit_epoch(network, optimizer, train_set, batch_size, rng)
        history.append({"epoch": epoch, "train_accuracy": network.accuracy(*train_set),
                        "test_accuracy": network.accuracy(*test_set)})
    return history


def epochs_to_reach(history, accuracy):
    """The first epoch whose test accuracy is at least `accuracy`, or None if none is."""
    return next((record["epoch"] for record in history if record["test_accuracy"] >= accuracy), None)


def generalization_gap(history):
    """Training accuracy minus test accuracy after the last epoch of a fit() history -> float."""
    return history[-1]["train_accuracy"] - history[-1]["test_accuracy"]


def init_comparison(train_set, test_set, seed, epochs=INIT_EPOCHS):
    """Train the INIT_HIDDEN ReLU net once per weight scale of INIT_STDS by SGD (INIT_LR, INIT_BATCH_SIZE).

    train_set, test_set: (x (N, D) float, t (N,) labels). Every run draws its weights from `seed` and sees
    the same batch order.
    -> {"std 0.01", "xavier", "he"}: fit() histories of `epochs` records each.
    """
    train_set, test_set = _float64(train_set), _float64(test_set)
    sizes = _input_and_output_sizes(train_set)
    histories = {}
    for std in INIT_STDS:
        network = MultiLayerNet(sizes[0], INIT_HIDDEN, sizes[1], weight_init_std=std, rng=np.random.default_rng(seed))
        histories[std if isinstance(std, str) else f"std {std}"] = fit(
            network, SGD(lr=INIT_LR), train_set, test_set, epochs, INIT_BATCH_SIZE, np.random.default_rng(seed))
    return histories


def batchnorm_comparison(train_set, test_set, seed, epochs=BN_EPOCHS):
    """Train the two-layer net and the BN_HIDDEN net without and with BatchNorm by SGD (BN_LR, BN_BATCH_SIZE).

    train_set, test_set: (x (N, D) float, t (N,) labels). The three nets see the same batch order, and the
    two deep ones start from the same weights, all drawn from `seed`.
    -> {"two-layer", "without BatchNorm", "with BatchNorm"}: fit() histories of `epochs` records each.
    """
    train_set, test_set = _float64(train_set), _float64(test_set)
    sizes = _input_and_output_sizes(train_set)
    networks = {"two-layer": _two_layer_net(*sizes, np.random.default_rng(seed))}
    for label, use_batchnorm in (("without BatchNorm", False), ("with BatchNorm", True)):
        networks[label] = MultiLayerNet(sizes[0], BN_HIDDEN, sizes[1], weight_init_std="he",
                                        use_batchnorm=use_batchnorm, rng=np.random.default_rng(seed))
    return {label: fit(network, SGD(lr=BN_LR), train_set, test_set, epochs, BN_BATCH_SIZE,
                       np.random.default_rng(seed)) for label, network in networks.items()}


def regularization_comparison(train_set, test_set, seed, epochs=REG_EPOCHS):
    """Train the REG_HIDDEN net on the first REG_TRAIN_SIZE images of train_set by SGD (REG_LR, REG_BATCH_SIZE),
    once per entry of REGULARIZATIONS: plain, with Dropout (DROPOUT_RATIO), with weight decay
    (WEIGHT_DECAY_LAMBDA).

    train_set, test_set: (x (N, D) float, t (N,) labels). Every run starts from the same weights and sees
    the same batch order, drawn from `seed` (which also seeds the Dropout masks).
    -> {"plain", "dropout", "weight decay"}: fit() histories of `epochs` records each.
    """
    (x_train, t_train), test_set = _float64(train_set), _float64(test_set)
    subset, sizes = (x_train[:REG_TRAIN_SIZE], t_train[:REG_TRAIN_SIZE]), _input_and_output_sizes(train_set)
    histories = {}
    for label, options in REGULARIZATIONS.items():
        network = MultiLayerNet(sizes[0], REG_HIDDEN, sizes[1], weight_init_std="he",
                                rng=np.random.default_rng(seed), **options)
        histories[label] = fit(network, SGD(lr=REG_LR), subset, test_set, epochs, REG_BATCH_SIZE,
                               np.random.default_rng(seed))
    return histories


def _two_layer_net(input_size, output_size, rng):
    """A TwoLayerNet whose weights are drawn from rng (its constructor draws from np.random's global state)."""
    network = TwoLayerNet(input_size, TWO_LAYER_HIDDEN, output_size)
    for name in ("W1", "W2"):
        # in place: the Affine layers hold these same arrays
        network.params[name][...] = TWO_LAYER_INIT_STD * rng.standard_normal(network.params[name].shape)
    return network


def _input_and_output_sizes(data_set):
    """(D, the number of classes) of (x (N, D), t (N,) labels 0..C-1)."""
    return data_set[0].shape[1], int(data_set[1].max()) + 1


def _float64(data_set):
    """(x, t) with x as float64 (the loaders give float32)."""
    return np.asarray(data_set[0], dtype=np.float64), data_set[1]
