# Stage 4 (Backpropagation): generated from the course's reference solutions.
# Your work goes in the function bodies that raise NotImplementedError; keep the names and
# signatures, the grader calls them.
"""Stage 4: multiplication and addition nodes of a computation graph (Deep Learning from Scratch, ch. 5)."""


class MulLayer:
    """z = x * y; backward sends dz * y to x and dz * x to y. Works on scalars and same-shape arrays."""

    def __init__(self):
        self.x = None
        self.y = None

    def forward(self, x, y):
        """Cache the inputs and return x * y."""
        raise NotImplementedError("Stage 4: implement MulLayer.forward")

    def backward(self, dout):
        """dout: upstream gradient dL/dz -> (dL/dx, dL/dy)."""
        raise NotImplementedError("Stage 4: implement MulLayer.backward")


class AddLayer:
    """z = x + y; backward passes dz unchanged to both inputs."""

    def forward(self, x, y):
        """Return x + y."""
        raise NotImplementedError("Stage 4: implement AddLayer.forward")

    def backward(self, dout):
        """dout: upstream gradient dL/dz -> (dL/dx, dL/dy)."""
        raise NotImplementedError("Stage 4: implement AddLayer.backward")


def buy_apple_orange(apple=100, apple_num=2, orange=150, orange_num=3, tax=1.1):
    """The book's shopping graph: price = (apple * apple_num + orange * orange_num) * tax.

    -> (price, grads) where grads maps each input name to d price / d input
    (the book's numbers: price 715, apple 2.2, apple_num 110, orange 3.3, orange_num 165, tax 650).
    """
    mul_apple, mul_orange, add_fruit, mul_tax = MulLayer(), MulLayer(), AddLayer(), MulLayer()
    apple_price = mul_apple.forward(apple, apple_num)
    orange_price = mul_orange.forward(orange, orange_num)
    price = mul_tax.forward(add_fruit.forward(apple_price, orange_price), tax)

    dall_price, dtax = mul_tax.backward(1)
    dapple_price, dorange_price = add_fruit.backward(dall_price)
    dorange, dorange_num = mul_orange.backward(dorange_price)
    dapple, dapple_num = mul_apple.backward(dapple_price)
    grads = {"apple": dapple, "apple_num": dapple_num, "orange": dorange,
             "orange_num": dorange_num, "tax": dtax}
    return price, grads
