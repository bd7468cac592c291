"""Data loaders in the book's shape: MNIST (IDX files, checksummed and cached) and the bundled 8x8 digits."""
from .digits import load_digits
from .errors import DatasetCorrupt, DatasetUnavailable
from .mnist import load_mnist
from .registry import load_dataset

__all__ = ["load_mnist", "load_digits", "load_dataset", "DatasetUnavailable", "DatasetCorrupt"]
