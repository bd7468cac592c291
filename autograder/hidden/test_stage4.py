"""Hidden suite, stage 4: computation-graph layers, backprop checked against numerical gradients."""
import numpy as np
import pytest

from autograder.grading.checks import (LOSS_RTOL, as_scalar, compute_time, expect_array, expect_fast, expect_gradient,
                                       expect_scalar, expect_unchanged, reference_gradient)
from autograder.grading.errors import GradingFailure
from solutions import layers, simple_layers
from solutions.networks import TwoLayerNet

# Compute times on (20000, 4) inputs, measured here (call minus the cost of sending its arrays):
# Affine.forward 0.3-0.6 ms, a loop over rows 41 ms; SoftmaxWithLoss.forward 1.4-1.8 ms, with a loop
# softmax 183 ms. The limits leave at least 10x for a busy machine and catch loops by 5x or more.
AFFINE_SECONDS = 0.008
SOFTMAX_WITH_LOSS_SECONDS = 0.025
RESHAPE_HINT = "dx must have the shape of the original x: keep x.shape in forward and reshape dx to it"


def test_mul_and_add_layers(student, rng):
    x, y, dout = rng.standard_normal((2, 3)), rng.standard_normal((2, 3)), rng.standard_normal((2, 3))
    for name in ("MulLayer", "AddLayer"):
        ours, theirs = getattr(simple_layers, name)(), getattr(student.simple_layers, name)()
        expect_array(theirs.forward(x, y), ours.forward(x, y), f"{name}.forward")
        dx, dy = ours.backward(dout)
        grads = theirs.backward(dout)
        if not (isinstance(grads, tuple) and len(grads) == 2):
            raise GradingFailure(f"{name}.backward must return the pair (dx, dy)")
        expect_array(grads[0], dx, f"{name}.backward: dx")
        expect_array(grads[1], dy, f"{name}.backward: dy", hint="the gradient of x * y with respect to y is x")


def test_shopping_graph(student):
    price, grads = simple_layers.buy_apple_orange(apple=120, apple_num=3, orange=90, orange_num=4, tax=1.08)
    result = student.simple_layers.buy_apple_orange(apple=120, apple_num=3, orange=90, orange_num=4, tax=1.08)
    if not (isinstance(result, tuple) and len(result) == 2 and isinstance(result[1], dict)):
        raise GradingFailure("buy_apple_orange must return (price, grads) with grads a dict")
    expect_scalar(result[0], price, "buy_apple_orange: price")
    for name, value in grads.items():
        expect_scalar(result[1].get(name), value, f"buy_apple_orange: d price / d {name}")


def test_relu_layer(student, rng):
    x, dout = rng.standard_normal((5, 6)), rng.standard_normal((5, 6))
    x[0, :3] = 0.0
    ours, theirs = layers.Relu(), student.layers.Relu()
    expect_array(theirs.forward(x), ours.forward(x), "Relu.forward on a (5, 6) batch")
    expect_array(theirs.backward(dout), ours.backward(dout), "Relu.backward",
                 hint="the gradient is dout where x > 0 and 0 where x <= 0")


def test_relu_leaves_x_and_dout_alone(student, rng):
    x, dout = rng.standard_normal((4, 4)), rng.standard_normal((4, 4))
    layer = student.layers.Relu()
    expect_unchanged(x, layer.forward.reply(x.copy(), return_args=True).args_after[0], "Relu.forward (x)")
    expect_unchanged(dout, layer.backward.reply(dout.copy(), return_args=True).args_after[0],
                     "Relu.backward (dout)")


@pytest.mark.uses("activations.sigmoid")
def test_sigmoid_layer(student, rng):
    x, dout = rng.standard_normal((3, 5)), rng.standard_normal((3, 5))
    ours, theirs = layers.Sigmoid(), student.layers.Sigmoid()
    expect_array(theirs.forward(x), ours.forward(x), "Sigmoid.forward")
    dx = theirs.backward(dout)
    expect_array(dx, ours.backward(dout), "Sigmoid.backward", hint="dy/dx = y (1 - y) with y the forward output")
    expect_gradient(dx, reference_gradient(lambda: np.sum(layers.Sigmoid().forward(x) * dout), x),
                    "Sigmoid.backward against a numerical gradient")


