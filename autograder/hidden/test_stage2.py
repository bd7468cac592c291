"""Hidden suite, stage 2: activations, softmax, the 3-layer forward pass, batched accuracy.

Every input is seeded (the `rng` fixture), contains the edge values (exact zeros, tied maxima, a batch
of one) and every reply is compared with the reference in the scorer. A test of a fixed case (the
book's example, the digits) also checks a random twin and pays only when both pass, so a lookup table
of the fixed answers earns nothing. Only test_softmax_is_vectorised measures time.
"""
import numpy as np
import pytest

from autograder.grading.checks import (call_and_fetch, compute_time, expect_array, expect_fast, expect_scalar,
                                       expect_unchanged)
from autograder.grading.errors import GradingFailure
from course.language import _
from course_feedback.diagnoses import SOFTMAX_AXIS_HINT, SOFTMAX_OVERFLOW_HINT, softmax_mistake
from dlscratch_data import load_digits
from solutions import activations, neuralnet

ELEMENTWISE = ["step_function", "sigmoid", "relu", "identity_function"]
ACTIVATIONS = ELEMENTWISE + ["softmax"]
# Worded when the suite is imported: every grade imports it afresh, in its own language (grading/grade.py).
ELEMENTWISE_HINT = _("apply it element by element and keep the input's shape")
FLOAT64_HINT = _("convert first with np.asarray(x, dtype=np.float64), so int and float32 inputs give float64 too")
NETWORK_HINT = _("sigmoid after the first two layers; predict ends with softmax, forward does not")
# The worker's CPU time of softmax on a (20000, 4) batch (checks.compute_time: fresh inputs per call,
# fastest of 10). Measured (benchmarks/vectorisation_stage2_3.py, and time.process_time in one process):
# the reference 1.9 ms plus about 0.9 ms to decode the request and encode the reply, a loop over rows
# 72-78 ms. 20 ms leaves the reference 7x and fails the loop by 3.5x; CPU time does not grow with load.
SOFTMAX_SECONDS = 0.020
TIMING_REPEATS = 10


def _inputs(rng, dtype, shape):
    """Seeded inputs of `dtype` with negative and positive entries, and exact zeros (every fifth entry),
    where step_function(0) = 0 tells `>` from `>=`."""
    x = rng.integers(-5, 6, shape) if dtype == "int64" else (rng.standard_normal(shape) * 3).astype(dtype)
    x.flat[::5] = 0
    # Always both signs: 7 entries with none positive (1 draw in 32) made zeros a right relu.
    x.flat[1], x.flat[2] = 2, -2
    return x


def _with_tied_maxima(x):
    """x with every row's two largest entries made equal (softmax then splits their share evenly)."""
    rows = x.reshape(-1, x.shape[-1])
    order = np.argsort(rows, axis=1)
    rows[np.arange(len(rows)), order[:, -2]] = rows[np.arange(len(rows)), order[:, -1]]
    return x


def _random_network(rng, sizes=(5, 4, 3, 2)):
    network = {}
    for index, (fan_in, fan_out) in enumerate(zip(sizes, sizes[1:]), start=1):
        network[f"W{index}"] = rng.standard_normal((fan_in, fan_out))
        network[f"b{index}"] = rng.standard_normal(fan_out)
    return network


def _batch_of(function, shape):
    """What a check says of `function` called on a batch of `shape`: "softmax on a (4, 3) batch"."""
    return _("{function} on a {shape} batch").format(function=function, shape=shape)


@pytest.fixture(scope="module")
def digits_test_set():
    return load_digits()[1]


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_elementwise_activation(student, rng, credit, name):
    inputs = [_inputs(rng, "float64", shape) for shape in [(7,), (3, 4), (2, 3, 4)]]
    function, reference = getattr(student.activations, name), getattr(activations, name)
    credit.run([lambda x=x: expect_array(function(x), reference(x),
                                         _("{function} on an array of shape {shape}").format(function=name, shape=x.shape),
                                         hint=ELEMENTWISE_HINT)
                for x in inputs])


