"""Public tests, stage 4: the book's apple and orange shopping graph."""
import pytest

from dlscratch.simple_layers import AddLayer, MulLayer, buy_apple_orange


@pytest.mark.points(1)
def test_mul_and_add_layers():
    mul, add = MulLayer(), AddLayer()
    assert mul.forward(100, 2) == 200
    assert mul.backward(1.5) == (3.0, 150.0)
    assert add.forward(3, 4) == 7
    assert add.backward(2.0) == (2.0, 2.0)


@pytest.mark.points(1)
def test_shopping_graph_gradients():
    price, grads = buy_apple_orange()
    assert price == pytest.approx(715)
    expected = {"apple": 2.2, "apple_num": 110, "orange": 3.3, "orange_num": 165, "tax": 650}
    assert grads == pytest.approx(expected)
