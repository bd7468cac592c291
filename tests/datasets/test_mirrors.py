"""Downloading from mirrors, against a loopback HTTP server the tests start themselves."""
import gzip
import logging

import numpy as np
import pytest

from dlscratch_data import DatasetUnavailable, load_mnist


def _serve(server, prefix, mnist_dir, corrupt=False):
    data_dir, files = mnist_dir
    for name, _ in files.values():
        data = (data_dir / name).read_bytes()
        server.routes[f"/{prefix}/{name}"] = gzip.compress(b"not what was asked for") if corrupt else data


def test_falls_back_past_a_404_and_a_corrupt_mirror(http_server, mnist_dir, cache_dir, arrays, caplog):
    _, files = mnist_dir
    _serve(http_server, "corrupt", mnist_dir, corrupt=True)
    _serve(http_server, "good", mnist_dir)
    mirrors = [f"{http_server.url}/{prefix}/" for prefix in ("missing", "corrupt", "good")]
    with caplog.at_level(logging.WARNING, logger="dlscratch_data"):
        (x_train, t_train), _ = load_mnist(normalize=False, cache_dir=cache_dir, mirrors=mirrors, files=files)
    np.testing.assert_array_equal(x_train, arrays["train_img"].reshape(5, -1))
    np.testing.assert_array_equal(t_train, arrays["train_label"])
    name = files["train_img"][0]
    assert http_server.requests[:3] == [f"/missing/{name}", f"/corrupt/{name}", f"/good/{name}"]
    logged = caplog.text
    assert f"{mirrors[0]}{name}: HTTP 404" in logged
    assert f"{mirrors[1]}{name}: checksum mismatch expected {files['train_img'][1]}" in logged
    assert sorted(p.name for p in cache_dir.iterdir()) == sorted(["mnist.npz", *(n for n, _ in files.values())])


def test_downloaded_files_are_reused_without_network(http_server, mnist_dir, cache_dir):
    _, files = mnist_dir
    _serve(http_server, "good", mnist_dir)
    load_mnist(cache_dir=cache_dir, mirrors=[f"{http_server.url}/good/"], files=files)
    (cache_dir / "mnist.npz").unlink()
    load_mnist(cache_dir=cache_dir, mirrors=(), files=files, download=False)
    assert len(http_server.requests) == 4


def test_corrupt_earlier_download_is_fetched_again(http_server, mnist_dir, cache_dir):
    _, files = mnist_dir
    _serve(http_server, "good", mnist_dir)
    cache_dir.mkdir()
    (cache_dir / files["test_img"][0]).write_bytes(b"half a file")
    load_mnist(cache_dir=cache_dir, mirrors=[f"{http_server.url}/good/"], files=files)
    assert f"/good/{files['test_img'][0]}" in http_server.requests


def test_all_mirrors_failing_gives_one_line(http_server, mnist_dir, cache_dir, closed_url):
    _, files = mnist_dir
    _serve(http_server, "corrupt", mnist_dir, corrupt=True)
    mirrors = [f"{http_server.url}/missing/", f"{http_server.url}/corrupt/", closed_url]
    with pytest.raises(DatasetUnavailable) as info:
        load_mnist(cache_dir=cache_dir, mirrors=mirrors, files=files)
    message = str(info.value)
    assert "\n" not in message
    assert "no mirror reachable (tried 3: " in message
    assert "HTTP 404" in message and "checksum mismatch" in message and "Connection refused" in message
    assert not list(cache_dir.glob("*.tmp")), "failed downloads leave no temporary files"