def _expect_float64(value, expected, what, hint):
    """Right values (float32 arithmetic is close enough) returned as float64 of the input's shape."""
    expect_array(value, expected, what, rtol=1e-5, hint=hint)
    if value.dtype != np.float64:
        raise GradingFailure(_("{what}: returned dtype {dtype}, expected float64").format(what=what, dtype=value.dtype),
                             hint=FLOAT64_HINT)


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activation_returns_float64(student, rng, credit, name):
    # The book's step_function and relu keep an int input's dtype; the course asks for float64 throughout.
    inputs = [_inputs(rng, "int64", (5, 4)), _inputs(rng, "float32", (3, 6))]
    function, reference = getattr(student.activations, name), getattr(activations, name)
    hint = SOFTMAX_AXIS_HINT if name == "softmax" else ELEMENTWISE_HINT
    credit.run([lambda x=x: _expect_float64(function(x), reference(x),
                                            _("{function} on an input of dtype {dtype} and shape {shape}").format(
                                                function=name, dtype=x.dtype, shape=x.shape), hint)
                for x in inputs])


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activation_leaves_its_input_alone(student, rng, name):
    x = _inputs(rng, "float64", (4, 5))
    value, (x_after,) = call_and_fetch(student, getattr(student.activations, name), x.copy())
    # Leaving x alone counts only for a call that returns the right values.
    expect_array(value, getattr(activations, name)(x), _("{function} on a {shape} array").format(function=name, shape=(4, 5)),
                 hint=SOFTMAX_AXIS_HINT if name == "softmax" else ELEMENTWISE_HINT)
    expect_unchanged(x, x_after, name)


def test_sigmoid_at_extreme_inputs(student, rng):
    # The plain 1 / (1 + exp(-x)) overflows at -1000 but still returns 0.0, the right value: it passes,
    # and the overflow warning only shows up as a hint. The twin: random extremes, so a lookup fails.
    hint = _("an overflow warning alone costs nothing; NaN or wrong values do")
    for x, what in ((np.array([-1000.0, -50.0, -1e-3, 0.0, 1e-3, 50.0, 1000.0]), _("sigmoid at +-1000, +-50 and around 0")),
                    (np.append(rng.standard_normal(12) * 400, 0.0), _("sigmoid at random inputs up to about +-1000"))):
        expect_array(student.activations.sigmoid(x), activations.sigmoid(x), what, hint=hint)


def test_softmax_book_example(student, rng):
    hint = _("a 1-D input is one sample: its entries sum to 1")
    for x, what in ((np.array([0.3, 2.9, 4.0]), _("softmax of the single sample [0.3, 2.9, 4.0]")),
                    (_with_tied_maxima(rng.standard_normal(5) * 2), _("softmax of a random single sample of 5 scores"))):
        expect_array(student.activations.softmax(x), activations.softmax(x), what, hint=hint,
                     diagnose=lambda y, x=x: softmax_mistake(x, y))


@pytest.mark.parametrize("shape", [(4, 3), (64, 10), (1, 5)], ids=["4x3", "64x10", "1x5"])
def test_softmax_batch(student, rng, shape):
    x = _with_tied_maxima(rng.standard_normal(shape) * 2)
    expect_array(student.activations.softmax(x), activations.softmax(x), _batch_of("softmax", shape),
                 hint=SOFTMAX_AXIS_HINT, diagnose=lambda y: softmax_mistake(x, y))


def test_softmax_large_inputs(student, rng):
    # Rows around +1000 overflow exp without the max subtraction; rows around -1000 next to them catch
    # subtracting the maximum of the whole batch instead of each row's (exp underflows to 0 / 0).
    x = rng.standard_normal((64, 10)) * 20 + np.where(np.arange(64) % 2, 1000.0, -1000.0)[:, None]
    # A row spanning more than exp's range: subtracting its minimum instead of its maximum overflows.
    x[0, :2] = 800.0, -800.0
    # The same batch shifted to moderate scores first: a softmax wrong there is told what is wrong there.
    moderate = x - np.where(np.arange(64) % 2, 1000.0, -1000.0)[:, None]
    moderate[0, :2] = 2.0, -2.0
    expect_array(student.activations.softmax(moderate), activations.softmax(moderate), _batch_of("softmax", (64, 10)),
                 hint=SOFTMAX_AXIS_HINT, diagnose=lambda y: softmax_mistake(moderate, y))
    expect_array(student.activations.softmax(x), activations.softmax(x),
                 _("softmax on a (64, 10) batch whose rows score around +1e3 or -1e3"),
                 hint=SOFTMAX_OVERFLOW_HINT, diagnose=lambda y: softmax_mistake(x, y))


