"""Hidden suite, stage 4: computation-graph layers, the layered TwoLayerNet, gradient checking, SGD.

Every layer is compared with the reference on seeded inputs, and every backward pass also with a
central-difference gradient of the reference forward pass computed here (checks.reference_gradient; for
the loss, without its 1e-7 guard: _exact_loss), so a backward pass is judged by the derivative it should
be, whatever the student's forward returned.
Networks get every parameter from the test (set in place), never from the student's random
initialisation. Only the two *_is_vectorised tests, at the end, measure time.
"""
import numpy as np
import pytest

from autograder.grading.checks import (LOSS_RTOL, as_array, as_scalar, compute_time, describe, expect_array,
                                       expect_fast, expect_gradient, expect_scalar, expect_unchanged,
                                       reference_gradient)
from autograder.grading.errors import GradingFailure
from solutions import layers, networks, simple_layers, training
from solutions.gradient_check import rel_error

# The book's shopping graph (figure 5-17) at its default prices.
BOOK_PRICE = 715.0
BOOK_GRADS = {"apple": 2.2, "apple_num": 110.0, "orange": 3.3, "orange_num": 165.0, "tax": 650.0}
BINARY_HINTS = {"MulLayer": "dx = dout * y and dy = dout * x: each input gets the other input times dout",
                "AddLayer": "both inputs get dout unchanged"}
AFFINE_CASES = {"2d": ((7, 5), 3), "4d": ((2, 3, 4, 4), 5)}
RESHAPE_HINT = "dx must have the shape of the original x: keep x.shape in forward and reshape dx back to it"
SOFTMAX_WITH_LOSS_HINT = "(softmax(x) - t) / batch_size, with t one-hot; a single sample (C,) is a batch of one"
NET_SIZES = (6, 5, 3)
NET_USES = ("activations.softmax", "losses.cross_entropy_error", "layers.Affine", "layers.Relu",
            "layers.SoftmaxWithLoss")
BACKPROP_HINT = ("loss(x, t), then lastLayer.backward(1) and every layer's backward in reverse order; "
                 "the gradients are the Affine layers' dW and db")
PARAM_SHAPE_HINT = "each entry has the shape of the parameter of the same name (dW has W's shape)"
IN_PLACE_HINT = ("update params in place (params[key] -= lr * grads[key]): the Affine layers hold the same "
                 "arrays, and params[key] = params[key] - ... makes a new array the layers never see")
TRAINING_SIZES = (4, 8, 2)
SEED_HINT = ("make rng = np.random.default_rng(seed) once, then draw every batch with "
             "rng.choice(len(x_train), batch_size) and take one sgd_step on it")
# Compute times in ms (checks.compute_time: the best of 10 calls less the best of 10 echoes of the
# arguments) on (20000, 4) inputs, from benchmarks/vectorisation_stage4.py and 20 rounds of the tests'
# calls on 2 cores, idle and beside 2 or 4 CPU-bound processes: the reference as a rule / the worst seen
# (once, beside 4 CPU-bound processes and other jobs), and the fastest seen of a loop over rows:
#                              reference   loop
#   Affine.forward             0-1 / 7.5   37 (x[i] W + b row by row)
#   Affine.backward            1-2.3 / 5.9 114 (dW as a sum of outer products, dx row by row)
#   SoftmaxWithLoss.forward    1-2.3 / 17  106 (the stage 2 softmax row by row)
#   SoftmaxWithLoss.backward   1-2.5 / 7.1 50 (each row of the gradient built in turn)
# The limits leave the reference 10x as a rule and pass its worst figures; they fail the loops by 3.5x
# and more, the row-by-row gradient by 1.7x. A loop doing only dx[i, t[i]] -= 1 takes 8-22 ms: 0.4 us a
# row, 10x the reference even in process (1.3 ms), so no limit tells them apart with room for a busy
# machine, and it passes by design (in training it costs 40 us a batch of 100).
AFFINE_FORWARD_SECONDS = 0.010
AFFINE_BACKWARD_SECONDS = 0.025
SOFTMAX_WITH_LOSS_FORWARD_SECONDS = 0.030
SOFTMAX_WITH_LOSS_BACKWARD_SECONDS = 0.030
TIMING_REPEATS = 10
TIMING_HINT = "one NumPy expression over the whole batch; no Python loop over rows"