@pytest.mark.parametrize("shape", [(6, 4), (2, 3, 2, 2)], ids=["2d", "4d"])
def test_affine(student, rng, shape):
    x = rng.standard_normal(shape)
    W, b = rng.standard_normal((int(np.prod(shape[1:])), 3)), rng.standard_normal(3)
    dout = rng.standard_normal((shape[0], 3))
    ours, theirs = layers.Affine(W, b), student.layers.Affine(W, b)
    case = f"Affine on a {shape} input"
    expect_array(theirs.forward(x), ours.forward(x), f"{case}: forward", hint="flatten x to (N, -1) first")
    dx = theirs.backward(dout)
    expect_array(dx, ours.backward(dout), f"{case}: dx", hint=RESHAPE_HINT)
    expect_array(theirs.attr("dW"), ours.dW, f"{case}: dW", hint="dW = x^T dout, shape (D, M) like W")
    expect_array(theirs.attr("db"), ours.db, f"{case}: db", hint="db sums dout over the batch axis")
    forward = lambda: np.sum(layers.Affine(W, b).forward(x) * dout)
    expect_gradient(dx, reference_gradient(forward, x), f"{case}: dx against a numerical gradient")


@pytest.mark.uses("activations.softmax", "losses.cross_entropy_error")
@pytest.mark.parametrize("target", ["labels", "one-hot"])
def test_softmax_with_loss(student, rng, target):
    # Moderate scores: no class probability is tiny, where the 1e-7 guard would bend the loss.
    x, labels = rng.standard_normal((5, 4)) * 0.5, rng.integers(0, 4, 5)
    t = labels if target == "labels" else np.eye(4)[labels]
    ours, theirs = layers.SoftmaxWithLoss(), student.layers.SoftmaxWithLoss()
    expect_scalar(theirs.forward(x, t), ours.forward(x, t), f"SoftmaxWithLoss.forward with {target}",
                  rtol=LOSS_RTOL)
    dx = theirs.backward(1)
    expect_array(dx, ours.backward(1), f"SoftmaxWithLoss.backward with {target}",
                 hint="(softmax(x) - t) / batch_size")
    # The 1e-7 guard still moves the numerical gradient by about 1e-7 / y relative: 1e-4 allows for it
    # (the comparison with the reference just above is the tight one).
    expect_gradient(dx, reference_gradient(lambda: layers.SoftmaxWithLoss().forward(x, t), x),
                    f"SoftmaxWithLoss.backward with {target} against a numerical gradient", rtol=1e-4)


def _nets(student, rng, sizes=(5, 4, 3)):
    """The reference and the student's layered TwoLayerNet with the same parameters, set by the test."""
    reference = TwoLayerNet(*sizes)
    net = student.networks.TwoLayerNet(*sizes)
    for name, param in reference.params.items():
        param[...] = rng.standard_normal(param.shape) * 0.5
        net.setitem(("params",), name, param)
    return reference, net


@pytest.mark.uses("activations.softmax", "losses.cross_entropy_error")
def test_two_layer_net_forward(student, rng):
    reference, net = _nets(student, rng)
    x, t = rng.standard_normal((6, 5)), rng.integers(0, 3, 6)
    expect_array(net.predict(x), reference.predict(x), "TwoLayerNet.predict (scores before softmax)")
    expect_scalar(net.loss(x, t), reference.loss(x, t), "TwoLayerNet.loss", rtol=LOSS_RTOL)
    expect_scalar(net.accuracy(x, t), reference.accuracy(x, t), "TwoLayerNet.accuracy")


@pytest.mark.uses("activations.softmax", "losses.cross_entropy_error")
def test_two_layer_net_gradient(student, rng, credit):
    reference, net = _nets(student, rng)
    x, t = rng.standard_normal((6, 5)), rng.integers(0, 3, 6)
    grads, expected = net.gradient(x, t), reference.gradient(x, t)
    if not isinstance(grads, dict) or set(grads) != set(expected):
        raise GradingFailure(f"TwoLayerNet.gradient must return a dict with keys {sorted(expected)}")
    credit.run([lambda name=name: expect_array(grads[name], expected[name], f"TwoLayerNet.gradient: {name}")
                for name in expected])


