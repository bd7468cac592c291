import hashlib
from importlib import resources

import numpy as np
import pytest

import dlscratch_data.digits as digits
from dlscratch_data import load_digits
from dlscratch_data.errors import DatasetCorrupt


def test_default_shapes_dtypes_and_range():
    (x_train, t_train), (x_test, t_test) = load_digits()
    assert x_train.shape == (1437, 64) and x_test.shape == (360, 64)
    assert x_train.dtype == np.float32 and t_train.dtype == np.int64 and t_train.shape == (1437,)
    assert x_train.min() == 0.0 and x_train.max() == 1.0
    assert set(np.unique(t_test)) <= set(range(10))


def test_unflattened_unnormalized_one_hot():
    (x_train, t_train), (x_test, t_test) = load_digits(normalize=False, flatten=False, one_hot_label=True)
    assert x_train.shape == (1437, 1, 8, 8) and x_test.shape == (360, 1, 8, 8)
    assert x_train.dtype == np.uint8 and x_train.max() == 16
    assert t_train.shape == (1437, 10) and t_train.dtype == np.float32
    np.testing.assert_array_equal(t_test.sum(axis=1), 1.0)


def test_normalized_is_pixels_over_16():
    (raw, _), _ = load_digits(normalize=False)
    (scaled, _), _ = load_digits()
    np.testing.assert_array_equal(scaled, raw.astype(np.float32) / 16)


def test_split_is_deterministic_and_depends_on_seed():
    first, second, other = load_digits(), load_digits(), load_digits(seed=1)
    np.testing.assert_array_equal(first[1][0], second[1][0])
    np.testing.assert_array_equal(first[0][1], second[0][1])
    assert not np.array_equal(first[1][0], other[1][0])


def test_split_partitions_all_1797_images():
    def all_rows(seed):
        (x_train, _), (x_test, _) = load_digits(normalize=False, seed=seed)
        rows = np.concatenate([x_train, x_test])
        return rows[np.lexsort(rows.T)]
    np.testing.assert_array_equal(all_rows(0), all_rows(1))


def test_class_counts_sum_to_1797():
    (_, t_train), (_, t_test) = load_digits()
    counts = np.bincount(t_train, minlength=10) + np.bincount(t_test, minlength=10)
    assert counts.sum() == 1797 and counts.min() > 150
    assert np.bincount(t_test, minlength=10).min() > 0


@pytest.mark.parametrize("ratio, n_test", [(0.2, 360), (0.1, 180), (0.5, 899)])
def test_test_ratio(ratio, n_test):
    _, (x_test, _) = load_digits(test_ratio=ratio)
    assert len(x_test) == n_test


@pytest.mark.parametrize("ratio", [0, 1, -0.1, 1.5])
def test_bad_test_ratio(ratio):
    with pytest.raises(ValueError, match="test_ratio"):
        load_digits(test_ratio=ratio)


def test_bundled_file_checksum():
    data = resources.files("dlscratch_data").joinpath("data", "digits.csv.gz").read_bytes()
    assert hashlib.sha256(data).hexdigest() == digits.DIGITS_SHA256
    readme = resources.files("dlscratch_data").joinpath("data", "README.md").read_text(encoding="utf-8")
    assert digits.DIGITS_SHA256 in readme and "CC BY 4.0" in readme


def test_tampered_bundle_is_refused(monkeypatch):
    monkeypatch.setattr(digits, "DIGITS_SHA256", "0" * 64)
    with pytest.raises(DatasetCorrupt, match=r"^digits\.csv\.gz: checksum mismatch expected 0{64}, got "):
        load_digits()