def _expect_pair(value, what):
    """A backward pass of a two-input node returns (dx, dy)."""
    if not (isinstance(value, (tuple, list)) and len(value) == 2):
        raise GradingFailure(f"{what}: returned {describe(value)}, expected the pair (dx, dy)")
    return value


def _binary_case(rng, shape):
    """x, y, dout: Python floats for shape None (the book's use), else arrays of `shape`."""
    if shape is None:
        return tuple(float(v) for v in rng.uniform(-3, 3, 3))
    return rng.standard_normal(shape), rng.standard_normal(shape), rng.standard_normal(shape)


@pytest.mark.parametrize("name", ["MulLayer", "AddLayer"])
def test_mul_and_add_layers(student, rng, credit, name):
    def check(shape):
        x, y, dout = _binary_case(rng, shape)
        case = "floats" if shape is None else f"{shape} arrays"
        expect = expect_scalar if shape is None else expect_array
        ours, theirs = getattr(simple_layers, name)(), getattr(student.simple_layers, name)()
        expect(theirs.forward(x, y), ours.forward(x, y), f"{name}.forward on {case}")
        grads = _expect_pair(theirs.backward(dout), f"{name}.backward on {case}")
        for label, value, expected in zip(("dx", "dy"), grads, ours.backward(dout)):
            expect(value, expected, f"{name}.backward on {case}: {label}", hint=BINARY_HINTS[name])
        if shape is not None:
            total = lambda: np.sum(getattr(simple_layers, name)().forward(x, y) * dout)
            for label, value, wrt in zip(("dx", "dy"), grads, (x, y)):
                expect_gradient(value, reference_gradient(total, wrt),
                                f"{name}.backward on {case}: {label} against a numerical gradient")
    credit.run([lambda shape=shape: check(shape) for shape in (None, (5,), (2, 3, 4))])


@pytest.mark.parametrize("prices", ["book", "other prices"])
def test_shopping_graph(student, credit, prices):
    # buy_apple_orange is given; it checks MulLayer and AddLayer wired into the book's graph.
    if prices == "book":
        kwargs, price, grads = {}, BOOK_PRICE, BOOK_GRADS
        what = "buy_apple_orange() at the book's prices"
    else:
        kwargs = {"apple": 120.0, "apple_num": 3, "orange": 90.0, "orange_num": 4, "tax": 1.08}
        price, grads = simple_layers.buy_apple_orange(**kwargs)
        what = f"buy_apple_orange({', '.join(f'{key}={value}' for key, value in kwargs.items())})"
    result = student.simple_layers.buy_apple_orange(**kwargs)
    if not (isinstance(result, tuple) and len(result) == 2 and isinstance(result[1], dict)):
        raise GradingFailure(f"{what}: returned {describe(result)}, expected (price, grads) with grads a dict")
    hint = "it runs forward and backward through your MulLayer and AddLayer"
    credit.run([lambda: expect_scalar(result[0], price, f"{what}: price", hint=hint)]
               + [lambda name=name, value=value: expect_scalar(result[1].get(name), value,
                                                               f"{what}: d price / d {name}", hint=hint)
                  for name, value in grads.items()])


@pytest.mark.parametrize("shape", [(6, 5), (2, 3, 4, 4)], ids=["2d", "4d"])
def test_relu_layer(student, rng, shape):
    x, dout = rng.standard_normal(shape), rng.standard_normal(shape)
    # Exact zeros: x <= 0 blocks the gradient, so dx is 0 there too.
    x.flat[::7] = 0.0
    ours, theirs = layers.Relu(), student.layers.Relu()
    expect_array(theirs.forward(x), ours.forward(x), f"Relu.forward on a {shape} input")
    dx = theirs.backward(dout)
    expect_array(dx, ours.backward(dout), f"Relu.backward on a {shape} input",
                 hint="dx is dout where x > 0 and 0 where x <= 0 (x == 0 included)")
    # Central differences (h = 1e-4) straddle the kink near 0, so compare the other elements only.
    numerical = reference_gradient(lambda: np.sum(layers.Relu().forward(x) * dout), x)
    away = np.abs(x) > 1e-3
    expect_gradient(dx[away], numerical[away], f"Relu.backward on a {shape} input against a numerical gradient")


