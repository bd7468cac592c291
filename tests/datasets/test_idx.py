import gzip

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from dlscratch_data.errors import DatasetCorrupt
from dlscratch_data.idx import parse_idx, read_idx_gz

from .idx_files import idx_bytes

image_stacks = arrays(np.uint8, st.tuples(st.integers(0, 6), st.integers(1, 5), st.integers(1, 5)))


@given(image_stacks)
def test_images_round_trip(images):
    parsed = parse_idx(idx_bytes(images), "images", "x.idx")
    assert parsed.dtype == np.uint8
    np.testing.assert_array_equal(parsed, images)


@given(arrays(np.uint8, st.integers(0, 20)))
def test_labels_round_trip(labels):
    np.testing.assert_array_equal(read_idx_gz(gzip.compress(idx_bytes(labels)), "labels", "t.gz"), labels)


def test_parsed_array_is_writable():
    parsed = parse_idx(idx_bytes(np.zeros((2, 2, 2))), "images", "x.idx")
    parsed[0, 0, 0] = 1


def test_bad_magic_is_named_in_hex():
    raw = idx_bytes(np.zeros((2, 3, 3)), magic=2049)
    with pytest.raises(DatasetCorrupt, match=r"^x\.idx: bad magic 0x00000801, expected 0x00000803 for images$"):
        parse_idx(raw, "images", "x.idx")


def test_truncated_payload():
    raw = idx_bytes(np.zeros((5, 4, 4)))[:-3]
    with pytest.raises(DatasetCorrupt, match=r"truncated: header says 5 images of 4x4 but payload has 77 "
                                             r"bytes \(expected 80\)"):
        parse_idx(raw, "images", "x.idx")


def test_over_long_payload():
    raw = idx_bytes(np.zeros(4)) + b"\0"
    with pytest.raises(DatasetCorrupt, match=r"over-long: header says 4 labels but payload has 5 bytes"):
        parse_idx(raw, "labels", "t.idx")


def test_file_shorter_than_header():
    with pytest.raises(DatasetCorrupt, match=r"truncated: 6 bytes, shorter than the 16-byte IDX header"):
        parse_idx(b"\0\0\x08\x03\0\0", "images", "x.idx")


def test_not_gzip():
    with pytest.raises(DatasetCorrupt, match=r"^x\.gz: not a valid gzip file"):
        read_idx_gz(idx_bytes(np.zeros((1, 2, 2))), "images", "x.gz")
