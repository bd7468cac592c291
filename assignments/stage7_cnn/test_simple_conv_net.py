"""Public tests, stage 7: SimpleConvNet's gradient against numerical gradients."""
import numpy as np
import pytest

from course.language import _
from course_feedback.checks import expect_gradient
from dlscratch.simple_conv_net import SimpleConvNet


@pytest.mark.points(2)
def test_gradient_matches_numerical():
    rng = np.random.default_rng(70)
    net = SimpleConvNet(input_dim=(2, 6, 5), conv_param={"filter_num": 3}, hidden_size=7, output_size=3,
                        weight_init_std=0.3, rng=rng)
    x, t = rng.standard_normal((4, 2, 6, 5)), rng.integers(0, 3, 4)
    grads, numerical = net.gradient(x, t), net.numerical_gradient(x, t)
    for name, expected in numerical.items():
        expect_gradient(grads.get(name) if isinstance(grads, dict) else grads, expected,
                        f"SimpleConvNet.gradient: {name}",
                        hint=_("backward through last_layer and every layer in reverse; Conv1's, Affine1's and "
                               "Affine2's dW and db"))
