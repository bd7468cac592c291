"""The bundled 8x8 digits (UCI optical recognition of handwritten digits), split like the book's MNIST."""
import gzip
import io
import math
from importlib import resources

import numpy as np

from .errors import DatasetCorrupt
from .fileio import check_sha256
from .formatting import format_split

DIGITS_FILE = "digits.csv.gz"
# SHA-256 of data/digits.csv.gz as scikit-learn ships it (recorded in data/README.md too)
DIGITS_SHA256 = "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22"
N_DIGITS, SIDE = 1797, 8


def load_digits(normalize=True, flatten=True, one_hot_label=False, *, test_ratio=0.2, seed=0):
    """Load the bundled 8x8 digits, shuffled and split -> ((x_train, t_train), (x_test, t_test)).

    x_*: (N, 64) float32 in [0, 1] (pixel / 16), or uint8 0..16 when normalize=False;
         (N, 1, 8, 8) when flatten=False.
    t_*: (N,) int64 labels 0..9, or (N, 10) float32 one-hot when one_hot_label=True.
    The split is np.random.default_rng(seed).permutation of the 1,797 images, the first
    ceil(1797 * test_ratio) of it for test: 1,437 train and 360 test by default.
    """
    x, t = _read_bundled()
    n_test = _test_size(len(x), test_ratio)
    order = np.random.default_rng(seed).permutation(len(x))
    test, train = order[:n_test], order[n_test:]
    return tuple(format_split(x[rows], t[rows], scale=16, normalize=normalize, flatten=flatten,
                              one_hot_label=one_hot_label) for rows in (train, test))


def _test_size(n, test_ratio):
    if not 0 < test_ratio < 1:
        raise ValueError(f"test_ratio must be between 0 and 1 (exclusive), got {test_ratio}")
    # ceil as scikit-learn's train_test_split does (1797 * 0.2 = 359.4 -> 360); the inner round
    # drops float noise such as 100 * 0.07 = 7.000000000000001, which would otherwise give 8
    n_test = math.ceil(round(n * test_ratio, 9))
    if n_test >= n:
        raise ValueError(f"test_ratio {test_ratio} leaves no training images out of {n}")
    return n_test


def _read_bundled():
    """-> images (1797, 8, 8) uint8 in 0..16 and labels (1797,) uint8, after checking the SHA-256."""
    resource = resources.files(__package__).joinpath("data", DIGITS_FILE)
    data = resource.read_bytes()
    check_sha256(data, DIGITS_SHA256, DIGITS_FILE)
    table = np.loadtxt(io.BytesIO(gzip.decompress(data)), delimiter=",", dtype=np.uint8)
    if table.shape != (N_DIGITS, SIDE * SIDE + 1):
        raise DatasetCorrupt(f"{DIGITS_FILE}: expected {N_DIGITS} rows of 65 values, got shape {table.shape}")
    return table[:, :-1].reshape(-1, SIDE, SIDE), table[:, -1]
