"""Writing tiny MNIST-style IDX files for the tests, with the `files=` checksums that match them."""
import gzip
import hashlib
import struct

import numpy as np

NAMES = {
    "train_img": "train-images-idx3-ubyte.gz",
    "train_label": "train-labels-idx1-ubyte.gz",
    "test_img": "t10k-images-idx3-ubyte.gz",
    "test_label": "t10k-labels-idx1-ubyte.gz",
}


def idx_bytes(array, magic=None):
    """Uncompressed IDX bytes of a uint8 array: images (N, rows, cols) or labels (N,)."""
    array = np.asarray(array, dtype=np.uint8)
    if magic is None:
        magic = 2051 if array.ndim == 3 else 2049
    return struct.pack(f">{1 + array.ndim}I", magic, *array.shape) + array.tobytes()


def tiny_mnist(n_train=5, n_test=3, rows=3, cols=4, seed=0):
    """Raw arrays of a small MNIST look-alike: {key: uint8 array} with the keys of MNIST_FILES."""
    rng = np.random.default_rng(seed)
    return {
        "train_img": rng.integers(0, 256, (n_train, rows, cols), dtype=np.uint8),
        "train_label": rng.integers(0, 10, n_train, dtype=np.uint8),
        "test_img": rng.integers(0, 256, (n_test, rows, cols), dtype=np.uint8),
        "test_label": rng.integers(0, 10, n_test, dtype=np.uint8),
    }


def write_gz_files(directory, raw_bytes):
    """Gzip {key: uncompressed bytes} into directory under the MNIST names -> the matching `files=`."""
    directory.mkdir(parents=True, exist_ok=True)
    files = {}
    for key, raw in raw_bytes.items():
        data = gzip.compress(raw, mtime=0)
        (directory / NAMES[key]).write_bytes(data)
        files[key] = (NAMES[key], hashlib.sha256(data).hexdigest())
    return files


def write_mnist_dir(directory, arrays):
    """Write {key: array} as the four IDX .gz files -> `files=` with their true SHA-256 sums."""
    return write_gz_files(directory, {key: idx_bytes(array) for key, array in arrays.items()})
