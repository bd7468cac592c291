"""Public tests, stage 4: the book's apple and orange shopping graph."""
import pytest

from course.language import _
from course_feedback.checks import expect_scalar
from course_feedback.failure import GradingFailure
from dlscratch.simple_layers import AddLayer, MulLayer, buy_apple_orange


def expect_pair(value, expected, what, hint):
    if not isinstance(value, tuple) or len(value) != 2:
        raise GradingFailure(_("{what}: expected the pair (dx, dy), got {value}").format(
            what=what, value=f"{value!r:.60}"), hint=hint)
    for name, got, want in zip(("dx", "dy"), value, expected):
        expect_scalar(got, want, f"{what}: {name}", hint=hint)


@pytest.mark.points(1)
def test_mul_and_add_layers():
    mul, add = MulLayer(), AddLayer()
    expect_scalar(mul.forward(100, 2), 200, "MulLayer.forward(100, 2)")
    expect_pair(mul.backward(1.5), (3.0, 150.0), _("MulLayer.backward(1.5) after forward(100, 2)"),
                hint=_("the multiply gate swaps its inputs: dx = dout * y, dy = dout * x"))
    expect_scalar(add.forward(3, 4), 7, "AddLayer.forward(3, 4)")
    expect_pair(add.backward(2.0), (2.0, 2.0), "AddLayer.backward(2.0)",
                hint=_("the add gate passes dout unchanged to both inputs"))


@pytest.mark.points(1)
def test_shopping_graph_gradients():
    result = buy_apple_orange()
    if not isinstance(result, tuple) or len(result) != 2 or not isinstance(result[1], dict):
        raise GradingFailure(_("buy_apple_orange: expected (price, grads) with grads a dict"))
    price, grads = result
    expect_scalar(price, 715, "buy_apple_orange: price", rtol=1e-9)
    expected = {"apple": 2.2, "apple_num": 110, "orange": 3.3, "orange_num": 165, "tax": 650}
    if set(grads) != set(expected):
        raise GradingFailure(_("buy_apple_orange: grads has keys {keys}, expected {expected}").format(
            keys=sorted(grads), expected=sorted(expected)))
    for name, value in expected.items():
        expect_scalar(grads[name], value, f"buy_apple_orange: d price / d {name}", rtol=1e-9,
                      hint=_("run backward through the graph in the reverse order of forward"))
