import numpy as np
import pytest

from dlscratch_data import DatasetUnavailable, load_mnist
from dlscratch_data.errors import DatasetCorrupt

from .idx_files import NAMES, idx_bytes, write_gz_files, write_mnist_dir


def _expected(arrays, split, normalize, flatten, one_hot_label):
    x, t = arrays[f"{split}_img"], arrays[f"{split}_label"]
    x = x.reshape(len(x), -1) if flatten else x[:, None]
    x = x.astype(np.float32) / np.float32(255) if normalize else x
    t = np.eye(10, dtype=np.float32)[t] if one_hot_label else t.astype(np.int64)
    return x, t


@pytest.mark.parametrize("normalize", [True, False])
@pytest.mark.parametrize("flatten", [True, False])
@pytest.mark.parametrize("one_hot_label", [True, False])
def test_round_trip_in_the_books_shapes(mnist_dir, cache_dir, arrays, normalize, flatten, one_hot_label):
    data_dir, files = mnist_dir
    loaded = load_mnist(normalize, flatten, one_hot_label, data_dir=data_dir, cache_dir=cache_dir,
                        files=files, download=False)
    for (x, t), split in zip(loaded, ("train", "test")):
        want_x, want_t = _expected(arrays, split, normalize, flatten, one_hot_label)
        assert (x.dtype, x.shape, t.dtype, t.shape) == (want_x.dtype, want_x.shape, want_t.dtype, want_t.shape)
        np.testing.assert_array_equal(x, want_x)
        np.testing.assert_array_equal(t, want_t)


def test_shapes_follow_the_header_dims(mnist_dir, cache_dir):
    data_dir, files = mnist_dir
    (x_train, t_train), (x_test, t_test) = load_mnist(flatten=False, data_dir=data_dir, cache_dir=cache_dir,
                                                      files=files, download=False)
    assert x_train.shape == (5, 1, 3, 4) and x_test.shape == (3, 1, 3, 4)
    assert t_train.shape == (5,) and t_test.shape == (3,)
    assert 0.0 <= x_train.min() and x_train.max() <= 1.0


def test_wrong_checksum_in_data_dir(mnist_dir, cache_dir):
    data_dir, files = mnist_dir
    name, good = files["test_label"]
    bad = {**files, "test_label": (name, "0" * 64)}
    with pytest.raises(DatasetCorrupt) as info:
        load_mnist(data_dir=data_dir, cache_dir=cache_dir, files=bad, download=False)
    message = str(info.value)
    assert "\n" not in message and name in message
    assert message.endswith(f"checksum mismatch expected {'0' * 64}, got {good}")
    assert not (cache_dir / "mnist.npz").exists()


@pytest.mark.parametrize("key, raw, match", [
    ("train_img", idx_bytes(np.zeros((5, 3, 4)), magic=2049), "bad magic 0x00000801"),
    ("train_label", idx_bytes(np.zeros(5), magic=2051), "bad magic 0x00000803"),
    ("test_img", idx_bytes(np.zeros((3, 3, 4)))[:-1], "truncated: header says 3 images of 3x4 but payload has 35"),
    ("test_label", idx_bytes(np.zeros(3)) + b"\0\0", "over-long: header says 3 labels but payload has 5"),
])
def test_corrupt_file_names_file_and_problem(tmp_path, cache_dir, arrays, key, raw, match):
    raw_bytes = {k: idx_bytes(a) for k, a in arrays.items()} | {key: raw}
    files = write_gz_files(tmp_path / "data", raw_bytes)
    with pytest.raises(DatasetCorrupt, match=match) as info:
        load_mnist(data_dir=tmp_path / "data", cache_dir=cache_dir, files=files, download=False)
    assert str(info.value).startswith(NAMES[key]) and "\n" not in str(info.value)


def test_mismatched_image_and_label_counts(tmp_path, cache_dir, arrays):
    files = write_mnist_dir(tmp_path / "data", arrays | {"train_label": arrays["train_label"][:4]})
    with pytest.raises(DatasetCorrupt, match=r"^train-images-idx3-ubyte\.gz has 5 images but "
                                             r"train-labels-idx1-ubyte\.gz has 4 labels$"):
        load_mnist(data_dir=tmp_path / "data", cache_dir=cache_dir, files=files, download=False)


