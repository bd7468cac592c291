"""`python -m autograder.make_sample_weights`: train stage 2's sample network and save solutions/sample_weight.npz.

The book ships a pickled 784-50-100-10 MNIST network; we ship an .npz for the bundled 8x8 digits,
64-50-100-10 with sigmoid hidden layers, trained here with the reference layers and Adam.
"""
import numpy as np

from dlscratch_data import load_digits
from solutions.layers import Affine, Sigmoid, SoftmaxWithLoss
from solutions.neuralnet import SAMPLE_WEIGHTS, accuracy
from solutions.optimizers import Adam

SIZES = (64, 50, 100, 10)


def train_sample_network(seed=0, iters=3000, batch_size=64):
    """Train the stage 2 network -> dict W1 (64, 50), b1, W2 (50, 100), b2, W3 (100, 10), b3."""
    rng = np.random.default_rng(seed)
    (x_train, t_train), _ = load_digits(normalize=True)
    params = {}
    for index, (fan_in, fan_out) in enumerate(zip(SIZES, SIZES[1:]), start=1):
        params[f"W{index}"] = rng.standard_normal((fan_in, fan_out)) / np.sqrt(fan_in)
        params[f"b{index}"] = np.zeros(fan_out)
    affines = [Affine(params[f"W{i}"], params[f"b{i}"]) for i in (1, 2, 3)]
    layers = [affines[0], Sigmoid(), affines[1], Sigmoid(), affines[2]]
    loss_layer, optimizer = SoftmaxWithLoss(), Adam(lr=0.003)
    for _ in range(iters):
        batch = rng.choice(len(x_train), batch_size)
        out = x_train[batch].astype(np.float64)
        for layer in layers:
            out = layer.forward(out)
        loss_layer.forward(out, t_train[batch])
        dout = loss_layer.backward(1)
        for layer in reversed(layers):
            dout = layer.backward(dout)
        grads = {}
        for i, affine in enumerate(affines, start=1):
            grads[f"W{i}"], grads[f"b{i}"] = affine.dW, affine.db
        optimizer.update(params, grads)
    return params


def main():
    params = train_sample_network()
    np.savez_compressed(SAMPLE_WEIGHTS, **params)
    _, (x_test, t_test) = load_digits(normalize=True)
    print(f"saved {SAMPLE_WEIGHTS}: test accuracy {accuracy(params, x_test, t_test):.4f}")


if __name__ == "__main__":
    main()
