"""Hidden suite, stage 4: computation-graph layers, the layered TwoLayerNet, gradient checking, SGD.

Every layer is compared with the reference on seeded inputs, and every backward pass also with a
central-difference gradient of the reference forward pass computed here (checks.reference_gradient; for
the loss, without its 1e-7 guard: exact_softmax_loss), so a backward pass is judged by the derivative it
should be, whatever the student's forward returned.
Networks get every parameter from the test (set in place), never from the student's random
initialisation. Points come only for right values: a test of a fixed case (the book's shopping graph)
also checks a random twin, a test that inputs are left alone or parameters updated in place compares
values fetched back from the worker, and training is judged by the network's final parameters, fetched
back and evaluated with the reference. Only the two *_is_vectorised tests, at the end, measure time.
"""
import numpy as np
import pytest

from autograder.grading.checks import (LOSS_RTOL, as_array, as_scalar, call_and_fetch, compute_time, describe,
                                       exact_softmax_loss, expect_array, expect_fast, expect_gradient, expect_scalar,
                                       expect_unchanged, left_changed, numerically, param_arrays, part_of,
                                       reference_gradient)
from autograder.grading.errors import GradingFailure
from course.language import _
from solutions import activations, backprop_by_hand, graph_gates, layers, networks, simple_layers, training
from solutions.gradient_check import rel_error

# Worded when the suite is imported: every grade imports it afresh, in its own language (grading/grade.py).
BINARY_HINTS = {"MulLayer": _("dx = dout * y and dy = dout * x: each input gets the other input times dout"),
                "AddLayer": _("both inputs get dout unchanged")}
AFFINE_CASES = {"2d": ((7, 5), 3), "4d": ((2, 3, 4, 4), 5)}
RESHAPE_HINT = _("dx must have the shape of the original x: keep x.shape in forward and reshape dx back to it")
SOFTMAX_WITH_LOSS_HINT = _("(softmax(x) - t) / batch_size, with t one-hot; a single sample (C,) is a batch of one")
NET_SIZES = (6, 5, 3)
# The network's first Affine layer skips dx (needs_input_grad = False): a layer that returns before
# setting dW and db then breaks the network's gradient while passing the plain Affine tests.
NET_USES = ("activations.softmax", "losses.cross_entropy_error", "layers.Affine", "layers.Affine.needs_input_grad",
            "layers.Relu", "layers.SoftmaxWithLoss")
BACKPROP_HINT = _("loss(x, t), then lastLayer.backward(1) and every layer's backward in reverse order; "
                  "the gradients are the Affine layers' dW and db")
IN_PLACE_HINT = _("update params in place (params[key] -= lr * grads[key]): the Affine layers hold the same "
                  "arrays, and params[key] = params[key] - ... makes a new array the layers never see")
TRAINING_SIZES = (4, 8, 2)
SEED_HINT = _("make rng = np.random.default_rng(seed) once, then draw every batch with "
              "rng.choice(len(x_train), batch_size) and take one sgd_step on it")
# The worker's CPU time of a round on (20000, 4) inputs (checks.compute_time: a forward, the backward
# after it and, for Affine, dW and db, timed as one window on fresh inputs per round, fastest of 10), from
# benchmarks/vectorisation_stage4.py on a loaded 2-core machine (load 10); one round of requests and
# replies costs about 1 ms of it:
#                              reference   loops over rows
#   Affine                     2.7 ms      forward 27-37 ms (x[i] W + b), backward 64-91 ms (outer products)
#   SoftmaxWithLoss            3.5 ms      forward 74-82 ms (the stage 2 softmax), backward 37 ms (row by row)
# A round is timed whole, so a loop moved from the backward into the forward before it (SoftmaxWithLoss's
# dout is always 1) costs what it costs where it was. The limits leave the reference 4.5x and more and
# fail every loop by 2x and more. A loop doing only dx[i, t[i]] -= 1 (0.3-0.45 us a row) makes a round
# of 9-12 ms: it passes by design (in training it costs 30 us a batch of 100).
AFFINE_SECONDS = 0.012
SOFTMAX_WITH_LOSS_SECONDS = 0.020
TIMING_REPEATS = 10
TIMING_HINT = _("one NumPy expression over the whole batch; no Python loop over rows")


def _on(call, shape):
    """A call on two Python floats (shape None) or on two arrays of `shape`."""
    return (_("{call} on floats") if shape is None else _("{call} on {shape} arrays")).format(call=call, shape=shape)


def _input(call, shape):
    """A call on an input of `shape`: "Relu.forward on a (6, 5) input"."""
    return _("{call} on a {shape} input").format(call=call, shape=shape)


def _with_targets(text, kind):
    """One of two messages, by the kind of targets: labels or one-hot rows."""
    return text[0] if kind == "labels" else text[1]


