"""Hidden suite, stage 6: weight initialisation, Batch Normalization, Dropout, MultiLayerNet with weight decay.

Every input is drawn from the test's seeded generator: shapes, ratios, momenta and fan-ins too, so no
constant passes. Backward passes are compared with the reference and with a central-difference gradient
of the reference forward pass computed here (checks.reference_gradient). Dropout is graded with a
generator the scorer seeds (SeededGenerator: the worker gets np.random.default_rng(seed)), so its masks
are known exactly, never judged by luck. Running statistics and test-mode behaviour are judged by values
fetched back from the worker after the calls. Networks get every parameter from the test (set in place);
a network with Dropout is judged on the masks its own Dropout layers drew (fetched back), so that test
checks the network's use of its layers; the layers themselves have their own tests. Nothing here
measures time.
"""
import numpy as np
import pytest

from autograder.grading.checks import (LOSS_RTOL, as_array, exact_softmax_loss, expect_array, expect_gradient,
                                       expect_scalar, numerically, param_arrays, part_of, reference_gradient)
from autograder.grading.errors import GradingFailure
from autograder.sandbox.worker.functions import SeededGenerator
from course.language import _
from solutions import dropout, multi_layer_net, normalization, weight_init

# Worded when the suite is imported: every grade imports it afresh, in its own language (grading/grade.py).
SCALE_HINT = _("He's std is sqrt(2 / fan_in) ('he' or 'relu'), Xavier's sqrt(1 / fan_in) ('xavier' or 'sigmoid'); "
               "a number is the std itself")
BN_AXIS_HINT = _("normalise each feature over the batch (axis=0: x.mean(axis=0), the biased x.var(axis=0)); flatten "
                 "(N, C, H, W) to (N, C*H*W) first and reshape back")
RUNNING_HINT = _("start both at zeros; after each training batch: running = momentum * running + (1 - momentum) * "
                 "the batch's mean (or variance)")
TEST_MODE_HINT = _("test mode normalises with running_mean and running_var and leaves them as they are")
BN_BACKWARD_HINT = _("dx flows through the batch's mean and variance too (the book's backward: dxn, dxc, dstd, dvar, "
                     "dmu); dgamma = sum(xn * dout, axis=0), dbeta = sum(dout, axis=0)")
MASK_HINT = _("draw one mask per training forward from the layer's generator: self.mask = self.rng.random(x.shape) > "
              "self.dropout_ratio, and return x * self.mask (not divided by 1 - ratio: the book's convention)")
DROPOUT_TEST_HINT = _("test mode keeps every unit and scales: x * (1.0 - self.dropout_ratio)")
NET_HINT = _("run x through every layer in order, passing train_flg to BatchNorm and Dropout layers; the loss adds "
             "0.5 * weight_decay_lambda * sum(W ** 2) over every weight matrix")
NET_GRADIENT_HINT = _("backward through last_layer and every layer in reverse; dW + weight_decay_lambda * W for each "
                      "weight (biases exempt); gamma and beta from the BatchNorm layers' dgamma and dbeta")
# The earlier functions a sigmoid network's prediction and its loss and gradient rely on.
PREDICT_USES = ("activations.sigmoid", "layers.Affine")
NET_USES = (*PREDICT_USES, "activations.softmax", "losses.cross_entropy_error", "layers.Affine.needs_input_grad",
            "layers.SoftmaxWithLoss")


def _with_decay(call, kind):
    """A network's call without weight decay ("plain") or with it ("decay")."""
    return (_("{call} (plain)") if kind == "plain" else _("{call} (decay)")).format(call=call)


def _seed(rng):
    return int(rng.integers(0, 2 ** 62))


# --- weight initialisation ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["he", "relu", "xavier", "sigmoid", "number"])
def test_init_scale(student, rng, name):
    for fan_in in rng.integers(2, 2000, 3):
        std = round(float(rng.uniform(0.001, 0.5)), 4) if name == "number" else name
        expect_scalar(student.weight_init.init_scale(std, int(fan_in)), weight_init.init_scale(std, int(fan_in)),
                      f"init_scale({std!r}, fan_in)", rtol=1e-9, hint=SCALE_HINT)


