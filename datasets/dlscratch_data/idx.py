"""Parser for the IDX format of the MNIST files (big-endian header, then raw unsigned bytes)."""
import gzip
import struct
import zlib

import numpy as np

from .errors import DatasetCorrupt

# kind -> (magic number, number of dimensions); the magic's low byte is the dimension count.
IDX_KINDS = {"images": (2051, 3), "labels": (2049, 1)}


def read_idx_gz(data, kind, source):
    """Decompress gzip bytes `data` and parse them as an IDX file of `kind` ("images" or "labels")."""
    try:
        raw = gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as exc:
        raise DatasetCorrupt(f"{source}: not a valid gzip file ({exc})") from None
    return parse_idx(raw, kind, source)


def parse_idx(raw, kind, source):
    """Parse uncompressed IDX bytes -> uint8 array, (N, rows, cols) for images, (N,) for labels.

    The payload length must match the header exactly, so truncated and over-long files both fail.
    """
    magic, ndim = IDX_KINDS[kind]
    header_len = 4 * (1 + ndim)
    if len(raw) < header_len:
        raise DatasetCorrupt(f"{source}: truncated: {len(raw)} bytes, shorter than the "
                             f"{header_len}-byte IDX header of a {kind} file")
    found, *dims = struct.unpack(f">{1 + ndim}I", raw[:header_len])
    if found != magic:
        raise DatasetCorrupt(f"{source}: bad magic 0x{found:08x}, expected 0x{magic:08x} for {kind}")
    payload = len(raw) - header_len
    expected = int(np.prod(dims))
    if payload != expected:
        problem = "truncated" if payload < expected else "over-long"
        raise DatasetCorrupt(f"{source}: {problem}: header says {_describe(kind, dims)} but payload "
                             f"has {payload} bytes (expected {expected})")
    # copy: frombuffer views the immutable bytes, and callers may edit arrays in place
    return np.frombuffer(raw, dtype=np.uint8, offset=header_len).reshape(dims).copy()


def _describe(kind, dims):
    if kind == "images":
        return f"{dims[0]} images of {dims[1]}x{dims[2]}"
    return f"{dims[0]} labels"