def _expect_pair(value, what):
    """A backward pass of a two-input node returns (dx, dy)."""
    if not (isinstance(value, (tuple, list)) and len(value) == 2):
        raise GradingFailure(_("{what}: returned {value}, expected the pair (dx, dy)").format(
            what=what, value=describe(value)))
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
        expect = expect_scalar if shape is None else expect_array
        ours, theirs = getattr(simple_layers, name)(), getattr(student.simple_layers, name)()
        expect(theirs.forward(x, y), ours.forward(x, y), _on(f"{name}.forward", shape))
        backward = _on(f"{name}.backward", shape)
        grads = _expect_pair(theirs.backward(dout), backward)
        for label, value, expected in zip(("dx", "dy"), grads, ours.backward(dout)):
            expect(value, expected, part_of(backward, label), hint=BINARY_HINTS[name])
        if shape is not None:
            total = lambda: np.sum(getattr(simple_layers, name)().forward(x, y) * dout)
            for label, value, wrt in zip(("dx", "dy"), grads, (x, y)):
                expect_gradient(value, reference_gradient(total, wrt), numerically(part_of(backward, label)))
    credit.run([lambda shape=shape: check(shape) for shape in (None, (5,), (2, 3, 4))])


def _random_prices(rng):
    return {"apple": float(rng.uniform(50, 200)), "apple_num": int(rng.integers(1, 10)),
            "orange": float(rng.uniform(50, 200)), "orange_num": int(rng.integers(1, 10)),
            "tax": float(rng.uniform(1.0, 1.3))}


def _expect_shopping(student, kwargs, what):
    """buy_apple_orange(**kwargs) must give the reference's price and every gradient."""
    price, grads = simple_layers.buy_apple_orange(**kwargs)
    result = student.simple_layers.buy_apple_orange(**kwargs)
    if not (isinstance(result, tuple) and len(result) == 2 and isinstance(result[1], dict)):
        raise GradingFailure(_("{what}: returned {value}, expected (price, grads) with grads a dict").format(
            what=what, value=describe(result)))
    hint = _("it runs forward and backward through your MulLayer and AddLayer")
    expect_scalar(result[0], price, part_of(what, _("price")), hint=hint)
    for name, value in grads.items():
        expect_scalar(result[1].get(name), value, part_of(what, f"d price / d {name}"), hint=hint)


@pytest.mark.parametrize("prices", ["book", "other prices"])
def test_shopping_graph(student, rng, prices):
    # buy_apple_orange is given; it checks MulLayer and AddLayer wired into the book's graph. All or
    # nothing, and the book's case only with a random twin: its answers are printed in the book.
    cases = [({}, _("buy_apple_orange() at the book's prices"))] if prices == "book" else []
    cases += [(_random_prices(rng), _("buy_apple_orange at random prices"))] * (2 - len(cases))
    for kwargs, what in cases:
        _expect_shopping(student, kwargs, what)


@pytest.mark.parametrize("shape", [(6, 5), (2, 3, 4, 4)], ids=["2d", "4d"])
def test_relu_layer(student, rng, shape):
    x, dout = rng.standard_normal(shape), rng.standard_normal(shape)
    # Exact zeros: x <= 0 blocks the gradient, so dx is 0 there too.
    x.flat[::7] = 0.0
    ours, theirs = layers.Relu(), student.layers.Relu()
    expect_array(theirs.forward(x), ours.forward(x), _input("Relu.forward", shape))
    dx = theirs.backward(dout)
    expect_array(dx, ours.backward(dout), _input("Relu.backward", shape),
                 hint=_("dx is dout where x > 0 and 0 where x <= 0 (x == 0 included)"))
    # Central differences (h = 1e-4) straddle the kink near 0, so compare the other elements only.
    numerical = reference_gradient(lambda: np.sum(layers.Relu().forward(x) * dout), x)
    away = np.abs(x) > 1e-3
    expect_gradient(dx[away], numerical[away], numerically(_input("Relu.backward", shape)))


@pytest.mark.parametrize("method", ["forward", "backward"])
def test_relu_leaves_its_input_alone(student, rng, method):
    # The book's backward sets dout[mask] = 0 and returns dout: the caller's array changes. Leaving the
    # input alone counts only for a call that returns the right values.
    x, dout = rng.standard_normal((5, 4)), rng.standard_normal((5, 4))
    x.flat[::6] = 0.0
    ours, theirs = layers.Relu(), student.layers.Relu()
    value, (x_after,) = call_and_fetch(student, theirs.forward, x.copy())
    expect_array(value, ours.forward(x), _input("Relu.forward", (5, 4)))
    if method == "forward":
        expect_unchanged(x, x_after, "Relu.forward (x)")
    else:
        value, (dout_after,) = call_and_fetch(student, theirs.backward, dout.copy())
        expect_array(value, ours.backward(dout), _input("Relu.backward", (5, 4)))
        expect_unchanged(dout, dout_after, "Relu.backward (dout)")


@pytest.mark.uses("activations.sigmoid")
def test_sigmoid_layer(student, rng):
    x, dout = rng.standard_normal((4, 5)) * 2, rng.standard_normal((4, 5))
    ours, theirs = layers.Sigmoid(), student.layers.Sigmoid()
    expect_array(theirs.forward(x), ours.forward(x), _input("Sigmoid.forward", (4, 5)))
    dx = theirs.backward(dout)
    expect_array(dx, ours.backward(dout), _input("Sigmoid.backward", (4, 5)),
                 hint=_("dx = dout * y * (1 - y) with y the output forward kept"))
    expect_gradient(dx, reference_gradient(lambda: np.sum(layers.Sigmoid().forward(x) * dout), x),
                    numerically(_input("Sigmoid.backward", (4, 5))))