# --- Batch Normalization -----------------------------------------------------------------------------------

def _bn_shape(rng, case):
    batch = int(rng.integers(4, 9))
    if case == "2d":
        return batch, int(rng.integers(3, 7))
    return (batch, *(int(size) for size in rng.integers(1, 4, 3)))


def _bn_batch(rng, shape):
    """A batch whose features have their own means and spreads, so normalising over the wrong axis shows."""
    features = shape[1:]
    return rng.standard_normal(shape) * rng.uniform(0.5, 3.0, features) + rng.uniform(-2.0, 2.0, features)


def _bn_layers(student, rng, shape, momentum=None):
    features = int(np.prod(shape[1:]))
    gamma, beta = rng.uniform(0.5, 2.0, features), rng.standard_normal(features)
    kwargs = {} if momentum is None else {"momentum": momentum}
    return (normalization.BatchNormalization(gamma.copy(), beta.copy(), **kwargs),
            student.normalization.BatchNormalization(gamma.copy(), beta.copy(), **kwargs))


@pytest.mark.parametrize("case", ["2d", "4d"])
def test_batchnorm_forward_in_training(student, rng, case):
    shape = _bn_shape(rng, case)
    ours, theirs = _bn_layers(student, rng, shape)
    x = _bn_batch(rng, shape)
    expect_array(theirs.forward(x, train_flg=True), ours.forward(x.copy(), train_flg=True),
                 _("BatchNormalization.forward on a {dimensions}-D batch in training").format(dimensions=len(shape)),
                 rtol=1e-6, hint=BN_AXIS_HINT)


@pytest.mark.parametrize("settings", ["default", "custom"])
def test_batchnorm_running_statistics(student, rng, settings):
    shape = _bn_shape(rng, "2d")
    momentum = round(float(rng.uniform(0.5, 0.95)), 3) if settings == "custom" else None
    ours, theirs = _bn_layers(student, rng, shape, momentum)
    for batch in range(1, 4):
        x = _bn_batch(rng, shape)
        ours.forward(x.copy(), train_flg=True)
        theirs.forward(x, train_flg=True)
        for name in ("running_mean", "running_var"):
            expect_array(theirs.attr(name), getattr(ours, name),
                         (_("BatchNormalization(default momentum): {name} after training batch {batch}")
                          if settings == "default" else
                          _("BatchNormalization(custom momentum): {name} after training batch {batch}")).format(
                             name=name, batch=batch), rtol=1e-9,
                         hint=RUNNING_HINT)


def test_batchnorm_test_mode(student, rng):
    # Training batches first, then test-mode calls: each must normalise with the running statistics and
    # leave them as they were (fetched back after the calls).
    shape = _bn_shape(rng, "2d")
    ours, theirs = _bn_layers(student, rng, shape, round(float(rng.uniform(0.5, 0.95)), 3))
    for _batch_number in range(2):
        x = _bn_batch(rng, shape)
        ours.forward(x.copy(), train_flg=True)
        theirs.forward(x, train_flg=True)
    for call in (1, 2):
        x = _bn_batch(rng, (int(rng.integers(1, 6)), shape[1]))
        expect_array(theirs.forward(x, train_flg=False), ours.forward(x.copy(), train_flg=False),
                     _("BatchNormalization.forward in test mode, call {call}").format(call=call), rtol=1e-6,
                     hint=TEST_MODE_HINT)
        for name in ("running_mean", "running_var"):
            expect_array(theirs.attr(name), getattr(ours, name),
                         _("{name} after test-mode call {call}").format(name=name, call=call), rtol=1e-12,
                         hint=TEST_MODE_HINT)


