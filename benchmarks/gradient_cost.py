"""The book's lesson, measured: numerical gradients against backprop for the same two-layer net.

    python benchmarks/gradient_cost.py

1. Measured in full: network.gradient (backprop) and network.numerical_gradient (central differences, two
   loss evaluations per parameter) on a 784-50-10 net with a batch of 10, the book's ch. 4 shapes:
   39,760 parameters, 79,520 loss evaluations, about 10 s.
2. Extrapolated, and labelled so: the 784-100-10 net with a batch of 100 of benchmarks/epoch_time.py,
   where the full numerical gradient would take minutes. One loss evaluation is timed (best of 50) and
   multiplied by 2 x the parameter count; the measured case above shows how close such an estimate is.
"""
import numpy as np

from solutions.networks import TwoLayerNet
from timing import best_of


def setup(hidden, batch):
    """A seeded 784-hidden-10 net and a random batch -> (network, x (batch, 784), t (batch,))."""
    np.random.seed(0)
    rng = np.random.default_rng(0)
    return TwoLayerNet(784, hidden, 10), rng.random((batch, 784)), rng.integers(0, 10, batch)


def measured(hidden=50, batch=10):
    """Time both gradients in full; print them, the ratio, the estimate and the largest difference."""
    network, x, t = setup(hidden, batch)
    backprop, _, grads = best_of(20, lambda: network.gradient(x, t))
    numerical, _, numerical_grads = best_of(1, lambda: network.numerical_gradient(x, t))
    evaluations = 2 * sum(param.size for param in network.params.values())
    estimate = evaluations * best_of(50, lambda: network.loss(x, t))[0]
    error = max(np.max(np.abs(grads[key] - numerical_grads[key])) for key in grads)
    print(f"measured, 784-{hidden}-10 net, batch {batch}, {evaluations // 2} parameters:")
    print(f"  backprop {backprop * 1e3:.3f} ms; numerical {numerical:.2f} s ({evaluations} loss evaluations; "
          f"the per-evaluation estimate says {estimate:.2f} s)")
    print(f"  ratio numerical / backprop: {numerical / backprop:,.0f}x; largest absolute difference {error:.1e}")


def extrapolated(hidden=100, batch=100):
    """Time backprop and one loss evaluation; print the numerical gradient's estimated time and ratio."""
    network, x, t = setup(hidden, batch)
    backprop = best_of(20, lambda: network.gradient(x, t))[0]
    evaluations = 2 * sum(param.size for param in network.params.values())
    numerical = evaluations * best_of(50, lambda: network.loss(x, t))[0]
    print(f"extrapolated, 784-{hidden}-10 net, batch {batch}, {evaluations // 2} parameters:")
    print(f"  backprop {backprop * 1e3:.3f} ms; numerical about {numerical:.0f} s "
          f"({evaluations} loss evaluations x one timed evaluation)")
    print(f"  ratio numerical / backprop: about {numerical / backprop:,.0f}x")


if __name__ == "__main__":
    measured()
    extrapolated()