def _affine_case(rng, case, batch_size=None):
    """x of the case's shape (or with batch_size rows), W (D, M), b (M,) and dout (N, M); D != M and
    N != D, so a transpose shows."""
    shape, m = AFFINE_CASES[case]
    shape = (batch_size or shape[0], *shape[1:])
    x, dout = rng.standard_normal(shape), rng.standard_normal((shape[0], m))
    return x, rng.standard_normal((x[0].size, m)), rng.standard_normal(m), dout


@pytest.mark.parametrize("case", AFFINE_CASES)
def test_affine_forward(student, rng, case):
    # Each case also as a batch of one, where a squeeze or a flatten to 1-D goes wrong.
    for batch_size in (None, 1):
        x, W, b, _dout = _affine_case(rng, case, batch_size)
        expect_array(student.layers.Affine(W, b).forward(x), layers.Affine(W, b).forward(x),
                     _input("Affine.forward", x.shape), hint=_("flatten x to (N, -1) first, then x W + b"))


@pytest.mark.parametrize("case", AFFINE_CASES)
def test_affine_backward(student, rng, case):
    for batch_size in (None, 1):
        _expect_affine_backward(student, *_affine_case(rng, case, batch_size))


def _expect_affine_backward(student, x, W, b, dout):
    ours, theirs = layers.Affine(W, b), student.layers.Affine(W, b)
    ours.forward(x)
    theirs.forward(x)
    what = _input("Affine.backward", x.shape)
    dx = theirs.backward(dout)
    dW, db = theirs.attr("dW"), theirs.attr("db")
    expect_array(dx, ours.backward(dout), part_of(what, "dx"), hint=RESHAPE_HINT)
    expect_array(dW, ours.dW, part_of(what, "dW"), hint=_("dW = x^T dout with x flattened to (N, D): W's shape (D, M)"))
    expect_array(db, ours.db, part_of(what, "db"), hint=_("db sums dout over the batch axis (axis=0)"))
    total = lambda: np.sum(layers.Affine(W, b).forward(x) * dout)
    for label, value, wrt in (("dx", dx, x), ("dW", dW, W), ("db", db, b)):
        expect_gradient(value, reference_gradient(total, wrt), numerically(part_of(what, label)))


@pytest.mark.uses("layers.Affine")
def test_affine_skips_dx_when_not_needed(student, rng):
    # TwoLayerNet's __init__ (given) sets needs_input_grad = False on its first Affine layer: nothing uses
    # that dx, and computing it costs as much as dW. Its backward must still set dW and db.
    reference, net = _nets(student, rng)
    ours, theirs = reference.layers["Affine1"], net.sub("layers", "Affine1")
    x, dout = rng.standard_normal((7, NET_SIZES[0])), rng.standard_normal((7, NET_SIZES[1]))
    ours.forward(x)
    theirs.forward(x)
    what = _("Affine.backward with needs_input_grad = False (TwoLayerNet's first layer)")
    dx = theirs.backward(dout)
    ours.backward(dout)
    expect_array(theirs.attr("dW"), ours.dW, part_of(what, "dW"))
    expect_array(theirs.attr("db"), ours.db, part_of(what, "db"))
    if dx is not None:
        raise GradingFailure(_("{what}: returned {value}, expected None").format(what=what, value=describe(dx)),
                             hint=_("if not self.needs_input_grad, return None after setting dW and db"))


@pytest.mark.uses("activations.softmax", "losses.cross_entropy_error")
@pytest.mark.parametrize("target", ["labels", "one-hot", "single one-hot"])
def test_softmax_with_loss(student, rng, credit, target):
    # Forward and backward pay separately: backward's (y - t) / N needs softmax but not the loss, so a wrong
    # cross_entropy_error (forward raising inside it included) costs the forward checks only.
    checks = []
    for shape in [(4,)] if target == "single one-hot" else [(6, 4), (1, 4)]:
        checks += _softmax_with_loss_checks(student, rng, target, shape)
    credit.run(checks)


