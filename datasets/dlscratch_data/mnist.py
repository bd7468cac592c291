"""MNIST in the book's shape: the four IDX .gz files, checksummed, parsed, cached as mnist.npz."""
import logging
import zipfile
from pathlib import Path

import numpy as np

from .download import MirrorsFailed, download_verified
from .errors import DatasetCorrupt, DatasetUnavailable
from .fileio import atomic_open, check_sha256, default_cache_dir, sha256_hex
from .formatting import N_CLASSES, format_split
from .idx import read_idx_gz

logger = logging.getLogger(__name__)

# key -> (file name, SHA-256 of the .gz); sums as in TensorFlow Datasets' url_checksums/mnist.txt
MNIST_FILES = {
    "train_img": ("train-images-idx3-ubyte.gz",
                  "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"),
    "train_label": ("train-labels-idx1-ubyte.gz",
                    "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"),
    "test_img": ("t10k-images-idx3-ubyte.gz",
                 "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"),
    "test_label": ("t10k-labels-idx1-ubyte.gz",
                   "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"),
}
# the copies torchvision and TensorFlow Datasets download from
MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)
CACHE_NAME = "mnist.npz"
SPLITS = (("train", "train_img", "train_label"), ("test", "test_img", "test_label"))


def load_mnist(normalize=True, flatten=True, one_hot_label=False, *, data_dir=None, cache_dir=None,
               mirrors=MIRRORS, files=MNIST_FILES, download=True):
    """Load MNIST as the book's load_mnist does -> ((x_train, t_train), (x_test, t_test)).

    x_*: (N, 784) float32 in [0, 1] (x / 255), or uint8 0..255 when normalize=False;
         (N, 1, 28, 28) when flatten=False. N is 60000 for train, 10000 for test.
    t_*: (N,) int64 labels 0..9, or (N, 10) float32 one-hot when one_hot_label=True.

    Looks in order at cache_dir/mnist.npz (default $DLSCRATCH_DATA_DIR or ~/.cache/dlscratch),
    then data_dir (a folder with the four .gz files), then, if download, each of `mirrors`.
    Every .gz must match its SHA-256 in `files` (key -> (file name, sha256)).
    Raises DatasetUnavailable when nothing works, DatasetCorrupt for a bad file.
    """
    _check_files(files)
    cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    raw = _load_cache(cache_dir, files)
    if raw is None:
        blobs = {key: _find(name, sha, data_dir, cache_dir, mirrors, download)
                 for key, (name, sha) in files.items()}
        raw = _parse(blobs, files)
        _save_cache(cache_dir, files, raw)
    return tuple(format_split(raw[f"x_{split}"], raw[f"t_{split}"], scale=255, normalize=normalize,
                              flatten=flatten, one_hot_label=one_hot_label) for split in ("train", "test"))


def _check_files(files):
    expected = {key for _, *keys in SPLITS for key in keys}
    if set(files) != expected:
        raise ValueError(f"files= needs exactly the keys {sorted(expected)}, got {sorted(files)}")


def _find(name, sha, data_dir, cache_dir, mirrors, download):
    """The verified bytes of one .gz: from data_dir, else an earlier download, else a mirror."""
    data = _read_local(name, sha, data_dir, cache_dir)
    if data is not None:
        return data
    if not download:
        raise DatasetUnavailable(_unavailable(cache_dir, data_dir, name, "downloading is off (download=False)"))
    try:
        return download_verified(name, sha, cache_dir, mirrors)
    except MirrorsFailed as exc:
        remote = f"no mirror reachable (tried {len(exc.attempts)}: {exc})"
        raise DatasetUnavailable(_unavailable(cache_dir, data_dir, name, remote)) from None


def _read_local(name, sha, data_dir, cache_dir):
    if data_dir is not None and (Path(data_dir) / name).is_file():
        path = Path(data_dir) / name
        data = path.read_bytes()
        # the caller chose this file, so wrong bytes are an error rather than a miss
        check_sha256(data, sha, path)
        return data
    cached = cache_dir / name
    if cached.is_file():
        data = cached.read_bytes()
        if sha256_hex(data) == sha:
            return data
        logger.warning("ignoring %s: checksum mismatch, downloading it again", cached)
    return None


def _unavailable(cache_dir, data_dir, name, remote):
    local = "no data_dir given" if data_dir is None else f"data_dir {data_dir} has no {name}"
    return (f"MNIST is not available offline: no cache in {cache_dir}, {local}, and {remote}. "
            "Pass data_dir= with the four .gz files, or use load_digits().")


def _parse(blobs, files):
    """Verified .gz bytes per key -> {x_train, t_train, x_test, t_test} raw uint8 arrays."""
    raw = {}
    for split, img_key, label_key in SPLITS:
        img_name, label_name = files[img_key][0], files[label_key][0]
        x = read_idx_gz(blobs[img_key], "images", img_name)
        t = read_idx_gz(blobs[label_key], "labels", label_name)
        if len(x) != len(t):
            raise DatasetCorrupt(f"{img_name} has {len(x)} images but {label_name} has {len(t)} labels")
        if t.size and t.max() >= N_CLASSES:
            raise DatasetCorrupt(f"{label_name}: label {t.max()} is outside 0..{N_CLASSES - 1}")
        raw[f"x_{split}"], raw[f"t_{split}"] = x, t
    return raw


def _source_sums(files):
    # stored in the cache so that a cache built from other files (other `files=`) is not reused
    return [files[key][1] for _, *keys in SPLITS for key in keys]


def _load_cache(cache_dir, files):
    path = cache_dir / CACHE_NAME
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as archive:
            raw = {key: archive[key] for key in archive.files}
        sources = raw.pop("sources").tolist()
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        logger.warning("ignoring unreadable cache %s: %s", path, exc)
        return None
    if sources != _source_sums(files) or set(raw) != {"x_train", "t_train", "x_test", "t_test"}:
        logger.info("cache %s was built from other files; rebuilding it", path)
        return None
    return raw


def _save_cache(cache_dir, files, raw):
    try:
        with atomic_open(cache_dir / CACHE_NAME) as handle:
            np.savez_compressed(handle, sources=np.array(_source_sums(files)), **raw)
    except OSError as exc:
        # the data is already loaded; an unwritable cache only costs a re-parse next time
        logger.warning("could not write the cache %s: %s", cache_dir / CACHE_NAME, exc)
