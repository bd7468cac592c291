"""Public tests, stage 3: entropy, cross-entropy and KL divergence, known values and their identities."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from dlscratch.entropy import cross_entropy, entropy, kl_divergence
from dlscratch.losses import cross_entropy_error


@st.composite
def distribution_pairs(draw):
    """(p, q) of one length: p may hold exact zeros, q is strictly positive; both sum to 1."""
    size = draw(st.integers(1, 6))
    p = draw(arrays(np.float64, size, elements=st.floats(0.0, 1.0)))
    q = draw(arrays(np.float64, size, elements=st.floats(1e-3, 1.0)))
    p[int(np.argmax(p))] += 0.5
    return p / p.sum(), q / q.sum()


@pytest.mark.points(1)
def test_known_values_in_nats():
    fair, certain = np.array([0.5, 0.5]), np.array([0.0, 1.0])
    assert entropy(fair) == pytest.approx(np.log(2))
    assert entropy(certain) == 0.0 and isinstance(entropy(fair), float)
    assert kl_divergence(fair, np.array([0.25, 0.75])) == pytest.approx(0.5 * np.log(4 / 3))
    assert cross_entropy(fair, np.array([0.25, 0.75])) == pytest.approx(np.log(2) + 0.5 * np.log(4 / 3))
    batch = np.array([[0.5, 0.5], [1.0, 0.0]])
    np.testing.assert_allclose(entropy(batch), [np.log(2), 0.0])


@pytest.mark.points(2)
@given(pair=distribution_pairs())
def test_cross_entropy_is_entropy_plus_kl_and_kl_is_never_negative(pair):
    p, q = pair
    assert cross_entropy(p, q) == pytest.approx(entropy(p) + kl_divergence(p, q), rel=1e-9, abs=1e-12)
    assert kl_divergence(p, q) >= -1e-12
    assert kl_divergence(p, p) == pytest.approx(0.0, abs=1e-12)


@pytest.mark.points(1)
def test_with_a_one_hot_p_cross_entropy_is_cross_entropy_error():
    q = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])
    p = np.eye(10)[2]
    assert cross_entropy(p, q) == pytest.approx(-np.log(0.6))
    assert kl_divergence(p, q) == pytest.approx(cross_entropy(p, q))
    assert cross_entropy_error(q, p) == pytest.approx(cross_entropy(p, q), abs=1e-6)
