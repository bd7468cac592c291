"""Solutions, stage 3: entropy, cross-entropy and KL divergence, their identities and the book's loss."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from solutions import activations, losses
from solutions.entropy import cross_entropy, entropy, kl_divergence
from tests.strategies import distribution_pairs, float_arrays, moderate


@given(pair=distribution_pairs())
def test_cross_entropy_is_entropy_plus_kl(pair):
    p, q = pair
    assert cross_entropy(p, q) == pytest.approx(entropy(p) + kl_divergence(p, q), rel=1e-12, abs=1e-12)


@given(pair=distribution_pairs())
def test_kl_is_never_negative_and_zero_against_itself(pair):
    p, q = pair
    assert kl_divergence(p, q) >= -1e-15
    assert kl_divergence(p, p) == pytest.approx(0.0, abs=1e-15)
    assert entropy(p) <= cross_entropy(p, q) + 1e-12


@given(pair=distribution_pairs())
def test_entropy_lies_between_zero_and_log_k(pair):
    p, _ = pair
    assert -1e-15 <= entropy(p) <= np.log(len(p)) + 1e-12


@given(scores=float_arrays(st.tuples(st.integers(1, 5), st.integers(2, 6)), moderate), data=st.data())
def test_with_one_hot_p_cross_entropy_is_the_book_s_loss(scores, data):
    q = activations.softmax(scores)
    labels = np.array(data.draw(st.lists(st.integers(0, q.shape[1] - 1), min_size=len(q), max_size=len(q))))
    p = np.eye(q.shape[1])[labels]
    per_row = cross_entropy(p, q)
    assert per_row.shape == (len(q),)
    np.testing.assert_allclose(per_row, kl_divergence(p, q), rtol=1e-12)
    np.testing.assert_array_equal(entropy(p), 0.0)
    # cross_entropy_error adds 1e-7 inside the log: at most 1e-7 / q per row apart.
    assert losses.cross_entropy_error(q, labels) == pytest.approx(per_row.mean(), abs=1e-7 / q.min())


def test_known_values_in_nats():
    fair, certain = np.array([0.5, 0.5]), np.array([0.0, 1.0])
    assert entropy(fair) == pytest.approx(np.log(2), rel=1e-15)
    assert isinstance(entropy(fair), float) and entropy(certain) == 0.0
    # 0.5 log(0.5 / 0.25) + 0.5 log(0.5 / 0.75)
    assert kl_divergence(fair, np.array([0.25, 0.75])) == pytest.approx(0.5 * np.log(4 / 3), rel=1e-14)
    assert cross_entropy(np.array([1.0, 0.0]), np.array([0.5, 0.0])) == pytest.approx(np.log(2))
    assert cross_entropy(np.array([0.5, 0.5]), np.array([1.0, 0.0])) == np.inf
