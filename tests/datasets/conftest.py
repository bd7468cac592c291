import socket
import threading
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from .idx_files import tiny_mnist, write_mnist_dir


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """Point the default cache at tmp_path and refuse any request that is not to loopback."""
    monkeypatch.setenv("DLSCRATCH_DATA_DIR", str(tmp_path / "default-cache"))
    real_urlopen = urllib.request.urlopen

    def loopback_only(url, *args, **kwargs):
        host = urllib.parse.urlsplit(url if isinstance(url, str) else url.full_url).hostname
        assert host == "127.0.0.1", f"test tried to reach {url}"
        return real_urlopen(url, *args, **kwargs)

    monkeypatch.setattr(urllib.request, "urlopen", loopback_only)


@pytest.fixture
def arrays():
    return tiny_mnist()


@pytest.fixture
def mnist_dir(tmp_path, arrays):
    """(data_dir, files) holding the tiny data set as four IDX .gz files."""
    directory = tmp_path / "data"
    return directory, write_mnist_dir(directory, arrays)


@pytest.fixture
def cache_dir(tmp_path):
    return tmp_path / "cache"


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.requests.append(self.path)
        body = self.server.routes.get(self.path)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def http_server():
    """A loopback HTTP server: set server.routes[path] = bytes; anything else is a 404."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.routes, server.requests = {}, []
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def closed_url():
    """A loopback URL nothing listens on, so connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/mnist/"
