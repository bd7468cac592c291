"""Quick checks of functions later stages build on, so a failure can name an earlier stage's bug.

failure(name, student) -> None when the student's function agrees with the reference on a fixed input,
else the GradingFailure that says what is wrong.
"""
import numpy as np

from autograder.grading.checks import call_and_fetch, describe, expect_array, expect_scalar
from autograder.grading.errors import GradingFailure
from autograder.sandbox.worker.functions import FUNCTIONS, NamedFunction, SeededGenerator
from course.language import _
from solutions import activations, conv_layers, dropout, gradients, layers, losses, networks, normalization

SCORES = np.array([[1010.0, 1000.0, 990.0], [0.3, 2.9, 4.0]])
PROBABILITIES = activations.softmax(SCORES)
LABELS = np.array([0, 2])


def _softmax(student):
    expect_array(student.activations.softmax(SCORES.copy()), PROBABILITIES, "softmax", rtol=1e-6)


def _sigmoid(student):
    x = np.array([[-3.0, 0.0, 2.5]])
    expect_array(student.activations.sigmoid(x.copy()), activations.sigmoid(x), "sigmoid", rtol=1e-6)


def _relu(student):
    x = np.array([[-3.0, 0.0, 2.5]])
    expect_array(student.activations.relu(x.copy()), activations.relu(x), "relu")


def _cross_entropy_error(student):
    for t in (LABELS, np.eye(3)[LABELS]):
        expect_scalar(student.losses.cross_entropy_error(PROBABILITIES.copy(), t),
                      losses.cross_entropy_error(PROBABILITIES, t), "cross_entropy_error", rtol=1e-6)


GRADIENT_X = np.array([[0.5, -1.2, 2.0], [-0.3, 0.9, 1.7]])


def _numerical_gradient(student):
    """The gradient of sin_sum, and x as it was after the call (gradient descent and the networks reuse it)."""
    value, (_function, x_after) = call_and_fetch(student, student.gradients.numerical_gradient, NamedFunction("sin_sum"),
                                         GRADIENT_X.copy())
    expect_array(value, gradients.numerical_gradient(FUNCTIONS["sin_sum"], GRADIENT_X.copy()), "numerical_gradient",
                 rtol=1e-6)
    expect_array(x_after, GRADIENT_X, _("numerical_gradient: x after the call"), rtol=1e-12, atol=0)


# Stage 4: fixed (seeded) inputs for the layers and the layered network, batches of several rows so that
# a gradient not divided by the batch size shows.
_STAGE4 = np.random.default_rng(4)
LAYER_X, LAYER_DOUT = _STAGE4.standard_normal((4, 3)), _STAGE4.standard_normal((4, 2))
LAYER_W, LAYER_B = _STAGE4.standard_normal((3, 2)), _STAGE4.standard_normal(2)
LAYER_SCORES, LAYER_LABELS = _STAGE4.standard_normal((4, 3)), np.array([0, 2, 1, 2])
NET_PARAMS = {"W1": _STAGE4.standard_normal((3, 4)), "b1": _STAGE4.standard_normal(4),
              "W2": _STAGE4.standard_normal((4, 2)), "b2": _STAGE4.standard_normal(2)}
NET_LABELS = np.array([0, 1, 1, 0])


def _relu_layer(student):
    ours, theirs = layers.Relu(), student.layers.Relu()
    expect_array(theirs.forward(LAYER_X.copy()), ours.forward(LAYER_X), "Relu.forward")
    expect_array(theirs.backward(LAYER_X.copy()), ours.backward(LAYER_X), "Relu.backward")


def _affine_layer(student):
    ours, theirs = layers.Affine(LAYER_W, LAYER_B), student.layers.Affine(LAYER_W.copy(), LAYER_B.copy())
    expect_array(theirs.forward(LAYER_X.copy()), ours.forward(LAYER_X), "Affine.forward")
    expect_array(theirs.backward(LAYER_DOUT.copy()), ours.backward(LAYER_DOUT), "Affine.backward: dx")
    expect_array(theirs.attr("dW"), ours.dW, "Affine.backward: dW")
    expect_array(theirs.attr("db"), ours.db, "Affine.backward: db")