def test_softmax_three_dimensional(student, rng):
    x = rng.standard_normal((2, 3, 4))
    expect_array(student.activations.softmax(x), activations.softmax(x),
                 _("{function} on a {shape} array").format(function="softmax", shape=(2, 3, 4)),
                 hint=SOFTMAX_AXIS_HINT, diagnose=lambda y: softmax_mistake(x, y))


@pytest.mark.uses("activations.sigmoid")
def test_forward_book_network(student, rng):
    # The twin: a random network of the book network's shapes on a random sample.
    for network, x, what in ((neuralnet.init_network(), np.array([1.0, 0.5]), "forward(init_network(), [1.0, 0.5])"),
                             (_random_network(rng, (2, 3, 2, 2)), rng.standard_normal(2),
                              _("forward on a random 2-3-2-2 network"))):
        expect_array(student.neuralnet.forward(network, x), neuralnet.forward(network, x), what, hint=NETWORK_HINT)


@pytest.mark.uses("activations.sigmoid", "activations.softmax")
@pytest.mark.parametrize("function", ["forward", "predict"])
def test_network_on_a_sample_and_a_batch(student, rng, credit, function):
    network = _random_network(rng)
    student_function, reference = getattr(student.neuralnet, function), getattr(neuralnet, function)
    credit.run([lambda x=x: expect_array(student_function(network, x), reference(network, x),
                                         _("{function} on an input of shape {shape} through a 5-4-3-2 network")
                                         .format(function=function, shape=x.shape),
                                         hint=NETWORK_HINT)
                for x in (rng.standard_normal(5), rng.standard_normal((6, 5)))])


@pytest.mark.uses("activations.sigmoid", "activations.softmax")
@pytest.mark.parametrize("batch_size", [1, 7, 100, 1000])
def test_accuracy_on_the_digits(student, rng, digits_test_set, batch_size):
    # 360 test images: 7 leaves a last batch of 3, and 1000 is larger than the whole set. The twin: 123
    # random samples through a random network, labelled so that about 60% of the predictions are right.
    x_test, t_test = digits_test_set
    twin, x_twin = _random_network(rng, (64, 20, 15, 10)), rng.standard_normal((123, 64))
    t_twin = np.where(rng.random(123) < 0.6, np.argmax(neuralnet.predict(twin, x_twin), axis=1),
                      rng.integers(0, 10, 123))
    for network, x, t, what in ((neuralnet.load_sample_network(), x_test, t_test,
                                 _("accuracy on the 360 test digits with batch_size={batch_size}")),
                                (twin, x_twin, t_twin,
                                 _("accuracy on 123 random samples through a random network with batch_size={batch_size}"))):
        expect_scalar(student.neuralnet.accuracy(network, x, t, batch_size=batch_size),
                      neuralnet.accuracy(network, x, t, batch_size=batch_size),
                      what.format(batch_size=batch_size),
                      hint=_("count the correct predictions of every batch, the last, shorter one too, then divide "
                             "by len(x)"))


def test_softmax_is_vectorised(student, rng):
    what = _batch_of("softmax", (20000, 4))

    def make_case():
        x = rng.standard_normal((20000, 4))
        return x, activations.softmax(x)
    watch = compute_time(student, lambda case: student.activations.softmax(case[0]), make_case,
                         lambda value, case: expect_array(value, case[1], what, hint=SOFTMAX_AXIS_HINT),
                         TIMING_REPEATS)
    expect_fast(watch, SOFTMAX_SECONDS, what)
