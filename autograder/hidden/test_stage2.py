"""Hidden suite, stage 2: activations, softmax, the 3-layer forward pass, batched accuracy."""
import numpy as np
import pytest

from autograder.grading.checks import compute_time, expect_array, expect_fast, expect_scalar, expect_unchanged
from solutions import activations, neuralnet

SHAPES = [(7,), (3, 4), (2, 3, 4)]
ELEMENTWISE = ["step_function", "sigmoid", "relu", "identity_function"]
SOFTMAX_HINT = "softmax normalises along the last axis: use axis=-1 and keepdims=True"
# Compute time (the call minus the cost of sending its arrays) of softmax on a (20000, 4) batch,
# measured here: reference 2.6-2.9 ms, a loop over rows 172-180 ms. 30 ms leaves 10x for a busy machine.
SOFTMAX_SECONDS = 0.030


def _random_network(rng, sizes=(5, 4, 3, 2)):
    network = {}
    for index, (fan_in, fan_out) in enumerate(zip(sizes, sizes[1:]), start=1):
        network[f"W{index}"] = rng.standard_normal((fan_in, fan_out))
        network[f"b{index}"] = rng.standard_normal(fan_out)
    return network


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_elementwise_activation(student, rng, credit, name):
    inputs = [rng.standard_normal(shape) * 3 for shape in SHAPES]
    credit.run([lambda x=x: expect_array(getattr(student.activations, name)(x), getattr(activations, name)(x),
                                         f"{name} on an array of shape {x.shape}",
                                         hint="apply it element by element; keep the shape")
                for x in inputs])


@pytest.mark.parametrize("name", ["sigmoid", "relu"])
def test_activation_leaves_its_input_alone(student, rng, name):
    x = rng.standard_normal((4, 5))
    reply = getattr(student.activations, name).reply(x.copy(), return_args=True)
    expect_unchanged(x, reply.args_after[0], f"{name}")


def test_sigmoid_at_extreme_inputs(student):
    x = np.array([-1000.0, -50.0, -1e-3, 0.0, 1e-3, 50.0, 1000.0])
    expect_array(student.activations.sigmoid(x), activations.sigmoid(x), "sigmoid at +-1000",
                 hint="an overflow warning alone costs nothing; NaN or wrong values do")


def test_softmax_book_example(student):
    x = np.array([0.3, 2.9, 4.0])
    expect_array(student.activations.softmax(x), activations.softmax(x), "softmax([0.3, 2.9, 4.0])")


@pytest.mark.parametrize("shape", [(4, 3), (64, 10)])
def test_softmax_batch(student, rng, shape):
    x = rng.standard_normal(shape) * 2
    expect_array(student.activations.softmax(x), activations.softmax(x), f"softmax on a {shape} batch",
                 hint=SOFTMAX_HINT)


def test_softmax_large_inputs(student, rng):
    x = 1000.0 + rng.standard_normal((5, 6)) * 20
    expect_array(student.activations.softmax(x), activations.softmax(x),
                 "softmax on a (5, 6) batch of scores around 1e3",
                 hint="exp(1000) overflows: subtract the maximum of each row before exp")


def test_softmax_three_dimensional(student, rng):
    x = rng.standard_normal((2, 3, 4))
    expect_array(student.activations.softmax(x), activations.softmax(x), "softmax on a (2, 3, 4) array",
                 hint=SOFTMAX_HINT)


def test_softmax_leaves_its_input_alone(student, rng):
    x = rng.standard_normal((3, 5)) * 10
    reply = student.activations.softmax.reply(x.copy(), return_args=True)
    expect_unchanged(x, reply.args_after[0], "softmax")


def test_forward_book_network(student):
    x = np.array([1.0, 0.5])
    network = neuralnet.init_network()
    expect_array(student.neuralnet.forward(network, x), neuralnet.forward(network, x),
                 "forward(init_network(), [1.0, 0.5])")


@pytest.mark.parametrize("function", ["forward", "predict"])
def test_batched_network(student, rng, function):
    network, x = _random_network(rng), rng.standard_normal((6, 5))
    expect_array(getattr(student.neuralnet, function)(network, x), getattr(neuralnet, function)(network, x),
                 f"{function} on a (6, 5) batch through a 5-4-3-2 network",
                 hint="sigmoid after the first two layers; predict ends with softmax, forward does not")


@pytest.mark.parametrize("batch_size", [1, 7, 100, 1000])
def test_accuracy_on_the_digits(student, batch_size):
    from dlscratch_data import load_digits
    _, (x_test, t_test) = load_digits()
    network = neuralnet.load_sample_network()
    expect_scalar(student.neuralnet.accuracy(network, x_test, t_test, batch_size=batch_size),
                  neuralnet.accuracy(network, x_test, t_test), f"accuracy with batch_size={batch_size}",
                  hint="count correct predictions over all batches, including a last, shorter one")


def test_softmax_is_vectorised(student, rng):
    x = rng.standard_normal((20000, 4))
    seconds, value = compute_time(student, student.activations.softmax, (x,))
    expect_array(value, activations.softmax(x), "softmax on a (20000, 4) batch")
    expect_fast(seconds, SOFTMAX_SECONDS, "softmax on a (20000, 4) batch")