def _affine_without_input_grad(student):
    """TwoLayerNet's first Affine layer (needs_input_grad = False): dW and db, and no dx."""
    net = student.networks.TwoLayerNet(3, 4, 2)
    theirs, ours = net.sub("layers", "Affine1"), layers.Affine(NET_PARAMS["W1"], NET_PARAMS["b1"])
    for name in ("W1", "b1"):
        net.setitem(("params",), name, NET_PARAMS[name])
    dout = LAYER_DOUT @ NET_PARAMS["W2"].T
    theirs.forward(LAYER_X.copy())
    ours.forward(LAYER_X)
    dx = theirs.backward(dout.copy())
    ours.backward(dout)
    for name in ("dW", "db"):
        expect_array(theirs.attr(name), getattr(ours, name),
                     _("Affine.backward with needs_input_grad = False: {name}").format(name=name))
    if dx is not None:
        raise GradingFailure(_("Affine.backward with needs_input_grad = False returned {value}, not None").format(
            value=describe(dx)))


def _softmax_with_loss_layer(student):
    ours, theirs = layers.SoftmaxWithLoss(), student.layers.SoftmaxWithLoss()
    expect_scalar(theirs.forward(LAYER_SCORES.copy(), LAYER_LABELS), ours.forward(LAYER_SCORES, LAYER_LABELS),
                  "SoftmaxWithLoss.forward", rtol=1e-6)
    expect_array(theirs.backward(1), ours.backward(1), "SoftmaxWithLoss.backward", rtol=1e-6)


def _two_layer_net_gradient(student):
    reference, net = networks.TwoLayerNet(3, 4, 2), student.networks.TwoLayerNet(3, 4, 2)
    for name, param in NET_PARAMS.items():
        reference.params[name][...] = param
        net.setitem(("params",), name, param)
    grads, expected = net.gradient(LAYER_X.copy(), NET_LABELS), reference.gradient(LAYER_X, NET_LABELS)
    for name in expected:
        expect_array(grads.get(name) if isinstance(grads, dict) else None, expected[name],
                     f"TwoLayerNet.gradient: {name}", rtol=1e-6)


# Stage 6: the layers MultiLayerNet builds on, on seeded inputs whose features differ in mean and spread.
_STAGE6 = np.random.default_rng(6)
BN_X = _STAGE6.standard_normal((5, 3)) * [1.0, 2.0, 0.5] + [0.5, -1.0, 2.0]
BN_TEST_X, BN_DOUT = _STAGE6.standard_normal((2, 3)), _STAGE6.standard_normal((5, 3))
BN_GAMMA, BN_BETA = _STAGE6.uniform(0.5, 2.0, 3), _STAGE6.standard_normal(3)
DROPOUT_SEED, DROPOUT_RATIO = 66, 0.4


def _batchnorm_layer(student):
    ours = normalization.BatchNormalization(BN_GAMMA.copy(), BN_BETA.copy())
    theirs = student.normalization.BatchNormalization(BN_GAMMA.copy(), BN_BETA.copy())
    expect_array(theirs.forward(BN_X.copy(), train_flg=True), ours.forward(BN_X.copy(), train_flg=True),
                 _("BatchNormalization.forward in training"), rtol=1e-6)
    expect_array(theirs.backward(BN_DOUT.copy()), ours.backward(BN_DOUT.copy()), "BatchNormalization.backward",
                 rtol=1e-6)
    expect_array(theirs.attr("dgamma"), ours.dgamma, "BatchNormalization.backward: dgamma", rtol=1e-6)
    expect_array(theirs.attr("dbeta"), ours.dbeta, "BatchNormalization.backward: dbeta", rtol=1e-6)
    expect_array(theirs.forward(BN_TEST_X.copy(), train_flg=False), ours.forward(BN_TEST_X.copy(), train_flg=False),
                 _("BatchNormalization.forward in test mode"), rtol=1e-6)
    expect_array(theirs.attr("running_mean"), ours.running_mean, "BatchNormalization: running_mean", rtol=1e-9)


def _dropout_layer(student):
    ours = dropout.Dropout(DROPOUT_RATIO, rng=np.random.default_rng(DROPOUT_SEED))
    theirs = student.dropout.Dropout(DROPOUT_RATIO, rng=SeededGenerator(DROPOUT_SEED))
    expect_array(theirs.forward(BN_X.copy(), train_flg=True), ours.forward(BN_X.copy(), train_flg=True),
                 _("Dropout.forward in training"), rtol=0, atol=0)
    expect_array(theirs.backward(BN_DOUT.copy()), ours.backward(BN_DOUT.copy()), "Dropout.backward", rtol=0, atol=0)
    expect_array(theirs.forward(BN_X.copy(), train_flg=False), ours.forward(BN_X.copy(), train_flg=False),
                 _("Dropout.forward in test mode"), rtol=1e-12)


