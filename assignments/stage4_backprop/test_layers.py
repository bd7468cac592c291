"""Public tests, stage 4: layers' backward passes against numerical gradients."""
import numpy as np
import pytest

from course.language import _
from course_feedback.checks import expect_array, expect_gradient
from course_feedback.diagnoses import batch_scale_mistake
from course_feedback.failure import GradingFailure
from dlscratch.gradients import numerical_gradient
from dlscratch.layers import Affine, Relu, Sigmoid, SoftmaxWithLoss

rng = np.random.default_rng(0)


def numerical_input_gradient(forward, x, dout):
    """d sum(forward(x) * dout) / dx by central differences."""
    return numerical_gradient(lambda _: np.sum(forward(x) * dout), x)


@pytest.mark.points(1)
def test_relu_forward_backward_does_not_mutate():
    x = np.array([[1.0, -0.5], [-2.0, 3.0]])
    x_before = x.copy()
    layer = Relu()
    expect_array(layer.forward(x), [[1.0, 0.0], [0.0, 3.0]], _("Relu.forward on a (2, 2) input"))
    dout = np.ones_like(x)
    expect_array(layer.backward(dout), [[1.0, 0.0], [0.0, 1.0]], "Relu.backward",
                 hint=_("pass dout through where the input was positive, 0 elsewhere (the mask from forward)"))
    expect_array(x, x_before, _("x after Relu.forward"), rtol=0, atol=0, hint=_("work on a copy: out = x.copy()"))
    expect_array(dout, np.ones_like(x), _("dout after Relu.backward"), rtol=0, atol=0,
                 hint=_("work on a copy: dx = dout.copy()"))


@pytest.mark.points(1)
def test_sigmoid_backward_matches_numerical():
    x, dout = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    layer = Sigmoid()
    layer.forward(x)
    expect_gradient(layer.backward(dout), numerical_input_gradient(Sigmoid().forward, x, dout),
                    _("Sigmoid.backward on a (3, 4) batch"), hint=_("use the output y that forward kept: the derivative of the sigmoid is a function of y"))


@pytest.mark.points(2)
def test_affine_on_4d_input():
    x = rng.standard_normal((2, 3, 2, 2))
    W, b = rng.standard_normal((12, 5)), rng.standard_normal(5)
    dout = rng.standard_normal((2, 5))
    layer = Affine(W, b)
    expect_array(layer.forward(x), x.reshape(2, 12) @ W + b, _("Affine.forward on a (2, 3, 2, 2) input"), rtol=1e-12,
                 hint=_("flatten each sample first: x.reshape(x.shape[0], -1)"))
    dx = layer.backward(dout)
    expect_gradient(dx, numerical_input_gradient(Affine(W, b).forward, x, dout), "Affine.backward: dx",
                    hint=_("dx has the shape of the original input: reshape it back after the matrix product"))
    expect_gradient(layer.dW, numerical_gradient(lambda _: np.sum(Affine(W, b).forward(x) * dout), W),
                    "Affine.backward: dW", hint=_("dW needs the flattened input that forward kept"))
    expect_array(layer.db, dout.sum(axis=0), "Affine.backward: db", rtol=1e-12,
                 hint=_("db sums dout over the batch axis: np.sum(dout, axis=0)"))


@pytest.mark.points(2)
def test_softmax_with_loss_labels_and_one_hot():
    x = rng.standard_normal((4, 3))
    labels = np.array([0, 2, 1, 2])
    one_hot = np.eye(3)[labels]
    for t, kind in ((labels, "labels"), (one_hot, "one-hot")):
        layer = SoftmaxWithLoss()
        loss = layer.forward(x, t)
        if not isinstance(loss, float):
            raise GradingFailure(_("SoftmaxWithLoss.forward with {targets}: returned a {type}, expected a float")
                                 .format(targets=kind, type=type(loss).__name__))
        numerical = numerical_gradient(lambda _: SoftmaxWithLoss().forward(x, t), x)
        # Not 1e-7: the 1e-7 guard inside the log shifts the numerical gradient by about 1e-7 too.
        expect_gradient(layer.backward(1), numerical, _("SoftmaxWithLoss.backward with {targets}").format(targets=kind),
                        hint=_("the gradient is averaged over the batch, with labels turned into one-hot rows"),
                        diagnose=lambda dx: batch_scale_mistake(numerical, dx, len(x)))
