"""Public tests, stage 6: the scale of a layer's initial weights."""
import numpy as np
import pytest

from course.language import _
from course_feedback.checks import expect_scalar
from dlscratch.weight_init import init_scale


@pytest.mark.points(1)
def test_init_scale():
    for name, expected in (("he", np.sqrt(2 / 50)), ("relu", np.sqrt(2 / 50)), ("xavier", np.sqrt(1 / 50)),
                           ("sigmoid", np.sqrt(1 / 50)), (0.01, 0.01)):
        expect_scalar(init_scale(name, 50), expected, f"init_scale({name!r}, 50)",
                      hint=_("He: sqrt(2 / fan_in) for ReLU; Xavier: sqrt(1 / fan_in) for sigmoid; a number is the "
                             "std itself"))