def _softmax_with_loss_checks(student, rng, target, shape):
    """[forward check, backward check] of one layer on one case; the backward check runs after the forward's."""
    # Moderate scores: no class probability is tiny, where the 1e-7 guard inside the log bends the loss.
    x, labels = rng.standard_normal(shape) * 0.5, rng.integers(0, 4, shape[:-1] or None)
    t = labels if target == "labels" else np.eye(4)[labels]
    what = {"labels": _("SoftmaxWithLoss on a {shape} input with labels targets"),
            "one-hot": _("SoftmaxWithLoss on a {shape} input with one-hot targets"),
            "single one-hot": _("SoftmaxWithLoss on a {shape} input with single one-hot targets")}[target].format(
        shape=shape)
    theirs = student.layers.SoftmaxWithLoss()

    def forward():
        expect_scalar(theirs.forward(x, t), layers.SoftmaxWithLoss().forward(x, t), part_of(what, "forward"),
                      rtol=LOSS_RTOL, hint=_("the mean cross-entropy of softmax(x): one real number"))

    def backward():
        # The reference's backward from the state its forward keeps, without computing a loss.
        ours = layers.SoftmaxWithLoss()
        ours.y, ours.t = activations.softmax(x), t
        dx = theirs.backward(1)
        expect_array(dx, ours.backward(1), part_of(what, "backward"), hint=SOFTMAX_WITH_LOSS_HINT)
        expect_gradient(dx, reference_gradient(lambda: exact_softmax_loss(x, t), x),
                        numerically(part_of(what, "backward")))
    return [forward, backward]


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


@pytest.mark.uses("layers.Affine", "layers.Relu")
def test_two_layer_net_predict(student, rng):
    reference, net = _nets(student, rng)
    x = rng.standard_normal((8, NET_SIZES[0]))
    expect_array(net.predict(x), reference.predict(x), _("TwoLayerNet.predict on an (8, 6) batch of a 6-5-3 net"),
                 hint=_("run x through every layer in self.layers in order; no softmax (the scores before it)"))


@pytest.mark.uses(*NET_USES)
@pytest.mark.parametrize("kind", ["labels", "one-hot"])
def test_two_layer_net_loss(student, rng, kind):
    reference, net = _nets(student, rng)
    x, t = _batch(rng, kind, 8)
    what = _with_targets((_("TwoLayerNet.loss on an (8, 6) batch with labels"),
                          _("TwoLayerNet.loss on an (8, 6) batch with one-hot targets")), kind)
    expect_scalar(net.loss(x, t), reference.loss(x, t), what, rtol=LOSS_RTOL, hint="lastLayer.forward(predict(x), t)")


@pytest.mark.uses("layers.Affine", "layers.Relu")
@pytest.mark.parametrize("kind", ["labels", "one-hot"])
def test_two_layer_net_accuracy(student, rng, kind):
    # Two batches of different sizes: no constant is right for both.
    reference, net = _nets(student, rng)
    for n in (30, 17):
        x, t = _batch(rng, kind, n)
        what = _with_targets((_("TwoLayerNet.accuracy on {n} samples with labels"),
                              _("TwoLayerNet.accuracy on {n} samples with one-hot targets")), kind).format(n=n)
        expect_scalar(net.accuracy(x, t), reference.accuracy(x, t), what,
                      hint=_("compare argmax over axis 1 with the labels; turn one-hot rows into labels first (t.ndim)"))


@pytest.mark.uses(*NET_USES)
@pytest.mark.parametrize("kind", ["labels", "one-hot"])
def test_two_layer_net_gradient(student, rng, credit, kind):
    reference, net = _nets(student, rng)
    x, t = _batch(rng, kind, 8)
    x = _away_from_the_kinks(reference, x, rng)
    what = _with_targets((_("TwoLayerNet.gradient on an (8, 6) batch with labels"),
                          _("TwoLayerNet.gradient on an (8, 6) batch with one-hot targets")), kind)
    grads, expected = param_arrays(net.gradient(x, t), reference.params, what), reference.gradient(x, t)

    def check(name):
        expect_array(grads[name], expected[name], part_of(what, name), hint=BACKPROP_HINT)
        expect_gradient(grads[name], reference_gradient(lambda: exact_softmax_loss(reference.predict(x), t),
                                                        reference.params[name]),
                        numerically(part_of(what, name)))
    credit.run([lambda name=name: check(name) for name in expected])


@pytest.mark.uses(*NET_USES)
def test_two_layer_net_numerical_gradient(student, rng):
    # As in stage 3: without the 1e-7 log guard a gradient moves by about 1e-7 / y relative. With the usual
    # scale 0.5 a labelled probability fell to 2e-5 and a guard-free loss failed here on 1 draw in 10 (a
    # numerical_gradient that is right); at 0.25 every probability stays above 0.04 (1,500 draws, none failed).
    reference, net = _nets(student, rng, scale=0.25)
    x, t = _batch(rng, "labels", 5)
    what = _("TwoLayerNet.numerical_gradient on a (5, 6) batch")
    grads = param_arrays(net.numerical_gradient(x, t), reference.params, what)
    hint = (_("numerical_gradient left the parameters changed: it must put every element back after f(x + h) and "
              "f(x - h)") if left_changed(net.attr("params"), reference.params) else
            _("numerical_gradient(f, self.params[key]) for every key, with f computing self.loss(x, t): it perturbs "
              "the parameter array itself"))
    for name, expected in reference.numerical_gradient(x, t).items():
        expect_array(grads[name], expected, part_of(what, name), rtol=1e-5, atol=1e-6, hint=hint)