@pytest.mark.parametrize("case", ["2d", "4d"])
def test_batchnorm_backward(student, rng, credit, case):
    shape = _bn_shape(rng, case)
    ours, theirs = _bn_layers(student, rng, shape)
    x, dout = _bn_batch(rng, shape), rng.standard_normal(shape)
    theirs.forward(x, train_flg=True)
    ours.forward(x.copy(), train_flg=True)
    dx, expected_dx = theirs.backward(dout), ours.backward(dout.copy())
    gamma, beta = ours.gamma.copy(), ours.beta.copy()
    what = _("BatchNormalization.backward on a {dimensions}-D batch").format(dimensions=len(shape))

    def numerical(wrt):
        loss = lambda: float(np.sum(normalization.BatchNormalization(gamma, beta).forward(x, train_flg=True) * dout))
        return reference_gradient(loss, wrt)

    def check(name, value, expected, wrt):
        expect_array(value, expected, part_of(what, name), rtol=1e-6, hint=BN_BACKWARD_HINT)
        expect_gradient(value, numerical(wrt), numerically(part_of(what, name)))
    credit.run([lambda: check("dx", dx, expected_dx, x),
                lambda: check("dgamma", theirs.attr("dgamma"), ours.dgamma, gamma),
                lambda: check("dbeta", theirs.attr("dbeta"), ours.dbeta, beta)])


# --- Dropout -----------------------------------------------------------------------------------------------

def _dropout_layers(student, rng, settings):
    """(reference, student's) Dropout on generators of one seed: the masks they draw are the same."""
    seed = _seed(rng)
    ratio = round(float(rng.uniform(0.1, 0.8)), 3)
    args = (ratio,) if settings == "custom" else ()
    return (dropout.Dropout(*args, rng=np.random.default_rng(seed)),
            student.dropout.Dropout(*args, rng=SeededGenerator(seed)))


def _activations(rng):
    return rng.standard_normal((int(rng.integers(3, 8)), int(rng.integers(4, 10)))) + 0.1


@pytest.mark.parametrize("settings", ["default", "custom"])
def test_dropout_forward_in_training(student, rng, settings):
    # Two forwards: a fresh mask each, drawn from the layer's generator.
    ours, theirs = _dropout_layers(student, rng, settings)
    for call in (1, 2):
        x = _activations(rng)
        expect_array(theirs.forward(x, train_flg=True), ours.forward(x.copy(), train_flg=True),
                     (_("Dropout (default ratio).forward in training, call {call}") if settings == "default" else
                      _("Dropout (custom ratio).forward in training, call {call}")).format(call=call),
                     rtol=0, atol=0, hint=MASK_HINT)


def test_dropout_backward(student, rng):
    ours, theirs = _dropout_layers(student, rng, "custom")
    x = _activations(rng)
    ours.forward(x.copy(), train_flg=True)
    theirs.forward(x, train_flg=True)
    dout = rng.standard_normal(x.shape)
    expect_array(theirs.backward(dout), ours.backward(dout.copy()), _("Dropout.backward after a training forward"),
                 rtol=0, atol=0, hint=_("dout where the last training forward's mask kept a unit, 0 where it dropped it"))


@pytest.mark.parametrize("settings", ["default", "custom"])
def test_dropout_test_mode(student, rng, settings):
    ours, theirs = _dropout_layers(student, rng, settings)
    for call in (1, 2):
        x = _activations(rng)
        expect_array(theirs.forward(x, train_flg=False), ours.forward(x.copy(), train_flg=False),
                     (_("Dropout (default ratio).forward in test mode, call {call}") if settings == "default" else
                      _("Dropout (custom ratio).forward in test mode, call {call}")).format(call=call), rtol=1e-12,
                     hint=DROPOUT_TEST_HINT)


# --- MultiLayerNet ------------------------------------------------------------------------------------------

HIDDEN_LAYERS = 3


