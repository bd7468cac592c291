"""Public tests, stage 6: Dropout with a seeded generator, in training and test mode."""
import numpy as np
import pytest

from course.language import _
from course_feedback.checks import expect_array
from dlscratch.dropout import Dropout

X = np.arange(1.0, 13.0).reshape(3, 4)
MASK_HINT = _("draw the mask once per training forward: self.mask = self.rng.random(x.shape) > self.dropout_ratio")


@pytest.mark.points(1)
def test_dropout_training_forward_and_backward():
    layer = Dropout(0.3, np.random.default_rng(0))
    mask = np.random.default_rng(0).random(X.shape) > 0.3
    expect_array(layer.forward(X.copy(), train_flg=True), X * mask, _("Dropout(0.3).forward in training"),
                 rtol=0, atol=0, hint=MASK_HINT)
    dout = np.full(X.shape, 2.0)
    expect_array(layer.backward(dout), dout * mask, "Dropout.backward", rtol=0, atol=0,
                 hint=_("pass dout through where the mask kept the unit, 0 where it dropped it"))


@pytest.mark.points(1)
def test_dropout_test_mode_scales():
    layer = Dropout(0.3, np.random.default_rng(0))
    expect_array(layer.forward(X.copy(), train_flg=False), X * 0.7, _("Dropout(0.3).forward in test mode"),
                 rtol=1e-12, hint=_("test mode keeps every unit and scales by (1 - dropout_ratio), the book's convention"))
