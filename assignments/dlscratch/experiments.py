# Stage 6 support code (Training deep networks): generated from the course's reference solutions.
# Nothing to fill in here: course code given as it is (the grader uses the course's own copy).
"""Stage 6: the training runs behind the chapter's claims, for the notebook and benchmarks/stage6_training.py.

fit() trains any network of the course (params, gradient(x, t), accuracy(x, t)) with any stage-5 optimizer
and records its accuracies after every epoch; epochs_to_reach() reads how soon a run got somewhere.
"""
import numpy as np


def fit(network, optimizer, train_set, test_set, epochs, batch_size, rng):
    """Train on train_set = (x (N, D) float64, t (N,) labels) in shuffled mini-batches; -> a list of
    {"epoch", "train_accuracy", "test_accuracy"}, one per epoch (accuracies in test mode)."""
    (x_train, t_train), history = train_set, []
    for epoch in range(1, epochs + 1):
        order = rng.permutation(len(x_train))
        for start in range(0, len(x_train), batch_size):
            batch = order[start:start + batch_size]
            optimizer.update(network.params, network.gradient(x_train[batch], t_train[batch]))
        history.append({"epoch": epoch, "train_accuracy": network.accuracy(*train_set),
                        "test_accuracy": network.accuracy(*test_set)})
    return history


def epochs_to_reach(history, accuracy):
    """The first epoch whose test accuracy is at least `accuracy`, or None if none is."""
    return next((record["epoch"] for record in history if record["test_accuracy"] >= accuracy), None)