def _sizes(rng):
    # A fixed depth: a test paying per parameter (credit.run) then pays the same share for the same mistake.
    hidden = [int(size) for size in rng.integers(3, 8, HIDDEN_LAYERS)]
    return int(rng.integers(3, 7)), hidden, int(rng.integers(2, 5))


def _nets(student, rng, **options):
    """The reference and the student's MultiLayerNet of random sizes with the same seeded parameters (set by
    the test, in place: the layers hold them), and the sizes."""
    sizes = _sizes(rng)
    seed = _seed(rng)
    reference = multi_layer_net.MultiLayerNet(*sizes, rng=np.random.default_rng(seed), **options)
    net = student.multi_layer_net.MultiLayerNet(*sizes, rng=SeededGenerator(seed), **options)
    for name, param in reference.params.items():
        if name.startswith("gamma"):
            param[...] = rng.uniform(0.5, 2.0, param.shape)
        else:
            param[...] = rng.standard_normal(param.shape) * 0.7
        net.setitem(("params",), name, param)
    return reference, net, sizes


def _batch(rng, sizes, n=6):
    return rng.standard_normal((n, sizes[0])), rng.integers(0, sizes[-1], n)


def _decay(rng, kind):
    return round(float(rng.uniform(0.05, 0.5)), 3) if kind == "decay" else 0.0


@pytest.mark.uses("layers.Affine", "layers.Relu", "activations.sigmoid")
@pytest.mark.parametrize("activation", ["relu", "sigmoid"])
def test_multi_layer_net_predict(student, rng, activation):
    reference, net, sizes = _nets(student, rng, activation=activation)
    x, _labels = _batch(rng, sizes, 7)
    expect_array(net.predict(x), reference.predict(x.copy()),
                 _("MultiLayerNet.predict ({activation}, {layers} hidden layers)").format(
                     activation=activation, layers=len(sizes[1])), rtol=1e-6, hint=NET_HINT)


@pytest.mark.uses(*NET_USES)
@pytest.mark.parametrize("kind", ["plain", "decay"])
def test_multi_layer_net_loss(student, rng, kind):
    reference, net, sizes = _nets(student, rng, activation="sigmoid", weight_decay_lambda=_decay(rng, kind))
    x, t = _batch(rng, sizes)
    expect_scalar(net.loss(x, t), reference.loss(x.copy(), t), _with_decay("MultiLayerNet.loss", kind), rtol=LOSS_RTOL,
                  hint=NET_HINT)


# A deep net's loss can be sharply curved (BatchNorm's above all: a feature's variance over 6 samples can be
# small), and central differences' error grows with step squared: with the usual 1e-4 the reference itself
# was off by up to 4.8e-5 relative, beyond the check's 1e-5 on 9 of 2,400 draws of these tests' nets; with 1e-5,
# by at most 3.1e-7 over 2,400 draws.
NET_DIFFERENCE_STEP = 1e-5


def _expect_gradients(credit, grads, reference, x, t, what, numerical=True):
    expected = reference.gradient(x.copy(), t)

    def check(name):
        expect_array(grads[name], expected[name], part_of(what, name), rtol=1e-6, hint=NET_GRADIENT_HINT)
        if numerical:
            loss = lambda: (exact_softmax_loss(reference.predict(x, train_flg=True), t) + 0.5
                            * reference.weight_decay_lambda * sum(np.sum(reference.params[key] ** 2)
                                                                  for key in reference.params if key.startswith("W")))
            expect_gradient(grads[name], reference_gradient(loss, reference.params[name], NET_DIFFERENCE_STEP),
                            numerically(part_of(what, name)))
    # A bias right before BatchNorm has a zero gradient (the batch mean takes it out again): zeros there earn
    # nothing on their own, they are checked before any credit is paid.
    vanishing = [name for name in expected if np.allclose(expected[name], 0, rtol=0, atol=1e-12)]
    for name in vanishing:
        check(name)
    credit.run([lambda name=name: check(name) for name in expected if name not in vanishing])