@pytest.mark.parametrize("method", ["forward", "backward"])
def test_relu_leaves_its_input_alone(student, rng, method):
    # The book's backward sets dout[mask] = 0 and returns dout: the caller's array changes.
    x, dout = rng.standard_normal((5, 4)), rng.standard_normal((5, 4))
    layer = student.layers.Relu()
    reply = layer.forward.reply(x.copy(), return_args=True)
    if method == "forward":
        expect_unchanged(x, reply.args_after[0], "Relu.forward (x)")
    else:
        expect_unchanged(dout, layer.backward.reply(dout.copy(), return_args=True).args_after[0],
                         "Relu.backward (dout)")


@pytest.mark.uses("activations.sigmoid")
def test_sigmoid_layer(student, rng):
    x, dout = rng.standard_normal((4, 5)) * 2, rng.standard_normal((4, 5))
    ours, theirs = layers.Sigmoid(), student.layers.Sigmoid()
    expect_array(theirs.forward(x), ours.forward(x), "Sigmoid.forward on a (4, 5) input")
    dx = theirs.backward(dout)
    expect_array(dx, ours.backward(dout), "Sigmoid.backward on a (4, 5) input",
                 hint="dx = dout * y * (1 - y) with y the output forward kept")
    expect_gradient(dx, reference_gradient(lambda: np.sum(layers.Sigmoid().forward(x) * dout), x),
                    "Sigmoid.backward on a (4, 5) input against a numerical gradient")


def _affine_case(rng, case):
    """x of the case's shape, W (D, M), b (M,) and dout (N, M); D != M and N != D, so a transpose shows."""
    shape, m = AFFINE_CASES[case]
    x, dout = rng.standard_normal(shape), rng.standard_normal((shape[0], m))
    return x, rng.standard_normal((x[0].size, m)), rng.standard_normal(m), dout


@pytest.mark.parametrize("case", AFFINE_CASES)
def test_affine_forward(student, rng, case):
    x, W, b, _ = _affine_case(rng, case)
    expect_array(student.layers.Affine(W, b).forward(x), layers.Affine(W, b).forward(x),
                 f"Affine.forward on a {x.shape} input", hint="flatten x to (N, -1) first, then x W + b")


@pytest.mark.parametrize("case", AFFINE_CASES)
def test_affine_backward(student, rng, case):
    x, W, b, dout = _affine_case(rng, case)
    ours, theirs = layers.Affine(W, b), student.layers.Affine(W, b)
    ours.forward(x)
    theirs.forward(x)
    what = f"Affine.backward on a {x.shape} input"
    dx = theirs.backward(dout)
    dW, db = theirs.attr("dW"), theirs.attr("db")
    expect_array(dx, ours.backward(dout), f"{what}: dx", hint=RESHAPE_HINT)
    expect_array(dW, ours.dW, f"{what}: dW", hint="dW = x^T dout with x flattened to (N, D): W's shape (D, M)")
    expect_array(db, ours.db, f"{what}: db", hint="db sums dout over the batch axis (axis=0)")
    total = lambda: np.sum(layers.Affine(W, b).forward(x) * dout)
    for label, value, wrt in (("dx", dx, x), ("dW", dW, W), ("db", db, b)):
        expect_gradient(value, reference_gradient(total, wrt), f"{what}: {label} against a numerical gradient")


def _exact_loss(scores, t):
    """The reference's softmax cross-entropy without the 1e-7 guard inside the log, as a log-softmax.

    (y - t) / N is the exact gradient of this loss; the guard would move central differences by about
    1e-7 / y, as much as 1e-5 relative for probabilities near 0.01. The forward passes are still
    compared with the reference's guarded loss.
    """
    scores = scores.reshape(-1, scores.shape[-1])
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_y = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    t = np.asarray(t)
    one_hot = t.reshape(log_y.shape) if t.size == log_y.size else np.eye(log_y.shape[1])[t.reshape(-1)]
    return -np.sum(one_hot * log_y) / len(log_y)


@pytest.mark.uses("activations.softmax", "losses.cross_entropy_error")
@pytest.mark.parametrize("target", ["labels", "one-hot", "single one-hot"])
def test_softmax_with_loss(student, rng, target):
    # Moderate scores: no class probability is tiny, where the 1e-7 guard inside the log bends the loss.
    shape = (4,) if target == "single one-hot" else (6, 4)
    x, labels = rng.standard_normal(shape) * 0.5, rng.integers(0, 4, shape[:-1] or None)
    t = labels if target == "labels" else np.eye(4)[labels]
    what = f"SoftmaxWithLoss on a {shape} input with {target} targets"
    ours, theirs = layers.SoftmaxWithLoss(), student.layers.SoftmaxWithLoss()
    expect_scalar(theirs.forward(x, t), ours.forward(x, t), f"{what}: forward", rtol=LOSS_RTOL,
                  hint="the mean cross-entropy of softmax(x): one real number")
    dx = theirs.backward(1)
    expect_array(dx, ours.backward(1), f"{what}: backward", hint=SOFTMAX_WITH_LOSS_HINT)
    expect_gradient(dx, reference_gradient(lambda: _exact_loss(x, t), x),
                    f"{what}: backward against a numerical gradient")


