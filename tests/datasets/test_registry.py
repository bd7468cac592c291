import numpy as np
import pytest

from dlscratch_data import load_dataset, load_digits, load_mnist
from dlscratch_data.errors import DatasetCorrupt


def test_auto_falls_back_to_digits_without_mnist():
    name, ((x_train, _), (x_test, _)) = load_dataset()
    assert name == "digits" and x_train.shape == (1437, 64) and x_test.shape == (360, 64)


def test_auto_passes_each_loader_its_arguments(tmp_path):
    name, ((x_train, t_train), _) = load_dataset(flatten=False, one_hot_label=True, seed=3,
                                                 cache_dir=tmp_path / "empty")
    (want_x, want_t), _ = load_digits(flatten=False, one_hot_label=True, seed=3)
    assert name == "digits"
    np.testing.assert_array_equal(x_train, want_x)
    np.testing.assert_array_equal(t_train, want_t)


def test_auto_uses_the_mnist_cache(mnist_dir):
    data_dir, files = mnist_dir
    load_mnist(data_dir=data_dir, files=files, download=False)
    name, ((x_train, _), _) = load_dataset("auto", files=files)
    assert name == "mnist" and x_train.shape == (5, 12)


def test_auto_uses_data_dir(mnist_dir):
    data_dir, files = mnist_dir
    assert load_dataset(data_dir=data_dir, files=files)[0] == "mnist"


def test_auto_does_not_hide_a_corrupt_data_dir(mnist_dir):
    data_dir, files = mnist_dir
    bad = {key: (name, "0" * 64) for key, (name, _) in files.items()}
    with pytest.raises(DatasetCorrupt, match="checksum mismatch"):
        load_dataset(data_dir=data_dir, files=bad)


def test_named_datasets(mnist_dir):
    data_dir, files = mnist_dir
    assert load_dataset("digits", seed=1)[0] == "digits"
    assert load_dataset("mnist", data_dir=data_dir, files=files, download=False)[0] == "mnist"


def test_unknown_name():
    with pytest.raises(ValueError, match=r"^unknown dataset 'cifar10'; valid names: auto, digits, mnist$"):
        load_dataset("cifar10")


def test_auto_rejects_unknown_arguments():
    with pytest.raises(TypeError, match="batch_size"):
        load_dataset(batch_size=10)
