"""Turning raw uint8 images and labels into the book's (x, t) shapes and dtypes."""
import numpy as np

N_CLASSES = 10


def format_split(x, t, *, scale, normalize, flatten, one_hot_label):
    """Raw images (N, H, W) uint8 and labels (N,) -> (x, t) as the book's load_mnist gives them.

    x: (N, H*W) if flatten else (N, 1, H, W); float32 x/scale if normalize else uint8.
    t: (N, 10) float32 one-hot if one_hot_label else (N,) int64.
    """
    n = len(x)
    x = x.reshape(n, -1) if flatten else x.reshape(n, 1, *x.shape[1:])
    if normalize:
        x = x.astype(np.float32) / np.float32(scale)
    labels = t.astype(np.int64)
    if one_hot_label:
        return x, np.eye(N_CLASSES, dtype=np.float32)[labels]
    return x, labels