def test_label_out_of_range(tmp_path, cache_dir, arrays):
    files = write_mnist_dir(tmp_path / "data", arrays | {"test_label": np.array([1, 12, 3])})
    with pytest.raises(DatasetCorrupt, match=r"t10k-labels-idx1-ubyte\.gz: label 12 is outside 0\.\.9"):
        load_mnist(data_dir=tmp_path / "data", cache_dir=cache_dir, files=files, download=False)


def test_cache_is_written_then_used(mnist_dir, cache_dir):
    data_dir, files = mnist_dir
    first = load_mnist(data_dir=data_dir, cache_dir=cache_dir, files=files, download=False)
    assert (cache_dir / "mnist.npz").is_file()
    for path in data_dir.iterdir():
        path.unlink()
    second = load_mnist(data_dir=data_dir, cache_dir=cache_dir, files=files, download=False)
    for first_pair, second_pair in zip(first, second):
        for a, b in zip(first_pair, second_pair):
            np.testing.assert_array_equal(a, b)
    with np.load(cache_dir / "mnist.npz", allow_pickle=False) as archive:
        assert sorted(archive.files) == ["sources", "t_test", "t_train", "x_test", "x_train"]
    assert [p.name for p in cache_dir.iterdir()] == ["mnist.npz"], "no temporary files left behind"


def test_cache_built_from_other_files_is_not_reused(mnist_dir, cache_dir):
    data_dir, files = mnist_dir
    load_mnist(data_dir=data_dir, cache_dir=cache_dir, files=files, download=False)
    other = {key: (name, "f" * 64) for key, (name, _) in files.items()}
    with pytest.raises(DatasetUnavailable):
        load_mnist(cache_dir=cache_dir, files=other, download=False)


def test_unreadable_cache_is_rebuilt(mnist_dir, cache_dir, arrays):
    data_dir, files = mnist_dir
    cache_dir.mkdir()
    (cache_dir / "mnist.npz").write_bytes(b"not a zip file")
    (x_train, _), _ = load_mnist(normalize=False, data_dir=data_dir, cache_dir=cache_dir, files=files,
                                 download=False)
    np.testing.assert_array_equal(x_train, arrays["train_img"].reshape(5, -1))
    with np.load(cache_dir / "mnist.npz", allow_pickle=False) as archive:
        np.testing.assert_array_equal(archive["x_train"], arrays["train_img"])


def test_default_cache_dir_comes_from_the_environment(mnist_dir, tmp_path):
    data_dir, files = mnist_dir
    load_mnist(data_dir=data_dir, files=files, download=False)
    assert (tmp_path / "default-cache" / "mnist.npz").is_file()


def test_offline_with_nothing_cached(cache_dir, closed_url):
    with pytest.raises(DatasetUnavailable) as info:
        load_mnist(cache_dir=cache_dir, mirrors=(closed_url,))
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"MNIST is not available offline: no cache in {cache_dir}, no data_dir given, "
                              f"and no mirror reachable (tried 1: {closed_url}train-images-idx3-ubyte.gz -> ")
    assert message.endswith("Pass data_dir= with the four .gz files, or use load_digits().")


def test_download_off_says_so(tmp_path, cache_dir):
    with pytest.raises(DatasetUnavailable, match=rf"data_dir {tmp_path} has no train-images-idx3-ubyte\.gz, "
                                                 r"and downloading is off \(download=False\)"):
        load_mnist(data_dir=tmp_path, cache_dir=cache_dir, download=False)


def test_files_need_the_four_keys(mnist_dir, cache_dir):
    data_dir, files = mnist_dir
    with pytest.raises(ValueError, match="files= needs exactly the keys"):
        load_mnist(data_dir=data_dir, cache_dir=cache_dir, files={"train_img": files["train_img"]})


def test_default_checksums_are_the_published_ones():
    from dlscratch_data.mnist import MNIST_FILES
    assert {key: name for key, (name, _) in MNIST_FILES.items()} == NAMES
    assert MNIST_FILES["train_img"][1] == "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"
    assert all(len(sha) == 64 and int(sha, 16) >= 0 for _, sha in MNIST_FILES.values())
