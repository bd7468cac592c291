"""Hypothesis strategies shared by the solution tests."""
import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

finite = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False, allow_infinity=False)
moderate = st.floats(min_value=-5.0, max_value=5.0, allow_nan=False, allow_infinity=False)


def float_arrays(shape=array_shapes(min_dims=1, max_dims=4, max_side=5), elements=finite):
    """float64 arrays of the given shape strategy."""
    return arrays(np.float64, shape, elements=elements)


@st.composite
def affine_problems(draw):
    """(x of shape (N, d_1, ..., d_k), W (D, M), b (M,), dout (N, M)) with moderate values."""
    n = draw(st.integers(1, 4))
    feature_shape = draw(array_shapes(min_dims=1, max_dims=3, max_side=3))
    m = draw(st.integers(1, 4))
    d = int(np.prod(feature_shape))
    x = draw(float_arrays(st.just((n, *feature_shape)), moderate))
    W = draw(float_arrays(st.just((d, m)), moderate))
    b = draw(float_arrays(st.just((m,)), moderate))
    dout = draw(float_arrays(st.just((n, m)), moderate))
    return x, W, b, dout


def assert_gradients_close(analytic, numerical, rtol=1e-6, atol=1e-8):
    """Backprop vs central differences (h = 1e-4): relative `rtol`, absolute `atol` of the largest entry
    (at least of 1).

    The absolute part covers entries near zero, where rounding in the difference quotient dominates. A
    function with large third derivatives needs a larger rtol: the differences are off by about h^2 / 6
    times the third derivative.
    """
    assert analytic.shape == numerical.shape
    scale = max(1.0, float(np.max(np.abs(numerical), initial=0.0)))
    np.testing.assert_allclose(analytic, numerical, rtol=rtol, atol=atol * scale)


@st.composite
def distributions(draw, size, zeros=True):
    """A probability vector of length `size` (float64, sums to 1); with `zeros`, some entries exactly 0."""
    weights = draw(float_arrays(st.just((size,)), st.floats(0.0, 1.0) if zeros else st.floats(1e-3, 1.0)))
    if weights.sum() < 1e-3:
        weights[draw(st.integers(0, size - 1))] = 1.0
    return weights / weights.sum()


@st.composite
def distribution_pairs(draw, max_size=6):
    """(p, q) of one length: p may have exact zeros, q is strictly positive."""
    size = draw(st.integers(1, max_size))
    return draw(distributions(size)), draw(distributions(size, zeros=False))