def test_gradient_check_and_rel_error(student, rng):
    a, b = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    from solutions.gradient_check import rel_error
    expect_scalar(student.gradient_check.rel_error(a, b), rel_error(a, b), "rel_error")
    _, net = _nets(student, rng)
    errors = student.gradient_check.gradient_check(net, rng.standard_normal((4, 5)), rng.integers(0, 3, 4))
    if not isinstance(errors, dict) or set(errors) != {"W1", "b1", "W2", "b2"}:
        raise GradingFailure("gradient_check must return a dict of errors keyed W1, b1, W2, b2")
    for name, error in errors.items():
        if as_scalar(error, f"gradient_check[{name!r}]") > 1e-4:
            raise GradingFailure(f"gradient_check[{name!r}] = {error:.1e} for a correct network",
                                 hint="compare network.gradient with network.numerical_gradient")


@pytest.mark.uses("activations.softmax", "losses.cross_entropy_error")
def test_sgd_step(student, rng):
    reference, net = _nets(student, rng)
    x, t = rng.standard_normal((8, 5)), rng.integers(0, 3, 8)
    loss = student.training.sgd_step(net, x, t, 0.1)
    from solutions.training import sgd_step
    expect_scalar(loss, sgd_step(reference, x, t, 0.1), "sgd_step: the batch loss before the step",
                  rtol=LOSS_RTOL)
    params = net.attr("params")
    for name, value in reference.params.items():
        expect_array(params[name], value, f"sgd_step: params[{name!r}] after one step",
                     hint="params[key] -= lr * grads[key], in place")


@pytest.mark.uses("activations.softmax", "losses.cross_entropy_error")
def test_minibatch_sgd_learns(student, rng):
    _, net = _nets(student, rng, (4, 8, 2))
    x = rng.standard_normal((200, 4))
    t = (x[:, 0] + x[:, 1] > 0).astype(np.int64)
    losses = student.training.minibatch_sgd(net, x, t, lr=0.5, batch_size=20, iters_num=150, seed=1)
    if not (isinstance(losses, list) and len(losses) == 150):
        raise GradingFailure("minibatch_sgd must return the list of the iters_num batch losses")
    values = [as_scalar(loss, "minibatch_sgd: a batch loss") for loss in losses]
    if not np.mean(values[-15:]) < 0.7 * np.mean(values[:15]):
        raise GradingFailure("minibatch_sgd: the loss did not fall", hint="update the params with the gradient")


def test_affine_is_vectorised(student, rng):
    x, W, b = rng.standard_normal((20000, 4)), rng.standard_normal((4, 3)), rng.standard_normal(3)
    theirs, ours = student.layers.Affine(W, b), layers.Affine(W, b)
    seconds, value = compute_time(student, theirs.forward, (x,))
    expect_array(value, ours.forward(x), "Affine.forward on a (20000, 4) batch")
    expect_fast(seconds, AFFINE_SECONDS, "Affine.forward on a (20000, 4) batch")
    dout = rng.standard_normal((20000, 3))
    seconds, value = compute_time(student, theirs.backward, (dout,))
    expect_array(value, ours.backward(dout), "Affine.backward on a (20000, 3) dout")
    expect_fast(seconds, 2 * AFFINE_SECONDS + 0.01, "Affine.backward on a (20000, 3) dout")


@pytest.mark.uses("activations.softmax", "losses.cross_entropy_error")
def test_softmax_with_loss_is_vectorised(student, rng):
    x, t = rng.standard_normal((20000, 4)), rng.integers(0, 4, 20000)
    seconds, value = compute_time(student, student.layers.SoftmaxWithLoss().forward, (x, t))
    expect_scalar(value, layers.SoftmaxWithLoss().forward(x, t), "SoftmaxWithLoss.forward on 20000 samples",
                  rtol=LOSS_RTOL)
    expect_fast(seconds, SOFTMAX_WITH_LOSS_SECONDS, "SoftmaxWithLoss.forward on 20000 samples")