def _nets(student, rng, sizes=NET_SIZES, scale=0.5):
    """The reference and the student's TwoLayerNet with the same seeded parameters, set by the test."""
    reference = networks.TwoLayerNet(*sizes)
    net = student.networks.TwoLayerNet(*sizes)
    for name, param in reference.params.items():
        # In place: the reference's layers hold these arrays (and setitem copies into the student's).
        param[...] = rng.standard_normal(param.shape) * scale
        net.setitem(("params",), name, param)
    return reference, net


def _batch(rng, kind, n, sizes=NET_SIZES):
    x, labels = rng.standard_normal((n, sizes[0])), rng.integers(0, sizes[-1], n)
    return x, labels if kind == "labels" else np.eye(sizes[-1])[labels]


def _away_from_the_kinks(reference, x, rng):
    """x with every row redrawn whose hidden pre-activations come within 0.01 of Relu's kink, where
    central differences (h = 1e-4, moving a pre-activation by up to 4e-4) would straddle it."""
    while True:
        close = np.any(np.abs(x @ reference.params["W1"] + reference.params["b1"]) < 0.01, axis=1)
        if not close.any():
            return x
        x[close] = rng.standard_normal((int(close.sum()), x.shape[1]))


def _param_arrays(value, reference, what):
    """value as {name: float64 array of the reference parameter's shape}, or a GradingFailure."""
    if not isinstance(value, dict) or set(value) != set(reference.params):
        raise GradingFailure(f"{what}: returned {describe(value)}, expected a dict with keys "
                             f"{sorted(reference.params)}")
    return {name: as_array(value[name], f"{what}: {name}", param.shape, hint=PARAM_SHAPE_HINT)
            for name, param in reference.params.items()}


@pytest.mark.uses("layers.Affine", "layers.Relu")
def test_two_layer_net_predict(student, rng):
    reference, net = _nets(student, rng)
    x = rng.standard_normal((8, NET_SIZES[0]))
    expect_array(net.predict(x), reference.predict(x), "TwoLayerNet.predict on an (8, 6) batch of a 6-5-3 net",
                 hint="run x through every layer in self.layers in order; no softmax (the scores before it)")


@pytest.mark.uses(*NET_USES)
@pytest.mark.parametrize("kind", ["labels", "one-hot"])
def test_two_layer_net_loss(student, rng, kind):
    reference, net = _nets(student, rng)
    x, t = _batch(rng, kind, 8)
    expect_scalar(net.loss(x, t), reference.loss(x, t), f"TwoLayerNet.loss on an (8, 6) batch with {kind}",
                  rtol=LOSS_RTOL, hint="lastLayer.forward(predict(x), t)")


@pytest.mark.uses("layers.Affine", "layers.Relu")
@pytest.mark.parametrize("kind", ["labels", "one-hot"])
def test_two_layer_net_accuracy(student, rng, kind):
    reference, net = _nets(student, rng)
    x, t = _batch(rng, kind, 30)
    expect_scalar(net.accuracy(x, t), reference.accuracy(x, t), f"TwoLayerNet.accuracy on 30 samples with {kind}",
                  hint="compare argmax over axis 1 with the labels; turn one-hot rows into labels first (t.ndim)")


@pytest.mark.uses(*NET_USES)
@pytest.mark.parametrize("kind", ["labels", "one-hot"])
def test_two_layer_net_gradient(student, rng, credit, kind):
    reference, net = _nets(student, rng)
    x, t = _batch(rng, kind, 8)
    x = _away_from_the_kinks(reference, x, rng)
    what = f"TwoLayerNet.gradient on an (8, 6) batch with {kind}"
    grads, expected = _param_arrays(net.gradient(x, t), reference, what), reference.gradient(x, t)

    def check(name):
        expect_array(grads[name], expected[name], f"{what}: {name}", hint=BACKPROP_HINT)
        expect_gradient(grads[name], reference_gradient(lambda: _exact_loss(reference.predict(x), t),
                                                        reference.params[name]),
                        f"{what}: {name} against a numerical gradient")
    credit.run([lambda name=name: check(name) for name in expected])


