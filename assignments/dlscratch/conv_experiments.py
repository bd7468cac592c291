# Stage 7 support code (Convolutional networks): generated from the course's reference solutions.
# Nothing to fill in here: course code given as it is (the grader uses the course's own copy).
"""Stage 7: SimpleConvNet against the two-layer net on the digits, for the notebook and benchmarks/conv_training.py.

trained_networks() trains both nets for one seed with experiments.fit(), conv_comparison() keeps their
histories; the settings below are the only copy of them (the benchmark runs them over 5 seeds, the notebook
runs one). Both nets are trained alike, as the
course trains its two-layer net (solutions/train.py's TrainConfig defaults, tuned on the digits), so the
convolution's lead is the architecture's, not a better-tuned optimizer's.
"""
import numpy as np

from .experiments import _float64, fit
from .networks import TwoLayerNet
from .optimizers import Adam
from .simple_conv_net import SimpleConvNet

# The course's tuned training (TrainConfig's defaults: Adam, lr 0.01, batch 32, 30 epochs, weight std 0.1), for
# both nets. Sweeps of SimpleConvNet's learning rate, init, filters, hidden width and batch size over seeds
# 0..9 did no better (benchmarks/conv_training.py prints the comparison).
OPTIMIZER = Adam
LR = 0.01
BATCH_SIZE = 32
EPOCHS = 30
WEIGHT_INIT_STD = 0.1
TWO_LAYER_HIDDEN = 200

# The notebook's single run: a seed on which SimpleConvNet leads after 10 epochs (it does on most; the
# benchmark prints the medians over seeds).
NOTEBOOK_SEED = 0
NOTEBOOK_EPOCHS = 10


def conv_comparison(train_set, test_set, seed, epochs=EPOCHS):
    """The histories of trained_networks() alone: {"two-layer", "SimpleConvNet"} -> fit() histories."""
    return {label: history for label, (_, history) in trained_networks(train_set, test_set, seed, epochs).items()}


def trained_networks(train_set, test_set, seed, epochs=EPOCHS):
    """Train the two-layer net (TWO_LAYER_HIDDEN, on the flattened images) and SimpleConvNet (its defaults for
    the digits: DIGITS_CONV_PARAM, hidden layer of 100) by OPTIMIZER (LR, BATCH_SIZE), both from weights of std
    WEIGHT_INIT_STD.

    train_set, test_set: (x (N, C, H, W) float, t (N,) labels). Both nets see the same batch order, drawn from
    `seed`; the two-layer net's run is exactly `python -m solutions.train --dataset digits --seed SEED`'s
    on the same data.
    -> {"two-layer", "SimpleConvNet"}: (the trained network, its fit() history of `epochs` records).
    """
    if np.ndim(train_set[0]) != 4:
        raise ValueError(f"the comparison needs images (N, C, H, W), such as load_digits(flatten=False) gives; "
                         f"got x of shape {np.shape(train_set[0])}")
    train_set, test_set = _float64(train_set), _float64(test_set)
    n_classes = int(train_set[1].max()) + 1
    flat_train, flat_test = _flattened(train_set), _flattened(test_set)
    two_layer = _two_layer_net(flat_train[0].shape[1], n_classes, seed)
    conv_net = SimpleConvNet(input_dim=train_set[0].shape[1:], output_size=n_classes, weight_init_std=WEIGHT_INIT_STD,
                             rng=np.random.default_rng(seed))
    runs = {"two-layer": (two_layer, flat_train, flat_test), "SimpleConvNet": (conv_net, train_set, test_set)}
    return {label: (network, fit(network, OPTIMIZER(lr=LR), train, test, epochs, BATCH_SIZE,
                                 np.random.default_rng(seed)))
            for label, (network, train, test) in runs.items()}


def _two_layer_net(input_size, output_size, seed):
    """A TwoLayerNet with the weights solutions.train draws for `seed` (np.random.seed(seed), then
    TwoLayerNet's randn), drawn from a RandomState of its own so np.random's global state is left alone."""
    network, draws = TwoLayerNet(input_size, TWO_LAYER_HIDDEN, output_size), np.random.RandomState(seed)
    for name in ("W1", "W2"):
        # in place: the Affine layers hold these same arrays
        network.params[name][...] = WEIGHT_INIT_STD * draws.randn(*network.params[name].shape)
    return network


def _flattened(data_set):
    """(x (N, C, H, W), t) -> (x (N, C * H * W), t)."""
    return data_set[0].reshape(len(data_set[0]), -1), data_set[1]