def test_rel_error(student, rng):
    # All or nothing: with credit per case, `return 0.0` would earn the case of two arrays of zeros.
    a, zeros = rng.standard_normal((3, 4)), np.zeros((2, 6))
    zeros[0] = rng.standard_normal(6) * 1e-3
    cases = {_("rel_error of two random (3, 4) arrays"): (a, rng.standard_normal((3, 4))),
             _("rel_error of two nearly equal (3, 4) arrays"): (a, a + 1e-6 * rng.standard_normal((3, 4))),
             _("rel_error of two arrays of zeros"): (np.zeros(5), np.zeros(5)),
             _("rel_error of two (2, 6) arrays, zero in the same places"):
                 (zeros, zeros * (1 + 1e-3 * rng.standard_normal((2, 6))))}
    for what, (x, y) in cases.items():
        expect_scalar(student.gradient_check.rel_error(x, y), rel_error(x, y), what,
                      hint=_("the largest |x - y| / max(1e-8, |x| + |y|) over all elements"))


@pytest.mark.uses(*NET_USES, "networks.TwoLayerNet.gradient", "gradients.numerical_gradient")
def test_gradient_check(student, rng):
    # Run on the student's network, whose gradient and numerical_gradient must be right (a network that
    # returns zeros would make every error 0): the errors must then be rel_error between the two, tiny
    # numbers that differ from parameter to parameter and from seed to seed. Weights of scale 0.2 keep the
    # true class's probability away from the loss's 1e-7 guard, which the numerical gradient feels and
    # backprop does not: with 0.5, a probability near 1e-3 made the reference fail 8.5% of the seeds.
    reference, net = _nets(student, rng, scale=0.2)
    x, t = _batch(rng, "labels", 4)
    x = _away_from_the_kinks(reference, x, rng)
    errors = student.gradient_check.gradient_check(net, x, t)
    if not isinstance(errors, dict) or set(errors) != set(reference.params):
        raise GradingFailure(_("{what}: returned {value}, expected a dict with keys {keys}").format(
            what="gradient_check", value=describe(errors), keys=sorted(reference.params)))
    backprop = param_arrays(net.gradient(x, t), reference.params, "TwoLayerNet.gradient")
    numerical = param_arrays(net.numerical_gradient(x, t), reference.params, "TwoLayerNet.numerical_gradient")
    for name, expected in reference.gradient(x, t).items():
        expect_array(backprop[name], expected, _("gradient_check's network: {what}").format(
            what=f"TwoLayerNet.gradient: {name}"), hint=BACKPROP_HINT)
        expect_array(numerical[name], expected, _("gradient_check's network: {what}").format(
            what=f"TwoLayerNet.numerical_gradient: {name}"), rtol=1e-5, atol=1e-6)
    for name in reference.params:
        expect_scalar(errors[name], rel_error(backprop[name], numerical[name]), f"gradient_check: [{name!r}]",
                      rtol=1e-3, atol=1e-12, hint=_("rel_error(network.gradient(x, t)[key], "
                                                   "network.numerical_gradient(x, t)[key]) for every parameter"))


@pytest.mark.uses(*NET_USES, "networks.TwoLayerNet.gradient")
def test_sgd_step(student, rng):
    reference, net = _nets(student, rng)
    x, t = _batch(rng, "labels", 8)
    expect_scalar(student.training.sgd_step(net, x, t, 0.3), training.sgd_step(reference, x, t, 0.3),
                  _("sgd_step with lr=0.3: the returned loss"), rtol=LOSS_RTOL,
                  hint=_("return the batch loss of the forward pass network.gradient ran (network.lastLayer.loss), "
                         "from before the update"))
    params = param_arrays(net.attr("params"), reference.params, _("TwoLayerNet.params after sgd_step"))
    for name, value in reference.params.items():
        expect_array(params[name], value, _("sgd_step with lr=0.3: {what} after the step").format(what=f"params[{name!r}]"),
                     hint=_("params[key] -= lr * grads[key] with grads = network.gradient(x_batch, t_batch)"))


def _expect_layer_params(net, expected, what, rtol=1e-7, hint=IN_PLACE_HINT):
    """The parameters the student's layers hold (what predict uses), fetched back, must equal `expected`."""
    for layer, names in (("Affine1", ("W1", "b1")), ("Affine2", ("W2", "b2"))):
        for attribute, name in zip(("W", "b"), names):
            expect_array(net.sub("layers", layer).attr(attribute), expected[name],
                         part_of(what, f"layers[{layer!r}].{attribute} (params[{name!r}])"), rtol=rtol, hint=hint)


@pytest.mark.uses(*NET_USES, "networks.TwoLayerNet.gradient")
def test_sgd_step_updates_params_in_place(student, rng):
    reference, net = _nets(student, rng)
    x, t = _batch(rng, "labels", 8)
    student.training.sgd_step(net, x, t, 0.3)
    training.sgd_step(reference, x, t, 0.3)
    # The layers see the step only if the arrays they hold were updated.
    _expect_layer_params(net, reference.params, _("sgd_step with lr=0.3"))


def _training_set(rng):
    """200 points in 4-D, labelled by which side of a plane they lie: a two-layer net learns it fast."""
    x = rng.standard_normal((200, TRAINING_SIZES[0]))
    return x, (x[:, 0] + x[:, 1] > 0).astype(np.int64)