@pytest.mark.uses(*NET_USES)
def test_two_layer_net_numerical_gradient(student, rng):
    reference, net = _nets(student, rng)
    x, t = _batch(rng, "labels", 5)
    what = "TwoLayerNet.numerical_gradient on a (5, 6) batch"
    grads = _param_arrays(net.numerical_gradient(x, t), reference, what)
    for name, expected in reference.numerical_gradient(x, t).items():
        expect_array(grads[name], expected, f"{what}: {name}", rtol=1e-5, atol=1e-6,
                     hint="numerical_gradient(f, self.params[key]) for every key, with f computing "
                          "self.loss(x, t): it perturbs the parameter array itself")


def test_rel_error(student, rng, credit):
    a = rng.standard_normal((3, 4))
    cases = {"two random (3, 4) arrays": (a, rng.standard_normal((3, 4))),
             "two nearly equal (3, 4) arrays": (a, a + 1e-6 * rng.standard_normal((3, 4))),
             "two arrays of zeros": (np.zeros(5), np.zeros(5))}
    credit.run([lambda case=case, x=x, y=y: expect_scalar(
        student.gradient_check.rel_error(x, y), rel_error(x, y), f"rel_error of {case}",
        hint="the largest |x - y| / max(1e-8, |x| + |y|) over all elements") for case, (x, y) in cases.items()])


@pytest.mark.uses("networks.TwoLayerNet.gradient")
def test_gradient_check(student, rng):
    # Judged against the student's own network, so a wrong network does not cost this test: the errors
    # must be rel_error between its gradient and its numerical_gradient (tiny numbers for a right network,
    # but the same tiny numbers every time).
    reference, net = _nets(student, rng)
    x, t = _batch(rng, "labels", 4)
    errors = student.gradient_check.gradient_check(net, x, t)
    if not isinstance(errors, dict) or set(errors) != set(reference.params):
        raise GradingFailure(f"gradient_check: returned {describe(errors)}, expected a dict with keys "
                             f"{sorted(reference.params)}")
    backprop = _param_arrays(net.gradient(x, t), reference, "TwoLayerNet.gradient")
    numerical = _param_arrays(net.numerical_gradient(x, t), reference, "TwoLayerNet.numerical_gradient")
    for name in reference.params:
        expect_scalar(errors[name], rel_error(backprop[name], numerical[name]), f"gradient_check: [{name!r}]",
                      rtol=1e-3, atol=1e-12, hint="rel_error(network.gradient(x, t)[key], "
                                                 "network.numerical_gradient(x, t)[key]) for every parameter")


@pytest.mark.uses(*NET_USES, "networks.TwoLayerNet.gradient")
def test_sgd_step(student, rng):
    reference, net = _nets(student, rng)
    x, t = _batch(rng, "labels", 8)
    expect_scalar(student.training.sgd_step(net, x, t, 0.3), training.sgd_step(reference, x, t, 0.3),
                  "sgd_step with lr=0.3: the returned loss", rtol=LOSS_RTOL,
                  hint="return the batch loss of the forward pass network.gradient ran (network.lastLayer.loss), "
                       "from before the update")
    params = _param_arrays(net.attr("params"), reference, "TwoLayerNet.params after sgd_step")
    for name, value in reference.params.items():
        expect_array(params[name], value, f"sgd_step with lr=0.3: params[{name!r}] after the step",
                     hint="params[key] -= lr * grads[key] with grads = network.gradient(x_batch, t_batch)")


@pytest.mark.uses(*NET_USES, "networks.TwoLayerNet.gradient")
def test_sgd_step_updates_params_in_place(student, rng):
    reference, net = _nets(student, rng)
    x, t = _batch(rng, "labels", 8)
    student.training.sgd_step(net, x, t, 0.3)
    training.sgd_step(reference, x, t, 0.3)
    # predict runs the layers: they see the step only if the arrays they hold were updated.
    expect_array(net.predict(x), reference.predict(x), "TwoLayerNet.predict after sgd_step", hint=IN_PLACE_HINT)


