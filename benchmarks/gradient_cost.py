"""The book's lesson, measured: numerical gradients against backprop for the same two-layer net.

    python benchmarks/gradient_cost.py

Times network.gradient (backprop) and network.numerical_gradient (two forward passes per parameter) on
a 784-50-10 net with a batch of 10, the book's ch. 4 shapes. The numerical gradient is timed in full
(39,760 parameters, about 80,000 forward passes), not extrapolated.
"""
import numpy as np

from solutions.networks import TwoLayerNet
from timing import best_of


def main():
    np.random.seed(0)
    network = TwoLayerNet(784, 50, 10)
    rng = np.random.default_rng(0)
    x, t = rng.random((10, 784)), rng.integers(0, 10, 10)
    backprop, _, grads = best_of(20, lambda: network.gradient(x, t))
    numerical, _, numerical_grads = best_of(1, lambda: network.numerical_gradient(x, t))
    parameters = sum(param.size for param in network.params.values())
    error = max(np.max(np.abs(grads[key] - numerical_grads[key])) for key in grads)
    print(f"784-50-10 net, batch 10, {parameters} parameters")
    print(f"backprop gradient:  {backprop * 1e3:.3f} ms")
    print(f"numerical gradient: {numerical:.2f} s ({2 * parameters} forward passes)")
    print(f"ratio numerical / backprop: {numerical / backprop:,.0f}x; largest absolute difference {error:.1e}")


if __name__ == "__main__":
    main()