@pytest.mark.uses(*NET_USES)
@pytest.mark.parametrize("kind", ["plain", "decay"])
def test_multi_layer_net_gradient(student, rng, credit, kind):
    # Sigmoid: no kink for the central differences to straddle.
    reference, net, sizes = _nets(student, rng, activation="sigmoid", weight_decay_lambda=_decay(rng, kind))
    x, t = _batch(rng, sizes)
    what = _with_decay("MultiLayerNet.gradient", kind)
    _expect_gradients(credit, param_arrays(net.gradient(x, t), reference.params, what), reference, x, t, what)


@pytest.mark.uses(*NET_USES, "normalization.BatchNormalization")
def test_multi_layer_net_batchnorm_gradient(student, rng, credit):
    reference, net, sizes = _nets(student, rng, activation="sigmoid", use_batchnorm=True)
    x, t = _batch(rng, sizes)
    what = _("MultiLayerNet.gradient with use_batchnorm=True")
    _expect_gradients(credit, param_arrays(net.gradient(x, t), reference.params, what), reference, x, t, what)


@pytest.mark.uses(*NET_USES, "normalization.BatchNormalization")
def test_multi_layer_net_batchnorm_test_mode(student, rng):
    # Two training passes move the running statistics; predict in test mode must then use them.
    # Sigmoid here and below: a ReLU layer that is 0 for every sample would hide which mode a later layer ran in.
    reference, net, sizes = _nets(student, rng, activation="sigmoid", use_batchnorm=True)
    for _batch_number in range(2):
        x, t = _batch(rng, sizes)
        net.loss(x, t, train_flg=True)
        reference.loss(x.copy(), t, train_flg=True)
    x, _labels = _batch(rng, sizes, 3)
    expect_array(net.predict(x), reference.predict(x.copy()),
                 _("MultiLayerNet.predict after training, with use_batchnorm=True (test mode)"), rtol=1e-6,
                 hint=_("predict(x) defaults to train_flg=False: pass it on to every BatchNorm layer"))


class _GivenMask(dropout.Dropout):
    """The reference Dropout with the mask the student's layer drew in its last training forward."""

    def __init__(self, mask):
        super().__init__()
        self.given = mask

    def forward(self, x, train_flg=True):
        if train_flg:
            self.mask = self.given
            return x * self.mask
        return super().forward(x, train_flg)


@pytest.mark.uses(*NET_USES, "dropout.Dropout")
def test_multi_layer_net_dropout_gradient(student, rng, credit):
    reference, net, sizes = _nets(student, rng, activation="sigmoid", use_dropout=True,
                                  dropout_ratio=round(float(rng.uniform(0.2, 0.6)), 3))
    x, t = _batch(rng, sizes)
    what = _("MultiLayerNet.gradient with use_dropout=True")
    grads = param_arrays(net.gradient(x, t), reference.params, what)
    for index, width in enumerate(sizes[1], start=1):
        mask = as_array(net.attr("layers", f"Dropout{index}", "mask"),
                        part_of(what, _("layer {layer}'s mask").format(layer=f"Dropout{index}")),
                        (len(x), width), hint=_("gradient's forward pass runs in training mode: the loss with "
                                                "train_flg=True, which predict passes on to every Dropout layer"))
        reference.layers[f"Dropout{index}"] = _GivenMask(mask)
    _expect_gradients(credit, grads, reference, x, t, what, numerical=False)


@pytest.mark.uses(*PREDICT_USES, "dropout.Dropout")
def test_multi_layer_net_dropout_test_mode(student, rng):
    reference, net, sizes = _nets(student, rng, activation="sigmoid", use_dropout=True,
                                  dropout_ratio=round(float(rng.uniform(0.2, 0.6)), 3))
    x, _labels = _batch(rng, sizes)
    expect_array(net.predict(x), reference.predict(x.copy()), _("MultiLayerNet.predict with use_dropout=True (test mode)"),
                 rtol=1e-6, hint=_("predict(x) defaults to train_flg=False: pass it on to every Dropout layer"))