def _losses(value, count):
    if not (isinstance(value, list) and len(value) == count):
        raise GradingFailure(_("minibatch_sgd: returned {value}, expected a list of the {count} batch losses").format(
            value=describe(value), count=count))
    return [as_scalar(loss, _("minibatch_sgd: a batch loss")) for loss in value]


def _trained_reference(net, sizes):
    """A reference TwoLayerNet holding the parameters the student's layers hold after training (fetched)."""
    trained = networks.TwoLayerNet(*sizes)
    for layer, names in (("Affine1", ("W1", "b1")), ("Affine2", ("W2", "b2"))):
        for attribute, name in zip(("W", "b"), names):
            trained.params[name][...] = as_array(net.sub("layers", layer).attr(attribute),
                                                 _("{what} after minibatch_sgd").format(
                                                     what=f"layers[{layer!r}].{attribute}"),
                                                 trained.params[name].shape)
    return trained


@pytest.mark.uses(*NET_USES, "networks.TwoLayerNet.gradient")
def test_minibatch_sgd_lowers_the_loss(student, rng):
    # Judged by the reference's loss of the parameters the student's network ends with, never by the
    # losses minibatch_sgd reports or the student's own loss function. Over 1000 seeds the reference ends
    # at most at 0.36 of its first loss, and a gradient not divided by the batch size (20 times too long a
    # step) at 0.55; with lr=0.5 that step diverged on 86% of the seeds, so the verdict was the inputs'.
    reference, net = _nets(student, rng, TRAINING_SIZES, scale=0.1)
    x, t = _training_set(rng)
    _losses(student.training.minibatch_sgd(net, x, t, lr=0.1, batch_size=20, iters_num=150, seed=1), 150)
    if not _trained_reference(net, TRAINING_SIZES).loss(x, t) < 0.7 * reference.loss(x, t):
        raise GradingFailure(_("minibatch_sgd with lr=0.1, batch_size=20, iters_num=150: the network's loss on the "
                               "training set did not fall"),
                             hint=_("take one sgd_step per batch; sgd_step must move the params against the "
                                    "gradient, in place (the layers hold the same arrays)"))


@pytest.mark.uses(*NET_USES, "networks.TwoLayerNet.gradient")
def test_minibatch_sgd_follows_the_seed(student, rng):
    reference, net = _nets(student, rng, TRAINING_SIZES, scale=0.1)
    x, t = _training_set(rng)
    kwargs = {"lr": 0.2, "batch_size": 10, "iters_num": 20, "seed": 7}
    losses = _losses(student.training.minibatch_sgd(net, x, t, **kwargs), 20)
    for step, (loss, expected) in enumerate(zip(losses, training.minibatch_sgd(reference, x, t, **kwargs)), 1):
        expect_scalar(loss, expected, _("minibatch_sgd with seed=7: the loss of batch {step}").format(step=step),
                      rtol=LOSS_RTOL,
                      hint=SEED_HINT)
    # The parameters the layers end with, too: the losses alone could be written without training.
    _expect_layer_params(net, reference.params, _("minibatch_sgd with seed=7, after 20 steps"), rtol=1e-6,
                         hint=SEED_HINT)


def _timed_rounds(student, protocol, make_case, expect, limit, what, hints):
    """compute_time over rounds of protocol(case) (every call one case makes, timed as one window), then
    the limit; the hint is hints[the method that took longest] (TIMING_HINT for others)."""
    watch = compute_time(student, protocol, make_case, expect, TIMING_REPEATS)
    expect_fast(watch, limit, what, hint=hints.get(watch.slowest()[0].rsplit(".", 1)[-1], TIMING_HINT))


def test_affine_is_vectorised(student, rng):
    W, b = rng.standard_normal((4, 3)), rng.standard_normal(3)
    ours, theirs = layers.Affine(W, b), student.layers.Affine(W, b)
    what, names = _("Affine.forward and backward on a (20000, 4) batch"), ("out", "dx", "dW", "db")

    def make_case():
        x, dout = rng.standard_normal((20000, 4)), rng.standard_normal((20000, 3))
        return (x, dout), (ours.forward(x), ours.backward(dout), ours.dW.copy(), ours.db.copy())

    def protocol(case):
        x, dout = case[0]
        return theirs.forward(x), theirs.backward(dout), theirs.attr("dW"), theirs.attr("db")

    def expect(values, case):
        for value, expected, name in zip(values, case[1], names):
            expect_array(value, expected, part_of(what, name), hint=RESHAPE_HINT if name == "dx" else "")
    _timed_rounds(student, protocol, make_case, expect, AFFINE_SECONDS, what, {})


