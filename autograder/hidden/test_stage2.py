"""Hidden suite, stage 2: activations, softmax, the 3-layer forward pass, batched accuracy.

Every input is seeded (the `rng` fixture) and every reply is compared with the reference in the scorer;
only test_softmax_is_vectorised measures time.
"""
import numpy as np
import pytest

from autograder.grading.checks import as_array, compute_time, expect_array, expect_fast, expect_scalar, expect_unchanged
from autograder.grading.errors import GradingFailure
from dlscratch_data import load_digits
from solutions import activations, neuralnet

ELEMENTWISE = ["step_function", "sigmoid", "relu", "identity_function"]
ACTIVATIONS = ELEMENTWISE + ["softmax"]
ELEMENTWISE_HINT = "apply it element by element and keep the input's shape"
SOFTMAX_HINT = "softmax normalises along the last axis: use axis=-1 and keepdims=True"
FLOAT64_HINT = "convert first with np.asarray(x, dtype=np.float64), so int and float32 inputs give float64 too"
NETWORK_HINT = "sigmoid after the first two layers; predict ends with softmax, forward does not"
# Compute time (checks.compute_time: the best call less the best echo of its arguments) of softmax on a
# (20000, 4) batch, from benchmarks/vectorisation_stage2_3.py and repeated runs on 2 cores, idle and with
# up to 4 CPU-bound processes: reference 1.6-5.6 ms, typically 3 ms (2.7 ms in process; the whole request
# takes 6-7 ms, 2-5 ms of it sending the arrays); a loop over rows 106-129 ms. 20 ms leaves the reference
# 3.5x at the worst and 7x as a rule, and catches the loop by 5x. Best of 10 calls, not 5: in 1 of 6 full
# grades beside 4 CPU-bound processes, all 5 calls of the reference took over 20 ms.
SOFTMAX_SECONDS = 0.020
TIMING_REPEATS = 10


def _inputs(rng, dtype, shape):
    """Seeded inputs of `dtype` with negative, zero and positive entries."""
    if dtype == "int64":
        return rng.integers(-5, 6, shape)
    return (rng.standard_normal(shape) * 3).astype(dtype)


def _random_network(rng, sizes=(5, 4, 3, 2)):
    network = {}
    for index, (fan_in, fan_out) in enumerate(zip(sizes, sizes[1:]), start=1):
        network[f"W{index}"] = rng.standard_normal((fan_in, fan_out))
        network[f"b{index}"] = rng.standard_normal(fan_out)
    return network


@pytest.fixture(scope="module")
def digits_test_set():
    return load_digits()[1]


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_elementwise_activation(student, rng, credit, name):
    inputs = [_inputs(rng, "float64", shape) for shape in [(7,), (3, 4), (2, 3, 4)]]
    function, reference = getattr(student.activations, name), getattr(activations, name)
    credit.run([lambda x=x: expect_array(function(x), reference(x), f"{name} on an array of shape {x.shape}",
                                         hint=ELEMENTWISE_HINT)
                for x in inputs])


def _expect_float64(value, expected, what, hint):
    """Right values (float32 arithmetic is close enough) returned as float64 of the input's shape."""
    expect_array(value, expected, what, rtol=1e-5, hint=hint)
    if value.dtype != np.float64:
        raise GradingFailure(f"{what}: returned dtype {value.dtype}, expected float64", hint=FLOAT64_HINT)


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activation_returns_float64(student, rng, credit, name):
    # The book's step_function and relu keep an int input's dtype; the course asks for float64 throughout.
    inputs = [_inputs(rng, "int64", (5, 4)), _inputs(rng, "float32", (3, 6))]
    function, reference = getattr(student.activations, name), getattr(activations, name)
    hint = SOFTMAX_HINT if name == "softmax" else ELEMENTWISE_HINT
    credit.run([lambda x=x: _expect_float64(function(x), reference(x),
                                            f"{name} on an input of dtype {x.dtype} and shape {x.shape}", hint)
                for x in inputs])


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activation_leaves_its_input_alone(student, rng, name):
    x = rng.standard_normal((4, 5)) * 3
    reply = getattr(student.activations, name).reply(x.copy(), return_args=True)
    # Leaving x alone counts only for a call that returns a result of the right form.
    as_array(reply.value, f"{name} on a (4, 5) array", x.shape)
    expect_unchanged(x, reply.args_after[0], name)