def _training_set(rng):
    """200 points in 4-D, labelled by which side of a plane they lie: a two-layer net learns it fast."""
    x = rng.standard_normal((200, TRAINING_SIZES[0]))
    return x, (x[:, 0] + x[:, 1] > 0).astype(np.int64)


def _losses(value, count):
    if not (isinstance(value, list) and len(value) == count):
        raise GradingFailure(f"minibatch_sgd: returned {describe(value)}, expected a list of the {count} "
                             "batch losses")
    return [as_scalar(loss, "minibatch_sgd: a batch loss") for loss in value]


@pytest.mark.uses(*NET_USES, "networks.TwoLayerNet.gradient")
def test_minibatch_sgd_lowers_the_loss(student, rng):
    reference, net = _nets(student, rng, TRAINING_SIZES, scale=0.1)
    x, t = _training_set(rng)
    losses = _losses(student.training.minibatch_sgd(net, x, t, lr=0.5, batch_size=20, iters_num=150, seed=1), 150)
    if not np.mean(losses[-15:]) < 0.7 * np.mean(losses[:15]):
        raise GradingFailure("minibatch_sgd with lr=0.5, batch_size=20, iters_num=150: the batch losses did not "
                             "fall", hint="take one sgd_step per batch; sgd_step must move the params against "
                                          "the gradient, in place")
    if not as_scalar(net.loss(x, t), "TwoLayerNet.loss after minibatch_sgd") < 0.7 * reference.loss(x, t):
        raise GradingFailure("minibatch_sgd: the network's loss on the training set did not fall",
                             hint=IN_PLACE_HINT)


@pytest.mark.uses(*NET_USES, "networks.TwoLayerNet.gradient")
def test_minibatch_sgd_follows_the_seed(student, rng):
    reference, net = _nets(student, rng, TRAINING_SIZES, scale=0.1)
    x, t = _training_set(rng)
    kwargs = {"lr": 0.2, "batch_size": 10, "iters_num": 20, "seed": 7}
    losses = _losses(student.training.minibatch_sgd(net, x, t, **kwargs), 20)
    for step, (loss, expected) in enumerate(zip(losses, training.minibatch_sgd(reference, x, t, **kwargs)), 1):
        expect_scalar(loss, expected, f"minibatch_sgd with seed=7: the loss of batch {step}", rtol=LOSS_RTOL,
                      hint=SEED_HINT)


def test_affine_is_vectorised(student, rng):
    x, dout = rng.standard_normal((20000, 4)), rng.standard_normal((20000, 3))
    W, b = rng.standard_normal((4, 3)), rng.standard_normal(3)
    ours, theirs = layers.Affine(W, b), student.layers.Affine(W, b)
    for method, args, limit in (("forward", (x,), AFFINE_FORWARD_SECONDS),
                                ("backward", (dout,), AFFINE_BACKWARD_SECONDS)):
        what = f"Affine.{method} on a {args[0].shape} batch"
        seconds, value = compute_time(student, getattr(theirs, method), args, TIMING_REPEATS)
        expect_array(value, getattr(ours, method)(*args), what)
        expect_fast(seconds, limit, what, hint=TIMING_HINT)


@pytest.mark.uses("activations.softmax", "losses.cross_entropy_error")
def test_softmax_with_loss_is_vectorised(student, rng):
    x, t = rng.standard_normal((20000, 4)), rng.integers(0, 4, 20000)
    ours, theirs = layers.SoftmaxWithLoss(), student.layers.SoftmaxWithLoss()
    seconds, value = compute_time(student, theirs.forward, (x, t), TIMING_REPEATS)
    what = "SoftmaxWithLoss.forward on 20000 samples with labels"
    expect_scalar(value, ours.forward(x, t), what, rtol=LOSS_RTOL)
    expect_fast(seconds, SOFTMAX_WITH_LOSS_FORWARD_SECONDS, what,
                hint=TIMING_HINT + " (forward calls your softmax and cross_entropy_error: they count too)")
    seconds, value = compute_time(student, theirs.backward, (1,), TIMING_REPEATS)
    what = "SoftmaxWithLoss.backward on 20000 samples with labels"
    expect_array(value, ours.backward(1), what, hint=SOFTMAX_WITH_LOSS_HINT)
    expect_fast(seconds, SOFTMAX_WITH_LOSS_BACKWARD_SECONDS, what,
                hint=TIMING_HINT + " (subtract 1 at every label at once: y[np.arange(batch_size), t])")