@pytest.mark.uses("activations.softmax", "losses.cross_entropy_error")
def test_softmax_with_loss_is_vectorised(student, rng):
    ours, theirs = layers.SoftmaxWithLoss(), student.layers.SoftmaxWithLoss()
    what = _("SoftmaxWithLoss.forward and backward on 20000 samples with labels")

    def make_case():
        x, t = rng.standard_normal((20000, 4)), rng.integers(0, 4, 20000)
        return (x, t), (ours.forward(x, t), ours.backward(1))

    def protocol(case):
        return theirs.forward(*case[0]), theirs.backward(1)

    def expect(values, case):
        expect_scalar(values[0], case[1][0], part_of(what, _("the loss")), rtol=LOSS_RTOL)
        expect_array(values[1], case[1][1], part_of(what, "dx"), hint=SOFTMAX_WITH_LOSS_HINT)
    hints = {"forward": _("{hint} (forward calls your softmax and cross_entropy_error: they count too)").format(
                 hint=TIMING_HINT),
             "backward": _("{hint} (subtract 1 at every label at once: y[np.arange(batch_size), t])").format(
                 hint=TIMING_HINT)}
    _timed_rounds(student, protocol, make_case, expect, SOFTMAX_WITH_LOSS_SECONDS, what, hints)


# CS231n's gate patterns and the sigmoid circuit (graph_gates), the classic 2-2-2 network by hand
# (backprop_by_hand). Every fixed case (CS231n's circuit, the classic network) pays only with its random twin.
MAX_HINT = _("dz goes to the larger input and 0 to the other (np.where, or a mask kept in forward)")
TIE_HINT = _("on a tie (x == y) MaxGate sends all of dz to x, as its docstring says (a mask x >= y)")
COPY_HINT = _("a value used by two branches gets the sum of their gradients: dout1 + dout2")
CIRCUIT_HINT = _("backward from df = 1 through each stage in reverse: 1/d gives -1/d^2, 1 + e gives 1, exp gives "
                 "exp(neg), -dot gives -1; then each w_i gets x_i * ddot and each x_i gets w_i * ddot")
CIRCUIT_EXAMPLE = (np.array([2.0, -3.0, -3.0]), np.array([-1.0, -2.0]))
CLASSIC_NETWORK = (np.array([0.05, 0.10]), np.array([0.01, 0.99]), np.array([[0.15, 0.25], [0.20, 0.30]]), 0.35,
                   np.array([[0.40, 0.50], [0.45, 0.55]]), 0.60)
HIDDEN_STEP_HINT = _("delta_h = (W2 @ delta_o) * h * (1 - h) with the old W2: compute every gradient before "
                     "changing any weight")
OUTPUT_STEP_HINT = "delta_o = (o - t) * o * (1 - o); dW2 = outer(h, delta_o); W2 - lr * dW2"


@pytest.mark.parametrize("shape", [None, (4, 5)], ids=["floats", "arrays"])
def test_max_gate(student, rng, shape):
    # No ties here (their own test follows): forward, backward, and backward against a numerical gradient.
    for larger_first in (True, False):
        x, y, dout = _binary_case(rng, shape)
        if shape is None:
            # One case each way: two random pairs with x the larger let a gate always routing to x pass.
            x, y = sorted((x, y), reverse=larger_first)
        else:
            # Elements closer than the central difference's step make it cross the kink: keep them apart.
            y = np.where(np.abs(x - y) < 1e-2, x + 0.5, y)
        expect = expect_scalar if shape is None else expect_array
        ours, theirs = graph_gates.MaxGate(), student.graph_gates.MaxGate()
        expect(theirs.forward(x, y), ours.forward(x, y), _on("MaxGate.forward", shape))
        backward = _on("MaxGate.backward", shape)
        grads = _expect_pair(theirs.backward(dout), backward)
        for label, value, expected in zip(("dx", "dy"), grads, ours.backward(dout)):
            expect(value, expected, part_of(backward, label), hint=MAX_HINT)
        if shape is not None:
            total = lambda: np.sum(graph_gates.MaxGate().forward(x, y) * dout)
            for label, value, wrt in zip(("dx", "dy"), grads, (x, y)):
                expect_gradient(value, reference_gradient(total, wrt), numerically(part_of(backward, label)))


def test_max_gate_ties(student, rng):
    # Half the elements tie, the rest are random either way: a gate that always routes to x fails here.
    x, dout = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    y = np.where(rng.random((3, 4)) < 0.5, x, rng.standard_normal((3, 4)))
    # Always a tie and both ways untied: six untied elements all won by x (1 draw in 64) passed a gate that
    # always routes to x (found by a fresh seed).
    y.flat[:3] = x.flat[0], x.flat[1] + 1.0, x.flat[2] - 1.0
    ours, theirs = graph_gates.MaxGate(), student.graph_gates.MaxGate()
    expect_array(theirs.forward(x, y), ours.forward(x, y), _("MaxGate.forward on (3, 4) arrays with ties"))
    grads = _expect_pair(theirs.backward(dout), _("MaxGate.backward with ties"))
    for label, value, expected in zip(("dx", "dy"), grads, ours.backward(dout)):
        expect_array(value, expected, part_of(_("MaxGate.backward on (3, 4) arrays with ties"), label), hint=TIE_HINT)