# Stage 7: overlapping patches with padding and a stride, several channels, a non-square filter; pooling
# input without ties.
_STAGE7 = np.random.default_rng(7)
CONV_X, CONV_W, CONV_B = _STAGE7.standard_normal((2, 2, 5, 6)), _STAGE7.standard_normal((3, 2, 3, 2)), np.ones(3)
CONV_STRIDE, CONV_PAD = 2, 1
POOL_X = _STAGE7.permutation(2 * 2 * 5 * 6).reshape(2, 2, 5, 6) * 0.1
# The patches of CONV_X under CONV_W: 2 samples x 3 x 4 positions, 2 channels x 3 x 2 entries each.
COL = _STAGE7.standard_normal((2 * 3 * 4, 2 * 3 * 2))


def _col2im(student):
    expect_array(student.conv_layers.col2im(COL.copy(), CONV_X.shape, 3, 2, CONV_STRIDE, CONV_PAD),
                 conv_layers.col2im(COL, CONV_X.shape, 3, 2, CONV_STRIDE, CONV_PAD), "col2im")


def _convolution_layer(student):
    ours = conv_layers.Convolution(CONV_W, CONV_B, CONV_STRIDE, CONV_PAD)
    theirs = student.conv_layers.Convolution(CONV_W.copy(), CONV_B.copy(), CONV_STRIDE, CONV_PAD)
    out = ours.forward(CONV_X)
    expect_array(theirs.forward(CONV_X.copy()), out, "Convolution.forward")
    dout = np.arange(out.size, dtype=np.float64).reshape(out.shape) / out.size
    expect_array(theirs.backward(dout.copy()), ours.backward(dout), "Convolution.backward: dx")
    expect_array(theirs.attr("dW"), ours.dW, "Convolution.backward: dW")
    expect_array(theirs.attr("db"), ours.db, "Convolution.backward: db")


def _pooling_layer(student):
    ours, theirs = conv_layers.Pooling(2, 2, 2), student.conv_layers.Pooling(2, 2, 2)
    out = ours.forward(POOL_X)
    expect_array(theirs.forward(POOL_X.copy()), out, "Pooling.forward")
    dout = np.arange(out.size, dtype=np.float64).reshape(out.shape) / out.size
    expect_array(theirs.backward(dout.copy()), ours.backward(dout), "Pooling.backward")


PROBES = {
    "activations.softmax": _softmax,
    "activations.sigmoid": _sigmoid,
    "activations.relu": _relu,
    "losses.cross_entropy_error": _cross_entropy_error,
    "gradients.numerical_gradient": _numerical_gradient,
    "layers.Affine.needs_input_grad": _affine_without_input_grad,
    "layers.Relu": _relu_layer,
    "layers.Affine": _affine_layer,
    "layers.SoftmaxWithLoss": _softmax_with_loss_layer,
    "networks.TwoLayerNet.gradient": _two_layer_net_gradient,
    "normalization.BatchNormalization": _batchnorm_layer,
    "dropout.Dropout": _dropout_layer,
    "conv_layers.col2im": _col2im,
    "conv_layers.Convolution": _convolution_layer,
    "conv_layers.Pooling": _pooling_layer,
}


# Plain array functions: a later test's failure can be carried forward from them (grading/carry.py), the
# reference then calling the student's own function in their place, through the adapter named here (one of
# sandbox/worker/adapters.py's) if any: a cross-entropy written for one-hot targets only gets labels as
# one-hot rows, so what uses it is judged on its own work.
SUBSTITUTABLE = {"activations.softmax": None, "activations.sigmoid": None, "activations.relu": None,
                 "losses.cross_entropy_error": "labels_as_one_hot", "conv_layers.col2im": None}


def failure(name, student):
    """None if the student's `name` passes its probe (or has none), else the GradingFailure saying what is wrong."""
    probe = PROBES.get(name)
    if probe is None:
        return None
    try:
        probe(student)
    except GradingFailure as failure:
        return failure
    return None
