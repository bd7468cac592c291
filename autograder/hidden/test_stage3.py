"""Hidden suite, stage 3: losses, numerical differentiation and gradients, the numerically trained net."""
import numpy as np
import pytest

from autograder.grading.checks import (LOSS_RTOL, compute_time, expect_array, expect_fast, expect_scalar,
                                       expect_unchanged)
from autograder.sandbox.worker.functions import FUNCTIONS, NamedFunction
from solutions import activations, gradients, losses
from solutions.numerical_net import TwoLayerNet

# Compute time of cross_entropy_error on (100000, 4) probabilities with labels, measured here: reference
# under 1 ms, a loop over rows about 50 ms. 10 ms leaves a wide margin both ways.
CROSS_ENTROPY_SECONDS = 0.010


def _probabilities(rng, shape):
    return activations.softmax(rng.standard_normal(shape) * 2)


@pytest.mark.parametrize("case", ["single", "batch"])
def test_mean_squared_error(student, rng, case):
    shape = (10,) if case == "single" else (6, 10)
    y, t = _probabilities(rng, shape), np.eye(10)[rng.integers(0, 10, shape[:-1] or None)]
    expect_scalar(student.losses.mean_squared_error(y, t), losses.mean_squared_error(y, t),
                  f"mean_squared_error on a {case} of shape {shape}", hint="0.5 * sum of squares (per sample)")


@pytest.mark.parametrize("case", ["single one-hot", "single label", "batch one-hot", "batch labels"])
def test_cross_entropy_error(student, rng, case):
    batch = case.startswith("batch")
    y = _probabilities(rng, (8, 5) if batch else (5,))
    labels = rng.integers(0, 5, 8) if batch else np.int64(rng.integers(0, 5))
    t = np.eye(5)[labels] if case.endswith("one-hot") else labels
    expect_scalar(student.losses.cross_entropy_error(y, t), losses.cross_entropy_error(y, t),
                  f"cross_entropy_error on a {case} target", rtol=LOSS_RTOL,
                  hint="labels pick y[np.arange(batch_size), t]; average over the batch")


def test_cross_entropy_of_a_zero_probability(student):
    y, t = np.array([[0.0, 1.0], [0.5, 0.5]]), np.array([0, 1])
    expect_scalar(student.losses.cross_entropy_error(y, t), losses.cross_entropy_error(y, t),
                  "cross_entropy_error when the correct class has probability 0",
                  hint="add 1e-7 inside the log so log(0) cannot happen")


def test_losses_leave_their_inputs_alone(student, rng):
    y, t = _probabilities(rng, (4, 3)), np.eye(3)[[0, 2, 1, 1]]
    reply = student.losses.cross_entropy_error.reply(y.copy(), t.copy(), return_args=True)
    expect_unchanged(y, reply.args_after[0], "cross_entropy_error (y)")
    expect_unchanged(t, reply.args_after[1], "cross_entropy_error (t)")


@pytest.mark.parametrize("x", [5.0, 10.0])
def test_numerical_diff_book_example(student, x):
    f = NamedFunction("function_1")
    expect_scalar(student.gradients.numerical_diff(f, x), gradients.numerical_diff(FUNCTIONS["function_1"], x),
                  f"numerical_diff(0.01 x^2 + 0.1 x, {x})", rtol=1e-6,
                  hint="central difference (f(x + h) - f(x - h)) / (2 h) with h = 1e-4")


@pytest.mark.parametrize("name, shape", [("function_2", (2,)), ("sin_sum", (3, 4)), ("sum_of_cubes", (2, 2, 3))])
def test_numerical_gradient(student, rng, name, shape):
    x = rng.standard_normal(shape)
    expected = gradients.numerical_gradient(FUNCTIONS[name], x.copy())
    reply = student.gradients.numerical_gradient.reply(NamedFunction(name), x.copy(), return_args=True)
    expect_array(reply.value, expected, f"numerical_gradient of {name} on an array of shape {shape}", rtol=1e-6,
                 hint="perturb one element at a time over every index (np.nditer with multi_index)")
    expect_unchanged(x, reply.args_after[1], "numerical_gradient (x must be restored after each perturbation)")


def test_gradient_descent_book_example(student):
    init_x = np.array([-3.0, 4.0])
    reply = student.gradients.gradient_descent.reply(NamedFunction("function_2"), init_x.copy(), lr=0.1,
                                                     step_num=100, return_args=True)
    expected = gradients.gradient_descent(FUNCTIONS["function_2"], init_x, lr=0.1, step_num=100)
    expect_array(reply.value, expected, "gradient_descent(x0^2 + x1^2, [-3, 4], lr=0.1, step_num=100)",
                 rtol=1e-5, atol=1e-12)
    expect_unchanged(init_x, reply.args_after[1], "gradient_descent (init_x)")


def _nets(student, rng):
    """The same 4-3-2 parameters in the reference and in the student's TwoLayerNet."""
    reference = TwoLayerNet(4, 3, 2)
    net = student.numerical_net.TwoLayerNet(4, 3, 2)
    for name, param in reference.params.items():
        reference.params[name] = rng.standard_normal(param.shape)
        net.setitem(("params",), name, reference.params[name])
    return reference, net


def test_two_layer_net_predict_loss_accuracy(student, rng):
    reference, net = _nets(student, rng)
    x, labels = rng.standard_normal((6, 4)), rng.integers(0, 2, 6)
    expect_array(net.predict(x), reference.predict(x), "TwoLayerNet.predict on a (6, 4) batch",
                 hint="sigmoid after the first layer, softmax after the second")
    for t, kind in ((labels, "labels"), (np.eye(2)[labels], "one-hot")):
        expect_scalar(net.loss(x, t), reference.loss(x, t), f"TwoLayerNet.loss with {kind}", rtol=LOSS_RTOL)
        expect_scalar(net.accuracy(x, t), reference.accuracy(x, t), f"TwoLayerNet.accuracy with {kind}")


def test_two_layer_net_numerical_gradient(student, rng):
    reference, net = _nets(student, rng)
    x, t = rng.standard_normal((5, 4)), rng.integers(0, 2, 5)
    grads = net.numerical_gradient(x, t)
    expected = reference.numerical_gradient(x, t)
    if not isinstance(grads, dict) or set(grads) != set(expected):
        raise AssertionError(f"TwoLayerNet.numerical_gradient must return a dict with keys {sorted(expected)}")
    for name in expected:
        expect_array(grads[name], expected[name], f"TwoLayerNet.numerical_gradient: {name}", rtol=1e-5, atol=1e-9)
    params = net.attr("params")
    for name in expected:
        expect_array(params[name], reference.params[name], f"params[{name!r}] after numerical_gradient",
                     rtol=0, atol=0, hint="restore every element you perturb")


def test_cross_entropy_is_vectorised(student, rng):
    y, t = _probabilities(rng, (100000, 4)), rng.integers(0, 4, 100000)
    seconds, value = compute_time(student, student.losses.cross_entropy_error, (y, t))
    expect_scalar(value, losses.cross_entropy_error(y, t), "cross_entropy_error on 100000 samples", rtol=LOSS_RTOL)
    expect_fast(seconds, CROSS_ENTROPY_SECONDS, "cross_entropy_error on 100000 samples")
