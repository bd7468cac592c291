"""Errors raised by the loaders; each message is a single line a student can act on."""


class DatasetUnavailable(RuntimeError):
    """The data set cannot be loaded here: nothing cached, no local files, no mirror reachable."""


class DatasetCorrupt(DatasetUnavailable):
    """A file exists but is wrong: bad checksum, bad IDX header, truncated or over-long payload."""