def test_sigmoid_at_extreme_inputs(student):
    # The plain 1 / (1 + exp(-x)) overflows at -1000 but still returns 0.0, the right value: it passes,
    # and the overflow warning only shows up as a hint.
    x = np.array([-1000.0, -50.0, -1e-3, 0.0, 1e-3, 50.0, 1000.0])
    expect_array(student.activations.sigmoid(x), activations.sigmoid(x), "sigmoid at +-1000, +-50 and around 0",
                 hint="an overflow warning alone costs nothing; NaN or wrong values do")


def test_softmax_book_example(student):
    x = np.array([0.3, 2.9, 4.0])
    expect_array(student.activations.softmax(x), activations.softmax(x), "softmax of the single sample [0.3, 2.9, 4.0]",
                 hint="a 1-D input is one sample: its entries sum to 1")


@pytest.mark.parametrize("shape", [(4, 3), (64, 10), (1, 5)], ids=["4x3", "64x10", "1x5"])
def test_softmax_batch(student, rng, shape):
    x = rng.standard_normal(shape) * 2
    expect_array(student.activations.softmax(x), activations.softmax(x), f"softmax on a {shape} batch",
                 hint=SOFTMAX_HINT)


def test_softmax_large_inputs(student, rng):
    # Rows around +1000 overflow exp without the max subtraction; rows around -1000 next to them catch
    # subtracting the maximum of the whole batch instead of each row's (exp underflows to 0 / 0).
    x = rng.standard_normal((64, 10)) * 20 + np.where(np.arange(64) % 2, 1000.0, -1000.0)[:, None]
    expect_array(student.activations.softmax(x), activations.softmax(x),
                 "softmax on a (64, 10) batch whose rows score around +1e3 or -1e3",
                 hint="exp overflows beyond 709: subtract the maximum of each row before exp")


def test_softmax_three_dimensional(student, rng):
    x = rng.standard_normal((2, 3, 4))
    expect_array(student.activations.softmax(x), activations.softmax(x), "softmax on a (2, 3, 4) array",
                 hint=SOFTMAX_HINT)


@pytest.mark.uses("activations.sigmoid")
def test_forward_book_network(student):
    x = np.array([1.0, 0.5])
    network = neuralnet.init_network()
    expect_array(student.neuralnet.forward(network, x), neuralnet.forward(network, x),
                 "forward(init_network(), [1.0, 0.5])", hint=NETWORK_HINT)


@pytest.mark.uses("activations.sigmoid", "activations.softmax")
@pytest.mark.parametrize("function", ["forward", "predict"])
def test_network_on_a_sample_and_a_batch(student, rng, credit, function):
    network = _random_network(rng)
    student_function, reference = getattr(student.neuralnet, function), getattr(neuralnet, function)
    credit.run([lambda x=x: expect_array(student_function(network, x), reference(network, x),
                                         f"{function} on an input of shape {x.shape} through a 5-4-3-2 network",
                                         hint=NETWORK_HINT)
                for x in (rng.standard_normal(5), rng.standard_normal((6, 5)))])


@pytest.mark.uses("activations.sigmoid", "activations.softmax")
@pytest.mark.parametrize("batch_size", [1, 7, 100, 1000])
def test_accuracy_on_the_digits(student, digits_test_set, batch_size):
    # 360 test images: 7 leaves a last batch of 3, and 1000 is larger than the whole set.
    x_test, t_test = digits_test_set
    network = neuralnet.load_sample_network()
    expect_scalar(student.neuralnet.accuracy(network, x_test, t_test, batch_size=batch_size),
                  neuralnet.accuracy(network, x_test, t_test),
                  f"accuracy on the 360 test digits with batch_size={batch_size}",
                  hint="count the correct predictions of every batch, the last, shorter one too, then divide by len(x)")


def test_softmax_is_vectorised(student, rng):
    x = rng.standard_normal((20000, 4))
    seconds, value = compute_time(student, student.activations.softmax, (x,), repeats=TIMING_REPEATS)
    expect_array(value, activations.softmax(x), "softmax on a (20000, 4) batch", hint=SOFTMAX_HINT)
    expect_fast(seconds, SOFTMAX_SECONDS, "softmax on a (20000, 4) batch")