def test_copy_gate(student, rng):
    for x, d1, d2 in ((float(rng.standard_normal()), float(rng.standard_normal()), float(rng.standard_normal())),
                      tuple(rng.standard_normal((2, 3)) for _draw in range(3))):
        expect = expect_scalar if isinstance(x, float) else expect_array
        shape = None if isinstance(x, float) else (2, 3)
        theirs = student.graph_gates.CopyGate()
        branches = _expect_pair(theirs.forward(x), _on("CopyGate.forward", shape))
        for branch in branches:
            expect(branch, x, part_of(_on("CopyGate.forward", shape), _("each branch")),
                   hint=_("forward hands x to both branches"))
        expect(theirs.backward(d1, d2), d1 + d2, _on("CopyGate.backward", shape), hint=COPY_HINT)


def _expect_circuit(student, w, x, what):
    result = student.graph_gates.sigmoid_circuit(w, x)
    if not (isinstance(result, tuple) and len(result) == 3):
        raise GradingFailure(_("{what}: returned {value}, expected (f, dw, dx)").format(what=what, value=describe(result)))
    f, dw, dx = graph_gates.sigmoid_circuit(w, x)
    expect_scalar(result[0], f, part_of(what, "f"))
    expect_array(result[1], dw, part_of(what, "dw"), hint=CIRCUIT_HINT)
    expect_array(result[2], dx, part_of(what, "dx"), hint=CIRCUIT_HINT)
    for label, value, wrt in (("dw", result[1], w), ("dx", result[2], x)):
        numerical = reference_gradient(lambda: graph_gates.sigmoid_circuit(w, x)[0], wrt)
        expect_gradient(value, numerical, numerically(part_of(what, label)), hint=CIRCUIT_HINT)


@pytest.mark.parametrize("case", ["cs231n", "random"])
def test_sigmoid_circuit(student, rng, case):
    cases = [(tuple(a.copy() for a in CIRCUIT_EXAMPLE), _("sigmoid_circuit on CS231n's example"))] if case == "cs231n" else []
    cases += [((rng.standard_normal(3), rng.standard_normal(2)), _("sigmoid_circuit on random w, x"))] * (2 - len(cases))
    for (w, x), what in cases:
        _expect_circuit(student, w, x, what)


def _random_network(rng):
    """(x, t, W1, b1, W2, b2) of random sizes D, H, K in 2..4 with (H,) and (K,) biases."""
    d, h, k = rng.integers(2, 5, 3)
    return (rng.standard_normal(d), rng.uniform(0, 1, k), rng.standard_normal((d, h)), rng.standard_normal(h),
            rng.standard_normal((h, k)), rng.standard_normal(k))


def _networks(rng, classic):
    """The classic network (with a random twin) or two random ones."""
    fixed = [tuple(np.copy(a) if isinstance(a, np.ndarray) else a for a in CLASSIC_NETWORK)] if classic else []
    return fixed + [_random_network(rng) for _draw in range(2 - len(fixed))]


@pytest.mark.parametrize("case", ["classic", "random"])
def test_by_hand_forward(student, rng, case):
    for x, t, W1, b1, W2, b2 in _networks(rng, case == "classic"):
        result = student.backprop_by_hand.forward(x, W1, b1, W2, b2)
        what = (_("backprop_by_hand.forward on the classic network (D, H, K = {sizes})") if case == "classic" else
                _("backprop_by_hand.forward on the random network (D, H, K = {sizes})")).format(
            sizes=f"{len(x)}, {len(W2)}, {len(t)}")
        if not (isinstance(result, tuple) and len(result) == 2):
            raise GradingFailure(_("{what}: returned {value}, expected (h, o)").format(what=what, value=describe(result)))
        for label, value, expected in zip(("h", "o"), result, backprop_by_hand.forward(x, W1, b1, W2, b2)):
            expect_array(value, expected, part_of(what, label), hint="h = sigmoid(x W1 + b1), o = sigmoid(h W2 + b2)")


@pytest.mark.parametrize("weights", ["output", "hidden"])
def test_by_hand_step(student, rng, weights):
    # The classic network's eight new weights to 1e-8, and a random network; each call's arguments are
    # fetched back: the step must leave them alone (counted only with the right values).
    index, hint = (1, OUTPUT_STEP_HINT) if weights == "output" else (0, HIDDEN_STEP_HINT)
    for network, name in zip(_networks(rng, True), ("classic", "random")):
        x, t, W1, b1, W2, b2 = network
        value, after = call_and_fetch(student, student.backprop_by_hand.backprop_step, x, t, W1.copy(), b1,
                                      W2.copy(), b2, lr=0.5)
        what = (_("backprop_step on the classic network, lr = 0.5") if name == "classic" else
                _("backprop_step on the random network, lr = 0.5"))
        if not (isinstance(value, tuple) and len(value) == 2):
            raise GradingFailure(_("{what}: returned {value}, expected (new W1, new W2)").format(
                what=what, value=describe(value)))
        expected = backprop_by_hand.backprop_step(x, t, W1, b1, W2, b2, lr=0.5)[index]
        expect_array(value[index], expected, part_of(what, _("new {weights}").format(weights="W2" if index else "W1")),
                     rtol=0, atol=1e-8, hint=hint)
        expect_unchanged((W1, W2)[index], after[2 + 2 * index], f"backprop_step ({'W2' if index else 'W1'})")
